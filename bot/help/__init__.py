"""帮助 from the feature registry, and a quiet answer to unknown commands."""

from nonebot.plugin import PluginMetadata

from bot.features import CommandDoc, Feature, register

__plugin_meta__ = PluginMetadata(
    name="帮助",
    description="列出全部功能和每个命令的用法",
    usage="帮助 / 帮助 <功能>",
    type="application",
)

HELP = CommandDoc(
    name="帮助",
    usage="帮助 [功能]",
    summary="列出全部功能；带功能名时列出它的每个命令和例子",
    examples=("帮助", "帮助 群设置"),
    aliases=("菜单", "help"),
)

FEATURE = register(
    Feature(
        key="help",
        name="帮助",
        summary="查看功能和用法",
        commands=[HELP],
        switchable=False,
        order=99,
    )
)

from . import handlers as handlers
