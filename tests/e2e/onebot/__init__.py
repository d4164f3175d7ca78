"""A small fake OneBot v11 implementation for end-to-end tests and benchmarks.

It plays the part NapCat or Lagrange play in production: it connects to the bot over
*reverse* WebSocket (the bot is the server), pushes OneBot v11 events in array message
format, records every API call the bot makes and answers it. Only ``websockets`` and the
standard library are used.

The parts: `codec` (segments and CQ codes), `records` (calls and sent messages),
`calls` (the call log and its waiting helpers), `api` (the answers), `connection` (the
WebSocket), and `fake` (`FakeOneBot`, one account made of them).
"""

from .api import ApiHandler, ApiResponder
from .calls import CallLog
from .codec import (
    Segment,
    at,
    face,
    image,
    message_text,
    normalize_message,
    parse_cq,
    reply,
    text,
    to_cq,
)
from .connection import Connection
from .fake import FakeOneBot
from .records import (
    FORWARD_ACTIONS,
    SEND_ACTIONS,
    ApiCall,
    ApiError,
    ConnectionLost,
    Sent,
    WaitTimeout,
)

__all__ = [
    "FORWARD_ACTIONS",
    "SEND_ACTIONS",
    "ApiCall",
    "ApiError",
    "ApiHandler",
    "ApiResponder",
    "CallLog",
    "Connection",
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
