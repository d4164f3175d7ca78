"""收到, 回执 and 催办 as members and officers talk to the bot (nonebug), and the nudge
before a deadline and the summary at it."""

from __future__ import annotations

from datetime import datetime, timedelta

from nonebot.adapters.onebot.v11 import Bot, Message, MessageSegment
from nonebug import App

from bot.clock import FixedClock
from tests.chat import OK, conversation
from tests.fake import GROUP, MEMBER, MEMBER_2, OTHER_GROUP, SELF_ID, reply
from tests.roster.files import csv_bytes

ROWS = [
    ["张三", str(MEMBER), "正式党员", "第一党小组", "书记", "2010-07-01", "2011-07-01"],
    ["李四", str(MEMBER_2), "预备党员", "第一党小组", "", "2026-07-01", ""],
    ["王五", "", "入党积极分子", "", "", "", ""],
]
NEWCOMER = 2100
ADMIN_ONLY = "「{}」只有群主、群管理员、支委或机器人超级管理员可以使用。"


async def _branch() -> int:
    from bot.branch import branch_of
    from bot.roster.importing import import_roster

    branch = await branch_of("qq", str(GROUP))
    report = await import_roster(branch.id, "名册.csv", csv_bytes(ROWS))
    assert report.written, report.errors
    return branch.id


async def _notice(
    branch_id: int,
    title: str = "周五前交思想汇报",
    *,
    ref: str = "n1",
    deadline: datetime | None = None,
    statuses: tuple[str, ...] = (),
    now: datetime | None = None,
) -> int:
    from bot.receipts import NOTICE, Audience, create_subject

    subject, _ = await create_subject(
        branch_id,
        NOTICE,
        ref,
        title,
        created_by="qq:2001",
        deadline=deadline,
        audience=Audience(statuses) if statuses else None,
        now=now,
    )
    return subject.id


async def test_in_a_group_收到_is_ordinary_chat_until_something_is_open(
    app: App, clock: FixedClock
) -> None:
    await _branch()
    async with conversation(app) as chat:
        chat.says("收到")
        chat.says("收到，谢谢")
        chat.says("收到 谢谢书记")
        chat.says("收到", user_id=NEWCOMER)
        chat.says("收到", group_id=OTHER_GROUP)
        chat.says_privately("收到").answers("现在没有需要你确认的通知。")
        chat.says_privately("收到 好的").answers("「收到」后面只能跟通知编号。\n例：收到 12")


async def test_a_member_confirms_once_and_is_told_the_second_time(
    app: App, clock: FixedClock
) -> None:
    branch = await _branch()
    number = await _notice(branch)
    async with conversation(app) as chat:
        chat.says("收到", user_id=MEMBER_2).answers(f"✅ 已确认通知 #{number}")
        chat.says("收到", user_id=MEMBER_2).answers(
            f"通知 #{number} 你已在11月30日（周一）09:30确认过，已记录，不用再发。"
        )
        chat.says_privately(f"收到 {number}", user_id=MEMBER_2).answers(
            f"通知 #{number} 你已在11月30日（周一）09:30确认过，已记录，不用再发。"
        )
        chat.says("收到 3 份材料，谢谢书记").answers(f"✅ 已确认通知 #{number}")
        chat.says("收到", user_id=NEWCOMER).answers(
            "你的QQ还没有绑定名册，回执记不到你名下。请先发送「绑定 你的姓名」，支委确认后再发「收到」。"
        )
        chat.says("收到", user_id=NEWCOMER)  # told once: then it is ordinary chat
        chat.says(f"收到 {number}", user_id=NEWCOMER).answers(
            "你的QQ还没有绑定名册，回执记不到你名下。请先发送「绑定 你的姓名」，支委确认后再发「收到」。"
        )
        chat.says("收到 999").answers("没有编号为 999 的通知。发送「收到」确认最新一条。")
    from bot.receipts import completion

    done = await completion(number, [1, 2, 3])
    assert done.confirmed_count + len(done.unexpected) == 2


async def test_a_notice_for_others_leaves_a_member_alone(app: App, clock: FixedClock) -> None:
    branch = await _branch()
    number = await _notice(branch, "交转正材料", statuses=("预备党员",))
    async with conversation(app) as chat:
        chat.says("收到")  # 张三 is a full member: not for him, so ordinary chat
        chat.says(f"收到 {number}").answers(f"通知 #{number} 不需要你回执（对象：预备党员）。")
        chat.says("收到", user_id=MEMBER_2).answers(f"✅ 已确认通知 #{number}")


async def test_a_bare_收到_takes_the_newest_and_names_the_rest(app: App, clock: FixedClock) -> None:
    branch = await _branch()
    first = await _notice(branch, "交党费", ref="a", now=clock.now() - timedelta(hours=1))
    second = await _notice(branch, "学习党章", ref="b")
    async with conversation(app) as chat:
        chat.says("收到", user_id=MEMBER_2).answers(
            f"✅ 已确认通知 #{second}\n你还有未确认的：#{first}，发送「收到 {first}」确认。"
        )
        chat.says(f"收到 {first}", user_id=MEMBER_2).answers(f"✅ 已确认通知 #{first}")


async def test_late_and_closed(app: App, clock: FixedClock) -> None:
    from bot.receipts import close_subject

    branch = await _branch()
    now = clock.now()
    number = await _notice(branch, deadline=now + timedelta(hours=1))
    clock.advance(timedelta(hours=2))
    async with conversation(app) as chat:
        chat.says("收到", user_id=MEMBER_2).answers(
            f"✅ 已确认通知 #{number}（已过截止时间，记为迟交）"
        )
    await close_subject(number)
    async with conversation(app) as chat:
        chat.says("收到")  # nothing open any more
        chat.says(f"收到 {number}").answers(f"通知 #{number} 已结束，不再收回执。")


async def test_回执_counts_in_the_group_names_in_private(app: App, clock: FixedClock) -> None:
    branch = await _branch()
    number = await _notice(branch, deadline=clock.now() + timedelta(days=3))
    async with conversation(app) as chat:
        chat.says("回执", user_id=MEMBER_2).answers(ADMIN_ONLY.format("回执"))
        chat.says("收到", user_id=MEMBER_2).answers(f"✅ 已确认通知 #{number}")
        chat.says("回执").answers(
            f"通知 #{number}「周五前交思想汇报」\n"
            "截止：12月3日（周四）09:30\n"
            "对象：全体，已确认 1/3\n"
            f"未确认 2 人。名单请私聊我发送「回执 {number}」，私聊提醒他们发送「催办 {number}」。"
        )
        chat.says_privately(f"回执 {number}").answers(
            f"通知 #{number}「周五前交思想汇报」\n"
            "截止：12月3日（周四）09:30\n"
            "对象：全体，已确认 1/3\n"
            "未确认 2 人：\n"
            "王五（未绑定QQ）\n"
            "张三（第一党小组）"
        )
        chat.says("回执 999").answers("本支部没有编号为 999 的通知。")
        chat.says("回执 abc").answers("编号是通知的数字。\n例：回执 12")
        chat.says("回执", group_id=OTHER_GROUP, role="admin").answers(
            "现在没有进行中的通知。查以前的请加编号。"
        )


async def test_催办_nudges_privately_once_a_day(app: App, clock: FixedClock) -> None:
    branch = await _branch()
    number = await _notice(branch, deadline=clock.now() + timedelta(days=3))
    nudge = (
        f"提醒：通知 #{number} 还没有收到你的回执。\n周五前交思想汇报\n"
        f"截止：12月3日（周四）09:30\n看过请回复「收到 {number}」。"
    )
    async with conversation(app) as chat:
        chat.says("催办", user_id=MEMBER_2).answers(ADMIN_ONLY.format("催办"))
        chat.says(f"催办 {number}").answers(
            f"通知 #{number} 已确认 0/3。正在私聊催办 2 人，马上发完。1 人没有绑定QQ，无法私聊。"
        ).asks("send_private_msg", {"user_id": MEMBER, "message": reply(nudge)}, OK).asks(
            "send_private_msg", {"user_id": MEMBER_2, "message": reply(nudge)}, OK
        )
        chat.says_privately(f"催办 {number}").answers(
            f"通知 #{number} 已确认 0/3。2 人今天已催过，明天才能再催。1 人没有绑定QQ，无法私聊。"
            "\n无法私聊（未绑定QQ）：王五"
        )
    clock.advance(timedelta(days=1))
    async with conversation(app) as chat:
        chat.says("收到", user_id=MEMBER_2).answers(f"✅ 已确认通知 #{number}")
        chat.says(f"催办 {number}").answers(
            f"通知 #{number} 已确认 1/3。正在私聊催办 1 人，马上发完。1 人没有绑定QQ，无法私聊。"
        ).asks("send_private_msg", {"user_id": MEMBER, "message": reply(nudge)}, OK)


async def test_a_failed_nudge_is_released_and_reported(app: App, clock: FixedClock) -> None:
    from nonebot.adapters.onebot.v11 import ActionFailed

    branch = await _branch()
    number = await _notice(branch)
    nudge = f"提醒：通知 #{number} 还没有收到你的回执。\n周五前交思想汇报\n看过请回复「收到 {number}」。"
    async with conversation(app) as chat:
        chat.says(f"催办 {number}").answers(
            f"通知 #{number} 已确认 0/3。正在私聊催办 2 人，马上发完。1 人没有绑定QQ，无法私聊。"
        ).asks("send_private_msg", {"user_id": MEMBER, "message": reply(nudge)}, OK).asks(
            "send_private_msg",
            {"user_id": MEMBER_2, "message": reply(nudge)},
            fails=ActionFailed(retcode=100, message="not a friend"),
        ).asks(
            "send_private_msg",
            {
                "user_id": MEMBER,
                "message": reply(
                    f"通知 #{number} 催办：1 人的私聊没有发出（可能没加机器人好友）：李四"
                ),
            },
            OK,
        )
        # 李四's claim was given back: a second 催办 today tries again.
        chat.says(f"催办 {number}").answers(
            f"通知 #{number} 已确认 0/3。正在私聊催办 1 人，马上发完。"
            "1 人今天已催过，明天才能再催。1 人没有绑定QQ，无法私聊。"
        ).asks("send_private_msg", {"user_id": MEMBER_2, "message": reply(nudge)}, OK)


async def test_the_deadline_brings_a_nudge_then_a_summary_once(app: App, clock: FixedClock) -> None:
    from bot.receipts import jobs

    branch = await _branch()
    start = clock.now()
    number = await _notice(branch, deadline=start + timedelta(hours=5), now=start)
    nudge = (
        f"提醒：通知 #{number} 还没有收到你的回执。\n周五前交思想汇报\n"
        f"截止：11月30日（周一）14:30\n看过请回复「收到 {number}」。"
    )
    async with conversation(app) as chat:
        chat.says("收到").answers(f"✅ 已确认通知 #{number}")
    async with app.test_api() as ctx:
        ctx.create_bot(base=Bot, self_id=SELF_ID)
        await jobs.deadline_pass(start + timedelta(hours=2))  # 3 h before: not yet
        ctx.should_call_api(
            "send_private_msg",
            {"user_id": MEMBER_2, "message": Message(MessageSegment.text(nudge))},
            OK,
        )
        await jobs.deadline_pass(start + timedelta(hours=3, minutes=1))
        await jobs.settle()
        await jobs.deadline_pass(start + timedelta(hours=4))  # claimed: not again
        await jobs.settle()
        ctx.should_call_api(
            "send_private_msg",
            {
                "user_id": MEMBER,
                "message": Message(
                    MessageSegment.text(
                        f"已到截止时间。\n通知 #{number}「周五前交思想汇报」\n"
                        "截止：11月30日（周一）14:30\n"
                        "对象：全体，已确认 1/3\n"
                        "未确认 2 人：\n"
                        "王五（未绑定QQ）\n"
                        "李四（第一党小组）"
                    )
                ),
            },
            OK,
        )
        await jobs.deadline_pass(start + timedelta(hours=5))
        await jobs.deadline_pass(start + timedelta(hours=6))  # summarized once


async def test_a_poll_subject_is_nudged_but_never_confirmed_by_收到(
    app: App, clock: FixedClock
) -> None:
    """Kind `poll` (a ballot confirms it, plugins/poll): the nudge before the deadline asks
    for a ballot; 收到 neither confirms it nor answers about it; no summary at the deadline."""
    from bot.receipts import POLL, create_subject, jobs
    from bot.receipts.desk import CONFIRMABLE, NUDGED

    assert POLL not in CONFIRMABLE
    assert POLL in NUDGED
    branch = await _branch()
    start = clock.now()
    subject, _ = await create_subject(
        branch,
        POLL,
        "p1",
        "七一活动去哪里",
        created_by="qq:2001",
        deadline=start + timedelta(hours=5),
        audience=None,
        now=start,
    )
    async with conversation(app) as chat:
        chat.says("收到", user_id=MEMBER_2)  # nothing 收到 confirms: ordinary chat
        chat.says(f"收到 {subject.id}", user_id=MEMBER_2).answers(
            f"没有编号为 {subject.id} 的通知。发送「收到」确认最新一条。"
        )
    nudge = (
        f"提醒：投票 #{subject.id} 你还没有投票。\n七一活动去哪里\n截止：11月30日（周一）14:30\n"
        f"请回复「投 {subject.id} 选项字母」投票，如「投 {subject.id} A」。"
    )
    async with app.test_api() as ctx:
        ctx.create_bot(base=Bot, self_id=SELF_ID)
        for user in (MEMBER, MEMBER_2):
            ctx.should_call_api(
                "send_private_msg",
                {"user_id": user, "message": Message(MessageSegment.text(nudge))},
                OK,
            )
        await jobs.deadline_pass(start + timedelta(hours=3, minutes=1))
        await jobs.settle()
        await jobs.deadline_pass(start + timedelta(hours=6))  # no summary for a poll
