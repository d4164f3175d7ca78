"""投票 — a numbered poll of the branch's roster: named or anonymous, one ballot per person.

A poll is a subject of the core receipt service (kind `poll`): a ballot confirms it, so
回执 and 催办 (core commands) work on it and the core nudges those who have not voted
before the deadline. `收到` never votes.
"""

from nonebot import get_plugin_config, require
from nonebot.plugin import PluginMetadata

require("nonebot_plugin_orm")
require("bot.receipts")

from bot.features import CommandDoc, Feature, register

from .config import Config

__plugin_meta__ = PluginMetadata(
    name="投票",
    description="支部投票：选项A–Z、匿名、多选、可改票、截止时间、对象；一人一票",
    usage="投票 <标题> <选项1> <选项2> … [匿名] [多选N] [可改票] [截止 <时间>] [对象 <…>]",
    type="application",
    config=Config,
    supported_adapters={"~onebot.v11", "~onebot.v12", "~console"},
)

config = get_plugin_config(Config)

CREATE = CommandDoc(
    name="投票",
    usage="投票 <标题> <选项1> <选项2> … [匿名] [多选N] [可改票] [截止 <时间>] [对象 <…>]",
    summary="发起投票，大家回复「投 A」（支委、管理员）",
    examples=(
        "投票 七一活动去哪里 红色教育基地 革命纪念馆 截止 周五18点",
        "投票 学习主题 党章 党史 新思想 廉政 多选2 可改票",
        "投票 推荐优秀党员 张三 李四 王五 匿名 截止 周五18点 对象 党员",
    ),
    admin=True,
    where="group",
)
VOTE = CommandDoc(
    name="投",
    usage="投 <选项字母> / 投 <投票编号> <选项字母>",
    summary="投票（多选写几个字母）；群里没有进行中的投票时我不出声",
    examples=("投 A", "投 AC", "投 3 B"),
)
RESULTS = CommandDoc(
    name="投票结果",
    usage="投票结果 [编号]",
    summary="各选项票数和投票人数；支委随时可看（匿名投票截止后），大家截止后可看",
    examples=("投票结果", "投票结果 3"),
)

POLL = register(
    Feature(
        key="poll",
        name="投票",
        summary="支部投票：一人一票，可匿名、多选、改票，截止前催投",
        commands=[CREATE, VOTE, RESULTS],
        order=36,
    )
)

from . import handlers as handlers
