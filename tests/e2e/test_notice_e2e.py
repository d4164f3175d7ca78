"""Notices over a real WebSocket: 200 roster members send 收到 at the same moment (a quarter of
them twice) → exactly 200 receipts, every second one answered as already recorded; the same
with two bot processes on one database; 回执 and 催办 through the paced outbox; no real name
in any group message."""

from __future__ import annotations

import re
from pathlib import Path

from tests.dbutil import drop_database, fresh_database_url
from tests.e2e.conftest import TOKEN, BotProcess, db_rows
from tests.e2e.onebot import FakeOneBot
from tests.roster.files import csv_bytes

GROUP = 94001
SECRETARY = 94000
MEMBERS = [94100 + n for n in range(200)]
SILENT = [94400 + n for n in range(10)]
"""On the roster and bound, but they never confirm."""

NEW = re.compile(r"^✅ 已确认通知 #(\d+)$")
AGAIN = re.compile(r"^通知 #(\d+) 你已在.+确认过，已记录，不用再发。$")


def _name(user: int) -> str:
    return f"党员甲{user}"


def _roster_file(tmp_path: Path) -> Path:
    rows = [[_name(SECRETARY), str(SECRETARY), "正式党员", "第一党小组", "书记", "", ""]]
    rows += [[_name(u), str(u), "正式党员", "第一党小组", "", "", ""] for u in MEMBERS + SILENT]
    path = tmp_path / "名册.csv"
    path.write_bytes(csv_bytes(rows))
    return path


def _import(bot: BotProcess, tmp_path: Path) -> None:
    result = bot.cli("import-roster", str(_roster_file(tmp_path)), "--chat", str(GROUP))
    assert result.returncode == 0, result.stdout + result.stderr


async def _post(ob: FakeOneBot) -> int:
    await ob.group_message(
        GROUP, SECRETARY, "通知 学习二十届三中全会精神 截止 明天18点", card="老韩"
    )
    posted = (await ob.reply_to_group(GROUP, timeout=30)).text
    found = re.match(r"^【通知 #(\d+)】\n学习二十届三中全会精神\n截止：", posted)
    assert found, posted
    assert "对象：全体（211人）" in posted
    return int(found.group(1))


async def _replies(ob: FakeOneBot, count: int) -> list[str]:
    return [(await ob.reply_to_group(GROUP, timeout=90)).text for _ in range(count)]


def _no_real_names(*obs: FakeOneBot) -> None:
    for ob in obs:
        for sent in ob.sends():
            if sent.group_id is not None:
                assert "党员甲" not in sent.text, sent.text


async def test_two_hundred_members_confirm_at_once(tmp_path: Path) -> None:
    url = fresh_database_url(tmp_path / "db")
    bot = BotProcess(tmp_path / "bot", url, extra_env={"BOT_SEND_INTERVAL": "0.05"})
    _import(bot, tmp_path)
    bot.start()
    try:
        async with FakeOneBot(bot.url, access_token=TOKEN) as ob:
            number = await _post(ob)
            twice = MEMBERS[::4]
            for user in MEMBERS + twice:  # as fast as the socket takes them
                await ob.group_message(GROUP, user, "收到", card=f"卡{user}")
            replies = await _replies(ob, len(MEMBERS) + len(twice))
            assert sum(1 for t in replies if NEW.match(t)) == 200, replies
            assert sum(1 for t in replies if AGAIN.match(t)) == 50, replies
            assert {int(m.group(1)) for t in replies if (m := NEW.match(t) or AGAIN.match(t))} == {
                number
            }
            await ob.assert_no_reply(group_id=GROUP, within=1.0)

            # An account no roster person has is told once that its 收到 is not recorded
            # (he may be a member who has not bound his QQ); after that it is ordinary chat.
            await ob.group_message(GROUP, 94999, "收到", card="路人")
            told = (await ob.reply_to_group(GROUP, timeout=30)).text
            assert told.startswith("你的QQ还没有绑定名册"), told
            await ob.group_message(GROUP, 94999, "收到", card="路人")
            await ob.assert_no_reply(group_id=GROUP, within=1.5)

            await ob.group_message(GROUP, SECRETARY, f"回执 {number}", card="老韩")
            status = (await ob.reply_to_group(GROUP, timeout=30)).text
            assert "已确认 200/211" in status, status
            assert "未确认 11 人" in status, status

            await ob.group_message(GROUP, SECRETARY, f"催办 {number}", card="老韩")
            chased = (await ob.reply_to_group(GROUP, timeout=30)).text
            assert chased.startswith(f"通知 #{number} 已确认 200/211。正在私聊催办 11 人"), chased
            nudged = {u: (await ob.reply_to_user(u, timeout=30)).text for u in [*SILENT, SECRETARY]}
            assert all(f"回复「收到 {number}」" in t for t in nudged.values()), nudged
            await ob.group_message(GROUP, SECRETARY, f"催办 {number}", card="老韩")
            again = (await ob.reply_to_group(GROUP, timeout=30)).text
            assert "11 人今天已催过" in again, again
            await ob.assert_no_reply(user_id=SILENT[0], within=1.0)

            # A nudged member confirms privately; the secretary's list comes privately.
            await ob.private_message(SILENT[0], f"收到 {number}")
            assert (
                await ob.reply_to_user(SILENT[0], timeout=30)
            ).text == f"✅ 已确认通知 #{number}"
            await ob.private_message(SECRETARY, f"回执 {number}")
            listing = (await ob.reply_to_user(SECRETARY, timeout=30)).text
            assert "已确认 201/211" in listing, listing
            assert _name(SILENT[1]) in listing, listing
            _no_real_names(ob)
        rows = await db_rows(
            url,
            f"SELECT count(*), count(DISTINCT person_id) FROM receipts_receipt WHERE subject_id = {number}",
        )
        assert rows == [(201, 201)]
    finally:
        bot.stop()
        drop_database(url)


async def test_two_processes_confirm_the_same_members(tmp_path: Path) -> None:
    url = fresh_database_url(tmp_path / "db")
    first, second = BotProcess(tmp_path / "a", url), BotProcess(tmp_path / "b", url)
    _import(first, tmp_path)
    first.start()
    second.start()
    try:
        async with (
            FakeOneBot(first.url, access_token=TOKEN) as a,
            FakeOneBot(second.url, access_token=TOKEN) as b,
        ):
            number = await _post(a)
            for user in MEMBERS:  # every member says 收到 to both processes at once
                await a.group_message(GROUP, user, "收到", card=f"卡{user}")
                await b.group_message(GROUP, user, "收到", card=f"卡{user}")
            replies = await _replies(a, len(MEMBERS)) + await _replies(b, len(MEMBERS))
            _no_real_names(a, b)
    finally:
        first.stop()
        second.stop()
    assert sum(1 for t in replies if NEW.match(t)) == 200, replies
    assert sum(1 for t in replies if AGAIN.match(t)) == 200, replies
    rows = await db_rows(
        url,
        "SELECT count(*), count(DISTINCT person_id) FROM receipts_receipt "
        f"WHERE subject_id = {number}",
    )
    assert rows == [(200, 200)]
    drop_database(url)


async def test_the_nudge_before_the_deadline_and_the_summary_at_it(tmp_path: Path) -> None:
    """The real scheduler: with the nudge 12 s before the deadline and the bot's clock started
    08:59:35, a notice due at 09:00 nudges those who have not confirmed at 08:59:48 and
    summarises to the 书记 privately at 09:00, once each."""
    url = fresh_database_url(tmp_path / "db")
    env = {
        "BOT_CLOCK_START": "2026-12-01T08:59:35+08:00",
        "RECEIPTS_NUDGE_BEFORE_MINUTES": "0.2",
        "RECEIPTS_SCAN_SECONDS": "1",
        "BOT_SEND_INTERVAL": "0",
        "BOT_SEND_JITTER": "0",
    }
    bot = BotProcess(tmp_path / "bot", url, extra_env=env)
    rows = [
        [_name(SECRETARY), str(SECRETARY), "正式党员", "第一党小组", "书记", "", ""],
        [_name(MEMBERS[0]), str(MEMBERS[0]), "正式党员", "第一党小组", "", "", ""],
        [_name(MEMBERS[1]), str(MEMBERS[1]), "预备党员", "第一党小组", "", "", ""],
    ]
    path = tmp_path / "名册.csv"
    path.write_bytes(csv_bytes(rows))
    assert bot.cli("import-roster", str(path), "--chat", str(GROUP)).returncode == 0
    bot.start()
    try:
        async with FakeOneBot(bot.url, access_token=TOKEN) as ob:
            await ob.group_message(GROUP, SECRETARY, "通知 交学习笔记 截止 今天9点", card="老韩")
            posted = (await ob.reply_to_group(GROUP, timeout=30)).text
            found = re.match(r"^【通知 #(\d+)】", posted)
            assert found, posted
            number = int(found.group(1))
            await ob.group_message(GROUP, MEMBERS[0], "收到", card="小甲")
            assert NEW.match((await ob.reply_to_group(GROUP, timeout=30)).text)
            nudges = [(await ob.reply_to_user(u, timeout=40)).text for u in (SECRETARY, MEMBERS[1])]
            assert all(t.startswith(f"提醒：通知 #{number} 还没有收到你的回执。") for t in nudges)
            summary = (await ob.reply_to_user(SECRETARY, timeout=40)).text
            assert summary.startswith(f"已到截止时间。\n通知 #{number}「交学习笔记」"), summary
            assert "已确认 1/3" in summary, summary
            assert _name(MEMBERS[1]) in summary, summary
            await ob.assert_no_reply(user_id=SECRETARY, within=3)
            await ob.assert_no_reply(user_id=MEMBERS[1], within=0.1)
            _no_real_names(ob)
    finally:
        bot.stop()
        drop_database(url)
