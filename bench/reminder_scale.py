"""Reminders at scale: 10,000 active reminders across 1,000 groups.

    python bench/reminder_scale.py [--groups 1000] [--per-group 10] [--due 10000]
                                   [--accounts 1] [--database-url URL] [--down-minutes N]

Fills a fresh database (SQLite in a temporary folder unless --database-url is given) with
`groups × per-group` active reminders of mixed kinds (daily, weekly, monthly, workday, cron),
`--due` of them due at one shared minute M, then in this process, as the bot does:

1. start-up load: the plugin's start-up step (`jobs.start`: count, catch-up pass, jobs armed),
   with the bot's clock a few seconds before M — target under 2 s;
2. firing lateness at M: APScheduler's wake-up job fires, the pass claims every firing in the
   database and the core outbox sends them through fake OneBot v11 accounts (in-process, each
   in `groups / accounts` groups); lateness = when the account's `send_group_msg` is called,
   on the bot's clock, minus M. Target p99 under 5 s.

With --down-minutes N the process instead starts N minutes after M (it was down over the
shared minute) and the start-up catch-up is timed: sent late within the grace period,
recorded as missed beyond it.

Pacing is set to 0 (BOT_SEND_INTERVAL=0, BOT_SEND_JITTER=0) so the figure is the scheduler's
own; with the default pacing (0.5 s + up to 0.3 s per message and account) N messages through
one account take N × ~0.65 s by design, whatever the scheduler does.
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
from datetime import time as dtime
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

FIRST_GROUP = 800_000_000
LEAD = timedelta(seconds=4)
"""The bot's clock starts this long before the shared minute."""


def setup(database_url: str, data_dir: Path) -> None:
    os.environ["LOCALSTORE_DATA_DIR"] = str(data_dir)
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ["BOT_SEND_INTERVAL"] = "0"
    os.environ["BOT_SEND_JITTER"] = "0"
    if database_url:
        os.environ["SQLALCHEMY_DATABASE_URL"] = database_url
    from bot import app

    app.setup("server")


def schedules() -> list[Any]:
    from bot.when import Schedule

    return [
        Schedule("daily", tod=dtime(8, 0)),
        Schedule("weekly", tod=dtime(15, 0), days=(4,)),
        Schedule("weekly", tod=dtime(7, 30), days=(0, 2, 4)),
        Schedule("monthly", tod=dtime(9, 0), days=(1,)),
        Schedule("monthly", tod=dtime(9, 0), days=(-1,)),
        Schedule("monthly_weekday", tod=dtime(15, 0), days=(4,), nth=1),
        Schedule("quarterly", tod=dtime(9, 0), days=(5,), month=1),
        Schedule("workday", tod=dtime(8, 30)),
        Schedule("cron", expr="0 9 * * 1"),
        Schedule("yearly", tod=dtime(9, 0), days=(1,), month=7),
    ]


async def fill(groups: int, per_group: int, due: int, minute: datetime) -> None:
    from nonebot_plugin_orm import get_session
    from sqlalchemy import insert

    from plugins.reminder.models import ChatCounter, Reminder

    kinds = schedules()
    rng = random.Random(20261201)
    rows: list[dict[str, Any]] = []
    started = time.perf_counter()
    # The due ones are spread over the groups: 1,000 due means one in every group.
    order = sorted(range(groups * per_group), key=lambda i: (i % per_group, i // per_group))
    due_indexes = set(order[:due])
    for index in range(groups * per_group):
        g, n = divmod(index, per_group)
        schedule = kinds[(g + n) % len(kinds)]
        later = minute + timedelta(minutes=rng.randint(1, 600))
        rows.append(
            {
                "chat_kind": "group",
                "chat_id": str(FIRST_GROUP + g),
                "number": n + 1,
                "bot_id": "10000",
                "creator_id": "1",
                "kind": schedule.kind,
                "spec": schedule.to_spec(),
                "content": f"第{n + 1}项：三会一课学习",
                "mention_all": False,
                "state": "active",
                "next_fire_at": minute if index in due_indexes else schedule.next_after(later),
                "template": None,
                "created_at": minute - timedelta(days=1),
                "updated_at": minute - timedelta(days=1),
            }
        )
    async with get_session() as session, session.begin():
        for start in range(0, len(rows), 5000):
            await session.execute(insert(Reminder.__table__), rows[start : start + 5000])
        await session.execute(
            insert(ChatCounter.__table__),
            [
                {"chat_kind": "group", "chat_id": str(FIRST_GROUP + g), "last_number": per_group}
                for g in range(groups)
            ],
        )
    print(
        f"filled {len(rows):,} reminders in {groups:,} groups "
        f"({sum(1 for r in rows if r['next_fire_at'] == minute):,} due at the shared minute) "
        f"in {time.perf_counter() - started:.1f} s",
        flush=True,
    )


class Recorder:
    def __init__(self, minute: datetime, expected: int) -> None:
        self.minute = minute
        self.expected = expected
        self.lateness: list[float] = []
        self.per_group: dict[int, int] = {}
        self.done = asyncio.Event()

    def record(self, group_id: int) -> None:
        from bot import clock

        self.lateness.append((clock.now() - self.minute).total_seconds())
        self.per_group[group_id] = self.per_group.get(group_id, 0) + 1
        if len(self.lateness) >= self.expected:
            self.done.set()


def fake_accounts(count: int, groups: int, recorder: Recorder) -> list[Any]:
    import nonebot
    from nonebot.adapters.onebot import v11

    adapter = nonebot.get_adapter("OneBot V11")

    class FakeAccount(v11.Bot):
        """An account whose API calls are answered in-process."""

        mine: list[int]

        async def call_api(self, api: str, **data: Any) -> Any:
            if api == "get_group_list":
                return [{"group_id": g} for g in self.mine]
            if api == "send_group_msg":
                recorder.record(int(data["group_id"]))
                return {"message_id": len(recorder.lateness)}
            if api == "get_group_member_info":
                return {"role": "member"}
            raise RuntimeError(f"unexpected API call {api}")

    accounts = []
    for a in range(count):
        account = FakeAccount(adapter, str(10000 + a))
        account.mine = [FIRST_GROUP + g for g in range(groups) if g % count == a]
        accounts.append(account)
    return accounts


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


async def main(args: argparse.Namespace) -> None:
    import nonebot
    from nonebot_plugin_apscheduler import scheduler
    from nonebot_plugin_orm import get_session
    from sqlalchemy import func, select

    from bot import clock
    from bot.db import upgrade_schema
    from plugins.reminder import jobs
    from plugins.reminder.models import Firing

    await upgrade_schema()
    minute = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai, a Tuesday
    total = args.groups * args.per_group
    due = min(args.due, total)
    await fill(args.groups, args.per_group, due, minute)

    recorder = Recorder(minute, due)
    driver = nonebot.get_driver()
    for account in fake_accounts(args.accounts, args.groups, recorder):
        driver._bots[account.self_id] = account  # as if it had connected (no connect hooks)

    if args.down_minutes:
        # The bot was down over the shared minute and starts `down_minutes` after it: the
        # start-up step catches up (late within the grace period, recorded as missed beyond).
        clock.set_clock(clock.OffsetClock(minute + timedelta(minutes=args.down_minutes)))
        scheduler.start()
        started = time.perf_counter()
        load_seconds = await jobs.start()
        await asyncio.gather(*list(jobs.state.tasks))
        await jobs.flush()
        print(
            f"start-up {args.down_minutes} min after the shared minute, {total:,} active, "
            f"{due:,} overdue: start-up step {load_seconds * 1000:.0f} ms, its sends done after "
            f"{(time.perf_counter() - started) * 1000:.0f} ms "
            f"({len(recorder.lateness):,} messages: late reminders, or one summary per group)",
            flush=True,
        )
        async with get_session() as session:
            statuses = dict(
                (
                    await session.execute(
                        select(Firing.status, func.count()).group_by(Firing.status)
                    )
                ).all()
            )
        print(f"firings recorded: {statuses}")
        scheduler.shutdown(wait=False)
        return

    clock.set_clock(clock.OffsetClock(minute - LEAD))
    scheduler.start()
    started = time.perf_counter()
    load_seconds = await jobs.start()
    measured = time.perf_counter() - started
    print(
        f"start-up load with {total:,} active reminders: {load_seconds * 1000:.0f} ms "
        f"(jobs.start, measured outside: {measured * 1000:.0f} ms; target < 2000 ms)",
        flush=True,
    )
    try:
        await asyncio.wait_for(recorder.done.wait(), timeout=LEAD.total_seconds() + 120)
    except TimeoutError:
        print(f"only {len(recorder.lateness):,} of {due:,} sends arrived within the time limit")
    await asyncio.sleep(1.0)  # a straggler would show as a second send
    await jobs.flush()
    lateness = recorder.lateness
    if lateness:
        print(
            f"firing lateness at the shared minute, {len(lateness):,} reminders in "
            f"{len(recorder.per_group):,} groups through {args.accounts} account(s): "
            f"p50 {statistics.median(lateness):.2f} s   p99 {percentile(lateness, 0.99):.2f} s   "
            f"max {max(lateness):.2f} s   (target p99 < 5 s)"
        )
    duplicates = sum(1 for n in recorder.per_group.values() if n > args.per_group)

    async with get_session() as session:
        statuses = dict(
            (
                await session.execute(select(Firing.status, func.count()).group_by(Firing.status))
            ).all()
        )
        claimed = (
            await session.execute(select(func.min(Firing.created_at), func.max(Firing.created_at)))
        ).one()
    print(f"firings recorded: {statuses}; groups sent more than they have: {duplicates}")
    if claimed[0] is not None:
        first, last = ((at - minute).total_seconds() for at in claimed)
        print(f"passes that claimed them started {first:.2f} s to {last:.2f} s after the minute")
    scheduler.shutdown(wait=False)


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--groups", type=int, default=1000)
    parser.add_argument("--per-group", type=int, default=10)
    parser.add_argument("--due", type=int, default=10_000, help="how many share the minute")
    parser.add_argument("--accounts", type=int, default=1)
    parser.add_argument("--database-url", default="")
    parser.add_argument(
        "--down-minutes",
        type=int,
        default=0,
        help="instead: start this long after the shared minute (a restart after downtime)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-reminder-") as tmp:
        url = args.database_url or f"sqlite+aiosqlite:///{Path(tmp) / 'bench.sqlite3'}"
        setup(url, Path(tmp) / "data")
        asyncio.run(main(args))


if __name__ == "__main__":
    cli()
