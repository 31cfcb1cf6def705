"""The "Explore what worked" screen: five steps a facilitator runs with a group round one screen.

1 pick issue cards, 2 mark who is in the room (and see how to bring in who is not), 3 see what
other neighbourhoods did, 4 talk it through, 5 turn a card into a priority. Big type and big
targets for a projector; every control works from the keyboard (Tab, Space, Enter, arrows).
The words come from the content library; the choosing is in services/learning_tool.py.
"""

from __future__ import annotations

import copy
import html
from collections.abc import Callable, Sequence
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import (
    QKeySequence,
    QResizeEvent,
    QShortcut,
)
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from nrp_desktop.domain.content import ContentLibrary, Lesson, ToolCard, make_link, split_link
from nrp_desktop.i18n import N_
from nrp_desktop.services import learning_tool
from nrp_desktop.services.learning_tool import LearningToolState
from nrp_desktop.ui.screen import Screen, ScreenContext
from nrp_desktop.ui.tool.cards import CardButton, PlayerRow
from nrp_desktop.ui.tool.pages import ToolPagesForm
from nrp_desktop.ui.widgets import PAGE_MARGINS, clear_layout, framed_column, text_label
from nrp_desktop.ui.widgets.controls import (
    BigButton,
    ChoiceBar,
    DomainChips,
    LinkButton,
    lesson_link_text,
)

# The extraction cannot look inside f-strings: the texts this module asks for inside one
# are marked here too (the pseudo-language test fails on any that reach no translator).
_ASKED_IN_F_STRINGS = (
    N_("Facilitator notes"),
)

if TYPE_CHECKING:
    from nrp_desktop.domain.session import Session
    from nrp_desktop.services.changes import SessionChanges
    from nrp_desktop.services.sessions import SessionStore
    from nrp_desktop.ui.document.document import SessionDocument

STEP_NAMES = {  # short names for the step bar; the full question is the screen's title
    1: N_("What matters"),
    2: N_("Who is here"),
    3: N_("What others did"),
    4: N_("Talk about it"),
    5: N_("Make it a priority"),
}
SCREENSHOT_CARDS = ("debt-and-money-worries", "loneliness-and-isolation")
SCREENSHOT_PLAYERS = {"residents": True, "council-officers": True, "voluntary-organisations": True,
                      "businesses-and-employers": False, "health-services": False}


# Small widgets shared by the tool and the compass ----------------------------------------------


# The screen ------------------------------------------------------------------------------------


class LearningToolView(ToolPagesForm, Screen):
    """The five-step tool. Construct, then `set_library`; the state lives as long as the view."""

    priority_requested = Signal(object)  # a domain.session.Priority made on step 5

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("learningTool")
        self.library: ContentLibrary | None = None
        self.state = LearningToolState()
        # The choices are kept with the open session (before any: on their own) in the store.
        self.store: SessionStore | None = None
        self.document: SessionDocument | None = None
        self._choices_for: str | None = None
        self.card_buttons: dict[str, CardButton] = {}
        self.player_rows: dict[str, PlayerRow] = {}
        self.priority_buttons: dict[str, QPushButton] = {}

        self.step_bar = ChoiceBar(self.tr("Steps of the tool"))
        self.step_bar.set_options(
            [(n, f"{n}  {self.tr(STEP_NAMES[n])}", self.tr("Step %1: %2").replace(
                "%1", str(n)).replace("%2", self.tr(STEP_NAMES[n])))
             for n in range(learning_tool.FIRST_STEP, learning_tool.LAST_STEP + 1)],
            "stepButton",
        )
        self.step_bar.chosen.connect(lambda step: self.go_to_step(int(step)))
        for button in self.step_bar.buttons.values():
            # The bar shortens its labels when narrow (see _label_steps), so the full labels
            # must not hold the screen wide open.
            button.setMinimumWidth(48)
        self.notes_button = BigButton(self.tr("Facilitator notes"), "notesButton")
        self.notes_button.setCheckable(True)
        self.notes_button.setAccessibleName(self.tr("Facilitator notes"))
        self.notes_button.setAccessibleDescription(self.tr("Show the facilitator's notes for this step"))
        self.notes_button.toggled.connect(self._show_notes)

        self.step_label = text_label("", "stepIndicator", wrap=False)
        self.title_label = text_label("", "toolTitle")
        self.summary_label = text_label("", "pageSubtitle")

        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_cards_page())
        self.pages.addWidget(self._build_players_page())
        self.pages.addWidget(self._build_examples_page())
        self.pages.addWidget(self._build_questions_page())
        self.pages.addWidget(self._build_priority_page())

        self.notes = QTextBrowser()
        self.notes.setObjectName("facilitatorNotes")
        self.notes.setAccessibleName(self.tr("Facilitator notes"))
        self.notes.setOpenLinks(False)
        self.notes.setOpenExternalLinks(False)
        self.notes.anchorClicked.connect(lambda url: self._emit_link(url.toString()))
        self.notes.hide()
        self.body = QSplitter(Qt.Orientation.Horizontal)
        self.body.setChildrenCollapsible(False)
        self.body.addWidget(self.pages)
        self.body.addWidget(self.notes)
        self.body.setStretchFactor(0, 3)
        self.body.setStretchFactor(1, 1)

        self.back_button = BigButton(self.tr("◀  Back"), "navButton")
        self.back_button.setToolTip(self.tr("Back one step (Alt+Left)"))
        self.back_button.clicked.connect(self.go_back)
        self.next_button = BigButton(self.tr("Next  ▶"), "primary")
        self.next_button.setToolTip(self.tr("Next step (Alt+Right)"))
        self.next_button.clicked.connect(self.go_next)
        footer = QHBoxLayout()
        footer.setSpacing(16)
        footer.addWidget(self.back_button)
        footer.addStretch(1)
        footer.addWidget(self.notes_button)
        footer.addStretch(1)
        footer.addWidget(self.next_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(*PAGE_MARGINS)
        layout.setSpacing(8)
        title_row = QHBoxLayout()
        title_row.setSpacing(16)
        title_row.addWidget(self.step_label, 0, Qt.AlignmentFlag.AlignVCenter)
        title_row.addWidget(self.title_label, 1)
        layout.addWidget(self.step_bar)
        layout.addSpacing(8)
        layout.addLayout(title_row)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.body, 1)
        layout.addLayout(footer)

        for keys, action in (
            (QKeySequence(Qt.Modifier.ALT | Qt.Key.Key_Left), self.go_back),
            (QKeySequence(Qt.Modifier.ALT | Qt.Key.Key_Right), self.go_next),
        ):
            shortcut = QShortcut(keys, self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(action)
        self._show_step()

    # Building the five pages -------------------------------------------------------------------


    # Content -----------------------------------------------------------------------------------

    def set_library(self, library: ContentLibrary) -> None:
        self.library = library
        self.state.forget_unknown(library)
        for step in library.tool_steps:
            if step.number in self.step_bar.buttons:
                self.step_bar.buttons[step.number].setAccessibleName(
                    self.tr("Step %1: %2").replace("%1", str(step.number))
                    .replace("%2", step.title))
        self.card_buttons = {}
        for card in library.tool_cards:
            button = CardButton(card)
            button.setChecked(self.state.is_chosen(card.slug))
            button.toggled.connect(lambda on, slug=card.slug: self._choose_card(slug, on))
            self.card_buttons[card.slug] = button
        self.card_grid.set_cards(list(self.card_buttons.values()))

        clear_layout(self.players_layout)
        self.player_rows = {}
        for player in learning_tool.players_in_order(library):
            row = PlayerRow(player.slug, player.title, player.short)
            row.set_presence(self.state.presence_of(player.slug))
            row.changed.connect(self._set_presence)
            self.players_layout.addWidget(row)
            self.player_rows[player.slug] = row
        self.players_layout.addStretch(1)
        self.player_arrows.set_rows([[row.here, row.away] for row in self.player_rows.values()])
        self._show_step()

    # Kept with the session -------------------------------------------------------------------

    @classmethod
    def build(cls, context: ScreenContext) -> LearningToolView:
        view = cls()
        view.document = context.document
        return view

    def attach_store(self, store: SessionStore) -> None:
        self.store = store
        document = self.document
        self._follow_session(document.session_id if document is not None else None, force=True)

    def follow_changes(self, changes: SessionChanges, session: Session | None) -> None:
        if self.store is not None:
            self._follow_session(session.id if session is not None else None)

    def _follow_session(self, session_id: str | None, force: bool = False) -> None:
        """Show the choices kept with the session now open. A session opened for the first time
        takes the choices made before any session was open (the warm-up belongs to it)."""
        if self.store is None or (session_id == self._choices_for and not force):
            return
        try:
            text = self.store.tool_choices(session_id)
            if text is None and session_id is not None:
                text = self.store.tool_choices(None)
                if text is not None:
                    self.store.set_tool_choices(session_id, text)
                    self.store.set_tool_choices(None, None)
        except Exception as error:  # a damaged database: the tool starts afresh, and it is logged
            from nrp_desktop.ui.failures import failure_line

            failure_line(error, "reading the learning tool's choices")
            text = None
        self._choices_for = session_id
        self.state.take_choices(text)
        if self.library is not None:
            self.state.forget_unknown(self.library)
        for slug, button in self.card_buttons.items():
            button.blockSignals(True)
            button.setChecked(self.state.is_chosen(slug))
            button.blockSignals(False)
        for slug, row in self.player_rows.items():
            row.set_presence(self.state.presence_of(slug))
        self._show_step()

    def _keep_choices(self) -> None:
        if self.store is None:
            return
        try:
            self.store.set_tool_choices(self._choices_for, self.state.choices_json())
        except Exception as error:  # a full disk: logged; the choices stay on screen
            from nrp_desktop.ui.failures import failure_line

            failure_line(error, "keeping the learning tool's choices")

    # Moving between steps ----------------------------------------------------------------------

    @property
    def step(self) -> int:
        return self.state.step

    def go_to_step(self, step: int) -> None:
        self.state.go_to(step)
        self._show_step()
        self._keep_choices()

    def go_next(self) -> None:
        self.go_to_step(self.state.step + 1)

    def go_back(self) -> None:
        self.go_to_step(self.state.step - 1)

    def step_title(self, number: int) -> str:
        if self.library is not None:
            for step in self.library.tool_steps:
                if step.number == number:
                    return step.title
        return self.tr(STEP_NAMES[number])

    def _show_step(self) -> None:
        number = self.state.step
        total = learning_tool.STEP_COUNT
        step_had_focus = any(button.hasFocus() for button in self.step_bar.buttons.values())
        self.step_bar.set_current(number)
        if step_had_focus:
            self.step_bar.buttons[number].setFocus(Qt.FocusReason.OtherFocusReason)
        self._label_steps()
        self.pages.setCurrentIndex(number - 1)
        step = None
        if self.library is not None:
            step = next((s for s in self.library.tool_steps if s.number == number), None)
        self.step_label.setText(self.tr("Step %1 of %2").replace("%1", str(number))
                                .replace("%2", str(total)))
        self.title_label.setText(self.step_title(number))
        self.summary_label.setText(step.summary if step else "")
        # Step 1 has its own line for the group ("Pick the cards …"); the others show the summary.
        self.summary_label.setVisible(bool(step) and number != learning_tool.FIRST_STEP)
        self.notes.setHtml(
            f"<h2>{html.escape(self.tr('Facilitator notes'))}</h2>{step.html}" if step else "")
        self.back_button.setEnabled(number > learning_tool.FIRST_STEP)
        self.next_button.setEnabled(number < learning_tool.LAST_STEP)
        if number < learning_tool.LAST_STEP:
            self._label_next()
            self.next_button.setAccessibleName(
                self.tr("Next: %s") % self.tr(STEP_NAMES[number + 1]))
            self.next_button.setAccessibleDescription(
                self.tr("Next step: %s") % self.step_title(number + 1))
        else:
            self.next_button.setText(self.tr("Last step"))
            self.next_button.setAccessibleName(self.tr("This is the last step"))
        if self.library is None:
            return
        {1: self._fill_cards_status, 2: self._fill_prompts, 3: self._fill_examples,
         4: self._fill_questions, 5: self._fill_priorities}[number]()
        self.fix_tab_order()

    def _label_steps(self) -> None:
        """Every step's name on the bar when they all fit; on a narrow screen only the current
        step's name, the others by number (their names stay in tooltips and for screen readers)."""
        full = {n: f"{n}  {self.tr(STEP_NAMES[n])}" for n in self.step_bar.buttons}
        needed = sum(button.fontMetrics().horizontalAdvance(full[n]) + 40
                     for n, button in self.step_bar.buttons.items())
        compact = needed > self.width() - 48
        for number, button in self.step_bar.buttons.items():
            short = compact and number != self.state.step
            button.setText(f"{number}" if short else full[number])
            button.setToolTip(self.step_title(number))

    def _label_next(self) -> None:
        """"Next: Who is here ▶" where it fits beside Back and the notes; else "Next ▶" (the
        next step's name stays in the accessible name and description)."""
        number = self.state.step
        if number >= learning_tool.LAST_STEP:
            return
        full = self.tr("Next: %s  ▶") % self.tr(STEP_NAMES[number + 1])
        self.next_button.setText(full)
        room = (self.width() - 48 - 2 * 16 - self.back_button.sizeHint().width()
                - self.notes_button.sizeHint().width())
        if self.next_button.sizeHint().width() > room:
            self.next_button.setText(self.tr("Next  ▶"))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._label_steps()
        self._label_next()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # large text and back: the labels' sizes
            self._label_steps()
            self._label_next()

    def fix_tab_order(self) -> None:
        """Tab in reading order: steps, notes, the step's own controls, then Back and Next.
        (Qt's default is the order widgets were made, and the step's controls are remade.)"""
        chain: list[QWidget] = list(self.step_bar.buttons.values())
        page = self.pages.currentWidget()
        chain += [widget for widget in page.findChildren(QWidget)
                  if widget.focusPolicy() & Qt.FocusPolicy.TabFocus]
        chain += [self.notes, self.back_button, self.notes_button, self.next_button]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _show_notes(self, visible: bool) -> None:
        self.notes.setVisible(visible)
        self.notes_button.setText(
            self.tr("Hide notes") if visible else self.tr("Facilitator notes"))
        self.notes_button.setAccessibleName(
            self.tr("Hide the facilitator's notes") if visible
            else self.tr("Show the facilitator's notes for this step"))

    def _refill(self, fill: Callable[[], None]) -> None:
        fill()
        self.fix_tab_order()

    def _emit_link(self, link: str) -> None:
        if split_link(link) is not None:
            self.open_link_requested.emit(link)

    def _link_button(self, text: str, link: str) -> LinkButton:
        button = LinkButton(text, link)
        button.activated_link.connect(self._emit_link)
        return button

    def _lesson_links(self, lessons: Sequence[Lesson]) -> list[LinkButton]:
        return [self._link_button(lesson_link_text(lesson), make_link("lesson", lesson.slug))
                for lesson in lessons]


    # Step 1 ------------------------------------------------------------------------------------

    def _choose_card(self, slug: str, chosen: bool) -> None:
        self.state.choose_card(slug, chosen)
        self._fill_cards_status()
        self._keep_choices()

    def _fill_cards_status(self) -> None:
        count = len(self.state.chosen_cards)
        if count == 0:
            text = self.tr("Pick the cards that matter most here. You can pick more than one.")
        elif count == 1:
            text = self.tr("1 card chosen. Pick more, or press Next.")
        else:
            text = self.tr("%s cards chosen. Pick more, or press Next.") % count
        self.cards_status.setText(text)

    # Step 2 ------------------------------------------------------------------------------------

    def _set_presence(self, slug: str, present: bool | None) -> None:
        self.state.set_presence(slug, present)
        self._fill_prompts()
        self.fix_tab_order()
        self._keep_choices()

    def _fill_prompts(self) -> None:
        if self.library is None:
            return
        clear_layout(self.prompts_layout)
        prompts = learning_tool.prompts_for_missing_players(self.library, self.state)
        if not prompts:
            self.prompts_layout.addWidget(text_label(
                self.tr("Mark who is “Not here”. For each one, you will see how other "
                        "neighbourhoods brought them in."), "toolEmpty"))
        for prompt in prompts:
            box = QFrame()
            box.setObjectName("promptBox")
            box.setAccessibleName(prompt.player.title)
            box_layout = QVBoxLayout(box)
            box_layout.setContentsMargins(16, 12, 16, 12)
            box_layout.setSpacing(8)
            box_layout.addWidget(text_label(prompt.player.title, "promptTitle"))
            box_layout.addWidget(text_label(prompt.prompt, "promptText"))
            if prompt.lessons:
                box_layout.addWidget(text_label(self.tr("Lessons on bringing them in:"), "toolSmallHeading"))
                for button in self._lesson_links(prompt.lessons):
                    box_layout.addWidget(button)
            box_layout.addWidget(self._link_button(
                self.tr("More about %s") % prompt.player.title.lower(),
                make_link("tool-player", prompt.player.slug)))
            self.prompts_layout.addWidget(box)
        self.prompts_layout.addStretch(1)

    # Step 3 ------------------------------------------------------------------------------------

    def _fill_examples(self) -> None:
        if self.library is None:
            return
        cards = learning_tool.chosen_cards(self.library, self.state)
        self.example_cards.set_options(
            [(card.slug, card.title, self.tr("Show %s") % card.title) for card in cards],
            "cardTab")
        self.example_cards.setVisible(len(cards) > 1)
        clear_layout(self.examples_layout)
        if not cards:
            self._nothing_chosen(self.examples_layout)
            return
        slug = self.example_cards.current()
        shown = learning_tool.examples_for_cards(self.library, [slug])[0]
        self.examples_layout.addWidget(text_label(shown.card.title, "toolSectionTitle"))
        self.examples_layout.addWidget(DomainChips(shown.card.domains))
        for example in shown.neighbourhoods:
            self.examples_layout.addWidget(self._example_box(example))
        if shown.lessons:
            lessons, lessons_layout = framed_column("toolSidePanel", (16, 12, 16, 12), spacing=None)
            lessons_layout.addWidget(text_label(
                self.tr("Lessons for “%s”") % shown.card.title, "toolSmallHeading"))
            grid = QGridLayout()
            grid.setSpacing(8)
            for index, button in enumerate(self._lesson_links(shown.lessons)):
                grid.addWidget(button, index // 2, index % 2)
            lessons_layout.addLayout(grid)
            self.examples_layout.addWidget(lessons)
        self.examples_layout.addStretch(1)


    # Step 4 ------------------------------------------------------------------------------------

    def _fill_questions(self) -> None:
        if self.library is None:
            return
        clear_layout(self.questions_layout)
        questions = learning_tool.discussion_questions(self.library, self.state.chosen_cards)
        if not questions:
            self._nothing_chosen(self.questions_layout)
            return
        several = len(self.state.chosen_cards) > 1
        for number, question in enumerate(questions, start=1):
            row = QHBoxLayout()
            row.setSpacing(16)
            number_label = text_label(f"{number}", "questionNumber", wrap=False)
            number_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight)
            number_label.setMinimumWidth(48)
            row.addWidget(number_label)
            text = QVBoxLayout()
            text.setSpacing(2)
            text.addWidget(text_label(question.text, "questionText"))
            if several:
                text.addWidget(text_label(
                    self.tr("From the card: %s") % question.card.title, "questionSource"))
            row.addLayout(text, 1)
            self.questions_layout.addLayout(row)
        self.questions_layout.addStretch(1)

    # Step 5 ------------------------------------------------------------------------------------

    def make_priority(self, slug: str) -> None:
        """Turn the card into a priority, keep it on the tool's list and tell whoever listens."""
        if self.library is None:
            return
        card = self.library.find("tool-card", slug)
        if not isinstance(card, ToolCard) or self.state.has_priority_for(slug):
            return
        priority = learning_tool.add_priority(self.state, card)
        self._refill(self._fill_priorities)
        count = len(priority.lessons)
        self.confirmation.setText(
            self.tr("✓ “%1” is now a priority, with %2 lessons linked. It is on the list below.")
            .replace("%1", priority.title).replace("%2", str(count)))
        self.confirmation.show()
        # The receiver gets its own copy: editing it in the session leaves the tool's list alone.
        self.priority_requested.emit(copy.deepcopy(priority))

    def _fill_priorities(self) -> None:
        if self.library is None:
            return
        confirmation = getattr(self, "confirmation", None)
        previous = confirmation.text() if confirmation is not None else ""
        clear_layout(self.priority_layout)
        self.priority_buttons = {}
        self.confirmation = text_label(previous, "confirmation")
        self.priority_layout.addWidget(self.confirmation)
        self.confirmation.setVisible(bool(previous))
        cards = learning_tool.chosen_cards(self.library, self.state)
        if not cards:
            self._nothing_chosen(self.priority_layout)
            return
        for card in cards:
            self.priority_layout.addWidget(self._priority_box(card))
        made, made_layout = framed_column("toolSidePanel", (16, 12, 16, 12))
        made_layout.addWidget(text_label(self.tr("Priorities made here"), "toolSectionTitle"))
        if not self.state.priorities:
            made_layout.addWidget(text_label(self.tr("None yet."), "toolEmpty"))
        for number, priority in enumerate(self.state.priorities, start=1):
            lessons = [lesson.title for slug in priority.lessons
                       if (lesson := self.library.lesson(slug)) is not None]
            made_layout.addWidget(text_label(f"{number}. {priority.title}", "madePriority"))
            made_layout.addWidget(text_label(
                self.tr("Lessons linked: %s") % "; ".join(lessons), "madePriorityLessons"))
        self.priority_layout.addWidget(made)
        self.priority_layout.addStretch(1)


    # Screenshots -------------------------------------------------------------------------------

    def screenshot_states(self) -> list[tuple[str, Callable[[], None]]]:
        """(file name, set-up) for `--screenshots`: each step with a group's typical choices."""

        def choose_examples() -> None:
            for slug, button in self.card_buttons.items():
                button.setChecked(slug in SCREENSHOT_CARDS)
            for slug, row in self.player_rows.items():
                present = SCREENSHOT_PLAYERS.get(slug)
                row.set_presence(present)
                self.state.set_presence(slug, present)

        def at_step(number: int) -> Callable[[], None]:
            def setup() -> None:
                choose_examples()
                self.go_to_step(number)
            return setup

        return [(f"tool-step-{number}", at_step(number))
                for number in range(learning_tool.FIRST_STEP, learning_tool.LAST_STEP + 1)]
