from pydantic import BaseModel, Field


class Config(BaseModel):
    quiz_daily_default_time: str = "09:00"
    """Push time when an admin sends `开启 每日一题` without a time (HH:MM, local)."""

    quiz_daily_scan_seconds: float = Field(default=20, ge=1, le=600)
    """How often the bot looks for a due push; a push goes out at most this late."""

    quiz_daily_grace_minutes: int = Field(default=120, ge=0, le=1440)
    """A push missed while the bot was down is still sent this long after its time, once."""

    quiz_daily_points: int = Field(default=5, ge=0, le=1000)
    """Points for answering the daily question right (the first answer counts)."""

    quiz_practice_points: int = Field(default=1, ge=0, le=1000)
    """Points per right answer in practice, 挑战答题 and 错题练习."""

    quiz_practice_daily_cap: int = Field(default=20, ge=0, le=10000)
    """At most this many practice points per member and day."""

    quiz_practice_default_count: int = Field(default=5, ge=1, le=20)
    """Questions in a practice round when `答题` names no number."""

    quiz_practice_max_count: int = Field(default=20, ge=1, le=100)
    """Most questions one practice round may have."""

    quiz_practice_timeout_minutes: float = Field(default=5, gt=0, le=120)
    """A practice round with no answer for this long ends with a note."""

    quiz_import_max_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    """Largest question-bank file accepted (bytes)."""

    quiz_import_max_rows: int = Field(default=20000, ge=1)
    """Most questions one file may hold."""

    quiz_starter_dir: str = ""
    """Folder of the starter bank loaded into an empty bank (default: the repository's data/questions)."""
