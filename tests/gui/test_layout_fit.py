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


def cut_buttons(root: QWidget) -> list[str]:
    """Visible buttons narrower or shorter than their text needs."""
    from PySide6.QtWidgets import QAbstractButton

    found = []
    for button in root.findChildren(QAbstractButton):
        if button.isVisible() and button.text().strip():
            hint = button.minimumSizeHint()
            if button.width() + 1 < hint.width() or button.height() + 1 < hint.height():
                found.append(f"{button.text()!r} {button.width()}x{button.height()} < {hint.width()}x{hint.height()}")
    return found


@pytest.mark.parametrize("size", [(1280, 800), (1366, 768)])
def test_large_text_session_bar_wraps_instead_of_cutting(app_window, qtbot, size):
    window = app_window.window
    window.resize(*size)
    editor = app_window.go_to("Workshop session")
    app_window.choose("Open a stored session (newest first)", EXAMPLE_TITLE)
    settle(qtbot)
    normal_bar = [editor.session_bar.itemAt(i).widget() for i in range(editor.session_bar.count())]
    app_window.menu("View", "Large text for a projector")
    settle(qtbot)
    bar_buttons = [editor.new_button, editor.rename_button, editor.delete_button, editor.phones_button]
    for button in bar_buttons:
        assert button.isVisible() and button.visibleRegion().boundingRect().size() == button.size(), button.text()
    assert cut_buttons(editor.large_text_bar) == []
    assert editor.session_combo.width() >= editor.session_combo.minimumSizeHint().width()
    app_window.menu("View", "Large text for a projector")
    settle(qtbot)
    assert [editor.session_bar.itemAt(i).widget() for i in range(editor.session_bar.count())] == normal_bar
    assert not editor.large_text_bar.isVisible()


@pytest.mark.parametrize("size", [(1280, 800), (1366, 768)])
def test_large_text_compass_scores_are_not_cut_off(app_window, qtbot, size):
    window = app_window.window
    window.resize(*size)
    app_window.menu("View", "Large text for a projector")  # on another screen: the compass is hidden
    settle(qtbot)
    compass = app_window.go_to("Compass")
    settle(qtbot)
    viewport = compass.rows_scroll.viewport()
    for row in compass.rows.values():
        for button in [*row.selector.buttons.values(), row.selector.not_rated_button]:
            left = button.mapTo(viewport, button.rect().topLeft()).x()
            assert left >= 0 and left + button.width() <= viewport.width(), \
                f"{row.name_label.text()} {button.text()} cut at the right"
            assert button.width() + 1 >= button.minimumSizeHint().width(), button.text()
    assert not compass.subtitle.isVisible()
    app_window.menu("View", "Large text for a projector")
    settle(qtbot)
    assert compass.subtitle.isVisible()
