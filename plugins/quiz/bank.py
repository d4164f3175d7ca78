"""Question banks: check every row of a file (read by `bankfiles.py`), then write.

Every row is checked before anything is written; a bad row is a `Problem` (its place as the
file shows it, a reason code, what was found), worded by `messages.py`. Nothing is written
unless every row is valid, or, with `skip_invalid`, the bad rows alone are left out. A question
already in the bank (same normalised stem) is skipped and counted.

Without a 题型 the kind is read from the answer (one letter → 单选, several → 多选, 对/错 → 判断,
other text → 填空) and counted in the report; without a 分类 the file's name is the category.
A blank in a stem (a run of spaces, underscores, empty brackets) becomes the marker （　）.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import PurePath

from nonebot_plugin_orm import get_session

from bot import clock
from bot.db import dialect_insert

from .answers import KINDS, LETTERS, NotAnAnswer, fold, letters, stem_key, true_false
from .bankfiles import (
    FORM_TABLE,
    BankFileError,
    Row,
    Sheet,
    read_rows,
)
from .models import Question

KIND_ALIASES = {
    "单选题": "单选",
    "单项选择": "单选",
    "单项选择题": "单选",
    "选择题": "单选",
    "多选题": "多选",
    "多项选择": "多选",
    "多项选择题": "多选",
    "不定项选择题": "多选",
    "判断题": "判断",
    "是非题": "判断",
    "填空题": "填空",
}
MAX_STEM = 1000
MAX_OPTION = 300
MAX_CATEGORY = 32

BLANK = "（\u3000）"
"""How a blank to fill in is shown in a stem."""
_HOLE = "\x00"
_EMPTY_BRACKETS = re.compile(r"[（(][\s_＿]*[)）]")
_UNDERSCORES = re.compile(r"_{2,}|＿+")
_END_SPACE = re.compile(r"(?<=[。？！?!；;…])\s+$")
_SPACE_RUN = re.compile(r"\s{2,}")
_SOURCE = re.compile(r"\s*来源[:：]\s*((?:参见)?《.+)$")


@dataclass(frozen=True)
class Draft:
    row: str
    """How the file shows the place, e.g. 第3行 or 第3条."""
    kind: str
    stem: str
    options: list[str]
    answer: str
    explanation: str
    category: str
    difficulty: str
    source: str
    inferred: bool = False
    """The kind was read from the answer (the file has no 题型 for this row)."""
    named: bool = False
    """The category is the file's name (no 分类 in the row, no --category)."""


@dataclass(frozen=True)
class Problem:
    """Why a row is not a question: `code` is worded by messages.problem."""

    number: int
    unit: str
    code: str
    found: str = ""
    """What the row holds where it went wrong (the answer, the kind …), or a figure."""
    detail: str = ""

    @property
    def place(self) -> str:
        return f"第{self.number}{self.unit}"


class RowProblem(ValueError):
    def __init__(self, code: str, found: str = "", detail: str = "") -> None:
        super().__init__(code)
        self.code = code
        self.found = found
        self.detail = detail


@dataclass
class Report:
    added: int = 0
    duplicates: int = 0
    rejected: int = 0
    problems: list[Problem] = field(default_factory=list)
    written: bool = False
    skip_invalid: bool = False
    form: str = FORM_TABLE
    rows: int = 0
    inferred: Counter[str] = field(default_factory=Counter)
    """Kinds read from the answer, per kind."""
    named_category: str = ""
    """The category taken from the file's name, when rows needed one."""
    named: int = 0
    renamed: dict[str, str] = field(default_factory=dict)
    unused: list[str] = field(default_factory=list)
    found: list[str] = field(default_factory=list)


def stem_text(raw: str) -> str:
    """A stem with its blanks kept as （　） and other spaces normalised to one."""
    lines = raw.splitlines() or [""]
    if len(lines) > 1:
        lines = [lines[0].rstrip(), *(line.strip() for line in lines[1:-1]), lines[-1].lstrip()]
    text = " ".join(line for line in lines if line.strip())
    text = _EMPTY_BRACKETS.sub(_HOLE, text)
    text = _UNDERSCORES.sub(_HOLE, text)
    text = _END_SPACE.sub("", text)
    text = _SPACE_RUN.sub(_HOLE, text)
    text = " ".join(text.split())
    text = re.sub(f" ?{_HOLE} ?", _HOLE, text)
    return text.replace(_HOLE, BLANK)


def file_category(name: str) -> str:
    """The category a file's name gives: `31.中国共产党章程.txt` → 中国共产党章程; a copy's
    mark (`题库(1).xlsx`, `题库 - 副本.xlsx`) is dropped."""
    stem = PurePath(name).stem
    stem = re.sub(r"^\s*\d+\s*[.、_\-－—\s]\s*", "", stem).strip()
    stem = re.sub(
        r"\s*(?:[-_－]\s*)?副本$|\s*[（(]\d+[)）]$", "", stem
    ).strip()  # 题库(1), 题库 - 副本
    return stem[:MAX_CATEGORY]


def _cell(values: dict[str, str], name: str) -> str:
    return " ".join(values.get(name, "").split())


def _unlettered(letter: str, option: str) -> str:
    """`A. 半年` in the column of option A is `半年`."""
    found = re.match(
        rf"[{letter}{letter.lower()}{chr(ord(letter) + 0xFEE0)}]\s*[.．、:：)）]\s*", option
    )
    return option[found.end() :] if found else option


def _infer_kind(options: list[str], answer: str) -> str:
    if options:
        try:
            return "单选" if len(letters(answer, len(options))) == 1 else "多选"
        except NotAnAnswer:
            return ""
    try:
        true_false(answer)
    except NotAnAnswer:
        return "填空"
    return "判断"


def parse_row(row: Row, default_category: str | None, file_category: str = "") -> Draft:
    """One row as a Draft; raises RowProblem."""
    if row.error:
        raise RowProblem(row.error)
    values = row.values
    if "__too_many_options__" in values:
        raise RowProblem("too_many_options", values["__too_many_options__"])
    stem = stem_text(values.get("题目", ""))
    source = _cell(values, "出处")
    if not source and (cited := _SOURCE.search(stem)):
        stem, source = stem[: cited.start()], cited.group(1)
    if not stem.replace(BLANK, "").strip():
        raise RowProblem("no_stem")
    if len(stem) > MAX_STEM:
        raise RowProblem("stem_too_long", str(len(stem)))
    options = [_unlettered(letter, _cell(values, f"选项{letter}")) for letter in LETTERS]
    while options and not options[-1]:
        options.pop()
    raw_answer = _cell(values, "答案")
    if not raw_answer:
        raise RowProblem("no_answer")
    if row.answer_is_text and options:
        wanted = fold(raw_answer)
        matches = [i for i, option in enumerate(options) if fold(option) == wanted]
        if not matches:
            raise RowProblem("answer_not_option", raw_answer)
        raw_answer = LETTERS[matches[0]]
    kind = _cell(values, "题型")
    kind = KIND_ALIASES.get(kind, kind)
    inferred = not kind
    if inferred:
        kind = _infer_kind(options, raw_answer)
        if not kind:
            raise RowProblem("answer_not_option", raw_answer)
    if kind not in KINDS:
        raise RowProblem("bad_kind", kind)
    if kind in ("单选", "多选"):
        if len(options) < 2:
            raise RowProblem("too_few_options", detail=kind)
        if "" in options:
            raise RowProblem("option_gap", LETTERS[options.index("")])
        if any(len(option) > MAX_OPTION for option in options):
            raise RowProblem("option_too_long", str(MAX_OPTION))
        try:
            answer = letters(raw_answer, len(options))
        except NotAnAnswer as e:
            raise RowProblem("bad_letters", raw_answer, str(e)) from None
        if kind == "单选" and len(answer) != 1:
            raise RowProblem("single_needs_one", raw_answer)
        if kind == "多选" and len(answer) < 2:
            raise RowProblem("multi_needs_two", raw_answer)
    elif kind == "判断":
        try:
            answer = true_false(raw_answer)
        except NotAnAnswer:
            raise RowProblem("bad_true_false", raw_answer) from None
        options = []
    else:
        alternatives = [alt.strip() for alt in raw_answer.split("|") if alt.strip()]
        if not alternatives:
            raise RowProblem("no_answer")
        answer = "|".join(alternatives)
        options = []
    category = (default_category or "").strip() or _cell(values, "分类")
    named = not category
    category = category or file_category
    if not category:
        raise RowProblem("no_category")
    if len(category) > MAX_CATEGORY:
        raise RowProblem("category_too_long", category, str(MAX_CATEGORY))
    return Draft(
        row=row.place,
        kind=kind,
        stem=stem,
        options=options,
        answer=answer,
        explanation=values.get("解析", "").strip(),
        category=category,
        difficulty=_cell(values, "难度")[:8],
        source=source[:400],
        inferred=inferred,
        named=named,
    )


def check(
    sheet: Sheet, default_category: str | None, name: str = ""
) -> tuple[list[Draft], list[Problem]]:
    drafts: list[Draft] = []
    problems: list[Problem] = []
    fallback = file_category(name) if name else ""
    for row in sheet.rows:
        try:
            drafts.append(parse_row(row, default_category, fallback))
        except RowProblem as e:
            problems.append(Problem(row.number, row.unit, e.code, e.found, e.detail))
    return drafts, problems


def question_keys(drafts: list[Draft]) -> list[str]:
    """Each draft's identity in the bank: its normalised stem; but rows of one file that share
    a stem and differ in their options (「选择正确的读音（　）。」 asked of 174 words) are
    different questions, and their options join the key."""
    options: dict[str, set[str]] = {}
    for draft in drafts:
        options.setdefault(stem_key(draft.stem), set()).add(_options_key(draft))
    keys = []
    for draft in drafts:
        key = stem_key(draft.stem)
        if len(options[key]) > 1:
            key = stem_key(f"{draft.stem}|{_options_key(draft)}")
        keys.append(key)
    return keys


def _options_key(draft: Draft) -> str:
    return "|".join(sorted(stem_key(option) for option in draft.options))


def _prefix_report(sheet: Sheet, name: str, skip_invalid: bool) -> Report:
    return Report(
        skip_invalid=skip_invalid,
        form=sheet.form,
        rows=len(sheet.rows),
        renamed=dict(sheet.renamed),
        unused=list(sheet.unused),
        found=list(sheet.found),
        named_category=file_category(name),
    )


async def import_bank(
    name: str,
    data: bytes,
    *,
    category: str | None = None,
    skip_invalid: bool = False,
    max_bytes: int,
    max_rows: int,
    origin: str | None = None,
) -> Report:
    """Check the whole file, then write it in one transaction. Raises BankFileError."""
    if len(data) > max_bytes:
        raise BankFileError(
            f"文件太大（{len(data) / 1024 / 1024:.1f} MB），最多 {max_bytes // 1024 // 1024} MB"
        )
    sheet = read_rows(name, data, max_rows=max_rows)
    drafts, problems = check(sheet, category, name)
    report = _prefix_report(sheet, name, skip_invalid)
    report.rejected = len(problems)
    report.problems = problems
    report.inferred = Counter(draft.kind for draft in drafts if draft.inferred)
    report.named = sum(draft.named for draft in drafts)
    if problems and not skip_invalid:
        return report
    if not drafts:
        return report
    now = clock.now()
    table = Question.__table__
    keys = question_keys(drafts)
    async with get_session() as session, session.begin():
        for draft, key in zip(drafts, keys, strict=True):
            inserted = await session.scalar(
                dialect_insert(session, table)
                .values(
                    kind=draft.kind,
                    stem=draft.stem,
                    options=draft.options,
                    answer=draft.answer,
                    explanation=draft.explanation,
                    category=draft.category,
                    difficulty=draft.difficulty,
                    source=draft.source,
                    stem_key=key,
                    origin=(origin or PurePath(name).name)[:200],
                    created_at=now,
                )
                .on_conflict_do_nothing(index_elements=["stem_key"])
                .returning(table.c.id)
            )
            if inserted is None:
                report.duplicates += 1
            else:
                report.added += 1
    report.written = True
    return report
