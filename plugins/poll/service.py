"""Polls, ballots and results, on plain values (branch and person ids, aware datetimes).

A poll is a receipt subject of kind `poll` (its number is the subject's), so the core's
回执 / 催办 and the nudge before the deadline work on it; a ballot also confirms the subject.

One ballot per person per poll is the primary key of `Voter` (poll, person), inserted with
`ON CONFLICT DO NOTHING … RETURNING`: whoever's row went in voted, everyone else (another
tap, another process) is told what was already recorded. For an anonymous poll the choices go
into `AnonymousBallot` (no person, no time, a random key) in the same transaction, and
`Voter` keeps no choices. Ballots that arrive together share a transaction
(`bot.batch.GroupCommit`), as receipts do.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import Any

from nonebot_plugin_orm import get_session
from sqlalchemy import Executable, Row, func, select, tuple_, update

from bot import clock
from bot.batch import GroupCommit
from bot.db import dialect_insert
from bot.receipts import POLL, Audience, create_subject

from . import config, models
from .parsing import LETTERS

_P = models.Poll.__table__
_V = models.Voter.__table__
_A = models.AnonymousBallot.__table__


@dataclass(frozen=True)
class PollView:
    id: int
    """Its number (编号), the receipt subject's."""
    branch_id: int
    title: str
    options: tuple[str, ...]
    max_choices: int
    anonymous: bool
    changeable: bool
    deadline: datetime | None
    closes_at: datetime
    audience: Audience | None
    origin: str
    created_by: str
    created_at: datetime

    def is_open(self, now: datetime) -> bool:
        return self.created_at <= now < self.closes_at

    @property
    def letters(self) -> str:
        return LETTERS[: len(self.options)]


_POLL_COLUMNS = (
    _P.c.id,
    _P.c.branch_id,
    _P.c.title,
    _P.c.options,
    _P.c.max_choices,
    _P.c.anonymous,
    _P.c.changeable,
    _P.c.deadline,
    _P.c.closes_at,
    _P.c.audience,
    _P.c.origin,
    _P.c.created_by,
    _P.c.created_at,
)


def _poll(row: Row[*tuple[Any, ...]]) -> PollView:
    (id_, branch_id, title, options, max_choices, anonymous, changeable, deadline, closes_at,
     audience, origin, created_by, created_at) = row  # fmt: skip
    return PollView(
        id_,
        branch_id,
        title,
        tuple(str(o) for o in options),
        max_choices,
        bool(anonymous),
        bool(changeable),
        deadline,
        closes_at,
        Audience.from_json(audience),
        origin,
        created_by,
        created_at,
    )


# --- polls --------------------------------------------------------------------------------


async def create(
    branch_id: int,
    *,
    ref: str,
    author: str,
    title: str,
    options: Sequence[str],
    max_choices: int = 1,
    anonymous: bool = False,
    changeable: bool = False,
    deadline: datetime | None,
    audience: Audience | None,
    group_id: str,
    now: datetime,
) -> tuple[PollView, bool]:
    """Make the poll (once per `ref`, the command's message): its receipt subject, then its
    row with the subject's number. (poll, made by this call)."""
    if not 2 <= len(options) <= len(LETTERS) or not 1 <= max_choices <= len(options):
        raise ValueError("2–26 options, 1 ≤ max_choices ≤ options")
    if anonymous and changeable:
        raise ValueError("an anonymous ballot cannot be changed")
    closes_at = deadline if deadline is not None else now + timedelta(days=config.poll_open_days)
    subject, _ = await create_subject(
        branch_id,
        POLL,
        ref,
        title,
        created_by=author,
        deadline=deadline,
        closes_at=closes_at,
        audience=audience,
        origin=group_id,
        now=now,
    )
    async with get_session() as session, session.begin():
        insert: Executable = (
            dialect_insert(session, _P)
            .values(
                id=subject.id,
                branch_id=branch_id,
                title=title,
                options=list(options),
                max_choices=max_choices,
                anonymous=anonymous,
                changeable=changeable,
                deadline=deadline,
                closes_at=closes_at,
                audience=audience.to_json() if audience else None,
                origin=group_id,
                created_by=author,
                created_at=now,
            )
            .on_conflict_do_nothing(index_elements=["id"])
            .returning(*_POLL_COLUMNS)
        )
        made = (await session.execute(insert)).first()
        if made is not None:
            return _poll(made), True
        found = (await session.execute(select(*_POLL_COLUMNS).where(_P.c.id == subject.id))).one()
    return _poll(found), False


async def poll(poll_id: int) -> PollView | None:
    async with get_session() as session:
        row = (await session.execute(select(*_POLL_COLUMNS).where(_P.c.id == poll_id))).first()
    return _poll(row) if row else None


async def open_polls(branch_id: int, now: datetime) -> list[PollView]:
    """The branch's polls that take ballots at `now`, newest first."""
    async with get_session() as session:
        rows = await session.execute(
            select(*_POLL_COLUMNS)
            .where(_P.c.branch_id == branch_id, _P.c.created_at <= now, _P.c.closes_at > now)
            .order_by(_P.c.created_at.desc(), _P.c.id.desc())
            .limit(20)
        )
        return [_poll(row) for row in rows]


async def latest(branch_id: int) -> PollView | None:
    """The branch's newest poll, open or not (`投票结果` without a number)."""
    async with get_session() as session:
        row = (
            await session.execute(
                select(*_POLL_COLUMNS)
                .where(_P.c.branch_id == branch_id)
                .order_by(_P.c.created_at.desc(), _P.c.id.desc())
                .limit(1)
            )
        ).first()
    return _poll(row) if row else None


# --- ballots --------------------------------------------------------------------------------


class Outcome(Enum):
    NEW = "new"
    """This call recorded the ballot."""
    ALREADY = "already"
    """The person had voted: the same choices, or in an anonymous poll anything."""
    CHANGED = "changed"
    """`可改票`: the recorded choices were replaced (`previous` has the old ones)."""
    KEPT = "kept"
    """The person had voted otherwise and the poll does not allow a change."""
    CLOSED = "closed"
    NO_SUCH = "no_such"


@dataclass(frozen=True)
class Vote:
    outcome: Outcome
    choices: str | None = None
    """The recorded choices after this call (None in an anonymous poll)."""
    previous: str | None = None
    """`CHANGED`: the choices before."""
    voted_at: datetime | None = None
    """When the person first voted."""


@dataclass(frozen=True, slots=True)
class _Request:
    poll_id: int
    person_id: int
    letters: str
    at: datetime


def valid(poll: PollView, letters: str) -> bool:
    """The letters name options of the poll, at least one, at most `max_choices`."""
    return 1 <= len(letters) <= poll.max_choices and all(ch in poll.letters for ch in letters)


async def vote(poll_id: int, person_id: int, letters: str, now: datetime | None = None) -> Vote:
    """Record `person_id`'s ballot once (committed before it returns). A second ballot, also
    from another process at the same moment, records nothing (`ALREADY` / `KEPT`), except
    in a `可改票` poll before its deadline, where it replaces the choices (`CHANGED`). The
    caller checks the letters (`valid`) and that the poll expects the person."""
    if not letters or any(ch not in LETTERS for ch in letters):
        raise ValueError(f"letters must be A–Z, not {letters!r}")
    return await _writer(_Request(poll_id, person_id, letters, now or clock.now()))


async def _vote_batch(requests: list[_Request]) -> list[Vote]:
    """Ballots of several requests in one transaction: the polls, one insert of `Voter`
    rows (ON CONFLICT DO NOTHING, in key order so two processes never deadlock), one of
    anonymous ballots, a read-back of those who had voted, and an update per change."""
    results: list[Vote | None] = [None] * len(requests)
    first: dict[tuple[int, int], int] = {}
    rows: list[dict[str, Any]] = []
    async with get_session() as session, session.begin():
        polls = {
            row.id: row
            for row in await session.execute(
                select(_P.c.id, _P.c.anonymous, _P.c.changeable, _P.c.closes_at).where(
                    _P.c.id.in_(sorted({r.poll_id for r in requests}))
                )
            )
        }
        for index, request in enumerate(requests):
            found = polls.get(request.poll_id)
            if found is None:
                results[index] = Vote(Outcome.NO_SUCH)
                continue
            if found.closes_at <= request.at:
                results[index] = Vote(Outcome.CLOSED)
                continue
            key = (request.poll_id, request.person_id)
            if key in first:
                continue
            first[key] = index
            rows.append(
                {
                    "poll_id": request.poll_id,
                    "person_id": request.person_id,
                    "choices": None if found.anonymous else request.letters,
                    "voted_at": request.at,
                }
            )
        inserted: set[tuple[int, int]] = set()
        if rows:
            insert: Executable = (
                dialect_insert(session, _V)
                .on_conflict_do_nothing(index_elements=["poll_id", "person_id"])
                .returning(_V.c.poll_id, _V.c.person_id)
            )
            ordered = sorted(rows, key=lambda row: (row["poll_id"], row["person_id"]))
            inserted = {(p, v) for p, v in await session.execute(insert, ordered)}
        secret = [
            {"id": uuid.uuid4().hex, "poll_id": poll_id, "choices": requests[first[key]].letters}
            for key in inserted
            if polls[(poll_id := key[0])].anonymous
        ]
        if secret:
            random.shuffle(secret)  # nothing in the batch follows the order of arrival
            await session.execute(_A.insert(), secret)
        current: dict[tuple[int, int], tuple[str | None, datetime]] = {}
        for row in rows:
            key = (row["poll_id"], row["person_id"])
            if key in inserted:
                current[key] = (row["choices"], row["voted_at"])
        others = [key for key in first if key not in inserted]
        if others:
            for p, v, choices, at in await session.execute(
                select(_V.c.poll_id, _V.c.person_id, _V.c.choices, _V.c.voted_at).where(
                    tuple_(_V.c.poll_id, _V.c.person_id).in_(others)
                )
            ):
                current[(p, v)] = (choices, at)
        for index, request in enumerate(requests):
            if results[index] is not None:
                continue
            key = (request.poll_id, request.person_id)
            found = polls[request.poll_id]
            recorded = current.get(key)
            if recorded is None:  # the poll was deleted meanwhile
                results[index] = Vote(Outcome.NO_SUCH)
                continue
            choices, at = recorded
            if first[key] == index and key in inserted:
                results[index] = Vote(Outcome.NEW, choices, voted_at=at)
            elif found.anonymous or choices == request.letters:
                results[index] = Vote(Outcome.ALREADY, choices, voted_at=at)
            elif found.changeable:
                await session.execute(
                    update(_V)
                    .where(_V.c.poll_id == request.poll_id, _V.c.person_id == request.person_id)
                    .values(choices=request.letters)
                )
                current[key] = (request.letters, at)
                results[index] = Vote(Outcome.CHANGED, request.letters, choices, at)
            else:
                results[index] = Vote(Outcome.KEPT, choices, voted_at=at)
    return [each for each in results if each is not None]


async def _vote_one(request: _Request) -> Vote:
    return (await _vote_batch([request]))[0]


_writer = GroupCommit("poll ballot", _vote_batch, _vote_one)


# --- results --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tally:
    poll: PollView
    counts: list[int]
    """Ballots naming each option, in the order of the options."""
    voters: int
    """People who voted."""
    named: list[tuple[int, str]]
    """(person, choices) of a named poll, earliest first; empty for an anonymous one."""


async def tally(poll: PollView) -> Tally:
    counts = [0] * len(poll.options)
    named: list[tuple[int, str]] = []
    async with get_session() as session:
        voters = await session.scalar(
            select(func.count()).select_from(_V).where(_V.c.poll_id == poll.id)
        )
        if poll.anonymous:
            ballots = list(
                await session.scalars(select(_A.c.choices).where(_A.c.poll_id == poll.id))
            )
        else:
            named = [
                (person_id, choices or "")
                for person_id, choices in await session.execute(
                    select(_V.c.person_id, _V.c.choices)
                    .where(_V.c.poll_id == poll.id)
                    .order_by(_V.c.voted_at, _V.c.person_id)
                )
            ]
            ballots = [choices for _, choices in named]
    for choices in ballots:
        for letter in choices:
            index = LETTERS.find(letter)
            if 0 <= index < len(counts):
                counts[index] += 1
    return Tally(poll, counts, voters or 0, named)


async def voted(poll_id: int, person_ids: Sequence[int]) -> set[int]:
    """Which of these people have voted in the poll."""
    if not person_ids:
        return set()
    async with get_session() as session:
        return set(
            (
                await session.scalars(
                    select(_V.c.person_id).where(
                        _V.c.poll_id == poll_id, _V.c.person_id.in_(list(person_ids))
                    )
                )
            ).all()
        )
