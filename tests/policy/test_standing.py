"""The branch's own official text first (issue 17): a document's standing is set on import,
shown with every hit, and an official article outranks a summary of the same point."""

from __future__ import annotations

from pathlib import Path

from bot.clock import FixedClock
from tests.policy.conftest import write

RULES = """中国共产党测试发展党员细则

第一章　发展对象

第十三条　对经过一年以上培养教育和考察的入党积极分子，经党支部委员会讨论，列为发展对象的，应当进行公示，公示期不少于五个工作日。

第十四条　发展对象应当有两名正式党员作入党介绍人。

第十五条　党组织必须对发展对象进行政治审查。
"""

SUMMARY = """---
标题: 发展对象怎么确定：公示和介绍人
分类: 发展党员
---

# 发展对象怎么确定

## 一、发展对象公示几天

发展对象要公示，公示期限按所在党委规定执行。

## 二、要几个入党介绍人

要有两名正式党员作入党介绍人。
"""


async def _import(tmp_path: Path) -> None:
    from plugins.policy import config, library

    write(tmp_path / "official" / "细则.txt", RULES)
    write(tmp_path / "starter" / "发展对象.md", SUMMARY)
    for folder, authority in (("official", ""), ("starter", "interpretation")):
        report = await library.import_paths(
            [tmp_path / folder], authority=authority, **config.import_limits()
        )
        assert not report.failed, [(f.path, f.error) for f in report.failed]


async def test_standing_is_stored_and_listed(tmp_path: Path, clock: FixedClock) -> None:
    from plugins.policy import library

    await _import(tmp_path)
    documents = {d.title: d for d in await library.list_documents()}
    official = documents["中国共产党测试发展党员细则"]
    summary = documents["发展对象怎么确定：公示和介绍人"]
    assert (official.authority, official.title_from) == ("official", "正文标题行")
    assert (summary.authority, summary.title_from) == ("interpretation", "文件头信息")


async def test_the_official_article_comes_first_and_says_so(
    tmp_path: Path, clock: FixedClock
) -> None:
    from plugins.policy import messages, search

    await _import(tmp_path)
    result = await search.search("发展对象公示几天")
    assert [(h.heading, h.authority) for h in result.hits[:2]] == [
        ("第十三条", "official"),
        ("一、发展对象公示几天", "interpretation"),
    ]
    reply = messages.results(result, "发展对象公示几天")
    assert f"〔{result.hits[0].number}〕中国共产党测试发展党员细则［原文］" in reply
    assert f"〔{result.hits[1].number}〕发展对象怎么确定：公示和介绍人［解读］" in reply
    top = (await search.search("入党介绍人要几个")).hits[0]
    assert (top.heading, top.authority) == ("第十四条", "official")


async def test_kind_given_on_import_wins(tmp_path: Path, clock: FixedClock) -> None:
    from plugins.policy import config, library

    write(tmp_path / "a" / "细则.txt", RULES)
    await library.import_paths([tmp_path / "a"], authority="branch", **config.import_limits())
    (document,) = await library.list_documents()
    assert document.authority == "branch"


async def test_promotion_finds_the_article_worded_otherwise(
    tmp_path: Path, clock: FixedClock
) -> None:
    """提拔 is how members ask; the rules say 提升职务."""
    from plugins.policy import config, library, search

    write(
        tmp_path / "d" / "条例.txt",
        "测试处分条例\n\n第十条　党员受到警告处分一年内，不得在党内提升职务。\n\n"
        "第十一条　撤销党内职务处分，是指撤销党内职务。\n\n第十二条　留党察看处分，分为一年、二年。\n",
    )
    await library.import_paths([tmp_path / "d"], **config.import_limits())
    top = (await search.search("受了处分多久不能提拔")).hits[0]
    assert top.heading == "第十条"
