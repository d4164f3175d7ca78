"""Reply and push texts of the reminder feature, in one place."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Literal

from bot.messages import clip

from .schedule import WEEKDAY_NAMES, Schedule, when
from .templates import NAMES
from .workdays import holidays_known

if TYPE_CHECKING:  # the grammar and the services use this module's texts
    from .dates import ParseError
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


# --- reading times: notes said with the restated time, and why a time cannot be used


def _hhmm(tod: time) -> str:
    return tod.strftime("%H:%M")


def _md(day: date) -> str:
    return f"{day.month}月{day.day}日"


def note_no_hour(tod: time) -> str:
    return f"没写几点，按{_hhmm(tod)}"


def note_period_default(word: str, tod: time) -> str:
    return f"「{word}」没写几点，按{_hhmm(tod)}"


def note_next_day(said: str, tod: time) -> str:
    return f"「{said}」按次日{_hhmm(tod)}"


def note_today_passed(tod: time) -> str:
    return f"今天{_hhmm(tod)}已过，按明天"


NOTE_WEEKEND = "周末按周六"
NOTE_WEEKEND_SUNDAY = "周六已过，按周日"
NOTE_WINDOW_DAILY = "日期范围内每天提醒"
NOTE_FIRST_DAY = "没写哪天，按第一天"
NOTE_FIRST_OF_MONTH = "没写几号，按1号"


def note_festival(name: str, day: date) -> str:
    return f"{name}是{_md(day)}"


def note_around_holiday(name: str, *, after: bool) -> str:
    return f"{name}{'假后第一个' if after else '假前最后一个'}工作日"


def note_lunar(words: str, day: date) -> str:
    return f"{words}是{_md(day)}"


def note_month_part_passed(part: str, day: date) -> str:
    return f"本月{part}已过，按下月{day.day}号"


def note_numeric_date(said: str, day: date) -> str:
    return f"「{said}」按{_md(day)}"


def note_every(said: str, step: int, unit: Literal["天", "周"]) -> str:
    return f"「{said}」即每{step}{unit}一次"


def note_deadline(
    said: str, when: Literal["day before", "same day", "hour before", "at the deadline"]
) -> str:
    told = {
        "day before": "截止前一天提醒",
        "same day": "截止当天提醒",
        "hour before": "截止前1小时提醒",
        "at the deadline": "离截止不到1小时，按截止时间提醒",
    }
    return f"「{said}」：{told[when]}"


def need_hour(word: str) -> str:
    return f"「{word}」请写几点，例：明天{word}5点"


def check_mismatch(day: date) -> str:
    return f"那天是{_md(day)}{WEEKDAY_NAMES[day.weekday()]}，对不上"


def holidays_unknown(name: str, day: date, until: int) -> str:
    return (
        f"{day.year}年{name}的放假安排还没公布（节假日数据到{until}年），"
        f"请写具体日期，例：提醒 {day.year}年{_md(day)} 9点 {name}"
    )


def no_days_off(name: str) -> str:
    return f"{name}不放假，没有节前节后的工作日，请写具体日期"


def no_lunar_day(words: str, *, last_of_year: bool) -> str:
    return f"最近三年都没有{words}" + ("；除夕请写「除夕」" if last_of_year else "")


def no_such_hour(period: str, hour: int) -> str:
    return f"{period}没有{hour}点"


def no_such_day(month: int, day: int) -> str:
    return f"{month}月没有{day}日"


RANGE_END_EARLY = "结束时间要晚于开始时间，且在同一天"
LUNAR_RANGE = "农历月份1–12（正月…腊月），日子初一到三十"
LUNAR_OR_SOLAR = "农历请写「农历八月十五」，公历请写「8月15日」"
LUNAR_YEARLY = "农历节日每年日期不同，请每年设一次，例：提醒 中秋节 9点 发月饼"
DAY_OF_MONTH_RANGE = "日期应在1–31号之间"
HOUR_RANGE = "小时应在0–23、分钟在0–59之间"
MONTH_RANGE = "月份应在1–12之间"
YEAR_RANGE = "年份不对"
NEVER_FIRES = "这个时间永远不会到"
HOUR_AFTER_CONTENT = "几点要紧跟日期写在内容前面，如：提醒 明天下午3点 开会"
CRON_INVALID = "cron 表达式有误（5段：分 时 日 月 周）"
WINDOW_END_EARLY = "结束日期要晚于开始日期"
WINDOW_NEEDS_TIME = "日期范围后请写每天几点，例：提醒 下周一到周五每天9点 培训签到"
MIDNIGHT_IS_NEXT_DAY = "这是第二天0点，请直接写那天的「0点」，例：每月2号0点"
DAY_GAP_RANGE = "间隔请写1–365天"
WEEKDAY_RANGE_ORDER = "星期范围请写成「一至五」"
NTH_TOO_BIG = "每月最多有5个同一星期几"
WORKDAY_NTH = "工作日请写「第一个」或「最后一个」"
QUARTER_MONTH = "季度只有第一、二、三个月"
WHOLE_DAYS = "天数请写整数"
WHOLE_MINUTES = "最短1分钟，请写整分钟"
TOO_FAR = "最远十年"
MONTHS_RANGE = "月数请写1–120的整数"


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
    lines.append(f"内容：{view.content}")
    if view.schedule.recurring:
        lines += _next_times(view.schedule, times, now)
    if view.state == "paused":
        lines.append(f"（仍在暂停中，发「恢复提醒 {view.number}」恢复）")
    if mention:
        lines.append(mention)
    lines.append(f"发「提醒列表」查看，「取消提醒 {view.number}」取消")
    return "\n".join(lines)


MENTION_WILL = "到时会@全体成员"


def mention_refused(reason: str) -> str:
    return f"注意：{reason}，到时无法@全体，会在提醒里说明"


MENTION_PRIVATE = "私聊提醒不能@全体，已忽略"


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
        mention = "（@全体）" if view.mention_all else ""
        head = f"#{view.number} {paused}{view.schedule.describe(now)}"
        if view.schedule.recurring and view.next_fire_at is not None:
            head += f"，下次{when(view.next_fire_at, now)}"
        lines.append(head)
        lines.append(f"　{clip(view.content, 60)}{mention}")
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


def fired(claim: Claim, now: datetime, mention_note: str | None = None) -> str:
    schedule = claim.schedule
    lines = [f"⏰ 提醒：{claim.content}"]
    if claim.late(now):
        minutes = max(1, int((now - claim.fire_at).total_seconds() // 60))
        lines.append(f"（晚了{minutes}分钟：原定{when(claim.fire_at, now)}，机器人当时不在线）")
    if mention_note:
        lines.append(f"（未能@全体成员：{mention_note}）")
    every = schedule.describe(now) if schedule.recurring else "一次性"
    lines.append(f"#{claim.number} · {every} · 发「提醒列表」查看")
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
