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
from bot.messages import clip, plain
from bot.uploads import Upload
from bot.uploads import register as register_upload

from . import IMPORT, POLICY, config, library
from .readers import read_document
from .sectioning import DocumentError

CONFIRM_WITHIN = 600.0


@dataclass(frozen=True)
class _Pending:
    upload: Upload
    data: bytes
    at: float


_pending: dict[tuple[str, str], _Pending] = {}


async def import_upload(upload: Upload, data: bytes) -> str:
    """Import one sent document now; the reply says what happened."""
    name = clip(upload.name, 30)
    with tempfile.TemporaryDirectory(prefix="upload-") as folder:
        path = Path(folder) / Path(upload.name).name
        await asyncio.to_thread(path.write_bytes, data)
        try:
            parsed = await asyncio.to_thread(
                read_document, path, default_category="", **config.import_limits()
            )
        except DocumentError as e:
            return f"「{name}」没有导入：{e.reason}"
    outcome = await library.import_document(parsed, f"upload:{Path(upload.name).name}")
    title = f"《{clip(outcome.title, 30)}》"
    first = f"，看 {outcome.numbers[0]} 开始读" if outcome.numbers else ""
    if outcome.status == "unchanged":
        return f"{title}已在资料库里，内容没有变化{first}。发「资料」看目录"
    verb = "已导入" if outcome.status == "added" else "已更新"
    return f"{verb}{title}（{outcome.category or '未分类'}，{outcome.sections}节）{first}。发「资料」看目录"


async def _received(upload: Upload, data: bytes) -> str | None:
    if upload.group_id is None:
        return await import_upload(upload, data)
    _pending[(upload.group_id, upload.user_id)] = _Pending(upload, data, time.monotonic())
    return f"收到「{clip(upload.name, 30)}」。要把它导入学习资料库，请在10分钟内发「导入资料」；不导入就不用管。"


register_upload(POLICY, (".docx", ".md", ".txt"), _received)

import_ = command(POLICY, IMPORT)


@import_.handle()
async def _(chat: CurrentChat) -> None:
    pending = _pending.pop((chat.chat_id, chat.user_id), None)
    if pending is None or time.monotonic() - pending.at > CONFIRM_WITHIN:
        await import_.finish(
            plain(
                "没有等你确认的文件。先把 .docx、.md 或 .txt 文件上传到群里，再在10分钟内发「导入资料」"
            )
        )
    await import_.finish(plain(await import_upload(pending.upload, pending.data)))
