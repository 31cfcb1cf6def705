"""The compass screen: the group scores each of the five domains from 1 to 7.

A row per domain (mark, name, one plain sentence, seven big score buttons and "Not rated"), a
radar diagram drawn with QPainter that follows the scores as they change, and "Start with these":
the lessons for the lowest-scored domains. Unrated is shown as unrated, never as zero.
Keyboard: Tab reaches each domain's scores; Left/Right, Home/End or the digits 1–7 choose,
0 or Delete clears, Up/Down move between domains.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from itertools import pairwise
from typing import Any

from PySide6.QtCore import QEvent, QObject, QPointF, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QFontMetricsF,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from nrp_desktop.domain.content import ContentLibrary, make_link
from nrp_desktop.domain.domains import DOMAIN_SLUGS, DOMAINS, Domain, domain_by_slug
from nrp_desktop.domain.session import Session
from nrp_desktop.services import compass
from nrp_desktop.services.changes import SessionChanges
from nrp_desktop.ui.screen import Screen
from nrp_desktop.ui.theme import draw_domain_mark, set_themed_style
from nrp_desktop.ui.widgets import clear_layout, framed_column, page_layout, text_label
from nrp_desktop.ui.widgets.controls import (
    ChoiceBar,
    LinkButton,
    lesson_link_text,
    no_modifiers,
    scroll_area,
)
from nrp_desktop.ui.widgets.flow_layout import ItemListLayout
from nrp_desktop.ui.widgets.radar import RadarWidget

Ratings = dict[str, int]
SCREENSHOT_RATINGS: Ratings = {
    "social-connectedness": 5,
    "economic-resources": 2,
    "environmental-conditions": 4,
    "governance-systems": 3,
}  # cultural coherence left unrated, to show how that looks


class ScoreSelector(ChoiceBar):
    """Seven score buttons and "Not rated" for one domain; exactly one is chosen."""

    leave = Signal(int)  # -1: the user asked for the domain above, +1: the one below

    def __init__(self, domain: Domain, parent: Any = None) -> None:
        super().__init__(self.tr("Score for %s") % self.tr(domain.name), parent)
        self.domain = domain
        options: list[tuple[int | None, str, str]] = []
        for score in compass.SCALE:
            meaning = ""
            if score == compass.SCALE[0]:
                meaning = f", {self.tr(compass.LOW_END)}"
            elif score == compass.SCALE[-1]:
                meaning = f", {self.tr(compass.HIGH_END)}"
            options.append((score, str(score), self.tr("%1: %2 out of %3%4")
                            .replace("%1", self.tr(domain.name)).replace("%2", str(score))
                            .replace("%3", str(compass.SCALE[-1])).replace("%4", meaning)))
        options.append((None, self.tr("Not rated"), self.tr("%s: not rated") % self.tr(domain.name)))
        self.set_options(options, "scoreButton", fill=True)
        # "Not rated" sits apart, by the domain's name (see DomainRow): the row of seven stays a
        # scale. It is still this bar's option, so the arrow keys reach it after 7.
        self.not_rated_button = self.buttons[None]
        self.not_rated_button.setObjectName("notRatedButton")
        self.bar_layout.removeWidget(self.not_rated_button)
        for score in compass.SCALE:
            self.buttons[score].setMaximumWidth(96)
        self.buttons[compass.SCALE[0]].setToolTip(self.tr(compass.LOW_END_MEANING))
        self.buttons[compass.SCALE[-1]].setToolTip(self.tr(compass.HIGH_END_MEANING))

    def value(self) -> int | None:
        current = self.current()
        return current if isinstance(current, int) else None

    def handle_key(self, event: QKeyEvent) -> bool:
        if not no_modifiers(event):
            return False
        key = event.key()
        if Qt.Key.Key_1 <= key <= Qt.Key.Key_7:
            self._pick(key - Qt.Key.Key_0)
            return True
        if key in (Qt.Key.Key_Home, Qt.Key.Key_End):  # the ends of the scale, not of the bar
            self._pick(compass.SCALE[0] if key == Qt.Key.Key_Home else compass.SCALE[-1])
            return True
        if key in (Qt.Key.Key_0, Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self._pick(None)
            return True
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.leave.emit(-1 if key == Qt.Key.Key_Up else 1)
            return True
        return super().handle_key(event)

    def focus_choice(self) -> None:
        self.buttons[self.current()].setFocus(Qt.FocusReason.TabFocusReason)


class DomainMark(QWidget):
    """A domain's letter in a ring of its colour, sized from its font: the circle grows with
    "Large text for a projector" instead of the letter spilling out of it."""

    def __init__(self, slug: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.slug = slug
        self.setObjectName("compassMark")  # the style sheet sets its font
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        side = math.ceil(QFontMetricsF(self.font()).height() * 1.45) + 2 * self.ring_width()
        return QSize(side, side)

    def ring_width(self) -> int:
        return max(3, round(QFontMetricsF(self.font()).height() * 0.1))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # the text size changed: so does the circle
            self.updateGeometry()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        ring = self.ring_width()
        radius = min(self.width(), self.height()) / 2 - ring / 2 - 1
        draw_domain_mark(painter, self.slug, QPointF(self.width() / 2, self.height() / 2), radius,
                         self.font(), ring)


class NameAndButtonLayout(ItemListLayout):
    """A domain's name with its "Not rated" button: side by side where the row has room for
    both, else the button under the name (Large text in a narrow window), so the row never
    needs more width than its longest word. Laid out by height-for-width, as wrapped text is:
    the choice is made again each time the row is laid out, from the width it has."""

    def __init__(self, name: QWidget, button: QWidget, spacing: int = 12) -> None:
        super().__init__()
        self.setContentsMargins(0, 0, 0, 0)
        self.setSpacing(spacing)
        self.addWidget(name)
        self.addWidget(button)

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation.Horizontal

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), apply=False)

    def minimumSize(self) -> QSize:
        if len(self._items) < 2:
            return QSize(0, 0)
        name, button = (item.minimumSize() for item in self._items[:2])
        return QSize(max(name.width(), button.width()), name.height() + self.spacing() + button.height())

    def sizeHint(self) -> QSize:
        if len(self._items) < 2:
            return QSize(0, 0)
        name, button = (item.sizeHint() for item in self._items[:2])
        return QSize(name.width() + self.spacing() + button.width(), max(name.height(), button.height()))

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, apply=True)

    def side_by_side(self, width: int) -> bool:
        name, button = self._items[0], self._items[1]
        return name.minimumSize().width() + self.spacing() + button.sizeHint().width() <= width

    def _arrange(self, rect: QRect, apply: bool) -> int:
        """Place the name and the button in `rect` (mirrored right to left); the height used."""
        if len(self._items) < 2:
            return 0
        name, button = self._items[0], self._items[1]
        button_size = button.sizeHint()
        if self.side_by_side(rect.width()):
            name_width = rect.width() - self.spacing() - button_size.width()
            name_height = name.heightForWidth(name_width) if name.hasHeightForWidth() \
                else name.sizeHint().height()
            name_rect = QRect(rect.x(), rect.y(), name_width, name_height)
            button_rect = QRect(rect.right() + 1 - button_size.width(), rect.y(),
                                button_size.width(), button_size.height())
            height = max(name_height, button_size.height())
        else:
            name_height = name.heightForWidth(rect.width()) if name.hasHeightForWidth() \
                else name.sizeHint().height()
            name_rect = QRect(rect.x(), rect.y(), rect.width(), name_height)
            button_rect = QRect(rect.x(), rect.y() + name_height + self.spacing(),
                                min(button_size.width(), rect.width()), button_size.height())
            height = name_height + self.spacing() + button_size.height()
        if apply:
            parent = self.parentWidget()
            direction = parent.layoutDirection() if parent is not None else Qt.LayoutDirection.LeftToRight
            name.setGeometry(QStyle.visualRect(direction, rect, name_rect))
            button.setGeometry(QStyle.visualRect(direction, rect, button_rect))
        return height


class DomainRow(QFrame):
    """One domain: its mark, name and meaning, and its score buttons."""

    def __init__(self, domain: Domain, parent: Any = None) -> None:
        super().__init__(parent)
        self.domain = domain
        self.setObjectName("compassRow")
        self.setAccessibleName(self.tr(domain.name))
        mark = DomainMark(domain.slug)
        mark.setAccessibleName(self.tr("Mark %s") % domain.mark)
        self.name_label = text_label(self.tr(domain.name), "compassName")
        self.description = text_label("", "compassDescription")
        self.selector = ScoreSelector(domain)
        self.heading = heading = NameAndButtonLayout(self.name_label, self.selector.not_rated_button)
        text = QVBoxLayout()
        text.setSpacing(4)
        text.addLayout(heading)
        # The scores right under the name: in Large text, where a row is taller than the view,
        # they still show with the name, and the meaning follows.
        text.addWidget(self.selector)
        text.addWidget(self.description)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(12)
        layout.addWidget(mark, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(text, 1)
        self.show_score(None)

    def show_score(self, score: int | None) -> None:
        self.selector.set_current(score)
        state = self.tr("not rated") if score is None else self.tr("%1 out of %2").replace(
            "%1", str(score)).replace("%2", str(compass.SCALE[-1]))
        self.setAccessibleDescription(state)


class RowsScrollArea(QScrollArea):
    """The domains' rows, scrolled up and down but never cut at the side: the area is at least
    as wide as the rows need in the text size of the moment (Large text needs more), asked
    each time the layout asks, never fixed once at build time.

    Nothing is set from an event here: when the rows' needs change (a new font, a language),
    their layout asks for a new layout; the area only passes that on to the screen's layout
    (updateGeometry), whose new geometry for the area does not change what the rows need."""

    def __init__(self, content: QWidget, name: str) -> None:
        super().__init__()
        self.setObjectName("toolScroll")
        self.setAccessibleName(name)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes straight to the scores
        self.setWidget(content)
        content.installEventFilter(self)

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        content = self.widget()
        if content is None:
            return hint
        # The vertical scroll bar may show at any time: leave it its room.
        needed = (content.minimumSizeHint().width() + self.verticalScrollBar().sizeHint().width()
                  + 2 * self.frameWidth())
        return QSize(max(hint.width(), needed), hint.height())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()
        return super().eventFilter(watched, event)


class CompassView(Screen):
    """Scores for the five domains, the radar, and the lessons to start with."""

    ratings_changed = Signal(dict)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("compass")
        self.library: ContentLibrary | None = None
        self._ratings: Ratings = {}
        self._previous: Ratings | None = None  # last session's, for a follow-up
        self._links: list[LinkButton] = []  # the lessons in "Start with these", in order

        title = text_label(self.tr("The compass: how is our area doing?"), "toolTitle")
        subtitle = self.subtitle = text_label(
            self.tr("Agree one score together for each of the five domains. There are no wrong "
                    "answers, and any domain can stay not rated."), "pageSubtitle")
        legend = text_label(
            self.tr("%1 = %2   ·   %3 = %4").replace("%1", str(compass.SCALE[0]))
            .replace("%2", self.tr(compass.LOW_END)).replace("%3", str(compass.SCALE[-1]))
            .replace("%4", self.tr(compass.HIGH_END)), "compassLegend")
        legend.setAccessibleName(
            f"{self.tr(compass.LOW_END_MEANING)} {self.tr(compass.HIGH_END_MEANING)}")

        self.rows: dict[str, DomainRow] = {}
        rows_box = QWidget()
        rows_layout = QVBoxLayout(rows_box)
        rows_layout.setContentsMargins(0, 0, 8, 0)
        rows_layout.setSpacing(8)
        for domain in DOMAINS:
            row = DomainRow(domain)
            row.selector.chosen.connect(
                lambda score, slug=domain.slug: self._score_chosen(slug, score))
            row.selector.leave.connect(
                lambda direction, slug=domain.slug: self._move_focus(slug, direction))
            rows_layout.addWidget(row)
            self.rows[domain.slug] = row
        rows_layout.addStretch(1)
        # The score buttons must never be cut off: the rows keep their full minimum width.
        rows_scroll = self.rows_scroll = RowsScrollArea(rows_box, self.tr("Scores for the five domains"))

        self.radar = RadarWidget()
        self.previous_key = text_label("", "hint")
        self.previous_key.setVisible(False)
        self.start_box = QWidget()
        self.start_layout = QVBoxLayout(self.start_box)
        self.start_layout.setContentsMargins(0, 0, 8, 0)
        self.start_layout.setSpacing(8)
        start_panel, start_panel_layout = framed_column("toolSidePanel", (16, 12, 8, 12))
        start_panel_layout.addWidget(text_label(self.tr("Start with these"), "toolSectionTitle"))
        self.start_scroll = scroll_area(self.start_box, self.tr("Lessons to start with"))
        start_panel_layout.addWidget(self.start_scroll, 1)
        self.right_column = QWidget()
        right = QVBoxLayout(self.right_column)
        right.setContentsMargins(0, 0, 0, 0)
        right.setSpacing(12)
        right.addWidget(self.radar, 3)
        right.addWidget(self.previous_key)
        right.addWidget(start_panel, 2)

        self.rows_layout = rows_layout
        self.body = body = QHBoxLayout()
        body.setSpacing(16)
        # The scores are the screen's work: they get the larger share of the width.
        body.addWidget(rows_scroll, 3)
        body.addWidget(self.right_column, 2)

        self.outer_layout = layout = page_layout(self, title, subtitle)
        layout.addWidget(legend)
        layout.addLayout(body, 1)
        self._show_subtitle_for_text_size()
        self._refresh()

    def _show_subtitle_for_text_size(self) -> None:
        """In large text (for the hall) the line under the title, for the facilitator, gives its
        room to the scores and the radar. Only a label shown or hidden: no size is set here."""
        self.subtitle.setVisible(not self._large_text())

    def _large_text(self) -> bool:
        from nrp_desktop.ui.theme import BODY_POINT_SIZE

        return self.font().pointSizeF() > BODY_POINT_SIZE * 1.3

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._show_subtitle_for_text_size()
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.LanguageChange):
            QTimer.singleShot(0, self, self._place_right_column)  # once the rows have their new needs

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_right_column()

    def right_column_under_scores(self) -> bool:
        return self.right_column.parentWidget() is not self

    def _place_right_column(self) -> None:
        """The radar and "Start with these" beside the scores where the screen has room for
        them at their usual width; else, in large text, under the scores, in the scores' scroll area (Large
        text on a 1024-pixel screen), so nothing is squeezed and cut. Decided from the rows'
        own needs only, never from where the column is, so the choice cannot flip back."""
        margins = self.outer_layout.contentsMargins()
        room = self.width() - margins.left() - margins.right()
        rows_need = (max(row.minimumSizeHint().width() for row in self.rows.values())
                     + self.rows_layout.contentsMargins().left() + self.rows_layout.contentsMargins().right()
                     + self.rows_scroll.verticalScrollBar().sizeHint().width())
        under = self._large_text() and \
            room < rows_need + self.body.spacing() + self.radar.sizeHint().width()
        if under == self.right_column_under_scores():
            return
        if under:
            self.body.removeWidget(self.right_column)
            self.rows_layout.insertWidget(self.rows_layout.count() - 1, self.right_column)
        else:
            self.rows_layout.removeWidget(self.right_column)
            self.body.addWidget(self.right_column, 2)
        # Under the scores the column takes the height it asks for, and the lessons' own
        # scroll area would ask for a line or two: give it room for a few lessons.
        self.start_scroll.setMinimumHeight(8 * self.fontMetrics().height() if under else 0)
        self.right_column.show()

    # Public API ----------------------------------------------------------------------------

    def set_library(self, library: ContentLibrary) -> None:
        self.library = library
        for slug, row in self.rows.items():
            row.description.setText(compass.domain_description(library, slug))
        self._refresh()

    def ratings(self) -> Ratings:
        """The scores given so far: {domain slug: 1…7}; unrated domains are absent."""
        return dict(self._ratings)

    def set_ratings(self, ratings: Mapping[str, int]) -> None:
        """Show these scores (from a session), replacing all others. Does not emit
        `ratings_changed`: that signal is for changes the group makes on screen.

        Raises ValueError naming the domain when a score is not a whole number 1…7."""
        self._ratings = compass.check_ratings(ratings)
        self._refresh()

    def follow_changes(self, changes: SessionChanges, session: Session | None) -> None:
        """The scores belong to the open session: show its own."""
        if changes.opened or changes.ratings:
            self.set_ratings(dict(session.ratings) if session is not None else {})

    def rating(self, slug: str) -> int | None:
        return self._ratings.get(slug)

    def set_previous_ratings(self, ratings: Mapping[str, int] | None, when: str = "") -> None:
        """Last session's scores (a follow-up's "then"), shown over the radar with the change
        per domain; None shows today's alone. `when` names that session in the key."""
        self._previous = dict(ratings) if ratings is not None else None
        self.previous_key.setText(
            self.tr("Dashed line: last session's scores%s. In brackets: the change since.")
            % (f" ({when})" if when else ""))
        self.previous_key.setVisible(self._previous is not None)
        self._refresh()

    def set_rating(self, slug: str, score: int | None) -> None:
        """As if the group chose `score` (None: not rated) for one domain; emits the change."""
        domain_by_slug(slug)
        self._score_chosen(slug, score)

    # Inner workings ------------------------------------------------------------------------

    def _score_chosen(self, slug: str, score: object) -> None:
        updated = dict(self._ratings)
        if score is None:
            updated.pop(slug, None)
        else:
            updated[slug] = int(score)  # type: ignore[call-overload]
        self._ratings = compass.check_ratings(updated)
        self._refresh()
        self.ratings_changed.emit(self.ratings())

    def _move_focus(self, slug: str, direction: int) -> None:
        index = DOMAIN_SLUGS.index(slug) + direction
        if 0 <= index < len(DOMAIN_SLUGS):
            row = self.rows[DOMAIN_SLUGS[index]]
            row.selector.focus_choice()
            parent = row.parentWidget()
            while parent is not None and not hasattr(parent, "ensureWidgetVisible"):
                parent = parent.parentWidget()
            if parent is not None:
                parent.ensureWidgetVisible(row)

    def _refresh(self) -> None:
        for slug, row in self.rows.items():
            row.show_score(self._ratings.get(slug))
        self.radar.set_values(self._ratings, self._previous)
        self._fill_start()

    def _fill_start(self) -> None:
        clear_layout(self.start_layout)
        self._links = []
        if self.library is None:
            self.start_layout.addStretch(1)
            return
        points = compass.starting_points(self.library, self._ratings)
        if not points:
            self.start_layout.addWidget(text_label(
                self.tr("Score at least one domain. The lessons for the lowest scores "
                        "will show here."), "toolEmpty"))
        for point in points:
            heading = text_label(
                self.tr("%1  %2 · scored %3").replace("%1", point.domain.mark)
                .replace("%2", self.tr(point.domain.name)).replace("%3", str(point.score)),
                "startDomain")
            set_themed_style(heading, f"QLabel#startDomain {{ border-left: 8px solid "
                                       f"{point.domain.line}; background: {point.domain.tint}; }}")
            self.start_layout.addWidget(heading)
            for lesson in point.lessons:
                button = LinkButton(lesson_link_text(lesson), make_link("lesson", lesson.slug))
                button.activated_link.connect(self.open_link_requested)
                self.start_layout.addWidget(button)
                self._links.append(button)
        unrated = compass.unrated_domains(self._ratings)
        if points and unrated:
            names = ", ".join(self.tr(domain_by_slug(slug).name) for slug in unrated)
            self.start_layout.addWidget(
                text_label(self.tr("Not rated yet: %s") % names, "toolEmpty"))
        self.start_layout.addStretch(1)
        # Widgets added to a shown layout are otherwise shown and styled (their style sheet,
        # their font) only on a later pass of the event loop, after the layout has shared the
        # space out without them: the first frames showed the headings squashed under the
        # links. Show and style them now, and lay out once.
        for index in range(self.start_layout.count()):
            item = self.start_layout.itemAt(index)
            widget = item.widget() if item is not None else None
            if widget is not None and self.start_box.isVisible():
                widget.show()
        self.start_layout.invalidate()
        self.start_layout.activate()
        self.fix_tab_order()

    def fix_tab_order(self) -> None:
        """Tab in reading order: each domain's scores, top to bottom, then the lessons."""
        chain: list[QWidget] = [button for row in self.rows.values()
                                for button in row.selector.buttons.values()]
        chain += self._links
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    # Screenshots ---------------------------------------------------------------------------

    def screenshot_states(self) -> list[tuple[str, Callable[[], None]]]:
        def scored() -> None:
            self.set_ratings(SCREENSHOT_RATINGS)

        return [("compass", scored)]
