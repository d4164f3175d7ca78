"""What the fake implementation records: the API calls the bot made, and the messages among
them read back as chats and text."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .codec import Segment, as_int, message_text, normalize_message, short

GROUP_SEND_ACTIONS = frozenset({"send_group_msg", "send_group_forward_msg"})
PRIVATE_SEND_ACTIONS = frozenset({"send_private_msg", "send_private_forward_msg"})
GENERIC_SEND_ACTIONS = frozenset({"send_msg", "send_forward_msg"})
SEND_ACTIONS = GROUP_SEND_ACTIONS | PRIVATE_SEND_ACTIONS | GENERIC_SEND_ACTIONS
"""Every action that sends a message to a chat."""
FORWARD_ACTIONS = frozenset(
    {"send_group_forward_msg", "send_private_forward_msg", "send_forward_msg"}
)
"""The subset of :data:`SEND_ACTIONS` that sends merged-forward messages."""


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
        return f"#{self.index} {self.action} {short(self.params)}"


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


def chat_of(call: ApiCall) -> tuple[str | None, int | None, int | None]:
    """(chat type, group_id, user_id) a send call targets."""
    params = call.params
    group_id, user_id = as_int(params.get("group_id")), as_int(params.get("user_id"))
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


def sent_of(call: ApiCall) -> Sent:
    """A send call read back as the message it sends."""
    chat_type, group_id, user_id = chat_of(call)
    if call.action in FORWARD_ACTIONS or call.params.get("messages") is not None:
        segments = normalize_message(call.params.get("messages"))
        nodes = [_node_content(seg) for seg in segments if seg.get("type") == "node"]
        return Sent(
            call=call,
            segments=segments,
            text="\n".join(_node_text(node) for node in nodes),
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


def _node_content(node: Segment) -> list[Segment]:
    data = node.get("data") or {}
    return normalize_message(data.get("content", data.get("message")))


def _node_text(content: list[Segment]) -> str:
    """Text of one node, descending into nested forward nodes."""
    if any(seg.get("type") == "node" for seg in content):
        return "\n".join(
            _node_text(_node_content(seg)) for seg in content if seg.get("type") == "node"
        )
    return message_text(content)
