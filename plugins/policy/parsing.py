"""Reading documents into sections: Markdown, plain text and Word .docx.

A file becomes a `ParsedDocument`: its metadata (from front matter, a side file, else the first
heading or line) and its sections, cut along the document's own structure so that a search hit
points at the passage that answers a question:

- Markdown headings (`#`…`######`); a single `# ` at the top is the title, not a section;
- the structure of Chinese rules and notices in plain text and Word: 第X编 / 第X章 / 第X节,
  一、 / （一） / 1. headings, and 第X条, each article a section of its own;
- Word heading styles (Heading 1…, 标题 1…), a short bold paragraph, a short line that stands
  alone before a paragraph;
- text before the first heading is the section 导语.

A section longer than the limit is cut into pieces at numbered items and paragraphs, and only
inside a paragraph at sentence ends. Every failure is a `DocumentError` with a Chinese reason.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from bot.deps import clean_text
from bot.messages import pack

SUFFIXES = {".md": "md", ".markdown": "md", ".txt": "txt", ".text": "txt", ".docx": "docx"}
"""File types import-docs reads (by extension, lower case)."""

SIDE_SUFFIX = ".meta"
"""`规定.docx.meta` or `规定.meta` next to `规定.docx`: metadata for a file without front matter."""

LEAD = "导语"
"""Heading of the text before a document's first heading."""
WHOLE = "正文"
"""Heading of a document that has no headings at all."""

PATH_SEP = " › "

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
}

_CN_NUM = "〇零一二三四五六七八九十百千两"
_PART = re.compile(rf"^第[{_CN_NUM}\d]+编(?:\s+|$)")
_CHAPTER = re.compile(rf"^第[{_CN_NUM}\d]+章(?:\s+|$)")
_SUBSECTION = re.compile(rf"^第[{_CN_NUM}\d]+节(?:\s+|$)")
_ARTICLE = re.compile(rf"^(第[{_CN_NUM}\d]+条)(?:\s*|$)")
_ITEM_CN = re.compile(r"^[一二三四五六七八九十]{1,3}[、.．]")
_ITEM_PAREN = re.compile(r"^[（(][一二三四五六七八九十]{1,3}[）)]")
_ITEM_ARABIC = re.compile(r"^\d{1,2}[.．、](?!\d)")
_MD_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$")
_SENTENCE_END = "。！？!?；;…"
_TRAILING_PUNCT = "。，、；：！？,.;:!?…）)》」”"

# Ranks of structural headings in plain text and Word (Markdown uses its heading levels).
_RANK_PART, _RANK_CHAPTER, _RANK_SUBSECTION = 1, 2, 3
_RANK_CN, _RANK_PAREN, _RANK_ARABIC, _RANK_SHORT = 4, 5, 6, 7


class DocumentError(Exception):
    """A file that cannot be imported; `reason` says why, in Chinese."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class Meta:
    title: str = ""
    category: str = ""
    issuer: str = ""
    issued: str = ""
    basis: str = ""
    link: str = ""

    def merged(self, other: Meta) -> Meta:
        """`other`'s non-empty fields over this one's."""
        return Meta(**{k: getattr(other, k) or getattr(self, k) for k in vars(self)})


@dataclass(frozen=True)
class ParsedSection:
    heading: str
    path: str
    part: int
    text: str

    @property
    def text_hash(self) -> str:
        return hashlib.sha1(f"{self.path}\x1f{self.part}\x1f{self.text}".encode()).hexdigest()


UNSORTED = "其他"
"""Category of a document that names none (when it is new; an update keeps the old one)."""


@dataclass
class ParsedDocument:
    title: str
    category: str
    """'' when neither the file, a side file, --category nor a sub-folder names one."""
    issuer: str | None
    issued: str | None
    basis: str | None
    link: str | None
    kind: str
    sections: list[ParsedSection] = field(default_factory=list)

    @property
    def content_hash(self) -> str:
        digest = hashlib.sha256()
        for value in (self.title, self.category, self.issuer, self.issued, self.basis, self.link):
            digest.update(f"{value or ''}\x1e".encode())
        digest.update(self.kind.encode())
        for section in self.sections:
            digest.update(f"\x1d{section.text_hash}".encode())
        return digest.hexdigest()


@dataclass
class _Block:
    text: str
    rank: int = 0
    """0: a paragraph; else a heading of this rank (lower is higher up)."""
    starts_article: str = ""
    """第X条 when the paragraph is an article: it starts a section of its own."""


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
        raise DocumentError(
            f"不支持的文件类型「{path.suffix or '无扩展名'}」，只支持 .md、.txt、.docx"
        )
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
        meta, blocks = _read_docx(path)
    else:
        text = decode_text(_read_bytes(path))
        meta, blocks = _read_markdown(text) if kind == "md" else _read_plain(text)
    meta = meta.merged(side)
    return build_document(
        meta, blocks, kind, default_category=default_category, max_chars=max_section_chars
    )


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
    """`键: 值` lines (also with a full-width colon); unknown keys are ignored."""
    values: dict[str, str] = {}
    for line in lines:
        match = re.match(r"^\s*([^:：]{1,12}?)\s*[:：]\s*(.*?)\s*$", line)
        if not match:
            continue
        key = META_KEYS.get(match.group(1).strip().lower())
        value = match.group(2).strip().strip("\"'")
        if key and value and not _is_placeholder(value):
            values[key] = value
    return Meta(**values)


def _is_placeholder(value: str) -> bool:
    """A template's hint left in place (链接: （可选，…）) or 无 is no value."""
    return value in ("无", "（无）", "(无)", "-", "—") or bool(re.match(r"^[（(]可选", value))


# ------------------------------------------------------------------ formats ----------------


def _read_markdown(text: str) -> tuple[Meta, list[_Block]]:
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
    tops = [text for level, text in raw if level == 1]
    if len(tops) == 1 and raw and next(level for level, _ in raw if level) == 1:
        title = tops[0]
        meta = Meta(title=title).merged(meta)
        raw = [(level, text) for level, text in raw if not (level == 1 and text == title)]
    blocks: list[_Block] = []
    for level, block_text in raw:
        if level:
            blocks.append(_Block(block_text, rank=level))
        else:
            blocks.extend(_structure_lines(block_text.split("\n"), markdown=True))
    if not meta.title:
        meta.title = _first_line(blocks)
    return meta, blocks


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


def _read_plain(text: str) -> tuple[Meta, list[_Block]]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    meta = Meta()
    if lines and lines[0].strip() == "---":
        for end in range(1, min(len(lines), 200)):
            if lines[end].strip() == "---":
                meta = parse_meta(lines[1:end])
                lines = lines[end + 1 :]
                break
    lines = [line.strip() for line in lines]
    if not meta.title:
        for index, line in enumerate(lines):
            if line:
                meta.title = line
                lines = lines[index + 1 :]
                break
    return meta, _structure_lines(lines, markdown=False)


def _read_docx(path: Path) -> tuple[Meta, list[_Block]]:
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
    blocks: list[_Block] = []
    pending: list[str] = []
    title_taken = bool(meta.title)

    def flush_plain() -> None:
        if pending:
            blocks.extend(_structure_lines(pending, markdown=False))
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
                if not title_taken:
                    meta.title, title_taken = text, True
                    continue
                level = 1
            if level is None and len(text) <= 30 and _all_bold(paragraph):
                level = _RANK_SHORT
            if level is not None:
                if not title_taken and not blocks and not any(pending):
                    meta.title, title_taken = text, True
                    continue
                flush_plain()
                blocks.append(_Block(text, rank=level))
            else:
                if not title_taken and not blocks and not any(pending):
                    meta.title, title_taken = text, True
                    continue
                pending.append(text)
    except DocumentError:
        raise
    except Exception as e:
        raise DocumentError(f"Word 文档读不出来（{type(e).__name__}），文件可能已损坏") from e
    flush_plain()
    return meta, blocks


def _docx_heading_level(style: str) -> int | None:
    match = re.match(r"^(?:heading|标题)\s*(\d)$", style.strip(), re.IGNORECASE)
    return int(match.group(1)) if match else None


def _all_bold(paragraph: object) -> bool:
    runs = [run for run in getattr(paragraph, "runs", []) if run.text.strip()]
    return bool(runs) and all(run.bold for run in runs)


def _first_line(blocks: list[_Block]) -> str:
    for block in blocks:
        for line in block.text.split("\n"):
            if line.strip():
                return line.strip()
    return ""


# ------------------------------------------------------------------ structure --------------


def _structure_lines(lines: list[str], *, markdown: bool) -> list[_Block]:
    """Blocks of lines: structural headings and articles found by their numbering."""
    blocks: list[_Block] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(_Block("\n".join(paragraph)))
            paragraph.clear()

    following_at = _following_lines(lines)
    for index, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            flush()
            continue
        previous = lines[index - 1].strip() if index else ""
        if (article := _ARTICLE.match(line)) is not None:
            flush()
            blocks.append(_Block(line, starts_article=article.group(1)))
            continue
        rank = _structural_rank(line)
        following = following_at[index]
        if rank in (_RANK_PART, _RANK_CHAPTER, _RANK_SUBSECTION):
            flush()
            blocks.append(_Block(line, rank=rank + 6 if markdown else rank))
            continue
        if rank in (_RANK_CN, _RANK_PAREN) and not markdown:
            # A run of short numbered lines is a list, not a row of headings.
            in_list = rank in (_structural_rank(following), _structural_rank(previous))
            if not in_list or not _heading_like(line):
                if _heading_like(line):
                    flush()
                    blocks.append(_Block(line, rank=rank))
                    continue
                head = _lead_clause(line)
                if head:  # 一、坚持党的领导。各级党组织… : heading and text in one paragraph
                    flush()
                    blocks.append(_Block(head, rank=rank))
                    paragraph.append(line)
                    continue
        elif not rank and not markdown and _short_heading(line, lines, index, following):
            flush()
            blocks.append(_Block(line, rank=_RANK_SHORT))
            continue
        paragraph.append(line)
    flush()
    return _join_articles(blocks)


def _following_lines(lines: list[str]) -> list[str]:
    """For each line, the next non-empty line after it ('' at the end)."""
    out = [""] * len(lines)
    following = ""
    for index in range(len(lines) - 1, -1, -1):
        out[index] = following
        if lines[index].strip():
            following = lines[index].strip()
    return out


def _join_articles(blocks: list[_Block]) -> list[_Block]:
    """An article's own paragraphs (款, 项) follow it until the next structural line."""
    joined: list[_Block] = []
    for block in blocks:
        if block.rank == 0 and not block.starts_article and joined:
            last = joined[-1]
            if last.starts_article:
                last.text = f"{last.text}\n{block.text}"
                continue
        joined.append(block)
    return joined


def _structural_rank(line: str) -> int:
    if _PART.match(line):
        return _RANK_PART
    if _CHAPTER.match(line):
        return _RANK_CHAPTER
    if _SUBSECTION.match(line):
        return _RANK_SUBSECTION
    if _ITEM_CN.match(line):
        return _RANK_CN
    if _ITEM_PAREN.match(line):
        return _RANK_PAREN
    if _ITEM_ARABIC.match(line):
        return _RANK_ARABIC
    return 0


def _heading_like(line: str) -> bool:
    return len(line) <= 40 and not line.endswith(tuple(_TRAILING_PUNCT[:10]))


def _lead_clause(line: str) -> str:
    """`一、坚持党的领导。各级…` -> `一、坚持党的领导` (a numbered heading that runs on)."""
    match = re.match(r"^(.{3,40}?)[。：:](?=.)", line)
    if match and not re.search(r"[，,；;]", match.group(1)):
        return match.group(1)
    return ""


def _short_heading(line: str, lines: list[str], index: int, following: str) -> bool:
    """A short line without end punctuation, after a finished paragraph and before a longer
    one."""
    if len(line) > 25 or line.endswith(tuple(_TRAILING_PUNCT)) or re.search(r"[，。；]", line):
        return False
    if re.fullmatch(r"[\d\s年月日.\-/]+", line):
        return False
    before = lines[index - 1].strip() if index > 0 else ""
    finished = not before or before.endswith(tuple(_SENTENCE_END + "”」"))
    return finished and len(following) > len(line) + 10


# ------------------------------------------------------------------ sections ---------------


def build_document(
    meta: Meta,
    blocks: list[_Block],
    kind: str,
    *,
    default_category: str = "",
    max_chars: int = 900,
) -> ParsedDocument:
    title = clean(meta.title)[:200] or "无标题"
    sections = _sections(blocks, max_chars)
    sections = [s for s in sections if s.text.strip()]
    if not sections:
        raise DocumentError("没有可检索的正文（只有标题或是空文档）")
    return ParsedDocument(
        title=title,
        category=clean(meta.category)[:50] or clean(default_category)[:50],
        issuer=clean(meta.issuer)[:200] or None,
        issued=normalise_date(meta.issued) or None,
        basis=clean(meta.basis) or None,
        link=clean(meta.link)[:500] or None,
        kind=kind,
        sections=sections,
    )


def _sections(blocks: list[_Block], max_chars: int) -> list[ParsedSection]:
    stack: list[tuple[int, str]] = []
    out: list[tuple[list[str], str, list[str]]] = []  # (path, heading, paragraphs)
    current: list[str] = []
    current_path: list[str] = []
    current_heading = ""
    has_headings = any(b.rank or b.starts_article for b in blocks)

    def flush() -> None:
        if current:
            out.append((list(current_path), current_heading, list(current)))
            current.clear()

    for block in blocks:
        if block.rank:
            flush()
            while stack and stack[-1][0] >= block.rank:
                stack.pop()
            stack.append((block.rank, clean(block.text)))
            current_path[:] = [text for _, text in stack]
            current_heading = stack[-1][1]
        elif block.starts_article:
            flush()
            current_path[:] = [text for _, text in stack] + [block.starts_article]
            current_heading = block.starts_article
            current.append(block.text)
            flush()
            current_path[:] = [text for _, text in stack]
            current_heading = stack[-1][1] if stack else ""
        else:
            current.append(block.text)
    flush()
    sections: list[ParsedSection] = []
    for path, heading, paragraphs in out:
        heading = heading or (LEAD if has_headings else WHOLE)
        path_text = PATH_SEP.join(path) or heading
        text = clean_body("\n".join(paragraphs))
        if not text:
            continue
        pieces = split_long(text, max_chars)
        for part, piece in enumerate(pieces, 1 if len(pieces) > 1 else 0):
            sections.append(ParsedSection(heading[:200], path_text[:500], part, piece))
    return sections


def split_long(text: str, limit: int) -> list[str]:
    """`text` in pieces of at most about `limit` characters: whole lines (numbered items,
    paragraphs) where possible, else sentences."""
    if len(text) <= limit:
        return [text]
    units: list[str] = []
    for line in text.split("\n"):
        if len(line) <= limit:
            units.append(line)
        else:
            units.extend(_sentences(line, limit))
    pieces = pack(units, limit)
    # A last piece of a few characters reads better with the one before.
    if len(pieces) > 1 and len(pieces[-1]) < limit // 5:
        last = pieces.pop()
        pieces[-1] = f"{pieces[-1]}\n{last}"
    return pieces


def _sentences(line: str, limit: int) -> list[str]:
    parts = re.findall(rf"[^{_SENTENCE_END}]+[{_SENTENCE_END}]*[”」’）)]*", line) or [line]
    return pack(parts, limit, sep="")


# ------------------------------------------------------------------ text helpers -----------


def clean(text: str | None) -> str:
    """One line: invisible characters removed, whitespace runs made one space."""
    return clean_text(text or "")


def clean_body(text: str) -> str:
    """Lines cleaned one by one; empty lines dropped."""
    lines = (clean(line) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def normalise_date(value: str) -> str:
    value = clean(value)
    if not value:
        return ""
    match = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", value)
    if match:
        year, month, day = (int(g) for g in match.groups())
        if 1 <= month <= 12 and 1 <= day <= 31:
            return f"{year:04d}-{month:02d}-{day:02d}"
    match = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?", value)
    if match and 1 <= int(match.group(2)) <= 12:
        return f"{int(match.group(1)):04d}-{int(match.group(2)):02d}"
    match = re.fullmatch(r"(\d{4})\s*年?", value)
    if match:
        return match.group(1)
    return value[:32]
