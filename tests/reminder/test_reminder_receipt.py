"""`提醒 … 回执`: a group reminder whose every firing asks for a receipt — the command, the
subject each firing makes (once), and 收到 / 回执 / 催办 on it."""

from __future__ import annotations

import re
from datetime import timedelta

from nonebot.adapters.onebot.v11 import Bot, Message, MessageSegment
from nonebug import App

from bot.clock import FixedClock
from tests.chat import OK, conversation
from tests.fake import ADMIN, GROUP, MEMBER, MEMBER_2, OTHER_GROUP, SELF_ID, reply
from tests.roster.files import csv_bytes

ROWS = [
    ["张三", str(MEMBER), "正式党员", "第一党小组", "书记", "2010-07-01", "2011-07-01"],
    ["李四", str(MEMBER_2), "预备党员", "第一党小组", "", "2026-07-01", ""],
    ["王五", "", "入党积极分子", "", "", "", ""],
]
RECEIPT_LINE = "每次提醒时请大家回复「收到」，发「回执」看谁还没确认"
MEMBER_INFO = {"group_id": GROUP, "user_id": int(SELF_ID), "no_cache": True}


async def _import() -> int:
    from bot.branch import branch_of
    from bot.roster.importing import import_roster

    branch = await branch_of("qq", str(GROUP))
    report = await import_roster(branch.id, "名册.csv", csv_bytes(ROWS))
    assert report.written, report.errors
    return branch.id


class Numbered:
    """A sent plain-text message equal to `template`, where `{n}` stands for the receipt
    number the bot chose (a database id: not predictable on PostgreSQL); keeps the number."""

    def __init__(self, template: str) -> None:
        self._pattern = re.compile(re.escape(template).replace(re.escape("{n}"), r"(\d+)"))
        self.number: int | None = None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Message) or [s.type for s in other] != ["text"]:
            return False
        found = self._pattern.fullmatch(other.extract_plain_text())
        if found is None:
            return False
        if self.number is not None and int(found.group(1)) != self.number:
            return False
        self.number = int(found.group(1))
        return True

    def __hash__(self) -> int:
        return id(self)

    def __repr__(self) -> str:
        return f"Numbered({self._pattern.pattern!r})"


# --- the command ---------------------------------------------------------------------------


async def test_an_officer_asks_for_a_receipt(app: App, clock: FixedClock) -> None:
    await _import()
    async with conversation(app) as chat:
        chat.says("提醒 明天下午3点 支委会 回执").answers(
            "✅ 已设置提醒 #1\n时间：明天（12月1日 周二）15:00\n内容：支委会（需回执）\n"
            f"{RECEIPT_LINE}\n发「提醒列表」查看，「取消提醒 1」取消"
        )
        chat.admin_says("提醒 每周五15:00 三会一课学习 需回执").answers(
            "✅ 已设置提醒 #2\n时间：每周五 15:00\n内容：三会一课学习（需回执）\n"
            "接下来：12月4日（周五）15:00；12月11日（周五）15:00；12月18日（周五）15:00\n"
            f"{RECEIPT_LINE}\n发「提醒列表」查看，「取消提醒 2」取消"
        )
        chat.admin_says("提醒 明天上午9点 交回执").answers(  # one word: the content
            "✅ 已设置提醒 #3\n时间：明天（12月1日 周二）09:00\n内容：交回执\n"
            "发「提醒列表」查看，「取消提醒 3」取消"
        )
        chat.admin_says("提醒 明天上午10点 回执").answers(
            "时间「明天上午10点」后面请写上提醒内容。\n例：提醒 明天上午10点 支委会"
        )
        chat.admin_says("修改提醒 3 后天上午9点 要回执").answers(
            "✅ 已修改提醒 #3\n时间：后天（12月2日 周三）09:00\n内容：交回执（需回执）\n"
            f"{RECEIPT_LINE}\n发「提醒列表」查看，「取消提醒 3」取消"
        )
        chat.admin_says("修改提醒 3 后天上午10点").answers(  # kept
            "✅ 已修改提醒 #3\n时间：后天（12月2日 周三）10:00\n内容：交回执（需回执）\n"
            f"{RECEIPT_LINE}\n发「提醒列表」查看，「取消提醒 3」取消"
        )
        chat.says("提醒列表", user_id=MEMBER_2).answers(
            "本群提醒（3条）：\n#1 明天（12月1日 周二）15:00\n　支委会（需回执）\n"
            "#2 每周五 15:00，下次12月4日（周五）15:00\n　三会一课学习（需回执）\n"
            "#3 后天（12月2日 周三）10:00\n　交回执（需回执）\n"
            "管理：取消提醒 编号 / 暂停提醒 编号 / 恢复提醒 编号 / 修改提醒 编号 时间"
        )
    from plugins.reminder.service import reminders

    assert [v.receipt for v in await reminders("group", str(GROUP))] == [True, True, True]


async def test_a_receipt_with_at_all_in_either_order(app: App, clock: FixedClock) -> None:
    await _import()
    at_all = Message(
        [
            MessageSegment.text("提醒 每月1号9点 交党费 "),
            MessageSegment.at("all"),
            MessageSegment.text(" 回执"),
        ]
    )
    async with conversation(app) as chat:
        chat.admin_says("提醒 明天下午3点 支委会 回执 @全体").asks(
            "get_group_member_info", MEMBER_INFO, {"role": "member"}
        ).answers(
            "✅ 已设置提醒 #1\n时间：明天（12月1日 周二）15:00\n内容：支委会（需回执）\n"
            "注意：机器人不是本群管理员，到时无法@全体，会在提醒里说明\n"
            f"{RECEIPT_LINE}\n发「提醒列表」查看，「取消提醒 1」取消"
        )
        chat.admin_says("提醒 明天下午4点 党课 @全体 回执").asks(
            "get_group_member_info", MEMBER_INFO, {"role": "admin"}
        ).asks("get_group_at_all_remain", {"group_id": GROUP}, {"can_at_all": True}).answers(
            "✅ 已设置提醒 #2\n时间：明天（12月1日 周二）16:00\n内容：党课（需回执）\n"
            f"到时会@全体成员\n{RECEIPT_LINE}\n发「提醒列表」查看，「取消提醒 2」取消"
        )
        chat.admin_says(at_all).asks("get_group_member_info", MEMBER_INFO, {"role": "admin"}).asks(
            "get_group_at_all_remain", {"group_id": GROUP}, {"can_at_all": True}
        ).answers(
            "✅ 已设置提醒 #3\n时间：每月1号 09:00\n内容：交党费（需回执）\n"
            "接下来：明天（12月1日 周二）09:00；2027年1月1日（周五）09:00；2027年2月1日（周一）09:00\n"
            f"到时会@全体成员\n{RECEIPT_LINE}\n发「提醒列表」查看，「取消提醒 3」取消"
        )
        chat.says("提醒列表").answers(
            "本群提醒（3条）：\n#1 明天（12月1日 周二）15:00\n　支委会（@全体）（需回执）\n"
            "#2 明天（12月1日 周二）16:00\n　党课（@全体）（需回执）\n"
            "#3 每月1号 09:00，下次明天（12月1日 周二）09:00\n　交党费（@全体）（需回执）\n"
            "管理：取消提醒 编号 / 暂停提醒 编号 / 恢复提醒 编号 / 修改提醒 编号 时间"
        )


async def test_refused_in_private_and_without_a_roster(app: App, clock: FixedClock) -> None:
    private = (
        "回执只能在支部群里收：私聊的提醒只提醒你自己，请在群里设要回执的提醒。\n"
        "例：提醒 明天下午3点 支委会 回执"
    )
    no_roster = (
        "本支部还没有名册，没法统计谁该回执。"
        "请先上传名册表格（姓名、QQ、状态、党小组…），再设要回执的提醒。"
    )
    await _import()
    async with conversation(app) as chat:
        chat.says_privately("提醒 明天下午3点 交材料 回执").answers(private)
        chat.says_privately("提醒 明天下午3点 交材料 需回执 @全体").answers(private)
        chat.says_privately("提醒 明天下午3点 交材料").answers(
            "✅ 已设置提醒 #1\n时间：明天（12月1日 周二）15:00\n内容：交材料\n"
            "发「提醒列表」查看，「取消提醒 1」取消"
        )
        chat.says_privately("修改提醒 1 明天下午4点 回执").answers(private)
        chat.admin_says("提醒 明天下午3点 支委会 回执", group_id=OTHER_GROUP).answers(no_roster)
        chat.admin_says("提醒 明天下午3点 支委会", group_id=OTHER_GROUP).answers(
            "✅ 已设置提醒 #1\n时间：明天（12月1日 周二）15:00\n内容：支委会\n"
            "发「提醒列表」查看，「取消提醒 1」取消"
        )
        chat.admin_says("修改提醒 1 明天下午4点 回执", group_id=OTHER_GROUP).answers(no_roster)
        chat.says("提醒 明天下午3点 支委会 回执", user_id=MEMBER_2).answers(
            "在群里只有群主、群管理员和支委可以设提醒。想提醒自己，请私聊我，例：提醒 明天上午9点 交材料"
        )
    from plugins.reminder.service import reminders

    assert [v.receipt for v in await reminders("private", str(MEMBER))] == [False]
    assert [v.receipt for v in await reminders("group", str(OTHER_GROUP))] == [False]
    assert await reminders("group", str(GROUP)) == []


# --- firing --------------------------------------------------------------------------------


async def test_a_firing_asks_for_receipts_and_收到_回执_催办_work_on_it(
    app: App, clock: FixedClock
) -> None:
    from plugins.reminder.jobs import run_pass

    await _import()
    async with conversation(app) as chat:
        chat.says("提醒 30分钟后 支委会 回执").answers(
            "✅ 已设置提醒 #1\n时间：今天（11月30日 周一）10:00\n内容：支委会（需回执）\n"
            f"{RECEIPT_LINE}\n发「提醒列表」查看，「取消提醒 1」取消"
        )
    fired = Numbered(
        "⏰ 提醒：支委会\n#1 · 一次性 · 发「提醒列表」查看\n看过请回复「收到」（编号 #{n}）。"
    )
    clock.advance(timedelta(minutes=30))
    async with app.test_api() as ctx:
        ctx.create_bot(base=Bot, self_id=SELF_ID)
        ctx.should_call_api("get_group_list", {}, [{"group_id": GROUP}])
        ctx.should_call_api("send_group_msg", {"group_id": GROUP, "message": fired}, OK)
        assert (await run_pass()).claimed == 1
    n = fired.number
    assert n is not None
    nudge = f"提醒：提醒 #{n} 还没有收到你的回执。\n支委会\n看过请回复「收到 {n}」。"
    clock.advance(timedelta(minutes=5))
    async with conversation(app) as chat:
        chat.says("收到", user_id=MEMBER_2).answers(f"✅ 已确认提醒 #{n}")
        chat.says("收到", user_id=MEMBER_2).answers(
            f"提醒 #{n} 你已在11月30日（周一）10:05确认过，已记录，不用再发。"
        )
        chat.says(f"回执 {n}").answers(
            f"提醒 #{n}「支委会」\n对象：全体，已确认 1/3\n"
            f"未确认 2 人。名单请私聊我发送「回执 {n}」，私聊提醒他们发送「催办 {n}」。"
        )
        chat.says("回执").answers(  # the newest open one
            f"提醒 #{n}「支委会」\n对象：全体，已确认 1/3\n"
            f"未确认 2 人。名单请私聊我发送「回执 {n}」，私聊提醒他们发送「催办 {n}」。"
        )
        chat.says(f"催办 {n}").answers(
            f"提醒 #{n} 已确认 1/3。正在私聊催办 1 人，马上发完。1 人没有绑定QQ，无法私聊。"
        ).asks("send_private_msg", {"user_id": MEMBER, "message": reply(nudge)}, OK)
        chat.says_privately(f"收到 {n}").answers(f"✅ 已确认提醒 #{n}")
    from bot.receipts import REMINDER, subject

    found = await subject(n)
    assert found is not None
    assert (found.kind, found.title, found.deadline, found.audience) == (
        REMINDER,
        "支委会",
        None,
        None,
    )
    assert found.origin == str(GROUP)
    assert found.created_by == f"qq:{MEMBER}"
    fire_at = clock.now() - timedelta(minutes=5)
    assert found.closed_at == fire_at + timedelta(days=7)
    # A week after the firing its receipts are closed: a bare 收到 is ordinary chat again.
    clock.set(fire_at + timedelta(days=7))
    async with conversation(app) as chat:
        chat.says("收到")
        chat.says(f"收到 {n}").answers(f"提醒 #{n} 已结束，不再收回执。")


async def test_a_firing_delivered_twice_makes_one_subject(app: App, clock: FixedClock) -> None:
    """A retried or taken-over delivery of the same firing names the same number."""
    from nonebot_plugin_orm import get_session
    from sqlalchemy import func, select

    from bot.receipts.models import Subject
    from bot.when import parse
    from plugins.reminder import firings, service
    from plugins.reminder.delivery import Postman

    await _import()
    await service.create(
        "group", str(GROUP), bot_id=SELF_ID, creator_id=str(ADMIN),
        schedule=parse("每天10点 x", clock.now()).schedule, content="晨读", receipt=True,
        limit=30,
    )  # fmt: skip
    clock.advance(timedelta(minutes=30))
    batch = await firings.claim_due(
        clock.now(), grace=timedelta(minutes=10), lease=timedelta(minutes=1), owner="t"
    )
    (claim,) = batch.claims
    assert (claim.receipt, claim.creator_id) == (True, str(ADMIN))
    fired = Numbered(
        "⏰ 提醒：晨读\n#1 · 每天 10:00 · 发「提醒列表」查看\n看过请回复「收到」（编号 #{n}）。"
    )
    postman = Postman()
    async with app.test_api() as ctx:
        ctx.create_bot(base=Bot, self_id=SELF_ID)
        ctx.should_call_api("get_group_list", {}, [{"group_id": GROUP}])
        ctx.should_call_api("send_group_msg", {"group_id": GROUP, "message": fired}, OK)
        ctx.should_call_api("send_group_msg", {"group_id": GROUP, "message": fired}, OK)
        assert (await postman.deliver(claim, clock.now())).status == "sent"
        clock.advance(timedelta(minutes=1))
        assert (await postman.deliver(claim, clock.now())).status == "sent"
    async with get_session() as session:
        assert await session.scalar(select(func.count()).select_from(Subject)) == 1
