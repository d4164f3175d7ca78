"""The board and 我的 as an image card (Pillow), for groups that switch 图片卡片 on.

The font is Noto Sans CJK, installed with the project (`bot.fonts`), or CHECKIN_CARD_FONT
when the operator set one. Where the platform refuses images, the text reply is sent.
"""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont

from bot.fonts import FontFace, cjk_font

WIDTH = 720
PADDING = 36
TITLE_SIZE = 34
LINE_SIZE = 28
LINE_HEIGHT = 46
RED = (200, 16, 46)
INK = (40, 40, 40)
PAPER = (255, 252, 245)
HIGHLIGHT = (255, 241, 214)


def find_font(configured: str = "") -> FontFace | None:
    """CHECKIN_CARD_FONT when it draws Chinese, else the font installed with the project."""
    return cjk_font(configured)


def render(title: str, lines: list[str], font: FontFace, *, highlight: int | None = None) -> bytes:
    """A PNG card: a red title band, then one row per line (row `highlight` shaded)."""
    title_font = font.load(TITLE_SIZE)
    line_font = font.load(LINE_SIZE)
    band = TITLE_SIZE + 2 * PADDING // 2 + 24
    height = band + PADDING + LINE_HEIGHT * len(lines) + PADDING // 2
    image = Image.new("RGB", (WIDTH, height), PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, band), fill=RED)
    draw.text((PADDING, (band - TITLE_SIZE) // 2 - 4), title, font=title_font, fill=(255, 255, 255))
    y = band + PADDING // 2
    for index, line in enumerate(lines):
        if index == highlight:
            draw.rectangle(
                (PADDING // 2, y - 6, WIDTH - PADDING // 2, y + LINE_HEIGHT - 10), fill=HIGHLIGHT
            )
        draw.text((PADDING, y), _fit(draw, line, line_font), font=line_font, fill=INK)
        y += LINE_HEIGHT
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _fit(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont) -> str:
    limit = WIDTH - 2 * PADDING
    if draw.textlength(text, font=font) <= limit:
        return text
    while text and draw.textlength(text + "…", font=font) > limit:
        text = text[:-1]
    return text + "…"
