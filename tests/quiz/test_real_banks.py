"""The real question banks branches receive (../shared/external/banks, beside the project;
never copied into it): what a secretary would notice after importing each one.

Skipped where that folder is missing (a newcomer's clone)."""

from __future__ import annotations

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


async def test_the_xuexi_export_and_its_json_twin(clock: FixedClock) -> None:
    from plugins.quiz import messages
    from plugins.quiz.service import bank_counts

    report = await _import("data-dev.xlsx")
    assert (report.added, report.rejected) == (884, 0)
    assert dict(report.inferred) == {"单选": 884}
    assert report.named_category == "data-dev"
    text = messages.import_report(report, cli=True)
    assert "没有写题型的题按答案定了题型：单选 884 题" in text
    assert "认出的列：题干→题目、说明→解析" in text

    stems = await _stems("data-dev.xlsx")
    assert len(stems) == 884
    assert sum(BLANK in stem for stem in stems) >= 850  # 762 as spaces, the rest as （ ）
    assert sum(stem.startswith(BLANK) for stem in stems) >= 24
    assert not [stem for stem in stems if "  " in stem or "\u3000\u3000" in stem]
    assert any(f"上升速率为3.3{BLANK}。" in stem for stem in stems)

    twin = await _import("data.json")
    assert (twin.added, twin.duplicates, twin.rejected) == (0, 884, 0)
    assert dict(twin.inferred) == {"单选": 884}
    assert "没用上的键：excludes" in messages.import_report(twin, cli=True)

    for converted in ("converted/data-dev_加题型.xlsx", "converted/data_改键名.json"):
        again = await _import(converted)
        assert (again.added, again.duplicates, again.rejected) == (0, 884, 0), converted
        assert not again.inferred, converted
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
