"""The QQ implementation's WebSocket drops around a scheduled push.

A reminder falls due while the account that is in the group is disconnected; a second
account that is *not* in the group stays connected the whole time. The push must go out once,
after the account reconnects, through that account, and never through the other one.

The drops here last seconds, not the issue's 30 s: nothing in the bot depends on how long a
drop lasts within the grace period (10 min), and the one 30-second limit involved, NoneBot's
API timeout for an unanswered call, no longer applies: the outbox notices the disconnect.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from tests.dbutil import drop_database, fresh_database_url
from tests.e2e.conftest import TOKEN, BotProcess, db_rows
from tests.e2e.onebot import FakeOneBot, Sent

GROUP = 6801
OTHER_GROUP = 6802
ADMIN = 7801
IN_GROUP, ELSEWHERE = 10000, 10001
FAST = {"REMINDER_SCAN_SECONDS": "1", "BOT_SEND_INTERVAL": "0", "BOT_SEND_JITTER": "0"}


def _account(bot: BotProcess, self_id: int, group: int) -> FakeOneBot:
    ob = FakeOneBot(bot.url, self_id=self_id, access_token=TOKEN)
    ob.groups[group] = {}
    return ob


def _pushes(ob: FakeOneBot) -> list[Sent]:
    return [s for s in ob.sends() if s.text.startswith("⏰")]


async def _insert_due(url: str, at: datetime) -> None:
    """A one-off reminder of GROUP on account IN_GROUP, due at `at`."""
    from sqlalchemy.ext.asyncio import create_async_engine

    from bot.when import Schedule
    from plugins.reminder.models import ChatCounter, Reminder

    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(
                Reminder.__table__.insert(),
                {
                    "chat_kind": "group",
                    "chat_id": str(GROUP),
                    "number": 1,
                    "bot_id": str(IN_GROUP),
                    "creator_id": str(ADMIN),
                    "kind": "once",
                    "spec": Schedule("once", at=at).to_spec(),
                    "content": "到三楼会议室开支委会",
                    "mention_all": False,
                    "state": "active",
                    "next_fire_at": at,
                    "template": None,
                    "created_at": at,
                    "updated_at": at,
                },
            )
            await conn.execute(
                ChatCounter.__table__.insert(),
                {"chat_kind": "group", "chat_id": str(GROUP), "last_number": 1},
            )
    finally:
        await engine.dispose()


async def test_push_due_while_disconnected_goes_out_once_after_reconnect(tmp_path: Path) -> None:
    url = fresh_database_url(tmp_path / "db")
    bot = BotProcess(tmp_path / "bot", url, extra_env=FAST)
    bot.start()
    try:
        first = _account(bot, IN_GROUP, GROUP)
        async with _account(bot, ELSEWHERE, OTHER_GROUP) as other:
            await first.connect()
            await first.drop()  # the QQ implementation's connection is gone
            dropped = time.monotonic()
            await _insert_due(url, datetime.now(UTC) + timedelta(seconds=2))
            # Due 2 s into the drop; the bot scans every second meanwhile, and the account
            # that is connected is not in the group.
            await asyncio.sleep(8)
            await other.assert_no_reply(within=0.1)
            async with _account(bot, IN_GROUP, GROUP) as back:
                pushed = await back.reply_to_group(GROUP, timeout=10)
                assert (
                    pushed.text == "⏰ 提醒：到三楼会议室开支委会\n#1 · 一次性 · 发「提醒列表」查看"
                )
                await back.assert_no_reply(group_id=GROUP, within=3)  # three more scans
            await other.assert_no_reply(within=0.1)
            assert _pushes(first) == []
            assert time.monotonic() - dropped < 20
        rows = await db_rows(url, "SELECT status, attempts FROM reminder_firing")
        assert rows == [("sent", 1)]
    finally:
        bot.stop()
        drop_database(url)


async def test_connection_lost_while_the_push_is_being_sent_is_not_sent_twice(
    tmp_path: Path,
) -> None:
    """The push reached the implementation, then the connection died before its answer: QQ
    may well have posted it, so the bot must not post it again after the reconnect."""
    url = fresh_database_url(tmp_path / "db")
    # A failed send would be retried after 2 s (default 30 s).
    env = {**FAST, "REMINDER_RETRY_SECONDS": "2"}
    bot = BotProcess(tmp_path / "bot", url, extra_env=env)
    bot.start()
    try:
        first = _account(bot, IN_GROUP, GROUP)
        lost = asyncio.get_running_loop().create_future()

        def swallow_and_drop(params: dict[str, object]) -> asyncio.Future[object]:
            asyncio.get_running_loop().create_task(first.drop())
            return lost  # never answered

        first.on_api("send_group_msg", swallow_and_drop)
        async with _account(bot, ELSEWHERE, OTHER_GROUP) as other:
            await first.connect()
            await _insert_due(url, datetime.now(UTC) + timedelta(seconds=1))
            await first.wait_closed(timeout=10)
            assert len(_pushes(first)) == 1  # it reached the implementation
            await asyncio.sleep(2)
            async with _account(bot, IN_GROUP, GROUP) as back:
                await back.assert_no_reply(group_id=GROUP, within=6)
            await other.assert_no_reply(within=0.1)
        await first.close()
        rows = await db_rows(url, "SELECT status FROM reminder_firing")
        assert rows == [("sent",)]
    finally:
        bot.stop()
        drop_database(url)


async def test_daily_question_due_while_disconnected_goes_out_after_reconnect(
    tmp_path: Path,
) -> None:
    start = datetime(2026, 12, 1, 8, 59, 45, tzinfo=ZoneInfo("Asia/Shanghai"))
    url = fresh_database_url(tmp_path / "db")
    env = {**FAST, "BOT_CLOCK_START": start.isoformat(), "QUIZ_DAILY_SCAN_SECONDS": "1"}
    bot = BotProcess(tmp_path / "bot", url, extra_env=env)
    bot.start()
    ready = time.monotonic()  # the bot's clock read `start` before this
    try:
        async with _account(bot, ELSEWHERE, OTHER_GROUP) as other:
            first = _account(bot, IN_GROUP, GROUP)
            await first.connect()
            await first.group_message(GROUP, ADMIN, "开启 每日一题 09:00", role="admin")
            assert (await first.reply_to_group(GROUP)).text.startswith("已开启「每日一题」")
            await first.drop()
            # 09:00:03 or later on the bot's clock: the push fell due during the drop.
            await asyncio.sleep(max(0.0, 18 - (time.monotonic() - ready)))
            async with _account(bot, IN_GROUP, GROUP) as back:
                pushed = await back.reply_to_group(GROUP, timeout=5)
                assert pushed.text.startswith("📘 每日一题（12月1日）")
                await back.assert_no_reply(group_id=GROUP, within=3)
            await other.assert_no_reply(within=0.1)
    finally:
        bot.stop()
        drop_database(url)
