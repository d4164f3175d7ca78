"""排行榜 and 我的 as image cards where a group switched 图片卡片 on; text otherwise."""

from __future__ import annotations

from typing import NoReturn

from nonebot.adapters.onebot.v11 import ActionFailed, MessageSegment
from nonebug import App

from bot.clock import FixedClock
from tests.chat import conversation

BOARD_TEXT = "🏆 本周积分榜（11月30日–12月6日）\n1. 张三 5分"


async def _sign_in_and_switch_on(app: App) -> None:
    from plugins.checkin.service import Rules, check_in

    await check_in("1000", "2001", None, Rules(), name="张三")
    async with conversation(app) as chat:
        chat.admin_says("开启 图片卡片").answers("已开启「图片卡片」。")


async def test_board_as_an_image_card(app: App, clock: FixedClock) -> None:
    from plugins.checkin import cards, config

    font = cards.find_font(config.checkin_card_font)
    assert font is not None  # Noto Sans CJK comes with the project: no system font needed
    await _sign_in_and_switch_on(app)
    png = cards.render("本周积分榜（11月30日–12月6日）", ["1. 张三 5分"], font, highlight=0)
    assert png.startswith(b"\x89PNG")
    async with conversation(app) as chat:
        chat.says("排行榜", card="张三").answers_with(MessageSegment.image(png))


async def test_refused_image_falls_back_to_text(app: App, clock: FixedClock) -> None:
    from plugins.checkin import cards, config

    font = cards.find_font(config.checkin_card_font)
    assert font is not None
    await _sign_in_and_switch_on(app)
    png = cards.render("本周积分榜（11月30日–12月6日）", ["1. 张三 5分"], font, highlight=0)
    async with conversation(app) as chat:
        chat.says("排行榜", card="张三").answers_with(
            MessageSegment.image(png), fails=ActionFailed(retcode=1200)
        ).answers(BOARD_TEXT)


async def test_without_a_font_the_text_is_sent(app: App, clock: FixedClock, monkeypatch) -> None:
    from bot import fonts

    await _sign_in_and_switch_on(app)

    def missing() -> NoReturn:
        raise FileNotFoundError("NotoSansCJK-Regular.ttc")

    monkeypatch.setattr(fonts, "bundled_font_path", missing)
    fonts.cjk_font.cache_clear()
    try:
        async with conversation(app) as chat:
            chat.says("排行榜", card="张三").answers(BOARD_TEXT)
    finally:
        fonts.cjk_font.cache_clear()


async def test_cards_are_off_by_default(app: App, clock: FixedClock) -> None:
    from plugins.checkin.service import Rules, check_in

    await check_in("1000", "2001", None, Rules(), name="张三")
    async with conversation(app) as chat:
        chat.says("排行榜", card="张三").answers(BOARD_TEXT)
