"""The session's own details (title, date, venue, tables …) and the dialog that starts a new
session."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QDate,
    QEvent,
    QObject,
    Qt,
    QTimer,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from nrp_desktop.domain.session import (
    GROUP_NAME_MAX,
    PARTICIPANTS_MAX,
    SESSION_NOTES_MAX,
    SESSION_TITLE_MAX,
    SHORT_TEXT_MAX,
)
from nrp_desktop.ui.document.texts import default_session_title
from nrp_desktop.ui.session.fields import (
    LANGUAGES,
    TYPING_DELAY_MS,
    FieldMessage,
    LimitedLineEdit,
    LimitedTextEdit,
    language_code,
    language_label,
    set_text_quietly,
)
from nrp_desktop.ui.widgets import (
    in_large_text,
    text_label,
)

if TYPE_CHECKING:
    from nrp_desktop.ui.session.editor import SessionEditor


class SessionDetailsForm(QWidget):
    """Title, date, venue, neighbourhood, facilitator, head count, language, notes and tables."""

    def __init__(self, editor: SessionEditor) -> None:
        super().__init__()
        self.editor = editor
        self.document = editor.document
        self._pending: dict[str, Any] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TYPING_DELAY_MS)
        self._timer.timeout.connect(self.flush)
        self.messages: dict[str, FieldMessage] = {}
        self._hints: list[QLabel] = []

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setVerticalSpacing(6)
        form.setHorizontalSpacing(16)

        def add_row(label: str, field: QWidget, name: str, hint: str = "") -> None:
            message = FieldMessage()
            self.messages[name] = message
            box = QWidget()
            column = QVBoxLayout(box)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(6)
            column.addWidget(field)
            if hint:
                # One line, unwrapped: QFormLayout gives wrapped labels too little height.
                hint_label = text_label(hint, "hint")
                hint_label.setWordWrap(False)
                column.addWidget(hint_label)
                self._hints.append(hint_label)
            column.addWidget(message)
            form.addRow(text_label(label, "formLabel", buddy=field), box)

        self.line_fields: dict[str, LimitedLineEdit] = {}
        for name, label, limit, placeholder in (
            ("title", self.tr("Title"), SESSION_TITLE_MAX,
             self.tr("For example: Residents' evening at the church hall")),
            ("venue", self.tr("Venue"), SHORT_TEXT_MAX, self.tr("Where you met")),
            ("neighbourhood", self.tr("Neighbourhood"), SHORT_TEXT_MAX, self.tr("The area the group lives in")),
            ("facilitator", self.tr("Facilitator"), SHORT_TEXT_MAX, self.tr("Who ran the session (a role is enough)")),
        ):
            field = LimitedLineEdit(limit, self.tr("the %s") % label.lower())
            field.setAccessibleName(self.tr("Session %s") % label.lower())
            field.setPlaceholderText(placeholder)
            field.textEdited.connect(lambda text, n=name: self._typed(n, text))
            field.editingFinished.connect(self.flush)
            self.line_fields[name] = field
            if name == "title":
                add_row(label, field, name)
                self.date_field = QDateEdit()
                self.date_field.setCalendarPopup(True)
                self.date_field.setDisplayFormat("d MMMM yyyy")
                self.date_field.setAccessibleName(self.tr("Date of the session"))
                self.date_field.dateChanged.connect(
                    lambda date: self._typed("date", dt.date(date.year(), date.month(), date.day())))
                add_row(self.tr("Date"), self.date_field, "date")
            else:
                add_row(label, field, name)
            field.refused.connect(self.messages[name].show_message)

        self.participants_field = QSpinBox()
        self.participants_field.setRange(-1, PARTICIPANTS_MAX)
        self.participants_field.setSpecialValueText(self.tr("Not counted"))
        self.participants_field.setObjectName("countField")
        self.participants_field.setMaximumWidth(200)
        self.participants_field.setAccessibleName(self.tr("Head count: how many took part"))
        self.participants_field.valueChanged.connect(
            lambda value: self._typed("participants", None if value < 0 else value))
        add_row(self.tr("Head count"), self.participants_field, "participants",
                self.tr("How many people took part: a number only, never names."))

        self.language_field = QComboBox()
        self.language_field.setEditable(True)
        for code in LANGUAGES:  # by name, the code beside it; the code is what is stored
            self.language_field.addItem(language_label(code), code)
        self.language_field.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.language_field.setAccessibleName(self.tr("Language of the handout"))
        self.language_field.lineEdit().setMaxLength(35)
        self.language_field.lineEdit().editingFinished.connect(self._commit_language)
        self.language_field.activated.connect(lambda _row: self._commit_language())
        add_row(self.tr("Language"), self.language_field, "language",
                self.tr("The handout's language: en English, ur Urdu, ar Arabic, pl Polish."))

        self.notes_field = LimitedTextEdit(SESSION_NOTES_MAX, self.tr("the session notes"))
        self.notes_field.setAccessibleName(self.tr("Notes about the session"))
        self.notes_field.setFixedHeight(96)
        self.notes_field.textChanged.connect(lambda: self._typed("notes", self.notes_field.toPlainText()))
        self.notes_field.installEventFilter(self)
        add_row(self.tr("Notes"), self.notes_field, "notes")
        self.notes_field.refused.connect(self.messages["notes"].show_message)

        # Table groups.
        self.groups_list = QListWidget()
        self.groups_list.setObjectName("groupsList")
        self.groups_list.setAccessibleName(self.tr("Table groups in the room"))
        self.groups_list.setFixedHeight(120)
        self.group_field = LimitedLineEdit(GROUP_NAME_MAX, self.tr("a table name"))
        self.group_field.setAccessibleName(self.tr("Name of a new table group"))
        self.group_field.setPlaceholderText(self.tr("For example: Table 3, or Young people"))
        self.group_field.returnPressed.connect(self.add_group)
        self.add_group_button = QPushButton(self.tr("Add table"))
        self.add_group_button.clicked.connect(self.add_group)
        self.rename_group_button = QPushButton(self.tr("Rename…"))
        self.rename_group_button.setAccessibleName(self.tr("Rename the selected table"))
        self.rename_group_button.clicked.connect(self._ask_rename_group)
        self.remove_group_button = QPushButton(self.tr("Remove"))
        self.remove_group_button.setAccessibleName(self.tr("Remove the selected table"))
        self.remove_group_button.clicked.connect(self.remove_selected_group)
        groups_box = QWidget()
        groups_layout = QVBoxLayout(groups_box)
        groups_layout.setContentsMargins(0, 0, 0, 0)
        groups_layout.setSpacing(6)
        groups_layout.addWidget(self.groups_list)
        add_row_layout = QHBoxLayout()
        add_row_layout.addWidget(self.group_field, 1)
        add_row_layout.addWidget(self.add_group_button)
        add_row_layout.addWidget(self.rename_group_button)
        add_row_layout.addWidget(self.remove_group_button)
        groups_layout.addLayout(add_row_layout)
        add_row(self.tr("Table groups"), groups_box, "groups",
                self.tr("The tables in the room, so each priority can say which one raised it."))
        self.group_field.refused.connect(self.messages["groups"].show_message)

        body = QWidget()
        body.setObjectName("detailBody")
        outer = QVBoxLayout(body)
        outer.setContentsMargins(16, 16, 16, 16)
        outer.addLayout(form)
        outer.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes straight to the fields inside
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

        self.document.session_opened.connect(lambda _session: self.refresh(force=True))
        self.document.fields_changed.connect(self.refresh)
        self.document.groups_changed.connect(self._fill_groups)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            # Large text: the hints wrap, or one line each would hold the form wider than a
            # 1024-pixel screen's pane (the rows stack their labels above the fields by then).
            for hint in self._hints:
                hint.setWordWrap(in_large_text(self))

    def refresh(self, force: bool = False) -> None:
        session = self.document.session
        if force:
            self._timer.stop()
            self._pending.clear()
            for message in self.messages.values():
                message.clear_message()
        if session is None:
            return
        for name, field in self.line_fields.items():
            if name not in self._pending:
                set_text_quietly(field, getattr(session, name))
        for widget, setter, value in (
            (self.date_field, self.date_field.setDate,
             QDate(session.date.year, session.date.month, session.date.day)),
            (self.participants_field, self.participants_field.setValue,
             -1 if session.participants is None else session.participants),
        ):
            widget.blockSignals(True)
            setter(value)
            widget.blockSignals(False)
        self.language_field.blockSignals(True)
        self.language_field.setCurrentText(language_label(session.language))
        self.language_field.blockSignals(False)
        if "notes" not in self._pending:
            set_text_quietly(self.notes_field, session.notes)
        self._fill_groups()

    def _fill_groups(self) -> None:
        session = self.document.session
        current = self.groups_list.currentItem().text() if self.groups_list.currentItem() else None
        self.groups_list.clear()
        for name in session.groups if session else []:
            self.groups_list.addItem(name)
            if name == current:
                self.groups_list.setCurrentRow(self.groups_list.count() - 1)

    def _typed(self, name: str, value: Any) -> None:
        limit = {"title": SESSION_TITLE_MAX, "notes": SESSION_NOTES_MAX}.get(name, SHORT_TEXT_MAX)
        if isinstance(value, str) and len(value.strip()) > limit:
            self.messages[name].show_message(
                self.tr("This is %1 characters; the most it can hold is %2. It is not saved until it fits.")
                .replace("%1", f"{len(value.strip()):,}").replace("%2", f"{limit:,}"))
            self._pending.pop(name, None)
            return
        self._pending[name] = value
        self._timer.start()

    def _commit_language(self) -> None:
        code = language_code(self.language_field.currentText())
        self._commit_now("language", code)
        if self.document.session is not None and self.document.session.language == code:
            set_text_quietly(self.language_field.lineEdit(), language_label(code))

    def _commit_now(self, name: str, value: Any) -> None:
        self._pending[name] = value
        self.flush()

    def flush(self) -> None:
        self._timer.stop()
        pending, self._pending = self._pending, {}
        if self.document.session is None:
            return
        for name, value in pending.items():
            self.editor.run_edit(lambda n=name, v=value: self.document.edit_session_fields(**{n: v}),
                                 self.messages[name])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut and watched is self.notes_field:
            self.flush()
        return super().eventFilter(watched, event)

    def add_group(self) -> bool:
        session = self.document.session
        name = self.group_field.text().strip()
        if session is None:
            return False
        if not name:
            self.messages["groups"].show_message(self.tr("Type the table's name first."))
            return False
        if name in session.groups:
            self.messages["groups"].show_message(self.tr("There is already a table called “%s”.") % name)
            return False
        if self.editor.run_edit(lambda: self.document.set_groups([*session.groups, name], f"add the table “{name}”"),
                                self.messages["groups"]):
            self.group_field.clear()
            return True
        return False

    def remove_selected_group(self) -> bool:
        session = self.document.session
        item = self.groups_list.currentItem()
        if session is None or item is None:
            self.messages["groups"].show_message(self.tr("Choose the table to remove first."))
            return False
        name = item.text()
        return self.editor.run_edit(
            lambda: self.document.set_groups([g for g in session.groups if g != name], f"remove the table “{name}”"),
            self.messages["groups"])

    def _ask_rename_group(self) -> None:
        item = self.groups_list.currentItem()
        if item is None:
            self.messages["groups"].show_message(self.tr("Choose the table to rename first."))
            return
        new_name, accepted = QInputDialog.getText(self, self.tr("Rename a table"), self.tr("New name:"),
                                                  text=item.text())
        if accepted:
            self.rename_group(item.text(), new_name)

    def rename_group(self, old_name: str, new_name: str) -> bool:
        if not new_name.strip() or new_name.strip() == old_name:
            return False
        return self.editor.run_edit(lambda: self.document.rename_group(old_name, new_name), self.messages["groups"])


class NewSessionDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Start a new session"))
        today = dt.date.today()
        self.title_field = LimitedLineEdit(SESSION_TITLE_MAX, self.tr("the title"))
        self.title_field.setText(default_session_title(today))
        self.title_field.selectAll()
        self.title_field.setAccessibleName(self.tr("Title of the new session"))
        self.date_field = QDateEdit(QDate(today.year, today.month, today.day))
        self.date_field.setCalendarPopup(True)
        self.date_field.setDisplayFormat("d MMMM yyyy")
        self.date_field.setAccessibleName(self.tr("Date of the new session"))
        self.message = FieldMessage()
        self.title_field.refused.connect(self.message.show_message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Start the session"))
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(text_label(self.tr("Title"), buddy=self.title_field), self.title_field)
        form.addRow("", self.message)
        form.addRow(text_label(self.tr("Date"), buddy=self.date_field), self.date_field)
        form.addRow(buttons)
        self.setMinimumWidth(480)

    def values(self) -> tuple[str, dt.date]:
        date = self.date_field.date()
        return self.title_field.text(), dt.date(date.year(), date.month(), date.day())

    def _accept(self) -> None:
        if not self.title_field.text().strip():
            self.message.show_message(self.tr("A session needs a title: a few words are enough."))
            return
        self.accept()
