"""`python -m bot import-docs / docs / remove-docs` — the library from the command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.cli import subcommand

from . import config, library
from .readers import SUPPORTED, read_document
from .sectioning import AUTHORITIES, INTERPRETATION, UNSORTED, DocumentError, parse_authority

STATUS = {"added": "新增", "updated": "更新", "unchanged": "未变"}


def _say(line: str = "") -> None:
    sys.stdout.write(line + "\n")


def _configure_import(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths", nargs="+", metavar="PATH", help="文件或文件夹（.md .txt .docx .pdf .html）"
    )
    parser.add_argument(
        "--category",
        default="",
        help="分类（文件头信息或说明文件里没写分类时用；默认取子文件夹名，再不然为「其他」）",
    )
    parser.add_argument(
        "--kind",
        default="",
        help="文件性质：原文、解读 或 本支部（文件里没写时：按第X条分条的算原文，起始资料算解读，"
        "其余算本支部）；检索时原文排在解读前面",
    )
    parser.add_argument("--dry-run", action="store_true", help="只显示会怎样切分，不写入资料库")


@subcommand(
    "import-docs",
    "把学习资料（Markdown、纯文本、Word、PDF、网页，文件或文件夹）导入政策资料库；同一文件再导入即更新",
    _configure_import,
)
async def import_docs(args: argparse.Namespace) -> int:
    paths = [Path(p) for p in args.paths]
    authority = parse_authority(args.kind) if args.kind else _starter_default(paths)
    if args.kind and not authority:
        _say(f"--kind 写的是「{args.kind}」，请写 原文、解读 或 本支部")
        return 2
    if args.dry_run:
        return _dry_run(paths, args.category, authority)
    report = await library.import_paths(
        paths, category=args.category, authority=authority, **config.import_limits()
    )
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
    _say_skipped(report.skipped)
    failed = len(report.failed)
    _say(
        f"共{len(report.files)}个文件：新增{counts['added']}，更新{counts['updated']}，"
        f"未变{counts['unchanged']}，失败{failed}"
    )
    if not report.files:
        _say(f"没有找到可导入的文件（支持 {SUPPORTED}）")
        return 1
    return 1 if failed else 0


SKIPPED_SHOWN = 10


def _say_skipped(skipped: list[Path]) -> None:
    """Files of a type that is not read, named (the first ten), so nothing vanishes."""
    if not skipped:
        return
    names = "、".join(str(p) for p in skipped[:SKIPPED_SHOWN])
    more = f" 等{len(skipped)}个" if len(skipped) > SKIPPED_SHOWN else ""
    _say(f"跳过{len(skipped)}个不支持的文件（支持 {SUPPORTED}）：{names}{more}")


def _starter_default(paths: list[Path]) -> str:
    """Files given from the starter library's folder are interpretation (as at first start)."""
    starter = config.starter_path()
    if starter is None:
        return ""
    root = starter.resolve()
    inside = [p.resolve() == root or p.resolve().is_relative_to(root) for p in paths]
    return INTERPRETATION if inside and all(inside) else ""


def _dry_run(paths: list[Path], category: str, authority: str) -> int:
    collected = library.collect_files(paths)
    for result in collected.refused:
        _say(f"失败：{result.path}：{result.error}")
    failed = len(collected.refused)
    limits = config.import_limits()
    for path, folder_category in collected.found:
        try:
            parsed = read_document(path, default_category=category or folder_category, **limits)
        except DocumentError as e:
            _say(f"失败：{path}：{e.reason}")
            failed += 1
            continue
        shown = AUTHORITIES.get(authority or parsed.authority, "")
        _say(
            f"《{parsed.title}》［{parsed.category or UNSORTED}］{shown} "
            f"{parsed.issuer or '—'} {parsed.issued or '—'}"
            f"，{len(parsed.sections)}节（{path}）；标题取自{parsed.title_from}"
        )
        for section in parsed.sections:
            part = f"（{section.part}）" if section.part else ""
            _say(f"  · {section.path}{part}：{len(section.text)}字")
    _say_skipped(collected.skipped)
    if not collected.found and not collected.refused:
        _say(f"没有找到可导入的文件（支持 {SUPPORTED}）")
        return 1
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


@subcommand(
    "docs", "列出政策资料库里的文档（编号、分类、性质、标题及其出处、节数、来源）", _configure_list
)
async def list_docs(args: argparse.Namespace) -> int:
    documents = await library.list_documents(args.category or None)
    if not documents:
        _say("资料库里没有文档。" if not args.category else f"分类「{args.category}」里没有文档。")
        return 0
    for doc in documents:
        date = doc.issued or "—"
        authority = AUTHORITIES.get(doc.authority, doc.authority)
        title_from = f"（标题取自{doc.title_from}）" if doc.title_from else ""
        _say(
            f"{doc.id:>4}  ［{doc.category}］{authority}《{doc.title}》{title_from} "
            f"{doc.sections}节 首节{doc.first_number}  {date}  {doc.source}"
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
