"""Catching up: what a reminder whose fire time has come sends, misses and does next.

A pure function of the schedule (`bot.when.Schedule`) and the instants; `firings.py` applies it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.when import Schedule

MAX_CATCH_UP = 1000
"""At most this many missed occurrences of one reminder are walked through at once."""


@dataclass(frozen=True)
class CatchUp:
    """What to do with a reminder whose `next_fire_at` has come (see `catch_up`)."""

    send: datetime | None
    """The occurrence to send now (the latest one, when within the grace period)."""
    missed: list[datetime]
    """Occurrences to record as missed, oldest first."""
    following: datetime | None
    """The reminder's next `next_fire_at` (None: it is done)."""


def catch_up(
    schedule: Schedule, due: datetime, now: datetime, grace: timedelta, *, reachable: bool = True
) -> CatchUp:
    """Every occurrence from `due` up to `now`: the latest is sent when it is at most `grace`
    old, the others are missed. When no bot can reach the chat (`reachable` false), nothing
    is sent: what is past grace is missed, and the reminder waits at its first occurrence
    still within grace (or moves on past `now`).

    At most MAX_CATCH_UP occurrences are walked; beyond that, the reminder jumps to its first
    occurrence after `now` and the skipped ones are not recorded.
    """
    occurrences = [due]
    following = schedule.next_after(due)
    while following is not None and following <= now and len(occurrences) < MAX_CATCH_UP:
        occurrences.append(following)
        following = schedule.next_after(following)
    if following is not None and following <= now:
        following = schedule.next_after(now)
    if reachable:
        if now - occurrences[-1] <= grace:
            return CatchUp(occurrences[-1], occurrences[:-1], following)
        return CatchUp(None, occurrences, following)
    missed = [t for t in occurrences if now - t > grace]
    waiting = [t for t in occurrences if now - t <= grace]
    return CatchUp(None, missed, waiting[0] if waiting else following)
