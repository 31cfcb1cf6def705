"""The window's tr() reaches the app's one catalogue, and Urdu mirrors the window."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QPushButton

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
