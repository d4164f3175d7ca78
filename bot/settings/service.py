"""Per-group feature switches."""

from __future__ import annotations

from nonebot_plugin_orm import get_session
from sqlalchemy import select

from bot import clock
from bot.db import upsert
from bot.features import Feature

from .models import FeatureSwitch


async def is_enabled(group_id: str, feature: Feature) -> bool:
    async with get_session() as session:
        enabled = await session.scalar(
            select(FeatureSwitch.enabled).where(
                FeatureSwitch.group_id == group_id, FeatureSwitch.feature == feature.key
            )
        )
    return feature.default_enabled if enabled is None else enabled


async def set_enabled(group_id: str, feature: Feature, enabled: bool, by_user: str) -> None:
    async with get_session() as session, session.begin():
        await upsert(
            session,
            FeatureSwitch,
            {
                "group_id": group_id,
                "feature": feature.key,
                "enabled": enabled,
                "updated_at": clock.now(),
                "updated_by": by_user,
            },
            keys=("group_id", "feature"),
        )


async def group_switches(group_id: str, features: list[Feature]) -> dict[str, bool]:
    """Every switchable feature's state in a group (defaults filled in)."""
    async with get_session() as session:
        rows = await session.execute(
            select(FeatureSwitch.feature, FeatureSwitch.enabled).where(
                FeatureSwitch.group_id == group_id
            )
        )
        stored = {row.feature: row.enabled for row in rows}
    return {f.key: stored.get(f.key, f.default_enabled) for f in features if f.switchable}
