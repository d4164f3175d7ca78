"""提醒 and its companions as admins, members and private users see them."""

from __future__ import annotations

from datetime import timedelta

from nonebot.adapters.onebot.v11 import Bot, Message, MessageSegment
from nonebug import App

from bot.clock import FixedClock
from tests.chat import OK, conversation
from tests.fake import ADMIN, GROUP, MEMBER, OWNER, SELF_ID, reply


async def test_admin_sets_one_off_and_recurring(app: App, clock: FixedClock) -> None:
    async with conversation(app) as chat:
        chat.admin_says("提醒 明天下午3点 支委会").answers(
            "✅ 已设置提醒 #1\n时间：明天（12月1日 周二）15:00\n内容：支委会\n"
            "发「提醒列表」查看，「取消提醒 1」取消"
        )
        chat.admin_says("/提醒 每周一三五 7:30 晨读").answers(
            "✅ 已设置提醒 #2\n时间：每周一、三、五 07:30\n内容：晨读\n"
            "接下来：后天（12月2日 周三）07:30；12月4日（周五）07:30；12月7日（周一）07:30\n"
            "发「提醒列表」查看，「取消提醒 2」取消"
        )
        chat.says("设提醒 每月最后一天 交党费统计", user_id=OWNER, role="owner").answers(
            "✅ 已设置提醒 #3\n时间：每月最后一天 09:00（没写几点，按09:00）\n内容：交党费统计\n"
            "接下来：12月31日（周四）09:00；2027年1月31日（周日）09:00；2027年2月28日（周日）09:00\n"
            "发「提醒列表」查看，「取消提醒 3」取消"
        )


async def test_working_days_beyond_the_holiday_data_say_so(app: App, clock: FixedClock) -> None:
    from datetime import UTC, datetime

    clock.set(datetime(2026, 12, 30, 2, 0, tzinfo=UTC))  # Wednesday 10:00
    async with conversation(app) as chat:
        chat.admin_says("提醒 工作日8:30 打卡").answers(
            "✅ 已设置提醒 #1\n时间：工作日 08:30（按国家法定节假日和调休）\n内容：打卡\n"
            "接下来：明天（12月31日 周四）08:30；2027年1月4日（周一）08:30；2027年1月5日（周二）08:30\n"
            "（2027年放假安排尚未公布，暂按周一至周五、避开元旦五一国庆）\n"
            "发「提醒列表」查看，「取消提醒 1」取消"
        )


async def test_member_in_group_is_told_who_may(app: App, clock: FixedClock) -> None:
    async with conversation(app) as chat:
        chat.says("提醒 明天下午3点 开会").answers(
            "在群里只有群主、群管理员和支委可以设提醒。想提醒自己，请私聊我，例：提醒 明天上午9点 交材料"
        )
        for command in ("取消提醒 1", "暂停提醒 1", "恢复提醒 1", "修改提醒 1 明天"):
            name = command.split(" ")[0]
            chat.says(command).answers(
                f"「{name}」在群里只有群主、群管理员和支委可以使用。发「提醒列表」查看本群提醒"
            )
        chat.says("提醒模板").answers(
            "「提醒模板」只有群主、群管理员、支委或机器人超级管理员可以使用。"
        )
    from plugins.reminder.service import reminders

    assert await reminders("group", str(GROUP)) == []


async def test_anyone_reminds_themselves_in_private(app: App, clock: FixedClock) -> None:
    async with conversation(app) as chat:
        chat.says_privately("提醒 30分钟后 交材料 @全体").answers(
            "✅ 已设置提醒 #1\n时间：今天（11月30日 周一）10:00\n内容：交材料\n"
            "私聊提醒不能@全体，已忽略\n发「提醒列表」查看，「取消提醒 1」取消"
        )
        chat.says_privately("提醒列表").answers(
            "你的提醒（1条）：\n#1 今天（11月30日 周一）10:00\n　交材料\n"
            "管理：取消提醒 编号 / 暂停提醒 编号 / 恢复提醒 编号 / 修改提醒 编号 时间"
        )
        chat.says_privately("取消提醒 1").answers(
            "已取消提醒 #1（交材料）。发「提醒列表」查看其余提醒"
        )
        chat.says_privately("提醒列表", user_id=MEMBER + 1).answers(
            "你还没有提醒。例：提醒 明天上午9点 交材料"
        )


async def test_unreadable_past_and_odd_input_get_examples(app: App, clock: FixedClock) -> None:
    examples = (
        "可以这样写（时间在前，内容在后）：\n· 提醒 明天下午3点 支委会\n· 提醒 30分钟后 开会\n"
        "· 提醒 每周五15:00 三会一课学习\n· 提醒 每月1号9点 交党费\n· 提醒 工作日8:30 打卡\n"
        "发「帮助 提醒」看全部写法"
    )
    cases = [
        (
            "提醒",
            "请写上时间和内容。可以这样写：\n· 提醒 明天下午3点 支委会\n· 提醒 30分钟后 开会\n"
            "· 提醒 每周五15:00 三会一课学习\n· 提醒 每月1号9点 交党费\n· 提醒 工作日8:30 打卡",
        ),
        ("提醒 开会 明天3点", f"看不懂时间「开会」。\n{examples}"),
        ("提醒 2月30日 开会", f"「2月30日」用不了：2月没有30日。\n{examples}"),
        (
            "提醒 今天上午9点 开会",
            "「今天上午9点」是今天（11月30日 周一）09:00，已经过去了（现在今天（11月30日 周一）09:30）。\n"
            "换个将来的时间，例如：\n· 提醒 明天上午9点 开会\n· 提醒 30分钟后 开会",
        ),
        (
            "提醒 明天下午3点",
            "时间「明天下午3点」后面请写上提醒内容。\n例：提醒 明天下午3点 支委会",
        ),
        (
            "提醒 明天下午3点 " + "会" * 201,
            "提醒内容最多200字，这条有201字，请精简后再发。\n例：提醒 明天下午3点 支委会",
        ),
        (
            "提醒 cron */5 * * * * 喝水",
            "重复提醒的间隔不能少于60分钟（这条最短只隔5分钟）。\n例：提醒 每天8点 学习强国",
        ),
        ("取消提醒", "请写上提醒编号（发「提醒列表」查看）。\n例：取消提醒 1"),
        ("暂停提醒 一", "请写上提醒编号（发「提醒列表」查看）。\n例：暂停提醒 1"),
        ("恢复提醒 7", "本群没有编号为 7 的提醒。发「提醒列表」查看编号"),
        (
            "提醒模板 春游",
            "没有「春游」这个模板。可选：三会一课、主题党日、党费\n例：提醒模板 三会一课",
        ),
    ]
    async with conversation(app) as chat:
        for text, expected in cases:
            chat.admin_says(text).answers(expected)
        chat.admin_says("提醒明天开会")  # no space after the word: chat, not a command
    from plugins.reminder.service import reminders

    assert await reminders("group", str(GROUP)) == []


async def test_the_issue_s_misreads_are_read_or_refused(app: App, clock: FixedClock) -> None:
    """At the clock the issue measured with (Saturday 16:40): the time words stay in the time,
    the defaults are said, and what is not a time in full is refused with examples."""
    from datetime import UTC, datetime

    clock.set(datetime(2026, 12, 5, 8, 40, tzinfo=UTC))
    cases = [
        (
            "提醒 12月20日下午 党员大会",
            "✅ 已设置提醒 #1\n时间：12月20日（周日）15:00（「下午」没写几点，按15:00）\n"
            "内容：党员大会\n发「提醒列表」查看，「取消提醒 1」取消",
        ),
        (
            "提醒 周五前 交思想汇报",
            "✅ 已设置提醒 #2\n时间：12月10日（周四）09:00（「周五前」：截止前一天提醒）\n"
            "内容：交思想汇报\n发「提醒列表」查看，「取消提醒 2」取消",
        ),
        (
            "提醒 下周一到周五每天9点 培训",
            "✅ 已设置提醒 #3\n时间：12月7日至12月11日 每天 09:00\n内容：培训\n"
            "接下来：后天（12月7日 周一）09:00；12月8日（周二）09:00；12月9日（周三）09:00\n"
            "发「提醒列表」查看，「取消提醒 3」取消",
        ),
        (
            "提醒 明天下午两点到五点 开会",
            "✅ 已设置提醒 #4\n时间：明天（12月6日 周日）14:00–17:00\n内容：开会\n"
            "发「提醒列表」查看，「取消提醒 4」取消",
        ),
        (
            "提醒 明天下午茶话会",
            "看不懂时间「明天下午茶话会」。\n可以这样写（时间在前，内容在后）：\n"
            "· 提醒 明天下午3点 支委会\n· 提醒 30分钟后 开会\n· 提醒 每周五15:00 三会一课学习\n"
            "· 提醒 每月1号9点 交党费\n· 提醒 工作日8:30 打卡\n发「帮助 提醒」看全部写法",
        ),
    ]
    async with conversation(app) as chat:
        for text, expected in cases:
            chat.admin_says(text).answers(expected)


async def test_limit_per_group(app: App, clock: FixedClock) -> None:
    from bot.when import parse
    from plugins.reminder import config, service

    schedule = parse("每天8点 x", clock.now()).schedule
    for _ in range(config.reminder_max_per_chat):
        await service.create(
            "group", str(GROUP), bot_id=SELF_ID, creator_id="1", schedule=schedule,
            content="x", limit=config.reminder_max_per_chat,
        )  # fmt: skip
    async with conversation(app) as chat:
        chat.admin_says("提醒 每天9点 学习").answers(
            "本群已有30条提醒，达到上限30条。先发「取消提醒 编号」删掉不用的，再添加。发「提醒列表」查看"
        )


async def test_list_pause_resume_cancel_edit(app: App, clock: FixedClock) -> None:
    async with conversation(app) as chat:
        chat.admin_says("提醒 每周五15:00 三会一课学习").answers(
            "✅ 已设置提醒 #1\n时间：每周五 15:00\n内容：三会一课学习\n"
            "接下来：12月4日（周五）15:00；12月11日（周五）15:00；12月18日（周五）15:00\n"
            "发「提醒列表」查看，「取消提醒 1」取消"
        )
        chat.admin_says("提醒 12月1日14:30 党课").answers(
            "✅ 已设置提醒 #2\n时间：明天（12月1日 周二）14:30\n内容：党课\n"
            "发「提醒列表」查看，「取消提醒 2」取消"
        )
        steps = [
            ("暂停提醒 1", "已暂停提醒 #1（三会一课学习）。发「恢复提醒 1」恢复"),
            ("暂停提醒 1", "提醒 #1 已经是暂停状态。发「恢复提醒 1」恢复"),
            (
                "提醒列表",
                "本群提醒（2条）：\n#1 【已暂停】每周五 15:00\n　三会一课学习\n"
                "#2 明天（12月1日 周二）14:30\n　党课\n"
                "管理：取消提醒 编号 / 暂停提醒 编号 / 恢复提醒 编号 / 修改提醒 编号 时间",
            ),
            (
                "恢复提醒 1",
                "已恢复提醒 #1（三会一课学习），下次12月4日（周五）15:00。发「提醒列表」查看",
            ),
            (
                "恢复提醒 ＃1",
                "提醒 #1 没有暂停，下次12月4日（周五）15:00。要暂停请发「暂停提醒 1」",
            ),
            (
                "修改提醒 2 明天下午4点 党课改到四点",
                "✅ 已修改提醒 #2\n时间：明天（12月1日 周二）16:00\n内容：党课改到四点\n"
                "发「提醒列表」查看，「取消提醒 2」取消",
            ),
            ("取消提醒 2", "已取消提醒 #2（党课改到四点）。发「提醒列表」查看其余提醒"),
            ("取消提醒 2", "本群没有编号为 2 的提醒。发「提醒列表」查看编号"),
        ]
        for text, expected in steps:
            chat.admin_says(text).answers(expected)
        chat.says("查看提醒").answers(
            "本群提醒（1条）：\n#1 每周五 15:00，下次12月4日（周五）15:00\n　三会一课学习\n"
            "管理：取消提醒 编号 / 暂停提醒 编号 / 恢复提醒 编号 / 修改提醒 编号 时间"
        )


async def test_template_twice_creates_once(app: App, clock: FixedClock) -> None:
    first = (
        "✅ 已创建4条提醒：\n"
        "#1 支委会 · 每月5号 09:00\n"
        "#2 党小组会 · 每月10号 09:00\n"
        "#3 党员大会 · 每季度第一个月（1、4、7、10月）15号 09:00\n"
        "#4 党课 · 每季度第二个月（2、5、8、11月）15号 09:00\n"
        "改时间：修改提醒 1 每月8号15:00；发「提醒列表」查看全部"
    )
    again = (
        "已有4条，未重复创建：\n"
        "#1 支委会 · 每月5号 09:00\n"
        "#2 党小组会 · 每月10号 09:00\n"
        "#3 党员大会 · 每季度第一个月（1、4、7、10月）15号 09:00\n"
        "#4 党课 · 每季度第二个月（2、5、8、11月）15号 09:00\n"
        "改时间：修改提醒 1 每月8号15:00；发「提醒列表」查看全部"
    )
    everything = (
        "✅ 已创建2条提醒：\n"
        "#5 主题党日 · 每月第一个周五 15:00\n"
        "#6 党费 · 每月1号 09:00\n"
        "已有4条，未重复创建：\n"
        "#1 支委会 · 每月5号 09:00\n"
        "#2 党小组会 · 每月10号 09:00\n"
        "#3 党员大会 · 每季度第一个月（1、4、7、10月）15号 09:00\n"
        "#4 党课 · 每季度第二个月（2、5、8、11月）15号 09:00\n"
        "改时间：修改提醒 5 每月8号15:00；发「提醒列表」查看全部"
    )
    async with conversation(app) as chat:
        chat.admin_says("提醒模板 三会一课").answers(first)
        chat.admin_says("提醒模板 三会一课").answers(again)
        chat.admin_says("提醒模板").answers(everything)


async def test_mention_all_asks_the_platform(app: App, clock: FixedClock) -> None:
    member_info = {"group_id": GROUP, "user_id": int(SELF_ID), "no_cache": True}
    at_all = Message([MessageSegment.text("提醒 每月1号9点 交党费 "), MessageSegment.at("all")])
    async with conversation(app) as chat:
        (
            chat.admin_says("提醒 明天下午3点 支委会 @全体")
            .asks("get_group_member_info", member_info, {"role": "member"})
            .answers(
                "✅ 已设置提醒 #1\n时间：明天（12月1日 周二）15:00\n内容：支委会\n"
                "注意：机器人不是本群管理员，到时无法@全体，会在提醒里说明\n"
                "发「提醒列表」查看，「取消提醒 1」取消"
            )
        )
        (
            chat.admin_says(at_all)
            .asks("get_group_member_info", member_info, {"role": "admin"})
            .asks("get_group_at_all_remain", {"group_id": GROUP}, {"can_at_all": True})
            .answers(
                "✅ 已设置提醒 #2\n时间：每月1号 09:00\n内容：交党费\n"
                "接下来：明天（12月1日 周二）09:00；2027年1月1日（周五）09:00；2027年2月1日（周一）09:00\n"
                "到时会@全体成员\n发「提醒列表」查看，「取消提醒 2」取消"
            )
        )


async def test_pushes_go_through_the_outbox_as_text(app: App, clock: FixedClock) -> None:
    """At the minute: the group gets the reminder; @全体 only as the bot's own segment, and
    only when the platform says the bot may; user text stays text."""
    from bot.when import parse
    from plugins.reminder import service
    from plugins.reminder.jobs import run_pass

    for text, mention in (("30分钟后 [CQ:at,qq=all]开会", False), ("31分钟后 交党费", True)):
        parsed = parse(text, clock.now())
        await service.create(
            "group", str(GROUP), bot_id=SELF_ID, creator_id=str(ADMIN), schedule=parsed.schedule,
            content=parsed.content, mention_all=mention, limit=30,
        )  # fmt: skip
    await service.create(
        "private", str(MEMBER), bot_id=SELF_ID, creator_id=str(MEMBER),
        schedule=parse("32分钟后 交材料", clock.now()).schedule, content="交材料", limit=30,
    )  # fmt: skip
    async with app.test_api() as ctx:
        ctx.create_bot(base=Bot, self_id=SELF_ID)
        ctx.should_call_api("get_group_list", {}, [{"group_id": GROUP}])
        ctx.should_call_api(
            "send_group_msg",
            {
                "group_id": GROUP,
                "message": reply("⏰ 提醒：[CQ:at,qq=all]开会\n#1 · 一次性 · 发「提醒列表」查看"),
            },
            OK,
        )
        clock.advance(timedelta(minutes=30))
        assert (await run_pass()).claimed == 1
        ctx.should_call_api(
            "get_group_member_info",
            {"group_id": GROUP, "user_id": int(SELF_ID), "no_cache": True},
            {"role": "admin"},
        )
        ctx.should_call_api("get_group_at_all_remain", {"group_id": GROUP}, {"can_at_all": True})
        ctx.should_call_api(
            "send_group_msg",
            {
                "group_id": GROUP,
                "message": MessageSegment.at("all")
                + MessageSegment.text(" ⏰ 提醒：交党费\n#2 · 一次性 · 发「提醒列表」查看"),
            },
            OK,
        )
        clock.advance(timedelta(minutes=1))
        assert (await run_pass()).claimed == 1
        ctx.should_call_api(
            "send_private_msg",
            {
                "user_id": MEMBER,
                "message": reply("⏰ 提醒：交材料\n#1 · 一次性 · 发「提醒列表」查看"),
            },
            OK,
        )
        clock.advance(timedelta(minutes=1))
        assert (await run_pass()).claimed == 1
    from nonebot_plugin_orm import get_session
    from sqlalchemy import select

    from plugins.reminder.models import Firing

    async with get_session() as session:
        statuses = (await session.scalars(select(Firing.status))).all()
    assert statuses == ["sent", "sent", "sent"]


async def test_when_the_bot_may_not_mention_all_the_text_says_so(
    app: App, clock: FixedClock
) -> None:
    from bot.when import parse
    from plugins.reminder import service
    from plugins.reminder.jobs import run_pass

    await service.create(
        "group", str(GROUP), bot_id=SELF_ID, creator_id=str(ADMIN),
        schedule=parse("30分钟后 x", clock.now()).schedule, content="支委会", mention_all=True,
        limit=30,
    )  # fmt: skip
    clock.advance(timedelta(minutes=30))
    async with app.test_api() as ctx:
        ctx.create_bot(base=Bot, self_id=SELF_ID)
        ctx.should_call_api("get_group_list", {}, [{"group_id": GROUP}])
        ctx.should_call_api(
            "get_group_member_info",
            {"group_id": GROUP, "user_id": int(SELF_ID), "no_cache": True},
            {"role": "admin"},
        )
        ctx.should_call_api("get_group_at_all_remain", {"group_id": GROUP}, {"can_at_all": False})
        ctx.should_call_api(
            "send_group_msg",
            {
                "group_id": GROUP,
                "message": reply(
                    "⏰ 提醒：支委会\n（未能@全体成员：今天的@全体次数已用完）\n#1 · 一次性 · 发「提醒列表」查看"
                ),
            },
            OK,
        )
        await run_pass()


async def test_switched_off_group_gets_no_pushes(app: App, clock: FixedClock) -> None:
    from bot.settings.service import set_enabled
    from bot.when import parse
    from plugins.reminder import REMINDER, service
    from plugins.reminder.jobs import run_pass

    await service.create(
        "group", str(GROUP), bot_id=SELF_ID, creator_id=str(ADMIN),
        schedule=parse("30分钟后 x", clock.now()).schedule, content="开会", limit=30,
    )  # fmt: skip
    await set_enabled(str(GROUP), REMINDER, False, str(ADMIN))
    clock.advance(timedelta(minutes=30))
    async with app.test_api() as ctx:
        ctx.create_bot(base=Bot, self_id=SELF_ID)
        ctx.should_call_api("get_group_list", {}, [{"group_id": GROUP}])
        report = await run_pass()  # and no send
    assert report.claimed == 1
    from nonebot_plugin_orm import get_session
    from sqlalchemy import select

    from plugins.reminder.models import Firing

    async with get_session() as session:
        assert (await session.scalars(select(Firing.status))).all() == ["skipped"]


async def test_settings_show_the_count(app: App, clock: FixedClock) -> None:
    from bot.when import parse
    from plugins.reminder import service

    for _number in (1, 2):
        await service.create(
            "group", str(GROUP), bot_id=SELF_ID, creator_id=str(ADMIN),
            schedule=parse("每天8点 x", clock.now()).schedule, content="晨读", limit=30,
        )  # fmt: skip
    await service.pause("group", str(GROUP), 2)
    from bot.features import get_feature

    feature = get_feature("reminder")
    assert feature is not None
    assert feature.describe is not None
    assert await feature.describe(str(GROUP)) == "1条提醒进行中，1条暂停"
    assert await feature.describe(str(GROUP + 1)) is None
