"""Message throughput of the project's bot against a bare NoneBot echo bot, in one run.

    python bench/compare.py --command 帮助 --groups 50 --requests 2000

Starts `bench/echo_bot.py` and `python -m bot` (fresh SQLite data directory, or the
database given with --database-url) on free loopback ports, drives each with the same
closed-loop load (`bench/ws_load.py`), alternating echo → bot → echo → bot, and prints
requests/s, p50 and p99 for each and the ratio bot/echo of the best runs. Both bots log
at WARNING so the comparison measures work, not console output.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from bench.ws_load import run_load

TOKEN = "bench-token"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_listening(
    port: int, process: subprocess.Popen[bytes], log: Path, timeout: float = 60
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"process exited early:\n{log.read_text(errors='replace')[-3000:]}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listening on {port} after {timeout}s")


def start(
    args: list[str], env: dict[str, str], workdir: Path, name: str
) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    env = {
        **env,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "LOG_LEVEL": "WARNING",
        "ONEBOT_ACCESS_TOKEN": TOKEN,
    }
    log = workdir / f"{name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, *args],
            cwd=workdir,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    wait_listening(port, process, log)
    return process, port


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


def line(name: str, figures: dict[str, Any]) -> str:
    return (
        f"{name:<6} {figures['rps']:8.1f} req/s   p50 {figures['p50_ms']:7.2f} ms   "
        f"p99 {figures['p99_ms']:7.2f} ms   "
        f"({figures['completed']} done, {figures['errors']} errors)"
    )


async def measure(args: argparse.Namespace) -> None:
    base_env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SQLALCHEMY_", "LOCALSTORE_", "ONEBOT_"))
    }
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        workdir = Path(tmp)
        bot_env = {**base_env, "LOCALSTORE_DATA_DIR": str(workdir / "data")}
        if args.database_url:
            bot_env["SQLALCHEMY_DATABASE_URL"] = args.database_url
        echo, echo_port = start(
            [str(REPO_ROOT / "bench" / "echo_bot.py")],
            {**base_env, "BENCH_COMMAND": args.command},
            workdir,
            "echo",
        )
        bot, bot_port = start(["-m", "bot"], bot_env, workdir, "bot")
        results: dict[str, list[dict[str, Any]]] = {"echo": [], "bot": []}
        try:
            for _ in range(args.rounds):
                for name, port in (("echo", echo_port), ("bot", bot_port)):
                    figures = await run_load(
                        f"ws://127.0.0.1:{port}/onebot/v11/ws",
                        args.command,
                        args.groups,
                        args.requests,
                        args.duration,
                        token=TOKEN,
                        fresh_users=args.fresh_users,
                    )
                    results[name].append(figures)
                    print(line(name, figures), flush=True)
        finally:
            stop(echo)
            stop(bot)
    best = {name: max(runs, key=lambda f: f["rps"]) for name, runs in results.items()}
    print(f"\ncommand {args.command!r}, {args.groups} groups, best of {args.rounds}:")
    for name in ("echo", "bot"):
        print(line(name, best[name]))
    print(f"ratio bot/echo: {best['bot']['rps'] / best['echo']['rps']:.2f}x requests/s")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--command", default="帮助")
    parser.add_argument("--groups", type=int, default=50)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--database-url", default="", help="default: SQLite in a temporary folder")
    parser.add_argument(
        "--fresh-users",
        action="store_true",
        help="every request from a new member (use with 签到: each one a real check-in)",
    )
    asyncio.run(measure(parser.parse_args()))


if __name__ == "__main__":
    main()
