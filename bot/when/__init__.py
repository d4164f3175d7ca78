"""Times in Chinese, as members type them: the grammar every feature that reads a time shares.

A plain package of pure functions (no tables, no matchers, no bot): the reminder reads
schedules with it; notices will read a deadline with it, meetings a start time.

- `parse(text, now=None, default_time=DEFAULT_TIME) -> Parsed`: `<时间> <内容>`, the time a
  `Schedule` (one instant or a recurrence: 每周五15:00, 工作日8:30, cron …); refuses a time in
  the past.
- `parse_moment(text, now=None, default_time=DEFAULT_TIME) -> Moment`: `<时间> <内容>`, the time
  one instant (周五18点, 明天下午3点, 12月20日, 30分钟后); refuses a recurring time; 周五前 is
  Friday itself; returns a time in the past for the caller to refuse.
- `ParseError`: why a time cannot be used (`kind`, the `phrase` as typed, a one-line `reason`
  in Chinese, `at` for a past time).
- `Schedule`: a schedule's kind, its fire times (`next_after`, `upcoming`), its storage form
  (`to_spec` / `from_spec`) and its words (`describe`, which `parse` reads back as the same
  schedule); `when(at, now)` says an instant (明天（12月1日 周二）15:00); `describe_cron`.
- `DEFAULT_TIME`: the hour of a day named without one (09:00); callers may pass their own.
- Working days: `is_workday(day)` and `holidays_known(day)` (China's statutory holidays and
  make-up days, from chinesecalendar).
"""

from __future__ import annotations

from .dates import ParseError
from .grammar import Moment, Parsed, parse, parse_moment
from .schedule import DEFAULT_TIME, WEEKDAY_NAMES, Schedule, describe_cron, when
from .workdays import holidays_known, is_workday

__all__ = [
    "DEFAULT_TIME",
    "WEEKDAY_NAMES",
    "Moment",
    "ParseError",
    "Parsed",
    "Schedule",
    "describe_cron",
    "holidays_known",
    "is_workday",
    "parse",
    "parse_moment",
    "when",
]
