"""Service-level tests of the core: clock, text helpers, ledger, switches, database."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest

from bot import clock as bot_clock
from bot.clock import FixedClock
from bot.deps import clean_text
from bot.messages import split_text


def test_local_day_and_week_follow_shanghai(clock: FixedClock) -> None:
    # 2026-11-29 23:30 UTC is already Monday 2026-11-30 07:30 in Shanghai.
    clock.set(datetime(2026, 11, 29, 23, 30, tzinfo=UTC))
    assert bot_clock.today() == date(2026, 11, 30)
    assert bot_clock.week_start(bot_clock.today()) == date(2026, 11, 30)
    clock.set(datetime(2026, 11, 29, 15, 59, tzinfo=UTC))  # Sunday 23:59 local
    assert bot_clock.today() == date(2026, 11, 29)
    assert bot_clock.week_start(bot_clock.today()) == date(2026, 11, 23)
    assert bot_clock.day_start(date(2026, 11, 30)) == datetime(2026, 11, 29, 16, 0, tzinfo=UTC)
    assert bot_clock.month_start(date(2026, 11, 30)) == date(2026, 11, 1)


def test_fixed_clock_refuses_naive_times() -> None:
    with pytest.raises(ValueError, match="aware"):
        FixedClock(datetime(2026, 1, 1))  # noqa: DTZ001


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  签到   学习了\n党章 ", "签到 学习了 党章"),
        ("学习党章，很有收获。", "学习党章，很有收获。"),  # Chinese punctuation stays
        ("党\u200b费\u200d\ufeff", "党费"),  # zero-width characters
        ("\u202e党费\u2066", "党费"),  # bidirectional controls
        ("学习\U0001f600", "学习\U0001f600"),  # emoji are kept
        ("坏\ud800字", "坏字"),  # a lone surrogate could not be stored or sent
        ("", ""),
    ],
)
def test_clean_text(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


def test_clean_text_fold_makes_full_width_ascii() -> None:
    assert clean_text("ＡＢＣ １２３，", fold=True) == "ABC 123,"


def test_split_text_keeps_lines_whole() -> None:
    lines = [f"第{i}条 " + "党" * 30 for i in range(1, 41)]
    chunks = split_text("\n".join(lines), limit=200)
    assert all(len(chunk) <= 200 for chunk in chunks)
    assert "\n".join(chunks) == "\n".join(lines)
    assert all(chunk.split("\n")[0].startswith("第") for chunk in chunks)


def test_split_text_cuts_an_overlong_line() -> None:
    chunks = split_text("a" * 450 + "\nb", limit=200)
    assert chunks == ["a" * 200, "a" * 200, "a" * 50 + "\nb"]
    assert split_text("短", limit=200) == ["短"]


# The points ledger ---------------------------------------------------------------------------


async def test_award_counts_once_per_reference(clock: FixedClock) -> None:
    from nonebot_plugin_orm import get_session

    from bot.points import Award, Granted, Period, award, standing

    item = Award("g1", "u1", "checkin", "g1:u1:2026-11-30", 5)
    async with get_session() as session, session.begin():
        assert await award(session, item) == Granted(5, 5)
    async with get_session() as session, session.begin():
        assert await award(session, item) is None  # a retry changes nothing
    for period in Period:
        mine = await standing("g1", "u1", period)
        assert mine is not None
        assert (mine.amount, mine.rank) == (5, 1)


async def test_concurrent_awards_of_one_reference_count_once(clock: FixedClock) -> None:
    from nonebot_plugin_orm import get_session

    from bot.points import Award, Period, award, standing

    async def one() -> int | None:
        async with get_session() as session, session.begin():
            granted = await award(session, Award("g1", "u1", "quiz", "same-answer", 3))
            return granted.amount if granted else None

    results = await asyncio.gather(*(one() for _ in range(20)))
    assert sorted(results, key=lambda r: r is None) == [3] + [None] * 19
    total = await standing("g1", "u1", Period.ALL)
    assert total is not None
    assert total.amount == 3


async def test_daily_cap_per_source(clock: FixedClock) -> None:
    from nonebot_plugin_orm import get_session

    from bot.points import Award, Period, award, standing

    granted = []
    for n in range(4):
        async with get_session() as session, session.begin():
            granted.append(
                await award(session, Award("g1", "u1", "quiz", f"q{n}", 4), daily_cap=10)
            )
    assert [(g.amount, g.total) for g in granted if g] == [(4, 4), (4, 8), (2, 10), (0, 10)]
    clock.advance(timedelta(days=1))
    async with get_session() as session, session.begin():
        next_day = await award(session, Award("g1", "u1", "quiz", "q-next", 4), daily_cap=10)
    assert next_day is not None
    assert (next_day.amount, next_day.total) == (4, 14)
    week = await standing("g1", "u1", Period.WEEK)
    assert week is not None
    assert week.amount == 14


async def test_award_many_in_one_call(clock: FixedClock) -> None:
    """Several awards at once: a member twice, a repeated reference, a zero, another day."""
    from nonebot_plugin_orm import get_session

    from bot.points import Award, Granted, Period, award_many, standing, total

    async with get_session() as session, session.begin():
        assert await award_many(session, [Award("g1", "u2", "quiz", "earlier", 2)]) == [
            Granted(2, 2)
        ]
    yesterday = bot_clock.now() - timedelta(days=1)
    items = [
        Award("g1", "u1", "checkin", "a", 5),
        Award("g1", "u1", "quiz", "b", 3),  # the same member again
        Award("g1", "u2", "quiz", "earlier", 9),  # recorded before: changes nothing
        Award("g1", "u3", "quiz", "zero", 0),
        Award("g1", "u4", "checkin", "old", 4, at=yesterday),
        Award("g2", "u1", "checkin", "a2", 1),  # same member, another group
        Award("g1", "u1", "checkin", "a", 5),  # the same reference twice in one call
    ]
    async with get_session() as session, session.begin():
        granted = await award_many(session, items)
    assert granted == [
        Granted(5, 8),
        Granted(3, 8),
        None,
        Granted(0, 0),
        Granted(4, 4),
        Granted(1, 1),
        None,
    ]
    assert await total("g1", "u1") == 8
    assert await total("g1", "u2") == 2
    assert await total("g1", "u4", Period.DAY) == 0  # counted on its own day
    assert await total("g1", "u4", Period.DAY, day=bot_clock.today(yesterday)) == 4
    board = await standing("g1", "u1", Period.WEEK)
    assert board is not None
    assert (board.amount, board.rank) == (8, 1)


async def test_boards_by_period_share_ranks_on_ties(clock: FixedClock) -> None:
    from nonebot_plugin_orm import get_session

    from bot.points import Award, Period, award, leaderboard, standing

    async def give(user: str, amount: int, ref: str, at: datetime | None = None) -> None:
        async with get_session() as session, session.begin():
            await award(session, Award("g1", user, "test", ref, amount), at=at)

    last_week = clock.now() - timedelta(days=7)
    await give("old", 100, "r0", at=last_week)
    await give("a", 10, "r1")
    await give("b", 10, "r2")
    await give("c", 7, "r3")
    await give("d", 3, "r4")
    await give("e", 50, "r5")
    week = await leaderboard("g1", Period.WEEK)
    assert [(s.user_id, s.amount, s.rank) for s in week] == [
        ("e", 50, 1),
        ("a", 10, 2),
        ("b", 10, 2),
        ("c", 7, 4),
        ("d", 3, 5),
    ]
    overall = await leaderboard("g1", Period.ALL, limit=2)
    assert [(s.user_id, s.rank) for s in overall] == [("old", 1), ("e", 2)]
    d = await standing("g1", "d", Period.WEEK)
    assert d is not None
    assert d.rank == 5
    assert await standing("g1", "old", Period.WEEK) is None
    assert await leaderboard("elsewhere", Period.ALL) == []


# Feature switches and the database ------------------------------------------------------------


async def test_switch_defaults_and_changes(clock: FixedClock) -> None:
    from bot.features import Feature
    from bot.settings.service import group_switches, is_enabled, set_enabled

    on = Feature(key="t_on", name="测试甲", summary="")
    off = Feature(key="t_off", name="测试乙", summary="", default_enabled=False)
    assert await is_enabled("g1", on)
    assert not await is_enabled("g1", off)
    await set_enabled("g1", on, False, "admin")
    await set_enabled("g1", on, False, "admin")  # idempotent
    await set_enabled("g1", off, True, "admin")
    assert await group_switches("g1", [on, off]) == {"t_on": False, "t_off": True}
    assert await group_switches("g2", [on, off]) == {"t_on": True, "t_off": False}


async def test_sqlite_runs_in_wal_mode() -> None:
    from nonebot_plugin_orm import get_session
    from sqlalchemy import text

    async with get_session() as session:
        if session.get_bind().dialect.name != "sqlite":
            pytest.skip("WAL is a SQLite setting; this run uses PostgreSQL")
        assert (await session.scalar(text("PRAGMA journal_mode"))) == "wal"
        assert (await session.scalar(text("PRAGMA busy_timeout"))) == 30000


async def test_models_and_migrations_agree() -> None:
    """Autogenerate against the migrated database finds nothing to do, on either backend."""
    from nonebot_plugin_orm import migrate
    from nonebot_plugin_orm.utils import StreamToLogger
    from sqlalchemy.util import greenlet_spawn

    with migrate.AlembicConfig(stdout=StreamToLogger()) as config:
        await greenlet_spawn(migrate.check, config)  # raises AutogenerateDiffsDetected otherwise


async def test_datetimes_come_back_aware_utc(clock: FixedClock) -> None:
    from nonebot_plugin_orm import get_session
    from sqlalchemy import select

    from bot.points import Award, award
    from bot.points.models import PointEntry

    local = datetime(2026, 11, 30, 9, 30, tzinfo=bot_clock.zone())
    async with get_session() as session, session.begin():
        await award(session, Award("g1", "u1", "t", "r", 1), at=local)
    async with get_session() as session:
        stored = await session.scalar(select(PointEntry.created_at))
    assert stored == local
    assert stored is not None
    assert stored.tzinfo is UTC


async def test_switches_of_many_groups_at_once(clock: FixedClock) -> None:
    from bot.features import Feature
    from bot.settings.service import enabled_in, is_enabled, set_enabled

    feature = Feature(key="t_many", name="测试丙", summary="")
    await set_enabled("g2", feature, False, "admin")
    groups = [f"g{n}" for n in range(1, 1201)]
    answers = await enabled_in(groups, feature)
    assert answers["g2"] is False
    assert sum(answers.values()) == 1199
    assert await is_enabled("g2", feature) is False


def test_a_quiz_txt_is_offered_to_the_bank_before_the_library() -> None:
    """The library takes any .txt; the question bank only a 【习题N】 quiz, so it is asked
    first and passes other text on (None)."""
    from bot.uploads.service import registrations_for

    assert [r.feature.key for r in registrations_for("31.中国共产党章程.txt")] == [
        "quiz",
        "policy",
    ]
    assert [r.feature.key for r in registrations_for("名册.xlsx")][:2] == ["branch", "quiz"]


def test_tell_once_tells_each_key_once_and_stays_bounded() -> None:
    from bot.once import TellOnce

    told = TellOnce(limit=3)
    assert [told.first(k) for k in ("a", "a", "b", "a")] == [True, False, True, False]
    for key in ("c", "d", "e"):  # past the limit it forgets, so memory stays bounded
        told.first(key)
    assert told.first("a") is True
