"""Texts of the time grammar: notes said with a restated time, and why a time cannot be used.

Each feature that reads times (reminders, notices, meetings) shows these as they are: a note
after the time it restates, a reason after 「…」用不了：. A few reasons carry an example written
as a reminder (提醒 …), the grammar's first user; `parse_moment` gives its own (the last
section) or leaves the command out.
"""

from __future__ import annotations

from datetime import date, time
from typing import Literal

from .schedule import WEEKDAY_NAMES


def _hhmm(tod: time) -> str:
    return tod.strftime("%H:%M")


def _md(day: date) -> str:
    return f"{day.month}月{day.day}日"


def note_no_hour(tod: time) -> str:
    return f"没写几点，按{_hhmm(tod)}"


def note_period_default(word: str, tod: time) -> str:
    return f"「{word}」没写几点，按{_hhmm(tod)}"


def note_next_day(said: str, tod: time) -> str:
    return f"「{said}」按次日{_hhmm(tod)}"


def note_today_passed(tod: time) -> str:
    return f"今天{_hhmm(tod)}已过，按明天"


NOTE_WEEKEND = "周末按周六"
NOTE_WEEKEND_SUNDAY = "周六已过，按周日"
NOTE_WINDOW_DAILY = "日期范围内每天提醒"
NOTE_FIRST_DAY = "没写哪天，按第一天"
NOTE_FIRST_OF_MONTH = "没写几号，按1号"


def note_festival(name: str, day: date) -> str:
    return f"{name}是{_md(day)}"


def note_around_holiday(name: str, *, after: bool) -> str:
    return f"{name}{'假后第一个' if after else '假前最后一个'}工作日"


def note_lunar(words: str, day: date) -> str:
    return f"{words}是{_md(day)}"


def note_month_part_passed(part: str, day: date) -> str:
    return f"本月{part}已过，按下月{day.day}号"


def note_numeric_date(said: str, day: date) -> str:
    return f"「{said}」按{_md(day)}"


def note_every(said: str, step: int, unit: Literal["天", "周"]) -> str:
    return f"「{said}」即每{step}{unit}一次"


def note_deadline(
    said: str, when: Literal["day before", "same day", "hour before", "at the deadline"]
) -> str:
    told = {
        "day before": "截止前一天提醒",
        "same day": "截止当天提醒",
        "hour before": "截止前1小时提醒",
        "at the deadline": "离截止不到1小时，按截止时间提醒",
    }
    return f"「{said}」：{told[when]}"


def need_hour(word: str) -> str:
    return f"「{word}」请写几点，例：明天{word}5点"


def check_mismatch(day: date) -> str:
    return f"那天是{_md(day)}{WEEKDAY_NAMES[day.weekday()]}，对不上"


def holidays_unknown(name: str, day: date, until: int, command: str = "提醒 ") -> str:
    return (
        f"{day.year}年{name}的放假安排还没公布（节假日数据到{until}年），"
        f"请写具体日期，例：{command}{day.year}年{_md(day)} 9点 {name}"
    )


def no_days_off(name: str) -> str:
    return f"{name}不放假，没有节前节后的工作日，请写具体日期"


def no_lunar_day(words: str, *, last_of_year: bool) -> str:
    return f"最近三年都没有{words}" + ("；除夕请写「除夕」" if last_of_year else "")


def no_such_hour(period: str, hour: int) -> str:
    return f"{period}没有{hour}点"


def no_such_day(month: int, day: int) -> str:
    return f"{month}月没有{day}日"


RANGE_END_EARLY = "结束时间要晚于开始时间，且在同一天"
LUNAR_RANGE = "农历月份1–12（正月…腊月），日子初一到三十"
LUNAR_OR_SOLAR = "农历请写「农历八月十五」，公历请写「8月15日」"
LUNAR_YEARLY = "农历节日每年日期不同，请每年设一次，例：提醒 中秋节 9点 发月饼"
DAY_OF_MONTH_RANGE = "日期应在1–31号之间"
HOUR_RANGE = "小时应在0–23、分钟在0–59之间"
MONTH_RANGE = "月份应在1–12之间"
YEAR_RANGE = "年份不对"
NEVER_FIRES = "这个时间永远不会到"
HOUR_AFTER_CONTENT = "几点要紧跟日期写在内容前面，如：提醒 明天下午3点 开会"
CRON_INVALID = "cron 表达式有误（5段：分 时 日 月 周）"
WINDOW_END_EARLY = "结束日期要晚于开始日期"
WINDOW_NEEDS_TIME = "日期范围后请写每天几点，例：提醒 下周一到周五每天9点 培训签到"
MIDNIGHT_IS_NEXT_DAY = "这是第二天0点，请直接写那天的「0点」，例：每月2号0点"
DAY_GAP_RANGE = "间隔请写1–365天"
WEEKDAY_RANGE_ORDER = "星期范围请写成「一至五」"
NTH_TOO_BIG = "每月最多有5个同一星期几"
WORKDAY_NTH = "工作日请写「第一个」或「最后一个」"
QUARTER_MONTH = "季度只有第一、二、三个月"
WHOLE_DAYS = "天数请写整数"
WHOLE_MINUTES = "最短1分钟，请写整分钟"
TOO_FAR = "最远十年"
MONTHS_RANGE = "月数请写1–120的整数"


# --- one instant (parse_moment): a deadline, a meeting's start

NEED_A_TIME = "请写上时间，例：周五18点、明天下午3点、12月20日"
ONE_TIME_ONLY = "这里要一个具体时间，不能是重复的时间，例：周五18点、12月20日下午3点"
UNREADABLE_MOMENT = "看不懂这个时间，可以这样写：周五18点、明天下午3点、12月20日、30分钟后"
HOUR_AFTER_CONTENT_MOMENT = "几点要紧跟日期写在内容前面，例：明天下午3点"
