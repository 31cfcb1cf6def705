"""The handout screen: preview of the real PDF, atomic save, and printing to a real print system."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest
from conftest import ROOT
from conftest import example_session as read_example_session
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from nrp_desktop.ui.app import create_application
from nrp_desktop.ui.handout.view import HandoutView

PRINTER = "NRP_PDF"


@pytest.fixture
def view(qtbot, library) -> HandoutView:
    create_application()
    view = HandoutView()
    qtbot.addWidget(view)
    view.set_library(library)
    view.resize(1280, 800)
    return view


@pytest.fixture
def example_session():
    return read_example_session()


def _pages(view: HandoutView, qtbot, trigger) -> int:
    with qtbot.waitSignal(view.pdf_ready, timeout=20_000) as blocker:
        trigger()
    return blocker.args[0]


def test_preview_shows_the_real_handout(view: HandoutView, qtbot, example_session):
    pages = _pages(view, qtbot, lambda: view.set_session(example_session))
    assert pages >= 2
    assert view.viewer.page_count() == pages
    assert view.body.currentWidget() is view.viewer
    assert view.save_button.isEnabled() and view.print_button.isEnabled()
    assert "Residents' evening" in view.subject.text()


def test_large_print_has_more_pages(view: HandoutView, qtbot, example_session):
    normal = _pages(view, qtbot, lambda: view.set_session(example_session))
    large = _pages(view, qtbot, lambda: view.large_print.setChecked(True))
    assert large > normal


def test_letter_paper(view: HandoutView, qtbot, example_session):
    _pages(view, qtbot, lambda: view.set_session(example_session))
    _pages(view, qtbot, lambda: view.paper.setCurrentIndex(view.paper.findData("letter")))
    assert round(view.viewer.page_sizes[0][0]) == 612


def test_save_writes_the_whole_file(view: HandoutView, qtbot, example_session, tmp_path: Path):
    _pages(view, qtbot, lambda: view.set_session(example_session))
    target = tmp_path / "handout.pdf"
    assert view.save_to(str(target))
    assert target.read_bytes() == view.pdf
    text = "".join(page.extract_text() for page in PdfReader(target).pages)
    assert "Nobody knows where to get help with debt" in text
    assert list(tmp_path.iterdir()) == [target]  # no temporary file left behind


def test_case_study_sheet(view: HandoutView, qtbot):
    pages = _pages(view, qtbot, lambda: view.show_case_study("central-southport-sefton"))
    assert 1 <= pages <= 2
    assert "Central Southport" in view.subject.text()


def test_no_session_says_what_to_do(view: HandoutView):
    view.set_session(None)
    assert view.body.currentWidget() is view.message
    assert not view.print_button.isEnabled()


@pytest.fixture(scope="module")
def print_system() -> Path:
    """CUPS with a cups-pdf queue, started as CI does (scripts/start-print-system.sh)."""
    result = subprocess.run(["bash", str(ROOT / "scripts" / "start-print-system.sh")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return Path(result.stdout.strip().splitlines()[-1])


def test_printing_reaches_the_system_printer(view: HandoutView, qtbot, example_session, print_system: Path):
    assert PRINTER in [info.printerName() for info in QPrinterInfo.availablePrinters()]
    pages = _pages(view, qtbot, lambda: view.set_session(example_session))
    before = set(print_system.glob("*.pdf"))
    printer = QPrinter(QPrinterInfo.printerInfo(PRINTER), QPrinter.PrinterMode.ScreenResolution)
    assert printer.outputFormat() == QPrinter.OutputFormat.NativeFormat
    assert view.print_to(printer) == pages
    deadline = time.monotonic() + 60
    new: set[Path] = set()
    while time.monotonic() < deadline and not new:
        time.sleep(0.5)
        new = {p for p in set(print_system.glob("*.pdf")) - before if p.stat().st_size > 0}
    assert new, "the print system produced no output"
    (output,) = new
    printed = None
    while time.monotonic() < deadline and printed is None:  # cups-pdf may still be writing it
        try:
            printed = len(PdfReader(output).pages)
        except Exception:
            time.sleep(0.5)
    assert printed == pages
