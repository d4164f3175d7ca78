"""Daily questions, answers, attempts, the 错题本 and 挑战 records. Plain values in and out."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime

from nonebot_plugin_orm import get_session
from sqlalchemy import case, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot import clock
from bot.db import dialect_insert, rowcount, upsert
from bot.points import Award, award

from .answers import Judged, judge
from .models import (
    Attempt,
    ChallengeBest,
    DailyAnswer,
    DailyQuestion,
    DailySchedule,
    Question,
    WrongAnswer,
)

PRIVATE_SCOPE = "private"
LEAVES_BOOK_AFTER = 2
"""Right answers after the latest wrong one that take a question out of the 错题本."""


@dataclass(frozen=True)
class QuestionView:
    id: int
    kind: str
    stem: str
    options: list[str]
    answer: str
    explanation: str
    category: str
    source: str


def _view(row: Question) -> QuestionView:
    return QuestionView(
        row.id,
        row.kind,
        row.stem,
        list(row.options or []),
        row.answer,
        row.explanation,
        row.category,
        row.source,
    )


async def bank_size() -> int:
    async with get_session() as session:
        return int(await session.scalar(select(func.count()).select_from(Question)) or 0)


async def bank_counts() -> tuple[dict[str, int], dict[str, int]]:
    """Questions per kind and per category."""
    async with get_session() as session:
        kinds = dict(
            (
                await session.execute(select(Question.kind, func.count()).group_by(Question.kind))
            ).all()
        )
        categories = dict(
            (
                await session.execute(
                    select(Question.category, func.count()).group_by(Question.category)
                )
            ).all()
        )
    return {k: int(v) for k, v in kinds.items()}, {k: int(v) for k, v in categories.items()}


async def categories() -> list[str]:
    async with get_session() as session:
        rows = await session.scalars(
            select(Question.category).distinct().order_by(Question.category)
        )
        return list(rows)


async def get_question(question_id: int) -> QuestionView | None:
    async with get_session() as session:
        row = await session.get(Question, question_id)
        return _view(row) if row else None


# Daily question -----------------------------------------------------------------------------


async def daily_question(group_id: str, day: date | None = None) -> QuestionView | None:
    """The group's question of the day: chosen once (without repeats until the bank, or the
    group's categories, is used up) and then the same for everyone, also after a restart."""
    day = day or clock.today()
    chosen = await _daily_id(group_id, day)
    if chosen is None:
        question_id = await _pick_daily(group_id)
        if question_id is None:
            return None
        async with get_session() as session, session.begin():
            await session.execute(
                dialect_insert(session, DailyQuestion.__table__)
                .values(group_id=group_id, day=day, question_id=question_id)
                .on_conflict_do_nothing(index_elements=["group_id", "day"])
            )
        chosen = await _daily_id(group_id, day)  # whoever inserted first decided
    return await get_question(chosen) if chosen is not None else None


async def _daily_id(group_id: str, day: date) -> int | None:
    async with get_session() as session:
        chosen = await session.scalar(
            select(DailyQuestion.question_id).where(
                DailyQuestion.group_id == group_id, DailyQuestion.day == day
            )
        )
    return int(chosen) if chosen is not None else None


async def _pick_daily(group_id: str) -> int | None:
    async with get_session() as session:
        wanted = await session.scalar(
            select(DailySchedule.categories).where(DailySchedule.group_id == group_id)
        )
        pool = select(Question.id)
        if wanted:
            pool = pool.where(Question.category.in_(wanted))
        used = select(DailyQuestion.question_id).where(DailyQuestion.group_id == group_id)
        fresh = list(await session.scalars(pool.where(Question.id.not_in(used))))
        if not fresh:  # the bank is used up: start a new round
            fresh = list(await session.scalars(pool))
        if not fresh and wanted:  # the chosen categories are gone from the bank
            fresh = list(await session.scalars(select(Question.id)))
    return random.choice(fresh) if fresh else None


@dataclass(frozen=True)
class DailyResult:
    question: QuestionView
    judged: Judged
    counted: bool
    """False: the member had answered today already; this answer changed nothing."""
    first_answer: str
    """The member's first (counting) answer."""
    first_correct: bool
    """This member is the first of the group to answer today's question right."""
    points: int


async def answer_daily(
    group_id: str, user_id: str, given: str, *, points: int, at: datetime | None = None
) -> DailyResult | None:
    """Judge an answer to today's question; None when there is no question yet today.
    Raises answers.NotAnAnswer for input that cannot be an answer (nothing is stored)."""
    at = at or clock.now()
    day = clock.today(at)
    question_id = await _daily_id(group_id, day)
    if question_id is None:
        return None
    question = await get_question(question_id)
    if question is None:
        return None
    judged = judge(question.kind, question.options, question.answer, given)
    table = DailyAnswer.__table__
    granted = 0
    first_correct = False
    async with get_session() as session, session.begin():
        inserted = await session.scalar(
            dialect_insert(session, table)
            .values(
                group_id=group_id,
                day=day,
                user_id=user_id,
                answer=judged.answer,
                correct=judged.correct,
                answered_at=at,
            )
            .on_conflict_do_nothing(index_elements=["group_id", "day", "user_id"])
            .returning(table.c.id)
        )
        if inserted is not None:
            await _record(session, group_id, user_id, question.id, "daily", judged.correct, at)
            if judged.correct:
                claimed = await rowcount(
                    session,
                    update(DailyQuestion)
                    .where(
                        DailyQuestion.group_id == group_id,
                        DailyQuestion.day == day,
                        DailyQuestion.first_correct_user.is_(None),
                    )
                    .values(first_correct_user=user_id),
                )
                first_correct = claimed == 1
                reference = f"{group_id}:{day.isoformat()}:{user_id}"
                result = await award(
                    session, Award(group_id, user_id, "quiz.daily", reference, points), at=at
                )
                granted = result.amount if result else 0
    if inserted is not None:
        return DailyResult(question, judged, True, judged.answer, first_correct, granted)
    async with get_session() as session:
        earlier = (
            await session.execute(
                select(DailyAnswer.answer, DailyAnswer.correct).where(
                    DailyAnswer.group_id == group_id,
                    DailyAnswer.day == day,
                    DailyAnswer.user_id == user_id,
                )
            )
        ).one()
    return DailyResult(
        question, Judged(earlier.answer, earlier.correct), False, earlier.answer, False, 0
    )


async def first_correct_user(group_id: str, day: date | None = None) -> str | None:
    async with get_session() as session:
        return await session.scalar(
            select(DailyQuestion.first_correct_user).where(
                DailyQuestion.group_id == group_id, DailyQuestion.day == (day or clock.today())
            )
        )


# Attempts, the 错题本, 挑战 -----------------------------------------------------------------


async def _record(
    session: AsyncSession,
    scope: str,
    user_id: str,
    question_id: int,
    mode: str,
    correct: bool,
    at: datetime,
) -> None:
    await session.execute(
        Attempt.__table__.insert().values(
            scope=scope,
            user_id=user_id,
            question_id=question_id,
            mode=mode,
            correct=correct,
            answered_at=at,
        )
    )
    book = WrongAnswer.__table__
    if not correct:
        await upsert(
            session,
            book,
            {"user_id": user_id, "question_id": question_id, "wrong_at": at, "right_since": 0},
            keys=("user_id", "question_id"),
        )
        return
    await session.execute(
        update(book)
        .where(book.c.user_id == user_id, book.c.question_id == question_id)
        .values(right_since=book.c.right_since + 1)
    )
    await session.execute(
        delete(book).where(
            book.c.user_id == user_id,
            book.c.question_id == question_id,
            book.c.right_since >= LEAVES_BOOK_AFTER,
        )
    )


async def record_practice(
    scope: str,
    user_id: str,
    question_id: int,
    mode: str,
    correct: bool,
    *,
    points: int,
    daily_cap: int,
    reference: str,
    at: datetime | None = None,
) -> int:
    """Store one practice / challenge / review answer; returns the points it earned."""
    at = at or clock.now()
    async with get_session() as session, session.begin():
        await _record(session, scope, user_id, question_id, mode, correct, at)
        if not correct or scope == PRIVATE_SCOPE or not points:
            return 0
        result = await award(
            session,
            Award(scope, user_id, "quiz.practice", reference, points),
            at=at,
            daily_cap=daily_cap,
        )
    return result.amount if result else 0


async def practice_questions(
    count: int, category: str | None, exclude: set[int] | None = None
) -> list[QuestionView]:
    async with get_session() as session:
        pool = select(Question.id)
        if category:
            pool = pool.where(Question.category == category)
        ids = [i for i in await session.scalars(pool) if not exclude or i not in exclude]
        chosen = random.sample(ids, min(count, len(ids)))
        rows = (
            (await session.scalars(select(Question).where(Question.id.in_(chosen)))).all()
            if chosen
            else []
        )
    by_id = {row.id: _view(row) for row in rows}
    return [by_id[i] for i in chosen if i in by_id]


async def wrong_book(user_id: str, limit: int = 50) -> list[tuple[QuestionView, datetime]]:
    """The member's wrong answers, newest first."""
    async with get_session() as session:
        rows = (
            await session.execute(
                select(Question, WrongAnswer.wrong_at)
                .join(WrongAnswer, WrongAnswer.question_id == Question.id)
                .where(WrongAnswer.user_id == user_id)
                .order_by(WrongAnswer.wrong_at.desc(), Question.id.desc())
                .limit(limit)
            )
        ).all()
    return [(_view(question), wrong_at) for question, wrong_at in rows]


async def wrong_count(user_id: str) -> int:
    async with get_session() as session:
        return int(
            await session.scalar(select(func.count()).where(WrongAnswer.user_id == user_id)) or 0
        )


async def save_challenge(
    group_id: str, user_id: str, run: int, at: datetime | None = None
) -> tuple[int, bool]:
    """Keep the member's best run; returns (best, whether this run set it)."""
    at = at or clock.now()
    table = ChallengeBest.__table__
    async with get_session() as session, session.begin():
        statement = dialect_insert(session, table).values(
            group_id=group_id, user_id=user_id, best=run, achieved_at=at
        )
        better = statement.excluded.best > table.c.best
        row = (
            await session.execute(
                statement.on_conflict_do_update(
                    index_elements=["group_id", "user_id"],
                    set_={
                        "best": case((better, statement.excluded.best), else_=table.c.best),
                        "achieved_at": case(
                            (better, statement.excluded.achieved_at), else_=table.c.achieved_at
                        ),
                    },
                ).returning(table.c.best, table.c.achieved_at)
            )
        ).one()
    return int(row.best), run > 0 and int(row.best) == run and row.achieved_at == at


async def challenge_board(group_id: str, limit: int = 10) -> list[tuple[str, int]]:
    async with get_session() as session:
        rows = await session.execute(
            select(ChallengeBest.user_id, ChallengeBest.best)
            .where(ChallengeBest.group_id == group_id, ChallengeBest.best > 0)
            .order_by(ChallengeBest.best.desc(), ChallengeBest.achieved_at)
            .limit(limit)
        )
        return [(user_id, int(best)) for user_id, best in rows]


async def accuracy(scope: str, user_id: str) -> dict[str, tuple[int, int]]:
    """mode -> (right, answered) for a member in a group."""
    async with get_session() as session:
        rows = await session.execute(
            select(Attempt.mode, func.sum(case((Attempt.correct, 1), else_=0)), func.count())
            .where(Attempt.scope == scope, Attempt.user_id == user_id)
            .group_by(Attempt.mode)
        )
        return {mode: (int(right or 0), int(total)) for mode, right, total in rows}


# Push schedule -------------------------------------------------------------------------------


async def set_schedule(group_id: str, push_time: str, wanted: list[str]) -> None:
    """Push the group's daily question at `push_time` (HH:MM), from `wanted` categories only."""
    async with get_session() as session, session.begin():
        await upsert(
            session,
            DailySchedule.__table__,
            {
                "group_id": group_id,
                "push_time": push_time,
                "categories": wanted,
                "updated_at": clock.now(),
            },
            keys=("group_id",),
        )


async def clear_schedule(group_id: str) -> None:
    async with get_session() as session, session.begin():
        await session.execute(delete(DailySchedule).where(DailySchedule.group_id == group_id))


async def schedule_of(group_id: str) -> tuple[str, list[str]] | None:
    async with get_session() as session:
        row = await session.get(DailySchedule, group_id)
        return (row.push_time, list(row.categories or [])) if row else None
