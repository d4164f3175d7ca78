"""`parse_moment`: one instant (a deadline, a meeting's start) at the start of the text.

The clock stands at Monday 2026-11-30 09:30 in Shanghai (tests/conftest.py DEFAULT_NOW); a
day without an hour is at 18:00, the hour a notice's deadline passes as `default_time`.
Expected times are local (Asia/Shanghai), written out by hand from the calendar.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.clock import FixedClock
from tests.conftest import DEFAULT_NOW

SHANGHAI = ZoneInfo("Asia/Shanghai")
DEADLINE = time(18, 0)
NO_HOUR = "没写几点，按18:00"

# expression → the instant (local "YYYY-MM-DD HH:MM"), and the notes
TABLE: list[tuple[str, str, list[str]]] = [
    # --- a day and an hour
    ("周五18点", "2026-12-04 18:00", []),
    ("明天下午3点", "2026-12-01 15:00", []),
    ("下周三 14:30", "2026-12-09 14:30", []),
    ("2027年1月5日9点", "2027-01-05 09:00", []),
    ("12月1日14:30", "2026-12-01 14:30", []),
    ("2026-12-01 09:00", "2026-12-01 09:00", []),
    ("后天上午十点半", "2026-12-02 10:30", []),
    ("今晚8点", "2026-11-30 20:00", []),
    ("明早7点半", "2026-12-01 07:30", []),
    ("周日 20:00", "2026-12-06 20:00", []),
    ("明天（12月1日 周二）15:00", "2026-12-01 15:00", []),
    ("16时40分50秒", "2026-11-30 16:40", []),
    # --- a day without an hour: default_time, said
    ("12月20日", "2026-12-20 18:00", [NO_HOUR]),
    ("明天", "2026-12-01 18:00", [NO_HOUR]),
    ("下周一", "2026-12-07 18:00", [NO_HOUR]),
    ("周一", "2026-11-30 18:00", [NO_HOUR]),
    ("1月5日", "2027-01-05 18:00", [NO_HOUR]),
    ("下个月5号", "2026-12-05 18:00", [NO_HOUR]),
    ("二十号", "2026-12-20 18:00", [NO_HOUR]),
    ("12/20", "2026-12-20 18:00", ["「12/20」按12月20日", NO_HOUR]),
    ("国庆节", "2027-10-01 18:00", ["国庆节是10月1日", NO_HOUR]),
    ("腊月初十", "2027-01-17 18:00", ["农历腊月初十是1月17日", NO_HOUR]),
    ("下周末", "2026-12-12 18:00", ["周末按周六", NO_HOUR]),
    # --- a part of day without an hour: its own default, said
    ("明天下午", "2026-12-01 15:00", ["「下午」没写几点，按15:00"]),
    ("明天晚上", "2026-12-01 20:00", ["「晚上」没写几点，按20:00"]),
    # --- from now
    ("30分钟后", "2026-11-30 10:00", []),
    ("2小时后", "2026-11-30 11:30", []),
    ("一个半小时后", "2026-11-30 11:00", []),
    ("3天后", "2026-12-03 09:30", []),
    ("3天后上午9点", "2026-12-03 09:00", []),
    ("1周后", "2026-12-07 09:30", []),
    # --- an hour alone: today's, else tomorrow's (said)
    ("18点", "2026-11-30 18:00", []),
    ("8点", "2026-12-01 08:00", ["今天08:00已过，按明天"]),
    ("晚上12点", "2026-12-01 00:00", ["「晚上12点」按次日00:00"]),
    # --- 前: the deadline itself, not the reminder's "the day before"
    ("周五前", "2026-12-04 18:00", [NO_HOUR]),
    ("周五之前", "2026-12-04 18:00", [NO_HOUR]),
    ("周五以前", "2026-12-04 18:00", [NO_HOUR]),
    ("周五18点前", "2026-12-04 18:00", []),
    ("周五下午3点前", "2026-12-04 15:00", []),
    ("今晚8点前", "2026-11-30 20:00", []),
    ("月底前", "2026-11-30 18:00", [NO_HOUR]),
    ("元旦前", "2027-01-01 18:00", ["元旦是1月1日", NO_HOUR]),
    ("18点前", "2026-11-30 18:00", []),
    ("8点前", "2026-12-01 08:00", ["今天08:00已过，按明天"]),
    ("12月1日前一天", "2026-11-30 18:00", [NO_HOUR]),
    # --- in the past: returned as the grammar reads it; the caller refuses it
    ("今天上午9点", "2026-11-30 09:00", []),
    ("今天", "2026-11-30 18:00", [NO_HOUR]),
    ("11月1日", "2026-11-01 18:00", [NO_HOUR]),
    ("2026-11-01 10:00", "2026-11-01 10:00", []),
]


def _local(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=SHANGHAI)


def test_the_table_is_big_enough() -> None:
    assert len(TABLE) >= 30
    assert len({e for e, _, _ in TABLE}) == len(TABLE)


@pytest.mark.parametrize(("expression", "expected", "notes"), TABLE, ids=[e for e, _, _ in TABLE])
def test_one_instant(expression: str, expected: str, notes: list[str]) -> None:
    from bot.when import parse_moment

    moment = parse_moment(f"{expression} 交材料", DEFAULT_NOW, DEADLINE)
    assert moment.at.replace(second=0) == _local(expected)
    assert moment.at.utcoffset() == timedelta(hours=8)
    assert (moment.phrase, moment.content, moment.notes) == (expression, "交材料", notes)
    assert moment.end is None


def test_the_default_time_is_the_caller_s(clock: FixedClock) -> None:
    from bot.when import DEFAULT_TIME, parse_moment

    assert time(9, 0) == DEFAULT_TIME
    moment = parse_moment("周五 支委会")  # the clock fixture's now, the grammar's 09:00
    assert (moment.at, moment.notes) == (_local("2026-12-04 09:00"), ["没写几点，按09:00"])
    moment = parse_moment("周五前 交材料", default_time=time(17, 30))
    assert (moment.at, moment.notes) == (_local("2026-12-04 17:30"), ["没写几点，按17:30"])


def test_a_passed_weekday_is_next_week_s() -> None:
    """周一前 said on Monday after 18:00: next Monday's, as the reminder grammar rolls it."""
    from bot.when import parse_moment

    evening = _local("2026-11-30 19:00").astimezone(UTC)
    assert parse_moment("周一前 交", evening, DEADLINE).at == _local("2026-12-07 18:00")
    assert parse_moment("今天 交", evening, DEADLINE).at == _local("2026-11-30 18:00")


def test_content_is_what_follows() -> None:
    from bot.when import parse_moment

    def split(text: str) -> tuple[str, str]:
        moment = parse_moment(text, DEFAULT_NOW, DEADLINE)
        return moment.phrase, moment.content

    assert split("明天下午3点支委会") == ("明天下午3点", "支委会")
    assert split("周五18点前，交思想汇报") == ("周五18点前", "交思想汇报")
    assert split("明天下午3点 开会 4点结束") == ("明天下午3点", "开会 4点结束")
    assert split("明天 3号楼开会") == ("明天", "3号楼开会")
    assert split("周五18点") == ("周五18点", "")
    assert split("  明天下午3点   ") == ("明天下午3点", "")


def test_a_range_keeps_its_end() -> None:
    from bot.when import parse_moment

    moment = parse_moment("明天下午两点到四点 支委会", DEFAULT_NOW, DEADLINE)
    assert (moment.at, moment.end) == (_local("2026-12-01 14:00"), _local("2026-12-01 16:00"))
    assert moment.content == "支委会"


def test_the_reminder_grammar_keeps_its_own_reading_of_before() -> None:
    """The same words through `parse`: a reminder the day before, as ever."""
    from bot.when import parse

    parsed = parse("周五前 交材料", DEFAULT_NOW)
    assert parsed.schedule.at == _local("2026-12-03 09:00")
    assert parsed.notes == ["「周五前」：截止前一天提醒"]


ONE_TIME_ONLY = "这里要一个具体时间，不能是重复的时间"

REFUSED: list[tuple[str, str, str]] = [
    # text, kind, in the reason (the phrase as typed is in ParseError.phrase)
    ("每周五 学习", "invalid", ONE_TIME_ONLY),
    ("每周五15:00 学习", "invalid", ONE_TIME_ONLY),
    ("工作日8:30 打卡", "invalid", ONE_TIME_ONLY),
    ("每天9点 打卡", "invalid", ONE_TIME_ONLY),
    ("每月1号 交党费", "invalid", ONE_TIME_ONLY),
    ("cron 0 9 * * 1 学习", "invalid", ONE_TIME_ONLY),
    ("周一到周五 9点 签到", "invalid", ONE_TIME_ONLY),
    ("下周一到周五每天9点 培训", "invalid", ONE_TIME_ONLY),
    ("12月6日到8日 培训", "invalid", ONE_TIME_ONLY),
    ("每年中秋 发月饼", "invalid", ONE_TIME_ONLY),
    ("明天起 每天9点 打卡", "invalid", ONE_TIME_ONLY),
    ("", "unreadable", "请写上时间"),
    ("   ", "unreadable", "请写上时间"),
    ("哈哈", "unreadable", "看不懂这个时间"),
    ("交材料 周五前", "unreadable", "看不懂这个时间"),
    ("周五 前 交", "unreadable", "看不懂这个时间"),
    ("明天下午茶话会", "unreadable", "看不懂这个时间"),
    ("明天 开会 下午3点", "invalid", "几点要紧跟日期写在内容前面"),
    ("周五 交材料 下午5点前", "invalid", "几点要紧跟日期写在内容前面"),
    ("2月30日 交", "invalid", "2月没有30日"),
    ("上午15点 开会", "invalid", "上午没有15点"),
    ("明天凌晨 开会", "invalid", "请写几点"),
    ("0分钟后 开会", "invalid", "最短1分钟"),
    ("明天下午两点到一点 开会", "invalid", "结束时间要晚于开始时间"),
]


@pytest.mark.parametrize(("text", "kind", "reason"), REFUSED, ids=[t for t, _, _ in REFUSED])
def test_refused(text: str, kind: str, reason: str) -> None:
    from bot.when import ParseError, parse_moment

    with pytest.raises(ParseError) as caught:
        parse_moment(text, DEFAULT_NOW, DEADLINE)
    assert caught.value.kind == kind
    assert reason in caught.value.reason
    assert "\n" not in caught.value.reason
    assert "提醒" not in caught.value.reason  # the caller is no reminder


def test_a_recurring_refusal_names_what_was_typed() -> None:
    from bot.when import ParseError, parse_moment

    with pytest.raises(ParseError) as caught:
        parse_moment("每周五15:00 三会一课", DEFAULT_NOW, DEADLINE)
    assert caught.value.phrase == "每周五15:00"


def test_an_unannounced_holiday_s_example_names_no_command() -> None:
    from bot.when import ParseError, parse, parse_moment

    saturday = _local("2026-12-05 16:40").astimezone(UTC)
    with pytest.raises(ParseError) as caught:
        parse_moment("国庆节后第一个工作日 交", saturday, DEADLINE)
    assert "例：2027年10月1日 9点 国庆节" in caught.value.reason
    with pytest.raises(ParseError) as caught:
        parse("国庆节后第一个工作日 交", saturday)
    assert "例：提醒 2027年10月1日 9点 国庆节" in caught.value.reason
