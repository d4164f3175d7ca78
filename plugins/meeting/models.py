from __future__ import annotations

from datetime import datetime

from nonebot_plugin_orm import Model
from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import UTCDateTime

APPROVED, REFUSED = "approved", "refused"
"""Leave.outcome once decided ("" while it waits)."""


class Meeting(Model):
    """One meeting of a branch. Its number is the number of its receipt subject (kind
    `meeting`), whose receipts are the attendance (`到`)."""

    __table_args__ = (Index(None, "branch_id", "starts_at"), Index(None, "starts_at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    """The number (编号): the id of the meeting's receipt subject."""
    branch_id: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(16))
    """支委会, 党小组会, 党员大会, 党课, 主题党日, 组织生活会 or 民主评议."""
    party_group: Mapped[str] = mapped_column(String(32), default="")
    """The 党小组 of a 党小组会; "" otherwise."""
    topic: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    scheduled_at: Mapped[datetime] = mapped_column(UTCDateTime)
    """When the time was last set (made or moved): a reminder is due only when the meeting
    was set at least that far ahead."""
    origin: Mapped[str] = mapped_column(String(80))
    """The group it was scheduled in: where the reminders go."""
    created_by: Mapped[str] = mapped_column(String(64))
    """`<platform>:<user id>` of the officer."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Leave(Model):
    """A leave request for one meeting; one per (meeting, person). Decided once: `outcome`
    goes from "" to approved / refused (a conditional UPDATE); an officer's correction
    (补登 … 请假) makes it approved and says so in `corrected`."""

    __table_args__ = (UniqueConstraint("meeting_id", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    """The number officers answer (批准 <编号>)."""
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting_meeting.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(BigInteger)
    """Roster person id (plain)."""
    reason: Mapped[str] = mapped_column(Text)
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    outcome: Mapped[str] = mapped_column(String(16), default="")
    decided_by: Mapped[str] = mapped_column(String(64), default="")
    """The officer's user id."""
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    corrected: Mapped[bool] = mapped_column(default=False)
    """Recorded by an officer after the fact (补登), not asked by the member."""


class MakeUp(Model):
    """Make-up study (补学) of a meeting by someone who missed it; one per (meeting, person)."""

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting_meeting.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    note: Mapped[str] = mapped_column(Text)
    """The member's 心得, plain text."""
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ReminderClaim(Model):
    """A reminder of a meeting claimed for sending: one per (meeting, kind, start time), so
    it goes out once, and again only when the meeting moves."""

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting_meeting.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    """`day_before` or `soon`."""
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime)
