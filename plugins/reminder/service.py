"""Reminders in the database, the chat's side: creating, listing and managing them.

Each active reminder stores its schedule (`spec`) and its next firing (`next_fire_at`,
indexed); claiming and sending the firings is `firings.py`.

Plain values in and out; no Bot, no Event. Every function opens its own session.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from nonebot_plugin_orm import get_session
from sqlalchemy import Row, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot import clock
from bot.db import dialect_insert
from bot.receipts import REMINDER, Subject, create_subject
from bot.when import Schedule

from .models import ACTIVE, CANCELLED, DONE, PAUSED, ChatCounter, Reminder
from .templates import Standard

AnyRow = Row[*tuple[Any, ...]]
"""A result row of any columns."""

_R = Reminder.__table__


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
    receipt: bool = False
    """Every firing asks for a receipt (group only)."""


def _view(row: AnyRow) -> View:
    return View(
        id=row.id,
        chat_kind=row.chat_kind,
        chat_id=row.chat_id,
        number=row.number,
        schedule=Schedule.from_spec(row.spec),
        content=row.content,
        mention_all=bool(row.mention_all),
        state=row.state,
        next_fire_at=row.next_fire_at,
        template=row.template,
        receipt=bool(row.receipt),
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
    _R.c.receipt,
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
    receipt: bool = False,
    limit: int,
    now: datetime | None = None,
) -> View:
    """Add a reminder; raises LimitReached when the chat has `limit` already. `receipt`: every
    firing asks for a receipt (a group reminder; the caller checks the branch has a roster)."""
    now = now or clock.now()
    async with get_session() as session, session.begin():
        (number,) = await _numbers(session, kind, chat_id, 1)  # locks the chat's counter
        count = await _live_count(session, kind, chat_id)
        if count >= limit:
            raise LimitReached(count, limit)  # rolls the number back too
        values = _new_row(kind, chat_id, number, bot_id, creator_id, schedule, content, now)
        values["mention_all"] = mention_all
        values["receipt"] = receipt
        new_id = await session.scalar(_R.insert().values(**values).returning(_R.c.id))
    return View(
        int(new_id or 0), kind, chat_id, number, schedule, content, mention_all, ACTIVE,
        schedule.next_after(now), None, receipt,
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
        "receipt": False,
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
    receipt: bool | None = None,
) -> View | None:
    """Give a reminder a new schedule (and text); a paused one stays paused, a finished
    one-off becomes active again. `mention_all` / `receipt`: None keeps them. None when there
    is no such reminder."""
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
    if receipt is not None:
        values["receipt"] = receipt
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
                        receipt=False,
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


# --- receipts


def receipt_ref(reminder_id: int, fire_at: datetime) -> str:
    """The receipt subject of one firing: `<reminder>@<fire time in UTC, ISO>`."""
    return f"{reminder_id}@{fire_at.astimezone(UTC).isoformat()}"


async def receipt_subject(
    reminder_id: int,
    fire_at: datetime,
    *,
    branch_id: int,
    title: str,
    created_by: str,
    group_id: str,
    open_days: int,
    next_fire: datetime | None = None,
    now: datetime | None = None,
) -> Subject:
    """The subject a firing asks people to confirm: made once per firing (a retried or
    taken-over firing finds the one made before). The whole roster is expected; receipts are
    taken until the reminder's next firing (which asks again), at most `open_days` after
    this one's time, so a daily reminder never has a week of firings open at once; there is
    no deadline."""
    closes_at = fire_at + timedelta(days=open_days)
    if next_fire is not None:
        closes_at = min(closes_at, next_fire)
    subject, _ = await create_subject(
        branch_id,
        REMINDER,
        receipt_ref(reminder_id, fire_at),
        title,
        created_by=created_by,
        closes_at=closes_at,
        origin=group_id,
        now=now or clock.now(),
    )
    return subject
