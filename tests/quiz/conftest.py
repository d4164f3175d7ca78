from __future__ import annotations

import pytest

HEADER = [
    "题型",
    "题目",
    "选项A",
    "选项B",
    "选项C",
    "选项D",
    "答案",
    "解析",
    "分类",
    "难度",
    "出处",
]

GOOD_ROWS = [
    [
        "单选",
        "党章规定，预备党员的预备期为（  ）。",
        "半年",
        "一年",
        "两年",
        "三年",
        "B",
        "预备期为一年。",
        "党章党规",
        "易",
        "《中国共产党章程》第七条",
    ],
    [
        "多选",
        "下列属于党的纪律处分种类的有（  ）。",
        "警告",
        "严重警告",
        "罚款",
        "开除党籍",
        "ABD",
        "五种处分。",
        "纪律与廉洁",
        "中",
        "《中国共产党纪律处分条例》",
    ],
    [
        "判断",
        "中国共产党第一次全国代表大会于1921年召开。",
        "",
        "",
        "",
        "",
        "对",
        "1921年7月。",
        "党史",
        "易",
        "《中国共产党简史》",
    ],
    [
        "填空",
        "党员每年集中学习培训时间一般不少于（  ）学时。",
        "",
        "",
        "",
        "",
        "32|三十二",
        "第二十条。",
        "党务知识",
        "中",
        "《中国共产党党员教育管理工作条例》",
    ],
]


@pytest.fixture
def good_rows() -> list[list[str]]:
    return [list(row) for row in GOOD_ROWS]


def rows_to_csv(rows: list[list[str]], *, header: bool = True) -> str:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    if header:
        writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue()


def rows_to_xlsx(rows: list[list[str]]) -> bytes:
    from tests.files import xlsx_bytes

    return xlsx_bytes(HEADER, rows)


async def load_questions(rows: list[list[str]] | None = None) -> None:
    """Put questions in the bank (the test database starts empty)."""
    from plugins.quiz.bank import import_bank

    report = await import_bank(
        "bank.csv", rows_to_csv(rows or GOOD_ROWS).encode(), max_bytes=10_000_000, max_rows=1000
    )
    assert report.written, report.problems


@pytest.fixture(autouse=True)
async def _no_rounds_left() -> object:
    from plugins.quiz import sessions

    sessions.clear()
    yield
    sessions.clear()
