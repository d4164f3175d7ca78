"""Start-up work of the library (after the schema upgrade): jieba's dictionary, the starter
library, the search index. The library has no scheduled jobs: the index notices changes by
the library's stamp before each search."""

from __future__ import annotations

import time

from nonebot import get_driver, logger

from . import config, library, search


async def prepare() -> None:
    began = time.perf_counter()
    search.configure(config.words_path(), config.synonyms_path())
    folder = config.starter_path()
    if folder is not None:
        report = await library.load_starter(folder, **config.import_limits())
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


def install() -> None:
    """Register the start-up hook with the driver."""
    get_driver().on_startup(prepare)
