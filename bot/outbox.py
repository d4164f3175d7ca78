"""Messages the bot sends on its own — the daily question, reminders — paced per account.

QQ flags accounts that post to many groups in a burst, so everything not answering a message
leaves through one queue per bot account, one message every BOT_SEND_INTERVAL seconds plus a
little random jitter. The message goes through the account that is in that group (asked with
`get_group_list`, cached for a few minutes), never through "any bot". A failed send is logged
and reported to the caller; it never stops the messages to other groups. A send whose answer
never came (the connection dropped, or the call timed out) is reported as `uncertain`: QQ
may have posted it, so a caller must not simply send it again.

    delivery = await send_to_group("123456", "今天的每日一题来了…")
    if not delivery.ok: ...
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

import nonebot
from nonebot import logger
from nonebot.adapters import Bot, Message
from nonebot.adapters.onebot import v11, v12
from nonebot.exception import ActionFailed, NetworkError

from bot.config import core_config
from bot.messages import plain
from bot.platform import is_console_bot

Build = Callable[[Bot], Message]
"""Builds the message for the account that will send it (segments differ per adapter)."""

GROUP_LIST_TTL = 300.0
DISCONNECT_POLL = 0.25
"""Seconds between checks, while a push waits for its answer, that its account is still
connected."""


@dataclass(frozen=True, slots=True)
class Delivery:
    ok: bool
    bot_id: str | None = None
    message_id: str | None = None
    error: str | None = None
    uncertain: bool = False
    """Not confirmed, yet perhaps posted: the request reached the account (or may have) and
    no answer came (a timeout, or the connection dropped while waiting). Sending it again may
    post it twice; a caller that promises "at most once" counts it as sent."""


@dataclass
class _Item:
    kind: str  # "group" or "private"
    chat_id: str
    build: Build
    done: asyncio.Future[Delivery]


@dataclass
class _Account:
    queue: asyncio.Queue[_Item] = field(default_factory=asyncio.Queue)
    worker: asyncio.Task[None] | None = None


_accounts: dict[str, _Account] = {}
_group_lists: dict[str, tuple[set[str], float]] = {}


async def send_to_group(group_id: str, message: str | Build) -> Delivery:
    """Queue a message to a group on the account that is in it; wait until it is sent."""
    bot = await bot_for_group(group_id)
    if bot is None:
        logger.warning(f"no connected bot account is in group {group_id}; message not sent")
        return Delivery(False, error="no bot in this group")
    return await _enqueue(bot, "group", group_id, message)


async def send_to_user(
    user_id: str, message: str | Build, *, bot_id: str | None = None
) -> Delivery:
    """Queue a private message (through `bot_id`, else the first connected account)."""
    bots = nonebot.get_bots()
    bot = bots.get(bot_id) if bot_id else next(iter(bots.values()), None)
    if bot is None:
        return Delivery(False, error="no bot connected")
    return await _enqueue(bot, "private", user_id, message)


async def bot_for_group(group_id: str) -> Bot | None:
    for bot in list(nonebot.get_bots().values()):
        if is_console_bot(bot) or group_id in await _groups_of(bot):
            return bot
    return None


def forget_group_lists() -> None:
    """Drop cached group lists (after the bot joined or left a group, and in tests)."""
    _group_lists.clear()


async def _groups_of(bot: Bot) -> set[str]:
    cached = _group_lists.get(bot.self_id)
    if cached and cached[1] > time.monotonic():
        return cached[0]
    groups: set[str] = set()
    try:
        if isinstance(bot, v11.Bot | v12.Bot):
            rows = await bot.get_group_list()
            groups = {str(row.get("group_id")) for row in rows if isinstance(row, dict)}
    except (ActionFailed, NetworkError) as e:
        logger.warning(f"get_group_list on {bot.self_id} failed: {e}")
        return cached[0] if cached else set()
    _group_lists[bot.self_id] = (groups, time.monotonic() + GROUP_LIST_TTL)
    return groups


async def _enqueue(bot: Bot, kind: str, chat_id: str, message: str | Build) -> Delivery:
    build: Build = (lambda b: plain(message, b)) if isinstance(message, str) else message
    account = _accounts.setdefault(bot.self_id, _Account())
    if account.worker is None or account.worker.done():
        account.worker = asyncio.create_task(_work(bot.self_id, account))
    done: asyncio.Future[Delivery] = asyncio.get_running_loop().create_future()
    await account.queue.put(_Item(kind, chat_id, build, done))
    return await done


async def _work(bot_id: str, account: _Account) -> None:
    config = core_config()
    while True:
        item = await account.queue.get()
        bot = nonebot.get_bots().get(bot_id)
        if bot is None:
            item.done.set_result(Delivery(False, bot_id, error="account disconnected"))
            continue
        try:
            delivery = await _send(bot, item)
        except asyncio.CancelledError:
            item.done.cancel()  # shutting down: the caller is not left waiting
            raise
        except BaseException as e:  # not an Exception (a test's failure): the caller hears it
            item.done.set_exception(e)
            raise
        item.done.set_result(delivery)
        pause = config.bot_send_interval + random.uniform(0, config.bot_send_jitter)
        if pause > 0:
            await asyncio.sleep(pause)


async def _send(bot: Bot, item: _Item) -> Delivery:
    try:
        message = item.build(bot)
        call = _call(bot, item, message)
        if call is None:
            return Delivery(False, bot.self_id, error=f"cannot push through {type(bot).__name__}")
        result = await _unless_disconnected(bot, call)
    except (_Disconnected, NetworkError) as e:
        # The request went out (or may have) and no answer came: QQ may have posted it.
        logger.warning(f"push to {item.kind} {item.chat_id} via {bot.self_id} unconfirmed: {e}")
        return Delivery(False, bot.self_id, error=str(e) or type(e).__name__, uncertain=True)
    except (ActionFailed, ValueError) as e:
        logger.warning(f"push to {item.kind} {item.chat_id} via {bot.self_id} failed: {e}")
        return Delivery(False, bot.self_id, error=str(e))
    except Exception as e:  # never let one chat's failure stop the queue
        logger.opt(exception=e).error(f"push to {item.kind} {item.chat_id} failed")
        return Delivery(False, bot.self_id, error=repr(e))
    message_id = (
        result.get("message_id")
        if isinstance(result, dict)
        else getattr(result, "message_id", None)
    )
    return Delivery(True, bot.self_id, str(message_id) if message_id is not None else None)


def _call(bot: Bot, item: _Item, message: Message) -> Coroutine[Any, Any, Any] | None:
    """The platform call that sends `message` to the item's chat (None: not possible)."""
    if isinstance(bot, v11.Bot):
        if item.kind == "group":
            return bot.send_group_msg(group_id=int(item.chat_id), message=v11.Message(message))
        return bot.send_private_msg(user_id=int(item.chat_id), message=v11.Message(message))
    if isinstance(bot, v12.Bot):
        target = {"group_id" if item.kind == "group" else "user_id": item.chat_id}
        return bot.send_message(detail_type=item.kind, message=v12.Message(message), **target)
    if is_console_bot(bot):
        from nonebot.adapters.console import Bot as ConsoleBot
        from nonebot.adapters.console import Message as ConsoleMessage

        if isinstance(bot, ConsoleBot):
            return bot.send_message(item.chat_id, ConsoleMessage(message))
    return None


class _Disconnected(Exception):
    """The account's connection ended while a call on it waited for its answer."""


async def _unless_disconnected(bot: Bot, call: Coroutine[Any, Any, Any]) -> Any:
    """Await `call`, or give up as soon as `bot` is no longer connected.

    An answer lost with its connection would otherwise be waited for until the adapter's
    API timeout (30 s by default), holding up every push queued behind it on this account.
    """
    task = asyncio.ensure_future(call)
    while True:
        done, _ = await asyncio.wait({task}, timeout=DISCONNECT_POLL)
        if done:
            return task.result()
        if nonebot.get_bots().get(bot.self_id) is not bot:
            task.cancel()
            with contextlib.suppress(BaseException):
                await task
            raise _Disconnected(f"connection of {bot.self_id} lost before the answer")
