from __future__ import annotations

from datetime import datetime

from nonebot_plugin_orm import Model
from sqlalchemy import JSON, BigInteger, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import UTCDateTime


class Poll(Model):
    """A poll of a branch. Its number is the number of its receipt subject (kind `poll`), so
    `投票结果 5`, `回执 5` and `催办 5` name the same poll."""

    __table_args__ = (Index(None, "branch_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    """The number (编号): the id of its `receipts_subject`."""
    branch_id: Mapped[int] = mapped_column(BigInteger)
    title: Mapped[str] = mapped_column(Text)
    options: Mapped[list[str]] = mapped_column(JSON)
    """The options in order: the first is A, the second B, …"""
    max_choices: Mapped[int] = mapped_column(Integer)
    """How many options one ballot may name (1: a single choice)."""
    anonymous: Mapped[bool]
    """Ballots are stored without a person (`AnonymousBallot`); results after the deadline."""
    changeable: Mapped[bool]
    """`可改票`: a voter may change their ballot until the deadline (named polls only)."""
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    """From this instant on no ballots: the deadline, or some days after it was made."""
    audience: Mapped[dict[str, list[str]] | None] = mapped_column(JSON)
    """Who votes, as roster filters (like a receipt subject's); None: the whole roster."""
    origin: Mapped[str] = mapped_column(String(80))
    """The group it was posted in."""
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Voter(Model):
    """Who has voted: one row per (poll, person), the "one ballot per person" constraint.
    For a named poll it carries the choices; for an anonymous one it does not."""

    poll_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    """Roster person id (plain)."""
    choices: Mapped[str | None] = mapped_column(String(26))
    """The letters chosen (`AC`), named polls only; None in an anonymous poll."""
    voted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    """When the first ballot was cast (a change of mind does not move it)."""


class AnonymousBallot(Model):
    """A ballot of an anonymous poll: the choices and nothing that names or orders the voter
    (a random key, no time), written in the transaction that writes their `Voter` row."""

    __table_args__ = (Index(None, "poll_id"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    """Random (uuid4 hex): no order of arrival."""
    poll_id: Mapped[int] = mapped_column(Integer)
    choices: Mapped[str] = mapped_column(String(26))
