"""OneBot v11 messages as data: segment builders and the CQ-code string format.

Pure functions, no I/O: what the fake implementation uses to build the events it pushes and
to read the messages the bot sends.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

Segment = dict[str, Any]
"""One OneBot v11 message segment: ``{"type": ..., "data": {...}}``."""


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


def as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def short(value: Any, limit: int = 160) -> str:
    """``value`` as JSON, cut to ``limit`` characters (for messages about calls)."""
    rendered = json.dumps(value, ensure_ascii=False, default=str)
    return rendered if len(rendered) <= limit else rendered[: limit - 3] + "..."
