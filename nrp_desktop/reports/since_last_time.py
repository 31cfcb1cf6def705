""""Since last time" on paper (contract.md §5.1): the section a follow-up session's handout
carries. Every carried action with its state and progress, then the compass of both sessions
and the change per domain.

Black-and-white safe: a state is a word in bold (never a colour alone), the change a signed
number with "better"/"worse" spelled out. Large print stacks the two compasses instead of
setting them side by side, so each keeps a readable size.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextvars import ContextVar
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, Table, TableStyle

from nrp_desktop.domain.domains import domain_by_slug
from nrp_desktop.domain.session import RATING_MAX
from nrp_desktop.domain.since_last_time import CarriedActionLine, DomainChange, SinceLastTime
from nrp_desktop.i18n import N_, Speaker
from nrp_desktop.reports.compass import compass_drawing
from nrp_desktop.reports.document import HEADER_FILL, RULE_GREY
from nrp_desktop.reports.flowables import own_words
from nrp_desktop.reports.fonts import SANS, SANS_BOLD
from nrp_desktop.reports.markup import (
    TextStyles,
    labelled_flowable,
    labelled_parts,
    text_flowable,
)

STATUS_WORDS = {  # marked for the catalogue; translated where printed
    "agreed": N_("Not started yet"),
    "started": N_("Started"),
    "done": N_("Done"),
    "dropped": N_("Dropped"),
}


# The section's language: set by since_last_time_story for the document it is part of (a
# context variable, so a handout built off the window's thread speaks its own).
_SPEAKER: ContextVar[Speaker] = ContextVar(  # a Speaker is frozen: safe to share
    "since_last_time_speaker", default=Speaker("en"))  # noqa: B039


def _(message: str) -> str:
    return _SPEAKER.get().gettext(message)


def _words(markup: str, style: ParagraphStyle) -> Flowable:
    return own_words(markup, style, _SPEAKER.get().rtl)


def status_word(status: str) -> str:
    """The state's word, untranslated (the printouts translate it)."""
    return STATUS_WORDS.get(status, status)


def change_words(change: DomainChange) -> str:
    if change.then is None and change.now is None:
        return _("not rated")
    if change.then is None:
        return _("not rated last time")
    if change.now is None:
        return _("not rated this time")
    difference = change.now - change.then
    if difference == 0:
        return _("no change")
    sign = "+" if difference > 0 else "−"  # a real minus sign, not a hyphen
    better = _("better") if difference > 0 else _("worse")
    return f"{sign}{abs(difference)} ({better})"


def _score(value: int | None) -> str:
    return "—" if value is None else _("{score} of {most}").format(score=value, most=RATING_MAX)


def _date(day: dt.date | None) -> str:
    return _SPEAKER.get().format_date(day) if day is not None else ""


def since_last_time_story(
    section: SinceLastTime | None, styles: TextStyles, width: float, compass_size: float, large: bool,
    speaker: Speaker | None = None,
) -> list[Flowable]:
    """The section's flowables, in `speaker`'s language (None: English); none when the session
    follows no other."""
    if section is None:
        return []
    token = _SPEAKER.set(speaker or Speaker("en"))
    try:
        return _story(section, styles, width, compass_size, large)
    finally:
        _SPEAKER.reset(token)


def _story(section: SinceLastTime, styles: TextStyles, width: float, compass_size: float,
           large: bool) -> list[Flowable]:
    size = styles.size
    padding = size * 0.4
    cell = styles.body.clone("slt_cell", spaceAfter=0)
    cell_bold = styles.body.clone("slt_cell_bold", fontName=SANS_BOLD, spaceAfter=0)
    # Large print keeps every line at the body's size: the details are read too.
    detail = (styles.body if large else styles.small).clone("slt_detail", spaceAfter=0)
    note = styles.body if large else styles.small

    def table(rows: list[list[object]], widths: list[float]) -> Table:
        built = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
        built.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), padding),
            ("RIGHTPADDING", (0, 0), (-1, -1), padding),
            ("TOPPADDING", (0, 0), (-1, -1), padding * 0.75),
            ("BOTTOMPADDING", (0, 0), (-1, -1), padding),
            ("FONTNAME", (0, 0), (-1, -1), SANS),
            ("FONTSIZE", (0, 0), (-1, -1), size),
            ("GRID", (0, 0), (-1, -1), 0.5, RULE_GREY),
            ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ]))
        return built

    rtl = _SPEAKER.get().rtl
    story: list[Flowable] = [CondPageBreak(size * 14), _words(escape(_("Since last time")), styles.h1)]
    if section.previous_known:
        # In brackets: a title ending in "?" or "." reads badly before a comma.
        held = " " + _("(held on {date})").format(date=_date(section.previous_date)) \
            if section.previous_date else ""
        story.append(labelled_flowable(_("This session follows:"), f"{section.previous_title}{held}",
                                       styles.body, rtl))
    else:
        story.append(_words(escape(_(
            "This session follows an earlier one that is not stored on this computer, so its "
            "compass cannot be shown here.")), styles.body))

    # The actions ------------------------------------------------------------------------------
    story.append(_words(escape(_("What we said we would do, and what happened")), styles.h2))
    if not section.actions:
        story.append(_words(escape(_("No action was carried over from last time.")), styles.body))
    else:
        counts = section.counts
        story.append(_words(
            escape(", ".join(f"{counts[s]} {_(status_word(s)).lower()}" for s in STATUS_WORDS)) + ".",
            styles.body))
        story.append(_actions_table(section.actions, width, cell, cell_bold, detail, table, large))

    # The compasses ----------------------------------------------------------------------------
    story.append(CondPageBreak(size * 16))
    story.append(_words(escape(_("How the compass moved")), styles.h2))
    story.append(_words(escape(_(
        "Each domain is scored from 1 (a lot to improve) to 7 (little to improve). A change "
        "above 0 means the group sees less to improve than last time.")), note))
    story.append(_change_table(section, width, cell, cell_bold, table))
    story.append(Spacer(1, size * 0.6))
    now_date = f" ({_date(section.date)})" if section.date else ""
    if section.previous_known:
        then_date = f" ({_date(section.previous_date)})" if section.previous_date else ""
        legend = _("Grey shape and solid line: now{now}. Dashed line and open dots: then{then}. "
                   "The scores by each domain's name are today's.").format(now=now_date, then=then_date)
        previous = section.previous_ratings
    else:
        legend = _("The grey shape: now{now}.").format(now=now_date)
        previous = None
    story.append(KeepTogether([
        compass_drawing(section.ratings, width, compass_size, previous=previous, speaker=_SPEAKER.get()),
        _words(escape(legend), note),
    ]))
    return story


TableMaker = Callable[[list[list[object]], list[float]], Table]


def _actions_table(actions: tuple[CarriedActionLine, ...], width: float, cell: ParagraphStyle,
                   cell_bold: ParagraphStyle, detail: ParagraphStyle, table: TableMaker,
                   large: bool) -> Table:
    if large:
        shares = [0.6, 0.4]
    else:
        # The state column fits its longest word on one line ("Not started yet"), whatever the size.
        longest = max(stringWidth(_(word), cell_bold.fontName, cell_bold.fontSize)
                      for word in STATUS_WORDS.values())
        state_share = min(0.3, max(0.18, (longest + cell_bold.fontSize * 1.2) / width))
        shares = [0.44, state_share, 0.56 - state_share]
    header = [_("What we agreed"), _("State"), _("What happened")]
    rows: list[list[object]] = []
    if large:
        rows.append([_words(escape(_("What we agreed")), cell_bold),
                     _words(escape(_("State and what happened")), cell_bold)])
    else:
        rows.append([_words(escape(label), cell_bold) for label in header])
    rtl = _SPEAKER.get().rtl
    for line in actions:
        agreed: list[Flowable] = [text_flowable(line.what, cell)]
        parts = [(_("For:"), line.priority_title), (_("Who:"), line.who), (_("By when:"), line.when)]
        agreed.append(labelled_parts(parts, detail, rtl=rtl))
        state = [_words(escape(_(status_word(line.status))), cell_bold)]
        if line.updated is not None:
            state.append(_words(escape(_("since {date}").format(date=_date(line.updated))), detail))
        # Large print: under the state in one cell, a gap sets what happened apart from its date.
        happened_style = cell.clone("slt_happened", spaceBefore=cell.fontSize * 0.5) if large else cell
        happened = [text_flowable(line.progress, happened_style)] if line.progress.strip() else [
            _words(escape(_("Nothing written down yet.")), detail)]
        rows.append([agreed, state + happened] if large else [agreed, state, happened])
    return table(rows, [width * share for share in shares])


def _change_table(section: SinceLastTime, width: float, cell: ParagraphStyle,
                  cell_bold: ParagraphStyle, table: TableMaker) -> Table:
    rows: list[list[object]] = [[_words(escape(_(label)), cell_bold) for label in
                                 (N_("Domain"), N_("Then"), N_("Now"), N_("Change"))]]
    for change in section.domains:
        rows.append([
            _words(escape(_(domain_by_slug(change.slug).name)), cell),
            _words(escape(_score(change.then)), cell),
            _words(escape(_score(change.now)), cell),
            _words(escape(change_words(change)), cell_bold if change.change else cell),
        ])
    return table(rows, [width * share for share in (0.4, 0.17, 0.17, 0.26)])
