"""Attendance of a meeting, on plain values: `到` (a receipt of the meeting's subject, only
in its window), leave asked and decided once, 补学 by the absent, an officer's 补登 kept as a
correction. Absent = expected − present − approved leave."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum

from nonebot_plugin_orm import get_session
from sqlalchemy import Executable, select, update

from bot import clock
from bot.branch import find_branch
from bot.db import dialect_insert, rowcount
from bot.receipts import (
    OFFICER_PREFIX,
    PRIVATE,
    Confirmation,
    NoSuchSubject,
    SubjectClosed,
    completion,
    confirm,
    record_correction,
)
from bot.roster import PersonView, expected, officers, person_of_account

from . import config
from .models import APPROVED, REFUSED, Leave, MakeUp, Meeting
from .service import COLUMNS, MeetingView, expected_people
from .service import meeting as meeting_by_number

_M = Meeting.__table__
_L = Leave.__table__
_U = MakeUp.__table__


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
                select(*COLUMNS)
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
                select(*COLUMNS)
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
    found = await meeting_by_number(leave.meeting_id)
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
    found = await meeting_by_number(meeting_id, person.branch_id)
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
    found = await meeting_by_number(meeting_id, branch_id)
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
