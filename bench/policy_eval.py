"""Search quality on the evaluation set: recall@5, MRR and every miss.

    python bench/policy_eval.py [--verbose]

Loads the starter library (data/docs) into a fresh SQLite database in a temporary folder,
then runs every query of tests/policy/eval_queries.json through the same search 政策 uses.
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


async def main(verbose: bool) -> None:
    from bot.db import upgrade_schema
    from plugins.policy.jobs import prepare
    from tests.policy.evaluation import evaluate

    await upgrade_schema()
    await prepare()
    scores = await evaluate()
    for outcome in scores.outcomes:
        if outcome.rank and not verbose:
            continue
        mark = f"#{outcome.rank}" if outcome.rank else "MISS"
        print(f"{mark:5} {outcome.query}")
        print(f"      want {outcome.expected}")
        for found in outcome.found:
            print(f"      got  {found}")
    print(scores.summary())


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--verbose", action="store_true", help="show hits too, not only misses")
    args = parser.parse_args()
    os.environ["LOCALSTORE_DATA_DIR"] = tempfile.mkdtemp(prefix="policy-eval-")
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ.pop("SQLALCHEMY_DATABASE_URL", None)
    from bot import app

    app.setup("server")
    asyncio.run(main(args.verbose))
