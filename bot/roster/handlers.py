from __future__ import annotations

from nonebot.adapters import Bot, Event

from bot import outbox
from bot.branch import (
    BIND,
    CONFIRM_BIND,
    FEATURE,
    REFUSE_BIND,
    ROSTER,
    SHOW,
    UNBIND,
    BranchView,
    branch_of,
    chats_of,
    get_branch,
)
from bot.commands import command, usage_error
from bot.deps import ArgText, CallerRole, CurrentChat
from bot.messages import plain, send_long
from bot.platform import Chat, sender_name

from . import binding, messages, service

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
async def _(bot: Bot, event: Event, chat: CurrentChat, role: CallerRole, arg: ArgText) -> None:
    if arg and arg not in messages.UNBOUND_FILTER:
        await usage_error(messages.BAD_FILTER)
    unbound_only = bool(arg)
    branch = await _branch(chat)
    if branch is None:
        await roster.finish(plain(messages.NOT_IN_ROSTER))
    scope = await service.scope_of(chat.platform, chat.user_id, branch.id, role)
    if chat.is_group:
        counts = await service.counts(branch.id, scope)
        await roster.finish(
            plain(messages.roster_counts(counts, unbound_only=unbound_only, scope=scope))
        )
    people = await service.expected(branch.id, party_groups=[scope] if scope else None)
    await send_long(
        bot,
        event,
        messages.roster_list(people, unbound_only=unbound_only, scope=scope),
        title="名册",
    )
    await roster.finish()


bind = command(FEATURE, BIND)
confirm_bind = command(FEATURE, CONFIRM_BIND)
refuse_bind = command(FEATURE, REFUSE_BIND)
unbind = command(FEATURE, UNBIND)


@bind.handle()
async def _(event: Event, chat: CurrentChat, arg: ArgText) -> None:
    if not arg:
        await usage_error(messages.NO_NAME)
    branch = await branch_of(chat.platform, chat.chat_id)
    try:
        request = await binding.request_bind(branch.id, arg, chat.platform, chat.user_id)
    except binding.BindRefused as e:
        await usage_error(messages.bind_refused(e))
    shown = sender_name(event) or chat.user_id
    told = 0
    for officer in await service.officers(branch.id):
        account = officer.account_on(chat.platform)
        if account is None:
            continue
        text = messages.bind_asked(request.id, chat.user_id, shown, request.person_name)
        delivery = await outbox.send_to_user(account, text, bot_id=chat.bot_id)
        told += delivery.ok or delivery.uncertain
    await bind.finish(plain(messages.bind_requested(request.id, told=told)))


async def _decide_bind(chat: Chat, arg: str, *, approve: bool) -> str:
    if not arg:
        await usage_error(messages.NO_BIND_NUMBER)
    if not arg.isdigit() or len(arg) > 9:
        await usage_error(messages.BAD_BIND_NUMBER.format(arg=arg))
    branch = await _branch(chat)
    if branch is None:
        await usage_error(messages.NOT_IN_ROSTER)
    try:
        decided = await binding.decide_bind(int(arg), branch.id, chat.user_id, approve=approve)
    except binding.BindRefused as e:
        await usage_error(messages.bind_refused(e))
    await outbox.send_to_user(
        decided.user_id,
        messages.bind_told(decided.id, approve, decided.person_name),
        bot_id=chat.bot_id,
    )
    return messages.bind_decided(
        decided.id, approve, decided.person_name, decided.user_id, private=not chat.is_group
    )


@confirm_bind.handle()
async def _(chat: CurrentChat, arg: ArgText) -> None:
    await confirm_bind.finish(plain(await _decide_bind(chat, arg, approve=True)))


@refuse_bind.handle()
async def _(chat: CurrentChat, arg: ArgText) -> None:
    await refuse_bind.finish(plain(await _decide_bind(chat, arg, approve=False)))


@unbind.handle()
async def _(chat: CurrentChat, role: CallerRole, arg: ArgText) -> None:
    if not arg:
        done = await binding.unbind_account(chat.platform, chat.user_id)
        await unbind.finish(plain(messages.UNBOUND if done else messages.NOT_BOUND))
    if not role.is_admin:
        await unbind.finish(plain(messages.UNBIND_OTHERS))
    branch = await _branch(chat)
    if branch is None:
        await unbind.finish(plain(messages.NOT_IN_ROSTER))
    try:
        count = await binding.unbind_person(branch.id, arg)
    except binding.BindRefused as e:
        await usage_error(messages.bind_refused(e), "解绑 张三")
    await unbind.finish(plain(messages.unbound_person(count)))
