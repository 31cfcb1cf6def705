"""Right to left (Urdu) on the Workshop session screen: the projector's ranking and the lesson
rows with their Link/Remove buttons are mirrored, the painted buttons and their accessible
stand-ins together, and the projector's rank numbers read as Urdu reads them."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import editor_in_host, open_example
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from nrp_desktop.domain.session import Priority
from nrp_desktop.ui.session.projector import ProjectorView

DEBT = "Nobody knows where to get help with debt"
BUTTON_BORDER = "#5c5c55"  # ButtonRowDelegate's pen round an enabled button


@pytest.fixture
def language(qapp):
    """Sets the window's language for the test; English again afterwards."""
    from nrp_desktop.ui.translator import apply_language

    yield lambda code: apply_language(qapp, code)
    apply_language(qapp, "en")


def editor_with_debt(qtbot, store, library):
    editor = editor_in_host(qtbot, store, library)
    editor.new_session("Tuesday at the church hall", dt.date(2026, 11, 24))
    editor.new_priority_field.setText(DEBT)
    assert editor.add_typed_priority()
    editor.update_suggestions()
    assert editor.suggestion_model.rowCount() > 0
    return editor


@pytest.mark.parametrize("code", ["en", "ur"])
def test_the_projector_ranks_from_the_reading_side(qtbot, store, library, language, code):
    language(code)
    editor = editor_with_debt(qtbot, store, library)
    editor.document.add_priority(Priority(title="Back alleys full of rubbish", votes=3))
    view = ProjectorView(editor.document)
    qtbot.addWidget(view)
    view.resize(1920, 1080)
    view.show()
    qtbot.waitExposed(view)
    rank, title, votes = view._columns()
    if code == "ur":
        assert view.isRightToLeft()
        assert votes.right() < title.left() and title.right() < rank.left()
        # The number alone: "1." set right to left shows its full stop on the far side, ".1".
        assert [view.rank_text(number) for number in (1, 2, 12)] == ["1", "2", "12"]
    else:
        assert rank.right() < title.left() and title.right() < votes.left()
        assert view.rank_text(1) == "1."
    # The rank is painted in its column: ink there on the first row.
    image = view.grab().toImage()
    top = view._header_height() + view.body_pixel_size() // 2
    height = view.body_pixel_size()

    def ink(left: int, right: int) -> bool:
        return any(image.pixelColor(QPoint(x, y)).lightness() < 128
                   for x in range(left, right, 2) for y in range(top, top + height, 2))

    assert ink(rank.left(), rank.right())


def test_the_lesson_rows_mirror_with_their_buttons(qtbot, store, library, language):
    language("ur")
    editor = editor_with_debt(qtbot, store, library)
    view = editor.detail.suggestion_view
    qtbot.waitUntil(lambda: any(button.isVisible() for button in view.row_buttons))
    row = view.visualRect(view.model().index(0, 0))
    painted = view.button_delegate.button_rect(view, 0)
    assert view.isRightToLeft()
    assert painted.right() < row.center().x()  # the button at the row's left, its end in Urdu
    assert "dir=\"rtl\"" in view.model().index(0, 0).data(Qt.ItemDataRole.UserRole + 20)
    # Painted there: its border on the left of the row.
    image = view.viewport().grab().toImage()
    scale = image.devicePixelRatio()
    edge = QPoint(round((painted.left() + 1) * scale), round(painted.center().y() * scale))
    assert image.pixelColor(edge).name() == BUTTON_BORDER
    # Its accessible stand-in lies over it.
    first = view.row_buttons[0]
    assert first.geometry().topLeft() == view.viewport().mapTo(first.parentWidget(), painted.topLeft())
    # A click there links the lesson, and the linked list's Remove is mirrored too.
    slug = editor.suggestion_model.suggestion(0).lesson.slug
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=painted.center())
    priority_id = editor.selected_priority_id()
    assert editor.document.priority(priority_id).lessons == [slug]
    linked = editor.detail.linked_view
    remove = linked.button_delegate.button_rect(linked, 0)
    assert remove.right() < linked.visualRect(linked.model().index(0, 0)).center().x()
    qtbot.mouseClick(linked.viewport(), Qt.MouseButton.LeftButton, pos=remove.center())
    assert editor.document.priority(priority_id).lessons == []


def test_show_on_projector_in_the_urdu_window_ranks_from_the_right(app_window):
    from nrp_desktop import i18n
    from nrp_desktop.ui.session.projector import ProjectorWindow

    window = app_window.window
    open_example(app_window)
    try:
        assert window.set_language("ur")
        app_window.click(i18n.translate_in("ur", "Show on projector"))
        def projectors():
            return [widget for widget in QApplication.topLevelWidgets()
                    if isinstance(widget, ProjectorWindow) and widget.isVisible()]

        app_window.wait_until(lambda: len(projectors()) == 1)
        projector = projectors()[0]
        assert projector.isRightToLeft()
        assert projector.visible_rows()[0][:2] == (1, "Back alleys full of rubbish and fly-tipping")
        rank, title, votes = projector._columns()
        assert votes.right() < title.left() and title.right() < rank.left()
        assert projector.rank_text(1) == "1"
        app_window.press(Qt.Key.Key_Escape, widget=projector)
        app_window.wait_until(lambda: not projectors())  # closed (and deleted)
    finally:
        window.set_language("en")
