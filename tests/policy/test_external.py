"""The real official texts of ../shared/external (issue 17), read in place: skipped, with the
reason, where that folder is absent (a newcomer's clone); CI has it.

Figures (bench/policy_eval_external.py, recall@5 / MRR of the official article on
eval_external.json, 41 questions written before tuning): before issue 17, starter library
absent 0.902 / 0.805, present 0.634 / 0.387; after, absent 0.951 / 0.868, present
0.927 / 0.852. The run prints the current figures in its summary.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.clock import FixedClock
from tests.policy.conftest import FIGURES
from tests.policy.evaluation import (
    EXTERNAL,
    EXTERNAL_EVAL_FILE,
    evaluate,
    external_files,
    load_queries,
)

FILES = external_files()
pytestmark = pytest.mark.skipif(
    FILES is None, reason=f"no external material here ({EXTERNAL.resolve()} is absent)"
)


def _read(name: str):  # type: ignore[no-untyped-def]
    from plugins.policy.readers import read_document

    return read_document(EXTERNAL / name)


def _read_path(path: Path):  # type: ignore[no-untyped-def]
    from plugins.policy.readers import read_document

    return read_document(path)


def _article(doc, heading: str) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(s.text for s in doc.sections if s.heading == heading)


def test_articles_are_whole_and_titles_are_the_documents_own() -> None:
    discipline = _read("docs/Item-14226.txt")
    assert discipline.title == "中国共产党纪律处分条例"
    assert "（五）惩前毖后、治病救人" in _article(discipline, "第四条")
    assert "（五）开除党籍" in _article(discipline, "第八条")
    charter = _read("docs/Item-16583.txt")
    assert "（六）党禁止任何形式的个人崇拜" in _article(charter, "第十条")
    assert [s.part for s in charter.sections if s.heading == "总纲"][:2] == [1, 2]
    assert all(s.heading != "导语" or len(s.text) < 100 for s in charter.sections)
    bilingual = _read("docs/constitution-of-the-communist-party-of-china.md")
    assert bilingual.title == "中国共产党章程"
    assert "未用" in bilingual.title_from
    assert "连续六个月不参加党的组织生活" in _article(bilingual, "第九条")
    education = _read("docs/Item-10167.txt")
    assert education.title == "中国共产党党员教育管理工作条例"
    assert "延伸阅读" not in _article(education, "第四十六条")
    for doc in (discipline, charter, bilingual, education):
        assert doc.authority == "official"


def test_saved_web_pages_read_as_their_text_copies() -> None:
    for number in ("10167", "14226", "16583", "23239"):
        page = _read(f"raw/Item-{number}.aspx")
        text = _read(f"docs/Item-{number}.txt")
        assert page.title == text.title
        assert [s.path for s in page.sections] == [s.path for s in text.sections]


def test_the_rules_as_a_pdf_read_as_their_text_copy(tmp_path: Path) -> None:
    """细则 set as a secretary's PDF would be: lines wrapped at 38 characters, 36 lines a page,
    the title as running header on every page and the page number at the foot."""
    from tests.policy.pdfs import make_pdf

    text = _read("docs/Item-23239.txt")
    lines = [
        line.strip()[i : i + 38]
        for line in (EXTERNAL / "docs/Item-23239.txt").read_text(encoding="utf-8").splitlines()
        for i in range(0, len(line.strip()), 38)
    ]
    body = lines[1:]  # the title is the running header
    pages = [
        [text.title, *body[start : start + 36], f"- {n} -"]
        for n, start in enumerate(range(0, len(body), 36), 1)
    ]
    path = tmp_path / "细则.pdf"
    path.write_bytes(make_pdf(pages))
    pdf = _read_path(path)
    assert (pdf.title, pdf.title_from) == (text.title, "PDF 页眉")
    assert [s.path for s in pdf.sections] == [s.path for s in text.sections]
    assert [s.text for s in pdf.sections if s.heading == "第十三条"] == [
        s.text for s in text.sections if s.heading == "第十三条"
    ]


async def test_official_articles_are_found(clock: FixedClock) -> None:
    from plugins.policy import config, library

    assert FILES is not None
    report = await library.import_paths(FILES, **config.import_limits())
    assert not report.failed, [(f.path, f.error) for f in report.failed]
    queries = load_queries(EXTERNAL_EVAL_FILE)
    assert len(queries) >= 30
    absent = await evaluate(queries)
    from tests.policy.conftest import load_starter_library

    await load_starter_library()
    present = await evaluate(queries)
    FIGURES.append(f"政策 search, eval_external.json, starter absent: {absent.summary()}")
    FIGURES.append(f"政策 search, eval_external.json, starter present: {present.summary()}")
    assert absent.recall_at_5 >= 0.9, absent.summary()
    assert present.recall_at_5 >= 0.85, present.summary()
    for query, heading in (("纪律处分有哪几种", ("第八条", "第四十一条")),):
        found = next(o for o in present.outcomes if o.query == query)
        assert found.rank == 1, found.found
        assert found.found[0][1] in heading
    from plugins.policy import search

    top = (await search.search("发展对象公示几天")).hits[0]
    assert (Path(top.source).name, top.heading, top.authority) == (
        "Item-23239.txt",
        "第十三条",
        "official",
    )
    assert "不少于五个工作日" in top.snippet or "公示" in top.snippet
