"""Nothing left behind: in the pseudo-language (every catalogue string wrapped in ⟦…⟧ and 40%
longer) the real main window shows, on every screen, no text that bypassed the catalogue and no
label or button too narrow for its longer words; the handout likewise."""

from __future__ import annotations

import datetime as dt
import functools
import html
import re

import pytest
from conftest import WindowDriver, pdf_text
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QTabBar,
    QWidget,
)

from nrp_desktop import APP_NAME, __version__, i18n
from nrp_desktop.ui.app import SCREENSHOT_SIZE

# The offscreen platform says so whenever a dialog or test page is shown; nothing is wrong.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
SESSION_CHOOSER = "⟦Open a stored session (newest first)"
# Text of the app's own that is no word of any language.
PROPER_NAMES = {APP_NAME, "NRP", "PDF", "CSV", "Ctrl", "Shift", "Esc", "F5",
                *(language.name for language in i18n.LANGUAGES)}
_WRAPPED = re.compile(r"⟦[^⟦⟧]*⟧")
_TAGS = re.compile(r"<[^>]*>|&[a-z]+;|&#\d+;")
_LETTERS = re.compile(r"[^\W\d_]{2,}")


@pytest.fixture
def pseudo_window(qapp, stored_sessions, library_service, qtbot, library):
    """The real window started in the pseudo-language, with the example session open."""
    from nrp_desktop.ui.app import create_application, start_window
    from nrp_desktop.ui.translator import apply_language
    from nrp_desktop.ui.worker import wait_for_background_work

    create_application()
    apply_language(qapp, i18n.PSEUDO)
    window = start_window()
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.library is not None and window.store is not None, timeout=30_000)
    driver = WindowDriver(window, qtbot)
    try:
        yield driver
    finally:
        window.close()
        wait_for_background_work()
        apply_language(qapp, "en")


def _data_words(library, sessions) -> set[str]:
    """What the person typed and the bundled content (which stays English in every language)."""
    words: set[str] = set(PROPER_NAMES)
    for session in sessions:
        words.update(i18n.format_date(session.date, style) for style in ("short", "medium", "long", "full"))
        for value in (session.title, session.venue, session.neighbourhood, session.facilitator,
                      session.notes, *session.groups):
            if value:
                words.add(value)
        for priority in session.priorities:
            words.update(v for v in (priority.title, priority.description, priority.group) if v)
            for action in priority.actions:
                words.update(v for v in (action.what, action.who, action.when,
                                         getattr(action, "progress", "")) if v)
    import dataclasses

    def collect(value: object) -> None:
        if isinstance(value, str):
            if value:
                words.add(value)
        elif isinstance(value, (tuple, list)):
            for part in value:
                collect(part)
        elif dataclasses.is_dataclass(value):
            for field in dataclasses.fields(value):
                collect(getattr(value, field.name))

    for kind in ("case_studies", "domains", "pages", "lessons", "tool_steps", "tool_cards",
                 "tool_players", "glossary", "everyday_words"):
        collect(getattr(library, kind))
    return words


@functools.cache
def _corpus(data: frozenset[str]) -> str:
    return "\n".join([*data, *(html.unescape(_TAGS.sub("", value)) for value in data if "<" in value)])


def _untranslated(text: str, data: set[str]) -> str | None:
    """The part of `text` that is a word of the app's own yet not through the catalogue."""
    rest = text.replace("&&", "&")
    while _WRAPPED.search(rest):  # nested: "⟦Show only ⟦Social connectedness⟧⟧"
        rest = _WRAPPED.sub(" ", rest)
    corpus = _corpus(frozenset(data))
    # Rich text: each piece between tags may be a piece of the bundled content.
    pieces = [piece.strip() for piece in _TAGS.split(rest)]
    rest = " ".join(piece for piece in pieces if piece and html.unescape(piece) not in corpus)
    for value in sorted(data, key=len, reverse=True):
        if len(value) > 6 and value in rest:
            rest = rest.replace(value, " ")
        elif value == rest.strip():
            rest = ""
    words = [word for word in _LETTERS.findall(rest) if word not in PROPER_NAMES]
    return " ".join(words) if words else None


def _visible_texts(window: QWidget) -> list[tuple[str, QWidget, str]]:
    """(what, widget, text) for every visible text on the window's current screen and menus."""
    found: list[tuple[str, QWidget, str]] = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisible():
            continue
        if isinstance(widget, QLabel) and widget.pixmap().isNull():
            found.append(("label", widget, widget.text()))
        elif isinstance(widget, QAbstractButton):
            found.append(("button", widget, widget.text()))
        elif isinstance(widget, QGroupBox):
            found.append(("group", widget, widget.title()))
        elif isinstance(widget, QTabBar):
            found += [("tab", widget, widget.tabText(i)) for i in range(widget.count())]
        elif isinstance(widget, QLineEdit):
            found.append(("placeholder", widget, widget.placeholderText()))
        elif isinstance(widget, QComboBox) and not widget.isEditable():
            found.append(("combo", widget, widget.currentText()))
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            header = getattr(widget, "horizontalHeader", None)
            if header is not None and header().isVisible():
                found += [("header", widget, str(model.headerData(c, Qt.Orientation.Horizontal) or ""))
                          for c in range(model.columnCount()) if not header().isSectionHidden(c)]
        if widget.accessibleName():
            found.append(("accessible name", widget, widget.accessibleName()))
        if widget.toolTip():
            found.append(("tooltip", widget, widget.toolTip()))
    return found


def _menu_texts(window) -> list[tuple[str, QWidget, str]]:
    found = []
    for action in window.menuBar().actions():
        found.append(("menu", window, action.text()))
        if action.menu() is not None:
            for entry in action.menu().actions():
                if entry.text() and not entry.isSeparator():
                    found.append(("menu entry", window, entry.text()))
    return found


def _clipped(widget: QWidget) -> str | None:
    """Why the widget's text does not fit in it, if it does not."""
    if isinstance(widget, QLabel):
        if not widget.text() or widget.width() <= 0:
            return None
        room = widget.contentsRect().width()
        if widget.wordWrap():
            needed = widget.heightForWidth(widget.width())
            if needed > widget.height() + 1:
                return f"needs {needed} px of height, has {widget.height()}"
            return None
        needed = widget.minimumSizeHint().width() - (widget.width() - room) \
            if widget.textFormat() != Qt.TextFormat.PlainText else \
            widget.fontMetrics().horizontalAdvance(widget.text().split("\n")[0]) + 2 * widget.margin()
        if needed > room + 1:
            return f"needs {needed} px of width, has {room}"
    elif isinstance(widget, QAbstractButton) and widget.text():
        needed = widget.sizeHint().width()
        if needed > widget.width() + 1:
            return f"needs {needed} px of width, has {widget.width()}"
    return None


def _problems(window, data: set[str], where: str) -> list[str]:
    problems = []
    corpus = _corpus(frozenset(data))
    menus = _menu_texts(window) if hasattr(window, "menuBar") else []
    for kind, widget, text in [("window title", window, window.windowTitle()),
                               *_visible_texts(window), *menus]:
        if not text or text in corpus or "://" in text:  # the bundled content; an address
            continue
        left = _untranslated(text, data)
        if left:
            problems.append(f"{where}: {kind} {type(widget).__name__} {widget.objectName()!r} "
                            f"not translated: {text[:90]!r} ({left[:60]})")
    for widget in window.findChildren(QWidget):
        # A button that draws nothing (it speaks for one a list paints) cannot be cut short.
        draws_itself = not widget.testAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        if widget.isVisible() and draws_itself and isinstance(widget, (QLabel, QAbstractButton)):
            why = _clipped(widget)
            if why:
                problems.append(f"{where}: {type(widget).__name__} {widget.objectName()!r} "
                                f"clipped: {widget.text()[:60]!r}: {why}")
    return problems


def _settle(driver: WindowDriver) -> None:
    driver.qtbot.wait(30)  # laid out at its real size
    QApplication.processEvents()


def test_every_screen_speaks_the_pseudo_language_and_nothing_is_clipped(
        pseudo_window: WindowDriver, library, stored_sessions):
    from nrp_desktop.services.compass import domain_description
    from nrp_desktop.ui.screenshots import screens

    window = pseudo_window.window
    window.resize(*SCREENSHOT_SIZE)  # the size the screens are designed for
    data = _data_words(library, stored_sessions)
    data.update(domain_description(library, domain.slug) for domain in library.domains)
    problems: list[str] = []
    editor = window.screens["nrp_desktop.ui.session.editor:SessionEditor"]
    handout = window.screens["nrp_desktop.ui.handout.view:HandoutView"]
    # Every screen with the example session open, then each state the screenshots show.
    window.show_screen(editor)
    chooser = next(w.accessibleName() for w in editor.findChildren(QComboBox)
                   if w.accessibleName().startswith(SESSION_CHOOSER))
    pseudo_window.choose(chooser, "Residents' evening")
    visits = [(window.navigation.item(row).text(), lambda row=row: window.navigation.setCurrentRow(row))
              for row in range(window.navigation.count())]
    visits += screens(window)
    visits += [
        ("session details", lambda: (window.show_screen(editor), editor.tabs.setCurrentIndex(1))),
        ("tally", lambda: (editor.tabs.setCurrentIndex(0), editor.tally_button.setChecked(True))),
    ]
    for where, setup in visits:
        setup()
        _settle(pseudo_window)
        if window.stack.currentWidget() is handout:
            pseudo_window.wait_until(lambda: handout.pdf is not None or editor.current_session() is None)
        problems += _problems(window, data, where)
    editor.tally_button.setChecked(False)
    # The main dialogs, shown without waiting for an answer.
    from nrp_desktop.ui.live_panel import JoinPanel, LiveVotes
    from nrp_desktop.ui.publish_dialog import PublishDialog
    from nrp_desktop.ui.session.details import NewSessionDialog

    for name, dialog in (("new session", NewSessionDialog(window)),
                         ("publish", PublishDialog(window.store, window)),
                         ("votes from phones", JoinPanel(LiveVotes(window.document, window), window))):
        dialog.show()
        _settle(pseudo_window)
        problems += _problems(dialog, data, name)
        dialog.close()
    left = _untranslated(window.about_text(), data | {__version__, window.library.version})
    if left:
        problems.append(f"About box not translated: {left}")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def test_the_check_finds_a_bare_english_label_and_a_clipped_button(qtbot):
    from PySide6.QtWidgets import QHBoxLayout, QPushButton

    page = QWidget()
    row = QHBoxLayout(page)
    row.addWidget(QLabel("Add priority"))
    button = QPushButton("⟦A very long button text for a narrow place··········⟧")
    button.setFixedWidth(60)
    row.addWidget(button)
    row.addWidget(QLabel("⟦Fine···⟧ 12"))
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    problems = _problems(page, set(), "test page")
    assert any("not translated: 'Add priority'" in problem for problem in problems)
    assert any("clipped" in problem and "A very long button" in problem for problem in problems)
    assert len(problems) == 2, problems


def _body_text(pdf: bytes, title: str) -> str:
    """The PDF's text as pdftotext reads it in the order it was written (-raw: a rank number
    centred beside a heading cannot land inside the heading's wrapped "Table 2"), each page's
    footer (the session's title and date, cut short with "…", and the page number) taken out,
    so a paragraph running onto the next page reads whole again; white space made single
    spaces."""
    import subprocess
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        raw = subprocess.run(["pdftotext", "-raw", file.name, "-"], capture_output=True, text=True,
                             check=True).stdout
    kept = []
    for page in raw.split("\f"):
        lines = [line for line in page.split("\n")
                 if not line.startswith("⟦Page") and not (line.startswith(title[:20]) and line.endswith("…"))]
        kept.append("\n".join(lines))
    assert pdf_text(pdf).count("⟦Page") == len([page for page in raw.split("\f") if page.strip()])
    return re.sub(r"\s+", " ", " ".join(kept))


@pytest.mark.parametrize("short", [False, True], ids=["full", "short"])
def test_the_handout_in_the_pseudo_language_has_no_words_of_its_own_left_in_english(
        library, stored_sessions, short):
    from nrp_desktop.domain.handout import HandoutOptions
    from nrp_desktop.services.handout import build_handout_data, handout_pdf

    session = stored_sessions[0]
    pdf = handout_pdf(session, library, HandoutOptions(short=short), language=i18n.PSEUDO)
    text = _body_text(pdf, session.title)
    data = _data_words(library, stored_sessions)
    handout = build_handout_data(session, library, language=i18n.PSEUDO)
    data.update(i18n.Speaker(i18n.PSEUDO).format_date(session.date, "full").replace(",", "", 1)
                for session in stored_sessions)
    if handout.programme is not None:
        data.update((handout.programme.title, handout.programme.content_version, __version__))
    data.update(" ".join(value.split()) for value in list(data))
    assert "⟦" in text
    # The note that the bundled content stays English is there, in the handout's language.
    assert "⟦The lessons and case studies in this handout come from" in text
    # The short handout gives each lesson's summary in its first sentence or two.
    from nrp_desktop.reports.handout import first_sentences

    data.update(first_sentences(lesson.summary).removesuffix(" …") for lesson in library.lessons)
    left = _untranslated(text, data)
    assert left is None, f"words of the handout's own not through the catalogue: {left}"


def test_the_html_handout_in_the_pseudo_language_too(library, stored_sessions):
    from nrp_desktop.services.handout import handout_html

    session = stored_sessions[0]
    page = handout_html(session, library, language=i18n.PSEUDO)
    assert '<html lang="pseudo" dir="ltr">' in page
    body = page[page.index("<body>"):]
    data = _data_words(library, stored_sessions) | {__version__, library.version}
    data.update(i18n.Speaker(i18n.PSEUDO).format_date(session.date, "full").replace(",", "", 1)
                for session in stored_sessions)
    left = _untranslated(html.unescape(body), data)
    assert left is None, f"words of the handout's own not through the catalogue: {left}"
    urdu = handout_html(session, library, language="ur")
    assert '<html lang="ur" dir="rtl">' in urdu


def test_the_collation_printout_in_the_pseudo_language_too(library, stored_sessions):
    from nrp_desktop.services.collate import collate
    from nrp_desktop.services.collation_pdf import collation_pdf

    i18n.set_language(i18n.PSEUDO)
    try:
        pdf = collation_pdf(collate(list(stored_sessions)))
        data = _data_words(library, stored_sessions)
        data.update(i18n.format_date(session.date) for session in stored_sessions)
        text = _body_text(pdf, "⟦Priorities across")
    finally:
        i18n.set_language("en")
    data.update(" ".join(value.split()) for value in list(data))
    assert "⟦Priorities across" in text
    # Table cells wrap, and pdftotext reads their lines across the columns: what is left must
    # be words of the sessions themselves (case kept, so "Hall" is not "hall").
    typed = set(_LETTERS.findall(" ".join(_data_words(library, ()) ^ _data_words(library, stored_sessions))))
    left = [word for word in (_untranslated(text, data) or "").split() if word not in typed]
    assert not left, f"words of the printout's own not through the catalogue: {left}"


def test_every_text_the_window_and_the_handout_asked_for_is_in_the_template(
        pseudo_window: WindowDriver, library, stored_sessions):
    """The pseudo-language translates whatever it is asked; a translator sees only what the
    extraction put in the template. Every screen visited, the handout and the printout made:
    each text asked for must be a msgid of resources/translations/nrp_desktop.pot."""
    from pathlib import Path

    from babel.messages.pofile import read_po

    from nrp_desktop.services.collate import collate
    from nrp_desktop.services.collation_pdf import collation_pdf
    from nrp_desktop.services.handout import handout_html, handout_pdf
    from nrp_desktop.ui.screenshots import screens

    window = pseudo_window.window
    for _name, setup in [*screens(window)]:
        setup()
        _settle(pseudo_window)
    window.about_text()
    session = stored_sessions[0]
    handout_pdf(session, library, language=i18n.PSEUDO)
    handout_html(session, library, language=i18n.PSEUDO)
    collation_pdf(collate(list(stored_sessions)))
    template = Path(__file__).resolve().parents[2] / "resources" / "translations" / "nrp_desktop.pot"
    with template.open("rb") as handle:
        known = {message.id[0] if isinstance(message.id, tuple) else message.id
                 for message in read_po(handle) if message.id}
    from nrp_desktop.ui.translator import QT_OWN_ASKED

    missing = sorted(text for text in i18n.pseudo_asked() - known - QT_OWN_ASKED if text.strip())
    assert not missing, (f"{len(missing)} texts reach no translator (not in the template; mark "
                         f"them so the extraction finds them, and refresh it): {missing[:40]}")


def test_since_last_time_in_the_pseudo_language_too(library):
    import sys
    from pathlib import Path

    from nrp_desktop.services.handout import handout_pdf

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit" / "reports"))
    from test_since_last_time_handout import sessions

    earlier, later = sessions()
    pdf = handout_pdf(later, library, previous=earlier, language=i18n.PSEUDO)
    text = _body_text(pdf, later.title)
    assert "⟦Since last time" in text
    data = _data_words(library, (earlier, later))
    speaker = i18n.Speaker(i18n.PSEUDO)
    data.update(speaker.format_date(day) for day in (earlier.date, later.date, dt.date(2027, 3, 8)))
    data.add(speaker.format_date(later.date, "full").replace(",", "", 1))
    from nrp_desktop.reports.handout import first_sentences

    data.update(first_sentences(lesson.summary).removesuffix(" …") for lesson in library.lessons)
    data.update(" ".join(value.split()) for value in list(data))
    typed = set(_LETTERS.findall(" ".join(_data_words(library, ()) ^ _data_words(library, (earlier, later)))))
    left = [word for word in (_untranslated(text, data) or "").split() if word not in typed]
    assert not left, f"words of the section's own not through the catalogue: {left}"
