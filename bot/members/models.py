from __future__ import annotations

from datetime import datetime

from nonebot_plugin_orm import Model
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import UTCDateTime


class MemberName(Model):
    """The last known display name of a member in a group."""

    group_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    """Group card, else nickname, as plain text (never interpreted)."""
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
