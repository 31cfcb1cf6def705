"""Tally mode: paper sticker dots counted table by table, added in one step."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from nrp_desktop.domain.session import (
    VOTES_MAX,
)
from nrp_desktop.ui.document.texts import votes_text
from nrp_desktop.ui.session.fields import FieldMessage
from nrp_desktop.ui.widgets import (
    text_label,
)
from nrp_desktop.ui.widgets.announce import announce
from nrp_desktop.ui.widgets.wheel import wheel_only_with_focus

if TYPE_CHECKING:
    from nrp_desktop.ui.session.editor import SessionEditor


class TallyPanel(QWidget):
    """Counting paper dots table by table: the counts for one table are added to the votes in
    one undoable step; ranking by votes is a separate choice."""

    finished = Signal()

    def __init__(self, editor: SessionEditor) -> None:
        super().__init__()
        self.editor = editor
        self.document = editor.document
        self.spin_boxes: dict[str, QSpinBox] = {}
        self.counted: list[str] = []

        heading = text_label(self.tr("Count the dots, table by table"), "panelTitle")
        explain = text_label(self.tr("Choose the table, type the dots counted on each priority, then add them. "
                                 "Each table is one step that Ctrl+Z can undo."), "hint")
        self.table_combo = QComboBox()
        self.table_combo.setAccessibleName(self.tr("The table whose dots you are counting"))
        self.rows_box = QWidget()
        self.rows_layout = QGridLayout(self.rows_box)
        self.rows_layout.setContentsMargins(0, 0, 8, 0)
        self.rows_layout.setHorizontalSpacing(12)
        self.rows_layout.setVerticalSpacing(8)
        self.rows_layout.setColumnStretch(0, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.rows_box)
        self.add_button = QPushButton(self.tr("Add to the votes"))
        self.add_button.setAccessibleName(self.tr("Add to the votes"))
        self.add_button.setAccessibleDescription(self.tr("Add these dots to the votes"))
        self.add_button.setObjectName("primary")
        self.add_button.setProperty("big", True)
        self.add_button.clicked.connect(self.add_counts)
        self.rank_button = QPushButton(self.tr("Rank by votes"))
        self.rank_button.setAccessibleDescription(self.tr("Put the priorities in order of votes, most first"))
        self.rank_button.clicked.connect(self.editor.rank_by_votes)
        self.done_button = QPushButton(self.tr("Done counting"))
        self.done_button.clicked.connect(self.finished)
        self.message = FieldMessage()
        self.status = text_label("", "hint")

        buttons = QHBoxLayout()
        buttons.addWidget(self.rank_button)
        buttons.addStretch(1)
        buttons.addWidget(self.done_button)
        table_row = QHBoxLayout()
        table_row.addWidget(text_label(self.tr("Table:"), buddy=self.table_combo))
        table_row.addWidget(self.table_combo, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        layout.addWidget(heading)
        layout.addWidget(explain)
        layout.addLayout(table_row)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.status)
        layout.addWidget(self.add_button)
        layout.addLayout(buttons)

        self._rows_stale = True
        self.document.groups_changed.connect(self._fill_tables)
        self.document.session_opened.connect(self._on_session_opened)
        self.document.priorities_changed.connect(self._priorities_changed)

    def _priorities_changed(self) -> None:
        # Rebuilt only while counting is on screen: every vote elsewhere must stay quick.
        if self.isVisible():
            self._rebuild_rows()
        else:
            self._rows_stale = True

    def showEvent(self, event: Any) -> None:
        if self._rows_stale:
            self._rebuild_rows()
        super().showEvent(event)

    def _on_session_opened(self, _session: object) -> None:
        self.counted = []
        self.status.clear()
        self._fill_tables()
        self._rebuild_rows()

    def _fill_tables(self) -> None:
        session = self.document.session
        current = self.table_combo.currentText()
        self.table_combo.clear()
        for name in session.groups if session else []:
            self.table_combo.addItem(name)
        self.table_combo.addItem(self.tr("The whole room"))
        # Stay on the table being counted; otherwise start with the first table.
        found = self.table_combo.findText(current) if session and current in session.groups else 0
        self.table_combo.setCurrentIndex(max(0, found))

    def _rebuild_rows(self) -> None:
        self._rows_stale = False
        kept = {priority_id: box.value() for priority_id, box in self.spin_boxes.items()}
        while self.rows_layout.count():
            item = self.rows_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.spin_boxes = {}
        for row, priority in enumerate(self.document.priorities_in_order()):
            label = QLabel(f"{row + 1}. {priority.title}")
            label.setObjectName("tallyTitle")
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
            now = QLabel(self.tr("now %s; dots at this table:") % votes_text(priority.votes))
            now.setObjectName("hint")
            now.setWordWrap(True)
            now.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            box = QSpinBox()
            box.setObjectName("tallyCount")
            box.setRange(0, VOTES_MAX)
            box.setValue(kept.get(priority.id, 0))
            box.setAccessibleName(self.tr("Dots for %s") % priority.title)
            box.setMinimumWidth(88)
            label.setBuddy(box)
            self.rows_layout.addWidget(label, 2 * row, 0, 1, 2)
            self.rows_layout.addWidget(now, 2 * row + 1, 0)
            self.rows_layout.addWidget(box, 2 * row + 1, 1)
            self.spin_boxes[priority.id] = box
        self.rows_layout.setRowStretch(2 * len(self.spin_boxes), 1)
        wheel_only_with_focus(self)  # the new rows' boxes too

    def set_count(self, priority_id: str, dots: int) -> None:
        if self._rows_stale:
            self._rebuild_rows()
        self.spin_boxes[priority_id].setValue(dots)

    def add_counts(self) -> bool:
        for box in self.spin_boxes.values():
            box.interpretText()
        counts = {priority_id: box.value() for priority_id, box in self.spin_boxes.items() if box.value()}
        table = self.table_combo.currentText() or self.tr("the whole room")
        if not counts:
            self.message.show_message(self.tr("Type the dots counted on at least one priority first."))
            return False
        if not self.editor.run_edit(lambda: self.document.add_tally(counts, table), self.message):
            return False
        dots = sum(counts.values())
        if table not in self.counted:
            self.counted.append(table)
        self.status.setText(self.tr("Added %1 dots from %2. Counted so far: %3.").replace("%1", str(dots))
                            .replace("%2", table).replace("%3", ", ".join(self.counted)))
        announce(self.status, self.status.text())
        for box in self.spin_boxes.values():
            box.setValue(0)
        next_index = self.table_combo.currentIndex() + 1
        if next_index < self.table_combo.count() - 1:  # on to the next table (not "the whole room")
            self.table_combo.setCurrentIndex(next_index)
        return True
