"""Content alerts without a bot: normalisation, the list, the matcher, the record."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.clock import FixedClock


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("刷 单", "刷单"),
        ("刷*单！", "刷单"),
        ("ＷＥＩＸＩＮ", "weixin"),
        ("兼職日結", "兼职日结"),
        ("賭　博", "赌博"),
        ("加 V：abc_123", "加vabc123"),
    ],
)
def test_normalise(typed: str, normal: str) -> None:
    from plugins.rules.normalise import normalise

    assert normalise(typed) == normal


async def test_the_list_and_the_matcher(clock: FixedClock) -> None:
    from plugins.rules import jobs, service, watch

    added, already = await service.add_words(1, "广告", ["代 刷", "加微信", "代刷"], "u")
    assert (added, already) == (2, 0)
    assert await service.add_words(1, "广告", ["加微信"], "u") == (0, 1)
    await service.add_words(1, "赌博", ["网赌"], "u")
    await service.add_words(2, "其他", ["网赌"], "u")
    await service.set_recall(1, "赌博", True)
    watch.watch_group("g1", 1, True)
    await jobs.reload()  # no watched rows in the database: the group is forgotten
    assert not watch.watched("g1")
    await service.watch("g1", "qq", True)
    from bot.branch import branch_of

    branch = await branch_of("qq", "g1")
    await service.add_words(branch.id, "广告", ["代刷"], "u")
    await service.add_words(branch.id, "赌博", ["网赌"], "u")
    await service.set_recall(branch.id, "赌博", True)
    await jobs.reload()
    assert watch.watched("g1")
    assert watch.find("g1", "你好") is None
    assert watch.find("g1", "代 刷 网 賭") == watch.Hit("赌博", "网赌", True)
    assert watch.find("g1", "找人代·刷") == watch.Hit("广告", "代刷", False)
    assert watch.find("other", "代刷") is None


async def test_another_process_change_is_noticed_by_reload(clock: FixedClock) -> None:
    from plugins.rules import jobs, service, watch

    await service.watch("g1", "qq", True)
    await jobs.reload()
    from bot.branch import branch_of

    branch = await branch_of("qq", "g1")
    before = watch.version()
    assert watch.find("g1", "兼职日结") is None
    await service.add_words(branch.id, "兼职", ["兼职日结"], "u")  # as if elsewhere
    assert watch.find("g1", "兼职日结") is None
    await jobs.reload()
    assert watch.version() > before
    assert watch.find("g1", "兼职日结") == watch.Hit("兼职", "兼职日结", False)
    assert await service.delete_words(branch.id, "兼职", ["兼 职 日 结"]) == 1
    await jobs.reload()
    assert watch.find("g1", "兼职日结") is None


async def test_bad_lists_are_refused(clock: FixedClock) -> None:
    from plugins.rules import service

    with pytest.raises(service.ListError, match="too_long"):
        await service.add_words(1, "广告", ["长" * 500], "u")
    with pytest.raises(service.ListError, match="too_many"):
        await service.add_words(1, "广告", [f"词{i}" for i in range(10_000)], "u")
    with pytest.raises(service.ListError, match="too_short"):
        await service.add_words(1, "广告", ["！赌！"], "u")
    with pytest.raises(service.ListError, match="bad_category"):
        await service.add_words(1, "一个很长很长的类别名", ["代刷"], "u")
    with pytest.raises(service.ListError, match="no_category"):
        await service.set_recall(1, "广告", True)
    assert (await service.branch_list(1)).words == {}


async def test_starter_list_is_copied_once(clock: FixedClock) -> None:
    from plugins.rules import service

    count = await service.seed_starter(7, "starter")
    assert count == sum(len(set(w)) for w in service.starter_words().values())
    assert {"刷单", "兼职", "赌博", "贷款"} <= set(service.starter_words())
    assert await service.seed_starter(7, "starter") == 0


async def test_welcome_once_and_records_expire(clock: FixedClock) -> None:
    from plugins.rules import jobs, service

    assert await service.claim_welcome("g", "u")
    assert not await service.claim_welcome("g", "u")
    await service.release_welcome("g", "u")
    assert await service.claim_welcome("g", "u")
    common = {"branch_id": 1, "group_id": "g", "user_id": "u", "card": "c", "text": "t"}
    await service.record(**common, category="c", word="w", action="alerted", at=clock.now())
    clock.advance(timedelta(days=179))
    assert await jobs.purge_old() == 0
    clock.advance(timedelta(days=2))
    assert await jobs.purge_old() == 1
    assert await service.tell_recall_refused("g")
    assert not await service.tell_recall_refused("g")
    await service.recall_works("g")
    assert await service.tell_recall_refused("g")


def test_floods_are_reported_once_per_quiet_period() -> None:
    from plugins.rules import watch

    limits = watch.Limits(5, 60, 10, 10, 600)
    kinds = [watch.observe("g", "u", "同一句", t * 10.0, limits) for t in range(7)]
    assert kinds == [None, None, None, None, "same", None, None]
    watch.reset_floods()
    spaced = [watch.observe("g", "u", "同一句", t * 20.0, limits) for t in range(8)]
    assert spaced == [None] * 8  # never 5 within a minute
    kinds = [watch.observe("g", "v", f"m{t}", 1000 + t * 0.5, limits) for t in range(12)]
    assert kinds == [None] * 9 + ["burst", None, None]
    assert watch.observe("g", "v", "again", 1000 + 601, limits) is None  # nothing recent
    kinds = [watch.observe("g", "v", f"x{t}", 1700 + t * 0.1, limits) for t in range(10)]
    assert kinds[-1] == "burst"  # quiet time over: a new flood is reported
    watch.prune_floods(10_000)
    assert not watch._recent


async def test_records_of_this_month(clock: FixedClock) -> None:
    from bot import clock as bot_clock
    from plugins.rules import service

    common = {"branch_id": 1, "group_id": "g", "user_id": "u", "card": "c", "text": "t"}
    old = clock.now() - timedelta(days=40)
    await service.record(**common, category="赌博", word="网赌", action="recalled", at=old)
    await service.record(**common, category="兼职", word="日结", action="alerted", at=clock.now())
    await service.record(**common, category="兼职", word="日结", action="alerted", at=clock.now())
    views, counts = await service.matches(1, None, 2)
    assert [v.category for v in views] == ["兼职", "兼职"]
    assert counts == {"赌博": 1, "兼职": 2}
    since = bot_clock.day_start(bot_clock.month_start(bot_clock.today()))
    views, counts = await service.matches(1, since, 30)
    assert counts == {"兼职": 2}
    assert (await service.matches(2, None, 30)) == ([], {})


async def test_a_join_seen_by_two_processes_at_once_is_welcomed_once(clock: FixedClock) -> None:
    """The welcome claim and the word list hold under concurrent calls (two accounts in one
    group both see the join; two officers add the same words at the same moment)."""
    import asyncio

    from plugins.rules import service

    claims = await asyncio.gather(*(service.claim_welcome("g2", "u2") for _ in range(5)))
    assert sorted(claims) == [False, False, False, False, True]
    results = await asyncio.gather(
        *(service.add_words(1, "广告", ["代刷", "刷单"], f"officer{n}") for n in range(4))
    )
    assert sum(added for added, _ in results) == 2
    assert sum(already for _, already in results) == 6
