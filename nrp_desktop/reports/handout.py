"""The printed handout (reportlab Platypus): what the group decided and what other
neighbourhoods learned about it, laid out to print cleanly on a black-and-white printer.

The layout takes plain data (`nrp_desktop.domain.handout`); choosing the lessons is the handout
service's job. The group's own words come first in each priority, the programme's lessons after,
set off by a grey rule. Every font is a bundled one, embedded in the file.
"""

from __future__ import annotations

import dataclasses
import re
from typing import TypeVar
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    HRFlowable,
    KeepTogether,
    PageBreak,
    Spacer,
    Table,
    TableStyle,
)

from nrp_desktop import APP_NAME, __version__
from nrp_desktop.domain.domains import DOMAINS
from nrp_desktop.domain.handout import (
    HandoutData,
    HandoutLesson,
    HandoutOptions,
    HandoutPriority,
)
from nrp_desktop.i18n import N_, Speaker, is_translated
from nrp_desktop.reports.bidi import has_rtl
from nrp_desktop.reports.compass import compass_drawing
from nrp_desktop.reports.document import (
    HEADER_FILL,
    LIGHT_RULE,
    MARGIN,
    NBSP,
    RULE_GREY,
    layout_for,
    page_size_for,
    render_pdf,
    right_aligned,
)
from nrp_desktop.reports.flowables import (
    Bulleted,
    LateParagraph,
    Mark,
    RankedHeading,
    RowsToWriteIn,
    RuledParagraph,
    domain_chips,
    kicker,
    marked_paragraph,
    own_words,
    styled_table,
)
from nrp_desktop.reports.fonts import SANS, SANS_BOLD, register_fonts
from nrp_desktop.reports.markup import (
    MUTED,
    Paragraph,
    labelled_flowable,
    labelled_parts,
    plain_markup,
    text_flowable,
)
from nrp_desktop.reports.next_steps import NextStepsTables
from nrp_desktop.reports.since_last_time import since_last_time_story
from nrp_desktop.reports.wording import long_date

# The extraction cannot look inside f-strings: the texts this module asks for inside one
# are marked here too (the pseudo-language test fails on any that reach no translator).
_ASKED_IN_F_STRINGS = (
    N_("Table group:"),
    N_("Learned in:"),
    N_("not rated"),
)

_Cell = TypeVar("_Cell")

SHORT_BLANK_ACTION_ROWS = 2
BRIEF_PLACES = 3  # neighbourhoods named under a lesson in the short handout
BRIEF_SUMMARY_WORDS = 20  # a lesson's summary in the short handout: its first sentence or two
SHORT_TITLE = N_("What we decided and what happens next")



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


# --- the session handout ---------------------------------------------------------------------


class _HandoutBuilder(NextStepsTables):
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
        self.brief_lesson = self.lesson_summary.clone("brief_lesson", spaceBefore=size * 0.3)
        # A list of places never leaves one line alone at the top of a page.
        self.lesson_places = self.styles.small.clone("lesson_places", leftIndent=indent,
                                                     spaceAfter=0, allowWidows=0)
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
        # The short handout with no room left for its empty rows says where to write instead.
        self.write_on_the_back = False
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
        story += since_last_time_story(self.data.since_last_time, self.styles, self.width,
                                       self.layout.compass_size, self.layout.large, self.speaker)
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
             self.label(long_date(data.date, self.speaker), self.cell)])
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
                                  speaker=self.speaker)
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
        heading = RankedHeading(
            priority.rank,
            [text_flowable(priority.title, self.priority_title), self.meta_line(priority)],
            rank_width, size * 0.8, size, self.priority_mark(priority), rtl=self.rtl,
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
            story.append(Bulleted(content, size * 1.4, size).set_direction(self.rtl))
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
        parts: list[Flowable]
        if brief:  # the title runs into its words: a line less under each priority
            title = RuledParagraph(f"<b>{escape(lesson.title)}</b>{NBSP}— "
                                   f"{escape(first_sentences(lesson.summary))}", self.brief_lesson)
            parts = [title]
        else:
            title = RuledParagraph(escape(lesson.title), self.lesson_title)
            parts = [title, RuledParagraph(escape(lesson.summary), self.lesson_summary)]
        title.mark = Mark(f"lesson-{lesson.slug}", pages=self.pages)
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
                         else RuledParagraph(learned, self.lesson_places))
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
                else RuledParagraph(text, self.back_reference)

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
        facts = [long_date(data.date, self.speaker)]
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
        # Straight under the rule: the rule is the room above it.
        story.append(self.section_heading("decided", self._("What we decided"),
                                          styles.h2.clone("decided", spaceBefore=size * 0.15)))
        if not data.priorities:
            story.append(self.label(self._("The group recorded no priorities in this session."),
                                    styles.body))
        for priority in data.priorities:
            story += self.short_priority(priority)
        # Where no room was left for even the line saying so (see build_handout_pdf), the words
        # before the tables say where to write new actions, in a line of about the same length.
        lead = (self._("Every action the group agreed. Tick them off when done; write new ones "
                       "on the back.") if self.write_on_the_back
                else self._("Every action the group agreed. Tick them off as they are done."))
        story += [
            CondPageBreak(size * 10),
            self.section_heading("next-steps", self._("What happens next"), styles.h2),
            self.label(lead, self.explain),
        ]
        story += self.next_steps_tables(
            data.priorities, blank_rows=0 if self.write_on_the_back else SHORT_BLANK_ACTION_ROWS,
            every_priority=False)
        if self.write_on_the_back:  # no rows, but where they would have gone (its page)
            self.rows_to_write_in = RowsToWriteIn([])
            story.append(self.rows_to_write_in)
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
        heading = RankedHeading(priority.rank, content,
                                 size * (2.2 if priority.rank < 100 else 3.0), size * 0.6,
                                 size * 0.8, self.priority_mark(priority), rtl=self.rtl)
        together: list[Flowable] = [heading]
        if priority.lessons:  # the best one, in short: the full handout has it all
            together += self.lesson(priority.lessons[0], priority, brief=True)
        else:
            together.append(self.label(self._(
                "No lesson in the programme’s learning fits this priority closely."),
                self.explain))
        # A few lines: kept whole on one page (a lesson away from its priority reads wrong).
        return [Spacer(1, size * 0.1), KeepTogether(together), Spacer(1, size * 0.15)]


def build_handout_pdf(data: HandoutData, options: HandoutOptions | None = None) -> bytes:
    """The session handout as PDF bytes (A4 unless options say Letter; large print on request)."""
    register_fonts()
    options = options or HandoutOptions()

    def render(write_on_the_back: bool = False) -> tuple[bytes, _HandoutBuilder]:
        builder = _HandoutBuilder(data, options)
        builder.write_on_the_back = write_on_the_back
        footer = f"{' '.join(data.title.split())}  ·  {long_date(data.date, builder.speaker)}"
        subject = builder._(SHORT_TITLE) if options.short else builder._("Workshop handout")
        pdf = render_pdf(builder.story(), title=data.title, subject=subject,
                         language=builder.speaker.code, footer_text=footer, options=options,
                         layout=builder.layout, last_page_note=builder.provenance(),
                         speaker=builder.speaker)
        return pdf, builder

    pdf, builder = render()
    rows = builder.rows_to_write_in
    if rows is not None and rows.left_out:
        # No room for an empty row, nor for the line saying where to write instead: once more,
        # with that said in the words before the tables, unless it costs a page.
        again, second = render(write_on_the_back=True)
        if second.rows_to_write_in is not None and second.rows_to_write_in.page <= rows.page:
            return again
    return pdf


