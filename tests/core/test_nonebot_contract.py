"""What the message router (`bot.commands`, `bot.router`) relies on in NoneBot, as tests.

The router reaches into NoneBot beyond its public API: `Rule` calling a `Dependent` checker
with keyword arguments, `Matcher.remain_handlers`, `Matcher.HANDLER_PARAM_TYPES`, the command
trie's state keys. nonebot2 is pinned to the minor version these were checked against
(pyproject.toml); when an upgrade changes one of them, a test here fails and its message says
what changed. The conversations below check the same through the whole router.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from nonebot.adapters import Message
from nonebot.adapters.onebot.v11 import Bot
from nonebot.consts import CMD_ARG_KEY, CMD_KEY, CMD_WHITESPACE_KEY, PREFIX_KEY
from nonebot.dependencies import Dependent
from nonebot.matcher import Matcher
from nonebot.params import CommandArg, EventMessage
from nonebot.typing import T_State
from nonebug import App

from bot.deps import ArgText
from bot.features import CommandDoc, Feature
from tests.fake import SELF_ID, group_message, reply

APOLOGY = "抱歉，处理这条消息时出了点问题，已经记录下来。请稍后再试，或发送「帮助」。"

# A feature for these tests only: never registered, so 帮助 and 设置 do not list it.
SKIP = CommandDoc(name="契约跳过", usage="契约跳过", summary="-", examples=("契约跳过",))
MIXED = CommandDoc(name="契约混合", usage="契约混合", summary="-", examples=("契约混合 甲",))
REJECT = CommandDoc(name="契约重问", usage="契约重问", summary="-", examples=("契约重问",))
PAUSE = CommandDoc(name="契约暂停", usage="契约暂停", summary="-", examples=("契约暂停",))
CONTRACT = Feature(
    key="contract",
    name="契约",
    summary="-",
    commands=[SKIP, MIXED, REJECT, PAUSE],
    switchable=False,
)


@pytest.fixture
def routes() -> Iterator[None]:
    """Routes declared in a test are gone after it (their words stay in NoneBot's trie,
    where a word without a route is not a command), and so are temporary matchers a failed
    refusal of reject()/pause() would leave."""
    from bot import commands

    saved_routes, saved_interceptors = dict(commands._routes), list(commands._interceptors)
    try:
        yield
    finally:
        commands._routes.clear()
        commands._routes.update(saved_routes)
        commands._interceptors[:] = saved_interceptors
        for matcher in _temporary_matchers():
            matcher.destroy()


# --- the router is a plugin of its own ---------------------------------------------------


def test_the_router_matcher_belongs_to_the_router_plugin() -> None:
    from nonebot import get_plugin

    from bot.commands import router_matcher

    router = router_matcher()
    assert router.plugin_id == "router"
    assert router.module_name == "bot.router"
    plugin = get_plugin("router")
    assert plugin is not None
    assert plugin.metadata is not None
    assert plugin.metadata.type == "library"
    assert plugin.matcher == {router}
    # Before, the router was created by the first plugin that declared a command.
    settings = get_plugin("settings")
    assert settings is not None
    assert settings.matcher == set()


def test_one_message_matcher_serves_every_command() -> None:
    from nonebot.matcher import matchers

    from bot.commands import _routes, router_matcher
    from bot.features import command_words

    message_matchers = [m for level in matchers.values() for m in level if m.type == "message"]
    # The router, and the help plugin's answer to messages meant for the bot that are no
    # command (after the router).
    assert sorted((m.priority, m.module_name) for m in message_matchers) == [
        (10, "bot.router"),
        (99, "bot.help.handlers"),
    ]
    assert router_matcher() in message_matchers
    assert all((word,) in _routes for word in command_words())


def test_commands_cannot_be_declared_before_the_router_is_loaded(
    monkeypatch: pytest.MonkeyPatch, routes: None
) -> None:
    from bot import commands

    monkeypatch.setattr(commands, "_router_matcher", None)
    with pytest.raises(commands.RouterNotLoaded, match=r"契约跳过.*`bot\.router` is not loaded"):
        commands.command(CONTRACT, SKIP)
    with pytest.raises(commands.RouterNotLoaded, match=r"intercept\('x'\).*bot\.router"):
        commands.intercept("x", lambda bot, event, state: False)
    assert ("契约跳过",) not in commands._routes


def test_there_is_only_one_router() -> None:
    from bot.commands import attach_router, router_matcher

    with pytest.raises(RuntimeError, match="already exists"):
        attach_router(router_matcher())


# --- NoneBot internals, one by one -------------------------------------------------------


async def test_rule_calls_a_dependent_checker_with_bot_event_and_state(app: App) -> None:
    """`_DirectCheck` is a `Dependent` whose `__call__` reads `bot`, `event` and `state` from
    the keyword arguments `Rule` passes, skipping NoneBot's dependency solving."""
    from nonebot.rule import Rule

    seen: dict[str, Any] = {}

    class Recorder(Dependent[bool]):
        async def __call__(self, **kwargs: Any) -> bool:
            seen.update(kwargs)
            return True

    checker = Recorder(call=lambda: False)
    rule = Rule(checker)
    assert rule.checkers == {checker}, (
        "NoneBot's Rule no longer keeps a Dependent checker as given; the router's "
        "_DirectCheck would not be called"
    )
    async with app.test_api() as ctx:
        bot = ctx.create_bot(base=Bot, self_id=SELF_ID)
        event = group_message("契约")
        state: T_State = {}
        assert await rule(bot, event, state) is True, (
            "NoneBot's Rule no longer awaits the checker's __call__ and uses its result"
        )
    missing = {"bot", "event", "state"} - seen.keys()
    assert not missing, f"NoneBot's Rule no longer passes {sorted(missing)} to its checkers"
    assert (seen["bot"], seen["event"], seen["state"]) == (bot, event, state)
    assert seen["state"] is state, "NoneBot's Rule passes a copy of the state to checkers"


async def test_the_router_rule_is_its_direct_check(app: App) -> None:
    from nonebot.rule import TrieRule

    from bot.commands import STATE_ROUTE, _DirectCheck, router_matcher

    router = router_matcher()
    (checker,) = router.rule.checkers
    assert isinstance(checker, _DirectCheck)
    async with app.test_api() as ctx:
        bot = ctx.create_bot(base=Bot, self_id=SELF_ID)
        event = group_message("帮助 签到")
        state: T_State = {}
        TrieRule.get_value(bot, event, state)
        assert await router.rule(bot, event, state) is True
        assert state[STATE_ROUTE].doc.name == "帮助"


async def test_the_command_trie_fills_the_state_the_router_reads(app: App) -> None:
    """NoneBot matches command words before the rules run and leaves the result in
    `state[PREFIX_KEY]`; `_matches_a_route` and `ArgText` read it."""
    from nonebot.rule import TrieRule

    async with app.test_api() as ctx:
        bot = ctx.create_bot(base=Bot, self_id=SELF_ID)
        for text, arg, whitespace in (("/帮助 签到", "签到", " "), ("帮助签到", "签到", None)):
            state: T_State = {}
            TrieRule.get_value(bot, group_message(text), state)
            prefix = state.get(PREFIX_KEY)
            assert prefix is not None, "NoneBot's command trie no longer sets state[PREFIX_KEY]"
            assert prefix[CMD_KEY] == ("帮助",), f"state[PREFIX_KEY][CMD_KEY] changed: {prefix}"
            assert prefix[CMD_ARG_KEY].extract_plain_text() == arg, (
                f"state[PREFIX_KEY][CMD_ARG_KEY] changed: {prefix}"
            )
            assert prefix.get(CMD_WHITESPACE_KEY) == whitespace, (
                f"state[PREFIX_KEY][CMD_WHITESPACE_KEY] changed: {prefix}"
            )


def test_handler_param_types_cover_what_handlers_use() -> None:
    """Injected handlers are parsed with `Matcher.HANDLER_PARAM_TYPES` (bot/commands.py)."""
    from nonebot.internal.params import (
        BotParam,
        DefaultParam,
        DependParam,
        EventParam,
        MatcherParam,
        StateParam,
    )

    types = Matcher.HANDLER_PARAM_TYPES
    assert isinstance(types, tuple), "Matcher.HANDLER_PARAM_TYPES is no longer a tuple"
    for needed in (DependParam, BotParam, EventParam, StateParam, MatcherParam, DefaultParam):
        assert needed in types, f"Matcher.HANDLER_PARAM_TYPES lost {needed.__name__}"

    async def handler(
        bot: Bot, matcher: Matcher, state: T_State, arg: ArgText, message: Message = CommandArg()
    ) -> None: ...

    dependent = Dependent[Any].parse(call=handler, allow_types=types)
    assert [field.name for field in dependent.params] == [
        "bot",
        "matcher",
        "state",
        "arg",
        "message",
    ]


async def test_handlers_prepended_to_remain_handlers_run_next(app: App) -> None:
    """`dispatch` hands the handlers that need injection to NoneBot by prepending them to
    `Matcher.remain_handlers`, which NoneBot then runs in order, after the current one."""
    ran: list[str] = []

    async def injected(message: Message = EventMessage()) -> None:
        ran.append(f"injected:{message.extract_plain_text()}")

    prepended = Dependent[Any].parse(call=injected, allow_types=Matcher.HANDLER_PARAM_TYPES)

    async def first(matcher: Matcher) -> None:
        ran.append("first")
        assert isinstance(matcher.remain_handlers, list), (
            "Matcher.remain_handlers is no longer a list"
        )
        matcher.remain_handlers[:0] = [prepended]

    async def last() -> None:
        ran.append("last")

    matcher_class = Matcher.new("message", handlers=[first, last], priority=1000)
    try:
        matcher = matcher_class()
        assert [h.call for h in matcher.remain_handlers] == [first, last], (
            "a new Matcher's remain_handlers is no longer a copy of its handlers"
        )
        assert matcher.remain_handlers is not matcher_class.handlers
        async with app.test_api() as ctx:
            bot = ctx.create_bot(base=Bot, self_id=SELF_ID)
            await matcher.run(bot, group_message("契约"), {})
    finally:
        matcher_class.destroy()
    assert ran == ["first", "injected:契约", "last"], (
        f"NoneBot no longer runs what is prepended to Matcher.remain_handlers next: {ran}"
    )


# --- through the router ------------------------------------------------------------------


async def test_a_skipped_handler_moves_on_to_the_next(app: App, routes: None) -> None:
    from bot.commands import command

    route = command(CONTRACT, SKIP)
    ran: list[str] = []

    @route.handle()
    async def _(matcher: Matcher) -> None:  # called directly by the router
        ran.append("direct")
        matcher.skip()

    @route.handle()
    async def _(matcher: Matcher, message: Message = CommandArg()) -> None:  # by NoneBot
        ran.append("injected")
        matcher.skip()

    @route.handle()
    async def _(arg: ArgText) -> None:
        await route.finish(f"{' '.join(ran)} then last {arg}")

    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, self_id=SELF_ID)
        event = group_message("契约跳过 乙")
        ctx.receive_event(bot, event)
        ctx.should_call_send(event, "direct injected then last 乙", result={"message_id": 1})
        ctx.should_finished()


async def test_direct_and_injected_handlers_of_one_route_run_in_order(
    app: App, routes: None
) -> None:
    from bot.commands import command

    route = command(CONTRACT, MIXED)
    seen: list[str] = []

    @route.handle()
    async def _(arg: ArgText, state: T_State) -> None:
        seen.append(f"direct:{arg}")
        state["contract"] = "kept"

    @route.handle()
    async def _(arg: ArgText, state: T_State, message: Message = CommandArg()) -> None:
        seen.append(f"injected:{arg}|{message.extract_plain_text()}|{state['contract']}")

    @route.handle()
    async def _(arg: ArgText) -> None:
        await route.finish(" ".join([*seen, f"last:{arg}"]))

    from bot.commands import _routes

    assert [h.direct is not None for h in _routes[("契约混合",)].handlers] == [True, False, True]
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, self_id=SELF_ID)
        event = group_message("契约混合 甲  乙")
        ctx.receive_event(bot, event)
        ctx.should_call_send(
            event,
            "direct:甲 乙 injected:甲 乙|甲  乙|kept last:甲 乙",
            result={"message_id": 1},
        )
        ctx.should_finished()


# --- reject() / pause(): refused ---------------------------------------------------------


@pytest.fixture
def errors() -> Iterator[list[str]]:
    from nonebot import logger

    messages: list[str] = []
    sink = logger.add(lambda message: messages.append(str(message)), level="ERROR")
    try:
        yield messages
    finally:
        logger.remove(sink)


def _temporary_matchers() -> list[type[Matcher]]:
    from nonebot.matcher import matchers

    return [m for level in matchers.values() for m in level if m.temp]


@pytest.mark.parametrize(
    ("doc", "injected"),
    [(REJECT, False), (REJECT, True), (PAUSE, False), (PAUSE, True)],
    ids=["reject-direct", "reject-injected", "pause-direct", "pause-injected"],
)
async def test_reject_and_pause_are_refused_with_a_clear_error(
    app: App, routes: None, errors: list[str], doc: CommandDoc, injected: bool
) -> None:
    """A command answers one message: waiting for the next one is refused (the member gets
    the prompt, then the apology), no temporary matcher is left behind, and the member's
    next message is routed as usual. Conversations use `intercept` (plugins/README.md)."""
    from nonebot.message import handle_event

    from bot.commands import command

    route = command(CONTRACT, doc)
    kind = "reject" if doc is REJECT else "pause"

    async def wait_for_more(matcher: Matcher) -> None:
        if kind == "reject":
            await matcher.reject("请再说一遍")
        await matcher.pause("请再说一遍")

    async def wait_for_more_injected(matcher: Matcher, message: Message = CommandArg()) -> None:
        await wait_for_more(matcher)

    route.handle()(wait_for_more_injected if injected else wait_for_more)
    async with app.test_api() as ctx:
        bot = ctx.create_bot(base=Bot, self_id=SELF_ID)
        event = group_message(doc.name)
        ctx.should_call_send(event, "请再说一遍", result={"message_id": 1})
        ctx.should_call_send(event, reply(APOLOGY), result={"message_id": 2})
        await handle_event(bot, event)

        assert _temporary_matchers() == []
        following = group_message("帮助 群设置")
        ctx.should_call_send(following, reply(_settings_help()), result={"message_id": 3})
        await handle_event(bot, following)

    logged = "\n".join(errors)
    assert "ConversationRefused" in logged
    assert f"called matcher.{kind}()" in logged
    assert "wait_for_more" in logged
    assert "bot.commands.intercept(name, check)" in logged


def _settings_help() -> str:
    from bot.help.render import feature_help
    from bot.settings import FEATURE

    return feature_help(FEATURE)
