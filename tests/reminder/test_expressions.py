"""The time expressions people type, each with its next fire times at a fixed instant.

The clock stands at Monday 2026-11-30 09:30 in Shanghai (tests/conftest.py DEFAULT_NOW).
Expected times are local (Asia/Shanghai), written out by hand from the calendar.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.clock import FixedClock
from tests.conftest import DEFAULT_NOW

SHANGHAI = ZoneInfo("Asia/Shanghai")

# expression → the first fire times (up to three), local "YYYY-MM-DD HH:MM"
TABLE: list[tuple[str, list[str]]] = [
    # --- one-off: the examples
    ("明天下午3点", ["2026-12-01 15:00"]),
    ("后天上午十点半", ["2026-12-02 10:30"]),
    ("下周一 9:00", ["2026-12-07 09:00"]),
    ("12月1日14:30", ["2026-12-01 14:30"]),
    ("2026-12-01 09:00", ["2026-12-01 09:00"]),
    ("今晚8点", ["2026-11-30 20:00"]),
    ("30分钟后", ["2026-11-30 10:00"]),
    ("2小时后", ["2026-11-30 11:30"]),
    ("半小时后", ["2026-11-30 10:00"]),
    # --- one-off: more days
    ("明天早上8点", ["2026-12-01 08:00"]),
    ("明早7点半", ["2026-12-01 07:30"]),
    ("明晚九点", ["2026-12-01 21:00"]),
    ("明天", ["2026-12-01 09:00"]),
    ("明天 下午3点", ["2026-12-01 15:00"]),
    ("大后天 10:00", ["2026-12-03 10:00"]),
    ("今天下午4点", ["2026-11-30 16:00"]),
    ("今晚八点半", ["2026-11-30 20:30"]),
    ("周五下午3点", ["2026-12-04 15:00"]),
    ("星期三 14:00", ["2026-12-02 14:00"]),
    ("礼拜六上午10点", ["2026-12-05 10:00"]),
    ("周一 8点", ["2026-12-07 08:00"]),  # this Monday 8:00 has passed: next Monday
    ("下星期二上午9点", ["2026-12-08 09:00"]),
    ("下个周三 9点", ["2026-12-09 09:00"]),
    ("下下周一 9点", ["2026-12-14 09:00"]),
    ("本周日 20:00", ["2026-12-06 20:00"]),
    ("这周五 16:00", ["2026-12-04 16:00"]),
    ("2026年12月25日 10:00", ["2026-12-25 10:00"]),
    ("2027-01-01 00:00", ["2027-01-01 00:00"]),
    ("2026/12/31 23:59", ["2026-12-31 23:59"]),
    ("十二月一日 下午三点", ["2026-12-01 15:00"]),
    ("12月1号", ["2026-12-01 09:00"]),
    ("1月5日", ["2027-01-05 09:00"]),  # more than a month ago this year: next year's
    ("二十号", ["2026-12-20 09:00"]),
    ("三十一号 18:00", ["2026-12-31 18:00"]),
    ("5号上午9点", ["2026-12-05 09:00"]),
    # --- one-off: relative
    ("一个半小时后", ["2026-11-30 11:00"]),
    ("1小时30分钟后", ["2026-11-30 11:00"]),
    ("一刻钟后", ["2026-11-30 09:45"]),
    ("45分钟后", ["2026-11-30 10:15"]),
    ("90分钟后", ["2026-11-30 11:00"]),
    ("10分后", ["2026-11-30 09:40"]),
    ("两小时后", ["2026-11-30 11:30"]),
    ("1分钟后", ["2026-11-30 09:31"]),
    ("3天后", ["2026-12-03 09:30"]),
    ("3天后上午9点", ["2026-12-03 09:00"]),
    ("1周后", ["2026-12-07 09:30"]),
    # --- one-off: a time alone (today, else tomorrow)
    ("十点半", ["2026-11-30 10:30"]),
    ("下午两点", ["2026-11-30 14:00"]),
    ("8点", ["2026-12-01 08:00"]),
    ("15:00", ["2026-11-30 15:00"]),
    ("下午3点15分", ["2026-11-30 15:15"]),
    ("下午三点一刻", ["2026-11-30 15:15"]),
    ("下午三点三刻", ["2026-11-30 15:45"]),
    ("晚上10点", ["2026-11-30 22:00"]),
    ("中午12点", ["2026-11-30 12:00"]),
    ("中午1点", ["2026-11-30 13:00"]),
    ("凌晨2点", ["2026-12-01 02:00"]),
    ("傍晚6点", ["2026-11-30 18:00"]),
    ("14时30分", ["2026-11-30 14:30"]),
    ("十点零五分", ["2026-11-30 10:05"]),
    ("十点二十", ["2026-11-30 10:20"]),
    ("11点整", ["2026-11-30 11:00"]),
    ("１０：４５", ["2026-11-30 10:45"]),  # full-width digits and colon
    # --- recurring: every day
    ("每天8点", ["2026-12-01 08:00", "2026-12-02 08:00", "2026-12-03 08:00"]),
    ("每天早上七点半", ["2026-12-01 07:30", "2026-12-02 07:30", "2026-12-03 07:30"]),
    ("每日 21:00", ["2026-11-30 21:00", "2026-12-01 21:00", "2026-12-02 21:00"]),
    ("天天10点", ["2026-11-30 10:00", "2026-12-01 10:00", "2026-12-02 10:00"]),
    ("每天八点十五", ["2026-12-01 08:15", "2026-12-02 08:15", "2026-12-03 08:15"]),
    ("每天８：３０", ["2026-12-01 08:30", "2026-12-02 08:30", "2026-12-03 08:30"]),
    # --- recurring: weekly
    ("每周五15:00", ["2026-12-04 15:00", "2026-12-11 15:00", "2026-12-18 15:00"]),
    ("每周一三五 7:30", ["2026-12-02 07:30", "2026-12-04 07:30", "2026-12-07 07:30"]),
    ("每周一、三、五 7:30", ["2026-12-02 07:30", "2026-12-04 07:30", "2026-12-07 07:30"]),
    ("每周一、周三 10点", ["2026-11-30 10:00", "2026-12-02 10:00", "2026-12-07 10:00"]),
    ("每周一至五 8点", ["2026-12-01 08:00", "2026-12-02 08:00", "2026-12-03 08:00"]),
    ("每周一到周五 18:00", ["2026-11-30 18:00", "2026-12-01 18:00", "2026-12-02 18:00"]),
    ("每星期日 20:00", ["2026-12-06 20:00", "2026-12-13 20:00", "2026-12-20 20:00"]),
    ("每个星期二 9:00", ["2026-12-01 09:00", "2026-12-08 09:00", "2026-12-15 09:00"]),
    ("每礼拜四下午三点", ["2026-12-03 15:00", "2026-12-10 15:00", "2026-12-17 15:00"]),
    ("每周末 10点", ["2026-12-05 10:00", "2026-12-06 10:00", "2026-12-12 10:00"]),
    ("每周三四点", ["2026-12-02 04:00", "2026-12-09 04:00", "2026-12-16 04:00"]),
    # --- recurring: working days (China's calendar)
    ("工作日8:30", ["2026-12-01 08:30", "2026-12-02 08:30", "2026-12-03 08:30"]),
    ("每个工作日 18:00", ["2026-11-30 18:00", "2026-12-01 18:00", "2026-12-02 18:00"]),
    # --- recurring: monthly
    ("每月1号9点", ["2026-12-01 09:00", "2027-01-01 09:00", "2027-02-01 09:00"]),
    ("每月最后一天", ["2026-12-31 09:00", "2027-01-31 09:00", "2027-02-28 09:00"]),
    ("每月月底 18:00", ["2026-11-30 18:00", "2026-12-31 18:00", "2027-01-31 18:00"]),
    ("每月二十号 10:00", ["2026-12-20 10:00", "2027-01-20 10:00", "2027-02-20 10:00"]),
    ("每月15号 下午2点", ["2026-12-15 14:00", "2027-01-15 14:00", "2027-02-15 14:00"]),
    ("每月1号、15号 9点", ["2026-12-01 09:00", "2026-12-15 09:00", "2027-01-01 09:00"]),
    ("每月31号", ["2026-12-31 09:00", "2027-01-31 09:00", "2027-02-28 09:00"]),
    ("每个月的5号 8:00", ["2026-12-05 08:00", "2027-01-05 08:00", "2027-02-05 08:00"]),
    ("每月第一个周五 15:00", ["2026-12-04 15:00", "2027-01-01 15:00", "2027-02-05 15:00"]),
    ("每月第2个星期三 14:00", ["2026-12-09 14:00", "2027-01-13 14:00", "2027-02-10 14:00"]),
    ("每月最后一个周五", ["2026-12-25 09:00", "2027-01-29 09:00", "2027-02-26 09:00"]),
    # --- recurring: quarterly and yearly
    ("每季度第一个月5号", ["2027-01-05 09:00", "2027-04-05 09:00", "2027-07-05 09:00"]),
    ("每季度5号 9点", ["2027-01-05 09:00", "2027-04-05 09:00", "2027-07-05 09:00"]),
    ("每季度第二个月15号", ["2027-02-15 09:00", "2027-05-15 09:00", "2027-08-15 09:00"]),
    ("每季度第三个月最后一天 17:00", ["2026-12-31 17:00", "2027-03-31 17:00", "2027-06-30 17:00"]),
    ("每年7月1日", ["2027-07-01 09:00", "2028-07-01 09:00", "2029-07-01 09:00"]),
    ("每年12月1日 上午10点", ["2026-12-01 10:00", "2027-12-01 10:00", "2028-12-01 10:00"]),
    # --- recurring: cron (read in Asia/Shanghai)
    ("cron 0 9 * * 1", ["2026-12-07 09:00", "2026-12-14 09:00", "2026-12-21 09:00"]),
    ("cron 30 8 * * 1-5", ["2026-12-01 08:30", "2026-12-02 08:30", "2026-12-03 08:30"]),
    ("cron 0 9 1 */3 *", ["2027-01-01 09:00", "2027-04-01 09:00", "2027-07-01 09:00"]),
    ("cron 0 18 L * *", ["2026-11-30 18:00", "2026-12-31 18:00", "2027-01-31 18:00"]),
    ("CRON 0 10 * * *", ["2026-11-30 10:00", "2026-12-01 10:00", "2026-12-02 10:00"]),
]


def _local(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=SHANGHAI)


def test_the_table_is_big_enough() -> None:
    assert len(TABLE) >= 80
    assert len({expression for expression, _ in TABLE}) == len(TABLE)


@pytest.mark.parametrize(("expression", "expected"), TABLE, ids=[e for e, _ in TABLE])
def test_next_fire_times(expression: str, expected: list[str]) -> None:
    from plugins.reminder.grammar import parse
    from plugins.reminder.schedule import Schedule

    parsed = parse(f"{expression} 开会", DEFAULT_NOW)
    assert parsed.content == "开会"
    times = parsed.schedule.upcoming(DEFAULT_NOW, 3)
    assert [t.astimezone(SHANGHAI) for t in times[: len(expected)]] == [_local(t) for t in expected]
    assert all(t.second == 0 and t.tzinfo is UTC for t in times)
    # Stored and read back, the schedule gives the same times.
    again = Schedule.from_spec(parsed.schedule.to_spec())
    assert again.upcoming(DEFAULT_NOW, 3) == times


REFUSED: list[tuple[str, str, str]] = [
    # expression, kind, what the reply names
    ("今天上午9点", "past", "今天上午9点"),
    ("11月1日", "past", "11月1日"),
    ("2026-11-01 10:00", "past", "2026-11-01 10:00"),
    ("本周一 8点", "past", "本周一 8点"),
    ("今天", "past", "今天"),
    ("2月30日", "invalid", "2月没有30日"),
    ("13月1日", "invalid", "月份应在1–12之间"),
    ("每月32号", "invalid", "日期应在1–31号之间"),
    ("25:00", "invalid", "小时应在0–23"),
    ("上午15点", "invalid", "上午没有15点"),
    ("cron 61 9 * * *", "invalid", "cron 表达式有误"),
    ("cron 0 0 30 2 *", "invalid", "永远不会到"),
    ("0分钟后", "invalid", "最短1分钟"),
    ("哈哈", "unreadable", "哈哈"),
    ("开会 明天3点", "unreadable", "开会"),
    ("下下下周", "unreadable", "下下下周"),
    ("每周八", "unreadable", "每周八"),
]


@pytest.mark.parametrize(("expression", "kind", "named"), REFUSED, ids=[e for e, _, _ in REFUSED])
def test_refused_times(expression: str, kind: str, named: str) -> None:
    from plugins.reminder.grammar import ParseError, parse

    with pytest.raises(ParseError) as caught:
        parse(f"{expression} 开会", DEFAULT_NOW)
    assert caught.value.kind == kind
    assert named in caught.value.phrase + caught.value.reason


def test_content_keeps_its_punctuation_and_digits() -> None:
    from plugins.reminder.grammar import parse

    parsed = parse("每周五一起学习，地点：5楼", DEFAULT_NOW)
    assert (parsed.phrase, parsed.content) == ("每周五", "一起学习，地点：5楼")
    assert parse("明天下午3点支委会（全体支委）", DEFAULT_NOW).content == "支委会（全体支委）"
    assert parse("每天8点 5楼开会", DEFAULT_NOW).content == "5楼开会"


def test_working_days_follow_the_holiday_calendar() -> None:
    """2026: National Day 10月1–7日 off, Saturday 10月10日 worked; Spring Festival
    2月15–23日 off, Saturdays 2月14日 and 2月28日 worked."""
    from plugins.reminder.grammar import parse

    schedule = parse("工作日9点 打卡", DEFAULT_NOW).schedule
    autumn = schedule.upcoming(_local("2026-09-30 10:00").astimezone(UTC), 3)
    assert [t.astimezone(SHANGHAI) for t in autumn] == [
        _local("2026-10-08 09:00"),
        _local("2026-10-09 09:00"),
        _local("2026-10-10 09:00"),
    ]
    spring = schedule.upcoming(_local("2026-02-13 10:00").astimezone(UTC), 2)
    assert [t.astimezone(SHANGHAI) for t in spring] == [
        _local("2026-02-14 09:00"),
        _local("2026-02-24 09:00"),
    ]


def test_schedules_in_words(clock: FixedClock) -> None:
    from plugins.reminder.grammar import parse

    def words(expression: str) -> str:
        return parse(f"{expression} 开会", DEFAULT_NOW).schedule.describe()

    assert words("每周一三五 7:30") == "每周一、三、五 07:30"
    assert words("每周一至五 8点") == "每周一至五 08:00"
    assert words("每月最后一天") == "每月最后一天 09:00"
    assert words("每季度第一个月5号") == "每季度第一个月（1、4、7、10月）5号 09:00"
    assert words("工作日8:30") == "工作日 08:30（按国家法定节假日和调休）"
    assert words("每月第一个周五 15:00") == "每月第一个周五 15:00"
    assert words("cron 0 9 * * 1") == "cron「0 9 * * 1」（在 09:00，仅在 周一）"
    assert words("明天下午3点") == "明天（12月1日 周二）15:00"


def test_every_documented_example_reads() -> None:
    """The examples 帮助 shows, and those the replies suggest, all work as they are."""
    from plugins.reminder import EDIT, REMIND, messages
    from plugins.reminder.grammar import parse

    shown = [*REMIND.examples, *messages.EXAMPLES, messages.PRIVATE_EXAMPLE]
    shown += [e.split(" ", 2)[2] for e in EDIT.examples]
    for example in shown:
        text = example.removeprefix("提醒 ").removeprefix("设提醒 ").replace(" @全体", "")
        parsed = parse(text, DEFAULT_NOW)
        assert parsed.schedule.next_after(DEFAULT_NOW) is not None, example
    assert parse("明天下午4点 支委会改到四点", DEFAULT_NOW).content == "支委会改到四点"


def test_minutes_from_now_are_never_early() -> None:
    """At 09:30:00.400, `1分钟后` is 09:31:01, not 09:31:00 (0.4 s early)."""
    from plugins.reminder.grammar import parse

    now = DEFAULT_NOW + timedelta(milliseconds=400)
    (at,) = parse("1分钟后 开会", now).schedule.upcoming(now, 1)
    assert at - now == timedelta(seconds=60, milliseconds=600)
    (exact,) = parse("1分钟后 开会", DEFAULT_NOW).schedule.upcoming(DEFAULT_NOW, 1)
    assert exact - DEFAULT_NOW == timedelta(minutes=1)
