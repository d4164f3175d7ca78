"""The meeting reminders' claims: which are due, claimed once per (meeting, kind, start) by
a unique row inserted before sending, released when the send certainly failed."""

from __future__ import annotations

from datetime import datetime, timedelta

from nonebot_plugin_orm import get_session
from sqlalchemy import Executable, delete, select

from bot.db import dialect_insert

from . import config
from .models import Meeting, ReminderClaim
from .service import COLUMNS, MeetingView

DAY_BEFORE, SOON = "day_before", "soon"
"""Reminder kinds."""

_M = Meeting.__table__
_C = ReminderClaim.__table__


# --- reminders --------------------------------------------------------------------------


def _offsets() -> dict[str, timedelta]:
    offsets = {
        DAY_BEFORE: timedelta(minutes=config.meeting_remind_day_before_minutes),
        SOON: timedelta(minutes=config.meeting_remind_soon_minutes),
    }
    return {kind: offset for kind, offset in offsets.items() if offset}


async def due_reminders(now: datetime) -> list[tuple[MeetingView, list[str]]]:
    """Meetings with a reminder due and not yet claimed for their current start: each with
    the due kinds, the latest (the one nearest the start) first. A reminder is due from
    `start − offset` until the start, and only when the meeting was set at least that far
    ahead (a meeting set an hour ahead gets no day-before reminder)."""
    offsets = _offsets()
    if not offsets:
        return []
    longest = max(offsets.values())
    async with get_session() as session:
        rows = [
            MeetingView(*row)
            for row in await session.execute(
                select(*COLUMNS).where(
                    _M.c.cancelled_at.is_(None),
                    _M.c.starts_at > now,
                    _M.c.starts_at <= now + longest,
                )
            )
        ]
        if not rows:
            return []
        claimed = {
            (meeting_id, kind, starts_at)
            for meeting_id, kind, starts_at in await session.execute(
                select(_C.c.meeting_id, _C.c.kind, _C.c.starts_at).where(
                    _C.c.meeting_id.in_([m.id for m in rows])
                )
            )
        }
    due: list[tuple[MeetingView, list[str]]] = []
    for found in sorted(rows, key=lambda m: (m.starts_at, m.id)):
        kinds = [
            kind
            for kind, offset in sorted(offsets.items(), key=lambda item: item[1])
            if found.starts_at - offset <= now
            and found.scheduled_at <= found.starts_at - offset
            and (found.id, kind, found.starts_at) not in claimed
        ]
        if kinds:
            due.append((found, kinds))
    return due


async def claim_reminders(meeting: MeetingView, kinds: list[str], now: datetime) -> list[str]:
    """Claim these reminders of the meeting at its current start; returns those this call
    claimed (each goes to exactly one caller, across processes)."""
    async with get_session() as session, session.begin():
        insert: Executable = (
            dialect_insert(session, _C)
            .on_conflict_do_nothing(index_elements=["meeting_id", "kind", "starts_at"])
            .returning(_C.c.kind)
        )
        rows = [
            {
                "meeting_id": meeting.id,
                "kind": kind,
                "starts_at": meeting.starts_at,
                "claimed_at": now,
            }
            for kind in sorted(kinds)
        ]
        claimed = set((await session.scalars(insert, rows)).all())
    return [kind for kind in kinds if kind in claimed]


async def release_reminders(meeting: MeetingView, kinds: list[str]) -> None:
    """Give back claims whose send certainly failed (a later pass tries again)."""
    async with get_session() as session, session.begin():
        await session.execute(
            delete(_C).where(
                _C.c.meeting_id == meeting.id,
                _C.c.starts_at == meeting.starts_at,
                _C.c.kind.in_(kinds),
            )
        )
