"""Documents sent in chat: a group upload is imported only when its uploader confirms."""

from __future__ import annotations

from pathlib import Path

from tests.dbutil import drop_database, fresh_database_url
from tests.e2e.conftest import SUPERUSER, TOKEN, BotProcess, FileServer, upload_notice
from tests.e2e.onebot import FakeOneBot

GROUP = 9101
ADMIN = 9102
MEMBER = 9103

DOCUMENT = """---
标题: 第一党支部学习安排
分类: 支部资料
发文机关: 第一党支部
日期: 2026-12-01
---

# 第一党支部学习安排

## 一、每周学习时间

每周四下午组织集中学习，地点在三楼会议室，请党员按时参加。

## 二、学习笔记

每人每月至少写一篇学习笔记，交给组织委员汇总。
""".encode()


async def test_group_upload_needs_confirmation_and_private_is_immediate(
    tmp_path: Path, file_server: FileServer
) -> None:
    url = fresh_database_url(tmp_path / "db")
    bot = BotProcess(tmp_path / "bot", url)
    link = file_server.add("plan.md", DOCUMENT)
    try:
        bot.start()
        async with FakeOneBot(bot.url, access_token=TOKEN) as ob:
            ob.members[(GROUP, ADMIN)] = {"role": "admin", "nickname": "组织委员"}
            ob.members[(GROUP, MEMBER)] = {"role": "member", "nickname": "群员"}

            await ob.send_raw(
                upload_notice(ob.self_id, GROUP, MEMBER, "学习安排.md", len(DOCUMENT), link)
            )
            await ob.assert_no_reply(group_id=GROUP, within=1.5)  # a member sharing a file

            await ob.send_raw(
                upload_notice(ob.self_id, GROUP, ADMIN, "学习安排.md", len(DOCUMENT), link)
            )
            asked = await ob.reply_to_group(GROUP, timeout=20)
            assert (
                asked.text
                == "收到「学习安排.md」。要把它导入学习资料库，请在10分钟内发「导入资料」；不导入就不用管。"
            )

            await ob.group_message(GROUP, MEMBER, "导入资料", role="member")
            assert (
                await ob.reply_to_group(GROUP)
            ).text == "「导入资料」只有群主、群管理员、支委或机器人超级管理员可以使用。"

            await ob.group_message(GROUP, ADMIN, "导入资料", role="admin")
            done = await ob.reply_to_group(GROUP)
            assert done.text.startswith("已导入《第一党支部学习安排》（支部资料，")
            assert done.text.endswith("。发「资料」看目录")

            await ob.group_message(GROUP, ADMIN, "导入资料", role="admin")
            assert (await ob.reply_to_group(GROUP)).text.startswith("没有等你确认的文件。")

            await ob.group_message(GROUP, MEMBER, "政策 学习笔记")
            found = await ob.reply_to_group(GROUP)
            assert "第一党支部学习安排" in found.text

            await ob.private_message(
                SUPERUSER, [{"type": "file", "data": {"name": "学习安排.md", "url": link}}]
            )
            again = await ob.reply_to_user(SUPERUSER)
            # The same file name is the same document: nothing is duplicated.
            assert again.text.startswith("《第一党支部学习安排》已在资料库里，内容没有变化，看 ")

            broken = file_server.add("broken.docx", b"PK\x03\x04 this is no Word file")
            await ob.private_message(
                SUPERUSER, [{"type": "file", "data": {"name": "坏文件.docx", "url": broken}}]
            )
            refused = await ob.reply_to_user(SUPERUSER)
            assert refused.text.startswith("「坏文件.docx」没有导入：")
            assert "Traceback" not in refused.text
    finally:
        bot.stop()
        drop_database(url)
