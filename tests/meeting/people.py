"""The test branch's roster for the meeting tests."""

from __future__ import annotations

from typing import Any

from tests.fake import GROUP, MEMBER, MEMBER_2
from tests.roster.files import csv_bytes

MEMBER_3 = 2005
ACTIVIST = 2006
ROWS = [
    ["张三", str(MEMBER), "正式党员", "第一党小组", "书记", "2010-07-01", "2011-07-01"],
    ["李四", str(MEMBER_2), "预备党员", "第一党小组", "", "2026-07-01", ""],
    ["王五", "", "正式党员", "第二党小组", "", "", ""],
    ["赵六", str(MEMBER_3), "正式党员", "第二党小组", "组织委员", "", ""],
    ["钱七", str(ACTIVIST), "入党积极分子", "", "", "", ""],
]


async def branch() -> int:
    from bot.branch import branch_of
    from bot.roster.importing import import_roster

    found = await branch_of("qq", str(GROUP))
    report = await import_roster(found.id, "名册.csv", csv_bytes(ROWS))
    assert report.written, report.errors
    return found.id


async def person(name: str) -> Any:
    from bot.branch import find_branch
    from bot.roster import expected

    found = await find_branch("qq", str(GROUP))
    assert found is not None
    return next(p for p in await expected(found.id) if p.name == name)
