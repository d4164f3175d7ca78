"""Every reply text of 收到, 回执 and 催办, and of the nudges and summaries.

Real names appear only in texts that go to officers privately (`status_list`,
`chase_private`, `summary_private`, `failed_private`); group texts carry counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot import clock
from bot.messages import clip
from bot.roster import PersonView

from .service import MEETING, NOTICE, POLL, REMINDER, STUDY, Completion, Confirmation, Subject

_KIND_WORDS = {NOTICE: "通知", REMINDER: "提醒", STUDY: "学习", MEETING: "会议", POLL: "投票"}
_WEEKDAYS = "一二三四五六日"
TITLE_CHARS = 40
NAMES_INLINE = 30


def label(subject: Subject) -> str:
    """`通知 #12`: what people type the number of."""
    return f"{_KIND_WORDS.get(subject.kind, '事项')} #{subject.id}"


def at(moment: datetime) -> str:
    """`12月11日（周五）18:00`, in the configured zone."""
    local = moment.astimezone(clock.zone())
    return (
        f"{local.month}月{local.day}日（周{_WEEKDAYS[local.weekday()]}）"
        f"{local.hour:02d}:{local.minute:02d}"
    )


def audience_words(subject: Subject) -> str:
    audience = subject.audience
    if audience is None or not (audience.statuses or audience.party_groups or audience.offices):
        return "全体"
    if audience.offices and not (audience.statuses or audience.party_groups):
        return "支委"
    return "、".join((*audience.party_groups, *audience.statuses, *audience.offices))


# --- 收到 --------------------------------------------------------------------------------

CONFIRM_USAGE = "「收到」后面只能跟通知编号。"
CONFIRM_EXAMPLE = "收到 12"
NOT_BOUND = (
    "你的QQ还没有绑定名册，回执记不到你名下。请先发送「绑定 你的姓名」，支委确认后再发「收到」。"
)
NOTHING_OPEN = "现在没有需要你确认的通知。"


def no_such(number: int) -> str:
    return f"没有编号为 {number} 的通知。发送「收到」确认最新一条。"


def not_for_you(subject: Subject) -> str:
    return f"{label(subject)} 不需要你回执（对象：{audience_words(subject)}）。"


def closed(subject: Subject) -> str:
    return f"{label(subject)} 已结束，不再收回执。"


def confirmed(subject: Subject, confirmation: Confirmation, others: Sequence[Subject]) -> str:
    if confirmation.new:
        text = f"✅ 已确认{label(subject)}"
        if confirmation.late:
            text += "（已过截止时间，记为迟交）"
    else:
        text = f"{label(subject)} 你已在{at(confirmation.confirmed_at)}确认过，已记录，不用再发。"
    if others:
        numbers = "、".join(f"#{s.id}" for s in others[:5])
        text += f"\n你还有未确认的：{numbers}，发送「收到 {others[0].id}」确认。"
    return text


# --- 回执 --------------------------------------------------------------------------------

NOT_ON_ROSTER = "私聊使用需要你在名册里且已绑定QQ；也可以在支部群里发送。"
NO_ROSTER = "本支部还没有名册，回执无从统计。请先上传名册表格（姓名、QQ、状态、党小组…）。"
NOTHING_TO_SHOW = "现在没有进行中的通知。查以前的请加编号。"
STATUS_EXAMPLE = "回执 12"
CHASE_EXAMPLE = "催办 12"
NUMBER_USAGE = "编号是通知的数字。"


def no_subject(number: int) -> str:
    return f"本支部没有编号为 {number} 的通知。"


def _head(subject: Subject, done: Completion, scope: str | None = None) -> str:
    lines = [f"{label(subject)}「{clip(subject.title, TITLE_CHARS)}」"]
    if scope:
        lines.append(f"只统计{scope}（你是该党小组的党小组长）")
    if subject.deadline is not None:
        lines.append(f"截止：{at(subject.deadline)}")
    late = f"（迟交 {len(done.late)}）" if done.late else ""
    lines.append(
        f"对象：{audience_words(subject)}，已确认 {done.confirmed_count}/{done.expected_count}{late}"
    )
    return "\n".join(lines)


def status_counts(subject: Subject, done: Completion, scope: str | None = None) -> str:
    """`回执` in a group: counts only."""
    text = _head(subject, done, scope)
    if done.complete:
        return text + "\n全部确认 ✅"
    text += f"\n未确认 {len(done.missing)} 人。名单请私聊我发送「回执 {subject.id}」"
    if subject.kind not in (NOTICE, REMINDER, POLL):  # no nudge for it (a meeting: 到)
        return text + "。"
    return text + f"，私聊提醒他们发送「催办 {subject.id}」。"


def _person(person: PersonView) -> str:
    extra = [person.party_group] if person.party_group else []
    if not person.reachable:
        extra.append("未绑定QQ")
    return f"{person.name}（{'，'.join(extra)}）" if extra else person.name


def status_list(
    subject: Subject, done: Completion, people: Sequence[PersonView], scope: str | None = None
) -> str:
    """`回执` in private, to an officer: the names."""
    by_id = {p.id: p for p in people}
    lines = [_head(subject, done, scope)]
    if done.late:
        lines.append(
            "迟交：" + "、".join(by_id[c.person_id].name for c in done.late if c.person_id in by_id)
        )
    if done.complete:
        lines.append("全部确认 ✅")
    else:
        lines.append(f"未确认 {len(done.missing)} 人：")
        lines.extend(_person(by_id[i]) for i in done.missing if i in by_id)
    if done.unexpected:
        lines.append(f"另有 {len(done.unexpected)} 人不在对象内（或已离开名册）也确认了，未计入。")
    return "\n".join(lines)


# --- 催办 --------------------------------------------------------------------------------


def closed_for_chase(subject: Subject) -> str:
    return f"{label(subject)} 已结束，不能再催办。"


def not_for_chase(subject: Subject) -> str:
    """催办 asks people to reply 收到 (or to vote); a meeting is confirmed with 到."""
    return f"{label(subject)} 不用「收到」确认，不能催办。"


def _minutes(count: int, interval: float) -> str:
    seconds = count * interval
    return "马上" if seconds < 60 else f"约{round(seconds / 60)}分钟"


def chase_counts(
    subject: Subject,
    claimed: int,
    already: int,
    unreachable: int,
    confirmed_count: int,
    expected_count: int,
    interval: float,
    scope: str | None = None,
) -> str:
    name = label(subject) + (f"（{scope}）" if scope else "")
    if confirmed_count == expected_count:
        return f"{name} 已全部确认（{confirmed_count}/{expected_count}），不用催办。"
    parts = [f"{name} 已确认 {confirmed_count}/{expected_count}。"]
    if claimed:
        parts.append(f"正在私聊催办 {claimed} 人，{_minutes(claimed, interval)}发完。")
    if already:
        parts.append(f"{already} 人今天已催过，明天才能再催。")
    if unreachable:
        parts.append(f"{unreachable} 人没有绑定QQ，无法私聊。")
    return "".join(parts)


def chase_private(subject: Subject, unreachable: Sequence[PersonView]) -> str:
    """Added in private: who cannot be nudged."""
    if not unreachable:
        return ""
    return (
        "\n无法私聊（未绑定QQ）："
        + "、".join(p.name for p in unreachable[:NAMES_INLINE])
        + ("…" if len(unreachable) > NAMES_INLINE else "")
    )


def failed_private(subject: Subject, people: Sequence[PersonView]) -> str:
    """To the officer who asked, after the sends: whose nudge did not go out."""
    names = "、".join(p.name for p in people[:NAMES_INLINE])
    return (
        f"{label(subject)} 催办：{len(people)} 人的私聊没有发出（可能没加机器人好友）：{names}"
        + ("…" if len(people) > NAMES_INLINE else "")
    )


def nudge(subject: Subject) -> str:
    """The private nudge to a member (for a poll: to vote, which 收到 does not do)."""
    poll = subject.kind == POLL
    head = "你还没有投票" if poll else "还没有收到你的回执"
    lines = [f"提醒：{label(subject)} {head}。", clip(subject.title, 60)]
    if subject.deadline is not None:
        lines.append(f"截止：{at(subject.deadline)}")
    if poll:
        lines.append(f"请回复「投 {subject.id} 选项字母」投票，如「投 {subject.id} A」。")
    else:
        lines.append(f"看过请回复「收到 {subject.id}」。")
    return "\n".join(lines)


# --- the summary at the deadline ------------------------------------------------------------


def summary_private(
    subject: Subject, done: Completion, people: Sequence[PersonView], scope: str | None = None
) -> str:
    return "已到截止时间。\n" + status_list(subject, done, people, scope)


def summary_counts(subject: Subject, done: Completion) -> str:
    text = "已到截止时间。\n" + _head(subject, done)
    if done.complete:
        return text + "\n全部确认 ✅"
    return (
        text + f"\n未确认 {len(done.missing)} 人。支委可私聊我发送「回执 {subject.id}」查看名单。"
    )
