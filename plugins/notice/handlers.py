from __future__ import annotations

import uuid

from nonebot.adapters import Bot, Event

from bot import clock
from bot.branch import branch_of
from bot.commands import command, usage_error
from bot.deps import ArgText, CallerRole, CurrentChat
from bot.mentions import asks_mention_all, may_mention_all, mention_all_message, without_mention_all
from bot.messages import plain
from bot.receipts.audience import OutsideGroup, confine, people_for
from bot.roster import counts, scope_of
from bot.when import ParseError, parse_moment

from . import NOTICE, POST, config, messages, parsing, service

post = command(NOTICE, POST)


def _ref(chat_id: str, platform: str, event: Event) -> str:
    """The command's message: a retried event makes the notice once."""
    message_id = getattr(event, "message_id", None)
    return f"{platform}:{chat_id}:{message_id if message_id is not None else uuid.uuid4().hex}"


@post.handle()
async def _(bot: Bot, event: Event, chat: CurrentChat, role: CallerRole, arg: ArgText) -> None:
    if not arg:
        await usage_error(messages.NO_CONTENT)
    wanted = asks_mention_all(event.get_message())  # a typed @全体 or a real mention
    try:
        draft = parsing.split(without_mention_all(arg))
    except parsing.NoticeError as e:
        await usage_error(messages.problem(e))
    if len(draft.content) > config.notice_max_chars:
        await usage_error(messages.too_long(len(draft.content), config.notice_max_chars))
    now = clock.now()
    deadline = None
    if draft.deadline is not None:
        try:
            moment = parse_moment(draft.deadline, now, config.notice_deadline_time)
        except ParseError as e:
            await post.finish(plain(messages.bad_deadline(e.reason)))
        if moment.content:
            await usage_error(
                messages.DEADLINE_LEFTOVER.format(rest=moment.content), messages.DEADLINE_EXAMPLE
            )
        if moment.at <= now:
            await usage_error(
                messages.PAST.format(when=messages.at(moment.at)), messages.DEADLINE_EXAMPLE
            )
        deadline = moment.at
    branch = await branch_of(chat.platform, chat.chat_id)
    roster = await counts(branch.id)
    if not roster.total:
        await post.finish(plain(messages.NO_ROSTER))
    groups = list(roster.by_group)
    try:
        audience = parsing.audience(draft.audience, groups)
    except parsing.NoticeError as e:
        await usage_error(messages.problem(e, [g for g in groups if g]), messages.AUDIENCE_EXAMPLE)
    scope = await scope_of(chat.platform, chat.user_id, branch.id, role)
    if scope:  # a 党小组长 notifies their own 党小组
        try:
            audience = confine(audience, scope)
        except OutsideGroup:
            await usage_error(messages.own_group_only(scope), messages.own_group_example(scope))
    people = await people_for(branch.id, audience)
    if not people:
        await post.finish(plain(messages.nobody(" ".join(draft.audience or []))))
    posted = await service.post(
        branch.id,
        ref=_ref(chat.chat_id, chat.platform, event),
        author=f"{chat.platform}:{chat.user_id}",
        content=draft.content,
        deadline=deadline,
        audience=audience,
        group_id=chat.chat_id,
        now=now,
    )
    unreachable = sum(1 for p in posted.people if not p.reachable)
    note = None
    if wanted:
        refusal = await may_mention_all(bot, chat.chat_id)
        if refusal is None:
            text = messages.posted(posted.subject, len(posted.people), unreachable)
            await post.finish(mention_all_message(text, bot))
        note = messages.no_mention(refusal)
    await post.finish(plain(messages.posted(posted.subject, len(posted.people), unreachable, note)))
