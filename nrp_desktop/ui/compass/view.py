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

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QKeyEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from nrp_desktop.domain.content import ContentLibrary, make_link
from nrp_desktop.domain.domains import DOMAIN_SLUGS, DOMAINS, Domain, domain_by_slug
from nrp_desktop.domain.session import Session
from nrp_desktop.services import compass
from nrp_desktop.services.changes import SessionChanges
from nrp_desktop.ui.screen import Screen
from nrp_desktop.ui.theme import ACCENT_COLOUR, TEXT_COLOUR, draw_domain_mark
from nrp_desktop.ui.widgets import clear_layout, page_layout, text_label
from nrp_desktop.ui.widgets.controls import (
    ChoiceBar,
    LinkButton,
    lesson_link_text,
    no_modifiers,
    scroll_area,
    short_domain_name,
)
from nrp_desktop.ui.widgets.plain_text import plain_tooltip

Ratings = dict[str, int]
SCREENSHOT_RATINGS: Ratings = {
    "social-connectedness": 5,
    "economic-resources": 2,
    "environmental-conditions": 4,
    "governance-systems": 3,
}  # cultural coherence left unrated, to show how that looks
GRID_COLOUR = "#B5B5AC"
NOT_RATED = "not rated"


class ScoreSelector(ChoiceBar):
    """Seven score buttons and "Not rated" for one domain; exactly one is chosen."""

    leave = Signal(int)  # -1: the user asked for the domain above, +1: the one below

    def __init__(self, domain: Domain, parent: Any = None) -> None:
        super().__init__(self.tr("Score for %s") % self.tr(domain.name), parent)
        self.domain = domain
        options = []
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
        heading = QHBoxLayout()
        heading.setSpacing(12)
        heading.addWidget(self.name_label, 1)
        heading.addWidget(self.selector.not_rated_button, 0, Qt.AlignmentFlag.AlignTop)
        text = QVBoxLayout()
        text.setSpacing(4)
        text.addLayout(heading)
        text.addWidget(self.description)
        text.addWidget(self.selector)
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


class RadarWidget(QWidget):
    """The five domains as five axes, scores 1…7 out from the middle; unrated axes dashed."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("compassRadar")
        self.setAccessibleName(self.tr("Compass diagram"))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._values: dict[str, int | None] = {slug: None for slug in DOMAIN_SLUGS}
        # Last session's scores (a follow-up's "then"), drawn as a dashed outline; None: none.
        self._previous: dict[str, int] | None = None
        self._describe()

    def values(self) -> dict[str, int | None]:
        """Every domain's score as drawn; None for unrated."""
        return dict(self._values)

    def previous_values(self) -> dict[str, int] | None:
        return dict(self._previous) if self._previous is not None else None

    def set_values(self, ratings: Mapping[str, int], previous: Mapping[str, int] | None = None) -> None:
        """Today's scores, and optionally an earlier session's, drawn over them."""
        self._values = {slug: ratings.get(slug) for slug in DOMAIN_SLUGS}
        self._previous = {slug: previous[slug] for slug in DOMAIN_SLUGS if slug in previous} \
            if previous is not None else None
        self._describe()
        self.update()

    def _change_text(self, slug: str) -> str:
        """"+2" / "−1" / "±0" beside a score when last session rated the domain too."""
        score = self._values[slug]
        if self._previous is None or score is None or slug not in self._previous:
            return ""
        change = score - self._previous[slug]
        return f"  ({'+' if change > 0 else '−' if change < 0 else '±'}{abs(change)})"

    def _value_text(self, slug: str) -> str:
        score = self._values[slug]
        return (self.tr(NOT_RATED) if score is None else f"{score} / {compass.SCALE[-1]}") + self._change_text(slug)

    def _describe(self) -> None:
        parts = []
        for domain in DOMAINS:
            text = self._value_text(domain.slug)
            if self._previous is not None:
                before = self._previous.get(domain.slug)
                text += "; " + (self.tr("last time not rated") if before is None
                                else self.tr("last time %s") % f"{before} / {compass.SCALE[-1]}")
            parts.append(f"{self.tr(domain.name)}: {text}")
        self.setAccessibleDescription("; ".join(parts))
        self.setToolTip(plain_tooltip("\n".join(parts)))

    def sizeHint(self) -> QSize:
        return QSize(420, 380)

    def minimumSizeHint(self) -> QSize:
        return QSize(260, 240)

    def _font(self, scale: float, bold: bool = False) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(max(1.0, self.font().pointSizeF() * scale))
        font.setBold(bold)
        return font

    @staticmethod
    def _angle(index: int) -> float:
        return math.radians(-90 + index * 360 / len(DOMAINS))

    def _placement(self, index: int) -> str:
        """Where an axis's words go beside its mark, so that none of them overlaps the diagram:
        beside the top mark, above the two side marks, outward from the two lower ones."""
        angle = self._angle(index)
        cos, sin = math.cos(angle), math.sin(angle)
        if abs(cos) < 0.2:
            return "right"
        if sin < 0:
            return "above"
        return "right" if cos > 0 else "left"

    @staticmethod
    def _label_extent(placement: str, mark_radius: float, width: float,
                      height: float) -> tuple[float, float, float, float]:
        """(left, right, top, bottom) of a mark and its words, around the mark's centre."""
        if placement == "above":
            half = max(mark_radius, width / 2)
            return -half, half, -mark_radius - height, mark_radius
        tall = max(mark_radius, height / 2)
        if placement == "right":
            return -mark_radius, mark_radius + 6 + width, -tall, tall
        return -mark_radius - 6 - width, mark_radius, -tall, tall

    def _largest_reach(self, area: QRectF,
                       extents: list[tuple[float, float, float, float]]) -> float:
        """The largest distance from the centre to the marks at which everything fits."""

        def fits(reach: float) -> bool:
            xs_low, xs_high, ys_low, ys_high = [], [], [], []
            for index, (left, right, top, bottom) in enumerate(extents):
                angle = self._angle(index)
                x, y = reach * math.cos(angle), reach * math.sin(angle)
                xs_low.append(x + left)
                xs_high.append(x + right)
                ys_low.append(y + top)
                ys_high.append(y + bottom)
            half_width = area.width() / 2
            return (max(xs_high) <= half_width and min(xs_low) >= -half_width
                    and max(ys_high) - min(ys_low) <= area.height())

        low, high = 0.0, max(area.width(), area.height())
        for _ in range(30):
            middle = (low + high) / 2
            if fits(middle):
                low = middle
            else:
                high = middle
        return low

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        area = QRectF(self.rect()).adjusted(1, 1, -1, -1)
        painter.setPen(QPen(QColor("#C8C8BE"), 1))
        painter.setBrush(QColor("#FFFFFF"))
        painter.drawRoundedRect(area, 8, 8)

        # Type grows with the diagram, within limits, so it reads from across a room.
        scale = min(1.7, max(0.9, min(area.width(), area.height()) / 360))
        # …but never so large that the words crowd out the diagram (large text on a projector):
        # shrink the type until the diagram keeps at least a third of the room.
        smallest_side = min(area.width(), area.height())
        while True:
            mark_font = self._font(1.4 * scale, bold=True)
            name_font = self._font(1.05 * scale, bold=True)
            value_font = self._font(1.05 * scale)
            name_metrics = QFontMetricsF(name_font)
            value_metrics = QFontMetricsF(value_font)
            top = compass.SCALE[-1]
            show_names = area.width() >= 400  # on a narrow diagram the marks alone name the axes
            label_width = max(
                [value_metrics.horizontalAdvance(self.tr(NOT_RATED)),
                 value_metrics.horizontalAdvance(f"{top} / {top}"
                                                 + ("  (+6)" if self._previous is not None else ""))]
                + ([name_metrics.horizontalAdvance(self.tr(short_domain_name(d.slug)))
                    for d in DOMAINS] if show_names else [])
            ) + 4
            line = name_metrics.height()
            lines = 2 if show_names else 1
            mark_radius = QFontMetricsF(mark_font).height() * 0.72
            gap, pad = 8.0, 10.0
            placements = [self._placement(i) for i in range(len(DOMAINS))]
            extents = [self._label_extent(p, mark_radius, label_width, lines * line)
                       for p in placements]
            reach = self._largest_reach(area.adjusted(pad, pad, -pad, -pad), extents)
            radius = max(16.0, reach - gap - mark_radius)
            if radius >= smallest_side / 3 or scale <= 0.5:
                break
            scale *= 0.85
        reach = radius + gap + mark_radius
        highest = min(reach * math.sin(self._angle(i)) + extents[i][2] for i in range(len(DOMAINS)))
        lowest = max(reach * math.sin(self._angle(i)) + extents[i][3] for i in range(len(DOMAINS)))
        spare = (area.height() - 2 * pad) - (lowest - highest)
        centre = QPointF(area.center().x(), area.top() + pad + max(0.0, spare / 2) - highest)

        def point(index: int, fraction: float) -> QPointF:
            angle = self._angle(index)
            return QPointF(centre.x() + math.cos(angle) * radius * fraction,
                           centre.y() + math.sin(angle) * radius * fraction)

        # Rings for every score, the outermost (7) heavier; the scale's numbers up the top axis.
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for score in compass.SCALE:
            ring = QPolygonF([point(i, score / top) for i in range(len(DOMAINS))])
            painter.setPen(QPen(QColor("#6B6B64" if score == top else GRID_COLOUR),
                                2 if score == top else 1))
            painter.drawPolygon(ring)

        # Axes: solid in the domain's colour when rated, dashed grey when not.
        for index, domain in enumerate(DOMAINS):
            rated = self._values[domain.slug] is not None
            pen = QPen(QColor(domain.colour) if rated else QColor("#6B6B64"), 4 if rated else 2)
            if not rated:
                pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawLine(centre, point(index, 1.0))
        painter.setFont(self._font(0.9 * scale))
        painter.setPen(QColor("#3D3D3D"))
        small = QFontMetricsF(painter.font()).height()
        for score in (1, 4, 7):
            where = point(0, score / top)
            painter.drawText(QRectF(where.x() + 8, where.y() + 2, 40, small),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                             str(score))

        # The group's shape: a wedge between each pair of neighbouring rated axes, so an
        # unrated axis leaves a gap instead of pretending to a value.
        scores = [self._values[d.slug] for d in DOMAINS]
        shape = QPainterPath()
        outline: list[tuple[QPointF, QPointF]] = []
        for index in range(len(DOMAINS)):
            following = (index + 1) % len(DOMAINS)
            first, second = scores[index], scores[following]
            if first is None or second is None:
                continue
            a, b = point(index, first / top), point(following, second / top)
            shape.addPolygon(QPolygonF([centre, a, b, centre]))
            outline.append((a, b))
        painter.setPen(Qt.PenStyle.NoPen)
        fill = QColor(ACCENT_COLOUR)
        fill.setAlpha(70)
        painter.setBrush(QBrush(fill))
        painter.drawPath(shape.simplified())
        painter.setPen(QPen(QColor(ACCENT_COLOUR), 4, Qt.PenStyle.SolidLine,
                            Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
        for a, b in outline:
            painter.drawLine(a, b)
        dot = 6 + 3 * scale
        if self._previous is not None:
            self._paint_previous(painter, point, top, dot)
        for index, domain in enumerate(DOMAINS):
            score = scores[index]
            if score is None:
                continue
            painter.setPen(QPen(QColor(TEXT_COLOUR), 2))
            painter.setBrush(QColor(domain.colour))
            painter.drawEllipse(point(index, score / top), dot, dot)

        # Labels: the mark in a ring of the domain's colour, then the name and the score.
        for index, domain in enumerate(DOMAINS):
            score = scores[index]
            angle = self._angle(index)
            reach = radius + gap + mark_radius
            mark_centre = QPointF(centre.x() + math.cos(angle) * reach,
                                  centre.y() + math.sin(angle) * reach)
            draw_domain_mark(painter, domain.slug, mark_centre, mark_radius, mark_font, 4)
            texts = ([self.tr(short_domain_name(domain.slug))] if show_names else []) + [
                self._value_text(domain.slug)]
            height = line * len(texts)
            placement = placements[index]
            if placement == "above":
                box = QRectF(mark_centre.x() - label_width / 2, mark_centre.y() - mark_radius - height,
                             label_width, height)
                align = Qt.AlignmentFlag.AlignHCenter
            elif placement == "right":
                box = QRectF(mark_centre.x() + mark_radius + 6, mark_centre.y() - height / 2,
                             label_width, height)
                align = Qt.AlignmentFlag.AlignLeft
            else:
                box = QRectF(mark_centre.x() - mark_radius - 6 - label_width,
                             mark_centre.y() - height / 2, label_width, height)
                align = Qt.AlignmentFlag.AlignRight
            for number, text in enumerate(texts):
                is_value = number == len(texts) - 1
                painter.setFont(name_font if not is_value or score is not None else value_font)
                painter.setPen(QColor(TEXT_COLOUR if score is not None or not is_value
                                      else "#3D3D3D"))
                painter.drawText(QRectF(box.left(), box.top() + number * line, box.width(), line),
                                 int(align | Qt.AlignmentFlag.AlignVCenter), text)
        painter.end()

    def _paint_previous(self, painter: QPainter, point: Callable[[int, float], QPointF], top: int,
                        dot: float) -> None:
        """Last session's scores: a dark dashed outline with open dots, told apart from
        today's coloured shape by its pattern as well as its colour."""
        previous = self._previous or {}
        pen = QPen(QColor(TEXT_COLOUR), 3, Qt.PenStyle.DashLine, Qt.PenCapStyle.RoundCap,
                   Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for index, domain in enumerate(DOMAINS):
            following = DOMAINS[(index + 1) % len(DOMAINS)]
            if domain.slug in previous and following.slug in previous:
                painter.drawLine(point(index, previous[domain.slug] / top),
                                 point((index + 1) % len(DOMAINS), previous[following.slug] / top))
        painter.setPen(QPen(QColor(TEXT_COLOUR), 2))
        painter.setBrush(QColor("#FFFFFF"))
        for index, domain in enumerate(DOMAINS):
            if domain.slug in previous:
                painter.drawEllipse(point(index, previous[domain.slug] / top), dot * 0.8, dot * 0.8)


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
        subtitle = text_label(
            self.tr("Agree one score together for each of the five domains. There are no wrong "
                    "answers, and any domain can stay not rated."), "pageSubtitle")
        legend = text_label(
            self.tr("%1 = %2   ·   %3 = %4").replace("%1", str(compass.SCALE[0]))
            .replace("%2", self.tr(compass.LOW_END)).replace("%3", str(compass.SCALE[-1]))
            .replace("%4", self.tr(compass.HIGH_END)), "compassLegend", wrap=False)
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
        rows_scroll = scroll_area(rows_box, self.tr("Scores for the five domains"))
        # The score buttons must never be cut off: the rows keep their full minimum width.
        rows_scroll.setMinimumWidth(rows_box.minimumSizeHint().width() + 24)

        self.radar = RadarWidget()
        self.previous_key = text_label("", "hint")
        self.previous_key.setVisible(False)
        self.start_box = QWidget()
        self.start_layout = QVBoxLayout(self.start_box)
        self.start_layout.setContentsMargins(0, 0, 8, 0)
        self.start_layout.setSpacing(8)
        start_panel = QFrame()
        start_panel.setObjectName("toolSidePanel")
        start_panel_layout = QVBoxLayout(start_panel)
        start_panel_layout.setContentsMargins(16, 12, 8, 12)
        start_panel_layout.setSpacing(8)
        start_panel_layout.addWidget(text_label(self.tr("Start with these"), "toolSectionTitle"))
        start_panel_layout.addWidget(
            scroll_area(self.start_box, self.tr("Lessons to start with")), 1)
        right = QVBoxLayout()
        right.setSpacing(12)
        right.addWidget(self.radar, 3)
        right.addWidget(self.previous_key)
        right.addWidget(start_panel, 2)

        body = QHBoxLayout()
        body.setSpacing(16)
        body.addWidget(rows_scroll, 1)
        body.addLayout(right, 1)

        layout = page_layout(self, title, subtitle)
        layout.addWidget(legend)
        layout.addLayout(body, 1)
        self._refresh()

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
            heading.setStyleSheet(f"QLabel#startDomain {{ border-left: 8px solid "
                                  f"{point.domain.colour}; background: {point.domain.tint}; }}")
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
