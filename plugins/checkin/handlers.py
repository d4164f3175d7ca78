from __future__ import annotations

import asyncio
from datetime import timedelta

from nonebot import logger
from nonebot.adapters import Bot, Event
from nonebot.adapters.onebot import v11
from nonebot.exception import ActionFailed, NetworkError

from bot import clock
from bot.commands import Route, command, usage_error
from bot.deps import ArgText, CurrentChat, clean_text
from bot.features import all_features
from bot.members import display_names, fallback_name, remember
from bot.messages import clip, plain, send_long
from bot.platform import group_members, sender_name
from bot.points import Period, leaderboard, standing
from bot.settings.service import is_enabled

from . import BOARD, CARDS, CHECKIN, LEADERBOARD, MINE, SIGN_IN, STATS, cards, config, messages
from .service import Rules, check_in, checked_in, streaks

RULES = Rules(
    base=config.checkin_base_points,
    streak_bonus=config.checkin_streak_bonus,
    streak_bonus_cap=config.checkin_streak_bonus_cap,
    daily_cap=config.checkin_daily_cap,
)

sign_in = command(CHECKIN, SIGN_IN)
mine = command(CHECKIN, MINE)
stats = command(CHECKIN, STATS)
board = command(LEADERBOARD, BOARD)


@sign_in.handle()
async def _(event: Event, chat: CurrentChat, arg: ArgText) -> None:
    note = arg or None
    limit = config.checkin_note_max_chars
    if note and len(note) > limit:
        await usage_error(f"学习心得最多{limit}字，这条有{len(note)}字，请精简后再发。")
    group_id = chat.chat_id
    name = sender_name(event)
    outcome = await check_in(group_id, chat.user_id, note, RULES, name=name)
    shown = clip(clean_text(name or ""), 16) or fallback_name(chat.user_id)
    await sign_in.finish(plain(messages.signed_in(outcome, note, shown)))


@mine.handle()
async def _(bot: Bot, event: Event, chat: CurrentChat) -> None:
    group_id, user_id = chat.chat_id, chat.user_id
    total = await standing(group_id, user_id, Period.ALL)
    week = await standing(group_id, user_id, Period.WEEK)
    mine_streaks = await streaks(group_id, user_id)
    extra: list[str] = []
    for feature in all_features():
        if feature.profile is not None:
            extra += await feature.profile(group_id, user_id)
    name = sender_name(event) or (await display_names(bot, group_id, [user_id]))[user_id]
    text = messages.profile(name, total, week, mine_streaks, extra)
    await _card_or_text(bot, event, group_id, text, highlight=None)


def _period(arg: str, default: Period, allowed: tuple[Period, ...]) -> Period | None:
    if not arg:
        return default
    period = messages.PERIOD_WORDS.get(arg.split(" ")[0])
    return period if period in allowed else None


@board.handle()
async def _(bot: Bot, event: Event, chat: CurrentChat, arg: ArgText) -> None:
    period = _period(arg, Period.WEEK, tuple(Period))
    if period is None:
        await usage_error(f"看不懂「{arg[:10]}」。可以看：今日、本周、本月、总", "排行榜 本月")
    group_id = chat.chat_id
    await remember(group_id, chat.user_id, sender_name(event))
    rows = await leaderboard(group_id, period)
    me = await standing(group_id, chat.user_id, period)
    names = await display_names(bot, group_id, [row.user_id for row in rows])
    today = clock.today()
    start = clock.week_start(today)
    title = messages.board_title(period, today, start, start + timedelta(days=6))
    text = messages.board(title, rows, names, me, chat.user_id)
    mine_at = next((i for i, row in enumerate(rows) if row.user_id == chat.user_id), None)
    if rows and mine_at is None:
        mine_at = len(rows)  # the "你：第N名" line under the list
    await _card_or_text(bot, event, group_id, text, highlight=mine_at)


async def _card_or_text(
    bot: Bot, event: Event, group_id: str, text: str, *, highlight: int | None
) -> None:
    """An image card where the group chose it and the platform takes images, else the text."""
    font = await asyncio.to_thread(cards.find_font, config.checkin_card_font)
    if font is not None and isinstance(bot, v11.Bot) and await is_enabled(group_id, CARDS):
        title, *lines = text.split("\n")
        png = await asyncio.to_thread(
            cards.render, title.lstrip("🏆 "), lines, font, highlight=highlight
        )
        assert isinstance(event, v11.Event)  # a OneBot v11 bot's events are v11 events
        try:
            await bot.send(event, v11.MessageSegment.image(png))
        except (ActionFailed, NetworkError) as e:
            logger.warning(f"image card refused, sending text: {e}")
        else:
            await Route.finish()
    await Route.finish(plain(text))


@stats.handle()
async def _(bot: Bot, event: Event, chat: CurrentChat, arg: ArgText) -> None:
    period = _period(arg, Period.DAY, (Period.DAY, Period.WEEK, Period.MONTH))
    if period is None:
        await usage_error(f"看不懂「{arg[:10]}」。可以看：今日、本周、本月", "签到统计 本周")
    group_id = chat.chat_id
    today = clock.today()
    start = {Period.DAY: today, Period.WEEK: clock.week_start(today)}.get(
        period, clock.month_start(today)
    )
    counts = await checked_in(group_id, start, today)
    members = await group_members(bot, group_id)
    if members is None:
        await stats.finish(
            plain(
                f"暂时拿不到本群成员名单，只能告诉你：{period.value}共{sum(counts.values())}人次签到。"
            )
        )
    people = [m for m in members if not m.is_bot]
    await send_long(
        bot, event, messages.stats(period, today, start, people, counts), title="签到统计"
    )
