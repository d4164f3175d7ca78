"""Reply texts of the quiz feature, in one place."""

from __future__ import annotations

from datetime import date, datetime

from bot import clock
from bot.messages import clip

from .answers import KINDS, LETTERS, shown_answer
from .bank import MAX_CATEGORY, MAX_STEM, Problem, Report
from .bankfiles import COLUMNS
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


PROBLEMS = {
    "not_an_object": "不是一个题目对象",
    "no_stem": "缺少题目",
    "stem_too_long": f"题目太长（{{found}}字，最多{MAX_STEM}字）",
    "no_answer": "缺少答案",
    "bad_kind": "题型「{found}」应是 单选、多选、判断 或 填空",
    "too_few_options": "{detail}题至少要有选项A和选项B",
    "too_many_options": "选项太多（{found}个，最多6个）",
    "option_gap": "选项{found}是空的，选项要从A起连续填写",
    "option_too_long": "有选项太长（最多{found}字）",
    "bad_letters": "答案「{found}」不对：{detail}",
    "single_needs_one": "单选题的答案只能是一个字母，现在是「{found}」",
    "multi_needs_two": "多选题的答案至少两个字母，现在是「{found}」（一个答案请用单选）",
    "bad_true_false": "判断题的答案应是 对 或 错，现在是「{found}」",
    "answer_not_option": "答案「{found}」既不是选项字母，也不是哪个选项的原文",
    "no_category": "缺少分类（或导入时指定 --category）",
    "category_too_long": "分类「{found}」太长（最多{detail}字）",
}
"""A bad row's reason, by the code bank.py gives it."""

GROUPED = {
    "not_an_object": "不是题目对象",
    "no_stem": "缺少题目",
    "stem_too_long": f"题目太长（最多{MAX_STEM}字）",
    "no_answer": "缺少答案",
    "bad_kind": "题型不对（应是 单选、多选、判断 或 填空）",
    "too_few_options": "是选择题却少于两个选项",
    "too_many_options": "选项太多（最多6个）",
    "option_gap": "有空着的选项（选项要从A起连续填写）",
    "option_too_long": "有选项太长",
    "bad_letters": "答案的字母不对",
    "single_needs_one": "是单选题却有几个答案字母",
    "multi_needs_two": "是多选题却只有一个答案字母",
    "bad_true_false": "是判断题，答案却不是 对 或 错",
    "answer_not_option": "答案既不是选项字母，也不是哪个选项的原文",
    "no_category": "缺少分类（或导入时指定 --category）",
    "category_too_long": f"分类太长（最多{MAX_CATEGORY}字）",
}
"""The same reasons said once for many rows."""

_EMPTY = {"no_stem": "题目", "no_answer": "答案", "no_category": "分类"}

GROUP_FROM = 4
"""This many rows with one reason are reported together."""
EXAMPLES = 10
"""Rows named as examples of a reason shared by many."""

_FORMS = {
    "pairs": "按「题干|选项… → 答案文字」对照表读取，答案按选项原文换成了字母",
    "text": "按「【习题N】… √」文本题库读取，打 √ 的是答案",
}


def problem(item: Problem) -> str:
    """One bad row: 第N行：reason."""
    return f"{item.place}：{PROBLEMS[item.code].format(found=item.found, detail=item.detail)}"


def _what(report: Report) -> str:
    return "键" if report.form == "list" else "列"


def problems(report: Report, limit: int) -> list[str]:
    """The bad rows: a reason shared by many said once, with the count, what was found and
    at most EXAMPLES rows; the others one line each; at most `limit` lines."""
    by_code: dict[str, list[Problem]] = {}
    for item in report.problems:
        by_code.setdefault(item.code, []).append(item)
    lines: list[str] = []
    single: list[Problem] = []
    for code, items in by_code.items():
        if len(items) < GROUP_FROM:
            single += items
            continue
        every = "都" if len(items) == len(report.problems) == report.rows else ""
        head = f"{len(items)} {items[0].unit}{every}{GROUPED[code]}"
        found = list(dict.fromkeys(item.found for item in items if item.found))
        if found and code not in ("stem_too_long", "option_too_long"):
            shown = "".join(f"「{clip(value, 12)}」" for value in found[:5])
            head += f"：找到的是{shown}" + ("等" if len(found) > 5 else "")
        elif code in _EMPTY and report.found:
            head += f"：这些{items[0].unit}的「{_EMPTY[code]}」是空的，文件里的{_what(report)}是 "
            head += "、".join(report.found[:12])
        examples = "、".join(item.place for item in items[:EXAMPLES])
        lines += [head, f"  例：{examples}" + ("…" if len(items) > EXAMPLES else "")]
    single.sort(key=lambda item: item.number)
    room = max(limit - len(lines), 0)
    lines += [problem(item) for item in single[:room]]
    if len(single) > room:
        lines.append(f"……还有 {len(single) - room} 处")
    return lines


def import_notes(report: Report, *, cli: bool) -> list[str]:
    """What the import read differently from our own format."""
    what = _what(report)
    lines = []
    if report.form in _FORMS:
        lines.append(_FORMS[report.form])
    if report.renamed:
        pairs = "、".join(f"{theirs}→{ours}" for theirs, ours in report.renamed.items())
        lines.append(f"认出的{what}：{pairs}")
    if report.unused:
        lines.append(f"没用上的{what}：{'、'.join(report.unused)}")
    if report.inferred:
        counts = "、".join(
            f"{kind} {report.inferred[kind]}" for kind in KINDS if kind in report.inferred
        )
        lines.append(f"没有写题型的题按答案定了题型：{counts} 题")
    if report.named:
        how = "导入时可用 --category 指定" if cli else "可改文件名或加「分类」列再发"
        lines.append(f"{report.named} 题没有分类，按文件名归入「{report.named_category}」（{how}）")
    return lines


def import_report(report: Report, *, cli: bool, limit: int = 20) -> str:
    if not report.written:
        if report.skip_invalid:
            lines = [f"没有导入：{report.rows} {_unit(report)}都有误，没有可导入的题："]
        else:
            lines = [f"没有导入：有 {report.rejected} {_unit(report)}有误，改正后重新导入"]
            lines[0] += "（或加 --skip-invalid 只跳过有误的行）：" if cli else "："
        return "\n".join([*lines, *problems(report, limit), *import_notes(report, cli=cli)])
    lines = [
        f"导入完成：新增 {report.added} 题，重复跳过 {report.duplicates} 题，有误 {report.rejected} {_unit(report)}"
    ]
    lines += import_notes(report, cli=cli)
    if report.problems:
        lines.append("跳过的有误的行：" if report.skip_invalid else "有误的行：")
        lines += problems(report, limit)
    return "\n".join(lines)


def _unit(report: Report) -> str:
    return report.problems[0].unit if report.problems else "行"


def columns_hint() -> str:
    return "表头：" + " | ".join(COLUMNS)
