"""Database plumbing shared by every plugin: column types, SQLite setup, schema upgrades,
and telling a database that cannot be reached from a bug.

The schema is brought to the newest revision by `upgrade_schema`, without a prompt, before
nonebot-plugin-orm's own start-up check runs (that check would otherwise ask on the terminal,
which services and CI do not have). The ORM's check then confirms models and migrations agree.
"""

from __future__ import annotations

import socket
import sqlite3
import traceback
from datetime import UTC, datetime
from pathlib import PurePath
from typing import Any, Literal, cast

from nonebot import logger
from sqlalchemy import CursorResult, DateTime, Engine, event, make_url, text
from sqlalchemy.dialects.sqlite.aiosqlite import AsyncAdapt_aiosqlite_connection
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import DBAPIError, DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
from sqlalchemy.pool import NullPool, Pool
from sqlalchemy.types import TypeDecorator

SQLITE_BUSY_TIMEOUT_MS = 30_000

SQLITE_ENGINE_OPTIONS: dict[str, Any] = {"pool_size": 1, "max_overflow": 0, "pool_timeout": 120}
"""SQLite takes one writer at a time, and with BEGIN IMMEDIATE every transaction is a writer.
One connection per process makes sessions queue in asyncio, in order; with several connections
they wait inside SQLite's busy handler, which sleeps up to 100 ms between tries (measured: 57
check-ins/s against several hundred). Other processes still wait on busy_timeout.
Consequence for code: never open a second session while holding one."""

CONNECT_TIMEOUT_SECONDS = 5.0
"""How long opening a connection to a database server may take (asyncpg's `timeout`; its
default is 60 s). While the server cannot be reached, a member waits this long for the
"not recorded" reply rather than a minute; a healthy server on a LAN answers in milliseconds."""

# Any 64-bit number works: it names the lock that serialises schema upgrades on PostgreSQL.
_PG_UPGRADE_LOCK = 0x6461_6E67_6A69_616E


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware instant, stored as UTC on every backend.

    SQLite has no time zones and compares text, so instants are written as naive UTC there;
    PostgreSQL gets `timestamptz`. Values always come back aware (UTC).
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def _is_sqlite(dbapi_connection: Any) -> bool:
    return isinstance(dbapi_connection, AsyncAdapt_aiosqlite_connection | sqlite3.Connection)


@event.listens_for(Engine, "connect")
def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    """WAL, a generous busy timeout, and transactions that SQLAlchemy (not the driver) begins.

    The driver's own implicit BEGIN breaks SAVEPOINT and lets a read-then-write transaction
    fail with SQLITE_BUSY; see SQLAlchemy's "Serializable isolation / Savepoints / Transactional
    DDL" notes for pysqlite and aiosqlite.
    """
    if not _is_sqlite(dbapi_connection):
        return
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_on_begin(conn: Connection) -> None:
    # IMMEDIATE takes the write lock at BEGIN, so concurrent writers (also in other
    # processes) queue on busy_timeout instead of failing half-way through.
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")


@event.listens_for(Engine, "do_connect")
def _connect_timeout(
    dialect: Dialect, _record: Any, _args: list[Any], params: dict[str, Any]
) -> None:
    """Fail fast when the server does not answer (unless the URL or engine options say)."""
    if dialect.driver == "asyncpg":
        params.setdefault("timeout", CONNECT_TIMEOUT_SECONDS)


TCP_KEEPALIVE = {
    "TCP_KEEPIDLE": 5,
    "TCP_KEEPINTVL": 2,
    "TCP_KEEPCNT": 3,
    "TCP_USER_TIMEOUT": 10_000,
}
"""When a network path to the server goes silent (no reset, nothing: a cable, a firewall, a
frozen VM), an open connection only learns of it from TCP, which by default retries for about
15 minutes; a command waiting on it would leave the member without an answer all that time.
With these, an unanswered send is given up after 10 s (TCP_USER_TIMEOUT, in ms) and an idle
wait is probed from 5 s on; the server's kernel answers probes even during a long query, so
long statements are not cut short. Options the platform lacks are skipped."""


def keep_alive(sock: Any) -> None:
    """Apply `TCP_KEEPALIVE` to a TCP socket."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    for name, value in TCP_KEEPALIVE.items():
        option = getattr(socket, name, None)
        if option is not None:
            sock.setsockopt(socket.IPPROTO_TCP, option, value)


@event.listens_for(Engine, "connect")
def _keep_alive_on_connect(dbapi_connection: Any, _record: Any) -> None:
    transport = getattr(getattr(dbapi_connection, "_connection", None), "_transport", None)
    get_extra_info = getattr(transport, "get_extra_info", None)
    sock: Any = get_extra_info("socket") if callable(get_extra_info) else None
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        keep_alive(sock)


@event.listens_for(Pool, "checkout")
def _skip_dropped(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    """Never hand out a pooled PostgreSQL connection the server (or the network) already
    closed: the pool then opens a fresh one. Without this, the first command after an
    outage that no command noticed fails although the database is back. asyncpg learns of
    the close from the socket, so this costs no round trip (unlike `pool_pre_ping`)."""
    driver = getattr(dbapi_connection, "_connection", None)
    is_closed = getattr(driver, "is_closed", None)
    if type(driver).__module__.startswith("asyncpg") and callable(is_closed) and is_closed():
        raise DisconnectionError("the server closed this connection")


_DRIVERS = frozenset({"sqlalchemy", "asyncpg", "aiosqlite", "sqlite3"})
_NOT_AN_OUTAGE = ("no such table", "no such column", "syntax error", "has no column")


def is_unavailable(error: BaseException) -> bool:
    """Whether `error` (or what caused it) means the database could not be reached or
    answer right now, as opposed to a bug: the connection was refused, dropped or timed
    out, the server is starting or shutting down, SQLite's file is locked or unreadable.
    Such a failure passes by itself; the caller may say "try again later"."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        each = pending.pop()
        if each is None or id(each) in seen:
            continue
        seen.add(id(each))
        if _is_outage(each):
            return True
        if isinstance(each, BaseExceptionGroup):
            pending.extend(each.exceptions)
        pending += [each.__cause__, each.__context__]
    return False


def _is_outage(error: BaseException) -> bool:
    if isinstance(error, DBAPIError):
        if error.connection_invalidated or isinstance(error, InterfaceError):
            return True
        if isinstance(error, OperationalError):
            message = str(error.orig).lower()
            return not any(words in message for words in _NOT_AN_OUTAGE)
        return False
    if isinstance(error, PoolTimeout):  # every pooled connection busy (or stuck)
        return True
    module = type(error).__module__
    if module.startswith("asyncpg"):
        # PostgresConnectionError (and CannotConnectNow, TooManyConnections …), a dropped
        # connection (ConnectionDoesNotExistError), a protocol-level InterfaceError.
        name = type(error).__name__
        return "Connect" in name or "Connection" in name or name in ("InterfaceError",)
    if isinstance(error, OSError | TimeoutError):
        # Refused, reset or timed out -- but only on the way to the database, not a file or
        # an HTTP call of the same handler.
        frames = traceback.extract_tb(error.__traceback__)
        return any(_DRIVERS.intersection(PurePath(f.filename).parts) for f in frames)
    return False


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | Literal[False]:
    """Alembic autogenerate: write UTCDateTime as the plain type it stores, so migrations
    never import project code."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def only_plugin_tables(plugin: str) -> Any:
    """An Alembic `include_object` that keeps one plugin's tables (named <plugin>_<class>)."""

    def include(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
        table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", "")
        return bool(table) and str(table).startswith(f"{plugin}_")

    return include


def describe_url(url: Any) -> str:
    """The database URL for logs, with any password hidden."""
    try:
        return make_url(str(url)).render_as_string(hide_password=True)
    except Exception:
        return "<unreadable database URL>"


def init_engines() -> Any:
    """Have nonebot-plugin-orm build its engines now (it does so lazily); the default one."""
    import nonebot_plugin_orm as orm

    orm._init_orm()
    return orm._engines[""]


async def upgrade_schema(revision: str | None = None) -> None:
    """Create or upgrade every plugin's tables to the newest revision (or `revision`),
    keeping data.

    Safe to call from several processes at once: SQLite serialises the migration
    transaction (BEGIN IMMEDIATE), PostgreSQL takes an advisory lock around it.
    """
    import nonebot_plugin_orm as orm
    from nonebot_plugin_orm import migrate
    from nonebot_plugin_orm.utils import StreamToLogger
    from sqlalchemy.util import greenlet_spawn

    engine = init_engines()
    logger.info(f"数据库: {describe_url(engine.url)}")

    async def run_upgrade() -> None:
        before = await _revisions(engine)
        with migrate.AlembicConfig(stdout=StreamToLogger()) as config:
            await greenlet_spawn(migrate.upgrade, config, revision)
        after = await _revisions(engine)
        if after == before:
            logger.info("数据库结构已是最新，无需升级")
        else:
            added = ", ".join(sorted(after - before))
            logger.info(f"数据库结构已升级（{len(before)} → {len(after)} 个插件版本：{added}）")

    if engine.dialect.name == "postgresql":
        # A connection of its own: the migration disposes the ORM's engine when done.
        lock_engine = create_async_engine(engine.url, poolclass=NullPool)
        try:
            async with lock_engine.connect() as lock:
                await lock.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _PG_UPGRADE_LOCK})
                try:
                    await run_upgrade()
                finally:
                    await lock.execute(
                        text("SELECT pg_advisory_unlock(:k)"), {"k": _PG_UPGRADE_LOCK}
                    )
        finally:
            await lock_engine.dispose()
    else:
        await run_upgrade()
    for each in orm._engines.values():
        await each.dispose()


async def _revisions(engine: Any) -> set[str]:
    """The revisions the database is at (empty for a new database)."""
    try:
        async with engine.connect() as conn:
            return set(
                (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalars()
            )
    except DBAPIError:
        return set()


async def rowcount(session: AsyncSession, statement: Any) -> int:
    """Execute an UPDATE or DELETE; how many rows it changed (a conditional UPDATE that
    returns 1 is a claim won, 0 one lost)."""
    result = cast(CursorResult[Any], await session.execute(statement))
    return result.rowcount or 0


def dialect_insert(session: AsyncSession, target: Any) -> Any:
    """`insert(target)` of the session's backend, which has `on_conflict_do_*` on both.

    Pass a Table (`Model.__table__`) on hot paths: Core inserts skip the ORM's bulk layer.
    """
    from sqlalchemy.dialects import postgresql, sqlite

    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(target)


async def upsert(
    session: AsyncSession, target: Any, values: dict[str, Any], *, keys: tuple[str, ...]
) -> None:
    """INSERT … ON CONFLICT (keys) DO UPDATE, on SQLite and PostgreSQL alike."""
    await upsert_many(session, target, [values], keys=keys)


async def upsert_many(
    session: AsyncSession, target: Any, rows: list[dict[str, Any]], *, keys: tuple[str, ...]
) -> None:
    """`upsert` for several rows with the same columns, in one executemany."""
    if not rows:
        return
    statement = dialect_insert(session, target)
    updates = {name: statement.excluded[name] for name in rows[0] if name not in keys}
    await session.execute(
        statement.on_conflict_do_update(index_elements=list(keys), set_=updates), rows
    )
