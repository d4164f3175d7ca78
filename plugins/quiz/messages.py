"""Reply texts of the quiz feature, in one place."""

from __future__ import annotations

from datetime import date

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
