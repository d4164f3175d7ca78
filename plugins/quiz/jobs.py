"""Start-up work and scheduled jobs of the quiz.

At start-up: the starter bank is loaded into an empty bank, then the daily push job
(`quiz_daily_push`, every `quiz_daily_scan_seconds`) is added to the scheduler. Tests run with
the scheduler stopped and call `push_due_questions()` themselves.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from nonebot import get_driver, logger
from nonebot_plugin_apscheduler import scheduler

from bot import app, clock
from bot.settings.service import is_enabled

from . import DAILY, config, messages, push, service
from .bank import import_bank
from .bankfiles import BankFileError

PUSH_JOB = "quiz_daily_push"


async def load_starter_bank() -> None:
    """A new install answers 每日一题 at once: the starter bank is loaded when the bank is empty."""
    if await service.bank_size():
        return
    folder = Path(config.quiz_starter_dir or app.ROOT / "data" / "questions")
    added = 0
    for path in sorted(await asyncio.to_thread(lambda: list(folder.glob("*.json")))):
        try:
            report = await import_bank(
                path.name,
                await asyncio.to_thread(path.read_bytes),
                skip_invalid=True,
                max_bytes=config.quiz_import_max_bytes,
                max_rows=config.quiz_import_max_rows,
                origin=f"starter:{path.name}",
            )
        except (BankFileError, OSError) as e:
            logger.warning(f"starter question bank {path} not loaded: {e}")
            continue
        added += report.added
    logger.info(f"题库为空，已载入入门题库：{added} 题（{folder}）")


def _render_push(question: service.QuestionView, late: bool) -> str:
    return messages.daily_push(question, clock.today(), late)


async def _daily_enabled(group_id: str) -> bool:
    return await is_enabled(group_id, DAILY)


async def push_due_questions() -> int:
    """The daily push job: every due group's question, once; how many were sent."""
    grace = timedelta(minutes=config.quiz_daily_grace_minutes)
    return await push.scan(grace, _daily_enabled, _render_push)


async def start() -> None:
    """Add the daily push job to the scheduler."""
    scheduler.add_job(
        push_due_questions,
        "interval",
        seconds=config.quiz_daily_scan_seconds,
        id=PUSH_JOB,
        replace_existing=True,
    )


def install() -> None:
    """Register the start-up hooks with the driver (the starter bank first, then the job)."""
    driver = get_driver()
    driver.on_startup(load_starter_bank)
    driver.on_startup(start)
