"""The receipt service without a bot: subjects, one receipt per person, completion, nudges
once a day, deadline work claimed once — on SQLite, and on PostgreSQL with TEST_DATABASE_URL."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.clock import FixedClock

GROUP = "group:1001"
ROOT = Path(__file__).resolve().parents[2]


async def _notice(ref: str = "n1", **kwargs):
    from bot.receipts import create_subject

    made, new = await create_subject(
        7, "notice", ref, kwargs.pop("title", "学习二十届三中全会精神"), created_by="p1", **kwargs
    )
    assert new
    return made


async def _receipts(subject_id: int) -> list[tuple[int, bool]]:
    from nonebot_plugin_orm import get_session
    from sqlalchemy import select

    from bot.receipts.models import Receipt

    async with get_session() as session:
        rows = await session.execute(
            select(Receipt.person_id, Receipt.late)
            .where(Receipt.subject_id == subject_id)
            .order_by(Receipt.person_id)
        )
        return [(p, late) for p, late in rows]


# --- subjects ---------------------------------------------------------------------------


async def test_subject_is_made_once_per_kind_and_ref(clock: FixedClock) -> None:
    from bot.receipts import create_subject, subject, subject_by_ref

    deadline = clock.now() + timedelta(days=1)
    first, new = await create_subject(
        7, "notice", "n1", "交党费", created_by="p1", deadline=deadline
    )
    again, new_again = await create_subject(7, "notice", "n1", "改过的标题", created_by="p2")
    assert (new, new_again) == (True, False)
    assert again == first
    assert (first.title, first.deadline, first.created_at) == ("交党费", deadline, clock.now())
    assert first.deadline is not None
    assert first.deadline.tzinfo is not None
    assert await subject(first.id) == first
    assert await subject_by_ref("notice", "n1") == first
    assert await subject(first.id + 100) is None
    other, new_other = await create_subject(
        7, "reminder", "n1", "同 ref 不同 kind", created_by="p1"
    )
    assert new_other
    assert other.id != first.id


async def test_subject_made_concurrently_is_one_subject(clock: FixedClock) -> None:
    from bot.receipts import create_subject

    results = await asyncio.gather(
        *(
            create_subject(7, "reminder", "r5@2026-11-30T10:00", "开会", created_by="x")
            for _ in range(10)
        )
    )
    assert len({s.id for s, _ in results}) == 1
    assert sum(new for _, new in results) == 1


async def test_open_subjects_newest_first_by_branch_and_kind(clock: FixedClock) -> None:
    from bot.receipts import close_subject, open_subjects

    a = await _notice("a")
    clock.advance(timedelta(minutes=1))
    b = await _notice("b", closes_at=clock.now() + timedelta(hours=1))
    clock.advance(timedelta(minutes=1))
    c = await _notice("c")
    from bot.receipts import create_subject

    await create_subject(8, "notice", "other-branch", "别的支部", created_by="p9")
    study, _ = await create_subject(7, "study", "s1", "学习推送", created_by="p1")
    assert [s.id for s in await open_subjects(7)] == [study.id, c.id, b.id, a.id]
    assert [s.id for s in await open_subjects(7, kinds=["notice"])] == [c.id, b.id, a.id]
    assert await close_subject(c.id)
    assert not await close_subject(c.id)  # closed already
    later = clock.now() + timedelta(hours=2)  # b closed by itself
    assert [s.id for s in await open_subjects(7, later, kinds=["notice"])] == [a.id]


# --- receipts ---------------------------------------------------------------------------


async def test_confirm_once_and_told_it_was_recorded(clock: FixedClock) -> None:
    from bot.receipts import confirm

    notice = await _notice()
    first = await confirm(notice.id, 11, GROUP)
    assert (first.new, first.confirmed_at, first.late, first.channel) == (
        True,
        clock.now(),
        False,
        GROUP,
    )
    clock.advance(timedelta(minutes=5))
    again = await confirm(notice.id, 11, "private")
    assert (again.new, again.confirmed_at, again.channel) == (False, first.confirmed_at, GROUP)
    assert await _receipts(notice.id) == [(11, False)]


async def test_confirm_refuses_unknown_closed_and_bad_channel(clock: FixedClock) -> None:
    from bot.receipts import NoSuchSubject, SubjectClosed, close_subject, confirm

    notice = await _notice()
    with pytest.raises(NoSuchSubject):
        await confirm(notice.id + 1, 11, GROUP)
    with pytest.raises(ValueError, match="channel"):
        await confirm(notice.id, 11, "qq")
    await close_subject(notice.id)
    with pytest.raises(SubjectClosed):
        await confirm(notice.id, 11, "private")
    assert await _receipts(notice.id) == []


async def test_late_after_the_deadline(clock: FixedClock) -> None:
    from bot.receipts import confirm

    notice = await _notice(deadline=clock.now() + timedelta(hours=2))
    assert not (await confirm(notice.id, 1, GROUP)).late
    clock.advance(timedelta(hours=2))
    assert not (await confirm(notice.id, 2, GROUP)).late  # at the deadline is in time
    clock.advance(timedelta(seconds=1))
    assert (await confirm(notice.id, 3, "private")).late
    assert (await confirm(notice.id, 3, "private")).late  # the repeat reports the stored flag
    assert await _receipts(notice.id) == [(1, False), (2, False), (3, True)]


async def test_two_hundred_at_once_a_quarter_twice(clock: FixedClock) -> None:
    from bot.receipts import confirm, service

    notice = await _notice()
    people = list(range(1, 201))
    twice = people[::4]
    before = service._writer.batches
    results = await asyncio.gather(
        *(confirm(notice.id, p, GROUP) for p in people + twice),
    )
    assert sum(r.new for r in results) == 200
    repeats = results[200:]
    assert all(not r.new for r in repeats)  # every second one: already recorded
    first_of = dict(zip(people, results, strict=False))
    assert all(
        r.confirmed_at == first_of[p].confirmed_at for p, r in zip(twice, repeats, strict=True)
    )
    assert len(await _receipts(notice.id)) == 200
    assert service._writer.batches - before < 20  # shared transactions, not 200


async def test_concurrent_sessions_without_group_commit(clock: FixedClock) -> None:
    """Each confirmation in its own transaction, all at once: the constraint alone decides."""
    from bot.receipts import service

    notice = await _notice()
    people = list(range(1, 41)) * 2
    results = await asyncio.gather(
        *(service._confirm_one(service._Request(notice.id, p, GROUP, clock.now())) for p in people)
    )
    assert sum(1 for r in results if isinstance(r, service.Confirmation) and r.new) == 40
    assert len(await _receipts(notice.id)) == 40


async def test_a_batch_with_mixed_subjects_and_repeats(clock: FixedClock) -> None:
    from bot.receipts import NoSuchSubject, SubjectClosed, close_subject, confirm, service

    open_one = await _notice("a")
    closed = await _notice("b")
    await close_subject(closed.id)
    await confirm(open_one.id, 5, GROUP)
    clock.advance(timedelta(minutes=1))
    requests = [
        service._Request(open_one.id, 5, "private", clock.now()),  # recorded before
        service._Request(open_one.id, 6, "private", clock.now()),
        service._Request(open_one.id, 6, GROUP, clock.now()),  # twice in one batch
        service._Request(closed.id, 6, GROUP, clock.now()),
        service._Request(closed.id + 10, 6, GROUP, clock.now()),
    ]
    results = await service._confirm_batch(requests)
    assert [type(r).__name__ for r in results] == [
        "Confirmation",
        "Confirmation",
        "Confirmation",
        SubjectClosed.__name__,
        NoSuchSubject.__name__,
    ]
    first, six, six_again = (r for r in results[:3] if isinstance(r, service.Confirmation))
    assert (first.new, first.channel) == (False, GROUP)
    assert (six.new, six_again.new, six_again.channel) == (True, False, "private")


# --- completion -------------------------------------------------------------------------


async def test_completion_counts_the_expected_only(clock: FixedClock) -> None:
    from bot.receipts import NoSuchSubject, completion, confirm

    notice = await _notice(deadline=clock.now() + timedelta(hours=1))
    for person in (3, 1):
        await confirm(notice.id, person, GROUP)
        clock.advance(timedelta(minutes=1))
    clock.advance(timedelta(hours=1))
    await confirm(notice.id, 4, "private")  # late
    await confirm(notice.id, 99, GROUP)  # left the branch since
    done = await completion(notice.id, [1, 2, 3, 4, 5, 2])
    assert [(c.person_id, c.late) for c in done.confirmed] == [(3, False), (1, False), (4, True)]
    assert done.missing == [2, 5]
    assert (done.confirmed_count, done.expected_count) == (3, 5)
    assert [c.person_id for c in done.late] == [4]
    assert [c.person_id for c in done.unexpected] == [99]
    assert not done.complete
    assert (await completion(notice.id, [])).expected_count == 0
    with pytest.raises(NoSuchSubject):
        await completion(notice.id + 1, [1])


# --- nudges -----------------------------------------------------------------------------


async def test_nudges_once_a_day_and_again_the_next_day(clock: FixedClock) -> None:
    from bot.receipts import claim_nudges, confirm

    notice = await _notice()
    await confirm(notice.id, 2, GROUP)
    assert await claim_nudges(notice.id, [1, 2, 3, 1]) == [1, 3]  # 2 confirmed
    assert await claim_nudges(notice.id, [1, 3, 4]) == [4]  # 催办 twice the same day
    clock.set(datetime(2026, 11, 30, 15, 59, tzinfo=UTC))  # 23:59 in Shanghai: same day
    assert await claim_nudges(notice.id, [1, 3, 4]) == []
    clock.set(datetime(2026, 11, 30, 16, 0, tzinfo=UTC))  # 00:00 the next local day
    assert await claim_nudges(notice.id, [1, 3, 4]) == [1, 3, 4]


async def test_nudges_claimed_concurrently_go_to_one_caller(clock: FixedClock) -> None:
    from bot.receipts import claim_nudges

    notice = await _notice()
    people = list(range(300))
    results = await asyncio.gather(*(claim_nudges(notice.id, people) for _ in range(4)))
    claimed = [p for r in results for p in r]
    assert sorted(claimed) == people


async def test_nudge_refused_for_unknown_or_closed(clock: FixedClock) -> None:
    from bot.receipts import NoSuchSubject, SubjectClosed, claim_nudges, close_subject

    notice = await _notice()
    with pytest.raises(NoSuchSubject):
        await claim_nudges(notice.id + 1, [1])
    await close_subject(notice.id)
    with pytest.raises(SubjectClosed):
        await claim_nudges(notice.id, [1])


async def test_nudge_sends_and_releases_what_did_not_go_out(clock: FixedClock) -> None:
    from bot.receipts import nudge

    notice = await _notice()
    got: list[int] = []

    async def send(person_id: int) -> bool:
        if person_id == 3:
            raise RuntimeError("no account reaches them")
        got.append(person_id)
        return person_id != 2  # 2: refused by the platform

    report = await nudge(notice.id, [1, 2, 3, 4], send)
    assert (report.claimed, report.sent, report.failed) == ([1, 2, 3, 4], [1, 4], [2, 3])
    retry = await nudge(notice.id, [1, 2, 3, 4], send)  # later the same day
    assert (retry.claimed, retry.sent) == ([2, 3], [])
    assert got == [1, 2, 4, 2]


# --- deadline work ----------------------------------------------------------------------


async def test_reminder_before_the_deadline_claimed_once(clock: FixedClock) -> None:
    from bot.receipts import close_subject, due_for_reminder

    before = timedelta(hours=2)
    due = await _notice("due", deadline=clock.now() + timedelta(hours=3))
    await _notice("rushed", deadline=clock.now() + timedelta(hours=1))  # posted inside the window
    await _notice("none")
    closed = await _notice("closed", deadline=clock.now() + timedelta(hours=3))
    await close_subject(closed.id)
    assert await due_for_reminder(clock.now(), before) == []
    clock.advance(timedelta(hours=1))
    results = await asyncio.gather(*(due_for_reminder(clock.now(), before) for _ in range(5)))
    claimed = [s.id for r in results for s in r]
    assert claimed == [due.id]
    assert await due_for_reminder(clock.now() + timedelta(minutes=30), before) == []


async def test_summary_at_the_deadline_claimed_once(clock: FixedClock) -> None:
    from bot.receipts import close_subject, due_for_summary

    first = await _notice("a", deadline=clock.now() + timedelta(hours=1))
    second = await _notice("b", deadline=clock.now() + timedelta(hours=2))
    cancelled = await _notice("c", deadline=clock.now() + timedelta(hours=1))
    await _notice("none")
    await close_subject(cancelled.id)
    assert await due_for_summary(clock.now()) == []
    clock.advance(timedelta(hours=3))
    results = await asyncio.gather(*(due_for_summary(clock.now()) for _ in range(5)))
    claimed = [s.id for r in results for s in r]
    assert sorted(claimed) == [first.id, second.id]
    assert next(s for r in results for s in r if s.id == first.id).summarized_at == clock.now()
    assert await due_for_summary(clock.now() + timedelta(days=1)) == []


async def test_deadline_work_only_of_the_callers_kinds(clock: FixedClock) -> None:
    from bot.receipts import create_subject, due_for_reminder, due_for_summary

    deadline = clock.now() + timedelta(hours=3)
    notice = await _notice("n", deadline=deadline)
    meeting, _ = await create_subject(
        7, "meeting", "m", "支部大会", created_by="p1", deadline=deadline
    )
    soon, before = clock.now() + timedelta(hours=2), timedelta(hours=2)
    assert [s.id for s in await due_for_reminder(soon, before, kinds=["notice"])] == [notice.id]
    assert [s.id for s in await due_for_reminder(soon, before, kinds=["notice"])] == []
    assert [s.id for s in await due_for_reminder(soon, before)] == [meeting.id]
    after = deadline + timedelta(minutes=1)
    assert [s.id for s in await due_for_summary(after, kinds=["meeting"])] == [meeting.id]
    assert [s.id for s in await due_for_summary(after, kinds=["notice"])] == [notice.id]


# --- several processes ------------------------------------------------------------------


async def _worker(url: str, subject_id: int, first: int, last: int) -> asyncio.subprocess.Process:
    import sys

    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.core.receipts_worker",
        url,
        str(subject_id),
        str(first),
        str(last),
        cwd=ROOT,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    line = b""
    while line.strip() != b"ready":  # NoneBot's log goes to stdout too
        line = await asyncio.wait_for(process.stdout.readline(), 60)
        assert line, "the worker ended before it was ready"
    return process


async def test_two_processes_confirming_the_same_people(clock: FixedClock) -> None:
    """Two processes, each with its own engine, confirm the same 200 people at the same
    moment (and this one a quarter of them too): exactly one receipt each."""
    import json

    from nonebot_plugin_orm import get_session
    from sqlalchemy import Engine

    from bot.receipts import confirm

    notice = await _notice()
    async with get_session() as session:
        engine = session.get_bind()
        assert isinstance(engine, Engine)
        url = engine.url.render_as_string(hide_password=False)
    workers = [await _worker(url, notice.id, 1, 200) for _ in range(2)]
    for worker in workers:
        assert worker.stdin is not None
        worker.stdin.write(b"go\n")
        await worker.stdin.drain()
    here = await asyncio.gather(*(confirm(notice.id, p, GROUP) for p in range(1, 201, 4)))
    counts = []
    for worker in workers:
        out, _ = await asyncio.wait_for(worker.communicate(), 120)
        assert worker.returncode == 0
        counts.append(json.loads(out.decode().strip().splitlines()[-1]))
    assert sum(c["new"] for c in counts) + sum(r.new for r in here) == 200
    assert sum(c["repeat"] for c in counts) + sum(not r.new for r in here) == 250
    assert len(await _receipts(notice.id)) == 200


async def test_batches_in_opposite_orders_do_not_deadlock(clock: FixedClock) -> None:
    """Two transactions (two processes' batches) with the same people in opposite orders
    both succeed: rows go in key order, so on PostgreSQL neither can wait for the other in a
    cycle. (This test passed without the ordering too: the two statements seldom overlap;
    it checks the outcome, the ordering is by reasoning.)"""
    from bot.receipts import service

    notice = await _notice()
    people = list(range(1, 301))
    for _ in range(3):
        requests = [service._Request(notice.id, p, GROUP, clock.now()) for p in people]
        results = await asyncio.gather(
            service._confirm_batch(requests), service._confirm_batch(requests[::-1])
        )
        assert all(isinstance(r, service.Confirmation) for batch in results for r in batch)
        people = [p + 300 for p in people]
    assert len(await _receipts(notice.id)) == 900


async def test_nudge_claims_in_opposite_orders_do_not_deadlock(clock: FixedClock) -> None:
    from bot.receipts import claim_nudges

    notice = await _notice()
    people = list(range(1, 501))
    results = await asyncio.gather(
        claim_nudges(notice.id, people), claim_nudges(notice.id, people[::-1])
    )
    assert sorted(p for r in results for p in r) == people


# --- corrections, moves, offices ----------------------------------------------------------


async def test_an_officer_correction_is_kept_as_such_even_when_closed(clock: FixedClock) -> None:
    from bot.receipts import NoSuchSubject, close_subject, confirm, record_correction

    notice = await _notice(deadline=clock.now() + timedelta(hours=1))
    with pytest.raises(ValueError, match="channel"):
        await record_correction(notice.id, 11, "group:1")
    with pytest.raises(NoSuchSubject):
        await record_correction(notice.id + 1, 11, "officer:2001")
    await confirm(notice.id, 12, "officer:2001")  # the channel pattern takes it
    clock.advance(timedelta(hours=3))
    await close_subject(notice.id)
    made = await record_correction(notice.id, 11, "officer:2001")
    assert (made.new, made.late, made.channel) == (True, False, "officer:2001")
    again = await record_correction(notice.id, 11, "officer:2002")
    assert (again.new, again.channel) == (False, "officer:2001")
    assert await _receipts(notice.id) == [(11, False), (12, False)]


async def test_a_moved_subject_takes_its_new_deadline_and_end(clock: FixedClock) -> None:
    from bot.receipts import move_subject, subject

    notice = await _notice(deadline=clock.now() + timedelta(hours=1))
    later = clock.now() + timedelta(days=2)
    assert await move_subject(notice.id, deadline=later, closes_at=later + timedelta(hours=2))
    moved = await subject(notice.id)
    assert moved is not None
    assert (moved.deadline, moved.closed_at) == (later, later + timedelta(hours=2))
    assert not await move_subject(notice.id + 1, deadline=None, closes_at=None)


def test_an_audience_of_offices_round_trips_and_old_json_reads_alike() -> None:
    from bot.receipts import Audience

    committee = Audience(offices=("书记", "组织委员"))
    assert Audience.from_json(committee.to_json()) == committee
    plain = Audience(("预备党员",))
    assert plain.to_json() == {"statuses": ["预备党员"], "party_groups": []}
    assert Audience.from_json({"statuses": ["预备党员"], "party_groups": []}) == plain
