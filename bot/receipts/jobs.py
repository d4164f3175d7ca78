"""The nudges and summaries that go out by themselves, and the sending of nudges.

Every process runs `deadline_pass` every `receipts_scan_seconds`: the service hands each due
nudge-before-deadline and each summary-at-deadline to exactly one caller. Nudges leave
through the paced outbox in a background task (1,500 of them take minutes); their claims are
committed first, so a nudge is sent at most once per person, subject and day.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Sequence
from datetime import datetime, timedelta
from typing import Any

import nonebot
from nonebot import get_driver, logger
from nonebot_plugin_apscheduler import scheduler

from bot import clock, outbox
from bot.roster import GROUP_LEADER, PersonView, officers

from . import desk, messages, service
from .config import config
from .service import Subject

SCAN_JOB = "receipts_deadlines"

_tasks: set[asyncio.Task[Any]] = set()


def _spawn(work: Coroutine[Any, Any, Any]) -> None:
    task = asyncio.create_task(work)
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)


async def settle() -> None:
    """Wait until the nudges being sent in the background are out (tests, shutdown)."""
    while _tasks:
        await asyncio.gather(*list(_tasks), return_exceptions=True)


async def _account_for(subject: Subject, via: str | None) -> str | None:
    """The bot account that sends about a subject: the one in its group, else `via`."""
    if subject.origin:
        bot = await outbox.bot_for_group(subject.origin)
        if bot is not None:
            return bot.self_id
    return via


def send_nudges(
    subject: Subject,
    people: Sequence[PersonView],
    now: datetime,
    *,
    via: str | None = None,
    report_to: str | None = None,
) -> None:
    """`deliver` in the background. Failed claims are released, and `report_to` (the
    officer who asked) hears privately whose nudge did not go out."""
    if people:
        _spawn(deliver(subject, people, now, via=via, report_to=report_to))


async def deliver(
    subject: Subject,
    people: Sequence[PersonView],
    now: datetime,
    *,
    via: str | None = None,
    report_to: str | None = None,
) -> None:
    """Send the claimed nudges one by one through the paced outbox (and wait for them)."""
    if not people:
        return
    bot_id = await _account_for(subject, via)
    by_id = {p.id: p for p in people}
    text = messages.nudge(subject)

    async def send(person_id: int) -> bool:
        user_id = by_id[person_id].account_on(desk.QQ)
        if user_id is None:
            return False
        delivery = await outbox.send_to_user(user_id, text, bot_id=bot_id)
        return delivery.ok or delivery.uncertain

    report = await service.deliver_nudges(subject.id, [p.id for p in people], send, now)
    logger.info(
        f"{messages.label(subject)}: {len(report.sent)} nudges sent, {len(report.failed)} failed"
    )
    if report.failed and report_to:
        failed = [by_id[i] for i in report.failed]
        await outbox.send_to_user(
            report_to, messages.failed_private(subject, failed), bot_id=bot_id
        )


async def _nudge_before_deadline(subject: Subject, now: datetime) -> None:
    """What 催办 does, by itself: claim today's nudges of those who have not confirmed."""
    send_nudges(subject, (await desk.claim_chase(subject, now)).claimed, now)


async def _summarize(subject: Subject) -> None:
    done, people = await desk.completion_of(subject)
    bot_id = await _account_for(subject, None)
    told = 0
    for officer in await officers(subject.branch_id):
        user_id = officer.account_on(desk.QQ)
        if user_id is None:
            continue
        if officer.office == GROUP_LEADER:  # their own 党小组's part, if it has one
            if not officer.party_group or not any(
                p.party_group == officer.party_group for p in people
            ):
                continue
            scope = officer.party_group
            part, theirs = await desk.completion_of(subject, scope)
            text = messages.summary_private(subject, part, theirs, scope)
        else:
            text = messages.summary_private(subject, done, people)
        delivery = await outbox.send_to_user(user_id, text, bot_id=bot_id)
        told += delivery.ok or delivery.uncertain
    if not told and subject.origin:
        await outbox.send_to_group(subject.origin, messages.summary_counts(subject, done))


async def deadline_pass(now: datetime | None = None) -> None:
    """Claim and send what is due: nudges before deadlines, summaries at them. Skipped while
    no account is connected, so nothing is claimed and then lost."""
    if not nonebot.get_bots():
        return
    now = now or clock.now()
    before = timedelta(minutes=config.receipts_nudge_before_minutes)
    if before:
        for subject in await service.due_for_reminder(now, before, desk.NUDGED):
            try:
                await _nudge_before_deadline(subject, now)
            except Exception as e:  # one subject's failure never stops the others
                logger.opt(exception=e).error(f"nudge before {messages.label(subject)} failed")
    for subject in await service.due_for_summary(now, desk.CONFIRMABLE):
        try:
            await _summarize(subject)
        except Exception as e:  # one subject's failure never stops the others
            logger.opt(exception=e).error(f"summary of {messages.label(subject)} failed")


async def _start() -> None:
    scheduler.add_job(
        deadline_pass,
        "interval",
        seconds=config.receipts_scan_seconds,
        id=SCAN_JOB,
        replace_existing=True,
        max_instances=1,
        coalesce=True,
    )


def install() -> None:
    driver = get_driver()
    driver.on_startup(_start)
    driver.on_shutdown(settle)
