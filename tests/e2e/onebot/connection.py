"""The reverse WebSocket to the bot: connecting (retrying while the port refuses), reading
API call frames, sending frames, closing or dropping the connection."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from .records import ConnectionLost, WaitTimeout

OnCall = Callable[[dict[str, Any]], Awaitable[None]]
"""Called with each API call frame (a dict with a string ``action``), in order."""
OnClosed = Callable[[str], None]
"""Called once the connection has closed, with a description of how."""


class Connection:
    def __init__(
        self,
        url: str,
        self_id: int,
        access_token: str | None,
        *,
        connect_timeout: float,
        on_call: OnCall,
        on_closed: OnClosed,
    ) -> None:
        self.url = url
        self.self_id = self_id
        self.access_token = access_token
        self.connect_timeout = connect_timeout
        self.bad_frames: list[str] = []
        """Frames from the bot that were neither JSON objects nor API calls."""
        self.close_code: int | None = None
        self.close_reason: str = ""
        self._on_call = on_call
        self._on_closed = on_closed
        self._ws: ClientConnection | None = None
        self._reader: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._closed = asyncio.Event()

    @property
    def connected(self) -> bool:
        return self._ws is not None and not self._closed.is_set()

    async def connect(self) -> None:
        """Connect, retrying while the port refuses, until ``connect_timeout``."""
        headers = {"X-Self-ID": str(self.self_id), "X-Client-Role": "Universal"}
        if self.access_token:
            headers["Authorization"] = f"Bearer {self.access_token}"
        deadline = time.monotonic() + self.connect_timeout
        while True:
            try:
                self._ws = await connect(
                    self.url,
                    additional_headers=headers,
                    user_agent_header="FakeOneBot/1.0",
                    proxy=None,
                    compression=None,
                    max_size=None,
                    open_timeout=self.connect_timeout,
                )
                break
            except InvalidStatus as exc:
                raise ConnectionError(
                    f"bot at {self.url} rejected the connection with HTTP "
                    f"{exc.response.status_code} (wrong access token, or "
                    f"self_id {self.self_id} already connected?)"
                ) from exc
            except OSError as exc:
                if time.monotonic() >= deadline:
                    raise ConnectionError(f"cannot connect to {self.url}: {exc}") from exc
                await asyncio.sleep(0.1)
        self._closed.clear()
        self._reader = asyncio.create_task(self._read_loop(self._ws))

    async def send_raw(self, frame: str | dict[str, Any]) -> None:
        """Send any frame as is: a dict is JSON-encoded, a string sent verbatim."""
        if self._ws is None:
            raise ConnectionLost("not connected")
        payload = frame if isinstance(frame, str) else json.dumps(frame, ensure_ascii=False)
        try:
            await self._ws.send(payload)
        except ConnectionClosed as exc:
            raise ConnectionLost(f"cannot send, connection closed: {exc}") from exc

    def spawn(self, work: Coroutine[Any, Any, None]) -> None:
        """Run `work` beside the read loop (slow answers); cancelled by :meth:`close`."""
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def close(self) -> None:
        """Close the connection (a no-op if the bot already closed it)."""
        if self._ws is not None:
            await self._ws.close()
        await self._stop_reading()
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def drop(self) -> None:
        """Lose the connection without a closing handshake, as when the network goes or the
        implementation is killed: the bot only learns of it from the socket."""
        if self._ws is not None:
            self._ws.transport.abort()
        await self._stop_reading()

    async def wait_closed(self, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Wait until the connection is closed, e.g. by the bot."""
        try:
            await asyncio.wait_for(self._closed.wait(), timeout)
        except TimeoutError:
            raise WaitTimeout(f"connection still open after {timeout}s") from None

    async def _stop_reading(self) -> None:
        reader = self._reader
        if reader is not None and reader is not asyncio.current_task():
            with contextlib.suppress(asyncio.CancelledError):
                await reader
            self._reader = None

    async def _read_loop(self, ws: ClientConnection) -> None:
        try:
            async for raw in ws:
                payload = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
                try:
                    frame = json.loads(payload)
                except ValueError:
                    self.bad_frames.append(payload)
                    continue
                if not isinstance(frame, dict) or not isinstance(frame.get("action"), str):
                    self.bad_frames.append(payload)
                    continue
                await self._on_call(frame)
        except ConnectionClosed:
            pass
        finally:
            self.close_code = ws.close_code
            self.close_reason = ws.close_reason or ""
            self._closed.set()
            self._on_closed(
                f"connection closed (code={self.close_code}, reason={self.close_reason!r})"
            )
