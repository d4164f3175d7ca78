"""Core settings, read from `.env` and the environment by NoneBot's config loader."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, Field, field_validator


class CoreConfig(BaseModel):
    bot_timezone: str = "Asia/Shanghai"
    """Time zone of "today", "this week" and every time shown to users."""

    bot_max_input_chars: int = Field(default=2000, ge=50)
    """A command message longer than this is refused with a short reason."""

    bot_reply_chunk_chars: int = Field(default=1200, ge=100)
    """Long replies are split into messages of at most this many characters."""

    bot_forward_min_chunks: int = Field(default=3, ge=2)
    """From this many chunks on, a long reply goes as one forward message where possible."""

    bot_send_interval: float = Field(default=0.5, ge=0, le=60)
    """Seconds between two pushes of one account (daily question, reminders), against QQ's
    burst detection."""

    bot_send_jitter: float = Field(default=0.3, ge=0, le=60)
    """Up to this many extra random seconds between pushes."""

    bot_upload_max_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    """Largest file an admin may send the bot to import (question banks, documents)."""

    bot_clock_start: datetime | None = None
    """Testing only: the bot's clock starts at this instant (ISO 8601 with offset) and runs on."""

    @field_validator("bot_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as e:
            raise ValueError(f"unknown time zone {value!r}, e.g. Asia/Shanghai") from e
        return value

    @field_validator("bot_clock_start")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("BOT_CLOCK_START needs a UTC offset, e.g. 2026-12-01T08:59:00+08:00")
        return value


@cache
def core_config() -> CoreConfig:
    from nonebot import get_plugin_config

    return get_plugin_config(CoreConfig)
