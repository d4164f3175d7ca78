"""Branches and their chats, on plain values.

`branch_of(platform, chat_id)` is what every feature asks: the branch a chat belongs to. A chat
nobody linked is a branch of its own, made on first use, so records keyed by a group id keep
meaning "this group's branch". A chat joins another branch only when an officer of that branch
confirms the chat admin's request (`request_link` → `decide_link`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from nonebot_plugin_orm import get_session
from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot import clock
from bot.db import dialect_insert, rowcount

from .models import Branch, BranchChat, LinkRequest


@dataclass(frozen=True, slots=True)
class BranchView:
    id: int
    name: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ChatView:
    platform: str
    chat_id: str
    linked_at: datetime
    linked_by: str


@dataclass(frozen=True, slots=True)
class LinkView:
    id: int
    platform: str
    chat_id: str
    branch_id: int
    requested_by: str
    outcome: str


LinkReason = Literal[
    "itself", "already_in", "own_in_use", "no_such_request", "decided", "joining_in_use"
]


class LinkRefused(Exception):
    """A link request or decision that cannot be made: `reason` says why (the reply text is
    `messages.link_refused`), with the chat or request it is about."""

    def __init__(self, reason: LinkReason, *, chat_id: str = "", request_id: int = 0) -> None:
        super().__init__(reason)
        self.reason: LinkReason = reason
        self.chat_id = chat_id
        self.request_id = request_id


def _view(branch: Branch) -> BranchView:
    return BranchView(branch.id, branch.name, branch.created_at)


async def _lookup(session: AsyncSession, platform: str, chat_id: str) -> Branch | None:
    return await session.scalar(
        select(Branch)
        .join(BranchChat, BranchChat.branch_id == Branch.id)
        .where(BranchChat.platform == platform, BranchChat.chat_id == chat_id)
    )


async def find_branch(platform: str, chat_id: str) -> BranchView | None:
    """The chat's branch if it has one already (never creates one)."""
    async with get_session() as session:
        branch = await _lookup(session, platform, chat_id)
        return _view(branch) if branch else None


async def _ensure(session: AsyncSession, platform: str, chat_id: str) -> Branch:
    """Inside the caller's transaction: the chat's branch, made when it has none. The
    (platform, chat_id) key decides a race: the loser drops its new branch and reads the
    winner's."""
    found = await _lookup(session, platform, chat_id)
    if found is not None:
        return found
    now = clock.now()
    branch = Branch(name="", created_at=now)
    session.add(branch)
    await session.flush()
    claimed = await session.scalar(
        dialect_insert(session, BranchChat.__table__)
        .values(platform=platform, chat_id=chat_id, branch_id=branch.id, linked_at=now)
        .on_conflict_do_nothing(index_elements=["platform", "chat_id"])
        .returning(BranchChat.__table__.c.branch_id)
    )
    if claimed is None:
        await session.execute(delete(Branch).where(Branch.id == branch.id))
        found = await _lookup(session, platform, chat_id)
        assert found is not None
        return found
    return branch


async def branch_of(platform: str, chat_id: str) -> BranchView:
    """The branch of a chat; an unlinked chat gets its own branch on first use."""
    async with get_session() as session:
        found = await _lookup(session, platform, chat_id)
        if found is not None:
            return _view(found)
    async with get_session() as session, session.begin():
        return _view(await _ensure(session, platform, chat_id))


async def chats_of(branch_id: int) -> list[ChatView]:
    """The chats of a branch, oldest link first."""
    async with get_session() as session:
        rows = await session.scalars(
            select(BranchChat)
            .where(BranchChat.branch_id == branch_id)
            .order_by(BranchChat.linked_at, BranchChat.chat_id)
        )
        return [ChatView(r.platform, r.chat_id, r.linked_at, r.linked_by) for r in rows]


async def rename(branch_id: int, name: str) -> None:
    async with get_session() as session, session.begin():
        await session.execute(update(Branch).where(Branch.id == branch_id).values(name=name))


async def _is_empty_elsewhere(
    session: AsyncSession, branch_id: int, platform: str, chat_id: str
) -> bool:
    """The branch has no chat but this one and no roster people: it may be merged away."""
    other_chats = await session.scalar(
        select(func.count())
        .select_from(BranchChat)
        .where(
            BranchChat.branch_id == branch_id,
            (BranchChat.platform != platform) | (BranchChat.chat_id != chat_id),
        )
    )
    if other_chats:
        return False
    from bot.roster.models import Person  # the roster plugin sits on top of this one

    people = await session.scalar(
        select(func.count()).select_from(Person).where(Person.branch_id == branch_id)
    )
    return not people


async def request_link(platform: str, chat_id: str, target_chat_id: str, user_id: str) -> LinkView:
    """An admin of `chat_id` asks to join the branch of `target_chat_id`. Raises LinkRefused."""
    if target_chat_id == chat_id:
        raise LinkRefused("itself")
    async with get_session() as session, session.begin():
        own = await _ensure(session, platform, chat_id)
        target = await _ensure(session, platform, target_chat_id)
        if own.id == target.id:
            raise LinkRefused("already_in", chat_id=target_chat_id)
        if not await _is_empty_elsewhere(session, own.id, platform, chat_id):
            raise LinkRefused("own_in_use")
        request = LinkRequest(
            platform=platform,
            chat_id=chat_id,
            branch_id=target.id,
            requested_by=user_id,
            created_at=clock.now(),
        )
        session.add(request)
        await session.flush()
        return _link_view(request)


def _link_view(r: LinkRequest) -> LinkView:
    return LinkView(r.id, r.platform, r.chat_id, r.branch_id, r.requested_by, r.outcome)


async def decide_link(request_id: int, branch_id: int, user_id: str, *, approve: bool) -> LinkView:
    """An officer of `branch_id` decides request `request_id` (once). Raises LinkRefused."""
    async with get_session() as session, session.begin():
        request = await session.get(LinkRequest, request_id)
        if request is None or request.branch_id != branch_id:
            raise LinkRefused("no_such_request", request_id=request_id)
        claimed = await rowcount(
            session,
            update(LinkRequest)
            .where(LinkRequest.id == request_id, LinkRequest.outcome == "")
            .values(
                outcome="approved" if approve else "refused",
                decided_by=user_id,
                decided_at=clock.now(),
            ),
        )
        if not claimed:
            raise LinkRefused("decided", request_id=request_id)
        if approve:
            own = await _ensure(session, request.platform, request.chat_id)
            if own.id != branch_id and not await _is_empty_elsewhere(
                session, own.id, request.platform, request.chat_id
            ):
                raise LinkRefused("joining_in_use", chat_id=request.chat_id)
            await session.execute(
                update(BranchChat)
                .where(
                    BranchChat.platform == request.platform, BranchChat.chat_id == request.chat_id
                )
                .values(branch_id=branch_id, linked_at=clock.now(), linked_by=user_id)
            )
            if own.id != branch_id:
                await session.execute(delete(Branch).where(Branch.id == own.id))
        await session.refresh(request)
        return _link_view(request)


async def pending_links(branch_id: int) -> list[LinkView]:
    async with get_session() as session:
        rows = await session.scalars(
            select(LinkRequest)
            .where(LinkRequest.branch_id == branch_id, LinkRequest.outcome == "")
            .order_by(LinkRequest.id)
        )
        return [_link_view(r) for r in rows]


async def get_branch(branch_id: int) -> BranchView | None:
    async with get_session() as session:
        branch = await session.get(Branch, branch_id)
        return _view(branch) if branch else None
