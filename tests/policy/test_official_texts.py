"""Official texts as secretaries have them (issue 17): articles kept whole, 总纲, titles and
where they came from, bilingual text, PDF and web pages. Small files each test writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.policy.conftest import write
from tests.policy.pdfs import make_pdf, scanned_pdf


def _read(path: Path, **kwargs):  # type: ignore[no-untyped-def]
    from plugins.policy.readers import read_document

    return read_document(path, **kwargs)


RULES = """中国共产党测试处分条例

第一章　原则

第四条　党的纪律处分工作应当坚持以下原则：
（一）坚持党要管党、全面从严治党。加强对党员的教育、管理和监督。
（二）党纪面前一律平等。对违犯党纪的党员必须严肃执行纪律。
（三）实事求是。应当以事实为依据。

第五条　对党员的纪律处分种类：
一、警告；
二、严重警告。
"""


def test_numbered_items_stay_in_their_article(tmp_path: Path) -> None:
    doc = _read(write(tmp_path / "rules.txt", RULES))
    assert [(s.heading, s.path) for s in doc.sections] == [
        ("第四条", "第一章 原则 › 第四条"),
        ("第五条", "第一章 原则 › 第五条"),
    ]
    assert doc.sections[0].text.endswith("（三）实事求是。应当以事实为依据。")
    assert doc.sections[1].text.endswith("二、严重警告。")


def test_an_item_after_a_colon_is_no_heading_outside_articles_either(tmp_path: Path) -> None:
    text = "学习安排\n\n本季度坚持以下做法：\n（一）每月集中学习一次。各小组轮流领学。\n（二）每人写一篇心得。\n"
    doc = _read(write(tmp_path / "plan.txt", text))
    assert len(doc.sections) == 1
    assert "（二）每人写一篇心得。" in doc.sections[0].text


def test_a_markdown_article_keeps_all_its_paragraphs(tmp_path: Path) -> None:
    text = (
        "# 测试章程\n\n第一章　党员\n\n第九条　党员有退党的自由。\n\n"
        "党员缺乏革命意志的，应当劝他退党。\n\n党员连续六个月不交纳党费，被认为是自行脱党。\n\n"
        "第十条　党员必须编入一个支部。\n"
    )
    doc = _read(write(tmp_path / "charter.md", text))
    assert [s.path for s in doc.sections] == ["第一章 党员 › 第九条", "第一章 党员 › 第十条"]
    assert doc.sections[0].text == (
        "第九条 党员有退党的自由。\n党员缺乏革命意志的，应当劝他退党。\n"
        "党员连续六个月不交纳党费，被认为是自行脱党。"
    )


def test_general_program_with_a_full_width_space_is_a_heading(tmp_path: Path) -> None:
    text = "中国共产党测试章程\n（某年某月通过）\n总　纲\n　　党的最高理想是实现共产主义。\n第一章　党　员\n　　第一条　年满十八岁的可以申请入党。\n"
    doc = _read(write(tmp_path / "charter.txt", text))
    assert [(s.heading, s.path) for s in doc.sections] == [
        ("导语", "导语"),
        ("总纲", "总纲"),
        ("第一条", "第一章 党员 › 第一条"),
    ]
    assert doc.sections[1].text == "党的最高理想是实现共产主义。"


def test_website_front_matter_loses_to_the_documents_own_title(tmp_path: Path) -> None:
    text = (
        "---\nlayout: default\ntitle: Hello\n---\n\n## 中国共产党测试章程\n\n第一条　年满十八岁。\n"
    )
    doc = _read(write(tmp_path / "site.md", text))
    assert doc.title == "中国共产党测试章程"
    assert doc.title_from == "正文第一个标题（文件头里的标题「Hello」与正文不符，未用）"
    assert [s.heading for s in doc.sections] == ["第一条"]


def test_front_matter_that_agrees_with_the_heading_is_kept(tmp_path: Path) -> None:
    text = "---\n标题: 党费怎么交：比例和示例\n---\n\n# 党费怎么交\n\n## 比例\n\n按月交。\n"
    doc = _read(write(tmp_path / "dues.md", text))
    assert (doc.title, doc.title_from) == ("党费怎么交：比例和示例", "文件头信息")


def test_a_news_lead_names_the_title(tmp_path: Path) -> None:
    text = (
        "　　近日，中共中央印发了《中国共产党测试工作条例》（以下简称《条例》），要求认真遵照执行。\n"
        "　　《中国共产党测试工作条例》全文如下。\n"
        "　　第一章　总则\n　　第一条　为了加强测试工作，制定本条例。\n"
        "　　延伸阅读\n　　某某会议审议《另一个条例》\n"
    )
    doc = _read(write(tmp_path / "news.txt", text))
    assert (doc.title, doc.title_from) == ("中国共产党测试工作条例", "正文里的《》")
    assert doc.sections[0].heading == "导语"
    assert doc.sections[-1].text == "第一条 为了加强测试工作，制定本条例。"  # 延伸阅读 cut


def test_a_file_without_a_title_line_is_named_by_its_file(tmp_path: Path) -> None:
    doc = _read(
        write(tmp_path / "支部计划.txt", "本季度每月集中学习一次，由书记领学，各小组轮流发言。\n")
    )
    assert (doc.title, doc.title_from) == ("支部计划", "文件名")


def test_bilingual_text_is_cut_at_sentence_ends(tmp_path: Path) -> None:
    english = " ".join(f"Sentence number {n} says something about the Party." for n in range(40))
    text = f"# 双语\n\n## 总纲\n\n中国共产党是先锋队。\n\n{english}\n"
    doc = _read(write(tmp_path / "bi.md", text), max_section_chars=300)
    assert len(doc.sections) > 2
    for section in doc.sections:
        assert len(section.text) <= 300
        assert section.text.endswith(("。", ".")), section.text[-40:]
    joined = " ".join(s.text for s in doc.sections).replace("\n", " ")
    assert english in joined


def test_standing_by_look_and_as_stated(tmp_path: Path) -> None:
    official = _read(write(tmp_path / "rules.txt", RULES + "\n第六条　本条例自发布之日起施行。\n"))
    assert official.authority == "official"
    notes = _read(write(tmp_path / "notes.md", "# 学习笔记\n\n## 体会\n\n要按时交党费。\n"))
    assert notes.authority == "branch"
    stated = _read(write(tmp_path / "s.md", "---\n性质: 解读\n---\n# 解读\n\n## 一\n\n说明。\n"))
    assert stated.authority == "interpretation"
    from plugins.policy.sectioning import DocumentError

    with pytest.raises(DocumentError, match="请写 原文、解读 或 本支部"):
        _read(write(tmp_path / "bad.md", "---\n性质: 随便\n---\n# 题\n\n正文。\n"))


# ------------------------------------------------------------------ PDF ----------------------


def test_text_pdf_without_running_headers_and_page_numbers(tmp_path: Path) -> None:
    pages = [
        [
            "中国共产党测试条例",
            "第一章　总则",
            "第一条　为了规范党支部工作，制定本条例。",
            "第二条　党支部应当",
            "- 1 -",
        ],
        [
            "测试条例（内部学习）",
            "每月召开一次支部委员会会议。",
            "第三条　党员应当按期交纳党费。",
            "- 2 -",
        ],
        ["测试条例（内部学习）", "第四条　本条例自发布之日起施行。", "第 3 页"],
        ["测试条例（内部学习）", "第五条　本条例由党委负责解释。", "4/4"],
    ]
    path = tmp_path / "条例.pdf"
    path.write_bytes(make_pdf(pages))
    doc = _read(path)
    assert (doc.title, doc.kind, doc.authority) == ("中国共产党测试条例", "pdf", "official")
    assert [s.heading for s in doc.sections] == ["第一条", "第二条", "第三条", "第四条", "第五条"]
    # the article across the page break is one paragraph again
    assert doc.sections[1].text == "第二条 党支部应当每月召开一次支部委员会会议。"
    everything = "\n".join(s.text for s in doc.sections)
    for gone in ("内部学习", "- 1 -", "第 3 页", "4/4"):
        assert gone not in everything


def test_scanned_pdf_is_refused_with_the_reason(tmp_path: Path) -> None:
    from plugins.policy.sectioning import DocumentError

    with pytest.raises(DocumentError, match="没有可提取的文字（可能是扫描件或图片）"):
        _read(scanned_pdf(tmp_path / "扫描件.pdf"))


# ------------------------------------------------------------------ web pages ----------------

PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>中国共产党测试细则--学习专栏-某某中学</title></head>
<body>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/a">学校概况</a></li>
<li><a href="/b">党建工作</a></li><li><a href="/c">联系我们</a></li></ul></div>
<div class="main"><div class="conTxt">
<p><strong>中国共产党测试细则</strong></p>
<p>（2014年5月28日中共中央办公厅发布）</p>
<p>　　第一章　总则</p>
<p>　　第一条　为了规范和加强发展党员工作，提高新发展的党员质量，保持党的先进性和纯洁性，制定本细则。</p>
<p>　　第二条　发展党员工作应当贯彻党的基本理论、基本路线、基本方略，坚持把政治标准放在首位。</p>
<p>　　第三条　党组织收到入党申请书后，应当在一个月内派人同入党申请人谈话。　　第四条　公示期不少于五个工作日。</p>
</div></div>
<div class="footer"><p>版权所有 某某中学 地址：某某路1号 电话：0000-0000000</p>
<p>技术支持：某某网络公司</p></div>
<script>var hits = 1;</script>
</body></html>
"""


@pytest.mark.parametrize("suffix", [".html", ".htm", ".aspx"])
def test_web_page_article_body(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"Item-1{suffix}"
    path.write_text(PAGE, encoding="utf-8")
    doc = _read(path)
    assert (doc.title, doc.title_from, doc.kind) == ("中国共产党测试细则", "正文标题行", "html")
    assert [s.heading for s in doc.sections] == ["导语", "第一条", "第二条", "第三条", "第四条"]
    everything = "\n".join(s.text for s in doc.sections)
    for gone in ("首页", "联系我们", "版权所有", "技术支持", "hits"):
        assert gone not in everything


def test_folder_with_only_unsupported_files_names_them(tmp_path: Path) -> None:
    from plugins.policy.library import collect_files

    (tmp_path / "docs").mkdir()
    for name in ("题库.xlsx", "照片.jpg", "说明.txt.meta", "README.md"):
        (tmp_path / "docs" / name).write_bytes(b"x")
    collected = collect_files([tmp_path / "docs"])
    assert collected.found == []
    assert [p.name for p in collected.skipped] == ["照片.jpg", "题库.xlsx"]


def test_pdf_whose_running_header_is_its_title(tmp_path: Path) -> None:
    header = "中国共产党测试工作细则"
    pages = [
        [
            header,
            "（2014年5月28日中共中央办公厅发布）",
            "第一章　总则",
            "第一条　为了规范发展党员工作，",
            "制定本细则。",
            "1",
        ],
        [header, "第二条　发展党员工作应当坚持标准。", "2"],
        [header, "第三条　本细则自发布之日起施行。", "3"],
    ]
    path = tmp_path / "细则.pdf"
    path.write_bytes(make_pdf(pages))
    doc = _read(path)
    assert (doc.title, doc.title_from) == (header, "PDF 页眉")
    assert [s.heading for s in doc.sections] == ["导语", "第一条", "第二条", "第三条"]
    assert doc.sections[1].text == "第一条 为了规范发展党员工作，制定本细则。"
    assert header not in "\n".join(s.text for s in doc.sections)
