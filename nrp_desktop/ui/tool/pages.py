"""How the learning tool's step pages and their boxes are laid out (the form); the view holds the
behaviour"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any, cast

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from nrp_desktop.domain.content import ToolCard
from nrp_desktop.services import learning_tool
from nrp_desktop.ui.tool.cards import CardGrid
from nrp_desktop.ui.widgets import framed_column, text_label
from nrp_desktop.ui.widgets.controls import (
    ArrowGrid,
    BigButton,
    ChoiceBar,
    DomainChips,
    scroll_area,
)

BOX_MARGINS = (16, 12, 16, 12)  # inside an example or priority box


class ToolPagesForm:
    """Mixed into LearningToolView; see the module's docstring."""

    def _build_cards_page(self) -> QWidget:
        self.card_grid = CardGrid()
        self.cards_status = text_label("", "toolStatus")
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 8, 0)
        layout.setSpacing(16)
        layout.addWidget(self.cards_status)
        layout.addWidget(self.card_grid)
        layout.addStretch(1)
        return scroll_area(page, self.tr("Issue cards"))

    def _build_players_page(self) -> QWidget:
        self.players_box = QWidget()
        self.players_layout = QVBoxLayout(self.players_box)
        self.players_layout.setContentsMargins(0, 0, 8, 0)
        self.players_layout.setSpacing(8)
        self.player_arrows = ArrowGrid(cast(QWidget, self))
        players_scroll = scroll_area(self.players_box, self.tr("Who is in the room"))

        self.prompts_box = QWidget()
        self.prompts_layout = QVBoxLayout(self.prompts_box)
        self.prompts_layout.setContentsMargins(0, 0, 8, 0)
        self.prompts_layout.setSpacing(16)
        prompts_scroll = scroll_area(self.prompts_box, self.tr("How to bring in who is missing"))
        prompts_panel, panel_layout = framed_column("toolSidePanel", (16, 16, 8, 16), spacing=None)
        panel_layout.addWidget(
            text_label(self.tr("Not in the room? How to bring them in"), "toolSectionTitle"))
        panel_layout.addWidget(prompts_scroll, 1)

        page = QWidget()
        layout = QHBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(16)
        layout.addWidget(players_scroll, 11)
        layout.addWidget(prompts_panel, 9)
        return page

    def _build_examples_page(self) -> QWidget:
        self.example_cards = ChoiceBar(self.tr("Chosen cards"))
        self.example_cards.chosen.connect(lambda _slug: self._refill(self._fill_examples))
        self.examples_box = QWidget()
        self.examples_layout = QVBoxLayout(self.examples_box)
        self.examples_layout.setContentsMargins(0, 0, 8, 0)
        self.examples_layout.setSpacing(16)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(self.example_cards)
        layout.addWidget(scroll_area(self.examples_box, self.tr("What other neighbourhoods did")), 1)
        return page

    def _build_questions_page(self) -> QWidget:
        self.questions_box = QWidget()
        self.questions_layout = QVBoxLayout(self.questions_box)
        self.questions_layout.setContentsMargins(0, 0, 8, 0)
        self.questions_layout.setSpacing(24)
        return scroll_area(self.questions_box, self.tr("Questions to talk about"))

    def _build_priority_page(self) -> QWidget:
        self.priority_box = QWidget()
        self.priority_layout = QVBoxLayout(self.priority_box)
        self.priority_layout.setContentsMargins(0, 0, 8, 0)
        self.priority_layout.setSpacing(16)
        return scroll_area(self.priority_box, self.tr("Make it a priority"))

    def _nothing_chosen(self, layout: Any) -> None:
        layout.addWidget(text_label(
            self.tr("No cards are chosen yet. Go back to step 1 and pick one or more cards."),
            "toolEmpty"))
        button = BigButton(self.tr("Go to step 1: What matters"), "navButton")
        button.clicked.connect(lambda: self.go_to_step(1))
        row = QHBoxLayout()
        row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)

    def _example_box(self, example: learning_tool.NeighbourhoodExample) -> QFrame:
        box, layout = framed_column("exampleBox", BOX_MARGINS, accessible_name=example.title)
        title_row = QHBoxLayout()
        title_row.addWidget(text_label(example.title, "exampleTitle"), 1)
        title_row.addWidget(self._link_button(self.tr("Read the case study"), example.link))
        layout.addLayout(title_row)
        columns = QHBoxLayout()
        columns.setSpacing(16)
        for heading, items in (
            (self.tr("What they did"), example.actions),
            (self.tr("What got in the way"), example.challenges),
            (self.tr("What changed"), example.impacts),
        ):
            column = QVBoxLayout()
            column.setSpacing(4)
            column.addWidget(text_label(heading, "exampleHeading"))
            column.addWidget(self._bullets(items), 1)
            columns.addLayout(column, 1)
        layout.addLayout(columns)
        if example.lessons:
            row = QHBoxLayout()
            row.setSpacing(8)
            row.addWidget(text_label(self.tr("Lessons from here:"), "toolSmallHeading", wrap=False))
            for button in self._lesson_links(example.lessons):
                row.addWidget(button, 1)
            layout.addLayout(row)
        return box

    def _bullets(self, items: Sequence[str]) -> QLabel:
        if not items:
            label = text_label(self.tr("Not recorded in this edition."), "notRecorded")
            label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            label.setAccessibleName(self.tr("Not recorded in this edition"))
            return label
        rows = "".join(
            f"<tr><td style='padding:0 8px 8px 0;'>•</td>"
            f"<td style='padding:0 0 8px 0;'>{html.escape(item)}</td></tr>" for item in items)
        label = QLabel(f"<table cellspacing='0' cellpadding='0'>{rows}</table>")
        label.setObjectName("exampleText")
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setWordWrap(True)
        label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        return label

    def _priority_box(self, card: ToolCard) -> QFrame:
        box, layout = framed_column("exampleBox", BOX_MARGINS, accessible_name=card.title)
        heading = QHBoxLayout()
        heading.setSpacing(16)
        name = QVBoxLayout()
        name.setSpacing(8)
        name.addWidget(text_label(card.title, "exampleTitle"))
        name.addWidget(DomainChips(card.domains))
        heading.addLayout(name, 1)
        done = self.state.has_priority_for(card.slug)
        button = BigButton(
            self.tr("✓ Already a priority") if done else self.tr("Make it a priority"), "primary")
        button.setEnabled(not done)
        button.setAccessibleName(self.tr("Make “%s” a priority") % card.title)
        button.clicked.connect(lambda _checked=False, slug=card.slug: self.make_priority(slug))
        heading.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        self.priority_buttons[card.slug] = button
        layout.addLayout(heading)
        lessons = learning_tool.examples_for_card(self.library, card).lessons if self.library else ()
        if lessons:
            layout.addWidget(
                text_label(self.tr("These lessons will be linked to it:"), "toolSmallHeading"))
            grid = QGridLayout()
            grid.setSpacing(8)
            for index, link in enumerate(self._lesson_links(lessons)):
                grid.addWidget(link, index // 2, index % 2)
            layout.addLayout(grid)
        return box
