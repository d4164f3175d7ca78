from nonebot import get_plugin_config
from pydantic import BaseModel, Field


class Config(BaseModel):
    receipts_nudge_before_minutes: float = Field(default=120, ge=0, le=7 * 24 * 60)
    """The automatic private nudge to those who have not confirmed goes out this many minutes
    before a notice's deadline (0: none; 催办 still works). A notice posted less than this
    ahead of its deadline gets none."""

    receipts_scan_seconds: float = Field(default=60, ge=1, le=3600)
    """How often the database is asked for due nudges and summaries (any process may claim
    them; each goes out once)."""


config = get_plugin_config(Config)
