from decimal import Decimal
from pathlib import Path

from pydantic import BaseModel, Field, field_validator


def _data_dir() -> Path:
    from bot.app import ROOT

    return ROOT / "data"


class Config(BaseModel):
    policy_results: int = Field(default=5, ge=1, le=10)
    """How many sections 政策 <关键词> shows."""

    policy_snippet_chars: int = Field(default=60, ge=20, le=300)
    """Length of the snippet shown under each hit (characters, marks excluded)."""

    policy_section_max_chars: int = Field(default=900, ge=200, le=20000)
    """A section longer than this is split at numbered items, paragraphs or sentences."""

    policy_max_query_chars: int = Field(default=60, ge=10, le=500)
    """Longest keyword text accepted by 政策 (longer input is refused with a reason)."""

    policy_starter_dir: str = ""
    """Folder loaded into an empty library at first start; empty: the project's data/docs.
    `none` loads nothing."""

    policy_words_file: str = ""
    """Domain dictionary for the segmenter (one word a line); empty: data/policy_words.txt."""

    policy_synonyms_file: str = ""
    """Synonym table (one group of equivalent words a line); empty: data/policy_synonyms.txt."""

    policy_preload: bool = True
    """Build the search index at start-up (start-up takes about a second longer, the first
    政策 answers at once); false: build it at the first search."""

    policy_import_max_mb: float = Field(default=20, gt=0, le=500)
    """Files larger than this (MB) are refused by import-docs."""

    policy_dues_round_to: Decimal = Field(default=Decimal("0.01"))
    """党费 amounts are rounded half up to this step: 0.01 (分), 0.1 (角) or 1 (元)."""

    @field_validator("policy_dues_round_to")
    @classmethod
    def _known_step(cls, value: Decimal) -> Decimal:
        if value not in (Decimal("0.01"), Decimal("0.1"), Decimal("1")):
            raise ValueError("use 0.01 (分), 0.1 (角) or 1 (元)")
        return value

    def words_path(self) -> Path:
        """The segmenter's domain dictionary."""
        if self.policy_words_file:
            return Path(self.policy_words_file)
        return _data_dir() / "policy_words.txt"

    def synonyms_path(self) -> Path:
        """The segmenter's synonym table."""
        if self.policy_synonyms_file:
            return Path(self.policy_synonyms_file)
        return _data_dir() / "policy_synonyms.txt"

    def starter_path(self) -> Path | None:
        """The starter library's folder; None when none is loaded."""
        value = self.policy_starter_dir.strip()
        if value.lower() == "none":
            return None
        return Path(value) if value else _data_dir() / "docs"

    def import_limits(self) -> dict[str, int]:
        """The limits every import applies (`read_document`'s keyword arguments)."""
        return {
            "max_bytes": int(self.policy_import_max_mb * 1024 * 1024),
            "max_section_chars": self.policy_section_max_chars,
        }
