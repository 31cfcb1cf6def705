"""The bundled fonts, registered with reportlab so that every PDF embeds every font it uses.

reportlab falls back to the 14 standard PDF fonts (Helvetica…), which it never embeds; a printout
made with them looks different on every machine and cannot show Polish or Urdu reliably. So the
reports name these fonts explicitly everywhere, including the canvas' initial font.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from pathlib import Path

from nrp_desktop import paths

SANS = "DejaVuSans"
SANS_BOLD = "DejaVuSans-Bold"
SANS_ITALIC = "DejaVuSans-Oblique"
SANS_BOLD_ITALIC = "DejaVuSans-BoldOblique"
ARABIC = "NotoNaskhArabic"
ARABIC_BOLD = "NotoNaskhArabic-Bold"
EMOJI = "NotoEmoji"  # monochrome outlines: they embed like any font and print in black

# reportlab font name → file in paths.fonts_dir()
FONT_FILES: dict[str, str] = {
    SANS: "DejaVuSans.ttf",
    SANS_BOLD: "DejaVuSans-Bold.ttf",
    SANS_ITALIC: "DejaVuSans-Oblique.ttf",
    SANS_BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
    ARABIC: "NotoNaskhArabic-Regular.ttf",
    ARABIC_BOLD: "NotoNaskhArabic-Bold.ttf",
    EMOJI: "NotoEmoji-Regular.ttf",
}
_BOLD_FONTS = frozenset({SANS_BOLD, SANS_BOLD_ITALIC, ARABIC_BOLD})
_ITALIC_FONTS = frozenset({SANS_ITALIC, SANS_BOLD_ITALIC})

_lock = threading.Lock()
_registered = False


class FontError(Exception):
    """A bundled font is missing or unreadable; the message names the file."""


def register_fonts(fonts_dir: Path | None = None) -> None:
    """Register the bundled fonts with reportlab once per process (safe from any thread)."""
    global _registered
    with _lock:
        if _registered:
            return
        from reportlab.lib.fonts import addMapping
        from reportlab.pdfbase import pdfmetrics, ttfonts
        from reportlab.pdfbase.ttfonts import TTFError, TTFont

        ttfonts.makeToUnicodeCMap = _to_unicode_cmap

        folder = fonts_dir or paths.fonts_dir()
        for name, file_name in FONT_FILES.items():
            path = folder / file_name
            try:
                pdfmetrics.registerFont(TTFont(name, str(path)))
            except (OSError, TTFError) as error:
                raise FontError(f"cannot load the bundled font {path}: {error}") from error
        pdfmetrics.registerFontFamily(
            SANS, normal=SANS, bold=SANS_BOLD, italic=SANS_ITALIC, boldItalic=SANS_BOLD_ITALIC
        )
        # Naskh has no italic; <i> inside Arabic text stays upright rather than failing.
        for bold, italic, face in ((0, 0, ARABIC), (1, 0, ARABIC_BOLD), (0, 1, ARABIC),
                                   (1, 1, ARABIC_BOLD)):
            addMapping(ARABIC, bold, italic, face)
        for bold, italic in ((0, 0), (1, 0), (0, 1), (1, 1)):  # emoji have one face
            addMapping(EMOJI, bold, italic, EMOJI)
        _registered = True


def _unicode_hex(code: int) -> str:
    if code > 0xFFFF:  # beyond the first plane: a UTF-16 surrogate pair, as PDF requires
        code -= 0x10000
        return f"{0xD800 + (code >> 10):04X}{0xDC00 + (code & 0x3FF):04X}"
    return f"{code:04X}"


def _to_unicode_cmap(font_name: str, subset: list[int]) -> str:
    """reportlab's ToUnicode map, mended for characters beyond the first plane.

    reportlab writes U+1F337 as <1F337>, which readers take as U+1F33 and a stray digit, so
    an emoji copied or searched in the PDF came out as a Greek letter.
    """
    return "\n".join([
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
        "/CIDSystemInfo", f"<< /Registry ({font_name})", f"/Ordering ({font_name})",
        "/Supplement 0", ">> def", f"/CMapName /{font_name} def", "/CMapType 2 def",
        "1 begincodespacerange", f"<00> <{len(subset) - 1:02X}>", "endcodespacerange",
        f"{len(subset)} beginbfchar",
        *(f"<{index:02X}> <{_unicode_hex(code)}>" for index, code in enumerate(subset)),
        "endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end",
    ])


def is_bold(font_name: str) -> bool:
    return font_name in _BOLD_FONTS


def is_italic(font_name: str) -> bool:
    return font_name in _ITALIC_FONTS


def sans_font(bold: bool = False, italic: bool = False) -> str:
    if bold:
        return SANS_BOLD_ITALIC if italic else SANS_BOLD
    return SANS_ITALIC if italic else SANS


def arabic_font(bold: bool = False) -> str:
    return ARABIC_BOLD if bold else ARABIC


# Where emoji live: symbols, dingbats, the emoji planes, and the joiner, variation selector and
# keycap mark that build sequences. Text without any of these never needs the emoji font.
_MAYBE_EMOJI = re.compile("[\u200d\u20e3\u2100-\u2bff\u3030\u303d\u3297\u3299\ufe0f"
                          "\U0001f000-\U0001faff]")
# Zero-width parts of an emoji sequence: they stay in the emoji's run, whichever font has them.
_SEQUENCE_PARTS = frozenset("\u200d\ufe0f\u20e3")


@lru_cache(maxsize=4096)
def needs_emoji_font(char: str) -> bool:
    """True for a character the text font lacks and the emoji font has (🗑, 😀, 👍🏽…)."""
    from reportlab.pdfbase import pdfmetrics

    register_fonts()
    code = ord(char)
    sans = pdfmetrics.getFont(SANS).face.charToGlyph
    emoji = pdfmetrics.getFont(EMOJI).face.charToGlyph
    return code not in sans and code in emoji


# Skin-tone modifiers: a monochrome emoji cannot show a tone, and without ligatures (which
# reportlab does not apply) each would print as a swatch of its own beside the emoji.
_SKIN_TONES = dict.fromkeys(range(0x1F3FB, 0x1F400))


def printable_emoji(run: str) -> str:
    """An emoji run as it can print in one colour: skin-tone modifiers left out."""
    return run.translate(_SKIN_TONES)


def has_emoji(text: str) -> bool:
    return _MAYBE_EMOJI.search(text) is not None and any(
        needs_emoji_font(char) for char in text if _MAYBE_EMOJI.match(char))


def emoji_runs(text: str) -> list[tuple[str, bool]]:
    """The text cut into (piece, is_emoji) runs: emoji go to the emoji font, the rest stays.

    Text with no emoji comes back whole, as one run.
    """
    if not has_emoji(text):
        return [(text, False)]
    runs: list[tuple[str, bool]] = []
    for char in text:
        emoji = needs_emoji_font(char) or (char in _SEQUENCE_PARTS and bool(runs) and runs[-1][1])
        if runs and runs[-1][1] == emoji:
            runs[-1] = (runs[-1][0] + char, emoji)
        else:
            runs.append((char, emoji))
    return runs
