"""OneBot v12 implementations get the same bot: chats, help and the role check."""

from __future__ import annotations

from datetime import datetime

from nonebot.adapters.onebot.v12 import Bot, GroupMessageEvent, Message, MessageSegment
from nonebug import App

from tests.chat import conversation


def _group_event(text: str, user_id: str = "2001") -> GroupMessageEvent:
    message = Message(MessageSegment.text(text))
    return GroupMessageEvent(
        id="e1",
        time=datetime.now().astimezone(),
        type="message",
        detail_type="group",
        sub_type="",
        self={"platform": "qq", "user_id": "10000"},  # type: ignore[arg-type]
        message_id="m1",
        message=message,
        original_message=message,
        alt_message=text,
        user_id=user_id,
        group_id="3000",
        to_me=False,
    )


async def test_v12_group_chat_and_help(app: App) -> None:
    from bot.help.render import overview
    from bot.platform import chat_of

    async with conversation(app, base=Bot, self_id="10000", platform="qq", impl="walle-q") as chat:
        event = _group_event("帮助")
        place = chat_of(chat.bot, event)
        assert place is not None
        assert (place.kind, place.chat_id, place.user_id) == ("group", "3000", "2001")
        chat.receives(event).answers_with(Message(MessageSegment.text(overview())), result=None)


async def test_v12_role_is_asked_of_the_platform(app: App) -> None:
    async with conversation(app, base=Bot, self_id="10000", platform="qq", impl="walle-q") as chat:
        chat.receives(_group_event("关闭 签到")).asks(
            "get_group_member_info",
            {"group_id": "3000", "user_id": "2001"},
            {"user_id": "2001", "user_name": "张三", "user_displayname": ""},
        ).answers_with(
            Message(
                MessageSegment.text("「关闭」只有群主、群管理员、支委或机器人超级管理员可以使用。")
            ),
            result=None,
        )
