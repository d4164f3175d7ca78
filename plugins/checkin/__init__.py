"""签到 · 我的 · 排行榜 · 签到统计 — daily check-in, points and boards."""

from nonebot import get_plugin_config, require
from nonebot.plugin import PluginMetadata

require("nonebot_plugin_orm")
require("bot.points")
require("bot.members")

from bot.features import CommandDoc, Feature, register

from .config import Config

__plugin_meta__ = PluginMetadata(
    name="签到积分",
    description="每天签到、积分、排行榜和签到统计",
    usage="签到 [今天学了什么] / 我的 / 排行榜 [今日/本周/本月/总] / 签到统计 [今日/本周/本月]",
    type="application",
    config=Config,
    supported_adapters={"~onebot.v11", "~onebot.v12", "~console"},
)

config = get_plugin_config(Config)

SIGN_IN = CommandDoc(
    name="签到",
    usage="签到 [今天学了什么]",
    summary=f"每天签到一次，得积分；可附上学习心得（{config.checkin_note_max_chars}字以内）",
    examples=("签到", "签到 学习了党章第二章"),
    aliases=("打卡",),
    where="group",
)
MINE = CommandDoc(
    name="我的",
    usage="我的",
    summary="我的积分、排名和连续签到天数",
    examples=("我的",),
    aliases=("我的积分",),
    where="group",
)
STATS = CommandDoc(
    name="签到统计",
    usage="签到统计 [今日/本周/本月]",
    summary="签到率；今日还会列出未签到的成员（管理员）",
    examples=("签到统计", "签到统计 本周"),
    admin=True,
    where="group",
)
BOARD = CommandDoc(
    name="排行榜",
    usage="排行榜 [今日/本周/本月/总]",
    summary="本群积分前十名（默认本周），并显示你的名次",
    examples=("排行榜", "排行榜 本月", "排行榜 总"),
    aliases=("积分榜",),
    where="group",
)

CHECKIN = register(
    Feature(
        key="checkin",
        name="签到",
        summary="每天签到、积分、连续天数和签到统计",
        commands=[SIGN_IN, MINE, STATS],
        order=10,
    )
)
LEADERBOARD = register(
    Feature(
        key="leaderboard",
        name="排行榜",
        summary="本群积分排行（管理员可关闭公开排行）",
        commands=[BOARD],
        order=11,
    )
)

CARDS = register(
    Feature(
        key="cards",
        name="图片卡片",
        summary="排行榜和「我的」以图片发送（平台不收图片时仍发文字）",
        commands=[],
        default_enabled=False,
        order=12,
    )
)

from . import handlers as handlers
