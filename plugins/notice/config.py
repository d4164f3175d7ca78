from datetime import time

from pydantic import BaseModel, Field


class Config(BaseModel):
    notice_deadline_time: time = time(18, 0)
    """A deadline given as a day without an hour (`截止 周五`) means this time of that day."""

    notice_open_days_after_deadline: int = Field(default=7, ge=0, le=365)
    """Receipts after the deadline are still taken, marked late, for this many days; then the
    notice is closed and a bare 收到 no longer means it."""

    notice_open_days: int = Field(default=14, ge=1, le=365)
    """A notice without a deadline takes receipts for this many days."""

    notice_max_chars: int = Field(default=500, ge=10, le=2000)
    """Longest notice text."""
