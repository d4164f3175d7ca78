"""Fake events with fixed ids, for nonebug tests.

GROUP is the test group; MEMBER, ADMIN and OWNER have those roles there; SUPERUSER is in
SUPERUSERS. Messages are built as text segments, as QQ implementations send them.
"""

from __future__ import annotations

import itertools
import time
from typing import Literal

from nonebot.adapters.onebot.v11 import (
    GroupMessageEvent,
    Message,
    MessageSegment,
    PrivateMessageEvent,
)
from nonebot.adapters.onebot.v11.event import Sender

SELF_ID = "10000"
GROUP = 1000
OTHER_GROUP = 1001
MEMBER = 2001
MEMBER_2 = 2004
ADMIN = 2002
OWNER = 2003
SUPERUSER = 9999

_ids = itertools.count(1)

Role = Literal["member", "admin", "owner"]


def group_message(
    text: str | Message,
    *,
    user_id: int = MEMBER,
    group_id: int = GROUP,
    role: Role | None = "member",
    card: str = "",
    nickname: str = "测试用户",
    to_me: bool = False,
) -> GroupMessageEvent:
    message = text if isinstance(text, Message) else Message(MessageSegment.text(text))
    return GroupMessageEvent(
        time=int(time.time()),
        self_id=int(SELF_ID),
        post_type="message",
        sub_type="normal",
        user_id=user_id,
        message_type="group",
        message_id=next(_ids),
        message=message,
        original_message=message,
        raw_message=str(message),
        font=0,
        sender=Sender(user_id=user_id, nickname=nickname, card=card, role=role),
        group_id=group_id,
        to_me=to_me,
    )


def private_message(text: str | Message, *, user_id: int = MEMBER) -> PrivateMessageEvent:
    message = text if isinstance(text, Message) else Message(MessageSegment.text(text))
    return PrivateMessageEvent(
        time=int(time.time()),
        self_id=int(SELF_ID),
        post_type="message",
        sub_type="friend",
        user_id=user_id,
        message_type="private",
        message_id=next(_ids),
        message=message,
        original_message=message,
        raw_message=str(message),
        font=0,
        sender=Sender(user_id=user_id, nickname="测试用户"),
        to_me=True,
    )


def reply(text: str) -> Message:
    """What the bot sends for a reply of plain text."""
    return Message(MessageSegment.text(text))
