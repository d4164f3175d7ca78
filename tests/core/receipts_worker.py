"""A second (and third) process for the receipt tests: its own NoneBot, ORM and engine on
the test database. Prints `ready`, waits for `go` on stdin, then confirms every person given
at once and prints how many of its confirmations were new, as JSON.

    python -m tests.core.receipts_worker <database url> <subject id> <first person> <last person>
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile

import nonebot


async def _confirm_all(subject_id: int, people: range) -> dict[str, int]:
    from bot.receipts import confirm

    results = await asyncio.gather(*(confirm(subject_id, p, "private") for p in people))
    return {"new": sum(r.new for r in results), "repeat": sum(not r.new for r in results)}


def main() -> None:
    url, subject_id, first, last = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    from bot.app import CORE_PLUGINS, init_kwargs

    workdir = tempfile.mkdtemp(prefix="receipts-worker-")
    nonebot.init(
        **{
            **init_kwargs("server", url),
            "driver": "~none",
            "sqlalchemy_database_url": url,
            "localstore_data_dir": f"{workdir}/data",
            "localstore_cache_dir": f"{workdir}/cache",
            "localstore_config_dir": f"{workdir}/config",
            "log_level": "WARNING",
        }
    )
    for name in CORE_PLUGINS[: CORE_PLUGINS.index("bot.receipts") + 1]:
        nonebot.load_plugin(name)
    from bot.db import init_engines

    init_engines()
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    if sys.stdin.readline().strip() != "go":
        return
    counts = asyncio.run(_confirm_all(subject_id, range(first, last + 1)))
    sys.stdout.write(json.dumps(counts) + "\n")


if __name__ == "__main__":
    main()
