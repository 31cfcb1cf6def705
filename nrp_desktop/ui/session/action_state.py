"""The state of the chosen action in the session editor (contract.md §5.1): a status choice and
a progress note ("you said, we did"), quick to use during a meeting and from the keyboard.

Self-contained: the bar watches the action table's selection and edits through
`SessionDocument.set_action_state`, so every change is one durable, undoable edit.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QTableView, QWidget

from nrp_desktop.domain.session import ACTION_PROGRESS_MAX, ACTION_STATUSES, Action
from nrp_desktop.ui.document.document import SessionDocument
from nrp_desktop.ui.document.priority_models import ActionListModel
from nrp_desktop.ui.widgets.plain_text import plain_tooltip

# The words for each state, and the keys that set it while the action table has focus.
STATUS_LABELS = {"agreed": "Agreed", "started": "Started", "done": "Done", "dropped": "Dropped"}
STATUS_KEYS = {"agreed": "Ctrl+1", "started": "Ctrl+2", "done": "Ctrl+3", "dropped": "Ctrl+4"}


class ActionStateBar(QWidget):
    """Status and progress of the action chosen in `view`."""

    def __init__(self, document: SessionDocument, view: QTableView, model: ActionListModel,
                 run_edit: Callable[[Callable[[], bool]], bool], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.view = view
        self.model = model
        self._run_edit = run_edit

        self.status_combo = QComboBox()
        self.status_combo.setObjectName("actionStatus")
        self.status_combo.setAccessibleName(self.tr("State of the chosen action"))
        for status in ACTION_STATUSES:
            self.status_combo.addItem(self.tr(STATUS_LABELS[status]), status)
        self.status_combo.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # no wheel changes unseen
        self.status_combo.activated.connect(self._status_chosen)
        self.progress_field = QLineEdit()
        self.progress_field.setObjectName("actionProgress")
        self.progress_field.setMaxLength(ACTION_PROGRESS_MAX)
        self.progress_field.setAccessibleName(self.tr("What happened since it was agreed"))
        self.progress_field.setPlaceholderText(self.tr("What happened since (you said, we did)"))
        self.progress_field.editingFinished.connect(self._progress_finished)
        label = QLabel(self.tr("&State:"))
        label.setBuddy(self.status_combo)
        label.setTextFormat(Qt.TextFormat.PlainText)
        self.setToolTip(self.tr("With an action chosen: Ctrl+1 agreed, Ctrl+2 started, Ctrl+3 done, "
                                "Ctrl+4 dropped"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(label)
        layout.addWidget(self.status_combo)
        layout.addWidget(self.progress_field, 1)

        for status, keys in STATUS_KEYS.items():
            QShortcut(QKeySequence(keys), view, lambda s=status: self.set_status(s),
                      context=Qt.ShortcutContext.WidgetShortcut)
        view.selectionModel().currentRowChanged.connect(lambda *_: self.refresh())
        model.modelReset.connect(self.refresh)
        model.dataChanged.connect(lambda *_: self.refresh())
        self.refresh()

    def current_action(self) -> Action | None:
        row = self.view.currentIndex().row()
        return self.model.action(row) if 0 <= row < self.model.rowCount() else None

    def refresh(self) -> None:
        action = self.current_action()
        self.setEnabled(action is not None)
        self.status_combo.blockSignals(True)
        self.status_combo.setCurrentIndex(
            ACTION_STATUSES.index(action.status) if action and action.status in ACTION_STATUSES else 0)
        self.status_combo.blockSignals(False)
        if not self.progress_field.hasFocus():
            self.progress_field.setText(action.progress if action else "")
            self.progress_field.setCursorPosition(0)  # a long note shows its start
            self.progress_field.setToolTip(plain_tooltip(action.progress) if action and action.progress else "")

    def set_status(self, status: str) -> bool:
        action = self.current_action()
        if action is None:
            return False
        row = self.view.currentIndex().row()
        done = self._run_edit(lambda: self.document.set_action_state(action.id, status=status))
        self._keep_row(row)
        return done

    def _status_chosen(self, index: int) -> None:
        self.set_status(self.status_combo.itemData(index))

    def _progress_finished(self) -> None:
        action = self.current_action()
        if action is None or self.progress_field.text().strip() == action.progress:
            return
        row = self.view.currentIndex().row()
        text = self.progress_field.text()
        self._run_edit(lambda: self.document.set_action_state(action.id, progress=text))
        self._keep_row(row)

    def _keep_row(self, row: int) -> None:
        """The table is rebuilt after an edit; the same action stays chosen."""
        if 0 <= row < self.model.rowCount():
            self.view.selectionModel().setCurrentIndex(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.refresh()
