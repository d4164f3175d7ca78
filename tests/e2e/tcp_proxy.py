"""A TCP proxy the tests can cut and restore, to take a database away from a running bot.

It runs its own event loop in a thread, so it keeps forwarding while a test blocks (e.g. in
`BotProcess.start`, which polls with `time.sleep` while the bot upgrades its schema through
the proxy)::

    with TcpProxy(5432) as proxy:
        url = make_url(database_url).set(port=proxy.port)
        proxy.cut()      # live connections are dropped, new ones hang (or are refused)
        proxy.restore()  # new connections are forwarded again

A cut "blackholes" by default: new connections are accepted and never answered, as when a
network path to the database is gone; that is the case where a client without a connect
timeout would wait a minute. `cut(refuse=True)` closes the listening socket instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Coroutine
from typing import Any, Self


class TcpProxy:
    def __init__(self, target_port: int, target_host: str = "127.0.0.1") -> None:
        self.target_host = target_host
        self.target_port = target_port
        self.port = 0
        self.accepted = 0
        """Connections forwarded to the target so far."""
        self.held = 0
        """Connections accepted during a cut and never answered."""
        self._cut = False
        self._refuse = False
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.Server | None = None
        self._live: set[asyncio.StreamWriter] = set()

    # ------------------------------------------------------------ from the test's thread

    def start(self) -> None:
        self._thread.start()
        self._call(self._listen(0))

    def cut(self, *, refuse: bool = False) -> None:
        """Drop every live connection; hold new ones unanswered (or refuse them)."""
        self._call(self._cut_now(refuse))

    def restore(self) -> None:
        """Forward new connections again (on the same port)."""
        self._call(self._restore_now())

    def close(self) -> None:
        if not self._thread.is_alive():
            return
        self._call(self._shutdown())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        self._loop.close()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _call(self, coroutine: Coroutine[Any, Any, None]) -> None:
        asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=10)

    # ------------------------------------------------------------ in the proxy's loop

    async def _listen(self, port: int) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _cut_now(self, refuse: bool) -> None:
        self._cut, self._refuse = True, refuse
        if refuse and self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        for writer in list(self._live):
            _abort(writer)
        self._live.clear()

    async def _restore_now(self) -> None:
        if self._server is None:
            await self._listen(self.port)
        self._cut = self._refuse = False
        for writer in list(self._live):  # connections held during the cut: never answered
            _abort(writer)
        self._live.clear()

    async def _shutdown(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        for writer in list(self._live):
            _abort(writer)
        self._live.clear()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._live.add(writer)
        if self._cut:
            self.held += 1
            return  # accepted, never answered: the client waits until its own timeout
        try:
            up_reader, up_writer = await asyncio.open_connection(self.target_host, self.target_port)
        except OSError:
            _abort(writer)
            self._live.discard(writer)
            return
        self.accepted += 1
        self._live.add(up_writer)
        await asyncio.gather(
            _pipe(reader, up_writer), _pipe(up_reader, writer), return_exceptions=True
        )
        for each in (writer, up_writer):
            self._live.discard(each)
            _abort(each)


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    finally:
        _abort(writer)


def _abort(writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(Exception):
        writer.transport.abort()
