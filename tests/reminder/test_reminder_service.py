"""Reminders without a bot: storage, numbering, firing once, downtime, crashes, templates."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.clock import FixedClock
from tests.reminder.conftest import FakePostman

GROUP = ("group", "g1")


async def _create(expression: str, content: str = "开会", *, chat=GROUP, limit: int = 30):  # type: ignore[no-untyped-def]
    from bot import clock
    from bot.when import parse
    from plugins.reminder import service

    parsed = parse(f"{expression} {content}", clock.now())
    return await service.create(
        chat[0],
        chat[1],
        bot_id="10000",
        creator_id="u1",
        schedule=parsed.schedule,
        content=parsed.content,
        limit=limit,
    )


async def _firings() -> list[tuple[int, str, bool, bool]]:
    from nonebot_plugin_orm import get_session
    from sqlalchemy import select

    from plugins.reminder.models import Firing, Reminder

    async with get_session() as session:
        rows = await session.execute(
            select(Reminder.number, Firing.status, Firing.late, Firing.told)
            .join(Reminder, Reminder.id == Firing.reminder_id)
            .order_by(Firing.fire_at, Reminder.number)
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


async def test_numbers_per_chat_never_reused(clock: FixedClock) -> None:
    from plugins.reminder import service

    first = await _create("明天下午3点", "支委会")
    second = await _create("每周五15:00", "学习")
    mine = await _create("明天上午9点", "交材料", chat=("private", "u1"))
    assert (first.number, second.number, mine.number) == (1, 2, 1)
    assert await service.cancel(*GROUP, 2) is not None
    assert await service.cancel(*GROUP, 2) is None  # already gone
    third = await _create("每天8点", "晨读")
    assert third.number == 3
    listed = await service.reminders(*GROUP)
    assert [(v.number, v.content, v.state) for v in listed] == [
        (1, "支委会", "active"),
        (3, "晨读", "active"),
    ]
    assert [v.number for v in await service.reminders("private", "u1")] == [1]
    assert await service.reminders("group", "u1") == []  # a group and a user never mix


async def test_limit_per_chat(clock: FixedClock) -> None:
    from plugins.reminder import service

    await _create("明天下午3点", limit=2)
    await _create("明天下午4点", limit=2)
    with pytest.raises(service.LimitReached) as caught:
        await _create("明天下午5点", limit=2)
    assert (caught.value.count, caught.value.limit) == (2, 2)
    await service.cancel(*GROUP, 1)
    assert (await _create("明天下午5点", limit=2)).number == 3  # the refused one used no number


async def test_pause_and_resume_skip_what_fell_in_the_pause(
    clock: FixedClock, postman: FakePostman
) -> None:
    from plugins.reminder import service
    from plugins.reminder.jobs import run_pass

    view = await _create("每天10点", "学习")
    paused = await service.pause(*GROUP, view.number)
    assert paused is not None
    assert (paused.state, paused.next_fire_at) == ("paused", None)
    assert await service.pause(*GROUP, view.number) is None
    clock.advance(timedelta(days=1))  # 12月1日 09:30; 11月30日 10:00 passed while paused
    assert (await run_pass(postman=postman)).claimed == 0
    resumed = await service.resume(*GROUP, view.number)
    assert resumed is not None
    assert resumed.state == "active"
    assert resumed.next_fire_at == clock.now() + timedelta(minutes=30)
    assert await service.resume(*GROUP, view.number) is None
    clock.advance(timedelta(minutes=30))
    assert (await run_pass(postman=postman)).claimed == 1
    assert postman.texts() == ["⏰ 提醒：学习\n#1 · 每天 10:00 · 发「提醒列表」查看"]


async def test_paused_one_off_past_its_time_cannot_resume(clock: FixedClock) -> None:
    from plugins.reminder import service

    view = await _create("30分钟后", "开会")
    await service.pause(*GROUP, view.number)
    clock.advance(timedelta(hours=1))
    with pytest.raises(service.Expired):
        await service.resume(*GROUP, view.number)


async def test_one_off_fires_exactly_once(clock: FixedClock, postman: FakePostman) -> None:
    from plugins.reminder import service
    from plugins.reminder.jobs import run_pass

    await _create("30分钟后", "开会")
    assert (await run_pass(postman=postman)).claimed == 0
    clock.advance(timedelta(minutes=29, seconds=59))
    assert (await run_pass(postman=postman)).claimed == 0
    clock.advance(timedelta(seconds=1))
    assert (await run_pass(postman=postman)).claimed == 1
    assert (await run_pass(postman=postman)).claimed == 0
    clock.advance(timedelta(hours=1))
    assert (await run_pass(postman=postman)).claimed == 0
    assert postman.texts() == ["⏰ 提醒：开会\n#1 · 一次性 · 发「提醒列表」查看"]
    assert await _firings() == [(1, "sent", False, False)]
    assert await service.reminders(*GROUP) == []  # done: no longer listed
    assert await service.next_due() is None


async def test_recurring_moves_on(clock: FixedClock, postman: FakePostman) -> None:
    from plugins.reminder import service
    from plugins.reminder.jobs import run_pass

    await _create("每天10点", "学习")
    clock.advance(timedelta(minutes=30))
    for _ in range(3):
        await run_pass(postman=postman)
        await run_pass(postman=postman)
        clock.advance(timedelta(days=1))
    assert len(postman.sent) == 3
    assert postman.summaries == []
    (view,) = await service.reminders(*GROUP)
    assert view.next_fire_at == clock.now()  # 12月3日 10:00


async def test_restart_within_grace_sends_late_once(
    clock: FixedClock, postman: FakePostman
) -> None:
    """The bot was down from 09:55 to 10:07; the 10:00 reminder goes out at 10:07, late."""
    from plugins.reminder.jobs import run_pass

    await _create("今天上午10点", "支委会")
    clock.advance(timedelta(minutes=37))  # 10:07, first pass after the restart
    report = await run_pass(postman=postman)
    assert (report.claimed, report.missed) == (1, 0)
    (text,) = postman.texts()
    assert text == (
        "⏰ 提醒：支委会\n（晚了7分钟：原定今天（11月30日 周一）10:00，机器人当时不在线）"
        "\n#1 · 一次性 · 发「提醒列表」查看"
    )
    assert await _firings() == [(1, "sent", True, False)]
    await run_pass(postman=postman)
    assert len(postman.sent) == 1


async def test_restart_beyond_grace_records_and_summarises_once(
    clock: FixedClock, postman: FakePostman
) -> None:
    from plugins.reminder.jobs import run_pass

    await _create("今天上午10点", "支委会")
    await _create("每天10点", "晨读")
    clock.advance(timedelta(days=3, minutes=45))  # 12月3日 10:15: four 10:00s missed… by 15 min
    report = await run_pass(postman=postman)
    assert postman.sent == []
    assert report.missed == 5  # 支委会 once, 晨读 on 11月30日 … 12月3日
    assert postman.summaries == [
        (
            "group",
            "g1",
            "⚠️ 机器人离线期间，本群有5次提醒超过10分钟没能发出，不再补发：\n"
            "#1 支委会（11月30日（周一）10:00）\n"
            "#2 晨读（11月30日（周一）10:00 起共4次）\n"
            "后续提醒照常。发「提醒列表」查看",
        )
    ]
    await run_pass(postman=postman)
    assert len(postman.summaries) == 1
    assert [status for _, status, _, told in await _firings()] == ["missed"] * 5
    assert all(told for *_, told in await _firings())
    clock.advance(timedelta(days=1, minutes=-15))  # 12月4日 10:00: back to normal
    await run_pass(postman=postman)
    assert postman.texts() == ["⏰ 提醒：晨读\n#2 · 每天 10:00 · 发「提醒列表」查看"]


async def test_long_downtime_sends_todays_late_and_summarises_the_rest(
    clock: FixedClock, postman: FakePostman
) -> None:
    from plugins.reminder.jobs import run_pass

    await _create("每天10点", "晨读")
    clock.advance(timedelta(days=2, minutes=35))  # 12月2日 10:05
    report = await run_pass(postman=postman)
    assert (report.claimed, report.missed) == (1, 2)
    assert postman.texts()[0].startswith("⏰ 提醒：晨读\n（晚了5分钟")
    assert "#1 晨读（11月30日（周一）10:00 起共2次）" in postman.summaries[0][2]


async def test_summary_waits_until_the_chat_can_be_reached(
    clock: FixedClock, postman: FakePostman
) -> None:
    from plugins.reminder.jobs import run_pass

    await _create("今天上午10点", "支委会")
    clock.advance(timedelta(hours=1))
    postman.offline = True
    await run_pass(postman=postman)
    assert postman.summaries == []
    postman.offline = False
    clock.advance(timedelta(minutes=1))
    await run_pass(postman=postman)
    assert len(postman.summaries) == 1


async def test_a_claim_whose_process_died_is_taken_over_within_grace(
    clock: FixedClock, postman: FakePostman
) -> None:
    from plugins.reminder import config, firings
    from plugins.reminder.jobs import run_pass

    await _create("30分钟后", "开会")
    clock.advance(timedelta(minutes=30))
    lease = timedelta(seconds=config.reminder_claim_lease_seconds)
    # Another process claims it and dies before sending.
    dead = await firings.claim_due(
        clock.now(), grace=timedelta(minutes=10), lease=lease, owner="dead-process"
    )
    assert len(dead.claims) == 1
    assert (await run_pass(postman=postman)).claimed == 0  # its lease still holds
    assert postman.sent == []
    clock.advance(lease + timedelta(seconds=1))
    report = await run_pass(postman=postman)
    assert report.taken_over == 1
    assert len(postman.sent) == 1
    assert postman.sent[0][3] is True
    await run_pass(postman=postman)
    clock.advance(lease * 2)
    await run_pass(postman=postman)
    assert len(postman.sent) == 1
    assert await _firings() == [(1, "sent", True, False)]


async def test_a_dead_claim_past_grace_is_recorded_not_sent(
    clock: FixedClock, postman: FakePostman
) -> None:
    from plugins.reminder import firings
    from plugins.reminder.jobs import run_pass

    await _create("30分钟后", "开会")
    clock.advance(timedelta(minutes=30))
    await firings.claim_due(
        clock.now(), grace=timedelta(minutes=10), lease=timedelta(minutes=1), owner="dead"
    )
    clock.advance(timedelta(minutes=11))
    report = await run_pass(postman=postman)
    assert (report.taken_over, report.missed, postman.sent) == (0, 1, [])
    assert len(postman.summaries) == 1


async def test_two_claimers_at_once_one_claim(clock: FixedClock) -> None:
    from plugins.reminder import firings

    for n in range(20):
        await _create("30分钟后", f"开会{n}", chat=("group", f"g{n % 5}"))
    clock.advance(timedelta(minutes=30))
    grace, lease = timedelta(minutes=10), timedelta(minutes=1)
    results = await asyncio.gather(
        *(
            firings.claim_due(clock.now(), grace=grace, lease=lease, owner=f"p{n}", limit=7)
            for n in range(4)
        )
    )
    claimed = [c.reminder_id for r in results for c in r.claims]
    while any(r.more for r in results):  # the batches were small: finish the job
        results = await asyncio.gather(
            firings.claim_due(clock.now(), grace=grace, lease=lease, owner="p0", limit=7),
            firings.claim_due(clock.now(), grace=grace, lease=lease, owner="p1", limit=7),
        )
        claimed += [c.reminder_id for r in results for c in r.claims]
    assert len(claimed) == 20
    assert len(set(claimed)) == 20


async def test_failed_send_is_retried_then_given_up_after_grace(
    clock: FixedClock, postman: FakePostman
) -> None:
    from plugins.reminder.jobs import run_pass

    await _create("30分钟后", "开会")
    await _create("31分钟后", "学习")
    clock.advance(timedelta(minutes=30))
    postman.fail = True  # the bot is disconnected
    await run_pass(postman=postman)
    assert await _firings() == [(1, "claimed", False, False)]
    clock.advance(timedelta(seconds=29))
    assert (await run_pass(postman=postman)).taken_over == 0  # waits for the retry time
    postman.fail = False
    assert (await run_pass(postman=postman, eager=True)).taken_over == 1  # a bot connected
    assert [text.split("\n")[0] for text in postman.texts()] == ["⏰ 提醒：开会"]
    postman.fail = True
    clock.advance(timedelta(seconds=31))  # 10:01: the second one, bot gone again
    await run_pass(postman=postman)
    for _ in range(25):  # retries every 30 s until the grace period is over
        clock.advance(timedelta(seconds=30))
        await run_pass(postman=postman)
    assert await _firings() == [(1, "sent", False, False), (2, "missed", False, False)]
    postman.fail = False
    await run_pass(postman=postman)
    assert len(postman.summaries) == 1
    assert "#2 学习" in postman.summaries[0][2]


async def test_claim_of_a_paused_reminder_is_skipped(
    clock: FixedClock, postman: FakePostman
) -> None:
    from plugins.reminder import firings, service
    from plugins.reminder.jobs import run_pass

    await _create("每天10点", "学习")
    clock.advance(timedelta(minutes=30))
    await firings.claim_due(
        clock.now(), grace=timedelta(minutes=10), lease=timedelta(seconds=60), owner="dead"
    )
    await service.pause(*GROUP, 1)
    clock.advance(timedelta(minutes=2))
    report = await run_pass(postman=postman)
    assert (report.skipped, postman.sent) == (1, [])
    assert await _firings() == [(1, "skipped", False, False)]


async def test_templates_are_never_duplicated(clock: FixedClock) -> None:
    from bot.when import parse
    from plugins.reminder import service
    from plugins.reminder.templates import pick

    standards = pick("")
    assert standards is not None
    assert len(standards) == 6
    first = await service.apply_template(
        *GROUP, bot_id="10000", creator_id="u1", standards=standards, limit=30
    )
    assert [v.number for v in first.created] == [1, 2, 3, 4, 5, 6]
    assert [v.schedule.describe() for v in first.created] == [
        "每月5号 09:00",
        "每月10号 09:00",
        "每季度第一个月（1、4、7、10月）15号 09:00",
        "每季度第二个月（2、5、8、11月）15号 09:00",
        "每月第一个周五 15:00",
        "每月1号 09:00",
    ]
    # Edit one, cancel another, run the template again.
    edited = await service.edit(*GROUP, 1, parse("每月8号15:00", clock.now()).schedule, None)
    assert edited is not None
    assert edited.schedule.describe() == "每月8号 15:00"
    await service.cancel(*GROUP, 6)
    again = await service.apply_template(
        *GROUP, bot_id="10000", creator_id="u1", standards=standards, limit=30
    )
    assert [(v.number, v.content) for v in again.created] == [(6, "【党费】请按时交纳本月党费。")]
    assert [v.number for v in again.existing] == [1, 2, 3, 4, 5]
    listed = await service.reminders(*GROUP)
    assert [v.number for v in listed] == [1, 2, 3, 4, 5, 6]
    assert listed[0].schedule.describe() == "每月8号 15:00"  # the edit was kept
    third = await service.apply_template(
        *GROUP, bot_id="10000", creator_id="u1", standards=standards, limit=30
    )
    assert third.created == []
    assert len(third.existing) == 6


async def test_template_respects_the_limit(clock: FixedClock) -> None:
    from plugins.reminder import service
    from plugins.reminder.templates import pick

    await _create("明天下午3点", limit=3)
    with pytest.raises(service.LimitReached):
        await service.apply_template(
            *GROUP, bot_id="10000", creator_id="u1", standards=pick("三会一课") or (), limit=3
        )
    assert len(await service.reminders(*GROUP)) == 1


async def test_edit_keeps_number_and_pause(clock: FixedClock) -> None:
    from bot.when import parse
    from plugins.reminder import service

    await _create("每天8点", "晨读")
    await service.pause(*GROUP, 1)
    edited = await service.edit(*GROUP, 1, parse("每天9点", clock.now()).schedule, "早读")
    assert edited is not None
    assert (edited.number, edited.state, edited.content, edited.next_fire_at) == (
        1,
        "paused",
        "早读",
        None,
    )
    resumed = await service.resume(*GROUP, 1)
    assert resumed is not None
    assert resumed.schedule.describe() == "每天 09:00"
    assert await service.edit(*GROUP, 9, parse("每天9点", clock.now()).schedule, None) is None


async def test_a_chat_no_bot_here_can_reach_is_left_for_later(
    clock: FixedClock, postman: FakePostman
) -> None:
    """Disconnected (or the account is in another process): nothing is claimed, so nothing
    fails; when a bot connects within the grace period it goes out, late."""
    from plugins.reminder.jobs import run_pass

    await _create("30分钟后", "开会")
    await _create("31分钟后", "学习")
    clock.advance(timedelta(minutes=31))
    postman.offline = True
    assert (await run_pass(postman=postman)).claimed == 0
    clock.advance(timedelta(minutes=9, seconds=30))  # 10:10:30: 开会 is past grace, 学习 not
    report = await run_pass(postman=postman)
    assert (report.claimed, report.missed) == (0, 1)
    postman.offline = False
    assert (await run_pass(postman=postman, eager=True)).claimed == 1
    assert postman.texts()[0].startswith("⏰ 提醒：学习\n（晚了9分钟")
    assert "#1 开会" in postman.summaries[0][2]
    assert await _firings() == [(1, "missed", False, True), (2, "sent", True, False)]


async def test_wake_up_job_follows_the_database(clock: FixedClock) -> None:
    """The scheduler holds one wake-up, at the earliest due reminder, re-armed on changes."""
    from datetime import UTC, datetime

    from nonebot_plugin_apscheduler import scheduler

    from plugins.reminder import jobs, service

    # The test session does not start the scheduler (jobs would run on their own); this test
    # starts it paused: jobs are planned with their times, but none runs.
    if not scheduler.running:
        scheduler.start(paused=True)
    jobs.state.suspended = False
    try:
        await _create("明天下午3点", "支委会")
        await _create("30分钟后", "开会")
        await jobs.changed()
        job = scheduler.get_job(jobs.WAKE_JOB)
        assert job is not None
        expected = datetime.now(UTC) + timedelta(minutes=30)
        assert abs((job.next_run_time - expected).total_seconds()) < 5
        await service.cancel(*GROUP, 2)
        await jobs.changed()
        job = scheduler.get_job(jobs.WAKE_JOB)
        expected = datetime.now(UTC) + timedelta(days=1, hours=5, minutes=30)  # 明天15:00
        assert job is not None
        assert abs((job.next_run_time - expected).total_seconds()) < 5
        await service.cancel(*GROUP, 1)
        await jobs.changed()
        assert scheduler.get_job(jobs.WAKE_JOB) is None
        assert scheduler.get_job(jobs.SCAN_JOB) is not None  # installed at start-up
    finally:
        jobs.state.suspended = True
        # Left started and paused: a stopped scheduler no longer lists the jobs it ran with
        # (APScheduler looks only at jobs added while stopped), which later tests read.
        scheduler.pause()


async def test_a_firing_s_receipt_subject_is_made_once(clock: FixedClock) -> None:
    """Each firing of a reminder that asks for a receipt is one subject, whoever makes it and
    however often; the next firing is another."""
    from datetime import UTC, datetime

    from bot.branch import branch_of
    from bot.receipts import REMINDER, subject_by_ref
    from plugins.reminder import service

    branch = await branch_of("qq", "g1")
    fire_at = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
    made = [
        await service.receipt_subject(
            7,
            fire_at,
            branch_id=branch.id,
            title="支委会",
            created_by="qq:u1",
            group_id="g1",
            open_days=7,
            now=fire_at + timedelta(seconds=seconds),
        )
        for seconds in (0, 30)
    ]
    assert made[0] == made[1]
    first = made[0]
    assert service.receipt_ref(7, fire_at) == "7@2026-11-30T02:00:00+00:00"
    assert await subject_by_ref(REMINDER, "7@2026-11-30T02:00:00+00:00") == first
    assert (first.branch_id, first.kind, first.title, first.created_by) == (
        branch.id, REMINDER, "支委会", "qq:u1",
    )  # fmt: skip
    assert (first.deadline, first.audience, first.origin) == (None, None, "g1")
    assert first.closed_at == fire_at + timedelta(days=7)
    assert first.created_at == fire_at
    following = await service.receipt_subject(
        7, fire_at + timedelta(days=1), branch_id=branch.id, title="支委会",
        created_by="qq:u1", group_id="g1", open_days=7,
        next_fire=fire_at + timedelta(days=2),
    )  # fmt: skip
    assert following.id != first.id
    # A daily reminder's firing takes receipts until the next one asks again.
    assert following.closed_at == fire_at + timedelta(days=2)


async def test_a_receipt_reminder_s_claims_say_so(clock: FixedClock) -> None:
    from bot.when import parse
    from plugins.reminder import firings, service

    parsed = parse("30分钟后 支委会", clock.now())
    view = await service.create(
        *GROUP, bot_id="10000", creator_id="u1", schedule=parsed.schedule,
        content=parsed.content, receipt=True, limit=30,
    )  # fmt: skip
    assert view.receipt
    await _create("31分钟后", "党课")
    clock.advance(timedelta(minutes=31))
    batch = await firings.claim_due(
        clock.now(), grace=timedelta(minutes=10), lease=timedelta(minutes=1), owner="t"
    )
    assert sorted((c.content, c.receipt, c.creator_id) for c in batch.claims) == [
        ("党课", False, "u1"),
        ("支委会", True, "u1"),
    ]
