"""Building the NoneBot application: configuration defaults, adapters, plugins, start-up."""

from __future__ import annotations

import ipaddress
import os
import pkgutil
from pathlib import Path
from typing import Any, Literal

import nonebot
from dotenv import dotenv_values
from nonebot import logger

Mode = Literal["server", "console"]

CORE_PLUGINS = (
    "bot.router",
    "bot.settings",
    "bot.points",
    "bot.members",
    "bot.uploads",
    "bot.branch",
    "bot.roster",
    "bot.receipts",
    "bot.help",
)
"""Library plugins every feature may rely on, loaded before the features; the message
router first, since the others declare commands."""

ROOT = Path(__file__).resolve().parent.parent

CONSOLE_OPERATOR = "console:user"
"""The person typing in `python -m bot console` (nonebot-adapter-console names them `user`)."""

# NoneBot settings this project needs unless the operator sets them in .env or the environment.
DEFAULTS: dict[str, Any] = {
    "driver": "~fastapi+~httpx+~websockets",
    "command_start": ["/", "／", ""],
}


def _user_settings() -> dict[str, str | None]:
    """What the operator set in the .env files and the environment (names in lower case)."""
    environment = (
        os.environ.get("ENVIRONMENT") or dotenv_values(".env").get("ENVIRONMENT") or "prod"
    )
    settings: dict[str, str | None] = {}
    for name in (".env", f".env.{environment}"):
        settings |= {key.lower(): value for key, value in dotenv_values(name).items()}
    settings |= {key.lower(): value for key, value in os.environ.items()}
    return settings


def init_kwargs(mode: Mode = "server", database_url: str | None = None) -> dict[str, Any]:
    """Arguments for `nonebot.init`: the project's defaults minus what the operator set."""
    from bot.db import SQLITE_ENGINE_OPTIONS, render_item

    user = _user_settings()
    kwargs = {key: value for key, value in DEFAULTS.items() if key not in user}
    url = database_url or user.get("sqlalchemy_database_url") or ""
    if (not url or url.startswith("sqlite")) and "sqlalchemy_engine_options" not in user:
        kwargs["sqlalchemy_engine_options"] = SQLITE_ENGINE_OPTIONS
    if mode == "console":
        kwargs["driver"] = "~none"  # the console adapter owns the terminal; no web server
    kwargs["alembic_context"] = {"render_item": render_item}
    return kwargs


def register_adapters(mode: Mode = "server") -> None:
    driver = nonebot.get_driver()
    if mode == "console":
        from nonebot.adapters.console import Adapter as ConsoleAdapter

        # The person at the terminal runs the bot: they may use admin commands.
        driver.config.superusers = {*driver.config.superusers, CONSOLE_OPERATOR}
        driver.register_adapter(ConsoleAdapter)
    else:
        from bot.adapters import OneBotV11Adapter, OneBotV12Adapter

        driver.register_adapter(OneBotV11Adapter)
        driver.register_adapter(OneBotV12Adapter)
        driver.on_startup(_log_where_to_connect)


def setup(mode: Mode = "server") -> None:
    """Initialise NoneBot, register adapters and load every plugin (does not run it).

    Raises pydantic's ValidationError when a BOT_* setting is invalid.
    """
    nonebot.init(**init_kwargs(mode))
    apply_core_config()
    register_adapters(mode)
    load_plugins()


def apply_core_config() -> None:
    from bot import clock
    from bot.config import core_config

    config = core_config()
    clock.set_zone(config.bot_timezone)
    if config.bot_clock_start is not None:
        clock.set_clock(clock.OffsetClock(config.bot_clock_start))
        logger.warning(f"测试时钟：机器人的时间从 {config.bot_clock_start.isoformat()} 开始走")


def load_plugins() -> None:
    """The schema upgrade hook first, then core plugins, then every feature in plugins/."""
    from bot import boundary as boundary  # registers the error boundary
    from bot.db import upgrade_schema

    driver = nonebot.get_driver()
    # Must be registered before nonebot_plugin_orm is imported: its own start-up check runs
    # next and then finds the database at the newest revision, so it never prompts.
    driver.on_startup(upgrade_schema)
    nonebot.require("nonebot_plugin_orm")
    nonebot.require("nonebot_plugin_localstore")
    nonebot.require("nonebot_plugin_apscheduler")
    for name in CORE_PLUGINS:
        nonebot.load_plugin(name)
    import plugins

    for module in pkgutil.iter_modules(plugins.__path__, "plugins."):
        if module.ispkg:
            nonebot.load_plugin(module.name)


async def _log_where_to_connect() -> None:
    from nonebot.adapters.onebot.v11.config import Config as OneBotConfig
    from nonebot_plugin_localstore import get_data_dir

    config = nonebot.get_driver().config
    host = str(config.host)
    shown = host if host not in ("0.0.0.0", "::") else "<本机IP>"
    token = nonebot.get_plugin_config(OneBotConfig).onebot_access_token
    logger.info(f"NapCat / Lagrange 反向 WebSocket 地址：ws://{shown}:{config.port}/onebot/v11/ws")
    logger.info(f"OneBot v12 反向 WebSocket 地址：ws://{shown}:{config.port}/onebot/v12/ws")
    if token:
        logger.info("访问令牌 ONEBOT_ACCESS_TOKEN：已设置，连接时须带上同一个令牌")
    elif _is_loopback(host):
        logger.info("访问令牌 ONEBOT_ACCESS_TOKEN：未设置（只监听本机，可以不设）")
    else:
        logger.warning(
            f"访问令牌 ONEBOT_ACCESS_TOKEN 未设置，而 HOST={host} 对外开放："
            "任何人都能冒充 QQ 连接本机器人。请在 .env 中设置 ONEBOT_ACCESS_TOKEN"
        )
    if not config.superusers:
        logger.warning(
            "SUPERUSERS 未设置：没有人能在所有群管理机器人。请在 .env 中填写运维人员的 QQ 号"
        )
    logger.info(f"数据目录：{get_data_dir(None)}")


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"
