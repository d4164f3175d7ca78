"""`FakeOneBot`: one fake QQ account, composed of a connection, a call log and API answers.

Typical use::

    async with FakeOneBot("ws://127.0.0.1:8080/onebot/v11/ws") as ob:
        await ob.group_message(123, 456, [at(ob.self_id), text(" 帮助")])
        sent = await ob.reply_to_group(123)
        assert "帮助" in sent.text
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any, Self

from websockets.exceptions import ConnectionClosed

from .api import ApiResponder
from .calls import CallLog
from .codec import Segment, normalize_message, text, to_cq
from .connection import Connection
from .records import ApiCall, ConnectionLost


class FakeOneBot:
    """A OneBot v11 implementation connecting to a bot over reverse WebSocket.

    The tables its built-in API handlers read (``members``, ``groups``, ``at_all_remain``)
    are described in :class:`ApiResponder`; the waiting helpers (``wait_call``,
    ``reply_to_group``, ``reply_to_user``, ``assert_no_reply``) in :mod:`.calls`.
    """

    def __init__(
        self,
        url: str,
        self_id: int = 10000,
        access_token: str | None = None,
        *,
        nickname: str = "FakeBot",
        connect_timeout: float = 10.0,
        heartbeat_interval: float | None = None,
        store_messages: bool = True,
    ) -> None:
        self.url = url
        self.self_id = self_id
        self.access_token = access_token
        self.nickname = nickname
        self.heartbeat_interval = heartbeat_interval
        self.api = ApiResponder(self_id, nickname, store_messages=store_messages)
        self.log = CallLog()
        self.connection = Connection(
            url,
            self_id,
            access_token,
            connect_timeout=connect_timeout,
            on_call=self._on_call,
            on_closed=self.log.close,
        )
        self._heartbeat: asyncio.Task[None] | None = None
        # What tests use most, reachable directly.
        self.on_api = self.api.on_api
        self.next_message_id = self.api.next_message_id
        self.wait_call = self.log.wait_call
        self.reply_to_group = self.log.reply_to_group
        self.reply_to_user = self.log.reply_to_user
        self.assert_no_reply = self.log.assert_no_reply
        self.sends = self.log.sends
        self.send_raw = self.connection.send_raw
        self.wait_closed = self.connection.wait_closed

    # ------------------------------------------------------------ state, by part

    @property
    def calls(self) -> list[ApiCall]:
        return self.log.calls

    @property
    def members(self) -> dict[tuple[int, int], dict[str, Any]]:
        return self.api.members

    @property
    def groups(self) -> dict[int, dict[str, Any]]:
        return self.api.groups

    @property
    def at_all_remain(self) -> dict[str, Any]:
        return self.api.at_all_remain

    @at_all_remain.setter
    def at_all_remain(self, value: dict[str, Any]) -> None:
        self.api.at_all_remain = value

    @property
    def messages(self) -> dict[int, dict[str, Any]]:
        return self.api.messages

    @property
    def store_messages(self) -> bool:
        return self.api.store_messages

    @property
    def bad_frames(self) -> list[str]:
        return self.connection.bad_frames

    @property
    def close_code(self) -> int | None:
        return self.connection.close_code

    @property
    def close_reason(self) -> str:
        return self.connection.close_reason

    @property
    def connected(self) -> bool:
        return self.connection.connected

    # ---------------------------------------------------------------- lifecycle

    async def __aenter__(self) -> Self:
        await self.connect()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def connect(self) -> None:
        """Connect (retrying while the port refuses) and announce the lifecycle."""
        await self.connection.connect()
        self.log.closed = None
        await self.send_raw(self._meta_event("lifecycle", sub_type="connect"))
        if self.heartbeat_interval:
            self._heartbeat = asyncio.create_task(self._heartbeat_loop(self.heartbeat_interval))

    async def close(self) -> None:
        """Close the connection (a no-op if the bot already closed it)."""
        await self._stop_heartbeat()
        await self.connection.close()

    async def drop(self) -> None:
        """Lose the connection without a closing handshake (network gone, process killed)."""
        await self._stop_heartbeat()
        await self.connection.drop()

    async def _stop_heartbeat(self) -> None:
        if self._heartbeat is not None:
            self._heartbeat.cancel()
            if self._heartbeat is not asyncio.current_task():
                with contextlib.suppress(asyncio.CancelledError):
                    await self._heartbeat
            self._heartbeat = None

    async def heartbeat(self) -> None:
        """Send one heartbeat meta event."""
        interval_ms = int((self.heartbeat_interval or 30.0) * 1000)
        await self.send_raw(
            self._meta_event(
                "heartbeat", status={"online": True, "good": True}, interval=interval_ms
            )
        )

    async def _heartbeat_loop(self, interval: float) -> None:
        with contextlib.suppress(ConnectionClosed):
            while True:
                await asyncio.sleep(interval)
                await self.heartbeat()

    # ------------------------------------------------------------------- events

    def _meta_event(self, meta_event_type: str, **fields: Any) -> dict[str, Any]:
        return {
            "time": int(time.time()),
            "self_id": self.self_id,
            "post_type": "meta_event",
            "meta_event_type": meta_event_type,
            **fields,
        }

    def group_event(
        self,
        group_id: int,
        user_id: int,
        message: str | Segment | list[Segment],
        *,
        role: str | None = "member",
        card: str = "",
        nickname: str = "",
        message_id: int | None = None,
    ) -> dict[str, Any]:
        """Build (without sending) a group message event; see :meth:`group_message`."""
        sender: dict[str, Any] = {
            "user_id": user_id,
            "nickname": nickname or f"user{user_id}",
            "card": card,
            "sex": "unknown",
            "age": 0,
            "area": "",
            "level": "",
            "title": "",
        }
        if role is not None:
            sender["role"] = role
        return self._message_event("group", user_id, message, sender, message_id, group_id)

    def private_event(
        self,
        user_id: int,
        message: str | Segment | list[Segment],
        *,
        nickname: str = "",
        message_id: int | None = None,
    ) -> dict[str, Any]:
        """Build (without sending) a private message event; see :meth:`private_message`."""
        sender = {
            "user_id": user_id,
            "nickname": nickname or f"user{user_id}",
            "sex": "unknown",
            "age": 0,
        }
        return self._message_event("private", user_id, message, sender, message_id)

    def _message_event(
        self,
        message_type: str,
        user_id: int,
        message: str | Segment | list[Segment],
        sender: dict[str, Any],
        message_id: int | None,
        group_id: int | None = None,
    ) -> dict[str, Any]:
        # A plain string is literal text here, not CQ code: tests say what they mean.
        segments = [text(message)] if isinstance(message, str) else normalize_message(message)
        event: dict[str, Any] = {
            "time": int(time.time()),
            "self_id": self.self_id,
            "post_type": "message",
            "message_type": message_type,
            "sub_type": "normal" if message_type == "group" else "friend",
            "message_id": self.next_message_id() if message_id is None else message_id,
            "user_id": user_id,
            "message": segments,
            "raw_message": to_cq(segments),
            "message_format": "array",
            "font": 0,
            "sender": sender,
        }
        if group_id is not None:
            event["group_id"] = group_id
        return event

    async def group_message(
        self,
        group_id: int,
        user_id: int,
        message: str | list[Segment],
        *,
        role: str | None = "member",
        card: str = "",
        nickname: str = "",
    ) -> int:
        """Push a group message event and return its message_id.

        ``message`` is literal text or a list of segments; ``role=None`` leaves
        the role out of ``sender`` as some implementations do.
        """
        event = self.group_event(
            group_id, user_id, message, role=role, card=card, nickname=nickname
        )
        self.api.remember(event)
        await self.send_raw(event)
        return int(event["message_id"])

    async def private_message(
        self, user_id: int, message: str | list[Segment], *, nickname: str = ""
    ) -> int:
        """Push a private (friend) message event and return its message_id."""
        event = self.private_event(user_id, message, nickname=nickname)
        self.api.remember(event)
        await self.send_raw(event)
        return int(event["message_id"])

    async def group_increase(
        self, group_id: int, user_id: int, *, operator_id: int = 0, sub_type: str = "approve"
    ) -> None:
        """Push a `group_increase` notice: ``user_id`` joined ``group_id``."""
        await self.send_raw(
            {
                "time": int(time.time()),
                "self_id": self.self_id,
                "post_type": "notice",
                "notice_type": "group_increase",
                "sub_type": sub_type,
                "group_id": group_id,
                "operator_id": operator_id,
                "user_id": user_id,
            }
        )

    # ---------------------------------------------------------------- API calls

    async def _on_call(self, frame: dict[str, Any]) -> None:
        params = frame.get("params")
        call = ApiCall(
            action=frame["action"],
            params=params if isinstance(params, dict) else {},
            time=time.perf_counter(),
            echo=frame.get("echo"),
        )
        self.log.add(call)
        pending = self.api.answer(call)
        self.log.notify(call)
        if pending is None:
            await self._send_response(call)
        else:
            # Slow (async) handlers must not hold up the frames behind them.
            self.connection.spawn(self._respond_later(call, pending))

    async def _respond_later(self, call: ApiCall, pending: Any) -> None:
        await self.api.answer_later(call, pending)
        await self._send_response(call)

    async def _send_response(self, call: ApiCall) -> None:
        if call.response is not None:
            with contextlib.suppress(ConnectionLost):
                await self.send_raw(call.response)
