"""Branches (支部): the unit of records, owning one or more chats.

An unlinked chat is a branch of its own (`branch_of` makes it on first use). An admin of a
chat asks to join another chat's branch with `关联支部 <群号>`; an officer (or admin) of that
branch confirms with `确认关联 <编号>` in one of its chats, or refuses with `拒绝关联 <编号>`.
Nothing is attached without that confirmation.
"""

from nonebot import require
from nonebot.plugin import PluginMetadata

require("nonebot_plugin_orm")

from bot.features import CommandDoc, Feature, register

__plugin_meta__ = PluginMetadata(
    name="支部",
    description="支部和它的群：没有关联的群自成一个支部；关联需要该支部的支委确认",
    usage="支部 / 关联支部 <群号> / 确认关联 <编号> / 拒绝关联 <编号>",
    type="library",
)

SHOW = CommandDoc(
    name="支部",
    usage="支部",
    summary="本支部的名称、群和人数（群里只显示人数）",
    examples=("支部",),
)
LINK = CommandDoc(
    name="关联支部",
    usage="关联支部 <群号>",
    summary="申请把本群并入另一个群所在的支部（如党小组群），需对方支委确认（管理员）",
    examples=("关联支部 123456789",),
    admin=True,
    where="group",
)
CONFIRM = CommandDoc(
    name="确认关联",
    usage="确认关联 <编号>",
    summary="同意一个群并入本支部（支委、管理员）",
    examples=("确认关联 1",),
    admin=True,
    where="group",
)
REFUSE = CommandDoc(
    name="拒绝关联",
    usage="拒绝关联 <编号>",
    summary="拒绝一个群并入本支部（支委、管理员）",
    examples=("拒绝关联 1",),
    admin=True,
    where="group",
)

ROSTER = CommandDoc(
    name="名册",
    usage="名册 [未绑定]",
    summary="支部名册：群里只显示人数，私聊显示名单（支委）",
    examples=("名册", "名册 未绑定"),
    admin=True,
)
"""Served by the roster plugin (bot.roster), which holds the people, like the binding
commands below."""
BIND = CommandDoc(
    name="绑定",
    usage="绑定 <姓名>",
    summary="说明你是名册里的谁，支委确认后绑定你的QQ",
    examples=("绑定 张三",),
    where="group",
)
CONFIRM_BIND = CommandDoc(
    name="确认绑定",
    usage="确认绑定 <编号>",
    summary="同意一个绑定申请（支委、管理员）",
    examples=("确认绑定 1",),
    admin=True,
)
REFUSE_BIND = CommandDoc(
    name="拒绝绑定",
    usage="拒绝绑定 <编号>",
    summary="拒绝一个绑定申请（支委、管理员）",
    examples=("拒绝绑定 1",),
    admin=True,
)
UNBIND = CommandDoc(
    name="解绑",
    usage="解绑 [姓名]",
    summary="解除你自己的绑定；支委加姓名解除别人的",
    examples=("解绑", "解绑 张三"),
)

FEATURE = register(
    Feature(
        key="branch",
        name="支部",
        summary="支部、名册和关联的群",
        commands=[SHOW, ROSTER, BIND, CONFIRM_BIND, REFUSE_BIND, UNBIND, LINK, CONFIRM, REFUSE],
        switchable=False,
        order=80,
    )
)

from .service import (
    BranchView,
    ChatView,
    LinkRefused,
    LinkView,
    branch_of,
    chats_of,
    find_branch,
    get_branch,
)

__all__ = [
    "BranchView",
    "ChatView",
    "LinkRefused",
    "LinkView",
    "branch_of",
    "chats_of",
    "find_branch",
    "get_branch",
]

from . import handlers as handlers
