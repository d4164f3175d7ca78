"""Reply and push texts of the reminder feature, in one place."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from bot.messages import clip
from bot.when import ParseError, Schedule, holidays_known, when

from .templates import NAMES

if TYPE_CHECKING:  # the services use this module's texts
    from .firings import Claim, Miss
    from .service import View

EXAMPLES = (
    "提醒 明天下午3点 支委会",
    "提醒 30分钟后 开会",
    "提醒 每周五15:00 三会一课学习",
    "提醒 每月1号9点 交党费",
    "提醒 工作日8:30 打卡",
)
PRIVATE_EXAMPLE = "提醒 明天上午9点 交材料"

GROUP_ADMINS_ONLY = (
    "在群里只有群主、群管理员和支委可以设提醒。想提醒自己，请私聊我，例：" + PRIVATE_EXAMPLE
)
MANAGE_ADMINS_ONLY = "「{name}」在群里只有群主、群管理员和支委可以使用。发「提醒列表」查看本群提醒"


def described(active: int, paused: int) -> str:
    """The feature's line in 设置."""
    return f"{active}条提醒进行中" + (f"，{paused}条暂停" if paused else "")


def _where(kind: str) -> str:
    return "本群" if kind == "group" else "你"


# --- 提醒


def need_time() -> str:
    return "请写上时间和内容。可以这样写：\n" + "\n".join(f"· {e}" for e in EXAMPLES)


def cannot_use(error: ParseError, now: datetime) -> str:
    if error.kind == "past":
        assert error.at is not None
        head = f"「{error.phrase}」是{when(error.at, now)}，已经过去了（现在{when(now, now)}）。"
        tail = "换个将来的时间，例如：\n· 提醒 明天上午9点 开会\n· 提醒 30分钟后 开会"
        return f"{head}\n{tail}"
    if error.kind == "invalid":
        head = f"「{error.phrase}」用不了：{error.reason}。"
    else:
        head = f"看不懂时间「{error.phrase}」。"
    body = "可以这样写（时间在前，内容在后）：\n" + "\n".join(f"· {e}" for e in EXAMPLES)
    return f"{head}\n{body}\n发「帮助 提醒」看全部写法"


def need_content(phrase: str) -> str:
    return f"时间「{phrase}」后面请写上提醒内容。\n例：提醒 {phrase} 支委会"


def too_long(length: int, limit: int) -> str:
    return f"提醒内容最多{limit}字，这条有{length}字，请精简后再发。\n例：{EXAMPLES[0]}"


def too_frequent(gap_minutes: int, limit: int) -> str:
    return (
        f"重复提醒的间隔不能少于{limit}分钟（这条最短只隔{gap_minutes}分钟）。"
        "\n例：提醒 每天8点 学习强国"
    )


def too_many(kind: str, count: int, limit: int) -> str:
    return (
        f"{_where(kind)}已有{count}条提醒，达到上限{limit}条。"
        "先发「取消提醒 编号」删掉不用的，再添加。发「提醒列表」查看"
    )


def _next_times(schedule: Schedule, times: Sequence[datetime], now: datetime) -> list[str]:
    if not times:
        return ["之后不会再提醒"]
    shown = "；".join(when(t, now) for t in times)
    lines = [f"下次：{shown}" if len(times) == 1 else f"接下来：{shown}"]
    if schedule.kind == "workday":
        unknown = sorted({t.year for t in times if not holidays_known(t.date())})
        if unknown:
            years = "、".join(str(y) for y in unknown)
            lines.append(f"（{years}年放假安排尚未公布，暂按周一至周五、避开元旦五一国庆）")
    return lines


def created(
    view: View,
    times: Sequence[datetime],
    now: datetime,
    notes: Sequence[str] = (),
    mention: str | None = None,
    verb: str = "已设置",
) -> str:
    lines = [f"✅ {verb}提醒 #{view.number}"]
    lines.append(f"时间：{view.schedule.describe(now)}")
    if notes:
        lines[-1] += f"（{'；'.join(notes)}）"
    lines.append(f"内容：{view.content}{RECEIPT_MARK if view.receipt else ''}")
    if view.schedule.recurring:
        lines += _next_times(view.schedule, times, now)
    if view.state == "paused":
        lines.append(f"（仍在暂停中，发「恢复提醒 {view.number}」恢复）")
    if mention:
        lines.append(mention)
    if view.receipt:
        lines.append(RECEIPT_WILL)
    lines.append(f"发「提醒列表」查看，「取消提醒 {view.number}」取消")
    return "\n".join(lines)


MENTION_WILL = "到时会@全体成员"


def mention_refused(reason: str) -> str:
    return f"注意：{reason}，到时无法@全体，会在提醒里说明"


MENTION_PRIVATE = "私聊提醒不能@全体，已忽略"

RECEIPT_WORDS = ("回执", "需回执", "要回执")
"""Typed as the last word of `提醒 …` / `修改提醒 …`: every firing asks for a receipt."""
RECEIPT_MARK = "（需回执）"
RECEIPT_WILL = "每次提醒时请大家回复「收到」，发「回执」看谁还没确认"
RECEIPT_EXAMPLE = "提醒 明天下午3点 支委会 回执"
RECEIPT_PRIVATE = "回执只能在支部群里收：私聊的提醒只提醒你自己，请在群里设要回执的提醒。"
RECEIPT_NO_ROSTER = (
    "本支部还没有名册，没法统计谁该回执。"
    "请先上传名册表格（姓名、QQ、状态、党小组…），再设要回执的提醒。"
)


# --- 提醒列表


def listing(kind: str, views: Sequence[View], now: datetime) -> str:
    if not views:
        if kind == "group":
            return (
                "本群还没有提醒。管理员可发「提醒 明天下午3点 支委会」，"
                "或发「提醒模板」一键创建三会一课、主题党日、党费提醒"
            )
        return f"你还没有提醒。例：{PRIVATE_EXAMPLE}"
    lines = [f"{'本群' if kind == 'group' else '你的'}提醒（{len(views)}条）："]
    for view in views:
        paused = "【已暂停】" if view.state == "paused" else ""
        marks = ("（@全体）" if view.mention_all else "") + (RECEIPT_MARK if view.receipt else "")
        head = f"#{view.number} {paused}{view.schedule.describe(now)}"
        if view.schedule.recurring and view.next_fire_at is not None:
            head += f"，下次{when(view.next_fire_at, now)}"
        lines.append(head)
        lines.append(f"　{clip(view.content, 60)}{marks}")
    lines.append("管理：取消提醒 编号 / 暂停提醒 编号 / 恢复提醒 编号 / 修改提醒 编号 时间")
    return "\n".join(lines)


# --- 取消 / 暂停 / 恢复 / 修改


NEED_NUMBER = "请写上提醒编号（发「提醒列表」查看）。"
EDIT_NEEDS_TIME = "请在编号后写上新的时间（和内容）。"


def not_found(kind: str, number: int) -> str:
    return f"{_where(kind)}没有编号为 {number} 的提醒。发「提醒列表」查看编号"


def _label(view: View) -> str:
    return f"#{view.number}（{clip(view.content, 20)}）"


def cancelled(view: View) -> str:
    return f"已取消提醒 {_label(view)}。发「提醒列表」查看其余提醒"


def paused(view: View) -> str:
    return f"已暂停提醒 {_label(view)}。发「恢复提醒 {view.number}」恢复"


def not_active(view: View) -> str:
    if view.state == "paused":
        return f"提醒 #{view.number} 已经是暂停状态。发「恢复提醒 {view.number}」恢复"
    return f"提醒 #{view.number} 已经提醒过了，不用暂停。发「提醒列表」查看"


def resumed(view: View, now: datetime) -> str:
    nxt = f"，下次{when(view.next_fire_at, now)}" if view.next_fire_at else ""
    return f"已恢复提醒 {_label(view)}{nxt}。发「提醒列表」查看"


def not_paused(view: View, now: datetime) -> str:
    if view.state == "active" and view.next_fire_at is not None:
        return (
            f"提醒 #{view.number} 没有暂停，下次{when(view.next_fire_at, now)}。"
            f"要暂停请发「暂停提醒 {view.number}」"
        )
    return f"提醒 #{view.number} 已经提醒过了。要再用，请发「修改提醒 {view.number} 时间」"


def expired(view: View, now: datetime) -> str:
    at = view.schedule.at
    shown = when(at, now) if at else "原定时间"
    return (
        f"提醒 #{view.number} 原定{shown}，已经过了，无法恢复。"
        f"\n请改个时间，例：修改提醒 {view.number} 明天下午3点"
    )


# --- 提醒模板


def template_unknown(word: str, names: Sequence[str]) -> str:
    return f"没有「{word}」这个模板。可选：{'、'.join(names)}\n例：提醒模板 三会一课"


def template_done(created: Sequence[View], existing: Sequence[View], now: datetime) -> str:
    lines: list[str] = []
    if created:
        lines.append(f"✅ 已创建{len(created)}条提醒：")
        lines += [_template_line(v, now) for v in created]
    if existing:
        lines.append(f"已有{len(existing)}条，未重复创建：")
        lines += [_template_line(v, now) for v in existing]
    example = (created or existing)[0].number if (created or existing) else 1
    lines.append(f"改时间：修改提醒 {example} 每月8号15:00；发「提醒列表」查看全部")
    return "\n".join(lines)


def _template_line(view: View, now: datetime) -> str:
    name = NAMES.get(view.template or "", clip(view.content, 12))
    state = "【已暂停】" if view.state == "paused" else ""
    return f"#{view.number} {state}{name} · {view.schedule.describe(now)}"


# --- pushes


def fired(
    claim: Claim, now: datetime, mention_note: str | None = None, subject_id: int | None = None
) -> str:
    schedule = claim.schedule
    lines = [f"⏰ 提醒：{claim.content}"]
    if claim.late(now):
        minutes = max(1, int((now - claim.fire_at).total_seconds() // 60))
        lines.append(f"（晚了{minutes}分钟：原定{when(claim.fire_at, now)}，机器人当时不在线）")
    if mention_note:
        lines.append(f"（未能@全体成员：{mention_note}）")
    every = schedule.describe(now) if schedule.recurring else "一次性"
    lines.append(f"#{claim.number} · {every} · 发「提醒列表」查看")
    if subject_id is not None:
        lines.append(f"看过请回复「收到」（编号 #{subject_id}）。")
    return "\n".join(lines)


def missed_summary(kind: str, misses: Sequence[Miss], grace_minutes: int, now: datetime) -> str:
    by_number: dict[int, list[Miss]] = {}
    for miss in misses:
        by_number.setdefault(miss.number, []).append(miss)
    lines = [
        f"⚠️ 机器人离线期间，{_where(kind)}有{len(misses)}次提醒超过{grace_minutes}分钟没能发出，"
        "不再补发："
    ]
    for number, group in list(by_number.items())[:8]:
        first = group[0]
        times = f"{when(first.fire_at, now)}" + (f" 起共{len(group)}次" if len(group) > 1 else "")
        lines.append(f"#{number} {clip(first.content, 20)}（{times}）")
    if len(by_number) > 8:
        lines.append(f"……等共{len(by_number)}条提醒")
    lines.append("后续提醒照常。发「提醒列表」查看")
    return "\n".join(lines)
