"""What a person sees fits: labels get the height their wrapped text needs, and nothing in the
real main window overlaps or is cut, at the window sizes facilitators have (1280×800,
1366×768), in normal and large text."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QWidget

EXAMPLE_TITLE = "Residents' evening"


def settle(qtbot) -> None:
    for _ in range(3):
        QApplication.processEvents()
    qtbot.wait(50)


def squashed_labels(root: QWidget) -> list[str]:
    """Visible labels drawn shorter than their text needs at the width they have."""
    found = []
    for label in root.findChildren(QLabel):
        if not label.isVisible() or not label.text().strip():
            continue
        needed = (label.heightForWidth(label.width()) if label.wordWrap()
                  else label.minimumSizeHint().height())
        if label.height() + 1 < needed:
            found.append(f"{label.text()[:40]!r} {label.width()}x{label.height()} < {needed}")
    return found


def overlapping(widgets: list[QWidget]) -> list[str]:
    """Pairs of sibling-level widgets (in one coordinate space) whose rectangles overlap."""
    found = []
    rects = [(w, w.geometry()) for w in widgets if w.isVisible()]
    for index, (first, first_rect) in enumerate(rects):
        for second, second_rect in rects[index + 1:]:
            if first_rect.intersects(second_rect):
                found.append(f"{type(first).__name__} {first_rect} overlaps "
                             f"{type(second).__name__} {second_rect}")
    return found


@pytest.mark.parametrize("size", [(1280, 800), (1366, 768)])
def test_start_with_these_headings_get_their_height_when_rated_on_screen(app_window, qtbot, size):
    window = app_window.window
    window.resize(*size)
    compass = app_window.go_to("Compass")
    settle(qtbot)
    for slug, score in (("social-connectedness", 5), ("cultural-coherence", 5),
                        ("economic-resources", 2), ("environmental-conditions", 2),
                        ("governance-systems", 3)):
        compass.set_rating(slug, score)
        # The first frame after a score (one pass of the event loop) is what a person sees
        # while pressing the arrows: it must not show the list half laid out.
        QApplication.processEvents()
    box = compass.start_box
    headings = [label for label in box.findChildren(QLabel) if label.objectName() == "startDomain"
                and label.isVisible()]
    assert len(headings) >= 2
    assert squashed_labels(box) == []
    items = [box.layout().itemAt(i).widget() for i in range(box.layout().count())]
    assert overlapping([w for w in items if w is not None]) == []


def body_overlaps(body: QWidget) -> list[str]:
    layout = body.layout()
    return overlapping([layout.itemAt(i).widget() for i in range(layout.count())
                        if layout.itemAt(i).widget() is not None])


@pytest.mark.parametrize("size", [(1280, 800), (1366, 768)])
def test_priority_detail_does_not_overlap_when_a_session_opens(app_window, qtbot, size):
    window = app_window.window
    window.resize(*size)
    editor = app_window.go_to("Workshop session")
    settle(qtbot)
    app_window.choose("Open a stored session (newest first)", EXAMPLE_TITLE)
    QApplication.processEvents()  # the first frame a person sees
    body = editor.detail.details_scroll.widget()
    assert body_overlaps(body) == []
    assert squashed_labels(body) == []
    other = editor.document.priority_ids()[2]
    editor.select_priority(other)
    QApplication.processEvents()
    assert body_overlaps(body) == []
