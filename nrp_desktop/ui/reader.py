"""The reader: shows one document of the library as rich text, with links that stay in the app."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QCoreApplication, QUrl, Signal
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QTextBrowser

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
from nrp_desktop.ui.theme import domain_chips_html


def reader_css(base_points: float) -> str:
    """The reader's style, sized from the app's body text (so "large text" reaches it too)."""
    return f"""
body {{ color: #1A1A1A; line-height: 140%; }}
h1 {{ font-size: {base_points * 1.75:.1f}pt; margin: 0 0 8px 0; }}
h2 {{ font-size: {base_points * 1.4:.1f}pt; margin: 24px 0 8px 0; }}
h3 {{ font-size: {base_points * 1.2:.1f}pt; margin: 16px 0 8px 0; }}
p, li {{ margin: 0 0 8px 0; }}
a {{ color: #005A8C; text-decoration: underline; }}
.meta {{ color: #3D3D3D; }}
.summary {{ font-size: {base_points * 1.1:.1f}pt; }}
code {{ font-family: "DejaVu Sans"; color: #3D3D3D; }}
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


def document_html(library: ContentLibrary, kind: str, document: Document) -> str:
    """The page for one document: heading, facts at a glance, then the body."""
    parts = [f"<h1>{html.escape(document.title)}</h1>"]
    domains: tuple[str, ...] = getattr(document, "domains", ())
    if isinstance(document, CaseStudy):
        parts.append(
            f'<p class="meta">{html.escape(document.place)} · {html.escape(document.council)}'
            f"<br>{tr('Topic')}: {html.escape(document.topic)}</p>"
        )
    if domains:
        parts.append(f"<p>{domain_chips_html(domains)}</p>")
    summary = getattr(document, "summary", "")
    if summary:
        parts.append(f'<p class="summary">{html.escape(summary)}</p>')
    if isinstance(document, Lesson):
        if document.programme_wide:
            drawn = tr("The whole programme, in all nine neighbourhoods")
        else:
            drawn = _links_html(library, "case-study", document.neighbourhoods)
        parts.append(f"<p><b>{tr('Draws on')}:</b> {drawn}</p>")
        prompts = "".join(f"<li>{html.escape(p)}</li>" for p in document.try_this)
        parts.append(f"<h2>{tr('Try this in your area')}</h2><ul>{prompts}</ul>")
    if isinstance(document, DomainPage):
        parts.append(
            f"<p><b>{tr('Neighbourhoods')}:</b> "
            f"{_links_html(library, 'case-study', document.neighbourhoods)}</p>"
        )
    if isinstance(document, ToolPlayer):
        parts.append(f"<p><b>{tr('If they are not in the room')}:</b> {html.escape(document.prompt)}</p>")
    if isinstance(document, ToolCard | ToolPlayer) and document.lessons:
        parts.append(f"<p><b>{tr('Lessons')}:</b> {_links_html(library, 'lesson', document.lessons)}</p>")
    parts.append(document.html)
    return "".join(parts)


class Reader(QTextBrowser):
    """Renders documents; internal links open in place, and nothing is ever fetched."""

    link_activated = Signal(str)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.document().setDocumentMargin(24)
        self.anchorClicked.connect(self._on_anchor)
        self.setAccessibleName(tr("Page text"))
        self.current_link = ""

    def loadResource(self, resource_type: int, name: QUrl) -> Any:
        return None  # no images or style sheets from anywhere: the app is offline

    def show_document(self, library: ContentLibrary, link: str) -> bool:
        parts = split_link(link)
        document = library.resolve(link) if parts else None
        if parts is None or document is None:
            return False
        self.document().setDefaultStyleSheet(reader_css(self.font().pointSizeF()))
        self.setHtml(document_html(library, parts[0], document))
        self.document().setMetaInformation(QTextDocument.MetaInformation.DocumentTitle, document.title)
        self.current_link = link
        return True

    def _on_anchor(self, url: QUrl) -> None:
        link = url.toString()
        if split_link(link) is not None:
            self.link_activated.emit(link)
