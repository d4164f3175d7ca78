"""Days named in words: China's statutory festivals, and dates of the lunar calendar.

A festival's name means the festival's own day: 元旦 1月1日, 劳动节 5月1日, 国庆节 10月1日 (fixed
by the State Council's 《全国年节及纪念日放假办法》), 春节 正月初一, 除夕 the last day of 腊月, 端午
五月初五, 中秋 八月十五 (lunar), 清明 the solar term. These days never depend on an announcement;
the holiday *periods* around them (调休, 节后第一个工作日) do, and come from chinesecalendar's data,
which ends at the last year the State Council has announced (`holiday_period`).

Lunar dates come from lunar-python (MIT, pure Python, maintained; it also gives 清明).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, cast

FESTIVALS: dict[str, str] = {
    "元旦": "元旦",
    "春节": "春节",
    "过年": "春节",
    "大年初一": "春节",
    "除夕": "除夕",
    "大年三十": "除夕",
    "清明节": "清明节",
    "清明": "清明节",
    "劳动节": "劳动节",
    "五一劳动节": "劳动节",
    "五一节": "劳动节",
    "五一": "劳动节",
    "端午节": "端午节",
    "端午": "端午节",
    "中秋节": "中秋节",
    "中秋": "中秋节",
    "国庆节": "国庆节",
    "国庆": "国庆节",
    "十一国庆": "国庆节",
    "建党节": "建党节",
    "七一建党节": "建党节",
    "七一": "建党节",
    "建军节": "建军节",
    "八一建军节": "建军节",
    "八一": "建军节",
    "青年节": "青年节",
    "五四青年节": "青年节",
    "五四": "青年节",
    "妇女节": "妇女节",
    "三八妇女节": "妇女节",
    "三八节": "妇女节",
}
"""What people write → the festival's name as restated: the statutory festivals, and the
memorial days a Party branch keeps (七一 建党节, 八一 建军节, 五四 青年节, 三八 妇女节)."""

FIXED_DAYS: dict[str, tuple[int, int]] = {
    "元旦": (1, 1),
    "妇女节": (3, 8),
    "劳动节": (5, 1),
    "青年节": (5, 4),
    "建党节": (7, 1),
    "建军节": (8, 1),
    "国庆节": (10, 1),
}
"""Festivals on a fixed Gregorian date (month, day): these can also recur (每年七一)."""

_CHINESECALENDAR_NAMES = {
    "元旦": "New Year's Day",
    "春节": "Spring Festival",
    "除夕": "Spring Festival",
    "清明节": "Tomb-sweeping Day",
    "劳动节": "Labour Day",
    "端午节": "Dragon Boat Festival",
    "中秋节": "Mid-autumn Festival",
    "国庆节": "National Day",
}
"""The festival's holiday in chinesecalendar's data."""

LUNAR_MONTHS = {
    "正": 1, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
    "十": 10, "冬": 11, "十一": 11, "腊": 12, "十二": 12,
}  # fmt: skip
_LUNAR_DAY_WORDS = ["初一", "初二", "初三", "初四", "初五", "初六", "初七", "初八", "初九", "初十"]
_LUNAR_MONTH_NAMES = ["正", "二", "三", "四", "五", "六", "七", "八", "九", "十", "冬", "腊"]


class NoSuchDay(ValueError):
    """A lunar date that does not exist that year (腊月三十 in a year whose 腊月 has 29 days)."""


def lunar_to_solar(year: int, month: int, day: int, leap: bool = False) -> date:
    """The Gregorian date of a lunar date (year: the lunar year)."""
    from lunar_python import Lunar

    try:
        solar = cast(Any, Lunar.fromYmd(year, -month if leap else month, day)).getSolar()
    except Exception as e:  # lunar-python raises bare Exception for a day the month lacks
        raise NoSuchDay(str(e)) from e
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


def lunar_words(month: int, day: int, leap: bool = False) -> str:
    """农历八月十五, 农历腊月初十."""
    if day <= 10:
        day_words = _LUNAR_DAY_WORDS[day - 1]
    elif day < 20:
        day_words = "十" + "一二三四五六七八九"[day - 11]
    elif day == 20:
        day_words = "二十"
    elif day < 30:
        day_words = "廿" + "一二三四五六七八九"[day - 21]
    else:
        day_words = "三十"
    return f"农历{'闰' if leap else ''}{_LUNAR_MONTH_NAMES[month - 1]}月{day_words}"


def next_lunar(month: int, day: int, on_or_after: date, leap: bool = False) -> date | None:
    """The first Gregorian day on or after `on_or_after` that is this lunar date (looking at
    this lunar year and the next two; None when none of them has it)."""
    for year in range(on_or_after.year - 1, on_or_after.year + 3):
        try:
            found = lunar_to_solar(year, month, day, leap)
        except NoSuchDay:
            continue
        if found >= on_or_after:
            return found
    return None


def festival_day(name: str, year: int) -> date:
    """The festival's own day in Gregorian year `year`."""
    if name in FIXED_DAYS:
        return date(year, *FIXED_DAYS[name])
    match name:
        case "清明节":
            from lunar_python import Solar

            term = cast(Any, Solar.fromYmd(year, 6, 1)).getLunar().getJieQiTable()["清明"]
            return date(term.getYear(), term.getMonth(), term.getDay())
        case "春节":
            return lunar_to_solar(year, 1, 1)
        case "端午节":
            return lunar_to_solar(year, 5, 5)
        case "中秋节":
            return lunar_to_solar(year, 8, 15)
        case "除夕":
            return lunar_to_solar(year, 1, 1) - timedelta(days=1)
    raise KeyError(name)


def next_festival(name: str, on_or_after: date) -> date:
    """The festival's first day on or after `on_or_after`."""
    this_year = festival_day(name, on_or_after.year)
    return this_year if this_year >= on_or_after else festival_day(name, on_or_after.year + 1)


def is_statutory(name: str) -> bool:
    """A festival with days off (chinesecalendar knows its holiday periods)."""
    return name in _CHINESECALENDAR_NAMES


def holiday_period(name: str, day: date) -> tuple[date, date] | None:
    """The announced days off around the festival on `day` (first, last), from chinesecalendar;
    None when its data does not cover that year (not yet announced)."""
    import chinese_calendar

    wanted = _CHINESECALENDAR_NAMES[name]

    def named(d: date) -> bool:
        try:
            on, holiday = chinese_calendar.get_holiday_detail(d)
        except NotImplementedError:
            raise LookupError(d.year) from None
        return bool(on) and holiday == wanted

    try:
        probe = day
        for _ in range(3):  # 除夕 may sit just before its period starts
            if named(probe):
                break
            probe += timedelta(days=1)
        else:
            return None
        first = last = probe
        while named(first - timedelta(days=1)):
            first -= timedelta(days=1)
        while named(last + timedelta(days=1)):
            last += timedelta(days=1)
    except LookupError:
        return None
    return first, last
