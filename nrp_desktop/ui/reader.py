"""The reader: shows one document of the library as rich text, with links that stay in the app."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QPoint, Qt, QUrl, Signal
from PySide6.QtGui import QColor, QCursor, QHelpEvent, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import QTextBrowser, QToolTip

from nrp_desktop.domain.content import (
    CaseStudy,
    ContentLibrary,
    Document,
    DomainPage,
    Lesson,
    ToolCard,
    ToolPlayer,
    make_link,
    split_link,
)
from nrp_desktop.domain.glossary import GlossaryEntry, glossary_link, split_terms, term_from_link
from nrp_desktop.ui.theme import domain_chips_html, ink, is_dark


def reader_css(base_points: float) -> str:
    """The reader's style, sized from the app's body text (so "large text" reaches it too)."""
    text, accent, muted = ink("#1A1A1A"), ink("#005A8C"), ink("#3D3D3D")
    return f"""
body {{ color: {text}; line-height: 140%; }}
h1 {{ font-size: {base_points * 1.75:.1f}pt; margin: 0 0 8px 0; }}
h2 {{ font-size: {base_points * 1.4:.1f}pt; margin: 24px 0 8px 0; }}
h3 {{ font-size: {base_points * 1.2:.1f}pt; margin: 16px 0 8px 0; }}
p, li {{ margin: 0 0 8px 0; }}
a {{ color: {accent}; text-decoration: underline; }}
a.term {{ color: {text}; }}
.meta {{ color: {muted}; }}
.summary {{ font-size: {base_points * 1.1:.1f}pt; }}
code {{ font-family: "DejaVu Sans"; color: {muted}; }}
"""



def tr(text: str) -> str:
    return QCoreApplication.translate("Reader", text)


def _links_html(library: ContentLibrary, kind: str, slugs: tuple[str, ...]) -> str:
    items = []
    for slug in slugs:
        document = library.find(kind, slug)
        if document is not None:
            items.append(f'<a href="{make_link(kind, slug)}">{html.escape(document.title)}</a>')
    return ", ".join(items)


def text_with_terms(text: str, glossary: tuple[GlossaryEntry, ...]) -> str:
    """Escaped `text` with its glossary terms marked as `glossary:` links (as the build does)."""
    parts = []
    for piece, term in split_terms(text, glossary):
        if term is None:
            parts.append(html.escape(piece))
        else:
            href = html.escape(glossary_link(term), quote=True)
            parts.append(f'<a class="term" href="{href}">{html.escape(piece)}</a>')
    return "".join(parts)


def document_html(library: ContentLibrary, kind: str, document: Document) -> str:
    """The page for one document: heading, facts at a glance, then the body."""
    parts = [f"<h1>{html.escape(document.title)}</h1>"]
    domains: tuple[str, ...] = getattr(document, "domains", ())
    # Each text asked for outside the f-strings: the extraction does not look inside them.
    if isinstance(document, CaseStudy):
        topic = tr("Topic")
        parts.append(
            f'<p class="meta">{html.escape(document.place)} · {html.escape(document.council)}'
            f"<br>{topic}: {html.escape(document.topic)}</p>"
        )
    if domains:
        parts.append(f"<p>{domain_chips_html(domains)}</p>")
    summary = getattr(document, "summary", "")
    if summary:
        parts.append(f'<p class="summary">{text_with_terms(summary, library.glossary)}</p>')
    if isinstance(document, Lesson):
        if document.programme_wide:
            drawn = tr("The whole programme, in all nine neighbourhoods")
        else:
            drawn = _links_html(library, "case-study", document.neighbourhoods)
        draws_on = tr("Draws on")
        parts.append(f"<p><b>{draws_on}:</b> {drawn}</p>")
        prompts = "".join(f"<li>{text_with_terms(p, library.glossary)}</li>" for p in document.try_this)
        try_this = tr("Try this in your area")
        parts.append(f"<h2>{try_this}</h2><ul>{prompts}</ul>")
    if isinstance(document, DomainPage):
        places = tr("Neighbourhoods")
        parts.append(
            f"<p><b>{places}:</b> "
            f"{_links_html(library, 'case-study', document.neighbourhoods)}</p>"
        )
    if isinstance(document, ToolPlayer):
        prompt = text_with_terms(document.prompt, library.glossary)
        absent = tr("If they are not in the room")
        parts.append(f"<p><b>{absent}:</b> {prompt}</p>")
    if isinstance(document, ToolCard | ToolPlayer) and document.lessons:
        lessons = tr("Lessons")
        parts.append(f"<p><b>{lessons}:</b> {_links_html(library, 'lesson', document.lessons)}</p>")
    parts.append(document.html)
    return "".join(parts)


TOOLTIP_WIDTH = 360  # pixels: a readable line for a sentence or two


def _tooltip_text(explanation: str) -> str:
    # QToolTip guesses whether text is rich; escaped text in a fixed-width cell always shows as
    # written, wrapped at a readable width instead of a narrow column.
    return f'<table><tr><td width="{TOOLTIP_WIDTH}">{html.escape(explanation)}</td></tr></table>'



class Reader(QTextBrowser):
    """Renders documents; internal links open in place, and nothing is ever fetched.

    Glossary terms (links `glossary:TERM`) explain themselves: on hover as a tooltip, and on a
    click, tap or Enter in a tooltip at the term."""

    link_activated = Signal(str)
    term_explained = Signal(str, str)  # term, the plain explanation shown

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.document().setDocumentMargin(24)
        self.anchorClicked.connect(self._on_anchor)
        self.setAccessibleName(tr("Page text"))
        # The caret moves through the text by keyboard too, so a screen reader can read it line
        # by line; links stay reachable by Tab.
        self.setTextInteractionFlags(self.textInteractionFlags()
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.current_link = ""
        self._glossary: dict[str, GlossaryEntry] = {}
        self._shown: tuple[ContentLibrary, bool] | None = None  # the library, and dark or not

    def explanation(self, term: str) -> str | None:
        entry = self._glossary.get(term)
        return entry.explanation() if entry else None

    def _explain(self, term: str, global_position: QPoint) -> bool:
        explanation = self.explanation(term)
        if explanation is None:
            return False
        QToolTip.showText(global_position, _tooltip_text(explanation), self.viewport())
        self.term_explained.emit(term, explanation)
        return True

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            term = term_from_link(self.anchorAt(event.pos()))
            if term and self._explain(term, event.globalPos()):
                return True
            QToolTip.hideText()
            event.ignore()
            return True
        return super().viewportEvent(event)

    def _mark_terms(self) -> None:
        """A dotted underline for glossary terms, so they read as explained words, not links."""
        document = self.document()
        block = document.begin()
        while block.isValid():
            iterator = block.begin()
            while not iterator.atEnd():
                fragment = iterator.fragment()
                if fragment.isValid() and term_from_link(fragment.charFormat().anchorHref()):
                    cursor = QTextCursor(document)
                    cursor.setPosition(fragment.position())
                    cursor.setPosition(fragment.position() + fragment.length(), QTextCursor.MoveMode.KeepAnchor)
                    marked = QTextCharFormat()
                    marked.setFontUnderline(True)
                    marked.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
                    marked.setForeground(QColor(ink("#1A1A1A")))
                    cursor.mergeCharFormat(marked)
                iterator += 1
            block = block.next()

    def loadResource(self, resource_type: int, name: QUrl) -> Any:
        return None  # no images or style sheets from anywhere: the app is offline

    def show_document(self, library: ContentLibrary, link: str) -> bool:
        parts = split_link(link)
        document = library.resolve(link) if parts else None
        if parts is None or document is None:
            return False
        self.document().setDefaultStyleSheet(reader_css(self.font().pointSizeF()))
        self._glossary = {entry.term: entry for entry in library.glossary}
        self.setHtml(document_html(library, parts[0], document))
        self._mark_terms()
        self.document().setMetaInformation(QTextDocument.MetaInformation.DocumentTitle, document.title)
        self.current_link = link
        self._shown = (library, is_dark())
        self._describe()
        return True

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        # The look changed (View ▸ Appearance): the page's colours are in its style, so show it
        # again in the new ones, where it was. Only when dark or light really changed.
        if event.type() == QEvent.Type.PaletteChange and self._shown is not None \
                and self._shown[1] != is_dark() and self.current_link:
            position = self.verticalScrollBar().value()
            self.show_document(self._shown[0], self.current_link)
            self.verticalScrollBar().setValue(position)

    def headings(self) -> list[tuple[int, str]]:
        """The page's headings as (level, text), in order: real <h1>…<h3> in the document."""
        found = []
        block = self.document().begin()
        while block.isValid():
            level = block.blockFormat().headingLevel()
            if level > 0 and block.text().strip():
                found.append((level, block.text().strip()))
            block = block.next()
        return found

    def links(self) -> list[tuple[str, str]]:
        """The page's links as (text, target), glossary terms apart."""
        found: list[tuple[str, str]] = []
        block = self.document().begin()
        while block.isValid():
            iterator = block.begin()
            while not iterator.atEnd():
                fragment = iterator.fragment()
                href = fragment.charFormat().anchorHref() if fragment.isValid() else ""
                if href and not term_from_link(href):
                    if found and found[-1][1] == href:  # one link split over formats
                        found[-1] = (found[-1][0] + fragment.text(), href)
                    else:
                        found.append((fragment.text(), href))
                iterator += 1
            block = block.next()
        return found

    def _describe(self) -> None:
        """What a screen reader is told about the page beyond its text: its outline and how
        many links it has (Tab moves from link to link, Enter opens one)."""
        outline = "; ".join(text for _level, text in self.headings())
        count = len(self.links())
        self.setAccessibleDescription(
            tr("Headings: %1. %2 links: Tab moves from link to link, Enter opens one.")
            .replace("%1", outline or tr("none")).replace("%2", str(count)))

    def _on_anchor(self, url: QUrl) -> None:
        link = url.toString()
        term = term_from_link(link)
        if term is not None:
            if self.viewport().underMouse():
                where = QCursor.pos()
            else:  # reached with the keyboard: at the focused term
                where = self.viewport().mapToGlobal(self.cursorRect().bottomLeft())
            self._explain(term, where)
            return
        if split_link(link) is not None:
            self.link_activated.emit(link)
