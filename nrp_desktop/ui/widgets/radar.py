"""The compass radar: five domains round a circle, each score a point, the points joined."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import (
    QSizePolicy,
    QWidget,
)

from nrp_desktop.domain.domains import DOMAIN_SLUGS, DOMAINS
from nrp_desktop.services import compass
from nrp_desktop.ui.theme import ACCENT_COLOUR, TEXT_COLOUR, draw_domain_mark, ink
from nrp_desktop.ui.widgets.accessible import as_chart
from nrp_desktop.ui.widgets.controls import (
    short_domain_name,
)
from nrp_desktop.ui.widgets.plain_text import plain_tooltip

GRID_COLOUR = "#B5B5AC"
NOT_RATED = "not rated"


class RadarWidget(QWidget):
    """The five domains as five axes, scores 1…7 out from the middle; unrated axes dashed."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("compassRadar")
        self.setAccessibleName(self.tr("Compass diagram"))
        as_chart(self)  # a chart to screen readers; its description lists the scores
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

    def _labels_overlap(self, reach: float,
                        extents: list[tuple[float, float, float, float]]) -> bool:
        """Whether any two marks with their words, `reach` from the centre, overlap."""
        boxes = []
        for index, (left, right, top, bottom) in enumerate(extents):
            angle = self._angle(index)
            x, y = reach * math.cos(angle), reach * math.sin(angle)
            boxes.append(QRectF(x + left, y + top, right - left, bottom - top))
        return any(first.intersects(second) for number, first in enumerate(boxes)
                   for second in boxes[number + 1:])

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        # A diagram, never mirrored (Urdu): its words sit by their marks, and "5 / 7" keeps
        # its order (in a right-to-left line the numbers would swap round the slash).
        painter.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        area = QRectF(self.rect()).adjusted(1, 1, -1, -1)
        painter.setPen(QPen(QColor(ink("#C8C8BE")), 1))
        painter.setBrush(QColor(ink("#FFFFFF")))
        painter.drawRoundedRect(area, 8, 8)

        # Type grows with the diagram, within limits, so it reads from across a room.
        scale = min(1.7, max(0.9, min(area.width(), area.height()) / 360))
        # …but never so large that the words crowd out the diagram (large text on a projector):
        # shrink the type until the diagram keeps at least a third of the room.
        smallest_side = min(area.width(), area.height())
        names_fit = area.width() >= 400  # on a narrow diagram the marks alone name the axes
        while True:
            mark_font = self._font(1.4 * scale, bold=True)
            name_font = self._font(1.05 * scale, bold=True)
            value_font = self._font(1.05 * scale)
            name_metrics = QFontMetricsF(name_font)
            value_metrics = QFontMetricsF(value_font)
            top = compass.SCALE[-1]
            show_names = names_fit
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
            if show_names and self._labels_overlap(reach, extents):
                names_fit = False  # a short, wide diagram (large text): the marks name the axes
                continue
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
        for level in compass.SCALE:
            ring = QPolygonF([point(i, level / top) for i in range(len(DOMAINS))])
            painter.setPen(QPen(QColor(ink("#6B6B64" if level == top else GRID_COLOUR)),
                                2 if level == top else 1))
            painter.drawPolygon(ring)

        # Axes: solid in the domain's colour when rated, dashed grey when not.
        for index, domain in enumerate(DOMAINS):
            rated = self._values[domain.slug] is not None
            pen = QPen(QColor(ink(domain.line if rated else "#6B6B64")), 4 if rated else 2)
            if not rated:
                pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawLine(centre, point(index, 1.0))
        painter.setFont(self._font(0.9 * scale))
        painter.setPen(QColor(ink("#3D3D3D")))
        small = QFontMetricsF(painter.font()).height()
        for level in (1, 4, 7):
            where = point(0, level / top)
            painter.drawText(QRectF(where.x() + 8, where.y() + 2, 40, small),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                             str(level))

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
        fill = QColor(ink(ACCENT_COLOUR))
        fill.setAlpha(70)
        painter.setBrush(QBrush(fill))
        painter.drawPath(shape.simplified())
        painter.setPen(QPen(QColor(ink(ACCENT_COLOUR)), 4, Qt.PenStyle.SolidLine,
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
            painter.setPen(QPen(QColor(ink(TEXT_COLOUR)), 2))
            painter.setBrush(QColor(ink(domain.colour)))
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
                painter.setPen(QColor(ink(TEXT_COLOUR if score is not None or not is_value
                                          else "#3D3D3D")))
                painter.drawText(QRectF(box.left(), box.top() + number * line, box.width(), line),
                                 int(align | Qt.AlignmentFlag.AlignVCenter), text)
        painter.end()

    def _paint_previous(self, painter: QPainter, point: Callable[[int, float], QPointF], top: int,
                        dot: float) -> None:
        """Last session's scores: a dark dashed outline with open dots, told apart from
        today's coloured shape by its pattern as well as its colour."""
        previous = self._previous or {}
        pen = QPen(QColor(ink(TEXT_COLOUR)), 3, Qt.PenStyle.DashLine, Qt.PenCapStyle.RoundCap,
                   Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for index, domain in enumerate(DOMAINS):
            following = DOMAINS[(index + 1) % len(DOMAINS)]
            if domain.slug in previous and following.slug in previous:
                painter.drawLine(point(index, previous[domain.slug] / top),
                                 point((index + 1) % len(DOMAINS), previous[following.slug] / top))
        painter.setPen(QPen(QColor(ink(TEXT_COLOUR)), 2))
        painter.setBrush(QColor(ink("#FFFFFF")))
        for index, domain in enumerate(DOMAINS):
            if domain.slug in previous:
                painter.drawEllipse(point(index, previous[domain.slug] / top), dot * 0.8, dot * 0.8)
