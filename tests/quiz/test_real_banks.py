"""The real question banks branches receive (../shared/external/banks, beside the project;
never copied into it): what a secretary would notice after importing each one.

Skipped where that folder is missing (a newcomer's clone)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bot.clock import FixedClock

BANKS = Path(__file__).resolve().parents[2].parent / "shared" / "external" / "banks"
BLANK = "（\u3000）"
LIMITS = {"max_bytes": 10 * 1024 * 1024, "max_rows": 20_000}

pytestmark = pytest.mark.skipif(
    not BANKS.is_dir(), reason=f"no real question banks here ({BANKS} is missing)"
)


async def _import(relative: str, **kwargs):
    from plugins.quiz.bank import import_bank

    path = BANKS / relative
    return await import_bank(path.name, path.read_bytes(), **LIMITS, **kwargs)


async def _stems(origin: str) -> list[str]:
    from nonebot_plugin_orm import get_session
    from sqlalchemy import select

    from plugins.quiz.models import Question

    async with get_session() as session:
        return list(await session.scalars(select(Question.stem).where(Question.origin == origin)))


def _raw_stems(relative: str) -> list[str]:
    """The stems as the file has them, read here without the importer."""
    path = BANKS / relative
    if path.suffix == ".json":
        return [item["content"] for item in json.loads(path.read_text("utf-8"))]
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    book.close()
    column = rows[0].index("题干")
    return [str(row[column]) for row in rows[1:] if row[column]]


@pytest.mark.parametrize("relative", ["data-dev.xlsx", "data.json"])
async def test_the_xuexi_export_and_its_json_twin(clock: FixedClock, relative: str) -> None:
    """884 questions, 题型 inferred, every blank kept (762 stems mark it with spaces, 24 of
    them at the start)."""
    from plugins.quiz import messages

    report = await _import(relative)
    assert (report.added, report.rejected) == (884, 0)
    assert dict(report.inferred) == {"单选": 884}
    text = messages.import_report(report, cli=True)
    assert "没有写题型的题按答案定了题型：单选 884 题" in text
    assert (
        "认出的列：题干→题目、说明→解析" if relative.endswith("xlsx") else "没用上的键：excludes"
    ) in text

    raw = _raw_stems(relative)
    spaced = [stem for stem in raw if re.search(r"\S\s{2,}\S|^\s{2,}", stem)]
    leading = [stem for stem in raw if re.match(r"\s{2,}", stem)]
    assert len(spaced) >= 750  # and 5 end in spaces: a blank, unless after ？ or 。
    assert len(leading) >= 24
    stems = await _stems(relative)
    assert len(stems) == 884
    assert sum(BLANK in stem for stem in stems) >= len(spaced)
    assert sum(stem.startswith(BLANK) for stem in stems) >= len(leading)
    assert not [stem for stem in stems if "  " in stem or "\u3000\u3000" in stem]
    assert any(f"上升速率为3.3{BLANK}。" in stem for stem in stems)


async def test_the_twins_and_their_converted_copies_are_the_same_questions(
    clock: FixedClock,
) -> None:
    from plugins.quiz.service import bank_counts

    first = await _import("data-dev.xlsx")
    assert first.added == 884
    for relative in ("data.json", "converted/data-dev_加题型.xlsx", "converted/data_改键名.json"):
        again = await _import(relative)
        assert (again.added, again.duplicates, again.rejected) == (0, 884, 0), relative
        assert bool(again.inferred) == (relative == "data.json"), relative
    assert (await bank_counts())[0] == {"单选": 884}


async def test_the_answer_collection_and_its_list(clock: FixedClock) -> None:
    report = await _import("题库_排序版.json", category="学习强国")
    assert report.form == "pairs"
    assert report.rejected == 0
    assert report.added + report.duplicates == 9370
    # 551 are the same question again (other punctuation, with or without 来源); the 174
    # 「选择正确的读音（　）。」 questions differ in their options and are all kept
    assert report.added >= 8800
    assert dict(report.inferred) == {"单选": 9370}
    stems = await _stems("题库_排序版.json")
    assert sum(BLANK in stem for stem in stems) > 8500
    assert not [stem for stem in stems if "\xa0" in stem or "  " in stem]

    listed = await _import("converted/题库_排序版_列表.json", category="学习强国")
    assert (listed.added, listed.rejected) == (0, 0)
    assert listed.duplicates == 9370


async def test_the_gbk_text_quiz(clock: FixedClock) -> None:
    report = await _import("31.中国共产党章程.txt")
    assert report.form == "text"
    assert (report.added, report.rejected) == (35, 0)
    stems = await _stems("31.中国共产党章程.txt")
    assert not [stem for stem in stems if "\\n" in stem]
