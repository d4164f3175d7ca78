"""The font for anything the bot draws (image cards, later charts): Chinese out of the box.

The project depends on `noto-cjk-sans-otc`, which installs Noto Sans CJK (SIL Open Font
Licence) from the package registry, so a bare machine draws Chinese without `apt install`.
An operator may point a setting (e.g. `CHECKIN_CARD_FONT`) at another font file; it is used
when it exists and has Chinese glyphs, else the bundled one is, with a warning in the log.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import as_file
from pathlib import Path

from nonebot import logger
from PIL import Image, ImageDraw, ImageFont

PREFERRED_FAMILY_SUFFIX = " SC"
"""In a collection (.ttc) of CJK faces, the Simplified Chinese one is preferred."""

PROBE = "党支部学习签到"
"""Characters a usable font must draw (not as the empty box of a missing glyph)."""


@dataclass(frozen=True)
class FontFace:
    """One face of a font file: `index` picks it inside a collection (.ttc)."""

    path: Path
    index: int = 0

    def load(self, size: int) -> ImageFont.FreeTypeFont:
        return ImageFont.truetype(str(self.path), size, index=self.index)

    @property
    def family(self) -> str:
        return self.load(12).getname()[0] or ""


def bundled_font_path() -> Path:
    """The Noto Sans CJK collection installed with the project."""
    import noto_cjk_sans_otc

    with as_file(noto_cjk_sans_otc.FONT_PATH) as path:
        return Path(path)


@cache
def cjk_font(configured: str = "") -> FontFace | None:
    """The configured font if it draws Chinese, else the bundled one; None if neither does."""
    if configured:
        face = _usable_face(Path(configured).expanduser())
        if face is not None:
            return face
        logger.warning(f"字体 {configured} 不存在或没有中文字形，改用随机器人安装的 Noto Sans CJK")
    try:
        bundled = bundled_font_path()
    except (ImportError, FileNotFoundError) as e:
        logger.warning(
            f"没有找到随机器人安装的中文字体（{e}）：图片改发文字。请重新 pip install -e ."
        )
        return None
    return _usable_face(bundled)


def _usable_face(path: Path) -> FontFace | None:
    if not path.is_file():
        return None
    preferred: list[FontFace] = []
    others: list[FontFace] = []
    for index in range(64):  # a collection has at most a few dozen faces
        try:
            face = FontFace(path, index)
            family = face.family
        except OSError:
            break  # past the last face (or not a font at all)
        (preferred if family.endswith(PREFERRED_FAMILY_SUFFIX) else others).append(face)
    return next((face for face in (*preferred, *others) if draws_chinese(face)), None)


def draws_chinese(face: FontFace) -> bool:
    """True when every probe character has a glyph of its own (not the missing-glyph box)."""
    font = face.load(24)
    missing = glyph(font, "\ue000")  # a private-use point: no font draws it
    return all(glyph(font, char) != missing for char in PROBE)


def glyph(font: ImageFont.FreeTypeFont, char: str) -> bytes:
    """The pixels of one character drawn in `font` (equal for every missing glyph)."""
    size = int(font.size * 1.5)
    image = Image.new("L", (size, size))
    ImageDraw.Draw(image).text((0, 0), char, font=font, fill=255)
    return image.tobytes()
