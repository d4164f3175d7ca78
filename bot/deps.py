"""Dependency aliases, so a handler's signature says what it uses.

async def _(chat: CurrentChat, arg: ArgText): ...
"""

from __future__ import annotations

import unicodedata
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from nonebot.adapters import Bot, Event
from nonebot.consts import CMD_ARG_KEY, PREFIX_KEY
from nonebot.matcher import Matcher
from nonebot.params import Depends
from nonebot.typing import T_State

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


def _arg_of(state: T_State) -> str:
    arg = (state.get(PREFIX_KEY) or {}).get(CMD_ARG_KEY)
    return clean_text(arg.extract_plain_text()) if arg is not None else ""


async def _arg_text(state: T_State) -> str:
    return _arg_of(state)


async def _caller_role(bot: Bot, event: Event) -> Role:
    return await role_of(bot, event)


CurrentChat = Annotated[Chat, Depends(_current_chat)]
"""The chat of this message as plain values."""

ArgText = Annotated[str, Depends(_arg_text)]
"""The command's argument as cleaned plain text ('' when none)."""

CallerRole = Annotated[Role, Depends(_caller_role)]
"""The caller's role, asked afresh (SUPERUSER > owner > admin > member)."""


Resolver = Callable[[Bot, Event, Matcher, T_State], Awaitable[Any]]


async def _bot(bot: Bot, event: Event, matcher: Matcher, state: T_State) -> Bot:
    return bot


async def _event(bot: Bot, event: Event, matcher: Matcher, state: T_State) -> Event:
    return event


async def _matcher(bot: Bot, event: Event, matcher: Matcher, state: T_State) -> Matcher:
    return matcher


async def _state(bot: Bot, event: Event, matcher: Matcher, state: T_State) -> T_State:
    return state


async def _chat(bot: Bot, event: Event, matcher: Matcher, state: T_State) -> Chat:
    return await _current_chat(bot, event, matcher)


async def _arg(bot: Bot, event: Event, matcher: Matcher, state: T_State) -> str:
    return _arg_of(state)


async def _role(bot: Bot, event: Event, matcher: Matcher, state: T_State) -> Role:
    return await role_of(bot, event)


DIRECT: dict[Any, Resolver] = {
    Bot: _bot,
    Event: _event,
    Matcher: _matcher,
    T_State: _state,
    CurrentChat: _chat,
    ArgText: _arg,
    CallerRole: _role,
}
"""What the command router hands a handler parameter of each of these types without going
through NoneBot's dependency solver (which starts a task per parameter): the same values, a
fraction of the cost. Handlers asking for anything else get NoneBot's full injection."""
