"""A 党小组长 is an officer for their own 党小组: the roster, notices, receipts, nudges and the
deadline summary they get stop at its edge; the 书记 sees the whole branch."""

from __future__ import annotations

from datetime import timedelta

from nonebot.adapters.onebot.v11 import Bot, Message, MessageSegment
from nonebug import App

from bot.clock import FixedClock
from tests.chat import OK, conversation
from tests.fake import GROUP, MEMBER, MEMBER_2, SELF_ID, reply
from tests.roster.files import csv_bytes

LEADER = 2005
QIAN = 2006
ROWS = [
    ["张三", str(MEMBER), "正式党员", "第一党小组", "书记", "", ""],
    ["李四", str(MEMBER_2), "预备党员", "第一党小组", "", "", ""],
    ["赵六", str(LEADER), "正式党员", "第二党小组", "党小组长", "", ""],
    ["钱七", str(QIAN), "正式党员", "第二党小组", "", "", ""],
    ["王五", "", "入党积极分子", "第二党小组", "", "", ""],
]
SCOPE = "只统计第二党小组（你是该党小组的党小组长）"


async def _import() -> None:
    from bot.branch import branch_of
    from bot.roster.importing import import_roster

    branch = await branch_of("qq", str(GROUP))
    report = await import_roster(branch.id, "名册.csv", csv_bytes(ROWS))
    assert report.written, report.errors


async def test_the_roster_of_a_group_leader_is_their_party_group(
    app: App, clock: FixedClock
) -> None:
    await _import()
    async with conversation(app) as chat:
        chat.says("名册", user_id=LEADER).answers(
            "（第二党小组，你是该党小组的党小组长）\n"
            "名册：共3人（正式党员2，入党积极分子1）\n"
            "党小组：第二党小组3人\n"
            "未绑定QQ：1人\n"
            "名单只私聊发给支委：请私聊我发「名册」。"
        )
        chat.says_privately("名册", user_id=LEADER).answers(
            "名册 · 第二党小组（3人）：\n"
            "1. 赵六 · 正式党员 · 第二党小组 · 党小组长 · 入党— · QQ 2005\n"
            "2. 钱七 · 正式党员 · 第二党小组 · 入党— · QQ 2006\n"
            "3. 王五 · 入党积极分子 · 第二党小组 · 入党— · 未绑定"
        )


async def test_a_group_leader_notifies_their_party_group_only(app: App, clock: FixedClock) -> None:
    await _import()
    async with conversation(app) as chat:
        chat.says("通知 周三晚上小组学习", user_id=LEADER).answers(
            "【通知 #1】\n周三晚上小组学习\n对象：第二党小组（3人，其中1人未绑定QQ）\n"
            "看过请回复「收到」。"
        )
        chat.says("通知 交材料 对象 第一党小组", user_id=LEADER).answers(
            "你是第二党小组的党小组长，通知只能发给本党小组。\n"
            "例：通知 周三晚上小组学习 对象 第二党小组"
        )
        chat.says("通知 交材料 对象 党员", user_id=LEADER).answers(
            "【通知 #2】\n交材料\n对象：第二党小组、正式党员、预备党员（2人）\n看过请回复「收到」。"
        )
        chat.says("收到", user_id=MEMBER_2)  # 李四 is in neither: ordinary chat
        chat.says("收到", user_id=QIAN).answers(
            "✅ 已确认通知 #2\n你还有未确认的：#1，发送「收到 1」确认。"
        )


async def test_receipts_and_nudges_of_a_group_leader_stop_at_their_party_group(
    app: App, clock: FixedClock
) -> None:
    from bot.receipts import jobs

    await _import()
    start = clock.now()
    async with conversation(app) as chat:
        chat.says("通知 学习党章 截止 今天14点").answers(
            "【通知 #1】\n学习党章\n截止：11月30日（周一）14:00\n"
            "对象：全体（5人，其中1人未绑定QQ）\n看过请回复「收到」。"
        )
        chat.says("收到", user_id=QIAN).answers("✅ 已确认通知 #1")
        chat.says("回执 1", user_id=LEADER).answers(
            f"通知 #1「学习党章」\n{SCOPE}\n截止：11月30日（周一）14:00\n"
            "对象：全体，已确认 1/3\n"
            "未确认 2 人。名单请私聊我发送「回执 1」，私聊提醒他们发送「催办 1」。"
        )
        chat.says_privately("回执 1", user_id=LEADER).answers(
            f"通知 #1「学习党章」\n{SCOPE}\n截止：11月30日（周一）14:00\n"
            "对象：全体，已确认 1/3\n未确认 2 人：\n赵六（第二党小组）\n王五（第二党小组，未绑定QQ）"
        )
        nudge = (
            "提醒：通知 #1 还没有收到你的回执。\n学习党章\n"
            "截止：11月30日（周一）14:00\n看过请回复「收到 1」。"
        )
        chat.says("催办 1", user_id=LEADER).answers(
            "通知 #1（第二党小组） 已确认 1/3。正在私聊催办 1 人，马上发完。"
            "1 人没有绑定QQ，无法私聊。"
        ).asks("get_group_list", {}, [{"group_id": GROUP}]).asks(
            "send_private_msg", {"user_id": LEADER, "message": reply(nudge)}, OK
        )
    summary = (
        "已到截止时间。\n通知 #1「学习党章」\n{scope}截止：11月30日（周一）14:00\n"
        "对象：全体，已确认 {done}\n未确认 {missing}"
    )
    async with app.test_api() as ctx:
        ctx.create_bot(base=Bot, self_id=SELF_ID)
        ctx.should_call_api("get_group_list", {}, [{"group_id": GROUP}])
        for user, text in (
            (
                MEMBER,
                summary.format(
                    scope="",
                    done="1/5",
                    missing="4 人：\n张三（第一党小组）\n李四（第一党小组）\n"
                    "赵六（第二党小组）\n王五（第二党小组，未绑定QQ）",
                ),
            ),
            (
                LEADER,
                summary.format(
                    scope=SCOPE + "\n",
                    done="1/3",
                    missing="2 人：\n赵六（第二党小组）\n王五（第二党小组，未绑定QQ）",
                ),
            ),
        ):
            ctx.should_call_api(
                "send_private_msg",
                {"user_id": user, "message": Message(MessageSegment.text(text))},
                OK,
            )
        await jobs.deadline_pass(start + timedelta(hours=5))
