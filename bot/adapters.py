"""The OneBot adapters, made tolerant of malformed frames.

Upstream, one frame that is not valid JSON ends the whole WebSocket connection (the read
loop's `json.loads` raises). A buggy or hostile implementation should cost one frame, not
the connection: these adapters hand the read loop a WebSocket that drops such frames with a
warning. Everything else is the upstream adapter, unchanged.
"""

from __future__ import annotations

import json

import msgpack
from nonebot import logger
from nonebot.adapters.onebot.v11 import Adapter as V11Adapter
from nonebot.adapters.onebot.v12 import Adapter as V12Adapter
from nonebot.drivers import WebSocket

MAX_FRAME_BYTES = 4 * 1024 * 1024


def _frame_is_valid(data: str | bytes) -> bool:
    if len(data) > MAX_FRAME_BYTES:
        return False
    try:
        decoded = json.loads(data) if isinstance(data, str) else msgpack.unpackb(data)
    except Exception:
        return False
    return isinstance(decoded, dict)


class _TolerantWebSocket(WebSocket):
    """A WebSocket whose `receive` skips frames that are not a JSON (or msgpack) object;
    everything else is the driver's connection."""

    def __init__(self, websocket: WebSocket, adapter: str) -> None:
        super().__init__(request=websocket.request)
        self._websocket = websocket
        self._adapter = adapter

    @property
    def closed(self) -> bool:
        return self._websocket.closed

    async def accept(self) -> None:
        await self._websocket.accept()

    async def close(self, code: int = 1000, reason: str = "") -> None:
        await self._websocket.close(code, reason)

    async def receive(self) -> str | bytes:
        while True:
            data = await self._websocket.receive()
            if _frame_is_valid(data):
                return data
            logger.warning(
                f"{self._adapter}: dropped a malformed frame ({len(data)} bytes): {data[:80]!r}"
            )

    async def receive_text(self) -> str:
        return await self._websocket.receive_text()

    async def receive_bytes(self) -> bytes:
        return await self._websocket.receive_bytes()

    async def send_text(self, data: str) -> None:
        await self._websocket.send_text(data)

    async def send_bytes(self, data: bytes) -> None:
        await self._websocket.send_bytes(data)


class OneBotV11Adapter(V11Adapter):
    async def _handle_ws(self, websocket: WebSocket) -> None:
        await super()._handle_ws(_TolerantWebSocket(websocket, self.get_name()))


class OneBotV12Adapter(V12Adapter):
    async def _handle_ws(self, websocket: WebSocket) -> None:
        await super()._handle_ws(_TolerantWebSocket(websocket, self.get_name()))
