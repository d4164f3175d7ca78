"""Roster files for the tests, built in memory."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests import files

HEADER = ["姓名", "QQ", "状态", "党小组", "职务", "入党日期", "转正日期"]


def csv_bytes(
    rows: list[list[str]], *, header: list[str] = HEADER, encoding: str = "utf-8"
) -> bytes:
    text = "\n".join(",".join(row) for row in [header, *rows]) + "\n"
    return text.encode(encoding)


def xlsx_bytes(rows: list[list[Any]], *, header: list[str] = HEADER) -> bytes:
    return files.xlsx_bytes(header, rows)


ROWS = [
    ["张三", "20001", "正式党员", "第一党小组", "书记", "2010-07-01", "2011-07-01"],
    ["李四", "20002", "预备", "第一党小组", "", "2026/7/1", ""],
    ["王五", "", "积极分子", "第二党小组", "", "", ""],
    ["赵六", "20004", "党员", "第二党小组", "党小组组长", "2015年7月1日", "2016.7.1"],
]

XLSX_ROWS: list[list[Any]] = [
    ["张三", 20001, "正式党员", "第一党小组", "书记", date(2010, 7, 1), date(2011, 7, 1)],
    ["李四", 20002, "预备党员", "第一党小组", None, "2026/7/1", None],
]
