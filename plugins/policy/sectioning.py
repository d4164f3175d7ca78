"""Cutting a document into sections along its own structure, so that a search hit points at
the passage that answers a question.

The readers (readers.py) turn a file into metadata and `Block`s; here blocks become sections:

- Markdown headings (`#`…`######`, ranked by level);
- the structure of Chinese rules and notices in plain text and Word: 第X编 / 第X章 / 第X节,
  一、 / （一） / 1. headings, and 第X条, each article a section of its own;
- a short line that stands alone before a paragraph;
- text before the first heading is the section 导语.

A section longer than the limit is cut into pieces at numbered items and paragraphs, and only
inside a paragraph at sentence ends. Every failure is a `DocumentError` with a Chinese reason.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from bot.deps import clean_text
from bot.messages import pack

LEAD = "导语"
"""Heading of the text before a document's first heading."""
WHOLE = "正文"
"""Heading of a document that has no headings at all."""

PATH_SEP = " › "

_CN_NUM = "〇零一二三四五六七八九十百千两"
_PART = re.compile(rf"^第[{_CN_NUM}\d]+编(?:\s+|$)")
_CHAPTER = re.compile(rf"^第[{_CN_NUM}\d]+章(?:\s+|$)")
_SUBSECTION = re.compile(rf"^第[{_CN_NUM}\d]+节(?:\s+|$)")
_ARTICLE = re.compile(rf"^(第[{_CN_NUM}\d]+条)(?:\s*|$)")
_NAMED_PART = re.compile(r"^(?:总\s*纲|总\s*则|附\s*则|序\s*言|前\s*言)$")
"""总纲, 总则, 附则, 序言 on a line of their own, also written with a (full-width) space."""
_ITEM_CN = re.compile(r"^[一二三四五六七八九十]{1,3}[、.．]")
_ITEM_PAREN = re.compile(r"^[（(][一二三四五六七八九十]{1,3}[）)]")
_ITEM_ARABIC = re.compile(r"^\d{1,2}[.．、](?!\d)")
_SENTENCE_END = "。！？!?；;…"
_LATIN_SENTENCE = re.compile(r"(?<=[a-z0-9)\"”’][.!?;])\s+(?=[A-Z\"“(])")
"""Where an English sentence ends: `. ` before a capital (bilingual texts)."""
_TRAILING_PUNCT = "。，、；：！？,.;:!?…）)》」”"

# Ranks of structural headings in plain text and Word (Markdown uses its heading levels).
_RANK_PART, _RANK_CHAPTER, _RANK_SUBSECTION = 1, 2, 3
_RANK_CN, _RANK_PAREN, _RANK_ARABIC = 4, 5, 6
RANK_SHORT = 7
"""A short heading found by its look: a lone short line, or (in Word) a short bold paragraph."""


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
    authority: str = ""
    """official, interpretation or branch when the file says so (性质: 原文 / 解读 / 本支部)."""
    title_from: str = ""
    """Where the title came from, in Chinese (shown by `python -m bot docs`)."""

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
    authority: str = ""
    """official, interpretation or branch; '' until the import settles it (library.py)."""
    title_from: str = ""
    """Where the title came from (front matter, the document's own title line, …)."""

    @property
    def content_hash(self) -> str:
        digest = hashlib.sha256()
        for value in (
            self.title,
            self.category,
            self.issuer,
            self.issued,
            self.basis,
            self.link,
            self.authority,
            self.title_from,
        ):
            digest.update(f"{value or ''}\x1e".encode())
        digest.update(self.kind.encode())
        for section in self.sections:
            digest.update(f"\x1d{section.text_hash}".encode())
        return digest.hexdigest()


@dataclass
class Block:
    text: str
    rank: int = 0
    """0: a paragraph; else a heading of this rank (lower is higher up)."""
    starts_article: str = ""
    """第X条 when the paragraph is an article: it starts a section of its own."""


# ------------------------------------------------------------------ structure --------------


def structure_lines(lines: list[str], *, markdown: bool) -> list[Block]:
    """Blocks of lines: structural headings and articles found by their numbering.

    Inside an article (from 第X条 to the next article or chapter), numbered items
    （一）… and 一、… are the article's own 项, never headings; so is an item after a line that
    ends with a colon (a list it introduces)."""
    blocks: list[Block] = []
    paragraph: list[str] = []
    in_article = False

    def flush() -> None:
        if paragraph:
            blocks.append(Block("\n".join(paragraph)))
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
            blocks.append(Block(line, starts_article=article.group(1)))
            in_article = True
            continue
        rank = _structural_rank(line)
        following = following_at[index]
        if rank in (_RANK_PART, _RANK_CHAPTER, _RANK_SUBSECTION):
            flush()
            line = _spaced_title(line)
            blocks.append(Block(line, rank=rank + 6 if markdown else rank))
            in_article = False
            continue
        listed = in_article or previous.endswith(("：", ":"))
        if rank in (_RANK_CN, _RANK_PAREN) and not markdown and not listed:
            # A run of short numbered lines is a list, not a row of headings.
            in_list = rank in (_structural_rank(following), _structural_rank(previous))
            if not in_list or not _heading_like(line):
                if _heading_like(line):
                    flush()
                    blocks.append(Block(line, rank=rank))
                    continue
                head = _lead_clause(line)
                if head:  # 一、坚持党的领导。各级党组织… : heading and text in one paragraph
                    flush()
                    blocks.append(Block(head, rank=rank))
                    paragraph.append(line)
                    continue
        elif (
            not rank
            and not markdown
            and not in_article
            and _short_heading(line, lines, index, following)
        ):
            flush()
            blocks.append(Block(line, rank=RANK_SHORT))
            continue
        paragraph.append(line)
    flush()
    return _join_articles(blocks)


def _spaced_title(line: str) -> str:
    """总　纲 -> 总纲, 第一章　党　员 -> 第一章 党员: characters spaced out for looks."""
    if _NAMED_PART.match(line):
        return re.sub(r"\s+", "", line)
    match = re.match(r"^(第\S+?[编章节])\s+(.+)$", line)
    if match:
        words = match.group(2).split()
        if len(words) > 1 and all(len(word) == 1 for word in words):
            return f"{match.group(1)} {''.join(words)}"
    return line


def structural_line(line: str) -> bool:
    """第X编/章/节, 总纲 and the like, or 第X条: where a document's body begins."""
    rank = _structural_rank(line)
    return rank in (_RANK_PART, _RANK_CHAPTER, _RANK_SUBSECTION) or bool(_ARTICLE.match(line))


def heading_line(line: str) -> bool:
    """A line that is a heading by itself: 第X编/章/节, 总纲…, or a short numbered heading."""
    rank = _structural_rank(line)
    if rank in (_RANK_PART, _RANK_CHAPTER, _RANK_SUBSECTION):
        return True
    return rank in (_RANK_CN, _RANK_PAREN, _RANK_ARABIC) and _heading_like(line) and len(line) <= 20


def starts_block(line: str) -> bool:
    """A line that opens something of its own: a structural heading, an article, an item."""
    return structural_line(line) or _structural_rank(line) in (_RANK_CN, _RANK_PAREN, _RANK_ARABIC)


def _following_lines(lines: list[str]) -> list[str]:
    """For each line, the next non-empty line after it ('' at the end)."""
    out = [""] * len(lines)
    following = ""
    for index in range(len(lines) - 1, -1, -1):
        out[index] = following
        if lines[index].strip():
            following = lines[index].strip()
    return out


def _join_articles(blocks: list[Block]) -> list[Block]:
    """An article's own paragraphs (款, 项) follow it until the next structural line."""
    joined: list[Block] = []
    for block in blocks:
        if block.rank == 0 and not block.starts_article and joined:
            last = joined[-1]
            if last.starts_article:
                last.text = f"{last.text}\n{block.text}"
                continue
        joined.append(block)
    return joined


def _structural_rank(line: str) -> int:
    if _NAMED_PART.match(line):
        return _RANK_CHAPTER
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
    blocks: list[Block],
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
        authority=meta.authority or authority_by_look(sections),
        title_from=meta.title_from if title != "无标题" else "没有找到标题",
    )


OFFICIAL, INTERPRETATION, BRANCH = "official", "interpretation", "branch"
AUTHORITIES = {OFFICIAL: "原文", INTERPRETATION: "解读", BRANCH: "本支部"}
"""A document's standing, and how it is shown: an official text (the rule itself), an
interpretation or summary of rules (the starter library), or the branch's own material."""
_AUTHORITY_WORDS = {
    OFFICIAL: ("原文", "正式文件", "官方原文", "official"),
    INTERPRETATION: ("解读", "摘要", "学习材料", "辅导材料", "interpretation"),
    BRANCH: ("本支部", "支部", "支部材料", "branch"),
}
ARTICLES_FOR_OFFICIAL = 3
"""A document with at least this many 第X条 articles looks like an official text."""


def parse_authority(value: str) -> str:
    """official / interpretation / branch from how people write it; '' when unknown."""
    word = clean(value).lower()
    for authority, words in _AUTHORITY_WORDS.items():
        if word in words:
            return authority
    return ""


def authority_by_look(sections: list[ParsedSection]) -> str:
    """The standing of a document that does not state one: an official text when it is cut
    into 第X条 articles (rules are written that way, summaries and minutes are not), else the
    branch's own. The starter library is imported as interpretation (library.py)."""
    articles = {s.heading for s in sections if _ARTICLE.fullmatch(s.heading)}
    return OFFICIAL if len(articles) >= ARTICLES_FOR_OFFICIAL else BRANCH


def _sections(blocks: list[Block], max_chars: int) -> list[ParsedSection]:
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
    """A long line in pieces cut only at sentence ends: Chinese ones, and English ones
    (`. ` before a capital) in bilingual texts."""
    parts: list[str] = []
    for chunk in _LATIN_SENTENCE.split(line):
        found = re.findall(rf"[^{_SENTENCE_END}]+[{_SENTENCE_END}]*[”」’）)]*", chunk) or [chunk]
        if parts and found:
            found[0] = " " + found[0]  # the space the English sentence end had
        parts.extend(found)
    return [piece.strip() for piece in pack(parts, limit, sep="")]


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
