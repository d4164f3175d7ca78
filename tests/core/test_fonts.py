"""Chinese in pictures on a bare machine: the font comes with the project, not from apt."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from PIL import Image, ImageFont

from bot import fonts


@pytest.fixture(autouse=True)
def _fresh_cache():
    fonts.cjk_font.cache_clear()
    yield
    fonts.cjk_font.cache_clear()


def test_the_bundled_font_draws_simplified_chinese() -> None:
    face = fonts.cjk_font()
    assert face is not None
    assert face.path == fonts.bundled_font_path()
    assert face.family == "Noto Sans CJK SC"
    # Glyphs a card needs, each drawn as itself (not the missing-glyph box).
    font = face.load(28)
    missing = fonts.glyph(font, "\ue000")
    for char in "党支部签到排行榜第一位张三积分连续天本周月总（）：":
        assert fonts.glyph(font, char) != missing, char


def test_a_card_shows_the_chinese_text(tmp_path: Path) -> None:
    from plugins.checkin import cards

    face = fonts.cjk_font()
    assert face is not None
    png = cards.render("本周积分榜", ["1. 张三 5分", "2. 李四 3分"], face, highlight=0)
    image = Image.open(io.BytesIO(png)).convert("L")
    assert image.size[0] == cards.WIDTH
    # The first row's text is drawn in dark ink on the light paper.
    row = image.crop((cards.PADDING, 110, cards.WIDTH // 2, 150))
    assert row.getextrema()[0] < 100


def test_a_configured_font_overrides(tmp_path: Path) -> None:
    copy = tmp_path / "mine.ttc"
    shutil.copyfile(fonts.bundled_font_path(), copy)
    face = fonts.cjk_font(str(copy))
    assert face is not None
    assert face.path == copy


def test_a_configured_font_without_chinese_falls_back(tmp_path: Path) -> None:
    latin = ImageFont.load_default(size=20)  # Pillow's own font: no Chinese glyphs
    assert isinstance(latin, ImageFont.FreeTypeFont)
    assert isinstance(latin.path, io.BytesIO)
    path = tmp_path / "latin.ttf"
    path.write_bytes(latin.path.getvalue())
    assert fonts.FontFace(path).load(20).getname()[0]  # a real font file …
    face = fonts.cjk_font(str(path))
    assert face is not None
    assert face.path == fonts.bundled_font_path()


def test_a_missing_configured_font_falls_back() -> None:
    face = fonts.cjk_font("/nowhere/font.ttf")
    assert face is not None
    assert face.path == fonts.bundled_font_path()
