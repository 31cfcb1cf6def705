"""The window's words from the app's one catalogue (nrp_desktop.i18n), and Qt's own dialogs in the
same language.

Every `tr()` in ui/ reaches `GettextTranslator.translate`, which asks the gettext catalogue that
the command line and the handout use too; there is no second, Qt-only catalogue to keep in step.
"""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, Qt, QTranslator
from PySide6.QtWidgets import QApplication

from nrp_desktop import i18n

# Texts asked in the context of one of Qt's own classes ("Ctrl", "Scroll Left" …): Qt's own
# words. Its qtbase_*.qm translate them where Qt ships one; those a person meets in the standard
# dialogs are in the app's catalogue as well (ui/qt_own_words.py: Qt has no Urdu file), the
# rest may stay out of its template.
QT_OWN_ASKED: set[str] = set()


def _is_qt_own(context: str) -> bool:
    """A text of Qt's own widgets ("QShortcut", "QScrollBar" …): no class of the app is named so."""
    return len(context) > 1 and context[0] == "Q" and context[1].isupper()


class GettextTranslator(QTranslator):
    def translate(self, context: str, source_text: str, disambiguation: str | None = None,
                  n: int = -1) -> str:
        if not source_text:
            return source_text
        if _is_qt_own(context):
            QT_OWN_ASKED.add(source_text)
        if disambiguation:
            return i18n.pgettext(disambiguation, source_text)
        return i18n.gettext(source_text)

    def isEmpty(self) -> bool:
        return False


_installed: list[QTranslator] = []


def apply_language(app: QApplication, code: str) -> str:
    """Speak `code` in the whole window: the catalogue, Qt's own dialogs, the reading direction
    and the locale used for numbers. Installing the translator sends every widget
    QEvent.LanguageChange; returns the code."""
    chosen = i18n.language(i18n.set_language(code))
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    ours = GettextTranslator(app)
    app.installTranslator(ours)
    _installed.append(ours)
    if chosen.code not in ("en", i18n.PSEUDO):
        qt_own = QTranslator(app)
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if qt_own.load(f"qtbase_{chosen.code}", folder):
            app.installTranslator(qt_own)
            _installed.append(qt_own)
    QLocale.setDefault(QLocale(chosen.babel_locale))
    from nrp_desktop.ui.theme import text_families

    font = app.font()
    font.setFamilies(text_families())  # Naskh first for Urdu
    app.setFont(font)
    direction = Qt.LayoutDirection.RightToLeft if chosen.direction == "rtl" else Qt.LayoutDirection.LeftToRight
    app.setLayoutDirection(direction)
    return chosen.code
