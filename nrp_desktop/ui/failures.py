"""The one rule for a failure of something a person started in the window (save, print, export,
import, the projector, a PDF being made): it is logged, and it is said in plain words.

A known failure (`nrp_desktop.errors.KnownFailure`: a bad file, a full disk, no printer) is
logged as a warning and shown with its own message. Anything else is a bug: logged with its
traceback, and the person is told only that it happened and where the log file is, never the
raw Python message. Every screen reports failures through here, never with `str(error)`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from nrp_desktop import APP_NAME
from nrp_desktop.ui.widgets.plain_text import tell

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget


def failure_line(error: BaseException, what: str) -> str:
    """Log `error` (what the person asked for: `what`, e.g. "saving the handout") and return the
    one plain line to show for it."""
    from nrp_desktop.app_logging import log_uncaught

    return log_uncaught(type(error), error, error.__traceback__, what=what)


def tell_failure(parent: QWidget | None, error: BaseException, what: str, lead: str = "",
                 title: str = "") -> str:
    """Log `error` and show it in a message box: `lead` (a sentence holding `%s` for the reason,
    e.g. "The handout was not saved: %s") or the plain line alone. Returns the text shown."""
    line = failure_line(error, what)
    text = lead % line if lead else line[:1].upper() + line[1:] + "."
    tell(parent, title or APP_NAME, text, icon=QMessageBox.Icon.Critical)
    return text
