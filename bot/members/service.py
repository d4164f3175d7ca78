from __future__ import annotations

from datetime import timedelta

from nonebot.adapters import Bot
from nonebot_plugin_orm import get_session
from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import clock
from bot.db import upsert_many
from bot.deps import clean_text
from bot.platform import member_info

from .models import MemberName

STALE_AFTER = timedelta(days=7)
MAX_NAME = 32

# (group, user) -> name, to skip writing a name that did not change since this process saw it.
_seen: dict[tuple[str, str], str] = {}


def clear_cache() -> None:
    _seen.clear()


def fallback_name(user_id: str) -> str:
    return f"成员{user_id[-4:]}"


def _tidy(name: str | None) -> str:
    return clean_text(name or "")[:MAX_NAME]


async def remember(
    group_id: str, user_id: str, name: str | None, *, session: AsyncSession | None = None
) -> None:
    """Store the name an event carried, when it is new to this process.

    With `session`, the write joins the caller's transaction (one commit instead of two).
    """
    if session is None:
        if not _changed([(group_id, user_id, name)]):
            return
        async with get_session() as own, own.begin():
            await remember_many(own, [(group_id, user_id, name)])
        return
    await remember_many(session, [(group_id, user_id, name)])


def _changed(members: list[tuple[str, str, str | None]]) -> dict[tuple[str, str], str]:
    """(group, user) -> tidy name, for the names this process has not stored yet."""
    changed: dict[tuple[str, str], str] = {}
    for group_id, user_id, raw in members:
        name = _tidy(raw)
        if name and _seen.get((group_id, user_id)) != name:
            changed[(group_id, user_id)] = name
    return changed


async def remember_many(session: AsyncSession, members: list[tuple[str, str, str | None]]) -> None:
    """`remember` for several (group, user, name) at once, in the caller's transaction."""
    changed = _changed(members)
    if not changed:
        return
    now = clock.now()
    await upsert_many(
        session,
        MemberName.__table__,
        [
            {"group_id": g, "user_id": u, "name": name, "updated_at": now}
            for (g, u), name in sorted(changed.items())
        ],
        keys=("group_id", "user_id"),
    )
    event.listen(session.sync_session, "after_commit", lambda _: _seen.update(changed), once=True)


async def display_names(bot: Bot | None, group_id: str, user_ids: list[str]) -> dict[str, str]:
    """Names to show for these members; asks the platform for missing or stale ones."""
    if not user_ids:
        return {}
    async with get_session() as session:
        rows = await session.execute(
            select(MemberName.user_id, MemberName.name, MemberName.updated_at).where(
                MemberName.group_id == group_id, MemberName.user_id.in_(user_ids)
            )
        )
        known = {user_id: (name, updated) for user_id, name, updated in rows}
    names: dict[str, str] = {}
    stale_before = clock.now() - STALE_AFTER
    for user_id in user_ids:
        cached = known.get(user_id)
        if cached and cached[1] >= stale_before:
            names[user_id] = cached[0]
            continue
        fresh = None
        if bot is not None:
            info = await member_info(bot, group_id, user_id)
            fresh = _tidy(info.get("card") or info.get("nickname") or info.get("user_displayname"))
        if fresh:
            _seen.pop((group_id, user_id), None)
            await remember(group_id, user_id, fresh)
            names[user_id] = fresh
        else:
            names[user_id] = cached[0] if cached else fallback_name(user_id)
    return names
