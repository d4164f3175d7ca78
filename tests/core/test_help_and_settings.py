"""Conversations with the core: 帮助, 开启 / 关闭 / 设置, permissions, unknown commands."""

from __future__ import annotations

from nonebot.adapters.onebot.v11 import Bot, Message, MessageSegment
from nonebug import App

from tests.chat import conversation
from tests.fake import ADMIN, GROUP, MEMBER, OWNER, SELF_ID, SUPERUSER, group_message


def all_names() -> str:
    """Every feature, as 帮助 lists them (features are added as the project grows)."""
    from bot.features import all_features

    names = [f.name for f in all_features()]
    assert names[:2] == ["签到", "排行榜"]
    assert names[-2:] == ["群设置", "帮助"]
    return "、".join(names)


def switchable_names() -> str:
    from bot.features import all_features

    names = [f.name for f in all_features() if f.switchable]
    assert {"签到", "排行榜"} <= set(names)
    assert "帮助" not in names
    return "、".join(names)


async def test_help_lists_every_feature(app: App) -> None:
    from bot.help.render import overview

    async with conversation(app) as chat:
        chat.says("帮助").answers(overview())
    assert "群设置" in overview()


async def test_help_with_slash_and_feature_name(app: App) -> None:
    from bot.help.render import feature_help
    from bot.settings import FEATURE as SETTINGS

    async with conversation(app) as chat:
        chat.says("/帮助 群设置").answers(feature_help(SETTINGS))
    text = feature_help(SETTINGS)
    assert "开启 <功能>（管理员）" in text
    assert "例：开启 签到" in text


async def test_help_for_unknown_feature_names_the_real_ones(app: App) -> None:
    async with conversation(app) as chat:
        chat.says("帮助 飞行").answers(f"没有「飞行」这个功能。现有：{all_names()}\n例：帮助")


async def test_member_refused_admin_switch(app: App) -> None:
    async with conversation(app) as chat:
        chat.says("开启 帮助", user_id=MEMBER, role="member").answers(
            "「开启」只有群主、群管理员、支委或机器人超级管理员可以使用。"
        )


async def test_role_asked_of_platform_when_event_lacks_it(app: App) -> None:
    async with conversation(app) as chat:
        chat.says("关闭 帮助", user_id=ADMIN, role=None).asks(
            "get_group_member_info",
            {"group_id": GROUP, "user_id": ADMIN, "no_cache": True},
            {"group_id": GROUP, "user_id": ADMIN, "role": "admin"},
        ).answers(f"「帮助」不能开关。可选：{switchable_names()}\n例：关闭 签到")


async def test_role_lookup_failure_counts_as_member(app: App) -> None:
    from nonebot.adapters.onebot.v11 import ActionFailed

    async with conversation(app) as chat:
        chat.says("关闭 帮助", user_id=ADMIN, role=None).asks(
            "get_group_member_info",
            {"group_id": GROUP, "user_id": ADMIN, "no_cache": True},
            fails=ActionFailed(retcode=100),
        ).answers("「关闭」只有群主、群管理员、支委或机器人超级管理员可以使用。")


async def test_owner_and_superuser_pass_the_admin_check(app: App) -> None:
    async with conversation(app) as chat:
        for user_id, role in ((OWNER, "owner"), (SUPERUSER, "member")):
            chat.says("开启", user_id=user_id, role=role).answers(
                f"请写上要开启的功能。可选：{switchable_names()}\n例：开启 签到"
            )


async def test_settings_shows_group_state(app: App) -> None:
    from bot.features import all_features

    lines = ["本群设置："]
    for feature in all_features():
        if feature.switchable:
            detail = await feature.describe(str(GROUP)) if feature.describe else None
            state = "开启" if feature.default_enabled else "关闭"
            lines.append(f"· {feature.name}：{state}" + (f"（{detail}）" if detail else ""))
    lines.append("管理员可发送：开启 签到 / 关闭 签到")
    assert lines[1:3] == ["· 签到：开启", "· 排行榜：开启"]
    assert "· 每日一题：开启（不推送）" in lines
    async with conversation(app) as chat:
        chat.says("设置").answers("\n".join(lines))


async def test_admin_command_in_private_chat_is_pointed_to_the_group(app: App) -> None:
    async with conversation(app) as chat:
        chat.says_privately("开启 签到").answers("「开启」请在群里使用。例：开启 签到")


async def test_ordinary_group_chat_gets_no_reply(app: App) -> None:
    async with conversation(app) as chat:
        for text in ("大家好", "帮助我看看这个文件", "设置好了吗", "/roll 100"):
            chat.says(text)  # no answer expected: nonebug fails the test if anything is sent


async def test_mistyped_slash_command_gets_a_suggestion(app: App) -> None:
    async with conversation(app) as chat:
        chat.says("/帮主").answers(
            "没有「帮主」这个命令，你是不是想发「帮助」？发送「帮助」查看全部功能。"
        )


async def test_private_chat_nonsense_gets_a_pointer(app: App) -> None:
    async with conversation(app) as chat:
        chat.says_privately("今天天气怎么样").answers(
            "没看懂这条消息。发送「帮助」查看我能做什么，例：帮助 签到"
        )


async def test_cq_code_in_user_text_stays_text(app: App) -> None:
    expected = Message(
        MessageSegment.text(f"没有「[CQ:at,qq=a…」这个功能。现有：{all_names()}\n例：帮助")
    )
    async with conversation(app) as chat:
        chat.says("帮助 [CQ:at,qq=all]").answers_with(expected)
    assert all(segment.type == "text" for segment in expected)


async def test_overlong_command_is_refused(app: App) -> None:
    async with conversation(app) as chat:
        chat.says("帮助 " + "党" * 20_000).answers("消息太长了（20003字），请控制在2000字以内。")


async def test_every_documented_example_reaches_its_command(app: App) -> None:
    """The examples 帮助 shows are typed as they are: each one reaches the command it documents."""
    from nonebot.rule import TrieRule

    from bot.commands import STATE_ROUTE, _matches_a_route
    from bot.features import all_features

    checked = 0
    async with app.test_api() as ctx:
        bot = ctx.create_bot(base=Bot, self_id=SELF_ID)
        for feature in all_features():
            for doc in feature.commands:
                for example in doc.examples:
                    event = group_message(example)
                    state: dict = {}
                    TrieRule.get_value(bot, event, state)
                    assert _matches_a_route(bot, event, state), example
                    route = state[STATE_ROUTE]
                    assert route.doc is doc, (example, route)
                    checked += 1
    assert checked >= 50
