"""Start-up work and scheduled jobs of rules and content alerts.

At start-up the normaliser's character table is built and the matcher loaded; then every
`rules_reload_seconds` each process refreshes the watched groups and, when the list's version
moved, rebuilds its automata (`reload`); once a day matches older than `rules_record_days`
are deleted (`purge_old`). Tests call both themselves.
"""

from __future__ import annotations

from nonebot import get_driver, logger
from nonebot_plugin_apscheduler import scheduler

from bot import clock

from . import config, service, watch
from .handlers import reload_list
from .normalise import warm_up

RELOAD_JOB = "rules_reload"
PURGE_JOB = "rules_purge"


async def reload() -> None:
    """Watched groups afresh (one query, plus one per watched group), the list if it changed."""
    watch.set_groups(await service.watched_groups())
    await reload_list()
    watch.prune_floods(clock.now().timestamp())


async def purge_old() -> int:
    removed = await service.purge()
    if removed:
        logger.info(f"内容记录：删除了 {removed} 条超过 {config.rules_record_days} 天的记录")
    return removed


async def start() -> None:
    warm_up()
    await reload()
    scheduler.add_job(
        reload,
        "interval",
        seconds=config.rules_reload_seconds,
        id=RELOAD_JOB,
        replace_existing=True,
    )
    scheduler.add_job(purge_old, "cron", hour=3, minute=17, id=PURGE_JOB, replace_existing=True)


def install() -> None:
    get_driver().on_startup(start)
