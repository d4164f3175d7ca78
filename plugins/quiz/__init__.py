"""每日一题 · 答 · 答题练习 · 挑战答题 · 错题本 · 题库 — questions, answers and practice."""

from nonebot import get_plugin_config, require
from nonebot.plugin import PluginMetadata

require("nonebot_plugin_orm")
require("nonebot_plugin_apscheduler")
require("bot.points")
require("bot.members")
require("bot.uploads")

from bot.features import CommandDoc, Feature, register

from .config import Config

__plugin_meta__ = PluginMetadata(
    name="每日一题与答题",
    description="每日一题（定时推送）、答题练习、挑战答题、错题本和题库导入",
    usage="每日一题 / 答 <答案> / 答题 [分类] [题数] / 挑战答题 / 错题本 / 题库",
    type="application",
    config=Config,
    supported_adapters={"~onebot.v11", "~onebot.v12", "~console"},
)

config = get_plugin_config(Config)

TODAY = CommandDoc(
    name="每日一题",
    usage="每日一题",
    summary="看本群今天的题目，全群同一道",
    examples=("每日一题",),
    where="group",
)
ANSWER = CommandDoc(
    name="答",
    usage="答 <答案>",
    summary="回答今天的题：答 B、答 ACD、答 对，填空直接写；第一次作答算数",
    examples=("答 B", "答 acd", "答 对"),
    aliases=("答案",),
    where="group",
)
PRACTICE = CommandDoc(
    name="答题",
    usage="答题 [分类] [题数]",
    summary=f"自己练一轮（默认{config.quiz_practice_default_count}题，最多{config.quiz_practice_max_count}题），直接回复答案",
    examples=("答题", "答题 党史 10", "练习"),
    aliases=("练习",),
)
CHALLENGE = CommandDoc(
    name="挑战答题",
    usage="挑战答题",
    summary="一直答到第一次答错，记录最好成绩",
    examples=("挑战答题",),
    aliases=("挑战",),
)
CHALLENGE_BOARD = CommandDoc(
    name="挑战榜",
    usage="挑战榜",
    summary="本群挑战答题最好成绩排行",
    examples=("挑战榜",),
    where="group",
)
WRONG_BOOK = CommandDoc(
    name="错题本",
    usage="错题本",
    summary="我答错的题，最近的在前；之后答对两次就移出",
    examples=("错题本",),
)
WRONG_PRACTICE = CommandDoc(
    name="错题练习",
    usage="错题练习",
    summary="把错题本里的题再练一遍",
    examples=("错题练习",),
)
BANK = CommandDoc(
    name="题库",
    usage="题库",
    summary="题库里各题型、各分类的题数",
    examples=("题库",),
)

DAILY = register(
    Feature(
        key="daily",
        name="每日一题",
        summary="每天一道题，全群同题，可定时推送",
        commands=[TODAY, ANSWER],
        aliases=("每日答题",),
        order=20,
        switch_hint="[HH:MM] [分类…]",
    )
)
QUIZ = register(
    Feature(
        key="quiz",
        name="答题练习",
        summary="自己练习、挑战答题、错题本、题库",
        commands=[PRACTICE, CHALLENGE, CHALLENGE_BOARD, WRONG_BOOK, WRONG_PRACTICE, BANK],
        aliases=("答题",),
        order=21,
    )
)

from . import cli as cli
from . import handlers as handlers
from . import jobs as jobs
from . import uploads as uploads

jobs.install()
