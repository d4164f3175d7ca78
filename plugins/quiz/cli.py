"""`python -m bot import-questions FILE [--category X] [--skip-invalid]`."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from bot.cli import subcommand

from . import config, messages
from .bank import import_bank
from .bankfiles import BankFileError


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file",
        type=Path,
        help="题库文件：.xlsx、.csv（UTF-8 或 GBK）、.json，或【习题N】格式的 .txt",
    )
    parser.add_argument(
        "--category", help="给所有题目用这个分类（覆盖文件里的分类列；不给也没有分类列时用文件名）"
    )
    parser.add_argument("--skip-invalid", action="store_true", help="跳过有误的行，导入其余的题")
    parser.epilog = messages.columns_hint()


@subcommand("import-questions", "导入题库（Excel / CSV / JSON / 【习题N】文本）", _configure)
async def import_questions(args: argparse.Namespace) -> int:
    path: Path = args.file
    try:
        size = (await asyncio.to_thread(path.stat)).st_size
        if size > config.quiz_import_max_bytes:
            print(
                f"没有导入：文件太大（{size / 1024 / 1024:.1f} MB），最多 {config.quiz_import_max_bytes // 1024 // 1024} MB"
            )
            return 1
        data = await asyncio.to_thread(path.read_bytes)
    except OSError as e:
        print(f"读不了文件 {path}：{e.strerror or e}")
        return 1
    try:
        report = await import_bank(
            path.name,
            data,
            category=args.category,
            skip_invalid=args.skip_invalid,
            max_bytes=config.quiz_import_max_bytes,
            max_rows=config.quiz_import_max_rows,
        )
    except BankFileError as e:
        print(f"没有导入：{e}")
        return 1
    print(messages.import_report(report, cli=True, limit=1000))
    return 0 if report.written else 1
