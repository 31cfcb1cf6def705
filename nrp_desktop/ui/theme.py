"""Fonts, the style sheet and domain marks: how every screen looks, in one place."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QColor, QFont, QFontDatabase

if TYPE_CHECKING:
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QApplication

from nrp_desktop import paths

log = logging.getLogger(__name__)

BODY_FAMILY = "DejaVu Sans"
ARABIC_FAMILY = "Noto Naskh Arabic"
NASTALIQ_FAMILY = "Noto Nastaliq Urdu"  # bundled, but not used on screen: see below
# The window in Urdu uses the Naskh face first for the Arabic script. Qt 6.11 (its own HarfBuzz)
# shapes Noto Nastaliq Urdu wrongly: letters pile onto each other and tall strokes vanish (the
# alif and lam of فائل), while Noto Naskh Arabic shapes correctly and fits the usual line height.
# Naskh has no Latin letters, so English words still fall through to DejaVu Sans; DejaVu's own
# Arabic lacks letters Urdu needs (ے), so it must not come first.
URDU_FAMILY = ARABIC_FAMILY
EMOJI_FAMILY = "Noto Emoji"  # monochrome, so an emoji typed in the hall never shows as a box
# Every text font in the order Qt should try them for a character.
TEXT_FAMILIES = [BODY_FAMILY, ARABIC_FAMILY, EMOJI_FAMILY]
URDU_TEXT_FAMILIES = [URDU_FAMILY, BODY_FAMILY, EMOJI_FAMILY]


def text_families() -> list[str]:
    from nrp_desktop import i18n

    return URDU_TEXT_FAMILIES if i18n.current().code == "ur" else TEXT_FAMILIES
BODY_POINT_SIZE = 11
TEXT_COLOUR = "#1A1A1A"
ACCENT_COLOUR = "#005A8C"


# The faces the first screen needs; the rest are registered just after the first paint.
FIRST_PAINT_FONTS = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")


def register_fonts(names: tuple[str, ...] | None = None) -> list[str]:
    """Register bundled fonts with Qt (all of them, or just `names`); the families that loaded."""
    families: set[str] = set()
    folder = paths.fonts_dir()
    chosen = [folder / name for name in names] if names else sorted(folder.glob("*.ttf"))
    for path in chosen:
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            log.warning("could not load the font %s", path)
            continue
        families.update(QFontDatabase.applicationFontFamilies(font_id))
    return sorted(families)


def register_remaining_fonts() -> None:
    folder = paths.fonts_dir()
    rest = tuple(p.name for p in sorted(folder.glob("*.ttf")) if p.name not in FIRST_PAINT_FONTS)
    if rest:
        register_fonts(rest)


# "Large text for a projector": 11 pt × 1.9 ≈ 28 px body text on a 1920×1080 screen (design.md).
PROJECTOR_TEXT_SCALE = 1.9


def _scaled_style_sheet(text: str, scale: float) -> str:
    """The style sheet with every point size multiplied (spacing in pixels stays as it is)."""
    if scale == 1:
        return text
    import re

    return re.sub(r"(\d+(?:\.\d+)?)pt\b", lambda m: f"{float(m.group(1)) * scale:.1f}pt", text)


_BASE_STYLE_PROPERTY = "nrpBaseStyle"
HIGH_CONTRAST_PROPERTY = "nrpHighContrast"

# High contrast: black text and black edges on white. The style sheet's greys (muted text,
# borders, tinted backgrounds) become black or white; the accent turns deeper; chosen and
# focused things keep their rings. Disabled controls stay told apart by a dashed edge.
_HIGH_CONTRAST_COLOURS = {
    "#3D3D3D": "#000000", "#1A1A1A": "#000000", "#5C5C55": "#000000", "#6B6B64": "#000000",
    "#8A8A80": "#000000", "#C8C8BE": "#000000", "#B5B5AC": "#000000", "#0B2E4A": "#000000",
    "#FAFAF7": "#FFFFFF", "#EDEDE6": "#FFFFFF", "#F3F3EE": "#FFFFFF", "#DCDCD2": "#E0E0E0",
    "#EEF3F7": "#FFFFFF", "#E3EEF6": "#FFFFFF", "#005A8C": "#003B73",
}
_HIGH_CONTRAST_EXTRA = """
QPushButton:disabled, QToolButton:disabled { color: #000000; border-style: dashed; }
QLineEdit::placeholder { color: #000000; }
QListView:focus, QTreeView:focus, QTableView:focus, QTextBrowser:focus { border: 2px solid #003B73; }
"""


# Dark (View ▸ Appearance ▸ Dark, or the desktop's dark colour scheme): each colour of the light
# design has its dark counterpart, used by the style sheet and by every painted widget (`ink`),
# so one table holds the whole dark look. Light text on near-black; what was dark on light (a
# chosen button, the accent behind white text) turns light with dark text, so each pair keeps
# its contrast: text 4.5:1 or more (most 9:1 and up), borders, focus rings and the domains'
# lines 3:1 or more against the dark page, surfaces and panels (tests/gui/test_appearance.py).
_DARK_COLOURS = {
    # text and the darks used behind light text
    "#1A1A1A": "#EDEDE6", "#333333": "#D6D6CE", "#3D3D3D": "#C8C8BE", "#4D4D48": "#BDBDB4",
    "#0B2E4A": "#CFE8FF",
    # backgrounds: page, surfaces, bars, rows, hovers, panels
    "#FAFAF7": "#1B1B19", "#FFFFFF": "#262624", "#EDEDE6": "#2E2E2B", "#F3F3EE": "#2A2A27",
    "#DCDCD2": "#3A3A36", "#EEF3F7": "#1F2A33", "#E3EEF6": "#1D3344", "#E6E6E6": "#2E2E2B",
    "#E3F2EA": "#173326", "#FFF1C9": "#3A300F", "#E0E0E0": "#3A3A36",
    # edges: decorative separators dark, the 3:1 borders light enough on every dark ground
    "#C8C8BE": "#4A4A45", "#B5B5AC": "#5E5E58", "#9A9A92": "#77776F", "#8A8A80": "#77776F",
    "#6B6B64": "#A3A39A", "#5C5C55": "#A3A39A",
    # the accent, the focus ring on chosen things, the notices' edges
    "#005A8C": "#6CB6F0", "#003B73": "#9CCFF7", "#FFDD00": "#004A80", "#1B6B46": "#4FBF8A",
    "#8A5A00": "#E0A33A", "#0B5D55": "#5FC9BC",
    # the domains: tints behind text, and the colours drawn as lines and dots
    "#D9EAF5": "#14334A", "#F7E6EF": "#3A2230", "#FBEFD2": "#3A2C0C", "#D5F0E7": "#0E3A2D",
    "#F8E2D2": "#3F2410", "#0072B2": "#56B4E9", "#B0508A": "#CC79A7", "#A66F00": "#E69F00",
    "#00835F": "#009E73",
    # the review on the projector's black on white (as the projector's own dark colours)
    "#000000": "#FFFFFF", "#262626": "#E6E6E6",
}
DARK_PROPERTY = "nrpDark"
_LIGHT_STYLE_PROPERTY = "nrpLightStyle"  # a widget's own style sheet, in the light design's colours
_platform_palette: Any = None  # the desktop's palette, from before any of ours


def system_prefers_dark() -> bool:
    """Whether the desktop's colour scheme is dark (Qt 6.5+; unknown counts as light)."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication

    hints = QGuiApplication.styleHints()
    scheme = getattr(hints, "colorScheme", None)
    return scheme is not None and scheme() == Qt.ColorScheme.Dark


def is_dark() -> bool:
    """Whether the window is in its dark look now (never while high contrast is on)."""
    app = QApplication.instance()
    return bool(app is not None and app.property(DARK_PROPERTY)
                and not app.property(HIGH_CONTRAST_PROPERTY))


def ink(colour: str) -> str:
    """A colour of the light design as it is drawn now: itself, or its dark counterpart."""
    if not is_dark():
        return colour
    return _DARK_COLOURS.get(colour.upper(), colour)


def dark_style_sheet(text: str) -> str:
    import re

    def swap(match: re.Match[str]) -> str:
        return _DARK_COLOURS.get(match.group(0).upper(), match.group(0))

    # The tick on the (now light) accent is drawn dark.
    text = text.replace("check.svg", "check-dark.svg")
    return re.sub(r"#[0-9A-Fa-f]{6}\b", swap, text)


def set_themed_style(widget: Any, sheet: str) -> None:
    """A widget's own style sheet, written in the light design's colours: shown in the look of
    the moment, and again in the new one when the look changes (`set_dark`)."""
    widget.setProperty(_LIGHT_STYLE_PROPERTY, sheet)
    widget.setStyleSheet(dark_style_sheet(sheet) if is_dark() else sheet)


def _palette(dark: bool) -> Any:
    """The palette for what the style sheet does not reach (scroll bars, rich text, focus
    frames Qt draws itself)."""
    from PySide6.QtGui import QPalette

    palette = QPalette()
    colour = (lambda hex_: QColor(_DARK_COLOURS.get(hex_, hex_))) if dark else QColor
    role = QPalette.ColorRole
    for roles, light in (
        ((role.Window, role.Button, role.Midlight), "#FAFAF7"),
        ((role.Base, role.Light), "#FFFFFF"),
        ((role.AlternateBase,), "#F3F3EE"),
        ((role.WindowText, role.Text, role.ButtonText, role.ToolTipBase, role.BrightText), "#1A1A1A"),
        ((role.ToolTipText, role.HighlightedText), "#FFFFFF"),
        ((role.Highlight, role.Link, role.Accent), "#005A8C"),
        ((role.LinkVisited,), "#005A8C"),
        ((role.PlaceholderText,), "#3D3D3D"),
        ((role.Mid,), "#B5B5AC"),
        ((role.Dark,), "#6B6B64"),
        ((role.Shadow,), "#3D3D3D"),
    ):
        for each in roles:
            palette.setColor(each, colour(light))
    for group_role, light in ((role.WindowText, "#6B6B64"), (role.Text, "#6B6B64"),
                              (role.ButtonText, "#6B6B64")):
        palette.setColor(QPalette.ColorGroup.Disabled, group_role, colour(light))
    return palette


def set_dark(app: QApplication, on: bool, text_scale: float = 1.0) -> None:
    """The dark look (or the light one) everywhere, at the text size in use: the style sheet,
    the palette, the widgets' own style sheets, and the painted widgets (they ask `ink`).
    High contrast, while on, stays black on white whatever this says."""
    app.setProperty(DARK_PROPERTY, bool(on))
    _apply_look(app, text_scale)


def _apply_look(app: QApplication, text_scale: float) -> None:
    global _platform_palette
    if _platform_palette is None:
        _platform_palette = app.palette()
    platform_is_light = _platform_palette.color(_platform_palette.ColorRole.Window).lightness() >= 128
    if is_dark():
        app.setPalette(_palette(True))
    elif platform_is_light:
        app.setPalette(_platform_palette)  # the light look as it always was
    else:  # a dark desktop, and the person chose light (or high contrast)
        app.setPalette(_palette(False))
    apply_theme(app, all_fonts=False, text_scale=text_scale)
    for widget in app.allWidgets():
        sheet = widget.property(_LIGHT_STYLE_PROPERTY)
        if isinstance(sheet, str):
            widget.setStyleSheet(dark_style_sheet(sheet) if is_dark() else sheet)
        widget.update()  # painted widgets draw again in the new colours


def system_prefers_high_contrast() -> bool:
    """Whether the desktop asks for high contrast (Qt 6.10+ reads it where the platform says)."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication

    hints = QGuiApplication.styleHints()
    accessibility = getattr(hints, "accessibility", None)
    if accessibility is None:
        return False
    return bool(accessibility().contrastPreference() == Qt.ContrastPreference.HighContrast)


def high_contrast_style_sheet(text: str) -> str:
    import re

    def swap(match: re.Match[str]) -> str:
        return _HIGH_CONTRAST_COLOURS.get(match.group(0).upper(), match.group(0))

    return re.sub(r"#[0-9A-Fa-f]{6}\b", swap, text) + _HIGH_CONTRAST_EXTRA
_scaled_style: Any = None  # the style in use while text is large


def system_point_size() -> float:
    """The body text size the person chose for their desktop (0 when the platform says none)."""
    size = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont).pointSizeF()
    return size if size > 0 else 0.0


def system_text_scale() -> float:
    """How much larger than our 11 pt body the person's own desktop text is: their size is a
    floor, never overridden (1 when theirs is 11 pt or smaller)."""
    return max(1.0, system_point_size() / BODY_POINT_SIZE)


def apply_theme(app: QApplication, all_fonts: bool = True, text_scale: float = 1.0) -> None:
    if app.property(_BASE_STYLE_PROPERTY) is None:  # the platform's style, named before the
        app.setProperty(_BASE_STYLE_PROPERTY, app.style().name())  # style sheet hides it
    register_fonts(None if all_fonts else FIRST_PAINT_FONTS)
    # Every size (the body and the style sheet's) grows with the person's own text size.
    text_scale *= system_text_scale()
    font = QFont(BODY_FAMILY)
    font.setPointSizeF(BODY_POINT_SIZE * text_scale)
    # Urdu and Arabic typed into any field fall back to the bundled Naskh face (first when
    # the window speaks Urdu).
    font.setFamilies(text_families())
    app.setFont(font)
    style = paths.style_dir() / "app.qss"
    if style.is_file():
        text = style.read_text(encoding="utf-8")
        # Images beside the style sheet (the tick), by absolute path: Qt reads `url()` from the
        # working folder otherwise.
        text = text.replace("url(style:", f"url({paths.style_dir().as_posix()}/")
        if app.property(HIGH_CONTRAST_PROPERTY):
            text = high_contrast_style_sheet(text)
        elif app.property(DARK_PROPERTY):
            text = dark_style_sheet(text)
        app.setStyleSheet(_scaled_style_sheet(text, text_scale))


def set_high_contrast(app: QApplication, on: bool, text_scale: float = 1.0) -> None:
    """Black on white, black edges (or back to the usual look), at the text size in use."""
    app.setProperty(HIGH_CONTRAST_PROPERTY, bool(on))
    _apply_look(app, text_scale)


def set_text_scale(app: QApplication, scale: float) -> None:
    """Make all text larger (or back to normal) while the app runs: fonts, style sheet, and the
    tick boxes and radio buttons that Qt draws at a fixed size."""
    _scale_indicators(app, scale)
    apply_theme(app, all_fonts=False, text_scale=scale)


def _scale_indicators(app: QApplication, scale: float) -> None:
    """Tick boxes cannot be sized in the style sheet without drawing them anew, so large text
    swaps in a style that only scales their size; normal text goes back to the plain style.
    (Only then: a Python style is asked about every size while Qt lays out and paints.)"""
    from PySide6.QtWidgets import QProxyStyle, QStyle, QStyleFactory

    base_name = app.property(_BASE_STYLE_PROPERTY) or "Fusion"
    global _scaled_style
    if scale == 1:
        if _scaled_style is not None:
            app.setStyle(QStyleFactory.create(base_name))
            _scaled_style = None  # after the switch, as above
        return
    metrics = frozenset({QStyle.PixelMetric.PM_IndicatorWidth, QStyle.PixelMetric.PM_IndicatorHeight,
                         QStyle.PixelMetric.PM_ExclusiveIndicatorWidth,
                         QStyle.PixelMetric.PM_ExclusiveIndicatorHeight})

    class ScaledIndicatorStyle(QProxyStyle):
        def pixelMetric(self, metric: QStyle.PixelMetric, option: Any = None, widget: Any = None) -> int:
            value = super().pixelMetric(metric, option, widget)
            return round(value * scale) if metric in metrics else value

    # Held here too, and only let go once Qt has moved on to the next style: Qt owns the style,
    # but its Python half must live while Qt calls it.
    scaled = ScaledIndicatorStyle(QStyleFactory.create(base_name))
    app.setStyle(scaled)
    _scaled_style = scaled


def domain_colour(slug: str) -> QColor:
    from nrp_desktop.domain.domains import domain_by_slug

    return QColor(ink(domain_by_slug(slug).colour))


def domain_chip_html(slug: str) -> str:
    """A domain as mark and name together, never colour alone (for rich text)."""
    from nrp_desktop.domain.domains import domain_by_slug, is_domain

    if not is_domain(slug):
        import html

        return html.escape(slug)
    from nrp_desktop.i18n import gettext

    domain = domain_by_slug(slug)
    name = gettext(domain.name).replace("&", "&amp;").replace("<", "&lt;")
    return (
        f'<span style="background-color:{ink(domain.tint)}; color:{ink(TEXT_COLOUR)};">'
        f'&nbsp;<b style="color:{ink(TEXT_COLOUR)};">{domain.mark}</b>&nbsp;'
        f"{name}&nbsp;</span>"
    )


def domain_chips_html(slugs: tuple[str, ...] | list[str]) -> str:
    return " ".join(domain_chip_html(slug) for slug in slugs)


def domain_label(slug: str) -> str:
    """Plain text: "S · Social connectedness"."""
    from nrp_desktop.domain.domains import domain_by_slug, is_domain

    if not is_domain(slug):
        return slug
    from nrp_desktop.i18n import gettext

    domain = domain_by_slug(slug)
    return f"{domain.mark} · {gettext(domain.name)}"


def draw_domain_mark(painter: QPainter, slug: str, centre: QPointF, radius: float, font: QFont,
                     line_width: float = 3) -> None:
    """A domain's letter in a circle of its colour on its tint: how diagrams name an axis."""
    # Imported here: `Qt` costs ~30 ms to load, and this module is part of start-up.
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QPen

    from nrp_desktop.domain.domains import domain_by_slug

    domain = domain_by_slug(slug)
    painter.setPen(QPen(QColor(ink(domain.line)), line_width))
    painter.setBrush(QColor(ink(domain.tint)))
    painter.drawEllipse(centre, radius, radius)
    painter.setPen(QColor(ink(TEXT_COLOUR)))
    painter.setFont(font)
    painter.drawText(QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius),
                     int(Qt.AlignmentFlag.AlignCenter), domain.mark)
