from pydantic import BaseModel, Field


class Config(BaseModel):
    rules_max_chars: int = Field(default=2000, ge=100, le=10000)
    """Longest group rules text (设置群规)."""

    rules_welcome_lines: int = Field(default=3, ge=1, le=20)
    """How many of the rules' first lines the welcome of a newcomer quotes."""

    rules_word_max_chars: int = Field(default=20, ge=2, le=100)
    """Longest word of the content list (after normalisation)."""

    rules_words_per_command: int = Field(default=200, ge=1, le=5000)
    """Most words one `敏感词 添加` / `删除` may carry."""

    rules_list_max_words: int = Field(default=5000, ge=10, le=100000)
    """Most words a branch's list may hold, all categories together."""

    rules_record_days: int = Field(default=180, ge=1, le=3650)
    """Matched messages are kept this many days, then deleted."""

    rules_reload_seconds: float = Field(default=30.0, gt=0, le=3600)
    """How often each process looks whether the list or the switches changed elsewhere."""

    rules_flood_same_count: int = Field(default=5, ge=2, le=100)
    """The same text this many times by one member …"""

    rules_flood_same_seconds: float = Field(default=60, gt=0, le=3600)
    """… within this many seconds is a flood."""

    rules_flood_burst_count: int = Field(default=10, ge=2, le=200)
    """This many messages by one member …"""

    rules_flood_burst_seconds: float = Field(default=10, gt=0, le=600)
    """… within this many seconds is a flood."""

    rules_flood_quiet_seconds: float = Field(default=600, ge=0, le=86400)
    """After a flood alert, the same member raises no other for this long (one alert, not
    one per message)."""
