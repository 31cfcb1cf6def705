"""The open session's priorities as a table (ranked, dragged, voted) and one priority's actions."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QMimeData,
    QModelIndex,
    QObject,
    Qt,
)
from PySide6.QtGui import QFont

from nrp_desktop.domain.session import (
    Action,
    Priority,
)
from nrp_desktop.i18n import N_
from nrp_desktop.ui.document.texts import (
    PRIORITY_MIME_TYPE,
    AnyIndex,
    Role,
    domain_names,
    marks_html,
    marks_text,
    votes_text,
)
from nrp_desktop.ui.widgets.delegates import RICH_TEXT_ROLE
from nrp_desktop.ui.widgets.plain_text import plain_tooltip

if TYPE_CHECKING:
    from nrp_desktop.ui.document.document import SessionDocument


class PriorityTableModel(QAbstractTableModel):
    """The open session's priorities in ranking order: title (editable), votes, domains, table;
    the rank is the vertical header (a row's place, not a property of the priority). Rows are
    dragged to reorder; a drop or moveRows() becomes one undoable move."""

    TITLE, VOTES, DOMAINS, GROUP = range(4)
    HEADERS = (N_("Priority"), N_("Votes"), N_("Domains"), N_("Table"))

    def __init__(self, document: SessionDocument) -> None:
        super().__init__(document)
        self.document = document
        self._bold: QFont | None = None

    @property
    def _rows(self) -> list[Priority]:
        session = self.document.session
        return session.priorities if session is not None else []

    def priority_at(self, row: int) -> Priority:
        return self._rows[row]

    def row_of(self, priority_id: str) -> int:
        for row, priority in enumerate(self._rows):
            if priority.id == priority_id:
                return row
        return -1

    # Reading -----------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and 0 <= section < len(self.HEADERS) and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(self.HEADERS[section])
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._rows):
            if role == Qt.ItemDataRole.DisplayRole:
                return str(section + 1)
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.tr("Rank %d in the group's ranking (1 matters most)") % (section + 1)
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        priority = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.TITLE:
                # Every action done: the group sees at a glance what it achieved (contract 5.1).
                return self.tr("%s — achieved") % priority.title if priority.achieved else priority.title
            if column == self.VOTES:
                return str(priority.votes)
            if column == self.DOMAINS:
                return marks_text(priority.domains)
            if column == self.GROUP:
                return priority.group or ""
        if role == Qt.ItemDataRole.EditRole and column == self.TITLE:
            return priority.title
        if role == RICH_TEXT_ROLE and column == self.DOMAINS:
            return marks_html(priority.domains)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.DOMAINS:
                return domain_names(priority.domains) or self.tr("No domain chosen yet")
            if column == self.VOTES and priority.table_votes:
                # The dots each table gave it (issue 12.8).
                return plain_tooltip(
                    " · ".join(f"{table}: {count}" for table, count in priority.table_votes.items()))
            return plain_tooltip(priority.description or priority.title)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            # Each cell is named by its own value (a screen reader says the column's heading);
            # the row's rank leads its title, and "achieved" follows when every action is done.
            if column == self.TITLE:
                title = f"{index.row() + 1}. {priority.title}"
                return f"{title}, " + self.tr("achieved") if priority.achieved else title
            if column == self.VOTES:
                return votes_text(priority.votes)
            if column == self.DOMAINS:
                return domain_names(priority.domains) or self.tr("No domain chosen yet")
            return priority.group or self.tr("No table")
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.VOTES:
            return self._CENTRE
        if role == Qt.ItemDataRole.FontRole and column == self.VOTES:
            if self._bold is None:
                self._bold = QFont()
                self._bold.setBold(True)
            return self._bold
        if role == Role.PRIORITY_ID:
            return priority.id
        if role == Role.VOTES:
            return priority.votes
        return None

    # Computed once: flags() and data() run for every cell painted, and enum arithmetic is slow.
    _ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
    _TITLE_FLAGS = _ROW_FLAGS | Qt.ItemFlag.ItemIsEditable
    _CENTRE = int(Qt.AlignmentFlag.AlignCenter)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled  # drops land between rows, never on one
        return self._TITLE_FLAGS if index.column() == self.TITLE else self._ROW_FLAGS

    # Editing (each an undoable command through the document) ---------------------------------

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() != self.TITLE:
            return False
        if not isinstance(value, str):
            return False
        return self.document.edit_priority_text(self._rows[index.row()].id, "title", value)

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [PRIORITY_MIME_TYPE]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        data = QMimeData()
        ids = []
        for index in indexes:
            if index.isValid():
                priority_id = self._rows[index.row()].id
                if priority_id not in ids:
                    ids.append(priority_id)
        data.setData(PRIORITY_MIME_TYPE, json.dumps(ids).encode("utf-8"))
        return data

    @staticmethod
    def dragged_ids(data: QMimeData) -> list[str]:
        if not data.hasFormat(PRIORITY_MIME_TYPE):
            return []
        try:
            ids = json.loads(bytes(data.data(PRIORITY_MIME_TYPE).data()).decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            return []
        return [value for value in ids if isinstance(value, str)] if isinstance(ids, list) else []

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                        parent: AnyIndex) -> bool:
        ids = self.dragged_ids(data)
        return action == Qt.DropAction.MoveAction and len(ids) == 1 and self.row_of(ids[0]) >= 0

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                     parent: AnyIndex) -> bool:
        if action == Qt.DropAction.IgnoreAction:
            return True
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        source = self.row_of(self.dragged_ids(data)[0])
        if row < 0:
            row = parent.row() if parent.isValid() else self.rowCount()
        return self._move_to_gap(source, row)

    def moveRows(self, sourceParent: AnyIndex, sourceRow: int, count: int,
                 destinationParent: AnyIndex, destinationChild: int) -> bool:
        if sourceParent.isValid() or destinationParent.isValid() or count != 1:
            return False
        if not 0 <= sourceRow < self.rowCount() or not 0 <= destinationChild <= self.rowCount():
            return False
        return self._move_to_gap(sourceRow, destinationChild)

    def _move_to_gap(self, source: int, gap: int) -> bool:
        """Move row `source` into the gap before row `gap` (counted before the move)."""
        new_index = gap - 1 if gap > source else gap
        if new_index == source:
            return False
        return self.document.move_priority(self._rows[source].id, new_index)

    # Changes made by the document (after the store has them) ----------------------------------

    def insert_row(self, row: int, priority: Priority) -> None:
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.insert(row, priority)
        self.endInsertRows()
        self._ranks_changed(row + 1)

    def remove_row(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        self.endRemoveRows()
        self._ranks_changed(row)

    def move_row(self, row: int, new_row: int) -> None:
        if row == new_row:
            return
        destination = new_row + 1 if new_row > row else new_row
        self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), destination)
        self._rows.insert(new_row, self._rows.pop(row))
        self.endMoveRows()
        self._ranks_changed(min(row, new_row), max(row, new_row))

    def set_order(self, ordered_ids: Sequence[str]) -> None:
        self.layoutAboutToBeChanged.emit()
        old_ids = [priority.id for priority in self._rows]
        by_id = {priority.id: priority for priority in self._rows}
        self._rows[:] = [by_id[priority_id] for priority_id in ordered_ids]
        new_row = {priority_id: row for row, priority_id in enumerate(ordered_ids)}
        for index in self.persistentIndexList():
            if index.isValid():
                moved = new_row[old_ids[index.row()]]
                self.changePersistentIndex(index, self.index(moved, index.column()))
        self.layoutChanged.emit()
        self._ranks_changed(0)

    def priority_updated(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def votes_updated(self, rows: Sequence[int]) -> None:
        """Only the votes of these rows changed: a dataChanged for each of those cells alone, so
        the views repaint them and nothing else (a range repaints its neighbours too, the domains'
        rich text among them), and no row is fitted again (a count never wraps)."""
        for row in sorted(set(rows)):
            cell = self.index(row, self.VOTES)
            self.dataChanged.emit(cell, cell)

    def _ranks_changed(self, first: int, last: int | None = None) -> None:
        last = self.rowCount() - 1 if last is None else last
        if 0 <= first <= last < self.rowCount():
            self.headerDataChanged.emit(Qt.Orientation.Vertical, first, last)


class _PriorityPartModel:
    """Shared by the models that show one part of the selected priority."""

    document: SessionDocument
    priority_id: str | None

    def current_priority(self) -> Priority | None:
        return self.document.priority(self.priority_id) if self.priority_id else None


class ActionListModel(QAbstractTableModel, _PriorityPartModel):
    """The actions of one priority: what, who, by when, each editable in place."""

    WHAT, WHO, WHEN, STATE = range(4)
    HEADERS = (N_("What"), N_("Who"), N_("By when"), N_("State"))
    NAMES = ("What needs doing", "Who", "By when", "State")  # spoken by screen readers
    FIELDS = ("what", "who", "when", "status")
    STATE_WORDS = {"agreed": N_("Agreed"), "started": N_("Started"), "done": N_("Done"),
                   "dropped": N_("Dropped")}

    def __init__(self, document: SessionDocument, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.priority_id = None
        self._actions: list[Action] = []
        document.priority_changed.connect(self._on_priority_changed)
        document.session_opened.connect(lambda _session: self.set_priority(None))

    def set_priority(self, priority_id: str | None) -> None:
        self.beginResetModel()
        self.priority_id = priority_id
        priority = self.current_priority()
        self._actions = list(priority.actions) if priority else []
        self.endResetModel()

    def _on_priority_changed(self, priority_id: str) -> None:
        if priority_id == self.priority_id:
            priority = self.current_priority()
            if priority is None or priority.actions != self._actions:
                self.set_priority(priority_id)

    def action(self, row: int) -> Action:
        return self._actions[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._actions)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.HEADERS):
                return self.tr(self.HEADERS[section])
            if orientation == Qt.Orientation.Vertical:
                return section + 1
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._actions):
            return None
        action = self._actions[index.row()]
        value = getattr(action, self.FIELDS[index.column()])
        if index.column() == self.STATE:  # read-only here: the state bar under the table sets it
            value = self.tr(self.STATE_WORDS.get(action.status, action.status))
            if role == Qt.ItemDataRole.ToolTipRole and action.progress:
                return plain_tooltip(f"{value}: {action.progress}")
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return value
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(value)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{self.NAMES[index.column()]}: {value or 'not given'}"
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if index.column() == self.STATE:
            return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or not isinstance(value, str):
            return False
        if self.priority_id is None:
            return False
        action = self._actions[index.row()]
        if index.column() == self.STATE:
            return False
        field = self.FIELDS[index.column()]
        if getattr(action, field) == value:
            return True
        changed = Action(**{**vars(action), field: value})
        return self.document.edit_action(self.priority_id, index.row(), changed)
