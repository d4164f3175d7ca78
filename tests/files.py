"""Spreadsheets for the tests, built in memory (rosters, question banks)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any


def xlsx_bytes(header: Sequence[Any], rows: Sequence[Sequence[Any]]) -> bytes:
    """A workbook of one sheet: the header row, then the rows."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
