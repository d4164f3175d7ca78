"""Saying something once: a chat word that is also ordinary chat (收到, 到) gets its
explanation the first time, and silence after that."""

from __future__ import annotations

from collections.abc import Hashable


class TellOnce:
    """Remembers, in this process, what it has told whom: `first(key)` is True the first
    time a key is seen. Forgets everything past `limit` keys, so memory stays bounded (a
    forgotten key is told once more, which is harmless). Not shared between processes: with
    two, a person may hear it twice."""

    def __init__(self, limit: int = 10_000) -> None:
        self._told: set[Hashable] = set()
        self._limit = limit

    def first(self, key: Hashable) -> bool:
        if key in self._told:
            return False
        if len(self._told) > self._limit:
            self._told.clear()
        self._told.add(key)
        return True
