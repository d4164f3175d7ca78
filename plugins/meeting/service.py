"""Meetings on plain values (branch and person ids, aware datetimes): who a type expects,
scheduling, moving, cancelling, listing. Attendance, leave, 补学 and 补登 are in
`attendance.py`, the reminders' claims in `reminders.py`; every function takes `now` and opens
its own session.

A meeting is a subject of the core receipt service (kind `meeting`, the same number):
`到` is a receipt (once per person by the receipts constraint; after the start it is late),
an officer's 补登 到 a receipt whose channel names the officer. Leave and 补学 are this
plugin's rows, unique per (meeting, person). Absent = expected − present − approved leave.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from nonebot_plugin_orm import get_session
from sqlalchemy import Executable, select, update

from bot.db import dialect_insert, rowcount
from bot.receipts import (
    MEETING,
    Audience,
    close_subject,
    create_subject,
    move_subject,
)
from bot.receipts import audience as audiences
from bot.roster import PersonView

from . import config
from .models import Meeting

TYPES = ("支委会", "党小组会", "党员大会", "党课", "主题党日", "组织生活会", "民主评议")
COMMITTEE = "支委会"
GROUP_MEETING = "党小组会"

_M = Meeting.__table__


# --- values -----------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingView:
    id: int
    branch_id: int
    kind: str
    party_group: str
    topic: str
    starts_at: datetime
    ends_at: datetime
    scheduled_at: datetime
    origin: str
    created_at: datetime
    cancelled_at: datetime | None

    @property
    def opens_at(self) -> datetime:
        """From when `到` is taken."""
        return self.starts_at - timedelta(minutes=config.meeting_checkin_before_minutes)

    def takes_arrivals(self, now: datetime) -> bool:
        return self.cancelled_at is None and self.opens_at <= now < self.ends_at

    @property
    def audience(self) -> Audience:
        return audience_for(self.kind, self.party_group)

    def expects(self, person: PersonView) -> bool:
        audience = self.audience
        return (
            person.branch_id == self.branch_id
            and (not audience.statuses or person.status in audience.statuses)
            and (not audience.party_groups or person.party_group in audience.party_groups)
            and (not audience.offices or person.office in audience.offices)
        )


COLUMNS = (
    _M.c.id,
    _M.c.branch_id,
    _M.c.kind,
    _M.c.party_group,
    _M.c.topic,
    _M.c.starts_at,
    _M.c.ends_at,
    _M.c.scheduled_at,
    _M.c.origin,
    _M.c.created_at,
    _M.c.cancelled_at,
)


def audience_for(kind: str, party_group: str = "") -> Audience:
    """Who a meeting of this type expects: the committee for a 支委会, the members of the
    党小组 for a 党小组会, the party members (config) for the others."""
    if kind == COMMITTEE:
        return Audience(offices=tuple(config.meeting_committee_offices))
    statuses = tuple(config.meeting_member_statuses)
    if kind == GROUP_MEETING:
        return Audience(statuses, (party_group,))
    return Audience(statuses)


def title_of(kind: str, party_group: str, topic: str) -> str:
    name = f"{kind}（{party_group}）" if party_group else kind
    return f"{name} {topic}" if topic else name


async def people_for(branch_id: int, kind: str, party_group: str = "") -> list[PersonView]:
    """Who a meeting of this type expects, from the roster (unreachable people included)."""
    return await audiences.people_for(branch_id, audience_for(kind, party_group))


async def expected_people(meeting: MeetingView) -> list[PersonView]:
    return await people_for(meeting.branch_id, meeting.kind, meeting.party_group)


# --- scheduling -------------------------------------------------------------------------


async def schedule(
    branch_id: int,
    *,
    kind: str,
    party_group: str,
    topic: str,
    starts_at: datetime,
    ends_at: datetime,
    ref: str,
    author: str,
    origin: str,
    now: datetime,
) -> tuple[MeetingView, bool]:
    """Make the meeting (once per `ref`, the command's message: a retried event makes it
    once) with its receipt subject: receipts late after the start, none after the end."""
    subject, _ = await create_subject(
        branch_id,
        MEETING,
        ref,
        title_of(kind, party_group, topic),
        created_by=author,
        deadline=starts_at,
        closes_at=ends_at,
        audience=audience_for(kind, party_group),
        origin=origin,
        now=now,
    )
    async with get_session() as session, session.begin():
        insert: Executable = (
            dialect_insert(session, _M)
            .values(
                id=subject.id,
                branch_id=branch_id,
                kind=kind,
                party_group=party_group,
                topic=topic,
                starts_at=starts_at,
                ends_at=ends_at,
                scheduled_at=now,
                origin=origin,
                created_by=author,
                created_at=now,
            )
            .on_conflict_do_nothing(index_elements=["id"])
            .returning(_M.c.id)
        )
        new = (await session.execute(insert)).first() is not None
        row = (await session.execute(select(*COLUMNS).where(_M.c.id == subject.id))).one()
    return MeetingView(*row), new


async def meeting(meeting_id: int, branch_id: int | None = None) -> MeetingView | None:
    """The meeting with this number (of this branch, when given)."""
    query = select(*COLUMNS).where(_M.c.id == meeting_id)
    if branch_id is not None:
        query = query.where(_M.c.branch_id == branch_id)
    async with get_session() as session:
        row = (await session.execute(query)).first()
    return MeetingView(*row) if row else None


async def listing(branch_id: int, now: datetime, limit: int = 10) -> list[MeetingView]:
    """Upcoming and running meetings (soonest first), then those ended recently (newest
    first); cancelled ones are left out."""
    since = now - timedelta(days=config.meeting_list_recent_days)
    async with get_session() as session:
        rows = [
            MeetingView(*row)
            for row in await session.execute(
                select(*COLUMNS)
                .where(
                    _M.c.branch_id == branch_id,
                    _M.c.cancelled_at.is_(None),
                    _M.c.ends_at > since,
                )
                .order_by(_M.c.starts_at)
            )
        ]
    upcoming = [m for m in rows if m.ends_at > now]
    recent = [m for m in reversed(rows) if m.ends_at <= now]
    return (upcoming + recent)[:limit]


class Change(Enum):
    DONE = "done"
    NO_SUCH = "no_such"
    CANCELLED = "cancelled"
    STARTED = "started"


async def move(
    meeting_id: int, branch_id: int, starts_at: datetime, ends_at: datetime, now: datetime
) -> tuple[Change, MeetingView | None]:
    """Move a meeting that has not started to a new time; its reminders follow (they are
    claimed per start time) and its receipt subject takes the new start and end."""
    async with get_session() as session, session.begin():
        row = (
            await session.execute(
                select(*COLUMNS).where(_M.c.id == meeting_id, _M.c.branch_id == branch_id)
            )
        ).first()
        if row is None:
            return Change.NO_SUCH, None
        found = MeetingView(*row)
        if found.cancelled_at is not None:
            return Change.CANCELLED, found
        if found.starts_at <= now:
            return Change.STARTED, found
        changed = await rowcount(
            session,
            update(_M)
            .where(_M.c.id == meeting_id, _M.c.cancelled_at.is_(None), _M.c.starts_at > now)
            .values(starts_at=starts_at, ends_at=ends_at, scheduled_at=now),
        )
        if not changed:
            return Change.STARTED, found
    await move_subject(meeting_id, deadline=starts_at, closes_at=ends_at)
    return Change.DONE, await meeting(meeting_id)


async def cancel(
    meeting_id: int, branch_id: int, now: datetime
) -> tuple[Change, MeetingView | None]:
    """Cancel a meeting that has not ended: no more reminders, no more 到."""
    found = await meeting(meeting_id, branch_id)
    if found is None:
        return Change.NO_SUCH, None
    if found.cancelled_at is not None:
        return Change.CANCELLED, found
    if found.ends_at <= now:
        return Change.STARTED, found
    async with get_session() as session, session.begin():
        changed = await rowcount(
            session,
            update(_M)
            .where(_M.c.id == meeting_id, _M.c.cancelled_at.is_(None))
            .values(cancelled_at=now),
        )
    if not changed:
        return Change.CANCELLED, found
    await close_subject(meeting_id, now)
    return Change.DONE, await meeting(meeting_id)
