"""Group commit: concurrent writes of one kind share a transaction.

Forty members tapping 签到 in the same second would otherwise be forty transactions, each
a handful of statements and a commit, one after another on SQLite's single writer. With
`GroupCommit`, the first request starts a transaction at once; the requests that arrive
while it runs wait for it and then go together into the next one, written with a fixed
number of statements whatever their count. Nobody waits for a timer: a lone request is
written immediately, a crowd is written in a few large transactions.

Each request still gets its own answer, and only after the transaction holding it has
committed. When a batch fails as a whole (a constraint that the batch did not foresee, a
deadlock on PostgreSQL), each of its requests is retried on its own with `one`, so a single
bad request cannot take the others down with it. When the database could not be reached
(`bot.db.is_unavailable`), nobody is retried: each request fails at once with that error,
rather than after one more connection attempt per request in the batch.

No library found on PyPI does this: aiodataloader batches reads within one event-loop tick
and caches them; here a batch lasts as long as the previous transaction.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar, cast

from nonebot import logger

from bot.db import is_unavailable

T = TypeVar("T")
R = TypeVar("R")


class GroupCommit(Generic[T, R]):
    def __init__(
        self,
        name: str,
        batch: Callable[[list[T]], Awaitable[Sequence[R]]],
        one: Callable[[T], Awaitable[R]],
        *,
        max_size: int = 100,
    ) -> None:
        """`batch(items)` writes the items in one transaction and returns their results in
        order; `one(item)` writes a single item (the fallback when a batch fails)."""
        self.name = name
        self._batch = batch
        self._one = one
        self._max_size = max_size
        self._pending: list[tuple[T, asyncio.Future[R]]] = []
        self._worker: asyncio.Task[None] | None = None
        self.batches = 0
        """Transactions written so far (for tests and benchmarks)."""

    async def __call__(self, item: T) -> R:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[R] = loop.create_future()
        self._pending.append((item, future))
        worker = self._worker
        if worker is None or worker.done() or worker.get_loop() is not loop:
            self._worker = loop.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        try:
            while self._pending:
                taken = self._pending[: self._max_size]
                del self._pending[: self._max_size]
                await self._write(taken)
        except BaseException as e:  # cancelled (shutting down): nobody may wait forever
            taken, self._pending = self._pending, []
            for _, future in taken:
                _settle(future, error=e)
            raise

    async def _write(self, taken: list[tuple[T, asyncio.Future[R]]]) -> None:
        try:
            await self._write_together_or_each(taken)
        except BaseException as e:  # cancelled: nobody may wait forever
            for _, future in taken:
                _settle(future, error=e)
            raise

    async def _write_together_or_each(self, taken: list[tuple[T, asyncio.Future[R]]]) -> None:
        items = [item for item, _ in taken]
        try:
            results = await self._batch(items)
        except Exception as e:
            if is_unavailable(e):
                logger.warning(
                    f"{self.name}: database unreachable, {len(items)} not written: {e!r}"
                )
                for _, future in taken:
                    _settle(future, error=e)
                return
            logger.opt(exception=e).warning(
                f"{self.name}: a batch of {len(items)} failed, writing them one by one"
            )
            for item, future in taken:
                try:
                    result = await self._one(item)
                except Exception as error:
                    _settle(future, error=error)
                else:
                    _settle(future, result)
            return
        self.batches += 1
        for (_, future), result in zip(taken, results, strict=True):
            _settle(future, result)


def _settle(
    future: asyncio.Future[R], result: R | None = None, *, error: BaseException | None = None
) -> None:
    if future.done():  # the caller gave up waiting (cancelled); the write stands
        return
    if isinstance(error, asyncio.CancelledError):
        future.cancel()
    elif error is not None:
        future.set_exception(error)
    else:
        future.set_result(cast(R, result))
