from __future__ import annotations

from datetime import datetime

from nonebot_plugin_orm import Model
from sqlalchemy import BigInteger, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import UTCDateTime


class GroupRules(Model):
    """A group's own rules text; absent means the starter text in data/."""

    group_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    """As the officer typed it (plain text, shown as plain text)."""
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_by: Mapped[str] = mapped_column(String(64))


class Welcomed(Model):
    """A newcomer welcomed in a group: one row per (group, user), so once per member."""

    __table_args__ = (UniqueConstraint("group_id", "user_id", name="uq_rules_welcomed_member"),)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    group_id: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[str] = mapped_column(String(64))
    welcomed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Word(Model):
    """One word of a branch's content list, normalised, in one category."""

    __table_args__ = (
        UniqueConstraint("branch_id", "category", "word", name="uq_rules_word_entry"),
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    branch_id: Mapped[int]
    category: Mapped[str] = mapped_column(String(16))
    word: Mapped[str] = mapped_column(String(100))
    """Normalised (`normalise.normalise`): what the message is searched for."""
    added_by: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Category(Model):
    """A category's choice: recall matching messages (when the bot is admin) or alert only."""

    __table_args__ = (UniqueConstraint("branch_id", "category", name="uq_rules_category_name"),)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    branch_id: Mapped[int]
    category: Mapped[str] = mapped_column(String(16))
    recall: Mapped[bool]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ListVersion(Model):
    """One row: bumped on every change of any list, so every process rebuilds its matcher."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)


class Match(Model):
    """A message that matched the list, and what was done. Nothing else of the chat is stored;
    rows older than `rules_record_days` are deleted."""

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    branch_id: Mapped[int]
    group_id: Mapped[str] = mapped_column(String(64), index=True)
    user_id: Mapped[str] = mapped_column(String(64))
    card: Mapped[str] = mapped_column(String(64))
    """Group card (else nickname) when the message came."""
    text: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(16))
    word: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(16))
    """`alerted`, `recalled`, `recall_failed` or `not_admin` (recall chosen, bot not admin)."""
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class RecallRefused(Model):
    """The officers were told that recall is not possible in this group (the bot is not an
    admin): one row per group, so they are told once; removed when a recall works again."""

    group_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    told_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Watched(Model):
    """A group whose content alerts are on (kept with the 开启 / 关闭 switch), with the
    platform its id belongs to, so every process knows which groups to look at."""

    group_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    since: Mapped[datetime] = mapped_column(UTCDateTime)


class BranchOption(Model):
    """A branch's choices beyond its word list."""

    branch_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    links: Mapped[bool]
    """Messages with a link are reported too (off unless the branch turns it on)."""
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
