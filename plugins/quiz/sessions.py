"""Practice rounds: one member answers questions one by one with bare replies (`B`, `对`).

A round lives in memory in the process that serves the chat; every answer given is stored at
once (attempts, 错题本, points), so a restart loses only the unanswered rest of the round.
Only the member who started a round is listened to; everyone else's messages pass by.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Literal

from .service import QuestionView

Mode = Literal["practice", "challenge", "review"]
Key = tuple[str, str, str]
"""(chat kind, chat id, user id)."""


@dataclass
class Round:
    key: Key
    mode: Mode
    scope: str
    """Group id for points and statistics, or `private`."""
    questions: list[QuestionView]
    total: int | None
    """Questions in the round; None for a challenge (until the first wrong answer)."""
    index: int = 0
    right: int = 0
    answered: int = 0
    points: int = 0
    last_active: float = field(default_factory=time.monotonic)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    timer: asyncio.Task[None] | None = None

    @property
    def current(self) -> QuestionView:
        return self.questions[self.index]

    @property
    def number(self) -> int:
        return self.index + 1


_rounds: dict[Key, Round] = {}

OnTimeout = Callable[[Round], Awaitable[None]]


def get(key: Key) -> Round | None:
    return _rounds.get(key)


def get_any() -> bool:
    """Whether any round is running (a cheap first check for every message)."""
    return bool(_rounds)


def start(round_: Round, idle_limit: float, on_timeout: OnTimeout) -> Round:
    """Begin a round; it ends by itself after `idle_limit` seconds without an answer."""
    stop(round_.key)
    _rounds[round_.key] = round_
    round_.timer = asyncio.create_task(_watch(round_, idle_limit, on_timeout))
    return round_


def stop(key: Key) -> Round | None:
    round_ = _rounds.pop(key, None)
    if (
        round_ is not None
        and round_.timer is not None
        and round_.timer is not asyncio.current_task()
    ):
        round_.timer.cancel()
    return round_


def clear() -> None:
    for key in list(_rounds):
        stop(key)


async def _watch(round_: Round, idle_limit: float, on_timeout: OnTimeout) -> None:
    while True:
        idle = time.monotonic() - round_.last_active
        if idle >= idle_limit:
            break
        await asyncio.sleep(idle_limit - idle)
    if _rounds.get(round_.key) is round_:
        async with round_.lock:
            if _rounds.get(round_.key) is not round_:
                return
            stop(round_.key)
        await on_timeout(round_)
