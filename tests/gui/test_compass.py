"""The five-domain compass: scale words, where to start, and the screen (mouse and keyboard)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QLayout, QVBoxLayout, QWidget

from nrp_desktop.domain.domains import DOMAIN_SLUGS
from nrp_desktop.domain.session import Session
from nrp_desktop.services import compass
from nrp_desktop.services.session_file import parse_session_bytes, session_to_json
from nrp_desktop.ui.compass.view import CompassView
from nrp_desktop.ui.widgets.controls import LinkButton
from nrp_desktop.ui.widgets.radar import RadarWidget

SOCIAL, CULTURAL, ECONOMIC, ENVIRONMENTAL, GOVERNANCE = DOMAIN_SLUGS

# The rules ------------------------------------------------------------------------------------


def test_scale_ends_are_said_in_plain_words():
    assert compass.SCALE == (1, 2, 3, 4, 5, 6, 7)
    assert (compass.LOW_END, compass.HIGH_END) == ("a lot to improve", "little to improve")
    assert "a lot to improve" in compass.LOW_END_MEANING
    assert "little to improve" in compass.HIGH_END_MEANING


def test_each_domain_has_a_plain_description(library):
    for slug in DOMAIN_SLUGS:
        text = compass.domain_description(library, slug)
        page = library.find("domain", slug)
        assert text and text[0].isupper() and text.endswith(".")
        assert not text.casefold().startswith(page.title.casefold()), text
        assert len(text) < 200
    assert compass.domain_description(None, GOVERNANCE).startswith("How decisions")


def test_lowest_domains_skip_the_unrated_and_keep_ties():
    assert compass.lowest_domains({}) == []
    ratings = {SOCIAL: 5, ECONOMIC: 2, GOVERNANCE: 3}
    assert compass.lowest_domains(ratings) == [(ECONOMIC, 2), (GOVERNANCE, 3)]
    assert compass.lowest_domains(ratings, count=1) == [(ECONOMIC, 2)]
    tied = {SOCIAL: 2, CULTURAL: 2, ECONOMIC: 2, GOVERNANCE: 6}
    assert compass.lowest_domains(tied) == [(SOCIAL, 2), (CULTURAL, 2), (ECONOMIC, 2)]
    assert compass.lowest_domains({ENVIRONMENTAL: 7}) == [(ENVIRONMENTAL, 7)]
    assert compass.unrated_domains(ratings) == [CULTURAL, ENVIRONMENTAL]


def test_lessons_for_a_domain_belong_to_it_main_domain_first(library):
    for slug in DOMAIN_SLUGS:
        lessons = compass.lessons_for_domain(library, slug)
        assert lessons, slug
        assert all(slug in lesson.domains for lesson in lessons)
        assert {lesson.slug for lesson in lessons} == {
            lesson.slug for lesson in library.lessons if slug in lesson.domains}
        positions = [lesson.domains.index(slug) for lesson in lessons]
        assert positions == sorted(positions), slug
        assert lessons[0].domains[0] == slug
    with pytest.raises(KeyError, match="unknown domain"):
        compass.lessons_for_domain(library, "happiness")


def test_lowest_domains_lead_to_their_lessons(library):
    points = compass.starting_points(library, {SOCIAL: 6, ECONOMIC: 2, GOVERNANCE: 3})
    assert [(p.domain.slug, p.score) for p in points] == [(ECONOMIC, 2), (GOVERNANCE, 3)]
    shown = [lesson.slug for p in points for lesson in p.lessons]
    assert len(shown) == len(set(shown)), "a lesson is listed once"
    for point in points:
        assert 1 <= len(point.lessons) <= compass.LESSONS_PER_DOMAIN
        assert all(point.domain.slug in lesson.domains for lesson in point.lessons)
    assert points[0].lessons[0] == compass.lessons_for_domain(library, ECONOMIC)[0]
    assert compass.starting_points(library, {}) == []


def test_check_ratings_names_what_is_wrong():
    assert compass.check_ratings({GOVERNANCE: 2, SOCIAL: 7}) == {SOCIAL: 7, GOVERNANCE: 2}
    with pytest.raises(ValueError, match=r"ratings\.social-connectedness: .*it is 0"):
        compass.check_ratings({SOCIAL: 0})
    with pytest.raises(ValueError, match=r"it is 3\.5"):
        compass.check_ratings({SOCIAL: 3.5})
    with pytest.raises(ValueError, match="it is True"):
        compass.check_ratings({SOCIAL: True})
    with pytest.raises(ValueError, match="unknown domain 'wellbeing'"):
        compass.check_ratings({"wellbeing": 4})


# The screen -----------------------------------------------------------------------------------


@pytest.fixture
def view(qtbot, library):
    widget = CompassView()
    widget.set_library(library)
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    # The screen lives inside the main window; a top-level window whose size limits change
    # makes the offscreen platform warn, so the host does not follow the screen's limits.
    layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
    layout.addWidget(widget)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    yield widget
    window.close()


def start_links(view: CompassView) -> list[str]:
    QApplication.processEvents()
    return [button.link for button in view.start_box.findChildren(LinkButton)
            if button.isVisibleTo(view.start_box)]


def test_everything_starts_unrated(view: CompassView):
    assert view.ratings() == {}
    assert view.radar.values() == {slug: None for slug in DOMAIN_SLUGS}
    for row in view.rows.values():
        assert row.selector.buttons[None].isChecked()
        assert row.description.text()
    assert start_links(view) == []


def test_clicking_scores_updates_ratings_radar_and_start(view: CompassView, library, qtbot):
    with qtbot.waitSignal(view.ratings_changed) as changed:
        qtbot.mouseClick(view.rows[ECONOMIC].selector.buttons[2], Qt.MouseButton.LeftButton)
    assert changed.args == [{ECONOMIC: 2}]
    qtbot.mouseClick(view.rows[SOCIAL].selector.buttons[6], Qt.MouseButton.LeftButton)
    assert view.ratings() == {SOCIAL: 6, ECONOMIC: 2}
    values = view.radar.values()
    assert values[SOCIAL] == 6 and values[ECONOMIC] == 2
    assert values[CULTURAL] is None and values[GOVERNANCE] is None  # unrated, not zero
    assert "Cultural coherence: not rated" in view.radar.accessibleDescription()
    assert view.rows[ECONOMIC].selector.buttons[2].isChecked()
    assert not view.rows[ECONOMIC].selector.buttons[None].isChecked()

    expected = [f"lesson:{lesson.slug}" for point in compass.starting_points(
        library, view.ratings()) for lesson in point.lessons]
    assert start_links(view) == expected
    assert expected[0] == f"lesson:{compass.lessons_for_domain(library, ECONOMIC)[0].slug}"
    button = next(b for b in view.start_box.findChildren(LinkButton) if b.link == expected[0])
    with qtbot.waitSignal(view.open_link_requested) as opened:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert opened.args == [expected[0]]

    # "Not rated" takes a score back out.
    qtbot.mouseClick(view.rows[ECONOMIC].selector.buttons[None], Qt.MouseButton.LeftButton)
    assert view.ratings() == {SOCIAL: 6}
    assert view.radar.values()[ECONOMIC] is None


def test_ratings_round_trip_through_set_ratings_and_the_session_file(view, library, qtbot):
    scores = {SOCIAL: 4, CULTURAL: 1, ENVIRONMENTAL: 7, GOVERNANCE: 3}
    with qtbot.assertNotEmitted(view.ratings_changed):
        view.set_ratings(scores)
    assert view.ratings() == scores
    assert view.radar.values() == {**scores, ECONOMIC: None}
    assert view.rows[CULTURAL].selector.buttons[1].isChecked()
    assert view.rows[ECONOMIC].selector.buttons[None].isChecked()

    session = Session(title="Compass night", date=dt.date(2024, 3, 1), ratings=view.ratings())
    text = session_to_json(session, library.version)
    loaded = parse_session_bytes(text.encode(), "compass.nrpsession").session
    fresh = CompassView()
    qtbot.addWidget(fresh)  # closed and deleted with the test, while Qt is still running
    fresh.set_library(library)
    fresh.set_ratings(loaded.ratings)
    assert fresh.ratings() == scores
    assert fresh.radar.values()[ECONOMIC] is None

    view.set_ratings({})
    assert view.ratings() == {}
    assert all(value is None for value in view.radar.values().values())


def test_bad_ratings_are_refused_and_change_nothing(view: CompassView):
    view.set_ratings({SOCIAL: 5})
    with pytest.raises(ValueError, match="governance-systems"):
        view.set_ratings({SOCIAL: 2, GOVERNANCE: 9})
    assert view.ratings() == {SOCIAL: 5}
    assert view.rows[SOCIAL].selector.buttons[5].isChecked()


def test_keyboard_alone_scores_the_compass(view: CompassView, qtbot):
    social = view.rows[SOCIAL].selector
    social.focus_choice()
    assert QApplication.focusWidget() is social.buttons[None]
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_3)
    assert view.ratings() == {SOCIAL: 3}
    assert QApplication.focusWidget() is social.buttons[3]  # focus follows the choice
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Right)
    assert view.rating(SOCIAL) == 4
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Left)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Left)
    assert view.rating(SOCIAL) == 2
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Home)
    assert view.rating(SOCIAL) == 1
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_End)
    assert view.rating(SOCIAL) == 7
    assert view.radar.values()[SOCIAL] == 7
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Delete)
    assert view.rating(SOCIAL) is None
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_5)

    # Down goes to the next domain; Tab does too (one stop per domain).
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
    cultural = view.rows[CULTURAL].selector
    assert QApplication.focusWidget() is cultural.buttons[None]
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)  # Space presses "Not rated"
    assert view.rating(CULTURAL) is None
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    economic = view.rows[ECONOMIC].selector
    assert QApplication.focusWidget() is economic.buttons[None]
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_2)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Up)
    assert QApplication.focusWidget() is cultural.buttons[None]
    # Enter presses the focused button, like Space.
    cultural.buttons[6].setFocus()
    qtbot.keyClick(cultural.buttons[6], Qt.Key.Key_Return)
    assert view.ratings() == {SOCIAL: 5, CULTURAL: 6, ECONOMIC: 2}
    assert view.radar.values() == {SOCIAL: 5, CULTURAL: 6, ECONOMIC: 2,
                                   ENVIRONMENTAL: None, GOVERNANCE: None}


def test_the_scale_ends_are_explained_on_screen(view: CompassView):
    legend = view.findChild(QLabel, "compassLegend")
    assert legend.text() == "1 = a lot to improve   ·   7 = little to improve"
    social = view.rows[SOCIAL].selector
    assert social.buttons[1].toolTip() == compass.LOW_END_MEANING
    assert social.buttons[7].toolTip() == compass.HIGH_END_MEANING


def test_every_control_has_an_accessible_name(view: CompassView):
    for row in view.rows.values():
        for button in row.selector.buttons.values():
            assert button.accessibleName().startswith(row.domain.name)
    assert view.rows[SOCIAL].selector.buttons[1].accessibleName() == (
        "Social connectedness: 1 out of 7, a lot to improve")


@pytest.mark.parametrize("size", [(220, 200), (420, 380), (1200, 900)])
def test_radar_draws_at_any_size(qtbot, size):
    radar = RadarWidget()
    qtbot.addWidget(radar)
    radar.resize(*size)
    radar.set_values({SOCIAL: 1, ECONOMIC: 7})
    image = radar.grab().toImage()
    assert not image.isNull() and image.width() == size[0]
    # Something is drawn besides the white panel: the diagram's lines and marks.
    colours = {image.pixelColor(x, y).name() for x in range(0, size[0], 7)
               for y in range(0, size[1], 7)}
    assert len(colours) > 5


def test_screenshot_state_scores_four_and_leaves_one_unrated(view: CompassView):
    ((name, setup),) = view.screenshot_states()
    assert name == "compass"
    setup()
    assert len(view.ratings()) == 4
    assert list(view.radar.values().values()).count(None) == 1
    assert isinstance(view.findChild(QLabel, "toolTitle"), QLabel)


def test_domain_marks_grow_with_large_text(view: CompassView, qtbot):
    from PySide6.QtGui import QFontMetrics

    from nrp_desktop.ui.compass.view import DomainMark
    from nrp_desktop.ui.theme import PROJECTOR_TEXT_SCALE, set_text_scale

    def marks_fit() -> bool:
        marks = view.findChildren(DomainMark)
        # The letter's height fits inside the ring, with the ring's width to spare on each side.
        return len(marks) == 5 and all(
            QFontMetrics(mark.font()).height() + 2 * mark.ring_width() <= mark.height()
            for mark in marks)

    app = QApplication.instance()
    style_sheet, font = app.styleSheet(), app.font()
    marks = view.findChildren(DomainMark)
    try:
        set_text_scale(app, 1.0)
        qtbot.waitUntil(marks_fit)
        normal = marks[0].height()
        set_text_scale(app, PROJECTOR_TEXT_SCALE)
        qtbot.waitUntil(lambda: marks[0].height() > normal * 1.5)
        qtbot.waitUntil(marks_fit)
        set_text_scale(app, 1.0)
        qtbot.waitUntil(lambda: marks[0].height() == normal)
    finally:
        app.setStyleSheet(style_sheet)
        app.setFont(font)
