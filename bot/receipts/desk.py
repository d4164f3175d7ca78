"""What 收到, 回执 and 催办 mean in a chat, on plain values: the receipt service joined with
the branch and the roster (who is asking, which subject, who is expected).

The service (`service.py`) knows subjects and person ids only; this module answers the chat
questions: which subject does a bare 收到 from this person in this group mean, and who of
the roster is expected for a subject.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from bot import clock
from bot.branch import find_branch
from bot.roster import PersonView, person_of_account

from . import service
from .audience import admits, people_for
from .service import NOTICE, POLL, REMINDER, Completion, Confirmation, Subject

CONFIRMABLE = (NOTICE, REMINDER)
"""Kinds a member confirms with 收到 (meetings have 到, study pushes 已学)."""

NUDGED = (*CONFIRMABLE, POLL)
"""Kinds the core nudges, by `催办` and before the deadline: those 收到 confirms, and polls
(a ballot, `投`, confirms the poll's subject; 收到 never votes). Not meetings (`到` in
person). The summary at the deadline is for `CONFIRMABLE` only: a poll has its results
(`投票结果`)."""

QQ = "qq"


def includes(subject: Subject, person: PersonView) -> bool:
    """Whether the subject expects this person (its audience filters, else the roster)."""
    return admits(subject.branch_id, subject.audience, person)


async def expected_people(subject: Subject, scope: str | None = None) -> list[PersonView]:
    """The roster people the subject expects, now (people who left are not); with a
    `scope`, only those of that 党小组 (what a 党小组长 sees, `bot.roster.scope_of`)."""
    people = await people_for(subject.branch_id, subject.audience)
    return [p for p in people if p.party_group == scope] if scope else people


async def completion_of(
    subject: Subject, scope: str | None = None
) -> tuple[Completion, list[PersonView]]:
    """Completion against the subject's expected people (of `scope`), and those people."""
    people = await expected_people(subject, scope)
    return await service.completion(subject.id, [p.id for p in people]), people


# --- 收到 --------------------------------------------------------------------------------


class Outcome(Enum):
    CONFIRMED = "confirmed"
    """Recorded now, or found recorded before (`confirmation.new` tells)."""
    SILENT = "silent"
    """In a group: nothing of the bot's is open for this person; it was ordinary chat."""
    NOT_BOUND = "not_bound"
    """The account is bound to nobody on the roster, while something is open here."""
    NOTHING_OPEN = "nothing_open"
    """In private: nothing open for this person."""
    NO_SUCH = "no_such"
    """No subject with that number that this person could confirm (another branch, a
    meeting, unknown)."""
    NOT_FOR_YOU = "not_for_you"
    """That subject does not expect this person."""
    CLOSED = "closed"
    """That subject no longer takes receipts."""


@dataclass(frozen=True)
class ConfirmResult:
    outcome: Outcome
    subject: Subject | None = None
    confirmation: Confirmation | None = None
    others: tuple[Subject, ...] = ()
    """Other subjects still open for this person that they have not confirmed."""


async def confirm_in_chat(
    platform: str,
    group_id: str | None,
    user_id: str,
    number: int | None,
    now: datetime | None = None,
) -> ConfirmResult:
    """A 收到 (`number` None) or 收到 <编号> from `user_id`, in a group or in private (None)."""
    now = now or clock.now()
    person = await person_of_account(platform, user_id)
    if group_id is not None:
        branch = await find_branch(platform, group_id)
        if branch is None:
            return ConfirmResult(Outcome.SILENT if number is None else Outcome.NO_SUCH)
        branch_id = branch.id
    elif person is not None:
        branch_id = person.branch_id
    else:
        return ConfirmResult(Outcome.NOT_BOUND if number is not None else Outcome.NOTHING_OPEN)
    open_ = await service.open_subjects(branch_id, now, CONFIRMABLE)
    if person is None:
        if number is None and not open_:
            return ConfirmResult(Outcome.SILENT)
        return ConfirmResult(Outcome.NOT_BOUND, open_[0] if open_ else None)
    if number is not None:
        found = await service.subject(number)
        if found is None or found.branch_id != branch_id or found.kind not in CONFIRMABLE:
            return ConfirmResult(Outcome.NO_SUCH)
        if not includes(found, person):
            return ConfirmResult(Outcome.NOT_FOR_YOU, found)
        if not found.is_open(now):
            return ConfirmResult(Outcome.CLOSED, found)
        target = found
    else:
        mine = [s for s in open_ if includes(s, person)]
        if not mine:
            return ConfirmResult(Outcome.SILENT if group_id is not None else Outcome.NOTHING_OPEN)
        target = mine[0]
    channel = f"group:{group_id}" if group_id is not None else service.PRIVATE
    try:
        confirmation = await service.confirm(target.id, person.id, channel, now)
    except service.SubjectClosed:
        return ConfirmResult(Outcome.CLOSED, target)
    except service.NoSuchSubject:
        return ConfirmResult(Outcome.NO_SUCH)
    others = await _unconfirmed(
        [s for s in open_ if s.id != target.id and includes(s, person)], person.id
    )
    return ConfirmResult(Outcome.CONFIRMED, target, confirmation, tuple(others))


async def _unconfirmed(subjects: list[Subject], person_id: int) -> list[Subject]:
    if not subjects:
        return []
    done = await service.confirmed_by(person_id, [s.id for s in subjects])
    return [s for s in subjects if s.id not in done]


# --- 回执 and 催办 --------------------------------------------------------------------------


async def branch_for(platform: str, group_id: str | None, user_id: str) -> int | None:
    """The branch an officer's command is about: the group's, or in private the caller's
    own (None when they are on no roster)."""
    if group_id is not None:
        branch = await find_branch(platform, group_id)
        return branch.id if branch else None
    person = await person_of_account(platform, user_id)
    return person.branch_id if person else None


async def pick_subject(
    branch_id: int, number: int | None, now: datetime | None = None
) -> Subject | None:
    """The numbered subject of this branch (any kind), or without a number the newest open
    one that 收到 confirms."""
    if number is None:
        open_ = await service.open_subjects(branch_id, now or clock.now(), CONFIRMABLE, limit=1)
        return open_[0] if open_ else None
    found = await service.subject(number)
    return found if found is not None and found.branch_id == branch_id else None


@dataclass(frozen=True)
class ChaseResult:
    subject: Subject
    claimed: list[PersonView]
    """Nudged now (the sends follow)."""
    already: list[PersonView]
    """Not confirmed, reachable, but nudged today already."""
    unreachable: list[PersonView]
    """Not confirmed and no QQ account bound: nobody can nudge them privately."""
    confirmed_count: int
    expected_count: int


async def claim_chase(
    subject: Subject, now: datetime | None = None, scope: str | None = None
) -> ChaseResult:
    """Claim today's nudges of everyone the subject expects (of `scope`) who has not
    confirmed and whom a QQ account reaches. Raises `SubjectClosed`."""
    now = now or clock.now()
    done, people = await completion_of(subject, scope)
    missing = set(done.missing)
    waiting = [p for p in people if p.id in missing]
    reachable = [p for p in waiting if p.account_on(QQ)]
    claimed_ids = set(await service.claim_nudges(subject.id, [p.id for p in reachable], now))
    return ChaseResult(
        subject,
        claimed=[p for p in reachable if p.id in claimed_ids],
        already=[p for p in reachable if p.id not in claimed_ids],
        unreachable=[p for p in waiting if not p.account_on(QQ)],
        confirmed_count=done.confirmed_count,
        expected_count=done.expected_count,
    )
