"""通知 as an officer posts it and members confirm it (nonebug)."""

from __future__ import annotations

from nonebot.adapters.onebot.v11 import Message, MessageSegment
from nonebug import App

from bot.clock import FixedClock
from tests.chat import conversation
from tests.fake import GROUP, MEMBER, MEMBER_2, OTHER_GROUP, SELF_ID
from tests.roster.files import csv_bytes

ROWS = [
    ["张三", str(MEMBER), "正式党员", "第一党小组", "书记", "2010-07-01", "2011-07-01"],
    ["李四", str(MEMBER_2), "预备党员", "第一党小组", "", "2026-07-01", ""],
    ["王五", "", "入党积极分子", "第二党小组", "", "", ""],
]
ADMIN_ONLY = "「通知」只有群主、群管理员、支委或机器人超级管理员可以使用。"
EXAMPLE = "例：通知 周五前交思想汇报 截止 周五18点"


async def _import() -> None:
    from bot.branch import branch_of
    from bot.roster.importing import import_roster

    branch = await branch_of("qq", str(GROUP))
    report = await import_roster(branch.id, "名册.csv", csv_bytes(ROWS))
    assert report.written, report.errors


def _posted(number: int, text: str, *lines: str) -> str:
    return "\n".join((f"【通知 #{number}】", text, *lines, "看过请回复「收到」。"))


async def test_an_officer_posts_a_notice_members_confirm(app: App, clock: FixedClock) -> None:
    await _import()
    async with conversation(app) as chat:
        chat.says("通知 周五前交思想汇报 截止 周五18点").answers(
            _posted(
                1,
                "周五前交思想汇报",
                "截止：12月4日（周五）18:00",
                "对象：全体（3人，其中1人未绑定QQ）",
            )
        )
        chat.says("收到", user_id=MEMBER_2).answers("✅ 已确认通知 #1")
        chat.says("回执").answers(
            "通知 #1「周五前交思想汇报」\n截止：12月4日（周五）18:00\n对象：全体，已确认 1/3\n"
            "未确认 2 人。名单请私聊我发送「回执 1」，私聊提醒他们发送「催办 1」。"
        )


async def test_audience_by_status_and_party_group(app: App, clock: FixedClock) -> None:
    await _import()
    async with conversation(app) as chat:
        chat.says("通知 交转正材料 对象 预备党员").answers(
            _posted(1, "交转正材料", "对象：预备党员（1人）")
        )
        chat.says("通知 学习党章 截止：明天 对象：党员、第二党小组").answers(
            "名册里没有符合「对象 党员 第二党小组」的人，通知没有发出。"
        )
        chat.says("通知 小组学习 截止周三下午3点 对象 第二党小组").answers(
            _posted(
                2,
                "小组学习",
                "截止：12月2日（周三）15:00",
                "对象：第二党小组（1人，其中1人未绑定QQ）",
            )
        )
        chat.says("收到", user_id=MEMBER_2).answers("✅ 已确认通知 #1")
        chat.says("收到")  # 张三 is in neither audience: ordinary chat


async def test_bad_notices_change_nothing(app: App, clock: FixedClock) -> None:
    await _import()
    async with conversation(app) as chat:
        chat.says("通知", user_id=MEMBER_2).answers(ADMIN_ONLY)
        chat.says("通知 交材料", user_id=MEMBER_2).answers(ADMIN_ONLY)
        chat.says("通知").answers(f"请写上通知内容。\n{EXAMPLE}")
        chat.says("通知 截止 周五").answers(f"请写上通知内容。\n{EXAMPLE}")
        chat.says("通知 交材料 截止").answers(f"「截止」后面要写内容。\n{EXAMPLE}")
        chat.says("通知 交材料 截止 周五 截止 周六").answers(f"「截止」只能写一次。\n{EXAMPLE}")
        chat.says("通知 交材料 截止 今天8点").answers(
            "截止时间11月30日（周一）08:00已经过了，请写一个以后的时间。\n"
            "例：通知 交思想汇报 截止 周五18点"
        )
        chat.says("通知 交材料 截止 每周五").answers(
            "截止时间没看懂：这里要一个具体时间，不能是重复的时间，例：周五18点、12月20日下午3点"
        )
        chat.says("通知 交材料 截止 下个月吧").answers(
            "截止时间没看懂：看不懂这个时间，可以这样写：周五18点、明天下午3点、12月20日、30分钟后"
        )
        chat.says("通知 交材料 对象 老党员").answers(
            "对象「老党员」既不是状态（党员、正式党员、预备党员、发展对象、积极分子、群众），"
            "也不是本支部的党小组（第一党小组、第二党小组）。\n例：通知 交转正材料 对象 预备党员"
        )
        chat.says("通知 " + "长" * 501).answers(
            f"通知太长了（501字），请控制在500字以内。\n{EXAMPLE}"
        )
        chat.says("通知 交材料", group_id=OTHER_GROUP, role="admin").answers(
            "本支部还没有名册，没法统计谁该回执。请先上传名册表格（姓名、QQ、状态、党小组…），再发通知。"
        )
        chat.says_privately("通知 交材料").answers(
            "「通知」请在群里使用。例：通知 周五前交思想汇报 截止 周五18点"
        )
        chat.says("收到")  # nothing was posted
    from nonebot_plugin_orm import get_session
    from sqlalchemy import func, select

    from bot.receipts.models import Subject

    async with get_session() as session:
        assert await session.scalar(select(func.count()).select_from(Subject)) == 0


async def test_at_all_when_the_bot_may_and_a_note_when_it_may_not(
    app: App, clock: FixedClock
) -> None:
    await _import()
    text = _posted(1, "明早开会", "对象：全体（3人，其中1人未绑定QQ）")
    async with conversation(app) as chat:
        chat.says("通知 明早开会 @全体").asks(
            "get_group_member_info",
            {"group_id": GROUP, "user_id": int(SELF_ID), "no_cache": True},
            {"role": "member"},
        ).answers(text + "\n（没有@全体：机器人不是本群管理员）")
        chat.says("通知 明早开会 @全体").asks(
            "get_group_member_info",
            {"group_id": GROUP, "user_id": int(SELF_ID), "no_cache": True},
            {"role": "admin"},
        ).asks("get_group_at_all_remain", {"group_id": GROUP}, {"can_at_all": True}).answers_with(
            MessageSegment.at("all")
            + Message(
                MessageSegment.text(
                    " " + _posted(2, "明早开会", "对象：全体（3人，其中1人未绑定QQ）")
                )
            )
        )
        chat.says("通知 <script>@全体成员</script> [CQ:at,qq=all]").asks(
            "get_group_member_info",
            {"group_id": GROUP, "user_id": int(SELF_ID), "no_cache": True},
            {"role": "member"},
        ).answers(
            _posted(3, "<script> </script> [CQ:at,qq=all]", "对象：全体（3人，其中1人未绑定QQ）")
            + "\n（没有@全体：机器人不是本群管理员）"
        )
