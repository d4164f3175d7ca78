"""The points ledger: one append-only table every feature writes to, and the boards read.

Features call `award(...)` inside their own transaction, with a (source, reference) that names
the reason uniquely — ("checkin", "<group>:<user>:<day>") — so a retried award never counts
twice. Totals per day, week, month and overall are kept beside the ledger in the same
transaction, so boards stay fast on large groups.
"""

from nonebot import require
from nonebot.plugin import PluginMetadata

require("nonebot_plugin_orm")

__plugin_meta__ = PluginMetadata(
    name="积分账本",
    description="所有功能共用的积分账本：记账、按周期汇总和排名",
    usage="库插件，无命令",
    type="library",
)

from .service import (
    Award,
    Granted,
    Period,
    Standing,
    award,
    award_many,
    leaderboard,
    standing,
    total,
    totals_of,
)

__all__ = [
    "Award",
    "Granted",
    "Period",
    "Standing",
    "award",
    "award_many",
    "leaderboard",
    "standing",
    "total",
    "totals_of",
]
