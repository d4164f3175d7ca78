"""The library in the database: import, re-import, stable numbers, removal, search freshness."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import func, select, text

from bot.clock import FixedClock
from tests.policy.conftest import DOCS, load_starter_library, write

DOC = """---
标题: 测试支部工作规定
分类: 组织建设
发文机关: 测试党委
日期: 2024-01-02
---

# 测试支部工作规定

## 一、支部多久开一次会

支部委员会会议每月召开一次。

## 二、谁来主持

由支部书记主持。

## 三、会议记录

会议要有记录。
"""


async def _count(model) -> int:  # type: ignore[no-untyped-def]
    from nonebot_plugin_orm import get_session

    async with get_session() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def _stamp() -> str | None:
    from nonebot_plugin_orm import get_session

    from plugins.policy.models import Library

    async with get_session() as session:
        return await session.scalar(select(Library.stamp))


async def _import(path: Path, category: str = ""):  # type: ignore[no-untyped-def]
    from plugins.policy import config, library

    report = await library.import_paths([path], category=category, **config.import_limits())
    return report.files[0]


async def test_starter_library_numbers_and_sources(starter, clock: FixedClock) -> None:  # type: ignore[no-untyped-def]
    from plugins.policy import library
    from plugins.policy.models import Document, Section

    outcomes = [f.outcome for f in starter.files]
    assert len(outcomes) == 43
    assert all(o and o.status == "added" for o in outcomes)
    sections = await _count(Section)
    assert await _count(Document) == 43
    assert sections > 250
    numbers = [n for o in outcomes if o for n in o.numbers]
    assert sorted(numbers) == list(range(1, sections + 1))
    docs = await library.list_documents()
    assert {d.source for d in docs} >= {"data/docs/党费/jiaona-bili.md"}
    assert {d.category for d in docs} == {p.name for p in DOCS.iterdir() if p.is_dir()}


async def test_reimport_unchanged_writes_nothing(starter, clock: FixedClock) -> None:  # type: ignore[no-untyped-def]
    before = await _stamp()
    again = await load_starter_library()
    assert {f.outcome.status for f in again.files if f.outcome} == {"unchanged"}
    assert [f.outcome.numbers for f in again.files] == [f.outcome.numbers for f in starter.files]
    assert await _stamp() == before


async def test_changed_file_keeps_the_numbers_of_unchanged_sections(
    tmp_path: Path, clock: FixedClock
) -> None:
    from plugins.policy import reading
    from plugins.policy.models import Document

    path = write(tmp_path / "rule.md", DOC)
    first = (await _import(path)).outcome
    assert first.status == "added"
    assert first.numbers == (1, 2, 3)
    # Section 二 edited, 三 removed, a new 四 added, and the order of 一 and 二 swapped.
    edited = DOC.replace("由支部书记主持。", "由支部书记主持，书记不在时由副书记主持。")
    edited = edited.replace(
        "## 三、会议记录\n\n会议要有记录。\n", "## 四、会议纪要\n\n会后印发纪要。\n"
    )
    head, one, two, four = edited.split("## ")
    write(path, head + "## " + two + "## " + one + "## " + four)
    second = (await _import(path)).outcome
    assert second.status == "updated"
    assert second.numbers == (2, 1, 4)  # 二 kept its number though edited; 四 is new
    assert (second.kept, second.added, second.removed) == (2, 1, 1)
    assert await _count(Document) == 1
    assert await reading.get_section(3) is None
    view = await reading.get_section(2)
    assert view
    assert view.text == "由支部书记主持，书记不在时由副书记主持。"
    assert (view.previous, view.next) == (None, 1)
    # A renamed heading over unchanged text keeps the number too.
    write(path, path.read_text(encoding="utf-8").replace("## 二、谁来主持", "## 二、会议由谁主持"))
    third = (await _import(path)).outcome
    assert third.numbers == (2, 1, 4)
    assert (third.kept, third.added, third.removed) == (3, 0, 0)
    renamed = await reading.get_section(2)
    assert renamed
    assert renamed.heading == "二、会议由谁主持"
    # Numbers are never handed out twice, even after a removal.
    other = (await _import(write(tmp_path / "other.md", DOC.replace("测试支部", "另一")))).outcome
    assert other.numbers == (5, 6, 7)


async def test_same_file_imported_twice_at_once_is_one_document(
    tmp_path: Path, clock: FixedClock
) -> None:
    from plugins.policy.models import Document, Section

    path = write(tmp_path / "rule.md", DOC)
    results = await asyncio.gather(_import(path), _import(path))
    assert sorted(r.outcome.status for r in results) == ["added", "unchanged"]
    assert (await _count(Document), await _count(Section)) == (1, 3)


async def test_bad_files_change_nothing(tmp_path: Path, clock: FixedClock) -> None:
    from plugins.policy import config, library
    from plugins.policy.models import Document

    write(tmp_path / "good.md", DOC)
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (tmp_path / "binary.md").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "README.md").write_text("# 说明\n\n不是资料", encoding="utf-8")
    before = await _stamp()
    report = await library.import_paths([tmp_path / "broken.docx"], **config.import_limits())
    assert report.files[0].error
    assert report.files[0].error.startswith("不是有效的 Word 文档")
    assert await _count(Document) == 0
    assert await _stamp() == before
    report = await library.import_paths(
        [tmp_path, tmp_path / "missing.md"], category="学习", **config.import_limits()
    )
    by_name = {f.path.name: f for f in report.files}
    assert set(by_name) == {"good.md", "broken.docx", "binary.md", "missing.md"}  # README skipped
    assert by_name["binary.md"].error.startswith("不是文本文件")
    assert by_name["missing.md"].error == "文件或文件夹不存在"
    assert by_name["good.md"].outcome.category == "组织建设"  # front matter over --category
    assert await _count(Document) == 1


async def test_remove_documents(tmp_path: Path, clock: FixedClock) -> None:
    from plugins.policy import library, search
    from plugins.policy.models import Section

    outcome = (await _import(write(tmp_path / "rule.md", DOC))).outcome
    assert (await search.search("主持")).hits
    assert await library.remove_documents([outcome.document_id + 100]) == []
    removed = await library.remove_documents([outcome.document_id])
    assert [d.title for d in removed] == ["测试支部工作规定"]
    assert await _count(Section) == 0
    assert (await search.search("主持")).hits == []


async def test_starter_loads_once_into_an_empty_library(clock: FixedClock) -> None:
    from plugins.policy import config, library
    from plugins.policy.models import Document

    report = await library.load_starter(DOCS, **config.import_limits())
    assert report is not None
    assert len(report.files) == 43
    assert await library.load_starter(DOCS, **config.import_limits()) is None
    await library.remove_documents([d.id for d in await library.list_documents()])
    assert await _count(Document) == 0
    # Emptied by an administrator: not loaded again behind their back.
    assert await library.load_starter(DOCS, **config.import_limits()) is None


async def test_a_change_by_another_process_is_seen_before_the_next_search(
    tmp_path: Path, clock: FixedClock
) -> None:
    """Another bot process shares the database: its import only shows in the rows and the
    library stamp, never in this process's memory."""
    from nonebot_plugin_orm import get_session

    from plugins.policy import search

    await _import(write(tmp_path / "rule.md", DOC))
    assert (await search.search("纪要")).hits == []
    async with get_session() as session, session.begin():
        await session.execute(
            text(
                "UPDATE policy_section SET text = '会后印发会议纪要。', text_hash = 'other' "
                "WHERE number = 3"
            )
        )
        await session.execute(text("UPDATE policy_library SET stamp = 'changed-elsewhere'"))
    hits = (await search.search("纪要")).hits
    assert [(h.number, h.snippet) for h in hits] == [(3, "会后印发会议【纪要】。")]


async def test_search_bad_input_is_harmless(starter, clock: FixedClock) -> None:  # type: ignore[no-untyped-def]
    from plugins.policy import search

    for query in ("", "%", "*", "'", '"', "\\", "%' OR 1=1 --", "(.*)+", "?？？"):
        result = await search.search(query)
        assert isinstance(result.hits, list), query
    assert not (await search.search("%")).searchable
    huge = await search.search("党费" * 2500)  # 5,000 characters
    assert huge.hits
    assert huge.hits[0].title
    odd = await search.search("党费%'")
    assert odd.hits


async def test_nothing_found_suggests_related_words(starter, clock: FixedClock) -> None:  # type: ignore[no-untyped-def]
    from plugins.policy import search

    result = await search.search("宇宙飞船")
    assert result.searchable
    assert result.hits == []
    assert (await search.search("党费")).hits
