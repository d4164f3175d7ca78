"""The error boundary and long replies, seen from the chat."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager

from nonebot import on_command
from nonebot.adapters.onebot.v11 import ActionFailed, Bot, Message, MessageEvent, MessageSegment
from nonebot.matcher import Matcher
from nonebug import App

from tests.chat import conversation
from tests.fake import GROUP, MEMBER, SELF_ID, group_message, reply

APOLOGY = "抱歉，处理这条消息时出了点问题，已经记录下来。请稍后再试，或发送「帮助」。"


@contextmanager
def temporary_command(
    name: str, handler: Callable[..., Awaitable[None]]
) -> Iterator[type[Matcher]]:
    """A command that exists for one test only (nonebug needs it before the test context)."""
    matcher = on_command(name, block=True, handlers=[handler])
    try:
        yield matcher
    finally:
        matcher.destroy()


async def _explode() -> None:
    raise RuntimeError("database exploded: secret details")


# nonebug's test_matcher fails a test on any handler error, so these two feed the event to
# NoneBot's real dispatcher and only fake the platform.


async def test_failing_handler_is_answered_with_an_apology(app: App) -> None:
    from nonebot.message import handle_event

    with temporary_command("测试故障", _explode):
        async with app.test_api() as ctx:
            bot = ctx.create_bot(base=Bot, self_id=SELF_ID)
            event = group_message("测试故障")
            ctx.should_call_send(event, reply(APOLOGY), result={"message_id": 1})
            await handle_event(bot, event)


async def test_apology_that_cannot_be_sent_does_not_raise(app: App) -> None:
    from nonebot.message import handle_event

    with temporary_command("测试故障", _explode):
        async with app.test_api() as ctx:
            bot = ctx.create_bot(base=Bot, self_id=SELF_ID)
            event = group_message("测试故障")
            ctx.should_call_send(event, reply(APOLOGY), exception=ActionFailed(retcode=1200))
            await handle_event(bot, event)


LONG = "\n".join(f"第{i}段 " + "学习党章党规" * 30 for i in range(1, 40))


async def _send_long_text(bot: Bot, event: MessageEvent) -> None:
    from bot.messages import send_long

    await send_long(bot, event, LONG, title="学习资料")


async def test_long_reply_goes_as_one_forward_message(app: App) -> None:
    from bot.messages import split_text

    chunks = split_text(LONG)
    assert len(chunks) >= 3
    nodes = Message(
        MessageSegment.node_custom(
            user_id=int(SELF_ID), nickname="学习资料", content=Message(MessageSegment.text(chunk))
        )
        for chunk in chunks
    )
    with temporary_command("测试长文", _send_long_text):
        async with conversation(app) as chat:
            chat.says("测试长文").asks(
                "send_group_forward_msg", {"group_id": GROUP, "messages": nodes}, {"message_id": 7}
            )


async def test_refused_forward_falls_back_to_numbered_messages(app: App) -> None:
    from bot.messages import split_text

    chunks = split_text(LONG)
    nodes = Message(
        MessageSegment.node_custom(
            user_id=int(SELF_ID), nickname="学习资料", content=Message(MessageSegment.text(chunk))
        )
        for chunk in chunks
    )
    with temporary_command("测试长文", _send_long_text):
        async with conversation(app) as chat:
            said = chat.says_privately("测试长文", user_id=MEMBER).asks(
                "send_private_forward_msg",
                {"user_id": MEMBER, "messages": nodes},
                fails=ActionFailed(retcode=1404),
            )
            for index, chunk in enumerate(chunks, 1):
                said.answers_with(
                    reply(f"{chunk}\n（{index}/{len(chunks)}）"), result={"message_id": index}
                )
