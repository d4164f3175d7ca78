from __future__ import annotations

from datetime import datetime

from nonebot_plugin_orm import Model
from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import UTCDateTime

_ID = BigInteger().with_variant(Integer, "sqlite")

LIBRARY_ID = 1
"""The id of the library's one row."""


class Library(Model):
    """The one row (id 1) that describes the library as a whole.

    Every change of the library writes it in the same transaction: `stamp` tells another
    process that its search index is out of date, `next_number` hands out section numbers
    (its row lock also serialises concurrent imports on PostgreSQL)."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    stamp: Mapped[str] = mapped_column(String(32))
    """Random; changes with every change of documents or sections."""
    next_number: Mapped[int]
    """The number the next new section gets (numbers are never reused)."""
    seeded: Mapped[bool]
    """The starter library was loaded once (it is not loaded again after removals)."""
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Document(Model):
    """One imported document (a file), identified by its source."""

    __table_args__ = (
        UniqueConstraint("source", name="uq_policy_document_source"),
        Index("ix_policy_document_category", "category"),
    )

    id: Mapped[int] = mapped_column(_ID, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(500))
    """Where it came from: the path relative to the project for files under it, else the
    absolute path. Importing the same source again updates this row."""
    title: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(50))
    issuer: Mapped[str | None] = mapped_column(String(200))
    """发文机关."""
    issued: Mapped[str | None] = mapped_column(String(32))
    """日期, as YYYY-MM-DD when it could be read, else as written."""
    basis: Mapped[str | None] = mapped_column(Text)
    """依据: the rules the document rests on."""
    link: Mapped[str | None] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(10))
    """The file's format: md, txt, docx, pdf or html."""
    authority: Mapped[str] = mapped_column(String(20), server_default="branch")
    """official (the rule's own text), interpretation (a summary or explanation, as the
    starter library) or branch (the branch's own material); official sections rank first."""
    title_from: Mapped[str] = mapped_column(String(200), server_default="")
    """Where the title came from (front matter, the document's own title line, …)."""
    content_hash: Mapped[str] = mapped_column(String(64))
    """Of everything stored from the file; an unchanged re-import writes nothing."""
    section_count: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Section(Model):
    """A passage of a document that answers one question: what 政策 finds and 看 shows."""

    __table_args__ = (
        UniqueConstraint("number", name="uq_policy_section_number"),
        Index("ix_policy_section_document_position", "document_id", "position"),
    )

    id: Mapped[int] = mapped_column(_ID, primary_key=True, autoincrement=True)
    document_id: Mapped[int] = mapped_column(
        _ID, ForeignKey("policy_document.id", ondelete="CASCADE")
    )
    number: Mapped[int]
    """The number members see (看 12); kept when the document is re-imported and this
    section's heading or text is unchanged."""
    position: Mapped[int]
    """Order within the document, from 0."""
    heading: Mapped[str] = mapped_column(String(200))
    """The section's own heading as written (三、工资8000元交多少党费, 第三条); 导语 before the
    first heading."""
    path: Mapped[str] = mapped_column(String(500))
    """The headings above it and its own, joined with ' › ' (第一章 总则 › 第三条)."""
    part: Mapped[int]
    """0 for a whole section; 1, 2 … for the pieces of a section too long for one."""
    text: Mapped[str] = mapped_column(Text)
    text_hash: Mapped[str] = mapped_column(String(40))
    """Of path, part and text: the identity that keeps the number across re-imports."""
