""""Since last time" on the projector (contract.md §5.1, issue 14.3): at the start of a
follow-up session the group goes through every action carried from last time, one at a time,
in large type (what was agreed, who, by when), and marks it done, started or dropped with a
note of what happened.

Every mark is one undoable edit of the open session (`SessionDocument.set_action_state`), so
it is on disk at once and Ctrl+Z in the editor takes it back. Keys: D done, S started, R
dropped, A still agreed (when the note field does not have the focus), Enter in the note
saves it and goes on; → / Page Down next, ← / Page Up previous, Esc closes.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from nrp_desktop import i18n
from nrp_desktop.domain.followup import carried_actions
from nrp_desktop.domain.session import ACTION_PROGRESS_MAX, Action, Priority
from nrp_desktop.ui.document.document import SessionDocument
from nrp_desktop.ui.session.projector import cover_projector_screen
from nrp_desktop.ui.widgets import text_label

BODY_SHARE = 1 / 26  # body text height as a share of the window height, as the projector
BODY_MIN_PX = 16
STATE_WORDS = {"agreed": "Not started yet", "started": "Started", "done": "Done", "dropped": "Dropped"}
# (status, button text with its Alt mnemonic, plain key)
MARKS = (("done", "&Done", "D"), ("started", "&Started", "S"), ("dropped", "D&ropped", "R"),
         ("agreed", "Still &agreed", "A"))


def _plain_label(name: str, wrap: bool = True) -> QLabel:
    label = text_label("", name, wrap)  # the group's own words, never rich text
    label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    return label


class SinceLastTimeReview(QWidget):
    """One carried action at a time, large, with the marks the group gives it."""

    close_requested = Signal()

    def __init__(self, document: SessionDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.index = 0
        self._items: list[tuple[Priority, Action]] = []
        self.setObjectName("sinceLastTime")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # so its keys work before a click
        self.setAccessibleName(self.tr("Since last time: the actions agreed last time, one by one"))
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)  # black on white
        from nrp_desktop.ui.theme import set_themed_style

        set_themed_style(
            self, "QWidget#sinceLastTime { background: #FFFFFF; }"
            "QLabel { color: #000000; background: transparent; }"
            "QLabel#sltMuted, QLabel#sltCount { color: #262626; }"
        )

        self.count_label = _plain_label("sltCount", wrap=False)
        self.priority_label = _plain_label("sltMuted")
        self.what_label = _plain_label("sltWhat")
        self.what_label.setAccessibleName(self.tr("What was agreed"))
        self.who_label = _plain_label("sltDetail")
        self.when_label = _plain_label("sltDetail")
        self.state_label = _plain_label("sltState")
        self.empty_label = _plain_label("sltWhat")
        self.empty_label.setText(self.tr("No action was carried over from last time."))
        self.progress_field = QLineEdit()
        self.progress_field.setObjectName("sltProgress")
        self.progress_field.setMaxLength(ACTION_PROGRESS_MAX)
        self.progress_field.setAccessibleName(self.tr("What happened since it was agreed"))
        self.progress_field.setPlaceholderText(self.tr("What happened since? (you said, we did)"))
        self.progress_field.returnPressed.connect(self.save_note_and_next)

        self.mark_buttons: dict[str, QPushButton] = {}
        marks = QHBoxLayout()
        marks.setSpacing(16)
        for status, text, key in MARKS:
            button = QPushButton(self.tr(text))
            button.setObjectName(f"slt_{status}")
            button.setAccessibleName(self.tr("Mark it: %s") % self.tr(STATE_WORDS[status]))
            button.setToolTip(self.tr("Key: %s") % key)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            button.clicked.connect(lambda _checked=False, s=status: self.mark(s))
            marks.addWidget(button)
            self.mark_buttons[status] = button
        self.previous_button = QPushButton(self.tr("◀ Previous"))
        self.previous_button.setAccessibleName(self.tr("The previous action"))
        self.previous_button.clicked.connect(self.previous)
        self.next_button = QPushButton(self.tr("Next ▶"))
        self.next_button.setAccessibleName(self.tr("The next action"))
        self.next_button.clicked.connect(self.next)
        self.close_button = QPushButton(self.tr("Close (Esc)"))
        self.close_button.clicked.connect(self.close_requested)
        moves = QHBoxLayout()
        moves.addWidget(self.previous_button)
        moves.addStretch(1)
        moves.addWidget(self.close_button)
        moves.addStretch(1)
        moves.addWidget(self.next_button)

        heading = _plain_label("sltHeading", wrap=False)
        heading.setText(self.tr("Since last time"))
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(self.count_label)
        self.heading = heading

        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addLayout(top)
        layout.addWidget(self.priority_label)
        layout.addWidget(self.what_label)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.who_label)
        layout.addWidget(self.when_label)
        layout.addStretch(1)
        layout.addWidget(self.state_label)
        layout.addWidget(self.progress_field)
        layout.addLayout(marks)
        layout.addLayout(moves)

        document.priority_changed.connect(lambda _id: self._show())
        document.session_opened.connect(lambda _session: self.reload())
        self.reload()
        self._size_type()

    # What is shown ------------------------------------------------------------------------

    def reload(self) -> None:
        """Take the carried actions afresh from the open session."""
        session = self.document.session
        self._items = carried_actions(session) if session is not None else []
        self.index = min(self.index, max(0, len(self._items) - 1))
        self._show()

    def current(self) -> tuple[Priority, Action] | None:
        if not self._items:
            return None
        priority, action = self._items[self.index]
        found = self.document.action(action.id)  # the action as it stands now
        return found if found is not None else (priority, action)

    def _show(self) -> None:
        current = self.current()
        has_item = current is not None
        for widget in (self.priority_label, self.what_label, self.who_label, self.when_label,
                       self.state_label, self.progress_field, *self.mark_buttons.values()):
            widget.setVisible(has_item)
        self.empty_label.setVisible(not has_item)
        self.previous_button.setEnabled(has_item and self.index > 0)
        self.next_button.setEnabled(has_item and self.index < len(self._items) - 1)
        if current is None:
            self.count_label.setText("")
            return
        priority, action = current
        self.count_label.setText(self.tr("%1 of %2").replace("%1", str(self.index + 1))
                                 .replace("%2", str(len(self._items))))
        self.priority_label.setText(self.tr("For: %s") % i18n.isolate(priority.title))
        self.what_label.setText(action.what)
        self.who_label.setText(self.tr("Who: %s") % i18n.isolate(action.who) if action.who.strip() else "")
        self.who_label.setVisible(bool(action.who.strip()))
        self.when_label.setText(self.tr("By when: %s") % i18n.isolate(action.when) if action.when.strip() else "")
        self.when_label.setVisible(bool(action.when.strip()))
        self.state_label.setText(self.tr("Now: %s") % self.tr(STATE_WORDS.get(action.status, action.status)))
        if not self.progress_field.hasFocus() or self.progress_field.text() == "":
            self.progress_field.setText(action.progress)
            self.progress_field.setCursorPosition(0)  # a long note shows its start, not its end
        for status, button in self.mark_buttons.items():
            button.setProperty("current", status == action.status)
            font = button.font()
            font.setBold(status == action.status)
            font.setUnderline(status == action.status)  # the current mark, not by colour alone
            button.setFont(font)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Keys that reach the screen itself (the note field keeps the letters typed in it)."""
        key = Qt.Key(event.key())
        marks = {Qt.Key.Key_D: "done", Qt.Key.Key_S: "started", Qt.Key.Key_R: "dropped",
                 Qt.Key.Key_A: "agreed"}
        plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if plain and key in marks:
            self.mark(marks[key])
        elif key in (Qt.Key.Key_Right, Qt.Key.Key_PageDown):
            self.next()
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_PageUp):
            self.previous()
        elif key == Qt.Key.Key_Escape:
            self.close_requested.emit()
        else:
            super().keyPressEvent(event)

    # Marking -----------------------------------------------------------------------------

    def mark(self, status: str) -> bool:
        """Give the shown action this state, with the note as typed; then go on to the next."""
        current = self.current()
        if current is None:
            return False
        _priority, action = current
        note = self.progress_field.text()
        done = self.document.set_action_state(
            action.id, status=status, progress=note if note.strip() != action.progress else None)
        if done:
            self.next()
        return done

    def save_note_and_next(self) -> None:
        current = self.current()
        if current is None:
            return
        _priority, action = current
        changed = self.progress_field.text().strip() != action.progress
        if changed and not self.document.set_action_state(action.id, progress=self.progress_field.text()):
            return
        self.next()

    def next(self) -> None:
        if self.index < len(self._items) - 1:
            self.index += 1
            self.progress_field.clear()
            self._show()

    def previous(self) -> None:
        if self.index > 0:
            self.index -= 1
            self.progress_field.clear()
            self._show()

    # Large type ----------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._size_type()

    def _size_type(self) -> None:
        body = max(BODY_MIN_PX, int(self.height() * BODY_SHARE))
        margin = max(12, int(self.width() * 0.04))
        layout = self.layout()
        if layout is not None:
            layout.setContentsMargins(margin, margin // 2, margin, margin // 2)

        def sized(factor: float, bold: bool = False) -> QFont:
            font = QFont(self.font())
            font.setPixelSize(max(1, int(body * factor)))
            font.setBold(bold)
            return font

        self.heading.setFont(sized(1.1, bold=True))
        self.count_label.setFont(sized(0.9))
        self.priority_label.setFont(sized(0.9))
        self.what_label.setFont(sized(1.5, bold=True))
        self.empty_label.setFont(sized(1.3, bold=True))
        for label in (self.who_label, self.when_label):
            label.setFont(sized(1.0))
        self.state_label.setFont(sized(1.0, bold=True))
        self.progress_field.setFont(sized(0.9))
        for button in (*self.mark_buttons.values(), self.previous_button, self.next_button,
                       self.close_button):
            bold, underline = button.font().bold(), button.font().underline()
            font = sized(0.9, bold)
            font.setUnderline(underline)
            button.setFont(font)
            button.setMinimumHeight(int(body * 1.9))  # big targets, for a hurried touch pad


class SinceLastTimeWindow(SinceLastTimeReview):
    """The review as a top-level, full-screen window; on the second screen when there is one."""

    def __init__(self, document: SessionDocument, near: QWidget | None = None) -> None:
        super().__init__(document)
        self.setWindowTitle(self.tr("NRP Desktop: since last time"))
        layout = self.layout()
        if layout is not None:  # the window takes the screen's size; its type must not push it
            layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.close_requested.connect(self.close)
        cover_projector_screen(self, near)

    def show_full_screen(self) -> None:
        self.showFullScreen()
        self.activateWindow()
