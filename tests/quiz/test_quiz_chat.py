"""每日一题, 答, 答题, 挑战, 错题本 and 题库 as members and admins see them."""

from __future__ import annotations

from nonebot.adapters.onebot.v11 import Bot
from nonebug import App

from bot.clock import FixedClock
from tests.chat import conversation
from tests.fake import GROUP, MEMBER, MEMBER_2, SELF_ID
from tests.quiz.conftest import load_questions

ONLY_JUDGE = [
    [
        "判断",
        "中国共产党第一次全国代表大会于1921年召开。",
        "",
        "",
        "",
        "",
        "对",
        "1921年7月。",
        "党史",
        "易",
        "《中国共产党简史》",
    ]
]
ONLY_SINGLE = [
    [
        "单选",
        "党章规定，预备党员的预备期为（  ）。",
        "半年",
        "一年",
        "两年",
        "三年",
        "B",
        "预备期为一年。",
        "党章党规",
        "易",
        "《中国共产党章程》第七条",
    ]
]

DAILY_SINGLE = (
    "📘 每日一题（11月30日）· 单选 · 党章党规\n"
    "党章规定，预备党员的预备期为（　）。\nA. 半年\nB. 一年\nC. 两年\nD. 三年\n"
    "作答格式：答 A（每人第一次作答算数）"
)


async def test_daily_question_and_answers(app: App, clock: FixedClock) -> None:
    await load_questions(ONLY_SINGLE)
    async with conversation(app) as chat:
        chat.says("每日一题").answers(DAILY_SINGLE)
        chat.says("答 c", user_id=MEMBER_2, card="李四").answers(
            "❌ 答错了，正确答案：B（你答：C）\n解析：预备期为一年。\n出处：《中国共产党章程》第七条\n发「答题」再练几道"
        )
        chat.says("/答案 Ｂ", card="张三").answers(
            "✅ 答对了！正确答案：B，+5分\n解析：预备期为一年。\n出处：《中国共产党章程》第七条\n🎉 你是今天第一个答对的！\n发「答题」再练几道"
        )
        chat.says("答 A", card="张三").answers(
            "你今天已经答过了（B ✅），以第一次为准。正确答案：B\n解析：预备期为一年。\n出处：《中国共产党章程》第七条\n今天第一个答对的：张三\n发「答题」再练几道"
        )
        # 张三's name is known from their answer: nothing to ask the platform.
        chat.admin_says("答 B").answers(
            "✅ 答对了！正确答案：B，+5分\n解析：预备期为一年。\n出处：《中国共产党章程》第七条\n今天第一个答对的：张三\n发「答题」再练几道"
        )


async def test_bad_answers_change_nothing(app: App, clock: FixedClock) -> None:
    from plugins.quiz import service

    await load_questions(ONLY_SINGLE)
    async with conversation(app) as chat:
        chat.says("答").answers("请在「答」后面写上答案（今天是单选题）\n例：答 A")
        chat.says("答 Z").answers("请用选项字母作答（A–D）。例：答 A")
        chat.says("答 B").answers(
            "✅ 答对了！正确答案：B，+5分\n解析：预备期为一年。\n出处：《中国共产党章程》第七条\n🎉 你是今天第一个答对的！\n发「答题」再练几道"
        )
    assert (await service.accuracy(str(GROUP), str(MEMBER)))["daily"] == (1, 1)


async def test_no_questions_in_the_bank(app: App, clock: FixedClock) -> None:
    async with conversation(app) as chat:
        chat.says("每日一题").answers(
            "题库里还没有题目。管理员可导入题库：python -m bot import-questions 题库.xlsx"
        )


async def test_practice_round_ignores_other_members(app: App, clock: FixedClock) -> None:
    await load_questions(ONLY_JUDGE)
    async with conversation(app) as chat:
        chat.says("答题 党史 1").answers(
            "【练习 · 第1/1题 · 判断】\n中国共产党第一次全国代表大会于1921年召开。\n直接回复 对 或 错；「跳过」「结束」"
        )
        chat.says("错", user_id=MEMBER_2)  # someone else: not an answer
        chat.says("B", user_id=MEMBER_2)
        chat.says("也许吧").answers(
            "判断题请回答 对 或 错（也可以 √ / ×、T / F）；回复「跳过」或「结束」也可以"
        )
        chat.says("√").answers(
            "✅ 正确！答案：对\n练习结束：答对 1/1，正确率 100%，+1分\n发「错题本」看错题，「答题」再来一轮"
        )
        chat.says("对")  # the round is over: ordinary chat again


async def test_practice_argument_errors(app: App, clock: FixedClock) -> None:
    await load_questions()
    async with conversation(app) as chat:
        chat.says("答题 不存在的分类 999").answers(
            "没有「不存在的分类」这个分类。现有：党务知识、党史、党章党规、纪律与廉洁\n例：答题"
        )
        chat.says("答题 999").answers("一轮可以练 1–20 题\n例：答题 党史 10")


async def test_wrong_answer_goes_to_the_book_and_skip_and_end(app: App, clock: FixedClock) -> None:
    await load_questions(ONLY_SINGLE)
    async with conversation(app) as chat:
        chat.says_privately("练习 1").answers(
            "【练习 · 第1/1题 · 单选】\n党章规定，预备党员的预备期为（　）。\nA. 半年\nB. 一年\nC. 两年\nD. 三年\n直接回复 选项字母；「跳过」「结束」"
        )
        chat.says_privately("答题").answers(
            "你正在答题，直接回复答案；发「结束」可以结束。\n【练习 · 第1/1题 · 单选】\n党章规定，预备党员的预备期为（　）。\nA. 半年\nB. 一年\nC. 两年\nD. 三年\n直接回复 选项字母；「跳过」「结束」"
        )
        chat.says_privately("a").answers(
            "❌ 不对，正确答案：B（你答：A）\n解析：预备期为一年。\n出处：《中国共产党章程》第七条\n练习结束：答对 0/1，正确率 0%\n发「错题本」看错题，「答题」再来一轮"
        )
        chat.says_privately("错题本").answers(
            "我的错题本（1题，最近的在前）\n1. [单选] 党章规定，预备党员的预备期为（　）。 答案：B（11/30）\n发「错题练习」再练一遍，之后答对两次就移出"
        )
        chat.says_privately("错题练习").answers(
            "【错题练习 · 第1/1题 · 单选】\n党章规定，预备党员的预备期为（　）。\nA. 半年\nB. 一年\nC. 两年\nD. 三年\n直接回复 选项字母；「跳过」「结束」"
        )
        chat.says_privately("结束").answers(
            "练习结束：答对 0/0，正确率 —\n发「错题本」看错题，「答题」再来一轮"
        )


async def test_challenge_until_the_first_wrong_answer(app: App, clock: FixedClock) -> None:
    await load_questions(ONLY_JUDGE)
    async with conversation(app) as chat:
        chat.says("挑战答题", card="张三").answers(
            "挑战开始：一直答到第一次答错。\n【挑战 · 第1题 · 判断】\n中国共产党第一次全国代表大会于1921年召开。\n直接回复 对 或 错；「跳过」「结束」"
        )
        # The bank has one question: after it, the next batch repeats it (exclude leaves none).
        chat.says("对").answers(
            "✅ 正确！答案：对\n挑战结束：本次连对 1 题，🎉 新纪录！\n发「挑战榜」看本群排名"
        )
        chat.says("挑战榜").asks(
            "get_group_member_info",
            {"group_id": GROUP, "user_id": MEMBER, "no_cache": True},
            {"user_id": MEMBER, "card": "张三"},
        ).answers("🏆 挑战榜（连续答对题数）\n1. 张三 1题")


async def test_bank_counts(app: App, clock: FixedClock) -> None:
    await load_questions()
    async with conversation(app) as chat:
        chat.says("题库").answers(
            "题库共 4 题\n按题型：单选1、多选1、判断1、填空1\n按分类：党务知识1、党史1、党章党规1、纪律与廉洁1\n发「答题 分类名」按分类练习"
        )


async def test_admin_switches_the_daily_push(app: App, clock: FixedClock) -> None:
    await load_questions()
    async with conversation(app) as chat:
        chat.admin_says("开启 每日一题 25:00").answers(
            "推送时间要写成 24 小时制的 时:分\n例：开启 每日一题 08:30"
        )
        chat.says("开启 每日一题 08:30").answers(
            "「开启」只有群主、群管理员、支委或机器人超级管理员可以使用。"
        )
        chat.admin_says("开启 每日一题 8:30 党史").answers(
            "已开启「每日一题」。\n每天 08:30 推送今日题目，只出党史的题。发「每日一题」随时看题。"
        )
        chat.admin_says("关闭 每日一题").answers("已关闭「每日一题」。\n本群不再推送每日一题。")


async def test_profile_shows_accuracy(app: App, clock: FixedClock) -> None:
    await load_questions(ONLY_SINGLE)
    async with conversation(app) as chat:
        chat.says("每日一题").answers(DAILY_SINGLE)
        chat.says("答 B", card="张三").answers(
            "✅ 答对了！正确答案：B，+5分\n解析：预备期为一年。\n出处：《中国共产党章程》第七条\n🎉 你是今天第一个答对的！\n发「答题」再练几道"
        )
        chat.says("我的", card="张三").answers(
            "张三 的学习积分\n累计5分（群内第1名），本周5分（第1名）\n连续签到0天，最长0天，共0天；今天还没签到\n每日一题：答对 1/1（100%）"
        )


async def test_idle_round_ends_with_a_note(app: App, clock: FixedClock, monkeypatch) -> None:
    import asyncio

    from nonebot.adapters.onebot.v11 import Message, MessageSegment

    from plugins.quiz import config, rounds, service, sessions

    await load_questions(ONLY_JUDGE)
    monkeypatch.setattr(config, "quiz_practice_timeout_minutes", 0.005)  # 0.3 s
    async with app.test_api() as ctx:
        ctx.create_bot(base=Bot, self_id=SELF_ID)
        questions = await service.practice_questions(1, None)
        await rounds.start("private", str(MEMBER), str(MEMBER), "practice", questions, 1)
        assert sessions.get(("private", str(MEMBER), str(MEMBER))) is not None
        ctx.should_call_api(
            "send_private_msg",
            {
                "user_id": MEMBER,
                "message": Message(
                    MessageSegment.text(
                        "⏰ 练习超时结束：答对 0/0，正确率 —\n发「错题本」看错题，「答题」再来一轮"
                    )
                ),
            },
            {"message_id": 9},
        )
        for _ in range(50):
            await asyncio.sleep(0.05)
            if sessions.get(("private", str(MEMBER), str(MEMBER))) is None:
                break
        await asyncio.sleep(0.1)
    assert sessions.get(("private", str(MEMBER), str(MEMBER))) is None


async def test_starter_bank_loads_into_an_empty_bank(app: App) -> None:
    from plugins.quiz import jobs, service

    assert await service.bank_size() == 0
    await jobs.load_starter_bank()
    size = await service.bank_size()
    assert size >= 300
    await jobs.load_starter_bank()  # not empty any more: nothing loaded twice
    assert await service.bank_size() == size


async def test_daily_push_job_sends_once_at_its_time(app: App, clock: FixedClock) -> None:
    from datetime import UTC, datetime

    from nonebot.adapters.onebot.v11 import Message, MessageSegment
    from nonebot_plugin_apscheduler import scheduler

    from plugins.quiz import config, jobs, service

    job = scheduler.get_job(jobs.PUSH_JOB)  # added by the start-up hook
    assert job is not None
    assert job.trigger.interval.total_seconds() == config.quiz_daily_scan_seconds
    await load_questions(ONLY_SINGLE)
    clock.set(datetime(2026, 11, 30, 0, 0, tzinfo=UTC))  # 08:00 local
    await service.set_schedule(str(GROUP), "09:00", [])
    assert await jobs.push_due_questions() == 0  # not yet
    clock.set(datetime(2026, 11, 30, 1, 0, 5, tzinfo=UTC))  # 09:00:05 local
    async with app.test_api() as ctx:
        ctx.create_bot(base=Bot, self_id=SELF_ID)
        ctx.should_call_api("get_group_list", {}, [{"group_id": GROUP}])
        ctx.should_call_api(
            "send_group_msg",
            {"group_id": GROUP, "message": Message(MessageSegment.text(DAILY_SINGLE))},
            {"message_id": 7},
        )
        assert await jobs.push_due_questions() == 1
        assert await jobs.push_due_questions() == 0  # claimed: never twice
