from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _fresh_watch(_clean_tables: None) -> Iterator[None]:
    """The matcher lives in memory: every test starts with nothing watched."""
    from plugins.rules import watch

    watch.reset()
    yield
    watch.reset()
