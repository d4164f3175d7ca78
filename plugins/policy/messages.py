"""Reply texts of the policy feature, in one place."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from bot.messages import clip

from .dues import BRACKETS, SOURCE_RULE, Dues, yuan
from .library import DocumentInfo, ImportOutcome
from .reading import SectionView, TocEntry
from .search import SearchResult
from .sectioning import AUTHORITIES

TITLE_CHARS = 26

# ------------------------------------------------------------------ 政策 · 看 · 资料 -----------

SEARCH_WHAT = "请在「政策」后面写要查的内容或条文编号。"
SEARCH_EXAMPLE = "政策 交党费"
VIEW_WHAT = "「看」后面写条文编号（在「政策 关键词」的结果里）。"
VIEW_EXAMPLE = "看 1"
CATALOG_TITLE = "学习资料库"
"""Title of the catalog when it is sent as a forward message."""


def not_a_number(shown_arg: str) -> str:
    return f"「{shown_arg}」不是条文编号，编号是数字。"


def results_title(shown_query: str) -> str:
    """Title of the search results when they are sent as a forward message."""
    return f"政策：{shown_query}"


def section_title(number: int, title: str) -> str:
    """Title of a section when it is sent as a forward message."""
    return f"〔{number}〕{title}"


def standing(authority: str) -> str:
    """［原文］, ［解读］ or ［本支部］ after a document's title: what kind of text answers."""
    shown = AUTHORITIES.get(authority)
    return f"［{shown}］" if shown else ""


def _where(heading: str, path: str, part: int) -> str:
    shown = path if len(path) <= 30 else heading
    return f"{shown}（{part}）" if part else shown


def results(result: SearchResult, shown_query: str, hint: str = "") -> str:
    lines = [hint] if hint else []
    lines.append(f"「{shown_query}」相关条文（共{result.total}节，最相关的{len(result.hits)}节）：")
    for hit in result.hits:
        lines.append("")
        lines.append(f"〔{hit.number}〕{clip(hit.title, TITLE_CHARS)}{standing(hit.authority)}")
        date = f" · {hit.issued}" if hit.issued else ""
        lines.append(f"{_where(hit.heading, hit.path, hit.part)}{date}")
        lines.append(hit.snippet)
    lines.append("")
    lines.append(f"发「看 编号」读全文，如：看 {result.hits[0].number}")
    return "\n".join(lines)


def nothing_found(result: SearchResult, shown_query: str) -> str:
    if not result.searchable:
        return (
            f"「{shown_query}」里没有可以查的字词。请写要查的内容，如：政策 交党费\n"
            "发「资料」看全部学习资料"
        )
    lines = [f"没有找到和「{shown_query}」相关的条文。"]
    if result.related:
        lines.append("可以试试：" + "、".join(f"政策 {word}" for word in result.related))
    else:
        lines.append("换个说法或少写几个字再查，如：政策 党费")
    lines.append("发「资料」看全部学习资料")
    return "\n".join(lines)


def section(view: SectionView) -> str:
    lines = [f"〔{view.number}〕{view.title}"]
    heading = view.path if view.path != view.heading or not view.part else view.heading
    if view.part:
        heading += f"（第{view.part}/{view.parts}部分）"
    lines.append(f"§ {heading}")
    source = " ".join(x for x in (view.issuer, view.issued) if x)
    shown = AUTHORITIES.get(view.authority, "")
    source = " · ".join(x for x in (shown, source) if x)
    if source:
        lines.append(f"（{source}）")
    lines.append("")
    lines.append(view.text)
    if view.basis:
        lines.append("")
        lines.append(f"依据：{view.basis}")
    if view.link:
        lines.append(f"原文：{view.link}")
    lines.append("")
    steps = []
    if view.previous is not None:
        steps.append(f"上一节「看 {view.previous}」")
    if view.next is not None:
        steps.append(f"下一节「看 {view.next}」")
    lines.append("，".join(steps) + ("；" if steps else "") + "查别的：政策 关键词")
    return "\n".join(lines)


def no_section(number: int, bounds: tuple[int, int] | None) -> str:
    if bounds is None:
        return (
            "资料库还是空的，没有可看的条文。请管理员导入学习资料：python -m bot import-docs 文件夹"
        )
    return (
        f"没有编号为 {number} 的条文（可能已随资料更新删除）。"
        f"\n发「政策 关键词」查找，或发「资料」看目录"
    )


def catalog(documents: list[DocumentInfo]) -> str:
    if not documents:
        return "资料库还是空的。请管理员导入学习资料：python -m bot import-docs 文件夹"
    by_category = _grouped(documents)
    lines = [f"📚 学习资料库：{len(documents)}篇，{len(by_category)}类"]
    for category, docs in by_category.items():
        lines.append("")
        lines.append(f"【{category}】{len(docs)}篇")
        for doc in docs:
            first = f"（看 {doc.first_number}）" if doc.first_number is not None else ""
            lines.append(f"· {clip(doc.title, TITLE_CHARS)}{first}")
    lines.append("")
    first_category = next(iter(by_category))
    lines.append(f"发「资料 {first_category}」看一类的目录，「政策 关键词」查条文")
    return "\n".join(lines)


def category_toc(
    category: str, documents: list[DocumentInfo], toc: dict[int, list[TocEntry]]
) -> str:
    lines = [f"📚 {category}：{len(documents)}篇"]
    for doc in documents:
        lines.append("")
        date = f"（{doc.issued}）" if doc.issued else ""
        lines.append(f"《{doc.title}》{date}")
        for entry in toc.get(doc.id, []):
            part = f"（{entry.part}）" if entry.part else ""
            lines.append(f"〔{entry.number}〕{entry.heading}{part}")
    lines.append("")
    lines.append("发「看 编号」读全文，如：看 " + str(_first_number(toc) or 1))
    return "\n".join(lines)


def unknown_category(word: str, categories: Iterable[str]) -> str:
    names = "、".join(categories)
    return f"没有「{word}」这个分类。现有：{names}\n查内容请发：政策 {word}"


def _grouped(documents: list[DocumentInfo]) -> dict[str, list[DocumentInfo]]:
    grouped: dict[str, list[DocumentInfo]] = {}
    for doc in documents:
        grouped.setdefault(doc.category, []).append(doc)
    return grouped


def _first_number(toc: dict[int, list[TocEntry]]) -> int | None:
    for entries in toc.values():
        if entries:
            return entries[0].number
    return None


def query_too_long(length: int, limit: int) -> str:
    return f"要查的内容太长了（{length}字），请用几个关键词，{limit}字以内。"


# ------------------------------------------------------------------ 党费 ----------------------


STEP_NAMES = {"0.01": "分", "0.1": "角", "1": "元"}


def dues(result: Dues, step: Decimal) -> str:
    rate = yuan(result.bracket.rate)
    exact, amount, income = yuan(result.exact), yuan(result.amount), yuan(result.income)
    calc = f"{income}×{rate}%={exact}元"
    if exact != amount:
        calc += f"，按{STEP_NAMES.get(yuan(step), '分')}四舍五入为{amount}元"
    return "\n".join(
        [
            f"税后月收入{income}元：每月交党费{amount}元",
            f"档次：{result.bracket.label}，比例{rate}%",
            f"算法：{calc}（全部收入按所在档次的比例算，不分段累进）",
            "收入按税后工资收入算：每月相对固定的、经常性的工资收入减去个人所得税；"
            "具体口径和零头取舍以党支部核定为准。",
            f"依据：{SOURCE_RULE}",
            "离退休、学生等党员另有标准，发「政策 离退休 党费」查看",
        ]
    )


def dues_hint(result: Dues | None) -> str:
    """The line over search results that mention 党费: the amount when the question named an
    income, else how to work it out."""
    if result is None:
        return "💡 算每月党费：发「党费 税后月收入」，如：党费 6000"
    amount, rate = yuan(result.amount), yuan(result.bracket.rate)
    return (
        f"💡 按税后月收入{yuan(result.income)}元算，每月党费{amount}元（{rate}%）。"
        f"发「党费 {yuan(result.income)}」看算法"
    )


def dues_table() -> str:
    lines = ["在职党员每月党费（按税后月工资收入）："]
    for bracket in BRACKETS:
        lines.append(f"· {bracket.label}：{yuan(bracket.rate)}%")
    lines.append(f"依据：{SOURCE_RULE}")
    lines.append("发「党费 月收入」算一算，如：党费 6000")
    return "\n".join(lines)


DUES_EXAMPLE = "党费 6000"
_ASK_INCOME = "请写税后月收入（元）"
DUES_NOT_POSITIVE = f"月收入要大于0。{_ASK_INCOME}"


def dues_unreadable(reason: str, search_words: str | None) -> str:
    """An amount that could not be read. `search_words` (the argument, shown) when it looks like
    a question rather than a number: the reply points to 政策 with it."""
    hint = f"；查党费规定请发：政策 党费 {search_words}" if search_words else ""
    return f"{reason}。{_ASK_INCOME}{hint}"


def dues_too_high(shown_amount: str, limit_yuan: int) -> str:
    return f"月收入{shown_amount}超出常理（上限{limit_yuan // 10_000}万元），请检查数额。"


# ------------------------------------------------------------------ 上传的资料 -----------------

NAME_CHARS = 30
"""File names and document titles are shown up to this many characters."""


def nothing_to_confirm(minutes: int) -> str:
    return (
        "没有等你确认的文件。先把 .docx、.pdf、.md、.txt 或网页（.html）文件上传到群里，"
        f"再在{minutes}分钟内发「导入资料」"
    )


def upload_received(file_name: str, minutes: int) -> str:
    """A group upload waits for its uploader's 导入资料 for `minutes`."""
    return (
        f"收到「{clip(file_name, NAME_CHARS)}」。要把它导入学习资料库，"
        f"请在{minutes}分钟内发「导入资料」；不导入就不用管。"
    )


def upload_refused(file_name: str, reason: str) -> str:
    return f"「{clip(file_name, NAME_CHARS)}」没有导入：{reason}"


def upload_imported(outcome: ImportOutcome) -> str:
    title = f"《{clip(outcome.title, NAME_CHARS)}》"
    first = f"，看 {outcome.numbers[0]} 开始读" if outcome.numbers else ""
    if outcome.status == "unchanged":
        return f"{title}已在资料库里，内容没有变化{first}。发「资料」看目录"
    verb = "已导入" if outcome.status == "added" else "已更新"
    category = outcome.category or "未分类"
    return f"{verb}{title}（{category}，{outcome.sections}节）{first}。发「资料」看目录"
