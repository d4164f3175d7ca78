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
    await send_long(bot, event, messages.section(section), title=f"〔{number}〕{section.title}")


@search.handle()
async def _(bot: Bot, event: Event, arg: ArgText) -> None:
    if not arg:
        await usage_error("请在「政策」后面写要查的内容或条文编号。", "政策 交党费")
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
    await send_long(bot, event, messages.results(result, shown, hint), title=f"政策：{shown}")


@view.handle()
async def _(bot: Bot, event: Event, arg: ArgText) -> None:
    number = section_number(arg) if arg else None
    if number is None:
        reason = (
            "「看」后面写条文编号（在「政策 关键词」的结果里）。"
            if not arg
            else (f"「{clip(arg, QUERY_SHOWN)}」不是条文编号，编号是数字。")
        )
        await usage_error(reason, "看 1")
    assert number is not None
    await _show_section(bot, event, number)


@library.handle()
async def _(bot: Bot, event: Event, arg: ArgText) -> None:
    documents = await list_documents()
    if not arg or not documents:
        await send_long(bot, event, messages.catalog(documents), title="学习资料库")
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
        hint = (
            ""
            if re.search(r"\d|[一二三四五六七八九十百千万两]", arg)
            else (f"；查党费规定请发：政策 党费 {clip(arg, 10)}")
        )
        await usage_error(f"{e.reason}。请写税后月收入（元）{hint}", messages.DUES_EXAMPLE)
        return
    if income <= 0:
        await usage_error("月收入要大于0。请写税后月收入（元）", messages.DUES_EXAMPLE)
    if income > MAX_INCOME:
        await usage_error(
            f"月收入{clip(arg, 16)}超出常理（上限100万元），请检查数额。", messages.DUES_EXAMPLE
        )
    step = config.policy_dues_round_to
    await dues.finish(plain(messages.dues(monthly_dues(income, step), step)))
