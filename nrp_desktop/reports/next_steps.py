"""The handout's "What happens next": every action in a table of What / Who / By when / Done,
priority by priority, with empty rows to write new ones in. A part of the handout builder
(reports/handout.py), kept apart because it is the one place that lays out long tables."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Table

from nrp_desktop.domain.handout import HandoutOptions, HandoutPriority
from nrp_desktop.i18n import N_
from nrp_desktop.reports.document import GROUP_FILL, HEADER_FILL, RULE_GREY, Layout
from nrp_desktop.reports.flowables import ChunkedTable, RowsToWriteIn, TableCommand, styled_table
from nrp_desktop.reports.markup import labelled_flowable, text_flowable

_Cell = TypeVar("_Cell")

BLANK_ACTION_ROWS = 6  # room to write new actions in "What happens next"
# Said in the short handout where there is no room for empty rows to write new actions in.
WRITE_ON_THE_BACK = N_("Write new actions on the back of the page.")
# Rows per table in "What happens next": small enough that splitting one at a page break is cheap.
TABLE_CHUNK_ROWS = 20


class NextStepsTables:
    """The tables of actions; the handout builder provides what is declared here."""

    layout: Layout
    options: HandoutOptions
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    rtl: bool
    explain: ParagraphStyle
    # The short handout's empty rows at the end, once laid out: were they left out?
    rows_to_write_in: RowsToWriteIn | None = None

    def _(self, message: str) -> str:
        raise NotImplementedError

    def label(self, text: str, style: ParagraphStyle) -> Flowable:
        raise NotImplementedError

    def row(self, cells: list[_Cell]) -> list[_Cell]:
        raise NotImplementedError

    def _action_widths(self, shares: list[float]) -> list[float]:
        raise NotImplementedError

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
                # Spanned across the row, so its words sit in the first cell (as each priority's).
                group = [self.label(self._("New actions"), self.cell_bold), "", "", ""]
                # No priorities at all: the column names go on the blank rows.
                return [self._next_steps_header(), group] if with_header else [group]

            def blank_block(rows: int) -> Flowable:
                body: list[tuple[list[object], float | None]] = [
                    (["", "", "", ""], self.layout.write_row_height)] * rows
                return self._next_steps_block(blank_head, body, has_header=first)

            if every_priority or first:
                story.append(blank_block(blank_rows))
            else:
                # The short handout: as many rows as fit (at least one), or none (see
                # rows_to_write_in).
                self.rows_to_write_in = RowsToWriteIn(
                    [*(blank_block(rows) for rows in range(blank_rows, 0, -1)),
                     self.label(self._(WRITE_ON_THE_BACK), self.explain)])
                story.append(self.rows_to_write_in)
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
                    head_rows + rows, [*[None] * len(head_rows), *heights], group_row, has_header,
                    repeat=len(head_rows)))
            else:
                chunks.append(self._next_steps_table(rows, heights, None, False))
        return ChunkedTable(chunks, head_again)

    def _next_steps_table(self, rows: list[list[object]], heights: Sequence[float | None],
                          group_row: int | None, has_header: bool, repeat: int = 0) -> Table:
        commands: list[TableCommand] = [("GRID", (0, 0), (-1, -1), 0.5, RULE_GREY)]
        if group_row is not None:
            commands += [
                ("SPAN", (0, group_row), (-1, group_row)),
                ("BACKGROUND", (0, group_row), (-1, group_row), GROUP_FILL),
            ]
        if has_header:
            commands.append(("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL))
        # Large print needs wider narrow columns, or "Christmas" and "Done" break mid-word.
        shares = [0.4, 0.24, 0.22, 0.14] if self.layout.large else [0.5, 0.22, 0.17, 0.11]
        vertical = 0.7 if self.options.short else 1.0  # the short handout's rows sit closer
        return styled_table(rows, self.row(self._action_widths(shares)), commands, self.layout,
                            repeat=repeat, heights=heights, vertical=vertical)
