"""The one clock of the bot.

Services ask `now()` / `today()` here instead of calling `datetime.now()`, so tests can
set the time with `use_clock(FixedClock(...))`. Instants are timezone-aware UTC; local
days, weeks (Monday–Sunday) and months are computed in the configured zone.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass
class OffsetClock:
    """Real time shifted so that it read `start` when created (BOT_CLOCK_START)."""

    start: datetime

    def __post_init__(self) -> None:
        self._offset = self.start - datetime.now(UTC)

    def now(self) -> datetime:
        return datetime.now(UTC) + self._offset


@dataclass
class FixedClock:
    """A clock that stands still until a test moves it."""

    current: datetime

    def __post_init__(self) -> None:
        if self.current.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")

    def now(self) -> datetime:
        return self.current

    def set(self, when: datetime) -> None:
        if when.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self.current = when

    def advance(self, delta: timedelta) -> None:
        self.current += delta


_clock: Clock = SystemClock()
_zone: ZoneInfo | None = None


def get_clock() -> Clock:
    return _clock


def set_clock(clock: Clock) -> None:
    global _clock
    _clock = clock


@contextmanager
def use_clock(clock: Clock) -> Iterator[Clock]:
    previous = get_clock()
    set_clock(clock)
    try:
        yield clock
    finally:
        set_clock(previous)


def zone() -> ZoneInfo:
    """The configured zone (BOT_TIMEZONE, Asia/Shanghai by default)."""
    global _zone
    if _zone is None:
        from bot.config import core_config

        _zone = ZoneInfo(core_config().bot_timezone)
    return _zone


def set_zone(name: str) -> None:
    global _zone
    _zone = ZoneInfo(name)


def now() -> datetime:
    """The current instant in UTC."""
    return _clock.now().astimezone(UTC)


def local_now(at: datetime | None = None) -> datetime:
    return (at or now()).astimezone(zone())


def today(at: datetime | None = None) -> date:
    """The local day of `at` (default: now)."""
    return local_now(at).date()


def day_start(day: date) -> datetime:
    """The first instant of a local day, in UTC."""
    return datetime.combine(day, time.min, tzinfo=zone()).astimezone(UTC)


def week_start(day: date) -> date:
    """Monday of the local week that contains `day`."""
    return day - timedelta(days=day.weekday())


def month_start(day: date) -> date:
    return day.replace(day=1)
