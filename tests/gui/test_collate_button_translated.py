"""Compare halls in Urdu and Polish: the Collate button carries the word its own instructions
tell the facilitator to press ("…پھر ”یکجا کریں“ دبائیں", "…naciśnij „Zsumuj”"), not the print
dialog's "Collate" (the order of printed copies: "ترتیب وار", "Parami"), which shared its text."""

from __future__ import annotations

import pytest
from conftest import WindowDriver
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel

from nrp_desktop import i18n

COLLATION = "nrp_desktop.ui.collation.view:CollationView"


@pytest.mark.parametrize(("code", "word", "print_word"), [("ur", "یکجا کریں", "ترتیب وار"),
                                                          ("pl", "Zsumuj", "Parami")])
def test_the_collate_button_says_what_its_instructions_name(app_window: WindowDriver, code: str, word: str,
                                                             print_word: str):
    window = app_window.window
    try:
        assert window.set_language(code)
        collation = window.screen_named(COLLATION)
        window.show_screen(collation)
        assert collation.collate_button.text() == word
        instructions = [label.text() for label in collation.findChildren(QLabel) if word in label.text()]
        assert instructions, f"no instruction names {word!r}"
        # The print dialog keeps its own word for the order of copies.
        assert QCoreApplication.translate("QPrintPropertiesWidget", "Collate") == print_word
    finally:
        window.set_language("en")
    assert i18n.current().code == "en"
