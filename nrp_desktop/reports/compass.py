"""The compass on paper: a radar of the group's scores for the five domains.

Black lines and a grey fill, so a black-and-white printer loses nothing; each axis carries the
domain's letter mark and name, and its score in words. A domain the group did not rate is marked
"not rated" on a dashed axis instead of being drawn at zero, which would read as the worst score.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, PolyLine, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from nrp_desktop.domain.domains import DOMAINS
from nrp_desktop.domain.session import RATING_MAX, RATING_MIN
from nrp_desktop.i18n import Speaker
from nrp_desktop.reports.fonts import SANS, SANS_BOLD, register_fonts

BLACK = colors.HexColor("#1A1A1A")
RING_GREY = colors.HexColor("#9A9A9A")
FILL_GREY = colors.HexColor("#C8C8C8")
MUTED = colors.HexColor("#4D4D4D")


def _label_lines(name: str, font_size: float, max_width: float) -> list[str]:
    """The domain name on one line, or on two when one would be wider than `max_width`."""
    if stringWidth(name, SANS_BOLD, font_size) <= max_width or " " not in name:
        return [name]
    first, _, rest = name.partition(" ")
    return [first, rest]


def compass_drawing(ratings: Mapping[str, int], width: float, font_size: float = 9.0,
                    previous: Mapping[str, int] | None = None,
                    speaker: Speaker | None = None) -> Drawing:
    """The radar for `ratings` (domain slug → 1…7; missing = not rated), `width` points wide.
    `previous`: an earlier session's scores, drawn over it as a dashed outline with open dots
    (a follow-up's "then"); the labels give today's scores, in `speaker`'s language (None:
    English). reportlab's drawings cannot shape right-to-left script, so in such a language
    the radar keeps its letter marks and scores and the table of scores beside it names the
    domains."""
    speaker = speaker or Speaker("en")
    names_fit = not speaker.rtl
    register_fonts()
    line_height = font_size * 1.25
    mark_radius = font_size * 0.85
    mark_reach = mark_radius * 1.6  # from the outer ring to the centre of a mark
    label_gap = mark_radius * 2.6  # from the outer ring to the start of the label
    # The two side axes carry their names beside their marks; the two lower ones under them,
    # centred, so the widest names ("Environmental") do not eat the radar's room twice.
    side_lines = [line for domain in DOMAINS[1::3]
                  for line in _label_lines(speaker.gettext(domain.name), font_size, width * 0.22)]
    lower_lines = [line for domain in DOMAINS[2:4]
                   for line in _label_lines(speaker.gettext(domain.name), font_size, width * 0.3)]
    side_width = min(width * 0.3, max(stringWidth(line, SANS_BOLD, font_size) for line in side_lines))
    lower_width = min(width * 0.3, max(stringWidth(line, SANS_BOLD, font_size) for line in lower_lines))
    side_cos, lower_cos, lower_sin = math.cos(math.radians(18)), math.cos(math.radians(54)), 0.809
    half = width / 2
    radius = min(
        (half - side_width - mark_radius - font_size * 0.5) / side_cos - mark_reach,
        (half - lower_width / 2) / lower_cos - mark_reach,
        font_size * 11,
    )
    radius = max(font_size * 4, radius)
    top_room = mark_radius + label_gap + 3 * line_height
    # Below the centre: the lower marks, then up to three lines of name and score under them.
    bottom_room = (radius + mark_reach) * lower_sin + mark_radius + font_size * 0.4 + 3 * line_height
    height = top_room + radius + bottom_room
    drawing = Drawing(width, height)
    # The renderer starts every drawing in Helvetica, which would land unembedded in the PDF.
    drawing.initialFontName = SANS
    drawing.initialFontSize = font_size
    cx, cy = width / 2, height - top_room - radius

    def point(axis: int, value: float) -> tuple[float, float]:
        angle = math.radians(90 - axis * 72)
        distance = radius * value / RATING_MAX
        return cx + distance * math.cos(angle), cy + distance * math.sin(angle)

    # Rings for every score, the middle and outer ones stronger, and their numbers on top.
    for value in range(RATING_MIN, RATING_MAX + 1):
        ring = [coordinate for axis in range(len(DOMAINS) + 1)
                for coordinate in point(axis % len(DOMAINS), value)]
        strong = value in (4, RATING_MAX)
        drawing.add(PolyLine(ring, strokeColor=RING_GREY if not strong else MUTED,
                             strokeWidth=0.9 if strong else 0.4))

    rated = [(axis, ratings[domain.slug]) for axis, domain in enumerate(DOMAINS)
             if domain.slug in ratings]
    for axis, domain in enumerate(DOMAINS):
        end = point(axis, RATING_MAX)
        unrated = domain.slug not in ratings
        drawing.add(Line(cx, cy, *end, strokeColor=BLACK if not unrated else MUTED,
                         strokeWidth=0.8, strokeDashArray=[2, 2] if unrated else None))

    if len(rated) >= 3:
        shape = [coordinate for axis, value in rated for coordinate in point(axis, value)]
        drawing.add(Polygon(shape, fillColor=FILL_GREY, strokeColor=BLACK, strokeWidth=1.6,
                            strokeLineJoin=1))
    elif len(rated) == 2:
        shape = [coordinate for axis, value in rated for coordinate in point(axis, value)]
        drawing.add(PolyLine(shape, strokeColor=BLACK, strokeWidth=1.6))
    for axis, value in rated:
        x, y = point(axis, value)
        drawing.add(Circle(x, y, font_size * 0.28, fillColor=BLACK, strokeColor=None))
    if previous:
        _draw_previous(drawing, previous, point, font_size)

    # The scale, beside the top axis just above each ring it names (clear of the lines, which
    # fall away to the right of the axis).
    for number in (RATING_MIN, 4, RATING_MAX):
        x, y = point(0, number)
        drawing.add(String(x + font_size * 0.3, y + font_size * 0.2, str(number),
                           fontName=SANS, fontSize=font_size * 0.75, fillColor=MUTED))

    for axis, domain in enumerate(DOMAINS):
        angle = math.radians(90 - axis * 72)
        cos, sin = math.cos(angle), math.sin(angle)
        mark_x = cx + (radius + mark_reach) * cos
        mark_y = cy + (radius + mark_reach) * sin
        drawing.add(Circle(mark_x, mark_y, mark_radius, fillColor=BLACK, strokeColor=None))
        drawing.add(String(mark_x, mark_y - font_size * 0.36, domain.mark, fontName=SANS_BOLD,
                           fontSize=font_size, fillColor=colors.white, textAnchor="middle"))
        top_axis, lower_axis = abs(cos) < 0.3, sin < -0.5
        score = ratings.get(domain.slug)
        if names_fit:
            lines = _label_lines(speaker.gettext(domain.name), font_size,
                                 width * (0.6 if top_axis else 0.3 if lower_axis else 0.22))
            lines.append(speaker.gettext("{score} of {most}").format(score=score, most=RATING_MAX)
                         if score is not None else speaker.gettext("not rated"))
        else:  # the marks and the numbers only, which read the same in any direction
            lines = [f"{score} / {RATING_MAX}" if score is not None else "–"]
        if top_axis:  # label above the mark, centred
            anchor, x = "middle", mark_x
            first_y = mark_y + mark_radius + line_height * (len(lines) - 1) + font_size * 0.4
        elif lower_axis:  # label under the mark, centred
            anchor, x = "middle", mark_x
            first_y = mark_y - mark_radius - font_size * 1.15
        else:
            anchor = "start" if cos > 0 else "end"
            x = mark_x + (mark_radius + font_size * 0.5) * (1 if cos > 0 else -1)
            first_y = mark_y + font_size * 0.3
        for index, text in enumerate(lines):
            is_score = index == len(lines) - 1
            drawing.add(String(
                x, first_y - index * line_height, text,
                fontName=SANS if is_score else SANS_BOLD, fontSize=font_size,
                fillColor=MUTED if is_score and score is None else BLACK, textAnchor=anchor,
            ))
    return drawing


def _draw_previous(drawing: Drawing, previous: Mapping[str, int], point: object,
                   font_size: float) -> None:
    """The earlier scores as a dashed outline with open dots: told apart from today's grey
    shape and solid line by pattern alone, so black-and-white print keeps the difference."""
    assert callable(point)
    earlier = [(axis, previous[domain.slug]) for axis, domain in enumerate(DOMAINS)
               if domain.slug in previous]
    points = [coordinate for axis, value in earlier for coordinate in point(axis, value)]
    if len(earlier) >= 3:
        points += points[:2]  # closed
    if len(earlier) >= 2:
        drawing.add(PolyLine(points, strokeColor=BLACK, strokeWidth=1.3,
                             strokeDashArray=[4, 2.5]))
    for axis, value in earlier:
        x, y = point(axis, value)
        drawing.add(Circle(x, y, font_size * 0.3, fillColor=colors.white, strokeColor=BLACK,
                           strokeWidth=1))
