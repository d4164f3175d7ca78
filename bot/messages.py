"""Reply helpers. User-supplied text leaves the bot only as a text segment.

Never pass a `str` to `matcher.send` / `bot.send`: OneBot v11 parses strings as CQ codes, so a
member's `[CQ:at,qq=all]` would become a real @全体. `plain(...)` wraps text in the adapter's
text segment; everything here goes through it.
"""

from __future__ import annotations

from collections.abc import Iterable

from nonebot import logger
from nonebot.adapters import Bot, Event, Message
from nonebot.adapters.onebot import v11
from nonebot.exception import ActionFailed, NetworkError
from nonebot.matcher import current_bot

from bot.config import core_config


def plain(content: str, bot: Bot | None = None) -> Message:
    """A message of one text segment for `bot` (default: the bot handling this event)."""
    bot = bot or current_bot.get()
    message_class = _message_class(bot)
    return message_class(message_class.get_segment_class().text(content))


def _message_class(bot: Bot) -> type[Message]:
    from nonebot.adapters import console
    from nonebot.adapters.onebot import v12

    for bot_class, message_class in (
        (v11.Bot, v11.Message),
        (v12.Bot, v12.Message),
        (console.Bot, console.Message),
    ):
        if isinstance(bot, bot_class):
            return message_class
    raise TypeError(f"no message class known for {type(bot).__name__}")


def clip(content: str, limit: int) -> str:
    """`content` cut to `limit` characters, marked with … when cut."""
    return content if len(content) <= limit else content[: max(limit - 1, 0)] + "…"


def split_text(content: str, limit: int | None = None) -> list[str]:
    """Split a long reply into chunks of at most `limit` characters.

    Cuts at paragraph breaks, then line breaks, and only inside a line when one line alone
    is too long, so each chunk reads on its own on a phone.
    """
    limit = limit or core_config().bot_reply_chunk_chars
    return pack(content.strip("\n").split("\n"), limit) or [""]


def pack(pieces: Iterable[str], limit: int, sep: str = "\n") -> list[str]:
    """`pieces` joined with `sep`, in order, into chunks of at most `limit` characters, each
    as full as the next piece allows; a piece longer than `limit` is cut. No empty chunks."""
    chunks: list[str] = []
    current = ""
    for piece in pieces:
        while len(piece) > limit:
            if current:
                chunks.append(current)
                current = ""
            chunks.append(piece[:limit])
            piece = piece[limit:]
        candidate = f"{current}{sep}{piece}" if current else piece
        if current and len(candidate) > limit:
            chunks.append(current)
            current = piece
        else:
            current = candidate
    if current:
        chunks.append(current)
    return chunks


async def send_long(bot: Bot, event: Event, content: str, *, title: str = "") -> None:
    """Send a possibly long reply: one message, a forward message, or several messages.

    A forward message is used on OneBot v11 when the reply needs many chunks; if the
    implementation refuses it, the chunks are sent one by one instead.
    """
    config = core_config()
    chunks = split_text(content, config.bot_reply_chunk_chars)
    many = len(chunks) >= config.bot_forward_min_chunks
    if many and await _send_v11_forward(bot, event, chunks, title):
        return
    total = len(chunks)
    for index, chunk in enumerate(chunks, 1):
        suffix = f"\n（{index}/{total}）" if total > 1 else ""
        await bot.send(event, plain(chunk + suffix, bot))


async def _send_v11_forward(bot: Bot, event: Event, chunks: list[str], title: str) -> bool:
    """One forward message of `chunks`, on OneBot v11; False when not sent that way."""
    if not isinstance(bot, v11.Bot):
        return False
    nodes = v11.Message()
    name = title or "党建学习助手"
    for chunk in chunks:
        nodes.append(
            v11.MessageSegment.node_custom(
                user_id=int(bot.self_id),
                nickname=name,
                content=v11.Message(v11.MessageSegment.text(chunk)),
            )
        )
    try:
        if isinstance(event, v11.GroupMessageEvent):
            await bot.send_group_forward_msg(group_id=event.group_id, messages=nodes)
        elif isinstance(event, v11.PrivateMessageEvent):
            await bot.send_private_forward_msg(user_id=event.user_id, messages=nodes)
        else:
            return False
    except (ActionFailed, NetworkError) as e:
        logger.warning(f"forward message refused, sending {len(chunks)} messages instead: {e}")
        return False
    return True
