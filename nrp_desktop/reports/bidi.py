"""Text in any direction for the PDF: right-to-left words in visual order, Arabic script shaped.

reportlab shapes Arabic with HarfBuzz (uharfbuzz), but puts right-to-left words into visual order
only through `rlbidi`, which is not published on PyPI. So text holding right-to-left letters
(Urdu, Arabic, Hebrew) is laid out here instead. The Unicode bidirectional algorithm itself is
python-bidi's (the unicode-bidi Rust crate): it resolves the embedding level of every character
of a paragraph, numbers with separators ("1,234", "12.5%") and explicit embeddings included.
Lines are then broken in logical order and each line is put into visual order from those levels
(rule L2) before it is drawn. Runs of Arabic script are shaped by HarfBuzz in Noto Naskh Arabic,
emoji are drawn in Noto Emoji, everything else in DejaVu Sans. Paragraphs without right-to-left
letters never come here: they go through reportlab's own Paragraph, which is faster
(markup.plain_markup gives their emoji the emoji font).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, cast

from bidi import get_base_level, get_display
from bidi.mirror import MIRRORED
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import ShapedStr, shapeStr
from reportlab.platypus.flowables import Flowable

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

from nrp_desktop.reports.fonts import (
    EMOJI,
    arabic_font,
    emoji_runs,
    is_bold,
    printable_emoji,
    sans_font,
)

# Characters that may be right-to-left letters; the precise test uses unicodedata.
_MAYBE_RTL = re.compile("[\u0590-\u08ff\u200f\u202b\u202e\ufb1d-\ufdff\ufe70-\ufefc]")
_ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\u0750-\u077f\u0870-\u08ff\ufb50-\ufdff\ufe70-\ufefc]")
# Direction marks and embedding controls: they steer the order but are never drawn.
_INVISIBLE = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff")
_JOINERS = frozenset("\u200c\u200d")  # kept inside Arabic runs, where shaping needs them
# Brackets and other paired signs drawn right to left show their mirror image (rule L4).
_MIRRORED = str.maketrans(MIRRORED)

# Which font a character is drawn in.
_SANS, _ARABIC, _EMOJI = range(3)

# Naskh looks a size smaller than DejaVu Sans at the same point size; this evens them out.
ARABIC_SCALE = 1.12
# Naskh reaches 1.07 em above and 0.63 em below the baseline (of its own, scaled size).
ARABIC_LINE_HEIGHT = 1.8
ARABIC_ASCENT = 1.1


class BidiError(RuntimeError):
    """python-bidi answered in a shape this module does not know (a changed version)."""


def has_rtl(text: str) -> bool:
    """True when the text holds right-to-left letters (and so needs this module)."""
    if _MAYBE_RTL.search(text) is None:
        return False
    return any(unicodedata.bidirectional(char) in ("R", "AL") for char in text)


def base_is_rtl(text: str) -> bool:
    """The paragraph direction from its first strong letter (rules P2–P3); LTR when none."""
    return bool(text) and get_base_level(text) == 1


# python-bidi documents `debug=True` as giving "the Unicode levels as seen by the algorithm":
# its report lists one level per UTF-8 byte of the text. The text itself is printed escaped,
# on one line, so the first line that opens the list of levels is the list's own.
_LEVELS_START = "\n    levels: [\n"
_LEVELS_END = "\n    ],"
_LEVEL = re.compile(r"Level\(\s*(\d+),?\s*\)")


def resolve_levels(text: str, rtl: bool | None = None) -> list[int]:
    """The embedding level of every character of one paragraph (even: left to right, odd:
    right to left), as python-bidi resolves them. `rtl` fixes the paragraph direction; None
    takes it from the first strong letter."""
    if not text:
        return []
    base = None if rtl is None else ("R" if rtl else "L")
    report = get_display(text, base_dir=base, debug=True)
    start = report.find(_LEVELS_START)
    end = report.find(_LEVELS_END, start)
    if start < 0 or end < 0:
        raise BidiError("python-bidi's report of levels has an unknown layout")
    byte_levels = [int(level) for level in _LEVEL.findall(report, start, end)]
    levels: list[int] = []
    offset = 0
    for char in text:  # every byte of a character has its level: take the first
        if offset >= len(byte_levels):
            break
        levels.append(byte_levels[offset])
        offset += len(char.encode("utf-8"))
    if offset != len(byte_levels) or len(levels) != len(text):
        raise BidiError(f"python-bidi gave {len(byte_levels)} levels for {offset} bytes")
    return levels


def is_arabic_script(char: str) -> bool:
    return _ARABIC_SCRIPT.match(char) is not None


@dataclass(frozen=True)
class _Run:
    """A piece of one line in one font and one level, ready to draw."""

    display: str  # in visual order (a ShapedStr for shaped Arabic)
    font: str
    size: float
    level: int
    width: float


@dataclass
class _Word:
    runs: list[_Run]
    width: float
    space_after: _Run | None  # None at the end of a paragraph line


@dataclass
class Line:
    runs: list[_Run]  # in visual order, left to right
    width: float
    rtl: bool  # the paragraph's direction, for alignment


def _reorder(runs: list[_Run]) -> list[_Run]:
    """Rule L2: from the highest level down to the lowest odd one, reverse each stretch."""
    if not runs:
        return runs
    highest = max(run.level for run in runs)
    odd_levels = [run.level for run in runs if run.level % 2]
    if not odd_levels:
        return runs
    lowest_odd = min(odd_levels)
    ordered = list(runs)
    for level in range(highest, lowest_odd - 1, -1):
        index = 0
        while index < len(ordered):
            if ordered[index].level >= level:
                end = index
                while end < len(ordered) and ordered[end].level >= level:
                    end += 1
                ordered[index:end] = ordered[index:end][::-1]
                index = end
            else:
                index += 1
    return ordered


def _merge(runs: list[_Run]) -> list[_Run]:
    """Neighbouring unshaped runs in one font drawn as one string (fewer PDF operators)."""
    merged: list[_Run] = []
    for run in runs:
        last = merged[-1] if merged else None
        if (last is not None and not isinstance(run.display, ShapedStr)
                and not isinstance(last.display, ShapedStr) and last.font == run.font
                and last.size == run.size):
            merged[-1] = _Run(last.display + run.display, run.font, run.size, run.level,
                              last.width + run.width)
        else:
            merged.append(run)
    return merged


@lru_cache(maxsize=16384)  # shaping is the costly part, and words recur across a handout
def _make_run(text: str, script: int, bold: bool, level: int, size: float) -> _Run:
    if script == _ARABIC:
        font = arabic_font(bold)
        size = round(size * ARABIC_SCALE, 2)
        if level % 2:
            shaped = shapeStr(text, font, size)  # HarfBuzz returns right-to-left glyph order
            if isinstance(shaped, ShapedStr):
                width = sum(data.x_advance for data in shaped.__shapeData__) * size / 1000
                return _Run(shaped, font, size, level, width)
            text = shaped[::-1] if len(shaped) > 1 else shaped
        return _Run(text, font, size, level, stringWidth(text, font, size))
    if script == _EMOJI:
        visible = printable_emoji(text)
        visible = visible[::-1] if level % 2 else visible  # emoji are never mirrored
        return _Run(visible, EMOJI, size, level, stringWidth(visible, EMOJI, size))
    font = sans_font(bold)
    visible = "".join(char for char in text if char not in _INVISIBLE and char not in _JOINERS)
    if level % 2:
        visible = visible[::-1].translate(_MIRRORED)
    return _Run(visible, font, size, level, stringWidth(visible, font, size))


def _font_of(script: int, bold: bool, size: float) -> tuple[str, float]:
    if script == _ARABIC:
        return arabic_font(bold), size * ARABIC_SCALE
    return (EMOJI if script == _EMOJI else sans_font(bold)), size


class _Paragraph:
    """One paragraph (no line breaks inside) resolved once, then broken into lines per width."""

    def __init__(self, text: str, bold: list[bool], rtl: bool, size: float) -> None:
        self.text = text
        self.bold = bold
        self.rtl = rtl
        self.size = size
        self.levels = resolve_levels(text, rtl)
        emoji = [flag for piece, flag in emoji_runs(text) for _ in piece]
        self.scripts = [_ARABIC if is_arabic_script(char) else _EMOJI if emoji[index] else _SANS
                        for index, char in enumerate(text)]

    def _runs(self, start: int, end: int) -> list[_Run]:
        runs: list[_Run] = []
        run_start = start
        for index in range(start + 1, end + 1):
            if index == end or self._key(index) != self._key(run_start):
                text = self.text[run_start:index]
                runs.append(_make_run(text, self.scripts[run_start], self.bold[run_start],
                                      self.levels[run_start], self.size))
                run_start = index
        return [run for run in runs if run.display]

    def _key(self, index: int) -> tuple[int, bool, int]:
        char = self.text[index]
        script = self.scripts[index]
        # Joiners and marks belong to the Arabic run around them, whatever their own block.
        if char in _JOINERS and index > 0 and self.scripts[index - 1] == _ARABIC:
            script = _ARABIC
        return script, self.bold[index], self.levels[index]

    def _split_long(self, start: int, end: int, width: float) -> list[tuple[int, int]]:
        """Cut a word wider than the line into pieces that fit (long links, no spaces)."""
        pieces: list[tuple[int, int]] = []
        piece_start = start
        used = 0.0
        for index in range(start, end):
            font, size = _font_of(self.scripts[index], self.bold[index], self.size)
            char_width = stringWidth(self.text[index], font, size)
            if used + char_width > width and index > piece_start:
                pieces.append((piece_start, index))
                piece_start, used = index, 0.0
            used += char_width
        pieces.append((piece_start, end))
        return pieces

    def lines(self, width: float) -> list[Line]:
        words: list[_Word] = []
        for match in re.finditer(r"\S+", self.text):
            start, end = match.span()
            runs = self._runs(start, end)
            word_width = sum(run.width for run in runs)
            pieces = [(start, end)]
            if word_width > width:
                pieces = self._split_long(start, end, width)
            for piece_index, (piece_start, piece_end) in enumerate(pieces):
                if len(pieces) > 1:
                    runs = self._runs(piece_start, piece_end)
                    word_width = sum(run.width for run in runs)
                last_piece = piece_index == len(pieces) - 1
                space = None
                if last_piece and end < len(self.text):
                    space = _make_run(" ", _SANS, self.bold[end], self.levels[end], self.size)
                words.append(_Word(runs, word_width, space))
                if not last_piece:
                    words.append(_Word([], 0.0, None))  # forces the break between pieces
        lines: list[Line] = []
        current: list[_Word] = []
        used = 0.0
        for word in words:
            gap = current[-1].space_after.width if current and current[-1].space_after else 0.0
            if current and (used + gap + word.width > width or not word.runs):
                lines.append(self._line(current))
                current, used, gap = [], 0.0, 0.0
            if word.runs:
                current.append(word)
                used += gap + word.width
        if current or not lines:
            lines.append(self._line(current))
        return lines

    def _line(self, words: list[_Word]) -> Line:
        runs: list[_Run] = []
        for position, word in enumerate(words):
            runs.extend(word.runs)
            if position < len(words) - 1 and word.space_after is not None:
                runs.append(word.space_after)
        ordered = _merge(_reorder(runs))
        return Line(ordered, sum(run.width for run in ordered), self.rtl)


def layout(
    segments: Sequence[tuple[str, bool]], size: float, width: float, direction: str | None = None
) -> list[Line]:
    """Lines of text (segments of (text, bold)), broken to fit `width` and in visual order.

    `direction` is "ltr" or "rtl" to fix the paragraph direction (a label in English before the
    group's words); None takes it from the first strong letter, as the Unicode rules do.
    The lines are shared between callers with the same words: read them, never change them.
    """
    return _layout(tuple(segments), size, width, direction)


@lru_cache(maxsize=2048)  # a handout sets the same words again and again (groups, titles, footer)
def _layout(segments: tuple[tuple[str, bool], ...], size: float, width: float,
            direction: str | None) -> list[Line]:
    text = "".join(part for part, _ in segments)
    bold = [flag for part, flag in segments for _ in part]
    lines: list[Line] = []
    offset = 0
    for paragraph_text in text.split("\n"):
        paragraph_bold = bold[offset:offset + len(paragraph_text)]
        offset += len(paragraph_text) + 1
        rtl = base_is_rtl(paragraph_text) if direction is None else direction == "rtl"
        lines.extend(_Paragraph(paragraph_text, paragraph_bold, rtl, size).lines(width))
    return lines


def draw_line(canvas: Canvas, line: Line, x: float, y: float) -> None:
    """Draw one laid-out line with its left end at x and its baseline at y."""
    if not line.runs:
        return
    text_object = canvas.beginText(x, y)
    font = None
    for run in line.runs:
        if (run.font, run.size) != font:
            font = (run.font, run.size)
            text_object.setFont(run.font, run.size)
        # The PDF text cursor advances by each run's glyph widths, which is run.width.
        text_object.textOut(run.display)
    canvas.drawText(text_object)


def fit_line(text: str, size: float, width: float, bold: bool = False) -> Line:
    """The text on one line no wider than `width`, cut short with "…" when it must be."""
    lines = layout([(text, bold)], size, width)
    if len(lines) == 1 and "\n" not in text:
        return lines[0]
    words = text.split()
    while words:
        words.pop()
        candidate = layout([(" ".join(words) + " …", bold)], size, width)
        if len(candidate) == 1:
            return candidate[0]
    return layout([("…", bold)], size, width)[0]


def uses_arabic(text: str) -> bool:
    return _ARABIC_SCRIPT.search(text) is not None


class ScriptParagraph(Flowable):
    """A paragraph for text with right-to-left letters; the counterpart of reportlab's Paragraph.

    It honours the style's font size, leading, colour, alignment, indents and spacing; bold comes
    from the style's font or from the segments. A right-to-left paragraph aligns to the right.
    """

    def __init__(
        self,
        segments: Sequence[tuple[str, bool]],
        style: ParagraphStyle,
        direction: str | None = None,
        _line_range: tuple[int, int | None] = (0, None),
    ) -> None:
        super().__init__()
        style_bold = is_bold(style.fontName)
        self.segments = [(text, flag or style_bold) for text, flag in segments]
        self.style = style
        self.direction = direction
        self._line_range = _line_range
        self._laid_out: tuple[float, list[Line]] | None = None
        text = "".join(part for part, _ in self.segments)
        arabic = uses_arabic(text)
        self.leading = max(style.leading, style.fontSize * ARABIC_LINE_HEIGHT) if arabic \
            else style.leading
        self.ascent = style.fontSize * (ARABIC_ASCENT if arabic else 1.0)
        self.text = text  # for tests and debugging
        first_line = text.split("\n", 1)[0]
        self.rtl = direction == "rtl" or (direction is None and base_is_rtl(first_line))

    def _all_lines(self, width: float) -> list[Line]:
        inner = max(1.0, width - self.style.leftIndent - self.style.rightIndent)
        if self._laid_out is None or self._laid_out[0] != inner:
            self._laid_out = (inner, layout(self.segments, self.style.fontSize, inner,
                                            self.direction))
        return self._laid_out[1]

    def _lines(self, width: float) -> list[Line]:
        start, stop = self._line_range
        return self._all_lines(width)[start:stop]

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self.height = len(self._lines(availWidth)) * self.leading
        return availWidth, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        lines = self._lines(availWidth)
        fitting = int((availHeight + 1e-6) // self.leading)
        if fitting >= len(lines):
            return [self]
        if fitting < 1:
            return []
        start = self._line_range[0]
        first = ScriptParagraph(self.segments, self.style, self.direction,
                                (start, start + fitting))
        rest = ScriptParagraph(self.segments, self.style, self.direction,
                               (start + fitting, self._line_range[1]))
        first.style = self.style.clone(self.style.name, spaceAfter=0)
        rest.style = self.style.clone(self.style.name, spaceBefore=0)
        return [first, rest]

    def getSpaceBefore(self) -> float:
        return cast(float, self.style.spaceBefore)

    def getSpaceAfter(self) -> float:
        return cast(float, self.style.spaceAfter)

    def draw(self) -> None:
        canvas = self.canv
        style = self.style
        inner = self.width - style.leftIndent - style.rightIndent
        canvas.saveState()
        canvas.setFillColor(style.textColor)
        for index, line in enumerate(self._lines(self.width)):
            if style.alignment == TA_CENTER:
                x = style.leftIndent + (inner - line.width) / 2
            elif line.rtl or style.alignment == TA_RIGHT:
                x = style.leftIndent + inner - line.width
            else:
                x = style.leftIndent
            draw_line(canvas, line, x, self.height - self.ascent - index * self.leading)
        canvas.restoreState()
