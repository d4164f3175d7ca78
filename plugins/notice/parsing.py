"""Reading `通知 <内容> [截止 <时间>] [对象 <…>]`: the options and the audience words.

The options are words at the start of a word (after a space): `截止`, `截止时间`, `对象`,
each followed by its value up to the next option; what comes before the first option is
the notice. The time after 截止 is read by the core time grammar (`bot.when`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from bot.deps import clean_text
from bot.receipts import Audience
from bot.receipts.audience import UnknownAudience, audience_words, read_audience

_OPTION = re.compile(r"(?:^|\s)(?P<key>截止(?:时间|日期)?|对象)(?:\s*[:：]\s*|\s+|(?=\S)|$)")


class Problem(Enum):
    NO_CONTENT = "no_content"
    TWICE = "twice"
    EMPTY_OPTION = "empty_option"
    UNKNOWN_AUDIENCE = "unknown_audience"


class NoticeError(Exception):
    def __init__(self, problem: Problem, detail: str = "") -> None:
        super().__init__(problem.value, detail)
        self.problem = problem
        self.detail = detail


@dataclass(frozen=True)
class Draft:
    content: str
    deadline: str | None
    """The text after 截止 (None: no deadline)."""
    audience: list[str] | None
    """The words after 对象 (None: everyone on the roster)."""


def split(text: str) -> Draft:
    """The notice and its options; raises NoticeError."""
    found = list(_OPTION.finditer(text))
    content = clean_text(text[: found[0].start()] if found else text)
    if not content:
        raise NoticeError(Problem.NO_CONTENT)
    values: dict[str, str] = {}
    for index, match in enumerate(found):
        key = "对象" if match.group("key") == "对象" else "截止"
        end = found[index + 1].start() if index + 1 < len(found) else len(text)
        value = clean_text(text[match.end() : end])
        if key in values:
            raise NoticeError(Problem.TWICE, key)
        if not value:
            raise NoticeError(Problem.EMPTY_OPTION, key)
        values[key] = value
    audience = values.get("对象")
    return Draft(
        content,
        values.get("截止"),
        audience_words(audience) if audience is not None else None,
    )


def audience(words: list[str] | None, party_groups: Iterable[str]) -> Audience | None:
    """The roster filters the words name (`bot.receipts.audience`); raises NoticeError
    naming the first word that is neither a status nor a 党小组 of the branch."""
    try:
        return read_audience(words, party_groups)
    except UnknownAudience as e:
        raise NoticeError(Problem.UNKNOWN_AUDIENCE, e.word) from None
