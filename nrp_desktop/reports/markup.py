"""Text into reportlab flowables: the one pipeline from the content's HTML (and from the group's
own plain words) to paragraphs, headings and lists in a PDF.

The content build stores sanitised HTML with a small set of tags: p, h2, h3, h4, ul, ol, li,
strong, em, code, a, blockquote, br. Anything else is treated as a plain container, so a tag
the build lets through later still prints its words. Text holding right-to-left letters goes to
`bidi.ScriptParagraph`; everything else to reportlab's Paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from html import unescape
from html.parser import HTMLParser
from typing import Any, cast
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, ListFlowable, ListItem, Spacer
from reportlab.platypus import Paragraph as _ReportlabParagraph

from nrp_desktop.domain.content import split_link
from nrp_desktop.reports.bidi import ScriptParagraph, has_rtl
from nrp_desktop.reports.fonts import (
    EMOJI,
    SANS,
    SANS_BOLD,
    SANS_ITALIC,
    emoji_runs,
    printable_emoji,
    register_fonts,
)

INK = colors.HexColor("#1A1A1A")  # near-black body text (design.md)
MUTED = colors.HexColor("#4D4D4D")  # secondary text; still 8:1 on white, prints solid grey

_BLOCK_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li",
                         "blockquote", "div", "section", "table"})
_VOID_TAGS = frozenset({"br", "hr", "img", "wbr"})
_WHITESPACE = re.compile(r"\s+")


@lru_cache(maxsize=4096)
def _parsed_fragments(text: str, style: ParagraphStyle) -> list[Any]:
    """reportlab's parse of a paragraph's markup (styles hash by identity, so each style of
    each document has its own entries). reportlab only reads the fragments; line breaking
    makes new ones, so one parse can serve every paragraph with the same words."""
    return cast(list[Any], _ReportlabParagraph(text, style).frags)


class Paragraph(_ReportlabParagraph):
    """reportlab's Paragraph, remembering its last line breaking.

    Tables and wrappers measure a cell again before drawing it, with the same width; breaking
    the lines once instead of twice makes the handout markedly faster. The result depends only
    on the width (reportlab ignores the height here), so it is reused only for the same width.
    """

    _wrapped_width: float | None = None

    def __init__(self, text: str | None, style: ParagraphStyle, **kwargs: object) -> None:
        if kwargs or text is None:  # reportlab's own calls, when it splits a paragraph
            super().__init__(text, style, **kwargs)
        else:  # a handout repeats many paragraphs word for word: parse each once
            super().__init__(text, style, frags=_parsed_fragments(text, style))

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        # split() drops blPara when the paragraph must move on whole: then break again.
        if availWidth == self._wrapped_width and "blPara" in self.__dict__:
            return self.width, self.height
        size: tuple[float, float] = super().wrap(availWidth, availHeight)
        self._wrapped_width = availWidth
        return size


@dataclass(frozen=True)
class TextStyles:
    """The paragraph styles every report shares, all in the bundled fonts."""

    size: float  # body font size in points
    space: float  # the room between blocks, as a share of the usual
    body: ParagraphStyle
    small: ParagraphStyle
    title: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    h4: ParagraphStyle
    quote: ParagraphStyle
    list_item: ParagraphStyle


def make_text_styles(size: float = 10.5, line_height: float = 1.4,
                     space: float = 1.0) -> TextStyles:
    """Styles from one body size; `space` scales the room between blocks (large print: more)."""
    register_fonts()

    def style(name: str, font: str = SANS, scale: float = 1.0, before: float = 0.0,
              after: float = 0.0, keep: bool = False, colour: colors.Color = INK,
              **extra: object) -> ParagraphStyle:
        font_size = round(size * scale, 1)
        return ParagraphStyle(
            name, fontName=font, fontSize=font_size, leading=round(font_size * line_height, 1),
            spaceBefore=before * size * space, spaceAfter=after * size * space,
            textColor=colour, alignment=TA_LEFT, keepWithNext=int(keep),
            bulletFontName=SANS, bulletFontSize=font_size, splitLongWords=1, **extra,
        )

    return TextStyles(
        size=size,
        space=space,
        body=style("body", after=0.55),
        small=style("small", scale=0.86, after=0.35, colour=MUTED),
        title=style("title", SANS_BOLD, scale=1.9, after=0.5, keep=True),
        h1=style("h1", SANS_BOLD, scale=1.55, before=1.1, after=0.5, keep=True),
        h2=style("h2", SANS_BOLD, scale=1.3, before=0.9, after=0.4, keep=True),
        h3=style("h3", SANS_BOLD, scale=1.12, before=0.7, after=0.3, keep=True),
        h4=style("h4", SANS_BOLD, scale=1.0, before=0.6, after=0.25, keep=True),
        quote=style("quote", SANS_ITALIC, after=0.55, leftIndent=size * 1.6,
                    rightIndent=size * 1.6),
        list_item=style("list_item", after=0.25),
    )


# --- the group's own words -----------------------------------------------------------------


def text_flowable(text: str, style: ParagraphStyle, direction: str | None = None) -> Flowable:
    """Plain text as typed (any script), kept exactly; line breaks are kept as line breaks."""
    if has_rtl(text):
        return ScriptParagraph([(text, False)], style, direction)
    return Paragraph(plain_markup(text), style)


def labelled_flowable(label: str, text: str, style: ParagraphStyle, rtl: bool = False) -> Flowable:
    """"Label: text", the label bold; the line reads in the label's direction (left to right,
    or right to left when `rtl`: a handout in Urdu) whatever script follows."""
    if has_rtl(text) or has_rtl(label):
        return ScriptParagraph([(label + " ", True), (text, False)], style,
                               direction="rtl" if rtl else "ltr")
    return Paragraph(f"<b>{escape(label)}</b> {plain_markup(text)}", style)


def labelled_parts(parts: list[tuple[str, str]], style: ParagraphStyle,
                   separator: str = "  ·  ", rtl: bool = False) -> Flowable:
    """Several "Label: text" pairs on one line, e.g. "Who: … · By when: …"; empty texts are
    left out. Reads in the labels' direction whatever script the texts are in."""
    shown = [(label, text) for label, text in parts if text.strip()]
    if any(has_rtl(text) or has_rtl(label) for label, text in shown):
        segments: list[tuple[str, bool]] = []
        for index, (label, text) in enumerate(shown):
            segments += [((separator if index else "") + label + " ", True), (text, False)]
        return ScriptParagraph(segments, style, direction="rtl" if rtl else "ltr")
    return Paragraph(separator.join(f"<b>{escape(label)}</b> {plain_markup(text)}"
                                    for label, text in shown), style)


def plain_markup(text: str) -> str:
    """Plain words as Paragraph markup: escaped, line breaks kept, emoji in the emoji font."""
    parts = []
    for piece, emoji in emoji_runs(text):
        if emoji:
            parts.append(f'<font face="{EMOJI}">{escape(printable_emoji(piece))}</font>')
        else:
            parts.append("<br/>".join(escape(line) for line in piece.split("\n")))
    return "".join(parts)


# --- sanitised HTML ------------------------------------------------------------------------


@dataclass
class _Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[_Node | str] = field(default_factory=list)


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("root")
        self._stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = _Node(tag, {key: value or "" for key, value in attrs})
        self._stack[-1].children.append(node)
        if tag not in _VOID_TAGS:
            self._stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._stack[-1].children.append(_Node(tag, {key: value or "" for key, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        # Close up to the matching tag; a stray end tag is ignored rather than breaking the tree.
        for depth in range(len(self._stack) - 1, 0, -1):
            if self._stack[depth].tag == tag:
                del self._stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self._stack[-1].children.append(data)


def parse_html(html: str) -> _Node:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


LinkText = Callable[[str, str], str]


def _default_link_text(href: str, text: str) -> str:
    """On paper an internal link is just its words; a web link also shows where it goes."""
    if split_link(href) is not None or not href.startswith(("http://", "https://")):
        return text
    return text if text.strip() == href else f"{text} ({href})"


class _Inline:
    """Inline content gathered twice: as Paragraph markup, and as (text, bold) segments for
    right-to-left text, which Paragraph cannot order."""

    def __init__(self) -> None:
        self.markup: list[str] = []
        self.segments: list[tuple[str, bool]] = []

    def text(self, value: str, bold: bool) -> None:
        value = _WHITESPACE.sub(" ", value)
        if not value:
            return
        self.markup.append(escape(value))
        self.segments.append((value, bold))

    def raw(self, markup: str, plain: str, bold: bool) -> None:
        self.markup.append(markup)
        self.segments.append((plain, bold))

    @property
    def plain(self) -> str:
        return "".join(text for text, _ in self.segments)

    def is_empty(self) -> bool:
        return not self.plain.strip()


class HtmlConverter:
    """Sanitised HTML → flowables in the given styles."""

    def __init__(self, styles: TextStyles, link_text: LinkText = _default_link_text) -> None:
        self.styles = styles
        self.link_text = link_text

    def convert(self, html: str) -> list[Flowable]:
        return self._blocks(parse_html(html).children, self.styles.body)

    # Blocks

    def _blocks(self, children: list[_Node | str], style: ParagraphStyle) -> list[Flowable]:
        flowables: list[Flowable] = []
        pending = _Inline()  # loose inline content between blocks becomes its own paragraph

        def flush() -> None:
            nonlocal pending
            if not pending.is_empty():
                flowables.append(self._paragraph(pending, style))
            pending = _Inline()

        for child in children:
            if isinstance(child, str) or child.tag not in _BLOCK_TAGS:
                self._inline(child, pending, bold=False, italic=False)
                continue
            flush()
            flowables.extend(self._block(child, style))
        flush()
        return flowables

    def _block(self, node: _Node, style: ParagraphStyle) -> list[Flowable]:
        styles = self.styles
        if node.tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            heading = {"h1": styles.h1, "h2": styles.h2, "h3": styles.h3}.get(node.tag, styles.h4)
            inline = self._inline_of(node)
            return [] if inline.is_empty() else [self._paragraph(inline, heading)]
        if node.tag in ("ul", "ol"):
            return self._list(node)
        if node.tag == "blockquote":
            return self._blocks(node.children, styles.quote)
        if node.tag == "p":
            inline = self._inline_of(node)
            return [] if inline.is_empty() else [self._paragraph(inline, style)]
        return self._blocks(node.children, style)  # div, section, li outside a list…

    def _list(self, node: _Node) -> list[Flowable]:
        styles = self.styles
        items: list[ListItem] = []
        for child in node.children:
            if isinstance(child, str):
                if child.strip():
                    items.append(ListItem(text_flowable(child.strip(), styles.list_item)))
                continue
            content = self._blocks(child.children, styles.list_item)
            if content:
                items.append(ListItem(content if len(content) > 1 else content[0]))
        if not items:
            return []
        ordered = node.tag == "ol"
        size = styles.size
        return [ListFlowable(
            items,
            bulletType="1" if ordered else "bullet",
            bulletFormat="%s." if ordered else None,
            start=node.attrs.get("start") or ("1" if ordered else "•"),
            bulletFontName=SANS,
            bulletFontSize=size,
            bulletColor=colors.HexColor("#1A1A1A"),
            leftIndent=size * 1.7,
            bulletDedent="auto",
            spaceAfter=size * 0.45 * styles.space,
        )]

    # Inline

    def _inline_of(self, node: _Node) -> _Inline:
        inline = _Inline()
        for child in node.children:
            self._inline(child, inline, bold=False, italic=False)
        return inline

    def _inline(self, node: _Node | str, inline: _Inline, bold: bool, italic: bool) -> None:
        if isinstance(node, str):
            inline.text(node, bold)
            return
        tag = node.tag
        if tag == "br":
            inline.raw("<br/>", "\n", bold)
            return
        if tag in _VOID_TAGS:
            return
        if tag == "a":
            words = _Inline()
            for child in node.children:
                self._inline(child, words, bold, italic)
            shown = self.link_text(node.attrs.get("href", ""), words.plain)
            if shown == words.plain:
                inline.markup.extend(words.markup)
                inline.segments.extend(words.segments)
            else:
                inline.text(shown, bold)
            return
        opening, closing = {
            "strong": ("<b>", "</b>"), "b": ("<b>", "</b>"),
            "em": ("<i>", "</i>"), "i": ("<i>", "</i>"),
        }.get(tag, ("", ""))
        inline.markup.append(opening)
        child_bold = bold or tag in ("strong", "b")
        child_italic = italic or tag in ("em", "i")
        for child in node.children:
            self._inline(child, inline, child_bold, child_italic)
        inline.markup.append(closing)

    def _paragraph(self, inline: _Inline, style: ParagraphStyle) -> Flowable:
        plain = inline.plain
        if has_rtl(plain):
            return ScriptParagraph(_trim_segments(inline.segments), style)
        return Paragraph("".join(inline.markup).strip(), style)


def _trim_segments(segments: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    trimmed = list(segments)
    if trimmed:
        trimmed[0] = (trimmed[0][0].lstrip(), trimmed[0][1])
        trimmed[-1] = (trimmed[-1][0].rstrip(), trimmed[-1][1])
    return trimmed


def html_to_flowables(html: str, styles: TextStyles,
                      link_text: LinkText = _default_link_text) -> list[Flowable]:
    """The flowables for a piece of sanitised content HTML."""
    return HtmlConverter(styles, link_text).convert(html)


def html_sections(html: str) -> list[tuple[str, str]]:
    """The HTML cut at its h2 headings: [(heading text, the HTML under it)], in order.

    Text before the first heading comes first with an empty heading.
    """
    parts = re.split(r"<h2[^>]*>(.*?)</h2>", html, flags=re.DOTALL)
    sections: list[tuple[str, str]] = []
    if parts[0].strip():
        sections.append(("", parts[0]))
    for index in range(1, len(parts) - 1, 2):
        heading = " ".join(re.sub(r"<[^>]+>", "", parts[index]).split())
        sections.append((unescape(heading), parts[index + 1]))
    return sections


def vertical_space(styles: TextStyles, lines: float) -> Spacer:
    return Spacer(1, styles.body.leading * lines)
