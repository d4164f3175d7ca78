"""Reading files into documents: Markdown, plain text and Word .docx.

A file becomes a `ParsedDocument`: its metadata (from front matter, a side file, else the first
heading or line) and its sections (sectioning.py cuts the blocks read here along the
document's structure). Word heading styles (Heading 1…, 标题 1…) and a short bold paragraph
are headings. Every failure is a `DocumentError` with a Chinese reason.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from pathlib import Path

from .sectioning import (
    RANK_SHORT,
    Block,
    DocumentError,
    Meta,
    ParsedDocument,
    build_document,
    clean,
    parse_authority,
    structural_line,
    structure_lines,
)

SUFFIXES = {
    ".md": "md",
    ".markdown": "md",
    ".txt": "txt",
    ".text": "txt",
    ".docx": "docx",
    ".pdf": "pdf",
    ".html": "html",
    ".htm": "html",
    ".aspx": "html",
}
"""File types import-docs reads (by extension, lower case)."""
SUPPORTED = ".md、.txt、.docx、.pdf、.html（.htm、.aspx）"
"""The supported types, as a refusal names them."""

SIDE_SUFFIX = ".meta"
"""`规定.docx.meta` or `规定.meta` next to `规定.docx`: metadata for a file without front matter."""

META_KEYS = {
    "标题": "title",
    "题目": "title",
    "名称": "title",
    "title": "title",
    "分类": "category",
    "类别": "category",
    "栏目": "category",
    "category": "category",
    "发文机关": "issuer",
    "发布机关": "issuer",
    "机关": "issuer",
    "issuer": "issuer",
    "日期": "issued",
    "发文日期": "issued",
    "发布日期": "issued",
    "成文日期": "issued",
    "date": "issued",
    "依据": "basis",
    "来源": "basis",
    "出处": "basis",
    "basis": "basis",
    "source": "basis",
    "链接": "link",
    "网址": "link",
    "link": "link",
    "url": "link",
    "性质": "authority",
    "文件性质": "authority",
    "authority": "authority",
}

TITLE_FROM_SIDE = "说明文件"
TITLE_FROM_FRONT = "文件头信息"
_RULE_NAME = re.compile(
    r"《([^《》]{4,60}?(?:章程|条例|细则|办法|规定|规则|准则|意见|通知|决定|纲要|方案|守则|制度))》"
)
"""A rule named in a news lead: 《中国共产党党员教育管理工作条例》."""
_TAIL_MARKS = ("延伸阅读", "相关阅读", "相关链接", "相关新闻", "推荐阅读", "相关文章")
"""A web page's text ends at such a line: what follows points to other pages."""

_MD_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$")


# ------------------------------------------------------------------ reading files ----------


def read_document(
    path: Path,
    *,
    default_category: str = "",
    max_bytes: int = 20 * 1024 * 1024,
    max_section_chars: int = 900,
) -> ParsedDocument:
    """Parse one file; raises DocumentError with the reason when it cannot be imported."""
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        if path.suffix.lower() == ".doc":
            raise DocumentError("是旧版 Word 文件（.doc），请在 Word 里另存为 .docx 后再导入")
        raise DocumentError(f"不支持的文件类型「{path.suffix or '无扩展名'}」，只支持 {SUPPORTED}")
    try:
        size = path.stat().st_size
    except OSError as e:
        raise DocumentError(f"读不到文件（{e.strerror or e}）") from None
    if size > max_bytes:
        raise DocumentError(
            f"文件太大（{size / 1024 / 1024:.1f} MB），上限 {max_bytes / 1024 / 1024:g} MB"
        )
    if size == 0:
        raise DocumentError("文件是空的")
    side = _side_meta(path)
    if kind == "docx":
        meta, own, blocks = _read_docx(path)
    elif kind == "pdf":
        from .formats import pdf_lines

        fallback, lines = pdf_lines(_read_bytes(path))
        meta, own, blocks = _read_lines(lines, fallback=fallback)
    elif kind == "html":
        from .formats import html_lines

        page_title, lines = html_lines(_read_bytes(path))
        meta, own, blocks = _read_lines(lines, fallback=(page_title, "网页标题"))
    else:
        text = decode_text(_read_bytes(path))
        meta, own, blocks = _read_markdown(text) if kind == "md" else _read_plain(text)
    if not own[0]:
        own = (path.stem, "文件名")
    meta = meta.merged(side)
    stated_from = "Word 文档属性" if kind == "docx" else TITLE_FROM_FRONT
    meta.title, meta.title_from = settle_title(meta.title, side.title, own, stated_from)
    return build_document(
        meta, blocks, kind, default_category=default_category, max_chars=max_section_chars
    )


def settle_title(
    stated: str, side: str, own: tuple[str, str], stated_from: str = TITLE_FROM_FRONT
) -> tuple[str, str]:
    """The title and where it came from.

    A side file is written for the import: it wins. A title in front matter (or Word's
    document properties) is used when it agrees with the document's own title line (one
    contains the other, as a short heading in a longer title) or the document has none;
    front matter a website generator wrote (`title: Hello`) loses to the document's own
    《…》 or first heading."""
    if side:
        return side, TITLE_FROM_SIDE
    own_title, own_from = own
    if stated and own_from != "文件名" and not _agree(stated, own_title):
        return own_title, f"{own_from}（文件头里的标题「{clean(stated)[:30]}」与正文不符，未用）"
    if stated:
        return stated, stated_from
    return own


def _agree(one: str, other: str) -> bool:
    a, b = (re.sub(r"[\s《》〈〉]", "", clean(x)) for x in (one, other))
    return bool(a and b) and (a in b or b in a)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as e:
        raise DocumentError(f"读不到文件（{e.strerror or e}）") from None


def decode_text(data: bytes) -> str:
    """Text of a .md / .txt file: UTF-8 (with or without BOM), else GB18030; binary refused."""
    if looks_binary(data):
        raise DocumentError("不是文本文件（含二进制内容），请确认文件格式与扩展名一致")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _mostly_readable(text):
            return text
    raise DocumentError("无法识别文件编码，请另存为 UTF-8 编码的文本")


def looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head or head.startswith((b"PK\x03\x04", b"%PDF", b"\xd0\xcf\x11\xe0")):
        return True
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 12, 13))
    return controls > len(head) // 50


def _mostly_readable(text: str) -> bool:
    sample = text[:4000]
    if not sample:
        return True
    odd = sum(1 for ch in sample if unicodedata.category(ch) in ("Co", "Cn", "Cs", "So"))
    return odd <= len(sample) // 20


def _side_meta(path: Path) -> Meta:
    for candidate in (
        path.with_name(path.name + SIDE_SUFFIX),
        path.with_name(path.stem + SIDE_SUFFIX),
    ):
        if candidate.is_file():
            try:
                text = decode_text(candidate.read_bytes())
            except DocumentError as e:
                raise DocumentError(f"说明文件 {candidate.name} {e.reason}") from None
            except OSError as e:
                raise DocumentError(f"读不到说明文件 {candidate.name}（{e.strerror}）") from None
            return parse_meta(text.strip().strip("-").splitlines())
    return Meta()


def parse_meta(lines: list[str]) -> Meta:
    """`键: 值` lines (also with a full-width colon); unknown keys are ignored. A standing
    (性质) that is none of 原文, 解读, 本支部 is refused: a guess would rank the file wrongly."""
    values: dict[str, str] = {}
    for line in lines:
        match = re.match(r"^\s*([^:：]{1,12}?)\s*[:：]\s*(.*?)\s*$", line)
        if not match:
            continue
        key = META_KEYS.get(match.group(1).strip().lower())
        value = match.group(2).strip().strip("\"'")
        if not key or not value or _is_placeholder(value):
            continue
        if key == "authority":
            value = parse_authority(value)
            if not value:
                raise DocumentError(
                    f"「{clean(match.group(1))}」写的是「{clean(match.group(2))[:20]}」，"
                    "请写 原文、解读 或 本支部"
                )
        values[key] = value
    return Meta(**values)


def _is_placeholder(value: str) -> bool:
    """A template's hint left in place (链接: （可选，…）) or 无 is no value."""
    return value in ("无", "（无）", "(无)", "-", "—") or bool(re.match(r"^[（(]可选", value))


# ------------------------------------------------------------------ formats ----------------


def _read_markdown(text: str) -> tuple[Meta, tuple[str, str], list[Block]]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    meta = Meta()
    lines = text.split("\n")
    if lines and lines[0].strip() == "---":
        for end in range(1, min(len(lines), 200)):
            if lines[end].strip() in ("---", "..."):
                meta = parse_meta(lines[1:end])
                lines = lines[end + 1 :]
                break
    raw: list[tuple[int, str]] = []  # (heading level or 0, text)
    paragraph: list[str] = []
    in_code = False

    def flush() -> None:
        if paragraph:
            raw.append((0, "\n".join(paragraph)))
            paragraph.clear()

    for line in lines:
        stripped = line.strip()
        if stripped.startswith("```"):
            in_code = not in_code
            continue
        heading = None if in_code else _MD_HEADING.match(stripped)
        if heading:
            flush()
            raw.append((len(heading.group(1)), _inline_md(heading.group(2))))
        elif not stripped:
            flush()
        elif re.fullmatch(r"\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?", stripped):
            continue  # table separator row
        elif re.fullmatch(r"[-*_]{3,}", stripped):
            flush()
        else:
            paragraph.append(_md_line(stripped))
    flush()
    own = ("", "")
    if raw and raw[0][0]:
        # The document opens with a heading: its title line. A `# ` heading, or any heading
        # no other heading shares the level of, is the title and not a section.
        level, first = raw[0]
        own = (first, "正文第一个标题")
        if level == 1 or sum(1 for lvl, _ in raw if lvl == level) == 1:
            raw = raw[1:]
    else:
        tops = [text for level, text in raw if level == 1]
        if len(tops) == 1:
            own = (tops[0], "正文第一个标题")
            raw = [(level, text) for level, text in raw if not (level == 1 and text == tops[0])]
    blocks: list[Block] = []
    pending: list[str] = []

    def flush_text() -> None:
        # Paragraphs between two headings are structured together, so that an article keeps
        # all its paragraphs (款) and a list its items.
        if pending:
            blocks.extend(structure_lines(pending, markdown=True))
            pending.clear()

    for level, block_text in raw:
        if level:
            flush_text()
            blocks.append(Block(block_text, rank=level))
        else:
            pending.extend([*block_text.split("\n"), ""])
    flush_text()
    if not own[0]:
        first = _first_line(blocks)
        own = (first, "正文第一行") if _title_like(first) else ("", "")
    return meta, own, blocks


def _md_line(line: str) -> str:
    line = re.sub(r"^>\s?", "", line)
    line = re.sub(r"^[-*+]\s+", "· ", line)
    return _inline_md(line)


def _inline_md(text: str) -> str:
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?!\w)", r"\1", text)
    text = re.sub(r"`([^`]+)`", r"\1", text)
    return text.strip()


def _read_plain(text: str) -> tuple[Meta, tuple[str, str], list[Block]]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    meta = Meta()
    if lines and lines[0].strip() == "---":
        for end in range(1, min(len(lines), 200)):
            if lines[end].strip() == "---":
                meta = parse_meta(lines[1:end])
                lines = lines[end + 1 :]
                break
    front, own, blocks = _read_lines(lines, fallback=("", ""))
    return meta.merged(front), own, blocks


def _read_lines(
    lines: list[str], *, fallback: tuple[str, str]
) -> tuple[Meta, tuple[str, str], list[Block]]:
    """Text lines (a .txt, a web page's body, a PDF's text) into the document's own title
    and blocks. The title: the first line when it reads as one, else a rule the lead names
    in 《》 (a news item: 「近日，中共中央印发了《…条例》…」), else `fallback`. The text ends at a
    「延伸阅读」 line."""
    lines = [line.strip() for line in lines]
    for index, line in enumerate(lines):
        if index and line in _TAIL_MARKS:
            lines = lines[:index]
            break
    own = fallback
    head = _head_lines(lines)
    if head and _title_like(lines[head[0]]):
        own = (lines[head[0]], "正文标题行")
        lines = lines[head[0] + 1 :]
    else:
        for index in head:
            if found := _RULE_NAME.search(lines[index]):
                own = (found.group(1), "正文里的《》")
                break
    return Meta(), own, structure_lines(lines, markdown=False)


def _head_lines(lines: list[str]) -> list[int]:
    """Indexes of the non-empty lines before the first chapter or article (at most 12)."""
    head: list[int] = []
    for index, line in enumerate(lines):
        if not line:
            continue
        if structural_line(line) or len(head) >= 12:
            break
        head.append(index)
    return head


def _title_like(line: str) -> bool:
    """A line that reads as a title: short, no sentence inside it, not a date or a note."""
    line = clean(line)
    if not line or len(line) > 60 or re.search(r"[，。；！？,;!?]", line):
        return False
    if line.startswith(("（", "(", "【", "[")) or line.endswith(("：", ":")):
        return False
    return not re.fullmatch(r"[\d\s年月日.\-/:：]+", line)


def _read_docx(path: Path) -> tuple[Meta, tuple[str, str], list[Block]]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, PackageNotFoundError) as e:
        raise DocumentError(
            "不是有效的 Word 文档（.docx）：文件已损坏，或其实是别的格式。请用 Word 打开后另存为 .docx"
        ) from e
    except Exception as e:  # python-docx / lxml raise many kinds on damaged packages
        raise DocumentError(f"Word 文档读不出来（{type(e).__name__}），文件可能已损坏") from e
    meta = Meta(title=(document.core_properties.title or "").strip())
    own = ("", "")
    blocks: list[Block] = []
    pending: list[str] = []
    title_taken = bool(meta.title)

    def flush_plain() -> None:
        if pending:
            blocks.extend(structure_lines(pending, markdown=False))
            pending.clear()

    try:
        body = document.element.body
        for child in body.iterchildren():
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "tbl":
                table = Table(child, document)
                for row in table.rows:
                    cells = list(dict.fromkeys(c.text.strip() for c in row.cells if c.text.strip()))
                    if cells:
                        pending.append(" | ".join(cells))
                continue
            if tag != "p":
                continue
            paragraph = Paragraph(child, document)
            text = " ".join(paragraph.text.split())
            if not text:
                pending.append("")
                continue
            style = (paragraph.style.name if paragraph.style is not None else "") or ""
            level = _docx_heading_level(style)
            if style.lower() == "title" or style == "标题":
                if not own[0]:
                    own = (text, "Word 标题样式")
                    continue
                level = 1
            if level is None and len(text) <= 30 and _all_bold(paragraph):
                level = RANK_SHORT
            if level is not None:
                if not title_taken and not own[0] and not blocks and not any(pending):
                    own, title_taken = (text, "正文第一个标题"), True
                    continue
                flush_plain()
                blocks.append(Block(text, rank=level))
            else:
                if not title_taken and not own[0] and not blocks and not any(pending):
                    own, title_taken = (text, "正文第一段"), True
                    continue
                pending.append(text)
    except DocumentError:
        raise
    except Exception as e:
        raise DocumentError(f"Word 文档读不出来（{type(e).__name__}），文件可能已损坏") from e
    flush_plain()
    return meta, own, blocks


def _docx_heading_level(style: str) -> int | None:
    match = re.match(r"^(?:heading|标题)\s*(\d)$", style.strip(), re.IGNORECASE)
    return int(match.group(1)) if match else None


def _all_bold(paragraph: object) -> bool:
    runs = [run for run in getattr(paragraph, "runs", []) if run.text.strip()]
    return bool(runs) and all(run.bold for run in runs)


def _first_line(blocks: list[Block]) -> str:
    for block in blocks:
        for line in block.text.split("\n"):
            if line.strip():
                return line.strip()
    return ""
