"""Reply texts of the quiz feature, in one place."""

from __future__ import annotations

from datetime import date, datetime

from bot import clock
from bot.messages import clip

from .answers import LETTERS, shown_answer
from .bank import COLUMNS, Report
from .service import DailyResult, QuestionView

HOW_TO_ANSWER = {
    "单选": "答 A",
    "多选": "答 AC",
    "判断": "答 对",
    "填空": "答 要填的内容",
}
"""A format example for each kind (the letters are only an example, never a hint)."""

BARE_ANSWER = {
    "单选": "选项字母",
    "多选": "所有正确选项的字母，如 AC",
    "判断": "对 或 错",
    "填空": "要填的内容",
}


def question_body(question: QuestionView) -> list[str]:
    lines = [question.stem]
    lines += [f"{LETTERS[i]}. {text}" for i, text in enumerate(question.options)]
    return lines


def daily(question: QuestionView, day: date) -> str:
    head = f"📘 每日一题（{day.month}月{day.day}日）· {question.kind} · {question.category}"
    hint = f"作答格式：{HOW_TO_ANSWER[question.kind]}（每人第一次作答算数）"
    return "\n".join([head, *question_body(question), hint])


def no_question() -> str:
    return "题库里还没有题目。管理员可导入题库：python -m bot import-questions 题库.xlsx"


def explanation(question: QuestionView) -> list[str]:
    lines = []
    if question.explanation:
        lines.append(f"解析：{question.explanation}")
    if question.source:
        lines.append(f"出处：{question.source}")
    return lines


def daily_push(question: QuestionView, day: date, late: bool) -> str:
    return daily(question, day) + ("\n（推送晚了一些，抱歉）" if late else "")


def answer_missing(kind: str) -> str:
    return f"请在「答」后面写上答案（今天是{kind}题）"


def not_an_answer(reason: str, kind: str) -> str:
    """An answer to the daily question that cannot be one."""
    return f"{reason}。例：{HOW_TO_ANSWER[kind]}"


def no_daily_yet() -> str:
    return "今天的题还没出，先发「每日一题」看题"


def daily_result(result: DailyResult, first_name: str | None) -> str:
    question = result.question
    key = shown_answer(question.kind, question.answer)
    if not result.counted:
        mark = "✅" if result.judged.correct else "❌"
        lines = [f"你今天已经答过了（{result.first_answer} {mark}），以第一次为准。正确答案：{key}"]
    elif result.judged.correct:
        lines = [f"✅ 答对了！正确答案：{key}"]
        if result.points:
            lines[0] += f"，+{result.points}分"
    else:
        lines = [f"❌ 答错了，正确答案：{key}（你答：{result.judged.answer}）"]
    lines += explanation(question)
    if result.first_correct:
        lines.append("🎉 你是今天第一个答对的！")
    elif first_name:
        lines.append(f"今天第一个答对的：{first_name}")
    lines.append("发「答题」再练几道")
    return "\n".join(lines)


# The daily push, switched by 开启 / 关闭 每日一题 ------------------------------------------------

PUSH_TIME_EXAMPLE = "开启 每日一题 08:30"
PUSH_CATEGORY_EXAMPLE = "开启 每日一题 09:00 党史"


def push_off() -> str:
    return "本群不再推送每日一题。"


def bad_push_time() -> str:
    return "推送时间要写成 24 小时制的 时:分"


def unknown_push_category(word: str, known: set[str]) -> str:
    return f"题库里没有「{clip(word, 10)}」分类。现有：{'、'.join(sorted(known)) or '（题库为空）'}"


def push_on(push_time: str, categories: list[str]) -> str:
    only = f"，只出{'、'.join(categories)}的题" if categories else ""
    return f"每天 {push_time} 推送今日题目{only}。发「每日一题」随时看题。"


def push_schedule(schedule: tuple[str, list[str]] | None) -> str:
    """The group's push, as the settings list shows it."""
    if schedule is None:
        return "不推送"
    push_time, categories = schedule
    return f"每天 {push_time} 推送" + (f"，{'、'.join(categories)}" if categories else "")


def accuracy(stats: dict[str, tuple[int, int]]) -> list[str]:
    """Lines for 我的: right answers per mode."""
    lines = []
    for mode, label in (("daily", "每日一题"), ("practice", "练习")):
        right, total = stats.get(mode, (0, 0))
        if total:
            lines.append(f"{label}：答对 {right}/{total}（{round(100 * right / total)}%）")
    return lines


# Practice rounds ------------------------------------------------------------------------------

STOP_WORDS = ("结束", "退出", "不答了", "结束答题")
"""Replies that end a round."""
SKIP_WORDS = ("跳过", "下一题", "不会")
"""Replies that skip a question (and end a challenge)."""
PRACTICE_EXAMPLE = "答题 党史 10"


def unknown_category(word: str, known: list[str]) -> str:
    return f"没有「{clip(word, 10)}」这个分类。现有：{'、'.join(known) or '（题库为空）'}"


def practice_count(most: int) -> str:
    return f"一轮可以练 1–{most} 题"


def busy(question: str) -> str:
    """A member who is in a round asked for another one."""
    return f"你正在答题，直接回复答案；发「结束」可以结束。\n{question}"


def challenge_start(question: str) -> str:
    return f"挑战开始：一直答到第一次答错。\n{question}"


def skipped(question: QuestionView) -> str:
    return "⏭ 已跳过，答案：" + shown_answer(question.kind, question.answer)


def not_a_round_answer(reason: str) -> str:
    return f"{reason}；回复「跳过」或「结束」也可以"


def practice_question(question: QuestionView, number: int, total: int | None, mode: str) -> str:
    label = {"practice": "练习", "challenge": "挑战", "review": "错题练习"}[mode]
    position = f"第{number}/{total}题" if total else f"第{number}题"
    hint = f"直接回复 {BARE_ANSWER[question.kind]}；「跳过」「结束」"
    return "\n".join(
        [f"【{label} · {position} · {question.kind}】", *question_body(question), hint]
    )


def feedback(question: QuestionView, correct: bool, given: str) -> str:
    key = shown_answer(question.kind, question.answer)
    if correct:
        return f"✅ 正确！答案：{key}"
    lines = [f"❌ 不对，正确答案：{key}（你答：{given}）"]
    lines += explanation(question)
    return "\n".join(lines)


def summary(right: int, answered: int, points: int, *, timed_out: bool = False) -> str:
    rate = f"{round(100 * right / answered)}%" if answered else "—"
    head = "⏰ 练习超时结束" if timed_out else "练习结束"
    earned = f"，+{points}分" if points else ""
    return f"{head}：答对 {right}/{answered}，正确率 {rate}{earned}\n发「错题本」看错题，「答题」再来一轮"


def challenge_over(run: int, best: int, new_best: bool, *, timed_out: bool = False) -> str:
    head = "⏰ 挑战超时结束" if timed_out else "挑战结束"
    record = "🎉 新纪录！" if new_best else f"最好成绩 {best} 题"
    return f"{head}：本次连对 {run} 题，{record}\n发「挑战榜」看本群排名"


def empty_wrong_book() -> str:
    return "错题本是空的 👍 发「答题」练习"


def wrong_book(book: list[tuple[QuestionView, datetime]]) -> str:
    lines = [f"我的错题本（{len(book)}题，最近的在前）"]
    for number, (question, wrong_at) in enumerate(book, 1):
        when = clock.local_now(wrong_at)
        key = shown_answer(question.kind, question.answer)
        lines.append(
            f"{number}. [{question.kind}] {clip(question.stem, 40)} 答案：{key}（{when.month}/{when.day}）"
        )
    lines.append("发「错题练习」再练一遍，之后答对两次就移出")
    return "\n".join(lines)


def no_challenge_yet() -> str:
    return "本群还没有挑战成绩，发「挑战答题」试试"


def challenge_board(rows: list[tuple[str, int]], names: dict[str, str]) -> str:
    """Best runs, ties sharing a rank."""
    lines = ["🏆 挑战榜（连续答对题数）"]
    rank = 0
    previous = None
    for position, (user, best) in enumerate(rows, 1):
        rank = rank if best == previous else position
        previous = best
        lines.append(f"{rank}. {names[user]} {best}题")
    return "\n".join(lines)


def bank(kinds: dict[str, int], categories: dict[str, int]) -> str:
    total = sum(kinds.values())
    kind_text = "、".join(
        f"{kind}{kinds[kind]}" for kind in ("单选", "多选", "判断", "填空") if kinds.get(kind)
    )
    category_text = "、".join(
        f"{name}{count}" for name, count in sorted(categories.items(), key=lambda x: (-x[1], x[0]))
    )
    return f"题库共 {total} 题\n按题型：{kind_text}\n按分类：{category_text}\n发「答题 分类名」按分类练习"


# Question banks -------------------------------------------------------------------------------


def upload_refused(name: str, reason: str) -> str:
    return f"「{clip(name, 30)}」没有导入：{reason}"


def upload_imported(name: str, report: Report) -> str:
    return f"「{clip(name, 30)}」" + import_report(report, cli=False)


def import_report(report: Report, *, cli: bool, limit: int = 20) -> str:
    if report.errors and not report.written:
        lines = [f"没有导入：有 {report.rejected} 行有误，改正后重新导入"]
        lines[0] += "（或加 --skip-invalid 只跳过有误的行）：" if cli else "："
        lines += report.errors[:limit]
        if len(report.errors) > limit:
            lines.append(f"……还有 {len(report.errors) - limit} 处")
        return "\n".join(lines)
    lines = [
        f"导入完成：新增 {report.added} 题，重复跳过 {report.duplicates} 题，有误 {report.rejected} 行"
    ]
    lines += report.errors[:limit]
    return "\n".join(lines)


def columns_hint() -> str:
    return "表头：" + " | ".join(COLUMNS)
