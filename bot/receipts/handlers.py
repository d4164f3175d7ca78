from __future__ import annotations

import re

from nonebot.adapters import Bot, Event

from bot import clock
from bot.commands import Route, command, usage_error
from bot.config import core_config
from bot.deps import ArgText, CallerRole, CurrentChat, clean_text
from bot.messages import plain, send_long
from bot.once import TellOnce
from bot.platform import Chat
from bot.roster import scope_of

from . import CHASE, CONFIRM, FEATURE, STATUS, desk, jobs, messages, service
from .desk import Outcome

confirm = command(FEATURE, CONFIRM)
status = command(FEATURE, STATUS)
chase = command(FEATURE, CHASE)

_NUMBER = re.compile(r"[#＃]?(\d{1,9})")


def _number(arg: str) -> int | None:
    """The 编号 at the start of the argument, if it is one."""
    first = clean_text(arg, fold=True).partition(" ")[0]
    found = _NUMBER.fullmatch(first)
    return int(found.group(1)) if found else None


_not_recorded = TellOnce()
"""(account, subject) pairs told in a group that their 收到 cannot be recorded: an account
no roster person has may be a colleague who is no Party member, chatting; once is
informative, every time is noise."""


@confirm.handle()
async def _(chat: CurrentChat, arg: ArgText) -> None:
    # Only a number alone is a 编号: in a group `收到 3份材料` or `收到，谢谢` is a bare 收到
    # (or ordinary chat).
    found = _NUMBER.fullmatch(clean_text(arg, fold=True)) if arg else None
    number = int(found.group(1)) if found else None
    if arg and number is None and not chat.is_group:
        await usage_error(messages.CONFIRM_USAGE, messages.CONFIRM_EXAMPLE)
    result = await desk.confirm_in_chat(
        chat.platform, chat.group_id, chat.user_id, number, clock.now()
    )
    match result.outcome:
        case Outcome.SILENT:
            await confirm.finish()
        case Outcome.CONFIRMED:
            assert result.subject is not None
            assert result.confirmation is not None
            text = messages.confirmed(result.subject, result.confirmation, result.others)
        case Outcome.NOT_BOUND:
            subject_id = result.subject.id if result.subject else 0
            if (
                chat.is_group
                and number is None
                and not _not_recorded.first((chat.user_id, subject_id))
            ):
                await confirm.finish()  # told once already: 收到 is ordinary chat too
            text = messages.NOT_BOUND
        case Outcome.NOTHING_OPEN:
            text = messages.NOTHING_OPEN
        case Outcome.NO_SUCH:
            text = messages.no_such(number or 0)
        case Outcome.NOT_FOR_YOU:
            assert result.subject is not None
            text = messages.not_for_you(result.subject)
        case Outcome.CLOSED:
            assert result.subject is not None
            text = messages.closed(result.subject)
    await confirm.finish(plain(text))


async def _subject(route: Route, chat: Chat, arg: str, example: str) -> service.Subject:
    """The subject an officer's 回执 / 催办 is about, or finish with the reason."""
    number = _number(arg) if arg else None
    if arg and number is None:
        await usage_error(messages.NUMBER_USAGE, example)
    branch_id = await desk.branch_for(chat.platform, chat.group_id, chat.user_id)
    if branch_id is None:
        await route.finish(
            plain(messages.NOT_ON_ROSTER if not chat.is_group else messages.NOTHING_TO_SHOW)
        )
    found = await desk.pick_subject(branch_id, number, clock.now())
    if found is None:
        await route.finish(
            plain(messages.no_subject(number) if number is not None else messages.NOTHING_TO_SHOW)
        )
    return found


@status.handle()
async def _(bot: Bot, event: Event, chat: CurrentChat, role: CallerRole, arg: ArgText) -> None:
    subject = await _subject(status, chat, arg, messages.STATUS_EXAMPLE)
    scope = await scope_of(chat.platform, chat.user_id, subject.branch_id, role)
    done, people = await desk.completion_of(subject, scope)
    if chat.is_group:
        await status.finish(plain(messages.status_counts(subject, done, scope)))
    await send_long(bot, event, messages.status_list(subject, done, people, scope), title="回执")
    await status.finish()


@chase.handle()
async def _(bot: Bot, chat: CurrentChat, role: CallerRole, arg: ArgText) -> None:
    subject = await _subject(chase, chat, arg, messages.CHASE_EXAMPLE)
    scope = await scope_of(chat.platform, chat.user_id, subject.branch_id, role)
    now = clock.now()
    if subject.kind not in desk.NUDGED:  # the nudge asks for 收到 (or, for a poll, a ballot)
        await chase.finish(plain(messages.not_for_chase(subject)))
    if not subject.is_open(now):
        await chase.finish(plain(messages.closed_for_chase(subject)))
    try:
        result = await desk.claim_chase(subject, now, scope)
    except service.SubjectClosed:
        await chase.finish(plain(messages.closed_for_chase(subject)))
    text = messages.chase_counts(
        subject,
        len(result.claimed),
        len(result.already),
        len(result.unreachable),
        result.confirmed_count,
        result.expected_count,
        core_config().bot_send_interval + core_config().bot_send_jitter / 2,
        scope,
    )
    if not chat.is_group:
        text += messages.chase_private(subject, result.unreachable)
    await chase.send(plain(text))
    # The claims are committed, so nobody gets two today whatever happens to the sends;
    # they leave through the paced outbox, which takes a while for many people.
    await jobs.deliver(subject, result.claimed, now, via=bot.self_id, report_to=chat.user_id)
    await chase.finish()
