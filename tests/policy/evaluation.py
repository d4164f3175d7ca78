"""Recall@5 and MRR of 政策 search on tests/policy/eval_queries.json (the independent set).

A query is a hit when any of its expected sections — (document path under data/docs, heading)
— is among the first 5 results. MRR uses the rank of the first expected section (0 if not in
the first 5... or in the first `depth` results, see below).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

EVAL_FILE = Path(__file__).with_name("eval_queries.json")
EXTERNAL_EVAL_FILE = Path(__file__).with_name("eval_external.json")
"""Member questions about the five official texts in ../shared/external/docs (issue 17)."""
DOCS_PREFIX = "data/docs/"
EXTERNAL = Path(__file__).resolve().parents[2] / ".." / "shared" / "external"
"""Material written by others, beside the project (absent on a newcomer's clone): read in
place, never copied into the project."""
EXTERNAL_DOCS = (
    "docs/Item-16583.txt",
    "docs/constitution-of-the-communist-party-of-china.md",
    "docs/Item-14226.txt",
    "docs/Item-10167.txt",
    "docs/Item-23239.txt",
)
"""The five official texts the questions of eval_external.json are about."""


@dataclass(frozen=True)
class Outcome:
    query: str
    expected: list[tuple[str, str]]
    found: list[tuple[str, str]]
    rank: int | None
    """1-based rank of the first expected section in the first 5, else None."""


@dataclass(frozen=True)
class Scores:
    outcomes: list[Outcome]

    @property
    def recall_at_5(self) -> float:
        return sum(1 for o in self.outcomes if o.rank) / len(self.outcomes)

    @property
    def mrr(self) -> float:
        return sum(1 / o.rank for o in self.outcomes if o.rank) / len(self.outcomes)

    @property
    def misses(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.rank]

    def summary(self) -> str:
        return (
            f"{len(self.outcomes)} queries: recall@5 {self.recall_at_5:.3f}, "
            f"MRR {self.mrr:.3f}, misses {len(self.misses)}"
        )


def load_queries(file: Path = EVAL_FILE) -> list[dict]:
    return json.loads(file.read_text(encoding="utf-8"))


def external_files() -> list[Path] | None:
    """The five external texts, or None where ../shared/external is absent."""
    files = [EXTERNAL / name for name in EXTERNAL_DOCS]
    return files if all(f.is_file() for f in files) else None


def _doc_of(source: str) -> str:
    if source.startswith(DOCS_PREFIX):
        return source[len(DOCS_PREFIX) :]
    # Files outside the project are stored by their absolute path: the file name names them.
    return source.rsplit("/", 1)[-1] if source.startswith("/") else source


async def evaluate(queries: list[dict] | None = None, k: int = 5) -> Scores:
    from plugins.policy import search

    outcomes = []
    for item in queries if queries is not None else load_queries():
        expected = [(e["doc"], e["section"]) for e in item["expected"]]
        result = await search.search(item["query"], limit=k)
        found = [(_doc_of(hit.source), hit.heading) for hit in result.hits]
        rank = next((i for i, f in enumerate(found, 1) if f in expected), None)
        outcomes.append(Outcome(item["query"], expected, found, rank))
    return Scores(outcomes)
