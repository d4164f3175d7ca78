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
        extra_env={"BOT_SEND_INTERVAL": "0.05", "MEETING_DURATION_MINUTES": "1"},
    )
    _import(bot, tmp_path)
    bot.start()
    try:
        async with FakeOneBot(bot.url, access_token=TOKEN) as ob:
            await ob.group_message(GROUP, SECRETARY, "会议 党员大会 1分钟后 学习党章", card="老韩")
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

            # After the end (start in 1 minute, 1 minute long): 补学.
            await asyncio.sleep(max(0.0, 125 - (time.monotonic() - scheduled_at)))
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
