"""会议, 到, 请假, 批准, 补学 and 补登 as officers and members talk to the bot (nonebug), the
bad input of each, and the reminders in the group."""

from __future__ import annotations

from datetime import timedelta

from nonebot.adapters.onebot.v11 import Bot
from nonebug import App

from bot.clock import FixedClock
from tests.chat import OK, conversation
from tests.fake import GROUP, MEMBER, MEMBER_2, OTHER_GROUP, SELF_ID, reply
from tests.meeting.people import ACTIVIST, MEMBER_3, branch

ADMIN_ONLY = "「{}」只有群主、群管理员、支委或机器人超级管理员可以使用。"
EXAMPLE = "\n例：会议 党员大会 周五15点 学习二十届三中全会精神"
OUTSIDER = 2100
WINDOW = "开始前30分钟起发「到」签到"


def _scheduled(number: int, head: str, when: str, expected: str, topic: str = "学习党章") -> str:
    lines = [f"【会议 #{number}】{head}", f"时间：{when}"]
    if topic:
        lines.append(f"主题：{topic}")
    lines += [f"应到：{expected}", f"会前会在群里提醒。{WINDOW}，不能参加请发「请假 原因」。"]
    return "\n".join(lines)


async def test_an_officer_schedules_and_bad_input_changes_nothing(
    app: App, clock: FixedClock
) -> None:
    await branch()
    async with conversation(app) as chat:
        chat.says("会议 党员大会 明天15点 学习党章").answers(
            _scheduled(1, "党员大会", "明天（12月1日 周二）15:00–17:00", "4人，其中1人未绑定QQ")
        )
        chat.says("会议 党小组会 周三下午3点").answers(  # 张三's own 党小组
            _scheduled(2, "党小组会（第一党小组）", "后天（12月2日 周三）15:00–17:00", "2人", "")
        )
        chat.says("会议 党小组会 第二党小组 周四9点到10点 谈心").answers(
            _scheduled(
                3,
                "党小组会（第二党小组）",
                "12月3日（周四）09:00–10:00",
                "2人，其中1人未绑定QQ",
                "谈心",
            )
        )
        chat.says("会议 支委会周五9点").answers(
            _scheduled(4, "支委会", "12月4日（周五）09:00–11:00", "2人", "")
        )
        chat.says("会议 党员大会").answers("请写上会议时间。" + EXAMPLE)
        chat.says("会议 大会 明天15点").answers(
            "「大会」不是会议类型。类型有：支委会、党小组会、党员大会、党课、主题党日、组织生活会、民主评议。"
            + EXAMPLE
        )
        chat.says("会议 党员大会 今天8点").answers(
            "今天（11月30日 周一）08:00已经过了，请写一个以后的时间。" + EXAMPLE
        )
        chat.says("会议 党员大会 每周五15点").answers(
            "会议时间没看懂：这里要一个具体时间，不能是重复的时间，例：周五18点、12月20日下午3点"
        )
        chat.says("会议 党员大会 明天15点", user_id=MEMBER_2).answers(ADMIN_ONLY.format("会议"))
        chat.says_privately("会议 党员大会 明天15点").answers(
            "安排会议请在支部群里发，提醒会发到那个群。"
        )
        chat.says("会议").answers(
            "会议：\n"
            "#1 党员大会 12月1日（周二）15:00\n  学习党章\n  应到 4\n"
            "#2 党小组会（第一党小组） 12月2日（周三）15:00\n  应到 2\n"
            "#3 党小组会（第二党小组） 12月3日（周四）09:00\n  谈心\n  应到 2\n"
            "#4 支委会 12月4日（周五）09:00\n  应到 2\n"
            "详情发「会议 编号」（名单请私聊我发）。"
        )


async def test_到_in_the_window_once_and_silent_otherwise(app: App, clock: FixedClock) -> None:
    await branch()
    async with conversation(app) as chat:
        chat.says("到")  # nothing scheduled: ordinary chat
        chat.says_privately("到").answers(f"现在没有要你签到的会议（{WINDOW}）。")
        chat.says("会议 党员大会 今天15点 学习党章").answers(
            _scheduled(1, "党员大会", "今天（11月30日 周一）15:00–17:00", "4人，其中1人未绑定QQ")
        )
        chat.says("到", user_id=MEMBER_2).answers(
            "会议 #1 党员大会 15:00开始，14:30起可以发「到」签到。"
        )
        chat.says("到", user_id=ACTIVIST)  # not expected, nothing open: chat
    clock.advance(timedelta(hours=5))  # 14:30
    async with conversation(app) as chat:
        chat.says("到").answers("✅ 会议 #1 已签到")
        chat.says("到").answers("会议 #1 你已在14:30签到过，不用再发。")
        chat.says_privately("到").answers("会议 #1 你已在14:30签到过，不用再发。")
        chat.says("到了")  # glued: chat, not the command
        chat.says("到", user_id=OUTSIDER).answers(
            "你的QQ还没有绑定名册，签到记不到你名下。请先发送「绑定 你的姓名」，支委确认后再发「到」。"
        )
        chat.says("到", user_id=OUTSIDER)  # told once
        chat.says("到", user_id=ACTIVIST).answers("会议 #1（党员大会）不需要你签到。")
        chat.says("到", group_id=OTHER_GROUP)  # another branch's chat, nothing there: chat
    clock.advance(timedelta(minutes=31))
    async with conversation(app) as chat:
        chat.says("到", user_id=MEMBER_2).answers("✅ 会议 #1 已签到（迟到）")
    clock.advance(timedelta(hours=2))
    async with conversation(app) as chat:
        chat.says("到", user_id=MEMBER_3)  # ended: chat again
        chat.says_privately("到", user_id=MEMBER_3).answers(f"现在没有要你签到的会议（{WINDOW}）。")
        chat.says("会议 1").answers(
            "会议 #1 党员大会\n时间：今天（11月30日 周一）15:00–17:00\n主题：学习党章\n"
            "到 2/4，迟到 1，缺席 2\n名单请私聊我发「会议 1」。"
        )
        chat.says_privately("会议 1").answers(
            "会议 #1 党员大会\n时间：今天（11月30日 周一）15:00–17:00\n主题：学习党章\n"
            "到 2/4，迟到 1，缺席 2\n到：张三、李四（迟到）\n请假：无\n缺席：王五、赵六"
        )


async def test_到_in_a_chat_of_another_branch(app: App, clock: FixedClock) -> None:
    from bot.branch import branch_of
    from bot.roster.importing import import_roster
    from tests.roster.files import csv_bytes

    await branch()
    other = await branch_of("qq", str(OTHER_GROUP))
    rows = [["孙八", "3001", "正式党员", "", "书记", "", ""]]
    await import_roster(other.id, "名册.csv", csv_bytes(rows))
    async with conversation(app) as chat:
        chat.says("会议 党员大会 今天10点", group_id=OTHER_GROUP, user_id=3001).answers(
            _scheduled(1, "党员大会", "今天（11月30日 周一）10:00–12:00", "1人", "")
        )
        chat.says("到", group_id=OTHER_GROUP).answers(
            "你在别的支部的名册上，本群的会议 #1不记你的签到。"
        )
        chat.says("到", group_id=OTHER_GROUP)  # told once
        chat.says("到")  # his own branch has nothing: chat


async def test_leave_asked_approved_once_and_refused_after_the_start(
    app: App, clock: FixedClock
) -> None:
    await branch()
    to_officer = (
        "【请假 #1】李四 请假：会议 #1 党员大会，明天（12月1日 周二）15:00\n原因：出差在外地\n"
        "回复「批准 1」或「不批准 1」。"
    )
    async with conversation(app) as chat:
        chat.says_privately("请假 出差", user_id=MEMBER_2).answers(
            "近期没有需要你参加的会议，不用请假。"
        )
        chat.says("会议 党员大会 明天15点 学习党章").answers(
            _scheduled(1, "党员大会", "明天（12月1日 周二）15:00–17:00", "4人，其中1人未绑定QQ")
        )
        chat.says_privately("请假", user_id=MEMBER_2).answers(
            "请写上请假原因。\n例：请假 出差在外地"
        )
        chat.says_privately("请假 出差在外地", user_id=MEMBER_2).answers(
            "已提交请假 #1：会议 #1 党员大会，明天（12月1日 周二）15:00。支委处理后私聊告诉你。"
        ).asks("send_private_msg", {"user_id": MEMBER, "message": reply(to_officer)}, OK).asks(
            "send_private_msg", {"user_id": MEMBER_3, "message": reply(to_officer)}, OK
        )
        chat.says_privately("请假 还是出差", user_id=MEMBER_2).answers(
            "你已为会议 #1请过假（#1，等支委批准）。"
        )
        chat.says_privately("请假 出差", user_id=OUTSIDER).answers(
            "你的QQ还没有绑定名册，请假记不到你名下。请先发送「绑定 你的姓名」。"
        )
        chat.says("批准 1", user_id=MEMBER_2).answers(ADMIN_ONLY.format("批准"))
        chat.says_privately("批准 1", user_id=ACTIVIST).answers(ADMIN_ONLY.format("批准"))
        chat.says_privately("批准 9").answers("本支部没有编号为 9 的请假。")
        chat.says_privately("批准 abc").answers(
            "编号是请假的数字（支委收到的请假通知里有）。\n例：批准 3"
        )
        chat.says_privately("批准 1").answers("已批准请假 #1（李四），会私聊告诉本人。").asks(
            "send_private_msg",
            {
                "user_id": MEMBER_2,
                "message": reply(
                    "你的请假 #1 已批准：会议 #1 党员大会（12月1日（周二）15:00）。"
                    "会后可发「补学 1 学习心得」补学。"
                ),
            },
            OK,
        )
        chat.says_privately("不批准 1", user_id=MEMBER_3).answers(
            "请假 #1 已经处理过（已批准），没有改动。"
        )
    clock.advance(timedelta(days=1, hours=5, minutes=40))  # 15:10 tomorrow
    async with conversation(app) as chat:
        chat.says("请假 临时有事", user_id=MEMBER_3).answers(
            "会议 #1 党员大会 已经开始，不能再请假了。会后可发「补学 1 学习心得」补学。"
        )


async def test_补学_and_补登_after_the_meeting(app: App, clock: FixedClock) -> None:
    await branch()
    async with conversation(app) as chat:
        chat.says("会议 党员大会 今天10点 学习党章").answers(
            _scheduled(1, "党员大会", "今天（11月30日 周一）10:00–12:00", "4人，其中1人未绑定QQ")
        )
        chat.says("到").answers("✅ 会议 #1 已签到")
        chat.says("补学 1 学习了党章", user_id=MEMBER_2).answers(
            "会议 #1 还没结束（12:00结束），结束后没参加的可以补学。"
        )
    clock.advance(timedelta(hours=3))
    async with conversation(app) as chat:
        chat.says("补学 1 学习了党章").answers("你参加了会议 #1，不用补学。")
        chat.says("补学 1").answers(
            "请写会议编号和学习心得。\n例：补学 12 学习了会议精神，体会是……"
        )
        chat.says("补学 9 心得", user_id=MEMBER_2).answers(
            "本支部没有编号为 9 的会议。发「会议」看列表。"
        )
        chat.says("补学 1 心得", user_id=ACTIVIST).answers(
            "会议 #1（党员大会）没有要求你参加，不用补学。"
        )
        chat.says_privately("补学 1 学习了党章，体会很深。", user_id=MEMBER_2).answers(
            "✅ 已记录会议 #1的补学心得。"
        )
        chat.says_privately("补学 1 再写一遍", user_id=MEMBER_2).answers(
            "你已在11月30日（周一）12:30记录过会议 #1的补学，不用再发。"
        )
        chat.says("补登 1 王五 到", user_id=MEMBER_2).answers(ADMIN_ONLY.format("补登"))
        chat.says("补登 1 王五").answers(
            "请写会议编号、姓名和「到」或「请假」。\n例：补登 12 张三 到"
        )
        chat.says("补登 1 无名 到").answers("本支部名册里没有「无名」。")
        chat.says("补登 1 钱七 到").answers("此人不在会议 #1（党员大会）的应到名单里。")
        chat.says("补登 1 王五 到").answers("已补登会议 #1：1人 到（记为支委补登）。")
        chat.says("补登 1 王五 到").answers("会议 #1 这条记录本来就有，没有改动。")
        chat.says("补登 1 王五 请假").answers("此人已在会议 #1签到，不能再登记请假。")
        chat.says_privately("补登 1 赵六 请假").answers(
            "已补登会议 #1：赵六 请假（记为支委补登）。"
        )
        chat.says_privately("会议 1").answers(
            "会议 #1 党员大会\n时间：今天（11月30日 周一）10:00–12:00\n主题：学习党章\n"
            "到 2/4，请假 1，缺席 1，补学 1\n到：张三、王五（补登）\n请假：赵六\n"
            "缺席：李四（已补学）"
        )


async def test_move_and_cancel(app: App, clock: FixedClock) -> None:
    await branch()
    async with conversation(app) as chat:
        chat.says("会议 党课 明天15点").answers(
            _scheduled(1, "党课", "明天（12月1日 周二）15:00–17:00", "4人，其中1人未绑定QQ", "")
        )
        chat.says("修改会议 1 后天9点").answers(
            "会议 #1 党课 改到 后天（12月2日 周三）09:00–11:00，提醒随之调整。"
        )
        chat.says("修改会议 1 今天9点").answers(
            "今天（11月30日 周一）09:00已经过了，请写一个以后的时间。\n例：修改会议 12 周四15点"
        )
        chat.says("修改会议 9 后天9点").answers("本支部没有编号为 9 的会议。发「会议」看列表。")
        chat.says("修改会议 后天9点").answers("编号是会议的数字。\n例：修改会议 12 周四15点")
        chat.says("取消会议 1", user_id=MEMBER_2).answers(ADMIN_ONLY.format("取消会议"))
        chat.says("取消会议 1").answers("会议 #1 党课（12月2日（周三）09:00）已取消，不再提醒。")
        chat.says("取消会议 1").answers("会议 #1 已经取消了。")
        chat.says("修改会议 1 后天10点").answers("会议 #1 已经取消了。")
        chat.says("会议").answers(
            "近期没有会议。安排会议：会议 党员大会 周五15点 学习二十届三中全会精神"
        )


async def test_the_core_回执_counts_a_meeting_and_催办_leaves_it_alone(
    app: App, clock: FixedClock
) -> None:
    await branch()
    async with conversation(app) as chat:
        chat.says("会议 支委会 今天10点").answers(
            _scheduled(1, "支委会", "今天（11月30日 周一）10:00–12:00", "2人", "")
        )
        chat.says("到").answers("✅ 会议 #1 已签到")
        chat.says("到", user_id=MEMBER_2).answers("会议 #1（支委会）不需要你签到。")
        chat.says("收到 1").answers("没有编号为 1 的通知。发送「收到」确认最新一条。")
        chat.says("催办 1").answers("会议 #1 不用「收到」确认，不能催办。")
        chat.says("回执 1").answers(
            "会议 #1「支委会」\n截止：11月30日（周一）10:00\n对象：支委，已确认 1/2\n"
            "未确认 1 人。名单请私聊我发送「回执 1」。"
        )


async def test_reminders_once_moved_and_none_after_cancel(app: App, clock: FixedClock) -> None:
    from plugins.meeting import jobs

    await branch()
    start = clock.now()
    async with conversation(app) as chat:
        chat.says("会议 党员大会 后天15点 学习党章").answers(
            _scheduled(1, "党员大会", "后天（12月2日 周三）15:00–17:00", "4人，其中1人未绑定QQ")
        )
    tail = f"会议 #1：{WINDOW}；不能参加请发「请假 原因」。"
    async with app.test_api() as ctx:
        ctx.create_bot(base=Bot, self_id=SELF_ID)
        assert await jobs.remind_pass(start + timedelta(hours=1)) == 0  # not yet
        ctx.should_call_api("get_group_list", {}, [{"group_id": GROUP}])
        ctx.should_call_api(
            "send_group_msg",
            {
                "group_id": GROUP,
                "message": reply(
                    "【会议提醒】明天（12月2日 周三）15:00–17:00 党员大会\n主题：学习党章\n" + tail
                ),
            },
            OK,
        )
        day_before = start + timedelta(days=1, hours=5, minutes=30)  # Tue 15:00
        assert await jobs.remind_pass(day_before) == 1
        assert await jobs.remind_pass(day_before + timedelta(minutes=5)) == 0  # once
    clock.set(day_before)
    async with conversation(app) as chat:
        chat.says("修改会议 1 明天16点").answers(
            "会议 #1 党员大会 改到 明天（12月2日 周三）16:00–18:00，提醒随之调整。"
        )
    async with app.test_api() as ctx:
        ctx.create_bot(base=Bot, self_id=SELF_ID)
        ctx.should_call_api("get_group_list", {}, [{"group_id": GROUP}])  # a new connection
        ctx.should_call_api(
            "send_group_msg",
            {
                "group_id": GROUP,
                "message": reply(
                    "【会议提醒】明天（12月2日 周三）16:00–18:00 党员大会\n主题：学习党章\n" + tail
                ),
            },
            OK,
        )
        assert await jobs.remind_pass(day_before + timedelta(hours=1)) == 1  # the moved time
        ctx.should_call_api(
            "send_group_msg",
            {
                "group_id": GROUP,
                "message": reply(
                    "【会议提醒】今天（12月2日 周三）16:00–18:00 党员大会\n主题：学习党章\n" + tail
                ),
            },
            OK,
        )
        soon = day_before + timedelta(days=1, minutes=35)  # Wed 15:35
        assert await jobs.remind_pass(soon) == 1
        assert await jobs.remind_pass(soon + timedelta(minutes=1)) == 0
    async with conversation(app) as chat:
        chat.says("会议 党课 周五15点").answers(
            _scheduled(2, "党课", "12月4日（周五）15:00–17:00", "4人，其中1人未绑定QQ", "")
        )
        chat.says("取消会议 2").answers("会议 #2 党课（12月4日（周五）15:00）已取消，不再提醒。")
    async with app.test_api() as ctx:
        ctx.create_bot(base=Bot, self_id=SELF_ID)
        # Thursday 15:05, when its day-before reminder would be due: cancelled, none.
        assert await jobs.remind_pass(soon + timedelta(days=1, minutes=-30)) == 0


async def test_leave_with_no_officer_reachable_says_so(app: App, clock: FixedClock) -> None:
    from nonebot_plugin_orm import get_session
    from sqlalchemy import update

    from bot.roster.models import Person

    await branch()
    async with get_session() as session, session.begin():  # 赵六 is no officer any more
        await session.execute(update(Person).where(Person.name == "赵六").values(office=""))
    async with conversation(app) as chat:
        chat.says("会议 党课 明天15点").answers(
            _scheduled(1, "党课", "明天（12月1日 周二）15:00–17:00", "4人，其中1人未绑定QQ", "")
        )
        chat.says("请假 家里有事").answers(  # 张三, the only officer, asks himself
            "已提交请假 #1：会议 #1 党课，明天（12月1日 周二）15:00。支委处理后私聊告诉你。"
            "\n（名册里没有能私聊到的支委，请直接告诉书记。）"
        )


async def test_a_reminder_waits_while_no_account_is_in_the_group(
    app: App, clock: FixedClock
) -> None:
    from plugins.meeting import jobs

    await branch()
    async with conversation(app) as chat:
        chat.says("会议 党课 后天15点").answers(
            _scheduled(1, "党课", "后天（12月2日 周三）15:00–17:00", "4人，其中1人未绑定QQ", "")
        )
    due = clock.now() + timedelta(days=1, hours=6)
    async with app.test_api() as ctx:
        ctx.create_bot(base=Bot, self_id=SELF_ID)
        ctx.should_call_api("get_group_list", {}, [])
        assert await jobs.remind_pass(due) == 0  # not claimed: it waits
    from bot import outbox

    outbox.forget_group_lists()
    async with app.test_api() as ctx:
        ctx.create_bot(base=Bot, self_id=SELF_ID)
        ctx.should_call_api("get_group_list", {}, [{"group_id": GROUP}])
        ctx.should_call_api(
            "send_group_msg",
            {
                "group_id": GROUP,
                "message": reply(
                    "【会议提醒】明天（12月2日 周三）15:00–17:00 党课\n"
                    f"会议 #1：{WINDOW}；不能参加请发「请假 原因」。"
                ),
            },
            OK,
        )
        assert await jobs.remind_pass(due + timedelta(minutes=1)) == 1


async def test_a_relative_start_is_on_the_minute(app: App, clock: FixedClock) -> None:
    """`20分钟后` said at 09:30:46 is a meeting at 09:50, not 09:50:46."""
    await branch()
    clock.advance(timedelta(seconds=46))
    async with conversation(app) as chat:
        chat.says("会议 党员大会 20分钟后 学习党章").answers(
            _scheduled(1, "党员大会", "今天（11月30日 周一）09:50–11:50", "4人，其中1人未绑定QQ")
        )
