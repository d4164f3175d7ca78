from __future__ import annotations

from datetime import datetime

from nonebot_plugin_orm import Model
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import UTCDateTime


class FeatureSwitch(Model):
    """A group's choice for one feature; absent means the feature's default."""

    group_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    """Group (or channel) id as the platform gives it."""
    feature: Mapped[str] = mapped_column(String(32), primary_key=True)
    """`Feature.key`."""
    enabled: Mapped[bool]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_by: Mapped[str] = mapped_column(String(64))
    """User id of the admin who switched it."""
