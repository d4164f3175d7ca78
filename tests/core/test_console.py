"""`python -m bot console`: the terminal chat works like a group and a private chat."""

from __future__ import annotations

from datetime import datetime

from nonebot.adapters.console import Bot as ConsoleBot
from nonebot.adapters.console import Message, MessageSegment
from nonebot.adapters.console.event import PrivateMessageEvent, PublicMessageEvent
from nonebug import App
from nonechat.model import DIRECT, Channel, Robot, User

from bot.app import init_kwargs
from tests.chat import conversation


def _public(text: str) -> PublicMessageEvent:
    return PublicMessageEvent(
        time=datetime.now().astimezone(),
        self_id="robot",
        post_type="message",
        message_id="1",
        message=Message(MessageSegment.text(text)),
        user=User("user"),
        channel=Channel("general", "通用"),
    )


def _private(text: str) -> PrivateMessageEvent:
    return PrivateMessageEvent(
        time=datetime.now().astimezone(),
        self_id="robot",
        post_type="message",
        message_id="2",
        message=Message(MessageSegment.text(text)),
        user=User("user"),
        channel=DIRECT,
    )


def test_console_runs_without_a_web_server() -> None:
    assert init_kwargs("console")["driver"] == "~none"


async def test_console_channel_counts_as_a_group(app: App) -> None:
    from bot.platform import chat_of

    async with app.test_api() as ctx:
        bot = ctx.create_bot(base=ConsoleBot, self_id=Robot("robot"))  # type: ignore[arg-type]
        public = chat_of(bot, _public("帮助"))
        private = chat_of(bot, _private("帮助"))
    assert public is not None
    assert (public.kind, public.chat_id, public.user_id) == ("group", "general", "user")
    assert private is not None
    assert (private.kind, private.chat_id) == ("private", "user")


async def test_help_answers_in_the_console(app: App) -> None:
    from bot.help.render import overview

    async with conversation(app, base=ConsoleBot, self_id=Robot("robot")) as chat:
        chat.receives(_public("帮助")).answers_with(
            Message(MessageSegment.text(overview())), result=None
        )
