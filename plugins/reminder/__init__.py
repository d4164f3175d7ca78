"""提醒 · 提醒列表 · 取消 / 暂停 / 恢复 / 修改提醒 · 提醒模板 — reminders that fire once.

A group reminder may ask for a receipt (`提醒 … 回执`): each firing is then a subject of the
core receipt service, confirmed with 收到 and followed with 回执 / 催办 (core commands).
"""

from nonebot import get_plugin_config, require
from nonebot.plugin import PluginMetadata

require("nonebot_plugin_orm")
require("nonebot_plugin_apscheduler")
require("bot.receipts")

from bot.features import CommandDoc, Feature, register

from .config import Config

__plugin_meta__ = PluginMetadata(
    name="提醒",
    description="三会一课、主题党日、党费等定时提醒：中文时间、重复提醒、@全体、重启不丢",
    usage=(
        "提醒 <时间> <内容> [@全体] [回执] / 提醒列表 / 取消提醒 <编号> / 暂停提醒 <编号> / "
        "恢复提醒 <编号> / 修改提醒 <编号> <时间> [内容] / 提醒模板 [三会一课/主题党日/党费]"
    ),
    type="application",
    config=Config,
    supported_adapters={"~onebot.v11", "~onebot.v12", "~console"},
)

config = get_plugin_config(Config)

REMIND = CommandDoc(
    name="提醒",
    usage="提醒 <时间> <内容> [@全体] [回执]",
    summary="设提醒，一次或重复（群内限管理员；私聊可提醒自己）；加「回执」每次请大家回复「收到」",
    examples=(
        "提醒 明天下午3点 支委会",
        "提醒 30分钟后 开会",
        "提醒 每周五15:00 三会一课学习",
        "提醒 每月1号9点 交党费 @全体",
        "提醒 明天下午3点 支委会 回执",
        "提醒 工作日8:30 打卡",
        "提醒 下周一到周五每天9点 培训签到",
        "提醒 每月最后一个工作日16点 报送台账",
        "提醒 国庆节前一天下午 安全检查",
        "提醒 cron 0 9 * * 1 周一例会",
    ),
    aliases=("设提醒",),
)
LIST = CommandDoc(
    name="提醒列表",
    usage="提醒列表",
    summary="这里的提醒：编号、时间、下次提醒、内容、是否暂停",
    examples=("提醒列表",),
    aliases=("查看提醒",),
)
CANCEL = CommandDoc(
    name="取消提醒",
    usage="取消提醒 <编号>",
    summary="删除一条提醒（群内限管理员）",
    examples=("取消提醒 1",),
    aliases=("删除提醒",),
)
PAUSE = CommandDoc(
    name="暂停提醒",
    usage="暂停提醒 <编号>",
    summary="暂停一条提醒，暂停期间不发（群内限管理员）",
    examples=("暂停提醒 1",),
)
RESUME = CommandDoc(
    name="恢复提醒",
    usage="恢复提醒 <编号>",
    summary="恢复暂停的提醒，从现在起照常提醒（群内限管理员）",
    examples=("恢复提醒 1",),
)
EDIT = CommandDoc(
    name="修改提醒",
    usage="修改提醒 <编号> <时间> [新内容] [回执]",
    summary="改提醒的时间（和内容），编号不变（群内限管理员）；加「回执」改为要回执",
    examples=("修改提醒 1 每月8号15:00", "修改提醒 1 明天下午4点 支委会改到四点"),
)
TEMPLATE = CommandDoc(
    name="提醒模板",
    usage="提醒模板 [三会一课/主题党日/党费]",
    summary="一键创建标准提醒：支委会、党小组会每月，党员大会、党课每季度，主题党日、党费每月",
    examples=("提醒模板", "提醒模板 三会一课", "提醒模板 党费"),
    admin=True,
    where="group",
)


async def _describe(group_id: str) -> str | None:
    from .messages import described
    from .service import count

    active, paused = await count("group", group_id)
    if not active and not paused:
        return None
    return described(active, paused)


REMINDER = register(
    Feature(
        key="reminder",
        name="提醒",
        summary="三会一课、主题党日、党费等定时提醒，一次或重复",
        commands=[REMIND, LIST, CANCEL, PAUSE, RESUME, EDIT, TEMPLATE],
        order=30,
        describe=_describe,
    )
)

from . import handlers as handlers
from . import jobs as jobs

jobs.install()
