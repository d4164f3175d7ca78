"""Group commit (bot.batch): batching, order of results, fallback one by one."""

from __future__ import annotations

import asyncio

import pytest

from bot.batch import GroupCommit


class Store:
    """A stand-in for a database: records each transaction's items."""

    def __init__(self, refuse: set[int] | None = None) -> None:
        self.transactions: list[list[int]] = []
        self.refuse = refuse or set()
        self.gate: asyncio.Event | None = None

    async def batch(self, items: list[int]) -> list[str]:
        if self.gate is not None:
            await self.gate.wait()
        await asyncio.sleep(0)
        if self.refuse & set(items):
            raise RuntimeError("constraint violated")
        self.transactions.append(items)
        return [f"ok {n}" for n in items]

    async def one(self, item: int) -> str:
        if item in self.refuse:
            raise ValueError(f"bad {item}")
        self.transactions.append([item])
        return f"alone {item}"


async def test_requests_arriving_together_share_a_transaction() -> None:
    store = Store()
    writer = GroupCommit("test", store.batch, store.one)
    results = await asyncio.gather(*(writer(n) for n in range(10)))
    assert results == [f"ok {n}" for n in range(10)]  # each caller gets its own result
    assert store.transactions == [list(range(10))]


async def test_requests_during_a_transaction_go_into_the_next() -> None:
    store = Store()
    store.gate = asyncio.Event()
    writer = GroupCommit("test", store.batch, store.one)
    first = asyncio.ensure_future(writer(0))
    await asyncio.sleep(0.01)  # the first transaction is running (held at the gate)
    later = [asyncio.ensure_future(writer(n)) for n in range(1, 6)]
    await asyncio.sleep(0.01)
    store.gate.set()
    assert await first == "ok 0"
    assert [await f for f in later] == [f"ok {n}" for n in range(1, 6)]
    assert store.transactions == [[0], [1, 2, 3, 4, 5]]
    assert writer.batches == 2


async def test_a_lone_request_is_written_at_once() -> None:
    store = Store()
    writer = GroupCommit("test", store.batch, store.one)
    assert await asyncio.wait_for(writer(7), timeout=1) == "ok 7"
    assert store.transactions == [[7]]


async def test_batches_are_capped() -> None:
    store = Store()
    writer = GroupCommit("test", store.batch, store.one, max_size=4)
    await asyncio.gather(*(writer(n) for n in range(10)))
    assert store.transactions == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]


async def test_a_failed_batch_is_written_one_by_one() -> None:
    """One bad request costs only its own answer."""
    store = Store(refuse={3})
    writer = GroupCommit("test", store.batch, store.one)
    results = await asyncio.gather(*(writer(n) for n in range(5)), return_exceptions=True)
    assert results[:3] == ["alone 0", "alone 1", "alone 2"]
    assert isinstance(results[3], ValueError)
    assert results[4] == "alone 4"
    assert store.transactions == [[0], [1], [2], [4]]


async def test_a_caller_that_gives_up_does_not_stop_the_others() -> None:
    store = Store()
    store.gate = asyncio.Event()
    writer = GroupCommit("test", store.batch, store.one)
    impatient = asyncio.ensure_future(writer(1))
    patient = asyncio.ensure_future(writer(2))
    await asyncio.sleep(0.01)
    impatient.cancel()
    store.gate.set()
    assert await patient == "ok 2"
    with pytest.raises(asyncio.CancelledError):
        await impatient
    assert store.transactions == [[1, 2]]  # the write itself stands


async def test_shutting_down_leaves_nobody_waiting() -> None:
    """The writer is cancelled mid-transaction (the bot stops): every waiting caller is told."""
    store = Store()
    store.gate = asyncio.Event()
    writer = GroupCommit("test", store.batch, store.one)
    callers = [asyncio.ensure_future(writer(n)) for n in range(3)]
    await asyncio.sleep(0.01)  # the first transaction holds all three
    more = asyncio.ensure_future(writer(3))  # waits for the next one
    await asyncio.sleep(0.01)
    assert writer._worker is not None
    writer._worker.cancel()
    results = await asyncio.wait_for(
        asyncio.gather(*callers, more, return_exceptions=True), timeout=1
    )
    assert all(isinstance(r, asyncio.CancelledError) for r in results)
    assert store.transactions == []


async def test_database_down_fails_the_batch_at_once_and_the_next_one_works() -> None:
    """No retry one by one when the database cannot be reached (each retry would wait for a
    connection of its own); nobody is told their write stands; the writer is not stuck."""
    from sqlalchemy.exc import OperationalError

    store = Store()
    down = OperationalError("BEGIN", {}, ConnectionRefusedError("connection refused"))
    tries: list[list[int]] = []

    async def batch(items: list[int]) -> list[str]:
        tries.append(items)
        if len(tries) == 1:
            raise down
        return await store.batch(items)

    writer = GroupCommit("test", batch, store.one)
    results = await asyncio.gather(*(writer(n) for n in range(3)), return_exceptions=True)
    assert results == [down, down, down]
    assert store.transactions == []  # `one` was never tried
    assert await asyncio.wait_for(writer(9), timeout=1) == "ok 9"
    assert tries == [[0, 1, 2], [9]]
