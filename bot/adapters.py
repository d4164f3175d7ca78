"""The OneBot adapters, made tolerant of malformed frames.

Upstream, one frame that is not valid JSON ends the whole WebSocket connection (the read
loop's `json.loads` raises). A buggy or hostile implementation should cost one frame, not
the connection: these adapters hand the read loop a WebSocket that drops such frames with a
warning. Everything else is the upstream adapter, unchanged.
"""

from __future__ import annotations

import json
from typing import Any

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


class _TolerantWebSocket:
    """A proxy whose `receive` skips frames that are not a JSON (or msgpack) object."""

    def __init__(self, websocket: WebSocket, adapter: str) -> None:
        self._websocket = websocket
        self._adapter = adapter

    def __getattr__(self, name: str) -> Any:
        return getattr(self._websocket, name)

    async def receive(self) -> str | bytes:
        while True:
            data = await self._websocket.receive()
            if _frame_is_valid(data):
                return data
            logger.warning(
                f"{self._adapter}: dropped a malformed frame ({len(data)} bytes): {data[:80]!r}"
            )


class OneBotV11Adapter(V11Adapter):
    async def _handle_ws(self, websocket: WebSocket) -> None:
        await super()._handle_ws(_TolerantWebSocket(websocket, self.get_name()))  # type: ignore[arg-type]


class OneBotV12Adapter(V12Adapter):
    async def _handle_ws(self, websocket: WebSocket) -> None:
        await super()._handle_ws(_TolerantWebSocket(websocket, self.get_name()))  # type: ignore[arg-type]
