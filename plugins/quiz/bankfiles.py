"""Question-bank files as branches receive them, read into rows of named values.

Forms read:

- a table (.xlsx, .csv) whose first row names the columns, in our names or the usual others
  (题干, 题目, content, question …; 说明, 解析, notes, analysis …; 序号 is ignored);
- a JSON list of objects with the same names as keys, options as 选项A… keys or an `options`
  list;
- a JSON object `{"题干|选项1|选项2…": "答案文字"}` (学习强国 answer collections): the answer
  text becomes a letter by matching the options;
- a text quiz (.txt, UTF-8 or GBK) of `【习题N（单选题）】`, `Question：…`, `Answer：` and
  options marked right with √.

Every row comes out as a `Row` with our column names (`题型`, `题目`, `选项A`… `答案`, `解析`,
`分类`, `难度`, `出处`); checking the values is `bank.py`'s job. Cells keep their spaces: a run
of spaces is a blank to fill in.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from bot.tables import TableError, cell_text, read_table

from .answers import LETTERS

OPTION_COLUMNS = tuple(f"选项{letter}" for letter in LETTERS)
COLUMNS = ("题型", "题目", *OPTION_COLUMNS, "答案", "解析", "分类", "难度", "出处")
OPTIONS = "选项"
"""A column or key holding all the options (a JSON list, or text split by |)."""
IGNORED = "__ignored__"

_ALIASES = {
    "题型": ("类型", "题目类型", "题类", "type", "kind", "questiontype", "qtype"),
    "题目": (
        "题干",
        "问题",
        "试题",
        "题目内容",
        "题面",
        "content",
        "question",
        "stem",
        "title",
        "q",
    ),
    "答案": ("正确答案", "参考答案", "标准答案", "answer", "answers", "key", "correct"),
    "解析": (
        "说明",
        "答案解析",
        "解释",
        "试题解析",
        "notes",
        "note",
        "analysis",
        "explanation",
        "explain",
    ),
    "分类": ("类别", "题目分类", "所属分类", "category", "categories", "cat"),
    "难度": ("difficulty", "level"),
    "出处": ("来源", "依据", "source", "reference", "ref"),
    OPTIONS: ("options", "choices", "option", "选项列表", "备选项"),
    IGNORED: ("序号", "编号", "题号", "id", "no", "index", "number", "#"),
}
ALIASES: dict[str, str] = {
    alias: name for name, aliases in _ALIASES.items() for alias in (name, *aliases)
}
for _letter in LETTERS:
    for _alias in (_letter, f"选项{_letter}", f"option{_letter}", f"{_letter}选项"):
        ALIASES[_alias.lower()] = f"选项{_letter}"

SUFFIXES = (".xlsx", ".csv", ".json", ".txt")
FORM_TABLE = "table"
FORM_LIST = "list"
FORM_PAIRS = "pairs"
"""{"题干|选项…": "答案文字"}."""
FORM_TEXT = "text"
"""【习题N】 with √ marks."""


class BankFileError(Exception):
    """The file as a whole cannot be read: the message says why, in one line."""


@dataclass(frozen=True)
class Row:
    number: int
    """The row as the spreadsheet shows it, the item's position in a JSON file, the line of a
    text quiz."""
    unit: str
    """行 (a table or a text quiz's line) or 条 (a JSON item)."""
    values: dict[str, str]
    """Our column name → text (options as 选项A…); `answer_is_text`: 答案 is an option's text."""
    answer_is_text: bool = False
    error: str = ""
    """A reason code when the row is not a question at all (`not_an_object`)."""

    @property
    def place(self) -> str:
        return f"第{self.number}{self.unit}"


@dataclass
class Sheet:
    form: str
    rows: list[Row]
    found: list[str] = field(default_factory=list)
    """The columns or keys as the file names them, in order."""
    renamed: dict[str, str] = field(default_factory=dict)
    """A column or key of the file → ours, where they differ (题干 → 题目)."""
    unused: list[str] = field(default_factory=list)
    """Columns or keys read as nothing (excludes …); 序号 and the like are not listed."""


def column(name: str) -> str:
    """Our name for a column or key (itself when unknown)."""
    key = unicodedata.normalize("NFKC", name).strip().replace(" ", "").replace("_", "").lower()
    return ALIASES.get(key, name.strip())


def read_rows(name: str, data: bytes, *, max_rows: int) -> Sheet:
    """The file's rows; raises BankFileError."""
    suffix = PurePath(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise BankFileError(f"不支持「{suffix or name}」文件，请用 .xlsx、.csv、.json 或 .txt")
    if not data.strip():
        raise BankFileError("文件是空的")
    if suffix == ".json":
        return _json(data, max_rows)
    if suffix == ".txt":
        return _text_quiz(data, max_rows)
    return _table(name, data, max_rows)


def _too_many(max_rows: int) -> str:
    return f"题目太多：一个文件最多 {max_rows} 题，请分成几个文件"


# --- tables ------------------------------------------------------------------------------------


def _table(name: str, data: bytes, max_rows: int) -> Sheet:
    try:
        table = read_table(name, data, max_rows=max_rows, too_many=_too_many(max_rows), strip=False)
    except TableError as e:
        raise BankFileError(str(e)) from e
    while table and not any(cell.strip() for cell in table[-1]):
        table.pop()
    if not table:
        raise BankFileError("文件是空的")
    found = [cell.strip() for cell in table[0]]
    header = [column(name) for name in found]
    _require(found, header, "列")
    sheet = _sheet(FORM_TABLE, found, header)
    for number, cells in enumerate(table[1:], 2):
        if not any(cell.strip() for cell in cells):
            continue
        values: dict[str, str] = {}
        for key, cell in zip(header, cells, strict=False):
            _put(values, key, cell)
        sheet.rows.append(Row(number, "行", values, answer_is_text=_text_answer(values)))
    if not sheet.rows:
        raise BankFileError("文件里只有表头，没有题目")
    return sheet


def _require(found: list[str], ours: list[str], what: str) -> None:
    """A file without a stem or an answer column is refused at once, naming what it has."""
    missing = [name for name in ("题目", "答案") if name not in ours]
    if not missing:
        return
    others = "；".join(f"「{name}」也可写作 {'、'.join(_ALIASES[name][:4])}" for name in missing)
    shown = "、".join(name for name in found if name) or "（空）"
    where = "第1行应是表头，" if what == "列" else ""
    raise BankFileError(
        f"{where}缺少「{'、'.join(missing)}」{what}（{others}）。找到的{what}是：{shown}"
    )


def _sheet(form: str, found: list[str], ours: list[str]) -> Sheet:
    sheet = Sheet(form, [], found=[name for name in found if name])
    for theirs, mine in zip(found, ours, strict=True):
        if not theirs:
            continue
        if mine == IGNORED:
            continue
        if mine in COLUMNS or mine == OPTIONS:
            if mine != theirs:
                sheet.renamed[theirs] = mine
        elif theirs not in sheet.unused:
            sheet.unused.append(theirs)
    return sheet


def _put(values: dict[str, str], key: str, value: Any) -> None:
    if key == OPTIONS:
        if isinstance(value, dict):
            value = list(value.values())
        options = value if isinstance(value, list) else str(value or "").split("|")
        for letter, option in zip(LETTERS, options, strict=False):
            values.setdefault(f"选项{letter}", cell_text(option, strip=False))
        if len(options) > len(LETTERS):
            values["__too_many_options__"] = str(len(options))
        return
    if isinstance(value, list):  # answers as a list: ["A", "C"], or 填空 alternatives
        value = "|".join(cell_text(item) for item in value)
    elif isinstance(value, dict):
        value = ""
    values[key] = cell_text(value, strip=False)


# --- JSON --------------------------------------------------------------------------------------


def _json(data: bytes, max_rows: int) -> Sheet:
    try:
        items = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise BankFileError("JSON 格式有误，请检查括号和引号") from e
    if isinstance(items, dict) and _is_pairs(items):
        return _pairs(items, max_rows)
    if not isinstance(items, list):
        raise BankFileError(
            'JSON 文件应当是题目列表 [{"题型": "单选", "题目": …}, …]'
            '，或 {"题干|选项1|选项2": "答案"} 形式的题目对照表'
        )
    if not items:
        raise BankFileError("文件里没有题目")
    if len(items) > max_rows:
        raise BankFileError(_too_many(max_rows))
    found: list[str] = []
    for item in items:
        if isinstance(item, dict):
            found += [str(key) for key in item if str(key) not in found]
    ours = [column(key) for key in found]
    _require(found, ours, "键")
    sheet = _sheet(FORM_LIST, found, ours)
    for index, item in enumerate(items, 1):
        if not isinstance(item, dict):
            sheet.rows.append(Row(index, "条", {}, error="not_an_object"))
            continue
        values: dict[str, str] = {}
        for key, value in item.items():
            _put(values, column(str(key)), value)
        sheet.rows.append(Row(index, "条", values, answer_is_text=_text_answer(values)))
    return sheet


def _text_answer(values: dict[str, str]) -> bool:
    """An answer that is not letters but the text of one option (学习强国 lists do this)."""
    answer = values.get("答案", "").strip()
    options = [values.get(name, "").strip() for name in OPTION_COLUMNS]
    return bool(answer) and answer in options and not re.fullmatch(r"[A-Fa-f]+", answer)


def _is_pairs(items: dict[str, Any]) -> bool:
    """{"题干|选项…": "答案"}: text values, keys with options, none of them a column name."""
    if not items or not all(isinstance(value, str) for value in items.values()):
        return False
    if any(column(key) in (*COLUMNS, OPTIONS, IGNORED) for key in items):
        return False
    return sum("|" in key for key in items) * 2 >= len(items)


def _pairs(items: dict[str, str], max_rows: int) -> Sheet:
    if len(items) > max_rows:
        raise BankFileError(_too_many(max_rows))
    sheet = Sheet(FORM_PAIRS, [], found=["题干|选项…", "答案文字"])
    for index, (key, answer) in enumerate(items.items(), 1):
        stem, *options = key.split("|")
        values = {"题目": stem, "答案": answer}
        if options:
            _put(values, OPTIONS, options)
        sheet.rows.append(Row(index, "条", values, answer_is_text=bool(options)))
    return sheet


# --- text quizzes (【习题N（单选题）】, √ marks) -----------------------------------------------------

_EXERCISE = re.compile(r"^\s*【\s*习题\s*\d+\s*[（(]\s*(\S+?)\s*[)）]\s*】")
_QUESTION = re.compile(r"^\s*(?:Question|题目|问题)\s*[:：]\s*", re.IGNORECASE)
_ANSWER = re.compile(r"^\s*(?:Answer|答案)\s*[:：]\s*", re.IGNORECASE)
_OPTION = re.compile(r"^\s*(√|✓|✔)?\s*([A-Fa-f])\s*[.．、:：)）]\s*(.*)$")
_MARK = re.compile(r"^\s*(√|✓|✔)\s*")


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):  # saved on Chinese Windows: GBK
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise BankFileError("读不出这个文本文件的文字编码，请另存为 UTF-8 或 GBK")


def looks_like_text_quiz(data: bytes) -> bool:
    """Whether a .txt holds 【习题N（…）】 questions (a document does not)."""
    head = data[:20_000]
    return any(
        _EXERCISE.match(line)
        for encoding in ("utf-8", "gb18030")
        for line in head.decode(encoding, errors="ignore").splitlines()
    )


def _text_quiz(data: bytes, max_rows: int) -> Sheet:
    lines = _decode(data).splitlines()
    starts = [number for number, line in enumerate(lines) if _EXERCISE.match(line)]
    if not starts:
        raise BankFileError(
            "这个文本文件里没有「【习题1（单选题）】」这样的题目；"
            "其他题库请用 .xlsx、.csv 或 .json（表头见 README）"
        )
    if len(starts) > max_rows:
        raise BankFileError(_too_many(max_rows))
    sheet = Sheet(FORM_TEXT, [], found=["【习题N（题型）】", "Question：", "Answer：", "√"])
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(lines)
        sheet.rows.append(_exercise(start + 1, lines[start:end]))
    return sheet


def _exercise(number: int, block: list[str]) -> Row:
    head = _EXERCISE.match(block[0])
    values: dict[str, str] = {"题型": head.group(1) if head else ""}
    stem: list[str] = []
    options: dict[str, str] = {}
    marked: list[str] = []
    plain: list[str] = []
    part = "head"
    for line in block[1:]:
        if line.lstrip().startswith("《") and line.rstrip().endswith("》"):
            break  # the next section's title
        if _QUESTION.match(line):
            part = "question"
            line = _QUESTION.sub("", line)
        elif _ANSWER.match(line):
            part = "answer"
            line = _ANSWER.sub("", line)
        if part == "question":
            stem.append(line)
        elif part == "answer" and line.strip():
            option = _OPTION.match(line)
            if option:
                letter = option.group(2).upper()
                options[letter] = option.group(3).strip()
                if option.group(1):
                    marked.append(letter)
            else:
                text = _MARK.sub("", line).strip()
                plain.append(text)
                if _MARK.match(line):
                    marked.append(text)
    values["题目"] = " ".join(line.replace("\\n", " ") for line in stem)
    for letter in sorted(options):
        values[f"选项{letter}"] = options[letter]
    if options:
        values["答案"] = "".join(sorted(marked))
    else:  # 判断 (√ 正确 / 错误) or 填空; without a mark the one line given is the answer
        values["答案"] = "|".join(marked or plain)
    return Row(number, "行", values)
