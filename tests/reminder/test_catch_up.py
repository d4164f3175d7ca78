"""The catch-up arithmetic for a reminder whose time has come: what is sent, what is
recorded as missed, where the reminder moves on to. Pure: no database, no bot."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
GRACE = timedelta(minutes=10)


def _at(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=SHANGHAI).astimezone(UTC)


def _daily_9():
    from bot.when import Schedule

    return Schedule("daily", tod=time(9, 0))


def test_on_time_the_occurrence_is_sent_and_the_reminder_moves_on() -> None:
    from plugins.reminder.catch_up import catch_up

    plan = catch_up(_daily_9(), _at("2026-12-01 09:00"), _at("2026-12-01 09:00"), GRACE)
    assert plan.send == _at("2026-12-01 09:00")
    assert plan.missed == []
    assert plan.following == _at("2026-12-02 09:00")


def test_within_grace_after_a_downtime_the_latest_is_sent_the_rest_missed() -> None:
    from plugins.reminder.catch_up import catch_up

    plan = catch_up(_daily_9(), _at("2026-12-01 09:00"), _at("2026-12-03 09:05"), GRACE)
    assert plan.send == _at("2026-12-03 09:00")
    assert plan.missed == [_at("2026-12-01 09:00"), _at("2026-12-02 09:00")]
    assert plan.following == _at("2026-12-04 09:00")


def test_beyond_grace_nothing_is_sent() -> None:
    from plugins.reminder.catch_up import catch_up

    plan = catch_up(_daily_9(), _at("2026-12-01 09:00"), _at("2026-12-02 12:00"), GRACE)
    assert plan.send is None
    assert plan.missed == [_at("2026-12-01 09:00"), _at("2026-12-02 09:00")]
    assert plan.following == _at("2026-12-03 09:00")


def test_a_one_off_is_done_after_its_firing() -> None:
    from bot.when import Schedule
    from plugins.reminder.catch_up import catch_up

    once = Schedule("once", at=_at("2026-12-01 09:00"))
    plan = catch_up(once, _at("2026-12-01 09:00"), _at("2026-12-01 09:03"), GRACE)
    assert (plan.send, plan.missed, plan.following) == (_at("2026-12-01 09:00"), [], None)
    late = catch_up(once, _at("2026-12-01 09:00"), _at("2026-12-01 10:00"), GRACE)
    assert (late.send, late.missed, late.following) == (None, [_at("2026-12-01 09:00")], None)


def test_an_unreachable_chat_waits_at_its_first_occurrence_within_grace() -> None:
    from bot.when import Schedule
    from plugins.reminder.catch_up import catch_up

    every_5 = Schedule("cron", expr="*/5 * * * *")
    plan = catch_up(
        every_5, _at("2026-12-01 08:45"), _at("2026-12-01 09:02"), GRACE, reachable=False
    )
    assert plan.send is None
    assert plan.missed == [_at("2026-12-01 08:45"), _at("2026-12-01 08:50")]
    assert plan.following == _at("2026-12-01 08:55")


def test_a_long_downtime_walks_at_most_the_cap_and_jumps_past_now() -> None:
    from bot.when import Schedule
    from plugins.reminder.catch_up import MAX_CATCH_UP, catch_up

    every_minute = Schedule("cron", expr="* * * * *")
    start = _at("2026-12-01 00:00")
    now = start + timedelta(minutes=MAX_CATCH_UP + 500)
    plan = catch_up(every_minute, start, now, GRACE)
    assert len(plan.missed) == MAX_CATCH_UP
    assert plan.send is None
    assert plan.following == now + timedelta(minutes=1)
