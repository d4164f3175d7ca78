"""A schedule (a reminder's, or one instant): its kinds, next fire times, and words.

Pure functions of the schedule and an instant; no database, no bot. What members type is
read into a `Schedule` by `grammar.py`. Fire times are whole minutes in the bot's zone
(BOT_TIMEZONE), except `N分钟后` / `N小时后`, which are exactly that long from now; `cron`
fields are read in that zone too.
"""

from __future__ import annotations

import functools
import itertools
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

from croniter import croniter
from croniter.croniter import CroniterError

from bot import clock

from .workdays import day_in, is_workday, last_day

Kind = Literal[
    "once", "daily", "weekly", "workday", "monthly", "monthly_weekday", "monthly_workday",
    "quarterly", "yearly", "cron",
]  # fmt: skip

WEEKDAY_NAMES = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
NTH_WORDS = {1: "第一个", 2: "第二个", 3: "第三个", 4: "第四个", 5: "第五个", -1: "最后一个"}
WORKDAY_NOTE = "（按国家法定节假日和调休）"
"""Said after every schedule that follows China's working days."""

DEFAULT_TIME = time(9, 0)


@dataclass(frozen=True)
class Schedule:
    """When something fires: once (`at`), or a recurring kind with its parameters. Immutable;
    stored as `to_spec()` JSON, rebuilt with `from_spec`."""

    kind: Kind
    at: datetime | None = None
    """once: the instant (UTC)."""
    tod: time | None = None
    """Recurring kinds but cron: local time of day."""
    days: tuple[int, ...] = ()
    """weekly / monthly_weekday: weekdays (0 = Monday); monthly / quarterly / yearly: days of
    the month (-1 = the last)."""
    month: int = 0
    """quarterly: month within the quarter (1–3); yearly: the month (1–12); monthly_weekday /
    monthly_workday: 0 every month, 1–3 that month of each quarter."""
    nth: int = 0
    """monthly_weekday / monthly_workday: the n-th such day of the month (1–5, -1 = the last)."""
    expr: str = ""
    """cron: five fields."""
    end: time | None = None
    """The end of a time range (14:00–17:00), local: shown, not fired at."""
    every: int = 0
    """daily: every N days; weekly: every N weeks (0: each), counted from `first`."""
    first: date | None = None
    """Recurring: fires from this day on (and counts `every` from it)."""
    last: date | None = None
    """Recurring: fires up to this day."""

    # --- storage

    def to_spec(self) -> str:
        """A compact JSON form the schedule can be rebuilt from (`from_spec`)."""
        data: dict[str, object] = {"k": self.kind}
        if self.at is not None:
            data["at"] = self.at.astimezone(UTC).isoformat()
        if self.tod is not None:
            data["t"] = _hhmm(self.tod)
        if self.days:
            data["d"] = list(self.days)
        if self.month:
            data["m"] = self.month
        if self.nth:
            data["n"] = self.nth
        if self.expr:
            data["e"] = self.expr
        if self.end is not None:
            data["u"] = _hhmm(self.end)
        if self.every:
            data["v"] = self.every
        if self.first is not None:
            data["f"] = self.first.isoformat()
        if self.last is not None:
            data["l"] = self.last.isoformat()
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_spec(cls, spec: str) -> Schedule:
        return _from_spec(spec)

    @classmethod
    def _decode(cls, spec: str) -> Schedule:
        data = json.loads(spec)
        return cls(
            kind=data["k"],
            at=datetime.fromisoformat(data["at"]) if "at" in data else None,
            tod=time.fromisoformat(data["t"]) if "t" in data else None,
            days=tuple(data.get("d", ())),
            month=int(data.get("m", 0)),
            nth=int(data.get("n", 0)),
            expr=str(data.get("e", "")),
            end=time.fromisoformat(data["u"]) if "u" in data else None,
            every=int(data.get("v", 0)),
            first=date.fromisoformat(data["f"]) if "f" in data else None,
            last=date.fromisoformat(data["l"]) if "l" in data else None,
        )

    @property
    def recurring(self) -> bool:
        return self.kind != "once"

    # --- fire times

    def next_after(self, after: datetime) -> datetime | None:
        """The first fire time strictly after `after` (UTC), or None when there is none."""
        if self.kind == "once":
            return self.at if self.at is not None and self.at > after else None
        zone = clock.zone()
        local = after.astimezone(zone)
        if self.kind == "cron":
            try:
                found = croniter(self.expr, local.replace(second=0, microsecond=0)).get_next(
                    datetime
                )
            except CroniterError:
                return None
            return found.astimezone(UTC)
        tod = self.tod or DEFAULT_TIME
        day = local.date()
        if self.first is not None and day < self.first:
            day = self.first
        for _ in range(800 * max(1, self.every)):  # every kind fires at least once in that
            if self.last is not None and day > self.last:
                return None
            if self._fires_on(day):
                candidate = datetime.combine(day, tod, tzinfo=zone).astimezone(UTC)
                if candidate > after:
                    return candidate
            day += timedelta(days=1)
        return None

    def upcoming(self, after: datetime, count: int = 3) -> list[datetime]:
        times: list[datetime] = []
        current: datetime | None = after
        while len(times) < count and current is not None:
            current = self.next_after(current)
            if current is not None:
                times.append(current)
        return times

    def _in_step(self, day: date) -> bool:
        """Whether `day` is in an `every`-th day or week, counted from `first`."""
        if self.every <= 1 or self.first is None:
            return True
        if self.kind == "weekly":
            weeks = (week_start(day) - week_start(self.first)).days // 7
            return weeks % self.every == 0
        return (day - self.first).days % self.every == 0

    def _in_month(self, day: date) -> bool:
        """monthly_weekday / monthly_workday: `month` 1–3 picks a month of each quarter."""
        return not self.month or (day.month - 1) % 3 + 1 == self.month

    def _fires_on(self, day: date) -> bool:
        match self.kind:
            case "daily":
                return self._in_step(day)
            case "weekly":
                return day.weekday() in self.days and self._in_step(day)
            case "workday":
                return is_workday(day)
            case "monthly":
                return any(day.day == day_in(day.year, day.month, d) for d in self.days)
            case "monthly_weekday":
                if day.weekday() not in self.days or not self._in_month(day):
                    return False
                if self.nth == -1:
                    return day.day + 7 > last_day(day.year, day.month)
                return (day.day - 1) // 7 + 1 == self.nth
            case "monthly_workday":
                if not self._in_month(day) or not is_workday(day):
                    return False
                step = timedelta(days=1 if self.nth == -1 else -1)
                other = day + step
                while other.month == day.month:
                    if is_workday(other):
                        return False
                    other += step
                return True
            case "quarterly":
                return (day.month - 1) % 3 + 1 == self.month and any(
                    day.day == day_in(day.year, day.month, d) for d in self.days
                )
            case "yearly":
                return day.month == self.month and any(
                    day.day == day_in(day.year, day.month, d) for d in self.days
                )
        return False

    def shortest_gap(self, after: datetime, samples: int = 60) -> timedelta | None:
        """The shortest time between two consecutive firings after `after` (recurring only)."""
        times = self.upcoming(after, samples)
        gaps = [b - a for a, b in itertools.pairwise(times)]
        return min(gaps) if gaps else None

    # --- words

    def describe(self, now: datetime | None = None) -> str:
        """The schedule in words, which the grammar reads back as this very schedule:
        每周一、三、五 07:30; 明天（12月1日 周二）14:00–17:00; 12月7日至12月11日 每天 09:00."""
        hhmm = _hhmm(self.tod or DEFAULT_TIME) + (f"–{_hhmm(self.end)}" if self.end else "")
        every = f"{self.every}" if self.every > 1 else ""
        match self.kind:
            case "once":
                if self.at is None:
                    return "一次"
                return when(self.at, now) + (f"–{_hhmm(self.end)}" if self.end else "")
            case "daily":
                text = f"每{every}天 {hhmm}"
            case "weekly":
                if tuple(sorted(self.days)) == (5, 6) and not every:
                    text = f"每周六、周日 {hhmm}"
                else:
                    text = f"每{every}周{'的周' if every else ''}{_weekday_words(self.days)} {hhmm}"
            case "workday":
                text = f"工作日 {hhmm}{WORKDAY_NOTE}"
            case "monthly":
                text = f"每月{_days_words(self.days)} {hhmm}"
            case "monthly_weekday":
                text = f"{_month_words(self.month)}{NTH_WORDS[self.nth]}"
                text += f"{WEEKDAY_NAMES[self.days[0]]} {hhmm}"
            case "monthly_workday":
                text = f"{_month_words(self.month)}{NTH_WORDS[self.nth]}工作日 {hhmm}"
                text += WORKDAY_NOTE
            case "quarterly":
                text = f"{_month_words(self.month)}{_days_words(self.days)} {hhmm}"
            case "yearly":
                day = self.days[0]
                text = (
                    f"每年{self.month}月" + ("最后一天" if day == -1 else f"{day}日") + f" {hhmm}"
                )
            case "cron":
                return f"cron「{self.expr}」（{describe_cron(self.expr)}）"
        return _window_words(self.first, self.last, now) + text


def _hhmm(tod: time) -> str:
    return tod.strftime("%H:%M:%S" if tod.second else "%H:%M")


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _month_words(month: int) -> str:
    """每月, or for a month of each quarter 每季度第三个月（3、6、9、12月）."""
    if not month:
        return "每月"
    months = "、".join(str(month + 3 * q) for q in range(4))
    return f"每季度第{'一二三'[month - 1]}个月（{months}月）"


def _window_words(first: date | None, last: date | None, now: datetime | None) -> str:
    """12月7日至12月11日 / 12月9日起 (with the year when it is not this year or has passed)."""
    if first is None and last is None:
        return ""
    today = clock.today(now or clock.now())

    def day_words(day: date) -> str:
        text = f"{day.month}月{day.day}日"
        return f"{day.year}年{text}" if day.year != today.year or day < today else text

    if last is None:
        assert first is not None
        return f"{day_words(first)}起 "
    return f"{day_words(first or today)}至{day_words(last)} "


@functools.lru_cache(maxsize=4096)
def _from_spec(spec: str) -> Schedule:
    """Schedules are immutable and many reminders share one (每月1号 09:00)."""
    return Schedule._decode(spec)


def _weekday_words(days: tuple[int, ...]) -> str:
    """(0, 1, 2, 3, 4) → 一至五; (0, 2, 4) → 一、三、五."""
    ordered = sorted(days)
    if len(ordered) >= 3 and ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"{WEEKDAY_NAMES[ordered[0]][1]}至{WEEKDAY_NAMES[ordered[-1]][1]}"
    return "、".join(WEEKDAY_NAMES[d][1] for d in ordered)


def _days_words(days: tuple[int, ...]) -> str:
    words = ["最后一天" if d == -1 else f"{d}号" for d in days]
    text = "、".join(words)
    if any(d > 28 for d in days):
        text += "（没有这天的月份在月末）"
    return text


_CRON_NAMES = {
    "Monday": "周一", "Tuesday": "周二", "Wednesday": "周三", "Thursday": "周四",
    "Friday": "周五", "Saturday": "周六", "Sunday": "周日",
    "January": "1月", "February": "2月", "March": "3月", "April": "4月", "May": "5月",
    "June": "6月", "July": "7月", "August": "8月", "September": "9月", "October": "10月",
    "November": "11月", "December": "12月",
}  # fmt: skip


@functools.lru_cache(maxsize=1024)
def describe_cron(expr: str) -> str:
    """A cron expression in Chinese words (cron-descriptor, with its English names replaced)."""
    from cron_descriptor import Options, get_description

    options = Options()
    options.locale_code = "zh_CN"
    options.use_24hour_time_format = True
    try:
        text = get_description(expr, options)
    except Exception:  # cron-descriptor raises its own assorted errors; croniter validated it
        return "自定义时间"
    for english, chinese in _CRON_NAMES.items():
        text = text.replace(english, chinese)
    return " ".join(text.replace(", 和 ", "和").replace(", ", "，").split())


def when(at: datetime, now: datetime | None = None) -> str:
    """An instant for people: 明天（12月1日 周二）15:00, 12月7日（周一）09:00, 2027年…"""
    now = now or clock.now()
    local, today = at.astimezone(clock.zone()), clock.today(now)
    day = local.date()
    hhmm = _hhmm(local.time())
    label = f"{day.month}月{day.day}日"
    if day.year != today.year:
        label = f"{day.year}年{label}"
    relative = {0: "今天", 1: "明天", 2: "后天"}.get((day - today).days)
    weekday = WEEKDAY_NAMES[day.weekday()]
    if relative:
        return f"{relative}（{label} {weekday}）{hhmm}"
    return f"{label}（{weekday}）{hhmm}"
