"""Reading times, part one: the cursor, numbers, times of day and days.

`grammar.py` reads a whole expression with these pieces. A piece either reads its words and
moves the cursor past them, or leaves the cursor where it was and returns None; a piece that
recognises its words but cannot use them raises ParseError (the reason goes to the user).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal

from . import festivals
from . import messages as say
from .schedule import week_start
from .workdays import holidays_until, is_workday, last_day


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


def number(text: str) -> int:
    """A number as typed: 12, 十二, 两, 二十五, 零五, 廿一."""
    if text.isdigit():
        return int(text)
    import cn2an  # here, not at the top: importing it costs 0.4 s of every start-up

    try:
        return int(cn2an.cn2an(text.replace("廿", "二十").replace("〇", "零"), "smart"))
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


CN = "零〇一二两三四五六七八九十廿"
NUM = rf"(?:\d{{1,4}}|[{CN}]{{1,4}})"
WD = "[一二三四五六日天七]"
WEEK = "(?:周|星期|礼拜)"
WEEKDAY_CHARS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "七": 6}

PERIOD = (
    "(?:凌晨|清晨|一大早|一早|早上|早晨|上午|中午|午间|下午|午后|傍晚|晚上|晚间|夜里|夜间|半夜|深夜"
    "|早|晚)"
)
PERIOD_DEFAULTS = {
    "清晨": time(7, 0), "一大早": time(7, 0), "一早": time(8, 0), "早上": time(8, 0), "早晨": time(8, 0), "早": time(8, 0),
    "上午": time(9, 0), "中午": time(12, 0), "午间": time(12, 0), "下午": time(15, 0),
    "午后": time(15, 0), "傍晚": time(18, 0), "晚上": time(20, 0), "晚间": time(20, 0),
    "晚": time(20, 0), "夜里": time(21, 0), "夜间": time(21, 0),
}  # fmt: skip
"""A part of day without an hour (明天下午) means this time, said in the reply. 凌晨, 半夜
and 深夜 have none: they need an hour."""
_NIGHT = {"晚上", "晚间", "晚", "夜里", "夜间", "半夜", "深夜"}
_AFTERNOON = {"下午", "午后", "傍晚"}
_MORNING = {"凌晨", "清晨", "一大早", "一早", "早上", "早晨", "上午", "早"}

_TOD = re.compile(
    rf"(?P<period>{PERIOD})?\s?(?:的\s?)?"
    rf"(?:(?P<h1>\d{{1,2}}):(?P<m1>\d{{2}})(?::(?P<s1>\d{{2}}))?"
    rf"|(?P<h2>\d{{1,2}}|[{CN}]{{1,3}})[点时](?:钟)?"
    rf"(?:(?P<half>半)|(?P<q1>一刻)|(?P<q3>三刻)|整"
    rf"|(?P<m2>\d{{1,2}}|[{CN}]{{1,3}})分(?:钟)?(?:(?P<s2>\d{{1,2}}|[{CN}]{{1,3}})秒(?:钟)?)?"
    rf"|(?P<m3>\d{{2}}|[{CN}]{{2,3}})(?![分钟秒\d{CN}]))?)"
)
_PERIOD_ALONE = re.compile(rf"(?P<period>{PERIOD})(?=\s|$|[，,。:：]|(?:之|以)?前|[到至])")
_RANGE_SEP = re.compile(r"\s?(?:到|至|~|-|–|—|－)\s?")
_CHECK = re.compile(
    r"\s?(?:[（(](?:(?:(?P<y>\d{4})年)?(?P<mo>\d{1,2})月(?P<d>\d{1,2})日\s?)?"
    r"(?:周(?P<wd>[一二三四五六日]))[）)]"
    r"|(?:周|星期|礼拜)(?P<wd2>[一二三四五六日天])(?![一二三四五六日天末]))"
)


@dataclass(frozen=True)
class Clock:
    """A time of day as read: the time, the end of a range, and whether it is the next day's
    (晚上12点 is the next day's 00:00)."""

    tod: time
    end: time | None = None
    next_day: bool = False


@dataclass(frozen=True)
class Day:
    """A day as read, with a part of day it implies (今晚) and how it may move: a bare weekday
    or day of month whose time has passed means the next one."""

    day: date
    period: str | None = None
    roll: Literal["", "week", "month", "weekend", "this weekend", "sunday"] = ""
    named_weekday: bool = False
    """Said as a weekday (周五): a weekday after it is another day, not a check."""


class Cursor:
    def __init__(self, text: str, now: datetime, today: date) -> None:
        self.original = text.strip()
        self.text = fold(self.original)
        self.pos = 0
        self.today = today
        self.now = now
        self.notes: list[str] = []
        self.guessed_hour = False
        """No hour was typed: a default one was used (and said in a note)."""
        self.example_command = "提醒 "
        """The command an example in a refusal starts with (none when reading one instant)."""

    def take(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        found = pattern.match(self.text, self.pos)
        if found:
            self.pos = found.end()
        return found

    def skip_space(self) -> None:
        while self.text[self.pos : self.pos + 1] == " ":
            self.pos += 1

    def read_so_far(self, start: int) -> str:
        return self.original[start : self.pos].strip()

    # --- times of day

    def clock_time(self, period: str | None = None) -> Clock | None:
        """下午3点, 15:00, 十点半, 16时40分50秒, 下午两点到五点, 下午 (its default time)."""
        start = self.pos
        found = self.take(_TOD)
        if found is None:
            alone = self.take(_PERIOD_ALONE)
            word = alone["period"] if alone else period
            if word is None:
                return None
            default = PERIOD_DEFAULTS.get(word)
            if default is None:
                raise ParseError("invalid", word, say.need_hour(word))
            self.notes.append(say.note_period_default(word, default))
            self.guessed_hour = True
            return Clock(default)
        word = found["period"] or period
        hour, minute, second = _hms(found)
        tod, next_day = _in_period(word, hour, minute, second, found.group(0))
        end = None
        mark = self.pos
        if self.take(_RANGE_SEP) and (until := self.take(_TOD)) is not None:
            e_hour, e_minute, e_second = _hms(until)
            end, e_next = _in_period(until["period"] or word, e_hour, e_minute, e_second, "")
            if e_next or next_day or end <= tod:
                phrase = self.original[start : self.pos]
                raise ParseError("invalid", phrase, say.RANGE_END_EARLY)
        else:
            self.pos = mark
        if next_day:
            self.notes.append(say.note_next_day(found.group(0).strip(), tod))
        return Clock(tod, end, next_day)

    # --- days

    def check(self, found: Day) -> None:
        """（12月1日 周二） or （周二） after a day, as the restated words have it, or 周二 as
        people add it (12月15日 周二 下午3点): must agree."""
        day = found.day
        mark = self.pos
        check = self.take(_CHECK)
        if check is None:
            return
        if check["wd2"] and found.named_weekday:
            self.pos = mark
            return
        weekday = WEEKDAY_CHARS[check["wd"] or check["wd2"]]
        same = day.weekday() == weekday
        if check["mo"]:
            year = int(check["y"]) if check["y"] else day.year
            same = same and (year, int(check["mo"]), int(check["d"])) == (
                day.year,
                day.month,
                day.day,
            )
        if not same:
            raise ParseError(
                "invalid",
                check.group(0).strip(),
                say.check_mismatch(day),
            )

    def day(self, base: date | None = None) -> Day | None:
        """A day: 明天, 下周一, 这周末, 12月20日, 2026-12-01, 12/1, 下个月5号, 月底, 明年3月5号,
        二十号, 腊月初十, 国庆节 … `base`: the start of a range, which a bare weekday or day
        of month at its end is counted from (下周一到周五)."""
        for read in (
            self._day_word,
            self._weekend,
            self._weekday,
            self._festival,
            self._full_date,
            self._lunar,
            self._month_relative,
            self._numeric_date,
            self._month_day,
        ):
            start = self.pos
            found = read(base)
            if found is not None:
                return found
            self.pos = start
        return None

    def _day_word(self, base: date | None) -> Day | None:
        found = self.take(_DAY_WORD)
        if found is None:
            return None
        offset, period = DAY_WORDS[found.group(0)]
        return Day(self.today + timedelta(days=offset), period)

    def _weekend(self, base: date | None) -> Day | None:
        found = self.take(_WEEKEND)
        if found is None:
            return None
        which = found["which"] or ""
        monday = week_start(self.today)
        self.notes.append(say.NOTE_WEEKEND)
        if which.startswith("下下"):
            return Day(monday + timedelta(days=19), named_weekday=True)
        if which.startswith("下"):
            return Day(monday + timedelta(days=12), named_weekday=True)
        roll: Literal["this weekend", "weekend"] = "this weekend" if which else "weekend"
        return Day(monday + timedelta(days=5), roll=roll, named_weekday=True)

    def _weekday(self, base: date | None) -> Day | None:
        found = self.take(_WEEKDAY)
        if found is None:
            return None
        weekday = WEEKDAY_CHARS[found["wd"]]
        which = found["which"] or ""
        if base is not None and not which:  # 下周一到周五: that Friday
            days = (weekday - base.weekday()) % 7
            return Day(base + timedelta(days=days), roll="week", named_weekday=True)
        monday = week_start(self.today)
        if which.startswith("下下"):
            return Day(monday + timedelta(days=14 + weekday), named_weekday=True)
        if which.startswith("下"):
            return Day(monday + timedelta(days=7 + weekday), named_weekday=True)
        return Day(
            monday + timedelta(days=weekday), roll="" if which else "week", named_weekday=True
        )

    def _festival(self, base: date | None) -> Day | None:
        found = self.take(_FESTIVAL)
        if found is None:
            return None
        name = festivals.FESTIVALS[found["name"]]
        year = {"今年": 0, "明年": 1}.get(found["year"] or "")
        if year is None:
            day = festivals.next_festival(name, self.today)
        else:
            day = festivals.festival_day(name, self.today.year + year)
        if after := self.take(_AFTER_HOLIDAY):
            return Day(self._around_holiday(name, day, after.group(0), after=True))
        if before := self.take(_BEFORE_HOLIDAY):
            return Day(self._around_holiday(name, day, before.group(0), after=False))
        self.notes.append(say.note_festival(name, day))
        return Day(day)

    def _around_holiday(self, name: str, day: date, words: str, *, after: bool) -> date:
        if not festivals.is_statutory(name):
            raise ParseError("invalid", f"{name}{words}", say.no_days_off(name))
        period = festivals.holiday_period(name, day)
        if period is None:
            raise ParseError(
                "invalid",
                f"{name}{words}",
                say.holidays_unknown(name, day, holidays_until(), self.example_command),
            )
        step = timedelta(days=1 if after else -1)
        probe = (period[1] if after else period[0]) + step
        while not is_workday(probe):
            probe += step
        self.notes.append(say.note_around_holiday(name, after=after))
        return probe

    def _full_date(self, base: date | None) -> Day | None:
        found = self.take(_ISO_DATE) or self.take(_COMPACT_DATE) or self.take(_CN_DATE)
        if found is None:
            return None
        month, day = number(found["mo"]), number(found["d"])
        year_word = found["y"] or ""
        if year_word[:4].isdigit():
            year = int(year_word[:4])
        elif year_word:
            year = self.today.year + {"今年": 0, "本年": 0, "明年": 1, "后年": 2}[year_word[:2]]
        elif base is not None:
            year = base.year
        else:
            year = self.today.year
        if "dw" in found.re.groupindex and not found["dw"] and not found["mo"].isdigit():
            raise ParseError("invalid", found.group(0), say.LUNAR_OR_SOLAR)
        check_date(year, month, day, found.group(0))
        chosen = date(year, month, day)
        if not year_word and (base or self.today) - chosen > timedelta(days=31):
            # Without a year, a date more than a month ago is next year's (1月5日 typed in
            # December); a recent one is most likely a mistake and refused as past.
            check_date(year + 1, month, day, found.group(0))
            chosen = date(year + 1, month, day)
        return Day(chosen)

    def _lunar(self, base: date | None) -> Day | None:
        found = self.take(_LUNAR)
        if found is None:
            return None
        month_word, day_word = found["mo"], found["d"]
        if not (found["lunar"] or month_word in "正冬腊" or day_word[0] in "初廿"):
            return None
        month = festivals.LUNAR_MONTHS.get(month_word) or number(month_word)
        day = number(day_word.removeprefix("初"))
        leap = bool(found["leap"])
        if not (1 <= month <= 12 and 1 <= day <= 30):
            raise ParseError("invalid", found.group(0), say.LUNAR_RANGE)
        chosen = festivals.next_lunar(month, day, self.today, leap)
        words = festivals.lunar_words(month, day, leap)
        if chosen is None:
            reason = say.no_lunar_day(words, last_of_year=(month, day) == (12, 30))
            raise ParseError("invalid", found.group(0), reason)
        self.notes.append(say.note_lunar(words, chosen))
        return Day(chosen)

    def _month_relative(self, base: date | None) -> Day | None:
        if found := self.take(_YEAR_END):
            return Day(date(self.today.year + (found["which"] == "明"), 12, 31))
        if found := self.take(_MONTH_PART):  # 12月底, 明年3月初
            month = number(found["mo"])
            check_date(self.today.year, month, 1, found.group(0))
            year = self.today.year + (found["y"] == "明年")
            if not found["y"] and month < self.today.month:
                year += 1
            day = {"初": 1, "中": 15}.get(found["part"], last_day(year, month))
            return Day(date(year, month, day))
        found = self.take(_MONTH_RELATIVE)
        if found is None:
            return None
        which = found["which"] or ""
        months = 2 if which.startswith("下下") else 1 if which.startswith("下") else 0
        total = self.today.month - 1 + months
        year, month = self.today.year + total // 12, total % 12 + 1
        part = found["part"]
        if part in ("底", "末"):
            return Day(date(year, month, last_day(year, month)))
        if part in ("初", "中"):
            chosen = date(year, month, 1 if part == "初" else 15)
            if not which and chosen < self.today:  # 月初 said on the 5th: next month's
                total = self.today.month
                chosen = chosen.replace(year=self.today.year + total // 12, month=total % 12 + 1)
                self.notes.append(say.note_month_part_passed(part, chosen))
            return Day(chosen)
        day = number(found["d"])
        check_date(year, month, day, found.group(0))
        return Day(date(year, month, day))

    def _numeric_date(self, base: date | None) -> Day | None:
        found = self.take(_NUMERIC_DATE)
        if found is None:
            return None
        month, day = int(found["mo"]), int(found["d"])
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return None
        check_date(self.today.year, month, day, found.group(0))
        chosen = date(self.today.year, month, day)
        if self.today - chosen > timedelta(days=31):
            check_date(self.today.year + 1, month, day, found.group(0))
            chosen = date(self.today.year + 1, month, day)
        self.notes.append(say.note_numeric_date(found.group(0), chosen))
        return Day(chosen)

    def _month_day(self, base: date | None) -> Day | None:
        found = self.take(_MONTH_DAY)
        if found is None:
            return None
        day = number(found["d"])
        if not 1 <= day <= 31:
            raise ParseError("invalid", found.group(0), say.DAY_OF_MONTH_RANGE)
        year, month = (base or self.today).year, (base or self.today).month
        for _ in range(13):
            if day <= last_day(year, month):
                chosen = date(year, month, day)
                if chosen >= (base or self.today):
                    return Day(chosen, roll="" if base else "month")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return None

    def _replace_note(self, old: str, new: str) -> None:
        self.notes[:] = [new if note == old else note for note in self.notes]

    def roll(self, found: Day) -> Day:
        """The next such day after `found.day`, when its time has passed: a bare weekday next
        week's, a bare day of month next month's, 周末 (Saturday) its Sunday, then (unless
        这周末) next Saturday."""
        match found.roll:
            case "week":
                return Day(found.day + timedelta(days=7))
            case "sunday":
                self._replace_note(say.NOTE_WEEKEND_SUNDAY, say.NOTE_WEEKEND)
                return Day(found.day + timedelta(days=6))
            case "weekend" | "this weekend":
                self._replace_note(say.NOTE_WEEKEND, say.NOTE_WEEKEND_SUNDAY)
                return Day(
                    found.day + timedelta(days=1), roll="sunday" if found.roll == "weekend" else ""
                )
        year, month = found.day.year, found.day.month
        for _ in range(13):
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
            if found.day.day <= last_day(year, month):
                return Day(date(year, month, found.day.day))
        return Day(found.day)


DAY_WORDS = {
    "今天": (0, None), "今日": (0, None), "当天": (0, None), "今早": (0, "早上"),
    "今晚": (0, "晚上"), "今夜": (0, "晚上"), "当晚": (0, "晚上"), "明天": (1, None),
    "明日": (1, None), "次日": (1, None), "第二天": (1, None), "明早": (1, "早上"), "明晚": (1, "晚上"),
    "后天": (2, None), "大后天": (3, None), "大大后天": (4, None),
}  # fmt: skip
_DAY_WORD = re.compile("|".join(sorted(DAY_WORDS, key=len, reverse=True)))
_WEEKEND = re.compile(rf"(?P<which>下下个?|下个?|本|这个?)?{WEEK}末")
_WEEKDAY = re.compile(rf"(?P<which>下下个?|下个?|本|这个?)?{WEEK}(?P<wd>{WD})")
_FESTIVAL = re.compile(
    r"(?P<year>今年|明年)?(?:的)?(?P<name>"
    + "|".join(sorted(festivals.FESTIVALS, key=len, reverse=True))
    + rf")(?![点时号日月分:\d{CN}])"
)
_AFTER_HOLIDAY = re.compile(
    r"(?:假期|放假|长假)?(?:结束)?后(?:的)?(?:第一个工作日|第一天上班|上班第一天|上班)"
)
_BEFORE_HOLIDAY = re.compile(r"(?:放假)?前(?:的)?最后一个工作日")
_ISO_DATE = re.compile(r"(?P<y>\d{4})[-/.](?P<mo>\d{1,2})[-/.](?P<d>\d{1,2})[日号]?")
_COMPACT_DATE = re.compile(r"(?P<y>(?:19|20)\d{2})(?P<mo>[01]\d)(?P<d>[0-3]\d)(?![\d:点时])")
_CN_DATE = re.compile(
    rf"(?:(?P<y>\d{{4}}年|今年|本年|明年|后年)的?)?(?P<mo>{NUM})月份?"
    rf"(?P<d>{NUM})(?:(?P<dw>[日号])|(?=\s|$|{PERIOD}|\d{{1,2}}:))"
)
_LUNAR = re.compile(
    r"(?P<lunar>农历|阴历)?(?P<leap>闰)?(?P<mo>正|冬|腊|十二|十一|[一二三四五六七八九十]|\d{1,2})月"
    r"(?P<d>初[一二三四五六七八九十]|廿[一二三四五六七八九]|二十[一二三四五六七八九]?|三十"
    r"|十[一二三四五六七八九]?|[一二三四五六七八九]|\d{1,2})日?"
)
_MONTH_RELATIVE = re.compile(
    rf"(?P<which>下下个?|下个?|本|这个?)?月(?:的)?(?:(?P<part>[底末初中])|(?P<d>{NUM})[号日])"
)
_YEAR_END = re.compile(r"(?P<which>今|本|明)?年[底末]")
_MONTH_PART = re.compile(rf"(?:(?P<y>明年|今年)的?)?(?P<mo>{NUM})月份?(?:的)?(?P<part>[底末初中])")
_NUMERIC_DATE = re.compile(
    r"(?P<mo>\d{1,2})[/·.\-](?P<d>\d{1,2})(?![\d/·.\-:%])"
    r"(?!\s?(?:小时|分钟|分|秒|天|周|个|倍|元|万|岁|米|公里|斤|号|楼|点|时))"
)
_MONTH_DAY = re.compile(rf"(?P<d>{NUM})[日号](?![楼室馆厅门线院])")


def _hms(found: re.Match[str]) -> tuple[int, int, int]:
    if found["h1"] is not None:
        return int(found["h1"]), int(found["m1"]), int(found["s1"] or 0)
    hour = number(found["h2"])
    minute = second = 0
    if found["half"]:
        minute = 30
    elif found["q1"]:
        minute = 15
    elif found["q3"]:
        minute = 45
    elif found["m2"] or found["m3"]:
        minute = number(found["m2"] or found["m3"])
        second = number(found["s2"]) if found["s2"] else 0
    return hour, minute, second


def _in_period(
    period: str | None, hour: int, minute: int, second: int, phrase: str
) -> tuple[time, bool]:
    """The time of day a part of day and an hour mean; True when it is the next day's
    (晚上12点, 夜里1点, 24点)."""
    if minute > 59 or second > 59:
        raise ParseError("invalid", phrase, say.HOUR_RANGE)
    next_day = False
    if period in _NIGHT:
        if hour in (0, 12, 24) or 1 <= hour <= 4:
            hour, next_day = hour % 12, True
        elif 5 <= hour < 12:
            hour += 12
    elif period in _AFTERNOON and 1 <= hour < 12:
        hour += 12
    elif period in ("中午", "午间"):
        if 1 <= hour <= 3:
            hour += 12
        elif hour not in (11, 12):
            raise ParseError("invalid", phrase, say.no_such_hour("中午", hour))
    elif period == "凌晨" and hour == 12:
        hour = 0
    elif period in _MORNING and hour > 12:
        raise ParseError("invalid", phrase, say.no_such_hour(period, hour))
    if hour == 24 and minute == 0 and second == 0:
        hour, next_day = 0, True
    if hour > 23:
        raise ParseError("invalid", phrase, say.HOUR_RANGE)
    return time(hour, minute, second), next_day


def check_date(year: int, month: int, day: int, phrase: str) -> None:
    if not 1 <= month <= 12:
        raise ParseError("invalid", phrase, say.MONTH_RANGE)
    if not 1 <= year <= 9998:
        raise ParseError("invalid", phrase, say.YEAR_RANGE)
    if not 1 <= day <= last_day(year, month):
        raise ParseError("invalid", phrase, say.no_such_day(month, day))
