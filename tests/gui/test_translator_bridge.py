"""The window's tr() reaches the app's one catalogue, and Urdu mirrors the window; Qt's own
dialogs (standard buttons, the file dialog) speak Urdu through the same catalogue."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QWidget,
)

from nrp_desktop import i18n
from nrp_desktop.ui.theme import BODY_FAMILY, URDU_FAMILY
from nrp_desktop.ui.translator import apply_language


def test_tr_goes_through_the_gettext_catalogue(qapp: QApplication):
    try:
        apply_language(qapp, i18n.PSEUDO)
        assert QCoreApplication.translate("Anything", "Add priority").startswith("⟦Add priority")
        button = QPushButton()
        assert button.tr("Export…").startswith("⟦Export…")
        apply_language(qapp, "ur")
        assert qapp.layoutDirection() == Qt.LayoutDirection.RightToLeft
        assert qapp.font().families()[0] == URDU_FAMILY
    finally:
        apply_language(qapp, "en")
    assert qapp.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert QCoreApplication.translate("Anything", "Add priority") == "Add priority"
    assert qapp.font().families()[0] == BODY_FAMILY


ARABIC_LETTER = re.compile(r"[\u0600-\u06ff]")


def _qt_words():
    from nrp_desktop.ui.qt_own_words import QT_OWN_WORDS, QT_OWN_WORDS_DISAMBIGUATED

    yield from ((context, text, None) for context, texts in QT_OWN_WORDS.items() for text in texts)
    yield from QT_OWN_WORDS_DISAMBIGUATED


def test_qt_own_words_are_answered_in_urdu_and_polish(qapp: QApplication):
    """Qt ships no Urdu file: the app's catalogue answers each of Qt's own words Qt asks for;
    in Polish, Qt's own file or the catalogue does."""
    try:
        for code in ("ur", "pl"):
            apply_language(qapp, code)
            for context, text, disambiguation in _qt_words():
                shown = QCoreApplication.translate(context, text, disambiguation)
                if code == "ur":
                    assert ARABIC_LETTER.search(shown), (context, text, shown)
                else:
                    assert shown != text or text in ("OK", "&OK"), (context, text)
    finally:
        apply_language(qapp, "en")


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")  # offscreen dialogs
def test_a_message_box_and_a_file_dialog_in_the_urdu_window_speak_urdu(app_window):
    window = app_window.window
    try:
        assert window.set_language("ur")
        standard = QMessageBox.StandardButton
        box = QMessageBox(QMessageBox.Icon.Question, "x", "x", parent=window)
        for button in (standard.Ok, standard.Cancel, standard.Save, standard.Open, standard.Yes,
                       standard.No, standard.Close, standard.Discard, standard.Apply,
                       standard.Reset, standard.Help):
            box.addButton(button)
        box.setDetailedText("x")
        box.show()
        texts = [button.text() for button in box.buttons()]
        assert len(texts) == 12  # the eleven and "Show Details…"
        assert all(ARABIC_LETTER.search(text) for text in texts), texts
        assert box.button(standard.Yes).text() == "ہاں"
        assert box.button(standard.Cancel).text() == "منسوخ کریں"
        box.close()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, window)
        assert [button.text() for button in buttons.buttons()] in (
            ["ٹھیک ہے", "منسوخ کریں"], ["منسوخ کریں", "ٹھیک ہے"])
        # Qt's own file dialog (where the desktop has none): its words and buttons in Urdu.
        dialog = QFileDialog(window, "x")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.show()
        app_window.wait_until(dialog.isVisible)
        words = [widget.text() for widget in dialog.findChildren(QLabel) + dialog.findChildren(QPushButton)
                 if widget.isVisible() and widget.text().strip()]
        assert words and all(ARABIC_LETTER.search(text) for text in words), words
        dialog.close()
        # And its print dialog (Print… on the handout).
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter()
        printing = QPrintDialog(printer, window)
        printing.show()
        app_window.wait_until(printing.isVisible)
        assert ARABIC_LETTER.search(printing.windowTitle())
        shown = [widget for widget in printing.findChildren(QWidget) if widget.isVisible()]
        words = [widget.text() for widget in shown if isinstance(widget, (QLabel, QAbstractButton))]
        words += [widget.title() for widget in shown if isinstance(widget, QGroupBox)]
        # The printers' own names, models and places are data from the print system, not Qt's words.
        from PySide6.QtPrintSupport import QPrinterInfo

        data = {"...", "A4"}
        for info in QPrinterInfo.availablePrinters():
            data |= {info.printerName(), info.makeAndModel(), info.location(), info.description()}
        words = [text for text in words if text.strip() and text not in data]
        assert words and all(ARABIC_LETTER.search(text) for text in words), words
        printing.close()
    finally:
        window.set_language("en")
