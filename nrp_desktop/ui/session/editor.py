"""The "Workshop session" screen: record what the group decides, live, with nothing lost.

The facilitator types priorities as the room agrees them, counts dot votes, ranks, adds actions
and links lessons. Every change is one undoable command written at once through the
`SessionStore` (see ui/document); there is no Save button. Typing in a text field is
written a moment after the last key (and when the field is left), and a run of typing in one
field is one undo step.

Refused input (an empty title, text over its limit, a pasted megabyte) is said in plain words
right under the field it concerns, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QStackedWidget,
    QTabWidget,
    QWidget,
)

from nrp_desktop.domain.content import ContentLibrary
from nrp_desktop.domain.session import (
    Priority,
    Session,
)
from nrp_desktop.services.changes import SessionChanges
from nrp_desktop.services.examples import example_session
from nrp_desktop.services.sessions import SessionStore
from nrp_desktop.ui.document.document import SessionDocument
from nrp_desktop.ui.document.priority_models import PriorityTableModel
from nrp_desktop.ui.document.texts import Role, votes_text
from nrp_desktop.ui.screen import Screen, ScreenContext
from nrp_desktop.ui.session.details import SessionDetailsForm
from nrp_desktop.ui.session.editor_form import SessionEditorForm
from nrp_desktop.ui.session.fields import SUGGEST_DELAY_MS, FieldMessage
from nrp_desktop.ui.session.lesson_models import (
    LessonFilterProxy,
    LessonLinkModel,
    LessonPickerModel,
    SessionListModel,
    SuggestionModel,
)
from nrp_desktop.ui.session.projector import ProjectorView, ProjectorWindow
from nrp_desktop.ui.session.session_bar import SessionBarActions
from nrp_desktop.ui.session.suggesting import SuggestionActions
from nrp_desktop.ui.widgets import (
    COMPACT_PAGE_MARGINS,
    page_layout,
    tab_order,
    text_label,
)
from nrp_desktop.ui.widgets.announce import announce
from nrp_desktop.ui.widgets.plain_text import plain_tooltip

# ------------------------------------------------------------------------------------------------
# Small parts


# ------------------------------------------------------------------------------------------------
# The detail panel of one priority


# ------------------------------------------------------------------------------------------------
# Tally mode


# ------------------------------------------------------------------------------------------------
# Session details


# ------------------------------------------------------------------------------------------------
# New session


# ------------------------------------------------------------------------------------------------
# The screen


WIDE_SESSION_BAR_PX = 900  # narrower than this, the session bar leaves out its "Session:"


class SessionEditor(SessionBarActions, SuggestionActions, SessionEditorForm, Screen):
    """What has the group decided? The open session: its priorities, votes, actions and lessons."""

    live_votes_requested = Signal()  # Votes from phones…: the main window runs them

    def __init__(self, parent: QWidget | None = None, document: SessionDocument | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sessionEditor")
        self.document = document if document is not None else SessionDocument(self)
        self.library: ContentLibrary | None = None
        self._suggestion_engine: Any = None
        self._message_override: FieldMessage | None = None
        self._deleted: list[Session] = []
        self._projector_window: ProjectorWindow | None = None
        self._preview_text = ""  # the new-priority field's text, while suggestions preview it

        self.linked_model = LessonLinkModel(self.document, self)
        self.suggestion_model = SuggestionModel(self)
        self.lesson_picker = LessonPickerModel(self)
        self.lesson_proxy = LessonFilterProxy(self)
        self.lesson_proxy.setSourceModel(self.lesson_picker)
        self.session_list = SessionListModel(self.document, self)

        self.suggest_timer = QTimer(self)
        self.suggest_timer.setSingleShot(True)
        self.suggest_timer.setInterval(SUGGEST_DELAY_MS)
        self.suggest_timer.timeout.connect(self.update_suggestions)

        title = text_label(self.tr("What has the group decided?"), "pageTitle")
        subtitle = text_label(self.tr("Record what the group agrees as you go. Every change is saved at once; "
                                  "Ctrl+Z undoes it."), "pageSubtitle")
        self.page_title, self.subtitle = title, subtitle
        self._large_text = False
        self._share_pending = False

        self._build_session_bar()
        self._build_banner()
        self._build_priorities_page()
        self.details_form = SessionDetailsForm(self)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Session parts"))
        self.tabs.addTab(self.priorities_page, self.tr("Priorities and votes"))
        self.tabs.addTab(self.details_form, self.tr("Session details"))
        corner = QWidget()
        corner_layout = QHBoxLayout(corner)
        corner_layout.setContentsMargins(0, 0, 0, 4)
        corner_layout.setSpacing(8)
        for button in (self.undo_button, self.redo_button, self.projector_button):
            button.setObjectName("cornerButton")
        corner_layout.addWidget(self.undo_button)
        corner_layout.addWidget(self.redo_button)
        corner_layout.addWidget(self.projector_button)
        self.tabs.setCornerWidget(corner, Qt.Corner.TopRightCorner)
        self.projector_preview = ProjectorView(self.document)
        self.projector_preview.close_requested.connect(self.hide_projector_preview)

        self.placeholder = text_label(self.tr("Opening your sessions…"), "placeholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_session = self._build_no_session_page()
        self.body = QStackedWidget()
        self.body.addWidget(self.placeholder)
        self.body.addWidget(self.no_session)
        self.body.addWidget(self.tabs)
        self.body.addWidget(self.projector_preview)

        layout = page_layout(self, title, subtitle, COMPACT_PAGE_MARGINS)
        layout.addLayout(self.session_bar)
        layout.addWidget(self.banner)
        layout.addWidget(self.body, 1)

        # The tabs' corner (Undo, Redo, Show on projector) is on the tabs' row: read before the
        # page under it, though the corner widget was added last.
        tab_order(self.tabs.tabBar(), self.undo_button, self.redo_button, self.projector_button)
        from nrp_desktop.ui.session.follow_up import FollowUpControls

        self.follow_up = FollowUpControls(self)  # "Follow-up…" and "Since last time" (contract 5.1)
        self.follow_up.follow_up_button.setVisible(not self._large_text)
        self._build_shortcuts()
        self.document.session_opened.connect(self._on_session_opened)
        self.document.sessions_listed.connect(self._refresh_session_list)
        self.document.summary_changed.connect(self.session_list.patch_open_session)
        self.document.priorities_changed.connect(self._update_vote_panel)
        self.document.priority_changed.connect(self._on_priority_changed)
        self.document.refused.connect(self._show_refusal)
        self.document.failed.connect(self.show_banner)
        self._set_enabled_for_session(None)
        self._fit_vote_count()

    def _fit_vote_count(self) -> None:
        """Give the chosen priority's count a fixed size, room for a large count at the current
        text size: a label whose size can change lays the whole window out again and repaints it
        for each new count (~30 ms a time, with phone votes arriving by the hundred)."""
        label = self.vote_count
        metrics = label.fontMetrics()
        texts = (votes_text(88_888), label.text(), self.tr("—"))
        margins = label.contentsMargins()
        width = max(96, *(metrics.horizontalAdvance(text) for text in texts)) + margins.left() + margins.right() + 8
        label.setFixedSize(width, max(label.sizeHint().height(), metrics.height()))

    # Integration ---------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._follow_text_size()
            self._fit_vote_count()

    def _follow_text_size(self) -> None:
        """Large text (for the hall): the priorities get the room. The page's title and the line
        under it (for the facilitator, who knows where they are) go, and the list takes more of
        the width beside the details."""
        from nrp_desktop.ui.theme import BODY_POINT_SIZE

        large = self.font().pointSizeF() > BODY_POINT_SIZE * 1.3
        if large == self._large_text:
            return
        self._large_text = large
        self.page_title.setVisible(not large)
        self.subtitle.setVisible(not large)
        self._show_session_label()
        # The bar cannot hold every button on one row at this size: the ones the Workshop
        # session menu also offers ("Follow-up…", "Votes from phones…") leave it for the chooser.
        self.phones_button.setVisible(not large)
        follow_up = getattr(self, "follow_up", None)  # made after the bar (a font may come first)
        if follow_up is not None:
            follow_up.follow_up_button.setVisible(not large)
        self.session_combo.setMinimumContentsLength(7 if large else 16)
        # The details' tabs may scroll rather than hold the details pane wide open.
        self.detail.tabs.setUsesScrollButtons(large)
        self.detail.stack_rows(large)
        self._share_pending = True
        if self.isVisible():
            QTimer.singleShot(0, self._share_width)

    def _show_session_label(self) -> None:
        """"Session:" before the chooser where there is room for it (the chooser's own name
        says the same); not in large text, nor on a narrow (1024-pixel) screen."""
        self.session_label.setVisible(not self._large_text and self.width() >= WIDE_SESSION_BAR_PX)

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._show_session_label()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self._share_pending:
            QTimer.singleShot(0, self._share_width)

    def _share_width(self) -> None:
        """The list's share of the width beside the details, once the new sizes are laid out."""
        if not self.splitter.isVisible():
            return  # when it shows (showEvent)
        self._share_pending = False
        total = sum(self.splitter.sizes()) or self.splitter.width()
        share = 0.58 if self._large_text else 5 / 9
        self.splitter.setSizes([round(total * share), total - round(total * share)])

    def attach_store(self, store: SessionStore) -> None:
        """The session database is open: list the sessions and reopen the one last open."""
        self.document.attach_store(store)
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.flush_pending)
        last = store.last_open_session_id()
        if last is not None:
            try:
                self.document.open_session(last)
                return
            except Exception as error:  # a vanished or unreadable session: say so, stay usable
                self.show_banner(self.tr("The session that was open last could not be reopened: %s") % error)
        self._on_session_opened(None)

    def set_library(self, library: ContentLibrary) -> None:
        from nrp_desktop.services.suggest import SuggestionEngine

        self.library = library
        self._suggestion_engine = SuggestionEngine(library)
        self.linked_model.set_library(library)
        self.lesson_picker.set_library(library)
        self.update_suggestions()

    @classmethod
    def build(cls, context: ScreenContext) -> SessionEditor:
        return cls(document=context.document)

    def current_session(self) -> Session | None:
        return self.document.snapshot()

    def follow_changes(self, changes: SessionChanges, session: Session | None) -> None:
        """A priority added from elsewhere (the learning tool) is the one shown."""
        if changes.added_priorities and not changes.opened:
            self.select_priority(changes.added_priorities[-1])

    def screenshot_states(self) -> list[tuple[str, Callable[[], None]]]:
        def editor_state() -> None:
            self._open_example()
            self.hide_projector_preview()
            self.tabs.setCurrentWidget(self.priorities_page)
            self.tally_button.setChecked(False)
            self._show_self()
            ids = self.document.priority_ids()
            if ids:
                self.select_priority(ids[1] if len(ids) > 1 else ids[0])
            self.update_suggestions()

        def projector_state() -> None:
            self._open_example()
            self._show_self()
            self.show_projector_preview()

        return [("session-editor", editor_state), ("projector", projector_state)]

    def _show_self(self) -> None:
        """Bring this screen to the front of the main window's stack (for screenshots)."""
        window = self.window()
        show = getattr(window, "show_screen", None)
        if callable(show):
            show(self)

    # Sessions ------------------------------------------------------------------------------------

    def _on_session_opened(self, session: Session | None) -> None:
        self._preview_text = ""
        self.new_priority_field.clear()
        self.add_message.clear_message()
        self.table_message.clear_message()
        self._refresh_session_list()
        self._set_enabled_for_session(session)
        if self.document.store is None:
            self.body.setCurrentWidget(self.placeholder)
        elif session is None:
            if self.body.currentWidget() is not self.projector_preview:
                self.body.setCurrentWidget(self.no_session)
        elif self.body.currentWidget() is not self.projector_preview:
            self.body.setCurrentWidget(self.tabs)
        if session is not None and session.priorities:
            self.select_priority(session.priorities[0].id)
        else:
            self._current_row_changed(QModelIndex(), QModelIndex())

    def _set_enabled_for_session(self, session: Session | None) -> None:
        for widget in (self.rename_button, self.delete_button, self.projector_button, self.phones_button):
            widget.setEnabled(session is not None)
        self.new_button.setEnabled(self.document.store is not None)
        self.session_combo.setEnabled(self.document.store is not None)


    def show_banner(self, text: str, undo_delete: bool = False) -> None:
        self.banner_text.setText(text)
        self.banner_undo.setVisible(undo_delete and bool(self._deleted))
        self.banner.show()
        announce(self.banner, text, assertive=not undo_delete)

    def _update_undo_buttons(self) -> None:
        for button, action, keys in ((self.undo_button, self.undo_action, "Ctrl+Z"),
                                     (self.redo_button, self.redo_action, "Ctrl+Shift+Z")):
            button.setEnabled(action.isEnabled())
            button.setToolTip(plain_tooltip(f"{action.text()} ({keys})"))
            button.setAccessibleName(f"{action.text()} ({keys})")

    # Edits and their messages ---------------------------------------------------------------------

    @contextmanager
    def _messages_at(self, message: FieldMessage | None) -> Iterator[None]:
        previous = self._message_override
        self._message_override = message
        try:
            yield
        finally:
            self._message_override = previous

    def run_edit(self, edit: Callable[[], bool], message: FieldMessage | None = None) -> bool:
        """Run one edit, with any refusal shown at `message` (or where its field is shown); clear
        the message when the edit goes through."""
        with self._messages_at(message):
            done = edit()
        if done and message is not None:
            message.clear_message()
        return done

    def run_edit_at(self, message: FieldMessage | None) -> Callable[[Callable[[], bool]], bool]:
        return lambda edit: self.run_edit(edit, message)

    def _show_refusal(self, field: str, text: str) -> None:
        target = self._message_override or self._message_for_field(field)
        if target is None:
            self.show_banner(text)
        else:
            target.show_message(text)

    def _message_for_field(self, field: str) -> FieldMessage | None:
        detail = self.detail
        if field.startswith("priority.actions"):
            return detail._actions_message
        if field.startswith("priority.lessons"):
            return detail.lessons_message
        by_field = {
            "priority.title": detail.title_message,
            "priority.description": detail.description_message,
            "priority.notes": detail.notes_message,
            "priority.domains": detail.domains_message,
            "priority.group": detail.group_message,
            "priority.votes": self.table_message,
            "priority.index": self.table_message,
            "session.priorities": self.add_message,
        }
        if field in by_field:
            return by_field[field]
        if field.startswith("session."):
            name = field.split(".", 1)[1].split("[", 1)[0].split(".", 1)[0]
            return self.details_form.messages.get(name)
        return None

    def hideEvent(self, event: Any) -> None:
        self.flush_pending()  # leaving the screen writes what was being typed
        super().hideEvent(event)

    def flush_pending(self) -> None:
        """Write whatever has been typed and not yet written (before switching or closing)."""
        self.detail.flush()
        self.details_form.flush()

    # Priorities ------------------------------------------------------------------------------------

    def selected_priority_id(self) -> str | None:
        index = self.table.currentIndex()
        return index.data(Role.PRIORITY_ID) if index.isValid() else None

    def select_priority(self, priority_id: str) -> None:
        row = self.document.priorities.row_of(priority_id)
        if row >= 0:
            index = self.document.priorities.index(row, PriorityTableModel.TITLE)
            self.table.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
            self.table.scrollTo(index)

    def _current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        priority_id = current.data(Role.PRIORITY_ID) if current.isValid() else None
        if priority_id != self.detail.priority_id:
            self.detail.show_priority(priority_id)
        if not self.tally_button.isChecked():
            self.right.setCurrentWidget(self.detail if priority_id else self.no_priority)
        self._update_vote_panel()
        self.schedule_suggestions()

    def _on_priority_changed(self, priority_id: str) -> None:
        if priority_id == self.selected_priority_id():
            self.schedule_suggestions()

    def add_priority_shortcut(self) -> None:
        if self.new_priority_field.text().strip():
            self.add_typed_priority()
        else:
            self.tabs.setCurrentWidget(self.priorities_page)
            self.new_priority_field.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def add_typed_priority(self, lessons: list[str] | None = None) -> bool:
        title = self.new_priority_field.text()
        if not title.strip():
            self.add_message.show_message(self.tr("Type the priority first: a few words the group agreed."))
            self.new_priority_field.setFocus()
            return False
        priority = Priority(title=title, lessons=list(lessons or []))
        if not self.run_edit(lambda: self.document.add_priority(priority), self.add_message):
            return False
        self.new_priority_field.clear()
        self._preview_text = ""
        self.select_priority(self.document.priority_ids()[-1])
        self.new_priority_field.setFocus()
        announce(self.new_priority_field,
                 self.tr("Priority added: %1. %2 priorities now.")
                 .replace("%1", title.strip()).replace("%2", str(self.document.priority_count())))
        return True

    def delete_selected_priority(self) -> bool:
        priority_id = self.selected_priority_id()
        if priority_id is None:
            return False
        self.detail.flush()
        title = self.document.require_priority(priority_id).title
        if not self.run_edit(lambda: self.document.remove_priority(priority_id), self.table_message):
            return False
        announce(self.table, self.tr("Priority deleted: %s.") % title)
        self._focus_after_table_change()
        return True

    def _focus_after_table_change(self) -> None:
        """After a row went away, the keyboard stays in the table (on the next row), or goes
        to the new-priority field when the table is empty: never to the navigation."""
        if self.document.priority_count():
            if not self.table.currentIndex().isValid():
                self.select_priority(self.document.priority_ids()[0])
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.new_priority_field.setFocus(Qt.FocusReason.OtherFocusReason)

    def move_selected(self, step: int) -> bool:
        priority_id = self.selected_priority_id()
        if priority_id is None:
            return False
        new_index = self.document.index_of(priority_id) + step
        if not 0 <= new_index < self.document.priority_count():
            return False
        return self.run_edit(lambda: self.document.move_priority(priority_id, new_index), self.table_message)

    def vote_selected(self, delta: int) -> bool:
        priority_id = self.selected_priority_id()
        if priority_id is None:
            self.table_message.show_message(self.tr("Choose a priority in the list first, then vote."))
            return False
        if not self.run_edit(lambda: self.document.change_votes(priority_id, delta), self.table_message):
            return False
        priority = self.document.require_priority(priority_id)
        announce(self.table, self.tr("%1: votes now %2.").replace("%1", priority.title)
                 .replace("%2", str(priority.votes)))
        return True

    def rank_by_votes(self) -> bool:
        selected = self.selected_priority_id()
        done = self.run_edit(self.document.rank_by_votes, self.table_message)
        if selected:
            self.select_priority(selected)
        if done:
            announce(self.table, self.tr("Ranked by votes, most first."))
        return done

    def _update_vote_panel(self) -> None:
        priority_id = self.selected_priority_id()
        priority = self.document.priority(priority_id) if priority_id else None
        self.vote_count.setText(votes_text(priority.votes) if priority else self.tr("—"))
        self.vote_count.setAccessibleName(
            self.tr("Votes for the chosen priority: %s") % (priority.votes if priority else self.tr("none chosen")))
        # Each button set once, to what it ends as (set twice, it repaints twice for every batch
        # of phone votes).
        row = self.document.index_of(priority.id) if priority is not None else -1
        chosen = priority is not None
        for widget, enabled in ((self.vote_up_button, chosen), (self.delete_priority_button, chosen),
                                (self.vote_down_button, priority is not None and priority.votes > 0),
                                (self.move_up_button, chosen and row > 0),
                                (self.move_down_button, chosen and row < self.document.priority_count() - 1)):
            widget.setEnabled(enabled)
        count = self.document.priority_count()
        self.rank_button.setEnabled(count > 1)
        self.tally_button.setEnabled(count > 0 or self.tally_button.isChecked())

    # Tally mode -------------------------------------------------------------------------------------

    def set_tally_mode(self, on: bool) -> None:
        if self.tally_button.isChecked() != on:
            self.tally_button.setChecked(on)  # comes back here through toggled
            return
        if on:
            self.detail.flush()
            self.right.setCurrentWidget(self.tally)
        else:
            focused = QApplication.focusWidget()
            counting = focused is not None and self.tally.isAncestorOf(focused)
            self.right.setCurrentWidget(self.detail if self.selected_priority_id() else self.no_priority)
            if counting:  # "Done counting" went with the panel: back to the button that opened it
                self.tally_button.setFocus(Qt.FocusReason.OtherFocusReason)

    # Projector --------------------------------------------------------------------------------------

    def show_projector(self) -> None:
        if self.document.session is None:
            return
        self.flush_pending()
        try:
            if self._projector_window is None:
                self._projector_window = ProjectorWindow(self.document, near=self.window())
                self._projector_window.destroyed.connect(self._projector_closed)
            self._projector_window.show_full_screen()
        except Exception as error:  # no second screen to use, a bug: said and logged
            from nrp_desktop.ui.failures import tell_failure

            tell_failure(self, error, "opening the projector view",
                         self.tr("The projector view could not be opened: %s"))

    def projector_window(self) -> ProjectorWindow | None:
        """The projector's window, while it is open."""
        return self._projector_window

    def _projector_closed(self) -> None:
        self._projector_window = None

    def show_projector_preview(self) -> None:
        self.body.setCurrentWidget(self.projector_preview)
        self.projector_preview.setFocus()

    def hide_projector_preview(self) -> None:
        if self.body.currentWidget() is self.projector_preview:
            self.body.setCurrentWidget(self.tabs if self.document.session else self.no_session)

    # The example session (screenshots) --------------------------------------------------------------

    def _open_example(self) -> None:
        store = self.document.store
        if store is None:
            return
        session = example_session({lesson.slug for lesson in self.library.lessons} if self.library else None)
        store.save_session(session)
        self.session_replaced(session.id, open_it=True, remember=False)

    def session_replaced(self, session_id: str, open_it: bool = False, remember: bool = True) -> None:
        """A stored session was written from outside the editor: what is typed is written
        first, then the document shows the new copy (see SessionDocument.session_replaced)."""
        self.flush_pending()
        self.document.session_replaced(session_id, open_it=open_it, remember=remember)


