"""Receipts at scale: a branch of 2,000 people, 500 subjects and their receipts.

    python bench/receipts_scale.py [--people 2000] [--subjects 500] [--runs 200]
                                   [--pacing 0.05] [--database-url URL]

Fills a database (SQLite in a temporary folder unless --database-url names an existing,
preferably empty, one; this script's rows are deleted first) with `subjects` notices of one
branch, each confirmed by 60–98% of `people`, then measures in this process:

1. what `回执` needs: `subject(id)` + `completion(id, <all people>)`, p50 / p99 over `runs`
   random subjects (target p50 < 50 ms);
2. 200 people sending 收到 at the same moment, a quarter of them twice: with group commit
   (`confirm`) and without it (each its own transaction), wall time and transactions;
3. `claim_nudges` for the 1,500 who have not confirmed a new notice, and the same call again
   (催办 twice the same day: nobody claimed), and `nudge` through `bot.outbox` to a fake
   OneBot account (pacing 0 here), twice at once as two schedulers would: no one gets two;
4. `催办` as the command does it, on a roster of `people` bound to QQ accounts: 1,500 of them
   have not confirmed; `desk.claim_chase` claims them and `jobs.deliver` sends every nudge
   through the paced outbox (`--pacing` seconds between messages, default 0.05; the bot's
   default is BOT_SEND_INTERVAL 0.5 + up to 0.3 jitter), then 催办 again the same day claims
   nobody. Reports the wall time, the rate, and the most messages any one person got.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

BRANCH = 1
FIRST_QQ = 2_000_000_000
START = datetime(2026, 9, 1, 1, 0, tzinfo=UTC)


def setup(database_url: str, data_dir: Path) -> None:
    os.environ["LOCALSTORE_DATA_DIR"] = str(data_dir)
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ["BOT_SEND_INTERVAL"] = "0"
    os.environ["BOT_SEND_JITTER"] = "0"
    if database_url:
        os.environ["SQLALCHEMY_DATABASE_URL"] = database_url
    from bot import app

    app.setup("server")


async def clear() -> None:
    from nonebot_plugin_orm import get_session
    from sqlalchemy import delete

    from bot.receipts.models import Nudge, Receipt, Subject

    async with get_session() as session, session.begin():
        for table in (Nudge, Receipt, Subject):
            await session.execute(delete(table))


async def fill(people: int, subjects: int) -> list[int]:
    from nonebot_plugin_orm import get_session
    from sqlalchemy import insert

    from bot.receipts import create_subject
    from bot.receipts.models import Receipt

    rng = random.Random(20261205)
    started = time.perf_counter()
    ids: list[int] = []
    total = 0
    for n in range(subjects):
        at = START + timedelta(hours=6 * n)
        made, _ = await create_subject(
            BRANCH,
            "notice",
            f"bench-{n}",
            f"第{n + 1}号通知：学习材料",
            created_by="1",
            deadline=at + timedelta(days=2),
            now=at,
        )
        ids.append(made.id)
        share = rng.uniform(0.6, 0.98)
        confirmed = [p for p in range(1, people + 1) if rng.random() < share]
        rows = [
            {
                "subject_id": made.id,
                "person_id": p,
                "confirmed_at": at + timedelta(minutes=rng.randint(1, 4000)),
                "channel": "private" if p % 3 == 0 else "group:100",
                "late": False,
            }
            for p in confirmed
        ]
        for row in rows:
            row["late"] = row["confirmed_at"] > at + timedelta(days=2)
        async with get_session() as session, session.begin():
            await session.execute(insert(Receipt.__table__), rows)
        total += len(rows)
    print(
        f"filled {subjects} subjects, {total:,} receipts of {people:,} people "
        f"in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    return ids


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


async def bench_completion(ids: list[int], people: int, runs: int) -> None:
    from bot.receipts import completion, subject

    expected = list(range(1, people + 1))
    rng = random.Random(7)
    times: list[float] = []
    for _ in range(runs):
        subject_id = rng.choice(ids)
        started = time.perf_counter()
        found = await subject(subject_id)
        assert found is not None
        done = await completion(subject_id, expected)
        times.append((time.perf_counter() - started) * 1000)
        assert done.expected_count == people
    print(
        f"回执 (subject + completion of {people:,} expected), {runs} runs: "
        f"p50 {statistics.median(times):.1f} ms, p99 {percentile(times, 0.99):.1f} ms "
        f"(target p50 < 50 ms)",
        flush=True,
    )


async def bench_confirm(now: datetime) -> None:
    from bot.receipts import confirm, create_subject, service

    people = list(range(1, 201))
    twice = people[::4]
    for label, grouped in (("group commit", True), ("one transaction each", False)):
        made, _ = await create_subject(
            BRANCH, "notice", f"crowd-{label}", "收到测试", created_by="1", now=now
        )
        batches = service._writer.batches
        started = time.perf_counter()
        if grouped:
            results = await asyncio.gather(
                *(confirm(made.id, p, "group:100", now) for p in people + twice)
            )
        else:
            results = await asyncio.gather(
                *(
                    service._confirm_one(service._Request(made.id, p, "group:100", now))
                    for p in people + twice
                )
            )
        took = (time.perf_counter() - started) * 1000
        new = sum(1 for r in results if isinstance(r, service.Confirmation) and r.new)
        transactions = service._writer.batches - batches if grouped else len(results)
        print(
            f"250 收到 at once (200 people, 50 twice), {label}: {took:.0f} ms, "
            f"{transactions} transactions, {new} new, {len(results) - new} already recorded",
            flush=True,
        )
        assert new == 200


async def bench_nudges(people: int, now: datetime) -> None:
    import nonebot
    from nonebot.adapters.onebot import v11

    from bot import outbox
    from bot.receipts import claim_nudges, completion, confirm, create_subject, nudge

    made, _ = await create_subject(BRANCH, "notice", "nudge", "请尽快确认", created_by="1", now=now)
    expected = list(range(1, people + 1))
    for p in expected[: people - 1500]:
        await confirm(made.id, p, "private", now)
    missing = (await completion(made.id, expected)).missing
    started = time.perf_counter()
    claimed = await claim_nudges(made.id, missing, now)
    first = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    again = await claim_nudges(made.id, missing, now)
    second = (time.perf_counter() - started) * 1000
    print(
        f"claim_nudges for {len(missing):,} people: {first:.0f} ms ({len(claimed):,} claimed); "
        f"again the same day: {second:.0f} ms ({len(again)} claimed)",
        flush=True,
    )

    received: dict[str, int] = {}
    adapter = nonebot.get_adapter("OneBot V11")

    class FakeAccount(v11.Bot):
        async def call_api(self, api: str, **data: Any) -> Any:
            if api == "send_private_msg":
                user = str(data["user_id"])
                received[user] = received.get(user, 0) + 1
                return {"message_id": len(received)}
            raise RuntimeError(f"unexpected API call {api}")

    account = FakeAccount(adapter, "10000")
    nonebot.get_driver()._bots[account.self_id] = account

    async def send(person_id: int) -> bool:
        delivery = await outbox.send_to_user(
            str(FIRST_QQ + person_id), "请确认通知", bot_id="10000"
        )
        return delivery.ok or delivery.uncertain

    made, _ = await create_subject(
        BRANCH, "notice", "nudge-2", "请尽快确认", created_by="1", now=now
    )
    started = time.perf_counter()
    reports = await asyncio.gather(
        nudge(made.id, expected[:1500], send, now), nudge(made.id, expected[:1500], send, now)
    )
    took = time.perf_counter() - started
    sent = sum(len(r.sent) for r in reports)
    print(
        f"nudge 1,500 people through bot.outbox (pacing 0), two callers at once: {took:.1f} s, "
        f"{sent:,} sent, {len(received):,} people reached, most to one person: "
        f"{max(received.values())}",
        flush=True,
    )
    assert sent == 1500
    assert max(received.values()) == 1


def fake_account(received: dict[str, int]) -> Any:
    """A connected OneBot v11 account that counts the private messages each user gets."""
    import nonebot
    from nonebot.adapters.onebot import v11

    class FakeAccount(v11.Bot):
        async def call_api(self, api: str, **data: Any) -> Any:
            if api == "send_private_msg":
                user = str(data["user_id"])
                received[user] = received.get(user, 0) + 1
                return {"message_id": sum(received.values())}
            if api == "get_group_list":
                return []
            raise RuntimeError(f"unexpected API call {api}")

    account = FakeAccount(nonebot.get_adapter("OneBot V11"), "10001")
    nonebot.get_driver()._bots[account.self_id] = account
    return account


async def bench_chase(people: int, pacing: float, now: datetime) -> None:
    from nonebot_plugin_orm import get_session
    from sqlalchemy import delete, insert, select

    from bot.branch import branch_of
    from bot.config import core_config
    from bot.receipts import NOTICE, confirm, create_subject, desk, jobs
    from bot.roster.models import Account, Person

    branch = await branch_of("qq", "424242")
    async with get_session() as session, session.begin():
        await session.execute(delete(Person).where(Person.branch_id == branch.id))
        await session.execute(
            insert(Person),
            [
                {
                    "branch_id": branch.id,
                    "name": f"人员{n:05d}",
                    "status": "正式党员",
                    "party_group": f"第{n % 8 + 1}党小组",
                    "office": "",
                    "created_at": now,
                    "updated_at": now,
                }
                for n in range(people)
            ],
        )
        ids = list(
            await session.scalars(
                select(Person.id).where(Person.branch_id == branch.id).order_by(Person.id)
            )
        )
        await session.execute(
            insert(Account),
            [
                {
                    "platform": "qq",
                    "user_id": str(FIRST_QQ + 100_000 + n),
                    "person_id": person_id,
                    "bound_at": now,
                    "bound_by": "import",
                }
                for n, person_id in enumerate(ids)
            ],
        )
    made, _ = await create_subject(
        branch.id, NOTICE, "chase-bench", "请尽快确认", created_by="1", now=now
    )
    await asyncio.gather(*(confirm(made.id, p, "private", now) for p in ids[: people - 1500]))
    timings = []
    for _ in range(50):
        started = time.perf_counter()
        done, _people = await desk.completion_of(made)
        timings.append((time.perf_counter() - started) * 1000)
    print(
        f"回执 as the command does it (roster of {people:,} with their accounts + completion), "
        f"50 runs: p50 {statistics.median(timings):.1f} ms, p99 {percentile(timings, 0.99):.1f} ms "
        f"({done.confirmed_count:,}/{done.expected_count:,})",
        flush=True,
    )
    received: dict[str, int] = {}
    fake_account(received)
    config = core_config()
    config.bot_send_interval, config.bot_send_jitter = pacing, 0.0
    started = time.perf_counter()
    result = await desk.claim_chase(made, now)
    claimed_ms = (time.perf_counter() - started) * 1000
    await jobs.deliver(made, result.claimed, now, via="10001")
    took = time.perf_counter() - started
    again = await desk.claim_chase(made, now)
    config.bot_send_interval = 0.0
    print(
        f"催办 on a roster of {people:,}: {len(result.claimed):,} claimed in {claimed_ms:.0f} ms, "
        f"all sent through the outbox at {pacing} s pacing in {took:.1f} s "
        f"({len(result.claimed) / took:.1f}/s; at the default 0.5 s + ≤0.3 s jitter that is "
        f"about {len(result.claimed) * 0.65 / 60:.0f} min); {len(received):,} people reached, "
        f"most to one person: {max(received.values())}; 催办 again the same day claimed "
        f"{len(again.claimed)}",
        flush=True,
    )
    assert len(received) == len(result.claimed) == 1500
    assert max(received.values()) == 1
    assert not again.claimed


async def main(args: argparse.Namespace) -> None:
    from nonebot_plugin_orm import get_session

    from bot.db import upgrade_schema

    await upgrade_schema()
    await clear()
    async with get_session() as session:
        print(f"database: {session.get_bind().dialect.name}", flush=True)
    ids = await fill(args.people, args.subjects)
    now = START + timedelta(hours=6 * args.subjects)
    await bench_completion(ids, args.people, args.runs)
    await bench_confirm(now)
    await bench_nudges(args.people, now)
    await bench_chase(args.people, args.pacing, now)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Receipts at scale (see the docstring).")
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--subjects", type=int, default=500)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--pacing", type=float, default=0.05)
    parser.add_argument("--database-url", default="")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="receipts-bench-") as tmp:
        url = arguments.database_url or f"sqlite+aiosqlite:///{tmp}/bench.sqlite3"
        setup(url, Path(tmp) / "data")
        asyncio.run(main(arguments))
