"""Every reply text of 会议, 到, 请假, 批准, 补学 and 补登, and the reminders.

Real names appear only in texts that go to officers privately (`detail_private`,
`leave_to_officer`, `decided_private`, `corrected_private`); group texts carry counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.receipts import Confirmation
from bot.receipts.messages import at
from bot.roster import PersonView
from bot.when import when

from . import config
from .attendance import Attendance, LeaveView
from .service import TYPES, MeetingView

TYPE_WORDS = "、".join(TYPES)
SCHEDULE_EXAMPLE = "会议 党员大会 周五15点 学习二十届三中全会精神"
GROUP_EXAMPLE = "会议 党小组会 第一党小组 周三15点"


def _window() -> str:
    return f"开始前{config.meeting_checkin_before_minutes}分钟起发「到」签到"


def label(meeting: MeetingView) -> str:
    return f"会议 #{meeting.id}"


def name(meeting: MeetingView) -> str:
    """`党小组会（第一党小组）`."""
    return f"{meeting.kind}（{meeting.party_group}）" if meeting.party_group else meeting.kind


def hhmm(moment: datetime) -> str:
    return at(moment)[-5:]


def span(meeting: MeetingView, now: datetime) -> str:
    """`明天（12月1日 周二）15:00–17:00`."""
    return f"{when(meeting.starts_at, now)}–{hhmm(meeting.ends_at)}"


def _names(people: Sequence[PersonView]) -> str:
    return "、".join(p.name for p in people) if people else "无"


# --- 会议 ---------------------------------------------------------------------------------

NEED_TIME = "请写上会议时间。"
NEED_GROUP_CHAT = "安排会议请在支部群里发，提醒会发到那个群。"
NO_ROSTER = (
    "本支部还没有名册，没法知道谁该参会。请先上传名册表格（姓名、QQ、状态、党小组…），再安排会议。"
)
NOT_ON_ROSTER = "你不在任何支部的名册上，私聊查不到会议。请在支部群里发。"
NUMBER_USAGE = "编号是会议的数字。"
MOVE_EXAMPLE = "修改会议 12 周四15点"
CANCEL_EXAMPLE = "取消会议 12"


def unknown_type(word: str) -> str:
    return f"「{word}」不是会议类型。类型有：{TYPE_WORDS}。"


def which_group(groups: Sequence[str]) -> str:
    known = "、".join(groups) if groups else "本支部名册里没有党小组"
    return f"党小组会要写是哪个党小组（{known}），或由该党小组的人来发。"


def bad_time(reason: str) -> str:
    return f"会议时间没看懂：{reason}"


def past(moment: datetime, now: datetime) -> str:
    return f"{when(moment, now)}已经过了，请写一个以后的时间。"


def bad_end(moment: datetime, now: datetime) -> str:
    return f"结束时间{when(moment, now)}不在开始之后。"


def topic_too_long(length: int, limit: int) -> str:
    return f"会议主题太长了（{length}字），请控制在{limit}字以内。"


def nobody(meeting_kind: str) -> str:
    return f"名册里没有{meeting_kind}该到的人（支委会看职务，其他会看党员身份和党小组），会议没有安排。"


def scheduled(
    meeting: MeetingView, expected: int, unreachable: int, notes: Sequence[str], now: datetime
) -> str:
    lines = [f"【{label(meeting)}】{name(meeting)}", f"时间：{span(meeting, now)}"]
    if meeting.topic:
        lines.append(f"主题：{meeting.topic}")
    reach = f"，其中{unreachable}人未绑定QQ" if unreachable else ""
    lines.append(f"应到：{expected}人{reach}")
    lines.extend(f"（{note}）" for note in notes)
    lines.append(f"会前会在群里提醒。{_window()}，不能参加请发「请假 原因」。")
    return "\n".join(lines)


def counts(a: Attendance, now: datetime) -> str:
    """`到 5/8，迟到 1，请假 1，缺席 2，补学 1` (what is known by now)."""
    if now < a.meeting.opens_at:
        text = f"应到 {len(a.expected)}"
        return text + (f"，请假 {len(a.leave)}" if a.leave else "")
    parts = [f"到 {len(a.present)}/{len(a.expected)}"]
    if a.late:
        parts.append(f"迟到 {len(a.late)}")
    if a.leave:
        parts.append(f"请假 {len(a.leave)}")
    if now >= a.meeting.ends_at:
        parts.append(f"缺席 {len(a.absent)}")
        if a.made_up:
            parts.append(f"补学 {len(a.made_up)}")
    return "，".join(parts)


def listing(rows: Sequence[tuple[MeetingView, Attendance]], now: datetime) -> str:
    if not rows:
        return "近期没有会议。安排会议：" + SCHEDULE_EXAMPLE
    lines = ["会议："]
    for meeting, a in rows:
        state = "（进行中）" if meeting.starts_at <= now < meeting.ends_at else ""
        lines.append(f"#{meeting.id} {name(meeting)} {at(meeting.starts_at)}{state}")
        if meeting.topic:
            lines.append(f"  {meeting.topic}")
        lines.append(f"  {counts(a, now)}")
    lines.append("详情发「会议 编号」（名单请私聊我发）。")
    return "\n".join(lines)


def no_meeting(number: int) -> str:
    return f"本支部没有编号为 {number} 的会议。发「会议」看列表。"


def _head(meeting: MeetingView, now: datetime) -> list[str]:
    lines = [f"{label(meeting)} {name(meeting)}", f"时间：{span(meeting, now)}"]
    if meeting.topic:
        lines.append(f"主题：{meeting.topic}")
    if meeting.cancelled_at is not None:
        lines.append("已取消。")
    return lines


def detail_counts(a: Attendance, now: datetime) -> str:
    lines = _head(a.meeting, now)
    lines.append(counts(a, now))
    lines.append(f"名单请私聊我发「会议 {a.meeting.id}」。")
    return "\n".join(lines)


def detail_private(a: Attendance, now: datetime) -> str:
    lines = _head(a.meeting, now)
    lines.append(counts(a, now))
    late = {p.id for p in a.late}
    corrected = {p.id for p in a.corrected}
    present = [
        p.name + ("（迟到）" if p.id in late else "") + ("（补登）" if p.id in corrected else "")
        for p in a.present
    ]
    lines.append(f"到：{'、'.join(present) if present else '无'}")
    lines.append(f"请假：{_names(a.leave)}")
    if a.pending:
        lines.append(f"请假待批：{_names(a.pending)}")
    if now >= a.meeting.ends_at:
        made_up = {p.id for p in a.made_up}
        absent = [p.name + ("（已补学）" if p.id in made_up else "") for p in a.absent]
        lines.append(f"缺席：{'、'.join(absent) if absent else '无'}")
    else:
        lines.append(f"未到：{_names(a.absent)}")
    return "\n".join(lines)


def moved(meeting: MeetingView, now: datetime) -> str:
    return f"{label(meeting)} {name(meeting)} 改到 {span(meeting, now)}，提醒随之调整。"


def cancelled(meeting: MeetingView) -> str:
    return f"{label(meeting)} {name(meeting)}（{at(meeting.starts_at)}）已取消，不再提醒。"


def was_cancelled(meeting: MeetingView) -> str:
    return f"{label(meeting)} 已经取消了。"


def started_cannot_move(meeting: MeetingView) -> str:
    return f"{label(meeting)} 已经开始，不能再改时间。"


def ended_cannot_cancel(meeting: MeetingView) -> str:
    return f"{label(meeting)} 已经开过了，不能取消。"


# --- 到 -----------------------------------------------------------------------------------

NOT_BOUND = (
    "你的QQ还没有绑定名册，签到记不到你名下。请先发送「绑定 你的姓名」，支委确认后再发「到」。"
)


def nothing_near() -> str:
    return f"现在没有要你签到的会议（{_window()}）。"


def other_branch(meeting: MeetingView) -> str:
    return f"你在别的支部的名册上，本群的{label(meeting)}不记你的签到。"


def not_for_you(meeting: MeetingView) -> str:
    return f"{label(meeting)}（{name(meeting)}）不需要你签到。"


def not_yet(meeting: MeetingView) -> str:
    return (
        f"{label(meeting)} {name(meeting)} {hhmm(meeting.starts_at)}开始，"
        f"{hhmm(meeting.opens_at)}起可以发「到」签到。"
    )


def arrived(meeting: MeetingView, confirmation: Confirmation) -> str:
    if confirmation.new:
        return f"✅ {label(meeting)} 已签到" + ("（迟到）" if confirmation.late else "")
    return f"{label(meeting)} 你已在{hhmm(confirmation.confirmed_at)}签到过，不用再发。"


# --- 请假 -----------------------------------------------------------------------------------

LEAVE_NEED_REASON = "请写上请假原因。"
LEAVE_EXAMPLE = "请假 出差在外地"
LEAVE_NOT_BOUND = "你的QQ还没有绑定名册，请假记不到你名下。请先发送「绑定 你的姓名」。"
NO_OFFICER_REACHABLE = "\n（名册里没有能私聊到的支委，请直接告诉书记。）"
NO_MEETING_FOR_LEAVE = "近期没有需要你参加的会议，不用请假。"


def too_long(what: str, length: int, limit: int) -> str:
    return f"{what}太长了（{length}字），请控制在{limit}字以内。"


def leave_started(meeting: MeetingView) -> str:
    return (
        f"{label(meeting)} {name(meeting)} 已经开始，不能再请假了。"
        f"会后可发「补学 {meeting.id} 学习心得」补学。"
    )


def leave_present(meeting: MeetingView) -> str:
    return f"你已在{label(meeting)}签到，不用请假。"


_OUTCOME = {"": "等支委批准", "approved": "已批准", "refused": "未批准"}


def leave_asked(meeting: MeetingView, leave: LeaveView, new: bool, now: datetime) -> str:
    if new:
        return (
            f"已提交请假 #{leave.id}：{label(meeting)} {name(meeting)}，{when(meeting.starts_at, now)}。"
            "支委处理后私聊告诉你。"
        )
    return f"你已为{label(meeting)}请过假（#{leave.id}，{_OUTCOME.get(leave.outcome, '')}）。"


def leave_to_officer(
    meeting: MeetingView, leave: LeaveView, person: PersonView, now: datetime
) -> str:
    return (
        f"【请假 #{leave.id}】{person.name} 请假：{label(meeting)} {name(meeting)}，"
        f"{when(meeting.starts_at, now)}\n原因：{leave.reason}\n"
        f"回复「批准 {leave.id}」或「不批准 {leave.id}」。"
    )


# --- 批准 / 不批准 ------------------------------------------------------------------------------

DECIDE_USAGE = "编号是请假的数字（支委收到的请假通知里有）。"


def no_leave(number: int) -> str:
    return f"本支部没有编号为 {number} 的请假。"


def _word(approve: bool) -> str:
    return "批准" if approve else "不批准"


def decided_counts(leave: LeaveView, approve: bool) -> str:
    return f"已{_word(approve)}请假 #{leave.id}，会私聊告诉本人。"


def decided_private(leave: LeaveView, person: PersonView | None, approve: bool) -> str:
    who = f"（{person.name}）" if person else ""
    return f"已{_word(approve)}请假 #{leave.id}{who}，会私聊告诉本人。"


def already_decided(leave: LeaveView) -> str:
    return f"请假 #{leave.id} 已经处理过（{_OUTCOME.get(leave.outcome, '')}），没有改动。"


def decision_to_member(meeting: MeetingView | None, leave: LeaveView, approve: bool) -> str:
    what = f"{label(meeting)} {name(meeting)}（{at(meeting.starts_at)}）" if meeting else "会议"
    if approve:
        return f"你的请假 #{leave.id} 已批准：{what}。会后可发「补学 {leave.meeting_id} 学习心得」补学。"
    return f"你的请假 #{leave.id} 未批准：{what}，请按时参加。"


# --- 补学 -----------------------------------------------------------------------------------

MAKE_UP_USAGE = "请写会议编号和学习心得。"
MAKE_UP_EXAMPLE = "补学 12 学习了会议精神，体会是……"
MAKE_UP_NOT_BOUND = "你的QQ还没有绑定名册，补学记不到你名下。请先发送「绑定 你的姓名」。"


def made_up(meeting: MeetingView, new: bool, at_: datetime | None) -> str:
    if new:
        return f"✅ 已记录{label(meeting)}的补学心得。"
    return f"你已在{at(at_) if at_ else ''}记录过{label(meeting)}的补学，不用再发。"


def make_up_not_for_you(meeting: MeetingView) -> str:
    return f"{label(meeting)}（{name(meeting)}）没有要求你参加，不用补学。"


def make_up_not_ended(meeting: MeetingView) -> str:
    return f"{label(meeting)} 还没结束（{hhmm(meeting.ends_at)}结束），结束后没参加的可以补学。"


def make_up_attended(meeting: MeetingView) -> str:
    return f"你参加了{label(meeting)}，不用补学。"


# --- 补登 -----------------------------------------------------------------------------------

CORRECT_USAGE = "请写会议编号、姓名和「到」或「请假」。"
CORRECT_EXAMPLE = "补登 12 张三 到"


def no_person(name_: str) -> str:
    return f"本支部名册里没有「{name_}」。"


def not_expected(meeting: MeetingView) -> str:
    return f"此人不在{label(meeting)}（{name(meeting)}）的应到名单里。"


def corrected_counts(meeting: MeetingView, present: bool, new: bool) -> str:
    if not new:
        return f"{label(meeting)} 这条记录本来就有，没有改动。"
    what = "到" if present else "请假"
    return f"已补登{label(meeting)}：1人 {what}（记为支委补登）。"


def corrected_private(meeting: MeetingView, person: PersonView, present: bool, new: bool) -> str:
    if not new:
        return f"{label(meeting)} {person.name} 本来就记为{'到' if present else '请假'}，没有改动。"
    return f"已补登{label(meeting)}：{person.name} {'到' if present else '请假'}（记为支委补登）。"


def was_present(meeting: MeetingView) -> str:
    return f"此人已在{label(meeting)}签到，不能再登记请假。"


# --- reminders ---------------------------------------------------------------------------


def reminder(meeting: MeetingView, now: datetime) -> str:
    lines = [f"【会议提醒】{span(meeting, now)} {name(meeting)}"]
    if meeting.topic:
        lines.append(f"主题：{meeting.topic}")
    lines.append(f"{label(meeting)}：{_window()}；不能参加请发「请假 原因」。")
    return "\n".join(lines)
