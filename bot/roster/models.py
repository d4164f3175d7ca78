from __future__ import annotations

from datetime import date, datetime

from nonebot_plugin_orm import Model
from sqlalchemy import Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import UTCDateTime


class Person(Model):
    """One person of a branch's roster: the stable identity across chats and platforms.
    Real name, status and dates are personal information (never shown in a group)."""

    __table_args__ = (UniqueConstraint("branch_id", "name", name="uq_roster_person_branch_name"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branch_branch.id"), index=True)
    name: Mapped[str] = mapped_column(String(32))
    """Real name, unique within the branch (two namesakes are told apart in the name)."""
    status: Mapped[str] = mapped_column(String(16))
    """正式党员 / 预备党员 / 发展对象 / 入党积极分子 / 群众."""
    party_group: Mapped[str] = mapped_column(String(32), default="")
    """党小组; empty when none."""
    office: Mapped[str] = mapped_column(String(16), default="")
    """书记 / 副书记 / 组织委员 / 宣传委员 / 纪检委员 / 党小组长; empty when none."""
    joined_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    """入党 date."""
    confirmed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    """转正 date."""
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    """When the person left the branch; their records are kept."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Account(Model):
    """A chat account bound to a roster person: one person per account (the key)."""

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    """`bot.platform.platform_of`: "qq", "console" …"""
    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("roster_person.id", ondelete="CASCADE"), index=True
    )
    bound_at: Mapped[datetime] = mapped_column(UTCDateTime)
    bound_by: Mapped[str] = mapped_column(String(64), default="")
    """"import", or the user id of the officer who confirmed the binding."""


class BindRequest(Model):
    """A member asks that their chat account be bound to a roster person; an officer of the
    person's branch confirms or refuses. Decided once: `outcome` goes from "" to "approved"
    or "refused"."""

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("roster_person.id", ondelete="CASCADE"), index=True
    )
    platform: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    outcome: Mapped[str] = mapped_column(String(16), default="")
    decided_by: Mapped[str] = mapped_column(String(64), default="")
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
