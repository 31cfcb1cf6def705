"""Votes from phones in the window: the projector's join panel (the hand-off to the editor is
`ui/phone_votes.py`).

`JoinPanel` is what the room sees: the QR code, the address in large type, the six-digit code,
how many phones joined, and the votes moving live. Suggested priorities are not shown to the room:
the facilitator opens the list, reads each one and accepts (an undoable "add") or declines it.
"""

from __future__ import annotations

import contextlib
import logging

from PySide6.QtCore import QEvent, QRectF, QSize, Qt, QTimer, Slot
from PySide6.QtGui import (
    QCloseEvent,
    QColor,
    QFont,
    QFontMetrics,
    QHideEvent,
    QPainter,
    QPaintEvent,
    QScreen,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QStackedWidget,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from nrp_desktop import i18n
from nrp_desktop.services.live_votes import DEFAULT_DOTS
from nrp_desktop.ui.document.document import SessionDocument
from nrp_desktop.ui.phone_votes import LiveVotes, PhoneVotesCommand
from nrp_desktop.ui.widgets import text_label

log = logging.getLogger(__name__)

DEFAULT_PORT = 8080
COUNTS_INTERVAL_MS = 100  # a vote the GUI thread has not taken by then is refused (503)


__all__ = ["JoinPanel", "LiveVotes", "PhoneVotesCommand", "spaced_code"]


# The projector panel ----------------------------------------------------------------------------


class QrCode(QWidget):
    """A QR code drawn square and crisp at any size (segno makes the modules)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._matrix: tuple[bytearray, ...] = ()
        self.setMinimumSize(220, 220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("QR code of the voting page")

    def set_text(self, text: str) -> None:
        import segno

        self._matrix = tuple(segno.make(text, error="m", micro=False).matrix) if text else ()
        self.update()

    def modules(self) -> int:
        return len(self._matrix)

    def is_dark(self, row: int, column: int) -> bool:
        return bool(self._matrix[row][column])

    def sizeHint(self) -> QSize:
        return QSize(420, 420)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        side = min(self.width(), self.height())
        left, top = (self.width() - side) / 2, (self.height() - side) / 2
        painter.fillRect(QRectF(left, top, side, side), QColor("#FFFFFF"))
        if not self._matrix:
            return
        count = len(self._matrix) + 8  # four modules of white all round, as readers need
        module = side / count
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#000000"))
        for row, bits in enumerate(self._matrix):
            for column, bit in enumerate(bits):
                if bit:
                    painter.drawRect(QRectF(left + (column + 4) * module, top + (row + 4) * module,
                                            module + 0.5, module + 0.5))


class VoteBars(QWidget):
    """The priorities with a bar each, the count beside it: the votes moving as phones vote."""

    def __init__(self, document: SessionDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.rows: list[tuple[str, int]] = []
        self.setMinimumHeight(160)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._pending = False
        document.priorities_changed.connect(self._schedule)
        self.refresh()

    @Slot()
    def _schedule(self) -> None:
        # Many batches in one pass of the event loop are drawn once.
        if not self._pending:
            self._pending = True
            QTimer.singleShot(0, self, self.refresh)

    @Slot()
    def refresh(self) -> None:
        self._pending = False
        self.rows = [(p.title, p.votes) for p in self.document.priorities_in_order()]
        self.setAccessibleDescription("; ".join(f"{title}: {votes}" for title, votes in self.rows))
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        from nrp_desktop.ui.theme import ink

        painter.fillRect(self.rect(), QColor(ink("#FFFFFF")))
        if not self.rows:
            return
        shown = self.rows[:12]
        line = min(110.0, self.height() / len(shown))  # each row: the title, the bar under it
        font = QFont(self.font())
        font.setPixelSize(max(12, min(30, int(line * 0.3))))
        painter.setFont(font)
        metrics = QFontMetrics(font)
        most = max(1, *(votes for _title, votes in shown))
        count_width = metrics.horizontalAdvance("0000")
        bar_room = max(10, self.width() - count_width - 12)
        for index, (title, votes) in enumerate(shown):
            top = index * line
            painter.setPen(QColor(ink("#000000")))
            painter.drawText(QRectF(0, top, self.width(), line * 0.5), Qt.AlignmentFlag.AlignBottom,
                             metrics.elidedText(title, Qt.TextElideMode.ElideRight, self.width()))
            bar = bar_room * votes / most
            painter.fillRect(QRectF(0, top + line * 0.55, bar, line * 0.3), QColor(ink("#0B5D55")))
            painter.drawText(QRectF(bar + 8, top + line * 0.5, count_width, line * 0.4),
                             Qt.AlignmentFlag.AlignVCenter, str(votes))


class CountsLine(QWidget):
    """How many phones joined and dots were placed: drawn by itself in a fixed height (two lines
    of its type), so a new count repaints this line alone. A label would ask for a new size with
    each count and lay the whole panel out again, big type and all, ten times a second."""

    def __init__(self, point_size: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        font = QFont(self.font())
        font.setPointSize(point_size)
        self.setFont(font)
        self._text = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def text(self) -> str:
        return self._text

    def setText(self, text: str) -> None:
        if text != self._text:
            self._text = text
            self.setAccessibleName(text)
            self.update()

    def sizeHint(self) -> QSize:
        return QSize(320, self.fontMetrics().lineSpacing() * 2 + 4)

    def minimumSizeHint(self) -> QSize:
        return QSize(120, self.sizeHint().height())

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.updateGeometry()  # another text size: another height, laid out once

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        # Leading edge: the right one in Arabic and Urdu, as a label would.
        leading = QStyle.visualAlignment(self.layoutDirection(), Qt.AlignmentFlag.AlignLeft)
        painter.drawText(QRectF(self.rect()), int(leading | Qt.AlignmentFlag.AlignTop) | int(Qt.TextFlag.TextWordWrap),
                         self._text)


def _plain_label(text: str = "", size: int = 0, bold: bool = False) -> QLabel:
    label = text_label(text)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if size or bold:
        font = label.font()
        if size:
            font.setPointSize(size)
        font.setBold(bold)
        label.setFont(font)
    return label


def spaced_code(code: str) -> str:
    """"123456" → "123 456": easier to read out and to type."""
    return f"{code[:3]} {code[3:]}" if len(code) == 6 else code


class JoinPanel(QDialog):
    """Workshop session ▸ Votes from phones…: start the server, then show the room how to join."""

    def __init__(self, live: LiveVotes, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.live = live
        self._covered: QWidget | None = None  # the window under the panel (see cover())
        self.setWindowTitle(self.tr("Votes from phones"))
        self.setObjectName("join-panel")
        self.resize(1280, 800)
        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_setup())
        self.pages.addWidget(self._build_running())
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        # Limits set once, not following each page and count (a projector's window manager, and
        # the offscreen platform of the tests, cannot follow them).
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.setMinimumSize(900, 600)
        # Hundreds of joins and dots arrive in a burst: the counts are redrawn at most every
        # COUNTS_INTERVAL_MS, so the GUI thread is free for the votes themselves.
        self._counts_timer = QTimer(self)
        self._counts_timer.setSingleShot(True)
        self._counts_timer.setInterval(COUNTS_INTERVAL_MS)
        self._counts_timer.timeout.connect(self._update_counts)
        live.started.connect(self._show_running)
        live.stopped.connect(self._show_setup)
        live.phones_changed.connect(self._counts_soon)
        live.ideas_changed.connect(self._update_ideas)
        live.document.priorities_changed.connect(self._counts_soon)
        if live.running:
            self._show_running(live.url, live.voting.code if live.voting else "")

    # Before starting ---------------------------------------------------------------------------

    def _build_setup(self) -> QWidget:
        from nrp_desktop.services.live_server import local_network_addresses

        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(_plain_label(self.tr("Votes from phones"), 22, bold=True))
        layout.addWidget(_plain_label(self.tr(
            "People in the room open a page on their phones and place their dots. The phones must be on "
            "the same Wi-Fi as this laptop (or on its hotspot). Nothing goes to the internet, and nobody "
            "gives a name."), 13))
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.address_choice = QComboBox()
        self.address_choice.setMinimumWidth(360)
        for address in local_network_addresses():
            self.address_choice.addItem(address, address)
        self.address_choice.addItem(self.tr("127.0.0.1 (this laptop only, for trying it out)"), "127.0.0.1")
        self.address_choice.setAccessibleName(self.tr("Network address"))
        form.addRow(self.tr("Network address:"), self.address_choice)
        self.dots_choice = QSpinBox()
        self.dots_choice.setRange(1, 20)
        self.dots_choice.setValue(DEFAULT_DOTS)
        self.dots_choice.setMinimumWidth(120)
        self.dots_choice.setObjectName("countField")  # typed (the arrow keys step it): no tiny arrows
        self.dots_choice.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.dots_choice.setAccessibleName(self.tr("Dots for each phone"))
        form.addRow(self.tr("Dots for each phone:"), self.dots_choice)
        self.port_choice = QSpinBox()
        self.port_choice.setRange(0, 65535)
        self.port_choice.setValue(DEFAULT_PORT)
        self.port_choice.setMinimumWidth(180)
        self.port_choice.setObjectName("countField")
        self.port_choice.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.port_choice.setSpecialValueText(self.tr("any free port"))
        self.port_choice.setAccessibleName(self.tr("Port"))
        form.addRow(self.tr("Port:"), self.port_choice)
        layout.addLayout(form)
        self.setup_message = _plain_label()
        layout.addWidget(self.setup_message)
        self.start_button = QPushButton(self.tr("Start votes from phones"))
        self.start_button.setDefault(True)
        self.start_button.setObjectName("primary")
        self.start_button.clicked.connect(self.start)
        layout.addWidget(self.start_button, alignment=Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        return page

    @Slot()
    def start(self) -> bool:
        from nrp_desktop.services.live_server import LiveServerError

        host = self.address_choice.currentData()
        port = self.port_choice.value()
        try:
            self.live.start(host, port, self.dots_choice.value())
        except LiveServerError as problem:
            if problem.code == "cannot_bind" and port:
                try:  # the usual port is taken: any free one will do, the QR code carries it
                    self.live.start(host, 0, self.dots_choice.value())
                    return True
                except LiveServerError as again:
                    problem = again
            self.setup_message.setText(self.tr("Could not start on {host}: {detail}. Pick another address or port.")
                                       .format(host=host, detail=problem.detail or problem.code))
            return False
        except Exception as problem:  # no session open, a damaged page folder: say so, keep working
            log.exception("votes from phones could not start")
            self.setup_message.setText(self.tr("Could not start votes from phones: {problem}").format(problem=problem))
            return False
        return True

    # While it runs -----------------------------------------------------------------------------

    def _build_running(self) -> QWidget:
        page = QWidget()
        grid = QGridLayout(page)
        self.qr = QrCode()
        grid.addWidget(self.qr, 0, 0, 3, 1)
        side = QVBoxLayout()
        side.addWidget(_plain_label(self.tr("Vote on your phone"), 26, bold=True))
        side.addWidget(_plain_label(self.tr("Scan the code, or open this address:"), 16))
        self.address_label = _plain_label("", 30, bold=True)
        self.address_label.setObjectName("live-address")
        side.addWidget(self.address_label)
        side.addWidget(_plain_label(self.tr("and type the code:"), 16))
        self.code_label = _plain_label("", 56, bold=True)
        self.code_label.setObjectName("live-code")
        self.code_label.setAccessibleName(self.tr("Join code"))
        side.addWidget(self.code_label)
        self.counts_label = CountsLine(18)
        self.counts_label.setObjectName("live-counts")
        side.addWidget(self.counts_label)
        side.addStretch(1)
        grid.addLayout(side, 0, 1)
        self.bars = VoteBars(self.live.document)
        grid.addWidget(self.bars, 1, 1)

        facilitator = QHBoxLayout()
        self.ideas_button = QPushButton()
        self.ideas_button.setCheckable(True)
        self.ideas_button.toggled.connect(self._update_ideas)
        facilitator.addWidget(self.ideas_button)
        facilitator.addStretch(1)
        self.stop_button = QPushButton(self.tr("Stop votes from phones"))
        self.stop_button.clicked.connect(self.stop)
        facilitator.addWidget(self.stop_button)
        grid.addLayout(facilitator, 3, 0, 1, 2)

        self.ideas_box = QWidget()
        ideas_layout = QHBoxLayout(self.ideas_box)
        ideas_layout.setContentsMargins(0, 0, 0, 0)
        self.ideas_list = QListWidget()
        self.ideas_list.setAccessibleName(self.tr("Suggested priorities"))
        ideas_layout.addWidget(self.ideas_list, 1)
        buttons = QVBoxLayout()
        self.accept_button = QPushButton(self.tr("Add as a priority"))
        self.accept_button.clicked.connect(self._accept_selected)
        self.decline_button = QPushButton(self.tr("Decline"))
        self.decline_button.clicked.connect(self._decline_selected)
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.decline_button)
        buttons.addStretch(1)
        ideas_layout.addLayout(buttons)
        self.ideas_box.setVisible(False)
        grid.addWidget(self.ideas_box, 2, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(1, 1)
        return page

    @Slot(str, str)
    def _show_running(self, url: str, code: str) -> None:
        self.qr.set_text(self.live.join_url)
        self.address_label.setText(url.removeprefix("http://").rstrip("/"))
        self.code_label.setText(spaced_code(code))
        self.pages.setCurrentIndex(1)
        self._update_counts()
        self._update_ideas()

    @Slot()
    def _show_setup(self) -> None:
        self.pages.setCurrentIndex(0)
        self.ideas_button.setChecked(False)

    @Slot()
    def _counts_soon(self) -> None:
        if not self._counts_timer.isActive():  # a throttle, not a debounce: a long burst still shows
            self._counts_timer.start()

    @Slot()
    def _update_counts(self) -> None:
        phones = self.live.phones_joined
        dots = self.live.dots_placed
        self.counts_label.setText(
            i18n.ngettext("{n} phone joined", "{n} phones joined", phones) + " · "
            + i18n.ngettext("{n} dot placed from phones", "{n} dots placed from phones", dots))

    @Slot()
    def _update_ideas(self) -> None:
        ideas = self.live.waiting_ideas()
        showing = self.ideas_button.isChecked()
        self.ideas_button.setText(
            self.tr("Hide suggestions ({count})").format(count=len(ideas)) if showing
            else self.tr("Suggestions waiting: {count}").format(count=len(ideas)))
        self.ideas_box.setVisible(showing)
        self.bars.setVisible(not showing)  # the room sees a suggestion only once it is accepted
        selected = self._selected_idea()
        self.ideas_list.clear()
        for idea in ideas:
            item = QListWidgetItem(idea.title)  # plain text, never rich text
            item.setData(Qt.ItemDataRole.UserRole, idea.id)
            self.ideas_list.addItem(item)
            if idea.id == selected:
                self.ideas_list.setCurrentItem(item)
        if self.ideas_list.currentItem() is None and self.ideas_list.count():
            self.ideas_list.setCurrentRow(0)
        self.accept_button.setEnabled(bool(ideas))
        self.decline_button.setEnabled(bool(ideas))

    def _selected_idea(self) -> str | None:
        item = self.ideas_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    @Slot()
    def _accept_selected(self) -> None:
        idea_id = self._selected_idea()
        if idea_id is not None:
            self.live.accept_idea(idea_id)
            self._update_ideas()

    @Slot()
    def _decline_selected(self) -> None:
        idea_id = self._selected_idea()
        if idea_id is not None:
            self.live.decline_idea(idea_id)
            self._update_ideas()

    @Slot()
    def stop(self) -> None:
        if not self.live.running:
            return
        left = self.live.stop()
        note = self.tr("Votes from phones stopped. The votes are kept.")
        if left:
            note += " " + i18n.ngettext(
                "{n} suggested priority was not added, because nobody accepted it.",
                "{n} suggested priorities were not added, because nobody accepted them.", len(left))
        self.setup_message.setText(note)

    def fit_screen(self, screen: QScreen | None) -> None:
        """1280×800 where there is room; on a smaller laptop (1366×768) within the room the
        screen has free, less a title bar, so the Stop button is never below the screen's edge."""
        from nrp_desktop.ui.window.basics import DEFAULT_SIZE, TITLE_BAR_ALLOWANCE

        if screen is None:
            return
        free = screen.availableGeometry()
        width = min(DEFAULT_SIZE[0], free.width())
        height = min(DEFAULT_SIZE[1], free.height() - TITLE_BAR_ALLOWANCE)
        self.setMinimumSize(min(self.minimumWidth(), width), min(self.minimumHeight(), height))
        self.resize(width, height)
        self.move(free.left() + (free.width() - width) // 2,
                  free.top() + (free.height() - height - TITLE_BAR_ALLOWANCE) // 2)

    def cover(self, window: QWidget) -> None:
        """The panel is full screen over `window` (the projector's): nobody sees it until the
        panel goes, so it is not repainted for each batch of votes meanwhile (~5 ms a time)."""
        self.uncover()
        self._covered = window
        window.setUpdatesEnabled(False)

    def uncover(self) -> None:
        covered, self._covered = self._covered, None
        if covered is not None:
            with contextlib.suppress(RuntimeError):  # closed meanwhile: nothing to show again
                covered.setUpdatesEnabled(True)
                covered.update()

    def hideEvent(self, event: QHideEvent) -> None:
        self.uncover()
        super().hideEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.stop()
        super().closeEvent(event)

    def reject(self) -> None:  # Esc closes, and so stops, like the window's close button
        self.stop()
        super().reject()
