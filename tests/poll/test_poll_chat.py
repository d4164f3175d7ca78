"""投票, 投 and 投票结果 as officers and members talk to the bot (nonebug), with the core's
回执 and the nudge before the deadline on a poll."""

from __future__ import annotations

from datetime import timedelta

from nonebot.adapters.onebot.v11 import Bot, Message, MessageSegment
from nonebug import App

from bot.clock import FixedClock
from tests.chat import OK, conversation
from tests.fake import GROUP, MEMBER, MEMBER_2, OTHER_GROUP, SELF_ID
from tests.roster.files import csv_bytes

MEMBER_3 = 2010
LEADER = 2011
ROWS = [
    ["张三", str(MEMBER), "正式党员", "第一党小组", "书记", "2010-07-01", "2011-07-01"],
    ["李四", str(MEMBER_2), "预备党员", "第一党小组", "", "2026-07-01", ""],
    ["王五", "", "入党积极分子", "第二党小组", "", "", ""],
    ["赵六", str(MEMBER_3), "正式党员", "第二党小组", "", "", ""],
    ["孙七", str(LEADER), "正式党员", "第二党小组", "党小组长", "", ""],
]
ADMIN_ONLY = "「投票」只有群主、群管理员、支委或机器人超级管理员可以使用。"
EXAMPLE = "例：投票 七一活动去哪里 红色教育基地 革命纪念馆 截止 周五18点"
NOT_BOUND = "你的QQ还没有绑定名册，投票记不到你名下。请先发送「绑定 你的姓名」，支委确认后再投。"
TRIP = "投票 七一活动去哪里 红色教育基地 革命纪念馆 截止 周五18点"


async def _import() -> None:
    from bot.branch import branch_of
    from bot.roster.importing import import_roster

    branch = await branch_of("qq", str(GROUP))
    report = await import_roster(branch.id, "名册.csv", csv_bytes(ROWS))
    assert report.written, report.errors


def _trip(number: int = 1, people: str = "全体（5人，其中1人未绑定QQ）") -> str:
    return (
        f"【投票 #{number}】七一活动去哪里\nA. 红色教育基地\nB. 革命纪念馆\n"
        f"截止：12月4日（周五）18:00\n对象：{people}\n"
        f"回复「投 A」投票，也可私聊我「投 {number} A」。"
    )


async def _count(table: str) -> int:
    from nonebot_plugin_orm import get_session
    from sqlalchemy import text

    async with get_session() as session:
        return int(await session.scalar(text(f"SELECT count(*) FROM {table}")) or 0)


async def test_an_officer_polls_members_vote_once(app: App, clock: FixedClock) -> None:
    await _import()
    async with conversation(app) as chat:
        chat.says(TRIP).answers(_trip())
        chat.says("投 b", user_id=MEMBER_2).answers("✅ 已投票（投票 #1）：B 革命纪念馆")
        chat.says("投 B", user_id=MEMBER_2).answers(
            "投票 #1 你已在11月30日（周一）09:30投过 B，已记录，不用再发。"
        )
        chat.says("投 A", user_id=MEMBER_2).answers(
            "投票 #1 你已投过 B，本投票不能改票。如确需更改请联系支委。"
        )
        chat.says_privately("投 1 A").answers("✅ 已投票（投票 #1）：A 红色教育基地")
        chat.says("投 Ａ", user_id=MEMBER_3).answers("✅ 已投票（投票 #1）：A 红色教育基地")
        chat.says("投票结果 1").answers(
            "投票 #1「七一活动去哪里」结果（进行中）\nA. 红色教育基地：2票\nB. 革命纪念馆：1票\n"
            "已投 3/5 人\n谁投了什么：支委私聊我发送「投票结果 1」。"
        )
        chat.says_privately("投票结果").answers(
            "投票 #1「七一活动去哪里」结果（进行中）\nA. 红色教育基地：2票（张三、赵六）\n"
            "B. 革命纪念馆：1票（李四）\n已投 3/5 人"
        )
        chat.says("投票结果 1", user_id=MEMBER_2).answers(
            "投票 #1 12月4日（周五）18:00截止后公布结果。"
        )
        # The core's 回执 counts ballots as receipts of the poll; 收到 never votes.
        chat.says("回执 1").answers(
            "投票 #1「七一活动去哪里」\n截止：12月4日（周五）18:00\n对象：全体，已确认 3/5\n"
            "未确认 2 人。名单请私聊我发送「回执 1」，私聊提醒他们发送「催办 1」。"
        )
        chat.says("收到", user_id=LEADER)
        chat.says("收到 1", user_id=LEADER).answers(
            "没有编号为 1 的通知。发送「收到」确认最新一条。"
        )
    clock.advance(timedelta(days=5))
    async with conversation(app) as chat:
        chat.says("投 A", user_id=LEADER)  # closed: nothing open for him, ordinary chat
        chat.says("投 1 A", user_id=LEADER).answers(
            "投票 #1 已截止，不再收票。发送「投票结果 1」看结果。"
        )
        chat.says("投票结果", user_id=MEMBER_2).answers(
            "投票 #1「七一活动去哪里」结果（已截止）\nA. 红色教育基地：2票\nB. 革命纪念馆：1票\n"
            "已投 3/5 人\n谁投了什么：支委私聊我发送「投票结果 1」。"
        )
    assert await _count("poll_voter") == 3


async def test_multiple_choice_and_a_changed_mind(app: App, clock: FixedClock) -> None:
    await _import()
    async with conversation(app) as chat:
        chat.says("投票 学习主题 党章 党史 新思想 多选2 可改票 对象 第二党小组").answers(
            "【投票 #1】学习主题\nA. 党章\nB. 党史\nC. 新思想\n可多选，最多2项；截止前可改票\n"
            "对象：第二党小组（3人，其中1人未绑定QQ）\n"
            "回复「投 AB」投票，也可私聊我「投 1 AB」。"
        )
        chat.says("投 A C", user_id=MEMBER_3).answers("✅ 已投票（投票 #1）：A 党章、C 新思想")
        chat.says("投 ABC", user_id=MEMBER_3).answers("投票 #1 最多选2项。\n例：投 1 AB")
        chat.says("投 B", user_id=MEMBER_3).answers("✅ 已改票（投票 #1）：B 党史（原来是 AC）")
        chat.says("投 A", user_id=MEMBER_2)  # not in 第二党小组: nothing open for him here
        chat.says_privately("投 1 A", user_id=MEMBER_2).answers(
            "投票 #1 不需要你投（对象：第二党小组）。"
        )
    assert await _count("poll_voter") == 1


async def test_anonymous_results_only_after_the_deadline(app: App, clock: FixedClock) -> None:
    await _import()
    async with conversation(app) as chat:
        chat.says("投票 推荐优秀党员 张三 李四 匿名 截止 明天18点").answers(
            "【投票 #1】推荐优秀党员\nA. 张三\nB. 李四\n匿名，截止后公布结果\n"
            "截止：12月1日（周二）18:00\n对象：全体（5人，其中1人未绑定QQ）\n"
            "请私聊我「投 1 A」投票（在群里投，大家看得到你的选择）。"
        )
        chat.says_privately("投 1 B", user_id=MEMBER_2).answers(
            "✅ 已投票（投票 #1，匿名，截止后公布结果）"
        )
        chat.says_privately("投 A", user_id=MEMBER_2).answers(
            "投票 #1 你已在11月30日（周一）09:30投过票，已记录，不用再发。"
        )
        chat.says_privately("投 1 B", user_id=MEMBER_3).answers(
            "✅ 已投票（投票 #1，匿名，截止后公布结果）"
        )
        chat.says_privately("投票结果 1").answers(
            "投票 #1 是匿名投票，12月1日（周二）18:00截止后公布结果。现在已投 2/5 人。"
        )
    clock.advance(timedelta(days=2))
    async with conversation(app) as chat:
        result = "投票 #1「推荐优秀党员」结果（已截止）\nA. 张三：0票\nB. 李四：2票\n已投 2/5 人"
        chat.says_privately("投票结果 1").answers(result)  # no names, even privately
        chat.says("投票结果 1", user_id=MEMBER_2).answers(result)
    assert await _count("poll_anonymousballot") == 2


async def test_bad_polls_change_nothing(app: App, clock: FixedClock) -> None:
    await _import()
    async with conversation(app) as chat:
        chat.says(TRIP, user_id=MEMBER_2).answers(ADMIN_ONLY)
        chat.says("投票").answers(f"请写上投票标题和选项，用空格隔开。\n{EXAMPLE}")
        chat.says("投票 去哪里 红色教育基地").answers(
            f"至少要两个选项（现在1个），选项之间用空格隔开。\n{EXAMPLE}"
        )
        chat.says("投票 选一个 " + " ".join(f"项{n}" for n in range(27))).answers(
            f"选项最多26个（A–Z），现在27个。\n{EXAMPLE}"
        )
        chat.says("投票 去哪里 甲 乙 截止 今天8点").answers(
            f"截止时间11月30日（周一）08:00已经过了，请写一个以后的时间。\n{EXAMPLE}"
        )
        chat.says("投票 学习主题 党章 党史 新思想 多选5").answers(
            "只有3个选项，不能多选5项：多选的项数要在2到3之间。\n"
            "例：投票 学习主题 党章 党史 新思想 廉政 多选2"
        )
        chat.says("投票 去哪里 甲 乙 甲").answers(f"选项「甲」写了两次。\n{EXAMPLE}")
        chat.says("投票 推荐 张三 李四 匿名").answers(
            "匿名投票要写截止时间：结果截止后才公布。\n"
            "例：投票 推荐优秀党员 张三 李四 王五 匿名 截止 周五18点"
        )
        chat.says("投票 推荐 张三 李四 匿名 可改票 截止 周五").answers(
            "匿名投票不能改票：选票不记名，改不了。请去掉「可改票」。\n"
            "例：投票 推荐优秀党员 张三 李四 王五 匿名 截止 周五18点"
        )
        chat.says("投票 去哪里 甲 乙 对象 老党员").answers(
            "对象「老党员」既不是状态（党员、正式党员、预备党员、发展对象、积极分子、群众），"
            "也不是本支部的党小组（第一党小组、第二党小组）。\n"
            "例：投票 小组学习时间 周三晚 周四晚 对象 预备党员"
        )
        chat.says("投票 去哪里 甲 乙", group_id=OTHER_GROUP, role="admin").answers(
            "本支部还没有名册，不知道谁该投票。请先上传名册表格（姓名、QQ、状态、党小组…），再发起投票。"
        )
        chat.says_privately(TRIP).answers(f"「投票」请在群里使用。{EXAMPLE}")
        chat.says("投 A")  # nothing open: ordinary chat
        chat.says("投 Z")
    assert await _count("poll_poll") == 0
    assert await _count("receipts_subject") == 0


async def test_bad_ballots_change_nothing(app: App, clock: FixedClock) -> None:
    await _import()
    async with conversation(app) as chat:
        chat.says(TRIP).answers(_trip())
        chat.says("投 Z", user_id=MEMBER_2).answers("投票 #1 没有选项 Z，选项是 A–B。\n例：投 1 A")
        chat.says("投 AB", user_id=MEMBER_2).answers("投票 #1 只能选一项。\n例：投 1 A")
        chat.says("投 一票", user_id=MEMBER_2).answers(
            "请写选项字母（投票 #1 的选项是 A–B）。\n例：投 1 A"
        )
        chat.says("投 9 A", user_id=MEMBER_2).answers("本支部没有编号为 9 的投票。\n例：投 A")
        chat.says("投 A", user_id=3999).answers(NOT_BOUND)  # a poll is open: told
        chat.says("投 一下吧", user_id=3999)  # no ballot: ordinary chat
        chat.says_privately("投 A", user_id=3999).answers(NOT_BOUND)
    assert await _count("poll_voter") == 0


async def test_private_ballot_with_nothing_open(app: App, clock: FixedClock) -> None:
    await _import()
    async with conversation(app) as chat:
        chat.says_privately("投 A").answers("现在没有你可以投的投票。")
        chat.says_privately("投票结果").answers("本支部还没有投票。")


async def test_a_group_leader_polls_their_own_group(app: App, clock: FixedClock) -> None:
    await _import()
    async with conversation(app) as chat:
        chat.says("投票 学习时间 周三 周四", user_id=LEADER).answers(
            "【投票 #1】学习时间\nA. 周三\nB. 周四\n对象：第二党小组（3人，其中1人未绑定QQ）\n"
            "回复「投 A」投票，也可私聊我「投 1 A」。"
        )
        chat.says("投票 学习时间 周三 周四 对象 第一党小组", user_id=LEADER).answers(
            "你是第二党小组的党小组长，投票只能发给本党小组。\n"
            "例：投票 小组学习时间 周三晚 周四晚 对象 第二党小组"
        )


async def test_the_nudge_before_the_deadline_asks_for_a_ballot(app: App, clock: FixedClock) -> None:
    from bot.receipts import jobs

    await _import()
    start = clock.now()
    async with conversation(app) as chat:
        chat.says("投票 去哪里 甲 乙 截止 今天14点30分 对象 第一党小组").answers(
            "【投票 #1】去哪里\nA. 甲\nB. 乙\n截止：11月30日（周一）14:30\n"
            "对象：第一党小组（2人）\n回复「投 A」投票，也可私聊我「投 1 A」。"
        )
        chat.says("投 A").answers("✅ 已投票（投票 #1）：A 甲")
    nudge = (
        "提醒：投票 #1 你还没有投票。\n去哪里\n截止：11月30日（周一）14:30\n"
        "请回复「投 1 选项字母」投票，如「投 1 A」。"
    )
    async with app.test_api() as ctx:
        ctx.create_bot(base=Bot, self_id=SELF_ID)
        ctx.should_call_api(
            "send_private_msg",
            {"user_id": MEMBER_2, "message": Message(MessageSegment.text(nudge))},
            OK,
        )
        await jobs.deadline_pass(start + timedelta(hours=3, minutes=1))
        await jobs.settle()
        await jobs.deadline_pass(start + timedelta(hours=6))  # no summary for a poll
