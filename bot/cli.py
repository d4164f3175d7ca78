"""`python -m bot [subcommand]` — run the bot, or do one job and exit.

Core subcommands are defined here; feature plugins add theirs with `@subcommand(...)` when
they are loaded, so `python -m bot --help` always lists everything installed.

Running the bot (`run`, `console`) logs as NoneBot does. A job (any other subcommand, or
`--help`) logs warnings and errors only, on stderr, so its own output on stdout is all the
operator sees; `-v` / `--verbose` brings back NoneBot's usual log level (plugin loading,
schema upgrades).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from loguru import Record

Runner = Callable[[argparse.Namespace], Awaitable[int]]
Configure = Callable[[argparse.ArgumentParser], None]


@dataclass(frozen=True)
class Subcommand:
    name: str
    help: str
    run: Runner
    configure: Configure | None = None
    upgrade_first: bool = True


_subcommands: dict[str, Subcommand] = {}


def subcommand(
    name: str, help: str, configure: Configure | None = None, *, upgrade_first: bool = True
) -> Callable[[Runner], Runner]:
    """Register `async def run(args) -> exit code` as `python -m bot <name>`.

    The database is at the newest revision and the ORM is ready when `run` is called
    (unless `upgrade_first=False`: then only the ORM's engines are ready).
    """

    def decorator(run: Runner) -> Runner:
        if name in _subcommands or name in ("run", "console"):
            raise ValueError(f"subcommand {name} is already defined")
        _subcommands[name] = Subcommand(name, help, run, configure, upgrade_first)
        return run

    return decorator


VERBOSE_HELP = "子命令也输出 NoneBot 的一般日志（插件加载、数据库升级等），默认只输出警告和错误"


def _verbose_option(parser: argparse.ArgumentParser, default: object = False) -> None:
    parser.add_argument("-v", "--verbose", action="store_true", default=default, help=VERBOSE_HELP)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="党建学习助手。不带子命令时启动机器人（同 run）。",
    )
    _verbose_option(parser)
    # Also accepted after the subcommand; SUPPRESS keeps a -v given before it.
    verbose = argparse.ArgumentParser(add_help=False)
    _verbose_option(verbose, default=argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", metavar="<子命令>")
    commands.add_parser(
        "run",
        help="启动机器人，等待 NapCat / Lagrange 等 OneBot 实现连接（默认）",
        parents=[verbose],
    )
    commands.add_parser(
        "console",
        help="在终端里和机器人对话，不需要 QQ（nonebot-adapter-console）",
        parents=[verbose],
    )
    for sub in sorted(_subcommands.values(), key=lambda s: s.name):
        sub_parser = commands.add_parser(
            sub.name, help=sub.help, description=sub.help, parents=[verbose]
        )
        if sub.configure:
            sub.configure(sub_parser)
    return parser


async def _run_job(sub: Subcommand, args: argparse.Namespace) -> int:
    from bot.db import init_engines, upgrade_schema

    if sub.upgrade_first:
        await upgrade_schema()
    else:
        init_engines()
    return await sub.run(args)


def _invocation(argv: list[str]) -> argparse.Namespace:
    """What the command line asks for, read before the plugins (which add subcommands and
    their options) are loaded: the subcommand (None: run), `--help`, `--verbose`."""
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("-h", "--help", action="store_true")
    early.add_argument("-v", "--verbose", action="store_true")
    early.add_argument("command", nargs="?")
    return early.parse_known_args(argv)[0]


def _job_logging(verbose: bool) -> None:
    """Logs of a job: on stderr, and warnings and errors only unless `verbose`. Replaces
    NoneBot's default handler (stdout, LOG_LEVEL) before `nonebot.init` logs anything."""
    from nonebot.log import default_filter, default_format, logger, logger_id

    warning = logger.level("WARNING").no

    def warnings_only(record: Record) -> bool:
        return record["level"].no >= warning and default_filter(record)

    with suppress(ValueError):  # already replaced (main called twice in one process)
        logger.remove(logger_id)
    logger.add(
        sys.stderr,
        level=0,
        diagnose=False,
        filter=default_filter if verbose else warnings_only,
        format=default_format,
    )


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    asked = _invocation(argv)
    mode = "console" if asked.command == "console" else "server"
    if asked.help or asked.command not in (None, "run", "console"):
        _job_logging(asked.verbose)

    from pydantic import ValidationError

    from bot import app

    try:
        app.setup(mode)
    except ValidationError as e:
        problems = "; ".join(
            f"{'.'.join(map(str, err['loc'])).upper()}: {err['msg']}" for err in e.errors()
        )
        print(f"配置有误（.env 或环境变量）：{problems}", file=sys.stderr)
        return 2
    args = _parser().parse_args(argv)
    command = args.command or "run"
    if command in ("run", "console"):
        import nonebot

        nonebot.run()
        return 0
    return asyncio.run(_run_job(_subcommands[command], args))


# Core jobs ---------------------------------------------------------------------------------


def _configure_db(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="<操作>", required=True)
    upgrade = actions.add_parser("upgrade", help="把数据库升级到最新版本后退出（启动时也会自动做）")
    upgrade.add_argument(
        "revision", nargs="?", default=None, help="目标版本（默认最新），如 settings@head"
    )
    actions.add_parser("status", help="显示数据库当前版本和最新版本")
    revision = actions.add_parser("revision", help="开发用：按模型变化为一个插件生成迁移脚本")
    revision.add_argument("plugin", help="插件名，如 points、settings、checkin")
    revision.add_argument("-m", "--message", required=True, help="迁移说明（英文）")


@subcommand("db", "数据库：升级、查看版本、生成迁移", _configure_db, upgrade_first=False)
async def _db(args: argparse.Namespace) -> int:
    from nonebot_plugin_orm import migrate, plugin_config
    from sqlalchemy.util import greenlet_spawn

    from bot.db import only_plugin_tables, upgrade_schema

    if args.action == "upgrade":
        await upgrade_schema(args.revision)
        print(f"数据库已升级到{args.revision or '最新版本'}。")
        return 0
    if args.action == "revision":
        await upgrade_schema()
    with migrate.AlembicConfig(stdout=sys.stdout) as config:
        if args.action == "status":
            await greenlet_spawn(migrate.current, config, True)
            await greenlet_spawn(migrate.heads, config, True)
            return 0
        plugin_config.alembic_context["include_object"] = only_plugin_tables(args.plugin)
        scripts = await greenlet_spawn(
            lambda: list(migrate.revision(config, args.message, branch_label=args.plugin))
        )
        for script in scripts:
            print(f"已生成：{config.move_script(script)}")
    return 0
