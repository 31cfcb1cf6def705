"""The printed handout (reportlab Platypus): what the group decided and what other
neighbourhoods learned about it, laid out to print cleanly on a black-and-white printer.

The layout takes plain data (`nrp_desktop.domain.handout`); choosing the lessons is the handout
service's job. The group's own words come first in each priority, the programme's lessons after,
set off by a grey rule. Every font is a bundled one, embedded in the file.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BalancedColumns,
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    HRFlowable,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)

from nrp_desktop import APP_NAME, __version__
from nrp_desktop.domain.content import CaseStudy, ContentLibrary
from nrp_desktop.domain.domains import DOMAINS, domain_by_slug, is_domain
from nrp_desktop.domain.handout import (
    HandoutData,
    HandoutLesson,
    HandoutOptions,
    HandoutPriority,
)
from nrp_desktop.i18n import N_, Speaker, is_translated
from nrp_desktop.reports.bidi import Line, ScriptParagraph, draw_line, fit_line, has_rtl
from nrp_desktop.reports.compass import compass_drawing
from nrp_desktop.reports.fonts import SANS, SANS_BOLD, has_emoji, register_fonts
from nrp_desktop.reports.markup import (
    INK,
    MUTED,
    Paragraph,
    TextStyles,
    html_sections,
    html_to_flowables,
    labelled_flowable,
    labelled_parts,
    make_text_styles,
    plain_markup,
    text_flowable,
)

MARGIN = 18 * mm
RULE_GREY = colors.HexColor("#8C8C8C")
LIGHT_RULE = colors.HexColor("#BFBFBF")
HEADER_FILL = colors.HexColor("#E6E6E6")  # table heads: a light grey that prints as a tint
GROUP_FILL = colors.HexColor("#F2F2F2")
NBSP = "\u00a0"
BLANK_ACTION_ROWS = 6  # room to write new actions in "What happens next"
SHORT_BLANK_ACTION_ROWS = 2
BRIEF_PLACES = 3  # neighbourhoods named under a lesson in the short handout
BRIEF_SUMMARY_WORDS = 20  # a lesson's summary in the short handout: its first sentence or two
SHORT_TITLE = N_("What we decided and what happens next")
# Rows per table in "What happens next": small enough that splitting one at a page break is cheap.
TABLE_CHUNK_ROWS = 20


@dataclass(frozen=True)
class Layout:
    """Sizes for one print size; large print scales text and the room around it."""

    text: TextStyles
    large: bool
    footer_size: float
    compass_size: float
    padding: float  # inside table cells
    write_row_height: float  # an empty row to write in by hand

    @property
    def size(self) -> float:
        return self.text.size


def layout_for(options: HandoutOptions) -> Layout:
    if options.large_print:
        text = make_text_styles(size=16, line_height=1.5, space=1.35)
        return Layout(text, True, footer_size=12, compass_size=16, padding=6,
                       write_row_height=16 * mm)
    # 12 pt body text at least: a handout is read at arm's length, often by older residents.
    # The short handout sets its lines a little closer, to stay on one or two pages.
    text = make_text_styles(size=12, line_height=1.25 if options.short else 1.35,
                            space=0.75 if options.short else 0.9)
    return Layout(text, False, footer_size=9, compass_size=9.5, padding=4,
                   write_row_height=10 * mm)


def page_size_for(options: HandoutOptions) -> tuple[float, float]:
    return LETTER if options.paper == "letter" else A4


def _long_date(day: dt.date, speaker: Speaker | None = None) -> str:
    """"Wednesday 18 November 2026" as the handout's language writes it, whatever the machine's
    locale (strftime would follow it)."""
    speaker = speaker or Speaker("en")
    text = speaker.format_date(day, "full")
    # British English writes no comma after the weekday on a handout's date line.
    return text.replace(",", "", 1) if speaker.language.babel_locale == "en_GB" else text


_Cell = TypeVar("_Cell")
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


def right_aligned(styles: TextStyles) -> TextStyles:
    """The same styles set from the right margin (a right-to-left language)."""
    from reportlab.lib.enums import TA_RIGHT

    changed = {name: getattr(styles, name).clone(f"{getattr(styles, name).name}_rtl", alignment=TA_RIGHT)
               for name in ("body", "small", "title", "h1", "h2", "h3", "h4", "quote", "list_item")}
    return dataclasses.replace(styles, **changed)


def own_words(markup: str, style: ParagraphStyle, rtl: bool = False) -> Flowable:
    """The handout's own words (simple markup), in any script: right-to-left letters go to the
    bidi paragraph, which shapes them; `rtl` sets the paragraph's direction (the handout's)."""
    if not has_rtl(markup):
        return Paragraph(markup, style)
    return ScriptParagraph(markup_segments(markup), style, "rtl" if rtl else None)


# --- the document frame ------------------------------------------------------------------


FooterPainter = Callable[[Canvas, int, int], None]


def _numbered_canvas(paint_footer: FooterPainter) -> type[Canvas]:
    """A canvas that holds its pages back until the end, so each footer can say "of M".

    A bookmark names the PDF object of its page, which exists only once the page is written:
    bookmarks wait with their page and are made just before it is written out."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)
            self._held_pages: list[dict[str, object]] = []
            self._page_marks: list[tuple[str, dict[str, object]]] = []

        def bookmarkPage(self, key: str, **kwargs: object) -> None:
            self._page_marks.append((key, kwargs))

        def showPage(self) -> None:
            self._held_pages.append(dict(self.__dict__))
            self._page_marks = []
            self._startPage()

        def save(self) -> None:
            total = len(self._held_pages)
            for state in self._held_pages:
                self.__dict__.update(state)
                for key, kwargs in self._page_marks:
                    Canvas.bookmarkPage(self, key, **kwargs)
                paint_footer(self, self._pageNumber, total)
                Canvas.showPage(self)
            Canvas.save(self)

    return NumberedCanvas


def _footer_painter(left_text: str, page_size: tuple[float, float], size: float,
                    last_page_note: str = "", speaker: Speaker | None = None) -> FooterPainter:
    """The title and date at the start of the line (its left, or its right in a right-to-left
    language), "Page N of M" at its end."""
    speaker = speaker or Speaker("en")
    width, _ = page_size
    baseline = MARGIN
    usable = width - 2 * MARGIN
    laid_out: dict[float, str | Line] = {}  # the title is the same on every page: fit it once

    def paint(canvas: Canvas, page: int, total: int) -> None:
        canvas.saveState()
        canvas.setStrokeColor(LIGHT_RULE)
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN, baseline + size * 1.3, width - MARGIN, baseline + size * 1.3)
        canvas.setFillColor(MUTED)
        page_text = speaker.gettext("Page {page} of {total}").format(
            page=speaker.format_number(page), total=speaker.format_number(total))
        canvas.setFont(SANS, size)
        page_line = fit_line(page_text, size, usable / 2) if has_rtl(page_text) else None
        page_width = page_line.width if page_line is not None else canvas.stringWidth(page_text, SANS, size)
        page_x = MARGIN if speaker.rtl else width - MARGIN - page_width
        if page_line is not None:
            draw_line(canvas, page_line, page_x, baseline)
        else:
            canvas.drawString(page_x, baseline, page_text)
        room = usable - page_width - size * 2
        if room not in laid_out:
            needs_layout = has_rtl(left_text) or has_emoji(left_text)
            laid_out[room] = (fit_line(left_text, size, room) if needs_layout
                              else _fit_plain(left_text, size, room, canvas))
        line = laid_out[room]
        if isinstance(line, str):
            if speaker.rtl:
                canvas.drawRightString(width - MARGIN, baseline, line)
            else:
                canvas.drawString(MARGIN, baseline, line)
        else:
            draw_line(canvas, line, width - MARGIN - line.width if speaker.rtl else MARGIN, baseline)
        if last_page_note and page == total:  # where the lessons come from, once
            note_size = size * 0.8
            canvas.setFont(SANS, note_size)
            note_y = baseline - size * 1.45
            if has_rtl(last_page_note):
                note = fit_line(last_page_note, note_size, usable)
                draw_line(canvas, note, width - MARGIN - note.width if speaker.rtl else MARGIN, note_y)
            else:
                canvas.drawString(MARGIN, note_y, _fit_plain(last_page_note, note_size, usable, canvas))
        canvas.restoreState()

    return paint


def _fit_plain(text: str, size: float, room: float, canvas: Canvas) -> str:
    text = " ".join(text.split())
    if canvas.stringWidth(text, SANS, size) <= room:
        return text
    words = text.split()
    while len(words) > 1:
        words.pop()
        candidate = " ".join(words) + " …"
        if canvas.stringWidth(candidate, SANS, size) <= room:
            return candidate
    return text[: max(1, int(room / size))] + "…"


def render_pdf(story: list[Flowable], *, title: str, subject: str, language: str,
               footer_text: str, options: HandoutOptions, layout: Layout,
               last_page_note: str = "", speaker: Speaker | None = None) -> bytes:
    page_size = page_size_for(options)
    footer_room = layout.footer_size * 3.2
    buffer = io.BytesIO()
    document = BaseDocTemplate(
        buffer,
        pagesize=page_size,
        leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=MARGIN + footer_room,
        title=title, author=APP_NAME, subject=subject, creator=f"{APP_NAME} {__version__}",
        lang=language or "en", displayDocTitle=1,
        initialFontName=SANS, initialFontSize=layout.size,  # never reportlab's Helvetica
    )
    frame = Frame(MARGIN, MARGIN + footer_room, page_size[0] - 2 * MARGIN,
                  page_size[1] - 2 * MARGIN - footer_room, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    document.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    painter = _footer_painter(footer_text, page_size, layout.footer_size, last_page_note, speaker)
    document.build(story, canvasmaker=_numbered_canvas(painter))
    return buffer.getvalue()


# --- pieces shared by both handouts ----------------------------------------------------------


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


class MarkedParagraph(Paragraph):
    """A paragraph (a heading) that places a Mark where it is drawn."""

    mark: Mark | None = None

    def draw(self) -> None:
        if self.mark is not None:
            self.mark.place(self.canv)
            self.mark = None  # a heading split over two pages is marked once
        super().draw()


class MarkedScriptParagraph(ScriptParagraph):
    """A heading in right-to-left script that places a Mark where it is drawn."""

    mark: Mark | None = None

    def draw(self) -> None:
        if self.mark is not None:
            self.mark.place(self.canv)
            self.mark = None
        super().draw()


def marked_paragraph(text: str, style: ParagraphStyle, mark: Mark,
                     rtl: bool = False) -> Flowable:
    paragraph: MarkedParagraph | MarkedScriptParagraph
    if has_rtl(text):
        paragraph = MarkedScriptParagraph(markup_segments(text), style, "rtl" if rtl else None)
    else:
        paragraph = MarkedParagraph(text, style)
    paragraph.mark = mark
    return paragraph


def first_sentences(text: str, words: int = BRIEF_SUMMARY_WORDS) -> str:
    """The opening sentences of a summary up to about `words` words; a first sentence longer
    than that is cut at a word, with "…"."""
    sentences = re.split(r"(?<=[.!?])\s+", " ".join(text.split()))
    kept: list[str] = []
    for sentence in sentences:
        if kept and len(" ".join([*kept, sentence]).split()) > words:
            break
        kept.append(sentence)
    shown = " ".join(kept)
    if len(shown.split()) > words * 1.5:
        shown = " ".join(shown.split()[:words]) + " …"
    return shown


def outline_title(text: str) -> str:
    return " ".join(text.split())


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
        return self._paragraph().split(availWidth, availHeight)

    def getSpaceBefore(self) -> float:
        return self._paragraph().getSpaceBefore()

    def getSpaceAfter(self) -> float:
        return self._paragraph().getSpaceAfter()

    def draw(self) -> None:
        self._paragraph().drawOn(self.canv, 0, 0)


class OnlyIfRoom(Flowable):
    """A flowable drawn where it fits whole, and otherwise left out (empty rows to write in)."""

    def __init__(self, content: Flowable) -> None:
        super().__init__()
        self.content = content
        self._fits = False

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        width, height = self.content.wrap(availWidth, availHeight)
        self._fits = height <= availHeight + 1e-6
        self.width, self.height = (width, height) if self._fits else (availWidth, 0.0)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return [self]

    def draw(self) -> None:
        if self._fits:
            self.content.drawOn(self.canv, 0, 0)


class _RuledParagraph(Paragraph):
    """A paragraph with a grey rule down its left side: the programme's voice, set apart from
    the group's words. Cheaper than a one-column table, which wraps its contents twice."""

    rule_width = 2.5
    mark: Mark | None = None

    def draw(self) -> None:
        if self.mark is not None:
            self.mark.place(self.canv)
            self.mark = None
        super().draw()
        canvas = self.canv
        canvas.saveState()
        canvas.setStrokeColor(RULE_GREY)
        canvas.setLineWidth(self.rule_width)
        x = self.rule_width / 2
        canvas.line(x, -self.style.spaceAfter, x, self.height + self.style.spaceBefore)
        canvas.restoreState()


class _Bulleted(Flowable):
    """A bullet beside a few flowables (an action and its who/when), for text in any script:
    reportlab's own bullets only work with its Paragraph."""

    def __init__(self, content: list[Flowable], indent: float, size: float) -> None:
        super().__init__()
        self.content = content
        self.indent = indent
        self.size = size
        self._placed: list[tuple[Flowable, float, float]] = []
        # Right-to-left words start at the right, so their bullet goes there too.
        self.rtl = bool(content) and getattr(content[0], "rtl", False)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._placed = []
        total = 0.0
        for index, flowable in enumerate(self.content):
            _, height = flowable.wrap(availWidth - self.indent, availHeight)
            before = flowable.getSpaceBefore() if index else 0.0
            total += before + height
            self._placed.append((flowable, before, height))
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
            return known[1]
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


class _RankedHeading(Flowable):
    """The priority's rank as a white number in a dark box, beside its title and votes."""

    def __init__(self, rank: int, content: list[Flowable], box_width: float, gap: float,
                 size: float, mark: Mark | None = None) -> None:
        super().__init__()
        self.mark = mark
        self.rank = rank
        self.content = content
        self.box_width = box_width
        self.gap = gap
        self.size = size
        self._placed: list[tuple[Flowable, float, float]] = []

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        inner = availWidth - self.box_width - self.gap
        self._placed = []
        total = 0.0
        for index, flowable in enumerate(self.content):
            _, height = flowable.wrap(inner, availHeight)
            before = flowable.getSpaceBefore() if index else 0.0
            total += before + height
            self._placed.append((flowable, before, height))
        self.width = availWidth
        self.height = max(total, self.size * 2.4)
        return availWidth, self.height

    def draw(self) -> None:
        canvas = self.canv
        if self.mark is not None:
            self.mark.place(canvas)
        canvas.saveState()
        canvas.setFillColor(INK)
        canvas.rect(0, 0, self.box_width, self.height, stroke=0, fill=1)
        canvas.setFillColor(colors.white)
        number_size = self.size * (1.3 if self.rank < 100 else 1.05)
        canvas.setFont(SANS_BOLD, number_size)
        canvas.drawCentredString(self.box_width / 2, self.height / 2 - number_size * 0.36,
                                 str(self.rank))
        canvas.restoreState()
        y = self.height
        for flowable, before, height in self._placed:
            y -= before + height
            flowable.drawOn(canvas, self.box_width + self.gap, y)


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


def styled_table(rows: list[list[object]], widths: list[float], commands: list[tuple],
                 layout: Layout, repeat: int = 0) -> Table:
    padding = layout.padding
    table = Table(rows, colWidths=widths, repeatRows=repeat, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), padding),
        ("RIGHTPADDING", (0, 0), (-1, -1), padding),
        ("TOPPADDING", (0, 0), (-1, -1), padding * 0.75),
        ("BOTTOMPADDING", (0, 0), (-1, -1), padding),
        ("FONTNAME", (0, 0), (-1, -1), SANS),  # cells holding plain strings, if any
        ("FONTSIZE", (0, 0), (-1, -1), layout.size),
        *commands,
    ]))
    return table


# --- the session handout ---------------------------------------------------------------------


class _HandoutBuilder:
    def __init__(self, data: HandoutData, options: HandoutOptions) -> None:
        self.data = data
        self.options = options
        self.speaker = Speaker(data.language) if is_translated(data.language) else Speaker("en")
        self.rtl = self.speaker.rtl
        self.layout = layout_for(options)
        if self.rtl:  # a right-to-left handout: every paragraph set from the right
            self.layout = dataclasses.replace(self.layout, text=right_aligned(self.layout.text))
        self.styles = self.layout.text
        self.width = page_size_for(options)[0] - 2 * MARGIN
        size = self.layout.size
        self.cell = self.styles.body.clone("cell", spaceAfter=0)
        self.cell_bold = self.styles.body.clone("cell_bold", fontName=SANS_BOLD, spaceAfter=0)
        self.cell_muted = self.styles.small.clone("cell_muted", spaceAfter=0)
        self.rank = self.styles.h2.clone("rank", alignment=1, textColor=colors.white,
                                         spaceBefore=0, spaceAfter=0)
        self.priority_title = self.styles.h2.clone("priority_title", spaceBefore=0,
                                                   spaceAfter=size * 0.3)
        self.meta = self.styles.body.clone("meta", spaceAfter=size * 0.35)
        indent = size * 1.2
        self.lesson_title = self.styles.h4.clone(
            "lesson_title", leftIndent=indent, spaceBefore=size * 0.5, spaceAfter=size * 0.2,
            keepWithNext=0)
        self.lesson_summary = self.styles.body.clone("lesson_summary", leftIndent=indent,
                                                     spaceAfter=size * 0.3)
        self.lesson_places = self.styles.small.clone("lesson_places", leftIndent=indent,
                                                     spaceAfter=0)
        self.action_what = self.styles.body.clone("action_what", spaceAfter=size * 0.1)
        self.action_detail = self.styles.body.clone("action_detail", textColor=MUTED,
                                                    spaceAfter=size * 0.45)
        # Explanations under a heading stay with what they explain.
        self.explain = self.styles.small.clone("explain")
        # Inside a priority, a conditional page break before each subheading keeps it with
        # what follows; keepWithNext would measure every heading and its neighbour twice.
        self.subheading = self.styles.h3.clone("subheading", keepWithNext=0)
        self.back_reference = self.styles.body.clone("back_reference", leftIndent=indent,
                                                     spaceBefore=size * 0.4)
        self.pages: dict[str, int] = {}  # mark key → the page it was drawn on
        self.lesson_printed_under: dict[str, int] = {}  # lesson slug → the priority's rank

    # The handout's own words, in its language -------------------------------------------------

    def _(self, message: str) -> str:
        return self.speaker.gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return self.speaker.ngettext(singular, plural, count)

    def words(self, markup: str, style: ParagraphStyle) -> Flowable:
        return own_words(markup, style, self.rtl)

    def label(self, text: str, style: ParagraphStyle) -> Flowable:
        return own_words(escape(text), style, self.rtl)

    def row(self, cells: list[_Cell]) -> list[_Cell]:
        """A table row in reading order: right to left in a right-to-left language."""
        return cells[::-1] if self.rtl else cells

    def english_content_note(self) -> Flowable:
        return self.words(escape(self._(
            "The lessons and case studies in this handout come from the programme's bundled "
            "content, which is in English in every language of NRP Desktop.")), self.explain)

    def story(self) -> list[Flowable]:
        if self.options.short:
            return self.short_story()
        story: list[Flowable] = []
        story += self.header()
        if self.speaker.code != "en":
            story.append(self.english_content_note())
        if self.data.ratings:
            story += self.compass()
        story += self.priorities()
        story += self.next_steps()
        return story

    def section_heading(self, key: str, text: str, style: ParagraphStyle | None = None
                        ) -> Flowable:
        """A section's heading, with its bookmark in the PDF's outline."""
        return marked_paragraph(escape(text), style or self.styles.h1, Mark(key, text, 0),
                                self.rtl)

    # Header

    def header(self) -> list[Flowable]:
        data, styles = self.data, self.styles
        rows: list[list[object]] = [self.row(
            [self.label(self._("Date"), self.cell_bold),
             self.label(_long_date(data.date, self.speaker), self.cell)])
        ]
        for label, value in ((self._("Venue"), data.venue),
                             (self._("Neighbourhood"), data.neighbourhood)):
            if value.strip():
                rows.append(self.row([self.label(label, self.cell_bold),
                                      text_flowable(value, self.cell)]))
        if data.participants is not None:
            rows.append(self.row([
                self.label(self._("Taking part"), self.cell_bold),
                self.label(self.ngettext("{n} person", "{n} people", data.participants), self.cell)]))
        if data.facilitator.strip():
            rows.append(self.row([self.label(self._("Facilitator"), self.cell_bold),
                                  text_flowable(data.facilitator, self.cell)]))
        label_width = max(self.layout.size * 9.5, *(
            stringWidth(self._(label), SANS_BOLD, self.layout.size) + 2 * self.layout.padding
            for label in ("Date", "Venue", "Neighbourhood", "Taking part", "Facilitator")))
        label_width = min(label_width, self.width * 0.4)
        details = styled_table(rows, self.row([label_width, self.width - label_width]), [
            ("LINEABOVE", (0, 0), (-1, 0), 0.8, RULE_GREY),
            ("LINEBELOW", (0, -1), (-1, -1), 0.8, RULE_GREY),
            ("RIGHTPADDING" if self.rtl else "LEFTPADDING",
             (-1 if self.rtl else 0, 0), (-1 if self.rtl else 0, -1), 0),
        ], self.layout)
        return [
            kicker(self._("Workshop handout"), self.layout, self.rtl),
            text_flowable(data.title, styles.title),
            details,
            Spacer(1, self.layout.size * 0.8),
        ]

    def provenance(self) -> str:
        """Where the lessons come from, in one line for the foot of the last page."""
        made_with = self._("Made with {app} {version}").format(app=APP_NAME, version=__version__)
        note = self.data.programme
        if note is None:
            return made_with
        edition = self._(", content {edition}").format(edition=note.content_version) \
            if note.content_version else ""
        places = self.ngettext("{n} neighbourhood", "{n} neighbourhoods", len(note.neighbourhoods))
        return self._("Lessons: {programme}, {places}").format(programme=note.title, places=places) \
            + f"  ·  {made_with}{edition}"

    # Compass

    def compass(self) -> list[Flowable]:
        styles = self.styles
        # The scores also as words beside the drawing (under it in large print, where beside
        # it the radar would shrink too far): they read aloud and copy as text.
        scores_width = sum(self._score_widths())
        drawing_width = self.width if self.layout.large else self.width - scores_width
        drawing = compass_drawing(self.data.ratings, drawing_width, self.layout.compass_size,
                                  self.speaker)
        cells = [[drawing], [self.compass_scores()]] if self.layout.large \
            else [self.row([drawing, self.compass_scores()])]
        beside = Table(cells, colWidths=[drawing_width] if self.layout.large
                       else self.row([drawing_width, scores_width]), hAlign="LEFT")
        beside.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("FONTNAME", (0, 0), (-1, -1), SANS),  # never reportlab's Helvetica
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ]))
        return [KeepTogether([
            self.section_heading("compass", self._("How the group rated the five domains")),
            self.words(escape(self._(
                "Each domain was scored from 1 (a lot to improve) to 7 (little to improve). The "
                "grey shape joins the scores; a domain the group did not rate is marked “not "
                "rated”.")), styles.body),
            beside,
        ])]

    def _score_widths(self) -> list[float]:
        """Room for the longest domain name and "not rated" on one line each."""
        room = 2 * self.layout.padding + 2
        size = self.layout.size
        # Arabic script is drawn a size larger than the Latin font it is measured in here.
        scale = 1.2 if self.rtl else 1.0
        names = max(stringWidth(self._(domain.name), SANS, size) for domain in DOMAINS)
        scores = max(stringWidth(text, SANS, size) for text in (
            self._("not rated"), self._("Score"), self._("{score} of {most}").format(score=7, most=7)))
        return self.row([names * scale + room, scores * scale + room])

    def compass_scores(self) -> Table:
        rows: list[list[object]] = [self.row([self.label(self._("Domain"), self.cell_bold),
                                              self.label(self._("Score"), self.cell_bold)])]
        for domain in DOMAINS:
            score = self.data.ratings.get(domain.slug)
            rows.append(self.row([
                self.label(self._(domain.name), self.cell),
                self.label(self._("{score} of {most}").format(
                    score=self.speaker.format_number(score), most=self.speaker.format_number(7))
                           if score is not None else self._("not rated"),
                           self.cell if score is not None else self.cell_muted)]))
        return styled_table(rows, self._score_widths(), [
            ("LINEBELOW", (0, 0), (-1, -1), 0.5, LIGHT_RULE),
            ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ], self.layout)

    # Priorities

    def priorities(self) -> list[Flowable]:
        styles = self.styles
        story: list[Flowable] = [
            CondPageBreak(self.layout.size * 14),
            self.section_heading("priorities", self._("Your priorities")),
        ]
        if not self.data.priorities:
            story.append(self.label(self._("The group recorded no priorities in this session."),
                                    styles.body))
            return story
        story.append(self.label(self._(
            "In the order the group ranked them. Each shows what you agreed to do, then "
            "lessons from the neighbourhoods of the Neighbourhood Resilience Programme."),
            styles.body))
        for priority in self.data.priorities:
            story += self.priority(priority)
        return story

    def priority(self, priority: HandoutPriority) -> list[Flowable]:
        styles, size = self.styles, self.layout.size
        rank_width = size * (2.6 if priority.rank < 100 else 3.4)
        heading = _RankedHeading(
            priority.rank,
            [text_flowable(priority.title, self.priority_title), self.meta_line(priority)],
            rank_width, size * 0.8, size, self.priority_mark(priority),
        )
        # A conditional break, not KeepTogether: it keeps the heading off the foot of a page
        # without wrapping everything twice.
        story: list[Flowable] = [CondPageBreak(size * 14), Spacer(1, size * 0.6), heading,
                                 Spacer(1, size * 0.45)]
        if priority.domains:
            story.append(domain_chips(priority.domains, self.meta, speaker=self.speaker))
        if priority.description.strip():
            story.append(text_flowable(priority.description, styles.body))
        story += self.actions(priority)
        story += self.lessons(priority)
        story.append(Spacer(1, size * 0.5))
        story.append(HRFlowable(width="100%", thickness=0.8, color=RULE_GREY,
                                spaceBefore=size * 0.3, spaceAfter=size * 0.3))
        return story

    def priority_mark(self, priority: HandoutPriority) -> Mark:
        return Mark(f"priority-{priority.rank}",
                    f"{priority.rank}. {outline_title(priority.title)}", 1, self.pages)

    def meta_line(self, priority: HandoutPriority) -> Flowable:
        votes = self.ngettext("{n} vote", "{n} votes", priority.votes)
        if priority.group and priority.group.strip():
            return labelled_flowable(f"{votes}  ·  {self._('Table group:')}", priority.group,
                                     self.meta, self.rtl)
        return self.words(f"<b>{escape(votes)}</b>", self.meta)

    def actions(self, priority: HandoutPriority) -> list[Flowable]:
        styles, size = self.styles, self.layout.size
        heading = self.label(self._("What we will do"), self.subheading)
        if not priority.actions:
            return [CondPageBreak(size * 5), heading, self.label(self._(
                "No action written down yet. There is room to add one under “What happens "
                "next” at the end."), styles.small)]
        story: list[Flowable] = [CondPageBreak(size * 7), heading]
        for action in priority.actions:
            content = [text_flowable(action.what, self.action_what)]
            if action.who.strip() or action.when.strip():
                content.append(labelled_parts([(self._("Who:"), action.who),
                                               (self._("By when:"), action.when)],
                                              self.action_detail, rtl=self.rtl))
            story.append(_Bulleted(content, size * 1.4, size))
        return story

    def _action_widths(self, shares: list[float]) -> list[float]:
        return [self.width * share for share in shares]

    def lessons(self, priority: HandoutPriority) -> list[Flowable]:
        styles, size = self.styles, self.layout.size
        story: list[Flowable] = [CondPageBreak(size * 12)]
        if priority.lessons_source == "linked":
            story.append(self.label(self._("Lessons the group linked"), self.subheading))
        elif priority.lessons_source == "suggested":
            story.append(self.label(self._("Suggested lessons"), self.subheading))
            story.append(self.label(self._(
                "Picked by NRP Desktop from the priority’s words and domains; the group did "
                "not link these by hand."), self.explain))
        else:
            story.append(self.label(self._("Lessons"), self.subheading))
            story.append(self.label(self._(
                "No lesson in this edition of the programme’s learning fits this priority "
                "closely, so none is shown here rather than a poor match."), styles.body))
        for slug in priority.missing_lessons:
            story.append(self.label(self._(
                "The linked lesson “{slug}” is not in this edition of the content, so it is "
                "left out.").format(slug=slug), self.explain))
        for index, lesson in enumerate(priority.lessons):
            if index:
                story.append(CondPageBreak(size * 8))  # a lesson's title stays with its words
            story += self.lesson(lesson, priority)
        return story

    def lesson(self, lesson: HandoutLesson, priority: HandoutPriority, brief: bool = False
               ) -> list[Flowable]:
        """The lesson the first time it is printed; later, its title and where it is printed.
        `brief` gives only the first sentence or two of the summary."""
        if lesson.slug in self.lesson_printed_under:
            return [self.lesson_reference(lesson)]
        self.lesson_printed_under[lesson.slug] = priority.rank
        title = _RuledParagraph(escape(lesson.title), self.lesson_title)
        title.mark = Mark(f"lesson-{lesson.slug}", pages=self.pages)
        parts: list[Flowable] = [
            title,
            _RuledParagraph(escape(first_sentences(lesson.summary) if brief else lesson.summary),
                            self.lesson_summary),
        ]
        if lesson.neighbourhoods:
            names = lesson.neighbourhoods
            if brief and len(names) > BRIEF_PLACES:  # the full handout names them all
                shown = [*names[:BRIEF_PLACES],
                         self.ngettext("and {n} more", "and {n} more", len(names) - BRIEF_PLACES)]
            else:
                shown = list(names)
            places = "; ".join(escape(name) for name in shown)
            learned = f"<b>{escape(self._('Learned in:'))}</b> {places}"
            parts.append(self.words(learned, self.lesson_places) if has_rtl(learned)
                         else _RuledParagraph(learned, self.lesson_places))
        return parts

    def lesson_reference(self, lesson: HandoutLesson) -> Flowable:
        rank = self.lesson_printed_under[lesson.slug]

        def words() -> Flowable:  # made when laid out, by when the lesson's page is known
            page = self.pages.get(f"lesson-{lesson.slug}")
            numbers = {"rank": self.speaker.format_number(rank),
                       "page": self.speaker.format_number(page) if page else ""}
            where = (self._("printed in full above, with priority {rank}, page {page}.") if page
                     else self._("printed in full above, with priority {rank}.")).format(**numbers)
            text = f"<b>{escape(lesson.title)}</b>: {escape(where)}"
            return self.words(text, self.back_reference) if has_rtl(text) \
                else _RuledParagraph(text, self.back_reference)

        return LateParagraph(words)

    # What happens next

    def next_steps(self) -> list[Flowable]:
        styles = self.styles
        story: list[Flowable] = [
            PageBreak(),
            self.section_heading("next-steps", self._("What happens next")),
            self.label(self._("Every action the group agreed, in one place. Tick them off as "
                              "they are done, and use the empty rows to write new ones."),
                       styles.body),
        ]
        story += self.next_steps_tables(self.data.priorities)
        return story

    # The short handout: what we decided and what happens next, on one or two pages

    def short_story(self) -> list[Flowable]:
        data, styles, size = self.data, self.styles, self.layout.size
        facts = [_long_date(data.date, self.speaker)]
        facts += [value for value in (data.venue, data.neighbourhood) if value.strip()]
        if data.participants is not None:
            facts.append(self.ngettext("{n} person", "{n} people", data.participants))
        story: list[Flowable] = [
            kicker(self._("Workshop summary"), self.layout, self.rtl),
            self.section_heading("summary", self._(SHORT_TITLE), styles.h1.clone(
                "short_title", spaceBefore=0)),
            text_flowable(data.title, styles.h3.clone("session_title", spaceBefore=0)),
            text_flowable("  ·  ".join(" ".join(fact.split()) for fact in facts), self.meta,
                          "rtl" if self.rtl else None),
        ]
        if self.speaker.code != "en":
            story.append(self.english_content_note())
        if data.ratings:
            scores = "  ·  ".join(
                f"{escape(self._(domain.name))} <b>{data.ratings[domain.slug]}</b>"
                if domain.slug in data.ratings
                else f"{escape(self._(domain.name))} {escape(self._('not rated'))}"
                for domain in DOMAINS)
            lead = escape(self._("How we rated the domains"))
            scale = escape(self._("(1 a lot to improve, 7 little to improve):"))
            story.append(self.words(f"<b>{lead}</b> {scale} {scores}", self.explain))
        story.append(HRFlowable(width="100%", thickness=0.8, color=RULE_GREY,
                                spaceBefore=size * 0.3, spaceAfter=size * 0.2))
        story.append(self.section_heading("decided", self._("What we decided"), styles.h2))
        if not data.priorities:
            story.append(self.label(self._("The group recorded no priorities in this session."),
                                    styles.body))
        for priority in data.priorities:
            story += self.short_priority(priority)
        story += [
            CondPageBreak(size * 10),
            self.section_heading("next-steps", self._("What happens next"), styles.h2),
            self.label(self._("Every action the group agreed. Tick them off as they are done."),
                       self.explain),
        ]
        story += self.next_steps_tables(data.priorities, blank_rows=SHORT_BLANK_ACTION_ROWS,
                                        every_priority=False)
        return story

    def short_priority(self, priority: HandoutPriority) -> list[Flowable]:
        size = self.layout.size
        title = self.styles.h4.clone("short_priority_title", spaceBefore=0,
                                     spaceAfter=size * 0.15, keepWithNext=0)
        content = [text_flowable(priority.title, title)]
        group = (priority.group or "").strip()
        # Votes, table group and domains on one line (on their own lines in large print).
        if priority.domains and not has_rtl(group) and not self.layout.large and not self.rtl:
            votes = escape(self.ngettext("{n} vote", "{n} votes", priority.votes))
            parts = [f"<b>{votes}</b>"]
            if group:
                parts.append(f"<b>{escape(self._('Table group:'))}</b> {plain_markup(group)}")
            chips = domain_chips(priority.domains, self.meta, speaker=self.speaker).text
            content.append(Paragraph(f"{NBSP * 2}·{NBSP * 2}".join([*parts, chips]), self.meta))
        else:
            content.append(self.meta_line(priority))
            if priority.domains:
                content.append(domain_chips(priority.domains, self.meta, speaker=self.speaker))
        heading = _RankedHeading(priority.rank, content,
                                 size * (2.2 if priority.rank < 100 else 3.0), size * 0.6,
                                 size * 0.8, self.priority_mark(priority))
        together: list[Flowable] = [heading]
        if priority.lessons:  # the best one, in short: the full handout has it all
            together += self.lesson(priority.lessons[0], priority, brief=True)
        else:
            together.append(self.label(self._(
                "No lesson in the programme’s learning fits this priority closely."),
                self.explain))
        # A few lines: kept whole on one page (a lesson away from its priority reads wrong).
        return [Spacer(1, size * 0.15), KeepTogether(together), Spacer(1, size * 0.2)]

    def next_steps_tables(self, priorities: Sequence[HandoutPriority],
                          blank_rows: int = BLANK_ACTION_ROWS, every_priority: bool = True
                          ) -> list[Flowable]:
        """Every action in a table of What / Who / By when / Done, priority by priority, and
        empty rows for new ones. `every_priority=False` leaves out priorities without actions
        (the short handout, where the empty rows at the end serve them)."""
        # One table per priority, in the same columns, so they read as one table; a priority's
        # head row comes again at the top of a page its rows run onto.
        story: list[Flowable] = []
        first = True
        for priority in priorities:
            if not (every_priority or priority.actions):
                continue

            def head(priority: HandoutPriority = priority, with_header: bool = first
                     ) -> list[list[object]]:
                group = [labelled_flowable(f"{priority.rank}.", priority.title, self.cell_bold,
                                           self.rtl), "", "", ""]
                return [self._next_steps_header(), group] if with_header else [group]

            body: list[tuple[list[object], float | None]] = [
                (self.row([text_flowable(action.what, self.cell),
                           text_flowable(action.who, self.cell),
                           text_flowable(action.when, self.cell), ""]), None)
                for action in priority.actions
            ]
            if not priority.actions:  # a row to write the first action in
                body.append((["", "", "", ""], self.layout.write_row_height))
            story.append(self._next_steps_block(head, body, has_header=first))
            first = False
        if blank_rows:
            def blank_head(with_header: bool = first) -> list[list[object]]:
                group = self.row([self.label(self._("New actions"), self.cell_bold), "", "", ""])
                # No priorities at all: the column names go on the blank rows.
                return [self._next_steps_header(), group] if with_header else [group]

            body = [(["", "", "", ""], self.layout.write_row_height)] * blank_rows
            block = self._next_steps_block(blank_head, body, has_header=first)
            # In the short handout, rows to write in never start a page of their own.
            story.append(OnlyIfRoom(block) if not every_priority and not first else block)
        return story

    def _next_steps_header(self) -> list[object]:
        return self.row([self.label(self._(label), self.cell_bold)
                         for label in (N_("What"), N_("Who"), N_("By when"), N_("Done"))])

    def _next_steps_block(self, head: Callable[[], list[list[object]]],
                          body: list[tuple[list[object], float | None]],
                          has_header: bool) -> Flowable:
        """One priority's rows as a column of short tables (see ChunkedTable)."""
        head_rows = head()
        group_row = len(head_rows) - 1

        def head_again() -> Table:  # for the top of a page the rows run onto: column names too
            rows = head()
            if not has_header:
                rows.insert(0, self._next_steps_header())
            return self._next_steps_table(rows, [None] * len(rows), len(rows) - 1, True)

        chunks: list[Table] = []
        for start in range(0, len(body), TABLE_CHUNK_ROWS):
            part = body[start:start + TABLE_CHUNK_ROWS]
            rows = [cells for cells, _ in part]
            heights = [height for _, height in part]
            if start == 0:
                # The head never stays alone at the foot of a page: it repeats with its rows.
                chunks.append(self._next_steps_table(
                    head_rows + rows, [None] * len(head_rows) + heights, group_row, has_header,
                    repeat=len(head_rows)))
            else:
                chunks.append(self._next_steps_table(rows, heights, None, False))
        return ChunkedTable(chunks, head_again)

    def _next_steps_table(self, rows: list[list[object]], heights: list[float | None],
                          group_row: int | None, has_header: bool, repeat: int = 0) -> Table:
        commands: list[tuple] = [("GRID", (0, 0), (-1, -1), 0.5, RULE_GREY)]
        if group_row is not None:
            commands += [
                ("SPAN", (0, group_row), (-1, group_row)),
                ("BACKGROUND", (0, group_row), (-1, group_row), GROUP_FILL),
            ]
        if has_header:
            commands.append(("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL))
        padding = self.layout.padding
        # Large print needs wider narrow columns, or "Christmas" and "Done" break mid-word.
        shares = [0.4, 0.24, 0.22, 0.14] if self.layout.large else [0.5, 0.22, 0.17, 0.11]
        table = Table(rows, colWidths=self.row(self._action_widths(shares)), rowHeights=heights,
                      hAlign="LEFT", repeatRows=repeat)
        table.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), padding),
            ("RIGHTPADDING", (0, 0), (-1, -1), padding),
            ("TOPPADDING", (0, 0), (-1, -1), padding * 0.75),
            ("BOTTOMPADDING", (0, 0), (-1, -1), padding),
            ("FONTNAME", (0, 0), (-1, -1), SANS),
            ("FONTSIZE", (0, 0), (-1, -1), self.layout.size),
            *commands,
        ]))
        return table

def build_handout_pdf(data: HandoutData, options: HandoutOptions | None = None) -> bytes:
    """The session handout as PDF bytes (A4 unless options say Letter; large print on request)."""
    register_fonts()
    options = options or HandoutOptions()
    builder = _HandoutBuilder(data, options)
    footer = f"{' '.join(data.title.split())}  ·  {_long_date(data.date, builder.speaker)}"
    subject = builder._(SHORT_TITLE) if options.short else builder._("Workshop handout")
    return render_pdf(builder.story(), title=data.title, subject=subject,
                   language=builder.speaker.code, footer_text=footer, options=options,
                   layout=builder.layout, last_page_note=builder.provenance(),
                   speaker=builder.speaker)


# --- one case study --------------------------------------------------------------------------


def build_case_study_pdf(case_study: CaseStudy, library: ContentLibrary,
                         options: HandoutOptions | None = None) -> bytes:
    """A one- or two-page handout of one neighbourhood's case study, from the library.

    Normal print sets the account in two columns: its many short list items would leave half of
    every line empty across the full width, and a third page. Large print keeps one column
    and takes the pages it needs.
    """
    register_fonts()
    options = options or HandoutOptions()
    layout = layout_for(options)
    if not options.large_print:
        layout = Layout(make_text_styles(size=10.5, line_height=1.25, space=0.6), False,
                         footer_size=8.5, compass_size=9, padding=4, write_row_height=10 * mm)
    styles = layout.text
    size = layout.size
    story: list[Flowable] = [
        kicker("Neighbourhood Resilience Programme · case study", layout),
        Paragraph(escape(case_study.title), styles.title),
    ]
    facts = [part for part in (case_study.place, case_study.council) if part]
    if facts:
        story.append(Paragraph(escape(" · ".join(facts)), styles.body.clone(
            "facts", textColor=MUTED, spaceAfter=size * 0.3)))
    if case_study.topic:
        story.append(Paragraph(f"<b>Topic:</b> {escape(case_study.topic)}", styles.body))
    if case_study.domains:
        story.append(domain_chips(case_study.domains, styles.body))
    story.append(HRFlowable(width="100%", thickness=0.8, color=RULE_GREY,
                            spaceBefore=size * 0.2, spaceAfter=size * 0.6))
    if case_study.summary:
        story.append(Paragraph(escape(case_study.summary),
                               styles.body.clone("lead", fontName=SANS_BOLD)))
    body: list[Flowable] = []
    sources: list[Flowable] = []  # full width, where long web addresses fit on a line
    for heading, html in html_sections(case_study.html):
        if heading.strip().lower() == "sources":
            small = make_text_styles(size=size * 0.8, line_height=1.25 if not layout.large
                                     else 1.5, space=0.4)
            sources.append(Paragraph(escape(heading), styles.h3))
            sources += html_to_flowables(html, small)
            continue
        if heading:
            body.append(Paragraph(escape(heading), styles.h2))
        body += html_to_flowables(html, styles)
    if layout.large:
        story += body
    else:
        story.append(BalancedColumns(body, nCols=2, spaceBefore=0, spaceAfter=0,
                                     innerPadding=size * 0.9))
    story += sources
    # The edition goes in the footer: a line of its own can push a page-two text onto page three.
    footer = f"{case_study.title}  ·  {APP_NAME}, content edition {library.version}"
    return render_pdf(story, title=case_study.title, subject="Case study", language="en",
                   footer_text=footer, options=options, layout=layout)
