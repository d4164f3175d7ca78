"""Properties of the grammar over generated input (Hypothesis): every schedule's restated words
read back as the same schedule, and no input raises anything but the grammar's refusal."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 5, 16, 40, tzinfo=SHANGHAI).astimezone(UTC)
TODAY = date(2026, 12, 5)

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _minute_times() -> st.SearchStrategy[time]:
    return st.builds(time, st.integers(0, 23), st.integers(0, 59))


@st.composite
def _tod_and_end(draw: st.DrawFn) -> tuple[time, time | None]:
    tod = draw(_minute_times())
    if not draw(st.booleans()) or tod >= time(23, 0):
        return tod, None
    later = draw(st.integers(1, (23 * 60 + 59) - (tod.hour * 60 + tod.minute)))
    minutes = tod.hour * 60 + tod.minute + later
    return tod, time(minutes // 60, minutes % 60)


def _days_of_month(max_day: int = 31) -> st.SearchStrategy[tuple[int, ...]]:
    listed = st.lists(st.integers(1, max_day), min_size=1, max_size=4, unique=True).map(
        lambda days: tuple(sorted(days))
    )
    return st.one_of(st.just((-1,)), listed)


@st.composite
def schedules(draw: st.DrawFn) -> Any:  # a Schedule (imported once the plugin is loaded)
    from bot.when import Schedule

    kind = draw(
        st.sampled_from(
            [
                "once", "daily", "weekly", "workday", "monthly", "monthly_weekday",
                "monthly_workday", "quarterly", "yearly", "cron",
            ]
        )
    )  # fmt: skip
    tod, end = draw(_tod_and_end())
    if kind == "once":
        minutes = draw(st.integers(1, 60 * 24 * 700))
        second = draw(st.sampled_from([0, 0, 0, 17]))
        at = NOW + timedelta(minutes=minutes, seconds=second)
        local = at.astimezone(SHANGHAI)
        if end is not None and end <= local.time():
            end = None
        return Schedule("once", at=at, end=end)
    if kind == "cron":
        expr = draw(st.sampled_from(["0 9 * * 1", "30 8 * * 1-5", "0 9 1 */3 *", "0 18 L * *"]))
        return Schedule("cron", expr=expr)
    every, first, last = 0, None, None
    if kind in ("daily", "weekly"):
        every = draw(st.sampled_from([0, 0, 2, 3, 4]))
    if every or (kind in ("daily", "weekly", "workday") and draw(st.booleans())):
        first = TODAY + timedelta(days=draw(st.integers(-20, 60)))
        if not every and draw(st.booleans()):
            last = first + timedelta(days=draw(st.integers(0, 60)))
    fields: dict[str, Any] = {"tod": tod, "end": end, "every": every, "first": first}
    fields["last"] = last
    match kind:
        case "weekly":
            days = draw(st.lists(st.integers(0, 6), min_size=1, max_size=7, unique=True))
            fields["days"] = tuple(sorted(days))
        case "monthly":
            fields["days"] = draw(_days_of_month())
        case "monthly_weekday":
            fields["days"] = (draw(st.integers(0, 6)),)
            fields["nth"] = draw(st.sampled_from([1, 2, 3, 4, 5, -1]))
            fields["month"] = draw(st.integers(0, 3))
        case "monthly_workday":
            fields["nth"] = draw(st.sampled_from([1, -1]))
            fields["month"] = draw(st.integers(0, 3))
        case "quarterly":
            fields["days"] = draw(_days_of_month())
            fields["month"] = draw(st.integers(1, 3))
        case "yearly":
            month = draw(st.integers(1, 12))
            fields["month"] = month
            fields["days"] = (
                draw(st.one_of(st.just(-1), st.integers(1, calendar.monthrange(2024, month)[1]))),
            )
    return Schedule(kind, **fields)


@SETTINGS
@given(schedules())
def test_restated_words_read_back_as_the_same_schedule(schedule: Any) -> None:
    from bot.when import parse

    assume(schedule.next_after(NOW) is not None)
    words = schedule.describe(NOW)
    parsed = parse(f"{words} 开会", NOW)
    assert parsed.schedule == schedule, words
    assert parsed.content == "开会"


_TOKENS = [
    "每", "天", "周", "星期", "月", "年", "季度", "工作日", "号", "日", "点", "分", "秒", "半",
    "上午", "下午", "晚上", "中午", "凌晨", "早", "晚", "明天", "后天", "今天", "今晚", "下", "本",
    "这", "个", "第", "最后", "一", "二", "三", "五", "七", "十", "廿", "两", "零", "0", "1", "9",
    "12", "31", "99", "2026", "20270307", ":", "：", "-", "/", ".", "·", "到", "至", "起", "前",
    "后", "隔", "的", "末", "底", "初", "农历", "腊", "正", "闰", "国庆节", "元旦", "春节", "中秋",
    "五一", "除夕", "cron", "*", " ", "（", "）", "周末", "小时", "分钟", "以后", "开会", "，",
]  # fmt: skip


def _outcome(text: str) -> str:
    """read, or the refusal's kind; anything else the grammar raises propagates."""
    from bot.when import ParseError, parse

    try:
        parsed = parse(text, NOW)
    except ParseError as refusal:
        return refusal.kind
    return "read" if parsed.schedule.next_after(NOW) is not None else "never fires"


@SETTINGS
@given(st.lists(st.sampled_from(_TOKENS), max_size=12).map("".join))
def test_no_input_raises_anything_but_a_refusal(text: str) -> None:
    assert _outcome(text) in ("read", "unreadable", "invalid", "past")


@SETTINGS
@given(st.text(max_size=40))
def test_arbitrary_unicode_is_read_or_refused(text: str) -> None:
    assert _outcome(text) in ("read", "unreadable", "invalid", "past")
    if not text.strip():
        assert _outcome(text) == "unreadable"
