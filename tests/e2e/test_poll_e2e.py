"""Polls over a real WebSocket: 300 roster members vote at the same moment (a fifth of them
twice, the second time for C) → exactly 300 ballots, every second ballot told it was
recorded before, totals equal to what the voters were told; the same with two bot processes
on one database; no real name in any group message.

Which of one member's two ballots sent at the same moment counts is not fixed (messages are
handled concurrently; on PostgreSQL a later one often reaches the database first): exactly one
does, each member's recorded choice is one of the two, and the totals are the sum of the
"✅ 已投票" answers."""

from __future__ import annotations

import re
import time
from pathlib import Path

from tests.dbutil import drop_database, fresh_database_url
from tests.e2e.conftest import TOKEN, BotProcess, db_rows
from tests.e2e.onebot import FakeOneBot
from tests.roster.files import csv_bytes

GROUP = 95001
SECRETARY = 95000
MEMBERS = [95100 + n for n in range(300)]
CHOICE = {user: "ABC"[n % 3] for n, user in enumerate(MEMBERS)}
"""Each member's ballot: 100 for each option."""

NEW = re.compile(r"^✅ 已投票（投票 #(\d+)）：([ABC]) ")
AGAIN = re.compile(
    r"^投票 #(\d+) 你已(在.+投过 [ABC]，已记录，不用再发|投过 [ABC]，本投票不能改票)"
)


def _name(user: int) -> str:
    return f"党员乙{user}"


def _import(bot: BotProcess, tmp_path: Path) -> None:
    rows = [[_name(SECRETARY), str(SECRETARY), "正式党员", "第一党小组", "书记", "", ""]]
    rows += [[_name(u), str(u), "正式党员", "第一党小组", "", "", ""] for u in MEMBERS]
    path = tmp_path / "名册.csv"
    path.write_bytes(csv_bytes(rows))
    result = bot.cli("import-roster", str(path), "--chat", str(GROUP))
    assert result.returncode == 0, result.stdout + result.stderr


async def _post(ob: FakeOneBot) -> int:
    await ob.group_message(
        GROUP, SECRETARY, "投票 主题党日去哪里 红色教育基地 革命纪念馆 党史馆 截止 明天18点"
    )
    posted = (await ob.reply_to_group(GROUP, timeout=30)).text
    found = re.match(r"^【投票 #(\d+)】主题党日去哪里\nA. 红色教育基地\n", posted)
    assert found, posted
    assert "对象：全体（301人）" in posted, posted
    return int(found.group(1))


async def _replies(ob: FakeOneBot, count: int) -> list[str]:
    return [(await ob.reply_to_group(GROUP, timeout=120)).text for _ in range(count)]


def _no_real_names(*obs: FakeOneBot) -> None:
    for ob in obs:
        for sent in ob.sends():
            if sent.group_id is not None:
                assert "党员乙" not in sent.text, sent.text


async def _recorded(url: str, number: int) -> dict[int, str]:
    """Each member's recorded choice (QQ number → letters)."""
    rows = await db_rows(
        url,
        "SELECT a.user_id, v.choices FROM poll_voter v "
        "JOIN roster_account a ON a.person_id = v.person_id "
        f"WHERE v.poll_id = {number}",
    )
    return {int(str(user)): str(choices) for user, choices in rows}


def _told(new: list[re.Match[str]]) -> str:
    """The totals as the voters were told, in the form 投票结果 shows them."""
    counts = {letter: sum(1 for m in new if m.group(2) == letter) for letter in "ABC"}
    return (
        f"A. 红色教育基地：{counts['A']}票\nB. 革命纪念馆：{counts['B']}票\n"
        f"C. 党史馆：{counts['C']}票"
    )


def _check_recorded(recorded: dict[int, str], twice: list[int], new: list[re.Match[str]]) -> None:
    assert sorted(recorded) == MEMBERS  # one ballot each, nobody else
    for user, letters in recorded.items():
        assert letters in ({CHOICE[user], "C"} if user in twice else {CHOICE[user]}), user
    assert sorted(recorded.values()) == sorted(m.group(2) for m in new)


async def test_three_hundred_members_vote_at_once(tmp_path: Path) -> None:
    url = fresh_database_url(tmp_path / "db")
    try:
        bot = BotProcess(tmp_path / "bot", url)
        _import(bot, tmp_path)
        bot.start()
        try:
            async with FakeOneBot(bot.url, access_token=TOKEN) as ob:
                number = await _post(ob)
                twice = MEMBERS[::5]  # they vote again, for C whatever they chose first
                started = time.perf_counter()
                for user in MEMBERS:  # as fast as the socket takes them
                    await ob.group_message(GROUP, user, f"投 {CHOICE[user]}", card=f"卡{user}")
                for user in twice:
                    await ob.group_message(GROUP, user, "投 C", card=f"卡{user}")
                replies = await _replies(ob, len(MEMBERS) + len(twice))
                elapsed = time.perf_counter() - started
                new = [m for t in replies if (m := NEW.match(t))]
                again = [m for t in replies if (m := AGAIN.match(t))]
                print(  # noqa: T201 - the figures go into the report
                    f"\npoll, one process: {len(new)} ballots, {len(again)} duplicates told, "
                    f"{len(replies)} replies in {elapsed:.1f} s"
                )
                assert len(new) == 300, replies
                assert len(again) == 60, replies
                assert {int(m.group(1)) for m in new + again} == {number}
                await ob.assert_no_reply(group_id=GROUP, within=1.0)

                await ob.group_message(GROUP, SECRETARY, f"投票结果 {number}", card="老韩")
                result = (await ob.reply_to_group(GROUP, timeout=30)).text
                assert _told(new) in result, result
                assert "已投 300/301 人" in result, result
                _no_real_names(ob)
        finally:
            bot.stop()
        _check_recorded(await _recorded(url, number), twice, new)
        receipts = await db_rows(
            url, f"SELECT count(*) FROM receipts_receipt WHERE subject_id = {number}"
        )
        assert receipts == [(300,)]  # each ballot confirmed the poll's subject once
    finally:
        drop_database(url)


async def test_two_processes_take_the_same_ballots(tmp_path: Path) -> None:
    url = fresh_database_url(tmp_path / "db")
    try:
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
                started = time.perf_counter()
                for user in MEMBERS:  # every member votes through both processes at once
                    await a.group_message(GROUP, user, f"投 {CHOICE[user]}", card=f"卡{user}")
                    await b.group_message(GROUP, user, f"投 {CHOICE[user]}", card=f"卡{user}")
                replies = await _replies(a, len(MEMBERS)) + await _replies(b, len(MEMBERS))
                elapsed = time.perf_counter() - started
                _no_real_names(a, b)
        finally:
            first.stop()
            second.stop()
        new = [m for t in replies if (m := NEW.match(t))]
        again = [m for t in replies if (m := AGAIN.match(t))]
        print(  # noqa: T201 - the figures go into the report
            f"\npoll, two processes: {len(new)} ballots, {len(again)} duplicates told, "
            f"{len(replies)} replies in {elapsed:.1f} s"
        )
        assert len(new) == 300, replies
        assert len(again) == 300, replies
        assert {int(m.group(1)) for m in new + again} == {number}
        recorded = await _recorded(url, number)
        _check_recorded(recorded, [], new)
        assert sorted(recorded.values()) == sorted(CHOICE.values())  # 100 for each
    finally:
        drop_database(url)
