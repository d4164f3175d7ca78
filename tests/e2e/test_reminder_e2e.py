"""Reminders over a real WebSocket: a `1分钟后` reminder arrives once; two bot processes on
one database deliver a due reminder once; a restart sends what fell due while down."""

from __future__ import annotations

import asyncio
import signal
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.dbutil import drop_database, fresh_database_url
from tests.e2e.conftest import TOKEN, BotProcess, db_rows
from tests.e2e.onebot import FakeOneBot, Sent

GROUP = 6101
ADMIN = 7301
FAST = {"REMINDER_SCAN_SECONDS": "1", "BOT_SEND_INTERVAL": "0", "BOT_SEND_JITTER": "0"}


def _pushes(ob: FakeOneBot, group: int) -> list[Sent]:
    return [s for s in ob.sends() if s.group_id == group and s.text.startswith(("⏰", " ⏰"))]


async def test_one_minute_reminder_arrives_once(tmp_path: Path) -> None:
    # `1分钟后` is exactly a minute from when it was set: this test waits one real minute.
    url = fresh_database_url(tmp_path / "db")
    bot = BotProcess(
        tmp_path / "bot", url, extra_env={**FAST, "BOT_CLOCK_START": "2026-12-01T08:59:48+08:00"}
    )
    bot.start()
    try:
        async with FakeOneBot(bot.url, access_token=TOKEN) as ob:
            ob.groups[GROUP] = {}
            asked_at = time.perf_counter()
            await ob.group_message(GROUP, ADMIN, "提醒 1分钟后 到三楼会议室开支委会", role="admin")
            created = await ob.reply_to_group(GROUP)
            assert created.text.startswith("✅ 已设置提醒 #1\n时间：今天（12月1日 周二）")
            assert "内容：到三楼会议室开支委会" in created.text
            pushed = await ob.reply_to_group(GROUP, timeout=90)
            # Never early: a minute after it was asked for (the bot's "now" comes later than
            # `asked_at`, so a push at the minute is at least 60 s after it).
            assert pushed.call.time - asked_at >= 59.9
            assert {segment["type"] for segment in pushed.segments} == {"text"}
            assert pushed.text == "⏰ 提醒：到三楼会议室开支委会\n#1 · 一次性 · 发「提醒列表」查看"
            await ob.assert_no_reply(group_id=GROUP, within=3.5)  # three more scans: nothing
            await ob.group_message(GROUP, ADMIN, "提醒列表", role="member")
            listing = await ob.reply_to_group(GROUP)
            assert listing.text.startswith("本群还没有提醒。")  # the one-off is done
        rows = await db_rows(url, "SELECT status, late, attempts FROM reminder_firing")
        assert [(status, bool(late), attempts) for status, late, attempts in rows] == [
            ("sent", False, 1)
        ]
    finally:
        bot.stop()
        drop_database(url)


async def _insert_due(url: str, groups: list[int], at: datetime) -> None:
    """Reminders written straight into the database, as another process would."""
    from sqlalchemy.ext.asyncio import create_async_engine

    from bot.when import Schedule
    from plugins.reminder.models import ChatCounter, Reminder

    spec = Schedule("once", at=at).to_spec()
    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(
                Reminder.__table__.insert(),
                [
                    {
                        "chat_kind": "group",
                        "chat_id": str(group),
                        "number": 1,
                        "bot_id": "10000",
                        "creator_id": str(ADMIN),
                        "kind": "once",
                        "spec": spec,
                        "content": f"第{group}组开会",
                        "mention_all": False,
                        "state": "active",
                        "next_fire_at": at,
                        "template": None,
                        "created_at": at,
                        "updated_at": at,
                    }
                    for group in groups
                ],
            )
            await conn.execute(
                ChatCounter.__table__.insert(),
                [{"chat_kind": "group", "chat_id": str(g), "last_number": 1} for g in groups],
            )
    finally:
        await engine.dispose()


async def test_two_processes_one_database_one_delivery(tmp_path: Path) -> None:
    url = fresh_database_url(tmp_path / "db")
    first = BotProcess(tmp_path / "a", url, extra_env=FAST)
    second = BotProcess(tmp_path / "b", url, extra_env=FAST)
    first.start()
    second.start()
    groups = [GROUP + 100 + n for n in range(20)]
    try:
        async with (
            FakeOneBot(first.url, access_token=TOKEN) as a,
            FakeOneBot(second.url, access_token=TOKEN) as b,
        ):
            for ob in (a, b):
                for group in groups:
                    ob.groups[group] = {}
            await _insert_due(url, groups, datetime.now(UTC) + timedelta(seconds=2))
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                if sum(len(_pushes(ob, g)) for ob in (a, b) for g in groups) >= len(groups):
                    break
                await asyncio.sleep(0.2)
            await asyncio.sleep(3)  # both processes scan a few more times
            per_group = {g: len(_pushes(a, g)) + len(_pushes(b, g)) for g in groups}
            assert per_group == dict.fromkeys(groups, 1)
        rows = await db_rows(url, "SELECT status, count(*) FROM reminder_firing GROUP BY status")
        assert rows == [("sent", 20)]
    finally:
        first.stop()
        second.stop()
        drop_database(url)


async def test_restart_sends_late_within_grace_and_summarises_the_rest(tmp_path: Path) -> None:
    url = fresh_database_url(tmp_path / "db")
    workdir = tmp_path / "bot"
    bot = BotProcess(
        workdir, url, extra_env={**FAST, "BOT_CLOCK_START": "2026-12-01T08:00:00+08:00"}
    )
    bot.start()
    try:
        async with FakeOneBot(bot.url, access_token=TOKEN) as ob:
            ob.groups[GROUP] = {}
            for text in ("提醒 今天上午8点01分 党小组会", "提醒 今天上午8点15分 支委会"):
                await ob.group_message(GROUP, ADMIN, text, role="admin")
                assert (await ob.reply_to_group(GROUP)).text.startswith("✅ 已设置提醒")
        bot.stop(signal.SIGKILL)
        # Down from about 08:00 to 08:20: 08:01 is 19 minutes old (past the 10-minute grace),
        # 08:15 is 5 minutes old.
        bot.extra_env["BOT_CLOCK_START"] = "2026-12-01T08:20:00+08:00"
        bot.start()
        async with FakeOneBot(bot.url, access_token=TOKEN) as ob:
            ob.groups[GROUP] = {}
            got = sorted([(await ob.reply_to_group(GROUP, timeout=30)).text for _ in range(2)])
            await ob.assert_no_reply(group_id=GROUP, within=3)
        late, summary = got
        assert late.startswith("⏰ 提醒：支委会\n（晚了5分钟：原定今天（12月1日 周二）08:15，")
        assert summary.startswith("⚠️ 机器人离线期间，本群有1次提醒超过10分钟没能发出，不再补发：")
        assert "#1 党小组会（今天（12月1日 周二）08:01）" in summary
        rows = await db_rows(url, "SELECT status, late, told FROM reminder_firing ORDER BY fire_at")
        assert [(s, bool(late), bool(told)) for s, late, told in rows] == [
            ("missed", False, True),
            ("sent", True, False),
        ]
    finally:
        bot.stop()
        drop_database(url)
