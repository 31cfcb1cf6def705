"""The page frame of every printed document: print sizes, paper, the shared colours and the
numbered footer, and `render_pdf`, which sets a story of flowables on those pages."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
)

from nrp_desktop import APP_NAME, __version__
from nrp_desktop.domain.handout import (
    HandoutOptions,
)
from nrp_desktop.i18n import Speaker
from nrp_desktop.reports.bidi import Line, draw_line, fit_line, has_rtl
from nrp_desktop.reports.fonts import SANS, has_emoji
from nrp_desktop.reports.markup import (
    MUTED,
    TextStyles,
    make_text_styles,
)

MARGIN = 18 * mm
RULE_GREY = colors.HexColor("#8C8C8C")
LIGHT_RULE = colors.HexColor("#BFBFBF")
HEADER_FILL = colors.HexColor("#E6E6E6")  # table heads: a light grey that prints as a tint
GROUP_FILL = colors.HexColor("#F2F2F2")
NBSP = "\u00a0"


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
    text = make_text_styles(size=12, line_height=1.2 if options.short else 1.35,
                            space=0.75 if options.short else 0.9)
    # The short handout's tables sit a little closer too: rows to write in 8 mm, as ruled paper.
    return Layout(text, False, footer_size=9, compass_size=9.5, padding=4,
                   write_row_height=(8 if options.short else 10) * mm)


def right_aligned(styles: TextStyles) -> TextStyles:
    """The same styles set from the right margin (a right-to-left language)."""
    import dataclasses

    from reportlab.lib.enums import TA_RIGHT

    changed = {name: getattr(styles, name).clone(f"{getattr(styles, name).name}_rtl", alignment=TA_RIGHT)
               for name in ("body", "small", "title", "h1", "h2", "h3", "h4", "quote", "list_item")}
    return dataclasses.replace(styles, **changed)


def page_size_for(options: HandoutOptions) -> tuple[float, float]:
    return cast(tuple[float, float], LETTER if options.paper == "letter" else A4)


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


