"""Per-group feature switches: 开启 / 关闭 <功能> and 设置."""

from nonebot import require
from nonebot.plugin import PluginMetadata

require("nonebot_plugin_orm")

from bot.features import CommandDoc, Feature, register

__plugin_meta__ = PluginMetadata(
    name="群设置",
    description="每个群自己开关功能：开启、关闭、设置",
    usage="开启 <功能> / 关闭 <功能> / 设置",
    type="library",
)

ENABLE = CommandDoc(
    name="开启",
    usage="开启 <功能>",
    summary="在本群打开一个功能（管理员）",
    examples=("开启 签到",),
    admin=True,
    where="group",
)
DISABLE = CommandDoc(
    name="关闭",
    usage="关闭 <功能>",
    summary="在本群关闭一个功能（管理员）",
    examples=("关闭 签到",),
    admin=True,
    where="group",
)
SHOW = CommandDoc(
    name="设置",
    usage="设置",
    summary="查看本群各功能的开关",
    examples=("设置",),
    aliases=("本群设置",),
    where="group",
)

FEATURE = register(
    Feature(
        key="settings",
        name="群设置",
        summary="管理员开关本群的功能",
        commands=[ENABLE, DISABLE, SHOW],
        aliases=("设置",),
        switchable=False,
        order=90,
    )
)

from . import handlers as handlers
