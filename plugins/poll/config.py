from datetime import time

from pydantic import BaseModel, Field


class Config(BaseModel):
    poll_deadline_time: time = time(18, 0)
    """A deadline given as a day without an hour (`截止 周五`) means this time of that day."""

    poll_open_days: int = Field(default=7, ge=1, le=365)
    """A poll without a deadline takes ballots for this many days."""

    poll_max_title_chars: int = Field(default=100, ge=10, le=500)
    """Longest poll title."""

    poll_max_option_chars: int = Field(default=40, ge=5, le=200)
    """Longest option."""
