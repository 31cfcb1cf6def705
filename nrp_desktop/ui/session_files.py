"""Session files in the window: import (menu, drag and drop, a file opened from the file manager)
and export as a `.nrpsession` file or a CSV spreadsheet. Same rules as the command line: a file
is checked whole before anything is stored, and a stored session is replaced only when the
facilitator says so."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from nrp_desktop.domain.content import ContentLibrary
from nrp_desktop.domain.session import Session
from nrp_desktop.ui.failures import failure_line, tell_failure
from nrp_desktop.ui.widgets.pdf_output import safe_file_name
from nrp_desktop.ui.widgets.plain_text import ask, tell

SESSION_SUFFIX = ".nrpsession"


def _tr(text: str) -> str:
    return QCoreApplication.translate("SessionFiles", text)


def is_session_file(path: str) -> bool:
    return path.lower().endswith(SESSION_SUFFIX)


def import_session_files(parent: QWidget, store: Any, library: ContentLibrary | None,
                         files: list[str]) -> list[str]:
    """Check and store each file; the ids stored. Refusals and warnings are shown, not raised."""
    from nrp_desktop.services.session_file import read_session_file, unknown_follows_warning

    known = {lesson.slug for lesson in library.lessons} if library else None
    stored: list[str] = []
    problems: list[str] = []
    warnings: list[str] = []
    imported: list[tuple[str, Session]] = []
    for file_name in files:
        try:
            parsed = read_session_file(file_name, known)
        except Exception as error:  # a bad file (its own message), an unreadable one, a bug
            problems.append(failure_line(error, f"importing {Path(file_name).name}"))
            continue
        session = parsed.session
        if store.session_exists(session.id) and not ask(
                parent, _tr("Replace the stored session?"),
                _tr("“%1” is already stored on this laptop. Replace it with the copy in %2?\n\n"
                    "The stored copy will be overwritten; this cannot be undone.")
                .replace("%1", session.title).replace("%2", Path(file_name).name),
        ):
            continue
        try:
            store.save_session(session)
        except Exception as error:  # a value the store refuses, a full disk, a bug
            line = failure_line(error, f"storing {Path(file_name).name}")
            problems.append(f"{Path(file_name).name}: {line}")
            continue
        stored.append(session.id)
        warnings.extend(f"{Path(file_name).name}: {warning}" for warning in parsed.warnings)
        imported.append((Path(file_name).name, session))
    if imported:
        # Said once per file, after all are in: one of them may be the session another follows.
        known_ids = store.session_ids()
        for name, session in imported:
            warning = unknown_follows_warning(session, known_ids)
            if warning:
                warnings.append(f"{name}: {warning}")
    if problems:
        tell(parent, _tr("Some files were not imported"),
             _tr("Nothing was stored from these files:") + "\n\n" + "\n".join(problems))
    if warnings:
        tell(parent, _tr("Imported, with notes"), "\n".join(warnings), icon=QMessageBox.Icon.Information)
    return stored


def ask_and_import(parent: QWidget, store: Any, library: ContentLibrary | None) -> list[str]:
    files, _filter = QFileDialog.getOpenFileNames(
        parent, _tr("Import session files"), "", _tr("NRP session files (*.nrpsession)"))
    return import_session_files(parent, store, library, files) if files else []


def export_session(parent: QWidget, session: Session, library: ContentLibrary | None,
                   as_csv: bool, path: str | None = None) -> bool:
    """Write the session as a file (asking where, unless `path` is given); True when written."""
    from nrp_desktop.services.session_csv import write_session_csv
    from nrp_desktop.services.session_file import write_session_file

    suffix = ".csv" if as_csv else SESSION_SUFFIX
    if path is None:
        caption = _tr("Export as a spreadsheet (CSV)") if as_csv else _tr("Export the session")
        file_filter = _tr("CSV files (*.csv)") if as_csv else _tr("NRP session files (*.nrpsession)")
        path, _filter = QFileDialog.getSaveFileName(
            parent, caption, safe_file_name(session.title, "session") + suffix, file_filter)
        if not path:
            return False
        if not path.lower().endswith(suffix):
            path += suffix
    try:
        if as_csv:
            titles = {lesson.slug: lesson.title for lesson in library.lessons} if library else {}
            write_session_csv(session, path, titles)
        else:
            write_session_file(session, path, library.version if library else None)
    except Exception as error:  # a full disk, a read-only folder, a bug: said and logged
        tell_failure(parent, error, "exporting the session", _tr("The session was not exported: %s"),
                     _tr("Not exported"))
        return False
    return True
