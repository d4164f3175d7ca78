"""The scheduler side: passes over the database, woken by APScheduler.

Two jobs, both rebuilt from the database: `reminder-scan` every REMINDER_SCAN_SECONDS (it
notices reminders other processes created, retries failed sends, takes over dead processes'
claims) and `reminder-wake`, one date job at the earliest `next_fire_at`, re-armed after every
pass and every change, so a reminder goes out at its minute rather than at the next scan.
A pass claims in the database first and sends afterwards, in background tasks that wait in
the core outbox; their results are written back in batches.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol

from nonebot import get_driver, logger
from nonebot.adapters import Bot
from nonebot_plugin_apscheduler import scheduler

from bot import clock

from . import config, firings, messages, service
from .firings import Claim, Miss, Outcome
from .models import FAILED

SCAN_JOB = "reminder-scan"
WAKE_JOB = "reminder-wake"

OWNER = uuid.uuid4().hex[:16]
"""This process, in claims it holds."""


class Postman(Protocol):
    async def prepare(self, chats: set[tuple[str, str]]) -> None: ...

    async def deliver(self, claim: Claim, now: datetime) -> Outcome: ...

    async def reachable(self, kind: str, chat_id: str, bot_id: str) -> bool: ...

    async def notify(self, kind: str, chat_id: str, misses: list[Miss], text: str) -> bool: ...


@dataclass
class PassReport:
    claimed: int = 0
    taken_over: int = 0
    missed: int = 0
    skipped: int = 0
    summaries: int = 0
    seconds: float = 0.0
    tasks: list[asyncio.Task[None]] = field(default_factory=list)


@dataclass
class _State:
    suspended: bool = False
    """Tests drive passes themselves: no jobs, no wake-ups."""
    postman: Postman | None = None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    flushing: asyncio.Lock = field(default_factory=asyncio.Lock)
    """Held while results are written, so `flush()` returns only once they are committed."""
    pending: set[int] = field(default_factory=set)
    """Firings this process has claimed and not yet recorded."""
    tasks: set[asyncio.Task[None]] = field(default_factory=set)
    results: list[Outcome] = field(default_factory=list)
    flusher: asyncio.Task[None] | None = None


state = _State()


def _grace() -> timedelta:
    return timedelta(minutes=config.reminder_grace_minutes)


def _lease() -> timedelta:
    return timedelta(seconds=config.reminder_claim_lease_seconds)


def _postman() -> Postman:
    if state.postman is None:
        from .delivery import Postman as OutboxPostman

        state.postman = OutboxPostman()
    return state.postman


async def run_pass(
    now: datetime | None = None,
    *,
    postman: Postman | None = None,
    wait: bool = True,
    eager: bool = False,
) -> PassReport:
    """One pass: renew our leases, take over stale claims, claim what is due, send.

    `wait=True` returns when this pass's messages are sent and recorded (tests, the CLI);
    the jobs do not wait, so the next pass is never held up by a slow send queue.
    """
    started = time.perf_counter()
    postman = postman or _postman()
    report = PassReport()
    async with state.lock:
        now = now or clock.now()
        if state.pending:
            await firings.renew(state.pending, now, lease=_lease(), owner=OWNER)
        # Only what a bot of this process can deliver now is claimed here; the rest is left
        # to a process that can (or, once past the grace period, recorded as missed).
        reach = {
            (kind, chat_id)
            for kind, chat_id, bot_id in await firings.chats_with_work(now, eager=eager)
            if await postman.reachable(kind, chat_id, bot_id)
        }
        await postman.prepare(reach)
        taken = await firings.take_over(
            now, grace=_grace(), lease=_lease(), owner=OWNER, eager=eager, reach=reach
        )
        report.taken_over, report.missed, report.skipped = (
            len(taken.claims),
            taken.missed,
            taken.skipped,
        )
        _send(taken.claims, postman, report)
        for _ in range(1000):  # batches of 500; a full batch means more may be due
            batch = await firings.claim_due(
                now, grace=_grace(), lease=_lease(), owner=OWNER, reach=reach
            )
            report.claimed += len(batch.claims)
            report.missed += batch.missed
            _send(batch.claims, postman, report)
            if not batch.more:
                break
        report.summaries = await _summarise(now, postman, report)
    report.seconds = time.perf_counter() - started
    await rearm()
    if wait:
        await asyncio.gather(*report.tasks)
        await flush()
    return report


def _send(claims: list[Claim], postman: Postman, report: PassReport) -> None:
    for claim in claims:
        state.pending.add(claim.firing_id)
        task = asyncio.create_task(_deliver(claim, postman))
        state.tasks.add(task)
        task.add_done_callback(state.tasks.discard)
        report.tasks.append(task)


async def _deliver(claim: Claim, postman: Postman) -> None:
    try:
        outcome = await postman.deliver(claim, clock.now())
    except Exception as e:  # one chat's failure never stops the others
        logger.opt(exception=e).error(f"reminder {claim.reminder_id} delivery failed")
        outcome = Outcome(claim.firing_id, FAILED, clock.now(), error=repr(e)[:200])
    state.results.append(outcome)
    if state.flusher is None or state.flusher.done():
        state.flusher = asyncio.create_task(_flush_soon())


async def _flush_soon() -> None:
    await asyncio.sleep(0.2)  # let results of one minute's burst share a transaction
    await flush()


async def flush() -> None:
    """Write the send results gathered so far (also those a concurrent flush has taken)."""
    async with state.flushing:
        await _flush()


async def _flush() -> None:
    while state.results:
        results, state.results = state.results, []
        try:
            await firings.record(
                results,
                retry=timedelta(seconds=config.reminder_retry_seconds),
                owner=OWNER,
            )
        except Exception as e:  # keep them for the next flush; leases keep the claims ours
            logger.opt(exception=e).error("could not record reminder results; will retry")
            state.results[:0] = results
            return
        for outcome in results:
            state.pending.discard(outcome.firing_id)


async def _summarise(now: datetime, postman: Postman, report: PassReport) -> int:
    """Tell each chat once about firings missed beyond the grace period."""
    told = 0
    for _ in range(20):  # pages of misses; the rest waits for the next pass
        chats = await firings.untold_misses(now)
        reachable = {
            chat: misses
            for chat, misses in chats.items()
            if await postman.reachable(chat[0], chat[1], misses[0].bot_id)
        }  # the others are kept until a bot can reach them (for a day)
        mine = await firings.tell([m.firing_id for misses in reachable.values() for m in misses])
        for (kind, chat_id), misses in reachable.items():
            misses = [m for m in misses if m.firing_id in mine]
            if not misses:
                continue
            text = messages.missed_summary(kind, misses, config.reminder_grace_minutes, now)
            task = asyncio.create_task(_notify(postman, kind, chat_id, misses, text))
            state.tasks.add(task)
            task.add_done_callback(state.tasks.discard)
            report.tasks.append(task)
            told += 1
        if sum(len(m) for m in chats.values()) < firings.SUMMARY_PAGE or not mine:
            break
    return told


async def _notify(postman: Postman, kind: str, chat_id: str, misses: list[Miss], text: str) -> None:
    try:
        ok = await postman.notify(kind, chat_id, misses, text)
    except Exception as e:
        logger.opt(exception=e).error(f"reminder summary to {kind} {chat_id} failed")
        ok = False
    if not ok:
        await firings.tell([m.firing_id for m in misses], told=False)


# ------------------------------------------------------------------------------ APScheduler


async def rearm() -> None:
    """Point the wake-up job at the earliest due reminder (after any change)."""
    if state.suspended or not scheduler.running:
        return
    due = await service.next_due()
    if due is None:
        if scheduler.get_job(WAKE_JOB):
            scheduler.remove_job(WAKE_JOB)
        return
    delay = max(0.0, (due - clock.now()).total_seconds())
    # APScheduler runs on the wall clock; the delay comes from the bot's clock (which a test
    # may have shifted with BOT_CLOCK_START), so the wake-up lands on the bot's minute.
    run_at = datetime.now(UTC) + timedelta(seconds=delay)
    scheduler.add_job(
        _job, "date", run_date=run_at, id=WAKE_JOB, replace_existing=True, misfire_grace_time=None
    )


async def changed() -> None:
    """A reminder was created or changed in this process."""
    try:
        await rearm()
    except Exception as e:  # the scan job still finds it
        logger.opt(exception=e).warning("could not re-arm the reminder wake-up")


async def _job(eager: bool = False) -> None:
    if state.suspended:
        return
    try:
        report = await run_pass(wait=False, eager=eager)
        await flush()  # results a failed write left behind
    except Exception as e:  # the next scan tries again
        logger.opt(exception=e).error("reminder pass failed")
        return
    if report.claimed or report.taken_over or report.missed or report.summaries:
        logger.info(
            f"提醒：发送{report.claimed}条，接管{report.taken_over}条，记为错过{report.missed}条，"
            f"汇总{report.summaries}个聊天（{report.seconds * 1000:.0f} ms）"
        )


async def start() -> float:
    """Catch up with what fell due while the bot was down, then start the jobs; the time it
    took in seconds."""
    started = time.perf_counter()
    if state.suspended:
        return 0.0
    total = await service.active_total()
    report = await run_pass(wait=False)
    scheduler.add_job(
        _job,
        "interval",
        seconds=config.reminder_scan_seconds,
        id=SCAN_JOB,
        replace_existing=True,
        coalesce=True,
        max_instances=1,
    )
    seconds = time.perf_counter() - started
    logger.info(
        f"提醒：{total}条进行中；启动补发{report.claimed}条，错过{report.missed}条；"
        f"用时 {seconds * 1000:.0f} ms"
    )
    return seconds


async def stop() -> None:
    for job_id in (SCAN_JOB, WAKE_JOB):
        if scheduler.get_job(job_id):
            scheduler.remove_job(job_id)


async def _on_connect(bot: Bot) -> None:
    """A bot (re)connected: failed sends and held-back summaries can go now."""
    if state.suspended:
        return
    from bot.outbox import forget_group_lists

    forget_group_lists()
    scheduler.add_job(_job, kwargs={"eager": True}, id=f"{WAKE_JOB}-connect", replace_existing=True)


def install() -> None:
    """Register the start-up catch-up, the jobs and the reconnect hook with the driver."""
    driver = get_driver()
    driver.on_startup(start)
    driver.on_shutdown(stop)
    driver.on_bot_connect(_on_connect)
