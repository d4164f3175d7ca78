"""The time expressions people type, each with its next fire times at a fixed instant.

The clock stands at Monday 2026-11-30 09:30 in Shanghai (tests/conftest.py DEFAULT_NOW).
Expected times are local (Asia/Shanghai), written out by hand from the calendar.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.clock import FixedClock
from tests.conftest import DEFAULT_NOW

SHANGHAI = ZoneInfo("Asia/Shanghai")

# expression → the first fire times (up to three), local "YYYY-MM-DD HH:MM"
TABLE: list[tuple[str, list[str]]] = [
    # --- one-off: the examples
    ("明天下午3点", ["2026-12-01 15:00"]),
    ("后天上午十点半", ["2026-12-02 10:30"]),
    ("下周一 9:00", ["2026-12-07 09:00"]),
    ("12月1日14:30", ["2026-12-01 14:30"]),
    ("2026-12-01 09:00", ["2026-12-01 09:00"]),
    ("今晚8点", ["2026-11-30 20:00"]),
    ("30分钟后", ["2026-11-30 10:00"]),
    ("2小时后", ["2026-11-30 11:30"]),
    ("半小时后", ["2026-11-30 10:00"]),
    # --- one-off: more days
    ("明天早上8点", ["2026-12-01 08:00"]),
    ("明早7点半", ["2026-12-01 07:30"]),
    ("明晚九点", ["2026-12-01 21:00"]),
    ("明天", ["2026-12-01 09:00"]),
    ("明天 下午3点", ["2026-12-01 15:00"]),
    ("大后天 10:00", ["2026-12-03 10:00"]),
    ("今天下午4点", ["2026-11-30 16:00"]),
    ("今晚八点半", ["2026-11-30 20:30"]),
    ("周五下午3点", ["2026-12-04 15:00"]),
    ("星期三 14:00", ["2026-12-02 14:00"]),
    ("礼拜六上午10点", ["2026-12-05 10:00"]),
    ("周一 8点", ["2026-12-07 08:00"]),  # this Monday 8:00 has passed: next Monday
    ("下星期二上午9点", ["2026-12-08 09:00"]),
    ("下个周三 9点", ["2026-12-09 09:00"]),
    ("下下周一 9点", ["2026-12-14 09:00"]),
    ("本周日 20:00", ["2026-12-06 20:00"]),
    ("这周五 16:00", ["2026-12-04 16:00"]),
    ("2026年12月25日 10:00", ["2026-12-25 10:00"]),
    ("2027-01-01 00:00", ["2027-01-01 00:00"]),
    ("2026/12/31 23:59", ["2026-12-31 23:59"]),
    ("十二月一日 下午三点", ["2026-12-01 15:00"]),
    ("12月1号", ["2026-12-01 09:00"]),
    ("1月5日", ["2027-01-05 09:00"]),  # more than a month ago this year: next year's
    ("二十号", ["2026-12-20 09:00"]),
    ("三十一号 18:00", ["2026-12-31 18:00"]),
    ("5号上午9点", ["2026-12-05 09:00"]),
    # --- one-off: relative
    ("一个半小时后", ["2026-11-30 11:00"]),
    ("1小时30分钟后", ["2026-11-30 11:00"]),
    ("一刻钟后", ["2026-11-30 09:45"]),
    ("45分钟后", ["2026-11-30 10:15"]),
    ("90分钟后", ["2026-11-30 11:00"]),
    ("10分后", ["2026-11-30 09:40"]),
    ("两小时后", ["2026-11-30 11:30"]),
    ("1分钟后", ["2026-11-30 09:31"]),
    ("3天后", ["2026-12-03 09:30"]),
    ("3天后上午9点", ["2026-12-03 09:00"]),
    ("1周后", ["2026-12-07 09:30"]),
    # --- one-off: a time alone (today, else tomorrow)
    ("十点半", ["2026-11-30 10:30"]),
    ("下午两点", ["2026-11-30 14:00"]),
    ("8点", ["2026-12-01 08:00"]),
    ("15:00", ["2026-11-30 15:00"]),
    ("下午3点15分", ["2026-11-30 15:15"]),
    ("下午三点一刻", ["2026-11-30 15:15"]),
    ("下午三点三刻", ["2026-11-30 15:45"]),
    ("晚上10点", ["2026-11-30 22:00"]),
    ("中午12点", ["2026-11-30 12:00"]),
    ("中午1点", ["2026-11-30 13:00"]),
    ("凌晨2点", ["2026-12-01 02:00"]),
    ("傍晚6点", ["2026-11-30 18:00"]),
    ("14时30分", ["2026-11-30 14:30"]),
    ("十点零五分", ["2026-11-30 10:05"]),
    ("十点二十", ["2026-11-30 10:20"]),
    ("11点整", ["2026-11-30 11:00"]),
    ("１０：４５", ["2026-11-30 10:45"]),  # full-width digits and colon
    # --- recurring: every day
    ("每天8点", ["2026-12-01 08:00", "2026-12-02 08:00", "2026-12-03 08:00"]),
    ("每天早上七点半", ["2026-12-01 07:30", "2026-12-02 07:30", "2026-12-03 07:30"]),
    ("每日 21:00", ["2026-11-30 21:00", "2026-12-01 21:00", "2026-12-02 21:00"]),
    ("天天10点", ["2026-11-30 10:00", "2026-12-01 10:00", "2026-12-02 10:00"]),
    ("每天八点十五", ["2026-12-01 08:15", "2026-12-02 08:15", "2026-12-03 08:15"]),
    ("每天８：３０", ["2026-12-01 08:30", "2026-12-02 08:30", "2026-12-03 08:30"]),
    # --- recurring: weekly
    ("每周五15:00", ["2026-12-04 15:00", "2026-12-11 15:00", "2026-12-18 15:00"]),
    ("每周一三五 7:30", ["2026-12-02 07:30", "2026-12-04 07:30", "2026-12-07 07:30"]),
    ("每周一、三、五 7:30", ["2026-12-02 07:30", "2026-12-04 07:30", "2026-12-07 07:30"]),
    ("每周一、周三 10点", ["2026-11-30 10:00", "2026-12-02 10:00", "2026-12-07 10:00"]),
    ("每周一至五 8点", ["2026-12-01 08:00", "2026-12-02 08:00", "2026-12-03 08:00"]),
    ("每周一到周五 18:00", ["2026-11-30 18:00", "2026-12-01 18:00", "2026-12-02 18:00"]),
    ("每星期日 20:00", ["2026-12-06 20:00", "2026-12-13 20:00", "2026-12-20 20:00"]),
    ("每个星期二 9:00", ["2026-12-01 09:00", "2026-12-08 09:00", "2026-12-15 09:00"]),
    ("每礼拜四下午三点", ["2026-12-03 15:00", "2026-12-10 15:00", "2026-12-17 15:00"]),
    ("每周末 10点", ["2026-12-05 10:00", "2026-12-06 10:00", "2026-12-12 10:00"]),
    ("每周三四点", ["2026-12-02 04:00", "2026-12-09 04:00", "2026-12-16 04:00"]),
    # --- recurring: working days (China's calendar)
    ("工作日8:30", ["2026-12-01 08:30", "2026-12-02 08:30", "2026-12-03 08:30"]),
    ("每个工作日 18:00", ["2026-11-30 18:00", "2026-12-01 18:00", "2026-12-02 18:00"]),
    # --- recurring: monthly
    ("每月1号9点", ["2026-12-01 09:00", "2027-01-01 09:00", "2027-02-01 09:00"]),
    ("每月最后一天", ["2026-12-31 09:00", "2027-01-31 09:00", "2027-02-28 09:00"]),
    ("每月月底 18:00", ["2026-11-30 18:00", "2026-12-31 18:00", "2027-01-31 18:00"]),
    ("每月二十号 10:00", ["2026-12-20 10:00", "2027-01-20 10:00", "2027-02-20 10:00"]),
    ("每月15号 下午2点", ["2026-12-15 14:00", "2027-01-15 14:00", "2027-02-15 14:00"]),
    ("每月1号、15号 9点", ["2026-12-01 09:00", "2026-12-15 09:00", "2027-01-01 09:00"]),
    ("每月31号", ["2026-12-31 09:00", "2027-01-31 09:00", "2027-02-28 09:00"]),
    ("每个月的5号 8:00", ["2026-12-05 08:00", "2027-01-05 08:00", "2027-02-05 08:00"]),
    ("每月第一个周五 15:00", ["2026-12-04 15:00", "2027-01-01 15:00", "2027-02-05 15:00"]),
    ("每月第2个星期三 14:00", ["2026-12-09 14:00", "2027-01-13 14:00", "2027-02-10 14:00"]),
    ("每月最后一个周五", ["2026-12-25 09:00", "2027-01-29 09:00", "2027-02-26 09:00"]),
    # --- recurring: quarterly and yearly
    ("每季度第一个月5号", ["2027-01-05 09:00", "2027-04-05 09:00", "2027-07-05 09:00"]),
    ("每季度5号 9点", ["2027-01-05 09:00", "2027-04-05 09:00", "2027-07-05 09:00"]),
    ("每季度第二个月15号", ["2027-02-15 09:00", "2027-05-15 09:00", "2027-08-15 09:00"]),
    ("每季度第三个月最后一天 17:00", ["2026-12-31 17:00", "2027-03-31 17:00", "2027-06-30 17:00"]),
    ("每年7月1日", ["2027-07-01 09:00", "2028-07-01 09:00", "2029-07-01 09:00"]),
    ("每年12月1日 上午10点", ["2026-12-01 10:00", "2027-12-01 10:00", "2028-12-01 10:00"]),
    # --- recurring: cron (read in Asia/Shanghai)
    ("cron 0 9 * * 1", ["2026-12-07 09:00", "2026-12-14 09:00", "2026-12-21 09:00"]),
    ("cron 30 8 * * 1-5", ["2026-12-01 08:30", "2026-12-02 08:30", "2026-12-03 08:30"]),
    ("cron 0 9 1 */3 *", ["2027-01-01 09:00", "2027-04-01 09:00", "2027-07-01 09:00"]),
    ("cron 0 18 L * *", ["2026-11-30 18:00", "2026-12-31 18:00", "2027-01-31 18:00"]),
    ("CRON 0 10 * * *", ["2026-11-30 10:00", "2026-12-01 10:00", "2026-12-02 10:00"]),
]


# The clock of the measurements: Saturday 2026-12-05 16:40 in Shanghai. The forms
# main refused or misread (issue #10), each with its next fire times, written out by hand from
# the calendar (festivals: 春节 2027-02-06, 端午 06-09, 中秋 09-15; 腊月初十 = 2027-01-17).
SATURDAY = datetime(2026, 12, 5, 16, 40, tzinfo=SHANGHAI).astimezone(UTC)
SATURDAY_TABLE: list[tuple[str, list[str]]] = [
    # --- a part of day without an hour: its stated default, never pushed into the content
    ("12月20日下午", ["2026-12-20 15:00"]),
    ("明天晚上", ["2026-12-06 20:00"]),
    ("明天中午", ["2026-12-06 12:00"]),
    ("七月五号晚", ["2027-07-05 20:00"]),
    ("周一早上", ["2026-12-07 08:00"]),
    ("明天下午", ["2026-12-06 15:00"]),
    ("后天傍晚", ["2026-12-07 18:00"]),
    ("周日上午", ["2026-12-06 09:00"]),
    ("下周三晚上", ["2026-12-09 20:00"]),
    ("今晚", ["2026-12-05 20:00"]),
    ("当晚", ["2026-12-05 20:00"]),
    ("明早", ["2026-12-06 08:00"]),
    ("明晚", ["2026-12-06 20:00"]),
    ("后天中午", ["2026-12-07 12:00"]),
    ("2026年12月31日晚上", ["2026-12-31 20:00"]),
    ("十二月三十一日下午", ["2026-12-31 15:00"]),
    # --- midnight and the small hours belong to the next day
    ("晚上12点", ["2026-12-06 00:00"]),
    ("夜里12点", ["2026-12-06 00:00"]),
    ("今晚12点", ["2026-12-06 00:00"]),
    ("明天晚上12点", ["2026-12-07 00:00"]),
    ("夜里1点", ["2026-12-06 01:00"]),
    ("每天晚上12点", ["2026-12-06 00:00", "2026-12-07 00:00", "2026-12-08 00:00"]),
    ("每周五晚上12点", ["2026-12-12 00:00", "2026-12-19 00:00", "2026-12-26 00:00"]),
    ("凌晨5点", ["2026-12-06 05:00"]),
    ("明天凌晨3点半", ["2026-12-06 03:30"]),
    # --- ranges start at their start
    ("明天下午两点到五点", ["2026-12-06 14:00"]),
    ("今晚八点到十点", ["2026-12-05 20:00"]),
    ("明天9:00-11:30", ["2026-12-06 09:00"]),
    ("12月8日14:00至16:00", ["2026-12-08 14:00"]),
    ("12月20日 下午2点至4点", ["2026-12-20 14:00"]),
    ("每周六下午两点到四点", ["2026-12-12 14:00", "2026-12-19 14:00", "2026-12-26 14:00"]),
    # --- deadlines: the day before at the default time, or an hour before a stated time
    ("周五前", ["2026-12-10 09:00"]),
    ("下周一前", ["2026-12-06 09:00"]),
    ("12月10日之前", ["2026-12-09 09:00"]),
    ("明天下午三点前", ["2026-12-06 14:00"]),
    ("周五下午3点前", ["2026-12-11 14:00"]),
    ("周三前一天", ["2026-12-08 09:00"]),
    # --- date windows with a daily time
    ("下周一到周五每天9点", ["2026-12-07 09:00", "2026-12-08 09:00", "2026-12-09 09:00"]),
    ("下周一至周五每天下午3点", ["2026-12-07 15:00", "2026-12-08 15:00", "2026-12-09 15:00"]),
    ("下周一到周五 9点", ["2026-12-07 09:00", "2026-12-08 09:00", "2026-12-09 09:00"]),
    ("12月7日至12月11日 每天8点", ["2026-12-07 08:00", "2026-12-08 08:00", "2026-12-09 08:00"]),
    ("12月7日到11日每天早上8点", ["2026-12-07 08:00", "2026-12-08 08:00", "2026-12-09 08:00"]),
    ("明天到周三每天9点", ["2026-12-06 09:00", "2026-12-07 09:00", "2026-12-08 09:00"]),
    ("从下周一起每天8:30", ["2026-12-07 08:30", "2026-12-08 08:30", "2026-12-09 08:30"]),
    ("12月9日起每周三 15:00", ["2026-12-09 15:00", "2026-12-16 15:00", "2026-12-23 15:00"]),
    # --- relative months and years, 月初 / 月中 / 月底, 年底
    ("下个月5号上午10点", ["2027-01-05 10:00"]),
    ("下月九号", ["2027-01-09 09:00"]),
    ("本月25号", ["2026-12-25 09:00"]),
    ("这个月20号下午3点", ["2026-12-20 15:00"]),
    ("月底", ["2026-12-31 09:00"]),
    ("下个月底", ["2027-01-31 09:00"]),
    ("月初", ["2027-01-01 09:00"]),
    ("下月初 8:30", ["2027-01-01 08:30"]),
    ("月中", ["2026-12-15 09:00"]),
    ("年底", ["2026-12-31 09:00"]),
    ("明年3月5号", ["2027-03-05 09:00"]),
    ("下下个月1号", ["2027-02-01 09:00"]),
    ("2个月后", ["2027-02-05 16:40"]),
    # --- numeric dates
    ("12/8", ["2026-12-08 09:00"]),
    ("6·30", ["2027-06-30 09:00"]),
    ("12.31 18:00", ["2026-12-31 18:00"]),
    ("20270307", ["2027-03-07 09:00"]),
    ("1/5 上午10点", ["2027-01-05 10:00"]),
    # --- weekends and far days
    ("下周末", ["2026-12-12 09:00"]),
    ("周末 10点", ["2026-12-06 10:00"]),
    ("这周末", ["2026-12-06 09:00"]),
    ("这周末晚上", ["2026-12-05 20:00"]),
    ("下下周末", ["2026-12-19 09:00"]),
    ("大大后天", ["2026-12-09 09:00"]),
    # --- festivals by name, lunar dates
    ("国庆节前一天", ["2027-09-30 09:00"]),
    ("元旦 9点", ["2027-01-01 09:00"]),
    ("元旦前一天下午", ["2026-12-31 15:00"]),
    ("春节", ["2027-02-06 09:00"]),
    ("除夕 20:00", ["2027-02-05 20:00"]),
    ("清明节", ["2027-04-05 09:00"]),
    ("五一劳动节 10点", ["2027-05-01 10:00"]),
    ("端午节", ["2027-06-09 09:00"]),
    ("中秋节晚上8点", ["2027-09-15 20:00"]),
    ("国庆 9点", ["2027-10-01 09:00"]),
    ("腊月初十", ["2027-01-17 09:00"]),
    ("农历八月十五", ["2027-09-15 09:00"]),
    ("正月十五 19:00", ["2027-02-20 19:00"]),
    ("冬月初一", ["2026-12-09 09:00"]),
    # --- every N days / weeks
    ("每两周周三15:00", ["2026-12-09 15:00", "2026-12-23 15:00", "2027-01-06 15:00"]),
    ("每隔一周的周一 9点", ["2026-12-07 09:00", "2026-12-21 09:00", "2027-01-04 09:00"]),
    ("每两周 周三 15:00", ["2026-12-09 15:00", "2026-12-23 15:00", "2027-01-06 15:00"]),
    ("每隔一周 星期一 9点", ["2026-12-07 09:00", "2026-12-21 09:00", "2027-01-04 09:00"]),
    ("隔周周五 下午4点", ["2026-12-11 16:00", "2026-12-25 16:00", "2027-01-08 16:00"]),
    ("每隔3天 9点", ["2026-12-06 09:00", "2026-12-10 09:00", "2026-12-14 09:00"]),
    ("每3天 20:00", ["2026-12-05 20:00", "2026-12-08 20:00", "2026-12-11 20:00"]),
    ("每隔一天 8点", ["2026-12-06 08:00", "2026-12-08 08:00", "2026-12-10 08:00"]),
    # --- last weekday / working day of a month or quarter, quarters
    ("每季度最后一个周五下午3点", ["2026-12-25 15:00", "2027-03-26 15:00", "2027-06-25 15:00"]),
    ("每月最后一个工作日16点", ["2026-12-31 16:00", "2027-01-29 16:00", "2027-02-26 16:00"]),
    ("每月第一个工作日 9点", ["2027-01-04 09:00", "2027-02-01 09:00", "2027-03-01 09:00"]),
    ("每季度最后一个工作日 17:00", ["2026-12-31 17:00", "2027-03-31 17:00", "2027-06-30 17:00"]),
    ("每季度", ["2027-01-01 09:00", "2027-04-01 09:00", "2027-07-01 09:00"]),
    ("每季度末", ["2026-12-31 09:00", "2027-03-31 09:00", "2027-06-30 09:00"]),
    ("每季度第一个周一 10点", ["2027-01-04 10:00", "2027-04-05 10:00", "2027-07-05 10:00"]),
    (
        "每个月的最后一个星期五 下午3点",
        ["2026-12-25 15:00", "2027-01-29 15:00", "2027-02-26 15:00"],
    ),
    ("每月", ["2027-01-01 09:00", "2027-02-01 09:00", "2027-03-01 09:00"]),
    ("每月初", ["2027-01-01 09:00", "2027-02-01 09:00", "2027-03-01 09:00"]),
    ("每月底 17:00", ["2026-12-31 17:00", "2027-01-31 17:00", "2027-02-28 17:00"]),
    ("每月15号 下午", ["2026-12-15 15:00", "2027-01-15 15:00", "2027-02-15 15:00"]),
    ("每年12月最后一天", ["2026-12-31 09:00", "2027-12-31 09:00", "2028-12-31 09:00"]),
    # --- parts of day in recurring times, 的 between
    ("每个工作日的下午三点", ["2026-12-07 15:00", "2026-12-08 15:00", "2026-12-09 15:00"]),
    ("每天下午", ["2026-12-06 15:00", "2026-12-07 15:00", "2026-12-08 15:00"]),
    ("每天晚上", ["2026-12-05 20:00", "2026-12-06 20:00", "2026-12-07 20:00"]),
    ("每周一早上", ["2026-12-07 08:00", "2026-12-14 08:00", "2026-12-21 08:00"]),
    ("每天的9点", ["2026-12-06 09:00", "2026-12-07 09:00", "2026-12-08 09:00"]),
    # --- plain ones, at this clock
    ("下个星期一上午十点", ["2026-12-07 10:00"]),
    ("星期天晚上7点半", ["2026-12-06 19:30"]),
    ("下午三点半", ["2026-12-06 15:30"]),
    ("晚上九点", ["2026-12-05 21:00"]),
    ("大后天下午两点", ["2026-12-08 14:00"]),
    ("1.5小时后", ["2026-12-05 18:10"]),
    ("三十分钟后", ["2026-12-05 17:10"]),
    # --- a weekday said after a date must agree; a bare weekday range is every week
    ("12月15日 周二 下午3点", ["2026-12-15 15:00"]),
    ("12月15日星期二下午3点", ["2026-12-15 15:00"]),
    ("周一到周五每天早上8点", ["2026-12-07 08:00", "2026-12-08 08:00", "2026-12-09 08:00"]),
    ("周一至周五 8点", ["2026-12-07 08:00", "2026-12-08 08:00", "2026-12-09 08:00"]),
    ("每晚9点", ["2026-12-05 21:00", "2026-12-06 21:00", "2026-12-07 21:00"]),
    ("每晚", ["2026-12-05 20:00", "2026-12-06 20:00", "2026-12-07 20:00"]),
    ("每早7点半", ["2026-12-06 07:30", "2026-12-07 07:30", "2026-12-08 07:30"]),
    ("明天一早", ["2026-12-06 08:00"]),
    ("七一", ["2027-07-01 09:00"]),
    ("每年七一上午9点", ["2027-07-01 09:00", "2028-07-01 09:00", "2029-07-01 09:00"]),
    ("每年国庆节 9点", ["2027-10-01 09:00", "2028-10-01 09:00", "2029-10-01 09:00"]),
    ("八一前一天", ["2027-07-31 09:00"]),
    ("12月底前", ["2026-12-30 09:00"]),
    ("3月初 10点", ["2027-03-01 10:00"]),
    ("明年6月底", ["2027-06-30 09:00"]),
    ("每月10、20号", ["2026-12-10 09:00", "2026-12-20 09:00", "2027-01-10 09:00"]),
    ("每月 1号和15号 9点", ["2026-12-15 09:00", "2027-01-01 09:00", "2027-01-15 09:00"]),
    ("每周的周一 9点", ["2026-12-07 09:00", "2026-12-14 09:00", "2026-12-21 09:00"]),
]


def _local(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=SHANGHAI)


def test_the_table_is_big_enough() -> None:
    assert len(TABLE) + len(SATURDAY_TABLE) >= 160
    assert len({e for e, _ in TABLE + SATURDAY_TABLE}) == len(TABLE) + len(SATURDAY_TABLE)


@pytest.mark.parametrize(("expression", "expected"), TABLE, ids=[e for e, _ in TABLE])
def test_next_fire_times(expression: str, expected: list[str]) -> None:
    from bot.when import Schedule, parse

    parsed = parse(f"{expression} 开会", DEFAULT_NOW)
    assert parsed.content == "开会"
    times = parsed.schedule.upcoming(DEFAULT_NOW, 3)
    assert [t.astimezone(SHANGHAI) for t in times[: len(expected)]] == [_local(t) for t in expected]
    assert all(t.second == 0 and t.tzinfo is UTC for t in times)
    # Stored and read back, the schedule gives the same times.
    again = Schedule.from_spec(parsed.schedule.to_spec())
    assert again.upcoming(DEFAULT_NOW, 3) == times


@pytest.mark.parametrize(
    ("expression", "expected"), SATURDAY_TABLE, ids=[e for e, _ in SATURDAY_TABLE]
)
def test_next_fire_times_on_a_saturday_afternoon(expression: str, expected: list[str]) -> None:
    from bot.when import Schedule, parse

    parsed = parse(f"{expression} 开会", SATURDAY)
    assert parsed.content == "开会"
    times = parsed.schedule.upcoming(SATURDAY, 3)
    assert [t.astimezone(SHANGHAI) for t in times[: len(expected)]] == [_local(t) for t in expected]
    again = Schedule.from_spec(parsed.schedule.to_spec())
    assert again == parsed.schedule
    # The restated words read back as the same schedule.
    assert parse(f"{parsed.schedule.describe(SATURDAY)} 开会", SATURDAY).schedule == again


REFUSED: list[tuple[str, str, str]] = [
    # expression, kind, what the reply names
    ("今天上午9点", "past", "今天上午9点"),
    ("11月1日", "past", "11月1日"),
    ("2026-11-01 10:00", "past", "2026-11-01 10:00"),
    ("本周一 8点", "past", "本周一 8点"),
    ("今天", "past", "今天"),
    ("2月30日", "invalid", "2月没有30日"),
    ("13月1日", "invalid", "月份应在1–12之间"),
    ("每月32号", "invalid", "日期应在1–31号之间"),
    ("25:00", "invalid", "小时应在0–23"),
    ("上午15点", "invalid", "上午没有15点"),
    ("cron 61 9 * * *", "invalid", "cron 表达式有误"),
    ("cron 0 0 30 2 *", "invalid", "永远不会到"),
    ("0分钟后", "invalid", "最短1分钟"),
    ("哈哈", "unreadable", "哈哈"),
    ("开会 明天3点", "unreadable", "开会"),
    ("下下下周", "unreadable", "下下下周"),
    ("每周八", "unreadable", "每周八"),
]

# At the clock (Saturday 2026-12-05 16:40): refused with a reason, never guessed.
SATURDAY_REFUSED: list[tuple[str, str, str]] = [
    ("明天凌晨", "invalid", "请写几点"),
    ("12月6日到8日", "invalid", "每天几点"),
    ("国庆节后第一个工作日", "invalid", "2027年国庆节的放假安排还没公布"),
    ("春节前最后一个工作日", "invalid", "放假安排还没公布"),
    ("八月十五", "invalid", "农历请写「农历八月十五」"),
    ("明天下午两点到一点", "invalid", "结束时间要晚于开始时间"),
    ("明天下午茶话会", "unreadable", "明天下午茶话会"),
    ("周五 前", "unreadable", "前"),
    ("每月第六个周五", "invalid", "每月最多有5个"),
    ("每月第二个工作日", "invalid", "第一个」或「最后一个"),
    ("每季度第四个月5号", "invalid", "季度只有第一、二、三个月"),
    ("12/1", "past", "12/1"),
    ("明天（12月7日 周一）9点", "invalid", "对不上"),
    ("每月1号晚上12点", "invalid", "0点"),
    ("上个月", "unreadable", "上个月"),
    ("下周二、周四 9点", "unreadable", "下周二、周四"),
    ("明天起 开会", "unreadable", "明天起"),
    ("12月15日 周三 下午3点", "invalid", "那天是12月15日周二，对不上"),
    ("周六 周日", "unreadable", "周六 周日"),
    ("每周五下班前", "unreadable", "下班前"),
    ("每天早晚8点", "unreadable", "每天早晚"),
    ("每天上午10点和下午3点", "unreadable", "和下午3点"),
    ("每天9点、15点", "unreadable", "15点"),
    ("七一后第一个工作日", "invalid", "建党节不放假"),
    ("每年中秋", "invalid", "农历节日每年日期不同"),
    ("9-11点", "unreadable", "9-11点"),
]


@pytest.mark.parametrize(("expression", "kind", "named"), REFUSED, ids=[e for e, _, _ in REFUSED])
def test_refused_times(expression: str, kind: str, named: str) -> None:
    from bot.when import ParseError, parse

    with pytest.raises(ParseError) as caught:
        parse(f"{expression} 开会", DEFAULT_NOW)
    assert caught.value.kind == kind
    assert named in caught.value.phrase + caught.value.reason


@pytest.mark.parametrize(
    ("expression", "kind", "named"), SATURDAY_REFUSED, ids=[e for e, _, _ in SATURDAY_REFUSED]
)
def test_refused_on_a_saturday_afternoon(expression: str, kind: str, named: str) -> None:
    from bot.when import ParseError, parse

    with pytest.raises(ParseError) as caught:
        parse(f"{expression} 开会", SATURDAY)
    assert caught.value.kind == kind
    assert named in caught.value.phrase + caught.value.reason


def test_an_hour_written_after_the_content_is_not_guessed() -> None:
    """明天 开会 下午3点 would otherwise fire at the default 09:00 with the hour as text."""
    from bot.when import ParseError, parse

    for text in (
        "明天 开会 下午3点",
        "明天 开会 15:00",
        "明天 开会，8点集合",
        "每周五 党小组学习 下午3点",
        "后天 交材料 下午5点前",
        "明天下午 开会 3点半",
    ):
        with pytest.raises(ParseError) as caught:
            parse(text, SATURDAY)
        assert caught.value.kind == "invalid", text
        assert "几点要紧跟日期写在内容前面" in caught.value.reason, text
    # A number of points is no hour; a typed hour leaves the rest of the text alone.
    kept = {
        "明天 党课 讲三点要求": ("党课 讲三点要求", "明天（12月6日 周日）09:00"),
        "明天 第3点意见": ("第3点意见", "明天（12月6日 周日）09:00"),
        "明天下午3点 开会 4点结束": ("开会 4点结束", "明天（12月6日 周日）15:00"),
    }
    for text, (content, words) in kept.items():
        parsed = parse(text, SATURDAY)
        assert (parsed.content, parsed.schedule.describe(SATURDAY)) == (content, words), text


def test_a_count_is_not_a_time() -> None:
    from bot.when import ParseError, parse

    with pytest.raises(ParseError) as caught:
        parse("每天三次 吃药", SATURDAY)
    assert caught.value.kind == "unreadable"


def test_time_words_never_slide_into_the_content() -> None:
    """The issue's misreads: the content is what follows the whole time phrase."""
    from bot.when import parse

    cases = {
        "12月20日下午 党员大会": ("党员大会", "12月20日（周日）15:00"),
        "周五前 交思想汇报": ("交思想汇报", "12月10日（周四）09:00"),
        "下周一到周五每天9点 培训": ("培训", "12月7日至12月11日 每天 09:00"),
        "明天下午两点到五点 开会": ("开会", "明天（12月6日 周日）14:00–17:00"),
        "16时40分50秒 交表": ("交表", "今天（12月5日 周六）16:40:50"),
        "每个工作日的下午三点 打卡": ("打卡", "工作日 15:00（按国家法定节假日和调休）"),
        "明天下午3点支委会": ("支委会", "明天（12月6日 周日）15:00"),
        "晚上12点 收集材料": ("收集材料", "明天（12月6日 周日）00:00"),
        "明天下午3点到5楼开会": ("到5楼开会", "明天（12月6日 周日）15:00"),
        "明天上午9点 上午的会改到下午": ("上午的会改到下午", "明天（12月6日 周日）09:00"),
        "每天8点 每人交一份": ("每人交一份", "每天 08:00"),
        "3月8日妇女节活动": ("妇女节活动", "2027年3月8日（周一）09:00"),
        "明天开始培训": ("开始培训", "明天（12月6日 周日）09:00"),
        "明天 3号楼开会": ("3号楼开会", "明天（12月6日 周日）09:00"),
        "第二天9点 点名": ("点名", "明天（12月6日 周日）09:00"),
    }
    for text, (content, words) in cases.items():
        parsed = parse(text, SATURDAY)
        assert (parsed.content, parsed.schedule.describe(SATURDAY)) == (content, words), text


def test_defaults_and_assumptions_are_said() -> None:
    from bot.when import parse

    def notes(text: str) -> list[str]:
        return parse(f"{text} 开会", SATURDAY).notes

    assert notes("12月20日下午") == ["「下午」没写几点，按15:00"]
    assert notes("明天晚上") == ["「晚上」没写几点，按20:00"]
    assert notes("周五前") == ["「周五前」：截止前一天提醒"]
    assert notes("周五下午3点前") == ["「周五下午3点前」：截止前1小时提醒"]
    assert notes("今天下午5点前") == ["「今天下午5点前」：离截止不到1小时，按截止时间提醒"]
    assert notes("明天前") == ["「明天前」：截止当天提醒"]
    assert notes("夜里12点") == ["「夜里12点」按次日00:00"]
    assert notes("每隔3天 9点") == ["「每隔3天」即每4天一次"]
    assert notes("每隔两周周一 9点") == ["「每隔两周」即每3周一次"]
    assert notes("隔周周五 9点") == ["「隔周」即每2周一次"]
    assert notes("国庆节前一天 9点") == ["国庆节是10月1日"]
    assert notes("腊月初十 9点") == ["农历腊月初十是1月17日"]
    assert notes("下周末 10点") == ["周末按周六"]
    assert notes("这周末 10点") == ["周六已过，按周日"]
    assert notes("每季度") == ["没写哪天，按第一天", "没写几点，按09:00"]


def test_a_date_window_ends() -> None:
    from bot.when import parse

    schedule = parse("下周一到周五每天9点 培训", SATURDAY).schedule
    times = schedule.upcoming(SATURDAY, 10)
    assert [t.astimezone(SHANGHAI).day for t in times] == [7, 8, 9, 10, 11]


def test_a_range_keeps_its_end() -> None:
    from datetime import time

    from bot.when import Schedule, parse

    schedule = parse("明天下午两点到五点 开会", SATURDAY).schedule
    assert (schedule.at, schedule.end) == (_local("2026-12-06 14:00"), time(17, 0))
    assert Schedule.from_spec(schedule.to_spec()).end == time(17, 0)


def test_schedules_stored_before_the_rewrite_still_read() -> None:
    """Rows written by the old grammar: the same JSON keys, the same meaning."""
    from bot.when import Schedule

    old = {
        '{"k":"weekly","t":"07:30","d":[0,2,4]}': "每周一、三、五 07:30",
        '{"k":"quarterly","t":"09:00","d":[15],"m":1}': "每季度第一个月（1、4、7、10月）15号 09:00",
        '{"k":"monthly_weekday","t":"15:00","d":[4],"n":1}': "每月第一个周五 15:00",
        '{"k":"once","at":"2026-12-06T06:00:00+00:00"}': "明天（12月6日 周日）14:00",
    }
    for spec, words in old.items():
        assert Schedule.from_spec(spec).describe(SATURDAY) == words


def test_festivals_agree_with_the_holiday_calendar() -> None:
    """Each festival's day, as the grammar computes it, is that holiday in chinesecalendar's
    data for every year it has (2020 中秋 fell on 国庆; 除夕 is a day off from 2025)."""
    import chinese_calendar

    from bot.when.festivals import _CHINESECALENDAR_NAMES, festival_day

    for year in range(2021, 2027):
        for name, english in _CHINESECALENDAR_NAMES.items():
            if name == "除夕" and year < 2025:
                continue
            assert chinese_calendar.get_holiday_detail(festival_day(name, year)) == (
                True,
                english,
            ), (year, name)


def test_content_keeps_its_punctuation_and_digits() -> None:
    from bot.when import parse

    parsed = parse("每周五一起学习，地点：5楼", DEFAULT_NOW)
    assert (parsed.phrase, parsed.content) == ("每周五", "一起学习，地点：5楼")
    assert parse("明天下午3点支委会（全体支委）", DEFAULT_NOW).content == "支委会（全体支委）"
    assert parse("每天8点 5楼开会", DEFAULT_NOW).content == "5楼开会"


def test_working_days_follow_the_holiday_calendar() -> None:
    """2026: National Day 10月1–7日 off, Saturday 10月10日 worked; Spring Festival
    2月15–23日 off, Saturdays 2月14日 and 2月28日 worked."""
    from bot.when import parse

    schedule = parse("工作日9点 打卡", DEFAULT_NOW).schedule
    autumn = schedule.upcoming(_local("2026-09-30 10:00").astimezone(UTC), 3)
    assert [t.astimezone(SHANGHAI) for t in autumn] == [
        _local("2026-10-08 09:00"),
        _local("2026-10-09 09:00"),
        _local("2026-10-10 09:00"),
    ]
    spring = schedule.upcoming(_local("2026-02-13 10:00").astimezone(UTC), 2)
    assert [t.astimezone(SHANGHAI) for t in spring] == [
        _local("2026-02-14 09:00"),
        _local("2026-02-24 09:00"),
    ]


def test_schedules_in_words(clock: FixedClock) -> None:
    from bot.when import parse

    def words(expression: str) -> str:
        return parse(f"{expression} 开会", DEFAULT_NOW).schedule.describe()

    assert words("每周一三五 7:30") == "每周一、三、五 07:30"
    assert words("每周一至五 8点") == "每周一至五 08:00"
    assert words("每月最后一天") == "每月最后一天 09:00"
    assert words("每季度第一个月5号") == "每季度第一个月（1、4、7、10月）5号 09:00"
    assert words("工作日8:30") == "工作日 08:30（按国家法定节假日和调休）"
    assert words("每月第一个周五 15:00") == "每月第一个周五 15:00"
    assert words("cron 0 9 * * 1") == "cron「0 9 * * 1」（在 09:00，仅在 周一）"
    assert words("明天下午3点") == "明天（12月1日 周二）15:00"


def test_minutes_from_now_are_never_early() -> None:
    """At 09:30:00.400, `1分钟后` is 09:31:01, not 09:31:00 (0.4 s early)."""
    from bot.when import parse

    now = DEFAULT_NOW + timedelta(milliseconds=400)
    (at,) = parse("1分钟后 开会", now).schedule.upcoming(now, 1)
    assert at - now == timedelta(seconds=60, milliseconds=600)
    (exact,) = parse("1分钟后 开会", DEFAULT_NOW).schedule.upcoming(DEFAULT_NOW, 1)
    assert exact - DEFAULT_NOW == timedelta(minutes=1)
