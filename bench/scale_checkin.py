"""Boards and 我的 on a big group: 100,000 members, 2,000,000 ledger rows.

    python bench/scale_checkin.py [--members 100000] [--rows 2000000] [--database-url URL]

Fills a fresh database (SQLite in a temporary folder unless --database-url is given) with one
group's history — every ledger row a check-in on one of the last 60 days, totals per period
consistent with the ledger, a cached name for every member — then times, in this process,
what the handlers of `排行榜 本周`, `排行榜 总` and `我的` do (service calls, names included),
and prints p50 / p99 for each. Target: p50 under 50 ms.
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
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

GROUP = "900000001"
BATCH = 20_000


def setup(database_url: str, data_dir: Path) -> None:
    os.environ["LOCALSTORE_DATA_DIR"] = str(data_dir)
    os.environ["LOG_LEVEL"] = "WARNING"
    if database_url:
        os.environ["SQLALCHEMY_DATABASE_URL"] = database_url
    from bot import app

    app.setup("server")


async def fill(members: int, rows: int, today: date) -> None:
    from nonebot_plugin_orm import get_session
    from sqlalchemy import insert

    from bot.members.models import MemberName
    from bot.points import Period
    from bot.points.models import PointEntry, PointTotal
    from plugins.checkin.models import CheckIn, DayCounter

    rng = random.Random(20261128)
    days = [today - timedelta(days=n) for n in range(60)]
    # Each member checks in on a random subset of days; rows are spread so the total is exact.
    per_member = [rows // members + (1 if n < rows % members else 0) for n in range(members)]
    now = datetime.now(UTC)
    totals: dict[tuple[str, str], int] = defaultdict(int)
    counters: dict[date, int] = defaultdict(int)
    entries: list[dict] = []
    checkins: list[dict] = []

    async def flush() -> None:
        async with get_session() as session, session.begin():
            if entries:
                await session.execute(insert(PointEntry.__table__), entries)
            if checkins:
                await session.execute(insert(CheckIn.__table__), checkins)
        entries.clear()
        checkins.clear()

    started = time.perf_counter()
    for n in range(members):
        user = str(100_000_000 + n)
        chosen = sorted(rng.sample(days, per_member[n]), reverse=True)
        for day in chosen:
            counters[day] += 1
            amount = 5 + rng.randint(0, 5)
            entries.append(
                {
                    "group_id": GROUP,
                    "user_id": user,
                    "source": "checkin",
                    "reference": f"{GROUP}:{user}:{day.isoformat()}",
                    "amount": amount,
                    "reason": None,
                    "created_at": now,
                    "day": day,
                }
            )
            checkins.append(
                {
                    "group_id": GROUP,
                    "user_id": user,
                    "day": day,
                    "rank": counters[day],
                    "streak": 1,
                    "note": None,
                    "created_at": now,
                }
            )
            for period in Period:
                key = period.key(day)
                if period is Period.ALL or key == period.key(today):
                    totals[(user, key)] += amount
        if len(entries) >= BATCH:
            await flush()
    await flush()
    async with get_session() as session, session.begin():
        values = [
            {"group_id": GROUP, "user_id": user, "period": key, "amount": amount}
            for (user, key), amount in totals.items()
        ]
        for start in range(0, len(values), BATCH):
            await session.execute(insert(PointTotal.__table__), values[start : start + BATCH])
        await session.execute(
            insert(DayCounter.__table__),
            [{"group_id": GROUP, "day": day, "count": count} for day, count in counters.items()],
        )
        names = [
            {
                "group_id": GROUP,
                "user_id": str(100_000_000 + n),
                "name": f"党员{n}",
                "updated_at": now,
            }
            for n in range(members)
        ]
        for start in range(0, len(names), BATCH):
            await session.execute(insert(MemberName.__table__), names[start : start + BATCH])
    await analyze()
    print(
        f"filled {rows:,} ledger rows and check-ins for {members:,} members "
        f"in {time.perf_counter() - started:.0f} s",
        flush=True,
    )


async def analyze() -> None:
    """What autovacuum (PostgreSQL) or an operator's ANALYZE (SQLite) does after a bulk load:
    fresh planner statistics, and on PostgreSQL a visibility map for index-only scans."""
    import nonebot_plugin_orm as orm
    from sqlalchemy import text

    engine = orm._engines[""]
    if engine.dialect.name == "postgresql":
        async with engine.connect() as conn:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text("VACUUM ANALYZE"))
    else:
        async with engine.begin() as conn:
            await conn.execute(text("ANALYZE"))


async def measure(members: int, repeats: int) -> None:
    from bot.members import display_names
    from bot.points import Period, leaderboard, standing
    from plugins.checkin.service import streaks

    rng = random.Random(7)

    async def board(period: Period) -> None:
        me = str(100_000_000 + rng.randrange(members))
        rows = await leaderboard(GROUP, period)
        await standing(GROUP, me, period)
        await display_names(None, GROUP, [row.user_id for row in rows])

    async def mine() -> None:
        me = str(100_000_000 + rng.randrange(members))
        await standing(GROUP, me, Period.ALL)
        await standing(GROUP, me, Period.WEEK)
        await streaks(GROUP, me)

    cases = {
        "排行榜 本周": lambda: board(Period.WEEK),
        "排行榜 总": lambda: board(Period.ALL),
        "我的": mine,
    }
    for name, case in cases.items():
        for _ in range(5):
            await case()  # warm caches
        timings = []
        for _ in range(repeats):
            started = time.perf_counter()
            await case()
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        p99 = timings[min(len(timings) - 1, int(len(timings) * 0.99))]
        print(
            f"{name:<10} p50 {statistics.median(timings):7.2f} ms   p99 {p99:7.2f} ms   ({repeats} runs)"
        )


async def main(args: argparse.Namespace) -> None:
    from bot import clock
    from bot.db import upgrade_schema

    await upgrade_schema()
    today = clock.today()
    await fill(args.members, args.rows, today)
    await measure(args.members, args.repeats)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--repeats", type=int, default=200)
    parser.add_argument("--database-url", default="")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        setup(arguments.database_url, Path(tmp))
        asyncio.run(main(arguments))
