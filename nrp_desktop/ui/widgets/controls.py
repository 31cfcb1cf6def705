"""Controls several screens share: big buttons, links into the library, domain chips, a bar of
choices, arrow-key grids, scroll areas."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import (
    QKeyEvent,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QWidget,
)

from nrp_desktop.domain.content import Lesson, split_link
from nrp_desktop.domain.domains import Domain, domain_by_slug, is_domain
from nrp_desktop.i18n import N_
from nrp_desktop.ui.widgets import clear_layout
from nrp_desktop.ui.widgets.accessible import as_radio_button

ARROWS = (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down)


def short_domain_name(slug: str) -> str:
    """"Economic" for Economic resources: enough beside the mark on a small chip."""
    return domain_by_slug(slug).short  # the callers translate it (tr)


def domain_toggle(domain: Domain, name: str, object_name: str, text: str, description: str,
                  tooltip: str, edge: int) -> QToolButton:
    """A checkable chip for one domain, with its colour as a bar `edge` pixels wide down its left
    side (beside its mark: never colour alone). `name` is the domain's name in the window's
    language; a screen reader hears the mark and the name first, then `description`."""
    button = QToolButton()
    button.setObjectName(object_name)
    button.setCheckable(True)
    button.setText(text)
    button.setAccessibleName(f"{domain.mark} {name}")
    button.setAccessibleDescription(description)
    button.setToolTip(tooltip)
    from nrp_desktop.ui.theme import set_themed_style

    set_themed_style(button, f"QToolButton#{object_name} {{ border-left: {edge}px solid {domain.line}; }}")
    return button


def scroll_area(content: QWidget, name: str) -> QScrollArea:
    area = QScrollArea()
    area.setObjectName("toolScroll")
    area.setAccessibleName(name)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(content)
    # The area itself need not take focus: Tab goes straight to the controls inside it.
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return area


def ensure_visible(widget: QWidget) -> None:
    """Scroll whatever scroll area holds `widget` so that it can be seen (arrow-key moves)."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(widget, 16, 16)
            return
        parent = parent.parentWidget()


def relayout_now(widget: QWidget) -> None:
    """Lay out the page that holds `widget` at once, after its size or visibility changed (a
    list fitted to its rows, a part shown): otherwise Qt does it on a later pass of the event
    loop and the first frame shows the parts below overlapping it. A scroll area on the way
    sizes its page anew."""
    from PySide6.QtWidgets import QApplication

    parent = widget.parentWidget()
    while parent is not None:
        layout = parent.layout()
        if layout is not None:
            layout.activate()
        if isinstance(parent, QScrollArea):
            QApplication.sendEvent(parent, QEvent(QEvent.Type.LayoutRequest))
            page = parent.widget()
            page_layout = page.layout() if page is not None else None
            if page_layout is not None:
                page_layout.activate()
            return
        parent = parent.parentWidget()


def is_enter(event: QKeyEvent) -> bool:
    return event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def no_modifiers(event: QKeyEvent) -> bool:
    modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    return modifiers == Qt.KeyboardModifier.NoModifier


class BigButton(QPushButton):
    """A push button that Enter presses as well as Space (outside dialogs Qt only takes Space)."""

    def __init__(self, text: str = "", name: str = "", parent: Any = None) -> None:
        super().__init__(text, parent)
        if name:
            self.setObjectName(name)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if is_enter(event) and no_modifiers(event):
            self.click()
            return
        super().keyPressEvent(event)


class LinkButton(BigButton):
    """An internal link ("lesson:slug") that looks like a link, wraps a long title, and is a
    real button for the keyboard and screen readers."""

    activated_link = Signal(str)

    def __init__(self, text: str, link: str, parent: Any = None) -> None:
        super().__init__("", "linkButton", parent)
        self.link = link
        self.text_label = QLabel(text, self)
        self.text_label.setObjectName("linkButtonText")
        self.text_label.setWordWrap(True)
        self.text_label.setTextFormat(Qt.TextFormat.PlainText)
        self.text_label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.addWidget(self.text_label)
        kind = (split_link(link) or ("", ""))[0]
        where = {"lesson": N_("lesson"), "case-study": N_("neighbourhood"), "tool-player": N_("page"),
                 "page": N_("page")}.get(kind, N_("page"))
        self.setAccessibleName(text)
        self.setAccessibleDescription(self.tr("Opens the %s in the library") % self.tr(where))
        self.setToolTip(self.tr("Open in the library"))
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.clicked.connect(lambda: self.activated_link.emit(self.link))

    def text_shown(self) -> str:
        return self.text_label.text()

    def _row(self) -> QLayout:
        layout = self.layout()
        assert layout is not None  # made in __init__
        return layout

    def sizeHint(self) -> QSize:
        return self._row().sizeHint()

    def minimumSizeHint(self) -> QSize:
        hint = self._row().minimumSize()
        return QSize(min(hint.width(), 160), hint.height())

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._row().totalHeightForWidth(width)


def lesson_link_text(lesson: Lesson) -> str:
    return f"{lesson.number}. {lesson.title}"


class DomainChips(QWidget):
    """Each domain as a small chip: its colour, its letter and its first word, never colour alone."""

    def __init__(self, domains: Sequence[str], parent: Any = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        for slug in domains:
            if not is_domain(slug):
                continue
            domain = domain_by_slug(slug)
            chip = QLabel(f"{domain.mark}  {self.tr(short_domain_name(slug))}")
            chip.setObjectName("toolDomainChip")
            chip.setToolTip(self.tr(domain.name))
            chip.setAccessibleName(self.tr(domain.name))
            chip.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            from nrp_desktop.ui.theme import set_themed_style

            set_themed_style(
                chip, f"QLabel#toolDomainChip {{ background: {domain.tint}; "
                f"border-left: 8px solid {domain.line}; }}"
            )
            layout.addWidget(chip)
        layout.addStretch(1)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)


class ArrowGrid(QObject):
    """Arrow keys move the focus around a grid of widgets (a list of rows), as in any grid."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[list[QWidget]] = []

    def set_rows(self, rows: list[list[QWidget]]) -> None:
        for widget in self._widgets():
            widget.removeEventFilter(self)
        self.rows = [list(row) for row in rows if row]
        for widget in self._widgets():
            widget.installEventFilter(self)

    def _widgets(self) -> list[QWidget]:
        return [widget for row in self.rows for widget in row]

    def _position(self, widget: QObject) -> tuple[int, int] | None:
        for row_index, row in enumerate(self.rows):
            for column_index, candidate in enumerate(row):
                if candidate is widget:
                    return row_index, column_index
        return None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if event.key() not in ARROWS or not no_modifiers(event):
            return False
        position = self._position(watched)
        if position is None:
            return False
        row, column = position
        if event.key() == Qt.Key.Key_Left:
            column -= 1
        elif event.key() == Qt.Key.Key_Right:
            column += 1
        elif event.key() == Qt.Key.Key_Up:
            row -= 1
        else:
            row += 1
        if 0 <= row < len(self.rows):
            column = min(max(column, 0), len(self.rows[row]) - 1) if event.key() in (
                Qt.Key.Key_Up, Qt.Key.Key_Down) else column
            if 0 <= column < len(self.rows[row]):
                target = self.rows[row][column]
                target.setFocus(Qt.FocusReason.TabFocusReason)
                ensure_visible(target)
        return True  # an arrow at the edge stays put rather than jumping elsewhere


class ChoiceBar(QWidget):
    """A row of buttons of which exactly one is chosen (like tabs or radio buttons).

    Only the chosen button is a Tab stop; Left/Right (and Home/End) choose the neighbour, so a
    keyboard user crosses the whole bar with one Tab and picks with the arrows."""

    chosen = Signal(object)  # the key of the option chosen by the user

    def __init__(self, name: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self.bar_layout = QHBoxLayout(self)
        self.bar_layout.setContentsMargins(0, 0, 0, 0)
        self.bar_layout.setSpacing(8)
        self.buttons: dict[Hashable, QPushButton] = {}
        self.keys: list[Hashable] = []
        self._current: Hashable = None

    def set_options(self, options: Sequence[tuple[Hashable, str, str]], button_name: str,
                    fill: bool = False) -> None:
        """Options as (key, text, accessible name); keeps the current choice when still offered.
        With `fill` the buttons share the bar's whole width, else they keep to the left."""
        clear_layout(self.bar_layout)
        self.buttons.clear()
        self.keys = [key for key, _text, _name in options]
        for key, text, accessible in options:
            button = BigButton(text, button_name)
            as_radio_button(button)  # one of a group: screen readers say "radio button, 3 of 8"
            button.setAccessibleName(accessible)
            button.clicked.connect(lambda _checked=False, key=key: self._pick(key))
            button.installEventFilter(self)
            if fill:
                button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            self.bar_layout.addWidget(button)
            self.buttons[key] = button
        if not fill:
            self.bar_layout.addStretch(1)
        current = self._current if self._current in self.buttons else (
            self.keys[0] if self.keys else None)
        self._current = None
        if current is not None or None in self.buttons:
            self.set_current(current)

    def current(self) -> Hashable:
        return self._current

    def set_current(self, key: Hashable) -> None:
        """Show `key` as chosen, without telling anyone (the caller knows)."""
        self._current = key
        for option, button in self.buttons.items():
            button.setChecked(option == key)
            # The chosen option is the bar's one Tab stop; the others still take a click.
            button.setFocusPolicy(
                Qt.FocusPolicy.StrongFocus if option == key else Qt.FocusPolicy.ClickFocus
            )

    def _pick(self, key: Hashable) -> None:
        had_focus = any(button.hasFocus() for button in self.buttons.values())
        self.set_current(key)
        if had_focus and key in self.buttons:
            self.buttons[key].setFocus(Qt.FocusReason.TabFocusReason)
        self.chosen.emit(key)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            return self.handle_key(event)
        return False

    def handle_key(self, event: QKeyEvent) -> bool:
        if not self.keys or not no_modifiers(event):
            return False
        index = self.keys.index(self._current) if self._current in self.keys else 0
        moves: dict[int, int] = {Qt.Key.Key_Left: index - 1, Qt.Key.Key_Right: index + 1,
                 Qt.Key.Key_Home: 0, Qt.Key.Key_End: len(self.keys) - 1}
        if event.key() not in moves:
            return False
        target = moves[event.key()]
        if 0 <= target < len(self.keys) and target != index:
            self._pick(self.keys[target])
        return True
