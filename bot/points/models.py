from __future__ import annotations

from datetime import date, datetime

from nonebot_plugin_orm import Model
from sqlalchemy import BigInteger, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import UTCDateTime


class PointEntry(Model):
    """One award or correction; rows are only ever added."""

    __table_args__ = (
        UniqueConstraint("source", "reference", name="uq_points_pointentry_source_reference"),
        Index("ix_points_pointentry_member_day", "group_id", "user_id", "day"),
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    group_id: Mapped[str] = mapped_column(String(64))
    """Group the points count in."""
    user_id: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(32))
    """Which feature awarded it: checkin, quiz.daily, admin …"""
    reference: Mapped[str] = mapped_column(String(160))
    """What it was for, unique within the source, e.g. <group>:<user>:<day>."""
    amount: Mapped[int]
    """Points granted (after caps); negative for corrections."""
    reason: Mapped[str | None] = mapped_column(String(200))
    """Free text for admin corrections."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    day: Mapped[date]
    """Local day (BOT_TIMEZONE) of created_at, for daily caps and period sums."""


class PointTotal(Model):
    """Running sum of a member's points in one period (day, week, month or all time)."""

    __table_args__ = (Index("ix_points_pointtotal_board", "group_id", "period", "amount"),)

    group_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    period: Mapped[str] = mapped_column(String(16), primary_key=True)
    """`all`, `d2026-11-28`, `w2026-11-23` (the Monday) or `m2026-11`."""
    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    amount: Mapped[int]
