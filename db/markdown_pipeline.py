"""Markdown → sanitised HTML: the one way content text becomes something to show or print.

The build stores the HTML; the screens show it in a QTextBrowser and the handout turns it into
reportlab flowables (nrp_desktop/reports/markup.py). Raw HTML in a source is escaped, and only a
small set of tags survives; a link survives only when it is internal ("lesson:slug").
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from html.parser import HTMLParser

import markdown

from nrp_desktop.domain.content import split_link

ALLOWED_TAGS = frozenset(
    {"p", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "code", "a", "blockquote", "br"}
)
VOID_TAGS = frozenset({"br"})


@dataclass
class RenderedMarkdown:
    html: str
    plain_text: str
    links: list[str] = field(default_factory=list)  # internal link targets, in order
    dropped_links: list[str] = field(default_factory=list)  # anything else, for the build to report


def _markdown() -> markdown.Markdown:
    md = markdown.Markdown(extensions=["sane_lists"], output_format="html")
    # Raw HTML in a source is shown as text, never passed through.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md


class _Sanitiser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.text: list[str] = []
        self.links: list[str] = []
        self.dropped: list[str] = []
        self._open_links: list[bool] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            return
        if tag == "a":
            href = dict(attrs).get("href") or ""
            keep = split_link(href) is not None
            self._open_links.append(keep)
            if keep:
                self.links.append(href)
                self.out.append(f'<a href="{html.escape(href, quote=True)}">')
            else:
                self.dropped.append(href)
            return
        self.out.append(f"<{tag}>")
        if tag in {"p", "h2", "h3", "h4", "li", "br"}:
            self.text.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag not in ALLOWED_TAGS or tag in VOID_TAGS:
            return
        if tag == "a":
            if self._open_links and self._open_links.pop():
                self.out.append("</a>")
            return
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.out.append(html.escape(data, quote=False))
        self.text.append(data)


def render_markdown(source: str) -> RenderedMarkdown:
    raw = _markdown().convert(source)
    sanitiser = _Sanitiser()
    sanitiser.feed(raw)
    sanitiser.close()
    plain = " ".join("".join(sanitiser.text).split())
    return RenderedMarkdown("".join(sanitiser.out), plain, sanitiser.links, sanitiser.dropped)


def inline_markdown_to_text(source: str) -> str:
    """Front-matter strings may use *emphasis*; the plain words are what is searched."""
    return render_markdown(source).plain_text
