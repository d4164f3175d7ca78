"""Roster files (.xlsx, .csv): read, check every row, then write in one transaction.

Columns `姓名 | QQ | 状态 | 党小组 | 职务 | 入党日期 | 转正日期`; only 姓名 is required. A bad
row is reported as `第N行：<reason>` with N as the spreadsheet shows it (the header is row 1);
nothing is written unless every row is valid, or with `skip_invalid` the bad rows alone are
left out. A person is matched by QQ, else by name within the branch; an empty cell leaves the
field as it is (`无` clears 党小组, 职务 or a date); people missing from the file are kept.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from nonebot_plugin_orm import get_session
from sqlalchemy import select

from bot import clock
from bot.db import dialect_insert
from bot.deps import clean_text
from bot.tables import TableError, read_table, trim

from .models import Account, Person
from .service import OFFICES

PLATFORM = "qq"
"""The QQ column binds accounts of this platform (`bot.platform.QQ`)."""
COLUMNS = ("姓名", "QQ", "状态", "党小组", "职务", "入党日期", "转正日期")
ALIASES = {
    "名字": "姓名",
    "qq": "QQ",
    "qq号": "QQ",
    "qq号码": "QQ",
    "政治面貌": "状态",
    "人员类别": "状态",
    "类别": "状态",
    "所在党小组": "党小组",
    "党内职务": "职务",
    "入党时间": "入党日期",
    "转正时间": "转正日期",
}
STATUS_WORDS = {
    "正式党员": "正式党员",
    "党员": "正式党员",
    "正式": "正式党员",
    "中共党员": "正式党员",
    "预备党员": "预备党员",
    "预备": "预备党员",
    "中共预备党员": "预备党员",
    "发展对象": "发展对象",
    "入党积极分子": "入党积极分子",
    "积极分子": "入党积极分子",
    "群众": "群众",
    "非党员": "群众",
}
OFFICE_WORDS = {
    **{office: office for office in OFFICES},
    "支部书记": "书记",
    "党支部书记": "书记",
    "支部副书记": "副书记",
    "党支部副书记": "副书记",
    "党小组组长": "党小组长",
    "小组长": "党小组长",
}
CLEAR_WORDS = {"无", "没有", "-", "—", "/"}
DEFAULT_STATUS = "正式党员"
MAX_NAME = 32
MAX_GROUP = 32
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_QQ = re.compile(r"^[1-9]\d{0,14}$")
_UNSET = object()


class RosterFileError(Exception):
    """The file as a whole cannot be imported: one line saying why."""


RowCode = Literal[
    "no_name",
    "name_too_long",
    "bad_qq",
    "bad_status",
    "group_too_long",
    "bad_office",
    "bad_date",
    "no_such_day",
    "confirmed_before_joined",
    "date_in_future",
    "same_qq",
    "same_name",
    "qq_of_other_branch",
    "qq_of_other_person",
]


class RowProblem(ValueError):
    """Why a row is bad: a code and the values its text needs (worded in messages.py)."""

    def __init__(self, code: RowCode, **values: Any) -> None:
        super().__init__(code, values)
        self.code: RowCode = code
        self.values = values


@dataclass(frozen=True)
class RowError:
    row: int
    """The row number as the spreadsheet shows it (the header is row 1)."""
    code: RowCode
    values: dict[str, Any]


@dataclass(frozen=True)
class Draft:
    row: int
    name: str
    qq: str | None
    changes: dict[str, Any]
    """Model field → value, for the cells that say something (None clears a field)."""


@dataclass
class Report:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    errors: list[RowError] = field(default_factory=list)
    """Bad rows (`messages.row_error` words them)."""
    written: bool = False


def _column(name: str) -> str:
    name = unicodedata.normalize("NFKC", name).strip().replace(" ", "")
    return ALIASES.get(name.lower(), ALIASES.get(name, name))


def is_roster(table: list[list[str]]) -> bool:
    """The first row is a roster header (a 姓名 column, and no 题目 column)."""
    header = {_column(cell) for cell in table[0]} if table else set()
    return "姓名" in header and "题目" not in header


def read_rows(name: str, data: bytes) -> list[tuple[int, dict[str, str]]]:
    """The file's rows as (row number, {column: text}); raises RosterFileError."""
    if len(data) > MAX_BYTES:
        raise RosterFileError(
            f"文件太大（{len(data) / 1024 / 1024:.1f} MB），名册最多 {MAX_BYTES // 1024 // 1024} MB"
        )
    try:
        table = read_table(
            name, data, max_rows=MAX_ROWS, too_many=f"人数太多：一个名册最多 {MAX_ROWS} 人"
        )
    except TableError as e:
        raise RosterFileError(str(e)) from e
    return table_rows(table)


def table_rows(table: list[list[str]]) -> list[tuple[int, dict[str, str]]]:
    table = trim(table)
    if not table:
        raise RosterFileError("文件是空的")
    if not is_roster(table):
        raise RosterFileError(f"第1行应是表头，至少要有「姓名」列。表头：{' | '.join(COLUMNS)}")
    header = [_column(cell) for cell in table[0]]
    rows = [
        (number, dict(zip(header, row, strict=False)))
        for number, row in enumerate(table[1:], 2)
        if any(row)
    ]
    if not rows:
        raise RosterFileError("文件里只有表头，没有人")
    return rows


def parse_date(text: str) -> date:
    """2020-07-01, 2020/7/1, 2020年7月1日, 2020.7.1; raises RowProblem (bad_date,
    no_such_day) without the column, which the caller adds."""
    found = _DATE.match(unicodedata.normalize("NFKC", text).strip())
    if not found:
        raise RowProblem("bad_date")
    year, month, day = (int(part) for part in found.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise RowProblem("no_such_day") from None


def _optional(text: str, read: Any) -> Any:
    """_UNSET for an empty cell, None for 无, else read(text)."""
    text = text.strip()
    if not text:
        return _UNSET
    if text in CLEAR_WORDS:
        return None
    return read(text)


def parse_row(row: int, values: dict[str, str]) -> Draft:
    """One row as a Draft; raises RowProblem."""
    name = clean_text(values.get("姓名", ""))
    if not name:
        raise RowProblem("no_name")
    if len(name) > MAX_NAME:
        raise RowProblem("name_too_long", limit=MAX_NAME)
    qq = clean_text(values.get("QQ", ""), fold=True) or None
    if qq is not None and not _QQ.match(qq):
        raise RowProblem("bad_qq", qq=qq)
    changes: dict[str, Any] = {}
    status = clean_text(values.get("状态", ""), fold=True).replace(" ", "")
    if status:
        if status not in STATUS_WORDS:
            raise RowProblem("bad_status", status=status)
        changes["status"] = STATUS_WORDS[status]

    def group(text: str) -> str:
        text = clean_text(text)
        if len(text) > MAX_GROUP:
            raise RowProblem("group_too_long", limit=MAX_GROUP)
        return text

    def office(text: str) -> str:
        word = clean_text(text, fold=True).replace(" ", "")
        if word not in OFFICE_WORDS:
            raise RowProblem("bad_office", office=word)
        return OFFICE_WORDS[word]

    for column, key, read in (
        ("党小组", "party_group", group),
        ("职务", "office", office),
        ("入党日期", "joined_on", parse_date),
        ("转正日期", "confirmed_on", parse_date),
    ):
        try:
            value = _optional(values.get(column, ""), read)
        except RowProblem as e:
            if key.endswith("_on"):
                raise RowProblem(e.code, column=column) from None
            raise
        if value is not _UNSET:
            changes[key] = value if value is not None or key.endswith("_on") else ""
    joined, confirmed = changes.get("joined_on"), changes.get("confirmed_on")
    if joined and confirmed and confirmed < joined:
        raise RowProblem("confirmed_before_joined")
    today = clock.today()
    for key, column in (("joined_on", "入党日期"), ("confirmed_on", "转正日期")):
        if changes.get(key) and changes[key] > today:
            raise RowProblem("date_in_future", column=column)
    return Draft(row, name, qq, changes)


def check(rows: list[tuple[int, dict[str, str]]]) -> tuple[list[Draft], list[RowError]]:
    """Every row parsed; a QQ number or a name on two rows makes the later row bad."""
    drafts: list[Draft] = []
    errors: list[RowError] = []
    qqs: dict[str, int] = {}
    names: dict[str, int] = {}
    for row, values in rows:
        try:
            draft = parse_row(row, values)
        except RowProblem as e:
            errors.append(RowError(row, e.code, e.values))
            continue
        if draft.qq and draft.qq in qqs:
            errors.append(RowError(row, "same_qq", {"qq": draft.qq, "first": qqs[draft.qq]}))
            continue
        if draft.name in names:
            errors.append(RowError(row, "same_name", {"first": names[draft.name]}))
            continue
        if draft.qq:
            qqs[draft.qq] = row
        names[draft.name] = row
        drafts.append(draft)
    return drafts, errors


async def import_roster(
    branch_id: int, name: str, data: bytes, *, skip_invalid: bool = False
) -> Report:
    """Check the whole file, then write it in one transaction. Raises RosterFileError."""
    drafts, errors = check(read_rows(name, data))
    report = Report(rejected=len(errors), errors=errors)
    if errors and not skip_invalid:
        return report
    try:
        await _write(branch_id, drafts, report, skip_invalid=skip_invalid)
    except _Rejected:
        return report
    report.written = True
    return report


class _Rejected(Exception):
    """Rows found bad against the database: roll the transaction back."""


async def _write(
    branch_id: int, drafts: list[Draft], report: Report, *, skip_invalid: bool
) -> None:
    now = clock.now()
    async with get_session() as session, session.begin():
        people = {
            p.name: p
            for p in await session.scalars(select(Person).where(Person.branch_id == branch_id))
        }
        by_id = {p.id: p for p in people.values()}
        qqs = [d.qq for d in drafts if d.qq]
        bound: dict[str, tuple[int, int]] = {}
        for start in range(0, len(qqs), 500):
            rows = await session.execute(
                select(Account.user_id, Person.id, Person.branch_id)
                .join(Person, Person.id == Account.person_id)
                .where(Account.platform == PLATFORM, Account.user_id.in_(qqs[start : start + 500]))
            )
            bound |= {user_id: (pid, bid) for user_id, pid, bid in rows}
        plan: list[tuple[Draft, Person | None]] = []
        for draft in drafts:
            owner = bound.get(draft.qq) if draft.qq else None
            if owner is not None and owner[1] != branch_id:
                report.errors.append(RowError(draft.row, "qq_of_other_branch", {"qq": draft.qq}))
                continue
            person = by_id.get(owner[0]) if owner else people.get(draft.name)
            namesake = people.get(draft.name)
            if person is not None and namesake is not None and namesake is not person:
                report.errors.append(RowError(draft.row, "qq_of_other_person", {"qq": draft.qq}))
                continue
            plan.append((draft, person))
        report.rejected = len(report.errors)
        if report.errors and not skip_invalid:
            raise _Rejected
        for draft, person in plan:
            if person is None:
                person = Person(
                    branch_id=branch_id,
                    name=draft.name,
                    status=draft.changes.get("status", DEFAULT_STATUS),
                    party_group=draft.changes.get("party_group", ""),
                    office=draft.changes.get("office", ""),
                    joined_on=draft.changes.get("joined_on"),
                    confirmed_on=draft.changes.get("confirmed_on"),
                    created_at=now,
                    updated_at=now,
                )
                session.add(person)
                await session.flush()
                report.added += 1
            else:
                changed = {
                    key: value
                    for key, value in {"name": draft.name, **draft.changes}.items()
                    if getattr(person, key) != value
                }
                if person.left_at is not None:
                    changed["left_at"] = None
                if draft.qq and draft.qq not in bound:
                    changed["account"] = draft.qq
                for key, value in changed.items():
                    if key != "account":
                        setattr(person, key, value)
                if changed:
                    person.updated_at = now
                    report.updated += 1
                else:
                    report.unchanged += 1
            if draft.qq and draft.qq not in bound:
                await session.execute(
                    dialect_insert(session, Account.__table__)
                    .values(
                        platform=PLATFORM,
                        user_id=draft.qq,
                        person_id=person.id,
                        bound_at=now,
                        bound_by="import",
                    )
                    .on_conflict_do_nothing(index_elements=["platform", "user_id"])
                )
