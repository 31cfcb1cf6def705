"""File ▸ Publish to council database…: send this laptop's sessions to the council's PostgreSQL.

The main window opens it (File ▸ Publish to council database… and File ▸ Publish changes) with
its session store and the address last published to (kept in the settings: an address never holds
a password, the field refuses one). Publishing runs off the GUI thread
(`ui/worker.run_in_background`); the progress bar follows it through a queued signal. A password
typed here stays in memory for this one publish: it is never stored or logged (the address field
refuses one inside the URL, as the command line does). Without one, NRP_DESKTOP_DB_PASSWORD or
~/.pgpass is used. Every message is plain text.
"""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QProgressBar,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from nrp_desktop.services import council
from nrp_desktop.services.session_source import SessionSource
from nrp_desktop.ui.widgets.council_messages import council_error_text
from nrp_desktop.ui.worker import run_in_background


class _ProgressRelay(QObject):
    """Emitted from the worker thread, delivered (queued) on the GUI thread."""

    moved = Signal(int, int)


class PublishDialog(QDialog):
    published = Signal(str)  # the address published to, once a publish succeeded

    def __init__(self, store: SessionSource, parent: QWidget | None = None, url: str = "") -> None:
        super().__init__(parent)
        self.store = store
        self.busy = False
        self._url = url
        self.setWindowTitle(self.tr("Publish to the council database"))
        self.setObjectName("publish-dialog")
        self.url = QLineEdit(url)
        self.url.setAccessibleName(self.tr("Council database address"))
        self.url.setPlaceholderText("postgresql://nrp_writer@council.example/nrp")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(self.tr("Council database password"))
        self.password.setPlaceholderText(self.tr("from NRP_DESKTOP_DB_PASSWORD or ~/.pgpass"))
        self.changed_only = QRadioButton(self.tr("Only sessions new or changed since they were last published"))
        self.changed_only.setChecked(True)
        self.everything = QRadioButton(self.tr("Every stored session"))
        self.progress = QProgressBar()
        self.progress.setAccessibleName(self.tr("Publishing progress"))
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.message = QLabel()
        self.message.setObjectName("publish-message")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.publish_button = self.buttons.addButton(self.tr("Publish"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.rejected.connect(self.reject)
        self.publish_button.clicked.connect(self.start)

        form = QFormLayout()
        form.addRow(self.tr("Database address:"), self.url)
        form.addRow(self.tr("Password:"), self.password)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.changed_only)
        layout.addWidget(self.everything)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self._relay = _ProgressRelay(self)
        self._relay.moved.connect(self._moved)
        # Room for a message of four lines from the start, and limits set once: a dialog whose
        # limits follow every message would jump about (and some platforms cannot follow them).
        self.message.setMinimumHeight(self.message.fontMetrics().lineSpacing() * 4)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.setMinimumSize(520, self.sizeHint().height())
        self.resize(max(600, self.sizeHint().width()), self.sizeHint().height())  # a longer language

    def start(self) -> None:
        if self.busy:
            return
        url = self.url.text().strip()
        self._url = url
        if not url:
            self.message.setText(self.tr("Type the council database's address first."))
            return
        password = self.password.text() or None
        changed_only = self.changed_only.isChecked()
        store, relay = self.store, self._relay

        def work() -> list[council.PublishResult]:
            ids = council.changed_session_ids(store, url) if changed_only else None
            if ids == []:
                return []
            return council.publish_sessions(store, ids, url, progress=relay.moved.emit, password=password)

        self._set_busy(True)
        self.message.setText(self.tr("Publishing…"))
        self.progress.setRange(0, 0)  # busy until the first batch is written
        run_in_background(work, self._done, self._failed, context=self)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        for widget in (self.publish_button, self.url, self.password, self.changed_only, self.everything):
            widget.setEnabled(not busy)

    def _moved(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _done(self, results: list[council.PublishResult]) -> None:
        self._set_busy(False)
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.password.clear()
        self.published.emit(self._url)
        if not results:
            self.message.setText(self.tr("Nothing to publish: every session is as it was last published."))
            return
        counts = Counter(result.status for result in results)
        self.message.setText(
            self.tr("Published: {new} new, {updated} updated, {unchanged} unchanged.").format(
                new=counts["new"], updated=counts["updated"], unchanged=counts["unchanged"]
            )
        )

    def _failed(self, error: Exception) -> None:
        self._set_busy(False)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.password.clear()  # typed for this one try only
        self.message.setText(council_error_text(error))
        if isinstance(error, council.CouncilDatabaseError) and error.code in (
                council.NO_PASSWORD, council.WRONG_PASSWORD):
            self.password.setFocus()
