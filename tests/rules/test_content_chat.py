"""内容提醒 and 敏感词 as officers and members use them (nonebug)."""

from __future__ import annotations

from nonebug import App

from bot.clock import FixedClock
from tests.chat import OK, conversation
from tests.fake import GROUP, MEMBER, MEMBER_2, OTHER_GROUP, SELF_ID, group_message, reply
from tests.roster.files import csv_bytes

OFFICER = MEMBER  # 张三, 书记
ROWS = [
    ["张三", str(OFFICER), "正式党员", "第一党小组", "书记", "2010-07-01", "2011-07-01"],
    ["李四", str(MEMBER_2), "预备党员", "第一党小组", "", "2026-07-01", ""],
]
ADMIN_ONLY = "「敏感词」只有群主、群管理员、支委或机器人超级管理员可以使用。"
GET_GROUPS = ("get_group_list", {}, [{"group_id": GROUP}])


async def _import() -> None:
    from bot.branch import branch_of
    from bot.roster.importing import import_roster

    branch = await branch_of("qq", str(GROUP))
    report = await import_roster(branch.id, "名册.csv", csv_bytes(ROWS))
    assert report.written, report.errors


def _announce(seeded: int | None = None) -> str:
    from plugins.rules import messages

    lines = ["已开启「内容提醒」。", messages.ANNOUNCE]
    if seeded is not None:
        lines.append(messages.seeded(seeded))
    lines.append("不会撤回消息，也不会禁言或移出群。")
    return "\n".join(lines)


def _starter_count() -> int:
    from plugins.rules.service import starter_words

    return sum(len(set(words)) for words in starter_words().values())


def _alert(text: str, category: str, word: str, action: str, card: str = "李四") -> str:
    from plugins.rules import messages

    return "\n".join(
        (
            f"【内容提醒】群 {GROUP} · {category}（命中「{word}」）",
            f"{card}（{MEMBER_2}）11月30日 09:30：",
            text,
            f"处理：{messages.ACTIONS[action]}",
        )
    )


async def test_opt_in_is_announced_and_a_match_alerts_the_officer(
    app: App, clock: FixedClock
) -> None:
    await _import()
    spam = "招人啦，兼职 日结，私聊我"
    async with conversation(app) as chat:
        chat.says("兼职日结")  # not watched yet: nothing happens
        chat.admin_says("开启 内容提醒").answers(_announce(_starter_count()))
        chat.says("今天下午三点开会", user_id=MEMBER_2)  # ordinary chat: silence
        chat.says(spam, user_id=MEMBER_2, card="李四").asks(
            "send_private_msg",
            {"user_id": OFFICER, "message": reply(_alert(spam, "兼职", "兼职日结", "alerted"))},
            OK,
        )
        chat.admin_says("关闭 内容提醒").answers(
            "已关闭「内容提醒」。\n内容提醒已关闭，机器人不再查看本群消息。"
        )
        chat.says(spam, user_id=MEMBER_2)
        chat.says_privately("内容记录", user_id=OFFICER).answers(
            "最近180天内内容记录 1 条（兼职 1）：\n"
            f"11月30日 09:30 群{GROUP} 李四（{MEMBER_2}）【兼职·兼职日结】仅提醒：{spam}"
        )
        chat.says_privately("内容记录 本月", user_id=OFFICER).answers(
            "本月内容记录 1 条（兼职 1）：\n"
            f"11月30日 09:30 群{GROUP} 李四（{MEMBER_2}）【兼职·兼职日结】仅提醒：{spam}"
        )
        chat.says_privately("内容记录 去年", user_id=OFFICER).answers(
            "「内容记录」后面只能写「本月」，或不写（看最近的记录）。\n例：内容记录 本月"
        )
        chat.says_privately("内容记录", user_id=MEMBER_2).answers(
            "「内容记录」只有群主、群管理员、支委或机器人超级管理员可以使用。"
        )
        chat.says("内容记录").answers("「内容记录」请私聊我使用。例：内容记录")
    from nonebot_plugin_orm import get_session
    from sqlalchemy import select

    from plugins.rules.models import Match

    async with get_session() as session:
        rows = list(await session.scalars(select(Match)))
    assert [(r.user_id, r.text, r.category, r.action) for r in rows] == [
        (str(MEMBER_2), spam, "兼职", "alerted")
    ]


async def test_recall_when_the_bot_is_admin_and_told_once_when_not(
    app: App, clock: FixedClock
) -> None:
    from plugins.rules import messages

    await _import()
    async with conversation(app) as chat:
        chat.admin_says("开启 内容提醒").answers(_announce(_starter_count()))
        chat.says_privately("敏感词 撤回 赌博 开", user_id=OFFICER).answers(
            "✅ 「赌博」类消息将被撤回（机器人须是群管理员，否则只提醒），并私聊告诉发送人原因。"
        )
        chat.admin_says("开启 内容提醒").answers(  # again: the announcement now names recall
            "\n".join(("已开启「内容提醒」。", messages.ANNOUNCE, messages.ANNOUNCE_RECALL))
        )
        spam = "網 賭 包赢"
        event = group_message(spam, user_id=MEMBER_2, card="李四")
        me = {"group_id": GROUP, "user_id": int(SELF_ID), "no_cache": True}
        chat.receives(event).asks("get_group_member_info", me, {"role": "admin"}).asks(
            "delete_msg", {"message_id": event.message_id}, None
        ).asks(
            "send_private_msg",
            {"user_id": MEMBER_2, "message": reply(messages.recalled(str(GROUP), "赌博"))},
            OK,
        ).asks(
            "send_private_msg",
            {"user_id": OFFICER, "message": reply(_alert(spam, "赌博", "网赌", "recalled"))},
            OK,
        )
        refused = _alert(spam, "赌博", "网赌", "not_admin") + "\n" + messages.RECALL_REFUSED
        for text in (refused, _alert(spam, "赌博", "网赌", "not_admin")):  # told once
            chat.says(spam, user_id=MEMBER_2, card="李四").asks(
                "get_group_member_info", me, {"role": "member"}
            ).asks("send_private_msg", {"user_id": OFFICER, "message": reply(text)}, OK)


async def test_the_word_list_privately(app: App, clock: FixedClock) -> None:
    await _import()
    async with conversation(app) as chat:
        chat.says_privately("敏感词", user_id=OFFICER).answers(
            "支部词表是空的。添加：敏感词 添加 <类别> <词…>"
        )
        chat.says_privately("敏感词 添加 广告 代刷 加微信 刷*单 代刷", user_id=OFFICER).answers(
            "✅ 「广告」加入3个词。各群一分钟内生效。"
        )
        chat.says_privately("敏感词 添加 广告 代刷", user_id=OFFICER).answers(
            "✅ 「广告」加入0个词，1个已在表里。各群一分钟内生效。"
        )
        chat.says_privately("敏感词 删除 广告 微信", user_id=OFFICER).answers(
            "「广告」里没有这些词，没有删除。"
        )
        chat.says_privately("敏感词 删除 广告 代刷", user_id=OFFICER).answers(
            "✅ 从「广告」删除1个词。各群一分钟内生效。"
        )
        chat.says_privately("敏感词", user_id=OFFICER).answers(
            "支部词表（2个词）：\n【广告】加微信 刷单\n"
            "添加/删除：敏感词 添加|删除 <类别> <词…>；撤回：敏感词 撤回 <类别> 开/关"
        )


async def test_bad_word_commands_change_nothing(app: App, clock: FixedClock) -> None:
    from plugins.rules import messages

    await _import()
    ex = "\n例：敏感词"
    async with conversation(app) as chat:
        chat.says_privately("敏感词", user_id=MEMBER_2).answers(ADMIN_ONLY)
        chat.says_privately("敏感词 添加 广告 代刷", user_id=MEMBER_2).answers(ADMIN_ONLY)
        chat.says("敏感词").answers("「敏感词」请私聊我使用。例：敏感词")
        chat.says_privately("敏感词 添加", user_id=OFFICER).answers(
            "请写上类别和词，词之间用空格隔开。\n例：敏感词 添加 广告 代刷 兼职"
        )
        chat.says_privately("敏感词 添加 广告", user_id=OFFICER).answers(
            "请写上类别和词，词之间用空格隔开。\n例：敏感词 添加 广告 代刷 兼职"
        )
        chat.says_privately("敏感词 删除 广告", user_id=OFFICER).answers(
            "请写上类别和要删除的词。\n例：敏感词 删除 广告 兼职"
        )
        chat.says_privately("敏感词 添加 广告 " + "长" * 500, user_id=OFFICER).answers(
            "词「长长长长长长长长长长…」太长了，每个词最多20字。" + ex
        )
        chat.says_privately(
            "敏感词 添加 广告 " + " ".join(f"w{i}" for i in range(201)), user_id=OFFICER
        ).answers("一次最多200个词，请分几次添加。" + ex)
        words = " ".join(f"词{i}" for i in range(10_000))
        chat.says_privately("敏感词 添加 广告 " + words, user_id=OFFICER).answers(
            f"消息太长了（{len(words) + 10}字），请控制在2000字以内。"
        )
        chat.says_privately("敏感词 添加 广告 ！赌！", user_id=OFFICER).answers(
            "「！赌！」去掉符号后不足两个字，容易误报，请写得具体些。" + ex
        )
        chat.says_privately("敏感词 撤回 广告 开", user_id=OFFICER).answers(
            "词表里没有类别「广告」。" + ex
        )
        chat.says_privately("敏感词 撤回 广告", user_id=OFFICER).answers(
            "请写上类别和 开/关。\n例：敏感词 撤回 赌博 开"
        )
        chat.says_privately("敏感词 链接", user_id=OFFICER).answers(
            "请写 开 或 关。\n例：敏感词 链接 开"
        )
        chat.says_privately("敏感词 清空", user_id=OFFICER).answers(
            "「清空」看不懂：可以是 添加、删除、撤回、链接。" + ex
        )
        chat.admin_says("开启 内容提醒 现在").answers(
            "「开启 内容提醒」后面不用加内容。\n例：开启 内容提醒"
        )
        chat.admin_says("关闭 内容提醒 吧").answers(
            "「关闭 内容提醒」后面不用加内容。\n例：关闭 内容提醒"
        )
        chat.says("开启 内容提醒", user_id=MEMBER_2).answers(
            "「开启」只有群主、群管理员、支委或机器人超级管理员可以使用。"
        )
        chat.says("兼职日结", user_id=MEMBER_2)  # still off
        chat.says("开启 内容提醒", group_id=OTHER_GROUP, role="admin").answers(
            _announce(_starter_count()) + "\n" + messages.NO_OFFICER
        )
    from bot.branch import branch_of
    from plugins.rules import service

    branch = await branch_of("qq", str(GROUP))
    assert (await service.branch_list(branch.id)).words == {}  # (OTHER_GROUP: its own branch)


async def test_a_flood_raises_one_alert(app: App, clock: FixedClock) -> None:
    from datetime import timedelta

    await _import()

    def flood(detail: str, last: str, user: int = MEMBER_2, card: str = "李四") -> str:
        return (
            f"【刷屏提醒】群 {GROUP}：{card}（{user}）{detail}\n"
            f"11月30日 09:30 最后一条：{last}\n只提醒一次，不撤回、不禁言。"
        )

    async with conversation(app) as chat:
        chat.admin_says("开启 内容提醒").answers(_announce(_starter_count()))
        for _ in range(4):
            chat.says("大家好！", user_id=MEMBER_2, card="李四")
        chat.says("大家 好", user_id=MEMBER_2, card="李四").asks(
            "send_private_msg",
            {"user_id": OFFICER, "message": reply(flood("1分钟内同一内容5次", "大家 好"))},
            OK,
        )
        for _ in range(10):  # one alert, not one per message
            chat.says("大家好", user_id=MEMBER_2, card="李四")
    clock.advance(timedelta(minutes=11))
    async with conversation(app) as chat:
        for n in range(9):
            chat.says(f"第{n}条", user_id=OFFICER, card="老张")
        chat.says("第9条", user_id=OFFICER, card="老张").asks(
            "send_private_msg",
            {
                "user_id": OFFICER,
                "message": reply(
                    flood("10秒内10条消息", "第9条", OFFICER, "老张").replace(
                        "11月30日 09:30", "11月30日 09:41"
                    )
                ),
            },
            OK,
        )


async def test_links_are_reported_only_when_the_branch_asks(app: App, clock: FixedClock) -> None:
    await _import()
    link = "福利在这 https://t.cn/A6abc 快点"
    async with conversation(app) as chat:
        chat.admin_says("开启 内容提醒").answers(_announce(_starter_count()))
        chat.says(link, user_id=MEMBER_2, card="李四")  # links not asked for: nothing
        chat.says_privately("敏感词 链接 开", user_id=OFFICER).answers(
            "✅ 开启内容提醒的群里，带链接的消息也会报告给支委（只提醒，不撤回）。"
        )
        chat.says(link, user_id=MEMBER_2, card="李四").asks(
            "send_private_msg",
            {
                "user_id": OFFICER,
                "message": reply(_alert(link, "链接", "https://t.cn/A6abc", "alerted")),
            },
            OK,
        )
        chat.says("见 www.example.com/x", user_id=MEMBER_2, card="李四").asks(
            "send_private_msg",
            {
                "user_id": OFFICER,
                "message": reply(
                    _alert("见 www.example.com/x", "链接", "www.example.com/x", "alerted")
                ),
            },
            OK,
        )
        chat.says("版本1.2.3发布了", user_id=MEMBER_2)  # not a link
        chat.says_privately("敏感词 链接 关", user_id=OFFICER).answers("✅ 带链接的消息不再报告。")
        chat.says(link, user_id=MEMBER_2, card="李四")
