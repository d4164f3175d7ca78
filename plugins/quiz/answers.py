"""Reading members' answers: letters in any order or case, 对/错 in every usual form, and
fill-in answers compared after normalising width, spaces and numerals. Pure functions."""

from __future__ import annotations

import contextlib
import hashlib
import re
import unicodedata
from dataclasses import dataclass

KINDS = ("单选", "多选", "判断", "填空")
LETTERS = "ABCDEF"

TRUE_WORDS = {"对", "正确", "√", "✓", "✔", "T", "TRUE", "是", "Y", "YES", "O", "○"}
FALSE_WORDS = {"错", "错误", "×", "✗", "✘", "X", "F", "FALSE", "否", "N", "NO", "不对"}

_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)
_LETTER_SEPARATORS = re.compile(r"[\s,，、;；/|.。和及与]+")


class NotAnAnswer(ValueError):
    """The text cannot be an answer to this question; the message says what would be."""


@dataclass(frozen=True)
class Judged:
    answer: str
    """The member's answer, normalised (what is stored)."""
    correct: bool


def fold(text: str) -> str:
    """NFKC (full-width → ASCII), upper case, no surrounding space."""
    return unicodedata.normalize("NFKC", text).strip().upper()


def stem_key(stem: str) -> str:
    """Identity of a question for de-duplication: its stem without width, case, spaces,
    punctuation and blank markers."""
    text = unicodedata.normalize("NFKC", stem).lower()
    text = _PUNCT.sub("", text)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def letters(text: str, option_count: int) -> str:
    """`acd`, `A,C,D`, `A C D`, `C、A、D` → `ACD` (sorted, unique)."""
    folded = fold(text)
    folded = re.sub(r"^(选|答案|答)\s*", "", folded)
    compact = _LETTER_SEPARATORS.sub("", folded).strip("()（）[]【】")
    allowed = LETTERS[:option_count]
    if not compact or any(ch not in LETTERS for ch in compact):
        raise NotAnAnswer(f"请用选项字母作答（{allowed[0]}–{allowed[-1]}）")
    if any(ch not in allowed for ch in compact):
        raise NotAnAnswer(f"这道题只有 {allowed[0]}–{allowed[-1]} {len(allowed)} 个选项")
    return "".join(sorted(set(compact)))


def true_false(text: str) -> str:
    folded = fold(text).rstrip("。.!！")
    if folded in TRUE_WORDS:
        return "对"
    if folded in FALSE_WORDS:
        return "错"
    raise NotAnAnswer("判断题请回答 对 或 错（也可以 √ / ×、T / F）")


def normalise_blank(text: str) -> str:
    """Fill-in answers compare without width, case, spaces, punctuation; Chinese numerals
    count as digits (十八 = 18)."""
    folded = unicodedata.normalize("NFKC", text).lower()
    folded = _PUNCT.sub("", folded)
    import cn2an  # here, not at the top: importing it costs 0.4 s of every start-up

    with contextlib.suppress(ValueError, KeyError, IndexError, TypeError):
        folded = cn2an.transform(folded, "cn2an")
    return folded


def judge(kind: str, options: list[str], answer: str, given: str) -> Judged:
    """Compare a member's answer with the key. Raises NotAnAnswer for unusable input."""
    given = given.strip()
    if not given:
        raise NotAnAnswer("请写上答案")
    match kind:
        case "单选":
            choice = letters(given, len(options))
            if len(choice) != 1:
                raise NotAnAnswer("单选题只选一个字母")
            return Judged(choice, choice == answer)
        case "多选":
            choice = letters(given, len(options))
            return Judged(choice, choice == answer)
        case "判断":
            choice = true_false(given)
            return Judged(choice, choice == answer)
        case "填空":
            mine = normalise_blank(given)
            if not mine:
                raise NotAnAnswer("请写上要填的内容")
            accepted = {normalise_blank(alt) for alt in answer.split("|") if alt.strip()}
            return Judged(given[:100], mine in accepted)
    raise ValueError(f"unknown question kind {kind!r}")


def shown_answer(kind: str, answer: str) -> str:
    """The key as shown to members."""
    if kind == "填空":
        return answer.split("|")[0]
    return answer
