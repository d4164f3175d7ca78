"""Meetings, attendance, leave and make-up study, on plain values (branch and person ids,
aware datetimes); every function takes `now` and opens its own session.

A meeting is a subject of the core receipt service (kind `meeting`, the same number):
`到` is a receipt (once per person by the receipts constraint; after the start it is late),
an officer's 补登 到 a receipt whose channel names the officer. Leave and 补学 are this
plugin's rows, unique per (meeting, person). Absent = expected − present − approved leave.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum

from nonebot_plugin_orm import get_session
from sqlalchemy import Executable, delete, select, update

from bot import clock
from bot.branch import find_branch
from bot.db import dialect_insert, rowcount
from bot.receipts import (
    MEETING,
    OFFICER_PREFIX,
    PRIVATE,
    Audience,
    Confirmation,
    NoSuchSubject,
    SubjectClosed,
    close_subject,
    completion,
    confirm,
    create_subject,
    move_subject,
    record_correction,
)
from bot.roster import PersonView, expected, officers, person_of_account

from . import config
from .models import APPROVED, REFUSED, Leave, MakeUp, Meeting, ReminderClaim

TYPES = ("支委会", "党小组会", "党员大会", "党课", "主题党日", "组织生活会", "民主评议")
COMMITTEE = "支委会"
GROUP_MEETING = "党小组会"

DAY_BEFORE, SOON = "day_before", "soon"
"""Reminder kinds."""

_M = Meeting.__table__
_L = Leave.__table__
_U = MakeUp.__table__
_C = ReminderClaim.__table__


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


_COLUMNS = (
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
    audience = audience_for(kind, party_group)
    return await expected(branch_id, audience.statuses, audience.party_groups, audience.offices)


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
        row = (await session.execute(select(*_COLUMNS).where(_M.c.id == subject.id))).one()
    return MeetingView(*row), new


async def meeting(meeting_id: int, branch_id: int | None = None) -> MeetingView | None:
    """The meeting with this number (of this branch, when given)."""
    query = select(*_COLUMNS).where(_M.c.id == meeting_id)
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
                select(*_COLUMNS)
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
                select(*_COLUMNS).where(_M.c.id == meeting_id, _M.c.branch_id == branch_id)
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


# --- attendance -------------------------------------------------------------------------


@dataclass(frozen=True)
class Attendance:
    """Who of the expected people came, asked leave, stayed away, studied afterwards."""

    meeting: MeetingView
    expected: list[PersonView]
    present: list[PersonView]
    late: list[PersonView]
    """Among the present: came after the start."""
    corrected: list[PersonView]
    """Among the present: recorded by an officer (补登)."""
    leave: list[PersonView]
    """Approved leave (and not present)."""
    pending: list[PersonView]
    """Leave asked, not yet decided (and not present)."""
    absent: list[PersonView]
    """Expected − present − approved leave (known once the meeting has ended)."""
    made_up: list[PersonView] = field(default_factory=list)
    """Absent or on leave, with 补学 recorded."""


async def attendance(meeting: MeetingView) -> Attendance:
    people = await expected_people(meeting)
    done = await completion(meeting.id, [p.id for p in people])
    by_id = {p.id: p for p in people}
    present_ids = {c.person_id for c in done.confirmed}
    async with get_session() as session:
        rows = await session.execute(
            select(_L.c.person_id, _L.c.outcome).where(_L.c.meeting_id == meeting.id)
        )
        leaves: dict[int, str] = {person_id: outcome for person_id, outcome in rows}  # noqa: C416
        made_up = set(
            await session.scalars(select(_U.c.person_id).where(_U.c.meeting_id == meeting.id))
        )
    leave = [p for p in people if leaves.get(p.id) == APPROVED and p.id not in present_ids]
    on_leave = {p.id for p in leave}
    return Attendance(
        meeting,
        people,
        present=[by_id[c.person_id] for c in done.confirmed],
        late=[by_id[c.person_id] for c in done.confirmed if c.late],
        corrected=[
            by_id[c.person_id] for c in done.confirmed if c.channel.startswith(OFFICER_PREFIX)
        ],
        leave=leave,
        pending=[p for p in people if leaves.get(p.id) == "" and p.id not in present_ids],
        absent=[p for p in people if p.id not in present_ids and p.id not in on_leave],
        made_up=[p for p in people if p.id in made_up and p.id not in present_ids],
    )


class Arrival(Enum):
    PRESENT = "present"
    """Recorded now, or found recorded (`confirmation.new` tells)."""
    SILENT = "silent"
    """In a group, nothing near for this person: ordinary chat."""
    NOT_BOUND = "not_bound"
    """A meeting of this chat's branch takes 到, but the account is bound to nobody."""
    OTHER_BRANCH = "other_branch"
    """A meeting of this chat's branch takes 到; the person is on another branch's roster."""
    NOT_FOR_YOU = "not_for_you"
    """A meeting takes 到 here, but it does not expect this person."""
    NOT_YET = "not_yet"
    """A meeting of today expects the person; its window has not opened."""
    NOTHING = "nothing"
    """In private: no meeting near."""


@dataclass(frozen=True)
class ArrivalResult:
    outcome: Arrival
    meeting: MeetingView | None = None
    confirmation: Confirmation | None = None


async def _near(branch_id: int, now: datetime) -> list[MeetingView]:
    """Meetings of the branch not cancelled that have not ended and start by tonight."""
    today = clock.today(now)
    end_of_day = datetime.combine(today + timedelta(days=1), datetime.min.time(), clock.zone())
    async with get_session() as session:
        return [
            MeetingView(*row)
            for row in await session.execute(
                select(*_COLUMNS)
                .where(
                    _M.c.branch_id == branch_id,
                    _M.c.cancelled_at.is_(None),
                    _M.c.ends_at > now,
                    _M.c.starts_at < max(end_of_day, now + _window()),
                )
                .order_by(_M.c.starts_at)
            )
        ]


def _window() -> timedelta:
    return timedelta(minutes=config.meeting_checkin_before_minutes)


async def arrive(platform: str, group_id: str | None, user_id: str, now: datetime) -> ArrivalResult:
    """A `到` from `user_id`, in a group or in private (None)."""
    person = await person_of_account(platform, user_id)
    if group_id is not None:
        branch = await find_branch(platform, group_id)
        if branch is None:
            return ArrivalResult(Arrival.SILENT)
        branch_id = branch.id
    elif person is not None:
        branch_id = person.branch_id
    else:
        return ArrivalResult(Arrival.NOT_BOUND)
    near = await _near(branch_id, now)
    open_ = [m for m in near if m.takes_arrivals(now)]
    if person is None or person.branch_id != branch_id:
        if not open_:
            return ArrivalResult(Arrival.SILENT)
        outcome = Arrival.NOT_BOUND if person is None else Arrival.OTHER_BRANCH
        return ArrivalResult(outcome, open_[0])
    mine = [m for m in open_ if m.expects(person)]
    if not mine:
        later = [m for m in near if m.expects(person) and now < m.opens_at]
        if later and clock.today(later[0].starts_at) == clock.today(now):
            return ArrivalResult(Arrival.NOT_YET, later[0])
        if open_:
            return ArrivalResult(Arrival.NOT_FOR_YOU, open_[0])
        return ArrivalResult(Arrival.SILENT if group_id is not None else Arrival.NOTHING)
    target = min(mine, key=lambda m: abs(m.starts_at - now))
    channel = f"group:{group_id}" if group_id is not None else PRIVATE
    try:
        confirmation = await confirm(target.id, person.id, channel, now)
    except (SubjectClosed, NoSuchSubject):  # ended or cancelled a moment ago
        return ArrivalResult(Arrival.SILENT if group_id is not None else Arrival.NOTHING)
    return ArrivalResult(Arrival.PRESENT, target, confirmation)


# --- leave ------------------------------------------------------------------------------


@dataclass(frozen=True)
class LeaveView:
    id: int
    meeting_id: int
    person_id: int
    reason: str
    asked_at: datetime
    outcome: str
    decided_by: str
    decided_at: datetime | None
    corrected: bool


_LEAVE_COLUMNS = (
    _L.c.id,
    _L.c.meeting_id,
    _L.c.person_id,
    _L.c.reason,
    _L.c.asked_at,
    _L.c.outcome,
    _L.c.decided_by,
    _L.c.decided_at,
    _L.c.corrected,
)


class Asked(Enum):
    ASKED = "asked"
    """A new request (`new`), or the one asked before."""
    NO_MEETING = "no_meeting"
    STARTED = "started"
    """A meeting that expects the person is under way: too late to ask."""
    PRESENT = "present"
    """They said 到 already for the meeting."""


@dataclass(frozen=True)
class LeaveResult:
    outcome: Asked
    meeting: MeetingView | None = None
    leave: LeaveView | None = None
    new: bool = False


async def ask_leave(person: PersonView, reason: str, now: datetime) -> LeaveResult:
    """Leave for the next meeting that expects the person and has not started. While one
    that expects them is under way, that is the one they mean: refused."""
    async with get_session() as session:
        rows = [
            MeetingView(*row)
            for row in await session.execute(
                select(*_COLUMNS)
                .where(
                    _M.c.branch_id == person.branch_id,
                    _M.c.cancelled_at.is_(None),
                    _M.c.ends_at > now,
                )
                .order_by(_M.c.starts_at)
                .limit(50)
            )
        ]
    mine = [m for m in rows if m.expects(person)]
    running = [m for m in mine if m.starts_at <= now]
    if running:
        return LeaveResult(Asked.STARTED, running[0])
    if not mine:
        return LeaveResult(Asked.NO_MEETING)
    target = mine[0]
    done = await completion(target.id, [person.id])
    if done.confirmed:
        return LeaveResult(Asked.PRESENT, target)
    async with get_session() as session, session.begin():
        insert: Executable = (
            dialect_insert(session, _L)
            .values(
                meeting_id=target.id,
                person_id=person.id,
                reason=reason,
                asked_at=now,
                outcome="",
                decided_by="",
                corrected=False,
            )
            .on_conflict_do_nothing(index_elements=["meeting_id", "person_id"])
            .returning(_L.c.id)
        )
        new = (await session.execute(insert)).first() is not None
        row = (
            await session.execute(
                select(*_LEAVE_COLUMNS).where(
                    _L.c.meeting_id == target.id, _L.c.person_id == person.id
                )
            )
        ).one()
    return LeaveResult(Asked.ASKED, target, LeaveView(*row), new)


class Decision(Enum):
    DECIDED = "decided"
    NO_SUCH = "no_such"
    ALREADY = "already"


@dataclass(frozen=True)
class DecisionResult:
    outcome: Decision
    leave: LeaveView | None = None
    meeting: MeetingView | None = None
    person: PersonView | None = None


async def decide_leave(
    leave_id: int, branch_id: int, officer: str, *, approve: bool, now: datetime
) -> DecisionResult:
    """批准 / 不批准: decided once (a conditional UPDATE); a leave of another branch is
    no such leave."""
    async with get_session() as session, session.begin():
        row = (
            await session.execute(
                select(*_LEAVE_COLUMNS)
                .join(_M, _M.c.id == _L.c.meeting_id)
                .where(_L.c.id == leave_id, _M.c.branch_id == branch_id)
            )
        ).first()
        if row is None:
            return DecisionResult(Decision.NO_SUCH)
        changed = await rowcount(
            session,
            update(_L)
            .where(_L.c.id == leave_id, _L.c.outcome == "")
            .values(outcome=APPROVED if approve else REFUSED, decided_by=officer, decided_at=now),
        )
        row = (await session.execute(select(*_LEAVE_COLUMNS).where(_L.c.id == leave_id))).one()
    leave = LeaveView(*row)
    found = await meeting(leave.meeting_id)
    person = next((p for p in await expected(branch_id) if p.id == leave.person_id), None)
    outcome = Decision.DECIDED if changed else Decision.ALREADY
    return DecisionResult(outcome, leave, found, person)


async def officers_to_tell(branch_id: int, except_person: int | None = None) -> list[PersonView]:
    """The branch's officers who can be reached privately (not the one asking)."""
    return [p for p in await officers(branch_id) if p.id != except_person and p.reachable]


# --- 补学 and 补登 -------------------------------------------------------------------------


class MadeUp(Enum):
    RECORDED = "recorded"
    """Recorded now, or before (`new`)."""
    NO_SUCH = "no_such"
    NOT_FOR_YOU = "not_for_you"
    CANCELLED = "cancelled"
    NOT_ENDED = "not_ended"
    ATTENDED = "attended"


@dataclass(frozen=True)
class MakeUpResult:
    outcome: MadeUp
    meeting: MeetingView | None = None
    new: bool = False
    at: datetime | None = None


async def make_up(person: PersonView, meeting_id: int, note: str, now: datetime) -> MakeUpResult:
    """补学 by someone the meeting expected who did not attend (absent or on leave)."""
    found = await meeting(meeting_id, person.branch_id)
    if found is None:
        return MakeUpResult(MadeUp.NO_SUCH)
    if not found.expects(person):
        return MakeUpResult(MadeUp.NOT_FOR_YOU, found)
    if found.cancelled_at is not None:
        return MakeUpResult(MadeUp.CANCELLED, found)
    if now < found.ends_at:
        return MakeUpResult(MadeUp.NOT_ENDED, found)
    if (await completion(found.id, [person.id])).confirmed:
        return MakeUpResult(MadeUp.ATTENDED, found)
    async with get_session() as session, session.begin():
        insert: Executable = (
            dialect_insert(session, _U)
            .values(meeting_id=found.id, person_id=person.id, note=note, recorded_at=now)
            .on_conflict_do_nothing(index_elements=["meeting_id", "person_id"])
            .returning(_U.c.person_id)
        )
        new = (await session.execute(insert)).first() is not None
        at = await session.scalar(
            select(_U.c.recorded_at).where(_U.c.meeting_id == found.id, _U.c.person_id == person.id)
        )
    return MakeUpResult(MadeUp.RECORDED, found, new, at)


class Corrected(Enum):
    PRESENT = "present"
    LEAVE = "leave"
    NO_SUCH = "no_such"
    CANCELLED = "cancelled"
    NO_PERSON = "no_person"
    NOT_EXPECTED = "not_expected"
    WAS_PRESENT = "was_present"
    """请假 for someone recorded present: nothing changed."""


@dataclass(frozen=True)
class CorrectionResult:
    outcome: Corrected
    meeting: MeetingView | None = None
    person: PersonView | None = None
    new: bool = False


async def correct(
    branch_id: int, meeting_id: int, name: str, present: bool, officer: str, now: datetime
) -> CorrectionResult:
    """补登: an officer records someone present (a receipt whose channel names the officer)
    or on approved leave (marked corrected); the correction is kept as such."""
    found = await meeting(meeting_id, branch_id)
    if found is None:
        return CorrectionResult(Corrected.NO_SUCH)
    if found.cancelled_at is not None:
        return CorrectionResult(Corrected.CANCELLED, found)
    person = next((p for p in await expected(branch_id) if p.name == name), None)
    if person is None:
        return CorrectionResult(Corrected.NO_PERSON, found)
    if not found.expects(person):
        return CorrectionResult(Corrected.NOT_EXPECTED, found, person)
    if present:
        made = await record_correction(found.id, person.id, f"{OFFICER_PREFIX}{officer}", now)
        return CorrectionResult(Corrected.PRESENT, found, person, made.new)
    if (await completion(found.id, [person.id])).confirmed:
        return CorrectionResult(Corrected.WAS_PRESENT, found, person)
    async with get_session() as session, session.begin():
        insert: Executable = (
            dialect_insert(session, _L)
            .values(
                meeting_id=found.id,
                person_id=person.id,
                reason="",
                asked_at=now,
                outcome=APPROVED,
                decided_by=officer,
                decided_at=now,
                corrected=True,
            )
            .on_conflict_do_nothing(index_elements=["meeting_id", "person_id"])
            .returning(_L.c.id)
        )
        new = (await session.execute(insert)).first() is not None
        if not new:  # asked before (waiting or refused): the officer's word now stands
            new = bool(
                await rowcount(
                    session,
                    update(_L)
                    .where(
                        _L.c.meeting_id == found.id,
                        _L.c.person_id == person.id,
                        _L.c.outcome != APPROVED,
                    )
                    .values(outcome=APPROVED, decided_by=officer, decided_at=now, corrected=True),
                )
            )
    return CorrectionResult(Corrected.LEAVE, found, person, new)


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
                select(*_COLUMNS).where(
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
