from datetime import time

from pydantic import BaseModel, Field


class Config(BaseModel):
    meeting_duration_minutes: float = Field(default=120, gt=0, le=24 * 60)
    """How long a meeting lasts when no end is typed (`周三15点到17点` gives its own end):
    `到` is taken until the end, and after it the absentees are known."""

    meeting_default_time: time = time(15, 0)
    """The hour of a meeting given as a day without one (`会议 党员大会 周五`)."""

    meeting_checkin_before_minutes: int = Field(default=30, ge=0, le=24 * 60)
    """`到` is taken from this many minutes before the start until the end."""

    meeting_remind_day_before_minutes: int = Field(default=24 * 60, ge=0, le=7 * 24 * 60)
    """The first reminder in the group goes out this many minutes before the start (0: none)."""

    meeting_remind_soon_minutes: int = Field(default=30, ge=0, le=24 * 60)
    """The second reminder goes out this many minutes before the start (0: none)."""

    meeting_scan_seconds: float = Field(default=60, ge=1, le=3600)
    """How often the database is asked for due reminders (any process may claim one; each
    goes out once per meeting time)."""

    meeting_member_statuses: tuple[str, ...] = ("正式党员", "预备党员")
    """Who a 党员大会, 党课, 主题党日, 组织生活会 or 民主评议 expects (and, within the 党小组,
    a 党小组会)."""

    meeting_committee_offices: tuple[str, ...] = (
        "书记",
        "副书记",
        "组织委员",
        "宣传委员",
        "纪检委员",
    )
    """Who a 支委会 expects: the branch committee (a 党小组长 is an officer of the bot, not a
    member of the committee; add 党小组长 here for 支委扩大会)."""

    meeting_list_recent_days: int = Field(default=30, ge=0, le=366)
    """`会议` lists meetings that ended within this many days, besides the upcoming ones."""

    meeting_topic_max_chars: int = Field(default=100, ge=10, le=500)
    """Longest topic of a meeting."""

    meeting_note_max_chars: int = Field(default=500, ge=10, le=2000)
    """Longest 补学 note or leave reason."""
