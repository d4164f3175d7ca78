"""The library at the revision before documents had a standing: upgraded by the bot, its
documents keep their rows and get the standing an import would give them."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.core.test_cli import execute, run_cli
from tests.dbutil import drop_database, fresh_database_url

BEFORE = "510548e9d494"
"""policy's revision before b913311b28ba (document authority and title source)."""

_NOW = "'2026-11-30 01:00:00+00'"


def _document(id_: int, source: str) -> str:
    return (
        "INSERT INTO policy_document (id, source, title, category, kind, content_hash, "
        f"section_count, created_at, updated_at) VALUES ({id_}, '{source}', 'T{id_}', '其他', "
        f"'txt', 'h{id_}', 3, {_NOW}, {_NOW})"
    )


def _section(id_: int, document: int, heading: str) -> str:
    return (
        "INSERT INTO policy_section (id, document_id, number, position, heading, path, part, "
        f"text, text_hash) VALUES ({id_}, {document}, {id_}, {id_}, '{heading}', '{heading}', 0, "
        f"'{heading} 正文', 's{id_}')"
    )


def test_upgrade_gives_existing_documents_their_standing(tmp_path: Path) -> None:
    url = fresh_database_url(tmp_path / "db")
    try:
        older = run_cli("db", "upgrade", f"{BEFORE}", workdir=tmp_path, database_url=url)
        assert older.returncode == 0, older.stderr
        statements = [
            _document(1, "data/docs/党费/a.md"),
            _document(2, "/home/secretary/条例.txt"),
            _document(3, "upload:计划.md"),
            *(_section(n, 2, f"第{c}条") for n, c in ((1, "一"), (2, "二"), (3, "三"))),
            _section(4, 1, "一、比例"),
            _section(5, 3, "一、安排"),
        ]
        for statement in statements:
            asyncio.run(execute(url, statement))
        newest = run_cli("db", "upgrade", workdir=tmp_path, database_url=url)
        assert newest.returncode == 0, newest.stderr
        rows = asyncio.run(
            execute(url, "SELECT id, authority, title_from FROM policy_document ORDER BY id")
        )
        assert rows == [(1, "interpretation", ""), (2, "official", ""), (3, "branch", "")]
        count = asyncio.run(execute(url, "SELECT COUNT(*) FROM policy_section"))
        assert count == [(5,)]
    finally:
        drop_database(url)
