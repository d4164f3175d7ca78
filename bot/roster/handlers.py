from __future__ import annotations

from nonebot.adapters import Bot, Event

from bot.branch import FEATURE, ROSTER, SHOW, BranchView, branch_of, chats_of, get_branch
from bot.commands import command, usage_error
from bot.deps import ArgText, CurrentChat
from bot.messages import plain, send_long
from bot.platform import Chat

from . import messages, service

show = command(FEATURE, SHOW)
roster = command(FEATURE, ROSTER)


async def _branch(chat: Chat) -> BranchView | None:
    """The chat's branch; in private, the branch of the caller's roster person."""
    if chat.is_group:
        return await branch_of(chat.platform, chat.chat_id)
    person = await service.person_of_account(chat.platform, chat.user_id)
    return await get_branch(person.branch_id) if person else None


@show.handle()
async def _(chat: CurrentChat) -> None:
    branch = await _branch(chat)
    if branch is None:
        await show.finish(plain(messages.NOT_IN_ROSTER))
    chats = await chats_of(branch.id)
    counts = await service.counts(branch.id)
    await show.finish(plain(messages.branch(branch, chats, counts)))


@roster.handle()
async def _(bot: Bot, event: Event, chat: CurrentChat, arg: ArgText) -> None:
    if arg and arg not in messages.UNBOUND_FILTER:
        await usage_error(messages.BAD_FILTER)
    unbound_only = bool(arg)
    branch = await _branch(chat)
    if branch is None:
        await roster.finish(plain(messages.NOT_IN_ROSTER))
    if chat.is_group:
        counts = await service.counts(branch.id)
        await roster.finish(plain(messages.roster_counts(counts, unbound_only=unbound_only)))
    people = await service.expected(branch.id)
    await send_long(
        bot, event, messages.roster_list(people, unbound_only=unbound_only), title="名册"
    )
    await roster.finish()
