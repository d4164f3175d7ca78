"""`python -m bot <subcommand>` as an operator runs it, in a fresh data directory."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

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


def test_help_lists_the_subcommands(tmp_path: Path) -> None:
    result = run_cli("--help", workdir=tmp_path, database_url="sqlite+aiosqlite://")
    assert result.returncode == 0, result.stderr
    for name in ("run", "console", "db"):
        assert f"    {name}" in result.stdout


def test_unknown_subcommand_is_refused_with_usage(tmp_path: Path) -> None:
    result = run_cli("fly", workdir=tmp_path, database_url="sqlite+aiosqlite://")
    assert result.returncode == 2
    assert "invalid choice: 'fly'" in result.stderr


def test_db_upgrade_creates_the_schema_and_keeps_data(tmp_path: Path) -> None:
    url = fresh_database_url(tmp_path / "db")
    try:
        first = run_cli("db", "upgrade", workdir=tmp_path, database_url=url)
        assert first.returncode == 0, first.stderr
        assert "数据库已是最新版本" in first.stdout
        status = run_cli("db", "status", workdir=tmp_path, database_url=url)
        assert status.returncode == 0, status.stderr
        assert "(head)" in status.stdout + status.stderr
        if url.startswith("sqlite"):
            path = url.split("///", 1)[1]
            with sqlite3.connect(path) as conn:
                conn.execute(
                    "INSERT INTO settings_featureswitch VALUES ('g1', 'checkin', 0, '2026-11-30 01:00:00', 'u1')"
                )
            again = run_cli("db", "upgrade", workdir=tmp_path, database_url=url)
            assert again.returncode == 0, again.stderr
            with sqlite3.connect(path) as conn:
                rows = conn.execute(
                    "SELECT group_id, enabled FROM settings_featureswitch"
                ).fetchall()
            assert rows == [("g1", 0)]
    finally:
        drop_database(url)


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
