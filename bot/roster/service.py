"""The roster of a branch, on plain values: who is expected, who the officers are, which
person a chat account belongs to. Receipts, meetings, polls and statistics all ask
`expected`, so they agree on the denominator."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from nonebot_plugin_orm import get_session
from sqlalchemy import Select, select

from bot.branch.models import BranchChat
from bot.platform import Role

from .models import Account, Person

STATUSES = ("正式党员", "预备党员", "发展对象", "入党积极分子", "群众")
OFFICES = ("书记", "副书记", "组织委员", "宣传委员", "纪检委员", "党小组长")


@dataclass(frozen=True, slots=True)
class AccountRef:
    platform: str
    user_id: str


@dataclass(frozen=True, slots=True)
class PersonView:
    """A roster person with the chat accounts that reach them. `name`, `status` and the
    dates are personal: show them only to officers, in private."""

    id: int
    branch_id: int
    name: str
    status: str
    party_group: str
    office: str
    joined_on: date | None
    confirmed_on: date | None
    accounts: tuple[AccountRef, ...]

    @property
    def reachable(self) -> bool:
        """Some chat account is bound to the person (else: listed as unreachable)."""
        return bool(self.accounts)

    def account_on(self, platform: str) -> str | None:
        return next((a.user_id for a in self.accounts if a.platform == platform), None)


@dataclass(frozen=True, slots=True)
class Counts:
    total: int
    unreachable: int
    by_status: dict[str, int]
    by_group: dict[str, int]
    """党小组 → people; "" for people in none."""


_VIEW_COLUMNS = (
    Person.id,
    Person.branch_id,
    Person.name,
    Person.status,
    Person.party_group,
    Person.office,
    Person.joined_on,
    Person.confirmed_on,
)


async def _people(query: Select[Person]) -> list[PersonView]:
    async with get_session() as session:
        # Plain rows, not ORM objects: a branch of 2,000 is read for every 回执.
        people = (await session.execute(query.with_only_columns(*_VIEW_COLUMNS))).all()
        ids = [p.id for p in people]
        accounts: dict[int, list[AccountRef]] = {}
        for start in range(0, len(ids), 500):
            rows = await session.execute(
                select(Account.person_id, Account.platform, Account.user_id)
                .where(Account.person_id.in_(ids[start : start + 500]))
                .order_by(Account.bound_at)
            )
            for person_id, platform, user_id in rows:
                accounts.setdefault(person_id, []).append(AccountRef(platform, user_id))
    return [
        PersonView(
            p.id,
            p.branch_id,
            p.name,
            p.status,
            p.party_group,
            p.office,
            p.joined_on,
            p.confirmed_on,
            tuple(accounts.get(p.id, ())),
        )
        for p in people
    ]


def _active(branch_id: int) -> Select[Person]:
    return (
        select(Person)
        .where(Person.branch_id == branch_id, Person.left_at.is_(None))
        .order_by(Person.party_group, Person.id)
    )


async def expected(
    branch_id: int,
    statuses: tuple[str, ...] | list[str] | None = None,
    party_groups: tuple[str, ...] | list[str] | None = None,
    offices: tuple[str, ...] | list[str] | None = None,
) -> list[PersonView]:
    """Who is expected (for a receipt, a meeting, a poll, a statistic): the branch's current
    people, optionally only these statuses and / or 党小组 and / or offices (a 支委会), each
    with their accounts. People no account reaches are included (`reachable` is False),
    never silently skipped."""
    query = _active(branch_id)
    if offices:
        query = query.where(Person.office.in_(list(offices)))
    if statuses:
        query = query.where(Person.status.in_(list(statuses)))
    if party_groups:
        query = query.where(Person.party_group.in_(list(party_groups)))
    return await _people(query)


async def officers(branch_id: int) -> list[PersonView]:
    """The branch's current officers (书记 first), with their accounts."""
    people = await _people(_active(branch_id).where(Person.office != ""))
    return sorted(people, key=lambda p: OFFICES.index(p.office) if p.office in OFFICES else 99)


async def person_of_account(platform: str, user_id: str) -> PersonView | None:
    """The current roster person a chat account is bound to."""
    found = await _people(
        select(Person)
        .join(Account, Account.person_id == Person.id)
        .where(Account.platform == platform, Account.user_id == user_id, Person.left_at.is_(None))
    )
    return found[0] if found else None


async def is_officer(platform: str, user_id: str, group_id: str | None) -> bool:
    """The account belongs to an officer of the branch of `group_id` (one query); for a
    private chat (None), of their own branch. Registered as the core's officer check."""
    query = (
        select(Person.id)
        .join(Account, Account.person_id == Person.id)
        .where(
            Account.platform == platform,
            Account.user_id == user_id,
            Person.left_at.is_(None),
            Person.office.in_(OFFICES),
        )
        .limit(1)
    )
    if group_id is not None:
        query = query.join(BranchChat, BranchChat.branch_id == Person.branch_id).where(
            BranchChat.platform == platform, BranchChat.chat_id == group_id
        )
    async with get_session() as session:
        return (await session.scalar(query)) is not None


GROUP_LEADER = "党小组长"


async def scope_of(platform: str, user_id: str, branch_id: int, role: Role) -> str | None:
    """The 党小组 an officer's command is limited to, or None for the whole branch.

    A 党小组长 who is no more (not also a branch officer, chat admin, owner or SUPERUSER) sees
    and acts on their own 党小组 only: the roster, notices, receipts and nudges."""
    if role is not Role.OFFICER:
        return None
    person = await person_of_account(platform, user_id)
    if person is None or person.branch_id != branch_id or person.office != GROUP_LEADER:
        return None
    return person.party_group or None


async def counts(branch_id: int, party_group: str | None = None) -> Counts:
    """Head counts of the branch (or of one 党小组)."""
    people = await expected(branch_id, party_groups=[party_group] if party_group else None)
    by_status = Counter(p.status for p in people)
    by_group = Counter(p.party_group for p in people)
    return Counts(
        total=len(people),
        unreachable=sum(1 for p in people if not p.reachable),
        by_status={s: by_status[s] for s in STATUSES if by_status[s]},
        by_group=dict(sorted(by_group.items())),
    )
