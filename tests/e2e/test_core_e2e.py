"""The core over a real WebSocket, with the bot running as `python -m bot`."""

from __future__ import annotations

import json

import pytest

from tests.e2e.conftest import SUPERUSER, TOKEN, BotProcess
from tests.e2e.onebot import FakeOneBot, Sent, at, text

GROUP = 5001
MEMBER = 3001
ADMIN = 3002


def assert_plain(sent: Sent) -> None:
    """Every reply is text only, with nothing technical in it."""
    assert {segment["type"] for segment in sent.segments} <= {"text"}, sent.segments
    for marker in ("Traceback", 'File "', "Error", "Exception"):
        assert marker not in sent.text, sent.text


async def test_connection_without_or_with_wrong_token_is_refused(running_bot: BotProcess) -> None:
    for token in (None, "wrong-token"):
        with pytest.raises(ConnectionError, match="HTTP 403"):
            async with FakeOneBot(running_bot.url, self_id=20000, access_token=token):
                pass
    async with FakeOneBot(running_bot.url, self_id=20000, access_token=TOKEN) as ob:
        await ob.group_message(GROUP, MEMBER, "帮助")
        assert_plain(await ob.reply_to_group(GROUP))


async def test_startup_log_tells_where_to_connect(running_bot: BotProcess) -> None:
    log = running_bot.log()
    assert f"ws://127.0.0.1:{running_bot.port}/onebot/v11/ws" in log
    assert "访问令牌 ONEBOT_ACCESS_TOKEN：已设置" in log
    assert "数据库: " in log
    assert "目标数据库未更新到最新迁移" not in log  # the ORM never had to ask


async def test_help_and_feature_help(running_bot: BotProcess) -> None:
    async with FakeOneBot(running_bot.url, access_token=TOKEN) as ob:
        await ob.group_message(GROUP, MEMBER, "帮助")
        overview = await ob.reply_to_group(GROUP)
        assert_plain(overview)
        assert overview.text.startswith("党建学习助手 · 功能")
        assert "· 群设置：" in overview.text

        await ob.group_message(GROUP, MEMBER, "/帮助 群设置")
        detail = await ob.reply_to_group(GROUP)
        assert_plain(detail)
        assert detail.text.startswith("【群设置】")
        assert "例：开启 签到" in detail.text

        await ob.private_message(MEMBER, "帮助")
        assert (await ob.reply_to_user(MEMBER)).text.startswith("党建学习助手 · 功能")


async def test_admin_switch_refused_for_member_and_allowed_for_admin(
    running_bot: BotProcess,
) -> None:
    async with FakeOneBot(running_bot.url, access_token=TOKEN) as ob:
        await ob.group_message(GROUP, MEMBER, "开启 帮助", role="member")
        refused = await ob.reply_to_group(GROUP)
        assert refused.text == "「开启」只有群主、群管理员、支委或机器人超级管理员可以使用。"

        # An implementation that leaves the role out of the event: the bot asks.
        ob.members[(GROUP, ADMIN)] = {
            "group_id": GROUP,
            "user_id": ADMIN,
            "role": "admin",
            "nickname": "书记",
        }
        await ob.group_message(GROUP, ADMIN, "开启 帮助", role=None)
        asked = await ob.wait_call("get_group_member_info")
        assert asked.params["user_id"] == ADMIN
        allowed = await ob.reply_to_group(GROUP)
        assert allowed.text.startswith("「帮助」不能开关。")

        await ob.group_message(GROUP, SUPERUSER, "开启", role="member")
        assert (await ob.reply_to_group(GROUP)).text.startswith("请写上要开启的功能。")


async def test_ordinary_chat_gets_no_reply(running_bot: BotProcess) -> None:
    async with FakeOneBot(running_bot.url, access_token=TOKEN) as ob:
        for message in ("大家早上好", "提醒大家明天开会", "帮助我一下", "/roll 6"):
            await ob.group_message(GROUP, MEMBER, message)
        await ob.assert_no_reply(group_id=GROUP, within=1.5)


async def test_junk_input_leaves_the_bot_working(running_bot: BotProcess) -> None:
    junk_group = GROUP + 1
    async with FakeOneBot(running_bot.url, access_token=TOKEN) as ob:
        await ob.group_message(junk_group, MEMBER, "帮助 " + "学" * 20_000)
        too_long = await ob.reply_to_group(junk_group)
        assert_plain(too_long)
        assert too_long.text.startswith("消息太长了")

        odd = "帮助 \u200b\u200d\u202e党\u2066费\U0001f600\ufeff"
        await ob.group_message(junk_group, MEMBER, odd)
        assert_plain(await ob.reply_to_group(junk_group))

        await ob.group_message(junk_group, MEMBER, [])  # an empty message
        await ob.group_message(junk_group, MEMBER, [{"type": "mystery", "data": {"x": 1}}])
        await ob.group_message(junk_group, MEMBER, [{"type": "image", "data": {"file": "a.jpg"}}])
        await ob.send_raw("{this is not json")
        await ob.send_raw("[1, 2, 3]")
        await ob.send_raw(b"\x00\xff\xfe".decode("latin-1"))
        await ob.send_raw({"post_type": "message", "message_type": "group"})  # fields missing
        await ob.send_raw({"post_type": "message", "message_type": "group", "group_id": "x" * 50})
        await ob.assert_no_reply(group_id=junk_group, within=1.0)

        # @-mentioning the bot with nothing else gets a friendly pointer, not silence.
        await ob.group_message(junk_group, MEMBER, [at(ob.self_id)])
        assert (await ob.reply_to_group(junk_group)).text == "在呢！发送「帮助」查看我能做什么。"

        # Still connected, still answering.
        await ob.group_message(junk_group, MEMBER, [text("帮助")])
        assert (await ob.reply_to_group(junk_group)).text.startswith("党建学习助手")
        assert ob.connected
        for sent in ob.sends():
            assert_plain(sent)
    assert "Traceback" not in "".join(s.text for s in ob.sends())


async def test_cq_code_in_user_text_comes_back_as_text(running_bot: BotProcess) -> None:
    cq_group = GROUP + 2
    async with FakeOneBot(running_bot.url, access_token=TOKEN) as ob:
        await ob.group_message(cq_group, MEMBER, "帮助 [CQ:at,qq=all]")
        sent = await ob.reply_to_group(cq_group)
        assert_plain(sent)
        assert "[CQ:at,qq=a" in sent.text
        assert not sent.mentions("all")
        raw = json.dumps(sent.call.params, ensure_ascii=False)
        assert '"type": "at"' not in raw


async def test_private_chat_nonsense_gets_a_pointer(running_bot: BotProcess) -> None:
    async with FakeOneBot(running_bot.url, access_token=TOKEN) as ob:
        await ob.private_message(MEMBER + 50, "你好呀")
        reply = await ob.reply_to_user(MEMBER + 50)
        assert reply.text.startswith("没看懂这条消息。发送「帮助」")
