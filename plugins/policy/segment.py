"""Chinese text into search terms: jieba with the domain dictionary, synonyms, stop words.

`Segmenter.terms(text)` gives the terms a section is indexed under: jieba's precise cut
(dictionary only, no HMM guessing, so a word is cut the same in a query and in a document),
plus every dictionary word inside a longer word (预备党员转为正式党员 → 预备党员, 正式党员, 党员 …),
numbers kept whole (8000, 1.5). `Segmenter.query(text)` also expands the query with the synonym
table: `交党费` also looks for 党费交纳, 缴纳党费 …, weighted lower than the words typed.

jieba's dictionary takes about half a second to load; `load()` is called at start-up (in a
thread), never on a member's first query. A private `jieba.Tokenizer` is used, so the words
added here do not change how other code in the process cuts text.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import jieba

DEFAULT_WORDS = "policy_words.txt"
DEFAULT_SYNONYMS = "policy_synonyms.txt"

_STOPWORD_TEXT = """
    的 了 吗 呢 啊 吧 呀 嘛 哦 哈 么 之 地 得 着 过 是 在 和 与 及 或 而 并 且 我 我们 你
    您 你们 他 她 它 他们 咱 咱们 自己 大家 这 那 这个 那个 这些 那些 这样 那样 哪 哪些 哪个
    哪里 哪儿 什么 啥 怎么 怎样 怎么样 怎么办 咋 咋办 如何 为什么 为啥 是否 是不是 请问 问 问下
    问一下 一下 下 想 想问 想知道 知道 请 帮 帮忙 告诉 麻烦 谢谢 一个 个 把 被 对 从 给 就 都
    也 还 又 呗 吗 嘞 呐 喔 哇 么 能不能 可不可以 有没有 会不会 要不要 该 应该
    能 能够 可以 可 会 要 需要 应 应当 还能 还要 还会 有 有哪些 有几种 哪几种
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
"""Function words and question words: they say how a member asks, not what about."""

_ASCII_RUN = re.compile(r"[0-9a-z][0-9a-z.%]*")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

SYNONYM_WEIGHT = 0.7
"""Weight of a synonym term relative to a term the member typed."""

log = logging.getLogger(__name__)


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    folded = unicodedata.normalize("NFKC", ch)
    return (folded if len(folded) == 1 else ch).lower()


def fold(text: str) -> str:
    """Full-width letters and digits made ASCII, lower case — one character for one, so
    positions in the folded text are positions in the original."""
    return "".join(_fold_char(ch) for ch in text)


@dataclass(frozen=True)
class QueryTerm:
    term: str
    weight: float
    typed: bool
    """True for a term of the query itself, False for one added from the synonym table."""
    concept: int
    """Terms that stand for the same thing share it: a word and the words inside it
    (预备党员, 党员), a phrase of the synonym table and its synonyms (交 党费, 缴纳党费)."""


@dataclass(frozen=True)
class Query:
    text: str
    """The folded query."""
    terms: tuple[QueryTerm, ...]
    phrases: tuple[str, ...]
    """Words worth marking in snippets: the typed terms and the synonyms, longest first."""


@dataclass(frozen=True)
class SynonymGroup:
    heads: tuple[str, ...]
    """Words that trigger the group when they occur in a query."""
    expansions: tuple[str, ...]
    """Words added to such a query."""


class Segmenter:
    def __init__(self, words_file: Path | None = None, synonyms_file: Path | None = None) -> None:
        self.words_file = words_file
        self.synonyms_file = synonyms_file
        self._tokenizer: jieba.Tokenizer | None = None
        self._lock = threading.Lock()
        self.groups: list[SynonymGroup] = []
        self._triggers: list[tuple[str, int]] = []

    @property
    def loaded(self) -> bool:
        return self._tokenizer is not None

    def load(self) -> None:
        """Load jieba's dictionary, the domain words and the synonyms (once; thread-safe)."""
        if self._tokenizer is not None:
            return
        with self._lock:
            if self._tokenizer is not None:
                return
            import jieba

            jieba.setLogLevel(logging.WARNING)
            tokenizer = jieba.Tokenizer()
            tokenizer.initialize()
            words = read_words(self.words_file)
            groups = read_synonyms(self.synonyms_file)
            for word in words:
                tokenizer.add_word(word, freq=max(tokenizer.suggest_freq(word), 50_000))
            for group in groups:
                for word in (*group.heads, *group.expansions):
                    if 2 <= len(word) <= 4 and _CJK.search(word) and word not in tokenizer.FREQ:
                        tokenizer.add_word(word, freq=max(tokenizer.suggest_freq(word), 20_000))
            self.groups = groups
            self._triggers = sorted(
                ((head, index) for index, group in enumerate(groups) for head in group.heads),
                key=lambda item: -len(item[0]),
            )
            self._tokenizer = tokenizer

    def _loaded(self) -> jieba.Tokenizer:
        if self._tokenizer is None:
            self.load()
        assert self._tokenizer is not None
        return self._tokenizer

    def _cut(self, text: str) -> list[str]:
        return list(self._loaded().cut(text, HMM=False))

    def terms(self, text: str) -> list[str]:
        """The index terms of `text`, in order, repeats kept (they are term frequencies)."""
        out: list[str] = []
        folded = fold(text)
        position = 0
        for match in _ASCII_RUN.finditer(folded):
            if match.start() > position:
                out.extend(self._cjk_terms(folded[position : match.start()]))
            out.extend(_ascii_terms(match.group()))
            position = match.end()
        if position < len(folded):
            out.extend(self._cjk_terms(folded[position:]))
        return out

    def words(self, text: str) -> list[str]:
        """The words of `text` as the precise cut gives them, without the words inside them:
        a synonym phrase is looked for as its words (支部书记), not as their parts (支部)."""
        folded = fold(text)
        out: list[str] = []
        position = 0
        for match in _ASCII_RUN.finditer(folded):
            out.extend(w for w in self._cut(folded[position : match.start()]) if _keep(w))
            out.extend(_ascii_terms(match.group()))
            position = match.end()
        out.extend(w for w in self._cut(folded[position:]) if _keep(w))
        return out

    def _cjk_terms(self, text: str) -> list[str]:
        out: list[str] = []
        words = self._cut(text)
        freq = self._loaded().FREQ
        for word in words:
            if not _keep(word):
                continue
            out.append(word)
            size = len(word)
            if size > 2:
                for n in range(size - 1, 1, -1):
                    for start in range(size - n + 1):
                        sub = word[start : start + n]
                        if freq.get(sub) and sub not in STOPWORDS:
                            out.append(sub)
        return out

    def query(self, text: str) -> Query:
        """Terms of a member's query, each once, with the synonyms of what it contains."""
        folded = fold(text)
        typed = list(dict.fromkeys(self.terms(folded)))
        parent = list(range(len(typed)))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        def union(i: int, j: int) -> None:
            parent[find(i)] = find(j)

        for i, term in enumerate(typed):
            for j, other in enumerate(typed):
                if i != j and len(term) < len(other) and term in other:
                    union(i, j)
        compact = re.sub(r"\s+", "", folded)
        matched: list[tuple[int, list[int]]] = []  # (group, typed terms it covers)
        done: set[int] = set()
        for head, index in self._triggers:
            if index in done or not (head in compact or head in typed):
                continue
            done.add(index)
            inside = [i for i, t in enumerate(typed) if t in head or head in t]
            for i in inside[1:]:
                union(i, inside[0])
            matched.append((index, inside))
        terms = [QueryTerm(term, 1.0, True, find(i)) for i, term in enumerate(typed)]
        seen = set(typed)
        phrases = set(typed)
        extra_concept = len(typed)
        for index, inside in matched:
            concept = find(inside[0]) if inside else extra_concept
            extra_concept += 0 if inside else 1
            for word in self.groups[index].expansions:
                phrases.add(word)
                for term in dict.fromkeys(self.words(word)):
                    if term not in seen:
                        seen.add(term)
                        terms.append(QueryTerm(term, SYNONYM_WEIGHT, False, concept))
        terms = [
            QueryTerm(t.term, t.weight, t.typed, find(t.concept) if t.typed else t.concept)
            for t in terms
        ]
        marked = sorted(
            (p for p in phrases if len(p) >= 2 or _NUMBER.fullmatch(p)), key=lambda p: -len(p)
        )
        return Query(folded, tuple(terms), tuple(marked))

    def related(self, text: str) -> list[str]:
        """Synonym-table words that share a character with `text` (for "nothing found")."""
        folded = fold(text)
        chars = set(_CJK.findall(folded))
        scored: dict[str, int] = {}
        for group in self.groups:
            for word in (*group.heads, *group.expansions):
                shared = len(chars & set(word))
                if shared and word not in folded:
                    scored[word] = max(scored.get(word, 0), shared)
        return [w for w, _ in sorted(scored.items(), key=lambda item: (-item[1], len(item[0])))]


def _keep(word: str) -> bool:
    word = word.strip()
    if not word or word in STOPWORDS:
        return False
    return any(ch.isalnum() for ch in word)


def _ascii_terms(run: str) -> list[str]:
    run = run.strip(".%")
    if not run:
        return []
    out = []
    for piece in re.findall(r"\d+(?:\.\d+)?|[a-z]+", run):
        out.append(piece)
    return out


def read_words(path: Path | None) -> list[str]:
    """Domain words, one a line (jieba user-dictionary style: the word first); # comments."""
    if path is None or not path.is_file():
        return []
    words = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            words.append(fold(line.split()[0]))
    return words


def read_synonyms(path: Path | None) -> list[SynonymGroup]:
    """Synonym groups, one a line.

    `交党费 缴纳党费 党费交纳` — words that mean the same: each one in a query also looks for the
    others. `入党 => 发展党员 入党申请` — the words left of `=>` also look for those right of it,
    not the other way round. `#` starts a comment.
    """
    if path is None or not path.is_file():
        return []
    groups: list[SynonymGroup] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = fold(line.split("#", 1)[0]).strip()
        if not line:
            continue
        if "=>" in line:
            left, right = line.split("=>", 1)
            heads, expansions = left.split(), right.split()
            if heads and expansions:
                groups.append(SynonymGroup(tuple(heads), tuple(expansions)))
            continue
        words = line.split()
        if len(words) >= 2:
            groups.append(SynonymGroup(tuple(words), tuple(words)))
    return groups
