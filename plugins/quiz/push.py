"""The daily push. The database says what is due; APScheduler only wakes the process.

Every `quiz_daily_scan_seconds` one job looks at the groups' push times. A group is due when
its time today has passed (within the grace period) and today's question has not been pushed;
the push is claimed with a conditional UPDATE of `pushed_at`, so with several processes on one
database exactly one sends it, and only when a connected account is in the group. A push
missed while the bot was down or disconnected goes out late, once, when a scan runs within
the grace period after it is back; later than that it is not sent.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, time, timedelta

from nonebot import logger
from nonebot_plugin_orm import get_session
from sqlalchemy import select, update

from bot import clock
from bot.db import rowcount
from bot.outbox import bot_for_group, send_to_group

from .models import DailyQuestion, DailySchedule
from .service import QuestionView, daily_question


def parse_time(text: str) -> time | None:
    """`9:00`, `09:00`, `21:30`, `9点`, `9点30` → time; None when it is not a time of day."""
    text = text.strip().replace("：", ":").replace("点半", ":30").replace("点", ":").rstrip(":")
    if ":" not in text:
        text += ":00"
    hours, _, minutes = text.partition(":")
    if not (hours.isdigit() and minutes.isdigit()) or len(hours) > 2 or len(minutes) != 2:
        return None
    hour, minute = int(hours), int(minutes)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def due_at(push_time: str, day: datetime) -> datetime:
    """The push instant on the local day of `day`."""
    hour, minute = map(int, push_time.split(":"))
    return datetime.combine(day.date(), time(hour, minute), tzinfo=clock.zone())


async def due_groups(now: datetime, grace: timedelta) -> list[tuple[str, datetime]]:
    """(group, its push time today) for every push that is due now and not yet made."""
    local = clock.local_now(now)
    async with get_session() as session:
        schedules = (await session.execute(select(DailySchedule))).scalars().all()
        pushed = set(
            await session.scalars(
                select(DailyQuestion.group_id).where(
                    DailyQuestion.day == local.date(), DailyQuestion.pushed_at.is_not(None)
                )
            )
        )
    due = []
    for schedule in schedules:
        at = due_at(schedule.push_time, local)
        if schedule.group_id in pushed or not (at <= local <= at + grace):
            continue  # done already, not yet time, or missed by more than the grace period
        if schedule.updated_at.astimezone(clock.zone()) > at:
            continue  # set after today's time: the first push is tomorrow
        due.append((schedule.group_id, at))
    return due


async def claim_push(group_id: str, now: datetime) -> bool:
    """Mark today's push of a group as made; True for the one caller that got it."""
    day = clock.today(now)
    async with get_session() as session, session.begin():
        claimed = await rowcount(
            session,
            update(DailyQuestion)
            .where(
                DailyQuestion.group_id == group_id,
                DailyQuestion.day == day,
                DailyQuestion.pushed_at.is_(None),
            )
            .values(pushed_at=now),
        )
    return claimed == 1


LATE_AFTER = timedelta(minutes=5)


async def scan(
    grace: timedelta,
    is_enabled: Callable[[str], Awaitable[bool]],
    render: Callable[[QuestionView, bool], str],
) -> int:
    """Push every due group's daily question; returns how many were sent."""
    now = clock.now()
    sent = 0
    for group_id, at in await due_groups(now, grace):
        try:
            if not await is_enabled(group_id):
                continue
            if await bot_for_group(group_id) is None:
                continue  # no connected account is in the group: a later scan sends it
            question = await daily_question(group_id)
            if question is None or not await claim_push(group_id, now):
                continue
            late = clock.local_now(now) - at > LATE_AFTER
            delivery = await send_to_group(group_id, render(question, late))
            sent += delivery.ok
        except Exception as e:  # one group's failure never stops the others
            logger.opt(exception=e).error(f"daily push to group {group_id} failed")
    return sent
