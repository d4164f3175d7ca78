"""Importing question banks: every row checked first, errors by row number, no duplicates."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from bot.clock import FixedClock
from tests.quiz.conftest import HEADER, rows_to_csv, rows_to_xlsx

LIMITS = {"max_bytes": 10 * 1024 * 1024, "max_rows": 1000}


async def _import(name: str, data: bytes, **kwargs):
    from plugins.quiz.bank import import_bank

    return await import_bank(name, data, **LIMITS, **kwargs)


async def test_xlsx_csv_and_json_import(clock: FixedClock, good_rows: list[list[str]]) -> None:
    from plugins.quiz.service import bank_counts

    report = await _import("题库.xlsx", rows_to_xlsx(good_rows))
    assert (report.added, report.duplicates, report.rejected, report.written) == (4, 0, 0, True)
    kinds, categories = await bank_counts()
    assert kinds == {"单选": 1, "多选": 1, "判断": 1, "填空": 1}
    assert categories == {"党章党规": 1, "纪律与廉洁": 1, "党史": 1, "党务知识": 1}

    again = await _import("题库.csv", rows_to_csv(good_rows).encode("utf-8-sig"))
    assert (again.added, again.duplicates) == (0, 4)

    items = [dict(zip(HEADER, row, strict=True)) for row in good_rows]
    items[0]["题目"] = "党章规定，预备党员的预备期为 (  ) 。"  # same question, other spacing
    items.append(
        {"题型": "判断", "题目": "党的最高理想是实现共产主义。", "答案": "√", "分类": "党的理论"}
    )
    as_json = await _import("bank.json", json.dumps(items, ensure_ascii=False).encode())
    assert (as_json.added, as_json.duplicates) == (1, 4)


async def test_gbk_csv_as_excel_saves_it(clock: FixedClock, good_rows: list[list[str]]) -> None:
    report = await _import("题库.csv", rows_to_csv(good_rows).encode("gbk"))
    assert report.added == 4


async def test_bad_rows_are_reported_and_nothing_is_written(
    clock: FixedClock, good_rows: list[list[str]]
) -> None:
    from plugins.quiz.service import bank_size

    bad = [
        *good_rows,
        ["单选", "缺答案的题", "甲", "乙", "", "", "", "", "党史", "", ""],
        ["单选", "答案越界的题", "甲", "乙", "丙", "", "E", "", "党史", "", ""],
        ["问答", "题型不对的题", "", "", "", "", "x", "", "党史", "", ""],
        ["多选", "多选只有一个答案", "甲", "乙", "丙", "丁", "A", "", "党史", "", ""],
        ["判断", "判断答案不对", "", "", "", "", "也许", "", "党史", "", ""],
        ["单选", "选项不连续", "甲", "", "丙", "", "A", "", "党史", "", ""],
    ]
    from plugins.quiz import messages

    report = await _import("题库.csv", rows_to_csv(bad).encode())
    assert report.written is False
    assert [messages.problem(item) for item in report.problems] == [
        "第6行：缺少答案",
        "第7行：答案「E」不对：这道题只有 A–C 3 个选项",
        "第8行：题型「问答」应是 单选、多选、判断 或 填空",
        "第9行：多选题的答案至少两个字母，现在是「A」（一个答案请用单选）",
        "第10行：判断题的答案应是 对 或 错，现在是「也许」",
        "第11行：选项B是空的，选项要从A起连续填写",
    ]
    assert await bank_size() == 0

    skipped = await _import("题库.csv", rows_to_csv(bad).encode(), skip_invalid=True)
    assert (skipped.added, skipped.rejected, skipped.written) == (4, 6, True)
    assert await bank_size() == 4


async def test_category_option_fills_and_overrides(
    clock: FixedClock, good_rows: list[list[str]]
) -> None:
    from plugins.quiz.service import bank_counts

    for row in good_rows:
        row[8] = ""
    report = await _import("题库.csv", rows_to_csv(good_rows).encode(), category="支部自编")
    assert report.added == 4
    assert (await bank_counts())[1] == {"支部自编": 4}


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("空.csv", b"", "文件是空的"),
        ("空.csv", b"   \n\n", "文件是空的"),
        ("只有表头.csv", ",".join(HEADER).encode(), "文件里只有表头，没有题目"),
        ("只有表头.xlsx", rows_to_xlsx([]), "文件里只有表头，没有题目"),
        (
            "无表头.csv",
            "单选,预备期多长,半年,一年,,,B,,党史,,\n".encode(),
            "第1行应是表头，缺少「题目、答案」列",
        ),
        ("假的.xlsx", b"PK\x03\x04 not really a zip", "这不是有效的 Excel（.xlsx）文件"),
        ("不是列表.json", '{"题型": "单选"}'.encode(), "JSON 文件应当是题目列表"),
        ("坏的.json", b"[{", "JSON 格式有误"),
        ("空列表.json", b"[]", "文件里没有题目"),
        ("题库.docx", b"whatever", "不支持「.docx」文件"),
        ("笔记.txt", "第一条 党员要学习。".encode(), "这个文本文件里没有「【习题1（单选题）】」"),
        ("二进制.csv", b"\x00\x01\x02\xff" * 10, "读不出这个 CSV 的文字编码"),
        ("二进制.csv", b"\x00\x01\x02" * 10, "这不是文本格式的 CSV 文件"),
    ],
)
async def test_broken_files_get_one_clear_reason(
    clock: FixedClock, name: str, data: bytes, reason: str
) -> None:
    from plugins.quiz.bankfiles import BankFileError
    from plugins.quiz.service import bank_size

    with pytest.raises(BankFileError) as caught:
        await _import(name, data)
    assert str(caught.value).startswith(reason)
    assert await bank_size() == 0


async def test_a_zip_of_something_else_is_not_excel(clock: FixedClock) -> None:
    from plugins.quiz.bankfiles import BankFileError

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("photo.jpg", b"\xff\xd8\xff" * 100)
    with pytest.raises(BankFileError, match="这不是有效的 Excel"):
        await _import("题库.xlsx", out.getvalue())


async def test_a_huge_file_is_refused_before_reading(clock: FixedClock) -> None:
    from plugins.quiz.bank import import_bank
    from plugins.quiz.bankfiles import BankFileError

    with pytest.raises(BankFileError, match=r"文件太大（50.0 MB），最多 10 MB"):
        await import_bank(
            "题库.csv", b"x" * (50 * 1024 * 1024), max_bytes=10 * 1024 * 1024, max_rows=1000
        )


def test_the_starter_bank_is_valid() -> None:
    """Every starter question passes the importer's checks (and so, the answer keys are usable)."""
    from pathlib import Path

    from bot.app import ROOT
    from plugins.quiz.bank import check
    from plugins.quiz.bankfiles import read_rows

    total = 0
    kinds: set[str] = set()
    categories: set[str] = set()
    for path in sorted(Path(ROOT / "data" / "questions").glob("*.json")):
        drafts, errors = check(read_rows(path.name, path.read_bytes(), max_rows=10_000), None)
        assert not any(d.inferred or d.named for d in drafts), path.name
        assert errors == [], (path.name, errors[:5])
        total += len(drafts)
        kinds |= {d.kind for d in drafts}
        categories |= {d.category for d in drafts}
        assert all(d.explanation and d.source for d in drafts), path.name
    assert total >= 300
    assert kinds == {"单选", "多选", "判断", "填空"}
    assert len(categories) >= 5
