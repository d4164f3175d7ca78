"""`python -m bot import-roster FILE --chat <群号> [--skip-invalid]`."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from bot.branch import branch_of
from bot.cli import subcommand
from bot.platform import QQ

from . import messages
from .importing import MAX_BYTES, RosterFileError, import_roster


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="名册文件：.xlsx 或 .csv（UTF-8 或 GBK）")
    parser.add_argument("--chat", required=True, help="导入到这个QQ群所在的支部（群号）")
    parser.add_argument("--skip-invalid", action="store_true", help="跳过有误的行，导入其余的人")
    parser.epilog = f"表头（第一行）：{messages.columns()}；只有「姓名」必填。"


@subcommand("import-roster", "导入支部名册（Excel / CSV）", _configure)
async def import_roster_command(args: argparse.Namespace) -> int:
    path: Path = args.file
    chat = str(args.chat).strip()
    if not chat.isdigit():
        print(f"没有导入：--chat 应是群号（数字），现在是「{chat}」。例：--chat 123456789")
        return 2
    try:
        size = (await asyncio.to_thread(path.stat)).st_size
        if size > MAX_BYTES:
            print(
                f"没有导入：文件太大（{size / 1024 / 1024:.1f} MB），"
                f"名册最多 {MAX_BYTES // 1024 // 1024} MB"
            )
            return 1
        data = await asyncio.to_thread(path.read_bytes)
    except OSError as e:
        print(f"读不了文件 {path}：{e.strerror or e}")
        return 1
    branch = await branch_of(QQ, chat)
    try:
        report = await import_roster(branch.id, path.name, data, skip_invalid=args.skip_invalid)
    except RosterFileError as e:
        print(f"没有导入：{e}。表头：{messages.columns()}")
        return 1
    print(messages.import_report(report, limit=1000))
    return 0 if report.written else 1
