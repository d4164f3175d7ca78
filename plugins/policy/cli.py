"""`python -m bot import-docs / docs / remove-docs` — the library from the command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.cli import subcommand

from . import config, library
from .readers import read_document
from .sectioning import UNSORTED, DocumentError

STATUS = {"added": "新增", "updated": "更新", "unchanged": "未变"}


def _say(line: str = "") -> None:
    sys.stdout.write(line + "\n")


def _configure_import(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="文件或文件夹（.md .txt .docx）")
    parser.add_argument(
        "--category",
        default="",
        help="分类（文件头信息或说明文件里没写分类时用；默认取子文件夹名，再不然为「其他」）",
    )
    parser.add_argument("--dry-run", action="store_true", help="只显示会怎样切分，不写入资料库")


@subcommand(
    "import-docs",
    "把学习资料（Markdown、纯文本、Word .docx，文件或文件夹）导入政策资料库；同一文件再导入即更新",
    _configure_import,
)
async def import_docs(args: argparse.Namespace) -> int:
    paths = [Path(p) for p in args.paths]
    if args.dry_run:
        return _dry_run(paths, args.category)
    report = await library.import_paths(paths, category=args.category, **config.import_limits())
    counts = dict.fromkeys(STATUS, 0)
    for result in report.files:
        if result.outcome is None:
            _say(f"失败：{result.path}：{result.error}（未做任何改动）")
            continue
        outcome = result.outcome
        counts[outcome.status] += 1
        numbers = _numbers(outcome.numbers)
        detail = f"{outcome.sections}节，编号{numbers}"
        if outcome.status == "updated":
            detail += f"；保留编号{outcome.kept}节，新增{outcome.added}节，删除{outcome.removed}节"
        _say(
            f"{STATUS[outcome.status]}：{result.path} →《{outcome.title}》"
            f"［{outcome.category}］{detail}"
        )
    failed = len(report.failed)
    _say(
        f"共{len(report.files)}个文件：新增{counts['added']}，更新{counts['updated']}，"
        f"未变{counts['unchanged']}，失败{failed}"
    )
    if not report.files:
        _say("没有找到可导入的文件（支持 .md .txt .docx）")
        return 1
    return 1 if failed else 0


def _dry_run(paths: list[Path], category: str) -> int:
    files, refused = library.collect_files(paths)
    for result in refused:
        _say(f"失败：{result.path}：{result.error}")
    failed = len(refused)
    limits = config.import_limits()
    for path, folder_category in files:
        try:
            parsed = read_document(path, default_category=category or folder_category, **limits)
        except DocumentError as e:
            _say(f"失败：{path}：{e.reason}")
            failed += 1
            continue
        _say(
            f"《{parsed.title}》［{parsed.category or UNSORTED}］{parsed.issuer or '—'} {parsed.issued or '—'}"
            f"，{len(parsed.sections)}节（{path}）"
        )
        for section in parsed.sections:
            part = f"（{section.part}）" if section.part else ""
            _say(f"  · {section.path}{part}：{len(section.text)}字")
    return 1 if failed else 0


def _numbers(numbers: tuple[int, ...]) -> str:
    if not numbers:
        return "—"
    ordered = sorted(numbers)
    if ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"{ordered[0]}–{ordered[-1]}" if len(ordered) > 1 else str(ordered[0])
    return "、".join(str(n) for n in numbers)


def _configure_list(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--category", default="", help="只列这一类")


@subcommand("docs", "列出政策资料库里的文档（编号、分类、标题、节数、来源）", _configure_list)
async def list_docs(args: argparse.Namespace) -> int:
    documents = await library.list_documents(args.category or None)
    if not documents:
        _say("资料库里没有文档。" if not args.category else f"分类「{args.category}」里没有文档。")
        return 0
    for doc in documents:
        date = doc.issued or "—"
        _say(
            f"{doc.id:>4}  ［{doc.category}］《{doc.title}》 {doc.sections}节 "
            f"首节{doc.first_number}  {date}  {doc.source}"
        )
    _say(f"共{len(documents)}篇。删除：python -m bot remove-docs <文档编号>")
    return 0


def _configure_remove(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "documents",
        nargs="+",
        metavar="ID_OR_PATH",
        help="文档编号（docs 列出的）或导入时的文件路径",
    )


@subcommand("remove-docs", "从政策资料库删除文档及其全部条文", _configure_remove)
async def remove_docs(args: argparse.Namespace) -> int:
    documents = await library.list_documents()
    by_id = {str(d.id): d for d in documents}
    by_source = {d.source: d for d in documents}
    chosen: list[int] = []
    unknown: list[str] = []
    for given in args.documents:
        doc = by_id.get(given) or by_source.get(given)
        if doc is None and not given.isdigit():
            doc = by_source.get(library.source_of(Path(given)))
        if doc is None:
            unknown.append(given)
        else:
            chosen.append(doc.id)
    if unknown:
        _say(f"没有这些文档：{'、'.join(unknown)}。什么也没删。先用 python -m bot docs 查看编号")
        return 1
    removed = await library.remove_documents(chosen)
    for doc in removed:
        _say(f"已删除：{doc.id}《{doc.title}》（{doc.sections}节）")
    return 0
