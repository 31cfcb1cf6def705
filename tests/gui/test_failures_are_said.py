"""Every failure of something a person started is said in plain words and logged (issue 12,
item 2), through the real window: saving and printing the handout, export, import, the
projector, and the handout's pages that cannot be drawn."""

from __future__ import annotations

import pytest
from conftest import WindowDriver, open_example
from PySide6.QtWidgets import QFileDialog


@pytest.fixture
def log_file(isolated_data_dir):
    from nrp_desktop import app_logging, paths

    app_logging._configured = None
    path = app_logging.setup_logging()
    assert path == paths.log_file()
    yield path
    app_logging._configured = None


def logged(path) -> str:
    import logging

    for handler in logging.getLogger().handlers:
        handler.flush()
    return path.read_text(encoding="utf-8")


def ready_handout(app_window: WindowDriver):
    open_example(app_window)
    handout = app_window.go_to("Handout")
    app_window.wait_until(lambda: app_window.button("Save as PDF…").isEnabled())
    return handout


def test_a_handout_that_cannot_be_saved_is_said_and_logged(app_window, dialogs, log_file, tmp_path,
                                                           monkeypatch):
    ready_handout(app_window)
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where a folder should be")
    target = blocked / "handout.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    app_window.click("Save as PDF…")
    assert len(dialogs.shown) == 1
    assert dialogs.texts[0].startswith("The handout was not saved: ")
    assert "Traceback" not in dialogs.texts[0] and "Errno" not in dialogs.texts[0]
    assert "saving the PDF did not succeed" in logged(log_file)
    assert not target.exists()


@pytest.mark.qt_log_ignore(r"QPainter::begin\(\): Returned false")  # Qt's own word on it
def test_a_printer_that_is_not_there_is_said_and_logged(app_window, dialogs, log_file, tmp_path):
    from PySide6.QtPrintSupport import QPrinter

    handout = ready_handout(app_window)
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "no-such-folder" / "print.pdf"))
    assert handout.print_to(printer) == 0
    assert dialogs.texts == ["Nothing was printed: no printer is available"]
    assert "printing did not succeed: no printer is available" in logged(log_file)


def test_an_export_that_cannot_be_written_is_said_and_logged(app_window, dialogs, log_file, tmp_path,
                                                             monkeypatch):
    open_example(app_window)
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where a folder should be")
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(blocked / "evening.nrpsession"), ""))
    app_window.menu("File", "Export this session…")
    assert len(dialogs.shown) == 1 and dialogs.texts[0].startswith("The session was not exported: ")
    assert "exporting the session did not succeed" in logged(log_file)


def test_a_file_that_cannot_be_imported_is_said_and_logged(app_window, dialogs, log_file, tmp_path,
                                                           monkeypatch):
    broken = tmp_path / "broken.nrpsession"
    broken.write_text("{ not json", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(broken)], ""))
    app_window.menu("File", "Import session files…")
    assert len(dialogs.shown) == 1 and "broken.nrpsession" in dialogs.texts[0]
    assert "importing broken.nrpsession did not succeed" in logged(log_file)


def test_a_projector_fault_is_said_naming_the_log(app_window, dialogs, log_file, monkeypatch):
    from nrp_desktop.ui.session.projector import ProjectorWindow

    def no_screen(self):
        raise RuntimeError("the second screen went away")

    monkeypatch.setattr(ProjectorWindow, "show_full_screen", no_screen)
    open_example(app_window)
    app_window.click("Show on projector")
    assert len(dialogs.shown) == 1
    text = dialogs.texts[0]
    assert text.startswith("The projector view could not be opened: an unexpected fault")
    assert str(log_file) in text and "RuntimeError" not in text
    log = logged(log_file)
    assert "opening the projector view" in log and "RuntimeError: the second screen went away" in log


def test_handout_pages_that_cannot_be_drawn_are_said_and_logged(app_window, log_file, monkeypatch):
    from nrp_desktop.services import pdf_pages
    from nrp_desktop.ui.widgets import pdf_preview

    def broken(pdf, width, pages=None):
        raise pdf_pages.PdfPagesError("the PDF could not be read")

    monkeypatch.setattr(pdf_preview, "render_pages", broken)
    open_example(app_window)
    handout = app_window.go_to("Handout")
    app_window.wait_until(lambda: "could not be shown" in handout.message.text())
    assert handout.message.isVisible()
    assert "drawing the pages" in logged(log_file)
