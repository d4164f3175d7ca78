"""Branches and the roster as services: plain values, no bot."""

from __future__ import annotations

import asyncio
import io
import zipfile
from datetime import date
from pathlib import Path

import pytest

from tests.roster.files import ROWS, XLSX_ROWS, csv_bytes, xlsx_bytes


async def test_an_unlinked_chat_is_a_branch_of_its_own_made_once(clock: object) -> None:
    from bot.branch import service as branches

    assert await branches.find_branch("qq", "1000") is None
    made = await asyncio.gather(*(branches.branch_of("qq", "1000") for _ in range(5)))
    assert len({b.id for b in made}) == 1
    other = await branches.branch_of("qq", "1001")
    assert other.id != made[0].id
    assert await branches.branch_of("console", "1000") != made[0]
    chats = await branches.chats_of(made[0].id)
    assert [(c.platform, c.chat_id) for c in chats] == [("qq", "1000")]


async def test_a_chat_joins_another_branch_only_when_its_officer_confirms(clock: object) -> None:
    from bot.branch import service as branches
    from bot.branch.messages import link_refused

    main = await branches.branch_of("qq", "1000")
    request = await branches.request_link("qq", "1001", "1000", "2002")
    assert request.branch_id == main.id
    assert (await branches.branch_of("qq", "1001")).id != main.id  # not attached yet

    own = await branches.branch_of("qq", "1001")
    with pytest.raises(branches.LinkRefused) as refused:
        await branches.decide_link(request.id, own.id, "2002", approve=True)  # not theirs
    assert "本支部没有编号为" in link_refused(refused.value)

    decided = await branches.decide_link(request.id, main.id, "3001", approve=True)
    assert decided.outcome == "approved"
    assert (await branches.branch_of("qq", "1001")).id == main.id
    assert [c.chat_id for c in await branches.chats_of(main.id)] == ["1000", "1001"]
    with pytest.raises(branches.LinkRefused) as refused:
        await branches.decide_link(request.id, main.id, "3001", approve=False)
    assert "已经处理过了" in link_refused(refused.value)
    with pytest.raises(branches.LinkRefused) as refused:
        await branches.request_link("qq", "1001", "1000", "2002")
    assert "已经在" in link_refused(refused.value)


async def test_a_refused_link_changes_nothing_and_a_branch_with_people_stays(clock: object) -> None:
    from bot.branch import service as branches
    from bot.branch.messages import link_refused
    from bot.roster.importing import import_roster

    main = await branches.branch_of("qq", "1000")
    request = await branches.request_link("qq", "1002", "1000", "2002")
    await branches.decide_link(request.id, main.id, "3001", approve=False)
    assert (await branches.branch_of("qq", "1002")).id != main.id

    own = await branches.branch_of("qq", "1003")
    await import_roster(own.id, "r.csv", csv_bytes([["孙七", "", "", "", "", "", ""]]))
    with pytest.raises(branches.LinkRefused) as refused:
        await branches.request_link("qq", "1003", "1000", "2002")
    assert "已有名册" in link_refused(refused.value)


async def test_import_reads_every_format_and_normalises(clock: object) -> None:
    from bot.branch import service as branches
    from bot.roster import expected
    from bot.roster.importing import import_roster

    branch = await branches.branch_of("qq", "1000")
    report = await import_roster(branch.id, "名册.csv", csv_bytes(ROWS))
    assert (report.added, report.updated, report.unchanged, report.errors) == (4, 0, 0, [])
    people = {p.name: p for p in await expected(branch.id)}
    assert people["李四"].status == "预备党员"
    assert people["王五"].status == "入党积极分子"
    assert people["赵六"].status == "正式党员"
    assert people["赵六"].office == "党小组长"
    assert people["赵六"].joined_on == date(2015, 7, 1)
    assert people["赵六"].confirmed_on == date(2016, 7, 1)
    assert people["李四"].joined_on == date(2026, 7, 1)
    assert not people["王五"].reachable
    assert people["张三"].account_on("qq") == "20001"

    for encoding, name in (("utf-8-sig", "bom.csv"), ("gbk", "gbk.csv")):
        again = await import_roster(branch.id, name, csv_bytes(ROWS, encoding=encoding))
        assert (again.added, again.updated, again.unchanged) == (0, 0, 4)

    excel = await import_roster(branch.id, "名册.xlsx", xlsx_bytes(XLSX_ROWS))
    assert (excel.added, excel.updated, excel.unchanged) == (0, 0, 2)


async def test_reimport_matches_by_qq_then_name_and_counts(clock: object) -> None:
    from bot.branch import service as branches
    from bot.roster import expected, person_of_account
    from bot.roster.importing import import_roster

    branch = await branches.branch_of("qq", "1000")
    await import_roster(branch.id, "a.csv", csv_bytes(ROWS))
    changed = [
        ["张三丰", "20001", "", "", "", "", ""],  # renamed, found by QQ
        ["王五", "20003", "发展对象", "", "", "", ""],  # found by name, binds a QQ
        ["李四", "", "", "", "", "", ""],  # nothing new
        ["钱八", "20008", "群众", "", "", "", ""],
    ]
    report = await import_roster(branch.id, "b.csv", csv_bytes(changed))
    assert (report.added, report.updated, report.unchanged) == (1, 2, 1)
    names = {p.name for p in await expected(branch.id)}
    assert names == {"张三丰", "李四", "王五", "赵六", "钱八"}
    wang = await person_of_account("qq", "20003")
    assert wang is not None
    assert (wang.name, wang.status) == ("王五", "发展对象")


async def test_bad_rows_are_reported_and_nothing_is_written(clock: object) -> None:
    from bot.branch import service as branches
    from bot.roster import expected
    from bot.roster.importing import import_roster

    branch = await branches.branch_of("qq", "1000")
    rows = [
        ["张三", "20001", "", "", "", "", ""],
        ["李四", "20001", "", "", "", "", ""],
        ["王五", "", "党外人士", "", "", "", ""],
        ["赵六", "", "", "", "", "2020-02-30", ""],
        ["", "20005", "", "", "", "", ""],
        ["孙七", "12ab", "", "", "校长", "", ""],
        ["周八", "", "", "", "", "2020-07-01", "2019-07-01"],
        ["张三", "", "", "", "", "", ""],
    ]
    report = await import_roster(branch.id, "bad.csv", csv_bytes(rows))
    assert not report.written
    from bot.roster.messages import row_error

    assert [row_error(e) for e in report.errors] == [
        "第3行：QQ号 20001 和第2行重复",
        "第4行：状态「党外人士」应是 正式党员、预备党员、发展对象、入党积极分子、群众 之一",
        "第5行：入党日期这一天不存在",
        "第6行：缺少姓名",
        "第7行：QQ号「12ab」不对，应是数字",
        "第8行：转正日期早于入党日期",
        "第9行：姓名和第2行重复",
    ]
    assert await expected(branch.id) == []

    skipped = await import_roster(branch.id, "bad.csv", csv_bytes(rows), skip_invalid=True)
    assert skipped.written
    assert (skipped.added, skipped.rejected) == (1, 7)


async def test_a_qq_of_another_branch_is_a_bad_row(clock: object) -> None:
    from bot.branch import service as branches
    from bot.roster import expected
    from bot.roster.importing import import_roster

    first = await branches.branch_of("qq", "1000")
    second = await branches.branch_of("qq", "1001")
    await import_roster(first.id, "a.csv", csv_bytes([["张三", "20001", "", "", "", "", ""]]))
    report = await import_roster(
        second.id,
        "b.csv",
        csv_bytes([["王五", "", "", "", "", "", ""], ["张三", "20001", "", "", "", "", ""]]),
    )
    from bot.roster.messages import row_error

    assert [row_error(e) for e in report.errors] == ["第3行：QQ号 20001 已登记在另一个支部"]
    assert not report.written
    assert await expected(second.id) == []


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.csv", b"", "文件是空的"),
        ("blank.xlsx", b"   \n", "文件是空的"),
        ("header.csv", "姓名,QQ,状态\n".encode(), "文件里只有表头，没有人"),
        ("big.csv", b"x" * (20 * 1024 * 1024), "文件太大（20.0 MB），名册最多 5 MB"),
        ("quiz.csv", "题型,题目,答案\n单选,问,A\n".encode(), "第1行应是表头，至少要有「姓名」列"),
        ("r.docx", b"abc", "不支持「.docx」文件"),
    ],
)
async def test_files_that_cannot_be_read_change_nothing(
    clock: object, name: str, data: bytes, reason: str
) -> None:
    from bot.branch import service as branches
    from bot.roster import expected
    from bot.roster.importing import RosterFileError, import_roster

    branch = await branches.branch_of("qq", "1000")
    with pytest.raises(RosterFileError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        await import_roster(branch.id, name, data)
    assert await expected(branch.id) == []


async def test_a_zip_renamed_xlsx_is_refused(clock: object) -> None:
    from bot.branch import service as branches
    from bot.roster.importing import RosterFileError, import_roster

    branch = await branches.branch_of("qq", "1000")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    with pytest.raises(RosterFileError, match="这不是有效的 Excel"):
        await import_roster(branch.id, "名册.xlsx", buffer.getvalue())


async def test_expected_filters_and_officers(clock: object) -> None:
    from bot.branch import service as branches
    from bot.roster import expected, is_officer, officers
    from bot.roster.importing import import_roster

    branch = await branches.branch_of("qq", "1000")
    await import_roster(branch.id, "a.csv", csv_bytes(ROWS))
    assert [p.name for p in await expected(branch.id, statuses=["预备党员"])] == ["李四"]
    assert {p.name for p in await expected(branch.id, party_groups=["第二党小组"])} == {
        "王五",
        "赵六",
    }
    assert [p.office for p in await officers(branch.id)] == ["书记", "党小组长"]
    assert await is_officer("qq", "20001", "1000")
    assert await is_officer("qq", "20001", None)
    assert not await is_officer("qq", "20002", "1000")
    assert not await is_officer("qq", "20001", "1001")  # another branch's chat
    linked = await branches.request_link("qq", "1001", "1000", "20001")
    await branches.decide_link(linked.id, branch.id, "20001", approve=True)
    assert await is_officer("qq", "20001", "1001")  # every linked chat


async def test_the_example_file_in_data_imports(clock: object) -> None:
    from bot.branch import branch_of
    from bot.roster import officers
    from bot.roster.importing import import_roster

    branch = await branch_of("qq", "1000")
    report = await import_roster(branch.id, EXAMPLE.name, EXAMPLE_BYTES)
    assert (report.added, report.errors) == (6, [])
    assert [p.office for p in await officers(branch.id)] == ["书记", "组织委员", "党小组长"]


EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "roster-example.csv"
EXAMPLE_BYTES = EXAMPLE.read_bytes()


async def test_one_account_is_bound_to_one_person_when_two_officers_approve_at_once(
    clock: object,
) -> None:
    """A member asked to be two people (a typo, then the right name); two officers approve
    both at the same moment: the (platform, user id) key lets one binding in, the other is
    refused as taken, and the account reaches exactly one person."""
    from nonebot_plugin_orm import get_session
    from sqlalchemy import select

    from bot.branch import service as branches
    from bot.roster import binding, person_of_account
    from bot.roster.importing import import_roster
    from bot.roster.models import Account

    branch = await branches.branch_of("qq", "1000")
    rows = [["赵一", "", "正式党员", "", "", "", ""], ["赵二", "", "正式党员", "", "", "", ""]]
    assert (await import_roster(branch.id, "名册.csv", csv_bytes(rows))).written
    first = await binding.request_bind(branch.id, "赵一", "qq", "5555")
    second = await binding.request_bind(branch.id, "赵二", "qq", "5555")
    outcomes = await asyncio.gather(
        binding.decide_bind(first.id, branch.id, "2001", approve=True),
        binding.decide_bind(second.id, branch.id, "2002", approve=True),
        return_exceptions=True,
    )
    refused = [o for o in outcomes if isinstance(o, binding.BindRefused)]
    assert len(refused) == 1
    assert refused[0].reason == "account_taken"
    async with get_session() as session:
        accounts = list(await session.scalars(select(Account).where(Account.user_id == "5555")))
    assert len(accounts) == 1
    person = await person_of_account("qq", "5555")
    assert person is not None
    assert person.name in ("赵一", "赵二")
