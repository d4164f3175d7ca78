"""Reading times, part two: what members type → a `Schedule`, or one instant (`Moment`).

The grammar is anchored at the start of the argument: a time expression, then the content
(a reminder's text, a meeting's topic). It reads the whole time phrase or refuses with
examples: a word that belongs to a time (下午, 前, 到, 每天, 起 …) never slides into the
content — content that starts with one is refused rather than guessed. Every reading it
accepts is restated in words (`Schedule.describe`, which the grammar reads back as the same
schedule), with what it assumed (a part of day without an hour, a deadline, a festival's date) in `notes`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from croniter import croniter

from bot import clock

from . import festivals
from . import messages as say
from .dates import (
    CN,
    NUM,
    WD,
    WEEK,
    WEEKDAY_CHARS,
    Clock,
    Cursor,
    Day,
    ParseError,
    check_date,
    fold,
    number,
)
from .schedule import DEFAULT_TIME, NTH_WORDS, WORKDAY_NOTE, Schedule
from .workdays import last_day

__all__ = ["Moment", "ParseError", "Parsed", "fold", "number", "parse", "parse_moment"]


@dataclass(frozen=True)
class Parsed:
    """A time read by `parse`: the schedule, the words it came from and what was assumed."""

    schedule: Schedule
    phrase: str
    """The time expression as typed."""
    content: str
    """What follows it: the reminder's text (may be empty)."""
    notes: list[str] = field(default_factory=list)
    """Readings worth saying aloud, e.g. 「8点」已过，按明天."""


@dataclass(frozen=True)
class Moment:
    """One instant read by `parse_moment`: a deadline, a meeting's start."""

    at: datetime
    """The instant, aware, in the bot's zone (BOT_TIMEZONE). May be in the past: the caller
    compares it with now."""
    phrase: str
    """The time expression as typed."""
    content: str
    """What follows it (may be empty)."""
    notes: list[str] = field(default_factory=list)
    """Readings worth saying aloud: the hour assumed (没写几点，按18:00), 今天08:00已过，按明天 …"""
    end: datetime | None = None
    """The end of a range when one was typed (明天下午2点到4点: 16:00 that day), else None."""


_SEP = "[、,，/和及与]"
_CRON = re.compile(
    r"cron\s*(?:「(?P<quoted>[^」]{1,100})」(?:\s?[（(][^）)]*[）)])?"
    r"|\s(?P<expr>[0-9*/,\-A-Za-z?#LW]+(?:\s+[0-9*/,\-A-Za-z?#LW]+){4})(?=\s|$))",
    re.IGNORECASE,
)
_EVERY_DAY = re.compile(r"(?:每一?天|每日|天天)(?:的)?")
_EVERY_EVENING = re.compile(r"每(?P<period>晚|早|夜)(?:上|晨|里)?(?:的)?")
_EVERY_N_DAYS = re.compile(rf"每(?P<gap>隔)?(?P<n>{NUM}|一)天(?:一次)?(?:的)?")
_WORKDAY = re.compile(r"(?:每个?)?工作日(?:每天)?(?:的)?")
_EVERY_N_WEEKS = re.compile(
    rf"(?:每(?P<gap>隔)?(?P<n>{NUM})(?:个)?(?:周|星期|礼拜)|(?P<other>隔周))(?:的)?{WEEK}?"
)
_EVERY_N_WEEKS_SAID = re.compile("每隔?.*?(?:周|星期|礼拜)|隔周")
"""The every-N-weeks words alone, without a weekday that follows (每隔两周 of 每隔两周周一)."""
_SPACE_BEFORE_DAY = re.compile(rf"\s{WEEK}(?={WD})")
"""每两周 周五: a space between the period and its weekday (the weekday still follows)."""
_EVERY_WEEK = re.compile(rf"(?:每个?{WEEK}(?:的)?{WEEK}?|每逢{WEEK}?)")
_WEEKEND = re.compile(rf"每个?{WEEK}?末(?:的)?")
_WEEKDAY_JOINT = re.compile(rf"(?:(?P<range>至|到|-|~)|{_SEP})?{WEEK}?")
_EVERY_MONTH = re.compile(r"每个?月(?:的)?\s?")
_EVERY_QUARTER = re.compile("每(?:个)?季度?(?:的)?")
_QUARTER_MONTH = re.compile(rf"第(?P<m>{NUM})个?月(?:\s?[（(][\d、]+月[）)])?(?:的)?")
_QUARTER_EDGE = re.compile("(?P<part>末|底|初)")
_NTH = re.compile(rf"(?:第(?P<n>{NUM})个?|(?P<last>最后一个|最后|倒数第一个))")
_NTH_WEEKDAY = re.compile(rf"{WEEK}(?P<wd>{WD})")
_NTH_WORKDAY = re.compile("工作日")
_DAY_LIST = re.compile(rf"(?P<list>(?:{NUM}[号日]?{_SEP}+)*{NUM}[号日])")
_LAST_DAY = re.compile("(?:最后一天|月?底|月?末)")
_FIRST_DAY = re.compile("(?:第一天|月?初)")
_EVERY_YEAR = re.compile("每年(?:的)?")
_FESTIVAL_NAME = re.compile(
    "|".join(sorted(festivals.FESTIVALS, key=len, reverse=True)) + rf"(?![点时号日月分:\d{CN}])"
)
_YEAR_DATE = re.compile(rf"(?P<mo>{NUM})月(?:(?P<d>{NUM})[日号]|(?P<last>最后一天|底|末))")
_SINCE = re.compile(r"(?:起|开始)(?:[，,])?")
_FROM = re.compile("从")
_RANGE = re.compile(r"\s?(?:到|至|~|-|–|—|－)\s?")
_OFFSET = re.compile(rf"(?:的)?(?P<dir>[前后])(?P<n>{NUM}|一|两)天")
_DEADLINE = re.compile(r"(?:之|以)?前(?![一两二三四五六七八九十\d]+天)")
_MONTH_NOTE = re.compile(r"[（(]没有这天的月份在月末[）)]")
_WORKDAY_NOTE = re.compile(re.escape(fold(WORKDAY_NOTE)))
_RELATIVE = re.compile(
    rf"(?:(?P<h>{NUM})(?:个)?(?:小时|钟头)(?P<hm>{NUM})分(?:钟)?"
    rf"|(?P<n>\d{{1,4}}\.\d{{1,2}}|{NUM}|半)(?:个)?(?P<half>半)?"
    r"(?P<unit>小时|钟头|分钟|分|刻钟|天|周|星期|月))"
    r"(?:之|以)?后"
)
_RECURRING_REASONS = {say.WINDOW_NEEDS_TIME, say.LUNAR_YEARLY}
"""Refusals of a recurring time that name what it lacks: for one instant, it is one too many."""
_MINUTES = {"小时": 60, "钟头": 60, "分钟": 1, "分": 1, "刻钟": 15}
_LEAK = re.compile(
    r"(?:[到至~\-–—－]\s?(?:[\d零一二两三四五六七八九十]{1,3}\s?[点时:]|周[一二三四五六日天]|星期|礼拜"
    r"|凌晨|早上|上午|中午|下午|傍晚|晚上|夜里|明天|后天|下周|本周|这周|月底|年底)"
    r"|(?:之|以)?前(?:\s|$|[，,。：:])"
    r"|(?:起|开始)(?:\s|$|每)"
    r"|[\d零一二两三四五六七八九十]{1,3}\s?(?:秒|分钟?(?![\w])|点钟?|[点时](?:半|整)?|次)"
    r"|[（(](?:周|农历|\d{1,2}月|按国家|没有这天)"
    r"|(?:上班|下班|放学|午饭|晚饭)(?:前|后|时)"
    r"|[\d零一二两三四五六七八九十]{1,3}\s?(?:[、,，和]\s?[\d零一二两三四五六七八九十]{1,3}\s?)*[号日]"
    r"(?![楼室馆厅门线院])"
    r"|[和及与或]\s?(?:[\d零一二两三四五六七八九十]{1,3}\s?[点时:]|凌晨|早上|上午|中午|下午|傍晚|晚上"
    r"|周[一二三四五六日天]|星期|礼拜|明天|后天)"
    r"|(?:周|星期|礼拜)[一二三四五六日天](?=\s|$|[上下中晚早凌傍夜\d]))"
)
"""Content that starts like part of a time: the phrase was not read in full."""
_CLOCK_IN_CONTENT = re.compile(
    r"(?:凌晨|早上|上午|中午|下午|傍晚|晚上|夜里)\s?[\d零一二两三四五六七八九十]{1,3}\s?[点时:]"
    r"|(?<![\d.])\d{1,2}:\d{2}(?![\d])"
    r"|(?<![\d零一二两三四五六七八九十第几])[\d零一二两三四五六七八九十]{1,2}\s?[点时](?:半|整|钟)?"
    r"(?!要|意见|建议|体会|做法|措施|原因|问题|看法|工作|任务|内容|方面|思考|收获|经验|启示|认识)"
)
"""A time of day somewhere in a reminder's text (开会 下午3点, 交材料 15:00, 集合 8点)."""
_LEAK_ATTACHED = re.compile(
    r"(?:凌晨|清晨|早上|早晨|上午|中午|午间|下午|午后|傍晚|晚上|晚间|夜里|夜间|半夜|深夜|早晚"
    r"|每(?:一?天|日|周|月|年|季度|隔|个工作日|星期)"
    r"|(?:周|星期|礼拜)[一二三四五六日天]|今天|明天|后天|\d{1,2}月\d{1,2}|[点时分秒])"
)
"""The same, for words that may also start a reminder's text after a space (上午的会改到下午)."""


def parse(text: str, now: datetime | None = None, default_time: time = DEFAULT_TIME) -> Parsed:
    """Read `<时间> <内容>`; raises ParseError when the time cannot be used."""
    return _Parser(text, (now or clock.now()).astimezone(UTC), default_time).run()


def parse_moment(
    text: str, now: datetime | None = None, default_time: time = DEFAULT_TIME
) -> Moment:
    """Read `<时间> <内容>` where the time names one instant; raises ParseError otherwise.

    The same grammar as `parse`, with three differences: a recurring time (每周五, 工作日8:30,
    cron, a date range) is refused (kind "invalid", `ONE_TIME_ONLY`); a deadline word means the
    instant itself (周五前 / 周五之前: Friday at `default_time`; 周五18点前 and 18点前: at 18:00),
    not the reminder's "the day before"; and a time in the past is returned, never refused
    (kind "past" is never raised): 11月1日 typed on 11月30日 is this year's, as `parse` reads it
    (a date without a year more than 31 days ago is next year's), and the caller compares `at`
    with now. A day without an hour is at `default_time`, said in `notes`; a range (明天下午2点
    到4点) gives its end in `Moment.end`. Every refusal has a one-line reason in
    `ParseError.reason` (kind "unreadable" or "invalid"), whose examples name no command.
    """
    return _Parser(text, (now or clock.now()).astimezone(UTC), default_time, moment=True).moment()


class _Parser(Cursor):
    def __init__(
        self, text: str, now: datetime, default_time: time, *, moment: bool = False
    ) -> None:
        self.zone = clock.zone()
        self.local_now = now.astimezone(self.zone)
        super().__init__(text, now, self.local_now.date())
        self.default_time = default_time
        self.one_instant = moment
        """Reading one instant (`parse_moment`): 前 is the deadline itself."""
        if moment:
            self.example_command = ""

    # --- whole

    def run(self) -> Parsed:
        schedule, phrase, rest = self.read()
        if schedule.kind == "once":
            assert schedule.at is not None
            if schedule.at <= self.now:
                raise ParseError("past", phrase, at=schedule.at)
        elif schedule.next_after(self.now) is None:
            raise ParseError("invalid", phrase, say.NEVER_FIRES)
        return Parsed(schedule, phrase, rest, self.notes)

    def moment(self) -> Moment:
        if not self.original:
            raise ParseError("unreadable", "", say.NEED_A_TIME)
        try:
            schedule, phrase, rest = self.read()
        except ParseError as e:
            if e.reason in _RECURRING_REASONS:  # 12月6日到8日, 每年中秋: not one instant
                raise ParseError("invalid", e.phrase, say.ONE_TIME_ONLY) from None
            if e.reason == say.HOUR_AFTER_CONTENT:
                raise ParseError("invalid", e.phrase, say.HOUR_AFTER_CONTENT_MOMENT) from None
            if e.kind == "unreadable" and not e.reason:
                raise ParseError("unreadable", e.phrase, say.UNREADABLE_MOMENT) from None
            raise
        assert schedule.at is not None  # read() refused every other kind
        at = schedule.at.astimezone(self.zone)
        end = None
        if schedule.end is not None:
            end = datetime.combine(at.date(), schedule.end, tzinfo=self.zone)
        return Moment(at, phrase, rest, self.notes, end)

    def read(self) -> tuple[Schedule, str, str]:
        """The schedule, the phrase as typed and the content, once the whole phrase is read."""
        try:
            schedule = self.cron() or self.window() or self.recurring() or self.one_off()
        except ValueError:  # an odd numeral (cn2an), a date out of range
            schedule = None
        if schedule is None:
            raise ParseError("unreadable", self.original.split(" ")[0][:20])
        phrase = self.original[: self.pos].strip()
        if self.one_instant and schedule.kind != "once":
            raise ParseError("invalid", phrase, say.ONE_TIME_ONLY)
        rest = self.original[self.pos :].strip().lstrip("，,：:、").strip()
        attached = not self.original[self.pos : self.pos + 1].isspace()
        if (leak := _LEAK.match(fold(rest))) or (attached and (leak := _LEAK_ATTACHED.match(rest))):
            until = self.original.find(rest, self.pos) + leak.end()
            word = self.original[:until] + self.original[until:].split(" ", 1)[0]
            raise ParseError("unreadable", word.strip()[:30])
        if self.guessed_hour and _CLOCK_IN_CONTENT.search(fold(rest)):
            # 明天 开会 下午3点: the hour came after the content; 09:00 would be a guess.
            raise ParseError("invalid", self.original[:30], say.HOUR_AFTER_CONTENT)
        return schedule, phrase, rest

    # --- times of day

    def time_part(self, period: str | None = None) -> Clock | None:
        mark = self.pos
        self.skip_space()
        found = self.clock_time(period)
        if found is None:
            self.pos = mark
        return found

    def recurring_time(self, period: str | None = None) -> Clock:
        """The time of day of a recurring schedule (`default_time` when none: REMINDER_DEFAULT_TIME for reminders)."""
        found = self.time_part(period)
        if found is None:
            self.notes.append(say.note_no_hour(self.default_time))
            self.guessed_hour = True
            return Clock(self.default_time)
        return found

    # --- cron

    def cron(self) -> Schedule | None:
        found = self.take(_CRON)
        if found is None:
            return None
        expr = " ".join((found["quoted"] or found["expr"]).split())
        if len(expr.split()) != 5 or not croniter.is_valid(expr):
            raise ParseError("invalid", found.group(0), say.CRON_INVALID)
        return Schedule("cron", expr=expr)

    # --- recurring

    def window(self) -> Schedule | None:
        """12月7日至12月11日 每天9点, 下周一到周五每天9点, 12月9日起 每两周周三 15:00."""
        start, notes = self.pos, len(self.notes)
        self.take(_FROM)
        first = self.day()
        if first is None:
            self.pos = start
            del self.notes[notes:]
            return None
        self.check(first)
        last: Day | None = None
        if self.take(_RANGE):
            last = self.day(base=first.day)
            if last is None:
                self.pos = start
                del self.notes[notes:]
                return None
            if first.roll == last.roll == "week":  # 周一到周五 (no 下 / 本): every week
                return self._weekday_range(first.day, last.day)
            if last.day < first.day:
                raise ParseError("invalid", self.read_so_far(start), say.WINDOW_END_EARLY)
        elif not self.take(_SINCE):
            self.pos = start
            del self.notes[notes:]
            return None
        self.skip_space()
        mark = self.pos
        schedule = self.recurring()
        if schedule is None and last is None:  # 明天开始培训: a day, and text
            self.pos = start
            del self.notes[notes:]
            return None
        if schedule is None:
            self.pos = mark
            schedule = self._window_daily()
        if schedule is None:
            raise ParseError("invalid", self.read_so_far(start), say.WINDOW_NEEDS_TIME)
        return _with(schedule, first=first.day, last=last.day if last else None)

    def _weekday_range(self, first: date, last: date) -> Schedule:
        self.skip_space()
        self.take(_EVERY_DAY)
        span = range(first.weekday(), first.weekday() + (last - first).days + 1)
        weekly = Schedule("weekly", days=tuple(sorted({d % 7 for d in span})))
        return self._at_time(weekly, self.recurring_time())

    def _window_daily(self) -> Schedule | None:
        found = self.time_part()
        if found is None:
            return None
        self.notes.append(say.NOTE_WINDOW_DAILY)
        return self._at_time(Schedule("daily"), found)

    def _at_time(self, schedule: Schedule, found: Clock) -> Schedule:
        days = schedule.days
        if found.next_day:
            if schedule.kind == "weekly":
                days = tuple(sorted((d + 1) % 7 for d in days))
            elif schedule.kind not in ("daily",):
                raise ParseError("invalid", self.original[: self.pos], say.MIDNIGHT_IS_NEXT_DAY)
        return _with(schedule, tod=found.tod, end=found.end, days=days)

    def recurring(self) -> Schedule | None:
        start = self.pos
        if self.take(_EVERY_DAY):
            return self._at_time(Schedule("daily"), self.recurring_time())
        if found := self.take(_EVERY_EVENING):
            period = {"晚": "晚上", "早": "早上", "夜": "夜里"}[found["period"]]
            return self._at_time(Schedule("daily"), self.recurring_time(period))
        if found := self.take(_EVERY_N_DAYS):
            step = number(found["n"]) + (1 if found["gap"] else 0)
            if found["gap"]:
                self.notes.append(say.note_every(found.group(0), step, "天"))
            if not 1 <= step <= 366:
                raise ParseError("invalid", found.group(0), say.DAY_GAP_RANGE)
            daily = self._at_time(Schedule("daily"), self.recurring_time())
            return _every(daily, step, self.local_now)
        if self.take(_WORKDAY):
            schedule = self._at_time(Schedule("workday"), self.recurring_time())
            self.take(_WORKDAY_NOTE)
            return schedule
        if self.take(_WEEKEND):
            return self._at_time(Schedule("weekly", days=(5, 6)), self.recurring_time())
        if found := self.take(_EVERY_N_WEEKS):
            step = 2 if found["other"] else number(found["n"]) + (1 if found["gap"] else 0)
            if found["gap"] or found["other"]:
                said = _EVERY_N_WEEKS_SAID.match(found.group(0))
                assert said is not None  # the same words _EVERY_N_WEEKS began with
                self.notes.append(say.note_every(said.group(0), step, "周"))
            self.take(_SPACE_BEFORE_DAY)
            days = self.weekday_list()
            if days is None or not 1 <= step <= 52:
                self.pos = start
                return None
            weekly = self._at_time(Schedule("weekly", days=days), self.recurring_time())
            return _every(weekly, step, self.local_now)
        if self.take(_EVERY_WEEK):
            days = self.weekday_list()
            if days is None:
                self.pos = start
                return None
            return self._at_time(Schedule("weekly", days=days), self.recurring_time())
        if self.take(_EVERY_MONTH):
            return self.in_month(0)
        if self.take(_EVERY_QUARTER):
            return self.quarterly()
        if self.take(_EVERY_YEAR):
            if named := self.take(_FESTIVAL_NAME):
                return self._yearly_festival(named.group(0))
            found = self.take(_YEAR_DATE)
            if found is None:
                self.pos = start
                return None
            month = number(found["mo"])
            day = -1 if found["last"] else number(found["d"])
            check_date(2024, month, max(day, 1), found.group(0))  # a leap year: 2月29日
            return self._at_time(
                Schedule("yearly", days=(day,), month=month), self.recurring_time()
            )
        return None

    def _yearly_festival(self, said: str) -> Schedule:
        """每年七一, 每年国庆: a festival on a fixed date, every year (the lunar ones move)."""
        name = festivals.FESTIVALS[said]
        if name not in festivals.FIXED_DAYS:
            raise ParseError("invalid", f"每年{said}", say.LUNAR_YEARLY)
        month, day = festivals.FIXED_DAYS[name]
        self.notes.append(say.note_festival(name, date(2000, month, day)))
        return self._at_time(Schedule("yearly", days=(day,), month=month), self.recurring_time())

    def weekday_list(self) -> tuple[int, ...] | None:
        """一三五, 一、三、五, 一至五, 一和周三: weekdays in a row. Without a separator the
        days must increase, so 每周五一起学习 is Friday and 一起学习."""
        text = self.text
        if text[self.pos : self.pos + 1] not in WEEKDAY_CHARS:
            return None
        days = [WEEKDAY_CHARS[text[self.pos]]]
        self.pos += 1
        while True:
            joint = _WEEKDAY_JOINT.match(text, self.pos)
            assert joint is not None  # every part is optional
            char = text[joint.end() : joint.end() + 1]
            if char not in WEEKDAY_CHARS:
                break
            value = WEEKDAY_CHARS[char]
            if joint["range"]:
                if value <= days[-1]:
                    said = text[self.pos - 1 : joint.end() + 1]
                    raise ParseError("invalid", said, say.WEEKDAY_RANGE_ORDER)
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
            and text[self.pos - 2 : self.pos - 1] in WEEKDAY_CHARS
        ):
            self.pos -= 1
            days.pop()
        return tuple(sorted(set(days)))

    def month_days(self) -> tuple[int, ...] | None:
        if self.take(_LAST_DAY):
            return (-1,)
        if self.take(_FIRST_DAY):
            return (1,)
        found = self.take(_DAY_LIST)
        if found is None:
            return None
        days = sorted({number(n) for n in re.findall(NUM, found.group(0))})
        if days[0] < 1 or days[-1] > 31:
            raise ParseError("invalid", found.group(0), say.DAY_OF_MONTH_RANGE)
        self.take(_MONTH_NOTE)
        return tuple(days)

    def in_month(self, month: int, *, default_last: bool = False) -> Schedule:
        """What follows 每月 (month 0) or 每季度第N个月: the n-th weekday or working day, days of
        the month; nothing: the first day (said in the reply)."""
        quarterly = month != 0 or default_last
        mark = self.pos
        if found := self.take(_NTH):
            nth = -1 if found["last"] else number(found["n"])
            if nth not in NTH_WORDS:
                raise ParseError("invalid", found.group(0), say.NTH_TOO_BIG)
            if quarterly and not month:
                month = 3 if nth == -1 else 1
            if weekday := self.take(_NTH_WEEKDAY):
                days = (WEEKDAY_CHARS[weekday["wd"]],)
                base = Schedule("monthly_weekday", days=days, nth=nth, month=month)
                return self._at_time(base, self.recurring_time())
            if self.take(_NTH_WORKDAY):
                if nth not in (1, -1):
                    raise ParseError("invalid", found.group(0), say.WORKDAY_NTH)
                base = Schedule("monthly_workday", nth=nth, month=month)
                schedule = self._at_time(base, self.recurring_time())
                self.take(_WORKDAY_NOTE)
                return schedule
            self.pos = mark
        days = self.month_days()
        if days is None:
            if quarterly and (edge := self.take(_QUARTER_EDGE)):
                days = (-1,) if edge["part"] in "末底" else (1,)
            else:
                days = (1,)
                self.notes.append(say.NOTE_FIRST_DAY if quarterly else say.NOTE_FIRST_OF_MONTH)
        if quarterly:
            if not month:
                month = 3 if days == (-1,) else 1
            return self._at_time(
                Schedule("quarterly", days=days, month=month), self.recurring_time()
            )
        return self._at_time(Schedule("monthly", days=days), self.recurring_time())

    def quarterly(self) -> Schedule:
        if found := self.take(_QUARTER_MONTH):
            month = number(found["m"])
            if not 1 <= month <= 3:
                raise ParseError("invalid", found.group(0), say.QUARTER_MONTH)
            return self.in_month(month)
        return self.in_month(0, default_last=True)

    # --- one-off

    def at(self, day: date, tod: time, end: time | None = None) -> Schedule:
        instant = datetime.combine(day, tod, tzinfo=self.zone).astimezone(UTC)
        return Schedule("once", at=instant, end=end)

    def one_off(self) -> Schedule | None:
        return self.relative() or self.dated() or self.bare_time()

    def dated(self) -> Schedule | None:
        found = self.day()
        if found is None:
            return None
        self.check(found)
        day = found.day
        if offset := self.take(_OFFSET):
            if found.roll and found.day < self.today:  # 周三前一天 said on Thursday
                day = self.roll(found).day
            days = number(offset["n"])
            day += timedelta(days=-days if offset["dir"] == "前" else days)
            found = Day(day)
        typed = self.time_part(found.period)
        tod = typed or Clock(self.default_time)
        if typed is None:
            self.notes.append(say.note_no_hour(self.default_time))
            self.guessed_hour = True
        day += timedelta(days=1 if tod.next_day else 0)
        chosen = self.at(day, tod.tod, tod.end)
        assert chosen.at is not None
        while found.roll and chosen.at is not None and chosen.at <= self.now:
            found = self.roll(found)
            day = found.day + timedelta(days=1 if tod.next_day else 0)
            chosen = self.at(day, tod.tod, tod.end)
        if deadline := self.take(_DEADLINE):
            if self.one_instant:  # 周五前 as a deadline: Friday itself (the note says the hour)
                return chosen
            return self._deadline(day, chosen, typed is None, deadline.end())
        return chosen

    def _deadline(self, day: date, due: Schedule, no_time: bool, end: int) -> Schedule:
        """周五前: the day before at the default time (or, when that has passed, the day
        itself); 周五下午3点前: an hour before (or, within the hour, at the deadline)."""
        said = self.original[:end].strip()
        self.notes[:] = [n for n in self.notes if n != say.note_no_hour(self.default_time)]
        if no_time:
            chosen = self.at(day - timedelta(days=1), self.default_time)
            assert chosen.at is not None
            if chosen.at > self.now:
                self.notes.append(say.note_deadline(said, "day before"))
                return chosen
            self.notes.append(say.note_deadline(said, "same day"))
            return self.at(day, self.default_time)
        assert due.at is not None
        if due.at - timedelta(hours=1) > self.now:
            self.notes.append(say.note_deadline(said, "hour before"))
            return Schedule("once", at=due.at - timedelta(hours=1))
        self.notes.append(say.note_deadline(said, "at the deadline"))
        return due

    def relative(self) -> Schedule | None:
        found = self.take(_RELATIVE)
        if found is None:
            return None
        if found["h"] is not None:
            minutes = 60 * number(found["h"]) + number(found["hm"])
        else:
            n = found["n"]
            amount = 0.5 if n == "半" else float(n) if "." in n else float(number(n))
            if found["half"]:
                amount += 0.5
            unit = found["unit"]
            if unit == "月":
                return self._months_later(amount, found.group(0))
            if unit in ("天", "周", "星期"):
                days = amount * (1 if unit == "天" else 7)
                if days != int(days) or days < 1:
                    raise ParseError("invalid", found.group(0), say.WHOLE_DAYS)
                tod = self.time_part()
                if tod is not None:
                    shift = 1 if tod.next_day else 0
                    return self.at(self.today + timedelta(days=int(days) + shift), tod.tod, tod.end)
                minutes = days * 24 * 60
            else:
                minutes = amount * _MINUTES[unit]
        if minutes < 1 or minutes != int(minutes):
            raise ParseError("invalid", found.group(0), say.WHOLE_MINUTES)
        if minutes > 60 * 24 * 3660:
            raise ParseError("invalid", found.group(0), say.TOO_FAR)
        # That long from now, rounded up to the second: `1分钟后` is never early.
        at = self.local_now + timedelta(minutes=minutes)
        if at.microsecond:
            at = at.replace(microsecond=0) + timedelta(seconds=1)
        return Schedule("once", at=at.astimezone(UTC))

    def _months_later(self, amount: float, phrase: str) -> Schedule:
        if amount != int(amount) or not 1 <= amount <= 120:
            raise ParseError("invalid", phrase, say.MONTHS_RANGE)
        total = self.today.month - 1 + int(amount)
        year, month = self.today.year + total // 12, total % 12 + 1
        day = date(year, month, min(self.today.day, last_day(year, month)))
        tod = self.time_part()
        if tod is None:
            return self.at(day, self.local_now.time().replace(second=0, microsecond=0))
        return self.at(day + timedelta(days=1 if tod.next_day else 0), tod.tod, tod.end)

    def bare_time(self) -> Schedule | None:
        found = self.clock_time()
        if found is None:
            return None
        day = self.today + timedelta(days=1 if found.next_day else 0)
        chosen = self.at(day, found.tod, found.end)
        if chosen.at is not None and chosen.at <= self.now:
            self.notes.append(say.note_today_passed(found.tod))
            chosen = self.at(day + timedelta(days=1), found.tod, found.end)
        if self.one_instant:
            self.take(_DEADLINE)  # 18点前: 18:00 (a reminder refuses it: 前 has no day)
        return chosen


def _with(schedule: Schedule, **changes: Any) -> Schedule:
    return replace(schedule, **changes)


def _every(schedule: Schedule, step: int, now: datetime) -> Schedule:
    """Every `step` days or weeks, counted from the first time it fires from now."""
    if step <= 1:
        return schedule
    first = schedule.next_after(now.astimezone(UTC))
    assert first is not None
    return _with(schedule, every=step, first=first.astimezone(clock.zone()).date())
