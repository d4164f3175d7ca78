"""Cost of the content-alert check per ordinary group message, with a 5,000-word list.

    python bench/content_check.py [--words 5000] [--messages 20000]

The router asks the `content alert` interceptor about every group message that is not a
command. This measures, in process, what that check costs: (a) a group that did not turn
内容提醒 on (a dict lookup), (b) a watched group whose branch list has N words
(normalisation, one Aho-Corasick pass, the flood counter), on realistic chat lines, and
prints microseconds per message next to the echo bot's cost per message (from its rate,
given with --echo-rate, default the README's 238 requests/s) as a share of it.
"""

from __future__ import annotations

import argparse
import importlib
import random
import sys
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

LINES = [
    "收到，下午三点准时参加",
    "请大家周五前把思想汇报交给组织委员",
    "今天的学习材料在群文件里，大家抽空看一下",
    "好的",
    "👍👍👍",
    "明天主题党日活动地点改到三楼会议室，请相互转告",
    "已学习《中国共产党纪律处分条例》第三章，体会是……",
    "@张三 材料收到了吗？",
]


def _load_watch() -> types.ModuleType:
    """plugins/rules/watch.py without the plugin's __init__ (which needs a running NoneBot)."""
    package = types.ModuleType("rules_bench")
    package.__path__ = [str(ROOT / "plugins" / "rules")]
    sys.modules["rules_bench"] = package
    return importlib.import_module("rules_bench.watch")


def _words(count: int, rng: random.Random) -> list[tuple[int, str, str]]:
    chars = [chr(c) for c in range(0x4E00, 0x9FA5)]
    categories = ["广告", "刷单", "兼职", "赌博", "贷款", "诈骗"]
    return [
        (1, rng.choice(categories), "".join(rng.choices(chars, k=rng.randint(2, 6))))
        for _ in range(count)
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--words", type=int, default=5000)
    parser.add_argument("--messages", type=int, default=20000)
    parser.add_argument("--echo-rate", type=float, default=238.0)
    args = parser.parse_args()
    watch = _load_watch()
    rng = random.Random(19)
    started = time.perf_counter()
    watch.rebuild(1, _words(args.words, rng), {1: {"赌博"}})
    built = time.perf_counter() - started
    watch.normalise("预热")  # the OpenCC table, built once at start-up in the bot
    watch.set_groups({"watched": 1})
    limits = watch.Limits(5, 60, 10, 10, 600)
    messages = [rng.choice(LINES) for _ in range(args.messages)]
    users = [str(rng.randint(1, 200)) for _ in range(args.messages)]

    def unwatched() -> None:
        for text in messages:
            if watch.watched("other"):
                watch.find("other", text)

    def watched() -> None:
        now = 0.0
        for text, user in zip(messages, users, strict=True):
            now += 0.05
            if watch.watched("watched"):
                normal = watch.normalise(text)
                watch.find_normalised("watched", normal)
                watch.observe("watched", user, normal, now, limits)

    echo_us = 1e6 / args.echo_rate
    print(f"automaton of {args.words} words built in {built * 1000:.0f} ms")
    for name, run in (("group without 内容提醒", unwatched), ("watched group", watched)):
        best = min(_timed(run) for _ in range(5))
        per = best / args.messages * 1e6
        share = per / echo_us * 100
        print(f"{name}: {per:.2f} µs/message ({share:.3f} % of the echo bot's {echo_us:.0f} µs)")


def _timed(run: object) -> float:
    assert callable(run)
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
