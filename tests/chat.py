""" "A member says X, the bot answers Y": the one helper of the nonebug conversation tests.

    async with conversation(app) as chat:
        chat.says("签到", card="张三").answers("张三 ✅ 签到成功！…")
        chat.admin_says("开启 图片卡片").answers("已开启「图片卡片」。")
        chat.says("普通聊天")  # and nothing else: the bot must stay silent

nonebug checks, when the block ends, that every expected call was made in order and that
nothing else was sent; a message without expectations therefore asserts silence.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Self

from nonebot.adapters import Bot as BaseBot
from nonebot.adapters import Event
from nonebot.adapters import Message as BaseMessage
from nonebot.adapters import MessageSegment as BaseMessageSegment
from nonebot.adapters.onebot.v11 import Bot, Message
from nonebug import App

from tests.fake import ADMIN, GROUP, MEMBER, SELF_ID, Role, group_message, private_message, reply

OK = {"message_id": 1}
"""What the fake platform answers to a send."""


class Said:
    """One message the bot receives; chain what the bot is expected to do about it."""

    def __init__(self, ctx: Any, bot: BaseBot, event: Event) -> None:
        self._ctx = ctx
        self.bot = bot
        self.event = event

    def answers(self, *texts: str) -> Self:
        """The bot replies with these plain-text messages (OneBot v11), in this order."""
        for text in texts:
            self._ctx.should_call_send(self.event, reply(text), result=OK)
        return self

    def answers_with(
        self,
        message: str | BaseMessage | BaseMessageSegment,
        *,
        result: Any = OK,
        fails: Exception | None = None,
    ) -> Self:
        """The bot replies with this message (an image, a forward, another adapter's text …);
        the platform answers `result`, or with `fails` refuses it with that exception."""
        if fails is not None:
            self._ctx.should_call_send(self.event, message, exception=fails)
        else:
            self._ctx.should_call_send(self.event, message, result=result)
        return self

    def asks(
        self, api: str, data: dict[str, Any], result: Any = None, *, fails: Exception | None = None
    ) -> Self:
        """The bot calls a platform API (e.g. get_group_member_list) and gets `result`, or with
        `fails` the platform refuses the call with that exception."""
        if fails is not None:
            self._ctx.should_call_api(api, data, exception=fails)
        else:
            self._ctx.should_call_api(api, data, result)
        return self


class Conversation:
    """A chat with one bot: members, admins and private senders talk to it."""

    def __init__(self, ctx: Any, bot: BaseBot) -> None:
        self.ctx = ctx
        self.bot = bot

    def receives(self, event: Event) -> Said:
        """Any event (for the odd ones: files, notices, malformed messages)."""
        self.ctx.receive_event(self.bot, event)
        return Said(self.ctx, self.bot, event)

    def says(
        self,
        text: str | Message,
        *,
        user_id: int = MEMBER,
        group_id: int = GROUP,
        role: Role | None = "member",
        card: str = "",
        nickname: str = "测试用户",
        to_me: bool = False,
    ) -> Said:
        """A group member says `text` in the group."""
        return self.receives(
            group_message(
                text,
                user_id=user_id,
                group_id=group_id,
                role=role,
                card=card,
                nickname=nickname,
                to_me=to_me,
            )
        )

    def admin_says(self, text: str | Message, **kwargs: Any) -> Said:
        """A group administrator says `text` in the group."""
        kwargs.setdefault("user_id", ADMIN)
        return self.says(text, role="admin", **kwargs)

    def says_privately(self, text: str | Message, *, user_id: int = MEMBER) -> Said:
        """Someone says `text` to the bot in private chat."""
        return self.receives(private_message(text, user_id=user_id))


@asynccontextmanager
async def conversation(
    app: App, *, base: type[BaseBot] = Bot, self_id: Any = SELF_ID, **bot_options: Any
) -> AsyncIterator[Conversation]:
    """A conversation with a fresh bot of `base` (OneBot v11 by default). Other adapters' bots
    take their own `self_id` (the console: a Robot) and options (OneBot v12: platform, impl)."""
    async with app.test_matcher() as ctx:
        yield Conversation(ctx, ctx.create_bot(base=base, self_id=self_id, **bot_options))
