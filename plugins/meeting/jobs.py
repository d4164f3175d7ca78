"""The meeting reminders: every `meeting_scan_seconds` each process asks the database which
reminders are due, claims each (a (meeting, kind, start) row inserted before sending, so it
goes out once per meeting time, whichever process claims it) and posts it to the group the
meeting was scheduled in through the paced outbox."""

from __future__ import annotations

from datetime import datetime

import nonebot
from nonebot import get_driver, logger
from nonebot_plugin_apscheduler import scheduler

from bot import clock, outbox

from . import config, messages, reminders

REMIND_JOB = "meeting_reminders"


async def remind_pass(now: datetime | None = None) -> int:
    """Claim and send the due reminders; how many went out. A meeting whose group no
    connected account reaches waits (nothing claimed); when both reminders are due at once
    (the process was down), only the later one is sent and both are claimed."""
    if not nonebot.get_bots():
        return 0
    now = now or clock.now()
    sent = 0
    for meeting, kinds in await reminders.due_reminders(now):
        try:
            if await outbox.bot_for_group(meeting.origin) is None:
                continue
            claimed = await reminders.claim_reminders(meeting, kinds, now)
            if not claimed:
                continue
            delivery = await outbox.send_to_group(meeting.origin, messages.reminder(meeting, now))
            if delivery.ok or delivery.uncertain:
                sent += 1
            else:
                await reminders.release_reminders(meeting, claimed)
        except Exception as e:  # one meeting's failure never stops the others
            logger.opt(exception=e).error(f"reminder of meeting {meeting.id} failed")
    return sent


async def _start() -> None:
    scheduler.add_job(
        remind_pass,
        "interval",
        seconds=config.meeting_scan_seconds,
        id=REMIND_JOB,
        replace_existing=True,
        max_instances=1,
        coalesce=True,
    )


def install() -> None:
    get_driver().on_startup(_start)
