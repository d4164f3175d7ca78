"""The roster over a real WebSocket: imported by a group upload, a SUPERUSER's private file
and the CLI; an officer who is no group admin uses admin commands; no group message carries a
roster real name."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from tests.dbutil import drop_database, fresh_database_url
from tests.e2e.conftest import SUPERUSER, TOKEN, BotProcess, FileServer, db_rows, upload_notice
from tests.e2e.onebot import FakeOneBot
from tests.roster.files import csv_bytes, xlsx_bytes

GROUP = 93001
PARTY_GROUP_CHAT = 93002
OWNER = 9310
SECRETARY = 9311
MEMBER = 9312
NEWCOMER = 9313

ROWS = [
    ["韩梅梅", str(SECRETARY), "正式党员", "第一党小组", "书记", "2010-07-01", "2011-07-01"],
    ["李雷", str(MEMBER), "预备", "第一党小组", "", "2026/7/1", ""],
    ["林涛", "", "积极分子", "第二党小组", "", "", ""],
]
NAMES = ("韩梅梅", "李雷", "林涛", "魏华")
CARDS = {SECRETARY: "老韩", MEMBER: "小李", OWNER: "群主", NEWCOMER: "新人"}


async def test_roster_import_officers_and_privacy(tmp_path: Path, file_server: FileServer) -> None:
    url = fresh_database_url(tmp_path / "db")
    bot = BotProcess(tmp_path / "bot", url)
    roster = xlsx_bytes(ROWS)
    try:
        bot.start()
        async with FakeOneBot(bot.url, access_token=TOKEN) as ob:
            for user, card in CARDS.items():
                for group in (GROUP, PARTY_GROUP_CHAT):
                    role = "owner" if user == OWNER else "member"
                    ob.members[(group, user)] = {"role": role, "card": card, "nickname": card}

            async def say(group: int, user: int, text: str) -> str:
                await ob.group_message(
                    group, user, text, role=ob.members[(group, user)]["role"], card=CARDS[user]
                )
                return (await ob.reply_to_group(group, timeout=20)).text

            # A member's shared spreadsheet is not an import; the owner's is.
            link = file_server.add("roster.xlsx", roster)
            await ob.send_raw(
                upload_notice(ob.self_id, GROUP, MEMBER, "名册.xlsx", len(roster), link)
            )
            await ob.assert_no_reply(group_id=GROUP, within=1.5)
            await ob.send_raw(
                upload_notice(ob.self_id, GROUP, OWNER, "名册.xlsx", len(roster), link)
            )
            imported = await ob.reply_to_group(GROUP, timeout=20)
            assert (
                imported.text == "名册已导入：新增3人，更新0人，没有变化0人。\n发「支部」看人数。"
            )

            # A zip renamed .xlsx: one line, nothing changed.
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w") as archive:
                archive.writestr("x.txt", "no workbook")
            fake = file_server.add("fake.xlsx", buffer.getvalue())
            await ob.send_raw(
                upload_notice(ob.self_id, GROUP, OWNER, "名册.xlsx", len(buffer.getvalue()), fake)
            )
            refused = await ob.reply_to_group(GROUP, timeout=20)
            assert refused.text.startswith("「名册.xlsx」")
            assert "\n" not in refused.text

            # The secretary is a plain member of the group on QQ, an officer in the roster.
            assert await say(GROUP, MEMBER, "名册") == (
                "「名册」只有群主、群管理员、支委或机器人超级管理员可以使用。"
            )
            counts = await say(GROUP, SECRETARY, "名册")
            assert counts.startswith("名册：共3人（正式党员1，预备党员1，入党积极分子1）")
            assert await say(GROUP, SECRETARY, "开启 签到") == "已开启「签到」。"

            # A 党小组 group joins the branch once the secretary confirms.
            asked = await say(PARTY_GROUP_CHAT, OWNER, f"关联支部 {GROUP}")
            number = asked.split("#")[1].split("）")[0]
            assert await say(PARTY_GROUP_CHAT, SECRETARY, "关闭 签到") == (
                "「关闭」只有群主、群管理员、支委或机器人超级管理员可以使用。"
            )
            assert await say(GROUP, SECRETARY, f"确认关联 {number}") == (
                f"已同意：群{PARTY_GROUP_CHAT}并入本支部。发「支部」查看。"
            )
            assert await say(PARTY_GROUP_CHAT, SECRETARY, "关闭 签到") == "已关闭「签到」。"
            shown = await say(PARTY_GROUP_CHAT, MEMBER, "支部")
            assert f"关联的群：群{GROUP}、群{PARTY_GROUP_CHAT}" in shown

            # The SUPERUSER sends a GBK CSV privately, the group number in the file name.
            more = csv_bytes(
                [["魏华", str(NEWCOMER), "发展对象", "第二党小组", "", "", ""]], encoding="gbk"
            )
            csv_link = file_server.add("more.csv", more)
            await ob.private_message(
                SUPERUSER,
                [{"type": "file", "data": {"name": f"名册-{GROUP}.csv", "url": csv_link}}],
            )
            added = await ob.reply_to_user(SUPERUSER, timeout=20)
            assert added.text.startswith("名册已导入：新增1人，更新0人，没有变化0人。")
            await ob.private_message(
                SUPERUSER, [{"type": "file", "data": {"name": "名册.csv", "url": csv_link}}]
            )
            assert (await ob.reply_to_user(SUPERUSER, timeout=20)).text == (
                "「名册.csv」没有导入：私聊发名册时，请在文件名里写上群号，例如「名册-123456789.xlsx」。"
            )

            # The list goes to the officer in private.
            await ob.private_message(SECRETARY, "名册")
            listed = await ob.reply_to_user(SECRETARY, timeout=20)
            assert listed.text.startswith("名册（4人）：")
            for name in NAMES:
                assert name in listed.text

            # Privacy: no group message carries a real name from the roster.
            group_texts = [s.text for s in ob.sends() if s.group_id is not None]
            assert len(group_texts) >= 8
            for name in NAMES:
                assert not any(name in text for text in group_texts), name

        # The CLI: bad rows are reported and nothing changes; then a good file updates.
        bad = tmp_path / "bad.csv"
        bad.write_bytes(
            csv_bytes(
                [
                    ["李雷", str(MEMBER), "党外", "", "", "", ""],
                    ["新人", "", "", "", "", "2020-02-30", ""],
                ]
            )
        )
        result = bot.cli("import-roster", str(bad), "--chat", str(GROUP))
        assert result.returncode == 1, result.stderr
        assert result.stdout.splitlines()[1:] == [
            "第2行：状态「党外」应是 正式党员、预备党员、发展对象、入党积极分子、群众 之一",
            "第3行：入党日期这一天不存在",
        ]
        good = tmp_path / "good.csv"
        good.write_bytes(csv_bytes([["李雷", str(MEMBER), "正式党员", "", "", "", "2027-07-01"]]))
        result = bot.cli("import-roster", str(good), "--chat", str(GROUP))
        assert result.returncode == 1
        assert "转正日期在今天之后" in result.stdout
        good.write_bytes(csv_bytes([["李雷", str(MEMBER), "正式党员", "", "", "", ""]]))
        result = bot.cli("import-roster", str(good), "--chat", str(GROUP))
        assert result.returncode == 0, result.stdout + result.stderr
        assert result.stdout.startswith("名册已导入：新增0人，更新1人，没有变化0人。")
        rows = await db_rows(url, "SELECT name, status FROM roster_person ORDER BY id")
        assert rows == [
            ("韩梅梅", "正式党员"),
            ("李雷", "正式党员"),
            ("林涛", "入党积极分子"),
            ("魏华", "发展对象"),
        ]
    finally:
        bot.stop()
        drop_database(url)
