"""Per-group feature switches.

Every command asks `is_enabled`, so answers are kept in memory for a few seconds. A change
made in this process is seen at once; one made by another process sharing the database
within SWITCH_CACHE_SECONDS.
"""

from __future__ import annotations

import time

from nonebot_plugin_orm import get_session
from sqlalchemy import select

from bot import clock
from bot.db import upsert
from bot.features import Feature

from .models import FeatureSwitch

SWITCH_CACHE_SECONDS = 10.0

_cache: dict[tuple[str, str], tuple[bool, float]] = {}


def clear_cache() -> None:
    _cache.clear()


async def is_enabled(group_id: str, feature: Feature) -> bool:
    key = (group_id, feature.key)
    cached = _cache.get(key)
    if cached is not None and cached[1] > time.monotonic():
        return cached[0]
    async with get_session() as session:
        stored = await session.scalar(
            select(FeatureSwitch.enabled).where(
                FeatureSwitch.group_id == group_id, FeatureSwitch.feature == feature.key
            )
        )
    enabled = feature.default_enabled if stored is None else stored
    _cache[key] = (enabled, time.monotonic() + SWITCH_CACHE_SECONDS)
    return enabled


async def enabled_in(group_ids: list[str], feature: Feature) -> dict[str, bool]:
    """`is_enabled` for many groups in few queries (pushes to many groups at one minute)."""
    answers: dict[str, bool] = {}
    now = time.monotonic()
    missing = []
    for group_id in group_ids:
        cached = _cache.get((group_id, feature.key))
        if cached is not None and cached[1] > now:
            answers[group_id] = cached[0]
        else:
            missing.append(group_id)
    for start in range(0, len(missing), 500):
        chunk = missing[start : start + 500]
        async with get_session() as session:
            rows = await session.execute(
                select(FeatureSwitch.group_id, FeatureSwitch.enabled).where(
                    FeatureSwitch.feature == feature.key, FeatureSwitch.group_id.in_(chunk)
                )
            )
            stored = {row.group_id: row.enabled for row in rows}
        for group_id in chunk:
            enabled = stored.get(group_id, feature.default_enabled)
            answers[group_id] = enabled
            _cache[(group_id, feature.key)] = (enabled, now + SWITCH_CACHE_SECONDS)
    return answers


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
    _cache.pop((group_id, feature.key), None)


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
