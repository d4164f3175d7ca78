"""Documents sent in chat. Admins share meeting minutes in groups all the time, so an upload
to a group is only imported when its uploader confirms with `导入资料` within ten minutes; a
SUPERUSER's file sent privately is imported at once. Same checks as `python -m bot import-docs`;
an upload keeps its identity by file name, so uploading a newer version updates it."""

from __future__ import annotations

import asyncio
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bot.commands import command
from bot.deps import CurrentChat
from bot.messages import plain
from bot.uploads import Upload
from bot.uploads import register as register_upload

from . import IMPORT, POLICY, config, library, messages
from .readers import read_document
from .sectioning import DocumentError

CONFIRM_WITHIN = 600.0
"""Seconds a group upload waits for 导入资料."""


@dataclass(frozen=True)
class _Pending:
    upload: Upload
    data: bytes
    at: float


_pending: dict[tuple[str, str], _Pending] = {}


async def import_upload(upload: Upload, data: bytes) -> str:
    """Import one sent document now; the reply says what happened."""
    with tempfile.TemporaryDirectory(prefix="upload-") as folder:
        path = Path(folder) / Path(upload.name).name
        await asyncio.to_thread(path.write_bytes, data)
        try:
            parsed = await asyncio.to_thread(
                read_document, path, default_category="", **config.import_limits()
            )
        except DocumentError as e:
            return messages.upload_refused(upload.name, e.reason)
    outcome = await library.import_document(parsed, f"upload:{Path(upload.name).name}")
    return messages.upload_imported(outcome)


async def _received(upload: Upload, data: bytes) -> str | None:
    if upload.group_id is None:
        return await import_upload(upload, data)
    _pending[(upload.group_id, upload.user_id)] = _Pending(upload, data, time.monotonic())
    return messages.upload_received(upload.name, int(CONFIRM_WITHIN // 60))


register_upload(
    POLICY,
    (".docx", ".md", ".txt", ".pdf", ".html", ".htm", ".aspx"),
    _received,
    fallback=(".txt",),  # any text is a document, unless another feature knows it as its own
)

import_ = command(POLICY, IMPORT)


@import_.handle()
async def _(chat: CurrentChat) -> None:
    pending = _pending.pop((chat.chat_id, chat.user_id), None)
    if pending is None or time.monotonic() - pending.at > CONFIRM_WITHIN:
        await import_.finish(plain(messages.nothing_to_confirm(int(CONFIRM_WITHIN // 60))))
    await import_.finish(plain(await import_upload(pending.upload, pending.data)))
