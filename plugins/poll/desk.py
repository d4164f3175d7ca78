"""What 投 means in a chat, on plain values: the ballot service joined with the branch and
the roster (who is voting, in which poll, whether the poll expects them)."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from bot.branch import find_branch
from bot.receipts import PRIVATE, NoSuchSubject, SubjectClosed, confirm
from bot.receipts.audience import admits, people_for
from bot.roster import PersonView, person_of_account

from . import service
from .parsing import Ballot
from .service import PollView, Vote


def includes(poll: PollView, person: PersonView) -> bool:
    """Whether the poll expects this person (its audience filters, else the roster)."""
    return admits(poll.branch_id, poll.audience, person)


async def expected_people(poll: PollView) -> list[PersonView]:
    """The roster people the poll expects now (people who left are not)."""
    return await people_for(poll.branch_id, poll.audience)


class Outcome(Enum):
    VOTED = "voted"
    """`vote` says what was recorded (new, already, changed, kept)."""
    SILENT = "silent"
    """In a group: no poll is open for this person; `投` was ordinary chat."""
    NOT_BOUND = "not_bound"
    NOTHING_OPEN = "nothing_open"
    """In private: no poll open for this person."""
    NO_SUCH = "no_such"
    NOT_FOR_YOU = "not_for_you"
    CLOSED = "closed"
    BAD_BALLOT = "bad_ballot"
    """The text is no ballot, or names letters the poll does not have, or too many."""


@dataclass(frozen=True)
class CastResult:
    outcome: Outcome
    poll: PollView | None = None
    vote: Vote | None = None


async def cast(
    platform: str,
    group_id: str | None,
    user_id: str,
    ballot: Ballot | None,
    now: datetime,
) -> CastResult:
    """A `投 …` from `user_id` in a group or in private (`group_id` None); `ballot` None:
    the text after 投 is no ballot."""
    person = await person_of_account(platform, user_id)
    if group_id is not None:
        branch = await find_branch(platform, group_id)
        if branch is None:
            return CastResult(Outcome.SILENT)
        branch_id = branch.id
    elif person is not None:
        branch_id = person.branch_id
    else:
        return CastResult(Outcome.NOT_BOUND)
    open_ = await service.open_polls(branch_id, now)
    number = ballot.number if ballot else None
    if person is None:
        if group_id is not None and (not open_ or ballot is None):
            return CastResult(Outcome.SILENT)
        return CastResult(Outcome.NOT_BOUND)
    mine = [p for p in open_ if includes(p, person)]
    if number is not None:
        target = await service.poll(number)
        if target is None or target.branch_id != branch_id:
            return CastResult(Outcome.NO_SUCH)
        if not includes(target, person):
            return CastResult(Outcome.NOT_FOR_YOU, target)
        if not target.is_open(now):
            return CastResult(Outcome.CLOSED, target)
    elif not mine:
        return CastResult(Outcome.SILENT if group_id is not None else Outcome.NOTHING_OPEN)
    else:
        target = mine[0]
    if ballot is None or not service.valid(target, ballot.letters):
        return CastResult(Outcome.BAD_BALLOT, target)
    vote = await service.vote(target.id, person.id, ballot.letters, now)
    match vote.outcome:
        case service.Outcome.NO_SUCH:
            return CastResult(Outcome.NO_SUCH)
        case service.Outcome.CLOSED:
            return CastResult(Outcome.CLOSED, target)
        case _:
            pass
    # The ballot confirms the poll's receipt subject: 回执 counts it, 催办 and the nudge
    # before the deadline leave the voter alone. Idempotent, so a repeat heals a lost one.
    channel = f"group:{group_id}" if group_id is not None else PRIVATE
    with suppress(NoSuchSubject, SubjectClosed):  # closed at this instant: the ballot stands
        await confirm(target.id, person.id, channel, now)
    return CastResult(Outcome.VOTED, target, vote)
