"""Test set-up: NoneBot initialised once with the real project plugins and a throw-away database.

The database is SQLite in a temporary folder, or PostgreSQL when TEST_DATABASE_URL is set.
The schema is created by the bot's own start-up (migrations), exactly as in production.
Every test starts with empty tables and a fixed clock.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from nonebug import NONEBOT_INIT_KWARGS

from bot.clock import FixedClock, use_clock
from tests.dbutil import drop_database, fresh_database_url
from tests.fake import SUPERUSER

_workdir = Path(tempfile.mkdtemp(prefix="bot-tests-"))
_database_url = ""

# 2026-11-30 is a Monday; 09:30 in Shanghai.
DEFAULT_NOW = datetime(2026, 11, 30, 1, 30, tzinfo=UTC)


def pytest_configure(config: pytest.Config) -> None:
    global _database_url
    from bot.app import init_kwargs

    _database_url = fresh_database_url(_workdir / "db")
    config.stash[NONEBOT_INIT_KWARGS] = {
        **init_kwargs("server", _database_url),
        "driver": "~fastapi",
        "superusers": {str(SUPERUSER)},
        "sqlalchemy_database_url": _database_url,
        "localstore_data_dir": str(_workdir / "data"),
        "localstore_cache_dir": str(_workdir / "cache"),
        "localstore_config_dir": str(_workdir / "config"),
        "log_level": "INFO",
        # Scheduled jobs (pushes, reminder scans) never run on their own in these tests: the
        # tests call them with the clock set; the end-to-end tests run the real scheduler.
        "apscheduler_autostart": False,
        "bot_send_interval": 0,
        "bot_send_jitter": 0,
    }


def pytest_unconfigure(config: pytest.Config) -> None:
    drop_database(_database_url)
    shutil.rmtree(_workdir, ignore_errors=True)


@pytest.fixture(scope="session", autouse=True)
async def after_nonebot_init(_nonebot_init: None) -> None:
    from bot.app import load_plugins, register_adapters

    register_adapters("server")
    load_plugins()


@pytest.fixture(autouse=True)
async def _clean_tables(nonebug_init: None) -> None:
    """Every test starts with empty tables (the start-up may have loaded starter content)."""
    from nonebot_plugin_orm import Model, get_session
    from sqlalchemy import delete, text

    from bot import outbox
    from bot.members import service as members
    from bot.settings import service as settings

    async with get_session() as session, session.begin():
        if session.get_bind().dialect.name == "postgresql":
            # Numbers (编号) start at 1 again, as they do on SQLite after the deletes.
            names = ", ".join(f'"{t.name}"' for t in Model.metadata.sorted_tables)
            await session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(Model.metadata.sorted_tables):
                await session.execute(delete(table))
    settings.clear_cache()
    members.clear_cache()
    outbox.forget_group_lists()


@pytest.fixture
def clock() -> Iterator[FixedClock]:
    fixed = FixedClock(DEFAULT_NOW)
    with use_clock(fixed):
        yield fixed
