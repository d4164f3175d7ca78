"""Telling an unreachable database from a bug, and noticing a silent network path."""

from __future__ import annotations

import socket
import sqlite3
from typing import Any

import pytest
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError

from bot.db import TCP_KEEPALIVE, is_unavailable, keep_alive


def test_what_counts_as_the_database_being_down() -> None:
    def wrapped(error: type[Exception], message: str, **kwargs: Any) -> Exception:
        return error("SELECT 1", {}, sqlite3.OperationalError(message), **kwargs)

    assert is_unavailable(wrapped(OperationalError, "database is locked"))
    assert is_unavailable(wrapped(OperationalError, "unable to open database file"))
    assert is_unavailable(wrapped(InterfaceError, "connection is closed"))
    assert not is_unavailable(wrapped(OperationalError, "no such table: checkin_checkin"))
    assert not is_unavailable(wrapped(IntegrityError, "UNIQUE constraint failed"))
    assert not is_unavailable(RuntimeError("a bug"))
    assert not is_unavailable(FileNotFoundError("题库.xlsx"))  # an OSError outside the driver

    def refused_elsewhere() -> None:
        try:
            raise ConnectionRefusedError("connect")
        except OSError as e:
            raise RuntimeError("while checking in") from e

    with pytest.raises(RuntimeError) as caught:
        refused_elsewhere()
    assert not is_unavailable(caught.value)  # refused, but not by the database driver


def test_keep_alive_sets_the_tcp_options() -> None:
    with (
        socket.create_server(("127.0.0.1", 0)) as server,
        socket.create_connection(server.getsockname()) as client,
    ):
        keep_alive(client)
        assert client.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 1
        for name, value in TCP_KEEPALIVE.items():
            if hasattr(socket, name):
                assert client.getsockopt(socket.IPPROTO_TCP, getattr(socket, name)) == value


async def test_database_connections_get_them(nonebug_init: None) -> None:
    """Every TCP connection to the database server has them (SQLite has no socket)."""
    import nonebot_plugin_orm as orm
    from sqlalchemy import text

    engine = orm._engines[""]
    async with engine.connect() as conn:
        await conn.execute(text("SELECT 1"))
        raw = await conn.get_raw_connection()
        driver = getattr(raw.driver_connection, "_transport", None)
        sock = driver.get_extra_info("socket") if driver is not None else None
        if engine.dialect.name == "sqlite":
            assert sock is None
            return
        assert sock is not None
        assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 1
        if hasattr(socket, "TCP_USER_TIMEOUT"):
            assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT) == 10_000
