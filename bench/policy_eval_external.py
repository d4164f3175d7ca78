"""Search quality on the official texts a branch imports (issue 17): recall@5 and MRR of the
official article, with the starter library present and absent.

    python bench/policy_eval_external.py [--verbose]

Imports the five texts of ../shared/external/docs (read in place) into a fresh SQLite
database, runs tests/policy/eval_external.json, then adds the starter library (data/docs)
and runs it again. A query is a hit when an expected article of an official text is among
the first 5 results. Skips (exit 0) where ../shared/external is absent.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))


def _report(label: str, scores, verbose: bool) -> None:  # type: ignore[no-untyped-def]
    print(f"== {label}")
    for outcome in scores.outcomes:
        if outcome.rank and not verbose:
            continue
        mark = f"#{outcome.rank}" if outcome.rank else "MISS"
        print(f"{mark:5} {outcome.query}")
        print(f"      want {outcome.expected}")
        for found in outcome.found:
            print(f"      got  {found}")
    print(f"{label}: {scores.summary()}")


async def main(verbose: bool) -> int:
    from bot.db import upgrade_schema
    from plugins.policy import config, library, search
    from tests.policy.evaluation import (
        EXTERNAL,
        EXTERNAL_EVAL_FILE,
        evaluate,
        external_files,
        load_queries,
    )

    files = external_files()
    if files is None:
        print(f"skipped: {EXTERNAL.resolve()} is absent (the external texts are not here)")
        return 0
    await upgrade_schema()
    search.configure(config.words_path(), config.synonyms_path())
    await search.load_segmenter()
    report = await library.import_paths(files, **config.import_limits())
    for failed in report.failed:
        print(f"failed: {failed.path}: {failed.error}")
    queries = load_queries(EXTERNAL_EVAL_FILE)
    absent = await evaluate(queries)
    await library.import_paths(
        [REPO_ROOT / "data" / "docs"], authority="interpretation", **config.import_limits()
    )
    present = await evaluate(queries)
    _report("starter absent", absent, verbose)
    _report("starter present", present, verbose)
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--verbose", action="store_true", help="show hits too, not only misses")
    args = parser.parse_args()
    os.environ["LOCALSTORE_DATA_DIR"] = tempfile.mkdtemp(prefix="policy-eval-external-")
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ.pop("SQLALCHEMY_DATABASE_URL", None)
    from bot import app

    app.setup("server")
    sys.exit(asyncio.run(main(args.verbose)))
