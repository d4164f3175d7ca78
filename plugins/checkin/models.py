from __future__ import annotations

from datetime import date, datetime

from nonebot_plugin_orm import Model
from sqlalchemy import BigInteger, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import UTCDateTime


class CheckIn(Model):
    """One member's check-in in one group on one local day."""

    __table_args__ = (
        UniqueConstraint("group_id", "user_id", "day", name="uq_checkin_checkin_member_day"),
        # The two unique constraints are also the indexes for a member's days and a group's day.
        UniqueConstraint("group_id", "day", "rank", name="uq_checkin_checkin_day_rank"),
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    group_id: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[str] = mapped_column(String(64))
    day: Mapped[date]
    """Local day (BOT_TIMEZONE)."""
    rank: Mapped[int]
    """第N位 of the day in this group, in commit order."""
    streak: Mapped[int]
    """Consecutive days up to and including this one."""
    note: Mapped[str | None] = mapped_column(String(400))
    """What the member studied, as typed (plain text)."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DayCounter(Model):
    """How many members checked in to a group on a day; its row lock orders concurrent
    check-ins, so ranks are 1, 2, 3 … without gaps or repeats."""

    group_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    count: Mapped[int]
