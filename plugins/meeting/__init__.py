"""会议 — meetings of a branch (三会一课 and the rest) with attendance, leave, 补学 and 补登.

A meeting is a subject of the core receipt service (kind `meeting`, the same number): `到`
records attendance there, and `回执 <编号>` works on it too. Reminders go to the group the
day before and shortly before; leave requests reach the officers privately.
"""

from nonebot import get_plugin_config, require
from nonebot.plugin import PluginMetadata

require("nonebot_plugin_orm")
require("nonebot_plugin_apscheduler")
require("bot.receipts")

from bot.features import CommandDoc, Feature, register

from .config import Config

__plugin_meta__ = PluginMetadata(
    name="会议",
    description="三会一课等组织生活：安排会议和提醒、签到、请假、补学、补登",
    usage="会议 <类型> <时间> [主题] / 到 / 请假 <原因> / 补学 <编号> <心得>",
    type="application",
    config=Config,
    supported_adapters={"~onebot.v11", "~onebot.v12", "~console"},
)

config = get_plugin_config(Config)

SCHEDULE = CommandDoc(
    name="会议",
    usage="会议 [<类型> <时间> [主题]] / 会议 <编号>",
    summary="安排会议并在群里提醒（在群里发）；不带内容列出近期会议，带编号看详情（名单私聊）（支委、管理员）",
    examples=(
        "会议 党员大会 周五15点 学习二十届三中全会精神",
        "会议 党小组会 第一党小组 周三下午3点",
        "会议 支委会 明天9点到10点 研究发展党员",
        "会议",
        "会议 12",
    ),
    admin=True,
)
MOVE = CommandDoc(
    name="修改会议",
    usage="修改会议 <编号> <时间>",
    summary="把还没开始的会议改到新时间，提醒随之调整（支委、管理员）",
    examples=("修改会议 12 周四15点",),
    admin=True,
)
CANCEL = CommandDoc(
    name="取消会议",
    usage="取消会议 <编号>",
    summary="取消会议，不再提醒和签到（支委、管理员）",
    examples=("取消会议 12",),
    admin=True,
)
ARRIVE = CommandDoc(
    name="到",
    usage="到",
    summary="会议签到：开始前30分钟到结束之间发；群里没有会议的时候我不出声",
    examples=("到",),
)
LEAVE = CommandDoc(
    name="请假",
    usage="请假 <原因>",
    summary="为下一次要你参加的会议请假（开始前），支委批准后私聊告诉你",
    examples=("请假 出差在外地",),
)
APPROVE = CommandDoc(
    name="批准",
    usage="批准 <请假编号>",
    summary="批准一个请假，私聊告诉本人（支委、管理员）",
    examples=("批准 3",),
    admin=True,
)
REFUSE = CommandDoc(
    name="不批准",
    usage="不批准 <请假编号>",
    summary="不批准一个请假，私聊告诉本人（支委、管理员）",
    examples=("不批准 3",),
    admin=True,
)
MAKE_UP = CommandDoc(
    name="补学",
    usage="补学 <会议编号> <心得>",
    summary="没参加会议的人会后补学，记下学习心得",
    examples=("补学 12 学习了会议精神，体会是……",),
)
CORRECT = CommandDoc(
    name="补登",
    usage="补登 <会议编号> <姓名> 到/请假",
    summary="补登某人到会或请假，记为支委补登（支委、管理员）",
    examples=("补登 12 张三 到", "补登 12 李四 请假"),
    admin=True,
)

FEATURE = register(
    Feature(
        key="meeting",
        name="会议",
        summary="三会一课：安排会议、提醒、签到、请假、补学",
        commands=[SCHEDULE, ARRIVE, LEAVE, MAKE_UP, APPROVE, REFUSE, CORRECT, MOVE, CANCEL],
        switchable=False,
        order=36,
    )
)

from . import handlers as handlers
from . import jobs

jobs.install()
