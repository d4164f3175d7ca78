"""The quiz over a real WebSocket and the import command as an operator runs it."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from tests.dbutil import drop_database, fresh_database_url
from tests.e2e.conftest import TOKEN, BotProcess, FileServer, upload_notice
from tests.e2e.onebot import FakeOneBot
from tests.quiz.conftest import GOOD_ROWS, rows_to_csv, rows_to_xlsx

GROUP = 8001
ADMIN = 8101


def _bot(tmp_path: Path, **extra_env: str) -> tuple[BotProcess, str]:
    url = fresh_database_url(tmp_path / "db")
    return BotProcess(tmp_path / "bot", url, extra_env=dict(extra_env)), url


async def test_import_then_same_daily_question_for_everyone_and_after_restart(
    tmp_path: Path,
) -> None:
    bot, url = _bot(tmp_path)
    try:
        good = tmp_path / "题库.xlsx"
        good.write_bytes(rows_to_xlsx(GOOD_ROWS))
        result = bot.cli("import-questions", str(good))
        assert result.returncode == 0, result.stderr
        assert "导入完成：新增 4 题，重复跳过 0 题，有误 0 行" in result.stdout

        again = bot.cli("import-questions", str(good))
        assert "导入完成：新增 0 题，重复跳过 4 题，有误 0 行" in again.stdout

        bad = tmp_path / "有错.csv"
        bad.write_text(
            rows_to_csv(
                [
                    [
                        "单选",
                        "新题：党的根本组织原则是（  ）。",
                        "民主集中制",
                        "集体领导",
                        "",
                        "",
                        "A",
                        "",
                        "党章党规",
                        "",
                        "",
                    ],
                    ["单选", "答案越界", "甲", "乙", "", "", "C", "", "党史", "", ""],
                    ["判断", "", "", "", "", "", "对", "", "党史", "", ""],
                ]
            ),
            encoding="gbk",
        )
        refused = bot.cli("import-questions", str(bad))
        assert refused.returncode == 1
        assert "没有导入：有 2 行有误" in refused.stdout
        assert "第3行：答案「C」不对：这道题只有 A–B 2 个选项" in refused.stdout
        assert "第4行：缺少题目" in refused.stdout
        skipped = bot.cli("import-questions", str(bad), "--skip-invalid")
        assert skipped.returncode == 0
        assert "导入完成：新增 1 题，重复跳过 0 题，有误 2 行" in skipped.stdout

        empty = tmp_path / "空.json"
        empty.write_text("{}", encoding="utf-8")
        broken = bot.cli("import-questions", str(empty))
        assert broken.returncode == 1
        assert "没有导入：JSON 文件应当是题目列表" in broken.stdout
        assert "Traceback" not in broken.stdout + broken.stderr

        bot.start()
        async with FakeOneBot(bot.url, access_token=TOKEN) as ob:
            texts = []
            for member in (8201, 8202, 8203):
                await ob.group_message(GROUP, member, "每日一题")
                texts.append((await ob.reply_to_group(GROUP)).text)
        assert texts[0].startswith("📘 每日一题")
        assert texts[0] == texts[1] == texts[2]
        bot.restart()
        async with FakeOneBot(bot.url, access_token=TOKEN) as ob:
            await ob.group_message(GROUP, 8204, "每日一题")
            assert (await ob.reply_to_group(GROUP)).text == texts[0]
    finally:
        bot.stop()
        drop_database(url)


async def test_fresh_install_answers_daily_question_at_once(tmp_path: Path) -> None:
    bot, url = _bot(tmp_path)
    try:
        bot.start()
        assert "已载入入门题库" in bot.log()
        async with FakeOneBot(bot.url, access_token=TOKEN) as ob:
            await ob.group_message(GROUP, 8201, "每日一题")
            assert (await ob.reply_to_group(GROUP)).text.startswith("📘 每日一题")
            await ob.group_message(GROUP, 8201, "题库")
            count = (await ob.reply_to_group(GROUP)).text
            assert count.startswith("题库共 ")
            assert int(count.split()[1]) >= 300
    finally:
        bot.stop()
        drop_database(url)


async def test_scheduled_push_at_its_clock_time(tmp_path: Path) -> None:
    zone = ZoneInfo("Asia/Shanghai")
    start = datetime.combine(date(2026, 12, 1), datetime.min.time(), tzinfo=zone) + timedelta(
        hours=8, minutes=59, seconds=45
    )
    bot, url = _bot(tmp_path, BOT_CLOCK_START=start.isoformat(), QUIZ_DAILY_SCAN_SECONDS="1")
    try:
        bot.start()
        async with FakeOneBot(bot.url, access_token=TOKEN) as ob:
            ob.groups[GROUP] = {"group_name": "第一党支部"}
            await ob.group_message(GROUP, ADMIN, "开启 每日一题 09:00", role="admin")
            assert (
                await ob.reply_to_group(GROUP)
            ).text == "已开启「每日一题」。\n每天 09:00 推送今日题目。发「每日一题」随时看题。"
            pushed = await ob.reply_to_group(GROUP, timeout=40)
            assert pushed.text.startswith("📘 每日一题（12月1日）")
            assert "推送晚了" not in pushed.text
            await ob.assert_no_reply(group_id=GROUP, within=3)  # once, not again at the next scan
    finally:
        bot.stop()
        drop_database(url)


async def test_practice_round_over_websocket_ignores_others(tmp_path: Path) -> None:
    bot, url = _bot(tmp_path)
    try:
        only = tmp_path / "one.csv"
        only.write_text(rows_to_csv([GOOD_ROWS[2]]), encoding="utf-8")  # one 判断 question, 党史
        assert bot.cli("import-questions", str(only)).returncode == 0
        bot.start()
        async with FakeOneBot(bot.url, access_token=TOKEN) as ob:
            await ob.group_message(GROUP, 8301, "答题 党史 1")
            first = await ob.reply_to_group(GROUP)
            assert first.text.startswith("【练习 · 第1/1题 · 判断】")
            await ob.group_message(GROUP, 8302, "B")  # another member's message is not an answer
            await ob.group_message(GROUP, 8302, "错")
            await ob.assert_no_reply(group_id=GROUP, within=1.0)
            await ob.group_message(GROUP, 8301, "对")
            done = await ob.reply_to_group(GROUP)
            assert done.text.startswith("✅ 正确！答案：对\n练习结束：答对 1/1，正确率 100%，+1分")
    finally:
        bot.stop()
        drop_database(url)


async def test_admin_uploads_a_question_bank_in_the_group(
    tmp_path: Path, file_server: FileServer
) -> None:
    """A group admin uploads an .xlsx: the bot fetches it over HTTP and imports it; a member's
    upload of the same file is ignored; in a private chat only SUPERUSERS may import."""
    content = rows_to_xlsx(GOOD_ROWS)
    file_url = file_server.add("bank.xlsx", content)
    bot, url = _bot(tmp_path)
    try:
        assert (
            bot.cli("import-questions", str(tmp_path / "none.csv")).returncode == 1
        )  # no such file
        bot.start()
        async with FakeOneBot(bot.url, access_token=TOKEN) as ob:
            ob.members[(GROUP, 8401)] = {"role": "member", "nickname": "群员"}
            ob.members[(GROUP, ADMIN)] = {"role": "admin", "nickname": "书记"}
            await ob.send_raw(
                upload_notice(ob.self_id, GROUP, 8401, "题库.xlsx", len(content), file_url)
            )
            await ob.assert_no_reply(group_id=GROUP, within=1.5)

            # NapCat may leave the URL out: the bot asks get_group_file_url.
            ob.on_api("get_group_file_url", lambda params: {"url": file_url})
            await ob.send_raw(
                upload_notice(ob.self_id, GROUP, ADMIN, "题库.xlsx", len(content), None)
            )
            done = await ob.reply_to_group(GROUP, timeout=20)
            assert done.text == "「题库.xlsx」导入完成：新增 4 题，重复跳过 0 题，有误 0 行"
            await ob.send_raw(
                upload_notice(ob.self_id, GROUP, ADMIN, "照片.jpg", len(content), file_url)
            )
            await ob.assert_no_reply(group_id=GROUP, within=1.0)

            await ob.private_message(
                8401, [{"type": "file", "data": {"name": "题库.xlsx", "url": file_url}}]
            )
            refused = await ob.reply_to_user(8401)
            assert refused.text == "私聊导入文件只限机器人超级管理员；群管理员请把文件上传到群里。"
    finally:
        bot.stop()
        drop_database(url)
