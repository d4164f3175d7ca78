"""`python -m bot <subcommand>` as an operator runs it, in a fresh data directory."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import create_async_engine

from tests.dbutil import drop_database, fresh_database_url


def run_cli(*args: str, workdir: Path, database_url: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SQLALCHEMY_", "LOCALSTORE_"))}
    env.update(SQLALCHEMY_DATABASE_URL=database_url, LOCALSTORE_DATA_DIR=str(workdir / "data"))
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=workdir,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


LOADED = 'Succeeded to load plugin "router" from "bot.router"'


def test_help_lists_the_subcommands(tmp_path: Path) -> None:
    result = run_cli("--help", workdir=tmp_path, database_url="sqlite+aiosqlite://")
    assert result.returncode == 0, result.stderr
    for name in ("run", "console", "db"):
        assert f"    {name}" in result.stdout
    assert result.stdout.startswith("usage: python -m bot [-h] [-v] <子命令> ...")
    assert result.stderr == ""


def test_jobs_log_warnings_only_unless_verbose(tmp_path: Path) -> None:
    """A job prints its own output; NoneBot's plugin loading and the schema upgrade are
    logged with -v (before or after the subcommand), on stderr. Warnings always show."""
    (tmp_path / ".env").write_text("BOT_CLOCK_START=2026-12-01T09:00:00+08:00\n", encoding="utf-8")
    url = fresh_database_url(tmp_path / "db")
    try:
        quiet = run_cli("docs", workdir=tmp_path, database_url=url)
        assert quiet.returncode == 0, quiet.stderr
        assert quiet.stdout == "资料库里没有文档。\n"
        stderr = quiet.stderr.splitlines()
        assert len(stderr) == 1
        assert "[WARNING]" in stderr[0]
        assert "测试时钟：机器人的时间从 2026-12-01T09:00:00+08:00 开始走" in stderr[0]

        for args in (("docs", "-v"), ("-v", "docs"), ("--verbose", "docs")):
            verbose = run_cli(*args, workdir=tmp_path, database_url=url)
            assert verbose.returncode == 0, verbose.stderr
            assert verbose.stdout == "资料库里没有文档。\n"
            assert LOADED in verbose.stderr
            assert 'Succeeded to load plugin "policy" from "plugins.policy"' in verbose.stderr
            assert "测试时钟" in verbose.stderr
    finally:
        drop_database(url)


def test_unknown_subcommand_is_refused_with_usage(tmp_path: Path) -> None:
    result = run_cli("fly", workdir=tmp_path, database_url="sqlite+aiosqlite://")
    assert result.returncode == 2
    assert "invalid choice: 'fly'" in result.stderr


def test_upgrade_from_an_older_install_keeps_its_data(tmp_path: Path) -> None:
    """A database made by an older version (core tables only, with data) is brought to the
    newest schema by the bot itself, and the data is still there."""
    url = fresh_database_url(tmp_path / "db")
    try:
        older = run_cli("db", "upgrade", "settings@head", workdir=tmp_path, database_url=url)
        assert older.returncode == 0, older.stderr
        asyncio.run(
            execute(
                url,
                "INSERT INTO settings_featureswitch VALUES "
                "('g1', 'checkin', false, '2026-11-30 01:00:00+00', 'u1')",
            )
        )
        assert asyncio.run(tables(url)) >= {"settings_featureswitch"}
        assert "checkin_checkin" not in asyncio.run(tables(url))

        newest = run_cli("db", "upgrade", workdir=tmp_path, database_url=url)
        assert newest.returncode == 0, newest.stderr
        assert "数据库已升级到最新版本" in newest.stdout
        assert asyncio.run(tables(url)) >= {
            "settings_featureswitch",
            "points_pointentry",
            "checkin_checkin",
            "members_membername",
            "receipts_subject",
            "receipts_receipt",
            "receipts_nudge",
        }
        rows = asyncio.run(execute(url, "SELECT group_id, feature FROM settings_featureswitch"))
        assert rows == [("g1", "checkin")]

        status = run_cli("db", "status", workdir=tmp_path, database_url=url)
        assert status.returncode == 0, status.stderr
        assert "(head)" in status.stdout + status.stderr
    finally:
        drop_database(url)


async def execute(url: str, sql: str) -> list[tuple[object, ...]]:
    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            result = await conn.execute(text(sql))
            return [tuple(row) for row in result] if result.returns_rows else []
    finally:
        await engine.dispose()


async def tables(url: str) -> set[str]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            return set(await conn.run_sync(lambda sync: inspect(sync).get_table_names()))
    finally:
        await engine.dispose()


def test_invalid_setting_is_explained_in_one_line(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("BOT_TIMEZONE=Mars/Base\n", encoding="utf-8")
    result = run_cli("--help", workdir=tmp_path, database_url="sqlite+aiosqlite://")
    assert result.returncode == 2
    assert (
        "配置有误（.env 或环境变量）：BOT_TIMEZONE: Value error, unknown time zone 'Mars/Base'"
        in result.stderr
    )
    assert "Traceback" not in result.stderr


def test_upgrade_from_the_release_before_branches_keeps_its_data(tmp_path: Path) -> None:
    """A database made by the release before branches and the roster (every other plugin at
    its head, data keyed by group id) gets the new tables; its data stays, and its groups
    become branches of their own on first use."""
    url = fresh_database_url(tmp_path / "db")
    try:
        for label in ("settings", "points", "members", "checkin", "quiz", "reminder", "policy"):
            older = run_cli("db", "upgrade", f"{label}@head", workdir=tmp_path, database_url=url)
            assert older.returncode == 0, older.stderr
        assert not {"branch_branch", "roster_person"} & asyncio.run(tables(url))
        asyncio.run(
            execute(
                url,
                "INSERT INTO settings_featureswitch VALUES "
                "('123456', 'checkin', false, '2026-11-30 01:00:00+00', 'u1')",
            )
        )
        asyncio.run(
            execute(
                url,
                "INSERT INTO members_membername VALUES "
                "('123456', '20001', '老张', '2026-11-30 01:00:00+00')",
            )
        )

        newest = run_cli("db", "upgrade", workdir=tmp_path, database_url=url)
        assert newest.returncode == 0, newest.stderr
        assert asyncio.run(tables(url)) >= {
            "branch_branch",
            "branch_branchchat",
            "branch_linkrequest",
            "roster_person",
            "roster_account",
        }
        roster = tmp_path / "roster.csv"
        roster.write_text("姓名,QQ,职务\n张三,20001,书记\n", encoding="utf-8")
        imported = run_cli(
            "import-roster", str(roster), "--chat", "123456", workdir=tmp_path, database_url=url
        )
        assert imported.returncode == 0, imported.stdout + imported.stderr
        assert asyncio.run(execute(url, "SELECT chat_id FROM branch_branchchat")) == [("123456",)]
        assert asyncio.run(
            execute(url, "SELECT group_id, feature FROM settings_featureswitch")
        ) == [("123456", "checkin")]
        assert asyncio.run(execute(url, "SELECT name FROM members_membername")) == [("老张",)]
    finally:
        drop_database(url)
