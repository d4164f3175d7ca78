"""政策 · 看 · 资料 · 党费 as members see them (nonebug, exact replies)."""

from __future__ import annotations

from pathlib import Path

import pytest
from nonebug import App

from bot.clock import FixedClock
from tests.chat import conversation
from tests.policy.conftest import write
from tests.policy.test_library import DOC


@pytest.fixture
async def small_library(tmp_path: Path, clock: FixedClock) -> None:
    """One document of three sections, numbered 1–3."""
    from plugins.policy import config, library

    write(tmp_path / "组织建设" / "rule.md", DOC)
    report = await library.import_paths([tmp_path], **config.import_limits())
    assert report.files[0].outcome
    assert report.files[0].outcome.numbers == (1, 2, 3)


async def test_search_then_read(app: App, small_library: None) -> None:
    async with conversation(app) as chat:
        chat.says("政策 书记主持").answers(
            "「书记主持」相关条文（共1节，最相关的1节）：\n\n"
            "〔2〕测试支部工作规定［本支部］\n二、谁来主持 · 2024-01-02\n由【支部书记主持】。\n\n"
            "发「看 编号」读全文，如：看 2"
        )
        chat.says("看 2").answers(
            "〔2〕测试支部工作规定\n§ 二、谁来主持\n（本支部 · 测试党委 2024-01-02）\n\n由支部书记主持。\n\n"
            "上一节「看 1」，下一节「看 3」；查别的：政策 关键词"
        )
        chat.says("/政策 3").answers(
            "〔3〕测试支部工作规定\n§ 三、会议记录\n（本支部 · 测试党委 2024-01-02）\n\n会议要有记录。\n\n"
            "上一节「看 2」；查别的：政策 关键词"
        )


async def test_alias_private_chat_and_full_width_number(app: App, small_library: None) -> None:
    async with conversation(app) as chat:
        chat.says_privately("查政策 支部委员会会议").answers(
            "「支部委员会会议」相关条文（共3节，最相关的3节）：\n\n"
            "〔1〕测试支部工作规定［本支部］\n一、支部多久开一次会 · 2024-01-02\n【支部委员会会议】每月召开一次。\n\n"
            "〔3〕测试支部工作规定［本支部］\n三、会议记录 · 2024-01-02\n【会议】要有记录。\n\n"
            "〔2〕测试支部工作规定［本支部］\n二、谁来主持 · 2024-01-02\n由【支部】书记主持。\n\n"
            "发「看 编号」读全文，如：看 1"
        )
        chat.says_privately("看 １").answers(
            "〔1〕测试支部工作规定\n§ 一、支部多久开一次会\n（本支部 · 测试党委 2024-01-02）\n\n"
            "支部委员会会议每月召开一次。\n\n下一节「看 2」；查别的：政策 关键词"
        )


async def test_bad_queries_get_a_reason(app: App, small_library: None) -> None:
    long_query = "党费" * 40
    no_section = (
        "没有编号为 999 的条文（可能已随资料更新删除）。\n发「政策 关键词」查找，或发「资料」看目录"
    )
    async with conversation(app) as chat:
        chat.says("政策").answers("请在「政策」后面写要查的内容或条文编号。\n例：政策 交党费")
        chat.says("政策 " + long_query).answers(
            "要查的内容太长了（80字），请用几个关键词，60字以内。\n例：政策 交党费"
        )
        chat.says("政策 %*'\"\\").answers(
            "「%*'\"\\」里没有可以查的字词。请写要查的内容，如：政策 交党费\n发「资料」看全部学习资料"
        )
        chat.says("政策 宇宙飞船").answers(
            "没有找到和「宇宙飞船」相关的条文。\n换个说法或少写几个字再查，如：政策 党费\n"
            "发「资料」看全部学习资料"
        )
        chat.says("看 999").answers(no_section)
        chat.says("政策 999").answers(no_section)
        chat.says("看").answers("「看」后面写条文编号（在「政策 关键词」的结果里）。\n例：看 1")
        chat.says("看 党费").answers("「党费」不是条文编号，编号是数字。\n例：看 1")


async def test_a_5kb_message_is_refused_before_the_search(app: App, small_library: None) -> None:
    async with conversation(app) as chat:
        chat.says("政策 " + "党" * 5000).answers("消息太长了（5003字），请控制在2000字以内。")


async def test_catalog_and_category(app: App, small_library: None) -> None:
    async with conversation(app) as chat:
        chat.says("资料").answers(
            "📚 学习资料库：1篇，1类\n\n【组织建设】1篇\n· 测试支部工作规定（看 1）\n\n"
            "发「资料 组织建设」看一类的目录，「政策 关键词」查条文"
        )
        chat.says("资料 组织").answers(
            "📚 组织建设：1篇\n\n《测试支部工作规定》（2024-01-02）\n"
            "〔1〕一、支部多久开一次会\n〔2〕二、谁来主持\n〔3〕三、会议记录\n\n"
            "发「看 编号」读全文，如：看 1"
        )
        chat.says("资料 火星").answers(
            "没有「火星」这个分类。现有：组织建设\n查内容请发：政策 火星"
        )


async def test_empty_library(app: App, clock: FixedClock) -> None:
    async with conversation(app) as chat:
        chat.says("资料").answers(
            "资料库还是空的。请管理员导入学习资料：python -m bot import-docs 文件夹"
        )
        chat.says("看 1").answers(
            "资料库还是空的，没有可看的条文。请管理员导入学习资料：python -m bot import-docs 文件夹"
        )


DUES_6000 = (
    "税后月收入6000元：每月交党费90元\n"
    "档次：5000元以上至10000元（含），比例1.5%\n"
    "算法：6000×1.5%=90元（全部收入按所在档次的比例算，不分段累进）\n"
    "收入按税后工资收入算：每月相对固定的、经常性的工资收入减去个人所得税；"
    "具体口径和零头取舍以党支部核定为准。\n"
    "依据：《关于中国共产党党费收缴、使用和管理的规定》（中共中央组织部，2008年）\n"
    "离退休、学生等党员另有标准，发「政策 离退休 党费」查看"
)


async def test_dues(app: App, clock: FixedClock) -> None:
    async with conversation(app) as chat:
        for amount in ("6000", "6千", "六千元", "６０００"):
            chat.says(f"党费 {amount}").answers(DUES_6000)
        chat.says("党费 8000.5").answers(
            "税后月收入8000.5元：每月交党费120.01元\n"
            "档次：5000元以上至10000元（含），比例1.5%\n"
            "算法：8000.5×1.5%=120.0075元，按分四舍五入为120.01元（全部收入按所在档次的比例算，不分段累进）\n"
            + DUES_6000.split("\n", 3)[3]
        )
        chat.says("党费 1.2万").answers(
            "税后月收入12000元：每月交党费240元\n档次：10000元以上，比例2%\n"
            "算法：12000×2%=240元（全部收入按所在档次的比例算，不分段累进）\n"
            + DUES_6000.split("\n", 3)[3]
        )
        chat.says("党费").answers(
            "在职党员每月党费（按税后月工资收入）：\n· 3000元及以下：0.5%\n"
            "· 3000元以上至5000元（含）：1%\n· 5000元以上至10000元（含）：1.5%\n"
            "· 10000元以上：2%\n"
            "依据：《关于中国共产党党费收缴、使用和管理的规定》（中共中央组织部，2008年）\n"
            "发「党费 月收入」算一算，如：党费 6000"
        )


async def test_dues_bad_input(app: App, clock: FixedClock) -> None:
    async with conversation(app) as chat:
        chat.says("党费 -3000").answers("收入不能是负数。请写税后月收入（元）\n例：党费 6000")
        chat.says("党费 0").answers("月收入要大于0。请写税后月收入（元）\n例：党费 6000")
        chat.says("党费 99999999").answers(
            "月收入99999999超出常理（上限100万元），请检查数额。\n例：党费 6000"
        )
        chat.says("党费 8千8百万").answers(
            "看不懂「8千8百万」这个数额。请写税后月收入（元）\n例：党费 6000"
        )
        chat.says("党费 怎么交").answers(
            "看不懂「怎么交」这个数额。请写税后月收入（元）；查党费规定请发：政策 党费 怎么交\n"
            "例：党费 6000"
        )
        chat.says("党费 %'\"").answers(
            "看不懂「%'\"」这个数额。请写税后月收入（元）；查党费规定请发：政策 党费 %'\"\n"
            "例：党费 6000"
        )


async def test_switched_off_in_a_group(app: App, small_library: None) -> None:
    async with conversation(app) as chat:
        chat.admin_says("关闭 政策").answers("已关闭「政策」。")
        chat.says("政策 党费").answers("本群已关闭「政策」。管理员可发送：开启 政策")
        chat.says("党费 6000").answers("本群已关闭「政策」。管理员可发送：开启 政策")


async def test_chat_that_starts_with_the_words_is_left_alone(app: App, clock: FixedClock) -> None:
    async with conversation(app) as chat:
        for text in ("看看这个", "资料发群里了", "党费交了吗", "政策性文件"):
            chat.says(text)


async def test_starter_library_answers_dues_question_with_the_amount(
    app: App, starter: object
) -> None:
    from plugins.policy import messages, search
    from plugins.policy.dues import monthly_dues

    query = "工资8000交多少党费"
    result = await search.search(query)
    hint = messages.dues_hint(monthly_dues(__import__("decimal").Decimal(8000)))
    assert hint == "💡 按税后月收入8000元算，每月党费120元（1.5%）。发「党费 8000」看算法"
    async with conversation(app) as chat:
        chat.says(f"政策 {query}").answers(messages.results(result, query, hint))
    assert result.hits[0].heading == "三、工资8000元交多少党费"


async def test_a_number_that_is_no_section_is_searched_for(app: App, starter: object) -> None:
    from plugins.policy import messages, search

    result = await search.search("8000")
    assert result.hits[0].heading == "三、工资8000元交多少党费"
    article = await search.search("第3条")
    async with conversation(app) as chat:
        chat.says("政策 8000").answers(messages.results(result, "8000"))
        chat.says("政策 第3条").answers(messages.results(article, "第3条"))


async def test_every_documented_example_works_on_the_starter_library(starter: object) -> None:
    """帮助 shows these examples: each must get a real answer on a fresh install."""
    from plugins.policy import POLICY, library, reading, search
    from plugins.policy.dues import parse_amount
    from plugins.policy.handlers import section_number

    categories = {d.category for d in await library.list_documents()}
    for doc in POLICY.commands:
        for example in doc.examples:
            word, _, arg = example.partition(" ")
            assert word in doc.words, example
            if doc.name == "政策":
                assert (await search.search(arg)).hits, example
            elif doc.name == "看":
                number = section_number(arg)
                assert number is not None, example
                assert await reading.get_section(number) is not None, example
            elif doc.name == "资料":
                assert not arg or arg in categories, example
            elif doc.name == "党费":
                assert parse_amount(arg) > 0, example
