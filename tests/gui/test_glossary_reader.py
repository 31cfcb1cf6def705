"""The glossary in the reader: acronyms and programme words explain themselves on hover and tap."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt, QUrl
from PySide6.QtGui import QHelpEvent, QTextCursor, QTextDocument
from PySide6.QtWidgets import QApplication, QToolTip

from nrp_desktop.ui.reader import Reader

# The offscreen platform cannot raise a tooltip window; the tooltip is still shown and has text.
OFFSCREEN_TOOLTIP = pytest.mark.qt_log_ignore("This plugin does not support raise")


def _term_position(reader: Reader, visible_text: str) -> QPoint:
    """The viewport position of the middle of the first occurrence of `visible_text`."""
    cursor = reader.document().find(visible_text, 0, QTextDocument.FindFlag.FindCaseSensitively)
    assert not cursor.isNull(), visible_text
    middle = QTextCursor(reader.document())
    middle.setPosition((cursor.selectionStart() + cursor.selectionEnd()) // 2)
    return reader.cursorRect(middle).center()


def _open(qtbot, library, link: str) -> Reader:
    reader = Reader()
    qtbot.addWidget(reader)
    reader.resize(900, 700)
    reader.show()
    qtbot.waitExposed(reader)
    assert reader.show_document(library, link)
    return reader


def test_every_acronym_on_the_programme_page_is_a_glossary_link(qtbot, library):
    reader = _open(qtbot, library, "page:the-programme")
    anchors = _anchors(reader)
    for term in ("NIHR", "CLAHRC", "ARC", "CoReN"):
        assert f"glossary:{term}" in anchors, term
    # Ordinary page links still go where they went.
    assert any(anchor.startswith(("lesson:", "page:", "case-study:")) for anchor in anchors)


def _anchors(reader: Reader) -> set[str]:
    found = set()
    block = reader.document().begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            if fragment.isValid() and fragment.charFormat().anchorHref():
                found.add(fragment.charFormat().anchorHref())
            iterator += 1
        block = block.next()
    return found


@OFFSCREEN_TOOLTIP
def test_hovering_a_term_shows_its_plain_explanation(qtbot, library):
    reader = _open(qtbot, library, "case-study:worsley-haslingden")
    position = _term_position(reader, "CCG")
    assert reader.anchorAt(position) == "glossary:CCG"
    with qtbot.waitSignal(reader.term_explained, timeout=2000) as shown:
        event = QHelpEvent(QEvent.Type.ToolTip, position, reader.viewport().mapToGlobal(position))
        QApplication.sendEvent(reader.viewport(), event)
    term, explanation = shown.args
    assert term == "CCG"
    assert explanation.startswith("CCG: Clinical commissioning group")
    assert "<" not in explanation  # plain text, never markup
    qtbot.waitUntil(QToolTip.isVisible, timeout=2000)
    assert "Clinical commissioning group" in QToolTip.text()


def test_hovering_plain_text_shows_no_explanation(qtbot, library):
    reader = _open(qtbot, library, "case-study:worsley-haslingden")
    position = _term_position(reader, "countryside")
    assert reader.anchorAt(position) == ""
    explained = []
    reader.term_explained.connect(lambda term, _text: explained.append(term))
    event = QHelpEvent(QEvent.Type.ToolTip, position, reader.viewport().mapToGlobal(position))
    QApplication.sendEvent(reader.viewport(), event)
    assert explained == []


@OFFSCREEN_TOOLTIP
def test_clicking_a_term_explains_it_and_does_not_navigate(qtbot, library):
    reader = _open(qtbot, library, "page:the-programme")
    opened = []
    reader.link_activated.connect(opened.append)
    position = _term_position(reader, "NIHR")
    with qtbot.waitSignal(reader.term_explained, timeout=2000) as shown:
        qtbot.mouseClick(reader.viewport(), Qt.MouseButton.LeftButton, pos=position)
    assert shown.args[0] == "NIHR"
    assert "National Institute for Health Research" in shown.args[1]
    assert opened == []
    assert reader.current_link == "page:the-programme"


def test_an_unknown_glossary_link_is_ignored(qtbot, library):
    reader = _open(qtbot, library, "page:the-programme")
    explained = []
    reader.term_explained.connect(lambda term, _text: explained.append(term))
    reader.anchorClicked.emit(QUrl("glossary:NOT-A-TERM"))
    assert explained == []
    assert reader.current_link == "page:the-programme"
