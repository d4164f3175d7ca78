from datetime import time

from pydantic import BaseModel, Field


class Config(BaseModel):
    reminder_grace_minutes: int = Field(default=10, ge=1, le=1440)
    """A firing missed while the bot was down or disconnected is still sent, marked late, up to
    this many minutes after its time; older misses are recorded and summarised once per chat."""

    reminder_scan_seconds: float = Field(default=20, ge=0.5, le=60)
    """How often the database is scanned for due reminders; bounds how soon a reminder created
    by another bot process is noticed (a wake-up job fires at each reminder's exact minute)."""

    reminder_claim_lease_seconds: float = Field(default=60, ge=2, le=3600)
    """A claimed firing that is neither sent nor renewed by its process within this many seconds
    (the process crashed) is taken over by another pass and resent, within the grace period."""

    reminder_retry_seconds: float = Field(default=30, ge=1, le=600)
    """Wait before a failed send (no bot connected, platform refused) is tried again."""

    reminder_max_per_chat: int = Field(default=30, ge=1, le=1000)
    """Most active or paused reminders one group (or one private chat) may have."""

    reminder_min_interval_minutes: int = Field(default=60, ge=1, le=10080)
    """Shortest allowed gap between two firings of a recurring reminder (cron included)."""

    reminder_max_content_chars: int = Field(default=200, ge=10, le=1000)
    """Longest reminder text accepted."""

    reminder_default_time: time = time(9, 0)
    """Time of day used when an expression names a day but no time (每月最后一天, 明天)."""

    reminder_receipt_open_days: int = Field(default=7, ge=1, le=365)
    """A reminder that asks for a receipt (`提醒 … 回执`) takes 收到 for this many days after
    each firing; then that firing's receipts close and a bare 收到 no longer means it."""
