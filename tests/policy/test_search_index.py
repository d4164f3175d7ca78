"""Segmentation, synonyms, ranking and snippets, without a database."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture(scope="module")
def segmenter():  # type: ignore[no-untyped-def]
    from plugins.policy.segment import Segmenter

    seg = Segmenter(DATA / "policy_words.txt", DATA / "policy_synonyms.txt")
    seg.load()
    return seg


def test_domain_words_numbers_and_words_inside_words(segmenter) -> None:  # type: ignore[no-untyped-def]
    terms = segmenter.terms("三会一课和主题党日，工资8000元交1.5%，预备党员转为正式党员")
    for term in ("三会一课", "主题党日", "8000", "1.5", "预备党员", "正式党员", "党员"):
        assert term in terms
    assert "和" not in terms
    assert "，" not in terms
    assert segmenter.terms("ＡＢＣ　８０００") == ["abc", "8000"]


def test_synonyms_both_ways_and_one_way(segmenter) -> None:  # type: ignore[no-untyped-def]
    jiao = {t.term: t for t in segmenter.query("交党费").terms}
    assert {"交纳党费", "缴纳党费", "党费交纳"} <= set(jiao)
    assert jiao["党费"].typed
    assert not jiao["缴纳党费"].typed
    assert jiao["缴纳党费"].weight < jiao["党费"].weight
    back = {t.term for t in segmenter.query("党费缴纳").terms}
    assert "交党费" in back
    zhuan = {t.term for t in segmenter.query("转正").terms}
    assert {"预备党员", "正式党员"} <= zhuan
    assert "入党" not in {
        t.term for t in segmenter.query("发展党员").terms
    }  # 入党 => 发展党员 only
    assert "发展党员" in {t.term for t in segmenter.query("入党").terms}


def test_synonym_file_format(tmp_path: Path) -> None:
    from plugins.policy.segment import read_synonyms

    path = tmp_path / "syn.txt"
    path.write_text("# 注释\n甲 乙 丙\n丁 => 戊 己  # 行尾注释\n孤词\n", encoding="utf-8")
    groups = read_synonyms(path)
    assert [(g.heads, g.expansions) for g in groups] == [
        (("甲", "乙", "丙"), ("甲", "乙", "丙")),
        (("丁",), ("戊", "己")),
    ]


def test_query_of_nothing_searchable(segmenter) -> None:  # type: ignore[no-untyped-def]
    for text in ("", "   ", "%", "*", "'", '"', "\\", "？！。", "的了吗"):
        assert segmenter.query(text).terms == (), text


def _rows(*sections: tuple[str, str, str]):  # type: ignore[no-untyped-def]
    from plugins.policy.index import Row

    return [
        Row(n, n, n, f"doc{n}", title, "分类", "2020-01-01", heading, heading, 0, 0, text, ("", ""))
        for n, (title, heading, text) in enumerate(sections, 1)
    ]


def test_heading_outranks_body_and_coverage_counts(segmenter) -> None:  # type: ignore[no-untyped-def]
    from plugins.policy import index

    rows = _rows(
        ("党费管理", "一、党费由谁管理", "由党委组织部门统一管理。"),
        ("组织生活", "二、支部大会", "会上也可以收党费，党费要登记。"),
        ("党费比例", "三、交纳比例", "按税后工资收入的比例交纳党费。"),
        ("其他", "四、无关", "与查询无关的内容。"),
    )
    snapshot = index.build(index.Snapshot(), "s", rows, set(), segmenter)
    hits = index.search(snapshot, segmenter.query("党费 管理"))
    assert [h.row.number for h in hits][:1] == [1]
    assert 4 not in [h.row.number for h in hits]
    ratio = index.search(snapshot, segmenter.query("工资交多少党费"))
    assert ratio[0].row.number == 3


def test_snapshot_update_keeps_unchanged_entries(segmenter) -> None:  # type: ignore[no-untyped-def]
    from plugins.policy import index

    rows = _rows(("甲", "一、党费", "交纳党费。"), ("乙", "二、转正", "预备党员转正。"))
    first = index.build(index.Snapshot(), "a", rows, set(), segmenter)
    changed = _rows(("甲", "一、党费", "交纳党费。"), ("乙", "二、换届", "支部换届选举。"))[1:]
    second = index.build(first, "b", changed, {1}, segmenter)
    assert second.entries[1] is first.entries[1]
    assert index.search(second, segmenter.query("转正")) == []
    assert index.search(second, segmenter.query("换届"))[0].row.number == 2
    assert first.stamp == "a"  # the old snapshot is left as it was


def test_snippet_marks_and_merges_matches() -> None:
    from plugins.policy.index import snippet

    text = "党员应当按月交纳党费。" + "其他内容。" * 30 + "漏交党费的，要及时补交党费。"
    out = snippet(text, ("交纳", "党费", "补交"), 30)
    assert out.startswith("党员应当按月【交纳党费】")
    late = snippet(text, ("补交",), 20)
    assert late.startswith("…")
    assert "【补交】" in late
    assert snippet("没有匹配的一段话", ("党费",), 4) == "没有匹配…"
    cut = snippet("一二三四五六七八九十工资8000元", ("工资", "8000"), 12)
    assert "【工资8000】" in cut  # a match is never cut in two at the end


def test_incremental_update_equals_a_full_build(segmenter) -> None:  # type: ignore[no-untyped-def]
    from plugins.policy import index

    rows = _rows(
        *[
            (f"文档{n}", f"{n}、党费第{n}节", f"第{n}节讲党费和转正。" * (n % 3 + 1))
            for n in range(60)
        ]
    )
    first = index.build(index.Snapshot(), "a", rows, set(), segmenter)
    edited = _rows(*[(f"文档{n}", f"{n}、党费第{n}节", f"第{n}节讲换届选举。") for n in range(60)])[
        5
    ]
    keep = {r.id for r in rows} - {edited.id, rows[7].id}  # one edited, one removed
    second = index.build(first, "b", [edited], keep, segmenter)
    assert second.averages == first.averages  # small drift: only the changed postings moved
    full = index._weigh_all("b", second.entries, first.averages)
    assert second.postings == full.postings
    assert second.title_only == full.title_only
    assert rows[7].id not in second.entries
    assert index.search(second, segmenter.query("换届"))[0].row.id == edited.id
    assert edited.id in first.postings["转正"]  # the old snapshot is left as it was
