"""The command router calls handlers directly when it knows every parameter."""

from __future__ import annotations

from nonebot.adapters import Bot, Event, Message
from nonebot.adapters.onebot import v11
from nonebot.matcher import Matcher
from nonebot.params import CommandArg
from nonebot.typing import T_State

from bot.deps import ArgText, CallerRole, CurrentChat


async def plain_types(bot: Bot, event: Event, matcher: Matcher, state: T_State) -> None: ...


async def project_aliases(chat: CurrentChat, arg: ArgText, role: CallerRole) -> None: ...


async def with_a_default(arg: ArgText, message: Message = CommandArg()) -> None: ...


async def a_platform_bot(bot: v11.Bot) -> None: ...


def not_a_coroutine(bot: Bot) -> None: ...


def test_which_handlers_are_called_directly() -> None:
    from bot.commands import _direct_parameters

    direct = _direct_parameters(plain_types)
    assert direct is not None
    assert [name for name, _ in direct] == ["bot", "event", "matcher", "state"]
    aliases = _direct_parameters(project_aliases)
    assert aliases is not None
    assert [name for name, _ in aliases] == ["chat", "arg", "role"]
    # Anything else keeps NoneBot's full injection: defaults such as CommandArg(), a
    # platform's own Bot class (NoneBot skips the handler on other platforms), sync handlers.
    assert _direct_parameters(with_a_default) is None
    assert _direct_parameters(a_platform_bot) is None
    assert _direct_parameters(not_a_coroutine) is None


def test_the_commands_that_need_full_injection_are_few() -> None:
    """`提醒` and `修改提醒` take CommandArg() (their tests cover that path); the rest are
    called directly. A new handler that falls back by accident shows up here."""
    from bot.commands import _interceptors, _routes

    targets = {id(t): t for t in [*_routes.values(), *_interceptors]}.values()
    injected = sorted(repr(t) for t in targets for h in t.handlers if h.direct is None)
    assert injected == ["Route('修改提醒' of reminder)", "Route('提醒' of reminder)"]
