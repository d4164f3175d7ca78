"""The library: documents and sections in the database — import, the starter library,
listing and removal.

Rules, in the database: a document is in the library once (its source is unique); section
numbers are unique and never reused, handed out from the library row, whose update also
serialises concurrent imports; an unchanged re-import writes nothing, and a changed one keeps
the number of every section whose heading path or text is unchanged. Every change writes a new
stamp on the library row, which tells the search index (search.py) to catch up.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from nonebot import logger
from nonebot_plugin_orm import get_session
from sqlalchemy import Row, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot import clock
from bot.db import dialect_insert

from . import search
from .models import LIBRARY_ID, Document, Library, Section
from .readers import SUFFIXES, read_document
from .sectioning import (
    INTERPRETATION,
    UNSORTED,
    DocumentError,
    ParsedDocument,
    ParsedSection,
)

# ------------------------------------------------------------------ import -------------------


@dataclass(frozen=True)
class ImportOutcome:
    status: str
    """added, updated or unchanged."""
    document_id: int
    title: str
    category: str
    sections: int
    kept: int = 0
    """Sections that kept their number (updated only)."""
    added: int = 0
    removed: int = 0
    numbers: tuple[int, ...] = ()
    """The document's section numbers, in order."""


class _Unchanged(Exception):
    def __init__(self, outcome: ImportOutcome) -> None:
        self.outcome = outcome


def source_of(path: Path) -> str:
    """A file's identity in the library: its path relative to the project when inside it
    (so a moved checkout still matches), else its absolute path."""
    from bot.app import ROOT

    resolved = path.resolve()
    try:
        return resolved.relative_to(ROOT).as_posix()
    except ValueError:
        return resolved.as_posix()


async def import_document(parsed: ParsedDocument, source: str) -> ImportOutcome:
    """Add or update one document, in one transaction."""
    try:
        return await _import(parsed, source)
    except _Unchanged as unchanged:
        return unchanged.outcome


async def _import(stated: ParsedDocument, source: str) -> ImportOutcome:
    now = clock.now()
    documents, sections = Document.__table__, Section.__table__
    async with get_session() as session, session.begin():
        existing = await _existing(session, source)
        parsed = _with_category(stated, existing)
        if existing is not None and existing.content_hash == parsed.content_hash:
            return await _unchanged_outcome(session, existing.id, parsed)
        # Take the library row (its lock orders imports), then look again: another process
        # may have imported the same file meanwhile.
        next_number = await _touch_library(session, now)
        existing = await _existing(session, source)
        parsed = _with_category(stated, existing)
        if existing is not None and existing.content_hash == parsed.content_hash:
            raise _Unchanged(await _unchanged_outcome(session, existing.id, parsed))
        values = {
            "title": parsed.title,
            "category": parsed.category,
            "issuer": parsed.issuer,
            "issued": parsed.issued,
            "basis": parsed.basis,
            "link": parsed.link,
            "kind": parsed.kind,
            "authority": parsed.authority,
            "title_from": parsed.title_from[:200],
            "content_hash": parsed.content_hash,
            "section_count": len(parsed.sections),
            "updated_at": now,
        }
        old: list[_Old] = []
        if existing is None:
            document_id = await session.scalar(
                dialect_insert(session, documents)
                .values(source=source, created_at=now, **values)
                .returning(documents.c.id)
            )
            assert document_id is not None
        else:
            document_id = existing.id
            await session.execute(
                update(documents).where(documents.c.id == document_id).values(**values)
            )
            old = [
                _Old(*row)
                for row in await session.execute(
                    select(
                        sections.c.id,
                        sections.c.number,
                        sections.c.text_hash,
                        sections.c.path,
                        sections.c.part,
                        sections.c.text,
                    )
                    .where(sections.c.document_id == document_id)
                    .order_by(sections.c.position)
                )
            ]
        plan = _match(old, parsed.sections)
        old_positions = {section.id: position for position, section in enumerate(old)}
        new_count = sum(1 for match in plan if match is None)
        numbers: list[int] = []
        inserts: list[dict[str, object]] = []
        next_free = next_number
        for position, (section, match) in enumerate(zip(parsed.sections, plan, strict=True)):
            row = {
                "position": position,
                "heading": section.heading,
                "path": section.path,
                "part": section.part,
                "text": section.text,
                "text_hash": section.text_hash,
            }
            if match is None:
                numbers.append(next_free)
                inserts.append({"document_id": document_id, "number": next_free, **row})
                next_free += 1
            else:
                section_id, number, unchanged = match
                numbers.append(number)
                if not unchanged or old_positions[section_id] != position:
                    await session.execute(
                        update(sections).where(sections.c.id == section_id).values(**row)
                    )
        matched_ids = {match[0] for match in plan if match is not None}
        gone = [section.id for section in old if section.id not in matched_ids]
        if gone:
            await session.execute(delete(sections).where(sections.c.id.in_(gone)))
        if inserts:
            await session.execute(sections.insert(), inserts)
        if new_count:
            await session.execute(
                update(Library.__table__)
                .where(Library.__table__.c.id == LIBRARY_ID)
                .values(next_number=next_free)
            )
    search.invalidate()  # this process re-checks before its next search
    return ImportOutcome(
        status="added" if existing is None else "updated",
        document_id=document_id,
        title=parsed.title,
        category=parsed.category,
        sections=len(parsed.sections),
        kept=len(matched_ids),
        added=new_count,
        removed=len(gone),
        numbers=tuple(numbers),
    )


async def _existing(session: AsyncSession, source: str) -> Row[int, str, str] | None:
    """The stored document of a source: (id, content_hash, category)."""
    statement = select(Document.id, Document.content_hash, Document.category)
    return (await session.execute(statement.where(Document.source == source))).first()


def _with_category(parsed: ParsedDocument, existing: Row[int, str, str] | None) -> ParsedDocument:
    """A document that names no category keeps the one it has, or goes to 其他."""
    if parsed.category:
        return parsed
    return replace(parsed, category=existing.category if existing is not None else UNSORTED)


@dataclass(frozen=True)
class _Old:
    """A section of the stored version of a document being re-imported."""

    id: int
    number: int
    text_hash: str
    path: str
    part: int
    text: str


def _match(old: list[_Old], new: list[ParsedSection]) -> list[tuple[int, int, bool] | None]:
    """For each new section, the old section (id, number, unchanged?) whose number it keeps:

    1. the same heading path and text, wherever it moved in the document;
    2. the same heading path (an edited section);
    3. the same text (a section whose heading was renamed).

    None for a new section; old sections left over are removed."""
    plan: list[tuple[int, int, bool] | None] = [None] * len(new)
    free = {section.id: section for section in old}
    keys: list[tuple[Any, Any]] = [
        (lambda s: s.text_hash, lambda s: s.text_hash),
        (lambda s: (s.path, s.part), lambda s: (s.path, s.part)),
        (lambda s: s.text, lambda s: s.text),
    ]
    for step, (old_key, new_key) in enumerate(keys):
        waiting: dict[Any, list[int]] = defaultdict(list)
        for section in old:
            if section.id in free:
                waiting[old_key(section)].append(section.id)
        for i, section in enumerate(new):
            if plan[i] is not None:
                continue
            candidates = waiting.get(new_key(section))
            while candidates:
                sid = candidates.pop(0)
                if sid in free:
                    plan[i] = (sid, free.pop(sid).number, step == 0)
                    break
    return plan


async def _touch_library(session: AsyncSession, now: datetime) -> int:
    """Mark the library changed (new stamp) and return the next free section number."""
    table = Library.__table__
    statement = dialect_insert(session, table).values(
        id=LIBRARY_ID, stamp=uuid.uuid4().hex, next_number=1, seeded=False, updated_at=now
    )
    statement = statement.on_conflict_do_update(
        index_elements=["id"],
        set_={"stamp": statement.excluded.stamp, "updated_at": statement.excluded.updated_at},
    ).returning(table.c.next_number)
    next_number = await session.scalar(statement)
    assert next_number is not None  # the upsert returns its row
    return int(next_number)


async def _unchanged_outcome(
    session: AsyncSession, document_id: int, parsed: ParsedDocument
) -> ImportOutcome:
    numbers = (
        await session.scalars(
            select(Section.number)
            .where(Section.document_id == document_id)
            .order_by(Section.position)
        )
    ).all()
    return ImportOutcome(
        "unchanged",
        document_id,
        parsed.title,
        parsed.category,
        len(numbers),
        kept=len(numbers),
        numbers=tuple(numbers),
    )


@dataclass
class FileResult:
    path: Path
    outcome: ImportOutcome | None = None
    error: str | None = None


@dataclass
class ImportReport:
    files: list[FileResult] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    """Files in the folders given whose type is not read (named, so nothing vanishes)."""

    @property
    def failed(self) -> list[FileResult]:
        return [f for f in self.files if f.error]


@dataclass
class Collected:
    found: list[tuple[Path, str]]
    """Files to import, each with its default category (the sub-folder it is in)."""
    refused: list[FileResult]
    """Paths given that do not exist."""
    skipped: list[Path]
    """Files in the folders whose type is not read (side files and README excepted)."""


def collect_files(paths: list[Path]) -> Collected:
    """Files to import with their default category (the sub-folder under a given folder),
    the paths refused at once (missing) and the files of an unsupported type in the folders.
    README files, side files (.meta) and hidden or temporary files are passed over."""
    found: list[tuple[Path, str]] = []
    refused: list[FileResult] = []
    skipped: list[Path] = []
    for path in paths:
        if path.is_dir():
            for file in sorted(path.rglob("*")):
                if not file.is_file() or _skipped(file, path):
                    continue
                if file.suffix.lower() in SUFFIXES:
                    relative = file.relative_to(path)
                    category = relative.parts[0] if len(relative.parts) > 1 else ""
                    found.append((file, category))
                elif file.suffix.lower() != ".meta":
                    skipped.append(file)
        elif path.is_file():
            found.append((path, ""))
        else:
            refused.append(FileResult(path, error="文件或文件夹不存在"))
    return Collected(found, refused, skipped)


def _skipped(file: Path, root: Path) -> bool:
    relative = file.relative_to(root)
    if any(part.startswith((".", "~$", "_")) for part in relative.parts):
        return True
    return file.stem.lower() in ("readme", "license", "changelog")


async def import_paths(
    paths: list[Path],
    *,
    category: str = "",
    authority: str = "",
    max_bytes: int,
    max_section_chars: int,
) -> ImportReport:
    """Import files and folders; each file on its own, so a broken one changes nothing and
    does not stop the others. `authority` (official, interpretation, branch) overrides what
    the files say or look like."""
    collected = await asyncio.to_thread(collect_files, paths)
    report = ImportReport(list(collected.refused), skipped=collected.skipped)
    for path, folder_category in collected.found:
        try:
            parsed = await asyncio.to_thread(
                read_document,
                path,
                default_category=category or folder_category,
                max_bytes=max_bytes,
                max_section_chars=max_section_chars,
            )
        except DocumentError as e:
            report.files.append(FileResult(path, error=e.reason))
            continue
        if authority:
            parsed = replace(parsed, authority=authority)
        report.files.append(FileResult(path, await import_document(parsed, source_of(path))))
    return report


# ------------------------------------------------------------------ starter library ----------


async def load_starter(
    folder: Path, *, max_bytes: int, max_section_chars: int
) -> ImportReport | None:
    """Import `folder` when the library has never been seeded and holds no document.

    Returns None when nothing was to be done. Several processes may start at once: the
    unique source and the library row keep the library free of duplicates."""
    async with get_session() as session:
        seeded = await session.scalar(select(Library.seeded).where(Library.id == LIBRARY_ID))
        documents = await session.scalar(select(func.count()).select_from(Document))
    if seeded or documents:
        return None
    if not await asyncio.to_thread(folder.is_dir):
        logger.warning(f"政策资料库：起始资料目录不存在：{folder}")
        return None
    report = await import_paths(
        [folder],
        authority=INTERPRETATION,
        max_bytes=max_bytes,
        max_section_chars=max_section_chars,
    )
    async with get_session() as session, session.begin():
        await _touch_library(session, clock.now())
        await session.execute(
            update(Library.__table__).where(Library.id == LIBRARY_ID).values(seeded=True)
        )
    search.invalidate()
    return report


# ------------------------------------------------------------------ removal and listing ------


@dataclass(frozen=True)
class DocumentInfo:
    id: int
    source: str
    title: str
    category: str
    issuer: str | None
    issued: str | None
    sections: int
    first_number: int | None
    updated_at: datetime
    authority: str = ""
    title_from: str = ""


async def list_documents(category: str | None = None) -> list[DocumentInfo]:
    first = (
        select(Section.document_id, func.min(Section.number).label("first"))
        .group_by(Section.document_id)
        .subquery()
    )
    statement = (
        select(
            Document.id,
            Document.source,
            Document.title,
            Document.category,
            Document.issuer,
            Document.issued,
            Document.section_count,
            first.c.first,
            Document.updated_at,
            Document.authority,
            Document.title_from,
        )
        .outerjoin(first, first.c.document_id == Document.id)
        .order_by(Document.category, Document.id)
    )
    if category:
        statement = statement.where(Document.category == category)
    async with get_session() as session:
        rows = (await session.execute(statement)).all()
    return [DocumentInfo(*row) for row in rows]


async def remove_documents(ids: list[int]) -> list[DocumentInfo]:
    """Remove documents and their sections (one transaction); the ones that existed."""
    if not ids:
        return []
    existing = [d for d in await list_documents() if d.id in set(ids)]
    if not existing:
        return []
    async with get_session() as session, session.begin():
        await _touch_library(session, clock.now())
        found = [d.id for d in existing]
        await session.execute(delete(Section.__table__).where(Section.document_id.in_(found)))
        await session.execute(delete(Document.__table__).where(Document.id.in_(found)))
    search.invalidate()
    return existing
