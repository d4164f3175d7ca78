from __future__ import annotations

import re

from nonebot.adapters import Bot, Event, Message
from nonebot.params import CommandArg

from bot import clock
from bot.branch import branch_of
from bot.commands import Route, command, usage_error
from bot.deps import ArgText, CallerRole, CurrentChat, clean_text
from bot.mentions import asks_mention_all, may_mention_all, without_mention_all
from bot.messages import plain, send_long
from bot.platform import Chat, Role
from bot.roster import counts
from bot.when import Parsed, ParseError, parse

from . import CANCEL, EDIT, LIST, PAUSE, REMIND, REMINDER, RESUME, TEMPLATE, config, jobs, messages
from . import service as reminders
from .templates import SETS, pick

remind = command(REMINDER, REMIND)
list_ = command(REMINDER, LIST)
cancel = command(REMINDER, CANCEL)
pause = command(REMINDER, PAUSE)
resume = command(REMINDER, RESUME)
edit = command(REMINDER, EDIT)
template = command(REMINDER, TEMPLATE)

_NUMBER = re.compile(r"#?(\d{1,6})")


def _split_receipt(text: str) -> tuple[str, bool]:
    """The text without a trailing 回执 / 需回执 / 要回执 word, and whether it had one."""
    head, space, last = text.rpartition(" ")
    if space and last in messages.RECEIPT_WORDS:
        return head.strip(), True
    return text, False


async def _need_roster(route: Route, chat: Chat) -> None:
    """Finish unless the group's branch has a roster (who is expected to confirm)."""
    branch = await branch_of(chat.platform, chat.chat_id)
    if not (await counts(branch.id)).total:
        await route.finish(plain(messages.RECEIPT_NO_ROSTER))


async def _read(route: Route, text: str, *, content_required: bool = True) -> Parsed:
    """Parse `<时间> <内容>` or finish with examples / the reason."""
    now = clock.now()
    try:
        parsed = parse(text, now, config.reminder_default_time)
    except ParseError as e:
        await route.finish(plain(messages.cannot_use(e, now)))
    if content_required and not parsed.content:
        await route.finish(plain(messages.need_content(parsed.phrase)))
    limit = config.reminder_max_content_chars
    if len(parsed.content) > limit:
        await route.finish(plain(messages.too_long(len(parsed.content), limit)))
    if parsed.schedule.recurring:
        gap = parsed.schedule.shortest_gap(now)
        least = config.reminder_min_interval_minutes
        if gap is not None and gap.total_seconds() < least * 60:
            await route.finish(plain(messages.too_frequent(int(gap.total_seconds() // 60), least)))
    return parsed


async def _mention_line(bot: Bot, chat: Chat, wanted: bool) -> str | None:
    if not wanted:
        return None
    if not chat.is_group:
        return messages.MENTION_PRIVATE
    refusal = await may_mention_all(bot, chat.chat_id)
    return messages.MENTION_WILL if refusal is None else messages.mention_refused(refusal)


@remind.handle()
async def _(
    bot: Bot, chat: CurrentChat, role: CallerRole, arg: ArgText, message: Message = CommandArg()
) -> None:
    if chat.is_group and not role.is_admin:
        await remind.finish(plain(messages.GROUP_ADMINS_ONLY))
    if not arg:
        await remind.finish(plain(messages.need_time()))
    wanted = asks_mention_all(message)
    text, receipt = _split_receipt(without_mention_all(arg))
    if receipt and not chat.is_group:
        await usage_error(messages.RECEIPT_PRIVATE, messages.RECEIPT_EXAMPLE)
    parsed = await _read(remind, text)
    if receipt:
        await _need_roster(remind, chat)
    now = clock.now()
    try:
        view = await reminders.create(
            chat.kind,
            chat.chat_id,
            bot_id=chat.bot_id,
            creator_id=chat.user_id,
            schedule=parsed.schedule,
            content=parsed.content,
            mention_all=wanted and chat.is_group,
            receipt=receipt,
            limit=config.reminder_max_per_chat,
            now=now,
        )
    except reminders.LimitReached as e:
        await remind.finish(plain(messages.too_many(chat.kind, e.count, e.limit)))
    await jobs.changed()
    mention = await _mention_line(bot, chat, wanted)
    times = parsed.schedule.upcoming(now, 3)
    await remind.finish(plain(messages.created(view, times, now, parsed.notes, mention)))


@list_.handle()
async def _(bot: Bot, event: Event, chat: CurrentChat) -> None:
    views = await reminders.reminders(chat.kind, chat.chat_id)
    text = messages.listing(chat.kind, views, clock.now())
    await send_long(bot, event, text, title="提醒列表")


async def _number(route: Route, chat: Chat, role: Role, arg: str) -> tuple[int, str]:
    """The 编号 at the start of the argument (and the rest), after the permission check."""
    if chat.is_group and not role.is_admin:
        await route.finish(plain(messages.MANAGE_ADMINS_ONLY.format(name=route.doc.name)))
    first, _, _rest = clean_text(arg, fold=True).partition(" ")
    found = _NUMBER.fullmatch(first)
    if found is None:
        await usage_error(messages.NEED_NUMBER, route.doc.examples[0])
    return int(found.group(1)), arg.partition(" ")[2].strip()


@cancel.handle()
async def _(chat: CurrentChat, role: CallerRole, arg: ArgText) -> None:
    number, _ = await _number(cancel, chat, role, arg)
    view = await reminders.cancel(chat.kind, chat.chat_id, number)
    if view is None:
        await cancel.finish(plain(messages.not_found(chat.kind, number)))
    await jobs.changed()
    await cancel.finish(plain(messages.cancelled(view)))


@pause.handle()
async def _(chat: CurrentChat, role: CallerRole, arg: ArgText) -> None:
    number, _ = await _number(pause, chat, role, arg)
    view = await reminders.pause(chat.kind, chat.chat_id, number)
    if view is None:
        current = await reminders.find(chat.kind, chat.chat_id, number)
        if current is None:
            await pause.finish(plain(messages.not_found(chat.kind, number)))
        await pause.finish(plain(messages.not_active(current)))
    await jobs.changed()
    await pause.finish(plain(messages.paused(view)))


@resume.handle()
async def _(chat: CurrentChat, role: CallerRole, arg: ArgText) -> None:
    number, _ = await _number(resume, chat, role, arg)
    now = clock.now()
    try:
        view = await reminders.resume(chat.kind, chat.chat_id, number, now)
    except reminders.Expired as e:
        await resume.finish(plain(messages.expired(e.view, now)))
    if view is None:
        current = await reminders.find(chat.kind, chat.chat_id, number)
        if current is None:
            await resume.finish(plain(messages.not_found(chat.kind, number)))
        await resume.finish(plain(messages.not_paused(current, now)))
    await jobs.changed()
    await resume.finish(plain(messages.resumed(view, now)))


@edit.handle()
async def _(
    bot: Bot, chat: CurrentChat, role: CallerRole, arg: ArgText, message: Message = CommandArg()
) -> None:
    number, rest = await _number(edit, chat, role, arg)
    if not rest:
        await usage_error(messages.EDIT_NEEDS_TIME, edit.doc.examples[0])
    current = await reminders.find(chat.kind, chat.chat_id, number)
    if current is None:
        await edit.finish(plain(messages.not_found(chat.kind, number)))
    wanted = asks_mention_all(message)
    text, receipt = _split_receipt(without_mention_all(rest))
    if receipt and not chat.is_group:
        await usage_error(messages.RECEIPT_PRIVATE, messages.RECEIPT_EXAMPLE)
    parsed = await _read(edit, text, content_required=False)
    if receipt:
        await _need_roster(edit, chat)
    now = clock.now()
    view = await reminders.edit(
        chat.kind,
        chat.chat_id,
        number,
        parsed.schedule,
        parsed.content or None,
        mention_all=True if wanted and chat.is_group else None,
        now=now,
        receipt=True if receipt else None,
    )
    if view is None:
        await edit.finish(plain(messages.not_found(chat.kind, number)))
    await jobs.changed()
    mention = await _mention_line(bot, chat, wanted)
    times = parsed.schedule.upcoming(now, 3)
    await edit.finish(plain(messages.created(view, times, now, parsed.notes, mention, "已修改")))


@template.handle()
async def _(chat: CurrentChat, arg: ArgText) -> None:
    word = arg.split(" ")[0] if arg else ""
    standards = pick(word)
    if standards is None:
        await template.finish(plain(messages.template_unknown(word, list(SETS))))
    now = clock.now()
    try:
        outcome = await reminders.apply_template(
            chat.kind,
            chat.chat_id,
            bot_id=chat.bot_id,
            creator_id=chat.user_id,
            standards=standards,
            limit=config.reminder_max_per_chat,
            now=now,
        )
    except reminders.LimitReached as e:
        await template.finish(plain(messages.too_many(chat.kind, e.count, e.limit)))
    if outcome.created:
        await jobs.changed()
    await template.finish(plain(messages.template_done(outcome.created, outcome.existing, now)))
