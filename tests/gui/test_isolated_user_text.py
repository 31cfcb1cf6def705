"""A title typed by a person, shown inside a translated Urdu sentence, is set apart in Unicode
isolates, so its own punctuation stays with it (the "?" of an English title)."""

from __future__ import annotations

import pytest
from conftest import example_session as read_example_session

from nrp_desktop import i18n
from nrp_desktop.ui.app import create_application
from nrp_desktop.ui.handout.view import HandoutView


@pytest.fixture(autouse=True)
def urdu_then_english(qapp):
    from nrp_desktop.ui.translator import apply_language

    apply_language(qapp, "ur")
    yield
    apply_language(qapp, "en")


def test_handout_subject_isolates_the_session_title(qtbot, library):
    create_application()
    view = HandoutView()
    qtbot.addWidget(view)
    view.set_library(library)
    session = read_example_session()
    with qtbot.waitSignal(view.pdf_ready, timeout=20_000):
        view.set_session(session)
    template = i18n.translate_in("ur", "Handout for: %s")
    assert template != "Handout for: %s"
    assert view.subject.text() == template % f"\u2068{session.title}\u2069"


def test_lesson_rows_and_search_kinds_speak_urdu(library):
    from PySide6.QtCore import Qt

    from nrp_desktop.domain.content import SearchHit
    from nrp_desktop.ui.library.models import SearchResultModel
    from nrp_desktop.ui.session.lesson_models import lesson_html, lesson_neighbourhoods, lesson_tooltip

    lesson = next(lesson for lesson in library.lessons if not lesson.programme_wide and lesson.neighbourhoods)
    places = lesson_neighbourhoods(library, lesson)
    row = lesson_html(lesson, places)
    assert "From:" not in row
    assert i18n.translate_in("ur", "From: {places}").split("{")[0] in row
    assert "From:" not in lesson_tooltip(lesson, places)

    model = SearchResultModel()
    model.set_hits([SearchHit("case-study", "x", "Central Southport", "…", "case-study:x", 1.0)])
    shown = model.index(0, 0).data(Qt.ItemDataRole.DisplayRole)
    assert "Neighbourhood" not in shown
    assert i18n.translate_in("ur", "Neighbourhood") in shown
