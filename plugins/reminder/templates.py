"""The standard recurring reminders of a Party branch (提醒模板), at editable default times."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from bot.when import Schedule


@dataclass(frozen=True)
class Standard:
    key: str
    """Stored with the reminder: a chat has each standard reminder once."""
    name: str
    schedule: Schedule
    content: str


SETS: dict[str, tuple[Standard, ...]] = {
    "三会一课": (
        Standard(
            "sanhui.zhiweihui",
            "支委会",
            Schedule("monthly", tod=time(9, 0), days=(5,)),
            "【三会一课】本月支部委员会：请支委商定时间和议题，会后及时记录。",
        ),
        Standard(
            "sanhui.xiaozu",
            "党小组会",
            Schedule("monthly", tod=time(9, 0), days=(10,)),
            "【三会一课】本月党小组会：请各党小组长组织学习，做好记录。",
        ),
        Standard(
            "sanhui.dahui",
            "党员大会",
            Schedule("quarterly", tod=time(9, 0), days=(15,), month=1),
            "【三会一课】本季度支部党员大会：请提前通知全体党员，准备议题。",
        ),
        Standard(
            "sanhui.dangke",
            "党课",
            Schedule("quarterly", tod=time(9, 0), days=(15,), month=2),
            "【三会一课】本季度党课：请确定授课人和主题，做好记录。",
        ),
    ),
    "主题党日": (
        Standard(
            "zhutidangri",
            "主题党日",
            Schedule("monthly_weekday", tod=time(15, 0), days=(4,), nth=1),
            "【主题党日】本月主题党日活动，请党员准时参加。",
        ),
    ),
    "党费": (
        Standard(
            "dangfei",
            "党费",
            Schedule("monthly", tod=time(9, 0), days=(1,)),
            "【党费】请按时交纳本月党费。",
        ),
    ),
}

ALIASES = {"三会": "三会一课", "党日": "主题党日", "交党费": "党费", "全部": "", "全套": ""}


def pick(word: str) -> tuple[Standard, ...] | None:
    """The standards named by `word` ('' or 全部: all of them), or None when unknown."""
    word = ALIASES.get(word, word)
    if not word:
        return tuple(s for group in SETS.values() for s in group)
    return SETS.get(word)


NAMES = {s.key: s.name for group in SETS.values() for s in group}
"""Template key → the standard reminder's name, for replies."""
