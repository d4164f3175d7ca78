"""Check-in over a real WebSocket: a rush of members, double taps, a killed process."""

from __future__ import annotations

import re
import signal
from pathlib import Path

from tests.dbutil import drop_database, fresh_database_url
from tests.e2e.conftest import TOKEN, BotProcess, db_rows
from tests.e2e.onebot import FakeOneBot

GROUP = 6001


async def test_fifty_members_tapping_twice_at_once(running_bot: BotProcess) -> None:
    members = [7000 + n for n in range(50)]
    async with FakeOneBot(running_bot.url, access_token=TOKEN) as ob:
        for user in members * 2:  # everyone taps twice, all before any reply
            await ob.group_message(GROUP, user, "签到", card=f"党员{user}")
        replies = [(await ob.reply_to_group(GROUP, timeout=60)).text for _ in range(100)]
        await ob.assert_no_reply(group_id=GROUP, within=1.0)

    done = [re.search(r"^党员(\d+) ✅ 签到成功！今天第(\d+)位", text) for text in replies]
    again = [re.search(r"^党员(\d+) 今天已签到（第(\d+)位", text) for text in replies]
    assert sum(1 for m in done if m) == 50
    assert sum(1 for m in again if m) == 50
    first_rank = {m.group(1): int(m.group(2)) for m in done if m}
    assert sorted(first_rank.values()) == list(range(1, 51))
    assert len(first_rank) == 50
    # A second tap reports the first tap's rank.
    assert {m.group(1): int(m.group(2)) for m in again if m} == first_rank

    rows = await db_rows(
        running_bot.database_url,
        f"SELECT count(*), count(DISTINCT rank), min(rank), max(rank) FROM checkin_checkin WHERE group_id = '{GROUP}'",
    )
    assert rows == [(50, 50, 1, 50)]
    points = await db_rows(
        running_bot.database_url,
        f"SELECT count(*), sum(amount) FROM points_pointentry WHERE group_id = '{GROUP}'",
    )
    assert points == [(50, 250)]


async def test_odd_input_to_check_in(running_bot: BotProcess) -> None:
    group = GROUP + 1
    async with FakeOneBot(running_bot.url, access_token=TOKEN) as ob:
        await ob.group_message(group, 7100, "签到 " + "学" * 20_000)
        assert (await ob.reply_to_group(group)).text.startswith("消息太长了")
        await ob.group_message(group, 7100, "签到 " + "学" * 300)
        assert (await ob.reply_to_group(group)).text.startswith("学习心得最多200字，这条有300字")
        await ob.group_message(group, 7100, "排行榜 明年")
        assert (
            await ob.reply_to_group(group)
        ).text == "看不懂「明年」。可以看：今日、本周、本月、总\n例：排行榜 本月"
        await ob.group_message(group, 7100, "签到统计", role="member")
        assert (
            await ob.reply_to_group(group)
        ).text == "「签到统计」只有群主、群管理员、支委或机器人超级管理员可以使用。"
        await ob.group_message(
            group, 7100, "签到 \u200b\u202e\U0001f600学习\ufeff", card="\u202e[CQ:at,qq=all]"
        )
        sent = await ob.reply_to_group(group)
        assert {seg["type"] for seg in sent.segments} == {"text"}
        assert sent.text.startswith("[CQ:at,qq=all] ✅ 签到成功！今天第1位")
        assert "心得：\U0001f600学习" in sent.text
    rows = await db_rows(
        running_bot.database_url, f"SELECT note FROM checkin_checkin WHERE group_id = '{group}'"
    )
    assert rows == [("\U0001f600学习",)]  # the refused attempts stored nothing


async def test_acknowledged_check_in_survives_sigkill(tmp_path: Path) -> None:
    url = fresh_database_url(tmp_path / "db")
    bot = BotProcess(tmp_path / "bot", url)
    bot.start()
    try:
        async with FakeOneBot(bot.url, access_token=TOKEN) as ob:
            await ob.group_message(GROUP, 7200, "签到 学习党章", card="李四")
            reply = await ob.reply_to_group(GROUP)
            assert reply.text.startswith("李四 ✅ 签到成功！今天第1位")
            bot.stop(signal.SIGKILL)  # right after the reply: no shutdown hooks run
        bot.start()
        async with FakeOneBot(bot.url, access_token=TOKEN) as ob:
            await ob.group_message(GROUP, 7200, "签到", card="李四")
            assert (await ob.reply_to_group(GROUP)).text.startswith("李四 今天已签到（第1位")
            await ob.group_message(GROUP, 7201, "签到", card="王五")
            assert (await ob.reply_to_group(GROUP)).text.startswith("王五 ✅ 签到成功！今天第2位")
    finally:
        bot.stop()
        drop_database(url)


async def test_two_processes_share_one_group_day(tmp_path: Path) -> None:
    """Two bot processes on one database (two QQ accounts in one group, or a restart overlap):
    60 members tap 签到 on both at the same moment; ranks stay 1–60, each member once."""
    url = fresh_database_url(tmp_path / "db")
    first, second = BotProcess(tmp_path / "a", url), BotProcess(tmp_path / "b", url)
    first.start()
    second.start()
    members = [7300 + n for n in range(60)]
    try:
        async with (
            FakeOneBot(first.url, access_token=TOKEN) as a,
            FakeOneBot(second.url, access_token=TOKEN) as b,
        ):
            for user in members:  # every member taps on both processes
                await a.group_message(GROUP, user, "签到", card=f"党员{user}")
                await b.group_message(GROUP, user, "签到", card=f"党员{user}")
            replies = [(await ob.reply_to_group(GROUP, timeout=60)).text for ob in (a, b)] + [
                (await ob.reply_to_group(GROUP, timeout=60)).text
                for ob in (a, b)
                for _ in range(len(members) - 1)
            ]
    finally:
        first.stop()
        second.stop()
    done = [re.search(r"^党员(\d+) ✅ 签到成功！今天第(\d+)位", text) for text in replies]
    again = [re.search(r"^党员(\d+) 今天已签到（第(\d+)位", text) for text in replies]
    first_rank = {m.group(1): int(m.group(2)) for m in done if m}
    assert sum(1 for m in done if m) == 60
    assert sorted(first_rank.values()) == list(range(1, 61))
    assert {m.group(1): int(m.group(2)) for m in again if m} == first_rank
    assert sum(1 for m in again if m) == 60
    rows = await db_rows(
        url,
        f"SELECT count(*), count(DISTINCT rank), max(rank) FROM checkin_checkin WHERE group_id = '{GROUP}'",
    )
    assert rows == [(60, 60, 60)]
    drop_database(url)
