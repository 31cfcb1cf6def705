"""Fields of the session editor: limited text fields that refuse too-long pastes, the plain message
under a field, and the editor's timings."""

from __future__ import annotations

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QMimeData,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QKeyEvent,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QScrollArea,
    QWidget,
)

from nrp_desktop.i18n import N_
from nrp_desktop.ui.widgets.controls import relayout_now

NARROW_TABLE_PX = 480  # below this the table hides its "Table" column
VERY_NARROW_TABLE_PX = 220  # and below this its "Domains" too (large text on a 1024-pixel screen)


TYPING_DELAY_MS = 400  # typing is written this long after the last key (and when the field is left)


SUGGEST_DELAY_MS = 40  # suggestions follow the typing almost at once, skipping bursts of keys


SUGGESTION_LIMIT = 5


# The handout languages offered by name; any other language tag (ur-PK, x-klingon) may be typed.
LANGUAGES = ("en", "ur", "ar", "pl", "bn", "pa", "so", "ro", "cy", "fr")
LANGUAGE_NAMES = {
    "en": QT_TRANSLATE_NOOP("LanguageNames", "English"),
    "ur": QT_TRANSLATE_NOOP("LanguageNames", "Urdu"),
    "ar": QT_TRANSLATE_NOOP("LanguageNames", "Arabic"),
    "pl": QT_TRANSLATE_NOOP("LanguageNames", "Polish"),
    "bn": QT_TRANSLATE_NOOP("LanguageNames", "Bengali"),
    "pa": QT_TRANSLATE_NOOP("LanguageNames", "Punjabi"),
    "so": QT_TRANSLATE_NOOP("LanguageNames", "Somali"),
    "ro": QT_TRANSLATE_NOOP("LanguageNames", "Romanian"),
    "cy": QT_TRANSLATE_NOOP("LanguageNames", "Welsh"),
    "fr": QT_TRANSLATE_NOOP("LanguageNames", "French"),
}


def language_label(code: str) -> str:
    """"Somali (so)" for a code offered by name; any other tag as it is."""
    name = LANGUAGE_NAMES.get(code)
    return f"{QCoreApplication.translate('LanguageNames', str(name))} ({code})" if name else code


def language_code(text: str) -> str:
    """The tag to store for what the language field shows: "Somali (so)", "Somali" or "somali"
    give "so"; anything else (a tag typed, perhaps wrong) is kept for the rules to judge."""
    text = text.strip()
    for code in LANGUAGES:
        english = str(LANGUAGE_NAMES[code])
        name = QCoreApplication.translate("LanguageNames", english)
        if text.casefold() in (language_label(code).casefold(), name.casefold(),
                               english.casefold()):
            return code
    return text


NO_TABLE = N_("— no table —")


class FieldMessage(QLabel):
    """A refusal said in plain words under the field it concerns (never a dialog)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fieldMessage")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.hide()

    def show_message(self, text: str) -> None:
        self.setText(text)
        self.setAccessibleName(text)
        self.show()
        from nrp_desktop.ui.widgets.announce import announce

        announce(self, text, assertive=True)  # a refusal interrupts: nothing was done
        # Inside a scrolled panel, bring the message into view (after the layout has room for it).
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        if isinstance(parent, QScrollArea):
            area = parent
            QTimer.singleShot(0, self, lambda: area.ensureWidgetVisible(self) if self.isVisible() else None)

    def clear_message(self) -> None:
        parent = self.parentWidget()
        if (parent is not None and self.isVisibleTo(parent)) or self.text():
            self.setText("")
            self.hide()

    @property
    def message(self) -> str:
        return self.text() if not self.isHidden() else ""


def too_long_message(what: str, length: int, limit: int) -> str:
    return (f"That is too long to paste into {what}: {length:,} characters, and it holds at most "
            f"{limit:,}. Nothing was pasted.")


class LimitedLineEdit(QLineEdit):
    """A line that holds at most `limit` characters and refuses, with a message, a paste that
    would not fit (rather than cutting it short unseen)."""

    refused = Signal(str)

    def __init__(self, limit: int, what: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.limit = limit
        self.what = what
        # One over the limit: a paste that slips past the checks below (the context menu's)
        # is then seen to be too long and refused, instead of being cut short unseen.
        self.setMaxLength(limit + 1)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Paste) and self._paste_too_long():
            event.accept()
            return
        super().keyPressEvent(event)

    def _paste_too_long(self) -> bool:
        pasted = QApplication.clipboard().text()
        length = len(self.text()) - len(self.selectedText()) + len(pasted)
        if length > self.limit:
            self.refused.emit(too_long_message(self.what, len(pasted), self.limit))
            return True
        return False

    def paste(self) -> None:  # the context menu's Paste and direct calls
        if not self._paste_too_long():
            super().paste()


class LimitedTextEdit(QPlainTextEdit):
    """Plain text of at most `limit` characters; a paste that would not fit is refused whole."""

    refused = Signal(str)

    def __init__(self, limit: int, what: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.limit = limit
        self.what = what
        self.setTabChangesFocus(True)  # Tab moves on, as in every other field

    def insertFromMimeData(self, source: QMimeData) -> None:
        pasted = source.text() if source.hasText() else ""
        selected = len(self.textCursor().selectedText())
        length = len(self.toPlainText()) - selected + len(pasted)
        if length > self.limit:
            self.refused.emit(too_long_message(self.what, len(pasted), self.limit))
            return
        super().insertFromMimeData(source)


def set_text_quietly(widget: QLineEdit | QPlainTextEdit, text: str) -> None:
    """Show a stored value without treating it as typing; leave the field alone when it already
    says the same (so a trimmed save never jumps the cursor while someone types)."""
    current = widget.text() if isinstance(widget, QLineEdit) else widget.toPlainText()
    if current.strip() == text.strip():
        return
    widget.blockSignals(True)
    if isinstance(widget, QLineEdit):
        widget.setText(text)
    else:
        widget.setPlainText(text)
    widget.blockSignals(False)


def fit_list_height(view: QListView, max_rows: int, min_rows: int = 1) -> None:
    """Make a short list as tall as its rows (up to max_rows), so no scrolling hides one."""
    model = view.model()
    rows = model.rowCount() if model is not None else 0
    height = 0
    for row in range(min(rows, max_rows)):
        height += max(view.sizeHintForRow(row), 24)
    if rows < min_rows:
        height += 56 * (min_rows - rows)
    view.setFixedHeight(height + 2 * view.frameWidth() + 4)
    if view.isVisible():
        relayout_now(view)
