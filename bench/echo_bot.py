"""A bare NoneBot2 + OneBot v11 bot answering one command: the benchmark baseline.

Run it with ``python bench/echo_bot.py``. Configuration comes from the process
environment only (the project's ``.env`` files are deliberately not read, so
the baseline stays bare):

* ``HOST`` / ``PORT`` — where to listen (default ``127.0.0.1:8080``); the
  reverse WebSocket endpoint is ``ws://HOST:PORT/onebot/v11/ws``;
* ``BENCH_COMMAND`` — the command name to answer (default ``帮助``);
* ``LOG_LEVEL``, ``ONEBOT_ACCESS_TOKEN`` — read by NoneBot and the adapter as usual.
"""

from __future__ import annotations

import os
from pathlib import Path

import nonebot
from nonebot.adapters.onebot.v11 import Adapter as OneBotV11Adapter
from nonebot.adapters.onebot.v11 import MessageSegment

REPLY_TEXT = "echo bot: ok"

nonebot.init(
    # A one-element tuple of a file that does not exist: no .env file is read.
    _env_file=(Path(__file__).with_name(".env.echo_bot"),),
    driver="~fastapi",
    host=os.environ.get("HOST", "127.0.0.1"),
    port=int(os.environ.get("PORT", "8080")),
    command_start=["/", ""],
    command_sep=["."],
)
nonebot.get_driver().register_adapter(OneBotV11Adapter)

echo = nonebot.on_command(os.environ.get("BENCH_COMMAND", "帮助"), block=True)


@echo.handle()
async def _() -> None:
    await echo.finish(MessageSegment.text(REPLY_TEXT))


if __name__ == "__main__":
    nonebot.run()
