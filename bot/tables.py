"""Spreadsheets sent by admins (.xlsx, .csv in UTF-8, UTF-8 with BOM or GBK) read as a table of
text cells, with one-line Chinese reasons for files that cannot be read. Question banks and
rosters are both read here; each checks its own columns and rows."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime, time
from pathlib import PurePath
from typing import Any

TABLE_SUFFIXES = (".xlsx", ".csv")


class TableError(Exception):
    """The file as a whole cannot be read: the message says why, in one line."""


def cell_text(value: Any, *, strip: bool = True) -> str:
    """A cell as text: whole floats without `.0`; an Excel date cell as YYYY-MM-DD; without
    surrounding spaces unless `strip` is False (a question bank marks blanks with spaces)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime) and value.time() == time(0):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip() if strip else str(value)


def read_table(
    name: str, data: bytes, *, max_rows: int, too_many: str, strip: bool = True
) -> list[list[str]]:
    """The rows of the file's first sheet as text cells, header included.

    Raises TableError (`too_many` is the reason when there are more than `max_rows` rows
    below the header). `strip=False` keeps the spaces around a cell's text."""
    suffix = PurePath(name).suffix.lower()
    if not data.strip():
        raise TableError("文件是空的")
    if suffix == ".xlsx":
        return xlsx_table(data, max_rows, too_many, strip=strip)
    if suffix == ".csv":
        return csv_table(data, max_rows, too_many, strip=strip)
    raise TableError(f"不支持「{suffix or name}」文件，请用 .xlsx 或 .csv")


def xlsx_table(data: bytes, max_rows: int, too_many: str, *, strip: bool = True) -> list[list[str]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as e:
        raise TableError("这不是有效的 Excel（.xlsx）文件，请用 Excel 或 WPS 另存为 .xlsx") from e
    try:
        sheet = book.worksheets[0]
        table: list[list[str]] = []
        for values in sheet.iter_rows(values_only=True):
            table.append([cell_text(value, strip=strip) for value in values])
            if len(table) > max_rows + 1:
                raise TableError(too_many)
        return table
    finally:
        book.close()


def csv_table(data: bytes, max_rows: int, too_many: str, *, strip: bool = True) -> list[list[str]]:
    for encoding in ("utf-8-sig", "gb18030"):  # Excel on Chinese Windows saves GBK
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise TableError("读不出这个 CSV 的文字编码，请另存为 UTF-8 或 GBK")
    if "\x00" in text:
        raise TableError("这不是文本格式的 CSV 文件")
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as e:
        raise TableError(f"CSV 格式有误：{e}") from e
    if len(rows) > max_rows + 1:
        raise TableError(too_many)
    return [[cell_text(value, strip=strip) for value in row] for row in rows]


def trim(table: list[list[str]]) -> list[list[str]]:
    """Without trailing empty rows."""
    while table and not any(table[-1]):
        table.pop()
    return table
