"""Check-ins: once per member, group and local day; ranks in commit order; streaks; stats.

The database enforces the rules: (group, user, day) and (group, day, rank) are unique, and
the per-day counter row serialises concurrent check-ins of a group on every backend.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from nonebot_plugin_orm import get_session
from sqlalchemy import Executable, bindparam, func, insert, select, tuple_, update

from bot import clock
from bot.batch import GroupCommit
from bot.db import dialect_insert
from bot.members import remember_many
from bot.points import Award, Period, award, award_many, total, totals_of

from .models import CheckIn, DayCounter

SOURCE = "checkin"


@dataclass(frozen=True)
class Rules:
    base: int = 5
    streak_bonus: int = 1
    streak_bonus_cap: int = 5
    daily_cap: int = 20

    def points(self, streak: int) -> tuple[int, int]:
        """(base, bonus) for a check-in that makes a streak of `streak` days."""
        bonus = min(self.streak_bonus * (streak - 1), self.streak_bonus_cap)
        base = min(self.base, self.daily_cap)
        return base, max(0, min(bonus, self.daily_cap - base))


@dataclass(frozen=True)
class Outcome:
    created: bool
    """False when the member had already checked in today (nothing changed)."""
    rank: int
    streak: int
    base: int
    bonus: int
    total: int
    """The member's points in this group after the check-in."""


@dataclass(frozen=True, slots=True)
class _Request:
    group_id: str
    user_id: str
    note: str | None
    rules: Rules
    name: str | None
    at: datetime

    @property
    def key(self) -> tuple[str, str, date]:
        return self.group_id, self.user_id, clock.today(self.at)

    @property
    def reference(self) -> str:
        return f"{self.group_id}:{self.user_id}:{clock.today(self.at).isoformat()}"


async def check_in(
    group_id: str,
    user_id: str,
    note: str | None,
    rules: Rules,
    *,
    name: str | None = None,
    at: datetime | None = None,
) -> Outcome:
    """Check a member in (their display `name` is remembered with it).

    Committed before it returns. Check-ins arriving together share a transaction
    (`bot.batch.GroupCommit`); each still gets its own rank, streak and points.
    """
    return await _writer(_Request(group_id, user_id, note or None, rules, name, at or clock.now()))


async def _check_in_batch(requests: list[_Request]) -> list[Outcome]:
    """Write check-ins in one transaction with a fixed number of statements.

    The day counters of the groups involved are locked first (created when missing), in a
    fixed order so two processes cannot deadlock; while they are held, no other check-in of
    those groups and days can commit, so reading who already checked in and numbering the
    newcomers from the counters is exact. The unique constraints stay the final judge: a
    duplicate that slipped through fails the whole batch, which is then written one by one.
    """
    checkins, counters = CheckIn.__table__, DayCounter.__table__
    keys = [request.key for request in requests]
    first: dict[tuple[str, str, date], int] = {}
    for index, key in enumerate(keys):
        first.setdefault(key, index)
    days = sorted({(group_id, day) for group_id, _, day in keys})
    async with get_session() as session, session.begin():
        await remember_many(session, [(r.group_id, r.user_id, r.name) for r in requests])
        locked = dialect_insert(session, counters)
        # dialect_insert() is untyped (two dialects' inserts): name what the statement is, so
        # its rows are plain rows of any width.
        lock: Executable = locked.on_conflict_do_update(
            index_elements=["group_id", "day"], set_={"count": counters.c.count}
        ).returning(counters.c.group_id, counters.c.day, counters.c.count)
        counts = {
            (group_id, day): count
            for group_id, day, count in await session.execute(
                lock, [{"group_id": group_id, "day": day, "count": 0} for group_id, day in days]
            )
        }
        wanted = [*first, *((g, u, day - timedelta(days=1)) for g, u, day in first)]
        known = {
            (g, u, day): (rank, streak)
            for g, u, day, rank, streak in await session.execute(
                select(
                    checkins.c.group_id,
                    checkins.c.user_id,
                    checkins.c.day,
                    checkins.c.rank,
                    checkins.c.streak,
                ).where(tuple_(checkins.c.group_id, checkins.c.user_id, checkins.c.day).in_(wanted))
            )
        }
        rows: list[dict[str, object]] = []
        awards: list[Award] = []
        made: dict[tuple[str, str, date], tuple[int, int, int, int]] = {}
        for key, index in first.items():
            if key in known:
                continue
            request = requests[index]
            group_id, user_id, day = key
            counts[(group_id, day)] += 1
            rank = counts[(group_id, day)]
            streak = known.get((group_id, user_id, day - timedelta(days=1)), (0, 0))[1] + 1
            base, bonus = request.rules.points(streak)
            made[key] = (rank, streak, base, bonus)
            rows.append(
                {
                    "group_id": group_id,
                    "user_id": user_id,
                    "day": day,
                    "rank": rank,
                    "streak": streak,
                    "note": request.note,
                    "created_at": request.at,
                }
            )
            awards.append(
                Award(group_id, user_id, SOURCE, request.reference, base + bonus, at=request.at)
            )
        if rows:
            await session.execute(insert(checkins), rows)
            await session.execute(
                update(counters)
                .where(
                    counters.c.group_id == bindparam("counter_group"),
                    counters.c.day == bindparam("counter_day"),
                )
                .values(count=bindparam("counter_count")),
                [
                    {"counter_group": g, "counter_day": day, "counter_count": counts[(g, day)]}
                    for g, day in sorted({(g, day) for g, _, day in made})
                ],
            )
        granted = await award_many(session, awards)
        totals = {
            (a.group_id, a.user_id): g.total for a, g in zip(awards, granted, strict=True) if g
        }
        repeats = {(g, u) for g, u, _ in first if (g, u) not in totals}
        if repeats:
            totals |= await totals_of(session, sorted(repeats))
    outcomes: list[Outcome] = []
    for index, key in enumerate(keys):
        total_now = totals.get(key[:2], 0)
        if key in made and first[key] == index:
            rank, streak, base, bonus = made[key]
            outcomes.append(Outcome(True, rank, streak, base, bonus, total_now))
        else:
            rank, streak = known.get(key) or made[key][:2]
            outcomes.append(Outcome(False, rank, streak, 0, 0, total_now))
    return outcomes


class _AlreadyCheckedIn(Exception):
    pass


async def _check_in_one(request: _Request) -> Outcome:
    """One check-in in its own transaction (when a batch failed as a whole)."""
    group_id, user_id, day = request.key
    checkins, counters = CheckIn.__table__, DayCounter.__table__
    try:
        async with get_session() as session, session.begin():
            await remember_many(session, [(group_id, user_id, request.name)])
            counter = dialect_insert(session, counters).values(group_id=group_id, day=day, count=1)
            rank = await session.scalar(
                counter.on_conflict_do_update(
                    index_elements=["group_id", "day"], set_={"count": counters.c.count + 1}
                ).returning(counters.c.count)
            )
            yesterday = await session.scalar(
                select(checkins.c.streak).where(
                    checkins.c.group_id == group_id,
                    checkins.c.user_id == user_id,
                    checkins.c.day == day - timedelta(days=1),
                )
            )
            streak = (yesterday or 0) + 1
            inserted = await session.scalar(
                dialect_insert(session, checkins)
                .values(
                    group_id=group_id,
                    user_id=user_id,
                    day=day,
                    rank=rank,
                    streak=streak,
                    note=request.note,
                    created_at=request.at,
                )
                .on_conflict_do_nothing(index_elements=["group_id", "user_id", "day"])
                .returning(checkins.c.id)
            )
            if inserted is None:
                raise _AlreadyCheckedIn  # rolls back the counter too
            base, bonus = request.rules.points(streak)
            granted = await award(
                session,
                Award(group_id, user_id, SOURCE, request.reference, base + bonus, at=request.at),
            )
    except _AlreadyCheckedIn:
        return await _existing(group_id, user_id, day)
    total_now = granted.total if granted else await total(group_id, user_id, Period.ALL)
    return Outcome(True, int(rank or 0), streak, base, bonus, total_now)


_writer = GroupCommit("check-in", _check_in_batch, _check_in_one)


async def _existing(group_id: str, user_id: str, day: date) -> Outcome:
    async with get_session() as session:
        row = (
            await session.execute(
                select(CheckIn.rank, CheckIn.streak).where(
                    CheckIn.group_id == group_id, CheckIn.user_id == user_id, CheckIn.day == day
                )
            )
        ).one()
    return Outcome(False, row.rank, row.streak, 0, 0, await total(group_id, user_id, Period.ALL))


@dataclass(frozen=True)
class Streaks:
    current: int
    """Days in a row up to today, or up to yesterday when today is still open."""
    longest: int
    days: int
    """Check-ins in this group in all."""
    today: bool


async def streaks(group_id: str, user_id: str, day: date | None = None) -> Streaks:
    day = day or clock.today()
    async with get_session() as session:
        recent = dict(
            (
                await session.execute(
                    select(CheckIn.day, CheckIn.streak).where(
                        CheckIn.group_id == group_id,
                        CheckIn.user_id == user_id,
                        CheckIn.day >= day - timedelta(days=1),
                        CheckIn.day <= day,
                    )
                )
            ).all()
        )
        longest, days = (
            await session.execute(
                select(func.coalesce(func.max(CheckIn.streak), 0), func.count()).where(
                    CheckIn.group_id == group_id, CheckIn.user_id == user_id
                )
            )
        ).one()
    current = recent.get(day) or recent.get(day - timedelta(days=1)) or 0
    return Streaks(current, int(longest), int(days), day in recent)


async def checked_in(group_id: str, start: date, end: date) -> dict[str, int]:
    """user_id -> number of check-ins from `start` to `end` (inclusive)."""
    async with get_session() as session:
        rows = await session.execute(
            select(CheckIn.user_id, func.count())
            .where(CheckIn.group_id == group_id, CheckIn.day >= start, CheckIn.day <= end)
            .group_by(CheckIn.user_id)
        )
        return {user_id: int(count) for user_id, count in rows}
