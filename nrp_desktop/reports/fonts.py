"""The bundled fonts, registered with reportlab so that every PDF embeds every font it uses.

reportlab falls back to the 14 standard PDF fonts (Helvetica…), which it never embeds; a printout
made with them looks different on every machine and cannot show Polish or Urdu reliably. So the
reports name these fonts explicitly everywhere, including the canvas' initial font.
"""

from __future__ import annotations

import threading
from pathlib import Path

from nrp_desktop import paths

SANS = "DejaVuSans"
SANS_BOLD = "DejaVuSans-Bold"
SANS_ITALIC = "DejaVuSans-Oblique"
SANS_BOLD_ITALIC = "DejaVuSans-BoldOblique"
ARABIC = "NotoNaskhArabic"
ARABIC_BOLD = "NotoNaskhArabic-Bold"

# reportlab font name → file in paths.fonts_dir()
FONT_FILES: dict[str, str] = {
    SANS: "DejaVuSans.ttf",
    SANS_BOLD: "DejaVuSans-Bold.ttf",
    SANS_ITALIC: "DejaVuSans-Oblique.ttf",
    SANS_BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
    ARABIC: "NotoNaskhArabic-Regular.ttf",
    ARABIC_BOLD: "NotoNaskhArabic-Bold.ttf",
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
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFError, TTFont

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
        _registered = True


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
