"""What a message and a word are compared as: the same text however it is dressed up.

NFKC folds full-width and compatibility forms (`ｗｅｉｘｉｎ` → `weixin`, `㊙` → `秘`), case is
folded, traditional characters become simplified, and everything that is not a letter or a
digit is dropped, so `刷 单`, `刷*单` and `刷。单` all read `刷单`.

Traditional → simplified uses OpenCC's own character table (the `opencc` package, the
project's official Python binding), asked once for every CJK character at first use and kept
as a `str.translate` table: a message then costs one C-level pass, not an OpenCC call.
Character by character (not OpenCC's phrase conversion): enough for matching words.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

_NOT_WORD = re.compile(r"[\W_]+")
_CJK = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF))


@cache
def _t2s() -> dict[int, str]:
    import opencc

    chars = [chr(c) for start, end in _CJK for c in range(start, end + 1)]
    converted = opencc.OpenCC("t2s").convert("\n".join(chars)).split("\n")
    if len(converted) != len(chars):  # never seen; then convert nothing rather than wrongly
        return {}
    return {ord(a): b for a, b in zip(chars, converted, strict=True) if a != b and len(b) == 1}


def warm_up() -> None:
    """Build the character table now (start-up), not on the first message."""
    _t2s()


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return _NOT_WORD.sub("", text.translate(_t2s()))
