from __future__ import annotations

from datetime import date, datetime

from nonebot_plugin_orm import Model
from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import UTCDateTime


class Subject(Model):
    """Something people must confirm: a notice, a reminder firing, a study push, a meeting."""

    __table_args__ = (
        UniqueConstraint("kind", "ref"),
        Index(None, "branch_id", "created_at"),
        Index(None, "deadline"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    """The subject's number (编号), shown to people."""
    branch_id: Mapped[int] = mapped_column(BigInteger)
    """The branch it belongs to (a plain id: this plugin does not import the roster)."""
    kind: Mapped[str] = mapped_column(String(32))
    """What it is: `notice`, `reminder`, `study`, `meeting`, … (the feature that made it)."""
    ref: Mapped[str] = mapped_column(String(128))
    """The feature's own key for it; (kind, ref) is unique, so creating it again is a no-op."""
    title: Mapped[str] = mapped_column(Text)
    """What people confirm, as plain text."""
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """Receipts after this instant are late; None: no deadline."""
    created_by: Mapped[str] = mapped_column(String(64))
    """Who made it (a person id or chat account, as the feature chooses)."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """From this instant on it takes no receipts (may lie in the future); None: open."""
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """When the automatic nudge before the deadline was claimed (by one process)."""
    summarized_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """When the summary at the deadline was claimed (by one process)."""
    audience: Mapped[dict[str, list[str]] | None] = mapped_column(JSON)
    """Who is expected, as the roster filters `{"statuses": […], "party_groups": […]}`;
    None: everyone on the branch's roster."""
    origin: Mapped[str] = mapped_column(String(80), default="", server_default="")
    """The group it was posted in (its chat id; "" when none): where a summary goes when no
    officer can be reached privately, and which account sends the nudges."""


class Receipt(Model):
    """One person's confirmation of a subject; at most one per (subject, person)."""

    subject_id: Mapped[int] = mapped_column(
        ForeignKey("receipts_subject.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    """Roster person id (plain)."""
    confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    channel: Mapped[str] = mapped_column(String(80))
    """Where they confirmed: `group:<id>` or `private`."""
    late: Mapped[bool]
    """Confirmed after the subject's deadline."""


class Nudge(Model):
    """A nudge to one person about one subject on one local day; at most one per day."""

    subject_id: Mapped[int] = mapped_column(
        ForeignKey("receipts_subject.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    """Local day (configured zone) of the nudge."""
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime)
