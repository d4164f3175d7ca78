"""`python -m bot import-docs / docs / remove-docs` as an operator runs them."""

from __future__ import annotations

from pathlib import Path

from tests.core.test_cli import run_cli
from tests.dbutil import drop_database, fresh_database_url
from tests.policy.conftest import write

NOTICE = """关于开展读书班的通知

一、时间安排

每季度举办一次读书班。

二、学习内容

学习党章和党内法规。
"""


def _lines(output: str) -> list[str]:
    """The command's own lines (not NoneBot's log lines)."""
    return [line for line in output.splitlines() if not line[:2].isdigit() and line != "运行迁移中"]


def test_import_list_reimport_and_remove(tmp_path: Path) -> None:
    url = fresh_database_url(tmp_path / "db")
    folder = tmp_path / "资料"
    write(folder / "读书班.txt", NOTICE)
    write(folder / "读书班.meta", "发文机关: 测试党委\n日期: 2024年3月1日\n")
    (folder / "坏文件.docx").write_bytes(b"not a word file")
    try:
        dry = run_cli("import-docs", "--dry-run", str(folder), workdir=tmp_path, database_url=url)
        assert dry.returncode == 1  # the broken file
        broken = (
            f"失败：{folder / '坏文件.docx'}：不是有效的 Word 文档（.docx）："
            "文件已损坏，或其实是别的格式。请用 Word 打开后另存为 .docx"
        )
        assert _lines(dry.stdout) == [
            broken,
            f"《关于开展读书班的通知》［其他］本支部 测试党委 2024-03-01，2节（{folder / '读书班.txt'}）"
            "；标题取自正文标题行",
            "  · 一、时间安排：11字",
            "  · 二、学习内容：10字",
        ]

        first = run_cli(
            "import-docs", str(folder), "--category", "学习", workdir=tmp_path, database_url=url
        )
        assert first.returncode == 1
        assert _lines(first.stdout) == [
            broken + "（未做任何改动）",
            f"新增：{folder / '读书班.txt'} →《关于开展读书班的通知》［学习］2节，编号1–2",
            "共2个文件：新增1，更新0，未变0，失败1",
        ]

        (folder / "坏文件.docx").unlink()
        again = run_cli(
            "import-docs", str(folder / "读书班.txt"), workdir=tmp_path, database_url=url
        )
        assert again.returncode == 0, again.stderr
        assert _lines(again.stdout)[-1] == "共1个文件：新增0，更新0，未变1，失败0"

        write(folder / "读书班.txt", NOTICE.replace("每季度", "每月"))
        changed = run_cli("import-docs", str(folder), workdir=tmp_path, database_url=url)
        assert changed.returncode == 0, changed.stderr
        assert _lines(changed.stdout) == [
            f"更新：{folder / '读书班.txt'} →《关于开展读书班的通知》［学习］2节，编号1–2；"
            "保留编号2节，新增0节，删除0节",
            "共1个文件：新增0，更新1，未变0，失败0",
        ]

        listed = run_cli("docs", workdir=tmp_path, database_url=url)
        assert listed.returncode == 0
        rows = _lines(listed.stdout)
        assert len(rows) == 2
        assert "本支部《关于开展读书班的通知》（标题取自正文标题行） 2节" in rows[0]
        assert rows[1] == "共1篇。删除：python -m bot remove-docs <文档编号>"
        doc_id = rows[0].split()[0]

        unknown = run_cli("remove-docs", doc_id, "999", workdir=tmp_path, database_url=url)
        assert unknown.returncode == 1
        assert _lines(unknown.stdout) == [
            "没有这些文档：999。什么也没删。先用 python -m bot docs 查看编号"
        ]
        removed = run_cli(
            "remove-docs", str(folder / "读书班.txt"), workdir=tmp_path, database_url=url
        )
        assert removed.returncode == 0
        assert _lines(removed.stdout) == [f"已删除：{doc_id}《关于开展读书班的通知》（2节）"]
        empty = run_cli("docs", workdir=tmp_path, database_url=url)
        assert _lines(empty.stdout) == ["资料库里没有文档。"]
    finally:
        drop_database(url)


def test_import_of_nothing(tmp_path: Path) -> None:
    url = fresh_database_url(tmp_path / "db")
    try:
        result = run_cli(
            "import-docs", str(tmp_path / "nowhere"), workdir=tmp_path, database_url=url
        )
        assert result.returncode == 1
        assert _lines(result.stdout) == [
            f"失败：{tmp_path / 'nowhere'}：文件或文件夹不存在（未做任何改动）",
            "共1个文件：新增0，更新0，未变0，失败1",
        ]
    finally:
        drop_database(url)


def test_a_folder_of_unsupported_files_names_what_it_skipped(tmp_path: Path) -> None:
    url = fresh_database_url(tmp_path / "db")
    folder = tmp_path / "收到的"
    folder.mkdir()
    (folder / "题库.xlsx").write_bytes(b"PK\x03\x04")
    (folder / "合影.jpg").write_bytes(b"\xff\xd8\xff")
    try:
        result = run_cli("import-docs", str(folder), workdir=tmp_path, database_url=url)
        assert result.returncode == 1
        supported = ".md、.txt、.docx、.pdf、.html（.htm、.aspx）"
        assert _lines(result.stdout) == [
            f"跳过2个不支持的文件（支持 {supported}）：{folder / '合影.jpg'}、{folder / '题库.xlsx'}",
            "共0个文件：新增0，更新0，未变0，失败0",
            f"没有找到可导入的文件（支持 {supported}）",
        ]
        kind = run_cli(
            "import-docs", "--kind", "随便", str(folder), workdir=tmp_path, database_url=url
        )
        assert kind.returncode == 2
        assert _lines(kind.stdout) == ["--kind 写的是「随便」，请写 原文、解读 或 本支部"]
    finally:
        drop_database(url)


def test_the_starter_folder_imports_as_interpretation(tmp_path: Path) -> None:
    from tests.policy.conftest import DOCS

    url = fresh_database_url(tmp_path / "db")
    try:
        result = run_cli(
            "import-docs", "--dry-run", str(DOCS / "党费"), workdir=tmp_path, database_url=url
        )
        assert result.returncode == 0, result.stderr
        titles = [line for line in _lines(result.stdout) if line.startswith("《")]
        assert titles
        assert all("］解读 " in line and "标题取自文件头信息" in line for line in titles), titles
    finally:
        drop_database(url)
