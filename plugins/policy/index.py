"""The in-memory search index: BM25F over document title, section headings and text.

Derived data: built from the library's rows (see search.refresh), never stored. A `Snapshot`
is immutable; a refresh builds the next one (in a worker thread when large) from the previous
one plus the sections that changed, and swaps it in, so searches never see half an update.

Ranking, per section s and query term t with weight q(t) (1 for typed words, less for synonyms):

    tf'(t, s) = Σ_field  w_field · tf_field(t, s) / (1 − b_field + b_field · len_field(s) / avg_field)
    score(s)  = Σ_t  q(t) · idf(t) · tf' · (k1 + 1) / (k1 + tf')
              · coverage(s)

idf is BM25's ln(1 + (N − df + 0.5) / (df + 0.5)). The fields: the document's title, the
section's heading path, its text, and the pairs of adjacent Chinese characters of heading and
text (a low-weight net for wording the segmenter cut differently). coverage rewards sections
that contain more of what was asked (several words at once): the idf-weighted share of the
typed words (or one of their synonyms) found in the section. A document's 导语 counts half.

Parameters were set before measuring and then tuned on tests/policy/eval_queries.json, checked
on both halves of the set (bench/policy_eval.py prints recall@5, MRR and every miss).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

from .sectioning import LEAD
from .segment import Query, QueryTerm, Segmenter, fold

_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]{2,}")

K1 = 2.0
FIELDS = ("title", "heading", "body", "pairs")
WEIGHTS = {"title": 1.5, "heading": 2.5, "body": 1.0, "pairs": 1.0}
B = {"title": 0.5, "heading": 0.5, "body": 0.75, "pairs": 0.75}
BINARY_TITLES = True
"""A word counts once in a title or heading: saying 党费 twice in a title does not make a
section more about 党费."""
PAIR_WEIGHT = 0.3
"""Query weight of character pairs (网上转 → 网上, 上转): they find wording the segmenter cut
differently, and reward words that stand together as in the query."""
COVERAGE_FLOOR = 0.35
"""A section that has only a small part of a multi-word query keeps this share of its score."""
LEAD_FACTOR = 0.5
"""A document's 导语 (the text before its first heading) summarises the sections after it:
it matches many queries but rarely answers one, so its score counts half."""
AUTHORITY_FACTOR = {"official": 2.0, "branch": 1.2, "interpretation": 1.0}
"""An official text the branch imported says what the rule is; a summary says it again in
other words (and wins on wording: its headings are the questions members ask). The rule's own
article counts more, the branch's own material a little more than a general summary."""
OFFICIAL_FIRST_SHARE = 0.5
"""When the best hit is not an official text and an official article within the first
results scores at least this share of it, that article is shown first: both answer, and the
article is the rule itself."""
OFFICIAL_FIRST_WITHIN = 5


@dataclass(frozen=True)
class Row:
    """A section as read from the database, with what the index shows of its document."""

    id: int
    number: int
    document_id: int
    source: str
    title: str
    category: str
    issued: str | None
    heading: str
    path: str
    part: int
    position: int
    text: str
    key: tuple[str, str]
    """(section text hash, document content hash): a changed key means re-index."""
    authority: str = ""
    """The document's standing: official, interpretation or branch."""


@dataclass(frozen=True)
class Entry:
    row: Row
    tf: tuple[Counter[str], ...]
    lengths: tuple[int, ...]


@dataclass(frozen=True)
class Hit:
    row: Row
    score: float


@dataclass
class Snapshot:
    stamp: str | None = None
    entries: dict[int, Entry] = field(default_factory=dict)
    postings: dict[str, dict[int, float]] = field(default_factory=dict)
    """term -> {section id: saturated BM25F term weight}."""
    title_only: dict[str, set[int]] = field(default_factory=dict)
    """Per term, the sections that have it in their document's title and nowhere else."""
    averages: tuple[float, ...] = ()
    """Average field lengths the weights were computed with."""

    def keys(self) -> dict[int, tuple[str, str]]:
        return {sid: entry.row.key for sid, entry in self.entries.items()}

    def idf(self, term: str) -> float:
        df = len(self.postings.get(term, ()))
        count = len(self.entries)
        return math.log(1 + (count - df + 0.5) / (df + 0.5))


_ARTICLE_HEAD = re.compile(r"^第[〇零一二三四五六七八九十百千两\d]+条$")
_LEAD_CLAUSE = re.compile(
    r"^第[〇零一二三四五六七八九十百千两\d]+条\s*([^。：:；;\n]{2,40})[。：:；;\n]"
)
"""An article (第X条) has no heading of its own; its opening clause says what it is about
(「党员必须履行下列义务：」, 「对党员的纪律处分种类：」): it is indexed with the heading."""


def heading_text(row: Row) -> str:
    """The heading path, and for an article its opening clause (the article's own title)."""
    text = row.path.replace(" › ", " ")
    lead = _LEAD_CLAUSE.match(row.text) if row.part <= 1 else None
    if lead and _ARTICLE_HEAD.match(row.heading):
        text = f"{text} {lead.group(1)}"
    return text


def make_entry(row: Row, segmenter: Segmenter) -> Entry:
    title = segmenter.terms(row.title)
    heading = segmenter.terms(heading_text(row))
    body = segmenter.terms(row.text)
    pairs = char_pairs(heading_text(row) + "\n" + row.text)
    fields = (title, heading, body, pairs)
    counts = tuple(Counter(f) for f in fields)
    if BINARY_TITLES:
        counts = (Counter(dict.fromkeys(title, 1)), Counter(dict.fromkeys(heading, 1)), *counts[2:])
    return Entry(row, counts, tuple(len(f) for f in fields))


def char_pairs(text: str) -> list[str]:
    """Overlapping pairs of Chinese characters, marked so they never equal a word."""
    out: list[str] = []
    for run in _CJK_RUN.findall(fold(text)):
        out.extend("\x01" + run[i : i + 2] for i in range(len(run) - 1))
    return out


def build(
    previous: Snapshot,
    stamp: str | None,
    changed: list[Row],
    keep: set[int],
    segmenter: Segmenter,
) -> Snapshot:
    """The next snapshot: `previous`'s entries in `keep`, plus `changed` (re-segmented).

    When few sections changed and the average field lengths moved less than AVERAGE_DRIFT,
    only the postings of the sections that changed are touched (copied on write), so bringing
    a large index up to date after one document costs milliseconds; otherwise every weight is
    computed again."""
    entries = {sid: entry for sid, entry in previous.entries.items() if sid in keep}
    added = {row.id: make_entry(row, segmenter) for row in changed}
    entries.update(added)
    if not entries:
        return Snapshot(stamp=stamp)
    averages = _averages(entries)
    gone = [e for sid, e in previous.entries.items() if sid not in keep]
    small = len(added) + len(gone) <= INCREMENTAL_SHARE * len(entries)
    old = previous.averages
    if (
        small
        and old
        and all(abs(a / b - 1) <= AVERAGE_DRIFT for a, b in zip(averages, old, strict=True))
    ):
        return _update(previous, stamp, entries, gone, added)
    return _weigh_all(stamp, entries, averages)


INCREMENTAL_SHARE = 0.2
"""Update in place only when at most this share of the sections changed."""
AVERAGE_DRIFT = 0.05


def _averages(entries: dict[int, Entry]) -> tuple[float, ...]:
    count = len(entries)
    return tuple(
        max(sum(e.lengths[i] for e in entries.values()) / count, 1.0) for i in range(len(FIELDS))
    )


def _weights(entry: Entry, averages: tuple[float, ...]) -> dict[str, float]:
    pseudo: dict[str, float] = {}
    for i, counts in enumerate(entry.tf):
        if not counts:
            continue
        b = B[FIELDS[i]]
        norm = WEIGHTS[FIELDS[i]] / (1 - b + b * entry.lengths[i] / averages[i])
        for term, tf in counts.items():
            pseudo[term] = pseudo.get(term, 0.0) + tf * norm
    return {term: tf * (K1 + 1) / (K1 + tf) for term, tf in pseudo.items()}


def _title_only(entry: Entry) -> list[str]:
    return [t for t in entry.tf[0] if not any(t in counts for counts in entry.tf[1:])]


def _weigh_all(
    stamp: str | None, entries: dict[int, Entry], averages: tuple[float, ...]
) -> Snapshot:
    postings: dict[str, dict[int, float]] = {}
    title_only: dict[str, set[int]] = {}
    for sid, entry in entries.items():
        for term in _title_only(entry):
            title_only.setdefault(term, set()).add(sid)
        for term, weight in _weights(entry, averages).items():
            postings.setdefault(term, {})[sid] = weight
    return Snapshot(stamp, entries, postings, title_only, averages)


def _update(
    previous: Snapshot,
    stamp: str | None,
    entries: dict[int, Entry],
    gone: list[Entry],
    added: dict[int, Entry],
) -> Snapshot:
    postings = dict(previous.postings)
    title_only = dict(previous.title_only)
    copied: set[str] = set()
    copied_titles: set[str] = set()

    def posting(term: str) -> dict[int, float]:
        if term not in copied:
            copied.add(term)
            postings[term] = dict(postings.get(term, {}))
        return postings[term]

    def titles(term: str) -> set[int]:
        if term not in copied_titles:
            copied_titles.add(term)
            title_only[term] = set(title_only.get(term, ()))
        return title_only[term]

    for entry in gone:
        sid = entry.row.id
        for counts in entry.tf:
            for term in counts:
                posting(term).pop(sid, None)
        for term in _title_only(entry):
            titles(term).discard(sid)
    for sid, entry in added.items():
        for term, weight in _weights(entry, previous.averages).items():
            posting(term)[sid] = weight
        for term in _title_only(entry):
            titles(term).add(sid)
    for term in copied:
        if not postings[term]:
            del postings[term]
    for term in copied_titles:
        if not title_only[term]:
            del title_only[term]
    return Snapshot(stamp, entries, postings, title_only, previous.averages)


def search(snapshot: Snapshot, query: Query) -> list[Hit]:
    """Every section that matches, best first."""
    scores: dict[int, float] = {}
    concept_idf: dict[int, float] = {}
    in_content: set[int] = set()
    """Sections that match in their own heading or text, not only by their document's title."""
    pairs = [QueryTerm(p, PAIR_WEIGHT, False, -1) for p in dict.fromkeys(char_pairs(query.text))]
    for qt in (*query.terms, *pairs):
        posting = snapshot.postings.get(qt.term)
        if not posting:
            continue
        only_title = snapshot.title_only.get(qt.term, set())
        in_content.update(sid for sid in posting if sid not in only_title)
        idf = snapshot.idf(qt.term)
        factor = qt.weight * idf
        for sid, weight in posting.items():
            scores[sid] = scores.get(sid, 0.0) + factor * weight
        if qt.typed:
            concept_idf[qt.concept] = max(concept_idf.get(qt.concept, 0.0), idf)
    if in_content:
        scores = {sid: score for sid, score in scores.items() if sid in in_content}
    if not scores:
        return []
    total = sum(concept_idf.values())
    shares: dict[int, float] = {}
    """The idf-weighted share of the typed words each section has (1 for one-word queries)."""
    if len(concept_idf) > 1 and total > 0:
        covered: dict[int, float] = {}
        for concept, idf in concept_idf.items():
            found: set[int] = set()
            for qt in query.terms:
                if qt.concept == concept:
                    found.update(snapshot.postings.get(qt.term, ()))
            for sid in found:
                covered[sid] = covered.get(sid, 0.0) + idf
        for sid in scores:
            share = covered.get(sid, 0.0) / total
            shares[sid] = share
            scores[sid] *= COVERAGE_FLOOR + (1 - COVERAGE_FLOOR) * share
    for sid in scores:
        row = snapshot.entries[sid].row
        if row.heading == LEAD:
            scores[sid] *= LEAD_FACTOR
        scores[sid] *= AUTHORITY_FACTOR.get(row.authority, 1.0)
    ranked = sorted(
        scores.items(), key=lambda item: (-item[1], snapshot.entries[item[0]].row.number)
    )
    hits = [Hit(snapshot.entries[sid].row, score) for sid, score in ranked]
    return official_first(hits, shares)


def official_first(hits: list[Hit], shares: dict[int, float]) -> list[Hit]:
    """The best official article among the first results goes first when it answers too: it
    has as much of what was asked as the best hit, or scores nearly as well."""
    if not hits or hits[0].row.authority == "official":
        return hits
    best_share = shares.get(hits[0].row.id, 1.0)
    for index, hit in enumerate(hits[:OFFICIAL_FIRST_WITHIN]):
        if hit.row.authority != "official":
            continue
        if (
            shares.get(hit.row.id, 1.0) >= best_share
            or hit.score >= OFFICIAL_FIRST_SHARE * hits[0].score
        ):
            return [hit, *hits[:index], *hits[index + 1 :]]
        break
    return hits


def snippet(text: str, phrases: tuple[str, ...], width: int) -> str:
    """About `width` characters of `text` around the densest matches, matches marked 【】."""
    flat = text.replace("\n", " ")
    folded = fold(flat)
    spans: list[tuple[int, int]] = []
    for phrase in phrases:
        start = folded.find(phrase)
        while start != -1:
            end = start + len(phrase)
            if not any(s <= start and end <= e for s, e in spans):
                spans.append((start, end))
            start = folded.find(phrase, start + 1)
    if not spans:
        return flat[:width] + ("…" if len(flat) > width else "")
    spans.sort()
    best_start, best_value = 0, -1.0
    for start, _ in spans:
        lead = max(0, start - width // 5)
        window_end = lead + width
        found = {folded[s:e] for s, e in spans if s >= lead and e <= window_end}
        value = sum(len(p) ** 0.5 for p in found) + (0.1 if lead == 0 else 0)
        if value > best_value:
            best_start, best_value = lead, value
    start = best_start
    # Begin at a sentence start when one is close before the first match.
    for back in range(start, max(-1, start - 12), -1):
        if back == 0 or flat[back - 1] in "。；！？!?;":
            start = back
            break
    end = min(len(flat), start + width)
    for s, e in spans:  # never cut a match, or a run of adjacent matches, at the end
        if s < end < e or (s == end and e > end and any(e2 == s for _, e2 in spans)):
            end = e
    marked = _merge([(s, e) for s, e in spans if s >= start and e <= end])
    out: list[str] = ["…" if start > 0 else ""]
    cursor = start
    for s, e in marked:
        out.append(flat[cursor:s])
        out.append(f"【{flat[s:e]}】")
        cursor = e
    out.append(flat[cursor:end])
    out.append("…" if end < len(flat) else "")
    return "".join(out)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if start >= end:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
