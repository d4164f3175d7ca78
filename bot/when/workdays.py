"""China's calendar: working days (statutory holidays and make-up days)."""

from __future__ import annotations

import calendar
from datetime import date

_FIXED_HOLIDAYS = {(1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)}
"""Statutory holidays on fixed dates (国务院《全国年节及纪念日放假办法》, 2025)."""


def is_workday(day: date) -> bool:
    """China's working days: statutory holidays off, make-up Saturdays / Sundays on.

    From chinesecalendar (maintained yearly after the State Council's announcement); for a
    year it has no data for yet, Monday–Friday without the fixed-date holidays (元旦, 劳动节,
    国庆节): the lunar ones and the make-up days are only known once announced.
    """
    import chinese_calendar

    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5 and (day.month, day.day) not in _FIXED_HOLIDAYS


def holidays_known(day: date) -> bool:
    """Whether the holiday calendar has data for `day`'s year."""
    import chinese_calendar

    try:
        chinese_calendar.is_workday(day)
    except NotImplementedError:
        return False
    return True


def last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def day_in(year: int, month: int, day: int) -> int:
    """A day of month as the schedule means it there: -1 is the last day; 29–31 in a shorter
    month is its last day."""
    last = last_day(year, month)
    return last if day == -1 else min(day, last)


def holidays_until() -> int:
    """The last year the holiday calendar has data for."""
    import chinese_calendar

    return max(chinese_calendar.holidays).year
