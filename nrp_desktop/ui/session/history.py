"""The history of a group (issue 14.5): the chain of sessions the open one belongs to, oldest
first, as a simple table: each session's date and title, how many of its actions were agreed,
started, done and dropped, and its compass score per domain, so the change shows down a column.

A loop of follow-up links (files made elsewhere) is shown once, with one line saying so.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nrp_desktop.domain.collation import day_month_year
from nrp_desktop.domain.domains import DOMAINS
from nrp_desktop.domain.session import ACTION_STATUSES
from nrp_desktop.ui.widgets import text_label

STATUS_HEADINGS = {"agreed": "Agreed", "started": "Started", "done": "Done", "dropped": "Dropped"}


class SessionHistoryDialog(QDialog):
    def __init__(self, store: object, session_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from nrp_desktop.services.followup import history

        self.setWindowTitle(self.tr("History of this group's sessions"))
        found = history(store, session_id)  # type: ignore[arg-type]
        self.entries = found.entries
        headings = [self.tr("Date"), self.tr("Session")]
        headings += [self.tr(STATUS_HEADINGS[s]) for s in ACTION_STATUSES]
        headings += [domain.mark for domain in DOMAINS]
        self.table = QTableWidget(len(self.entries), len(headings))
        self.table.setObjectName("sessionHistory")
        self.table.setAccessibleName(self.tr("The group's sessions, oldest first"))
        self.table.setHorizontalHeaderLabels(headings)
        for column, domain in enumerate(DOMAINS, start=2 + len(ACTION_STATUSES)):
            item = self.table.horizontalHeaderItem(column)
            if item is not None:
                item.setToolTip(self.tr(domain.name))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        for row, entry in enumerate(self.entries):
            cells = [day_month_year(entry.date), entry.title]
            cells += [str(entry.actions.get(status, 0)) for status in ACTION_STATUSES]
            cells += [str(entry.ratings[d.slug]) if d.slug in entry.ratings else "—" for d in DOMAINS]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)  # plain text: a title is never read as markup
                if column >= 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.addWidget(text_label(self.tr(
            "Oldest first. Actions: how many of each session's actions are in each state now. "
            "The letters are the five domains' compass scores, 1 (a lot to improve) to 7."), "hint"))
        layout.addWidget(self.table, 1)
        self.notes = text_label("", "hint")
        notes = []
        if found.chain.loop:
            notes.append(self.tr("These sessions follow each other in a loop (made on other laptops); "
                                 "each is shown once."))
        if found.chain.unknown_start:
            notes.append(self.tr("The oldest session here follows one that is not stored on this computer."))
        self.notes.setText(" ".join(notes))
        self.notes.setVisible(bool(notes))
        layout.addWidget(self.notes)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(900, 360)
