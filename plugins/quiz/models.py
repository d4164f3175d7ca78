from __future__ import annotations

from datetime import date, datetime

from nonebot_plugin_orm import Model
from sqlalchemy import JSON, BigInteger, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import UTCDateTime

_ID = BigInteger().with_variant(Integer, "sqlite")


class Question(Model):
    """One question of the bank."""

    __table_args__ = (UniqueConstraint("stem_key", name="uq_quiz_question_stem_key"),)

    id: Mapped[int] = mapped_column(_ID, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(8))
    """单选, 多选, 判断 or 填空."""
    stem: Mapped[str] = mapped_column(Text)
    options: Mapped[list[str]] = mapped_column(JSON)
    """Option texts in order A, B, C …; empty for 判断 and 填空."""
    answer: Mapped[str] = mapped_column(String(400))
    """Letters (`B`, `ACD`), `对` / `错`, or for 填空 the accepted answers joined by `|`."""
    explanation: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(32), index=True)
    difficulty: Mapped[str] = mapped_column(String(8), default="")
    source: Mapped[str] = mapped_column(String(400), default="")
    stem_key: Mapped[str] = mapped_column(String(64))
    """Hash of the normalised stem: a question is in the bank once."""
    origin: Mapped[str] = mapped_column(String(200), default="")
    """The file it was imported from."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DailyQuestion(Model):
    """The question of a group's day; the first correct member is recorded once."""

    group_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(_ID)
    first_correct_user: Mapped[str | None] = mapped_column(String(64))
    pushed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """When the scheduled push claimed this day (None: never pushed)."""


class DailyAnswer(Model):
    """A member's answer to the daily question: the first one counts, once."""

    __table_args__ = (
        UniqueConstraint("group_id", "day", "user_id", name="uq_quiz_dailyanswer_member_day"),
    )

    id: Mapped[int] = mapped_column(_ID, primary_key=True, autoincrement=True)
    group_id: Mapped[str] = mapped_column(String(64))
    day: Mapped[date]
    user_id: Mapped[str] = mapped_column(String(64))
    answer: Mapped[str] = mapped_column(String(400))
    correct: Mapped[bool]
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DailySchedule(Model):
    """A group's daily push time."""

    group_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    push_time: Mapped[str] = mapped_column(String(5))
    """HH:MM, local time."""
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    """Only questions of these categories (empty: all)."""
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Attempt(Model):
    """Every answer a member gave, in any mode: the basis of accuracy and the 错题本."""

    __table_args__ = (Index("ix_quiz_attempt_member", "scope", "user_id", "mode"),)

    id: Mapped[int] = mapped_column(_ID, primary_key=True, autoincrement=True)
    scope: Mapped[str] = mapped_column(String(64))
    """Group id, or `private` for practice in a private chat."""
    user_id: Mapped[str] = mapped_column(String(64))
    question_id: Mapped[int] = mapped_column(_ID)
    mode: Mapped[str] = mapped_column(String(12))
    """daily, practice, challenge or review."""
    correct: Mapped[bool]
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime)


class WrongAnswer(Model):
    """A question in a member's 错题本; it leaves after two later right answers."""

    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    question_id: Mapped[int] = mapped_column(_ID, primary_key=True)
    wrong_at: Mapped[datetime] = mapped_column(UTCDateTime)
    """The latest wrong answer."""
    right_since: Mapped[int] = mapped_column(default=0)
    """Right answers since then."""


class ChallengeBest(Model):
    """A member's longest run in 挑战答题 in a group."""

    __table_args__ = (Index("ix_quiz_challengebest_board", "group_id", "best"),)

    group_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    best: Mapped[int]
    achieved_at: Mapped[datetime] = mapped_column(UTCDateTime)
