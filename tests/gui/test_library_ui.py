"""The main window and the Library screen, driven as a person would."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from nrp_desktop import paths
from nrp_desktop.services.library import LibraryService
from nrp_desktop.ui.app import create_application
from nrp_desktop.ui.library.models import Role
from nrp_desktop.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot, library_service: LibraryService) -> MainWindow:
    create_application()
    window = MainWindow(library_service)
    qtbot.addWidget(window)
    window.set_library(library_service.library)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_library_lists_every_neighbourhood_and_lesson(window: MainWindow, library):
    page = window.library_page
    assert page.views["case-study"].model().rowCount() == 9
    assert page.views["lesson"].model().rowCount() == len(library.lessons)
    assert page.views["domain"].model().rowCount() == 5
    assert page.reader.current_link.startswith("case-study:")


def test_choosing_an_item_opens_it_in_the_reader(window: MainWindow, qtbot):
    page = window.library_page
    page.tabs.setCurrentIndex(1)
    view = page.views["lesson"]
    view.setFocus()
    index = view.model().index(2, 0)
    view.setCurrentIndex(index)
    assert page.reader.current_link == index.data(Role.LINK)
    title = index.data(Qt.ItemDataRole.DisplayRole).split("\n")[0].split(". ", 1)[1]
    assert title in page.reader.toPlainText()
    assert "Try this in your area" in page.reader.toPlainText()


def test_keyboard_moves_through_the_list(window: MainWindow, qtbot):
    page = window.library_page
    view = page.views["case-study"]
    view.setFocus()
    view.setCurrentIndex(view.model().index(0, 0))
    first = page.reader.current_link
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert page.reader.current_link != first
    assert page.reader.current_link == view.currentIndex().data(Role.LINK)


def test_domain_filter_narrows_the_lists(window: MainWindow, library):
    page = window.library_page
    page.filter_bar.buttons["economic-resources"].click()
    shown = page.views["case-study"].model().rowCount()
    expected = sum("economic-resources" in cs.domains for cs in library.case_studies)
    assert 0 < shown == expected < 9
    lessons_shown = page.views["lesson"].model().rowCount()
    assert lessons_shown == sum("economic-resources" in lesson.domains for lesson in library.lessons)
    page.filter_bar.clear_button.click()
    assert page.views["case-study"].model().rowCount() == 9


def test_search_as_you_type_and_enter_opens_result(window: MainWindow, qtbot):
    page = window.library_page
    page.focus_search()
    qtbot.keyClicks(page.search_field, "alleyw")
    qtbot.waitUntil(lambda: page.left.currentIndex() == 1, timeout=2000)
    links = [page.results_model.index(r, 0).data(Role.LINK) for r in range(page.results_model.rowCount())]
    assert "case-study:st-georges-preston" in links[:3]
    qtbot.keyClick(page.search_field, Qt.Key.Key_Return)
    assert page.reader.current_link == links[0]
    page.search_field.clear()
    qtbot.waitUntil(lambda: page.left.currentIndex() == 0, timeout=2000)


def test_nothing_found_says_so(window: MainWindow, qtbot):
    page = window.library_page
    page.search_field.setText("zzzqqq")
    page.run_search()
    assert page.results_model.rowCount() == 0
    assert "Nothing found" in page.results_label.text()


def test_links_in_the_reader_open_inside_the_app_and_back_returns(window: MainWindow):
    page = window.library_page
    page.open_link("case-study:central-southport-sefton")
    assert "lesson:" in page.reader.toHtml() or page.reader.document().toHtml().count("lesson:") > 0
    page.reader.link_activated.emit("lesson:remove-small-practical-barriers")
    assert page.reader.current_link == "lesson:remove-small-practical-barriers"
    page.back_button.click()
    assert page.reader.current_link == "case-study:central-southport-sefton"
    page.forward_button.click()
    assert page.reader.current_link == "lesson:remove-small-practical-barriers"


def test_external_or_unknown_links_do_nothing(window: MainWindow):
    page = window.library_page
    page.open_link("case-study:central-southport-sefton")
    from PySide6.QtCore import QUrl

    page.reader.anchorClicked.emit(QUrl("https://example.org/"))
    assert page.reader.current_link == "case-study:central-southport-sefton"
    assert not page.open_link("lesson:no-such-lesson")


def test_about_says_offline_versions_and_data_folder(window: MainWindow, library):
    text = window.about_text()
    assert "Works offline" in text
    assert library.version in text
    assert str(paths.data_dir()) in text


def test_window_state_is_remembered(qtbot, library_service: LibraryService):
    create_application()
    first = MainWindow(library_service)
    qtbot.addWidget(first)
    first.show()
    first.library_page.splitter.setSizes([300, 900])
    remembered = first.library_page.splitter.sizes()
    first.close()  # closing saves the state
    stored = QSettings(str(paths.settings_file()), QSettings.Format.IniFormat)
    assert stored.value("window/geometry") is not None
    second = MainWindow(library_service)
    qtbot.addWidget(second)
    second.show()
    assert second.library_page.splitter.sizes() == remembered


def test_content_loads_in_the_background(qtbot, library_service: LibraryService):
    create_application()
    window = MainWindow(library_service)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.library_loaded, timeout=10_000):
        window.load_content()
    assert window.library_page.views["case-study"].model().rowCount() == 9
    assert QApplication.instance() is not None
