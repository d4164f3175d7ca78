from __future__ import annotations

from dataclasses import replace
from typing import Any

import httpx
from nonebot import logger, on_notice
from nonebot.adapters import Bot, Event
from nonebot.adapters.onebot import v11
from nonebot.exception import ActionFailed, NetworkError
from nonebot.rule import Rule

from bot.commands import intercept
from bot.config import core_config
from bot.messages import plain, send_long
from bot.platform import Role, platform_of, role_of

from .service import TooLarge, Upload, download, file_segment, registrations_for


def _group_upload(event: Event) -> bool:
    return isinstance(event, v11.GroupUploadNoticeEvent) and bool(
        registrations_for(event.file.name)
    )


def _offline_file(event: Event) -> bool:
    if not isinstance(event, v11.NoticeEvent) or event.notice_type != "offline_file":
        return False
    file = getattr(event, "file", None) or {}
    return isinstance(file, dict) and bool(registrations_for(str(file.get("name", ""))))


def _private_file(event: Event) -> bool:
    if not isinstance(event, v11.PrivateMessageEvent):
        return False
    data = file_segment(event.get_message())
    return data is not None and bool(
        registrations_for(str(data.get("name") or data.get("file") or ""))
    )


def _file_notice(event: Event) -> bool:
    return _group_upload(event) or _offline_file(event)


# Notices come after the message router's priority: a command message never pays for this.
uploaded = on_notice(rule=Rule(_file_notice), priority=11, block=True)
sent_privately = intercept("file sent privately", lambda bot, event, state: _private_file(event))


@uploaded.handle()
async def _(bot: Bot, event: Event) -> None:
    if isinstance(event, v11.GroupUploadNoticeEvent):
        extra: dict[str, Any] = event.file.model_extra or {}
        upload = Upload(event.file.name, event.file.size, str(event.group_id), str(event.user_id))
        await _handle(
            bot, event, upload, extra.get("url"), file_id=event.file.id, busid=event.file.busid
        )
        return
    file: dict[str, Any] = getattr(event, "file", None) or {}
    upload = Upload(str(file.get("name")), _int(file.get("size")), None, event.get_user_id())
    await _handle(bot, event, upload, file.get("url"))


@sent_privately.handle()
async def _(bot: Bot, event: Event) -> None:
    data = file_segment(event.get_message()) or {}
    name = str(data.get("name") or data.get("file") or "")
    upload = Upload(
        name, _int(data.get("file_size") or data.get("size")), None, event.get_user_id()
    )
    await _handle(bot, event, upload, data.get("url"), file_id=data.get("file_id"))


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


async def _handle(
    bot: Bot,
    event: Event,
    upload: Upload,
    url: str | None,
    *,
    file_id: str | None = None,
    busid: int | None = None,
) -> None:
    registrations = registrations_for(upload.name)
    if not registrations:
        return
    upload = replace(upload, platform=platform_of(bot))
    role = await role_of(bot, event)
    if upload.group_id is not None and not role.is_admin:
        return  # a member sharing a file: not a request to the bot
    if upload.group_id is None and role is not Role.SUPERUSER:
        await bot.send(
            event, plain("私聊导入文件只限机器人超级管理员；群管理员请把文件上传到群里。")
        )
        return
    if upload.group_id is not None:
        from bot.settings.service import is_enabled

        registrations = [
            r
            for r in registrations
            if not r.feature.switchable or await is_enabled(upload.group_id, r.feature)
        ]
        if not registrations:
            return
    limit = core_config().bot_upload_max_bytes
    if upload.size is not None and upload.size > limit:
        await bot.send(event, plain(f"「{upload.name}」太大了，最多 {limit // 1024 // 1024} MB。"))
        return
    url = url or await _file_url(bot, upload, file_id, busid)
    if not url:
        await bot.send(
            event,
            plain(f"拿不到「{upload.name}」的下载地址，请稍后重新上传，或让运维用命令行导入。"),
        )
        return
    try:
        data = await download(url, limit)
    except TooLarge:
        await bot.send(event, plain(f"「{upload.name}」太大了，最多 {limit // 1024 // 1024} MB。"))
        return
    except (httpx.HTTPError, ValueError) as e:
        logger.warning(f"download of {upload.name} failed: {e!r}")
        await bot.send(event, plain(f"「{upload.name}」下载失败，请稍后重新上传。"))
        return
    for registration in registrations:
        reply = await registration.handler(upload, data)
        if reply is not None:
            if reply:
                await send_long(bot, event, reply, title="导入结果")
            return


async def _file_url(bot: Bot, upload: Upload, file_id: str | None, busid: int | None) -> str | None:
    if not isinstance(bot, v11.Bot) or not file_id:
        return None
    try:
        if upload.group_id is not None:
            found = await bot.call_api(
                "get_group_file_url",
                group_id=int(upload.group_id),
                file_id=file_id,
                busid=busid or 0,
            )
        else:
            found = await bot.call_api("get_file", file_id=file_id)
    except (ActionFailed, NetworkError) as e:
        logger.warning(f"no URL for uploaded file {upload.name}: {e}")
        return None
    url = found.get("url") if isinstance(found, dict) else None
    return url if isinstance(url, str) and url.startswith(("http://", "https://")) else None
