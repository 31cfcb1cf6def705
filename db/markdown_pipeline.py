"""Markdown → sanitised HTML: the one way content text becomes something to show or print.

The build stores the HTML; the screens show it in a QTextBrowser and the handout turns it into
reportlab flowables (nrp_desktop/reports/markup.py). Raw HTML in a source is escaped, and only a
small set of tags survives; a link survives only when it is internal ("lesson:slug").
HTML comments are review notes for writers (`<!-- sequence-checked: … -->`) and are dropped.
Uses of glossary terms in running text become `glossary:TERM` links that the reader explains.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import markdown

from nrp_desktop.domain.content import split_link
from nrp_desktop.domain.glossary import GlossaryEntry, glossary_link, split_terms

ALLOWED_TAGS = frozenset(
    {"p", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "code", "a", "blockquote", "br"}
)
VOID_TAGS = frozenset({"br"})
# Inside these, text stays as written: no glossary links in headings, links or code.
NO_TERMS_INSIDE = frozenset({"a", "code", "h2", "h3", "h4"})
HTML_COMMENT = re.compile(r"[ \t]*<!--.*?-->", re.DOTALL)


# What the plain text puts after a heading or list item that has no punctuation of its own.
_ENDS_A_PHRASE = {"h2": ".", "h3": ".", "h4": ".", "li": ";"}
_PUNCTUATION = frozenset(".,;:!?…)]\"'”’")


@dataclass
class RenderedMarkdown:
    html: str
    plain_text: str
    links: list[str] = field(default_factory=list)  # internal link targets, in order
    dropped_links: list[str] = field(default_factory=list)  # anything else, for the build to report
    terms: list[str] = field(default_factory=list)  # glossary terms marked, in order


def _markdown() -> markdown.Markdown:
    md = markdown.Markdown(extensions=["sane_lists"], output_format="html")
    # Raw HTML in a source is shown as text, never passed through.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md


class _Sanitiser(HTMLParser):
    def __init__(self, glossary: tuple[GlossaryEntry, ...] = ()) -> None:
        super().__init__(convert_charrefs=True)
        self.glossary = glossary
        self.terms: list[str] = []
        self._plain_depth = 0  # how many NO_TERMS_INSIDE elements are open
        self.out: list[str] = []
        self.text: list[str] = []
        self.links: list[str] = []
        self.dropped: list[str] = []
        self._open_links: list[bool] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            return
        if tag in NO_TERMS_INSIDE:
            self._plain_depth += 1
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
        if tag in NO_TERMS_INSIDE and self._plain_depth:
            self._plain_depth -= 1
        if tag == "a":
            if self._open_links and self._open_links.pop():
                self.out.append("</a>")
            return
        self.out.append(f"</{tag}>")
        if tag in _ENDS_A_PHRASE:
            self._end_phrase(_ENDS_A_PHRASE[tag])

    def _end_phrase(self, mark: str) -> None:
        """A heading or list item ends with punctuation in the plain text, so a search snippet
        never runs "Questions to ask Where do people go" together."""
        for piece in reversed(self.text):
            stripped = piece.rstrip()
            if stripped:
                if stripped[-1] not in _PUNCTUATION:
                    self.text.append(mark)
                return
            if piece == "\n":
                return

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._plain_depth or not self.glossary:
            self.out.append(html.escape(data, quote=False))
            return
        for piece, term in split_terms(data, self.glossary):
            if term is None:
                self.out.append(html.escape(piece, quote=False))
            else:
                self.terms.append(term)
                href = html.escape(glossary_link(term), quote=True)
                self.out.append(f'<a class="term" href="{href}">{html.escape(piece, quote=False)}</a>')


def strip_comments(source: str) -> str:
    """The source without its HTML comments (writers' review notes)."""
    return HTML_COMMENT.sub("", source)


def render_markdown(source: str, glossary: tuple[GlossaryEntry, ...] = ()) -> RenderedMarkdown:
    raw = _markdown().convert(strip_comments(source))
    sanitiser = _Sanitiser(glossary)
    sanitiser.feed(raw)
    sanitiser.close()
    plain = " ".join("".join(sanitiser.text).split())
    return RenderedMarkdown(
        "".join(sanitiser.out), plain, sanitiser.links, sanitiser.dropped, sanitiser.terms
    )


def inline_markdown_to_text(source: str) -> str:
    """Front-matter strings may use *emphasis*; the plain words are what is searched."""
    return render_markdown(source).plain_text
