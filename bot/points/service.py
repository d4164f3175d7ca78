"""Award points and read totals; the only place that knows how points are summed."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum

from nonebot_plugin_orm import get_session
from sqlalchemy import func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from bot import clock
from bot.db import dialect_insert

from .models import PointEntry, PointTotal

ALL_TIME = "all"
"""The period key of all-time totals."""


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
                return ALL_TIME


@dataclass(frozen=True, slots=True)
class Award:
    group_id: str
    user_id: str
    source: str
    reference: str
    amount: int
    reason: str | None = None
    at: datetime | None = None
    """When it was earned (its local day decides the periods); default: the call's time."""


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
    at = item.at or at or clock.now()
    amount = item.amount
    if daily_cap is not None and amount > 0:
        entries = PointEntry.__table__
        so_far = await session.scalar(
            select(func.coalesce(func.sum(entries.c.amount), 0)).where(
                entries.c.group_id == item.group_id,
                entries.c.user_id == item.user_id,
                entries.c.day == clock.today(at),
                entries.c.source == item.source,
            )
        )
        amount = max(0, min(amount, daily_cap - int(so_far or 0)))
    return (await award_many(session, [replace(item, amount=amount, at=at)]))[0]


async def award_many(
    session: AsyncSession, items: Sequence[Award], *, at: datetime | None = None
) -> list[Granted | None]:
    """Record several awards in the caller's transaction, with at most three statements
    whatever their number (no daily caps here: the caller has applied its own).

    Returns, per item, what was granted, or None when its (source, reference) was recorded
    before (that item changes nothing).
    """
    if not items:
        return []
    at = at or clock.now()
    entries, totals = PointEntry.__table__, PointTotal.__table__
    rows = [
        {
            "group_id": item.group_id,
            "user_id": item.user_id,
            "source": item.source,
            "reference": item.reference,
            "amount": item.amount,
            "reason": item.reason,
            "created_at": item.at or at,
            "day": clock.today(item.at or at),
        }
        for item in items
    ]
    recorded = await session.execute(
        dialect_insert(session, entries)
        .on_conflict_do_nothing(index_elements=["source", "reference"])
        .returning(entries.c.source, entries.c.reference),
        rows,
    )
    new = {(row.source, row.reference) for row in recorded}
    # The first item of a (source, reference) new to the ledger counts; a repeat within the
    # call is answered like a retry.
    counted: list[bool] = []
    for item in items:
        key = (item.source, item.reference)
        counted.append(key in new)
        new.discard(key)
    # One row per member and period, whatever the number of awards to that member.
    sums: dict[tuple[str, str, str], int] = defaultdict(int)
    for item, row, counts in zip(items, rows, counted, strict=True):
        if counts and item.amount:
            for period in Period:
                sums[(item.group_id, period.key(row["day"]), item.user_id)] += item.amount
    after: dict[tuple[str, str, str], int] = {}
    if sums:
        statement = dialect_insert(session, totals)
        updated = await session.execute(
            statement.on_conflict_do_update(
                index_elements=["group_id", "period", "user_id"],
                set_={"amount": totals.c.amount + statement.excluded.amount},
            ).returning(totals.c.group_id, totals.c.period, totals.c.user_id, totals.c.amount),
            [
                {"group_id": group_id, "period": period, "user_id": user_id, "amount": amount}
                for (group_id, period, user_id), amount in sorted(sums.items())
            ],
        )
        after = {(row.group_id, row.period, row.user_id): row.amount for row in updated}
    unchanged = [
        (item.group_id, item.user_id)
        for item in items
        if (item.group_id, ALL_TIME, item.user_id) not in after
    ]
    if unchanged:
        after |= {
            (g, ALL_TIME, u): amount
            for (g, u), amount in (await totals_of(session, unchanged)).items()
        }
    return [
        Granted(item.amount, after.get((item.group_id, ALL_TIME, item.user_id), 0))
        if counts
        else None
        for item, counts in zip(items, counted, strict=True)
    ]


async def totals_of(
    session: AsyncSession, members: Sequence[tuple[str, str]]
) -> dict[tuple[str, str], int]:
    """All-time points of these (group, user) members, in the caller's transaction."""
    totals = PointTotal.__table__
    rows = await session.execute(
        select(totals.c.group_id, totals.c.user_id, totals.c.amount).where(
            totals.c.period == ALL_TIME,
            tuple_(totals.c.group_id, totals.c.user_id).in_(sorted(set(members))),
        )
    )
    return {(g, u): amount for g, u, amount in rows}


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
