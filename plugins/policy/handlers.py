from __future__ import annotations

import re
import unicodedata

from nonebot.adapters import Bot, Event

from bot.commands import command, usage_error
from bot.deps import ArgText
from bot.messages import clip, plain, send_long

from . import DUES, LIBRARY, POLICY, SEARCH, VIEW, config, messages
from .dues import MAX_INCOME, AmountError, amount_in, monthly_dues, parse_amount
from .library import list_documents
from .reading import get_section, number_range, table_of_contents
from .search import search as search_library

search = command(POLICY, SEARCH)
view = command(POLICY, VIEW)
library = command(POLICY, LIBRARY)
dues = command(POLICY, DUES)

QUERY_SHOWN = 16


def section_number(arg: str) -> int | None:
    """`12`, `#12`, `编号12`, `12号`, `１２` -> 12; anything else None (第3条 is an article of
    a rule, not a section number)."""
    folded = unicodedata.normalize("NFKC", arg).strip()
    match = re.fullmatch(r"(?:#|no\.?|编号)?\s*(\d{1,9})\s*号?", folded, re.IGNORECASE)
    return int(match.group(1)) if match else None


async def _show_section(bot: Bot, event: Event, number: int) -> None:
    section = await get_section(number)
    if section is None:
        await view.finish(plain(messages.no_section(number, await number_range())))
    assert section is not None
    title = messages.section_title(number, section.title)
    await send_long(bot, event, messages.section(section), title=title)


@search.handle()
async def _(bot: Bot, event: Event, arg: ArgText) -> None:
    if not arg:
        await usage_error(messages.SEARCH_WHAT, messages.SEARCH_EXAMPLE)
    if len(arg) > config.policy_max_query_chars:
        await usage_error(messages.query_too_long(len(arg), config.policy_max_query_chars))
    number = section_number(arg)
    if number is not None and await get_section(number) is not None:
        await _show_section(bot, event, number)
        return
    result = await search_library(
        arg, limit=config.policy_results, snippet_chars=config.policy_snippet_chars
    )
    shown = clip(arg, QUERY_SHOWN)
    if not result.hits:
        if number is not None:  # neither a section number nor a word found in the library
            await _show_section(bot, event, number)
        await search.finish(plain(messages.nothing_found(result, shown)))
    hint = ""
    if "党费" in arg:
        income = amount_in(arg)
        step = config.policy_dues_round_to
        hint = messages.dues_hint(monthly_dues(income, step) if income is not None else None)
    title = messages.results_title(shown)
    await send_long(bot, event, messages.results(result, shown, hint), title=title)


@view.handle()
async def _(bot: Bot, event: Event, arg: ArgText) -> None:
    number = section_number(arg) if arg else None
    if number is None:
        reason = messages.not_a_number(clip(arg, QUERY_SHOWN)) if arg else messages.VIEW_WHAT
        await usage_error(reason, messages.VIEW_EXAMPLE)
    assert number is not None
    await _show_section(bot, event, number)


@library.handle()
async def _(bot: Bot, event: Event, arg: ArgText) -> None:
    documents = await list_documents()
    if not arg or not documents:
        await send_long(bot, event, messages.catalog(documents), title=messages.CATALOG_TITLE)
        return
    categories = list(dict.fromkeys(d.category for d in documents))
    wanted = arg.strip()
    if wanted not in categories:
        close = [c for c in categories if wanted in c or c in wanted]
        if len(close) != 1:
            await library.finish(
                plain(messages.unknown_category(clip(wanted, QUERY_SHOWN), categories))
            )
        wanted = close[0]
    chosen = [d for d in documents if d.category == wanted]
    toc = await table_of_contents([d.id for d in chosen])
    await send_long(bot, event, messages.category_toc(wanted, chosen, toc), title=wanted)


@dues.handle()
async def _(arg: ArgText) -> None:
    if not arg:
        await dues.finish(plain(messages.dues_table()))
    try:
        income = parse_amount(arg)
    except AmountError as e:
        # No digit at all: probably a question about dues, not an amount.
        question = None if re.search(r"\d|[一二三四五六七八九十百千万两]", arg) else clip(arg, 10)
        await usage_error(messages.dues_unreadable(e.reason, question), messages.DUES_EXAMPLE)
        return
    if income <= 0:
        await usage_error(messages.DUES_NOT_POSITIVE, messages.DUES_EXAMPLE)
    if income > MAX_INCOME:
        await usage_error(
            messages.dues_too_high(clip(arg, 16), int(MAX_INCOME)), messages.DUES_EXAMPLE
        )
    step = config.policy_dues_round_to
    await dues.finish(plain(messages.dues(monthly_dues(income, step), step)))
