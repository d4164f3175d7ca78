"""群规 · 入群欢迎 · 内容提醒 — group rules, a welcome for newcomers, opt-in content alerts.

Rules and supervision of the online work, the way a Party branch can defend it: the rules are
shown to everyone and to every newcomer once; content alerts are off until an officer turns
them on, which is announced to the group; only matching messages are looked at closely and
stored; recall only for the categories the branch chose, and never a mute or a removal.
"""

from nonebot import get_plugin_config, require
from nonebot.plugin import PluginMetadata

require("nonebot_plugin_orm")
require("nonebot_plugin_apscheduler")
require("bot.branch")
require("bot.roster")

from bot.features import CommandDoc, Feature, register

from .config import Config

__plugin_meta__ = PluginMetadata(
    name="群规与监管",
    description="群规、新成员欢迎、公开告知的内容提醒（支委私聊收到提醒，可选撤回）",
    usage="群规 / 设置群规 <文字> / 开启 内容提醒 / 敏感词 [添加|删除|撤回] …",
    type="application",
    config=Config,
    supported_adapters={"~onebot.v11", "~onebot.v12", "~console"},
)

config = get_plugin_config(Config)

SHOW_RULES = CommandDoc(
    name="群规",
    usage="群规",
    summary="看本群的群规",
    examples=("群规",),
    where="group",
)
SET_RULES = CommandDoc(
    name="设置群规",
    usage="设置群规 <文字>",
    summary=f"改写本群群规（{config.rules_max_chars}字以内，可多行；支委、管理员）",
    examples=("设置群规 1. 只发与工作学习有关的内容\n2. 不转发未经核实的消息",),
    admin=True,
    where="group",
)
WORDS = CommandDoc(
    name="敏感词",
    usage="敏感词 [添加|删除 <类别> <词…>] [撤回 <类别> 开/关] [链接 开/关]",
    summary="支部的内容提醒词表，按类别；某类可选自动撤回（支委，私聊）",
    examples=(
        "敏感词",
        "敏感词 添加 广告 代刷 兼职",
        "敏感词 删除 广告 兼职",
        "敏感词 撤回 赌博 开",
    ),
    admin=True,
    where="private",
)

RECORDS = CommandDoc(
    name="内容记录",
    usage="内容记录 [本月]",
    summary="内容提醒记下的消息和处理（最近的，或本月的；支委，私聊）",
    examples=("内容记录", "内容记录 本月"),
    admin=True,
    where="private",
)

RULES = register(
    Feature(
        key="rules",
        name="群规",
        summary="本群群规，支委可改写",
        commands=[SHOW_RULES, SET_RULES],
        switchable=False,
        order=70,
    )
)
WELCOME = register(
    Feature(
        key="welcome",
        name="入群欢迎",
        summary="新成员进群时发一次欢迎：群规前几条、帮助、怎样绑定名册",
        commands=[],
        order=71,
    )
)

CONTENT = register(
    Feature(
        key="content_alerts",
        name="内容提醒",
        summary="公开告知后，命中支部词表的群消息私聊报告给支委；选定的类别可撤回",
        commands=[WORDS, RECORDS],
        default_enabled=False,
        order=72,
    )
)

from . import handlers as handlers

CONTENT.on_switch = handlers.content_switched
from . import jobs

jobs.install()
