"""Saving and printing a finished PDF from any screen: one file dialog, one atomic write, one
print dialog, and a plain message when something goes wrong.

The screens that make PDFs (the handout, the collation) build the bytes off the GUI thread and
then hand them here.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QWidget

from nrp_desktop.ui.failures import tell_failure


def _tr(text: str) -> str:
    return QCoreApplication.translate("PdfOutput", text)


def safe_file_name(title: str, fallback: str) -> str:
    """A file name from a title: letters, digits and hyphens, at most 60 characters."""
    kept = "".join(c if c.isalnum() or c in " -_" else " " for c in title).strip()
    return "-".join(kept.split())[:60] or fallback


def ask_pdf_path(parent: QWidget, caption: str, suggested_name: str) -> str | None:
    """The file the user chose to save a PDF as (ending in .pdf), or None if they cancelled."""
    path, _filter = QFileDialog.getSaveFileName(
        parent, caption, suggested_name, _tr("PDF files (*.pdf)"))
    if not path:
        return None
    return path if path.lower().endswith(".pdf") else path + ".pdf"


def write_pdf(parent: QWidget, path: str, pdf: bytes, failure_message: str) -> bool:
    """Write `pdf` to `path` atomically; on failure, say so with `failure_message` (holding a
    %s for the reason) and return False. A failed write leaves any earlier file untouched."""
    from nrp_desktop.services.output import atomic_write_bytes

    try:
        atomic_write_bytes(path, pdf)
    except Exception as error:  # a full disk, a read-only folder, a bug: said and logged
        tell_failure(parent, error, "saving the PDF", failure_message, _tr("Not saved"))
        return False
    return True


def print_pdf_on(parent: QWidget, pdf: bytes, printer: Any, title: str) -> int:
    """Print `pdf` on `printer`; the number of pages sent (0, after a message, when it failed)."""
    from nrp_desktop.ui.printing import print_pdf

    try:
        return print_pdf(pdf, printer, title)
    except Exception as error:  # no printer, a bug: said and logged
        tell_failure(parent, error, "printing", _tr("Nothing was printed: %s"), _tr("Not printed"))
        return 0


def ask_printer_and_print(parent: QWidget, pdf: bytes, title: str, dialog_title: str) -> int:
    """The system's print dialog, then the PDF on the chosen printer; pages sent (0: none)."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(dialog_title)
    if dialog.exec() == QPrintDialog.DialogCode.Accepted:
        return print_pdf_on(parent, pdf, printer, title)
    return 0
