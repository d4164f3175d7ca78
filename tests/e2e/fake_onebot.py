"""A small fake OneBot v11 implementation for end-to-end tests and benchmarks.

It plays the part NapCat or Lagrange play in production: it connects to the
bot over *reverse* WebSocket (the bot is the server), pushes OneBot v11 events
in array message format, records every API call the bot makes and answers it.

Typical use::

    async with FakeOneBot("ws://127.0.0.1:8080/onebot/v11/ws") as ob:
        await ob.group_message(123, 456, [at(ob.self_id), text(" 帮助")])
        sent = await ob.reply_to_group(123)
        assert "帮助" in sent.text

Only ``websockets`` and the standard library are used.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import inspect
import itertools
import json
import re
import time
from collections.abc import Awaitable, Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any, Self

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

__all__ = [
    "FORWARD_ACTIONS",
    "SEND_ACTIONS",
    "ApiCall",
    "ApiError",
    "ApiHandler",
    "ConnectionLost",
    "FakeOneBot",
    "Segment",
    "Sent",
    "WaitTimeout",
    "at",
    "face",
    "image",
    "message_text",
    "normalize_message",
    "parse_cq",
    "reply",
    "text",
    "to_cq",
]

Segment = dict[str, Any]
"""One OneBot v11 message segment: ``{"type": ..., "data": {...}}``."""

ApiHandler = Callable[[dict[str, Any]], Any]
"""``handler(params) -> data``; may return an awaitable; raising fails the call."""

GROUP_SEND_ACTIONS = frozenset({"send_group_msg", "send_group_forward_msg"})
PRIVATE_SEND_ACTIONS = frozenset({"send_private_msg", "send_private_forward_msg"})
GENERIC_SEND_ACTIONS = frozenset({"send_msg", "send_forward_msg"})
SEND_ACTIONS = GROUP_SEND_ACTIONS | PRIVATE_SEND_ACTIONS | GENERIC_SEND_ACTIONS
"""Every action that sends a message to a chat."""
FORWARD_ACTIONS = frozenset(
    {"send_group_forward_msg", "send_private_forward_msg", "send_forward_msg"}
)
"""The subset of :data:`SEND_ACTIONS` that sends merged-forward messages."""

_ANY_SEND: tuple[str] = ("send",)
_FIRST_MESSAGE_ID = 1000


# --------------------------------------------------------------------------
# Message segments
# --------------------------------------------------------------------------


def text(s: str) -> Segment:
    """A ``text`` segment."""
    return {"type": "text", "data": {"text": s}}


def at(qq: int | str) -> Segment:
    """An ``at`` segment; ``at("all")`` mentions everybody."""
    return {"type": "at", "data": {"qq": str(qq)}}


def image(url: str) -> Segment:
    """An ``image`` segment the way implementations report received images."""
    return {"type": "image", "data": {"file": url, "url": url}}


def reply(message_id: int) -> Segment:
    """A ``reply`` segment quoting ``message_id``."""
    return {"type": "reply", "data": {"id": str(message_id)}}


def face(face_id: int) -> Segment:
    """A QQ ``face`` (emoji) segment."""
    return {"type": "face", "data": {"id": str(face_id)}}


_CQ_RE = re.compile(r"\[CQ:([\w.\-]+)((?:,[\w.\-]+=[^,\]]*)*),?\]")


def _escape(s: str, *, comma: bool = False) -> str:
    s = s.replace("&", "&amp;").replace("[", "&#91;").replace("]", "&#93;")
    return s.replace(",", "&#44;") if comma else s


def _unescape(s: str) -> str:
    return s.replace("&#44;", ",").replace("&#91;", "[").replace("&#93;", "]").replace("&amp;", "&")


def parse_cq(message: str) -> list[Segment]:
    """Parse a CQ-code string (OneBot v11 string message format) into segments."""
    segments: list[Segment] = []
    pos = 0
    for match in _CQ_RE.finditer(message):
        if match.start() > pos:
            segments.append(text(_unescape(message[pos : match.start()])))
        data: dict[str, Any] = {}
        for pair in filter(None, match.group(2).split(",")):
            key, _, value = pair.partition("=")
            data[key] = _unescape(value)
        segments.append({"type": match.group(1), "data": data})
        pos = match.end()
    if pos < len(message):
        segments.append(text(_unescape(message[pos:])))
    return segments


def to_cq(segments: Iterable[Segment]) -> str:
    """Render segments as a CQ-code string (what ``raw_message`` carries)."""
    parts: list[str] = []
    for seg in segments:
        data = seg.get("data") or {}
        if seg.get("type") == "text":
            parts.append(_escape(str(data.get("text", ""))))
            continue
        params = "".join(
            f",{key}={_escape(str(value), comma=True)}"
            for key, value in data.items()
            if value is not None
        )
        parts.append(f"[CQ:{seg.get('type')}{params}]")
    return "".join(parts)


def normalize_message(message: Any, *, auto_escape: bool = False) -> list[Segment]:
    """Turn any OneBot v11 message value into a list of segment dicts.

    Accepts a list of segments, a single segment dict or a string (parsed as
    CQ codes unless ``auto_escape`` is true, as OneBot specifies).
    """
    if message is None:
        return []
    if isinstance(message, str):
        return [text(message)] if auto_escape else parse_cq(message)
    if isinstance(message, dict):
        message = [message]
    segments: list[Segment] = []
    for seg in message:
        if isinstance(seg, str):
            segments.extend(parse_cq(seg))
        elif isinstance(seg, dict):
            segments.append({"type": seg.get("type"), "data": dict(seg.get("data") or {})})
        else:
            raise TypeError(f"not a message segment: {seg!r}")
    return segments


def message_text(segments: Iterable[Segment]) -> str:
    """Concatenated text of the ``text`` segments."""
    return "".join(
        str((seg.get("data") or {}).get("text", ""))
        for seg in segments
        if seg.get("type") == "text"
    )


def _as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _short(value: Any, limit: int = 160) -> str:
    rendered = json.dumps(value, ensure_ascii=False, default=str)
    return rendered if len(rendered) <= limit else rendered[: limit - 3] + "..."


# --------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------


@dataclass
class ApiCall:
    """One API call frame received from the bot."""

    action: str
    params: dict[str, Any]
    time: float
    """``time.perf_counter()`` when the frame was received."""
    echo: Any = None
    index: int = 0
    """Position in :attr:`FakeOneBot.calls`."""
    response: dict[str, Any] | None = None
    """The answer sent back, once it has been sent."""

    def describe(self) -> str:
        return f"#{self.index} {self.action} {_short(self.params)}"


@dataclass
class Sent:
    """A message the bot sent, normalised.

    For forward messages ``segments`` holds the ``node`` segments as sent and
    ``nodes`` the normalised content of each node; ``text`` joins the text of
    all nodes with ``"\\n"``.
    """

    call: ApiCall
    segments: list[Segment]
    text: str
    chat_type: str | None
    """``"group"``, ``"private"`` or ``None`` when it cannot be told."""
    group_id: int | None = None
    user_id: int | None = None
    forward: bool = False
    nodes: list[list[Segment]] = field(default_factory=list)

    @property
    def action(self) -> str:
        return self.call.action

    @property
    def params(self) -> dict[str, Any]:
        return self.call.params

    def of_type(self, seg_type: str) -> list[Segment]:
        """Segments of one type (searching node contents for forwards too)."""
        pool = [seg for node in self.nodes for seg in node] if self.forward else self.segments
        return [seg for seg in pool if seg.get("type") == seg_type]

    def mentions(self, qq: int | str) -> bool:
        """Whether the message contains an ``at`` segment for ``qq``."""
        return any(str(seg["data"].get("qq")) == str(qq) for seg in self.of_type("at"))


class ApiError(Exception):
    """Raise from an ``on_api`` handler to fail the call with a chosen retcode."""

    def __init__(self, message: str = "failed", retcode: int = 100) -> None:
        super().__init__(message)
        self.retcode = retcode
        self.message = message


class WaitTimeout(AssertionError):
    """A waiting helper timed out."""


class ConnectionLost(AssertionError):
    """The connection closed while (or before) waiting."""


@dataclass(eq=False)
class _Waiter:
    keys: tuple[Hashable, ...]
    predicate: Callable[[ApiCall], bool]
    future: asyncio.Future[ApiCall]
    description: str


# --------------------------------------------------------------------------
# The fake implementation
# --------------------------------------------------------------------------


class FakeOneBot:
    """A OneBot v11 implementation connecting to a bot over reverse WebSocket.

    Tables the built-in API handlers read (tests may fill them freely):

    * ``members[(group_id, user_id)]`` — member info dicts (``role``, ``card``,
      ``nickname``, ...); unknown members default to role ``"member"``.
    * ``groups[group_id]`` — extra fields for ``get_group_info``.
    * ``at_all_remain`` — the answer of ``get_group_at_all_remain``.

    Waiting helpers (``wait_call``, ``reply_to_group``, ``reply_to_user``)
    hand out each recorded call at most once, oldest first, so consecutive
    waits return consecutive calls; calls that arrived before the wait started
    count as long as no earlier wait returned them.
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
        self.connect_timeout = connect_timeout
        self.heartbeat_interval = heartbeat_interval
        self.store_messages = store_messages
        """Keep pushed and sent messages for ``get_msg`` (off for long load runs)."""

        self.calls: list[ApiCall] = []
        self.bad_frames: list[str] = []
        """Frames from the bot that were neither JSON objects nor API calls."""
        self.members: dict[tuple[int, int], dict[str, Any]] = {}
        self.groups: dict[int, dict[str, Any]] = {}
        self.at_all_remain: dict[str, Any] = {
            "can_at_all": True,
            "remain_at_all_count_for_group": 10,
            "remain_at_all_count_for_uin": 10,
        }
        self.messages: dict[int, dict[str, Any]] = {}
        """Messages by id (events pushed and messages the bot sent), for get_msg."""

        self.close_code: int | None = None
        self.close_reason: str = ""

        self._ws: ClientConnection | None = None
        self._reader: asyncio.Task[None] | None = None
        self._heartbeat: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._closed = asyncio.Event()
        self._message_ids = itertools.count(_FIRST_MESSAGE_ID)
        self._handlers: dict[str, ApiHandler] = {}
        self._consumed: set[int] = set()
        self._buckets: dict[Hashable, list[int]] = {}
        self._bucket_start: dict[Hashable, int] = {}
        self._waiters: dict[Hashable, list[_Waiter]] = {}
        self._install_builtin_handlers()

    # ----------------------------------------------------------- lifecycle

    async def __aenter__(self) -> Self:
        await self.connect()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    @property
    def connected(self) -> bool:
        return self._ws is not None and not self._closed.is_set()

    async def connect(self) -> None:
        """Connect (retrying while the port refuses) and announce the lifecycle."""
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
        await self.send_raw(self._meta_event("lifecycle", sub_type="connect"))
        if self.heartbeat_interval:
            self._heartbeat = asyncio.create_task(self._heartbeat_loop(self.heartbeat_interval))

    async def close(self) -> None:
        """Close the connection (a no-op if the bot already closed it)."""
        if self._heartbeat is not None:
            self._heartbeat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._heartbeat
            self._heartbeat = None
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
            self._reader = None
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def drop(self) -> None:
        """Lose the connection without a closing handshake, as when the network goes or the
        implementation is killed: the bot only learns of it from the socket."""
        if self._heartbeat is not None:
            self._heartbeat.cancel()
            self._heartbeat = None
        if self._ws is not None:
            self._ws.transport.abort()
        if self._reader is not None and self._reader is not asyncio.current_task():
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
            self._reader = None

    async def wait_closed(self, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Wait until the connection is closed, e.g. by the bot."""
        try:
            await asyncio.wait_for(self._closed.wait(), timeout)
        except TimeoutError:
            raise WaitTimeout(f"connection still open after {timeout}s") from None

    # -------------------------------------------------------------- events

    def next_message_id(self) -> int:
        return next(self._message_ids)

    def _meta_event(self, meta_event_type: str, **fields: Any) -> dict[str, Any]:
        return {
            "time": int(time.time()),
            "self_id": self.self_id,
            "post_type": "meta_event",
            "meta_event_type": meta_event_type,
            **fields,
        }

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
        self._remember(event)
        await self.send_raw(event)
        return int(event["message_id"])

    async def private_message(
        self, user_id: int, message: str | list[Segment], *, nickname: str = ""
    ) -> int:
        """Push a private (friend) message event and return its message_id."""
        event = self.private_event(user_id, message, nickname=nickname)
        self._remember(event)
        await self.send_raw(event)
        return int(event["message_id"])

    async def send_raw(self, frame: str | dict[str, Any]) -> None:
        """Send any frame as is: a dict is JSON-encoded, a string sent verbatim."""
        if self._ws is None:
            raise ConnectionLost("not connected")
        payload = frame if isinstance(frame, str) else json.dumps(frame, ensure_ascii=False)
        try:
            await self._ws.send(payload)
        except ConnectionClosed as exc:
            raise ConnectionLost(f"cannot send, connection closed: {exc}") from exc

    def _remember(self, event: dict[str, Any]) -> None:
        if not self.store_messages:
            return
        self.messages[int(event["message_id"])] = {
            "time": event["time"],
            "message_type": event["message_type"],
            "message_id": event["message_id"],
            "real_id": event["message_id"],
            "sender": event["sender"],
            "message": event["message"],
            **({"group_id": event["group_id"]} if "group_id" in event else {}),
        }

    # ---------------------------------------------------------------- API

    def on_api(self, action: str, handler: ApiHandler) -> None:
        """Answer ``action`` with ``handler(params)`` (sync or async).

        The return value becomes ``data``. Raising fails the call with
        ``retcode`` 100 (or :class:`ApiError`'s retcode). Replaces any
        built-in handler for that action.
        """
        self._handlers[action] = handler

    def _install_builtin_handlers(self) -> None:
        for action in SEND_ACTIONS:
            self._handlers[action] = functools.partial(self._api_send, action)
        self._handlers.update(
            {
                "get_login_info": lambda _: {"user_id": self.self_id, "nickname": self.nickname},
                "get_group_member_info": self._api_member_info,
                "get_group_member_list": self._api_member_list,
                "get_group_info": self._api_group_info,
                "get_group_list": lambda _: [self._group_info(gid) for gid in self._known_groups()],
                "get_group_at_all_remain": lambda _: dict(self.at_all_remain),
                "get_msg": self._api_get_msg,
                "delete_msg": lambda _: None,
                "get_stranger_info": lambda p: {
                    "user_id": _as_int(p.get("user_id")),
                    "nickname": f"user{p.get('user_id')}",
                    "sex": "unknown",
                    "age": 0,
                },
                "get_friend_list": lambda _: [],
                "can_send_image": lambda _: {"yes": True},
                "can_send_record": lambda _: {"yes": True},
                "get_status": lambda _: {"online": True, "good": True, "stat": {}},
                "get_version_info": lambda _: {
                    "app_name": "FakeOneBot",
                    "app_version": "1.0.0",
                    "protocol_version": "v11",
                },
            }
        )

    def _api_send(self, action: str, params: dict[str, Any]) -> dict[str, Any]:
        message_id = self.next_message_id()
        sent = self._sent_of(ApiCall(action, params, time.perf_counter()))
        answer: dict[str, Any] = {"message_id": message_id}
        message = sent.segments
        if sent.forward:
            answer["forward_id"] = f"fake-forward-{message_id}"
            message = [{"type": "forward", "data": {"id": answer["forward_id"]}}]
        if self.store_messages:
            stored: dict[str, Any] = {
                "time": int(time.time()),
                "message_type": sent.chat_type or "private",
                "message_id": message_id,
                "real_id": message_id,
                "sender": {"user_id": self.self_id, "nickname": self.nickname},
                "message": message,
            }
            if sent.group_id is not None:
                stored["group_id"] = sent.group_id
            self.messages[message_id] = stored
        return answer

    def _member(self, group_id: int, user_id: int) -> dict[str, Any]:
        info: dict[str, Any] = {
            "group_id": group_id,
            "user_id": user_id,
            "nickname": f"user{user_id}",
            "card": "",
            "sex": "unknown",
            "age": 0,
            "area": "",
            "join_time": 0,
            "last_sent_time": 0,
            "level": "1",
            "role": "member",
            "unfriendly": False,
            "title": "",
            "title_expire_time": 0,
            "card_changeable": True,
        }
        info.update(self.members.get((group_id, user_id), {}))
        return info

    def _api_member_info(self, params: dict[str, Any]) -> dict[str, Any]:
        group_id, user_id = _as_int(params.get("group_id")), _as_int(params.get("user_id"))
        if group_id is None or user_id is None:
            raise ApiError("group_id and user_id are required", retcode=1400)
        return self._member(group_id, user_id)

    def _api_member_list(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        group_id = _as_int(params.get("group_id"))
        return [self._member(gid, uid) for gid, uid in self.members if gid == group_id]

    def _known_groups(self) -> list[int]:
        return sorted(set(self.groups) | {gid for gid, _ in self.members})

    def _group_info(self, group_id: int) -> dict[str, Any]:
        info: dict[str, Any] = {
            "group_id": group_id,
            "group_name": f"Group {group_id}",
            "member_count": sum(1 for gid, _ in self.members if gid == group_id),
            "max_member_count": 500,
        }
        info.update(self.groups.get(group_id, {}))
        return info

    def _api_group_info(self, params: dict[str, Any]) -> dict[str, Any]:
        group_id = _as_int(params.get("group_id"))
        if group_id is None:
            raise ApiError("group_id is required", retcode=1400)
        return self._group_info(group_id)

    def _api_get_msg(self, params: dict[str, Any]) -> dict[str, Any]:
        message_id = _as_int(params.get("message_id"))
        if message_id is None or message_id not in self.messages:
            raise ApiError(f"message {params.get('message_id')!r} not found", retcode=1404)
        return self.messages[message_id]

    # ------------------------------------------------------- frame reading

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
            self._fail_waiters()

    async def _on_call(self, frame: dict[str, Any]) -> None:
        params = frame.get("params")
        call = ApiCall(
            action=frame["action"],
            params=params if isinstance(params, dict) else {},
            time=time.perf_counter(),
            echo=frame.get("echo"),
            index=len(self.calls),
        )
        self.calls.append(call)
        keys = self._keys_of(call)
        for key in keys:
            self._buckets.setdefault(key, []).append(call.index)

        pending: Awaitable[Any] | None = None
        handler = self._handlers.get(call.action)
        if handler is None:
            self._respond(call, None, error=ApiError(f"unknown action {call.action}", 1404))
        else:
            try:
                result = handler(call.params)
            except Exception as exc:  # any failure becomes a failed answer
                self._respond(call, None, error=exc)
            else:
                if inspect.isawaitable(result):
                    pending = result
                else:
                    self._respond(call, result)

        self._notify(call, keys)
        if pending is None:
            await self._send_response(call)
        else:
            # Slow (async) handlers must not hold up the frames behind them.
            task = asyncio.create_task(self._respond_later(call, pending))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _respond_later(self, call: ApiCall, pending: Awaitable[Any]) -> None:
        try:
            data = await pending
        except Exception as exc:  # any failure becomes a failed answer
            self._respond(call, None, error=exc)
        else:
            self._respond(call, data)
        await self._send_response(call)

    @staticmethod
    def _respond(call: ApiCall, data: Any, *, error: Exception | None = None) -> None:
        """Build the answer frame into ``call.response``."""
        if error is None:
            response: dict[str, Any] = {"status": "ok", "retcode": 0, "data": data}
        else:
            message = str(error) or type(error).__name__
            response = {
                "status": "failed",
                "retcode": error.retcode if isinstance(error, ApiError) else 100,
                "data": None,
                "message": message,
                "wording": message,
            }
        if call.echo is not None:
            response["echo"] = call.echo
        call.response = response

    async def _send_response(self, call: ApiCall) -> None:
        if call.response is not None:
            with contextlib.suppress(ConnectionLost):
                await self.send_raw(call.response)

    # ------------------------------------------------------ sent messages

    @staticmethod
    def _chat_of(call: ApiCall) -> tuple[str | None, int | None, int | None]:
        """(chat type, group_id, user_id) a send call targets."""
        params = call.params
        group_id, user_id = _as_int(params.get("group_id")), _as_int(params.get("user_id"))
        if call.action in GROUP_SEND_ACTIONS:
            return "group", group_id, None
        if call.action in PRIVATE_SEND_ACTIONS:
            return "private", None, user_id
        message_type = params.get("message_type")
        if message_type == "group" or (message_type is None and group_id is not None):
            return "group", group_id, None
        if message_type == "private" or (message_type is None and user_id is not None):
            return "private", None, user_id
        return None, group_id, user_id

    @classmethod
    def _sent_of(cls, call: ApiCall) -> Sent:
        chat_type, group_id, user_id = cls._chat_of(call)
        if call.action in FORWARD_ACTIONS or call.params.get("messages") is not None:
            segments = normalize_message(call.params.get("messages"))
            nodes = [cls._node_content(seg) for seg in segments if seg.get("type") == "node"]
            return Sent(
                call=call,
                segments=segments,
                text="\n".join(cls._node_text(node) for node in nodes),
                chat_type=chat_type,
                group_id=group_id,
                user_id=user_id,
                forward=True,
                nodes=nodes,
            )
        segments = normalize_message(
            call.params.get("message"), auto_escape=bool(call.params.get("auto_escape"))
        )
        return Sent(
            call=call,
            segments=segments,
            text=message_text(segments),
            chat_type=chat_type,
            group_id=group_id,
            user_id=user_id,
        )

    @staticmethod
    def _node_content(node: Segment) -> list[Segment]:
        data = node.get("data") or {}
        return normalize_message(data.get("content", data.get("message")))

    @classmethod
    def _node_text(cls, content: list[Segment]) -> str:
        """Text of one node, descending into nested forward nodes."""
        if any(seg.get("type") == "node" for seg in content):
            return "\n".join(
                cls._node_text(cls._node_content(seg))
                for seg in content
                if seg.get("type") == "node"
            )
        return message_text(content)

    def sends(self) -> list[Sent]:
        """Every send call recorded so far, oldest first, consumed or not."""
        return [self._sent_of(call) for call in self.calls if call.action in SEND_ACTIONS]

    # ------------------------------------------------------------ waiting

    def _keys_of(self, call: ApiCall) -> list[Hashable]:
        keys: list[Hashable] = [("action", call.action)]
        if call.action in SEND_ACTIONS:
            keys.append(_ANY_SEND)
            chat_type, group_id, user_id = self._chat_of(call)
            if chat_type == "group":
                keys.append(("group", group_id))
            elif chat_type == "private":
                keys.append(("private", user_id))
        return keys

    def _find(
        self, keys: Iterable[Hashable], predicate: Callable[[ApiCall], bool]
    ) -> ApiCall | None:
        """Oldest unconsumed recorded call in any of the buckets matching predicate."""
        best: ApiCall | None = None
        for key in keys:
            bucket = self._buckets.get(key, [])
            start = self._bucket_start.get(key, 0)
            while start < len(bucket) and bucket[start] in self._consumed:
                start += 1
            self._bucket_start[key] = start
            for index in itertools.islice(bucket, start, None):
                if best is not None and index >= best.index:
                    break
                if index not in self._consumed and predicate(self.calls[index]):
                    best = self.calls[index]
                    break
        return best

    def _notify(self, call: ApiCall, keys: list[Hashable]) -> None:
        """Hand a new call to the first waiter that wants it."""
        for key in keys:
            for waiter in list(self._waiters.get(key, ())):
                if waiter.future.done():
                    continue
                try:
                    wanted = waiter.predicate(call)
                except Exception as exc:  # surfaced to the waiter
                    waiter.future.set_exception(exc)
                    continue
                if wanted:
                    self._consumed.add(call.index)
                    waiter.future.set_result(call)
                    return

    def _fail_waiters(self) -> None:
        for waiters in self._waiters.values():
            for waiter in waiters:
                if not waiter.future.done():
                    waiter.future.set_exception(
                        ConnectionLost(self._closed_message(waiter.description))
                    )

    def _closed_message(self, description: str) -> str:
        return (
            f"connection closed (code={self.close_code}, reason={self.close_reason!r}) "
            f"while waiting for {description}\n{self._seen()}"
        )

    def _seen(self, limit: int = 30) -> str:
        if not self.calls:
            return "no API calls were received at all"
        shown = self.calls[-limit:]
        lines = [
            f"  {'(taken) ' if call.index in self._consumed else ''}{call.describe()}"
            for call in shown
        ]
        more = len(self.calls) - len(shown)
        header = f"API calls received ({len(self.calls)} total"
        header += f", last {len(shown)} shown):" if more else "):"
        return "\n".join([header, *lines])

    async def _wait(
        self,
        keys: tuple[Hashable, ...],
        predicate: Callable[[ApiCall], bool],
        timeout: float,  # noqa: ASYNC109 - a per-wait deadline is the point
        description: str,
    ) -> ApiCall:
        found = self._find(keys, predicate)
        if found is not None:
            self._consumed.add(found.index)
            return found
        if self._closed.is_set():
            raise ConnectionLost(self._closed_message(description))
        waiter = _Waiter(keys, predicate, asyncio.get_running_loop().create_future(), description)
        for key in keys:
            self._waiters.setdefault(key, []).append(waiter)
        try:
            return await asyncio.wait_for(waiter.future, timeout)
        except TimeoutError:
            raise WaitTimeout(
                f"timed out after {timeout}s waiting for {description}\n{self._seen()}"
            ) from None
        finally:
            for key in keys:
                waiters = self._waiters.get(key)
                if waiters is not None:
                    waiters.remove(waiter)
                    if not waiters:
                        del self._waiters[key]

    async def wait_call(
        self,
        action: str,
        predicate: Callable[[ApiCall], bool] | None = None,
        timeout: float = 10.0,  # noqa: ASYNC109
    ) -> ApiCall:
        """The next not-yet-returned call of ``action`` (matching ``predicate``)."""
        description = f"a {action!r} call" + (" matching the predicate" if predicate else "")
        return await self._wait(
            (("action", action),), predicate or (lambda _: True), timeout, description
        )

    async def reply_to_group(self, group_id: int, timeout: float = 10.0) -> Sent:  # noqa: ASYNC109
        """The next not-yet-returned message the bot sent to group ``group_id``."""
        call = await self._wait(
            (("group", group_id),), lambda _: True, timeout, f"a message to group {group_id}"
        )
        return self._sent_of(call)

    async def reply_to_user(self, user_id: int, timeout: float = 10.0) -> Sent:  # noqa: ASYNC109
        """The next not-yet-returned private message the bot sent to ``user_id``."""
        call = await self._wait(
            (("private", user_id),), lambda _: True, timeout, f"a private message to {user_id}"
        )
        return self._sent_of(call)

    async def assert_no_reply(
        self, group_id: int | None = None, user_id: int | None = None, within: float = 1.0
    ) -> None:
        """Fail if a not-yet-returned send to the chat exists or arrives within ``within`` s.

        With ``group_id`` the group is watched, with ``user_id`` private
        messages to that user, with both either, with neither every send.
        """
        keys: list[Hashable] = []
        if group_id is not None:
            keys.append(("group", group_id))
        if user_id is not None:
            keys.append(("private", user_id))
        target = " or ".join(
            part
            for part in (
                f"group {group_id}" if group_id is not None else "",
                f"user {user_id}" if user_id is not None else "",
            )
            if part
        )
        description = f"a message to {target or 'anyone'}"
        try:
            call = await self._wait(
                tuple(keys) or (_ANY_SEND,), lambda _: True, within, description
            )
        except WaitTimeout:
            return
        sent = self._sent_of(call)
        raise AssertionError(
            f"expected no reply but the bot sent {description[2:]} via {call.action}: "
            f"{sent.text!r}\n  {call.describe()}"
        )
