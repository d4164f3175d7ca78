"""Meetings without a bot: who is expected, attendance through receipts, the window of 到,
leave decided once, 补学 and 补登, reminders claimed once per meeting time."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot.clock import FixedClock
from tests.fake import GROUP, MEMBER, MEMBER_2
from tests.meeting.people import MEMBER_3, branch, person


async def _meeting(
    branch_id: int,
    kind: str = "党员大会",
    *,
    at: datetime,
    party_group: str = "",
    ref: str = "m1",
    now: datetime,
) -> Any:
    from plugins.meeting import service

    made, new = await service.schedule(
        branch_id,
        kind=kind,
        party_group=party_group,
        topic="学习党章",
        starts_at=at,
        ends_at=at + timedelta(hours=2),
        ref=ref,
        author="qq:2001",
        origin=str(GROUP),
        now=now,
    )
    assert new
    return made


async def test_who_each_type_expects(clock: FixedClock) -> None:
    from plugins.meeting import service

    b = await branch()
    names = {}
    for kind, group in (("支委会", ""), ("党小组会", "第一党小组"), ("党员大会", ""), ("党课", "")):
        names[kind] = sorted(p.name for p in await service.people_for(b, kind, group))
    assert names == {
        "支委会": ["张三", "赵六"],
        "党小组会": ["张三", "李四"],
        "党员大会": ["张三", "李四", "王五", "赵六"],
        "党课": ["张三", "李四", "王五", "赵六"],
    }


async def test_schedule_is_once_per_ref_and_its_number_is_the_subject(clock: FixedClock) -> None:
    from bot.receipts import MEETING, subject
    from plugins.meeting import service

    b = await branch()
    now = clock.now()
    made = await _meeting(b, at=now + timedelta(days=1), now=now)
    again, new = await service.schedule(
        b,
        kind="党课",
        party_group="",
        topic="",
        starts_at=now,
        ends_at=now,
        ref="m1",
        author="x",
        origin="1",
        now=now,
    )
    assert (again, new) == (made, False)
    found = await subject(made.id)
    assert found is not None
    assert (found.kind, found.deadline, found.closed_at) == (MEETING, made.starts_at, made.ends_at)


async def test_到_only_in_the_window_once_late_after_the_start(clock: FixedClock) -> None:
    from plugins.meeting import attendance
    from plugins.meeting.attendance import Arrival

    b = await branch()
    now = clock.now()  # Monday 09:30
    made = await _meeting(b, at=now + timedelta(hours=5), now=now)  # 14:30 today
    early = await attendance.arrive("qq", str(GROUP), str(MEMBER), now)
    assert (early.outcome, early.meeting) == (Arrival.NOT_YET, made)
    clock.advance(timedelta(hours=4, minutes=30))  # 14:00: the window opens
    first = await attendance.arrive("qq", str(GROUP), str(MEMBER), clock.now())
    assert first.outcome == Arrival.PRESENT
    assert first.confirmation is not None
    assert (first.confirmation.new, first.confirmation.late) == (True, False)
    again = await attendance.arrive("qq", None, str(MEMBER), clock.now())
    assert again.confirmation is not None
    assert not again.confirmation.new
    clock.advance(timedelta(minutes=31))  # after the start: late
    late = await attendance.arrive("qq", str(GROUP), str(MEMBER_2), clock.now())
    assert late.confirmation is not None
    assert late.confirmation.late
    clock.advance(timedelta(hours=2))  # ended
    after = await attendance.arrive("qq", str(GROUP), str(MEMBER_3), clock.now())
    assert after.outcome == Arrival.SILENT
    assert (
        await attendance.arrive("qq", None, str(MEMBER_3), clock.now())
    ).outcome == Arrival.NOTHING
    attendance = await attendance.attendance(made)
    assert [p.name for p in attendance.present] == ["张三", "李四"]
    assert [p.name for p in attendance.late] == ["李四"]
    assert sorted(p.name for p in attendance.absent) == ["王五", "赵六"]


async def test_leave_before_the_start_decided_once_refused_after(clock: FixedClock) -> None:
    from plugins.meeting import attendance
    from plugins.meeting.attendance import Asked, Decision

    b = await branch()
    now = clock.now()
    made = await _meeting(b, at=now + timedelta(days=1), now=now)
    li = await person("李四")
    asked = await attendance.ask_leave(li, "出差", now)
    assert (asked.outcome, asked.meeting, asked.new) == (Asked.ASKED, made, True)
    assert asked.leave is not None
    twice = await attendance.ask_leave(li, "出差", now)
    assert (twice.new, twice.leave) == (False, asked.leave)
    other = await attendance.decide_leave(asked.leave.id, b + 1, "2001", approve=True, now=now)
    assert other.outcome == Decision.NO_SUCH
    yes = await attendance.decide_leave(asked.leave.id, b, "2001", approve=True, now=now)
    no = await attendance.decide_leave(asked.leave.id, b, "2005", approve=False, now=now)
    assert (yes.outcome, no.outcome) == (Decision.DECIDED, Decision.ALREADY)
    assert no.leave is not None
    assert (no.leave.outcome, no.leave.decided_by) == ("approved", "2001")
    assert yes.person == li
    clock.advance(timedelta(days=1, minutes=1))
    zhao = await person("赵六")
    late = await attendance.ask_leave(zhao, "临时有事", clock.now())
    assert (late.outcome, late.meeting) == (Asked.STARTED, made)
    clock.advance(timedelta(hours=2))
    attendance = await attendance.attendance(made)
    assert [p.name for p in attendance.leave] == ["李四"]
    assert sorted(p.name for p in attendance.absent) == ["张三", "王五", "赵六"]


async def test_补学_by_the_absent_not_by_who_attended(clock: FixedClock) -> None:
    from plugins.meeting import attendance
    from plugins.meeting.attendance import MadeUp

    b = await branch()
    now = clock.now()
    made = await _meeting(b, at=now + timedelta(hours=1), now=now)
    zhang, li, qian = await person("张三"), await person("李四"), await person("钱七")
    assert (await attendance.make_up(li, made.id, "心得", now)).outcome == MadeUp.NOT_ENDED
    clock.advance(timedelta(hours=1))
    await attendance.arrive("qq", str(GROUP), str(MEMBER), clock.now())
    clock.advance(timedelta(hours=2))
    later = clock.now()
    assert (await attendance.make_up(zhang, made.id, "心得", later)).outcome == MadeUp.ATTENDED
    assert (await attendance.make_up(qian, made.id, "心得", later)).outcome == MadeUp.NOT_FOR_YOU
    assert (await attendance.make_up(li, made.id + 9, "心得", later)).outcome == MadeUp.NO_SUCH
    first = await attendance.make_up(li, made.id, "学习了党章", later)
    second = await attendance.make_up(li, made.id, "又写一遍", later)
    assert (first.outcome, first.new, second.new) == (MadeUp.RECORDED, True, False)
    attendance = await attendance.attendance(made)
    assert [p.name for p in attendance.made_up] == ["李四"]


async def test_补登_is_kept_as_a_correction(clock: FixedClock) -> None:
    from bot.receipts import completion
    from plugins.meeting import attendance
    from plugins.meeting.attendance import Corrected

    b = await branch()
    now = clock.now()
    made = await _meeting(b, at=now + timedelta(hours=1), now=now)
    clock.advance(timedelta(hours=4))  # ended and closed
    later = clock.now()
    wang = await attendance.correct(b, made.id, "王五", True, "2001", later)
    assert (wang.outcome, wang.new) == (Corrected.PRESENT, True)
    assert (await attendance.correct(b, made.id, "王五", True, "2005", later)).new is False
    assert wang.person is not None
    done = await completion(made.id, [wang.person.id])
    assert [c.channel for c in done.confirmed] == ["officer:2001"]
    assert (await attendance.correct(b, made.id, "王五", False, "2001", later)).outcome == (
        Corrected.WAS_PRESENT
    )
    li = await attendance.correct(b, made.id, "李四", False, "2001", later)
    assert (li.outcome, li.new) == (Corrected.LEAVE, True)
    assert (await attendance.correct(b, made.id, "钱七", True, "2001", later)).outcome == (
        Corrected.NOT_EXPECTED
    )
    assert (await attendance.correct(b, made.id, "无名", True, "2001", later)).outcome == (
        Corrected.NO_PERSON
    )
    attendance = await attendance.attendance(made)
    assert [p.name for p in attendance.corrected] == ["王五"]
    assert [p.name for p in attendance.leave] == ["李四"]


async def test_reminders_once_per_start_moved_and_cancelled(clock: FixedClock) -> None:
    from plugins.meeting import reminders, service
    from plugins.meeting.service import Change

    b = await branch()
    now = clock.now()
    made = await _meeting(b, at=now + timedelta(days=2), now=now)
    assert await reminders.due_reminders(now) == []
    day_before = made.starts_at - timedelta(days=1)
    [(found, kinds)] = await reminders.due_reminders(day_before)
    assert (found.id, kinds) == (made.id, ["day_before"])
    assert await reminders.claim_reminders(found, kinds, day_before) == ["day_before"]
    assert await reminders.claim_reminders(found, kinds, day_before) == []
    assert await reminders.due_reminders(day_before + timedelta(hours=1)) == []
    change, moved = await service.move(
        made.id, b, made.starts_at + timedelta(days=1), made.ends_at + timedelta(days=1), day_before
    )
    assert change == Change.DONE
    assert moved is not None
    [(_, kinds)] = await reminders.due_reminders(moved.starts_at - timedelta(minutes=20))
    assert kinds == ["soon", "day_before"]
    assert (await service.cancel(made.id, b, day_before))[0] == Change.DONE
    assert await reminders.due_reminders(moved.starts_at - timedelta(minutes=20)) == []
    assert (await service.cancel(made.id, b, day_before))[0] == Change.CANCELLED


async def test_concurrent_claims_and_decisions_have_one_winner(clock: FixedClock) -> None:
    import asyncio

    from plugins.meeting import attendance, reminders
    from plugins.meeting.attendance import Decision

    b = await branch()
    now = clock.now()
    made = await _meeting(b, at=now + timedelta(days=2), now=now)
    due = made.starts_at - timedelta(days=1)
    claims = await asyncio.gather(
        *(reminders.claim_reminders(made, ["day_before"], due) for _ in range(5))
    )
    assert sorted(len(c) for c in claims) == [0, 0, 0, 0, 1]
    asked = await attendance.ask_leave(await person("李四"), "出差", now)
    assert asked.leave is not None
    leave_id = asked.leave.id
    decisions = await asyncio.gather(
        attendance.decide_leave(leave_id, b, "2001", approve=True, now=now),
        attendance.decide_leave(leave_id, b, "2005", approve=False, now=now),
    )
    assert sorted(d.outcome.value for d in decisions) == sorted(
        [Decision.DECIDED.value, Decision.ALREADY.value]
    )
    zhao = await person("赵六")
    twice = await asyncio.gather(*(attendance.ask_leave(zhao, "有事", now) for _ in range(3)))
    assert sum(1 for t in twice if t.new) == 1
    assert len({t.leave.id for t in twice if t.leave}) == 1
    # 补学 sent three times at once after the end: one record, (meeting, person) the key.
    after = made.ends_at + timedelta(minutes=1)
    notes = await asyncio.gather(
        *(attendance.make_up(zhao, made.id, f"心得{n}", after) for n in range(3))
    )
    assert [n.outcome.value for n in notes] == ["recorded"] * 3
    assert sum(1 for n in notes if n.new) == 1
