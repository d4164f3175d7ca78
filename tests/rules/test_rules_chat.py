"""群规, 设置群规 and the welcome of a newcomer (nonebug)."""

from __future__ import annotations

import time

from nonebot.adapters.onebot.v11 import GroupIncreaseNoticeEvent
from nonebug import App

from bot.clock import FixedClock
from tests.chat import OK, conversation
from tests.fake import GROUP, MEMBER, SELF_ID
from tests.fake import reply as text_reply

ADMIN_ONLY = "「设置群规」只有群主、群管理员、支委或机器人超级管理员可以使用。"
NEWCOMER = 3001


def _starter() -> str:
    from plugins.rules.service import starter_rules

    return starter_rules()


def joined(user_id: int = NEWCOMER, group_id: int = GROUP) -> GroupIncreaseNoticeEvent:
    return GroupIncreaseNoticeEvent(
        time=int(time.time()),
        self_id=int(SELF_ID),
        post_type="notice",
        notice_type="group_increase",
        sub_type="approve",
        group_id=group_id,
        operator_id=0,
        user_id=user_id,
    )


def welcome(rules: str, lines: int = 3) -> str:
    head = [line for line in rules.splitlines() if line.strip()][:lines]
    return "\n".join(
        (
            "欢迎新同志加入本群！",
            "群规（节选）：",
            *head,
            "发「群规」看全文，发「帮助」看我能做什么；",
            "发「绑定 你的姓名」（如 绑定 张三）把QQ绑定到支部名册。",
        )
    )


async def test_rules_starter_then_set_by_an_admin(app: App, clock: FixedClock) -> None:
    async with conversation(app) as chat:
        chat.says("群规").answers(f"【本群群规】\n{_starter()}")
        chat.admin_says("设置群规 1. 只谈工作学习\n\n2. 不发广告\n3. 不传谣").answers(
            "✅ 群规已更新（24字，3行）。新成员进群时会看到前几行；大家发「群规」可看全文。"
        )
        chat.says("群规").answers("【本群群规】\n1. 只谈工作学习\n2. 不发广告\n3. 不传谣")


async def test_bad_rules_change_nothing(app: App, clock: FixedClock) -> None:
    async with conversation(app) as chat:
        chat.says("设置群规 不许说话").answers(ADMIN_ONLY)
        chat.admin_says("设置群规").answers(
            "请在「设置群规」后面写上群规内容。\n例：设置群规 1. 只发与工作学习有关的内容\n"
            "2. 不转发未经核实的消息"
        )
        chat.admin_says("设置群规 " + "长" * 2001).answers(
            "消息太长了（2006字），请控制在2000字以内。"
        )
        chat.says_privately("设置群规 1. 只谈工作").answers(
            "「设置群规」请在群里使用。例：设置群规 1. 只发与工作学习有关的内容\n"
            "2. 不转发未经核实的消息"
        )
        chat.says("群规").answers(f"【本群群规】\n{_starter()}")


async def test_rules_over_the_feature_limit(app: App, clock: FixedClock) -> None:
    from plugins.rules import config

    old = config.rules_max_chars
    config.rules_max_chars = 100
    try:
        async with conversation(app) as chat:
            chat.admin_says("设置群规 " + "长" * 101).answers(
                "群规太长了（101字），请控制在100字以内。\n例：设置群规 1. 只发与工作学习有关的内容\n"
                "2. 不转发未经核实的消息"
            )
    finally:
        config.rules_max_chars = old


async def test_a_newcomer_is_welcomed_once(app: App, clock: FixedClock) -> None:
    get_groups = ("get_group_list", {}, [{"group_id": GROUP}])
    async with conversation(app) as chat:
        chat.receives(joined()).asks(*get_groups).asks(
            "send_group_msg", {"group_id": GROUP, "message": text_reply(welcome(_starter()))}, OK
        )
        chat.receives(joined())  # the same member again: no second welcome
        chat.receives(joined(user_id=int(SELF_ID)))  # the bot itself joining
    async with conversation(app) as chat:
        chat.admin_says("关闭 入群欢迎").answers("已关闭「入群欢迎」。")
        chat.receives(joined(user_id=MEMBER))
        chat.admin_says("开启 入群欢迎").answers("已开启「入群欢迎」。")
        chat.admin_says("设置群规 甲\n乙\n丙\n丁").answers(
            "✅ 群规已更新（7字，4行）。新成员进群时会看到前几行；大家发「群规」可看全文。"
        )
        chat.receives(joined(user_id=MEMBER)).asks(*get_groups).asks(
            "send_group_msg",
            {"group_id": GROUP, "message": text_reply(welcome("甲\n乙\n丙\n丁"))},
            OK,
        )
