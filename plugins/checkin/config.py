from pydantic import BaseModel, Field


class Config(BaseModel):
    checkin_base_points: int = Field(default=5, ge=0, le=1000)
    """Points for a check-in."""

    checkin_streak_bonus: int = Field(default=1, ge=0, le=1000)
    """Extra points per consecutive day before today (day 2 of a streak: +1, day 3: +2 …)."""

    checkin_streak_bonus_cap: int = Field(default=5, ge=0, le=1000)
    """The streak bonus never exceeds this."""

    checkin_daily_cap: int = Field(default=20, ge=0, le=10000)
    """At most this many check-in points per member and day, whatever the rules above give."""

    checkin_note_max_chars: int = Field(default=200, ge=1, le=2000)
    """Longest study note (今天学了什么) accepted with 签到."""

    checkin_card_font: str = ""
    """A font file with Chinese glyphs for image cards (default: Noto Sans CJK, installed with
    the project)."""
