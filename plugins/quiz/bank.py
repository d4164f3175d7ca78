"""Question banks from Excel (.xlsx), CSV or JSON: read, check every row, then write.

Columns: 题型 | 题目 | 选项A … 选项F | 答案 | 解析 | 分类 | 难度 | 出处. Every row is checked
before anything is written; a bad row is reported as `第N行：<reason>` with N as the
spreadsheet shows it (the header is row 1). Nothing is written unless every row is valid, or,
with `skip_invalid`, the bad rows alone are left out. A question already in the bank (same
normalised stem) is skipped and counted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from nonebot_plugin_orm import get_session

from bot import clock
from bot.db import dialect_insert
from bot.tables import TableError, cell_text, read_table

from .answers import KINDS, LETTERS, NotAnAnswer, letters, stem_key, true_false
from .models import Question

OPTION_COLUMNS = tuple(f"选项{letter}" for letter in LETTERS)
COLUMNS = ("题型", "题目", *OPTION_COLUMNS, "答案", "解析", "分类", "难度", "出处")
ALIASES = {
    "类型": "题型",
    "题目类型": "题型",
    "题干": "题目",
    "问题": "题目",
    "正确答案": "答案",
    "参考答案": "答案",
    "答案解析": "解析",
    "类别": "分类",
    "来源": "出处",
    "依据": "出处",
    **{letter: f"选项{letter}" for letter in LETTERS},
    **{f"选项{letter.lower()}": f"选项{letter}" for letter in LETTERS},
}
KIND_ALIASES = {
    "单选题": "单选",
    "单项选择": "单选",
    "单项选择题": "单选",
    "多选题": "多选",
    "多项选择": "多选",
    "多项选择题": "多选",
    "判断题": "判断",
    "是非题": "判断",
    "填空题": "填空",
}
SUFFIXES = (".xlsx", ".csv", ".json")
MAX_STEM = 1000
MAX_OPTION = 300


class BankFileError(Exception):
    """The file as a whole cannot be read: the message says why, in one line."""


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


@dataclass
class Report:
    added: int = 0
    duplicates: int = 0
    rejected: int = 0
    errors: list[str] = field(default_factory=list)
    written: bool = False


def read_rows(name: str, data: bytes, *, max_rows: int) -> list[tuple[str, dict[str, str]]]:
    """The file's rows as (place, {column: text}); raises BankFileError."""
    suffix = PurePath(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise BankFileError(f"不支持「{suffix or name}」文件，请用 .xlsx、.csv 或 .json")
    if not data.strip():
        raise BankFileError("文件是空的")
    if suffix == ".json":
        return _json_rows(data, max_rows)
    return _table_rows(_table(name, data, max_rows))


def _cell(value: Any) -> str:
    return cell_text(value)


def _table(name: str, data: bytes, max_rows: int) -> list[list[str]]:
    try:
        return read_table(
            name,
            data,
            max_rows=max_rows,
            too_many=f"题目太多：一个文件最多 {max_rows} 题，请分成几个文件",
        )
    except TableError as e:
        raise BankFileError(str(e)) from e


def _json_rows(data: bytes, max_rows: int) -> list[tuple[str, dict[str, str]]]:
    try:
        items = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise BankFileError("JSON 格式有误，请检查括号和引号") from e
    if not isinstance(items, list):
        raise BankFileError('JSON 文件应当是题目列表：[{"题型": "单选", "题目": …}, …]')
    if not items:
        raise BankFileError("文件里没有题目")
    if len(items) > max_rows:
        raise BankFileError(f"题目太多：一个文件最多 {max_rows} 题，请分成几个文件")
    rows: list[tuple[str, dict[str, str]]] = []
    for index, item in enumerate(items, 1):
        if not isinstance(item, dict):
            rows.append((f"第{index}条", {"__error__": "不是一个题目对象"}))
            continue
        rows.append((f"第{index}条", {_column(str(k)): _cell(v) for k, v in item.items()}))
    return rows


def _column(name: str) -> str:
    name = name.strip().replace(" ", "")
    return ALIASES.get(name, name)


def _table_rows(table: list[list[str]]) -> list[tuple[str, dict[str, str]]]:
    while table and not any(table[-1]):
        table.pop()
    if not table:
        raise BankFileError("文件是空的")
    header = [_column(name) for name in table[0]]
    missing = [name for name in ("题型", "题目", "答案") if name not in header]
    if missing:
        raise BankFileError(
            f"第1行应是表头，缺少「{'、'.join(missing)}」列。表头：{' | '.join(COLUMNS)}"
        )
    rows = [
        (f"第{number}行", dict(zip(header, row, strict=False)))
        for number, row in enumerate(table[1:], 2)
        if any(row)
    ]
    if not rows:
        raise BankFileError("文件里只有表头，没有题目")
    return rows


def parse_row(place: str, values: dict[str, str], default_category: str | None) -> Draft:
    """One row as a Draft; raises ValueError with the reason."""
    if "__error__" in values:
        raise ValueError(values["__error__"])
    kind = values.get("题型", "").strip()
    kind = KIND_ALIASES.get(kind, kind)
    if kind not in KINDS:
        raise ValueError(f"题型「{kind}」应是 单选、多选、判断 或 填空" if kind else "缺少题型")
    stem = " ".join(values.get("题目", "").split())
    if not stem:
        raise ValueError("缺少题目")
    if len(stem) > MAX_STEM:
        raise ValueError(f"题目太长（{len(stem)}字，最多{MAX_STEM}字）")
    options = [values.get(column, "").strip() for column in OPTION_COLUMNS]
    while options and not options[-1]:
        options.pop()
    raw_answer = values.get("答案", "").strip()
    if not raw_answer:
        raise ValueError("缺少答案")
    if kind in ("单选", "多选"):
        if len(options) < 2:
            raise ValueError(f"{kind}题至少要有选项A和选项B")
        if "" in options:
            gap = LETTERS[options.index("")]
            raise ValueError(f"选项{gap}是空的，选项要从A起连续填写")
        if any(len(option) > MAX_OPTION for option in options):
            raise ValueError(f"有选项太长（最多{MAX_OPTION}字）")
        try:
            answer = letters(raw_answer, len(options))
        except NotAnAnswer as e:
            raise ValueError(f"答案「{raw_answer}」不对：{e}") from None
        if kind == "单选" and len(answer) != 1:
            raise ValueError(f"单选题的答案只能是一个字母，现在是「{raw_answer}」")
        if kind == "多选" and len(answer) < 2:
            raise ValueError(
                f"多选题的答案至少两个字母，现在是「{raw_answer}」（一个答案请用单选）"
            )
    elif kind == "判断":
        try:
            answer = true_false(raw_answer)
        except NotAnAnswer:
            raise ValueError(f"判断题的答案应是 对 或 错，现在是「{raw_answer}」") from None
        options = []
    else:
        alternatives = [alt.strip() for alt in raw_answer.split("|") if alt.strip()]
        if not alternatives:
            raise ValueError("缺少答案")
        answer = "|".join(alternatives)
        options = []
    category = (default_category or values.get("分类", "")).strip()
    if not category:
        raise ValueError("缺少分类（或导入时指定 --category）")
    if len(category) > 32:
        raise ValueError("分类太长（最多32字）")
    return Draft(
        row=place,
        kind=kind,
        stem=stem,
        options=options,
        answer=answer,
        explanation=values.get("解析", "").strip(),
        category=category,
        difficulty=values.get("难度", "").strip()[:8],
        source=values.get("出处", "").strip()[:400],
    )


def check(
    rows: list[tuple[str, dict[str, str]]], default_category: str | None
) -> tuple[list[Draft], list[str]]:
    drafts: list[Draft] = []
    errors: list[str] = []
    for place, values in rows:
        try:
            drafts.append(parse_row(place, values, default_category))
        except ValueError as e:
            errors.append(f"{place}：{e}")
    return drafts, errors


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
    drafts, errors = check(read_rows(name, data, max_rows=max_rows), category)
    report = Report(rejected=len(errors), errors=errors)
    if errors and not skip_invalid:
        return report
    if not drafts:
        return report
    now = clock.now()
    table = Question.__table__
    async with get_session() as session, session.begin():
        for draft in drafts:
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
                    stem_key=stem_key(draft.stem),
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
