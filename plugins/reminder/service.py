"""Reminders in the database: what each chat has, and which firings are due.

The database says what is due. Each active reminder stores its schedule (`spec`) and its
next firing (`next_fire_at`, indexed), so a pass is one range query. A firing is claimed by
inserting its (reminder, fire time) row — unique — in the same transaction that moves the
reminder on, so whichever process inserts it sends it and no other can. A claim carries a
lease: the sending process renews it while the message waits in the outbox; when a process
dies between claim and send, the lease runs out and another pass takes the claim over with a
conditional UPDATE (one winner) and sends it, still within the grace period.

Plain values in and out; no Bot, no Event. Every function opens its own session.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from nonebot_plugin_orm import get_session
from sqlalchemy import ColumnElement, and_, bindparam, func, or_, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot import clock
from bot.db import dialect_insert

from .models import ChatCounter, Firing, Reminder
from .schedule import Schedule
from .templates import Standard

ACTIVE, PAUSED, DONE, CANCELLED = "active", "paused", "done", "cancelled"
CLAIMED, SENT, MISSED, SKIPPED, FAILED = "claimed", "sent", "missed", "skipped", "failed"

LATE_AFTER = timedelta(seconds=60)
"""A firing sent more than this after its time is marked late."""
MAX_CATCH_UP = 1000
"""At most this many missed occurrences of one reminder are walked through in one pass."""
MAX_MISSED_ROWS = 50
"""At most this many of them are recorded (the most recent)."""
SUMMARY_PAGE = 5000
"""Misses read per query when summarising."""
SUMMARY_MAX_AGE = timedelta(hours=24)
"""Misses recorded longer ago than this (no bot could reach the chat since) are no longer
summarised (still recorded)."""

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
class View:
    """A reminder as people see it."""

    id: int
    chat_kind: str
    chat_id: str
    number: int
    schedule: Schedule
    content: str
    mention_all: bool
    state: str
    next_fire_at: datetime | None
    template: str | None


def _view(row: object) -> View:
    return View(
        id=row.id,  # type: ignore[attr-defined]
        chat_kind=row.chat_kind,  # type: ignore[attr-defined]
        chat_id=row.chat_id,  # type: ignore[attr-defined]
        number=row.number,  # type: ignore[attr-defined]
        schedule=Schedule.from_spec(row.spec),  # type: ignore[attr-defined]
        content=row.content,  # type: ignore[attr-defined]
        mention_all=bool(row.mention_all),  # type: ignore[attr-defined]
        state=row.state,  # type: ignore[attr-defined]
        next_fire_at=row.next_fire_at,  # type: ignore[attr-defined]
        template=row.template,  # type: ignore[attr-defined]
    )


_VIEW_COLUMNS = (
    _R.c.id,
    _R.c.chat_kind,
    _R.c.chat_id,
    _R.c.number,
    _R.c.spec,
    _R.c.content,
    _R.c.mention_all,
    _R.c.state,
    _R.c.next_fire_at,
    _R.c.template,
)


class LimitReached(Exception):
    def __init__(self, count: int, limit: int) -> None:
        super().__init__(f"{count} reminders, limit {limit}")
        self.count = count
        self.limit = limit


class Expired(Exception):
    """A paused one-off whose time has passed cannot be resumed."""

    def __init__(self, view: View) -> None:
        super().__init__(f"reminder {view.number} expired")
        self.view = view


# ------------------------------------------------------------------------------ a chat's


async def _numbers(session: AsyncSession, kind: str, chat_id: str, count: int) -> list[int]:
    """Take `count` new 编号 of a chat; the counter row serialises concurrent creations."""
    counters = ChatCounter.__table__
    last = await session.scalar(
        dialect_insert(session, counters)
        .values(chat_kind=kind, chat_id=chat_id, last_number=count)
        .on_conflict_do_update(
            index_elements=["chat_kind", "chat_id"],
            set_={"last_number": counters.c.last_number + count},
        )
        .returning(counters.c.last_number)
    )
    assert last is not None
    return list(range(last - count + 1, last + 1))


async def _live_count(session: AsyncSession, kind: str, chat_id: str) -> int:
    return int(
        await session.scalar(
            select(func.count()).where(
                _R.c.chat_kind == kind, _R.c.chat_id == chat_id, _R.c.state.in_((ACTIVE, PAUSED))
            )
        )
        or 0
    )


async def create(
    kind: str,
    chat_id: str,
    *,
    bot_id: str,
    creator_id: str,
    schedule: Schedule,
    content: str,
    mention_all: bool = False,
    limit: int,
    now: datetime | None = None,
) -> View:
    """Add a reminder; raises LimitReached when the chat has `limit` already."""
    now = now or clock.now()
    async with get_session() as session, session.begin():
        (number,) = await _numbers(session, kind, chat_id, 1)  # locks the chat's counter
        count = await _live_count(session, kind, chat_id)
        if count >= limit:
            raise LimitReached(count, limit)  # rolls the number back too
        values = _new_row(kind, chat_id, number, bot_id, creator_id, schedule, content, now)
        values["mention_all"] = mention_all
        new_id = await session.scalar(_R.insert().values(**values).returning(_R.c.id))
    return View(
        int(new_id or 0), kind, chat_id, number, schedule, content, mention_all, ACTIVE,
        values["next_fire_at"], None,
    )  # fmt: skip


def _new_row(
    kind: str,
    chat_id: str,
    number: int,
    bot_id: str,
    creator_id: str,
    schedule: Schedule,
    content: str,
    now: datetime,
) -> dict[str, object]:
    return {
        "chat_kind": kind,
        "chat_id": chat_id,
        "number": number,
        "bot_id": bot_id,
        "creator_id": creator_id,
        "kind": schedule.kind,
        "spec": schedule.to_spec(),
        "content": content,
        "mention_all": False,
        "state": ACTIVE,
        "next_fire_at": schedule.next_after(now),
        "template": None,
        "created_at": now,
        "updated_at": now,
    }


async def reminders(kind: str, chat_id: str) -> list[View]:
    """A chat's active and paused reminders, by number."""
    async with get_session() as session:
        rows = await session.execute(
            select(*_VIEW_COLUMNS)
            .where(
                _R.c.chat_kind == kind, _R.c.chat_id == chat_id, _R.c.state.in_((ACTIVE, PAUSED))
            )
            .order_by(_R.c.number)
        )
        return [_view(row) for row in rows]


async def count(kind: str, chat_id: str) -> tuple[int, int]:
    """(active, paused) reminders of a chat."""
    async with get_session() as session:
        rows = await session.execute(
            select(_R.c.state, func.count())
            .where(
                _R.c.chat_kind == kind, _R.c.chat_id == chat_id, _R.c.state.in_((ACTIVE, PAUSED))
            )
            .group_by(_R.c.state)
        )
        counts = {state: int(n) for state, n in rows}
    return counts.get(ACTIVE, 0), counts.get(PAUSED, 0)


async def find(kind: str, chat_id: str, number: int) -> View | None:
    """One reminder of a chat by 编号 (cancelled ones are gone)."""
    async with get_session() as session:
        row = (
            await session.execute(
                select(*_VIEW_COLUMNS).where(
                    _R.c.chat_kind == kind,
                    _R.c.chat_id == chat_id,
                    _R.c.number == number,
                    _R.c.state != CANCELLED,
                )
            )
        ).first()
    return _view(row) if row else None


async def _change(
    kind: str,
    chat_id: str,
    number: int,
    from_states: Sequence[str],
    values: dict[str, object],
) -> View | None:
    """Apply `values` to the reminder if it is in one of `from_states`; the row after."""
    async with get_session() as session, session.begin():
        row = (
            await session.execute(
                update(_R)
                .where(
                    _R.c.chat_kind == kind,
                    _R.c.chat_id == chat_id,
                    _R.c.number == number,
                    _R.c.state.in_(from_states),
                )
                .values(**values)
                .returning(*_VIEW_COLUMNS)
            )
        ).first()
    return _view(row) if row else None


async def cancel(kind: str, chat_id: str, number: int, now: datetime | None = None) -> View | None:
    """Cancel an active, paused or finished reminder; None when there is no such one."""
    return await _change(
        kind, chat_id, number, (ACTIVE, PAUSED, DONE),
        {"state": CANCELLED, "next_fire_at": None, "updated_at": now or clock.now()},
    )  # fmt: skip


async def pause(kind: str, chat_id: str, number: int, now: datetime | None = None) -> View | None:
    """Pause an active reminder; None when it is not active (see `find` for why)."""
    return await _change(
        kind, chat_id, number, (ACTIVE,),
        {"state": PAUSED, "next_fire_at": None, "updated_at": now or clock.now()},
    )  # fmt: skip


async def resume(kind: str, chat_id: str, number: int, now: datetime | None = None) -> View | None:
    """Resume a paused reminder from now on (what fell in the pause is not sent).

    None when it is not paused; raises Expired for a one-off whose time has passed.
    """
    now = now or clock.now()
    view = await find(kind, chat_id, number)
    if view is None or view.state != PAUSED:
        return None
    next_fire_at = view.schedule.next_after(now)
    if next_fire_at is None:
        raise Expired(view)
    return await _change(
        kind, chat_id, number, (PAUSED,),
        {"state": ACTIVE, "next_fire_at": next_fire_at, "updated_at": now},
    )  # fmt: skip


async def edit(
    kind: str,
    chat_id: str,
    number: int,
    schedule: Schedule,
    content: str | None,
    mention_all: bool | None = None,
    now: datetime | None = None,
) -> View | None:
    """Give a reminder a new schedule (and text); a paused one stays paused, a finished
    one-off becomes active again. None when there is no such reminder."""
    now = now or clock.now()
    values: dict[str, object] = {
        "kind": schedule.kind,
        "spec": schedule.to_spec(),
        "updated_at": now,
    }
    if content:
        values["content"] = content
    if mention_all is not None:
        values["mention_all"] = mention_all
    current = await find(kind, chat_id, number)
    if current is None:
        return None
    if current.state == PAUSED:
        return await _change(kind, chat_id, number, (PAUSED,), values)
    values |= {"state": ACTIVE, "next_fire_at": schedule.next_after(now)}
    return await _change(kind, chat_id, number, (ACTIVE, DONE), values)


@dataclass(frozen=True)
class TemplateOutcome:
    created: list[View]
    existing: list[View]


async def apply_template(
    kind: str,
    chat_id: str,
    *,
    bot_id: str,
    creator_id: str,
    standards: Sequence[Standard],
    limit: int,
    now: datetime | None = None,
) -> TemplateOutcome:
    """Create the standard reminders the chat lacks. Those it has are left as they are
    (edited or paused); cancelled ones come back at their default time, with their number."""
    now = now or clock.now()
    keys = [s.key for s in standards]
    async with get_session() as session, session.begin():
        rows = (
            await session.execute(
                select(*_VIEW_COLUMNS).where(
                    _R.c.chat_kind == kind, _R.c.chat_id == chat_id, _R.c.template.in_(keys)
                )
            )
        ).all()
        have = {row.template: row for row in rows}
        missing = [s for s in standards if s.key not in have]
        revive = [s for s in standards if s.key in have and have[s.key].state == CANCELLED]
        existing = [_view(have[s.key]) for s in standards if s.key in have and s not in revive]
        count = await _live_count(session, kind, chat_id)
        if count + len(missing) + len(revive) > limit and (missing or revive):
            raise LimitReached(count, limit)
        created: list[View] = []
        for standard in revive:
            row = (
                await session.execute(
                    update(_R)
                    .where(_R.c.id == have[standard.key].id, _R.c.state == CANCELLED)
                    .values(
                        kind=standard.schedule.kind,
                        spec=standard.schedule.to_spec(),
                        content=standard.content,
                        mention_all=False,
                        state=ACTIVE,
                        next_fire_at=standard.schedule.next_after(now),
                        updated_at=now,
                    )
                    .returning(*_VIEW_COLUMNS)
                )
            ).first()
            if row is not None:
                created.append(_view(row))
        numbers = await _numbers(session, kind, chat_id, len(missing)) if missing else []
        for standard, number in zip(missing, numbers, strict=True):
            values = _new_row(
                kind, chat_id, number, bot_id, creator_id, standard.schedule, standard.content, now
            )
            values["template"] = standard.key
            row = (
                await session.execute(
                    dialect_insert(session, _R)
                    .values(**values)
                    .on_conflict_do_nothing(index_elements=["chat_kind", "chat_id", "template"])
                    .returning(*_VIEW_COLUMNS)
                )
            ).first()
            if row is not None:  # else another admin's run just created it
                created.append(_view(row))
    order = {key: n for n, key in enumerate(keys)}
    created.sort(key=lambda v: order.get(v.template or "", 0))
    return TemplateOutcome(created, existing)


async def next_due() -> datetime | None:
    """The earliest next firing of any active reminder (the wake-up time)."""
    async with get_session() as session:
        return await session.scalar(select(func.min(_R.c.next_fire_at)).where(_R.c.state == ACTIVE))


async def active_total() -> int:
    async with get_session() as session:
        return int(await session.scalar(select(func.count()).where(_R.c.state == ACTIVE)) or 0)


# ------------------------------------------------------------------------------ firings


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
        by_id = {}
        for row in rows:
            by_id[row.id] = row
            schedule = Schedule.from_spec(row.spec)
            due = [row.next_fire_at]
            following = schedule.next_after(row.next_fire_at)
            while following is not None and following <= now and len(due) < MAX_CATCH_UP:
                due.append(following)
                following = schedule.next_after(following)
            if following is not None and following <= now:
                following = schedule.next_after(now)
            if reach is None or (row.chat_kind, row.chat_id) in reach:
                send = now - due[-1] <= grace
                missed = due[:-1] if send else due
            else:  # no bot here can reach the chat: record what is past grace, leave the rest
                send = False
                missed = [t for t in due if now - t > grace]
                waiting = [t for t in due if now - t <= grace]
                following = waiting[0] if waiting else following
            latest = due[-1]
            for fire_at in missed[-MAX_MISSED_ROWS:]:
                firings.append(_firing(row.id, fire_at, MISSED, now))
            if send:
                claim = _firing(row.id, latest, CLAIMED, now)
                claim |= {"claimed_by": owner, "lease_until": now + lease, "attempts": 1}
                firings.append(claim)
            moves.append(
                {
                    "b_id": row.id,
                    "b_old": row.next_fire_at,
                    "b_next": following,
                    "b_state": ACTIVE if following is not None else DONE,
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


def _claim(row: object, firing_id: int, fire_at: datetime, attempt: int) -> Claim:
    return Claim(
        firing_id=firing_id,
        reminder_id=row.id,  # type: ignore[attr-defined]
        chat_kind=row.chat_kind,  # type: ignore[attr-defined]
        chat_id=row.chat_id,  # type: ignore[attr-defined]
        bot_id=row.bot_id,  # type: ignore[attr-defined]
        number=row.number,  # type: ignore[attr-defined]
        content=row.content,  # type: ignore[attr-defined]
        mention_all=bool(row.mention_all),  # type: ignore[attr-defined]
        spec=row.spec,  # type: ignore[attr-defined]
        fire_at=fire_at,
        attempt=attempt,
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
                result = await session.execute(
                    target.values(status=SKIPPED, lease_until=None, error=f"reminder {row.state}")
                )
                skipped += result.rowcount or 0  # type: ignore[attr-defined]
            elif now - row.fire_at > grace:
                result = await session.execute(
                    target.values(status=MISSED, lease_until=None, told=False)
                )
                missed += result.rowcount or 0  # type: ignore[attr-defined]
            else:
                result = await session.execute(
                    target.values(
                        claimed_by=owner,
                        lease_until=now + lease,
                        attempts=_F.c.attempts + 1,
                        error=None,
                    )
                )
                if result.rowcount == 1:  # type: ignore[attr-defined]
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
            result = await session.execute(
                update(_F)
                .where(
                    _F.c.id.in_(ids[start : start + 500]),
                    _F.c.status == CLAIMED,
                    _F.c.claimed_by == owner,
                    _F.c.error.is_(None),
                )
                .values(lease_until=now + lease)
            )
            renewed += result.rowcount or 0  # type: ignore[attr-defined]
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
