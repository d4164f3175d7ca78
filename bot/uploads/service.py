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
    platform: str = "qq"
    """`bot.platform.platform_of` of the account that received it."""

    @property
    def suffix(self) -> str:
        return PurePath(self.name).suffix.lower()


UploadHandler = Callable[[Upload, bytes], Awaitable[str | None]]
"""(upload, content) -> reply; None when the file turns out not to be for this feature (the
next feature registered for the suffix is asked)."""


@dataclass(frozen=True)
class Registration:
    feature: Feature
    suffixes: tuple[str, ...]
    handler: UploadHandler
    fallback: tuple[str, ...] = ()
    """Suffixes for which it takes any file: asked last."""


_registrations: list[Registration] = []


def register(
    feature: Feature,
    suffixes: tuple[str, ...],
    handler: UploadHandler,
    *,
    fallback: tuple[str, ...] = (),
) -> None:
    """Take files with these suffixes. Several features may take one suffix (a roster and a
    question bank are both .xlsx): they are asked in the order they registered (core
    plugins first), and each says "not mine" by returning None after a look at the content.
    For the suffixes in `fallback` the handler takes any file (the library takes every .txt):
    it is asked after those that recognise theirs by content (a 【习题N】 quiz is a .txt too)."""
    if any(r.feature.key == feature.key and r.handler is handler for r in _registrations):
        raise ValueError(f"{feature.key}: this upload handler is already registered")
    _registrations.append(
        Registration(
            feature,
            tuple(s.lower() for s in suffixes),
            handler,
            tuple(s.lower() for s in fallback),
        )
    )


def registrations_for(name: str) -> list[Registration]:
    """Who takes a file of this name, in the order to ask them (empty: nobody): those that
    recognise their files first, then those that take any file of the suffix."""
    suffix = PurePath(name).suffix.lower()
    taking = [r for r in _registrations if suffix in r.suffixes]
    return sorted(taking, key=lambda r: suffix in r.fallback)


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
