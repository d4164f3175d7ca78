"""Reply texts of the check-in feature, in one place."""

from __future__ import annotations

from datetime import date

from bot.platform import Member
from bot.points import Period, Standing

from .service import Outcome, Streaks

PERIOD_WORDS: dict[str, Period] = {
    "今日": Period.DAY,
    "今天": Period.DAY,
    "日": Period.DAY,
    "本周": Period.WEEK,
    "这周": Period.WEEK,
    "周": Period.WEEK,
    "本月": Period.MONTH,
    "这个月": Period.MONTH,
    "月": Period.MONTH,
    "总": Period.ALL,
    "总榜": Period.ALL,
    "全部": Period.ALL,
    "累计": Period.ALL,
}


def md(day: date) -> str:
    return f"{day.month}月{day.day}日"


def signed_in(outcome: Outcome, note: str | None, name: str) -> str:
    """`name` leads the reply so that, when many check in at once, each sees their own."""
    if not outcome.created:
        return (
            f"{name} 今天已签到（第{outcome.rank}位，连续{outcome.streak}天），明天再来！"
            f"\n累计{outcome.total}分。发「我的」看积分"
        )
    gained = outcome.base + outcome.bonus
    detail = f"（连续加{outcome.bonus}）" if outcome.bonus else ""
    lines = [
        f"{name} ✅ 签到成功！今天第{outcome.rank}位，连续{outcome.streak}天",
        f"+{gained}分{detail}，累计{outcome.total}分",
    ]
    if note:
        lines.append(f"心得：{note}")
    lines.append("发「排行榜」看本周排名")
    return "\n".join(lines)


def profile(
    name: str,
    total: Standing | None,
    week: Standing | None,
    streaks: Streaks,
    extra: list[str],
) -> str:
    lines = [f"{name} 的学习积分"]
    if total is None:
        lines.append("还没有积分，发「签到」开始吧")
    else:
        week_part = f"本周{week.amount}分（第{week.rank}名）" if week else "本周还没有积分"
        lines.append(f"累计{total.amount}分（群内第{total.rank}名），{week_part}")
    today = "今天已签到" if streaks.today else "今天还没签到"
    lines.append(
        f"连续签到{streaks.current}天，最长{streaks.longest}天，共{streaks.days}天；{today}"
    )
    lines.extend(extra)
    return "\n".join(lines)


def board_title(period: Period, day: date, start: date, end: date) -> str:
    match period:
        case Period.DAY:
            return f"🏆 今日积分榜（{md(day)}）"
        case Period.WEEK:
            return f"🏆 本周积分榜（{md(start)}–{md(end)}）"
        case Period.MONTH:
            return f"🏆 本月积分榜（{day.month}月）"
        case Period.ALL:
            return "🏆 总积分榜"


def board(
    title: str, rows: list[Standing], names: dict[str, str], me: Standing | None, my_id: str
) -> str:
    if not rows:
        return f"{title}\n还没有人得分，发「签到」做第一个吧"
    lines = [title]
    lines += [f"{row.rank}. {names.get(row.user_id, row.user_id)} {row.amount}分" for row in rows]
    if all(row.user_id != my_id for row in rows):
        lines.append(f"你：第{me.rank}名，{me.amount}分" if me else "你：还没有积分，发「签到」吧")
    return "\n".join(lines)


def percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "—"


def stats(
    period: Period, today: date, start: date, people: list[Member], counts: dict[str, int]
) -> str:
    """`people`: the group's members (bots excluded)."""
    total = len(people)
    done = [m for m in people if m.user_id in counts]
    if period is Period.DAY:
        lines = [f"今日（{md(today)}）签到 {len(done)}/{total} 人（{percent(len(done), total)}）"]
        missing = [m.name for m in people if m.user_id not in counts]
        if missing:
            lines.append(f"还没签到（{len(missing)}人）：" + "、".join(missing))
        elif total:
            lines.append("全员已签到 👍")
        return "\n".join(lines)
    days = (today - start).days + 1
    times = sum(counts.get(m.user_id, 0) for m in people)
    every_day = sum(1 for m in people if counts.get(m.user_id, 0) >= days)
    label = (
        f"本周（{md(start)}起，已过{days}天）" if period is Period.WEEK else f"本月（已过{days}天）"
    )
    return "\n".join(
        [
            f"{label}签到 {times} 人次，"
            f"签到率 {percent(times, total * days)}（按 {total} 名成员计）",
            f"至少签到一次：{len(done)} 人；每天都签到：{every_day} 人",
        ]
    )
