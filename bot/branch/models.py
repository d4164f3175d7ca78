from __future__ import annotations

from datetime import datetime

from nonebot_plugin_orm import Model
from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import UTCDateTime


class Branch(Model):
    """A Party branch (支部): the unit of records. Chats belong to it; people are its roster."""

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(64), default="")
    """The branch's name as officers set it; empty until then."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class BranchChat(Model):
    """A chat and the branch it belongs to; a chat is in exactly one branch (the key)."""

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    """`bot.platform.platform_of`: "qq", "console" …"""
    chat_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    """The group id as the platform gives it."""
    branch_id: Mapped[int] = mapped_column(ForeignKey("branch_branch.id"), index=True)
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    linked_by: Mapped[str] = mapped_column(String(64), default="")
    """User id of the officer who confirmed the link; empty for the chat's own branch."""


class LinkRequest(Model):
    """An admin of a chat asks that the chat join another branch; an officer of that branch
    confirms or refuses. Decided once: `outcome` goes from "" to "approved" or "refused"."""

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    platform: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(64))
    """The chat that asks to join."""
    branch_id: Mapped[int] = mapped_column(ForeignKey("branch_branch.id"))
    """The branch it asks to join."""
    requested_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    outcome: Mapped[str] = mapped_column(String(16), default="")
    decided_by: Mapped[str] = mapped_column(String(64), default="")
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    __table_args__ = (Index("ix_branch_linkrequest_branch_outcome", "branch_id", "outcome"),)
