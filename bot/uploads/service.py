from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

import httpx

from bot.features import Feature


@dataclass(frozen=True)
class Upload:
    name: str
    size: int | None
    group_id: str | None
    """The group it was uploaded to; None for a private chat."""
    user_id: str

    @property
    def suffix(self) -> str:
        return PurePath(self.name).suffix.lower()


UploadHandler = Callable[[Upload, bytes], Awaitable[str | None]]
"""(upload, content) -> reply; None when the file turns out not to be for this feature."""


@dataclass(frozen=True)
class Registration:
    feature: Feature
    suffixes: tuple[str, ...]
    handler: UploadHandler


_registrations: list[Registration] = []


def register(feature: Feature, suffixes: tuple[str, ...], handler: UploadHandler) -> None:
    taken = {s for r in _registrations for s in r.suffixes}
    clash = taken & set(suffixes)
    if clash:
        raise ValueError(f"{feature.key}: file types {sorted(clash)} already have a handler")
    _registrations.append(Registration(feature, tuple(s.lower() for s in suffixes), handler))


def registration_for(name: str) -> Registration | None:
    suffix = PurePath(name).suffix.lower()
    return next((r for r in _registrations if suffix in r.suffixes), None)


class TooLarge(Exception):
    pass


async def download(url: str, max_bytes: int, *, seconds: float = 30.0) -> bytes:
    """The file at an http(s) URL, refusing more than `max_bytes` while it streams in."""
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"not an http(s) URL: {url[:40]!r}")
    chunks: list[bytes] = []
    received = 0
    async with (
        httpx.AsyncClient(timeout=seconds, follow_redirects=True, trust_env=False) as client,
        client.stream("GET", url) as response,
    ):
        response.raise_for_status()
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > max_bytes:
            raise TooLarge
        async for chunk in response.aiter_bytes():
            received += len(chunk)
            if received > max_bytes:
                raise TooLarge
            chunks.append(chunk)
    return b"".join(chunks)


def file_segment(message: Any) -> dict[str, Any] | None:
    """The data of the first `file` segment of a OneBot v11 message, if any."""
    for segment in message:
        if getattr(segment, "type", None) == "file":
            return dict(segment.data)
    return None
