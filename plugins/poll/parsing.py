"""Reading `投票 <标题> <选项…> [匿名] [多选N] [可改票] [截止 <时间>] [对象 <…>]` and
`投 [编号] <字母>`.

Words are separated by spaces. The flags (`匿名`, `多选` / `多选N`, `可改票`) may stand
anywhere; `截止` and `对象` take the words after them up to the next flag or option (also
written `截止：周五` or `截止周五`). Of the remaining words the first is the title and the
others are the options, lettered A, B, C … in order.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from enum import Enum

from bot.deps import clean_text

LETTERS = string.ascii_uppercase
MIN_OPTIONS = 2
MAX_OPTIONS = len(LETTERS)

_KEY = re.compile(r"^(?P<key>截止(?:时间|日期)?|对象)[:：]?(?P<rest>.*)$")
_MULTI = re.compile(r"^多选(?P<n>\d{1,3})?(?:项)?$")
_ANONYMOUS = ("匿名", "匿名投票")
_CHANGEABLE = ("可改票", "可改", "允许改票")


class Problem(Enum):
    NO_TITLE = "no_title"
    TOO_FEW = "too_few"
    TOO_MANY = "too_many"
    SAME_OPTION = "same_option"
    TWICE = "twice"
    EMPTY_OPTION = "empty_option"
    BAD_MULTI = "bad_multi"


class PollError(Exception):
    def __init__(self, problem: Problem, detail: str = "") -> None:
        super().__init__(problem.value, detail)
        self.problem = problem
        self.detail = detail


@dataclass(frozen=True)
class Draft:
    title: str
    options: list[str]
    max_choices: int
    """1: one choice; `多选N`: up to N; `多选` alone: up to all options."""
    anonymous: bool
    changeable: bool
    deadline: str | None
    """The words after 截止 (None: no deadline)."""
    audience: str | None
    """The words after 对象 (None: everyone on the roster)."""


def split(text: str) -> Draft:
    """The poll and its options; raises PollError."""
    plain: list[str] = []
    values: dict[str, list[str]] = {}
    current: str | None = None
    anonymous = changeable = False
    multi: str | None = None
    for word in clean_text(text).split(" "):
        if not word:
            continue
        folded = clean_text(word, fold=True)
        key = _KEY.match(word)
        if folded in _ANONYMOUS:
            anonymous, current = True, None
        elif folded in _CHANGEABLE:
            changeable, current = True, None
        elif (found := _MULTI.match(folded)) is not None:
            if multi is not None:
                raise PollError(Problem.TWICE, "多选")
            multi, current = found.group("n") or "", None
        elif key is not None:
            current = "对象" if key.group("key") == "对象" else "截止"
            if current in values:
                raise PollError(Problem.TWICE, current)
            values[current] = [key.group("rest")] if key.group("rest") else []
        elif current is not None:
            values[current].append(word)
        else:
            plain.append(word)
    for key, words in values.items():
        if not words:
            raise PollError(Problem.EMPTY_OPTION, key)
    if not plain:
        raise PollError(Problem.NO_TITLE)
    title, options = plain[0], plain[1:]
    if len(options) < MIN_OPTIONS:
        raise PollError(Problem.TOO_FEW, str(len(options)))
    if len(options) > MAX_OPTIONS:
        raise PollError(Problem.TOO_MANY, str(len(options)))
    seen: set[str] = set()
    for option in options:
        folded = clean_text(option, fold=True).casefold()
        if folded in seen:
            raise PollError(Problem.SAME_OPTION, option)
        seen.add(folded)
    if multi is None:
        max_choices = 1
    elif multi == "":
        max_choices = len(options)
    else:
        max_choices = int(multi)
        if not 2 <= max_choices <= len(options):
            raise PollError(Problem.BAD_MULTI, f"{max_choices}:{len(options)}")
    deadline = values.get("截止")
    audience = values.get("对象")
    return Draft(
        title,
        options,
        max_choices,
        anonymous,
        changeable,
        " ".join(deadline) if deadline is not None else None,
        " ".join(audience) if audience is not None else None,
    )


# --- 投 ------------------------------------------------------------------------------------

_BALLOT = re.compile(r"^(?:[#＃]?(?P<number>\d{1,9})\s*)?(?P<letters>[A-Za-z][A-Za-z\s,，、]*)?$")


@dataclass(frozen=True)
class Ballot:
    number: int | None
    """The poll's number, when written (`投 3 B`)."""
    letters: str
    """The letters chosen, upper case, in the order written, each once ("" when none)."""


def ballot(text: str) -> Ballot | None:
    """`A`, `AC`, `a c`, `3 B`, `#3 B`, `3` (no letter: the caller asks for one); None when
    the text is no ballot (`投` followed by chat)."""
    found = _BALLOT.match(clean_text(text, fold=True))
    if found is None or not (found.group("number") or found.group("letters")):
        return None
    letters = re.sub(r"[\s,，、]", "", found.group("letters") or "").upper()
    return Ballot(
        int(found.group("number")) if found.group("number") else None,
        "".join(dict.fromkeys(letters)),
    )
