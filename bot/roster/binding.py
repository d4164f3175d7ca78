"""Binding chat accounts to roster people: a member asks (`绑定 <姓名>`), an officer of the
branch confirms or refuses; a member unbinds themselves, an officer anyone of the branch.
One account belongs to one person: the (platform, user_id) key of `Account` decides, never a
check before the insert."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from nonebot_plugin_orm import get_session
from sqlalchemy import delete, select, update

from bot import clock
from bot.db import dialect_insert, rowcount

from .models import Account, BindRequest, Person

BindReason = Literal[
    "already_bound", "unknown_name", "no_such_request", "decided", "account_taken", "not_in_roster"
]


class BindRefused(Exception):
    """A binding that cannot be asked for or decided: `reason` says why (the reply text is
    `messages.bind_refused`; it holds no roster data, so it may be shown in a group)."""

    def __init__(self, reason: BindReason, *, request_id: int = 0) -> None:
        super().__init__(reason)
        self.reason: BindReason = reason
        self.request_id = request_id


@dataclass(frozen=True, slots=True)
class BindView:
    id: int
    person_id: int
    person_name: str
    platform: str
    user_id: str
    outcome: str


async def request_bind(branch_id: int, name: str, platform: str, user_id: str) -> BindView:
    """Raises BindRefused (not in the roster, already bound)."""
    async with get_session() as session, session.begin():
        if await session.get(Account, (platform, user_id)) is not None:
            raise BindRefused("already_bound")
        person = await session.scalar(
            select(Person).where(
                Person.branch_id == branch_id, Person.name == name, Person.left_at.is_(None)
            )
        )
        if person is None:
            raise BindRefused("unknown_name")
        request = BindRequest(
            person_id=person.id, platform=platform, user_id=user_id, created_at=clock.now()
        )
        session.add(request)
        await session.flush()
        return BindView(request.id, person.id, person.name, platform, user_id, "")


async def decide_bind(request_id: int, branch_id: int, by_user: str, *, approve: bool) -> BindView:
    """An officer of `branch_id` decides a request, once. Raises BindRefused."""
    async with get_session() as session, session.begin():
        found = (
            await session.execute(
                select(BindRequest, Person)
                .join(Person, Person.id == BindRequest.person_id)
                .where(BindRequest.id == request_id, Person.branch_id == branch_id)
            )
        ).first()
        if found is None:
            raise BindRefused("no_such_request", request_id=request_id)
        request, person = found
        claimed = await rowcount(
            session,
            update(BindRequest)
            .where(BindRequest.id == request_id, BindRequest.outcome == "")
            .values(
                outcome="approved" if approve else "refused",
                decided_by=by_user,
                decided_at=clock.now(),
            ),
        )
        if not claimed:
            raise BindRefused("decided", request_id=request_id)
        if approve:
            bound = await session.scalar(
                dialect_insert(session, Account.__table__)
                .values(
                    platform=request.platform,
                    user_id=request.user_id,
                    person_id=person.id,
                    bound_at=clock.now(),
                    bound_by=by_user,
                )
                .on_conflict_do_nothing(index_elements=["platform", "user_id"])
                .returning(Account.__table__.c.person_id)
            )
            if bound is None:
                raise BindRefused("account_taken")
        return BindView(
            request.id,
            person.id,
            person.name,
            request.platform,
            request.user_id,
            "approved" if approve else "refused",
        )


async def unbind_account(platform: str, user_id: str) -> bool:
    """The member's own account leaves the roster person; False when it was not bound."""
    async with get_session() as session, session.begin():
        return bool(
            await rowcount(
                session,
                delete(Account).where(Account.platform == platform, Account.user_id == user_id),
            )
        )


async def unbind_person(branch_id: int, name: str) -> int:
    """Every account of the named person of the branch; how many were unbound. Raises
    BindRefused when the name is not in the roster."""
    async with get_session() as session, session.begin():
        person_id = await session.scalar(
            select(Person.id).where(Person.branch_id == branch_id, Person.name == name)
        )
        if person_id is None:
            raise BindRefused("not_in_roster")
        return await rowcount(session, delete(Account).where(Account.person_id == person_id))
