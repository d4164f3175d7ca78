"""Sending reminders through the platform: the only part of the feature that knows bots.

Group reminders leave through the core outbox (paced per account, through the account that is
in the group). Before an @全体 the platform is asked whether the bot may: its own role in the
group, and `get_group_at_all_remain` where the implementation has it. The reminder's text is
always one text segment; only the bot itself adds the @全体 segment in front of it. A
reminder that asks for a receipt gets its firing's receipt subject first, and the text says
its number.
"""

from __future__ import annotations

import asyncio
from datetime import datetime

from nonebot import logger
from nonebot.adapters import Bot

from bot.branch import branch_of
from bot.mentions import may_mention_all, mention_all_build
from bot.outbox import bot_for_group, send_to_group, send_to_user
from bot.platform import platform_of
from bot.settings.service import enabled_in, is_enabled

from . import REMINDER, config, messages, service
from .firings import Claim, Miss, Outcome
from .models import FAILED, SENT, SKIPPED


class Postman:
    """Delivers claims and summaries through the core outbox."""

    def __init__(self) -> None:
        self._switches: dict[str, asyncio.Task[bool]] = {}
        self._known: dict[str, bool] = {}

    async def prepare(self, chats: set[tuple[str, str]]) -> None:
        """Look up the switches of every group a pass is about to send to, in one go."""
        groups = sorted(chat for kind, chat in chats if kind == "group")
        self._known = await enabled_in(groups, REMINDER)  # answers are for this pass only

    async def _enabled(self, group_id: str) -> bool:
        """Whether the group has the feature on: from `prepare`, else asked of the core
        (the reminders a group has at one minute share one lookup)."""
        known = self._known.get(group_id)
        if known is not None:
            return known
        task = self._switches.get(group_id)
        if task is None:
            task = asyncio.ensure_future(is_enabled(group_id, REMINDER))
            self._switches[group_id] = task
            task.add_done_callback(lambda _: self._switches.pop(group_id, None))
        return await asyncio.shield(task)

    async def deliver(self, claim: Claim, now: datetime) -> Outcome:
        if claim.chat_kind == "private":
            text = messages.fired(claim, now)
            delivery = await send_to_user(claim.chat_id, text, bot_id=claim.bot_id)
        else:
            if not await self._enabled(claim.chat_id):
                return Outcome(claim.firing_id, SKIPPED, now, error="feature switched off")
            bot = await bot_for_group(claim.chat_id)
            if bot is None:
                return Outcome(claim.firing_id, FAILED, now, error="no bot in this group")
            subject_id = await self._receipt(bot, claim, now) if claim.receipt else None
            refusal = await may_mention_all(bot, claim.chat_id) if claim.mention_all else None
            text = messages.fired(claim, now, refusal, subject_id)
            if claim.mention_all and refusal is None:
                delivery = await send_to_group(claim.chat_id, mention_all_build(text))
            else:
                delivery = await send_to_group(claim.chat_id, text)
        if delivery.ok or delivery.uncertain:
            # Uncertain: the account got it and may well have posted it. A firing is sent at
            # most once, so it counts as sent rather than being tried again.
            return Outcome(claim.firing_id, SENT, now, late=claim.late(now))
        return Outcome(claim.firing_id, FAILED, now, error=delivery.error)

    async def _receipt(self, bot: Bot, claim: Claim, now: datetime) -> int:
        """The number of the firing's receipt subject, made before the text goes out (a
        retried firing finds the one it made)."""
        platform = platform_of(bot)
        branch = await branch_of(platform, claim.chat_id)
        subject = await service.receipt_subject(
            claim.reminder_id,
            claim.fire_at,
            branch_id=branch.id,
            title=claim.content,
            created_by=f"{platform}:{claim.creator_id}",
            group_id=claim.chat_id,
            open_days=config.reminder_receipt_open_days,
            next_fire=claim.schedule.next_after(claim.fire_at),
            now=now,
        )
        return subject.id

    async def reachable(self, kind: str, chat_id: str, bot_id: str) -> bool:
        import nonebot

        if kind == "private":
            return bot_id in nonebot.get_bots()
        return await bot_for_group(chat_id) is not None

    async def notify(self, kind: str, chat_id: str, misses: list[Miss], text: str) -> bool:
        if kind == "private":
            delivery = await send_to_user(chat_id, text, bot_id=misses[0].bot_id)
        else:
            if not await self._enabled(chat_id):
                return True  # switched off: nothing to tell, and nothing to retry
            delivery = await send_to_group(chat_id, text)
        if not delivery.ok:
            logger.warning(f"reminder summary to {kind} {chat_id} not sent: {delivery.error}")
        return delivery.ok
