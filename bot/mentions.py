"""@全体: whether a command asks for it, whether the bot may, and the message that does it.

Only an admin's or officer's command may ask for @全体, and only the bot adds the mention: the
text after it is still one plain text segment, so nothing a member typed can become one.
"""

from __future__ import annotations

import re

from nonebot.adapters import Bot, Message
from nonebot.adapters.onebot import v11, v12
from nonebot.exception import ActionFailed, NetworkError

from bot.deps import clean_text
from bot.messages import plain
from bot.outbox import Build
from bot.platform import member_info

_MENTION_TEXT = re.compile(r"[@＠](?:全体成员|全体|所有人|all|everyone)", re.IGNORECASE)


def asks_mention_all(arg: Message) -> bool:
    """Whether the command carries @全体 — typed as text or as a real mention segment."""
    for segment in arg:
        if segment.type == "at" and str(segment.data.get("qq")) == "all":
            return True
        if segment.type == "mention_all":
            return True
    return bool(_MENTION_TEXT.search(arg.extract_plain_text()))


def without_mention_all(text: str) -> str:
    """The command's text with a typed @全体 taken out."""
    return clean_text(_MENTION_TEXT.sub(" ", text))


async def may_mention_all(bot: Bot, group_id: str) -> str | None:
    """None when the bot may @全体 in the group now, else why not (in words)."""
    if not isinstance(bot, v11.Bot | v12.Bot):
        return "这个平台不支持@全体"
    info = await member_info(bot, group_id, bot.self_id)
    role = str(info.get("role") or info.get("qq.role") or "")
    if role not in ("admin", "owner"):
        return "机器人不是本群管理员"
    if isinstance(bot, v11.Bot):
        try:
            remain = await bot.call_api("get_group_at_all_remain", group_id=int(group_id))
        except (ActionFailed, NetworkError):
            remain = None  # not every implementation has it: the role decides
        if isinstance(remain, dict) and remain.get("can_at_all") is False:
            return "今天的@全体次数已用完"
    return None


def mention_all_message(text: str, bot: Bot) -> Message:
    """@全体 followed by `text` as plain text, for `bot`."""
    segment = (
        v11.MessageSegment.at("all")
        if isinstance(bot, v11.Bot)
        else v12.MessageSegment.mention_all()
    )
    return segment + plain(" " + text, bot)


def mention_all_build(text: str) -> Build:
    """The same, built for the account the outbox picks."""
    return lambda bot: mention_all_message(text, bot)
