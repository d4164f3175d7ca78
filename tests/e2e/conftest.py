"""Start the real bot (`python -m bot`) as a subprocess on a free port, with its own data.

Tests talk to it through `tests.e2e.onebot.FakeOneBot`, as NapCat or Lagrange would.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.dbutil import drop_database, fresh_database_url

TOKEN = "e2e-secret-token"
SUPERUSER = 9999
READY_LINE = "Application startup complete"
# Settings of the developer's own environment must not leak into the bot under test.
_STRIP = (
    "HOST",
    "PORT",
    "SUPERUSERS",
    "ONEBOT_",
    "SQLALCHEMY_",
    "LOCALSTORE_",
    "BOT_",
    "COMMAND_",
    "ENVIRONMENT",
    "DRIVER",
    "LOG_LEVEL",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class BotProcess:
    workdir: Path
    database_url: str
    token: str | None = TOKEN
    extra_env: dict[str, str] = field(default_factory=dict)
    port: int = 0
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/onebot/v11/ws"

    @property
    def log_path(self) -> Path:
        return self.workdir / "bot.log"

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def environment(self) -> dict[str, str]:
        """What the bot process (and its CLI) run with: only these settings, nothing inherited."""
        env = {k: v for k, v in os.environ.items() if not k.upper().startswith(_STRIP)}
        env.update(
            HOST="127.0.0.1",
            PORT=str(self.port or 8080),
            SUPERUSERS=f'["{SUPERUSER}"]',
            SQLALCHEMY_DATABASE_URL=self.database_url,
            LOCALSTORE_DATA_DIR=str(self.workdir / "data"),
            LOCALSTORE_CACHE_DIR=str(self.workdir / "cache"),
            LOCALSTORE_CONFIG_DIR=str(self.workdir / "config"),
            LOG_LEVEL="INFO",
            PYTHONUNBUFFERED="1",
            # Most tests never search: the index is built at the first 政策 (saves each bot
            # about 2 s of CPU). The policy tests run with the default, true.
            POLICY_PRELOAD="false",
        )
        env.update(self.extra_env)
        if self.token:
            env["ONEBOT_ACCESS_TOKEN"] = self.token
        return env

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run `python -m bot <args>` against this bot's database and data directory."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        return subprocess.run(
            [sys.executable, "-m", "bot", *args],
            cwd=self.workdir,
            env=self.environment(),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    def start(self, timeout: float = 60.0) -> None:
        self.port = free_port()
        env = self.environment()
        self.workdir.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            earlier = log.tell()  # a restart appends: only this run's lines say it is ready
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot"],
                cwd=self.workdir,  # no .env here: only the environment above configures it
                env=env,
                stdin=subprocess.DEVNULL,  # services have no terminal: the bot must never prompt
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"bot exited with {self.process.returncode}:\n{self.log()[-4000:]}"
                )
            if READY_LINE in self.log_path.read_bytes()[earlier:].decode(errors="replace"):
                return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"bot not ready after {timeout}s:\n{self.log()[-4000:]}")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(sig)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=15)

    def restart(self) -> None:
        self.stop()
        self.start()


@pytest.fixture(scope="module")
def bot_workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("bot")


@pytest.fixture(scope="module")
def bot_env() -> dict[str, str]:
    """Extra settings for a module's `running_bot` (a module overrides this fixture)."""
    return {}


@pytest.fixture(scope="module")
def running_bot(bot_workdir: Path, bot_env: dict[str, str]) -> Iterator[BotProcess]:
    """One bot process for a test module (token set); tests use distinct group ids."""
    url = fresh_database_url(bot_workdir / "db")
    bot = BotProcess(bot_workdir, url, extra_env=bot_env)
    bot.start()
    try:
        yield bot
    finally:
        bot.stop()
        drop_database(url)


async def db_rows(url: str, sql: str) -> list[tuple[object, ...]]:
    """Read the bot's database directly (what is really stored, whatever the replies say)."""
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            return [tuple(row) for row in await conn.execute(text(sql))]
    finally:
        await engine.dispose()


class FileServer:
    """Serves files over HTTP on loopback, as QQ's file servers do for uploads."""

    def __init__(self) -> None:
        import http.server
        import threading

        files: dict[str, bytes] = {}
        self.files = files

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                content = files.get(self.path.lstrip("/"))
                if content is None:
                    self.send_response(404)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def add(self, name: str, content: bytes) -> str:
        self.files[name] = content
        return f"http://127.0.0.1:{self.server.server_address[1]}/{name}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def file_server() -> Iterator[FileServer]:
    server = FileServer()
    try:
        yield server
    finally:
        server.close()


def upload_notice(
    self_id: int, group_id: int, user_id: int, name: str, size: int, url: str | None
) -> dict[str, object]:
    """A OneBot v11 `group_upload` notice, with the file's URL when the implementation gives one."""
    file: dict[str, object] = {"id": f"/{name}", "name": name, "size": size, "busid": 102}
    if url:
        file["url"] = url
    return {
        "time": int(time.time()),
        "self_id": self_id,
        "post_type": "notice",
        "notice_type": "group_upload",
        "group_id": group_id,
        "user_id": user_id,
        "file": file,
    }
