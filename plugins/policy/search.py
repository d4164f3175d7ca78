"""Search: the index derived from the library's rows (index.py), kept up to date, and the
query over it.

Before each search, the library's stamp is read (one primary-key row): when another process
changed the library, only the sections that changed are segmented again.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

from nonebot_plugin_orm import get_session
from sqlalchemy import select

from . import index as idx
from .models import LIBRARY_ID, Document, Library, Section
from .segment import Segmenter

THREAD_ABOVE = 200
"""Segment more changed sections than this in a worker thread, not on the event loop."""


# ------------------------------------------------------------------ state --------------------


class _State:
    def __init__(self) -> None:
        self.segmenter = Segmenter()
        self.snapshot = idx.Snapshot()
        self.lock: asyncio.Lock | None = None
        self.lock_loop: asyncio.AbstractEventLoop | None = None

    def refresh_lock(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        if self.lock is None or self.lock_loop is not loop:
            self.lock, self.lock_loop = asyncio.Lock(), loop
        return self.lock


_state = _State()


def configure(words_file: Path | None, synonyms_file: Path | None) -> None:
    """Use these data files (before load())."""
    _state.segmenter = Segmenter(words_file, synonyms_file)
    _state.snapshot = idx.Snapshot()


def segmenter() -> Segmenter:
    return _state.segmenter


async def load_segmenter() -> None:
    """Load jieba and the domain dictionary in a worker thread (about half a second)."""
    await asyncio.to_thread(_state.segmenter.load)


def invalidate() -> None:
    """The library changed in this process: look at its stamp again before the next search."""
    _state.snapshot.stamp = None


# ------------------------------------------------------------------ the index ----------------


async def refresh() -> idx.Snapshot:
    """The index, brought up to date with the library if another process (or this one)
    changed it. Costs one primary-key read when nothing changed."""
    snapshot = _state.snapshot
    async with get_session() as session:
        stamp = await session.scalar(select(Library.stamp).where(Library.id == LIBRARY_ID))
    if snapshot.stamp is not None and stamp == snapshot.stamp:
        return snapshot
    async with _state.refresh_lock():
        if _state.snapshot is not snapshot and _state.snapshot.stamp == stamp:
            return _state.snapshot
        return await _rebuild()


async def _rebuild() -> idx.Snapshot:
    previous = _state.snapshot
    known = previous.keys()
    documents, sections = Document.__table__, Section.__table__
    async with get_session() as session:
        stamp = await session.scalar(select(Library.stamp).where(Library.id == LIBRARY_ID))
        current = {
            row.id: (row.text_hash, row.content_hash)
            for row in await session.execute(
                select(sections.c.id, sections.c.text_hash, documents.c.content_hash).join(
                    documents, documents.c.id == sections.c.document_id
                )
            )
        }
        wanted = [sid for sid, key in current.items() if known.get(sid) != key]
        rows: list[idx.Row] = []
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            result = await session.execute(
                select(
                    sections.c.id,
                    sections.c.number,
                    sections.c.document_id,
                    documents.c.source,
                    documents.c.title,
                    documents.c.category,
                    documents.c.issued,
                    sections.c.heading,
                    sections.c.path,
                    sections.c.part,
                    sections.c.position,
                    sections.c.text,
                    sections.c.text_hash,
                    documents.c.content_hash,
                    documents.c.authority,
                )
                .join(documents, documents.c.id == sections.c.document_id)
                .where(sections.c.id.in_(chunk))
            )
            rows += [
                idx.Row(*row[:12], key=(row.text_hash, row.content_hash), authority=row.authority)
                for row in result
            ]
    keep = {sid for sid in current if sid not in set(wanted)}
    segmenter = _state.segmenter
    if len(rows) > THREAD_ABOVE or not segmenter.loaded:
        snapshot = await asyncio.to_thread(idx.build, previous, stamp, rows, keep, segmenter)
    else:
        snapshot = idx.build(previous, stamp, rows, keep, segmenter)
    if stamp is None:
        snapshot.stamp = None  # an empty library: look again next time
    _state.snapshot = snapshot
    return snapshot


@dataclass(frozen=True)
class SearchHit:
    number: int
    title: str
    heading: str
    path: str
    part: int
    issued: str | None
    snippet: str
    score: float
    source: str
    authority: str = ""
    """official, interpretation or branch (shown with the hit)."""


@dataclass(frozen=True)
class SearchResult:
    query: str
    hits: list[SearchHit]
    total: int
    """Sections that matched at all."""
    searchable: bool
    """False when the query had no word to look for (only punctuation or stop words)."""
    related: list[str]
    """Words to try when nothing was found."""


MAX_QUERY_CHARS = 200
"""Search looks at no more of a query than this (the command refuses long ones first)."""


async def search(query: str, *, limit: int = 5, snippet_chars: int = 60) -> SearchResult:
    """The `limit` best sections for a member's query. Any text is safe here: it is only
    segmented and looked up in the in-memory index, never put into SQL or a pattern."""
    query = query[:MAX_QUERY_CHARS]
    snapshot = await refresh()
    segmenter = _state.segmenter
    if not segmenter.loaded:
        await load_segmenter()
    parsed = segmenter.query(query)
    if not parsed.terms:
        return SearchResult(query, [], 0, False, [])
    hits = idx.search(snapshot, parsed)
    shown = [
        SearchHit(
            number=hit.row.number,
            title=hit.row.title,
            heading=hit.row.heading,
            path=hit.row.path,
            part=hit.row.part,
            issued=hit.row.issued,
            snippet=idx.snippet(hit.row.text, parsed.phrases, snippet_chars),
            score=hit.score,
            source=hit.row.source,
            authority=hit.row.authority,
        )
        for hit in hits[:limit]
    ]
    related = [] if hits else _related(snapshot, query)
    return SearchResult(query, shown, len(hits), True, related)


def _related(snapshot: idx.Snapshot, query: str) -> list[str]:
    words = [w for w in _state.segmenter.related(query) if w in snapshot.postings]
    return words[:3]
