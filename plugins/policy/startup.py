"""At start-up (after the schema upgrade): jieba's dictionary, the starter library, the index."""

from __future__ import annotations

import time
from pathlib import Path

from nonebot import logger

from . import config, library, search


def data_dir() -> Path:
    from bot.app import ROOT

    return ROOT / "data"


def words_file() -> Path:
    return (
        Path(config.policy_words_file)
        if config.policy_words_file
        else data_dir() / "policy_words.txt"
    )


def synonyms_file() -> Path:
    return (
        Path(config.policy_synonyms_file)
        if config.policy_synonyms_file
        else data_dir() / "policy_synonyms.txt"
    )


def starter_dir() -> Path | None:
    value = config.policy_starter_dir.strip()
    if value.lower() == "none":
        return None
    return Path(value) if value else data_dir() / "docs"


def import_limits() -> dict[str, int]:
    return {
        "max_bytes": int(config.policy_import_max_mb * 1024 * 1024),
        "max_section_chars": config.policy_section_max_chars,
    }


async def prepare() -> None:
    began = time.perf_counter()
    search.configure(words_file(), synonyms_file())
    folder = starter_dir()
    if folder is not None:
        report = await library.load_starter(folder, **import_limits())
        if report is not None:
            done = [f for f in report.files if f.outcome]
            sections = sum(f.outcome.sections for f in done if f.outcome)
            logger.info(f"政策资料库：已载入起始资料 {len(done)} 篇、{sections} 节（{folder}）")
            for failed in report.failed:
                logger.warning(f"政策资料库：跳过 {failed.path}：{failed.error}")
    if not config.policy_preload:
        logger.info("政策资料库：检索索引在第一次查询时建立（POLICY_PRELOAD=false）")
        return
    await search.load_segmenter()
    snapshot = await search.refresh()
    logger.info(
        f"政策资料库：检索就绪，{len(snapshot.entries)} 节（{time.perf_counter() - began:.1f} 秒）"
    )
