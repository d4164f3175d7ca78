"""Subjects, receipts and nudges, on plain values (branch and person ids, aware datetimes).

Every "at most once" rule is a constraint: (kind, ref) makes a subject once, (subject,
person) records one receipt, (subject, person, local day) one nudge. Writes insert with
`ON CONFLICT DO NOTHING … RETURNING`, so whoever's row went in is told so and everyone else
is told what was already there, also across processes. The automatic nudge before a deadline
and the summary at it are claimed by conditional UPDATEs (one winner).

Confirmations that arrive together share a transaction (`bot.batch.GroupCommit`): 200 people
sending 收到 in the same second are a few transactions, not 200. Every function opens its own
session; none is called while a session is held.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from nonebot import logger
from nonebot_plugin_orm import get_session
from sqlalchemy import (
    ColumnElement,
    Executable,
    Row,
    delete,
    or_,
    select,
    true,
    tuple_,
    update,
)

from bot import clock
from bot.batch import GroupCommit
from bot.db import dialect_insert, rowcount

from . import models

NOTICE = "notice"
REMINDER = "reminder"
STUDY = "study"
MEETING = "meeting"
POLL = "poll"
"""Kinds the features use (any short string works; these keep them consistent)."""

PRIVATE = "private"
OFFICER_PREFIX = "officer:"
"""A receipt an officer recorded for someone (`officer:<user id>`): a correction, kept as such."""
_CHANNEL = re.compile(r"^(private|group:\S{1,64}|officer:\S{1,64})$")

_S = models.Subject.__table__
_R = models.Receipt.__table__
_N = models.Nudge.__table__


class ReceiptError(Exception):
    """A receipt or nudge that cannot be recorded (the reason is the class)."""


class NoSuchSubject(ReceiptError, LookupError):
    def __init__(self, subject_id: int) -> None:
        super().__init__(f"no subject {subject_id}")
        self.subject_id = subject_id


class SubjectClosed(ReceiptError):
    def __init__(self, subject_id: int) -> None:
        super().__init__(f"subject {subject_id} is closed")
        self.subject_id = subject_id


# --- values -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Subject:
    """Something people must confirm."""

    id: int
    """Its number (编号)."""
    branch_id: int
    kind: str
    ref: str
    title: str
    deadline: datetime | None
    created_by: str
    created_at: datetime
    closed_at: datetime | None
    """From then on no receipts (may be in the future); None: open."""
    reminded_at: datetime | None = None
    summarized_at: datetime | None = None
    audience: Audience | None = None
    """Who is expected (roster filters); None: the whole roster of the branch."""
    origin: str = ""
    """The group it was posted in ("" when none)."""

    def is_open(self, now: datetime) -> bool:
        return self.created_at <= now and (self.closed_at is None or self.closed_at > now)

    def is_late(self, at: datetime) -> bool:
        return self.deadline is not None and at > self.deadline


@dataclass(frozen=True)
class Audience:
    """Who is expected, as roster filters: these statuses and / or these 党小组 and / or these
    offices (an empty tuple does not filter; the filters are AND'd)."""

    statuses: tuple[str, ...] = ()
    party_groups: tuple[str, ...] = ()
    offices: tuple[str, ...] = ()
    """Branch offices (书记, 组织委员 …): a 支委会 expects the committee."""

    def to_json(self) -> dict[str, list[str]]:
        data = {"statuses": list(self.statuses), "party_groups": list(self.party_groups)}
        if self.offices:  # only when used: subjects stored before offices existed read alike
            data["offices"] = list(self.offices)
        return data

    @classmethod
    def from_json(cls, data: Any) -> Audience | None:
        if not isinstance(data, dict):
            return None
        return cls(
            tuple(str(s) for s in data.get("statuses") or ()),
            tuple(str(g) for g in data.get("party_groups") or ()),
            tuple(str(o) for o in data.get("offices") or ()),
        )


_SUBJECT_COLUMNS = (
    _S.c.id,
    _S.c.branch_id,
    _S.c.kind,
    _S.c.ref,
    _S.c.title,
    _S.c.deadline,
    _S.c.created_by,
    _S.c.created_at,
    _S.c.closed_at,
    _S.c.reminded_at,
    _S.c.summarized_at,
    _S.c.audience,
    _S.c.origin,
)


def _subject(row: Row[*tuple[Any, ...]]) -> Subject:
    *values, audience, origin = row
    return Subject(*values, audience=Audience.from_json(audience), origin=origin or "")


@dataclass(frozen=True)
class Confirmation:
    new: bool
    """True for the call that recorded the receipt; False: it was already recorded."""
    confirmed_at: datetime
    """When the (first) receipt was recorded."""
    late: bool
    """The receipt came after the deadline."""
    channel: str
    """Where the recorded receipt came from (`group:<id>` or `private`)."""


class Confirmed(NamedTuple):
    person_id: int
    at: datetime
    late: bool
    channel: str


@dataclass(frozen=True)
class Completion:
    """Who of the expected people confirmed a subject.

    Receipts of people the caller no longer expects (left the branch, status changed) are
    not counted; they are listed in `unexpected` so officers can still see them.
    """

    subject_id: int
    confirmed: list[Confirmed]
    """Expected people who confirmed, earliest first."""
    missing: list[int]
    """Expected people who did not, in the order the caller gave them."""
    unexpected: list[Confirmed] = field(default_factory=list)
    """Receipts from people not in the expected set, earliest first (not counted)."""

    @property
    def confirmed_count(self) -> int:
        return len(self.confirmed)

    @property
    def expected_count(self) -> int:
        return len(self.confirmed) + len(self.missing)

    @property
    def late(self) -> list[Confirmed]:
        return [each for each in self.confirmed if each.late]

    @property
    def complete(self) -> bool:
        return not self.missing


@dataclass(frozen=True)
class NudgeReport:
    claimed: list[int]
    """People claimed for a nudge today (the others were nudged today already or confirmed)."""
    sent: list[int]
    """Nudges that went out (or may have: an uncertain delivery counts as sent)."""
    failed: list[int]
    """Nudges that certainly did not go out; their claims were released for a later try."""


# --- subjects ---------------------------------------------------------------------------


async def create_subject(
    branch_id: int,
    kind: str,
    ref: str,
    title: str,
    *,
    created_by: str,
    deadline: datetime | None = None,
    closes_at: datetime | None = None,
    audience: Audience | None = None,
    origin: str = "",
    now: datetime | None = None,
) -> tuple[Subject, bool]:
    """Make the subject (kind, ref), or find it when it exists: (subject, made by this call).

    Idempotent, also across processes: the second call gets the first one's subject
    unchanged (its title and deadline are not updated).
    """
    now = now or clock.now()
    async with get_session() as session, session.begin():
        insert: Executable = (
            dialect_insert(session, _S)
            .values(
                branch_id=branch_id,
                kind=kind,
                ref=ref,
                title=title,
                deadline=deadline,
                created_by=created_by,
                created_at=now,
                closed_at=closes_at,
                audience=audience.to_json() if audience else None,
                origin=origin,
            )
            .on_conflict_do_nothing(index_elements=["kind", "ref"])
            .returning(*_SUBJECT_COLUMNS)
        )
        made = (await session.execute(insert)).first()
        if made is not None:
            return _subject(made), True
        found = (
            await session.execute(
                select(*_SUBJECT_COLUMNS).where(_S.c.kind == kind, _S.c.ref == ref)
            )
        ).one()
    return _subject(found), False


async def subject(subject_id: int) -> Subject | None:
    """The subject with this number, if any."""
    async with get_session() as session:
        row = (
            await session.execute(select(*_SUBJECT_COLUMNS).where(_S.c.id == subject_id))
        ).first()
    return _subject(row) if row else None


async def subject_by_ref(kind: str, ref: str) -> Subject | None:
    async with get_session() as session:
        row = (
            await session.execute(
                select(*_SUBJECT_COLUMNS).where(_S.c.kind == kind, _S.c.ref == ref)
            )
        ).first()
    return _subject(row) if row else None


async def open_subjects(
    branch_id: int,
    now: datetime | None = None,
    kinds: Sequence[str] | None = None,
    *,
    limit: int = 20,
) -> list[Subject]:
    """A branch's subjects that take receipts at `now`, newest first (the first is what a
    bare `收到` confirms)."""
    now = now or clock.now()
    query = (
        select(*_SUBJECT_COLUMNS)
        .where(
            _S.c.branch_id == branch_id,
            _S.c.created_at <= now,
            or_(_S.c.closed_at.is_(None), _S.c.closed_at > now),
        )
        .order_by(_S.c.created_at.desc(), _S.c.id.desc())
        .limit(limit)
    )
    if kinds is not None:
        query = query.where(_S.c.kind.in_(list(kinds)))
    async with get_session() as session:
        return [_subject(row) for row in await session.execute(query)]


async def close_subject(subject_id: int, now: datetime | None = None) -> bool:
    """Stop taking receipts from `now` on; False when it was closed already (or unknown)."""
    now = now or clock.now()
    async with get_session() as session, session.begin():
        changed = await rowcount(
            session,
            update(_S)
            .where(_S.c.id == subject_id, or_(_S.c.closed_at.is_(None), _S.c.closed_at > now))
            .values(closed_at=now),
        )
    return changed == 1


async def move_subject(
    subject_id: int, *, deadline: datetime | None, closes_at: datetime | None
) -> bool:
    """Set a subject's deadline and end anew (a meeting moved to another time); receipts
    already recorded stay. False when there is no such subject."""
    async with get_session() as session, session.begin():
        changed = await rowcount(
            session,
            update(_S)
            .where(_S.c.id == subject_id)
            .values(deadline=deadline, closed_at=closes_at, reminded_at=None, summarized_at=None),
        )
    return changed == 1


# --- receipts ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Request:
    subject_id: int
    person_id: int
    channel: str
    at: datetime


async def confirm(
    subject_id: int, person_id: int, channel: str, now: datetime | None = None
) -> Confirmation:
    """Record that `person_id` confirmed the subject, once.

    Committed before it returns. A second call (also from another process, also at the same
    moment) records nothing and gets the first receipt's time: `new` is False. Raises
    `NoSuchSubject`, or `SubjectClosed` once the subject's `closed_at` has come. A receipt
    after the deadline is recorded and marked late.
    """
    if not _CHANNEL.match(channel):
        raise ValueError(
            f"channel must be 'private', 'group:<id>' or 'officer:<id>', not {channel!r}"
        )
    result = await _writer(_Request(subject_id, person_id, channel, now or clock.now()))
    if isinstance(result, ReceiptError):
        raise result
    return result


async def _confirm_batch(requests: list[_Request]) -> list[Confirmation | ReceiptError]:
    """Receipts of several requests in one transaction with at most three statements.

    The insert skips the (subject, person) pairs that exist (ON CONFLICT DO NOTHING) and
    returns the pairs it wrote; the others are read back afterwards, which on PostgreSQL
    sees the row of a concurrent transaction that made the insert skip (it waited for it).
    """
    results: list[Confirmation | ReceiptError | None] = [None] * len(requests)
    first: dict[tuple[int, int], int] = {}
    rows: list[dict[str, Any]] = []
    async with get_session() as session, session.begin():
        subjects = {
            subject_id: (deadline, closed_at)
            for subject_id, deadline, closed_at in await session.execute(
                select(_S.c.id, _S.c.deadline, _S.c.closed_at).where(
                    _S.c.id.in_(sorted({r.subject_id for r in requests}))
                )
            )
        }
        for index, request in enumerate(requests):
            found = subjects.get(request.subject_id)
            if found is None:
                results[index] = NoSuchSubject(request.subject_id)
                continue
            deadline, closed_at = found
            if closed_at is not None and closed_at <= request.at:
                results[index] = SubjectClosed(request.subject_id)
                continue
            key = (request.subject_id, request.person_id)
            if key in first:
                continue
            first[key] = index
            rows.append(
                {
                    "subject_id": request.subject_id,
                    "person_id": request.person_id,
                    "confirmed_at": request.at,
                    "channel": request.channel,
                    "late": deadline is not None and request.at > deadline,
                }
            )
        inserted: set[tuple[int, int]] = set()
        if rows:
            insert: Executable = (
                dialect_insert(session, _R)
                .on_conflict_do_nothing(index_elements=["subject_id", "person_id"])
                .returning(_R.c.subject_id, _R.c.person_id)
            )
            # In key order: two processes' batches then take the unique index's keys in
            # the same order and never wait for each other in a cycle (a deadlock).
            ordered = sorted(rows, key=lambda row: (row["subject_id"], row["person_id"]))
            inserted = {(s, p) for s, p in await session.execute(insert, ordered)}
        known: dict[tuple[int, int], Confirmation] = {}
        made = {(row["subject_id"], row["person_id"]): row for row in rows}
        for key in inserted:
            row = made[key]
            known[key] = Confirmation(True, row["confirmed_at"], row["late"], row["channel"])
        others = [key for key in first if key not in inserted]
        if others:
            for s, p, at, late, channel in await session.execute(
                select(
                    _R.c.subject_id, _R.c.person_id, _R.c.confirmed_at, _R.c.late, _R.c.channel
                ).where(tuple_(_R.c.subject_id, _R.c.person_id).in_(others))
            ):
                known[(s, p)] = Confirmation(False, at, late, channel)
    for index, request in enumerate(requests):
        if results[index] is not None:
            continue
        key = (request.subject_id, request.person_id)
        recorded = known.get(key)
        if recorded is None:  # the subject was deleted meanwhile
            results[index] = NoSuchSubject(request.subject_id)
        elif first[key] == index:
            results[index] = recorded
        else:  # the same person twice in one batch: the first one counts
            results[index] = Confirmation(
                False, recorded.confirmed_at, recorded.late, recorded.channel
            )
    return [each for each in results if each is not None]


async def _confirm_one(request: _Request) -> Confirmation | ReceiptError:
    return (await _confirm_batch([request]))[0]


_writer = GroupCommit("receipt", _confirm_batch, _confirm_one)


async def record_correction(
    subject_id: int, person_id: int, channel: str, now: datetime | None = None
) -> Confirmation:
    """An officer records a receipt for someone after the fact (补登): taken also once the
    subject is closed, never marked late, with a channel naming the officer
    (`officer:<user id>`). Once per (subject, person) like `confirm`: when a receipt exists,
    nothing changes and `new` is False. Raises `NoSuchSubject`."""
    if not channel.startswith(OFFICER_PREFIX) or not _CHANNEL.match(channel):
        raise ValueError(f"a correction's channel is 'officer:<id>', not {channel!r}")
    now = now or clock.now()
    async with get_session() as session, session.begin():
        if await session.scalar(select(_S.c.id).where(_S.c.id == subject_id)) is None:
            raise NoSuchSubject(subject_id)
        insert: Executable = (
            dialect_insert(session, _R)
            .values(
                subject_id=subject_id,
                person_id=person_id,
                confirmed_at=now,
                channel=channel,
                late=False,
            )
            .on_conflict_do_nothing(index_elements=["subject_id", "person_id"])
            .returning(_R.c.person_id)
        )
        if (await session.execute(insert)).first() is not None:
            return Confirmation(True, now, False, channel)
        at, late, was = (
            await session.execute(
                select(_R.c.confirmed_at, _R.c.late, _R.c.channel).where(
                    _R.c.subject_id == subject_id, _R.c.person_id == person_id
                )
            )
        ).one()
    return Confirmation(False, at, late, was)


async def confirmed_by(person_id: int, subject_ids: Sequence[int]) -> set[int]:
    """Which of these subjects the person has confirmed."""
    if not subject_ids:
        return set()
    async with get_session() as session:
        found = await session.scalars(
            select(_R.c.subject_id).where(
                _R.c.person_id == person_id, _R.c.subject_id.in_(list(subject_ids))
            )
        )
        return set(found.all())


async def completion(subject_id: int, expected_person_ids: Iterable[int]) -> Completion:
    """Confirmed N of the expected M, and who has not (`回执`). Raises `NoSuchSubject`.

    The expected set is the caller's (the roster's "who is expected"); duplicates in it
    count once.
    """
    expected = list(dict.fromkeys(expected_person_ids))
    async with get_session() as session:
        if await session.scalar(select(_S.c.id).where(_S.c.id == subject_id)) is None:
            raise NoSuchSubject(subject_id)
        receipts = [
            Confirmed(person_id, at, late, channel)
            for person_id, at, late, channel in await session.execute(
                select(_R.c.person_id, _R.c.confirmed_at, _R.c.late, _R.c.channel)
                .where(_R.c.subject_id == subject_id)
                .order_by(_R.c.confirmed_at, _R.c.person_id)
            )
        ]
    wanted = set(expected)
    confirmed = [each for each in receipts if each.person_id in wanted]
    done = {each.person_id for each in confirmed}
    return Completion(
        subject_id,
        confirmed=confirmed,
        missing=[person_id for person_id in expected if person_id not in done],
        unexpected=[each for each in receipts if each.person_id not in wanted],
    )


# --- nudges -----------------------------------------------------------------------------


async def claim_nudges(
    subject_id: int, person_ids: Iterable[int], now: datetime | None = None
) -> list[int]:
    """Claim today's nudge (local day) for these people; returns only those newly claimed,
    in the given order. People who confirmed already, or were claimed today (by any
    process), are left out. Raises `NoSuchSubject` or `SubjectClosed`."""
    now = now or clock.now()
    day = clock.today(now)
    wanted = list(dict.fromkeys(person_ids))
    if not wanted:
        return []
    async with get_session() as session, session.begin():
        found = (await session.execute(select(_S.c.closed_at).where(_S.c.id == subject_id))).first()
        if found is None:
            raise NoSuchSubject(subject_id)
        if found.closed_at is not None and found.closed_at <= now:
            raise SubjectClosed(subject_id)
        confirmed = set(
            (
                await session.scalars(select(_R.c.person_id).where(_R.c.subject_id == subject_id))
            ).all()
        )
        rows = [
            {"subject_id": subject_id, "person_id": p, "day": day, "claimed_at": now}
            for p in wanted
            if p not in confirmed
        ]
        if not rows:
            return []
        insert: Executable = (
            dialect_insert(session, _N)
            .on_conflict_do_nothing(index_elements=["subject_id", "person_id", "day"])
            .returning(_N.c.person_id)
        )
        ordered = sorted(rows, key=lambda row: row["person_id"])  # see _confirm_batch
        claimed = set((await session.scalars(insert, ordered)).all())
    return [p for p in wanted if p in claimed]


async def release_nudges(
    subject_id: int, person_ids: Iterable[int], now: datetime | None = None
) -> int:
    """Give back today's claims of nudges that certainly did not go out; how many."""
    ids = list(dict.fromkeys(person_ids))
    if not ids:
        return 0
    day = clock.today(now or clock.now())
    async with get_session() as session, session.begin():
        return await rowcount(
            session,
            delete(_N).where(
                _N.c.subject_id == subject_id, _N.c.day == day, _N.c.person_id.in_(ids)
            ),
        )


async def nudge(
    subject_id: int,
    person_ids: Iterable[int],
    send: Callable[[int], Awaitable[bool]],
    now: datetime | None = None,
) -> NudgeReport:
    """Claim today's nudges, then `send(person_id)` to each claimed person, one after another
    (pass a send through `bot.outbox`, which paces). `send` returns True when the message
    went out or may have (`Delivery.ok or Delivery.uncertain`): that claim stands, so nobody
    gets two today. False or an exception: the claim is released and a later call may try
    again. No session is held while sending."""
    now = now or clock.now()
    claimed = await claim_nudges(subject_id, person_ids, now)
    return await deliver_nudges(subject_id, claimed, send, now)


async def deliver_nudges(
    subject_id: int,
    claimed: Sequence[int],
    send: Callable[[int], Awaitable[bool]],
    now: datetime | None = None,
) -> NudgeReport:
    """The second half of `nudge`, for callers that answer between claiming and sending
    (`催办` replies with the count, then sends in the background): `send` to each claimed
    person, release the claims whose send certainly failed."""
    now = now or clock.now()
    claimed = list(claimed)
    sent: list[int] = []
    failed: list[int] = []
    for person_id in claimed:
        try:
            ok = await send(person_id)
        except Exception as e:  # one person's failure never stops the others
            logger.opt(exception=e).warning(f"nudge of {person_id} about {subject_id} failed")
            ok = False
        (sent if ok else failed).append(person_id)
    if failed:
        await release_nudges(subject_id, failed, now)
    return NudgeReport(claimed, sent, failed)


# --- deadline work ----------------------------------------------------------------------


def _of_kinds(kinds: Sequence[str] | None) -> ColumnElement[bool]:
    return true() if kinds is None else _S.c.kind.in_(list(kinds))


async def due_for_reminder(
    now: datetime, before: timedelta, kinds: Sequence[str] | None = None
) -> list[Subject]:
    """Claim the automatic nudges before deadlines that are due: open subjects whose
    deadline is within `before` from `now` and not yet past, made at least `before` ahead of
    their deadline (a notice posted an hour before its deadline is not nudged at once), and
    not claimed yet. Each subject is returned to exactly one caller, across processes; a
    process that dies after claiming does not send it (at most once, like pushes). A feature
    passes its own `kinds`, so it never claims another feature's subjects."""
    async with get_session() as session, session.begin():
        candidates = [
            subject_id
            for subject_id, deadline, created_at in await session.execute(
                select(_S.c.id, _S.c.deadline, _S.c.created_at).where(
                    _S.c.deadline.is_not(None),
                    _S.c.deadline > now,
                    _S.c.deadline <= now + before,
                    _S.c.reminded_at.is_(None),
                    _S.c.summarized_at.is_(None),
                    or_(_S.c.closed_at.is_(None), _S.c.closed_at > now),
                    _of_kinds(kinds),
                )
            )
            if deadline is not None and created_at + before <= deadline
        ]
        if not candidates:
            return []
        claim: Executable = (
            update(_S)
            .where(_S.c.id.in_(candidates), _S.c.reminded_at.is_(None))
            .values(reminded_at=now)
            .returning(*_SUBJECT_COLUMNS)
        )
        claimed = [_subject(row) for row in await session.execute(claim)]
    return sorted(claimed, key=lambda s: (s.deadline or now, s.id))


async def due_for_summary(now: datetime, kinds: Sequence[str] | None = None) -> list[Subject]:
    """Claim the summaries at deadlines that have passed: subjects with a deadline at or
    before `now`, not closed before it, whose summary nobody claimed. Each is returned to
    exactly one caller, across processes (one conditional UPDATE). A feature passes its own
    `kinds`."""
    async with get_session() as session, session.begin():
        claim: Executable = (
            update(_S)
            .where(
                _S.c.deadline.is_not(None),
                _S.c.deadline <= now,
                _S.c.summarized_at.is_(None),
                or_(_S.c.closed_at.is_(None), _S.c.closed_at >= _S.c.deadline),
                _of_kinds(kinds),
            )
            .values(summarized_at=now)
            .returning(*_SUBJECT_COLUMNS)
        )
        claimed = [_subject(row) for row in await session.execute(claim)]
    return sorted(claimed, key=lambda s: (s.deadline or now, s.id))
