"""Audiences: reading the words after `对象` (notices, polls), who an audience admits, and
the roster people it names — one place, so notices, polls and meetings agree.

`对象 预备党员`, `对象 党员、第二党小组`, `对象 全体`: each word is a status word
(`AUDIENCE_WORDS`) or one of the branch's 党小组; the result is the `Audience` a subject
stores (None: everyone on the roster). Shared by every feature that addresses part of the
roster, so they read the same words the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.deps import clean_text
from bot.roster import STATUSES, PersonView, expected

from .service import Audience

_WORDS = re.compile(r"[\s,，、/和及与]+")

PARTY_MEMBERS = ("正式党员", "预备党员")
AUDIENCE_WORDS: dict[str, tuple[str, ...]] = {
    "全体": (),
    "全部": (),
    "所有人": (),
    "党员": PARTY_MEMBERS,
    "全体党员": PARTY_MEMBERS,
    "正式党员": ("正式党员",),
    "正式": ("正式党员",),
    "预备党员": ("预备党员",),
    "预备": ("预备党员",),
    "发展对象": ("发展对象",),
    "入党积极分子": ("入党积极分子",),
    "积极分子": ("入党积极分子",),
    "群众": ("群众",),
}
"""Status words → the roster statuses they mean (empty: everyone)."""
assert all(set(v) <= set(STATUSES) for v in AUDIENCE_WORDS.values())

STATUS_WORDS = "党员、正式党员、预备党员、发展对象、积极分子、群众"
"""The status words, as a reply lists them."""


class UnknownAudience(ValueError):
    """A word after 对象 that is neither a status word nor a 党小组 of the branch."""

    def __init__(self, word: str) -> None:
        super().__init__(word)
        self.word = word


def audience_words(text: str) -> list[str]:
    """The words of the text after 对象 (`党员、第二党小组` → two words)."""
    return [w for w in _WORDS.split(text) if w]


def read_audience(words: list[str] | None, party_groups: Iterable[str]) -> Audience | None:
    """The roster filters the words name: statuses and / or 党小组 of the branch (None:
    everyone). Raises UnknownAudience naming the first word that is neither."""
    if not words:
        return None
    groups = {clean_text(g, fold=True): g for g in party_groups if g}
    statuses: list[str] = []
    chosen: list[str] = []
    everyone = False
    for word in words:
        folded = clean_text(word, fold=True)
        if folded in AUDIENCE_WORDS:
            named = AUDIENCE_WORDS[folded]
            everyone = everyone or not named
            statuses.extend(s for s in named if s not in statuses)
        elif folded in groups:
            if groups[folded] not in chosen:
                chosen.append(groups[folded])
        else:
            raise UnknownAudience(word)
    if everyone and not chosen:
        return None
    if everyone:
        statuses = []
    return Audience(tuple(statuses), tuple(chosen))


def admits(branch_id: int, audience: Audience | None, person: PersonView) -> bool:
    """Whether a subject of `branch_id` with this audience expects the person (None: the
    whole roster of the branch)."""
    if person.branch_id != branch_id:
        return False
    if audience is None:
        return True
    if audience.statuses and person.status not in audience.statuses:
        return False
    if audience.offices and person.office not in audience.offices:
        return False
    return not (audience.party_groups and person.party_group not in audience.party_groups)


async def people_for(branch_id: int, audience: Audience | None) -> list[PersonView]:
    """The branch's current roster people the audience names (None: everyone)."""
    return await expected(
        branch_id,
        audience.statuses if audience else None,
        audience.party_groups if audience else None,
        audience.offices if audience else None,
    )


class OutsideGroup(ValueError):
    """A 党小组长 addressed people outside their own 党小组."""


def confine(audience: Audience | None, party_group: str) -> Audience:
    """The audience a 党小组长 may address (`bot.roster.scope_of`): their own 党小组, with
    the statuses they named. Raises OutsideGroup when they named another 党小组."""
    if audience is not None and audience.party_groups not in ((), (party_group,)):
        raise OutsideGroup(party_group)
    return Audience(audience.statuses if audience else (), (party_group,))
