"""Reminder tests drive the passes themselves: the plugin's jobs are suspended, and pushes go
to a recording postman unless a test uses the real outbox."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

import pytest


@dataclass
class FakePostman:
    """Records what would be sent; `fail` makes deliveries fail (bot offline)."""

    fail: bool = False
    offline: bool = False
    sent: list[tuple[str, str, str, bool]] = field(default_factory=list)
    """(kind, chat_id, text, late)."""
    summaries: list[tuple[str, str, str]] = field(default_factory=list)

    async def prepare(self, chats: set[tuple[str, str]]) -> None:
        pass

    async def deliver(self, claim, now: datetime):  # type: ignore[no-untyped-def]
        from plugins.reminder import messages
        from plugins.reminder.firings import Outcome
        from plugins.reminder.models import FAILED, SENT

        if self.fail:
            return Outcome(claim.firing_id, FAILED, now, error="no bot connected")
        self.sent.append(
            (claim.chat_kind, claim.chat_id, messages.fired(claim, now), claim.late(now))
        )
        return Outcome(claim.firing_id, SENT, now, late=claim.late(now))

    async def reachable(self, kind: str, chat_id: str, bot_id: str) -> bool:
        return not self.offline

    async def notify(self, kind, chat_id, misses, text) -> bool:  # type: ignore[no-untyped-def]
        if self.fail:
            return False
        self.summaries.append((kind, chat_id, text))
        return True

    def texts(self) -> list[str]:
        return [text for _, _, text, _ in self.sent]


@pytest.fixture(autouse=True)
def _suspend_jobs() -> Iterator[None]:
    from plugins.reminder import jobs

    jobs.state.suspended = True
    try:
        yield
    finally:
        jobs.state.suspended = False
        jobs.state.pending.clear()
        jobs.state.results.clear()


@pytest.fixture
def postman() -> FakePostman:
    return FakePostman()
