"""A meeting over a real WebSocket: scheduled in the group, one member asks leave and the
secretary approves it privately, 30 members send 到 at the same moment (a third of them
twice) → 30 attendance receipts; after the end the absent member and the one on leave
record 补学, one who attended is refused; the secretary's list comes privately; no real
name in any group message. SQLite here; PostgreSQL in CI with TEST_DATABASE_URL."""

from __future__ import annotations

import asyncio
import re
import time
from pathlib import Path

from tests.dbutil import drop_database, fresh_database_url
from tests.e2e.conftest import TOKEN, BotProcess, db_rows
from tests.e2e.onebot import FakeOneBot
from tests.roster.files import csv_bytes

GROUP = 95001
SECRETARY = 95000
MEMBERS = [95100 + n for n in range(30)]
ON_LEAVE = 95200
ABSENT = 95201

NEW = re.compile(r"^✅ 会议 #(\d+) 已签到$")
AGAIN = re.compile(r"^会议 #(\d+) 你已在\d\d:\d\d签到过，不用再发。$")


def _name(user: int) -> str:
    return f"党员乙{user}"


def _import(bot: BotProcess, tmp_path: Path) -> None:
    rows = [[_name(SECRETARY), str(SECRETARY), "正式党员", "第一党小组", "书记", "", ""]]
    rows += [
        [_name(u), str(u), "正式党员", "第一党小组", "", "", ""]
        for u in [*MEMBERS, ON_LEAVE, ABSENT]
    ]
    path = tmp_path / "名册.csv"
    path.write_bytes(csv_bytes(rows))
    result = bot.cli("import-roster", str(path), "--chat", str(GROUP))
    assert result.returncode == 0, result.stdout + result.stderr


async def test_a_meeting_with_attendance_leave_and_make_up(tmp_path: Path) -> None:
    url = fresh_database_url(tmp_path / "db")
    bot = BotProcess(
        tmp_path / "bot",
        url,
        # The bot's clock starts 08:59:20 and the meeting is at 09:00 for 12 seconds: the
        # leave and the 到 come before the start, 补学 after the end, with no long wait.
        extra_env={
            "BOT_SEND_INTERVAL": "0.05",
            "BOT_CLOCK_START": "2026-12-01T08:59:20+08:00",
            "MEETING_DURATION_MINUTES": "0.2",
        },
    )
    _import(bot, tmp_path)
    bot.start()
    try:
        async with FakeOneBot(bot.url, access_token=TOKEN) as ob:
            await ob.group_message(GROUP, SECRETARY, "会议 党员大会 今天9点 学习党章", card="老韩")
            scheduled_at = time.monotonic()
            posted = (await ob.reply_to_group(GROUP, timeout=30)).text
            found = re.match(r"^【会议 #(\d+)】党员大会\n时间：", posted)
            assert found, posted
            assert "应到：33人" in posted, posted
            number = int(found.group(1))

            # Leave before the start: the secretary hears privately and approves.
            await ob.private_message(ON_LEAVE, "请假 出差在外地")
            asked = (await ob.reply_to_user(ON_LEAVE, timeout=30)).text
            leave = re.match(r"^已提交请假 #(\d+)：会议 #(\d+) ", asked)
            assert leave, asked
            assert int(leave.group(2)) == number, asked
            told = (await ob.reply_to_user(SECRETARY, timeout=30)).text
            assert told.startswith(f"【请假 #{leave.group(1)}】{_name(ON_LEAVE)} 请假"), told
            await ob.private_message(SECRETARY, f"批准 {leave.group(1)}")
            done = (await ob.reply_to_user(SECRETARY, timeout=30)).text
            assert done.startswith(f"已批准请假 #{leave.group(1)}"), done
            decision = (await ob.reply_to_user(ON_LEAVE, timeout=30)).text
            assert decision.startswith(f"你的请假 #{leave.group(1)} 已批准"), decision

            # Everyone at once (the window is open from 30 minutes before), a third twice.
            twice = MEMBERS[::3]
            for user in MEMBERS + twice:
                await ob.group_message(GROUP, user, "到", card=f"卡{user}")
            replies = [
                (await ob.reply_to_group(GROUP, timeout=90)).text
                for _ in range(len(MEMBERS) + len(twice))
            ]
            assert sum(1 for t in replies if NEW.match(t)) == 30, replies
            assert sum(1 for t in replies if AGAIN.match(t)) == len(twice), replies
            assert {int(m.group(1)) for t in replies if (m := NEW.match(t) or AGAIN.match(t))} == {
                number
            }
            await ob.group_message(GROUP, 95999, "到了没", card="路人")  # ordinary chat
            await ob.assert_no_reply(group_id=GROUP, within=1.0)

            # After the end (09:00:12 on the bot's clock, which started 08:59:20): 补学.
            await asyncio.sleep(max(0.0, 55 - (time.monotonic() - scheduled_at)))
            await ob.private_message(ABSENT, f"补学 {number} 学习了党章，体会很深。")
            made_up = (await ob.reply_to_user(ABSENT, timeout=30)).text
            assert made_up == f"✅ 已记录会议 #{number}的补学心得。", made_up
            await ob.private_message(ON_LEAVE, f"补学 {number} 补学了会议精神。")
            assert (await ob.reply_to_user(ON_LEAVE, timeout=30)).text.startswith("✅")
            await ob.group_message(GROUP, MEMBERS[0], f"补学 {number} 心得", card="卡")
            refused = (await ob.reply_to_group(GROUP, timeout=30)).text
            assert refused == f"你参加了会议 #{number}，不用补学。", refused
            await ob.group_message(GROUP, MEMBERS[0], "到", card="卡")  # ended: chat again
            await ob.assert_no_reply(group_id=GROUP, within=1.0)

            await ob.group_message(GROUP, SECRETARY, f"会议 {number}", card="老韩")
            counts = (await ob.reply_to_group(GROUP, timeout=30)).text
            assert "到 30/33，请假 1，缺席 2，补学 2" in counts, counts
            await ob.private_message(SECRETARY, f"会议 {number}")
            listing = (await ob.reply_to_user(SECRETARY, timeout=30)).text
            assert f"请假：{_name(ON_LEAVE)}" in listing, listing
            assert f"缺席：{_name(SECRETARY)}、{_name(ABSENT)}（已补学）" in listing, listing
            for sent in ob.sends():
                if sent.group_id is not None:
                    assert "党员乙" not in sent.text, sent.text
        receipts = await db_rows(
            url,
            "SELECT count(*), count(DISTINCT person_id) FROM receipts_receipt "
            f"WHERE subject_id = {number}",
        )
        assert receipts == [(30, 30)]
        leave_rows = await db_rows(url, "SELECT outcome, corrected FROM meeting_leave")
        assert [(o, bool(c)) for o, c in leave_rows] == [("approved", False)]
        made = await db_rows(
            url, f"SELECT count(*) FROM meeting_makeup WHERE meeting_id = {number}"
        )
        assert made == [(2,)]
    finally:
        bot.stop()
        drop_database(url)


async def test_two_processes_take_到_and_remind_once(tmp_path: Path) -> None:
    url = fresh_database_url(tmp_path / "db")
    # 到 from an hour before, so it is taken at once.
    env = {
        "BOT_SEND_INTERVAL": "0.05",
        "MEETING_SCAN_SECONDS": "1",
        "MEETING_CHECKIN_BEFORE_MINUTES": "60",
        # A meeting at 09:00 set at about 08:29:30: the reminder 30 minutes before is due at
        # 08:30, some 30 seconds after the start (a margin for a slow start), not later.
        "BOT_CLOCK_START": "2026-12-01T08:29:25+08:00",
    }
    first = BotProcess(tmp_path / "a", url, extra_env=env)
    second = BotProcess(tmp_path / "b", url, extra_env=env)
    _import(first, tmp_path)
    first.start()
    second.start()
    try:
        async with (
            FakeOneBot(first.url, access_token=TOKEN) as a,
            FakeOneBot(second.url, access_token=TOKEN) as b,
        ):
            a.groups[GROUP] = {}  # both accounts are in the group: either may remind
            b.groups[GROUP] = {}
            # Both processes scan every second.
            await a.group_message(GROUP, SECRETARY, "会议 党课 今天9点", card="老韩")
            posted = (await a.reply_to_group(GROUP, timeout=30)).text
            found = re.match(r"^【会议 #(\d+)】党课\n", posted)
            assert found, posted
            number = int(found.group(1))
            for user in MEMBERS:  # every member says 到 to both processes at once
                await a.group_message(GROUP, user, "到", card=f"卡{user}")
                await b.group_message(GROUP, user, "到", card=f"卡{user}")
            replies = [(await a.reply_to_group(GROUP, timeout=90)).text for _ in MEMBERS]
            replies += [(await b.reply_to_group(GROUP, timeout=90)).text for _ in MEMBERS]
            assert sum(1 for t in replies if NEW.match(t)) == 30, replies
            assert sum(1 for t in replies if AGAIN.match(t)) == 30, replies
            # The reminder 30 minutes before: sent by one of the two, once.
            deadline = time.monotonic() + 120
            reminders: list[str] = []
            while time.monotonic() < deadline and not reminders:
                await asyncio.sleep(0.5)
                reminders = [
                    sent.text
                    for ob in (a, b)
                    for sent in ob.sends()
                    if sent.group_id == GROUP and sent.text.startswith("【会议提醒】")
                ]
            await asyncio.sleep(3.0)  # both scan every second: a second copy would be out
            reminders = [
                sent.text
                for ob in (a, b)
                for sent in ob.sends()
                if sent.group_id == GROUP and sent.text.startswith("【会议提醒】")
            ]
            assert len(reminders) == 1, reminders
            assert f"会议 #{number}：" in reminders[0], reminders
    finally:
        first.stop()
        second.stop()
    rows = await db_rows(
        url,
        "SELECT count(*), count(DISTINCT person_id) FROM receipts_receipt "
        f"WHERE subject_id = {number}",
    )
    assert rows == [(30, 30)]
    claims = await db_rows(url, "SELECT kind FROM meeting_reminderclaim")
    assert claims == [("soon",)]
    drop_database(url)
