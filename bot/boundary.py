"""The error boundary: a failing handler is logged in full and answered with an apology.

NoneBot already catches the exception and logs its traceback; this postprocessor makes sure
the member is not left without an answer, and that nothing technical reaches the chat.
"""

from __future__ import annotations

from nonebot import logger
from nonebot.adapters import Bot, Event
from nonebot.message import run_postprocessor

from bot.messages import plain
from bot.platform import chat_of

APOLOGY = "抱歉，处理这条消息时出了点问题，已经记录下来。请稍后再试，或发送「帮助」。"


@run_postprocessor
async def apologise(bot: Bot, event: Event, exception: Exception | None) -> None:
    if exception is None or chat_of(bot, event) is None:
        return
    try:
        await bot.send(event, plain(APOLOGY, bot))
    except Exception as e:  # the platform itself may be what failed; never raise from here
        logger.warning(f"could not send the apology: {e!r}")
