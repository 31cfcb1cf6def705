"""The selected priority in detail: its words, domains, table, actions and lessons."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QEvent,
    QObject,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from nrp_desktop.domain.session import (
    ACTION_WHAT_MAX,
    PRIORITY_TEXT_MAX,
    PRIORITY_TITLE_MAX,
    SHORT_TEXT_MAX,
    Action,
)
from nrp_desktop.ui.document.priority_models import ActionListModel
from nrp_desktop.ui.document.texts import Role
from nrp_desktop.ui.session.fields import (
    NO_TABLE,
    TYPING_DELAY_MS,
    FieldMessage,
    LimitedLineEdit,
    LimitedTextEdit,
    set_text_quietly,
)
from nrp_desktop.ui.session.views import ActionDelegate, ButtonRowList, DomainToggles
from nrp_desktop.ui.widgets import arranged, text_label
from nrp_desktop.ui.widgets.announce import announce

if TYPE_CHECKING:
    from nrp_desktop.ui.session.editor import SessionEditor


TAB_MARGINS = (12, 12, 12, 12)  # inside each tab of a priority's details


class PriorityDetail(QWidget):
    """Title, suggested and linked lessons, domains, table, description and notes; actions; and
    a searchable list to link any lesson by hand."""

    title_typing = Signal(str)
    open_link_requested = Signal(str)

    def __init__(self, editor: SessionEditor) -> None:
        super().__init__()
        self.editor = editor
        self.document = editor.document
        self.priority_id: str | None = None
        self._pending: dict[tuple[str, str], str] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TYPING_DELAY_MS)
        self._timer.timeout.connect(self.flush)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("About the chosen priority"))
        self.tabs.addTab(self._build_details_tab(), self.tr("Priority"))
        self.tabs.addTab(self._build_actions_tab(), self.tr("Actions"))
        self.tabs.addTab(self._build_lessons_tab(), self.tr("Find a lesson"))
        self.tabs.setUsesScrollButtons(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

        self.document.priority_changed.connect(self._on_priority_changed)
        self.document.groups_changed.connect(self._fill_groups)

    # Building ---------------------------------------------------------------------------------

    def _build_details_tab(self) -> QWidget:
        self.title_field = LimitedLineEdit(PRIORITY_TITLE_MAX, self.tr("a title"))
        self.title_field.setObjectName("priorityTitle")
        self.title_field.setAccessibleName(self.tr("Title of the chosen priority"))
        self.title_field.textEdited.connect(lambda text: self._typed("title", text))
        self.title_field.textEdited.connect(self.title_typing)
        self.title_field.editingFinished.connect(self.flush)
        self.title_message = FieldMessage()
        self.title_field.refused.connect(self.title_message.show_message)

        self.suggestion_heading = text_label(self.tr("Lessons that fit, best first"), "sectionLabel")
        self.suggestion_view = ButtonRowList(self.tr("Lessons that fit this priority"))
        self.suggestion_empty = text_label("", "hint")
        self.linked_view = ButtonRowList(self.tr("Lessons linked to this priority"))
        self.linked_view.max_rows = 4
        self.linked_view.setModel(self.editor.linked_model)
        self.linked_view.button_delegate.clicked.connect(self._unlink_row)
        self.linked_view.delete_pressed.connect(self._unlink_row)
        self.linked_view.activated_row.connect(self._open_linked_row)
        self.linked_view.doubleClicked.connect(lambda index: self._open_linked_row(index.row()))
        self.linked_empty = text_label(
            self.tr("None linked yet: link a lesson above, or find one in “Find a lesson”."), "hint")
        self.lessons_message = FieldMessage()

        self.domains = DomainToggles()
        self.domains.changed.connect(self._domains_changed)
        self.domains_message = FieldMessage()

        self.group_combo = QComboBox()
        self.group_combo.setAccessibleName(self.tr("Which table raised it"))
        self.group_combo.activated.connect(self._group_chosen)
        self.group_message = FieldMessage()

        self.description_field = LimitedTextEdit(PRIORITY_TEXT_MAX, self.tr("the description"))
        self.description_field.setAccessibleName(self.tr("Description: what the group said about it"))
        self.description_field.setPlaceholderText(self.tr("What the group said about it, in their words"))
        self.description_field.setFixedHeight(88)
        self.description_field.textChanged.connect(
            lambda: self._typed("description", self.description_field.toPlainText()))
        self.description_message = FieldMessage()
        self.description_field.refused.connect(self.description_message.show_message)

        self.notes_field = LimitedTextEdit(PRIORITY_TEXT_MAX, self.tr("the notes"))
        self.notes_field.setAccessibleName(self.tr("Facilitator's notes on this priority"))
        self.notes_field.setPlaceholderText(self.tr("Anything to remember about it"))
        self.notes_field.setFixedHeight(88)
        self.notes_field.textChanged.connect(lambda: self._typed("notes", self.notes_field.toPlainText()))
        self.notes_message = FieldMessage()
        self.notes_field.refused.connect(self.notes_message.show_message)
        for field in (self.description_field, self.notes_field):
            field.installEventFilter(self)

        body = QWidget()
        body.setObjectName("detailBody")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(6)
        layout.addWidget(text_label(self.tr("Title"), "sectionLabel", buddy=self.title_field))
        layout.addWidget(self.title_field)
        layout.addWidget(self.title_message)
        layout.addWidget(self.suggestion_heading)
        layout.addWidget(self.suggestion_view)
        layout.addWidget(self.suggestion_empty)
        layout.addWidget(text_label(self.tr("Linked lessons (these go on the handout)"), "sectionLabel"))
        layout.addWidget(self.linked_view)
        layout.addWidget(self.linked_empty)
        layout.addWidget(self.lessons_message)
        layout.addWidget(text_label(self.tr("Domains"), "sectionLabel"))
        layout.addWidget(self.domains)
        layout.addWidget(self.domains_message)
        layout.addWidget(text_label(self.tr("Which table raised it"), "sectionLabel", buddy=self.group_combo))
        layout.addWidget(self.group_combo)
        layout.addWidget(self.group_message)
        layout.addWidget(text_label(self.tr("Description"), "sectionLabel", buddy=self.description_field))
        layout.addWidget(self.description_field)
        layout.addWidget(self.description_message)
        layout.addWidget(text_label(self.tr("Notes"), "sectionLabel", buddy=self.notes_field))
        layout.addWidget(self.notes_field)
        layout.addWidget(self.notes_message)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(body)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes straight to the fields inside
        self.details_scroll = scroll
        return scroll

    def show_suggestions(self) -> None:
        """Bring the suggestions into view (while a new priority is typed on the left)."""
        self.tabs.setCurrentIndex(0)
        self.details_scroll.verticalScrollBar().setValue(0)

    def _build_actions_tab(self) -> QWidget:
        self._actions_message = FieldMessage()
        self.action_model = ActionListModel(self.document, self)
        self.action_view = QTableView()
        self.action_view.setTabKeyNavigation(False)  # Tab leaves the table; the arrows move inside
        self.action_view.setObjectName("actionTable")
        self.action_view.setAccessibleName(self.tr("Actions: what needs doing, who, by when"))
        self.action_view.setModel(self.action_model)
        self.action_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.action_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.action_view.setWordWrap(True)
        self.action_view.verticalHeader().hide()
        self.action_view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.action_view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, 96)
        header.resizeSection(2, 84)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.action_view.setItemDelegate(ActionDelegate(self.editor.run_edit_at(self._actions_message), self))
        self.action_model.modelReset.connect(self._update_action_tab_title)
        QShortcut(QKeySequence(Qt.Key.Key_Delete), self.action_view, self.remove_selected_action,
                  context=Qt.ShortcutContext.WidgetShortcut)

        self.what_field = LimitedLineEdit(ACTION_WHAT_MAX, self.tr("“What needs doing”"))
        self.what_field.setAccessibleName(self.tr("New action: what needs doing"))
        self.what_field.setPlaceholderText(self.tr("What needs doing"))
        self.who_field = LimitedLineEdit(SHORT_TEXT_MAX, self.tr("“Who”"))
        self.who_field.setAccessibleName(self.tr("New action: who will do it"))
        self.who_field.setPlaceholderText(self.tr("Who (a role or a team, no need for names)"))
        self.when_field = LimitedLineEdit(SHORT_TEXT_MAX, self.tr("“By when”"))
        self.when_field.setAccessibleName(self.tr("New action: by when"))
        self.when_field.setPlaceholderText(self.tr("By when"))
        for field in (self.what_field, self.who_field, self.when_field):
            field.returnPressed.connect(self.add_action)
            field.refused.connect(lambda text: self._actions_message.show_message(text))
        self.add_action_button = QPushButton(self.tr("Add action"))
        self.add_action_button.setObjectName("primary")
        self.add_action_button.setAccessibleName(self.tr("Add action"))
        self.add_action_button.setAccessibleDescription(self.tr("Add this action to the priority"))
        self.add_action_button.clicked.connect(self.add_action)
        self.remove_action_button = QPushButton(self.tr("Remove action"))
        self.remove_action_button.setAccessibleName(self.tr("Remove action"))
        self.remove_action_button.setAccessibleDescription(self.tr("Remove the selected action"))
        self.remove_action_button.setToolTip(self.tr("Remove the selected action (Delete)"))
        self.remove_action_button.clicked.connect(self.remove_selected_action)

        form = QGridLayout()
        form.setHorizontalSpacing(8)
        form.setVerticalSpacing(6)
        form.addWidget(self.what_field, 0, 0, 1, 2)
        form.addWidget(self.who_field, 1, 0)
        form.addWidget(self.when_field, 1, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_action_button)
        buttons.addStretch(1)
        buttons.addWidget(self.remove_action_button)
        self._action_buttons = buttons

        from nrp_desktop.ui.session.action_state import ActionStateBar

        self.action_state = ActionStateBar(self.document, self.action_view, self.action_model,
                                           self.editor.run_edit_at(self._actions_message))
        return arranged([
            text_label(self.tr("What will happen next, who will do it, and by when. "
                               "Double-click an action to change it."), "hint"),
            (self.action_view, 1),
            self.action_state,
            self._actions_message,
            text_label(self.tr("A new action"), "sectionLabel"),
            form,
            buttons,
        ], margins=TAB_MARGINS)

    def _build_lessons_tab(self) -> QWidget:
        self.lesson_filter = QLineEdit()
        self.lesson_filter.setObjectName("lessonFilter")
        self.lesson_filter.setClearButtonEnabled(True)
        self.lesson_filter.setAccessibleName(self.tr("Find a lesson"))
        self.lesson_filter.setPlaceholderText(self.tr("Type to find a lesson: a word, a number or a neighbourhood"))
        self.lesson_filter.textChanged.connect(self.editor.lesson_proxy.set_filter_text)
        self.picker_view = ButtonRowList(self.tr("All lessons"))
        self.picker_view.max_rows = 0  # a full list that scrolls
        self.picker_view.setModel(self.editor.lesson_proxy)
        self.picker_view.button_delegate.clicked.connect(self._link_picked_row)
        self.picker_view.activated_row.connect(self._link_picked_row)
        self.picker_view.doubleClicked.connect(
            lambda index: self.open_link_requested.emit(index.data(Role.LINK)))
        self.picker_message = FieldMessage()
        return arranged([
            text_label(self.tr("Link any lesson by hand: it goes on the handout with this priority. "
                               "Double-click a lesson to read it in the library."), "hint"),
            self.lesson_filter,
            (self.picker_view, 1),
            self.picker_message,
        ], margins=TAB_MARGINS)

    def stack_rows(self, stacked: bool) -> None:
        """Large text: the actions' rows (their state, Add and Remove) one under another, so
        the pane beside the priorities can stay narrow on a small screen."""
        direction = QBoxLayout.Direction.TopToBottom if stacked else QBoxLayout.Direction.LeftToRight
        for layout in (self._action_buttons, self.action_state.layout()):
            if isinstance(layout, QBoxLayout):
                layout.setDirection(direction)

    # Showing a priority ---------------------------------------------------------------------------

    def show_priority(self, priority_id: str | None) -> None:
        self.flush()
        for message in self.messages():
            message.clear_message()
        if priority_id != self.priority_id:  # another priority is read from its top
            self.details_scroll.verticalScrollBar().setValue(0)
        self.priority_id = priority_id
        self.action_model.set_priority(priority_id)
        self.editor.linked_model.set_priority(priority_id)
        self.setEnabled(priority_id is not None)
        self._fill_groups()
        self._refresh(force=True)

    def messages(self) -> list[FieldMessage]:
        return [self.title_message, self.lessons_message, self.domains_message, self.group_message,
                self.description_message, self.notes_message, self._actions_message, self.picker_message]

    def _on_priority_changed(self, priority_id: str) -> None:
        if priority_id == self.priority_id:
            self._refresh()

    def _refresh(self, force: bool = False) -> None:
        priority = self.document.priority(self.priority_id) if self.priority_id else None
        if priority is None:
            for field in (self.title_field, self.description_field, self.notes_field):
                field.blockSignals(True)
                field.clear()
                field.blockSignals(False)
            self.domains.set_selected([])
            self._update_lists()
            return
        for field, name in ((self.title_field, "title"), (self.description_field, "description"),
                            (self.notes_field, "notes")):
            if force or (self.priority_id, name) not in self._pending:
                if force:
                    field.blockSignals(True)
                    if isinstance(field, QLineEdit):
                        field.setText(getattr(priority, name))
                        field.setCursorPosition(0)
                    else:
                        field.setPlainText(getattr(priority, name))
                    field.blockSignals(False)
                else:
                    set_text_quietly(field, getattr(priority, name))
        self.domains.set_selected(priority.domains)
        self._select_group(priority.group)
        self._update_lists()

    def _update_lists(self) -> None:
        priority = self.document.priority(self.priority_id) if self.priority_id else None
        linked = priority.lessons if priority else []
        self.linked_empty.setVisible(not linked)
        self.linked_view.setVisible(bool(linked))
        self.linked_view.fit_height()
        self.editor.lesson_picker.set_linked(linked)
        self._update_action_tab_title()

    def _update_action_tab_title(self) -> None:
        count = self.action_model.rowCount()
        self.tabs.setTabText(1, self.tr("Actions (%d)") % count if count else self.tr("Actions"))

    def _fill_groups(self) -> None:
        session = self.document.session
        groups = session.groups if session else []
        self.group_combo.blockSignals(True)
        self.group_combo.clear()
        self.group_combo.addItem(self.tr(NO_TABLE), None)
        for name in groups:
            self.group_combo.addItem(name, name)
        self.group_combo.blockSignals(False)
        priority = self.document.priority(self.priority_id) if self.priority_id else None
        self._select_group(priority.group if priority else None)
        self.group_combo.setEnabled(bool(groups))
        self.group_combo.setToolTip("" if groups else self.tr("Add the tables in “Session details” first"))

    def _select_group(self, group: str | None) -> None:
        index = self.group_combo.findData(group) if group is not None else 0
        self.group_combo.blockSignals(True)
        self.group_combo.setCurrentIndex(max(0, index))
        self.group_combo.blockSignals(False)

    # Editing --------------------------------------------------------------------------------------

    def _typed(self, field: str, text: str) -> None:
        if self.priority_id is None:
            return
        widget_limit = PRIORITY_TITLE_MAX if field == "title" else PRIORITY_TEXT_MAX
        message = self._message_for(field)
        if len(text.strip()) > widget_limit:
            message.show_message(
                self.tr("This is %1 characters; the most it can hold is %2. It is not saved until it fits.")
                .replace("%1", f"{len(text.strip()):,}").replace("%2", f"{widget_limit:,}"))
            self._pending.pop((self.priority_id, field), None)
            return
        self._pending[(self.priority_id, field)] = text
        self._timer.start()

    def _message_for(self, field: str) -> FieldMessage:
        return {"title": self.title_message, "description": self.description_message,
                "notes": self.notes_message}[field]

    def flush(self) -> None:
        """Write what has been typed and not yet written."""
        self._timer.stop()
        pending, self._pending = self._pending, {}
        for (priority_id, field), text in pending.items():
            if self.document.priority(priority_id) is None:
                continue
            message = self._message_for(field) if priority_id == self.priority_id else None
            self.editor.run_edit(lambda p=priority_id, f=field, t=text: self.document.edit_priority_text(p, f, t),
                                 message)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut and watched in (self.description_field, self.notes_field):
            self.flush()
        return super().eventFilter(watched, event)

    def _domains_changed(self, domains: list[str]) -> None:
        priority_id = self.priority_id
        if priority_id is None:
            return
        if not self.editor.run_edit(lambda: self.document.set_priority_domains(priority_id, domains),
                                    self.domains_message):
            self._refresh()
        self.editor.schedule_suggestions()

    def _group_chosen(self, _row: int) -> None:
        priority_id = self.priority_id
        if priority_id is not None:
            group = self.group_combo.currentData()
            if not self.editor.run_edit(lambda: self.document.set_priority_group(priority_id, group),
                                        self.group_message):
                self._refresh()

    def add_action(self) -> bool:
        priority_id = self.priority_id
        if priority_id is None:
            return False
        action = Action(self.what_field.text(), self.who_field.text(), self.when_field.text())
        if not action.what.strip():
            self._actions_message.show_message(self.tr("Say what needs doing first (who and when can wait)."))
            self.what_field.setFocus()
            return False
        if self.editor.run_edit(lambda: self.document.add_action(priority_id, action), self._actions_message):
            for field in (self.what_field, self.who_field, self.when_field):
                field.clear()
            self.what_field.setFocus()
            announce(self.what_field, self.tr("Action added: %s.") % action.what.strip())
            return True
        return False

    def remove_selected_action(self) -> bool:
        row = self.action_view.currentIndex().row()
        priority_id = self.priority_id
        if priority_id is None or row < 0:
            self._actions_message.show_message(self.tr("Choose the action to remove first."))
            return False
        return self.editor.run_edit(lambda: self.document.remove_action(priority_id, row),
                                    self._actions_message)

    def _unlink_row(self, row: int) -> None:
        priority_id = self.priority_id
        if priority_id is None or not 0 <= row < self.editor.linked_model.rowCount():
            return
        slug = self.editor.linked_model.slug(row)
        lesson = self.editor.linked_model.lesson(row)
        had_focus = self.linked_view.hasFocus()
        if not self.editor.run_edit(
                lambda: self.document.unlink_lesson(priority_id, slug, lesson.title if lesson else ""),
                self.lessons_message):
            return
        announce(self.linked_view, self.tr("Lesson removed: %s.") % (lesson.title if lesson else slug))
        if had_focus and not self.linked_view.isVisibleTo(self):
            # The last link went, and the list with it: the keyboard goes to the suggestions.
            target = self.suggestion_view if self.suggestion_view.isVisibleTo(self) else self.title_field
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _open_linked_row(self, row: int) -> None:
        if 0 <= row < self.editor.linked_model.rowCount():
            self.open_link_requested.emit(self.editor.linked_model.index(row).data(Role.LINK))

    def _link_picked_row(self, row: int) -> None:
        index = self.editor.lesson_proxy.index(row, 0)
        priority_id = self.priority_id
        if priority_id is None or not index.isValid() or not index.data(Role.BUTTON_ENABLED):
            return
        slug = index.data(Role.SLUG)
        title = self.editor.lesson_picker.lesson(self.editor.lesson_proxy.mapToSource(index).row()).title
        if self.editor.run_edit(lambda: self.document.link_lesson(priority_id, slug, title), self.picker_message):
            announce(self.picker_view, self.tr("Lesson linked: %s.") % title)
