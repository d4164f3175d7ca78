"""Reading reminder times: what members type → a `Schedule`.

The grammar is small and anchored at the start of the argument: a time expression, then the
reminder's content. Anything outside it is refused with examples — the bot never guesses
silently, and every reading it accepts is restated in words (`Schedule.describe`) with the
next fire times.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

from croniter import croniter

from bot import clock

from .schedule import DEFAULT_TIME, Schedule
from .workdays import last_day

_WEEKDAY_CHARS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "七": 6}
_NTH_WORDS = {1: "第一个", 2: "第二个", 3: "第三个", 4: "第四个", 5: "第五个", -1: "最后一个"}


class ParseError(Exception):
    """Why a time could not be used: unreadable, invalid (2月30日) or in the past."""

    def __init__(
        self,
        kind: Literal["unreadable", "invalid", "past"],
        phrase: str,
        reason: str = "",
        at: datetime | None = None,
    ) -> None:
        super().__init__(f"{kind}: {phrase} {reason}")
        self.kind = kind
        self.phrase = phrase
        self.reason = reason
        self.at = at


@dataclass(frozen=True)
class Parsed:
    schedule: Schedule
    phrase: str
    """The time expression as typed."""
    content: str
    """What follows it: the reminder's text (may be empty)."""
    notes: list[str] = field(default_factory=list)
    """Readings worth saying aloud, e.g. 「8点」已过，按明天."""


_CN = "零〇一二两三四五六七八九十廿"
_NUM = rf"(?:\d{{1,4}}|[{_CN}]{{1,4}})"
_WD = "[一二三四五六日天七]"
_WEEK = "(?:周|星期|礼拜)"
_SEP = "[、,，/和及与]"
_PERIOD = "(?:凌晨|清晨|早上|早晨|上午|中午|午间|下午|午后|傍晚|晚上|晚间|夜里|夜间|早|晚)"
_EVENING = {"下午", "午后", "傍晚", "晚上", "晚间", "夜里", "夜间", "晚"}
_MORNING = {"凌晨", "清晨", "早上", "早晨", "上午", "早"}

_TOD = re.compile(
    rf"(?P<period>{_PERIOD})?\s?"
    rf"(?:(?P<h1>\d{{1,2}}):(?P<m1>\d{{2}})"
    rf"|(?P<h2>\d{{1,2}}|[{_CN}]{{1,3}})[点时](?:钟)?"
    rf"(?:(?P<half>半)|(?P<q1>一刻)|(?P<q3>三刻)|整"
    rf"|(?P<m2>\d{{1,2}}|[{_CN}]{{1,3}})分(?:钟)?"
    rf"|(?P<m3>\d{{2}}|[{_CN}]{{2,3}})(?![分钟\d{_CN}]))?)"
)
_RELATIVE = re.compile(
    rf"(?:(?P<h>{_NUM})(?:个)?(?:小时|钟头)(?P<hm>{_NUM})分(?:钟)?"
    rf"|(?P<n>{_NUM}|半)(?:个)?(?P<half>半)?(?P<unit>小时|钟头|分钟|分|刻钟|天|周|星期))"
    r"(?:之|以)?后"
)
_DAY_WORDS = {
    "今天": (0, None), "今日": (0, None), "今早": (0, "早上"), "今晚": (0, "晚上"),
    "今夜": (0, "晚上"), "明天": (1, None), "明日": (1, None), "明早": (1, "早上"),
    "明晚": (1, "晚上"), "后天": (2, None), "大后天": (3, None),
}  # fmt: skip
_DAY_WORD = re.compile("|".join(sorted(_DAY_WORDS, key=len, reverse=True)))
_WEEKDAY = re.compile(rf"(?P<which>下下个?|下个?|本|这个?)?{_WEEK}(?P<wd>{_WD})")
_ISO_DATE = re.compile(r"(?P<y>\d{4})[-/.](?P<mo>\d{1,2})[-/.](?P<d>\d{1,2})[日号]?")
_CN_DATE = re.compile(rf"(?:(?P<y>\d{{4}})年)?(?P<mo>{_NUM})月(?P<d>{_NUM})[日号]")
_MONTH_DAY = re.compile(rf"(?P<d>{_NUM})[日号]")

_EVERY_DAY = re.compile("(?:每天|每日|天天)")
_WORKDAY = re.compile("(?:每个?)?工作日(?:每天)?")
_EVERY_WEEK = re.compile(rf"(?:每个?{_WEEK}|每逢{_WEEK}?)")
_WEEKEND = re.compile(rf"每个?{_WEEK}?末")
_WEEKDAY_JOINT = re.compile(rf"(?:(?P<range>至|到|-|~)|{_SEP})?{_WEEK}?")
_EVERY_MONTH = re.compile("每个?月(?:的)?")
_NTH_WEEKDAY = re.compile(
    rf"(?:第(?P<n>{_NUM})个?|(?P<last>最后一个|最后))(?:{_WEEK})(?P<wd>{_WD})"
)
_DAY_LIST = re.compile(rf"(?P<list>{_NUM}[号日](?:{_SEP}*{_NUM}[号日])*)")
_LAST_DAY = re.compile("(?:最后一天|月底|月末)")
_EVERY_QUARTER = re.compile("每(?:个)?季度?(?:的)?")
_QUARTER_MONTH = re.compile(rf"第(?P<m>{_NUM})个?月")
_EVERY_YEAR = re.compile("每年(?:的)?")
_MINUTES = {"小时": 60, "钟头": 60, "分钟": 1, "分": 1, "刻钟": 15}
_CRON = re.compile(
    r"cron\s+(?P<expr>[0-9*/,\-A-Za-z?#LW]+(?:\s+[0-9*/,\-A-Za-z?#LW]+){4})(?=\s|$)",
    re.IGNORECASE,
)


def number(text: str) -> int:
    """A number as typed: 12, 十二, 两, 二十五, 零五."""
    if text.isdigit():
        return int(text)
    import cn2an  # here, not at the top: importing it costs 0.4 s of every start-up

    try:
        return int(cn2an.cn2an(text.replace("廿", "二十"), "smart"))
    except Exception as e:  # cn2an raises ValueError and others for odd numerals
        raise ValueError(f"not a number: {text}") from e


def fold(text: str) -> str:
    """Full-width digits, letters and punctuation made ASCII, one character for one, so
    positions in the folded text are positions in the original."""
    out = []
    for ch in text:
        folded = unicodedata.normalize("NFKC", ch)
        out.append(folded if len(folded) == 1 else ch)
    return "".join(out)


def parse(text: str, now: datetime | None = None, default_time: time = DEFAULT_TIME) -> Parsed:
    """Read `<时间> <内容>`; raises ParseError when the time cannot be used."""
    return _Parser(text, (now or clock.now()).astimezone(UTC), default_time).run()


class _Parser:
    def __init__(self, text: str, now: datetime, default_time: time) -> None:
        self.original = text.strip()
        self.text = fold(self.original)
        self.pos = 0
        self.now = now
        self.default_time = default_time
        self.notes: list[str] = []
        self.zone = clock.zone()
        self.local_now = now.astimezone(self.zone)
        self.today = self.local_now.date()

    # --- cursor

    def take(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        found = pattern.match(self.text, self.pos)
        if found:
            self.pos = found.end()
        return found

    def skip_space(self) -> None:
        while self.text[self.pos : self.pos + 1] == " ":
            self.pos += 1

    # --- whole

    def run(self) -> Parsed:
        try:
            schedule = self.recurring() or self.one_off()
        except ValueError:
            schedule = None
        if schedule is None:
            raise ParseError("unreadable", self.original.split(" ")[0][:20])
        phrase = self.original[: self.pos].strip()
        if schedule.kind == "once":
            assert schedule.at is not None
            if schedule.at <= self.now:
                raise ParseError("past", phrase, at=schedule.at)
        elif schedule.next_after(self.now) is None:
            raise ParseError("invalid", phrase, "这个时间永远不会到")
        content = self.original[self.pos :].strip().lstrip("，,：:、").strip()
        return Parsed(schedule, phrase, content, self.notes)

    # --- time of day

    def time_of_day(self, period: str | None = None) -> time | None:
        start = self.pos
        found = self.take(_TOD)
        if found is None:
            return None
        period = found["period"] or period
        try:
            if found["h1"] is not None:
                hour, minute = int(found["h1"]), int(found["m1"])
            else:
                hour = number(found["h2"])
                minute = 0
                if found["half"]:
                    minute = 30
                elif found["q1"]:
                    minute = 15
                elif found["q3"]:
                    minute = 45
                elif found["m2"] or found["m3"]:
                    minute = number(found["m2"] or found["m3"])
        except ValueError:
            self.pos = start
            return None
        if (period in _EVENING and 1 <= hour < 12) or (
            period in ("中午", "午间") and 1 <= hour <= 3
        ):
            hour += 12
        elif period == "凌晨" and hour == 12:
            hour = 0
        if period in _MORNING and hour > 12:
            raise ParseError("invalid", found.group(0), f"{period}没有{hour}点")
        if hour > 23 or minute > 59:
            raise ParseError("invalid", found.group(0), "小时应在0–23、分钟在0–59之间")
        return time(hour, minute)

    def optional_time(self, period: str | None = None) -> time:
        mark = self.pos
        self.skip_space()
        tod = self.time_of_day(period)
        if tod is not None:
            return tod
        self.pos = mark
        if period is not None:  # 今晚 without an hour
            raise ParseError("unreadable", self.original[: self.pos])
        self.notes.append(f"没写几点，按{self.default_time.strftime('%H:%M')}")
        return self.default_time

    # --- recurring

    def recurring(self) -> Schedule | None:
        start = self.pos
        if found := self.take(_CRON):
            expr = " ".join(found["expr"].split())
            if not croniter.is_valid(expr):
                raise ParseError(
                    "invalid", found.group(0), "cron 表达式有误（5段：分 时 日 月 周）"
                )
            return Schedule("cron", expr=expr)
        if self.take(_EVERY_DAY):
            return Schedule("daily", tod=self.optional_time())
        if self.take(_WORKDAY):
            return Schedule("workday", tod=self.optional_time())
        if self.take(_WEEKEND):
            return Schedule("weekly", tod=self.optional_time(), days=(5, 6))
        if self.take(_EVERY_WEEK):
            days = self.weekday_list()
            if days is None:
                self.pos = start
                return None
            return Schedule("weekly", tod=self.optional_time(), days=days)
        if self.take(_EVERY_MONTH):
            return self.monthly(start)
        if self.take(_EVERY_QUARTER):
            month = 1
            if found := self.take(_QUARTER_MONTH):
                month = number(found["m"])
                if not 1 <= month <= 3:
                    raise ParseError("invalid", found.group(0), "季度只有第一、二、三个月")
            days = self.month_days()
            if days is None:
                self.pos = start
                return None
            return Schedule("quarterly", tod=self.optional_time(), days=days, month=month)
        if self.take(_EVERY_YEAR):
            found = self.take(_CN_DATE)
            if found is None or found["y"]:
                self.pos = start
                return None
            month, day = number(found["mo"]), number(found["d"])
            _check_date(2024, month, day, found.group(0))  # a leap year: 2月29日 is allowed
            return Schedule("yearly", tod=self.optional_time(), days=(day,), month=month)
        return None

    def weekday_list(self) -> tuple[int, ...] | None:
        """一三五, 一、三、五, 一至五, 一和周三: weekdays in a row. Without a separator the
        days must increase, so 每周五一起学习 is Friday and 一起学习."""
        text = self.text
        if text[self.pos : self.pos + 1] not in _WEEKDAY_CHARS:
            return None
        days = [_WEEKDAY_CHARS[text[self.pos]]]
        self.pos += 1
        while True:
            joint = _WEEKDAY_JOINT.match(text, self.pos)
            assert joint is not None  # every part is optional
            char = text[joint.end() : joint.end() + 1]
            if char not in _WEEKDAY_CHARS:
                break
            value = _WEEKDAY_CHARS[char]
            if joint["range"]:
                if value <= days[-1]:
                    raise ParseError(
                        "invalid", text[self.pos - 1 : joint.end() + 1], "星期范围请写成「一至五」"
                    )
                days.extend(range(days[-1] + 1, value + 1))
            elif not joint.group(0) and value <= days[-1]:
                break
            else:
                days.append(value)
            self.pos = joint.end() + 1
        # 每周三四点: the last character was the hour, not Thursday.
        if (
            len(days) > 1
            and text[self.pos : self.pos + 1] in ("点", "时")
            and text[self.pos - 2 : self.pos - 1] in _WEEKDAY_CHARS
        ):
            self.pos -= 1
            days.pop()
        return tuple(sorted(set(days)))

    def month_days(self) -> tuple[int, ...] | None:
        if self.take(_LAST_DAY):
            return (-1,)
        found = self.take(_DAY_LIST)
        if found is None:
            return None
        days = sorted({number(n) for n in re.findall(rf"({_NUM})[号日]", found.group(0))})
        if days[0] < 1 or days[-1] > 31:
            raise ParseError("invalid", found.group(0), "日期应在1–31号之间")
        return tuple(days)

    def monthly(self, start: int) -> Schedule | None:
        if found := self.take(_NTH_WEEKDAY):
            nth = -1 if found["last"] else number(found["n"]) if found["n"] else 1
            if nth not in _NTH_WORDS:
                raise ParseError("invalid", found.group(0), "每月最多有5个同一星期几")
            weekday = _WEEKDAY_CHARS[found["wd"]]
            return Schedule("monthly_weekday", tod=self.optional_time(), days=(weekday,), nth=nth)
        days = self.month_days()
        if days is None:
            self.pos = start
            return None
        return Schedule("monthly", tod=self.optional_time(), days=days)

    # --- one-off

    def at(self, day: date, tod: time) -> Schedule:
        return Schedule("once", at=datetime.combine(day, tod, tzinfo=self.zone).astimezone(UTC))

    def one_off(self) -> Schedule | None:
        return (
            self.relative()
            or self.day_word()
            or self.weekday()
            or self.full_date()
            or self.month_day()
            or self.bare_time()
        )

    def relative(self) -> Schedule | None:
        found = self.take(_RELATIVE)
        if found is None:
            return None
        if found["h"] is not None:
            minutes = 60 * number(found["h"]) + number(found["hm"])
        else:
            amount = 0.5 if found["n"] == "半" else float(number(found["n"]))
            if found["half"]:
                amount += 0.5
            unit = found["unit"]
            if unit in ("天", "周", "星期"):
                days = amount * (1 if unit == "天" else 7)
                if days != int(days) or days < 1:
                    raise ParseError("invalid", found.group(0), "天数请写整数")
                mark = self.pos
                self.skip_space()
                tod = self.time_of_day()
                if tod is not None:
                    return self.at(self.today + timedelta(days=int(days)), tod)
                self.pos = mark
                minutes = days * 24 * 60
            else:
                minutes = amount * _MINUTES[unit]
        if minutes < 1 or minutes != int(minutes):
            raise ParseError("invalid", found.group(0), "最短1分钟，请写整分钟")
        # That long from now, rounded up to the second: `1分钟后` is never early.
        at = self.local_now + timedelta(minutes=minutes)
        if at.microsecond:
            at = at.replace(microsecond=0) + timedelta(seconds=1)
        return Schedule("once", at=at.astimezone(UTC))

    def day_word(self) -> Schedule | None:
        found = self.take(_DAY_WORD)
        if found is None:
            return None
        offset, period = _DAY_WORDS[found.group(0)]
        return self.at(self.today + timedelta(days=offset), self.optional_time(period))

    def weekday(self) -> Schedule | None:
        found = self.take(_WEEKDAY)
        if found is None:
            return None
        weekday = _WEEKDAY_CHARS[found["wd"]]
        which = found["which"] or ""
        monday = clock.week_start(self.today)
        tod = self.optional_time()
        if which.startswith("下下"):
            return self.at(monday + timedelta(days=14 + weekday), tod)
        if which.startswith("下"):
            return self.at(monday + timedelta(days=7 + weekday), tod)
        this_week = self.at(monday + timedelta(days=weekday), tod)
        if which or (this_week.at is not None and this_week.at > self.now):
            return this_week  # 本周一 that has passed is refused as past
        return self.at(monday + timedelta(days=7 + weekday), tod)

    def full_date(self) -> Schedule | None:
        found = self.take(_ISO_DATE) or self.take(_CN_DATE)
        if found is None:
            return None
        month, day = number(found["mo"]), number(found["d"])
        year = int(found["y"]) if found["y"] else self.today.year
        _check_date(year, month, day, found.group(0))
        tod = self.optional_time()
        chosen = self.at(date(year, month, day), tod)
        assert chosen.at is not None
        if not found["y"] and self.now - chosen.at > timedelta(days=31):
            # Without a year, a date more than a month ago is next year's (1月5日 typed in
            # December); a recent one is most likely a mistake and refused as past.
            _check_date(year + 1, month, day, found.group(0))
            chosen = self.at(date(year + 1, month, day), tod)
        return chosen

    def month_day(self) -> Schedule | None:
        found = self.take(_MONTH_DAY)
        if found is None:
            return None
        day = number(found["d"])
        if not 1 <= day <= 31:
            raise ParseError("invalid", found.group(0), "日期应在1–31号之间")
        tod = self.optional_time()
        year, month = self.today.year, self.today.month
        for _ in range(13):
            if day <= last_day(year, month):
                chosen = self.at(date(year, month, day), tod)
                if chosen.at is not None and chosen.at > self.now:
                    return chosen
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return None

    def bare_time(self) -> Schedule | None:
        tod = self.time_of_day()
        if tod is None:
            return None
        chosen = self.at(self.today, tod)
        if chosen.at is not None and chosen.at <= self.now:
            self.notes.append(f"今天{tod.strftime('%H:%M')}已过，按明天")
            chosen = self.at(self.today + timedelta(days=1), tod)
        return chosen


def _check_date(year: int, month: int, day: int, phrase: str) -> None:
    if not 1 <= month <= 12:
        raise ParseError("invalid", phrase, "月份应在1–12之间")
    if not 1 <= day <= last_day(year, month):
        raise ParseError("invalid", phrase, f"{month}月没有{day}日")
