"""The message router: the one NoneBot matcher that serves every command and interceptor.

A library plugin of its own, loaded before every plugin that declares commands, so NoneBot's
tools show the matcher as the router's (not as the first feature that declared a command).
Features do not import this plugin: they declare commands with `bot.commands.command(...)`.
"""

from nonebot import on_message
from nonebot.plugin import PluginMetadata

from bot.commands import ROUTER_PRIORITY, attach_router, dispatch, router_rule

__plugin_meta__ = PluginMetadata(
    name="消息路由",
    description="一个消息响应器，把命令和功能的消息交给对应的处理函数",
    usage="功能插件用 bot.commands.command(...) 声明命令，用 intercept(...) 接收非命令消息",
    type="library",
)

router = on_message(rule=router_rule(), priority=ROUTER_PRIORITY, block=True, handlers=[dispatch])
attach_router(router)
