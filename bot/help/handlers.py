from __future__ import annotations

from nonebot import on_message
from nonebot.adapters import Bot, Event
from nonebot.rule import Rule

from bot.commands import command, usage_error
from bot.deps import ArgText, clean_text
from bot.features import all_features, find_feature
from bot.messages import clip, plain
from bot.platform import chat_of

from . import FEATURE, HELP
from .render import feature_help, feature_names, overview, suggestion

help_ = command(FEATURE, HELP)


@help_.handle()
async def _(arg: ArgText) -> None:
    if not arg:
        await help_.finish(plain(overview()))
    feature = find_feature(arg.split(" ")[0])
    if feature is None:
        await usage_error(f"没有「{clip(arg, 12)}」这个功能。现有：{feature_names()}")
    await help_.finish(plain(feature_help(feature)))


def _first_word(event: Event) -> str:
    text = clean_text(event.get_plaintext())
    return text.split(" ")[0].lstrip("/／") if text else ""


async def _addressed(bot: Bot, event: Event) -> bool:
    """Messages that were meant for the bot but matched no command.

    Private chats and @-mentions always get an answer. In a group, a `/word` gets one only
    when the word is close to one of ours: other bots in the group may own `/roll`.
    """
    chat = chat_of(bot, event)
    if chat is None:
        return False
    if not chat.is_group or event.is_tome():
        return True
    text = event.get_plaintext().lstrip()
    return text[:1] in "/／" and len(text) > 1 and suggestion(_first_word(event)) is not None


fallback = on_message(rule=Rule(_addressed), priority=99, block=True)


@fallback.handle()
async def _(event: Event) -> None:
    word = _first_word(event)
    close = suggestion(word) if word else None
    if close:
        reply = (
            f"没有「{clip(word, 12)}」这个命令，你是不是想发「{close}」？发送「帮助」查看全部功能。"
        )
    elif not word:
        reply = "在呢！发送「帮助」查看我能做什么。"
    else:
        first = next((f.name for f in all_features() if f.key != "help"), "群设置")
        reply = f"没看懂这条消息。发送「帮助」查看我能做什么，例：帮助 {first}"
    await fallback.finish(plain(reply))
