"""通知 — a numbered notice the branch must confirm (收到), with a deadline and an audience.

The notice is a subject of the core receipt service: 收到, 回执 and 催办 (core commands)
work on it, and the core sends the nudge before the deadline and the summary at it.
"""

from nonebot import get_plugin_config, require
from nonebot.plugin import PluginMetadata

require("nonebot_plugin_orm")
require("bot.receipts")

from bot.features import CommandDoc, Feature, register

from .config import Config

__plugin_meta__ = PluginMetadata(
    name="通知",
    description="支部通知：要求回执、截止时间、对象（状态或党小组）、@全体",
    usage="通知 <内容> [截止 <时间>] [对象 <预备党员/第一党小组/…>] [@全体]",
    type="application",
    config=Config,
    supported_adapters={"~onebot.v11", "~onebot.v12", "~console"},
)

config = get_plugin_config(Config)

POST = CommandDoc(
    name="通知",
    usage="通知 <内容> [截止 <时间>] [对象 <预备党员/第一党小组/…>] [@全体]",
    summary="发一条要回执的通知，大家回复「收到」（支委、管理员）",
    examples=(
        "通知 周五前交思想汇报 截止 周五18点",
        "通知 下周三主题党日请准时参加 截止 下周二18点 对象 党员",
        "通知 预备党员转正材料请交组织委员 对象 预备党员",
        "通知 本月党费请于25日前交齐 截止 25号 @全体",
    ),
    admin=True,
    where="group",
)

NOTICE = register(
    Feature(
        key="notice",
        name="通知",
        summary="要回执的支部通知：截止时间、对象、催办",
        commands=[POST],
        order=34,
    )
)

from . import handlers as handlers
