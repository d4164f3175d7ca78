"""签到 · 我的 · 排行榜 · 签到统计 as members and admins see them."""

from __future__ import annotations

from nonebug import App

from bot.clock import FixedClock
from tests.chat import conversation
from tests.fake import ADMIN, GROUP, MEMBER, MEMBER_2, SELF_ID

SIGNED_IN = "张三 ✅ 签到成功！今天第1位，连续1天\n+5分，累计5分\n发「排行榜」看本周排名"


async def test_sign_in_then_again(app: App, clock: FixedClock) -> None:
    async with conversation(app) as chat:
        chat.says("签到 学习了党章第二章", card="张三").answers(
            "张三 ✅ 签到成功！今天第1位，连续1天\n+5分，累计5分\n心得：学习了党章第二章\n发「排行榜」看本周排名"
        )
        chat.says("/签到").answers(
            "测试用户 今天已签到（第1位，连续1天），明天再来！\n累计5分。发「我的」看积分"
        )
        chat.says("打卡", user_id=MEMBER_2).answers(
            "测试用户 ✅ 签到成功！今天第2位，连续1天\n+5分，累计5分\n发「排行榜」看本周排名"
        )


async def test_note_is_plain_text_and_limited(app: App, clock: FixedClock) -> None:
    async with conversation(app) as chat:
        chat.says("签到 " + "学" * 201).answers(
            "学习心得最多200字，这条有201字，请精简后再发。\n例：签到"
        )
        chat.says("签到 \u202e[CQ:at,qq=all]\u200b学习，有收获。").answers(
            "测试用户 ✅ 签到成功！今天第1位，连续1天\n+5分，累计5分\n心得：[CQ:at,qq=all]学习，有收获。\n发「排行榜」看本周排名"
        )


async def test_chat_that_starts_with_the_word_is_not_a_check_in(
    app: App, clock: FixedClock
) -> None:
    async with conversation(app) as chat:
        chat.says("签到了吗大家")
        chat.says("我的天")


async def test_check_in_is_for_groups(app: App, clock: FixedClock) -> None:
    async with conversation(app) as chat:
        chat.says_privately("签到").answers("「签到」请在群里使用。例：签到")


async def test_switched_off_feature_says_so(app: App, clock: FixedClock) -> None:
    async with conversation(app) as chat:
        chat.admin_says("关闭 签到").answers("已关闭「签到」。")
        chat.says("签到").answers("本群已关闭「签到」。管理员可发送：开启 签到")
        chat.admin_says("关闭 排行榜").answers("已关闭「排行榜」。")
        chat.says("排行榜").answers("本群已关闭「排行榜」。管理员可发送：开启 排行榜")
        chat.admin_says("开启 签到").answers("已开启「签到」。")


async def test_mine_shows_points_rank_and_streak(app: App, clock: FixedClock) -> None:
    async with conversation(app) as chat:
        chat.says("我的", card="张三").answers(
            "张三 的学习积分\n还没有积分，发「签到」开始吧\n连续签到0天，最长0天，共0天；今天还没签到"
        )
        chat.says("签到", card="张三").answers(SIGNED_IN)
        chat.says("我的积分", card="张三").answers(
            "张三 的学习积分\n累计5分（群内第1名），本周5分（第1名）\n连续签到1天，最长1天，共1天；今天已签到"
        )


async def test_board_names_ties_and_own_rank(app: App, clock: FixedClock) -> None:
    from nonebot_plugin_orm import get_session

    from bot.points import Award, award

    async with get_session() as session, session.begin():
        for n, amount in enumerate([30, 20, 20, 10, 9, 8, 7, 6, 5, 4, 3, 2]):
            await award(session, Award(str(GROUP), str(5000 + n), "test", f"r{n}", amount))
        await award(session, Award(str(GROUP), str(MEMBER), "test", "me", 1))
    expected = "\n".join(
        [
            "🏆 本周积分榜（11月30日–12月6日）",
            "1. 党员0 30分",
            "2. 党员1 20分",
            "2. 党员2 20分",
            "4. 昵称3 10分",
            *[
                f"{n + 1}. 党员{n} {amount}分"
                for n, amount in zip(range(4, 10), [9, 8, 7, 6, 5, 4], strict=True)
            ],
            "你：第13名，1分",
        ]
    )
    async with conversation(app) as chat:
        board = chat.says("排行榜", card="我")
        for n in range(10):
            board.asks(
                "get_group_member_info",
                {"group_id": GROUP, "user_id": 5000 + n, "no_cache": True},
                {"user_id": 5000 + n, "card": f"党员{n}" if n != 3 else "", "nickname": f"昵称{n}"},
            )
        board.answers(expected)
        # Names are cached now: the second board asks the platform nothing.
        chat.says("积分榜 总", card="我").answers(
            expected.replace("🏆 本周积分榜（11月30日–12月6日）", "🏆 总积分榜")
        )


async def test_board_with_unknown_period(app: App, clock: FixedClock) -> None:
    async with conversation(app) as chat:
        chat.says("排行榜 明年").answers(
            "看不懂「明年」。可以看：今日、本周、本月、总\n例：排行榜 本月"
        )
        chat.says("排行榜 今日").answers(
            "🏆 今日积分榜（11月30日）\n还没有人得分，发「签到」做第一个吧"
        )


async def test_stats_are_for_admins(app: App, clock: FixedClock) -> None:
    async with conversation(app) as chat:
        chat.says("签到统计", role="member").answers(
            "「签到统计」只有群主、群管理员、支委或机器人超级管理员可以使用。"
        )


async def test_stats_today_lists_who_has_not_checked_in(app: App, clock: FixedClock) -> None:
    members = [
        {"user_id": MEMBER, "nickname": "甲", "card": "张三", "role": "member"},
        {"user_id": MEMBER_2, "nickname": "乙", "card": "", "role": "member"},
        {"user_id": ADMIN, "nickname": "书记", "card": "", "role": "admin"},
        {"user_id": int(SELF_ID), "nickname": "助手", "card": "", "role": "admin"},
    ]
    member_list = ("get_group_member_list", {"group_id": GROUP}, members)
    async with conversation(app) as chat:
        chat.says("签到", card="张三").answers(SIGNED_IN)
        chat.admin_says("签到统计").asks(*member_list).answers(
            "今日（11月30日）签到 1/3 人（33%）\n还没签到（2人）：乙、书记"
        )
        chat.admin_says("签到统计 本周").asks(*member_list).answers(
            "本周（11月30日起，已过1天）签到 1 人次，签到率 33%（按 3 名成员计）\n至少签到一次：1 人；每天都签到：1 人"
        )
        chat.admin_says("签到统计 明年").answers(
            "看不懂「明年」。可以看：今日、本周、本月\n例：签到统计 本周"
        )
