"""党费: the monthly dues of a member with a salary, by the published rates.

《关于中国共产党党费收缴、使用和管理的规定》(中共中央组织部, 2008): members with a salary pay
monthly, on their after-tax regular salary income (税后工资收入), by bracket — not progressively:
the bracket's rate applies to the whole amount.

    ≤ 3000 元           0.5%
    3000 – 5000 元     1%      (3000 excluded, 5000 included)
    5000 – 10000 元    1.5%
    > 10000 元          2%
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

SOURCE_RULE = "《关于中国共产党党费收缴、使用和管理的规定》（中共中央组织部，2008年）"
MAX_INCOME = Decimal(1_000_000)
"""A monthly income above this is taken for a typing mistake."""


@dataclass(frozen=True)
class Bracket:
    low: Decimal
    """Exclusive lower bound (0 for the first)."""
    high: Decimal | None
    """Inclusive upper bound; None for the last."""
    rate: Decimal
    """Per cent."""

    @property
    def label(self) -> str:
        if self.low == 0:
            return f"{self.high}元及以下"
        if self.high is None:
            return f"{self.low}元以上"
        return f"{self.low}元以上至{self.high}元（含）"


BRACKETS = (
    Bracket(Decimal(0), Decimal(3000), Decimal("0.5")),
    Bracket(Decimal(3000), Decimal(5000), Decimal(1)),
    Bracket(Decimal(5000), Decimal(10000), Decimal("1.5")),
    Bracket(Decimal(10000), None, Decimal(2)),
)


@dataclass(frozen=True)
class Dues:
    income: Decimal
    bracket: Bracket
    exact: Decimal
    amount: Decimal
    """`exact` rounded half up to the configured step."""


def bracket_of(income: Decimal) -> Bracket:
    for bracket in BRACKETS:
        if bracket.high is None or income <= bracket.high:
            return bracket
    return BRACKETS[-1]


def monthly_dues(income: Decimal, step: Decimal = Decimal("0.01")) -> Dues:
    bracket = bracket_of(income)
    exact = income * bracket.rate / 100
    amount = exact.quantize(step, rounding=ROUND_HALF_UP)
    return Dues(income, bracket, exact, amount)


def yuan(value: Decimal) -> str:
    """8000 -> 8000, 97.50 -> 97.5, 120.01 -> 120.01 (no trailing zeros, no exponent)."""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


# ------------------------------------------------------------------ reading amounts --------


class AmountError(ValueError):
    """Not an amount of money; `reason` says why, in Chinese."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


_DIGITS = {
    "零": 0, "〇": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3,
    "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8,
    "九": 9, "玖": 9,
}  # fmt: skip
_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG = {"万": 10_000, "萬": 10_000, "w": 10_000, "k": 1000}
_NOISE = re.compile(
    r"^(?:每月|月|我的|我|工资|月工资|税后|税后工资|税前|收入|月收入|到手|实发|基数|是|有|为|约|大概|大约)+"
)


def parse_amount(text: str) -> Decimal:
    """A monthly income as members type it: 6000, 6,000, 6千, 1.2万, 六千元, 一万二, 8000.5,
    ￥6000, 税后6000元, 3k. Raises AmountError."""
    raw = unicodedata.normalize("NFKC", text).strip().lower()
    cleaned = re.sub(r"[\s,，_']", "", raw)
    cleaned = cleaned.lstrip("¥$￥")
    cleaned = _NOISE.sub("", cleaned)
    cleaned = re.sub(r"(?:元|块钱|块|rmb|cny)(?:/月|每月|一个月)?$", "", cleaned)
    cleaned = re.sub(r"(?:/月|每月|一个月)$", "", cleaned)
    if not cleaned:
        raise AmountError("请写上月收入的数额")
    if cleaned.startswith(("-", "负")):
        raise AmountError("收入不能是负数")
    value = _arabic(cleaned)
    if value is None:
        value = _chinese(cleaned)
    if value is None:
        raise AmountError(f"看不懂「{text.strip()[:12]}」这个数额")
    return value


def _arabic(text: str) -> Decimal | None:
    match = re.fullmatch(r"(\d+(?:\.\d+)?)([万萬wk千]?)", text)
    if not match:
        return None
    try:
        number = Decimal(match.group(1))
    except InvalidOperation:
        return None
    unit = match.group(2)
    if unit == "千":
        number *= 1000
    elif unit:
        number *= _BIG[unit]
    return number


def _chinese(text: str) -> Decimal | None:
    """一万二 = 12000, 六千五 = 6500, 八千 = 8000, 三千五百 = 3500, 一万零五百 = 10500,
    五点五万 = 55000 (digit 点 digit)."""
    if not all(ch in _DIGITS or ch in _UNITS or ch in ("万", "萬", "点") for ch in text):
        return None
    if "点" in text:
        whole, _, rest = text.partition("点")
        unit = 1
        if rest and rest[-1] in ("万", "萬", "千"):
            unit = 10_000 if rest[-1] in ("万", "萬") else 1000
            rest = rest[:-1]
        if not whole or not rest or any(ch not in _DIGITS for ch in rest):
            return None
        head = _chinese(whole)
        if head is None:
            return None
        return (head + Decimal("0." + "".join(str(_DIGITS[ch]) for ch in rest))) * unit
    total = 0
    for big_part_index, part in enumerate(re.split(r"[万萬]", text)):
        if big_part_index > 1:
            return None
        value = _below_wan(part, after_wan=big_part_index == 1)
        if value is None:
            return None
        total = total * 10_000 + value if big_part_index == 1 else value
    if re.search(r"[万萬]", text) and not re.split(r"[万萬]", text)[0]:
        return None
    return Decimal(total)


def _below_wan(text: str, *, after_wan: bool) -> int | None:
    if not text:
        return 0
    total, digit, last_unit = 0, None, 10_000
    for ch in text:
        if ch in _DIGITS:
            if digit is not None and _DIGITS[ch] != 0 and digit != 0:
                return None  # 六六 is not a number here
            digit = _DIGITS[ch]
        else:
            unit = _UNITS[ch]
            if unit >= last_unit:
                return None
            total += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
    if digit is not None and digit != 0:
        if after_wan and total == 0 and text[0] in _DIGITS and len(text) == 1:
            return digit * 1000  # 一万二 = 12000
        if last_unit < 10_000 and last_unit >= 10 and text[-2:-1] not in ("零", "〇"):
            return total + digit * last_unit // 10  # 六千五 = 6500
        total += digit
    return total


_AMOUNT_IN_TEXT = re.compile(
    r"\d+(?:\.\d+)?\s*(?:万|千|k|w)?|[一二两三四五六七八九十百千万零点]*[一二两三四五六七八九十][千万][一二两三四五六七八九]?"
)


def amount_in(text: str) -> Decimal | None:
    """A monthly income mentioned in a question (工资8000交多少党费, 八千五交多少), or None.
    Only amounts from 100 元 to the upper limit count: 2024年, 第3条 are not incomes."""
    folded = unicodedata.normalize("NFKC", text).lower()
    for match in _AMOUNT_IN_TEXT.finditer(folded):
        after = folded[match.end() : match.end() + 1]
        if after in ("年", "月", "日", "条", "章", "节", "岁", "%", "人", "次", "个", "天"):
            continue
        try:
            value = parse_amount(match.group())
        except AmountError:
            continue
        if 100 <= value <= MAX_INCOME:
            return value
    return None
