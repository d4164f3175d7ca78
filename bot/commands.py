"""How a feature declares a command, and the one message matcher that serves them all.

NoneBot checks every matcher of a priority level for every message, at a cost of a few
tasks each (measured: each extra `on_command` costs ~0.4 ms per message on this project's
benchmark machine, so 25 commands would cut throughput to a tenth). So the bot has a single
command matcher, the router: each command word is registered in NoneBot's command trie (the
same trie `on_command` uses), and the router runs the handlers of the command that matched.
The matcher belongs to the library plugin `bot.router`, loaded before every plugin that
declares commands; this module is the API features import.

Messages that belong to a feature without being commands (a bare answer in a practice round,
a file sent privately) are registered with `intercept(name, check)` and go through the same
matcher, so every message costs NoneBot one matcher check, whatever the number of features.

A feature writes it the NoneBot way — handlers with dependency injection, `finish` to reply:

    sign_in = command(FEATURE, SIGN_IN)

    @sign_in.handle()
    async def _(chat: CurrentChat, arg: ArgText) -> None:
        await sign_in.finish(plain("…"))

Every command answers with or without `/`, only when the word stands alone or is followed by
a space (`提醒大家开会` is chat, not `提醒`), and stops the event there. `guard` runs first:
over-long input, wrong chat type, a feature switched off here, non-admins for admin commands
— each refused with a one-line Chinese reason. `usage_error(reason)` answers bad arguments.

A command answers one message. `matcher.reject()` / `matcher.pause()` (NoneBot's way of
waiting for the member's next message) are refused with `ConversationRefused`: they would hand
the next message to a temporary matcher outside the router, kept in one process's memory. A
conversation over several messages keeps its state in a service (the database) and takes the
next message with `intercept(name, check)` — see plugins/README.md.

What this relies on in NoneBot (pinned in pyproject.toml; tests/core/test_nonebot_contract.py
fails when an upgrade changes it): `Rule` calls a `Dependent` checker with `bot`, `event` and
`state` keyword arguments; `Matcher.remain_handlers` is the list of handlers NoneBot still
runs for this event, which the router may prepend to; `Matcher.HANDLER_PARAM_TYPES` parses
injected handlers; the command trie puts `PREFIX_KEY` into the state before rules run.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, NoReturn, get_type_hints

from nonebot.adapters import Bot, Event, Message, MessageSegment, MessageTemplate
from nonebot.consts import CMD_ARG_KEY, CMD_KEY, CMD_WHITESPACE_KEY, PREFIX_KEY
from nonebot.dependencies import Dependent
from nonebot.exception import PausedException, RejectedException, SkippedException
from nonebot.matcher import Matcher, current_bot, current_event, current_matcher
from nonebot.rule import Rule
from nonebot.rule import command as trie_command
from nonebot.typing import T_State

from bot.config import core_config
from bot.deps import DIRECT, Resolver
from bot.features import CommandDoc, Feature
from bot.messages import plain
from bot.platform import chat_of, role_of

STATE_ROUTE = "_bot_route"

ADMIN_ONLY = "「{name}」只有群主、群管理员、支委或机器人超级管理员可以使用。"


class UsageError(Exception):
    """A wrong or missing argument: the message is shown with the command's example."""

    def __init__(self, reason: str, example: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.example = example


class RouterNotLoaded(RuntimeError):
    """A command or interceptor was declared before the `bot.router` plugin was loaded."""


class ConversationRefused(RuntimeError):
    """A command or interceptor handler called `reject()` or `pause()`."""


def _refusal(where: str, exc: BaseException) -> ConversationRefused:
    kind = "pause" if isinstance(exc, PausedException) else "reject"
    return ConversationRefused(
        f"{where} called matcher.{kind}(): the message router answers one message per "
        "command, so NoneBot's reject()/pause()/got() are not supported (the next message "
        "would go to a temporary matcher outside the router, in this process's memory only). "
        "Keep the conversation's state in a service and take the member's next message with "
        "bot.commands.intercept(name, check); see plugins/README.md."
    )


def _is_conversation_control(exc: BaseException) -> bool:
    if isinstance(exc, RejectedException | PausedException):
        return True
    if isinstance(exc, BaseExceptionGroup):
        return exc.subgroup((RejectedException, PausedException)) is not None
    return False


def _where(func: Callable[..., Any]) -> str:
    code = getattr(func, "__code__", None)
    line = f":{code.co_firstlineno}" if code is not None else ""
    return f"the handler {func.__module__}.{func.__qualname__}{line}"


class _OneMessageDependent(Dependent[Any]):
    """An injected handler as NoneBot runs it from `remain_handlers`, with reject()/pause()
    refused like in the handlers the router calls itself."""

    async def __call__(self, **kwargs: Any) -> Any:
        try:
            return await super().__call__(**kwargs)
        except BaseException as e:
            if _is_conversation_control(e):
                raise _refusal(_where(self.call), e) from e
            raise


class _Handler:
    """A handler of a command or interceptor.

    When every parameter is of a type in `bot.deps.DIRECT` (Bot, Event, CurrentChat, ArgText
    …), the router calls it with those values itself; otherwise it goes through NoneBot's
    dependency injection like any matcher handler. Same values either way: the direct call
    only saves NoneBot's task per parameter (measured in bench/compare.py, see the README).
    """

    def __init__(self, func: Callable[..., Any]) -> None:
        self.func = func
        self.direct = _direct_parameters(func)
        self._dependent: Dependent[Any] | None = None

    @property
    def dependent(self) -> Dependent[Any]:
        if self._dependent is None:
            self._dependent = _OneMessageDependent.parse(
                call=self.func, allow_types=Matcher.HANDLER_PARAM_TYPES
            )
        return self._dependent

    async def call(self, bot: Bot, event: Event, matcher: Matcher, state: T_State) -> None:
        assert self.direct is not None
        values = {name: await resolve(bot, event, matcher, state) for name, resolve in self.direct}
        try:
            await self.func(**values)
        except BaseException as e:
            if _is_conversation_control(e):
                raise _refusal(_where(self.func), e) from e
            raise


def _direct_parameters(func: Callable[..., Any]) -> list[tuple[str, Resolver]] | None:
    """(name, resolver) for each parameter, or None when one needs NoneBot's injection."""
    if not inspect.iscoroutinefunction(func):
        return None
    try:
        hints = get_type_hints(func, include_extras=True)
    except Exception:  # unresolvable annotations: let NoneBot report them
        return None
    resolved: list[tuple[str, Resolver]] = []
    for name, parameter in inspect.signature(func).parameters.items():
        if parameter.kind not in (parameter.POSITIONAL_OR_KEYWORD, parameter.KEYWORD_ONLY):
            return None
        if parameter.default is not parameter.empty:
            return None
        try:
            resolver = DIRECT.get(hints.get(name))
        except TypeError:  # an unhashable annotation
            return None
        if resolver is None:
            return None
        resolved.append((name, resolver))
    return resolved


class _Target:
    """Something the message router runs handlers for (a command, or an interceptor)."""

    def __init__(self) -> None:
        self.handlers: list[_Handler] = []

    def handle(self) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Add a handler; it takes NoneBot dependencies exactly like a matcher's handler."""

        def decorator(func: Callable[..., Any]) -> Callable[..., Any]:
            self.handlers.append(_Handler(func))
            return func

        return decorator

    @staticmethod
    async def send(message: str | Message | MessageSegment | MessageTemplate, **kwargs: Any) -> Any:
        return await current_matcher.get().send(message, **kwargs)

    @staticmethod
    async def finish(
        message: str | Message | MessageSegment | MessageTemplate | None = None, **kwargs: Any
    ) -> NoReturn:
        await current_matcher.get().finish(message, **kwargs)
        raise AssertionError("unreachable")  # finish raises FinishedException


class Route(_Target):
    """One documented command and its handlers."""

    def __init__(self, feature: Feature, doc: CommandDoc) -> None:
        super().__init__()
        self.feature = feature
        self.doc = doc

    def __repr__(self) -> str:
        return f"Route({self.doc.name!r} of {self.feature.key})"


_routes: dict[tuple[str, ...], Route] = {}


def command(feature: Feature, doc: CommandDoc) -> Route:
    """Register a documented command of `feature`; returns the route to add handlers to."""
    _require_router(f"command({feature.key}, {doc.name!r})")
    if doc not in feature.commands:
        raise ValueError(f"{doc.name} is not documented in feature {feature.key}")
    for word in doc.words:
        if (word,) in _routes:
            raise ValueError(f"command word {word!r} is already taken by {_routes[(word,)]}")
    trie_command(*doc.words)  # puts the words into NoneBot's command trie
    route = Route(feature, doc)
    for word in doc.words:
        _routes[(word,)] = route
    return route


Check = Callable[[Bot, Event, T_State], bool]


class Interceptor(_Target):
    """Messages that are not commands but belong to a feature: a member's bare `B` in a
    practice round, a file sent privately. The check runs for every message that is not a
    command, so it must be cheap and synchronous; when it says yes, the handlers run (no guard)."""

    def __init__(self, name: str, check: Check) -> None:
        super().__init__()
        self.name = name
        self.check = check

    def __repr__(self) -> str:
        return f"Interceptor({self.name!r})"


_interceptors: list[Interceptor] = []


def intercept(name: str, check: Check) -> Interceptor:
    """Register messages a feature takes although they are not commands.

    This is also how a feature holds a conversation over several messages: the command keeps
    the conversation's state in a service (e.g. a practice round in the database), and the
    check asks that state whether this member's message is the awaited reply."""
    _require_router(f"intercept({name!r})")
    interceptor = Interceptor(name, check)
    _interceptors.append(interceptor)
    return interceptor


def _matches_a_route(bot: Bot, event: Event, state: T_State) -> bool:
    prefix = state.get(PREFIX_KEY) or {}
    route = _routes.get(prefix.get(CMD_KEY) or ())
    # Like on_command(force_whitespace=True): text right after the word means it is chat.
    glued = prefix.get(CMD_ARG_KEY) and prefix.get(CMD_WHITESPACE_KEY) is None
    if route is not None and not glued:
        state[STATE_ROUTE] = route
        return True
    for interceptor in _interceptors:
        if interceptor.check(bot, event, state):
            state[STATE_ROUTE] = interceptor
            return True
    return False


class _DirectCheck(Dependent[bool]):
    """The router's rule checker, which NoneBot calls without solving dependencies: the check
    only reads what NoneBot's command trie put into the state (and the interceptors' cheap
    checks), so solving `bot`, `event` and `state` as injected parameters on every message
    would cost more than the check itself. `Rule` passes them as keyword arguments."""

    async def __call__(self, **kwargs: Any) -> bool:
        return _matches_a_route(kwargs["bot"], kwargs["event"], kwargs["state"])


def router_rule() -> Rule:
    """The rule of the router matcher: the message is a command or an interceptor's."""
    return Rule(_DirectCheck(call=_matches_a_route))


ROUTER_PRIORITY = 10
"""Priority of the router matcher (notices and the help fallback come after it)."""


async def dispatch() -> None:
    """The router's one handler: the guard, then the target's handlers in order."""
    matcher = current_matcher.get()
    bot, event, state = current_bot.get(), current_event.get(), matcher.state
    target: Route | Interceptor = state[STATE_ROUTE]
    if isinstance(target, Route):
        await guard(bot, event, matcher, state)
    for index, handler in enumerate(target.handlers):
        if handler.direct is None:
            # From here on NoneBot runs them, with its full dependency injection.
            matcher.remain_handlers[:0] = [h.dependent for h in target.handlers[index:]]
            return
        try:
            await handler.call(bot, event, matcher, state)
        except SkippedException:
            continue


_router_matcher: type[Matcher] | None = None


def attach_router(matcher: type[Matcher]) -> None:
    """Called once by the `bot.router` plugin with the matcher it created."""
    global _router_matcher
    if _router_matcher is not None:
        raise RuntimeError(f"the message router already exists: {_router_matcher}")
    _router_matcher = matcher


def router_matcher() -> type[Matcher]:
    """The one message matcher that serves every command and interceptor."""
    return _require_router("router_matcher()")


def _require_router(what: str) -> type[Matcher]:
    if _router_matcher is None:
        raise RouterNotLoaded(
            f"{what}: the message router plugin `bot.router` is not loaded. Load it before "
            "any plugin that declares commands (bot.app.CORE_PLUGINS loads it first), or "
            'add `nonebot.require("bot.router")` at the top of the plugin.'
        )
    return _router_matcher


async def guard(bot: Bot, event: Event, matcher: Matcher, state: T_State) -> None:
    route: Route = state[STATE_ROUTE]
    doc, feature = route.doc, route.feature
    chat = chat_of(bot, event)
    if chat is None:
        await matcher.finish()
    limit = core_config().bot_max_input_chars
    length = len(event.get_plaintext())
    if length > limit:
        await matcher.finish(plain(f"消息太长了（{length}字），请控制在{limit}字以内。"))
    if doc.where == "group" and not chat.is_group:
        await matcher.finish(plain(f"「{doc.name}」请在群里使用。例：{doc.examples[0]}"))
    if doc.where == "private" and chat.is_group:
        await matcher.finish(plain(f"「{doc.name}」请私聊我使用。例：{doc.examples[0]}"))
    if feature.switchable and chat.is_group:
        from bot.settings.service import is_enabled

        if not await is_enabled(chat.chat_id, feature):
            await matcher.finish(
                plain(f"本群已关闭「{feature.name}」。管理员可发送：开启 {feature.name}")
            )
    if doc.admin and not (await role_of(bot, event)).is_admin:
        await matcher.finish(plain(ADMIN_ONLY.format(name=doc.name)))


async def usage_error(reason: str, example: str | None = None) -> NoReturn:
    """Finish the current command with a one-line reason and a working example."""
    matcher = current_matcher.get()
    route = matcher.state.get(STATE_ROUTE)
    example = example or (route.doc.examples[0] if isinstance(route, Route) else None)
    await matcher.finish(plain(f"{reason}\n例：{example}" if example else reason))
    raise AssertionError("unreachable")
