"""Check-ins: once per member, group and local day; ranks in commit order; streaks; stats.

The database enforces the rules: (group, user, day) and (group, day, rank) are unique, and
the per-day counter row serialises concurrent check-ins of a group on every backend.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from nonebot_plugin_orm import get_session
from sqlalchemy import func, select

from bot import clock
from bot.db import dialect_insert
from bot.members import remember
from bot.points import Award, Period, award, total

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


class _AlreadyCheckedIn(Exception):
    pass


async def check_in(
    group_id: str,
    user_id: str,
    note: str | None,
    rules: Rules,
    *,
    name: str | None = None,
    at: datetime | None = None,
) -> Outcome:
    """Check a member in, in one transaction (their display `name` is remembered with it)."""
    at = at or clock.now()
    day = clock.today(at)
    checkins, counters = CheckIn.__table__, DayCounter.__table__
    try:
        async with get_session() as session, session.begin():
            await remember(group_id, user_id, name, session=session)
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
                    note=note or None,
                    created_at=at,
                )
                .on_conflict_do_nothing(index_elements=["group_id", "user_id", "day"])
                .returning(checkins.c.id)
            )
            if inserted is None:
                raise _AlreadyCheckedIn  # rolls back the counter too
            base, bonus = rules.points(streak)
            reference = f"{group_id}:{user_id}:{day.isoformat()}"
            granted = await award(
                session, Award(group_id, user_id, SOURCE, reference, base + bonus), at=at
            )
    except _AlreadyCheckedIn:
        return await _existing(group_id, user_id, day)
    total_now = granted.total if granted else await total(group_id, user_id, Period.ALL)
    return Outcome(True, int(rank or 0), streak, base, bonus, total_now)


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
