"""政策 search on a library of 5,000 sections: import throughput, index build, search latency.

    python bench/policy_search.py [--sections 5000] [--database-url URL] [--rounds 5]

Writes a library of about `--sections` sections to a temporary folder — variants of the starter
documents (data/docs): each copy has its own title, its sentences reordered and mixed with
sentences of other sections, so the vocabulary and section lengths stay realistic — then, in a
fresh database (SQLite in a temporary folder unless --database-url is given):

1. imports it with the code `python -m bot import-docs` runs (files/s, sections/s);
2. builds the search index from the rows, as a bot process does at start-up;
3. runs every query of tests/policy/eval_queries.json `--rounds` times through the search 政策
   uses (stamp check, ranking, snippets) and prints p50 / p95 / p99; target: p50 under 20 ms;
4. re-imports one changed document and times the next search, which brings the index up to
   date (as when another process changed the library).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

DOCS = REPO_ROOT / "data" / "docs"


def setup(database_url: str, data_dir: Path) -> None:
    os.environ["LOCALSTORE_DATA_DIR"] = str(data_dir)
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ["POLICY_STARTER_DIR"] = "none"
    if database_url:
        os.environ["SQLALCHEMY_DATABASE_URL"] = database_url
    else:
        os.environ.pop("SQLALCHEMY_DATABASE_URL", None)
    from bot import app

    app.setup("server")


def write_library(target: Path, sections: int) -> tuple[int, int]:
    """Variants of the starter documents until about `sections` sections; (files, sections)."""
    from plugins.policy.readers import read_document

    rng = random.Random(20261128)
    sources = [p for p in sorted(DOCS.rglob("*.md")) if p.name != "README.md"]
    parsed = [(p, read_document(p)) for p in sources]
    sentences = [
        s
        for _, doc in parsed
        for sec in doc.sections
        for s in re.findall(r"[^。；！？\n]+[。；！？]?", sec.text)
        if len(s) > 8
    ]
    files = written = 0
    copy = 0
    while written < sections:
        copy += 1
        for path, doc in parsed:
            if written >= sections:
                break
            lines = [
                "---",
                f"标题: {doc.title}（汇编第{copy}册）",
                f"分类: {doc.category}",
                f"发文机关: {doc.issuer}",
                f"日期: {doc.issued}",
                "---",
                "",
                f"# {doc.title}（汇编第{copy}册）",
                "",
            ]
            for sec in doc.sections:
                if sec.heading == "导语":
                    lines += [sec.text, ""]
                    continue
                own = re.findall(r"[^。；！？\n]+[。；！？]?", sec.text)
                rng.shuffle(own)
                mixed = own + rng.sample(sentences, k=2)
                lines += [f"## {sec.heading}", "", "".join(mixed), ""]
            out = target / doc.category / f"{path.stem}-{copy:03d}.md"
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text("\n".join(lines), encoding="utf-8")
            files += 1
            written += len(doc.sections)
    return files, written


def _append_section(folder: Path) -> Path:
    changed = next(folder.rglob("*.md"))
    text = changed.read_text(encoding="utf-8")
    changed.write_text(text + "\n## 新增一节\n\n读书班每季度举办。\n", encoding="utf-8")
    return changed


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def run(folder: Path, rounds: int) -> None:
    from bot.db import upgrade_schema
    from plugins.policy import config, library, search

    await upgrade_schema()
    search.configure(config.words_path(), config.synonyms_path())
    began = time.perf_counter()
    await search.load_segmenter()
    print(f"segmenter (jieba + domain dictionary) loaded in {time.perf_counter() - began:.2f} s")

    began = time.perf_counter()
    report = await library.import_paths([folder], **config.import_limits())
    took = time.perf_counter() - began
    done = [f.outcome for f in report.files if f.outcome]
    sections = sum(o.sections for o in done)
    assert not report.failed, report.failed[:3]
    print(
        f"import: {len(done)} files, {sections} sections in {took:.2f} s — "
        f"{len(done) / took:.0f} files/s, {sections / took:.0f} sections/s"
    )

    began = time.perf_counter()
    again = await library.import_paths([folder], **config.import_limits())
    took = time.perf_counter() - began
    assert all(f.outcome and f.outcome.status == "unchanged" for f in again.files)
    print(f"re-import, nothing changed: {len(again.files)} files in {took:.2f} s")

    began = time.perf_counter()
    snapshot = await search.refresh()
    print(
        f"index build: {len(snapshot.entries)} sections, {len(snapshot.postings)} terms "
        f"in {time.perf_counter() - began:.2f} s"
    )

    queries = [
        q["query"] for q in json.loads((REPO_ROOT / "tests/policy/eval_queries.json").read_text())
    ]
    queries += ["党费", "交党费", "入党", "转正", "工资8000交多少党费", "预备党员 转正 支部大会"]
    timings: list[float] = []
    for _ in range(rounds):
        for query in queries:
            began = time.perf_counter()
            result = await search.search(query)
            timings.append((time.perf_counter() - began) * 1000)
            assert result.searchable
    print(
        f"search ({len(timings)} queries over {len(snapshot.entries)} sections): "
        f"p50 {statistics.median(timings):.1f} ms, p95 {percentile(timings, 95):.1f} ms, "
        f"p99 {percentile(timings, 99):.1f} ms, max {max(timings):.1f} ms"
    )

    changed = await asyncio.to_thread(_append_section, folder)
    await library.import_paths([changed], **config.import_limits())
    began = time.perf_counter()
    result = await search.search("读书班")
    print(
        f"first search after one document changed (index brought up to date): "
        f"{(time.perf_counter() - began) * 1000:.0f} ms, found {len(result.hits)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sections", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--database-url", default="", help="default: SQLite in a temporary folder")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="policy-bench-"))
    setup(args.database_url, work / "data")
    files, sections = write_library(work / "library", args.sections)
    print(f"library: {files} files, {sections} sections in {work / 'library'}")
    asyncio.run(run(work / "library", args.rounds))


if __name__ == "__main__":
    main()
