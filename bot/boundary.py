"""The error boundary: a failing handler is logged in full and answered in one line.

NoneBot already catches the exception and logs its traceback; this postprocessor makes sure
the member is not left without an answer, and that nothing technical reaches the chat. When
the database could not be reached (`bot.db.is_unavailable`), the answer says so: nothing was
recorded and trying again later will work. Every other failure gets the apology.
"""

from __future__ import annotations

from nonebot import logger
from nonebot.adapters import Bot, Event
from nonebot.message import run_postprocessor

from bot.db import is_unavailable
from bot.messages import plain
from bot.platform import chat_of

APOLOGY = "抱歉，处理这条消息时出了点问题，已经记录下来。请稍后再试，或发送「帮助」。"
DATABASE_DOWN = "数据库暂时连不上，这次没有记下，请过一会儿再试。"


@run_postprocessor
async def apologise(bot: Bot, event: Event, exception: Exception | None) -> None:
    if exception is None or chat_of(bot, event) is None:
        return
    down = is_unavailable(exception)
    if down:
        logger.warning(f"database unreachable while handling a message: {exception!r}")
    try:
        await bot.send(event, plain(DATABASE_DOWN if down else APOLOGY, bot))
    except Exception as e:  # the platform itself may be what failed; never raise from here
        logger.warning(f"could not send the apology: {e!r}")
