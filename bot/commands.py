"""How a feature declares a command: one call that wires NoneBot and the core rules together.

`command(feature, doc)` gives an `on_command` matcher that
- answers with or without the `/` prefix, and only when the command word stands alone or is
  followed by a space (`提醒大家开会` is chat, not the command `提醒`);
- stops the event there (`block=True`), so the unknown-command fallback stays quiet;
- runs `guard` first: refuses over-long input, wrong chat type, a feature switched off in
  this group, and non-admins for admin commands — each with a one-line Chinese reason.
Handlers then parse with `ArgText`, and call `usage_error(reason)` for bad arguments.
"""

from __future__ import annotations

from typing import Any, NoReturn

from nonebot import on_command
from nonebot.adapters import Bot, Event
from nonebot.matcher import Matcher, current_matcher
from nonebot.typing import T_State

from bot.config import core_config
from bot.features import CommandDoc, Feature
from bot.messages import plain
from bot.platform import chat_of, role_of

STATE_DOC = "_bot_command_doc"
STATE_FEATURE = "_bot_feature"

ADMIN_ONLY = "「{name}」只有群主、群管理员或机器人超级管理员可以使用。"


class UsageError(Exception):
    """A wrong or missing argument: the message is shown with the command's example."""

    def __init__(self, reason: str, example: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.example = example


def command(
    feature: Feature, doc: CommandDoc, *, priority: int = 10, **kwargs: Any
) -> type[Matcher]:
    if doc not in feature.commands:
        raise ValueError(f"{doc.name} is not documented in feature {feature.key}")
    return on_command(
        doc.name,
        aliases=set(doc.aliases),
        force_whitespace=True,
        block=True,
        priority=priority,
        state={STATE_DOC: doc, STATE_FEATURE: feature},
        handlers=[guard],
        **kwargs,
    )


async def guard(bot: Bot, event: Event, matcher: Matcher, state: T_State) -> None:
    doc: CommandDoc = state[STATE_DOC]
    feature: Feature = state[STATE_FEATURE]
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
    doc: CommandDoc | None = matcher.state.get(STATE_DOC)
    example = example or (doc.examples[0] if doc else None)
    await matcher.finish(plain(f"{reason}\n例：{example}" if example else reason))
