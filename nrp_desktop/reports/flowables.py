"""Flowables the printed documents share: marks for the outline, paragraphs made late, ruled
and bulleted blocks, long tables in chunks, the ranked heading, domain chips and table styles."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import cast
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    Table,
    TableStyle,
)

from nrp_desktop.domain.domains import domain_by_slug, is_domain
from nrp_desktop.i18n import Speaker
from nrp_desktop.reports.bidi import ScriptParagraph, has_rtl
from nrp_desktop.reports.document import (
    NBSP,
    RULE_GREY,
    Layout,
)
from nrp_desktop.reports.fonts import SANS, SANS_BOLD
from nrp_desktop.reports.markup import (
    INK,
    Paragraph,
)

_BOLD_TAG = re.compile(r"(<b>|</b>)")
_ANY_TAG = re.compile(r"<[^>]+>")


def markup_segments(markup: str) -> list[tuple[str, bool]]:
    """Simple Paragraph markup (escaped text, <b>, <br/>) as (text, bold) segments."""
    from html import unescape

    segments: list[tuple[str, bool]] = []
    bold = False
    for piece in _BOLD_TAG.split(markup.replace("<br/>", "\n")):
        if piece == "<b>":
            bold = True
        elif piece == "</b>":
            bold = False
        elif piece:
            segments.append((unescape(_ANY_TAG.sub("", piece)), bold))
    return segments


def own_words(markup: str, style: ParagraphStyle, rtl: bool = False) -> Flowable:
    """A document's own words (simple markup), in any script: right-to-left letters go to the
    bidi paragraph, which shapes them; `rtl` sets the paragraph's direction (the document's)."""
    if not has_rtl(markup):
        return Paragraph(markup, style)
    return ScriptParagraph(markup_segments(markup), style, "rtl" if rtl else None)


@dataclass(frozen=True)
class Mark:
    """Where a flowable is drawn: a PDF bookmark with an outline entry (when it has a title),
    and its page number for references back (in `pages`)."""

    key: str
    title: str | None = None
    level: int = 0
    pages: dict[str, int] | None = None

    def place(self, canvas: Canvas) -> None:
        if self.pages is not None:
            self.pages.setdefault(self.key, canvas.getPageNumber())
        if self.title is not None:
            _, top = canvas.absolutePosition(0, 0)
            canvas.bookmarkPage(self.key, fit="XYZ", left=0, top=round(top + 40), zoom=0)
            canvas.addOutlineEntry(self.title, self.key, level=self.level, closed=0)


class MarkOnDraw(Flowable):
    """Places its Mark (bookmark, outline entry, page number) where it is first drawn."""

    mark: Mark | None = None

    def draw(self) -> None:
        if self.mark is not None:
            self.mark.place(self.canv)
            self.mark = None  # a heading split over two pages is marked once
        super().draw()


class MarkedParagraph(MarkOnDraw, Paragraph):
    """A paragraph (a heading) that places a Mark where it is drawn."""


class MarkedScriptParagraph(MarkOnDraw, ScriptParagraph):
    """A heading in right-to-left script that places a Mark where it is drawn."""


def marked_paragraph(text: str, style: ParagraphStyle, mark: Mark,
                     rtl: bool = False) -> Flowable:
    paragraph: MarkedParagraph | MarkedScriptParagraph
    if has_rtl(text):
        paragraph = MarkedScriptParagraph(markup_segments(text), style, "rtl" if rtl else None)
    else:
        paragraph = MarkedParagraph(text, style)
    paragraph.mark = mark
    return paragraph


class LateParagraph(Flowable):
    """A paragraph whose words are made when it is laid out, e.g. a reference back to the page
    of something printed earlier, which is known by then."""

    def __init__(self, make: Callable[[], Flowable]) -> None:
        super().__init__()
        self._make = make
        self._inner: Flowable | None = None

    def _paragraph(self) -> Flowable:
        if self._inner is None:
            self._inner = self._make()
        return self._inner

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width, self.height = self._paragraph().wrap(availWidth, availHeight)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return cast(list[Flowable], self._paragraph().split(availWidth, availHeight))

    def getSpaceBefore(self) -> float:
        return cast(float, self._paragraph().getSpaceBefore())

    def getSpaceAfter(self) -> float:
        return cast(float, self._paragraph().getSpaceAfter())

    def draw(self) -> None:
        self._paragraph().drawOn(self.canv, 0, 0)


class RowsToWriteIn(Flowable):
    """Empty rows to write in: the first of `choices` (most rows first) that fits where it falls.
    When none fits they are left out, never moved alone onto a page of their own (a sheet of
    paper for two empty rows); `left_out` then says so, for the document to say where to write."""

    def __init__(self, choices: Sequence[Flowable]) -> None:
        super().__init__()
        self.choices = list(choices)
        self.content: Flowable | None = None
        self.left_out = False
        self.page = 0  # the page they fell on: the last, as they end the document

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.content = None
        canvas = getattr(self, "canv", None)  # the frame sets it before laying out
        self.page = canvas.getPageNumber() if canvas is not None else 0
        width: float
        height: float
        for choice in self.choices:
            width, height = choice.wrap(availWidth, availHeight)
            if height <= availHeight + 1e-6:
                self.content = choice
                self.left_out = False
                self.width, self.height = width, height
                return self.width, self.height
        self.left_out = True
        self.width, self.height = availWidth, 0.0
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return []  # never split: the rows go whole onto the next page, or not at all

    def draw(self) -> None:
        if self.content is not None:
            self.content.drawOn(self.canv, 0, 0)


class RuledParagraph(MarkOnDraw, Paragraph):
    """A paragraph with a grey rule down its left side: the programme's voice, set apart from
    the group's words. Cheaper than a one-column table, which wraps its contents twice."""

    rule_width = 2.5

    def draw(self) -> None:
        super().draw()  # the mark, then the words
        canvas = self.canv
        canvas.saveState()
        canvas.setStrokeColor(RULE_GREY)
        canvas.setLineWidth(self.rule_width)
        x = self.rule_width / 2
        canvas.line(x, -self.style.spaceAfter, x, self.height + self.style.spaceBefore)
        canvas.restoreState()


Placed = list[tuple[Flowable, float, float]]  # each flowable, its space before, its height
TableCommand = tuple[object, ...]  # a reportlab TableStyle command


def stack(content: Sequence[Flowable], width: float, avail_height: float) -> tuple[Placed, float]:
    """Wrap flowables one under another in `width`: where each goes, and the total height."""
    placed: Placed = []
    total = 0.0
    for index, flowable in enumerate(content):
        _, height = flowable.wrap(width, avail_height)
        before = flowable.getSpaceBefore() if index else 0.0
        total += before + height
        placed.append((flowable, before, height))
    return placed, total


class Bulleted(Flowable):
    """A bullet beside a few flowables (an action and its who/when), for text in any script:
    reportlab's own bullets only work with its Paragraph."""

    def __init__(self, content: list[Flowable], indent: float, size: float) -> None:
        super().__init__()
        self.content = content
        self.indent = indent
        self.size = size
        self._placed: Placed = []
        # Right-to-left words start at the right, so their bullet goes there too.
        self.rtl = bool(content) and getattr(content[0], "rtl", False)

    def set_direction(self, rtl: bool) -> Bulleted:
        """A right-to-left document puts every bullet on the right, whatever the words."""
        self.rtl = self.rtl or rtl
        return self

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._placed, total = stack(self.content, availWidth - self.indent, availHeight)
        self.width, self.height = availWidth, total
        return availWidth, total

    def getSpaceAfter(self) -> float:
        return self.content[-1].getSpaceAfter() if self.content else 0.0

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColor(INK)
        canvas.setFont(SANS_BOLD, self.size)
        bullet_x = self.width - self.indent * 0.75 if self.rtl else self.indent * 0.25
        first_ascent = getattr(self.content[0], "ascent", self.size) if self.content else 0
        canvas.drawString(bullet_x, self.height - first_ascent, "•")
        canvas.restoreState()
        y = self.height
        x = 0.0 if self.rtl else self.indent
        for flowable, before, height in self._placed:
            y -= before + height
            flowable.drawOn(canvas, x, y)


class ChunkedTable(Flowable):
    """A long table as a column of short ones in the same columns, read as one table.

    reportlab's Table measures every row it still holds each time it is split at a page break,
    so one table of thousands of rows costs time in the square of its length. Here each short
    table is measured once, only the one that meets the foot of a page is split, and the rows
    that run onto the next page start under the table's head again (`head_again`)."""

    def __init__(self, parts: list[Table], head_again: Callable[[], Table] | None,
                 _known: tuple[float, float] | None = None) -> None:
        super().__init__()
        self.parts = parts
        self.head_again = head_again
        self._known = _known  # (width, height of all parts) when the splitting part knew it

    @staticmethod
    def _height(part: Flowable, width: float) -> float:
        known = getattr(part, "_chunk_size", None)
        if known is not None and known[0] == width:
            return cast(float, known[1])
        height: float
        _, height = part.wrap(width, 1e9)
        part._chunk_size = (width, height)
        return height

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        if self._known is None or self._known[0] != availWidth:
            self._known = (availWidth, sum(self._height(part, availWidth) for part in self.parts))
        self.height = self._known[1]
        return availWidth, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        total = self.wrap(availWidth, availHeight)[1]
        used = 0.0
        for index, part in enumerate(self.parts):
            height = self._height(part, availWidth)
            if used + height <= availHeight + 1e-6:
                used += height
                continue
            after = total - used - height  # the parts after this one, measured already
            pieces = part.split(availWidth, availHeight - used)
            if len(pieces) >= 2:
                first, rest = [*self.parts[:index], pieces[0]], [*pieces[1:], *self.parts[index + 1:]]
                # A table with repeated rows (the first part) already starts its rest with them.
                starts_with_head = bool(getattr(part, "repeatRows", 0))
                rest_height = after + sum(self._height(piece, availWidth) for piece in pieces[1:])
            else:
                first, rest = self.parts[:index], self.parts[index:]
                starts_with_head = False
                rest_height = after + height
            if not first:
                return []
            if not starts_with_head and self.head_again is not None:
                head = self.head_again()
                rest = [head, *rest]
                rest_height += self._height(head, availWidth)
            return [ChunkedTable(first, None),
                    ChunkedTable(rest, self.head_again, (availWidth, rest_height))]
        return [self]

    def draw(self) -> None:
        y = self.height
        for part in self.parts:
            height = self._height(part, self.width)
            y -= height
            part.drawOn(self.canv, 0, y)


class RankedHeading(Flowable):
    """The priority's rank as a white number in a dark box, beside its title and votes."""

    def __init__(self, rank: int, content: list[Flowable], box_width: float, gap: float,
                 size: float, mark: Mark | None = None, rtl: bool = False) -> None:
        super().__init__()
        self.rtl = rtl  # a right-to-left document: the box on the right, the words to its left
        self.mark = mark
        self.rank = rank
        self.content = content
        self.box_width = box_width
        self.gap = gap
        self.size = size
        self._placed: Placed = []

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        inner = availWidth - self.box_width - self.gap
        self._placed, total = stack(self.content, inner, availHeight)
        self.width = availWidth
        self.height = max(total, self.size * 2.4)
        return availWidth, self.height

    def draw(self) -> None:
        canvas = self.canv
        if self.mark is not None:
            self.mark.place(canvas)
        canvas.saveState()
        canvas.setFillColor(INK)
        box_x = self.width - self.box_width if self.rtl else 0
        canvas.rect(box_x, 0, self.box_width, self.height, stroke=0, fill=1)
        canvas.setFillColor(colors.white)
        number_size = self.size * (1.3 if self.rank < 100 else 1.05)
        canvas.setFont(SANS_BOLD, number_size)
        canvas.drawCentredString(box_x + self.box_width / 2, self.height / 2 - number_size * 0.36,
                                 str(self.rank))
        canvas.restoreState()
        y = self.height
        words_x = 0 if self.rtl else self.box_width + self.gap
        for flowable, before, height in self._placed:
            y -= before + height
            flowable.drawOn(canvas, words_x, y)


def domain_chips(slugs: Sequence[str], style: ParagraphStyle,
                 one_per_line: bool = False, speaker: Speaker | None = None) -> Flowable:
    """Each domain as its letter mark in a dark box and its name: never colour alone.

    `one_per_line` (for a narrow table column) puts each domain on a line of its own and lets a
    long name wrap after the mark. Names in right-to-left script: the mark in bold beside the
    name (the bidi paragraph draws no boxes)."""
    speaker = speaker or Speaker("en")
    domains = [domain_by_slug(slug) for slug in slugs if is_domain(slug)]
    if speaker.rtl:
        segments: list[tuple[str, bool]] = []
        for index, domain in enumerate(domains):
            if index:
                segments.append(("\n" if one_per_line else "   ", False))
            segments += [(f"{domain.mark} ", True), (speaker.gettext(domain.name), False)]
        return ScriptParagraph(segments, style, "rtl")
    chips = []
    for domain in domains:
        translated = speaker.gettext(domain.name)
        name = escape(translated) if one_per_line else escape(translated).replace(" ", NBSP)
        chips.append(f'<span backColor="#1A1A1A" color="#FFFFFF"><b>{NBSP}{domain.mark}{NBSP}'
                     f"</b></span>{NBSP}{name}")
    return Paragraph(("<br/>" if one_per_line else f"{NBSP * 3} ").join(chips), style)


def kicker(text: str, layout: Layout, rtl: bool = False) -> Flowable:
    return own_words(escape(text).upper(), layout.text.small.clone(
        "kicker", fontName=SANS_BOLD, spaceAfter=layout.size * 0.4), rtl)


def styled_table(rows: list[list[object]], widths: list[float], commands: list[TableCommand],
                 layout: Layout, repeat: int = 0,
                 heights: Sequence[float | None] | None = None, vertical: float = 1.0) -> Table:
    """A table in the documents' one style: cells padded for the print size, text top-aligned
    in the bundled font; `commands` add rules and fills; `vertical` scales the padding above
    and below the text (rows that sit closer)."""
    padding = layout.padding
    table = Table(rows, colWidths=widths, rowHeights=heights, repeatRows=repeat, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), padding),
        ("RIGHTPADDING", (0, 0), (-1, -1), padding),
        ("TOPPADDING", (0, 0), (-1, -1), padding * 0.75 * vertical),
        ("BOTTOMPADDING", (0, 0), (-1, -1), padding * vertical),
        ("FONTNAME", (0, 0), (-1, -1), SANS),  # cells holding plain strings, if any
        ("FONTSIZE", (0, 0), (-1, -1), layout.size),
        *commands,
    ]))
    return table


