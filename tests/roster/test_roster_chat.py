"""支部, 名册, 关联支部 and officers as members talk to the bot (nonebug)."""

from __future__ import annotations

from nonebug import App

from bot.clock import FixedClock
from tests.chat import conversation
from tests.fake import ADMIN, GROUP, MEMBER, MEMBER_2, OTHER_GROUP
from tests.roster.files import csv_bytes

ADMIN_ONLY = "「{}」只有群主、群管理员、支委或机器人超级管理员可以使用。"

ROWS = [
    ["张三", str(MEMBER), "正式党员", "第一党小组", "书记", "2010-07-01", "2011-07-01"],
    ["李四", str(MEMBER_2), "预备党员", "第一党小组", "", "2026-07-01", ""],
    ["王五", "", "入党积极分子", "", "", "", ""],
]


async def _import(group: int = GROUP) -> None:
    from bot.branch import branch_of
    from bot.roster.importing import import_roster

    branch = await branch_of("qq", str(group))
    report = await import_roster(branch.id, "名册.csv", csv_bytes(ROWS))
    assert report.written, report.errors


async def test_branch_in_a_group_shows_counts_only(app: App, clock: FixedClock) -> None:
    await _import()
    async with conversation(app) as chat:
        chat.says("支部").answers(
            f"本支部：群{GROUP}的支部\n"
            f"关联的群：群{GROUP}\n"
            "名册：共3人（正式党员1，预备党员1，入党积极分子1）\n"
            "党小组：第一党小组2人，未分组1人\n"
            "未绑定QQ：1人\n"
            "支委可私聊我发「名册」看名单；并入别的支部：关联支部 <群号>"
        )


async def test_an_officer_who_is_no_group_admin_may_use_admin_commands(
    app: App, clock: FixedClock
) -> None:
    await _import()
    async with conversation(app) as chat:
        chat.says("名册", user_id=MEMBER_2).answers(ADMIN_ONLY.format("名册"))
        chat.says("开启 签到", user_id=MEMBER_2).answers(ADMIN_ONLY.format("开启"))
        chat.says("名册", user_id=MEMBER).answers(
            "名册：共3人（正式党员1，预备党员1，入党积极分子1）\n"
            "党小组：第一党小组2人，未分组1人\n"
            "未绑定QQ：1人\n"
            "名单只私聊发给支委：请私聊我发「名册」。"
        )
        chat.says("名册 未绑定", user_id=MEMBER).answers(
            "未绑定QQ的有1人。名单只私聊发给支委：请私聊我发「名册」。"
        )
        chat.says("开启 签到", user_id=MEMBER).answers("已开启「签到」。")
        # An officer of this branch is a plain member in another branch's group.
        chat.says("开启 签到", user_id=MEMBER, group_id=OTHER_GROUP).answers(
            ADMIN_ONLY.format("开启")
        )


async def test_the_list_goes_to_officers_in_private(app: App, clock: FixedClock) -> None:
    await _import()
    async with conversation(app) as chat:
        chat.says_privately("名册", user_id=MEMBER).answers(
            "名册（3人）：\n"
            f"1. 王五 · 入党积极分子 · 入党— · 未绑定\n"
            f"2. 张三 · 正式党员 · 第一党小组 · 书记 · 入党2010-07-01 · 转正2011-07-01 · QQ {MEMBER}\n"
            f"3. 李四 · 预备党员 · 第一党小组 · 入党2026-07-01 · QQ {MEMBER_2}"
        )
        chat.says_privately("名册 未绑定", user_id=MEMBER).answers(
            "未绑定QQ的人（1人）：\n1. 王五 · 入党积极分子 · 入党— · 未绑定"
        )
        chat.says_privately("名册", user_id=MEMBER_2).answers(ADMIN_ONLY.format("名册"))
        chat.says_privately("名册 全部", user_id=MEMBER).answers(
            "「名册」后面只能跟「未绑定」\n例：名册"
        )


async def test_linking_a_group_needs_the_other_branch_to_confirm(
    app: App, clock: FixedClock
) -> None:
    from bot.branch import branch_of
    from bot.branch.service import request_link

    await _import()
    # Learns the next request number (PostgreSQL's sequences do not restart between tests).
    earlier = await request_link("qq", "1002", str(GROUP), "1")
    number = earlier.id + 1
    async with conversation(app) as chat:
        chat.says(f"关联支部 {GROUP}", group_id=OTHER_GROUP).answers(ADMIN_ONLY.format("关联支部"))
        chat.admin_says("关联支部", group_id=OTHER_GROUP).answers(
            "请写上群号\n例：关联支部 123456789"
        )
        chat.admin_says("关联支部 abc", group_id=OTHER_GROUP).answers(
            "群号应是数字，现在是「abc」\n例：关联支部 123456789"
        )
        chat.admin_says(f"关联支部 {OTHER_GROUP}", group_id=OTHER_GROUP).answers(
            "不能关联本群自己\n例：关联支部 123456789"
        )
        chat.admin_says(f"关联支部 {GROUP}", group_id=OTHER_GROUP).answers(
            f"已申请把本群并入群{GROUP}所在的支部（申请 #{number}）。"
            f"请那个支部的书记或群管理员在群{GROUP}里发「确认关联 {number}」。"
        )
    assert (await branch_of("qq", str(OTHER_GROUP))).id != (await branch_of("qq", str(GROUP))).id
    async with conversation(app) as chat:
        # The requesting group's own admin cannot approve it: the request is not theirs.
        chat.admin_says(f"确认关联 {number}", group_id=OTHER_GROUP).answers(
            f"本支部没有编号为 {number} 的关联申请\n例：确认关联 1"
        )
        chat.says("确认关联 999", user_id=MEMBER_2).answers(ADMIN_ONLY.format("确认关联"))
        chat.says("确认关联 999999", user_id=MEMBER).answers(
            "本支部没有编号为 999999 的关联申请\n例：确认关联 1"
        )
        chat.says(f"确认关联 {number}", user_id=MEMBER).answers(
            f"已同意：群{OTHER_GROUP}并入本支部。发「支部」查看。"
        )
        chat.says(f"拒绝关联 {number}", user_id=MEMBER).answers(
            f"关联申请 {number} 已经处理过了\n例：拒绝关联 1"
        )
        chat.says(f"拒绝关联 {earlier.id}", user_id=MEMBER).answers(
            f"已拒绝群1002的关联申请 #{earlier.id}。"
        )
        # The officer now administers the linked group too.
        chat.says("开启 签到", user_id=MEMBER, group_id=OTHER_GROUP).answers("已开启「签到」。")
    assert (await branch_of("qq", str(OTHER_GROUP))).id == (await branch_of("qq", str(GROUP))).id
    _ = ADMIN


async def test_binding_is_asked_by_the_member_and_confirmed_by_an_officer(
    app: App, clock: FixedClock
) -> None:
    from tests.chat import OK
    from tests.fake import reply

    newcomer = 2100
    await _import()
    async with conversation(app) as chat:
        chat.says("绑定", user_id=newcomer).answers("请写上你在名册里的姓名\n例：绑定 张三")
        chat.says("绑定 赵钱孙", user_id=newcomer).answers(
            "本支部名册里没有这个姓名，请写名册上的全名，或请支委把你加进名册\n例：绑定 张三"
        )
        chat.says("绑定 李四", user_id=MEMBER_2).answers(
            "你已经绑定了名册。要换人请先发「解绑」\n例：绑定 张三"
        )
        chat.says("确认绑定 999", user_id=MEMBER).answers(
            "本支部没有编号为 999 的绑定申请\n例：确认绑定 1"
        )
        chat.says("确认绑定 1", user_id=newcomer).answers(ADMIN_ONLY.format("确认绑定"))
    from bot.branch import branch_of
    from bot.roster.binding import decide_bind, request_bind

    branch = await branch_of("qq", str(GROUP))
    earlier = await request_bind(branch.id, "王五", "qq", "2999")
    await decide_bind(earlier.id, branch.id, str(MEMBER), approve=False)
    number = earlier.id + 1
    async with conversation(app) as chat:
        chat.says("绑定 王五", user_id=newcomer, card="小王").asks(
            "send_private_msg",
            {
                "user_id": MEMBER,
                "message": reply(
                    f"绑定申请 #{number}：QQ {newcomer}（小王）说自己是名册里的「王五」。"
                    f"同意发「确认绑定 {number}」，不同意发「拒绝绑定 {number}」。"
                ),
            },
            OK,
        ).answers(f"绑定申请 #{number} 已提交，已私聊通知1位支委。确认后我会私聊告诉你。")
    async with conversation(app) as chat:
        chat.says(f"确认绑定 {number}", user_id=MEMBER).asks(
            "send_private_msg",
            {
                "user_id": newcomer,
                "message": reply(f"你的绑定申请 #{number} 已通过：你的QQ已绑定名册里的「王五」。"),
            },
            OK,
        ).answers(f"已确认绑定申请 #{number}。")
        chat.says(f"拒绝绑定 {number}", user_id=MEMBER).answers(
            f"绑定申请 {number} 已经处理过了\n例：拒绝绑定 1"
        )
        chat.says("解绑 王五", user_id=MEMBER_2).answers(
            "解除别人的绑定只限支委和群管理员。解除你自己的，发「解绑」"
        )
        chat.says("解绑", user_id=newcomer).answers("已解除你的QQ和名册的绑定。")
        chat.says("解绑", user_id=newcomer).answers("你还没有绑定名册，不用解绑。")
        chat.says("解绑 李四", user_id=MEMBER).answers("已解除这个人的1个QQ绑定。")
        chat.says("解绑 赵钱孙", user_id=MEMBER).answers("本支部名册里没有这个姓名\n例：解绑 张三")
