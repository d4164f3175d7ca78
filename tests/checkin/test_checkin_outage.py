"""签到 while the database cannot be reached: one line saying nothing was recorded, never a
false ✅, and the next 签到 after it is back works.

The fault is injected at the driver: every statement fails as a dropped connection does. On
PostgreSQL, tests/e2e/test_outage_e2e.py cuts a real network path instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from nonebot.adapters.onebot.v11 import Bot
from nonebug import App
from sqlalchemy import event, select

from bot.clock import FixedClock
from tests.fake import SELF_ID, group_message, reply

DATABASE_DOWN = "数据库暂时连不上，这次没有记下，请过一会儿再试。"
OK = {"message_id": 1}


@contextmanager
def database_unreachable() -> Iterator[None]:
    """Every statement fails as on a connection the server dropped."""
    import nonebot_plugin_orm as orm

    engine = orm._engines[""].sync_engine
    dbapi = engine.dialect.loaded_dbapi
    error = dbapi.OperationalError if engine.dialect.name == "sqlite" else dbapi.InterfaceError

    def fail(*_: Any) -> None:
        raise error("connection was closed in the middle of operation")

    event.listen(engine, "before_cursor_execute", fail)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", fail)


async def _handle(app: App, text: str, answer: str) -> None:
    from nonebot.message import handle_event

    # nonebug's test_matcher fails a test on any handler error: feed NoneBot's dispatcher.
    async with app.test_api() as ctx:
        bot = ctx.create_bot(base=Bot, self_id=SELF_ID)
        message = group_message(text, card="张三")
        ctx.should_call_send(message, reply(answer), result=OK)
        await handle_event(bot, message)


async def test_sign_in_while_the_database_is_down(app: App, clock: FixedClock) -> None:
    from nonebot_plugin_orm import get_session

    from bot.settings.service import clear_cache
    from plugins.checkin.models import CheckIn

    clear_cache()  # the feature switch is read from the database too
    with database_unreachable():
        await _handle(app, "签到 学习党章", DATABASE_DOWN)
        await _handle(app, "签到", DATABASE_DOWN)
    async with get_session() as session:
        assert (await session.scalars(select(CheckIn))).all() == []
    await _handle(
        app,
        "签到",
        "张三 ✅ 签到成功！今天第1位，连续1天\n+5分，累计5分\n发「排行榜」看本周排名",
    )
