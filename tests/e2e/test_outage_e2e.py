"""The database goes away under a running bot and comes back.

PostgreSQL only: the bot reaches its database through a TCP proxy that the test cuts (live
connections dropped, new ones accepted and never answered, as when the network path is gone)
and restores. SQLite is a file in the bot's own process and has no such outage; the same
boundary is tested without a network in tests/core/test_boundary_and_replies.py and
tests/core/test_batch.py.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from sqlalchemy import make_url

from tests.dbutil import drop_database, fresh_database_url, postgres_base
from tests.e2e.conftest import TOKEN, BotProcess, db_rows
from tests.e2e.onebot import FakeOneBot, Sent
from tests.e2e.tcp_proxy import TcpProxy

pytestmark = pytest.mark.skipif(
    not postgres_base(), reason="a database server to cut off: set TEST_DATABASE_URL"
)

GROUP = 6901
BEFORE = [7901, 7902, 7903]
DURING = [7911, 7912]
NOT_RECORDED = "数据库暂时连不上，这次没有记下，请过一会儿再试。"
REPLY_WITHIN = 8.0
"""Seconds a member may wait for the reply while the database is cut off (the bot's connect
timeout is 5 s)."""
RECOVER_WITHIN = 15.0


def _no_internals(sent: Sent) -> None:
    for word in ("Traceback", "Error", "Exception", "asyncpg", "sqlalchemy", "127.0.0.1"):
        assert word not in sent.text, sent.text


async def _check_in(ob: FakeOneBot, user: int) -> tuple[Sent, float]:
    asked = time.perf_counter()
    await ob.group_message(GROUP, user, "签到", card=f"党员{user}")
    sent = await ob.reply_to_group(GROUP, timeout=30)
    _no_internals(sent)
    return sent, time.perf_counter() - asked


async def test_database_outage_is_survived(tmp_path: Path) -> None:
    url = fresh_database_url(tmp_path / "db")
    real = make_url(url)
    with TcpProxy(real.port or 5432, real.host or "127.0.0.1") as proxy:
        proxied = real.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        # The reminder and daily-question scans run every second: scheduled work meets the
        # outage too, and must log it, not end the process.
        scans = {"REMINDER_SCAN_SECONDS": "1", "QUIZ_DAILY_SCAN_SECONDS": "1"}
        bot = BotProcess(tmp_path / "bot", proxied, extra_env=scans)
        bot.start()
        assert bot.process is not None
        pid = bot.process.pid
        try:
            async with FakeOneBot(bot.url, access_token=TOKEN) as ob:
                for user in BEFORE:
                    sent, _ = await _check_in(ob, user)
                    assert sent.text.startswith(f"党员{user} ✅ 签到成功！")

                proxy.cut()
                waits: list[float] = []
                for user in DURING:
                    sent, seconds = await _check_in(ob, user)
                    assert sent.text == NOT_RECORDED
                    waits.append(seconds)
                # One that was recorded before is still not told anything false.
                sent, seconds = await _check_in(ob, BEFORE[0])
                assert sent.text == NOT_RECORDED
                waits.append(seconds)
                assert max(waits) < REPLY_WITHIN, waits
                await asyncio.sleep(2)  # a few scans fail meanwhile
                await ob.assert_no_reply(group_id=GROUP, within=0.5)
                assert bot.process.poll() is None

                proxy.restore()
                restored = time.perf_counter()
                tries: list[str] = []
                while True:
                    sent, _ = await _check_in(ob, DURING[0])
                    tries.append(sent.text)
                    if sent.text != NOT_RECORDED:
                        break
                    assert time.perf_counter() - restored < RECOVER_WITHIN, tries
                    await asyncio.sleep(0.5)
                recovered = time.perf_counter() - restored
                assert sent.text.startswith(f"党员{DURING[0]} ✅ 签到成功！今天第4位"), tries
                sent, _ = await _check_in(ob, BEFORE[0])
                assert sent.text.startswith(f"党员{BEFORE[0]} 今天已签到（第1位")

                # The server's port closed (refused at once, rather than no answer).
                proxy.cut(refuse=True)
                sent, seconds = await _check_in(ob, DURING[1])
                assert sent.text == NOT_RECORDED
                refused = seconds
                assert refused < 2
                proxy.restore()
            assert bot.process.poll() is None
            assert bot.process.pid == pid
            log = bot.log()
            assert "reminder pass failed" in log  # scheduled work logged the outage
            assert 'Job "push_due_questions' in log
            print(  # noqa: T201 - the figures go into the report
                f"\nreply during the cut: {', '.join(f'{w:.2f}' for w in waits)} s; "
                f"serving again {recovered:.2f} s after the restore ({len(tries)} tries); "
                f"refused: reply in {refused:.2f} s"
            )
        finally:
            bot.stop()
    try:
        rows = await db_rows(
            url,
            f"SELECT user_id, rank FROM checkin_checkin WHERE group_id = '{GROUP}' ORDER BY rank",
        )
        assert rows == [(str(u), n) for n, u in enumerate([*BEFORE, DURING[0]], 1)]
        points = await db_rows(
            url, f"SELECT count(*) FROM points_pointentry WHERE group_id = '{GROUP}'"
        )
        assert points == [(4,)]
    finally:
        drop_database(url)


async def test_first_command_after_an_unnoticed_outage_is_served(tmp_path: Path) -> None:
    """The database went away and came back while nobody used it: the connections the bot
    keeps open died meanwhile, yet the next 签到 is answered ✅, not with the outage reply."""
    url = fresh_database_url(tmp_path / "db")
    real = make_url(url)
    quiet = {"REMINDER_SCAN_SECONDS": "600", "QUIZ_DAILY_SCAN_SECONDS": "600"}
    with TcpProxy(real.port or 5432, real.host or "127.0.0.1") as proxy:
        proxied = real.set(host="127.0.0.1", port=proxy.port)
        bot = BotProcess(
            tmp_path / "bot", proxied.render_as_string(hide_password=False), extra_env=quiet
        )
        bot.start()
        try:
            async with FakeOneBot(bot.url, access_token=TOKEN) as ob:
                sent, _ = await _check_in(ob, BEFORE[0])
                assert sent.text.startswith(f"党员{BEFORE[0]} ✅ 签到成功！今天第1位")
                proxy.cut()
                await asyncio.sleep(0.5)
                proxy.restore()
                sent, _ = await _check_in(ob, BEFORE[1])
                assert sent.text.startswith(f"党员{BEFORE[1]} ✅ 签到成功！今天第2位")
        finally:
            bot.stop()
            drop_database(url)
