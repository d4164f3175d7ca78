"""Award points and read totals; the only place that knows how points are summed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from nonebot_plugin_orm import get_session
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import clock
from bot.db import dialect_insert

from .models import PointEntry, PointTotal


class Period(StrEnum):
    DAY = "今日"
    WEEK = "本周"
    MONTH = "本月"
    ALL = "总"

    def key(self, day: date) -> str:
        match self:
            case Period.DAY:
                return f"d{day.isoformat()}"
            case Period.WEEK:
                return f"w{clock.week_start(day).isoformat()}"
            case Period.MONTH:
                return f"m{day:%Y-%m}"
            case Period.ALL:
                return "all"


@dataclass(frozen=True, slots=True)
class Award:
    group_id: str
    user_id: str
    source: str
    reference: str
    amount: int
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Standing:
    user_id: str
    amount: int
    rank: int
    """Competition ranking: equal amounts share a rank (1, 2, 2, 4)."""


@dataclass(frozen=True, slots=True)
class Granted:
    amount: int
    """Points granted: less than asked when the daily cap is reached, possibly 0."""
    total: int
    """The member's points in the group, all time, after this award."""


async def award(
    session: AsyncSession, item: Award, *, at: datetime | None = None, daily_cap: int | None = None
) -> Granted | None:
    """Record an award in the caller's transaction.

    `daily_cap` limits the points of one source per member and local day. Returns None when
    (source, reference) was recorded before, in which case nothing changes.
    """
    at = at or clock.now()
    day = clock.today(at)
    amount = item.amount
    entries, totals = PointEntry.__table__, PointTotal.__table__
    if daily_cap is not None and amount > 0:
        so_far = await session.scalar(
            select(func.coalesce(func.sum(entries.c.amount), 0)).where(
                entries.c.group_id == item.group_id,
                entries.c.user_id == item.user_id,
                entries.c.day == day,
                entries.c.source == item.source,
            )
        )
        amount = max(0, min(amount, daily_cap - int(so_far or 0)))
    inserted = await session.scalar(
        dialect_insert(session, entries)
        .values(
            group_id=item.group_id,
            user_id=item.user_id,
            source=item.source,
            reference=item.reference,
            amount=amount,
            reason=item.reason,
            created_at=at,
            day=day,
        )
        .on_conflict_do_nothing(index_elements=["source", "reference"])
        .returning(entries.c.id)
    )
    if inserted is None:
        return None
    if not amount:
        current = await session.scalar(
            select(totals.c.amount).where(
                totals.c.group_id == item.group_id,
                totals.c.period == Period.ALL.key(day),
                totals.c.user_id == item.user_id,
            )
        )
        return Granted(0, current or 0)
    rows = [
        {"group_id": item.group_id, "user_id": item.user_id, "period": p.key(day), "amount": amount}
        for p in Period
    ]
    statement = dialect_insert(session, totals).values(rows)
    updated = await session.execute(
        statement.on_conflict_do_update(
            index_elements=["group_id", "period", "user_id"],
            set_={"amount": totals.c.amount + statement.excluded.amount},
        ).returning(totals.c.period, totals.c.amount)
    )
    by_period = dict(updated.all())
    return Granted(amount, by_period[Period.ALL.key(day)])


async def leaderboard(
    group_id: str, period: Period, *, day: date | None = None, limit: int = 10
) -> list[Standing]:
    """The top of a group's board for the period containing `day` (default today)."""
    key = period.key(day or clock.today())
    async with get_session() as session:
        rows = await session.execute(
            select(PointTotal.user_id, PointTotal.amount)
            .where(PointTotal.group_id == group_id, PointTotal.period == key)
            .order_by(PointTotal.amount.desc(), PointTotal.user_id)
            .limit(limit)
        )
        board: list[Standing] = []
        for position, (user_id, amount) in enumerate(rows, 1):
            rank = board[-1].rank if board and board[-1].amount == amount else position
            board.append(Standing(user_id, amount, rank))
    return board


async def standing(
    group_id: str, user_id: str, period: Period, *, day: date | None = None
) -> Standing | None:
    """A member's amount and rank in the period, or None without points in it."""
    key = period.key(day or clock.today())
    async with get_session() as session:
        amount = await session.scalar(
            select(PointTotal.amount).where(
                PointTotal.group_id == group_id,
                PointTotal.period == key,
                PointTotal.user_id == user_id,
            )
        )
        if amount is None:
            return None
        ahead = await session.scalar(
            select(func.count()).where(
                PointTotal.group_id == group_id,
                PointTotal.period == key,
                PointTotal.amount > amount,
            )
        )
    return Standing(user_id, amount, int(ahead or 0) + 1)


async def total(
    group_id: str, user_id: str, period: Period = Period.ALL, *, day: date | None = None
) -> int:
    """A member's points in the period containing `day` (default today); 0 without any."""
    key = period.key(day or clock.today())
    async with get_session() as session:
        amount = await session.scalar(
            select(PointTotal.amount).where(
                PointTotal.group_id == group_id,
                PointTotal.period == key,
                PointTotal.user_id == user_id,
            )
        )
    return amount or 0
