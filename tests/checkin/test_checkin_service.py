"""Check-in rules without a bot: once a day, ranks in order, streaks, points, stats."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

import pytest

from bot.clock import FixedClock


def _rules():
    from plugins.checkin.service import Rules

    return Rules(base=5, streak_bonus=1, streak_bonus_cap=3, daily_cap=20)


async def test_first_check_in_and_a_second_tap(clock: FixedClock) -> None:
    from plugins.checkin.service import check_in

    first = await check_in("g1", "u1", "学习了党章", _rules())
    assert (first.created, first.rank, first.streak, first.base, first.bonus, first.total) == (
        True,
        1,
        1,
        5,
        0,
        5,
    )
    again = await check_in("g1", "u1", "又学了一遍", _rules())
    assert (again.created, again.rank, again.streak, again.total) == (False, 1, 1, 5)
    other = await check_in("g1", "u2", None, _rules())
    assert other.rank == 2  # the refused second tap did not use up a rank


async def test_streak_grows_daily_with_a_capped_bonus_and_breaks(clock: FixedClock) -> None:
    from plugins.checkin.service import check_in, streaks

    gained = []
    for _ in range(5):
        outcome = await check_in("g1", "u1", None, _rules())
        gained.append((outcome.streak, outcome.base + outcome.bonus))
        clock.advance(timedelta(days=1))
    assert gained == [(1, 5), (2, 6), (3, 7), (4, 8), (5, 8)]
    clock.advance(timedelta(days=1))  # a day missed
    outcome = await check_in("g1", "u1", None, _rules())
    assert (outcome.streak, outcome.total) == (1, 34 + 5)
    mine = await streaks("g1", "u1")
    assert (mine.current, mine.longest, mine.days, mine.today) == (1, 5, 6, True)


async def test_streak_shown_until_today_is_missed(clock: FixedClock) -> None:
    from plugins.checkin.service import check_in, streaks

    await check_in("g1", "u1", None, _rules())
    clock.advance(timedelta(days=1))
    await check_in("g1", "u1", None, _rules())
    clock.advance(timedelta(days=1))
    alive = await streaks("g1", "u1")
    assert (alive.current, alive.today) == (2, False)  # today still open
    clock.advance(timedelta(days=1))
    broken = await streaks("g1", "u1")
    assert broken.current == 0


async def test_daily_cap_limits_check_in_points(clock: FixedClock) -> None:
    from plugins.checkin.service import Rules, check_in

    outcome = await check_in(
        "g1", "u1", None, Rules(base=30, streak_bonus=1, streak_bonus_cap=5, daily_cap=20)
    )
    assert (outcome.base, outcome.bonus, outcome.total) == (20, 0, 20)


async def test_local_day_decides(clock: FixedClock) -> None:
    """23:59 and 00:01 Shanghai time are different days, whatever UTC says."""
    from datetime import UTC, datetime

    from plugins.checkin.service import check_in

    clock.set(datetime(2026, 11, 30, 15, 59, tzinfo=UTC))  # 23:59 local
    assert (await check_in("g1", "u1", None, _rules())).created
    clock.set(datetime(2026, 11, 30, 16, 1, tzinfo=UTC))  # 00:01 local, next day
    second = await check_in("g1", "u1", None, _rules())
    assert (second.created, second.streak) == (True, 2)


async def test_fifty_members_tapping_twice_at_once(clock: FixedClock) -> None:
    from plugins.checkin.service import check_in

    users = [f"u{n}" for n in range(50)]
    outcomes = await asyncio.gather(*(check_in("g1", u, None, _rules()) for u in users * 2))
    created = [o for o in outcomes if o.created]
    assert len(created) == 50
    assert sorted(o.rank for o in created) == list(range(1, 51))
    assert sum(1 for o in outcomes if not o.created) == 50


async def test_groups_are_independent(clock: FixedClock) -> None:
    from plugins.checkin.service import check_in

    assert (await check_in("g1", "u1", None, _rules())).rank == 1
    assert (await check_in("g2", "u1", None, _rules())).rank == 1
    assert (await check_in("g2", "u2", None, _rules())).rank == 2


async def test_checked_in_counts_per_member(clock: FixedClock) -> None:
    from plugins.checkin.service import check_in, checked_in

    for day in range(3):
        await check_in("g1", "u1", None, _rules())
        if day != 1:
            await check_in("g1", "u2", None, _rules())
        clock.advance(timedelta(days=1))
    start = date(2026, 11, 30)
    assert await checked_in("g1", start, start + timedelta(days=2)) == {"u1": 3, "u2": 2}
    assert await checked_in("g1", start + timedelta(days=1), start + timedelta(days=1)) == {"u1": 1}


async def test_a_crowd_is_written_in_few_transactions(clock: FixedClock) -> None:
    from plugins.checkin import service

    before = service._writer.batches
    outcomes = await asyncio.gather(
        *(service.check_in("g1", f"u{n}", None, _rules()) for n in range(40))
    )
    assert sorted(o.rank for o in outcomes) == list(range(1, 41))
    assert service._writer.batches - before < 5


async def test_one_batch_with_repeats_streaks_and_two_groups(clock: FixedClock) -> None:
    from plugins.checkin.service import check_in

    await check_in("g1", "old", None, _rules())  # yesterday: a streak to continue
    clock.advance(timedelta(days=1))
    await check_in("g1", "early", "早", _rules())  # today, before the crowd
    outcomes = await asyncio.gather(
        check_in("g1", "old", None, _rules()),
        check_in("g1", "new", None, _rules()),
        check_in("g1", "new", None, _rules()),  # a double tap inside the same batch
        check_in("g1", "early", None, _rules()),  # already checked in today
        check_in("g2", "new", None, _rules()),
    )
    summary = [(o.created, o.rank, o.streak, o.base + o.bonus, o.total) for o in outcomes]
    assert summary == [
        (True, 2, 2, 6, 11),
        (True, 3, 1, 5, 5),
        (False, 3, 1, 0, 5),
        (False, 1, 1, 0, 5),
        (True, 1, 1, 5, 5),
    ]


async def test_when_a_batch_fails_each_check_in_is_written_alone(
    clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from plugins.checkin import service

    async def broken(requests: list[object]) -> list[object]:
        raise RuntimeError("deadlock detected")

    monkeypatch.setattr(service._writer, "_batch", broken)
    outcomes = await asyncio.gather(
        *(service.check_in("g1", u, None, _rules()) for u in ["u1", "u2", "u1"])
    )
    assert sorted((o.created, o.rank) for o in outcomes) == [(False, 1), (True, 1), (True, 2)]
