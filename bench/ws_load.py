"""Closed-loop load driver for a NoneBot2 OneBot v11 bot over reverse WebSocket.

One fake OneBot connection (``tests/e2e/onebot``) plays N busy groups:
each group sends the command as a group message from its own user, waits for
the bot's reply to that group, then sends the next one, until the request
budget or the time budget runs out. Latency is measured from sending the
event to receiving the bot's send call for that group.

    python bench/ws_load.py --url ws://127.0.0.1:8080/onebot/v11/ws \\
        --command 帮助 --groups 50 --requests 2000 --duration 30

Import :func:`run_load` to drive it from another script (e.g. to compare two
bots). Only loopback addresses are accepted.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import json
import math
import os
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from tests.e2e.onebot import FakeOneBot, WaitTimeout

FIRST_GROUP_ID = 700_000_000
FIRST_USER_ID = 800_000_000
WARMUP_GROUP_ID = FIRST_GROUP_ID - 1
WARMUP_USER_ID = FIRST_USER_ID - 1


def ensure_loopback(url: str) -> None:
    """Refuse anything but a ws:// URL on a loopback address."""
    parts = urlsplit(url)
    if parts.scheme not in {"ws", "wss"} or not parts.hostname:
        raise ValueError(f"not a WebSocket URL: {url!r}")
    if parts.hostname == "localhost":
        return
    try:
        loopback = ipaddress.ip_address(parts.hostname).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise ValueError(f"load tests run against loopback only, got {parts.hostname!r}")


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Linear-interpolated percentile of an ascending list (``fraction`` in [0, 1])."""
    if not sorted_values:
        return math.nan
    position = (len(sorted_values) - 1) * fraction
    low = math.floor(position)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


async def run_load(
    url: str,
    command: str,
    groups: int,
    requests: int,
    duration: float,
    token: str | None = None,
    *,
    self_id: int = 10000,
    warmup: int = 10,
    reply_timeout: float = 10.0,
    fresh_users: bool = False,
) -> dict[str, Any]:
    """Run the closed loop and return its figures.

    ``requests`` bounds the total number of measured requests, ``duration``
    (seconds) the time in which new ones are started. ``warmup`` requests are
    sent one by one from a separate group first and not measured. The result
    has ``rps``, ``p50_ms`` and ``p99_ms`` plus ``completed``, ``errors``
    (replies that did not come within ``reply_timeout``), ``elapsed_s``,
    ``mean_ms``, ``max_ms``, ``groups`` and ``client_cpu_pct`` (the driver's
    own CPU use, to tell when the driver rather than the bot is the limit).
    With ``fresh_users`` every request comes from a member not seen before
    (so ``签到`` is a real check-in each time, not an "already checked in").
    """
    ensure_loopback(url)
    if groups < 1 or requests < 1 or duration <= 0:
        raise ValueError("groups and requests must be >= 1 and duration > 0")

    latencies: list[float] = []
    errors = 0
    issued = 0

    async with FakeOneBot(url, self_id=self_id, access_token=token, store_messages=False) as ob:
        for _ in range(warmup):
            await ob.group_message(WARMUP_GROUP_ID, WARMUP_USER_ID, command)
            await ob.reply_to_group(WARMUP_GROUP_ID, timeout=reply_timeout)

        start = time.perf_counter()
        cpu_start = time.process_time()
        deadline = start + duration

        async def group_loop(index: int) -> None:
            nonlocal issued, errors
            group_id, user_id = FIRST_GROUP_ID + index, FIRST_USER_ID + index
            while issued < requests and time.perf_counter() < deadline:
                issued += 1
                if fresh_users:
                    user_id = FIRST_USER_ID + groups + issued
                sent_at = time.perf_counter()
                await ob.group_message(group_id, user_id, command)
                try:
                    reply = await ob.reply_to_group(group_id, timeout=reply_timeout)
                except WaitTimeout:
                    errors += 1
                    continue
                latencies.append(reply.call.time - sent_at)

        await asyncio.gather(*(group_loop(index) for index in range(groups)))
        elapsed = time.perf_counter() - start
        cpu = time.process_time() - cpu_start

    latencies.sort()
    return {
        "groups": groups,
        "completed": len(latencies),
        "errors": errors,
        "elapsed_s": elapsed,
        "rps": len(latencies) / elapsed if elapsed > 0 else math.nan,
        "p50_ms": percentile(latencies, 0.50) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
        "mean_ms": sum(latencies) / len(latencies) * 1000 if latencies else math.nan,
        "max_ms": latencies[-1] * 1000 if latencies else math.nan,
        "client_cpu_pct": cpu / elapsed * 100 if elapsed > 0 else math.nan,
    }


def format_result(result: dict[str, Any]) -> str:
    return (
        f"{result['completed']} requests ({result['errors']} errors) from "
        f"{result['groups']} groups in {result['elapsed_s']:.2f}s: "
        f"{result['rps']:.1f} req/s, p50 {result['p50_ms']:.2f} ms, "
        f"p99 {result['p99_ms']:.2f} ms (mean {result['mean_ms']:.2f}, "
        f"max {result['max_ms']:.2f}; driver CPU {result['client_cpu_pct']:.0f}%)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--url", required=True, help="ws://127.0.0.1:PORT/onebot/v11/ws")
    parser.add_argument("--command", default="帮助", help="message text each group sends")
    parser.add_argument("--groups", type=int, default=50, help="concurrent groups")
    parser.add_argument("--requests", type=int, default=2000, help="total measured requests")
    parser.add_argument("--duration", type=float, default=30.0, help="time budget, seconds")
    parser.add_argument(
        "--token",
        default=os.environ.get("ONEBOT_ACCESS_TOKEN") or None,
        help="access token (default: $ONEBOT_ACCESS_TOKEN)",
    )
    parser.add_argument("--self-id", type=int, default=10000)
    parser.add_argument("--warmup", type=int, default=10, help="unmeasured requests first")
    parser.add_argument("--timeout", type=float, default=10.0, help="per-reply timeout, seconds")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--fresh-users", action="store_true", help="a member not seen before for every request"
    )
    args = parser.parse_args(argv)

    result = asyncio.run(
        run_load(
            args.url,
            args.command,
            args.groups,
            args.requests,
            args.duration,
            args.token,
            self_id=args.self_id,
            warmup=args.warmup,
            reply_timeout=args.timeout,
            fresh_users=args.fresh_users,
        )
    )
    print(json.dumps(result) if args.json else format_result(result))
    return 1 if result["errors"] or not result["completed"] else 0


if __name__ == "__main__":
    sys.exit(main())
