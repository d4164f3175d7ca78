"""Rules, welcomes, the content list and the record of matches: plain values in, own sessions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

from nonebot_plugin_orm import get_session
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot import clock
from bot.branch import find_branch
from bot.db import dialect_insert, rowcount, upsert

from . import config
from .models import (
    BranchOption,
    Category,
    GroupRules,
    ListVersion,
    Match,
    RecallRefused,
    Watched,
    Welcomed,
    Word,
)
from .normalise import normalise


def _data_dir() -> Path:
    from bot.app import ROOT

    return ROOT / "data"


# --- rules and welcome


@cache
def starter_rules() -> str:
    return (_data_dir() / "group_rules.txt").read_text(encoding="utf-8").strip()


async def rules_of(group_id: str) -> str:
    """The group's rules, or the starter text when it has none of its own."""
    async with get_session() as session:
        text = await session.scalar(select(GroupRules.text).where(GroupRules.group_id == group_id))
    return text or starter_rules()


async def set_rules(group_id: str, text: str, by_user: str) -> None:
    async with get_session() as session, session.begin():
        await upsert(
            session,
            GroupRules,
            {"group_id": group_id, "text": text, "updated_at": clock.now(), "updated_by": by_user},
            keys=("group_id",),
        )


async def claim_welcome(group_id: str, user_id: str) -> bool:
    """True once per (group, member): the first claim wins, by the unique constraint."""
    async with get_session() as session, session.begin():
        statement = dialect_insert(session, Welcomed.__table__).values(
            group_id=group_id, user_id=user_id, welcomed_at=clock.now()
        )
        return (
            await rowcount(
                session, statement.on_conflict_do_nothing(index_elements=["group_id", "user_id"])
            )
            == 1
        )


async def release_welcome(group_id: str, user_id: str) -> None:
    """The welcome certainly did not go out: a later join may welcome them."""
    async with get_session() as session, session.begin():
        await session.execute(
            delete(Welcomed).where(Welcomed.group_id == group_id, Welcomed.user_id == user_id)
        )


# --- the list


class ListError(Exception):
    """A change of the list that is refused; `reason` is a code worded in messages.py."""

    def __init__(self, reason: str, value: str | int = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.value = value


@cache
def starter_words() -> dict[str, list[str]]:
    """The starter list in data/content_words.txt, by category."""
    words: dict[str, list[str]] = {}
    for line in (_data_dir() / "content_words.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or ":" not in line:
            continue
        category, _, rest = line.partition(":")
        words.setdefault(category.strip(), []).extend(rest.split())
    return words


def clean_words(words: list[str]) -> list[str]:
    """Normalised, in order, without repeats; refuses too many, too long or empty words."""
    if len(words) > config.rules_words_per_command:
        raise ListError("too_many", config.rules_words_per_command)
    cleaned: list[str] = []
    for word in words:
        if len(word) > config.rules_word_max_chars:
            raise ListError("too_long", word[:10])
        normal = normalise(word)
        if len(normal) < 2:
            raise ListError("too_short", word)
        if normal not in cleaned:
            cleaned.append(normal)
    return cleaned


def check_category(category: str) -> str:
    category = category.strip()
    if not category or len(category) > 8:
        raise ListError("bad_category", category[:10])
    return category


async def _bump(session: AsyncSession) -> None:
    """Move the list's version on, in the caller's transaction (the row is made once)."""
    changed = await rowcount(session, update(ListVersion).values(version=ListVersion.version + 1))
    if not changed:
        try:
            async with session.begin_nested():
                session.add(ListVersion(id=1, version=1))
        except IntegrityError:
            await session.execute(update(ListVersion).values(version=ListVersion.version + 1))


async def list_version() -> int:
    async with get_session() as session:
        return await session.scalar(select(ListVersion.version)) or 0


async def add_words(
    branch_id: int, category: str, words: list[str], by_user: str
) -> tuple[int, int]:
    """(added, already there). Words are normalised first."""
    category = check_category(category)
    cleaned = clean_words(words)
    if not cleaned:
        raise ListError("no_words")
    now = clock.now()
    async with get_session() as session, session.begin():
        total = (
            await session.scalar(
                select(func.count()).select_from(Word).where(Word.branch_id == branch_id)
            )
            or 0
        )
        if total + len(cleaned) > config.rules_list_max_words:
            raise ListError("list_full", config.rules_list_max_words)
        statement = dialect_insert(session, Word.__table__).on_conflict_do_nothing(
            index_elements=["branch_id", "category", "word"]
        )
        added = 0
        for word in cleaned:
            added += await rowcount(
                session,
                statement.values(
                    branch_id=branch_id,
                    category=category,
                    word=word,
                    added_by=by_user,
                    added_at=now,
                ),
            )
        if added:
            await _bump(session)
    return added, len(cleaned) - added


async def delete_words(branch_id: int, category: str, words: list[str]) -> int:
    category = check_category(category)
    cleaned = clean_words(words)
    if not cleaned:
        raise ListError("no_words")
    async with get_session() as session, session.begin():
        removed = await rowcount(
            session,
            delete(Word).where(
                Word.branch_id == branch_id, Word.category == category, Word.word.in_(cleaned)
            ),
        )
        if removed:
            await _bump(session)
    return removed


async def set_recall(branch_id: int, category: str, recall: bool) -> None:
    category = check_category(category)
    async with get_session() as session, session.begin():
        has_words = await session.scalar(
            select(Word.id).where(Word.branch_id == branch_id, Word.category == category).limit(1)
        )
        if has_words is None:
            raise ListError("no_category", category)
        await upsert(
            session,
            Category,
            {
                "branch_id": branch_id,
                "category": category,
                "recall": recall,
                "updated_at": clock.now(),
            },
            keys=("branch_id", "category"),
        )
        await _bump(session)


async def set_links(branch_id: int, on: bool) -> None:
    async with get_session() as session, session.begin():
        await upsert(
            session,
            BranchOption,
            {"branch_id": branch_id, "links": on, "updated_at": clock.now()},
            keys=("branch_id",),
        )
        await _bump(session)


@dataclass(frozen=True)
class BranchList:
    words: dict[str, list[str]]
    """Category → words, in the order added."""
    recall: set[str]
    links: bool = False


async def branch_list(branch_id: int) -> BranchList:
    async with get_session() as session:
        rows = await session.execute(
            select(Word.category, Word.word).where(Word.branch_id == branch_id).order_by(Word.id)
        )
        recall = set(
            await session.scalars(
                select(Category.category).where(Category.branch_id == branch_id, Category.recall)
            )
        )
        links = await session.scalar(
            select(BranchOption.links).where(BranchOption.branch_id == branch_id)
        )
    words: dict[str, list[str]] = {}
    for category, word in rows:
        words.setdefault(category, []).append(word)
    return BranchList(words, recall, bool(links))


async def seed_starter(branch_id: int, by_user: str) -> int:
    """A branch with no list gets the starter list (its own copy); how many words."""
    async with get_session() as session:
        has = await session.scalar(select(Word.id).where(Word.branch_id == branch_id).limit(1))
    if has is not None:
        return 0
    added = 0
    for category, words in starter_words().items():
        added += (await add_words(branch_id, category, words, by_user))[0]
    return added


@dataclass(frozen=True)
class Snapshot:
    version: int
    words: list[tuple[int, str, str]]
    recall: dict[int, set[str]]
    links: set[int]


async def snapshot() -> Snapshot:
    """Every branch's list, for the in-memory matcher."""
    async with get_session() as session:
        version = await session.scalar(select(ListVersion.version)) or 0
        words = [
            (row.branch_id, row.category, row.word)
            for row in await session.execute(select(Word.branch_id, Word.category, Word.word))
        ]
        recall: dict[int, set[str]] = {}
        for row in await session.execute(
            select(Category.branch_id, Category.category).where(Category.recall)
        ):
            recall.setdefault(row.branch_id, set()).add(row.category)
        links = set(await session.scalars(select(BranchOption.branch_id).where(BranchOption.links)))
    return Snapshot(version, words, recall, links)


# --- watched groups


async def watch(group_id: str, platform: str, on: bool) -> None:
    async with get_session() as session, session.begin():
        if on:
            await upsert(
                session,
                Watched,
                {"group_id": group_id, "platform": platform, "since": clock.now()},
                keys=("group_id",),
            )
        else:
            await session.execute(delete(Watched).where(Watched.group_id == group_id))


async def watched_groups() -> dict[str, int]:
    """Watched group → its branch (as linked now)."""
    async with get_session() as session:
        rows = list(await session.execute(select(Watched.group_id, Watched.platform)))
    groups: dict[str, int] = {}
    for group_id, platform in rows:
        branch = await find_branch(platform, group_id)
        if branch is not None:
            groups[group_id] = branch.id
    return groups


# --- the record


async def record(
    *,
    branch_id: int,
    group_id: str,
    user_id: str,
    card: str,
    text: str,
    category: str,
    word: str,
    action: str,
    at: datetime,
) -> None:
    async with get_session() as session, session.begin():
        session.add(
            Match(
                branch_id=branch_id,
                group_id=group_id,
                user_id=user_id,
                card=card[:64],
                text=text[:2000],
                category=category,
                word=word,
                action=action,
                at=at,
            )
        )


@dataclass(frozen=True)
class MatchView:
    group_id: str
    user_id: str
    card: str
    text: str
    category: str
    word: str
    action: str
    at: datetime


async def matches(
    branch_id: int, since: datetime | None, limit: int
) -> tuple[list[MatchView], dict[str, int]]:
    """The newest `limit` records of the branch (from `since`), and counts by category."""
    where = [Match.branch_id == branch_id]
    if since is not None:
        where.append(Match.at >= since)
    async with get_session() as session:
        rows = await session.scalars(
            select(Match).where(*where).order_by(Match.at.desc(), Match.id.desc()).limit(limit)
        )
        views = [
            MatchView(r.group_id, r.user_id, r.card, r.text, r.category, r.word, r.action, r.at)
            for r in rows
        ]
        counts = {
            str(category): int(count)
            for category, count in await session.execute(
                select(Match.category, func.count()).where(*where).group_by(Match.category)
            )
        }
    return views, counts


async def tell_recall_refused(group_id: str) -> bool:
    """True the first time (per group) recall was chosen but the bot is not admin."""
    async with get_session() as session, session.begin():
        statement = dialect_insert(session, RecallRefused.__table__).values(
            group_id=group_id, told_at=clock.now()
        )
        return (
            await rowcount(session, statement.on_conflict_do_nothing(index_elements=["group_id"]))
            == 1
        )


async def recall_works(group_id: str) -> None:
    """The bot recalled a message here: if it loses admin again, the officers are told again."""
    async with get_session() as session, session.begin():
        await session.execute(delete(RecallRefused).where(RecallRefused.group_id == group_id))


async def purge(now: datetime | None = None) -> int:
    """Delete matches older than `rules_record_days`; how many."""
    cutoff = (now or clock.now()) - timedelta(days=config.rules_record_days)
    async with get_session() as session, session.begin():
        return await rowcount(session, delete(Match).where(Match.at < cutoff))
