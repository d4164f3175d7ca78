"""Firings in the database: which are due, who claims them, how their sends went.

The database says what is due. A firing is claimed by inserting its (reminder, fire time)
row — unique — in the same transaction that moves the reminder on, so whichever process
inserts it sends it and no other can. A claim carries a lease: the sending process renews it
while the message waits in the outbox; when a process dies between claim and send, the lease
runs out and another pass takes the claim over with a conditional UPDATE (one winner) and
sends it, still within the grace period.

Plain values in and out; no Bot, no Event. Every function opens its own session.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from nonebot_plugin_orm import get_session
from sqlalchemy import ColumnElement, Row, and_, bindparam, or_, select, true, update

from bot.db import dialect_insert, rowcount
from bot.when import Schedule

from .catch_up import catch_up
from .models import (
    ACTIVE,
    CANCELLED,
    CLAIMED,
    DONE,
    FAILED,
    MISSED,
    PAUSED,
    SENT,
    SKIPPED,
    Firing,
    Reminder,
)

LATE_AFTER = timedelta(seconds=60)
"""A firing sent more than this after its time is marked late."""
MAX_MISSED_ROWS = 50
"""At most this many missed occurrences of one reminder are recorded (the most recent)."""
SUMMARY_PAGE = 5000
"""Misses read per query when summarising."""
SUMMARY_MAX_AGE = timedelta(hours=24)
"""Misses recorded longer ago than this (no bot could reach the chat since) are no longer
summarised (still recorded)."""

AnyRow = Row[*tuple[Any, ...]]
"""A result row of any columns."""

_R = Reminder.__table__
_F = Firing.__table__

ChatKey = tuple[str, str]
"""(chat_kind, chat_id)."""


def _reaching(reach: set[ChatKey] | None) -> ColumnElement[bool]:
    """Reminders of the chats in `reach` (None: every chat)."""
    if reach is None:
        return true()
    groups = sorted(chat for kind, chat in reach if kind == "group")
    users = sorted(chat for kind, chat in reach if kind == "private")
    return or_(
        and_(_R.c.chat_kind == "group", _R.c.chat_id.in_(groups)),
        and_(_R.c.chat_kind == "private", _R.c.chat_id.in_(users)),
    )


@dataclass(frozen=True)
class Claim:
    """A firing this process has claimed and must send."""

    firing_id: int
    reminder_id: int
    chat_kind: str
    chat_id: str
    bot_id: str
    number: int
    content: str
    mention_all: bool
    spec: str
    fire_at: datetime
    attempt: int
    creator_id: str = ""
    receipt: bool = False
    """Ask for a receipt (make the firing's receipt subject before sending)."""

    @property
    def schedule(self) -> Schedule:
        return Schedule.from_spec(self.spec)

    def late(self, now: datetime) -> bool:
        return now - self.fire_at > LATE_AFTER


_CLAIM_COLUMNS = (
    _R.c.id,
    _R.c.chat_kind,
    _R.c.chat_id,
    _R.c.bot_id,
    _R.c.number,
    _R.c.content,
    _R.c.mention_all,
    _R.c.spec,
    _R.c.creator_id,
    _R.c.receipt,
)


@dataclass(frozen=True)
class Pass:
    claims: list[Claim]
    missed: int
    """Firings recorded as missed (past the grace period) in this pass."""
    more: bool
    """The batch was full: call again."""


async def claim_due(
    now: datetime,
    *,
    grace: timedelta,
    lease: timedelta,
    owner: str,
    reach: set[ChatKey] | None = None,
    limit: int = 500,
) -> Pass:
    """Claim the due firings of up to `limit` reminders and move those reminders on.

    For each due reminder, every occurrence up to `now` is handled: the latest is claimed
    for sending when it is at most `grace` old; the others are recorded as missed. Only the
    rows this call inserted are returned: a firing another process claimed is not ours.

    `reach`: the chats this process can send to now (None: all). A reminder of another chat
    is left for a process that can reach it; once its time is past the grace period, any
    process records it as missed.
    """
    async with get_session() as session, session.begin():
        rows = (
            await session.execute(
                select(*_CLAIM_COLUMNS, _R.c.next_fire_at)
                .where(
                    _R.c.next_fire_at <= now,
                    _R.c.state == ACTIVE,
                    or_(_reaching(reach), _R.c.next_fire_at < now - grace),
                )
                .order_by(_R.c.next_fire_at)
                .limit(limit)
            )
        ).all()
        if not rows:
            return Pass([], 0, False)
        firings: list[dict[str, object]] = []
        moves: list[dict[str, object]] = []
        by_id: dict[int, AnyRow] = {}
        for row in rows:
            by_id[row.id] = row
            reachable = reach is None or (row.chat_kind, row.chat_id) in reach
            plan = catch_up(
                Schedule.from_spec(row.spec), row.next_fire_at, now, grace, reachable=reachable
            )
            for fire_at in plan.missed[-MAX_MISSED_ROWS:]:
                firings.append(_firing(row.id, fire_at, MISSED, now))
            if plan.send is not None:
                claim = _firing(row.id, plan.send, CLAIMED, now)
                claim |= {"claimed_by": owner, "lease_until": now + lease, "attempts": 1}
                firings.append(claim)
            moves.append(
                {
                    "b_id": row.id,
                    "b_old": row.next_fire_at,
                    "b_next": plan.following,
                    "b_state": ACTIVE if plan.following is not None else DONE,
                    "b_now": now,
                }
            )
        inserted = (
            (
                await session.execute(
                    dialect_insert(session, _F)
                    .on_conflict_do_nothing(index_elements=["reminder_id", "fire_at"])
                    .returning(_F.c.id, _F.c.reminder_id, _F.c.fire_at, _F.c.status),
                    firings,
                )
            ).all()
            if firings
            else []
        )
        await session.execute(
            update(_R)
            .where(_R.c.id == bindparam("b_id"), _R.c.next_fire_at == bindparam("b_old"))
            .values(
                next_fire_at=bindparam("b_next"),
                state=bindparam("b_state"),
                updated_at=bindparam("b_now"),
            ),
            moves,
        )
    claims = [
        _claim(by_id[row.reminder_id], row.id, row.fire_at, 1)
        for row in inserted
        if row.status == CLAIMED
    ]
    missed_count = sum(1 for row in inserted if row.status == MISSED)
    return Pass(claims, missed_count, len(rows) >= limit)


def _firing(reminder_id: int, fire_at: datetime, status: str, now: datetime) -> dict[str, object]:
    return {
        "reminder_id": reminder_id,
        "fire_at": fire_at,
        "status": status,
        "late": False,
        "attempts": 0,
        "claimed_by": None,
        "lease_until": None,
        "error": None,
        "told": False,
        "created_at": now,
        "sent_at": None,
    }


def _claim(row: AnyRow, firing_id: int, fire_at: datetime, attempt: int) -> Claim:
    return Claim(
        firing_id=firing_id,
        reminder_id=row.id,
        chat_kind=row.chat_kind,
        chat_id=row.chat_id,
        bot_id=row.bot_id,
        number=row.number,
        content=row.content,
        mention_all=bool(row.mention_all),
        spec=row.spec,
        fire_at=fire_at,
        attempt=attempt,
        creator_id=row.creator_id,
        receipt=bool(row.receipt),
    )


async def chats_with_work(now: datetime, *, eager: bool = False) -> set[tuple[str, str, str]]:
    """(kind, chat_id, bot_id) of every chat with a due reminder or a claim to take over."""
    stale = _F.c.lease_until < now
    if eager:
        stale = or_(stale, _F.c.error.is_not(None))
    async with get_session() as session:
        due = await session.execute(
            select(_R.c.chat_kind, _R.c.chat_id, _R.c.bot_id)
            .where(_R.c.next_fire_at <= now, _R.c.state == ACTIVE)
            .distinct()
        )
        chats = {(row.chat_kind, row.chat_id, row.bot_id) for row in due}
        claimed = await session.execute(
            select(_R.c.chat_kind, _R.c.chat_id, _R.c.bot_id)
            .select_from(_F)
            .join(_R, _R.c.id == _F.c.reminder_id)
            .where(_F.c.status == CLAIMED, stale)
            .distinct()
        )
        chats |= {(row.chat_kind, row.chat_id, row.bot_id) for row in claimed}
    return chats


@dataclass(frozen=True)
class TakeOver:
    claims: list[Claim]
    missed: int
    skipped: int


async def take_over(
    now: datetime,
    *,
    grace: timedelta,
    lease: timedelta,
    owner: str,
    eager: bool = False,
    reach: set[ChatKey] | None = None,
    limit: int = 500,
) -> TakeOver:
    """Claims whose lease ran out (their process died) or whose send failed and is due a
    retry: resent within the grace period, else recorded as missed.

    `eager` also takes failed ones before their retry time (a bot just connected); `reach`
    as in `claim_due`. Each is taken with a conditional UPDATE: of two processes one wins.
    """
    stale = _F.c.lease_until < now
    if eager:
        stale = or_(stale, _F.c.error.is_not(None))
    takeable = and_(_F.c.status == CLAIMED, stale)
    claims: list[Claim] = []
    missed = skipped = 0
    async with get_session() as session, session.begin():
        rows = (
            await session.execute(
                select(
                    *_CLAIM_COLUMNS,
                    _R.c.state,
                    _F.c.id.label("firing_id"),
                    _F.c.fire_at,
                    _F.c.attempts,
                )
                .select_from(_F)
                .join(_R, _R.c.id == _F.c.reminder_id)
                .where(takeable, or_(_reaching(reach), _F.c.fire_at < now - grace))
                .order_by(_F.c.fire_at)
                .limit(limit)
            )
        ).all()
        for row in rows:
            target = update(_F).where(_F.c.id == row.firing_id, takeable)
            if row.state in (PAUSED, CANCELLED):
                skipped += await rowcount(
                    session,
                    target.values(status=SKIPPED, lease_until=None, error=f"reminder {row.state}"),
                )
            elif now - row.fire_at > grace:
                missed += await rowcount(
                    session, target.values(status=MISSED, lease_until=None, told=False)
                )
            else:
                taken = await rowcount(
                    session,
                    target.values(
                        claimed_by=owner,
                        lease_until=now + lease,
                        attempts=_F.c.attempts + 1,
                        error=None,
                    ),
                )
                if taken == 1:
                    claims.append(_claim(row, row.firing_id, row.fire_at, row.attempts + 1))
    return TakeOver(claims, missed, skipped)


async def renew(firing_ids: Iterable[int], now: datetime, *, lease: timedelta, owner: str) -> int:
    """Extend this process's leases on claims still waiting to be sent."""
    ids = list(firing_ids)
    if not ids:
        return 0
    renewed = 0
    async with get_session() as session, session.begin():
        for start in range(0, len(ids), 500):
            renewed += await rowcount(
                session,
                update(_F)
                .where(
                    _F.c.id.in_(ids[start : start + 500]),
                    _F.c.status == CLAIMED,
                    _F.c.claimed_by == owner,
                    _F.c.error.is_(None),
                )
                .values(lease_until=now + lease),
            )
    return renewed


@dataclass(frozen=True)
class Outcome:
    firing_id: int
    status: str
    """sent, skipped or failed (failed: retried after `retry` while in the grace period)."""
    at: datetime
    late: bool = False
    error: str | None = None


async def record(
    outcomes: Sequence[Outcome], *, retry: timedelta, owner: str, max_attempts: int = 20
) -> None:
    """Store how sends went, in one transaction."""
    sent = [
        {"b_id": o.firing_id, "b_at": o.at, "b_late": o.late} for o in outcomes if o.status == SENT
    ]
    skipped = [
        {"b_id": o.firing_id, "b_error": (o.error or "")[:200]}
        for o in outcomes
        if o.status == SKIPPED
    ]
    failed = [
        {"b_id": o.firing_id, "b_error": (o.error or "send failed")[:200], "b_retry": o.at + retry}
        for o in outcomes
        if o.status == FAILED
    ]
    claimed = and_(_F.c.id == bindparam("b_id"), _F.c.status == CLAIMED)
    async with get_session() as session, session.begin():
        if sent:
            await session.execute(
                update(_F)
                .where(claimed)
                .values(
                    status=SENT,
                    sent_at=bindparam("b_at"),
                    late=bindparam("b_late"),
                    lease_until=None,
                    error=None,
                ),
                sent,
            )
        if skipped:
            await session.execute(
                update(_F)
                .where(claimed)
                .values(status=SKIPPED, lease_until=None, error=bindparam("b_error")),
                skipped,
            )
        if failed:
            await session.execute(
                update(_F)
                .where(claimed, _F.c.claimed_by == owner)
                .values(error=bindparam("b_error"), lease_until=bindparam("b_retry")),
                failed,
            )
            # A firing that keeps failing (the bot left the group) stops being retried.
            await session.execute(
                update(_F)
                .where(
                    _F.c.status == CLAIMED, _F.c.attempts >= max_attempts, _F.c.error.is_not(None)
                )
                .values(status=FAILED, lease_until=None)
            )


@dataclass(frozen=True)
class Miss:
    firing_id: int
    bot_id: str
    number: int
    content: str
    fire_at: datetime


async def untold_misses(now: datetime) -> dict[tuple[str, str], list[Miss]]:
    """Missed firings not yet summarised, by chat (those recorded over a day ago are dropped)."""
    async with get_session() as session, session.begin():
        await session.execute(
            update(_F)
            .where(
                _F.c.status == MISSED,
                _F.c.told.is_(False),
                _F.c.created_at < now - SUMMARY_MAX_AGE,
            )
            .values(told=True)
        )
        rows = (
            await session.execute(
                select(
                    _R.c.chat_kind,
                    _R.c.chat_id,
                    _R.c.bot_id,
                    _R.c.number,
                    _R.c.content,
                    _F.c.id,
                    _F.c.fire_at,
                )
                .select_from(_F)
                .join(_R, _R.c.id == _F.c.reminder_id)
                .where(_F.c.status == MISSED, _F.c.told.is_(False))
                .order_by(_F.c.fire_at)
                .limit(SUMMARY_PAGE)
            )
        ).all()
    chats: dict[tuple[str, str], list[Miss]] = defaultdict(list)
    for row in rows:
        chats[(row.chat_kind, row.chat_id)].append(
            Miss(row.id, row.bot_id, row.number, row.content, row.fire_at)
        )
    return dict(chats)


async def tell(firing_ids: Sequence[int], told: bool = True) -> set[int]:
    """Mark misses as summarised (conditionally: each is told by one process only); returns
    the ids this call changed. `told=False` undoes it after a failed send."""
    ids = list(firing_ids)
    changed: set[int] = set()
    if not ids:
        return changed
    async with get_session() as session, session.begin():
        for start in range(0, len(ids), 500):
            rows = await session.execute(
                update(_F)
                .where(
                    _F.c.id.in_(ids[start : start + 500]),
                    _F.c.status == MISSED,
                    _F.c.told.is_(not told),
                )
                .values(told=told)
                .returning(_F.c.id)
            )
            changed |= {row.id for row in rows}
    return changed
