from __future__ import annotations

from bot.commands import command, usage_error
from bot.deps import ArgText, CurrentChat
from bot.messages import plain
from bot.platform import Chat

from . import CONFIRM, FEATURE, LINK, REFUSE, messages, service

link = command(FEATURE, LINK)
confirm = command(FEATURE, CONFIRM)
refuse = command(FEATURE, REFUSE)


@link.handle()
async def _(chat: CurrentChat, arg: ArgText) -> None:
    if not arg:
        await usage_error(messages.NO_NUMBER)
    if not arg.isdigit() or len(arg) > 15:
        await usage_error(messages.BAD_NUMBER.format(arg=arg))
    try:
        request = await service.request_link(chat.platform, chat.chat_id, arg, chat.user_id)
    except service.LinkRefused as e:
        await usage_error(messages.link_refused(e))
    await link.finish(plain(messages.requested(request, arg)))


async def _decide(chat: Chat, arg: str, *, approve: bool) -> service.LinkView:
    if not arg:
        await usage_error(messages.NO_REQUEST_NUMBER)
    if not arg.isdigit() or len(arg) > 9:
        await usage_error(messages.BAD_REQUEST_NUMBER.format(arg=arg))
    branch = await service.branch_of(chat.platform, chat.chat_id)
    try:
        return await service.decide_link(int(arg), branch.id, chat.user_id, approve=approve)
    except service.LinkRefused as e:
        await usage_error(messages.link_refused(e))


@confirm.handle()
async def _(chat: CurrentChat, arg: ArgText) -> None:
    decided = await _decide(chat, arg, approve=True)
    await confirm.finish(plain(messages.decided(decided)))


@refuse.handle()
async def _(chat: CurrentChat, arg: ArgText) -> None:
    decided = await _decide(chat, arg, approve=False)
    await refuse.finish(plain(messages.decided(decided)))
