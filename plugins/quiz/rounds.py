"""The practice-round state machine: 答题, 挑战答题 and 错题练习.

A round starts with its first question; each bare reply is judged and stored (attempts, 错题本,
points) and answered with feedback and the next question. A round ends on a stop word, after
its last question, at a challenge's first question not answered right, or when idle for
`quiz_practice_timeout_minutes` (the closing note is then pushed). The running rounds
themselves are kept in sessions.py.
"""

from __future__ import annotations

import time

from bot import clock
from bot.outbox import send_to_group, send_to_user

from . import config, messages, service, sessions
from .answers import NotAnAnswer, judge

CHALLENGE_BATCH = 30
"""Questions a challenge fetches at a time (it fetches more when they run out)."""


def key(chat_kind: str, chat_id: str, user_id: str) -> sessions.Key:
    return (chat_kind, chat_id, user_id)


def _scope(chat_kind: str, chat_id: str) -> str:
    return chat_id if chat_kind == "group" else service.PRIVATE_SCOPE


async def start(
    chat_kind: str,
    chat_id: str,
    user_id: str,
    mode: sessions.Mode,
    questions: list[service.QuestionView],
    total: int | None,
) -> str:
    """Begin a round; the text of its first question."""
    round_ = sessions.Round(
        key=key(chat_kind, chat_id, user_id),
        mode=mode,
        scope=_scope(chat_kind, chat_id),
        questions=questions,
        total=total,
    )
    sessions.start(round_, config.quiz_practice_timeout_minutes * 60, _timed_out)
    return messages.practice_question(round_.current, 1, total, mode)


def busy(chat_kind: str, chat_id: str, user_id: str) -> str | None:
    """The reminder for a member who is in a round already; None when they are not."""
    round_ = sessions.get(key(chat_kind, chat_id, user_id))
    if round_ is None:
        return None
    question = messages.practice_question(round_.current, round_.number, round_.total, round_.mode)
    return messages.busy(question)


async def answer(round_: sessions.Round, user_id: str, text: str) -> str:
    """One reply in a round (under the round's lock); the text to send back."""
    round_.last_active = time.monotonic()
    if text in messages.STOP_WORDS:
        sessions.stop(round_.key)
        return await _closing(round_)
    question = round_.current
    if text in messages.SKIP_WORDS:
        skipped = messages.skipped(question)
        if (
            round_.mode == "challenge"
        ):  # a challenge runs until the first question not answered right
            sessions.stop(round_.key)
            return f"{skipped}\n{await _closing(round_)}"
        return await _advance(round_, skipped)
    try:
        judged = judge(question.kind, question.options, question.answer, text)
    except NotAnAnswer as e:
        return messages.not_a_round_answer(str(e))
    round_.answered += 1
    round_.right += judged.correct
    now = clock.now()
    round_.points += await service.record_practice(
        round_.scope,
        user_id,
        question.id,
        round_.mode,
        judged.correct,
        points=config.quiz_practice_points,
        daily_cap=config.quiz_practice_daily_cap,
        reference=f"{round_.mode}:{user_id}:{question.id}:{now.isoformat()}",
        at=now,
    )
    feedback = messages.feedback(question, judged.correct, judged.answer)
    if round_.mode == "challenge" and not judged.correct:
        sessions.stop(round_.key)
        return f"{feedback}\n{await _closing(round_)}"
    return await _advance(round_, feedback)


async def _advance(round_: sessions.Round, feedback: str) -> str:
    round_.index += 1
    if round_.mode == "challenge" and round_.index >= len(round_.questions):
        seen = {question.id for question in round_.questions}
        round_.questions += await service.practice_questions(CHALLENGE_BATCH, None, exclude=seen)
    if round_.index >= len(round_.questions):
        sessions.stop(round_.key)
        return f"{feedback}\n{await _closing(round_)}"
    following = messages.practice_question(round_.current, round_.number, round_.total, round_.mode)
    return f"{feedback}\n\n{following}"


async def _closing(round_: sessions.Round, *, timed_out: bool = False) -> str:
    if round_.mode == "challenge":
        run = round_.right
        if round_.scope == service.PRIVATE_SCOPE:
            return messages.challenge_over(run, run, False, timed_out=timed_out)
        best, new_best = await service.save_challenge(round_.scope, round_.key[2], run)
        return messages.challenge_over(run, best, new_best, timed_out=timed_out)
    return messages.summary(round_.right, round_.answered, round_.points, timed_out=timed_out)


async def _timed_out(round_: sessions.Round) -> None:
    kind, chat_id, _user = round_.key
    text = await _closing(round_, timed_out=True)
    if kind == "group":
        await send_to_group(chat_id, text)
    else:
        await send_to_user(chat_id, text)
