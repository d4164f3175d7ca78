"""Throw-away databases for tests: a SQLite file, or a fresh PostgreSQL database.

`TEST_DATABASE_URL` (e.g. postgresql+asyncpg://postgres@127.0.0.1:5432/test) switches the
tests to PostgreSQL: each `fresh_database_url()` creates a new database next to the given one
and `drop_database()` removes it, so runs never see each other's rows.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import create_async_engine


def postgres_base() -> str | None:
    return os.environ.get("TEST_DATABASE_URL") or None


def fresh_database_url(directory: Path) -> str:
    """A new empty database: PostgreSQL when TEST_DATABASE_URL is set, else SQLite in `directory`."""
    base = postgres_base()
    if not base:
        directory.mkdir(parents=True, exist_ok=True)
        return f"sqlite+aiosqlite:///{directory / f'db-{uuid.uuid4().hex[:8]}.sqlite3'}"
    name = f"bot_test_{uuid.uuid4().hex[:12]}"
    _run_admin(base, f'CREATE DATABASE "{name}"')
    return make_url(base).set(database=name).render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    base = postgres_base()
    if not base or not url.startswith("postgresql"):
        return
    name = make_url(url).database
    _run_admin(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _run_admin(base: str, statement: str) -> None:
    # In a thread of its own, so it also works from inside a running event loop (async tests).
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, _admin(base, statement)).result()


async def _admin(base: str, statement: str) -> None:
    engine = create_async_engine(base, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(text(statement))
    finally:
        await engine.dispose()
