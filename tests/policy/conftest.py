"""Fixtures of the policy tests: the starter library, small documents written on the fly."""

from __future__ import annotations

from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "data" / "docs"

FIGURES: list[str] = []
"""Lines printed at the end of the run (search quality figures)."""


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if FIGURES:
        terminalreporter.section("policy search quality")
        for line in FIGURES:
            terminalreporter.write_line(line)


async def load_starter_library():  # type: ignore[no-untyped-def]
    from plugins.policy import config, library

    report = await library.import_paths(
        [DOCS], authority="interpretation", **config.import_limits()
    )
    assert not report.failed, [(f.path, f.error) for f in report.failed]
    return report


@pytest.fixture
async def starter(clock):  # type: ignore[no-untyped-def]
    """The 43 starter documents, imported into the empty test database."""
    return await load_starter_library()


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
