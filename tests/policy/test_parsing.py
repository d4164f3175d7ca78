"""Files into sections: metadata, structure, long sections, and files that cannot be read."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests.policy.conftest import DOCS, write

MD = """---
标题: 测试规定：党费怎么交
分类: 党费
发文机关: 中共中央组织部
日期: 2008年2月28日
依据: 《关于中国共产党党费收缴、使用和管理的规定》
链接: （可选，只填确定无误的官方网址）
---

# 测试规定

这是导语，概括全文。

## 一、交纳比例

按月交纳，**税后**收入的 0.5%。

### （一）边界

正好3000元按0.5%。

## 二、补交

漏交的要补交：

- 当月补齐
- 说明原因
"""


def _read(path: Path, **kwargs):  # type: ignore[no-untyped-def]
    from plugins.policy.readers import read_document

    return read_document(path, **kwargs)


def test_markdown_front_matter_headings_and_lead(tmp_path: Path) -> None:
    doc = _read(write(tmp_path / "a.md", MD))
    assert (doc.title, doc.category, doc.issuer, doc.issued, doc.link) == (
        "测试规定：党费怎么交",
        "党费",
        "中共中央组织部",
        "2008-02-28",
        None,  # a placeholder is not a link
    )
    assert [(s.heading, s.path) for s in doc.sections] == [
        ("导语", "导语"),
        ("一、交纳比例", "一、交纳比例"),
        ("（一）边界", "一、交纳比例 › （一）边界"),
        ("二、补交", "二、补交"),
    ]
    assert doc.sections[1].text == "按月交纳，税后收入的 0.5%。"
    assert doc.sections[3].text == "漏交的要补交：\n· 当月补齐\n· 说明原因"


def test_markdown_without_front_matter_takes_the_first_heading(tmp_path: Path) -> None:
    doc = _read(
        write(tmp_path / "b.md", "# 党课怎么上\n\n## 谁来讲\n\n书记讲。\n"),
        default_category="组织生活",
    )
    assert (doc.title, doc.category, doc.issuer, doc.issued) == (
        "党课怎么上",
        "组织生活",
        None,
        None,
    )
    assert [s.heading for s in doc.sections] == ["谁来讲"]


RULES = """中国共产党测试工作条例

第一章 总则

第一条 为了规范党支部工作，制定本条例。

第二条 党支部是党的基础组织。
党支部担负直接教育党员的职责。

第二章 组织设置

第三条 正式党员3人以上的，应当成立党支部。
（一）企业；
（二）农村。

第四条 党支部委员会每届任期3年。
"""


def test_plain_text_rules_split_by_article(tmp_path: Path) -> None:
    doc = _read(write(tmp_path / "rules.txt", RULES))
    assert doc.title == "中国共产党测试工作条例"
    assert doc.kind == "txt"
    assert [(s.heading, s.path) for s in doc.sections] == [
        ("第一条", "第一章 总则 › 第一条"),
        ("第二条", "第一章 总则 › 第二条"),
        ("第三条", "第二章 组织设置 › 第三条"),
        ("第四条", "第二章 组织设置 › 第四条"),
    ]
    assert doc.sections[1].text == "第二条 党支部是党的基础组织。\n党支部担负直接教育党员的职责。"
    assert doc.sections[2].text.endswith("（一）企业；\n（二）农村。")


NOTICE = """关于加强党员教育的通知

各党支部：

为做好党员教育工作，现通知如下。

一、总体要求

坚持学用结合，注重实效。

二、主要任务

（一）抓好理论学习。每月至少集中学习一次。

（二）开展主题党日。每月固定一天。

三、工作保障。各支部要明确责任人，确保落实。
"""


def test_plain_text_numbered_headings(tmp_path: Path) -> None:
    doc = _read(write(tmp_path / "notice.txt", NOTICE))
    assert doc.title == "关于加强党员教育的通知"
    assert [s.path for s in doc.sections] == [
        "导语",
        "一、总体要求",
        "二、主要任务 › （一）抓好理论学习",
        "二、主要任务 › （二）开展主题党日",
        "三、工作保障",
    ]
    assert doc.sections[-1].text == "三、工作保障。各支部要明确责任人，确保落实。"


def test_a_list_of_short_numbered_lines_stays_text(tmp_path: Path) -> None:
    text = "党纪处分\n\n处分有五种：\n一、警告\n二、严重警告\n三、撤销党内职务\n四、留党察看\n五、开除党籍\n"
    doc = _read(write(tmp_path / "list.txt", text))
    assert len(doc.sections) == 1
    assert doc.sections[0].heading == "正文"
    assert "五、开除党籍" in doc.sections[0].text


def test_long_sections_are_split_at_items_then_sentences(tmp_path: Path) -> None:
    items = "\n".join(f"{n}. 第{n}项要求，" + "内容" * 60 + "。" for n in range(1, 9))
    doc = _read(
        write(tmp_path / "long.md", f"# 长文\n\n## 要求\n\n{items}\n"), max_section_chars=300
    )
    parts = doc.sections
    assert [s.part for s in parts] == list(range(1, len(parts) + 1))
    assert len(parts) >= 4
    assert all(len(s.text) <= 300 for s in parts)
    assert all(s.text.split("\n")[0][0].isdigit() for s in parts)  # cut between items
    assert "".join(s.text.replace("\n", "") for s in parts) == items.replace("\n", "")
    one_paragraph = "这是一句很长的话。" * 100
    doc = _read(write(tmp_path / "para.md", f"# 长段\n\n{one_paragraph}\n"), max_section_chars=200)
    assert all(len(s.text) <= 200 and s.text.endswith("。") for s in doc.sections)


def test_a_short_tail_joins_the_only_piece_before_it(tmp_path: Path) -> None:
    """880 + 60 characters at a limit of 900: two pieces, the second short —
    it is read with the first (this used to fail the whole import with an IndexError)."""
    body = "甲" * 880 + "\n" + "乙" * 60
    doc = _read(write(tmp_path / "tail.md", f"# 短尾\n\n{body}\n"), max_section_chars=900)
    assert [s.text for s in doc.sections] == [body]


def _docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.core_properties.title = ""
    document.add_paragraph("党员教育管理测试办法", style="Title")
    document.add_paragraph("第一章 总则")
    document.add_paragraph("第一条 为加强党员教育管理，制定本办法。")
    document.add_heading("学习安排", level=1)
    document.add_paragraph("每月集中学习一次。")
    bold = document.add_paragraph()
    bold.add_run("学时要求").bold = True
    document.add_paragraph("党员每年学习培训不少于32学时。")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "对象"
    table.cell(0, 1).text = "学时"
    table.cell(1, 0).text = "书记"
    table.cell(1, 1).text = "56学时"
    document.save(str(path))
    return path


def test_word_document(tmp_path: Path) -> None:
    doc = _read(_docx(tmp_path / "办法.docx"), default_category="教育培训")
    assert (doc.title, doc.kind, doc.category) == ("党员教育管理测试办法", "docx", "教育培训")
    assert [s.path for s in doc.sections] == [
        "第一章 总则 › 第一条",
        "学习安排",
        "学习安排 › 学时要求",
    ]
    assert doc.sections[2].text == "党员每年学习培训不少于32学时。\n对象 | 学时\n书记 | 56学时"


def test_side_file_gives_metadata(tmp_path: Path) -> None:
    _docx(tmp_path / "办法.docx")
    write(
        tmp_path / "办法.docx.meta",
        "标题：党员教育管理办法\n分类: 教育培训\n发文机关: 中共中央\n日期: 2019-05-06\n",
    )
    doc = _read(tmp_path / "办法.docx")
    assert (doc.title, doc.category, doc.issuer, doc.issued) == (
        "党员教育管理办法",
        "教育培训",
        "中共中央",
        "2019-05-06",
    )


def test_gbk_text_is_read(tmp_path: Path) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes("党费通知\n\n每月交纳党费。\n".encode("gbk"))
    doc = _read(path)
    assert doc.title == "党费通知"
    assert doc.sections[0].text == "每月交纳党费。"


def test_content_hash_ignores_nothing_that_is_stored(tmp_path: Path) -> None:
    first = _read(write(tmp_path / "a.md", MD))
    again = _read(write(tmp_path / "b.md", MD))
    changed = _read(write(tmp_path / "c.md", MD.replace("漏交的要补交", "漏交的必须补交")))
    assert first.content_hash == again.content_hash != changed.content_hash


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("bad.docx", b"this is not a zip file at all" * 10, "不是有效的 Word 文档（.docx）"),
        ("nodocx.docx", None, "不是有效的 Word 文档（.docx）"),
        ("image.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "不是文本文件"),
        ("zip.md", None, "不是文本文件"),
        ("empty.md", b"", "文件是空的"),
        ("title-only.md", "# 只有标题\n".encode(), "没有可检索的正文"),
        ("broken.pdf", b"%PDF-1.4", "不是有效的 PDF 文件"),
        ("fake.pdf", b"hello, not a pdf" * 20, "不是有效的 PDF 文件"),
        ("fake.html", b"\x00\x01binary" * 20, "不是网页文件"),
        ("slides.pptx", b"PK\x03\x04", "不支持的文件类型「.pptx」"),
        ("old.doc", b"\xd0\xcf\x11\xe0", "是旧版 Word 文件（.doc）"),
    ],
)
def test_files_that_cannot_be_imported(
    tmp_path: Path, name: str, content: bytes | None, reason: str
) -> None:
    from plugins.policy.sectioning import DocumentError

    path = tmp_path / name
    if content is None:  # a real zip archive, but no Word document inside
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("hello.txt", "hello")
    else:
        path.write_bytes(content)
    with pytest.raises(DocumentError) as caught:
        _read(path)
    assert caught.value.reason.startswith(reason), caught.value.reason


def test_too_large_file(tmp_path: Path) -> None:
    from plugins.policy.sectioning import DocumentError

    path = write(tmp_path / "big.txt", "标题\n\n" + "字" * 5000)
    with pytest.raises(DocumentError, match="文件太大"):
        _read(path, max_bytes=1000)


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("2008-02-28", "2008-02-28"),
        ("2008/2/8", "2008-02-08"),
        ("2008.2.28", "2008-02-28"),
        ("2008年2月28日", "2008-02-28"),
        ("2008年2月", "2008-02"),
        ("2008年", "2008"),
        ("二〇〇八年", "二〇〇八年"),
    ],
)
def test_dates(given: str, stored: str) -> None:
    from plugins.policy.sectioning import normalise_date

    assert normalise_date(given) == stored


def test_every_starter_document_reads_with_its_sections() -> None:
    """The starter library: front matter complete, every `## ` heading a section."""
    from plugins.policy.readers import read_document

    files = sorted(p for p in DOCS.rglob("*.md") if p.name != "README.md")
    assert len(files) >= 30
    for path in files:
        doc = read_document(path)
        text = path.read_text(encoding="utf-8")
        headings = [line[3:].strip() for line in text.splitlines() if line.startswith("## ")]
        assert all((doc.issuer, doc.issued, doc.basis)), path
        assert doc.category == path.parent.name, path
        assert [s.heading for s in doc.sections if s.heading != "导语"] == headings, path
