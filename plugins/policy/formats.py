"""PDF and web pages into text lines, for readers.py to cut like a .txt.

- PDF (pypdf): the text layer of each page; lines that repeat at the top or bottom of most
  pages (running headers and footers) and page numbers (`- 3 -`, `第3页`, `3/12`) are
  removed, and a paragraph that runs on over a page break is joined again. A PDF without a
  text layer (scanned pages) is refused with that reason.
- Web pages (.html, .htm, .aspx; readability-lxml): the article body, not the site's menus,
  footers and scripts; block elements and line breaks become lines, and paragraphs set off by
  ideographic spaces (「　　第一条…」, as Chinese sites write them) become lines too.
"""

from __future__ import annotations

import io
import re
from collections import Counter

from .sectioning import DocumentError

_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－\s]*\d{1,4}[-—–－\s]*|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}|(?:page|p\.)\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$",
    re.IGNORECASE,
)
_PARAGRAPH_END = "。！？；：”」）)…!?;:"
MIN_TEXT_CHARS = 20
"""A PDF with less text than this (per page, on average) has no usable text layer."""
EDGE_LINES = 2
"""How many lines at the top and at the bottom of a page may be a running header or footer."""


# ------------------------------------------------------------------ PDF ----------------------


_RULE_TITLE = re.compile(
    r"(?:章程|条例|细则|办法|规定|规则|准则|意见|通知|决定|纲要|方案|守则|制度)$"
)


def pdf_lines(data: bytes) -> tuple[tuple[str, str], list[str]]:
    """A title to fall back on and the text of a PDF as lines, without running headers,
    footers and page numbers.

    The fallback title (used when the text has no title line of its own): a running header
    that names a rule (a PDF of 《…细则》 often repeats the name at the top of every page, the
    first included), else the PDF's own title property."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                reader.decrypt("")
            except Exception as e:
                raise DocumentError("PDF 加了密码，请先去掉密码再导入") from e
        pages = [page.extract_text() or "" for page in reader.pages]
        properties = reader.metadata
        stated = str(properties.title or "") if properties is not None else ""
    except DocumentError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as e:
        raise DocumentError("不是有效的 PDF 文件：文件已损坏，或其实是别的格式") from e
    except Exception as e:  # pypdf raises many kinds on damaged files
        raise DocumentError(f"PDF 读不出来（{type(e).__name__}），文件可能已损坏") from e
    if not pages:
        raise DocumentError("PDF 里没有页面")
    text_chars = sum(len(re.sub(r"\s", "", page)) for page in pages)
    if text_chars < MIN_TEXT_CHARS * len(pages):
        raise DocumentError(
            "PDF 里没有可提取的文字（可能是扫描件或图片）。请找文字版 PDF、Word 或网页原文，"
            "或先用文字识别（OCR）转成文字再导入"
        )
    page_lines = [[line.strip() for line in page.splitlines() if line.strip()] for page in pages]
    repeated = _running_lines(page_lines)
    fallback = ("", "")
    for line in page_lines[0][:EDGE_LINES] if len(pages) >= 3 else []:
        if _shape(line) in repeated and _RULE_TITLE.search(line) and len(line) <= 60:
            fallback = (line, "PDF 页眉")
            break
    if not fallback[0] and stated.strip() and not stated.lower().startswith("microsoft"):
        fallback = (stated.strip(), "PDF 文档属性")
    out: list[str] = []
    for lines in page_lines:
        body = [
            line
            for index, line in enumerate(lines)
            if not _PAGE_NUMBER.match(line)
            and not (_at_edge(index, len(lines)) and _shape(line) in repeated)
        ]
        _join_page(out, body)
    return fallback, out


def _shape(line: str) -> str:
    """A line with its digits blanked: 「党章学习 第3页」 and 「党章学习 第4页」 are one header."""
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", line))


def _at_edge(index: int, count: int) -> bool:
    return index < EDGE_LINES or index >= count - EDGE_LINES


def _running_lines(pages: list[list[str]]) -> set[str]:
    """Shapes of lines found at a page's top or bottom on at least half the pages (3 or more)."""
    if len(pages) < 3:
        return set()
    seen: Counter[str] = Counter()
    for lines in pages:
        edges = {_shape(line) for i, line in enumerate(lines) if _at_edge(i, len(lines))}
        seen.update(edges)
    return {shape for shape, count in seen.items() if count >= max(3, len(pages) // 2)}


def _join_page(out: list[str], lines: list[str]) -> None:
    """Append a page's lines; a page that begins in the middle of a paragraph (the previous
    page's last line does not end a sentence, this one does not start an article or item)
    continues that paragraph. Lines within a page are joined the same way, as PDF text
    breaks lines where the page's margin was."""
    for line in lines:
        if out and _continues(out[-1], line):
            out[-1] += line
        else:
            out.append(line)


def _continues(previous: str, line: str) -> bool:
    """`line` goes on with `previous`: that one ends no sentence and is no heading line (第一章
    总则, a short numbered heading), and `line` opens nothing of its own."""
    from .sectioning import heading_line, starts_block

    if not previous or previous.endswith(tuple(_PARAGRAPH_END)) or starts_block(line):
        return False
    return not heading_line(previous)


# ------------------------------------------------------------------ web pages ----------------

_BLOCK_TAGS = {
    "p",
    "div",
    "br",
    "li",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "blockquote",
    "table",
    "ul",
    "ol",
    "dd",
    "dt",
}


def html_lines(data: bytes) -> tuple[str, list[str]]:
    """(the page's title, its article body as lines)."""
    from lxml import html as lxml_html
    from readability import Document

    if not re.search(rb"<(?:html|body|p|div|head)[\s>]", data[:65536], re.IGNORECASE):
        raise DocumentError("不是网页文件（没有找到 HTML 标记），请确认文件格式与扩展名一致")
    try:
        page = Document(data)
        title = _page_title(page.short_title() or "")
        body = page.summary(html_partial=True)
        root = lxml_html.fromstring(body)
    except Exception as e:  # lxml's ParserError, readability's Unparseable and others
        raise DocumentError(f"网页读不出来（{type(e).__name__}），文件可能已损坏") from e
    parts: list[str] = []
    _text_of(root, parts)
    text = "".join(parts).replace("\xa0", " ")
    lines: list[str] = []
    for line in text.split("\n"):
        # 「……制定本条例。　　第二条　……」: Chinese sites set paragraphs off by two
        # ideographic spaces rather than by elements.
        lines.extend(piece.strip() for piece in re.split(r"\u3000{2,}", line))
    lines = [line for line in lines if line]
    if not lines:
        raise DocumentError("网页里没有找到正文")
    return title, lines


def _text_of(node: object, parts: list[str]) -> None:
    """The text of an element in document order, a line break around each block element."""
    tag = getattr(node, "tag", "")
    tag = tag.lower() if isinstance(tag, str) else ""
    if tag in ("script", "style", "noscript"):
        return
    block = tag in _BLOCK_TAGS
    if block:
        parts.append("\n")
    if text := getattr(node, "text", None):
        parts.append(text)
    for child in node:  # type: ignore[attr-defined]
        _text_of(child, parts)
        if tail := getattr(child, "tail", None):
            parts.append(tail)
    if block:
        parts.append("\n")


def _page_title(title: str) -> str:
    """A page title without the site's name: 「…细则--学习专栏-某中学」 -> 「…细则」."""
    return re.split(r"\s*(?:--|——|_|\||｜| - )\s*", title.strip(), maxsplit=1)[0]
