"""Rules and content alerts over a real WebSocket: a newcomer welcomed once on a
`group_increase` notice, 开启 内容提醒 announced, a matching message alerting the officer
privately, a recall through `delete_msg` when the bot is admin (the sender told why), and a
flood raising one alert."""

from __future__ import annotations

from pathlib import Path

from tests.dbutil import drop_database, fresh_database_url
from tests.e2e.conftest import TOKEN, BotProcess, db_rows
from tests.e2e.onebot import FakeOneBot
from tests.roster.files import csv_bytes

GROUP = 95001
SECRETARY = 95000
MEMBER = 95100
NEWCOMER = 95200
SELF = 10000


def _import(bot: BotProcess, tmp_path: Path) -> None:
    rows = [
        ["老韩", str(SECRETARY), "正式党员", "第一党小组", "书记", "", ""],
        ["小李", str(MEMBER), "正式党员", "第一党小组", "", "", ""],
    ]
    path = tmp_path / "名册.csv"
    path.write_bytes(csv_bytes(rows))
    result = bot.cli("import-roster", str(path), "--chat", str(GROUP))
    assert result.returncode == 0, result.stdout + result.stderr


async def test_welcome_alert_and_recall(tmp_path: Path) -> None:
    url = fresh_database_url(tmp_path / "db")
    bot = BotProcess(tmp_path / "bot", url, extra_env={"BOT_SEND_INTERVAL": "0.05"})
    _import(bot, tmp_path)
    bot.start()
    try:
        async with FakeOneBot(bot.url, access_token=TOKEN) as ob:
            ob.members[(GROUP, MEMBER)] = {"card": "小李"}
            await ob.group_increase(GROUP, NEWCOMER)
            welcome = (await ob.reply_to_group(GROUP, timeout=30)).text
            assert welcome.startswith("欢迎新同志加入本群！\n群规（节选）：\n1. "), welcome
            assert "发「绑定 你的姓名」" in welcome, welcome
            await ob.group_increase(GROUP, NEWCOMER)  # a repeated notice: welcomed once
            await ob.assert_no_reply(group_id=GROUP, within=1.5)

            await ob.group_message(GROUP, SECRETARY, "开启 内容提醒", card="老韩")
            announced = (await ob.reply_to_group(GROUP, timeout=30)).text
            assert announced.startswith("已开启「内容提醒」。\n本群已开启「内容提醒」"), announced

            await ob.group_message(GROUP, MEMBER, "在家兼职，日结，加我", card="小李")
            alert = (await ob.reply_to_user(SECRETARY, timeout=30)).text
            assert alert.startswith(f"【内容提醒】群 {GROUP} · 兼职（命中「在家兼职」）\n"), alert
            assert "小李（95100）" in alert, alert
            assert alert.endswith("处理：仅提醒"), alert
            await ob.assert_no_reply(group_id=GROUP, within=1.0)

            await ob.private_message(SECRETARY, "敏感词 撤回 赌博 开")
            done = (await ob.reply_to_user(SECRETARY, timeout=30)).text
            assert done.startswith("✅ 「赌博」类消息将被撤回"), done
            ob.members[(GROUP, SELF)] = {"role": "admin"}
            spam = await ob.group_message(GROUP, MEMBER, "網·賭 包赢", card="小李")
            recall = await ob.wait_call("delete_msg", timeout=30)
            assert recall.params["message_id"] == spam
            assert spam not in ob.api.messages
            told = (await ob.reply_to_user(MEMBER, timeout=30)).text
            assert told.startswith(f"你在群 {GROUP} 的一条消息命中了支部设定的「赌博」类"), told
            alert = (await ob.reply_to_user(SECRETARY, timeout=30)).text
            assert alert.endswith("处理：已撤回，并私聊告诉了发送人"), alert

            for _ in range(7):  # a flood: one alert, not one per message
                await ob.group_message(GROUP, MEMBER, "扫码进群领福利", card="小李")
            flood = (await ob.reply_to_user(SECRETARY, timeout=30)).text
            assert flood.startswith(
                f"【刷屏提醒】群 {GROUP}：小李（{MEMBER}）1分钟内同一内容5次"
            ), flood
            await ob.assert_no_reply(user_id=SECRETARY, within=1.5)
        rows = await db_rows(url, "SELECT category, action FROM rules_match ORDER BY id")
        assert rows == [("兼职", "alerted"), ("赌博", "recalled"), ("刷屏", "alerted")]
    finally:
        bot.stop()
        drop_database(url)
