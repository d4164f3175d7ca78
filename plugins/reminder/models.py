from __future__ import annotations

from datetime import datetime

from nonebot_plugin_orm import Model
from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import UTCDateTime

_ID = BigInteger().with_variant(Integer, "sqlite")

ACTIVE, PAUSED, DONE, CANCELLED = "active", "paused", "done", "cancelled"
"""Reminder.state."""
CLAIMED, SENT, MISSED, SKIPPED, FAILED = "claimed", "sent", "missed", "skipped", "failed"
"""Firing.status."""


class Reminder(Model):
    """One reminder of a chat: its schedule, its text, and when it fires next."""

    __table_args__ = (
        UniqueConstraint("chat_kind", "chat_id", "number", name="uq_reminder_reminder_number"),
        # A template reminder exists once per chat (NULL templates never collide).
        UniqueConstraint("chat_kind", "chat_id", "template", name="uq_reminder_reminder_template"),
        Index("ix_reminder_reminder_next_fire_at", "next_fire_at"),
    )

    id: Mapped[int] = mapped_column(_ID, primary_key=True, autoincrement=True)
    chat_kind: Mapped[str] = mapped_column(String(8))
    """group or private."""
    chat_id: Mapped[str] = mapped_column(String(64))
    """The group id, or for a private chat the user's id."""
    number: Mapped[int]
    """编号 shown to people: 1, 2, 3 … per chat, never reused."""
    bot_id: Mapped[str] = mapped_column(String(64))
    """The account it was set through (private reminders are sent through it)."""
    creator_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    """Schedule kind (once, daily, weekly, workday, monthly, …, cron), also inside `spec`."""
    spec: Mapped[str] = mapped_column(String(200))
    """The schedule as JSON (bot.when.Schedule.to_spec)."""
    content: Mapped[str] = mapped_column(String(1000))
    """The reminder's text as typed (plain text)."""
    mention_all: Mapped[bool] = mapped_column(Boolean, default=False)
    receipt: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """Group only: every firing asks for a receipt (a subject of the core receipt service)."""
    state: Mapped[str] = mapped_column(String(12))
    """active, paused, done (a one-off that fired) or cancelled."""
    next_fire_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """The next firing not yet handled; NULL unless active. The scan is a range query on it."""
    template: Mapped[str | None] = mapped_column(String(32))
    """Key of the standard reminder it was created from (提醒模板), if any."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Firing(Model):
    """One firing of a reminder: claimed before it is sent, so it is sent once."""

    __table_args__ = (
        UniqueConstraint("reminder_id", "fire_at", name="uq_reminder_firing_reminder_fire_at"),
        Index("ix_reminder_firing_status_lease", "status", "lease_until"),
    )

    id: Mapped[int] = mapped_column(_ID, primary_key=True, autoincrement=True)
    reminder_id: Mapped[int] = mapped_column(
        _ID, ForeignKey("reminder_reminder.id", ondelete="CASCADE")
    )
    fire_at: Mapped[datetime] = mapped_column(UTCDateTime)
    """The scheduled instant."""
    status: Mapped[str] = mapped_column(String(12))
    """claimed (being sent), sent, missed (past the grace period), skipped (paused, switched
    off), failed."""
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    """Sent noticeably after its time (the bot was down or disconnected)."""
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(32))
    """The process sending it."""
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """While claimed: another process may take it over after this instant."""
    error: Mapped[str | None] = mapped_column(String(200))
    """The last send failure; a claim with an error waits for its retry."""
    told: Mapped[bool] = mapped_column(Boolean, default=False)
    """missed only: the chat has been told in a summary."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ChatCounter(Model):
    """The last 编号 given out in a chat; its row lock orders concurrent creations."""

    chat_kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    chat_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_number: Mapped[int]
