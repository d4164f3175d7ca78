"""Every reply text of 通知."""

from __future__ import annotations

from bot.receipts import Subject
from bot.receipts.audience import STATUS_WORDS
from bot.receipts.messages import at, audience_words, label

from .parsing import NoticeError, Problem

NO_CONTENT = "请写上通知内容。"
NO_ROSTER = (
    "本支部还没有名册，没法统计谁该回执。请先上传名册表格（姓名、QQ、状态、党小组…），再发通知。"
)
DEADLINE_LEFTOVER = "截止时间后面多了「{rest}」，对象等选项请用空格隔开写在后面。"
PAST = "截止时间{when}已经过了，请写一个以后的时间。"
DEADLINE_EXAMPLE = "通知 交思想汇报 截止 周五18点"
AUDIENCE_EXAMPLE = "通知 交转正材料 对象 预备党员"


def too_long(length: int, limit: int) -> str:
    return f"通知太长了（{length}字），请控制在{limit}字以内。"


def problem(error: NoticeError, groups: list[str] | None = None) -> str:
    match error.problem:
        case Problem.NO_CONTENT:
            return NO_CONTENT
        case Problem.TWICE:
            return f"「{error.detail}」只能写一次。"
        case Problem.EMPTY_OPTION:
            return f"「{error.detail}」后面要写内容。"
        case Problem.UNKNOWN_AUDIENCE:
            known = "、".join(groups) if groups else "本支部名册里没有党小组"
            return (
                f"对象「{error.detail}」既不是状态（{STATUS_WORDS}），"
                f"也不是本支部的党小组（{known}）。"
            )


def own_group_only(scope: str) -> str:
    return f"你是{scope}的党小组长，通知只能发给本党小组。"


def own_group_example(scope: str) -> str:
    return f"通知 周三晚上小组学习 对象 {scope}"


def bad_deadline(reason: str) -> str:
    return f"截止时间没看懂：{reason}"


def nobody(subject_words: str) -> str:
    return f"名册里没有符合「对象 {subject_words}」的人，通知没有发出。"


def posted(
    subject: Subject, expected: int, unreachable: int, mention_note: str | None = None
) -> str:
    lines = [f"【{label(subject)}】", subject.title]
    if subject.deadline is not None:
        lines.append(f"截止：{at(subject.deadline)}")
    reach = f"，其中{unreachable}人未绑定QQ" if unreachable else ""
    lines.append(f"对象：{audience_words(subject)}（{expected}人{reach}）")
    lines.append("看过请回复「收到」。")
    if mention_note:
        lines.append(mention_note)
    return "\n".join(lines)


def no_mention(reason: str) -> str:
    return f"（没有@全体：{reason}）"
