"""Reading: one section with its document's metadata and neighbours, the range of numbers,
tables of contents."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from nonebot_plugin_orm import get_session
from sqlalchemy import func, select

from .models import Document, Section


@dataclass(frozen=True)
class SectionView:
    number: int
    title: str
    category: str
    issuer: str | None
    issued: str | None
    basis: str | None
    link: str | None
    heading: str
    path: str
    part: int
    parts: int
    text: str
    previous: int | None
    next: int | None
    authority: str = ""
    """official, interpretation or branch."""


async def get_section(number: int) -> SectionView | None:
    async with get_session() as session:
        row = (
            await session.execute(
                select(Section, Document).join(Document).where(Section.number == number)
            )
        ).first()
        if row is None:
            return None
        section, document = row
        siblings = (
            await session.execute(
                select(Section.number, Section.path, Section.part)
                .where(Section.document_id == document.id)
                .order_by(Section.position)
            )
        ).all()
    order = [s.number for s in siblings]
    at = order.index(section.number)
    parts = sum(1 for s in siblings if s.path == section.path and s.part)
    return SectionView(
        number=section.number,
        title=document.title,
        category=document.category,
        issuer=document.issuer,
        issued=document.issued,
        basis=document.basis,
        link=document.link,
        heading=section.heading,
        path=section.path,
        part=section.part,
        parts=parts,
        text=section.text,
        authority=document.authority,
        previous=order[at - 1] if at > 0 else None,
        next=order[at + 1] if at + 1 < len(order) else None,
    )


async def number_range() -> tuple[int, int] | None:
    async with get_session() as session:
        low, high = (
            await session.execute(select(func.min(Section.number), func.max(Section.number)))
        ).one()
    return (int(low), int(high)) if low is not None else None


@dataclass(frozen=True)
class TocEntry:
    number: int
    heading: str
    part: int


async def table_of_contents(document_ids: list[int]) -> dict[int, list[TocEntry]]:
    async with get_session() as session:
        rows = (
            await session.execute(
                select(Section.document_id, Section.number, Section.heading, Section.part)
                .where(Section.document_id.in_(document_ids))
                .order_by(Section.document_id, Section.position)
            )
        ).all()
    toc: dict[int, list[TocEntry]] = defaultdict(list)
    for document_id, number, heading, part in rows:
        toc[document_id].append(TocEntry(number, heading, part))
    return toc
