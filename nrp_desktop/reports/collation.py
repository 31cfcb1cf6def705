"""The collation printout (reportlab Platypus): the priorities of several sessions, from one or
many halls, added up, for a council officer or a residents' forum.

Same page frame, fonts and footer as the handout: every font bundled and embedded, greyscale
readable (domains by letter mark and name; the compasses in black lines and grey fill), and
"page N of M" on every page. The layout takes plain data (`nrp_desktop.domain.collation`);
grouping the priorities is the collate service's job.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import CondPageBreak, Flowable, Spacer, Table, TableStyle

from nrp_desktop.domain.collation import (
    CollatedPriority,
    CollatedSession,
    CollationReport,
    VoteMeasure,
)
from nrp_desktop.domain.handout import HandoutOptions, PaperSize
from nrp_desktop.i18n import N_, Speaker, speaker
from nrp_desktop.reports.bidi import ScriptParagraph, has_rtl
from nrp_desktop.reports.compass import compass_drawing
from nrp_desktop.reports.document import (
    GROUP_FILL,
    HEADER_FILL,
    LIGHT_RULE,
    MARGIN,
    NBSP,
    RULE_GREY,
    Layout,
    layout_for,
    page_size_for,
    render_pdf,
)
from nrp_desktop.reports.flowables import TableCommand, domain_chips, kicker, own_words, styled_table
from nrp_desktop.reports.fonts import SANS, SANS_BOLD, register_fonts
from nrp_desktop.reports.markup import Paragraph, labelled_flowable, plain_markup, text_flowable
from nrp_desktop.reports.since_last_time import status_word

# The extraction cannot look inside f-strings: the texts this module asks for inside one
# are marked here too (the pseudo-language test fails on any that reach no translator).
_ASKED_IN_F_STRINGS = (
    N_("Not decided yet:"),
)

# Compasses per row. Three a row would set the domain names below 7 pt and shrink each radar
# to a thumbnail: too small for a black-and-white printout read at arm's length.
COMPASSES_PER_ROW = 2
LRM = "\u200e"  # LEFT-TO-RIGHT MARK


def collation_title(sessions: int, speaker: Speaker | None = None) -> str:
    return (speaker or Speaker("en")).ngettext(
        "Priorities across {n} session", "Priorities across {n} sessions", sessions)


def _date_range(report: CollationReport, speaker: Speaker | None = None) -> str:
    speaker = speaker or Speaker("en")
    first, last = report.first_date, report.last_date
    if first is None or last is None:
        return ""
    if first == last:
        return speaker.format_date(first)
    return speaker.gettext("{first} to {last}").format(
        first=speaker.format_date(first), last=speaker.format_date(last))


class _CollationBuilder:
    def __init__(self, report: CollationReport, options: HandoutOptions,
                 measure: VoteMeasure = "votes") -> None:
        self.report = report
        self.speaker = speaker()  # the window's or the command line's language
        self.measure = report.measure_shown(measure)
        self.asked_for = measure
        self.layout: Layout = layout_for(options)
        self.styles = self.layout.text
        self.width = page_size_for(options)[0] - 2 * MARGIN
        size = self.layout.size
        cell_size = round(size * 0.93, 1)  # a five-column table needs a little less than body
        self.cell = self.styles.body.clone("collation_cell", fontSize=cell_size,
                                           leading=round(cell_size * 1.35, 1), spaceAfter=0)
        self.cell_bold = self.cell.clone("collation_cell_bold", fontName=SANS_BOLD)
        self.cell_note = self.styles.small.clone("collation_cell_note", spaceBefore=size * 0.2,
                                                 spaceAfter=0)
        self.cell_tag = self.cell_note.clone("collation_tag", fontName=SANS_BOLD,
                                             textColor=colors.HexColor("#1A1A1A"))
        self.votes_cell = self.cell.clone("collation_votes", fontName=SANS_BOLD,
                                          fontSize=size * 1.2, leading=size * 1.5, alignment=2)
        self.compass_label = self.styles.body.clone("compass_label", fontName=SANS_BOLD,
                                                    spaceAfter=0, alignment=1)
        self.compass_caption = self.styles.small.clone("compass_caption", spaceAfter=0,
                                                       alignment=1)
        self.explain = self.styles.body.clone("explain")

    def _(self, message: str) -> str:
        return self.speaker.gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return self.speaker.ngettext(singular, plural, count)

    def words(self, markup: str, style: ParagraphStyle) -> Flowable:
        return own_words(markup, style, self.speaker.rtl)

    def label(self, text: str, style: ParagraphStyle) -> Flowable:
        return own_words(escape(text), style, self.speaker.rtl)

    def _votes(self, count: int) -> str:
        return self.ngettext("{n} vote", "{n} votes", count)

    def _per_person(self, value: float) -> str:
        return self._("{share} a person").format(share=f"{value:.2f}")

    def story(self) -> list[Flowable]:
        story = self.header()
        story += self.priorities()
        if self.report.sessions:
            story += self.compasses()
        story += self.actions()
        return story

    # The sessions ------------------------------------------------------------------------

    def header(self) -> list[Flowable]:
        report, styles, size = self.report, self.styles, self.layout.size
        story: list[Flowable] = [
            kicker(self._("Workshop sessions brought together"), self.layout, self.speaker.rtl),
            self.label(collation_title(len(report.sessions), self.speaker), styles.title),
        ]
        if report.sessions:
            dates = _date_range(report, self.speaker)
            held = self._("Held on {dates}") if report.first_date == report.last_date \
                else self._("Held {dates}")
            held = held.format(dates=dates)
            halls = len(dict.fromkeys(session.hall for session in report.sessions))
            if halls > 1:
                held += self.ngettext(", in {n} hall", ", in {n} halls", halls)
            people = report.participants
            if people is not None:
                held += " · " + self.ngettext("{n} person took part", "{n} people took part", people)
            story.append(self.label(held, styles.body))
        if not report.sessions:
            story.append(self.label(self._("No sessions were chosen, so there is nothing to add up."),
                                    styles.body))
            return story
        story.append(self.label(self._("The sessions"), styles.h2))
        header: list[object] = [self.label(self._(label), self.cell_bold)
                                for label in (N_("Hall"), N_("Session"), N_("Date"), N_("People"))]
        rows: list[list[object]] = [header]
        for session in report.sessions:
            people_text = "" if session.participants is None else str(session.participants)
            rows.append([text_flowable(session.hall, self.cell_bold),
                         text_flowable(session.title, self.cell),
                         self.label(self.speaker.format_date(session.date), self.cell),
                         self.label(people_text or self._("not counted"), self.cell if people_text
                                    else self.cell_note)])
        shares = [0.27, 0.38, 0.22, 0.13]
        story.append(styled_table(rows, [self.width * share for share in shares], [
            ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
            ("LINEBELOW", (0, 0), (-1, -1), 0.5, LIGHT_RULE),
            ("LINEABOVE", (0, 0), (-1, 0), 0.8, RULE_GREY),
            ("LINEBELOW", (0, -1), (-1, -1), 0.8, RULE_GREY),
        ], self.layout, repeat=1))
        if report.undecided_proposals:
            count = report.undecided_proposals
            which = self.ngettext(
                "one pair of priorities looks alike, but nobody has said whether they are the "
                "same priority.",
                "{n} sets of priorities look alike, but nobody has said whether they are the "
                "same priority.", count)
            rest = self._("Until someone does, they are counted apart here. Decide them on the "
                          "“Compare sessions” screen and print again to add their votes together.")
            story.append(Spacer(1, size * 0.6))
            story.append(self._boxed(self.words(
                f"<b>{escape(self._('Not decided yet:'))}</b> {escape(which)} {escape(rest)}",
                self.cell)))
        story.append(Spacer(1, size * 0.6))
        return story

    def _boxed(self, flowable: Flowable) -> Table:
        padding = self.layout.padding * 1.5
        box = Table([[flowable]], colWidths=[self.width], hAlign="LEFT")
        box.setStyle(TableStyle([
            ("BOX", (0, 0), (-1, -1), 1.2, colors.HexColor("#1A1A1A")),
            ("LINEBEFORE", (0, 0), (0, -1), 5, colors.HexColor("#1A1A1A")),
            ("BACKGROUND", (0, 0), (-1, -1), GROUP_FILL),
            ("FONTNAME", (0, 0), (-1, -1), SANS),
            ("LEFTPADDING", (0, 0), (-1, -1), padding + 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), padding),
            ("TOPPADDING", (0, 0), (-1, -1), padding),
            ("BOTTOMPADDING", (0, 0), (-1, -1), padding),
        ]))
        return box

    # The priorities ----------------------------------------------------------------------

    def priorities(self) -> list[Flowable]:
        styles = self.styles
        heading = (self._("Priorities, most votes a person first")
                   if self.measure == "per_participant" else self._("Priorities, most votes first"))
        story: list[Flowable] = [CondPageBreak(self.layout.size * 12),
                                 self.label(heading, styles.h1)]
        priorities = self.report.priorities
        if not priorities:
            if self.report.sessions:
                story.append(self.label(self._("These sessions recorded no priorities."),
                                        styles.body))
            return story
        story.append(self.words(self._measure_words(), self.explain))
        story.append(self.label(self._(
            "Priorities that several halls raised in the same words are counted as one, and so "
            "are those someone decided were the same; both are marked “Brought together”."),
            self.explain))
        per_person = self.measure == "per_participant"
        votes_heading = "<br/>".join(escape(line) for line in self._("Votes\na person").split("\n")) \
            if per_person else escape(self._("Votes"))
        header: list[object] = [self.words(label, self.cell_bold) for label in
                                ("#", escape(self._("Priority")), votes_heading,
                                 escape(self._("Raised in (votes)")), escape(self._("Domains")))]
        rows: list[list[object]] = [header]
        commands: list[TableCommand] = [
            ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
            ("LINEABOVE", (0, 0), (-1, 0), 0.8, RULE_GREY),
            ("LINEBELOW", (0, 0), (-1, -1), 0.5, LIGHT_RULE),
            ("LINEBELOW", (0, -1), (-1, -1), 0.8, RULE_GREY),
            ("ALIGN", (2, 0), (2, -1), "RIGHT"),
        ]
        people = self.report.hall_participants
        for position, priority in enumerate(self.report.ordered(self.measure), start=1):
            rows.append([
                Paragraph(str(position), self.cell_bold),
                self._priority_cell(priority),
                self._votes_cell(priority),
                [self._hall_line(hall.hall, hall.votes, people.get(hall.hall))
                 for hall in priority.by_hall],
                domain_chips(priority.domains, self.cell, one_per_line=True, speaker=self.speaker)
                if priority.domains else self.label(self._("none given"), self.cell_note),
            ])
        shares = [0.05, 0.34, 0.11, 0.27, 0.23]  # room for "a person" under a figure
        story.append(styled_table(rows, [self.width * share for share in shares], commands,
                                  self.layout, repeat=1))
        return story

    def _measure_words(self) -> str:
        """Which figure orders the list, said on the page (issue 12.9)."""
        missing = self.report.halls_without_head_count
        if self.measure == "per_participant":
            lead = escape(self._("Ordered by votes per person who took part"))
            rest = escape(self._(
                ": each hall’s votes divided by its number of people, added up over the halls, so a "
                "large hall does not outweigh a small one. Under each figure: the votes as cast, "
                "added up."))
            return f"<b>{lead}</b>{rest}"
        lead = escape(self._("Ordered by the votes as cast, added up across the halls"))
        words = f"<b>{lead}</b> " + escape(self._("(a hall with more people has more votes to give)."))
        if not missing:
            return words + " " + escape(self._(
                "Under each total: the votes per person who took part, added up over the halls, "
                "which weighs every hall alike."))
        halls = len(missing)
        asked = (self.ngettext(
            "Votes per person were asked for, but cannot be worked out: one hall did not count "
            "the people taking part.",
            "Votes per person were asked for, but cannot be worked out: {n} halls did not count "
            "the people taking part.", halls)
            if self.asked_for == "per_participant" else self.ngettext(
            "Votes per person cannot be shown: one hall did not count the people taking part.",
            "Votes per person cannot be shown: {n} halls did not count the people taking part.",
            halls))
        return words + " " + escape(asked)

    def _votes_cell(self, priority: CollatedPriority) -> list[Flowable]:
        # Shares only where every hall counted heads: a few would mislead beside the rest.
        share = (self.report.votes_per_participant(priority)
                 if self.report.per_participant_available else None)
        if self.measure == "per_participant" and share is not None:
            return [Paragraph(f"{share:.2f}", self.votes_cell),
                    self.label(self._votes(priority.votes), self.cell_note.clone(
                        "votes_note", alignment=2))]
        cell: list[Flowable] = [Paragraph(str(priority.votes), self.votes_cell)]
        if share is not None:
            cell.append(self.label(self._per_person(share), self.cell_note.clone(
                "share_note", alignment=2)))
        return cell

    def _priority_cell(self, priority: CollatedPriority) -> list[Flowable]:
        cell: list[Flowable] = [text_flowable(priority.title, self.cell_bold)]
        if priority.merged:
            halls = len(priority.by_hall)
            where = self.ngettext("Brought together from {n} hall", "Brought together from {n} halls",
                                  halls) if halls > 1 else self._("Brought together within one hall")
            cell.append(self.label(where.upper(), self.cell_tag))
            for hall in priority.by_hall:
                for title in hall.titles:
                    if title != priority.title:
                        cell.append(labelled_flowable(
                            self._("{hall} wrote:").format(hall=hall.hall), f"“{title}”",
                            self.cell_note, self.speaker.rtl))
        return cell

    def _hall_line(self, hall: str, votes: int, people: int | None = None) -> Flowable:
        """"Church hall: 11", the number bold, and "(of 18 people)" when the hall counted
        heads; reads left to right whatever script the hall's name is in."""
        # A no-break space keeps the number with the hall's last word when the name wraps.
        # After right-to-left letters a number would join their run and print before the name;
        # a left-to-right mark keeps it after.
        of_people = " " + self._("(of {people})").format(people=people).replace(" ", NBSP) \
            if people else ""
        if has_rtl(hall):
            segments = [(hall, False), (f"{LRM}:{NBSP}{votes}", True)]
            if of_people:
                segments.append((of_people, False))
            return ScriptParagraph(segments, self.cell, direction="ltr")
        return Paragraph(f"{plain_markup(hall)}:{NBSP}<b>{votes}</b>{of_people}", self.cell)

    # The compasses -----------------------------------------------------------------------

    def compasses(self) -> list[Flowable]:
        sessions = self.report.sessions
        per_row = COMPASSES_PER_ROW
        column = self.width / per_row
        padding = self.layout.padding
        drawing_width = column - 2 * padding
        font_size = 7.5
        cells: list[object] = [self._compass_cell(session, drawing_width, font_size)
                              for session in sessions]
        rows = [cells[start:start + per_row] for start in range(0, len(cells), per_row)]
        rows[-1] += [""] * (per_row - len(rows[-1]))
        grid = Table(rows, colWidths=[column] * per_row, hAlign="LEFT")
        commands: list[TableCommand] = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("FONTNAME", (0, 0), (-1, -1), SANS),  # the empty cells too: never Helvetica
            ("LEFTPADDING", (0, 0), (-1, -1), padding),
            ("RIGHTPADDING", (0, 0), (-1, -1), padding),
            ("TOPPADDING", (0, 0), (-1, -1), padding * 1.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), padding * 1.5),
        ]
        for index in range(len(cells)):
            row, col = divmod(index, per_row)
            commands.append(("BOX", (col, row), (col, row), 0.6, LIGHT_RULE))
        grid.setStyle(TableStyle(commands))
        intro = [
            CondPageBreak(self.layout.size * 20),
            self.label(self._("How each hall rated the five domains"), self.styles.h1),
            self.label(self._("Each group scored the domains from 1 (a lot to improve) to 7 "
                              "(little to improve). A domain a group did not rate is marked “not "
                              "rated”."), self.explain),
        ]
        return [*intro, grid]

    def _compass_cell(self, session: CollatedSession, width: float,
                      font_size: float) -> list[Flowable]:
        caption = self.speaker.format_date(session.date)
        if session.participants is not None:
            caption += " · " + self.ngettext("{n} person", "{n} people", session.participants)
        cell: list[Flowable] = [
            text_flowable(session.hall, self.compass_label),
            self.label(caption, self.compass_caption),
            compass_drawing(session.ratings, width, font_size, speaker=self.speaker),
        ]
        if not session.ratings:
            cell.append(self.label(self._("This session rated no domain."), self.compass_caption))
        return cell

    # The actions -------------------------------------------------------------------------

    def actions(self) -> list[Flowable]:
        styles = self.styles
        priorities = self.report.priorities
        if not priorities:
            return []
        story: list[Flowable] = [
            CondPageBreak(self.layout.size * 14),
            self.label(self._("What the halls agreed to do"), styles.h1),
            self.label(self._("Every action from every session, under the priority it serves, "
                              "with the hall that agreed it."), self.explain),
        ]
        counts = self.report.action_counts
        if any(counts.values()):
            states = ", ".join(f"{n} {self._(status_word(state)).lower()}" for state, n in counts.items())
            story.append(self.label(self._("Actions by state: {counts}.").format(counts=states),
                                    styles.body))
            story.append(self._states_by_hall())
            story.append(Spacer(1, self.layout.size * 0.6))
        with_actions = [priority for priority in priorities if priority.actions]
        without = [priority for priority in priorities if not priority.actions]
        header: list[object] = [self.label(self._(label), self.cell_bold)
                                for label in (N_("Hall"), N_("What"), N_("Who"), N_("By when"))]
        shares = [0.22, 0.42, 0.18, 0.18]
        for index, priority in enumerate(with_actions):
            # One small table per priority, in the same columns, so they read as one table
            # and a priority's heading row never ends a page alone.
            rows: list[list[object]] = [header] if index == 0 else []
            group_row = len(rows)
            rows.append([labelled_flowable(f"{priority.rank}.", priority.title, self.cell_bold,
                                           self.speaker.rtl), "", "", ""])
            for action in priority.actions:
                state = "" if action.status == "agreed" else f" ({self._(status_word(action.status)).lower()})"
                rows.append([text_flowable(action.hall, self.cell),
                             text_flowable(action.what + state, self.cell),
                             text_flowable(action.who, self.cell),
                             text_flowable(action.when, self.cell)])
            commands: list[TableCommand] = [
                ("GRID", (0, 0), (-1, -1), 0.5, RULE_GREY),
                ("SPAN", (0, group_row), (-1, group_row)),
                ("BACKGROUND", (0, group_row), (-1, group_row), GROUP_FILL),
            ]
            if index == 0:
                commands.append(("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL))
            story.append(styled_table(rows, [self.width * share for share in shares], commands,
                                      self.layout, repeat=group_row + 1))
        if not with_actions:
            story.append(self.label(self._("No session wrote down an action yet."), styles.body))
        elif without:
            story.append(Spacer(1, self.layout.size * 0.8))
        if without and with_actions:
            story.append(self.label(self._("No action written down yet for:"), styles.h4))
            for priority in without:
                story.append(labelled_flowable(f"{priority.rank}.", priority.title,
                                               styles.list_item))
        return story

    def _states_by_hall(self) -> Table:
        """One row per hall: how many of the actions it agreed are in each state (issue 14.5)."""
        by_hall = self.report.action_counts_by_hall
        statuses = list(self.report.action_counts)
        header: list[object] = [self.label(self._("Hall"), self.cell_bold)]
        header += [self.label(self._(status_word(status)), self.cell_bold) for status in statuses]
        header.append(self.label(self._("All"), self.cell_bold))
        rows: list[list[object]] = [header]
        for hall, counts in by_hall.items():
            row: list[object] = [text_flowable(hall, self.cell)]
            row += [Paragraph(str(counts.get(status, 0)), self.cell) for status in statuses]
            row.append(Paragraph(str(sum(counts.values())), self.cell_bold))
            rows.append(row)
        rest = (1 - 0.3) / (len(statuses) + 1)
        return styled_table(rows, [self.width * 0.3] + [self.width * rest] * (len(statuses) + 1), [
            ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
            ("GRID", (0, 0), (-1, -1), 0.5, RULE_GREY),
        ], self.layout, repeat=1)


def build_collation_pdf(report: CollationReport, paper: PaperSize = "a4",
                        measure: VoteMeasure = "votes") -> bytes:
    """The collation as PDF bytes, on A4 or US Letter, its priorities ordered by the votes as
    cast or by votes per participant (`measure`; the page says which)."""
    register_fonts()
    options = HandoutOptions(paper=paper)
    builder = _CollationBuilder(report, options, measure)
    title = collation_title(len(report.sessions), builder.speaker)
    dates = _date_range(report, builder.speaker)
    footer = f"{title}  ·  {dates}" if dates else title
    return render_pdf(builder.story(), title=title, subject=builder._("Collated workshop sessions"),
                      language=builder.speaker.code, footer_text=footer, options=options,
                      layout=builder.layout, speaker=builder.speaker)

