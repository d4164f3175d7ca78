"""What the core needs to know about a chat, independent of the adapter.

Every feature works with plain values — a `Chat` (which group or private chat, which user,
which bot account) — and asks this module for what only the platform knows (roles, member
lists). OneBot v11, OneBot v12 and the console adapter are supported; the console's public
channels count as groups so a newcomer can try every feature in the terminal.
"""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from enum import IntEnum
from typing import Any, Literal

from nonebot import logger
from nonebot.adapters import Bot, Event
from nonebot.adapters.onebot import v11, v12
from nonebot.exception import ActionFailed, NetworkError
from nonebot.permission import SUPERUSER

ChatKind = Literal["group", "private"]


class Role(IntEnum):
    """A caller's standing in a chat; higher may do everything lower may.

    OFFICER is a branch officer from the roster (书记, 组织委员 …) who is a plain member of
    the chat on the platform: they may use admin commands like the chat's owner and admins.
    """

    MEMBER = 0
    OFFICER = 1
    ADMIN = 2
    OWNER = 3
    SUPERUSER = 4

    @property
    def is_admin(self) -> bool:
        """May use the chat's admin commands (officers included)."""
        return self >= Role.OFFICER


_ROLE_NAMES = {"owner": Role.OWNER, "admin": Role.ADMIN, "member": Role.MEMBER}


@dataclass(frozen=True, slots=True)
class Chat:
    """Where a message came from, as plain values."""

    kind: ChatKind
    chat_id: str
    """The group id, or for a private chat the user's id."""
    user_id: str
    bot_id: str
    adapter: str
    platform: str = "qq"
    """`platform_of(bot)`: the namespace of chat_id and user_id ("qq", "console" …)."""

    @property
    def is_group(self) -> bool:
        return self.kind == "group"

    @property
    def group_id(self) -> str | None:
        return self.chat_id if self.kind == "group" else None


QQ = "qq"
"""Platform name of QQ accounts (OneBot v11, and OneBot v12 implementations for QQ)."""
CONSOLE = "console"


def platform_of(bot: Bot) -> str:
    """The namespace of a bot's chat and user ids, as stored with roster accounts and branch
    chats: "qq" for OneBot v11 (and v12 that names no other platform), "console" for the
    terminal, else the OneBot v12 platform or the adapter's name in lower case."""
    if isinstance(bot, v11.Bot):
        return QQ
    if isinstance(bot, v12.Bot):
        return (bot.platform or QQ).lower()
    if is_console_bot(bot):
        return CONSOLE
    return bot.adapter.get_name().lower().replace(" ", "")


OfficerCheck = Callable[[str, str, str | None], Awaitable[bool]]
"""(platform, user_id, group_id or None for a private chat) -> the user is an officer of the
branch of that group (private: of their own branch)."""

_officer_check: OfficerCheck | None = None


def set_officer_check(check: OfficerCheck) -> None:
    """Called once by the `bot.roster` library plugin: how `role_of` recognises officers."""
    global _officer_check
    _officer_check = check


def chat_of(bot: Bot, event: Event) -> Chat | None:
    """The chat of a message event, or None for events that are not messages."""
    adapter = bot.adapter.get_name()
    match event:
        case v11.GroupMessageEvent():
            kind, chat_id = "group", str(event.group_id)
        case v11.PrivateMessageEvent():
            kind, chat_id = "private", str(event.user_id)
        case v12.GroupMessageEvent():
            kind, chat_id = "group", event.group_id
        case v12.ChannelMessageEvent():
            kind, chat_id = "group", f"{event.guild_id}/{event.channel_id}"
        case v12.PrivateMessageEvent():
            kind, chat_id = "private", event.user_id
        case _ if _CONSOLE_MODULE in sys.modules:
            return _console_chat(bot, event)
        case _:
            return None
    return Chat(kind, chat_id, event.get_user_id(), bot.self_id, adapter, platform_of(bot))


_CONSOLE_MODULE = "nonebot.adapters.console"
"""nonebot-adapter-console is imported only in console mode (it costs about 0.4 s of every
start-up, CLI commands included); until it is, no bot or event can be one of its own."""


def is_console_bot(bot: Bot) -> bool:
    console = sys.modules.get(_CONSOLE_MODULE)
    return console is not None and isinstance(bot, console.Bot)


def _console_chat(bot: Bot, event: Event) -> Chat | None:
    from nonebot.adapters.console.event import MessageEvent, PrivateMessageEvent

    match event:
        case PrivateMessageEvent():
            kind, chat_id = "private", event.user.id
        case MessageEvent():
            kind, chat_id = "group", event.channel.id
        case _:
            return None
    return Chat(kind, chat_id, event.get_user_id(), bot.self_id, bot.adapter.get_name(), CONSOLE)


async def role_of(bot: Bot, event: Event) -> Role:
    """The caller's role, asked afresh on every call.

    SUPERUSERS first; then the role the event carries (OneBot v11 `sender.role`); when the
    event lacks it, the platform is asked (`get_group_member_info`). A plain member is then
    looked up in the roster (one query): an officer of the chat's branch is OFFICER. Anything
    unknown is a plain member: a failed lookup never grants rights. Only admin checks call
    this, so ordinary commands never pay for the lookups.
    """
    if await SUPERUSER(bot, event):
        return Role.SUPERUSER
    chat = chat_of(bot, event)
    if chat is not None:
        group_id = chat.group_id
    else:  # a notice (e.g. a group upload) names its group but carries no role
        group_id = str(getattr(event, "group_id", "") or "") or None
    role = Role.MEMBER
    if isinstance(event, v11.GroupMessageEvent) and event.sender.role:
        role = _ROLE_NAMES.get(event.sender.role, Role.MEMBER)
    elif group_id is not None:
        info = await member_info(bot, group_id, event.get_user_id())
        role = _ROLE_NAMES.get(str(info.get("role") or info.get("qq.role") or ""), Role.MEMBER)
    if (
        role is Role.MEMBER
        and _officer_check is not None
        and await _officer_check(platform_of(bot), event.get_user_id(), group_id)
    ):
        return Role.OFFICER
    return role


async def member_info(bot: Bot, group_id: str, user_id: str) -> Mapping[str, Any]:
    """The platform's record of one group member (empty when it cannot tell)."""
    try:
        if isinstance(bot, v11.Bot):
            return await bot.get_group_member_info(
                group_id=int(group_id), user_id=int(user_id), no_cache=True
            )
        if isinstance(bot, v12.Bot) and "/" not in group_id:
            return await bot.get_group_member_info(group_id=group_id, user_id=user_id)
    except (ActionFailed, NetworkError, ValueError) as e:
        logger.warning(f"get_group_member_info({group_id}, {user_id}) failed: {e}")
    return {}


@dataclass(frozen=True, slots=True)
class Member:
    user_id: str
    name: str
    """Group card if set, else nickname."""
    role: Role
    is_bot: bool = False


async def group_members(bot: Bot, group_id: str) -> list[Member] | None:
    """Everyone in a group as the platform lists it, or None when it cannot."""
    try:
        if isinstance(bot, v11.Bot):
            rows = await bot.get_group_member_list(group_id=int(group_id))
        elif isinstance(bot, v12.Bot) and "/" not in group_id:
            rows = await bot.get_group_member_list(group_id=group_id)
        else:
            return None
    except (ActionFailed, NetworkError, ValueError) as e:
        logger.warning(f"get_group_member_list({group_id}) failed: {e}")
        return None
    members: list[Member] = []
    for row in rows:
        user_id = str(row.get("user_id", ""))
        if not user_id:
            continue
        name = row.get("card") or row.get("nickname") or row.get("user_displayname") or ""
        name = name or row.get("user_name") or user_id
        members.append(
            Member(
                user_id=user_id,
                name=str(name),
                role=_ROLE_NAMES.get(str(row.get("role", "")), Role.MEMBER),
                is_bot=bool(row.get("is_robot") or row.get("is_bot")) or user_id == bot.self_id,
            )
        )
    return members


def sender_name(event: Event) -> str | None:
    """The display name the event carries (group card, else nickname), if any."""
    match event:
        case v11.MessageEvent():
            return event.sender.card or event.sender.nickname or None
        case _ if _CONSOLE_MODULE in sys.modules:
            from nonebot.adapters.console.event import MessageEvent

            return event.user.nickname if isinstance(event, MessageEvent) else None
    return None
