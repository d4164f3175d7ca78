"""Dependency aliases, so a handler's signature says what it uses.

async def _(chat: CurrentChat, arg: ArgText): ...
"""

from __future__ import annotations

import unicodedata
from typing import Annotated

from nonebot.adapters import Bot, Event, Message
from nonebot.matcher import Matcher
from nonebot.params import CommandArg, Depends

from bot.platform import Chat, Role, chat_of, role_of

_INVISIBLE = {"Cf", "Cc", "Cs", "Co", "Cn"}


def clean_text(text: str, *, fold: bool = False) -> str:
    """Text as members mean it: invisible and control characters (zero-width, bidi marks,
    lone surrogates) removed, runs of whitespace made one space.

    `fold=True` also applies NFKC, so full-width letters, digits and punctuation become ASCII
    — right for parsing answers and numbers, wrong for free text such as a study note, whose
    Chinese punctuation (，。) must stay as typed.
    """
    if fold:
        text = unicodedata.normalize("NFKC", text)
    text = "".join(
        ch if unicodedata.category(ch) not in _INVISIBLE else (" " if ch in "\n\t\r" else "")
        for ch in text
    )
    return " ".join(text.split())


async def _current_chat(bot: Bot, event: Event, matcher: Matcher) -> Chat:
    chat = chat_of(bot, event)
    if chat is None:
        await matcher.finish()
    return chat


async def _arg_text(arg: Message = CommandArg()) -> str:
    return clean_text(arg.extract_plain_text())


async def _caller_role(bot: Bot, event: Event) -> Role:
    return await role_of(bot, event)


CurrentChat = Annotated[Chat, Depends(_current_chat)]
"""The chat of this message as plain values."""

ArgText = Annotated[str, Depends(_arg_text)]
"""The command's argument as cleaned plain text ('' when none)."""

CallerRole = Annotated[Role, Depends(_caller_role)]
"""The caller's role, asked afresh (SUPERUSER > owner > admin > member)."""
