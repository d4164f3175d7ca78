"""The in-memory side of content alerts: which groups are watched and one automaton per
branch. The router's interceptor asks `find` for every non-command group message, so it is
a dictionary lookup (is this group watched?) and, only then, one Aho-Corasick pass over the
normalised text — never a database query. `jobs.reload` rebuilds it from the database when
the list's version changes (in another process too) and refreshes the watched groups.

The matcher is pyahocorasick (C, maintained, one pass over the text whatever the number of
words): a 5,000-word list costs the same per message as a 50-word one.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from dataclasses import dataclass, field

import ahocorasick

from .normalise import normalise


@dataclass(frozen=True, slots=True)
class Hit:
    category: str
    word: str
    recall: bool


@dataclass
class _Branch:
    automaton: ahocorasick.Automaton
    recall: frozenset[str]


@dataclass
class Watch:
    groups: dict[str, int] = field(default_factory=dict)
    """Watched group → its branch id."""
    branches: dict[int, _Branch] = field(default_factory=dict)
    links: frozenset[int] = frozenset()
    """Branches that want messages with links reported."""
    version: int = -1
    """The list version the automata were built from (-1: never loaded)."""


_watch = Watch()


def reset() -> None:
    """Forget everything (tests)."""
    global _watch
    _watch = Watch()
    _recent.clear()


def version() -> int:
    return _watch.version


def watched(group_id: str) -> bool:
    return group_id in _watch.groups


def branch_of(group_id: str) -> int | None:
    return _watch.groups.get(group_id)


def set_groups(groups: dict[str, int]) -> None:
    _watch.groups = dict(groups)


def watch_group(group_id: str, branch_id: int, on: bool) -> None:
    groups = dict(_watch.groups)
    if on:
        groups[group_id] = branch_id
    else:
        groups.pop(group_id, None)
    _watch.groups = groups


def rebuild(
    version: int,
    words: list[tuple[int, str, str]],
    recall: dict[int, set[str]],
    links: set[int] | None = None,
) -> None:
    """New automata from (branch id, category, normalised word) rows."""
    entries: dict[int, dict[str, tuple[str, ...]]] = {}
    for branch_id, category, word in words:
        branch_words = entries.setdefault(branch_id, {})
        branch_words[word] = (*branch_words.get(word, ()), category)
    branches: dict[int, _Branch] = {}
    for branch_id, branch_words in entries.items():
        automaton = ahocorasick.Automaton()
        for word, categories in branch_words.items():
            automaton.add_word(word, (word, categories))
        automaton.make_automaton()
        branches[branch_id] = _Branch(automaton, frozenset(recall.get(branch_id, ())))
    _watch.branches = branches
    _watch.links = frozenset(links or ())
    _watch.version = version


def find(group_id: str, text: str) -> Hit | None:
    """The first word of the group's branch list in `text` (one of a recall category first)."""
    return find_normalised(group_id, normalise(text))


LINK_CATEGORY = "链接"
_LINK = re.compile(
    r"(?:https?://|www\.)[^\s，。]+"
    r"|\b[a-z0-9][a-z0-9-]*\.(?:com|cn|net|org|top|xyz|cc|vip|info|me|io)\b[^\s，。]*",
    re.IGNORECASE | re.ASCII,
)


def find_link(group_id: str, text: str) -> Hit | None:
    """A link in the raw text, when the group's branch asked for links to be reported."""
    branch_id = _watch.groups.get(group_id)
    if branch_id is None or branch_id not in _watch.links:
        return None
    found = _LINK.search(text)
    return Hit(LINK_CATEGORY, found.group()[:60], False) if found else None


def find_normalised(group_id: str, text: str) -> Hit | None:
    branch_id = _watch.groups.get(group_id)
    if branch_id is None:
        return None
    branch = _watch.branches.get(branch_id)
    if branch is None or not text:
        return None
    first: Hit | None = None
    for _, (word, categories) in branch.automaton.iter(text):
        for category in categories:
            if category in branch.recall:
                return Hit(category, word, True)
            first = first or Hit(category, word, False)
    return first


# --- floods: per member of a watched group, the recent messages' times and texts, in memory
# (each process sees the messages of the accounts connected to it).


@dataclass(frozen=True, slots=True)
class Limits:
    same_count: int
    same_seconds: float
    burst_count: int
    burst_seconds: float
    quiet_seconds: float


@dataclass
class _Recent:
    seen: deque[tuple[float, str]] = field(default_factory=deque)
    texts: Counter[str] = field(default_factory=Counter)
    quiet_until: float = 0.0


_recent: dict[tuple[str, str], _Recent] = {}
_MAX_KEPT = 200
"""Messages kept per member (a window cannot need more than the larger count)."""


def reset_floods() -> None:
    _recent.clear()


def observe(group_id: str, user_id: str, text: str, now: float, limits: Limits) -> str | None:
    """Note one message; "same" or "burst" when it makes a flood that has not been reported
    (then the member is quiet for `limits.quiet_seconds`), else None."""
    recent = _recent.get((group_id, user_id))
    if recent is None:
        recent = _recent[(group_id, user_id)] = _Recent()
    seen, texts = recent.seen, recent.texts
    keep = max(limits.same_seconds, limits.burst_seconds)
    while seen and (seen[0][0] < now - keep or len(seen) >= _MAX_KEPT):
        _, old = seen.popleft()
        texts[old] -= 1
        if texts[old] <= 0:
            del texts[old]
    seen.append((now, text))
    texts[text] += 1
    if now < recent.quiet_until:
        return None
    kind = None
    if text and texts[text] >= limits.same_count:
        since = now - limits.same_seconds
        if sum(1 for t, x in seen if x == text and t >= since) >= limits.same_count:
            kind = "same"
    if (
        kind is None
        and len(seen) >= limits.burst_count
        and seen[-limits.burst_count][0] >= now - limits.burst_seconds
    ):
        kind = "burst"
    if kind is not None:
        recent.quiet_until = now + limits.quiet_seconds
    return kind


def prune_floods(now: float) -> None:
    """Forget members quiet for longer than any window (run by the periodic reload)."""
    for key, recent in list(_recent.items()):
        if (not recent.seen or recent.seen[-1][0] < now - 3600) and recent.quiet_until < now:
            del _recent[key]
