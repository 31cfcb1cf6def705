"""The accessible HTML handout (contract 5.5; issue 16, item 5), read back with html.parser."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from conftest import EXAMPLE_SESSION, example_session, run_cli

from nrp_desktop.domain.content import ContentLibrary
from nrp_desktop.domain.session import Action, Priority, Session
from nrp_desktop.i18n import Speaker
from nrp_desktop.services.handout import build_handout_data, handout_html

HOSTILE = '<script>alert(1)</script><img src="https://evil.example/x.png">&amp; "quoted"'


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""
    children: list[Element] = field(default_factory=list)


class TreeParser(HTMLParser):
    VOID = frozenset({"meta", "br", "img", "link", "hr", "input"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("root", {})
        self.stack = [self.root]
        self.all: list[Element] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {key: value or "" for key, value in attrs})
        self.stack[-1].children.append(element)
        self.all.append(element)
        if tag not in self.VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        for element in self.stack:
            element.text += data


def parse(html: str) -> TreeParser:
    parser = TreeParser()
    parser.feed(html)
    parser.close()
    assert parser.stack == [parser.root], "every element is closed"
    return parser


def words(text: str) -> str:
    return " ".join(text.split())


def found(parser: TreeParser, tag: str) -> list[Element]:
    return [element for element in parser.all if element.tag == tag]


def test_the_html_handout_has_lang_headings_lists_and_tables_with_header_cells(
    library: ContentLibrary,
) -> None:
    session = example_session()
    session.language = "pl"
    # Polish speaks Polish (checked below); the structure is checked on the English handout.
    polish_parser = parse(handout_html(session, library))
    assert found(polish_parser, "html")[0].attrs["lang"] == "pl"
    english = ["How the group rated the five domains", "Your priorities", "What happens next"]
    polish = Speaker("pl")
    assert [words(element.text) for element in found(polish_parser, "h2")] == [
        polish.gettext(heading) for heading in english]
    assert not {words(element.text) for element in found(polish_parser, "h2")} & set(english)
    session.language = "en"
    data = build_handout_data(session, library)
    html = handout_html(session, library)
    parser = parse(html)
    assert html.startswith("<!DOCTYPE html>")
    assert re.search(r"https?://", html) is None  # no remote resource, no web address at all
    assert not found(parser, "script") and not found(parser, "img")
    assert found(parser, "html")[0].attrs["lang"] == "en"
    assert words(found(parser, "h1")[0].text) == session.title
    h2 = [words(element.text) for element in found(parser, "h2")]
    assert h2 == english
    h3 = [words(element.text) for element in found(parser, "h3")]
    assert h3 == [f"{p.rank}. {p.title}" for p in data.priorities]
    # Every priority's votes, domains, actions and a lesson with its summary and places.
    articles = found(parser, "article")
    assert len(articles) == len(data.priorities)
    for article, priority in zip(articles, data.priorities, strict=True):
        text = words(article.text)
        assert f"{priority.votes} votes" in text
        items = [words(li.text) for ul in article.children if ul.tag == "ul"
                 for li in ul.children]
        for slug in priority.domains:
            assert slug.replace("-", " ").capitalize() in items
        for action in priority.actions:
            assert action.what in text and action.who in text
        lesson = priority.lessons[0]
        assert lesson.title in text
        if "printed in full above" not in text:
            assert words(lesson.summary) in text
            assert any(place in text for place in lesson.neighbourhoods)
    # The compass as a table of scores, with header cells.
    tables = found(parser, "table")
    compass = next(table for table in tables if "Domain" in table.text and "Score" in table.text)
    headers = [element for element in parser.all if element.tag == "th"
               and element in _descendants(compass)]
    assert {words(th.text) for th in headers if th.attrs.get("scope") == "col"} == {
        "Domain", "Score"}
    rows = {words(th.text) for th in headers if th.attrs.get("scope") == "row"}
    assert rows == {"Social connectedness", "Cultural coherence", "Economic resources",
                    "Environmental conditions", "Governance systems"}
    for slug, score in session.ratings.items():
        assert f"{score} of 7" in compass.text, slug
    assert all(th.attrs.get("scope") in {"col", "row", "rowgroup"} for th in found(parser, "th"))
    assert all(table.children and table.children[0].tag == "caption" for table in tables)


def _descendants(element: Element) -> list[Element]:
    result: list[Element] = []
    for child in element.children:
        result.append(child)
        result += _descendants(child)
    return result


def test_the_html_handout_is_self_contained_and_escapes_every_text(
    library: ContentLibrary,
) -> None:
    import datetime as dt

    session = Session(
        title=HOSTILE, date=dt.date(2026, 4, 2), venue=HOSTILE, facilitator=HOSTILE,
        ratings={"social-connectedness": 4}, groups=[HOSTILE[:100]],
        priorities=[Priority(title=HOSTILE, description=HOSTILE, group=HOSTILE[:100],
                             actions=[Action(what=HOSTILE, who=HOSTILE, when=HOSTILE)]),
                    Priority(title="بجٹ 1,234 پاؤنڈ")],
    )
    html = handout_html(session, library)
    parser = parse(html)
    assert not found(parser, "script") and not found(parser, "img")
    assert not found(parser, "link") and not found(parser, "iframe")
    # The address in the title stays words on the page, never a resource or a link.
    assert not any("http" in value for element in parser.all for value in element.attrs.values())
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert words(found(parser, "h1")[0].text) == HOSTILE  # shown as the words typed
    assert not any(name.startswith("on") for element in parser.all for name in element.attrs)
    urdu = next(h3 for h3 in found(parser, "h3") if "بجٹ" in h3.text)
    assert any(child.attrs.get("dir") == "auto" for child in urdu.children)


def test_report_writes_html_when_the_output_ends_in_html(tmp_path: Path) -> None:
    target = tmp_path / "handout.html"
    result = run_cli("report", str(EXAMPLE_SESSION), "-o", str(target))
    assert result.returncode == 0, result.stderr
    parser = parse(target.read_text(encoding="utf-8"))
    assert found(parser, "html")[0].attrs["lang"] == "en"
    assert words(found(parser, "h2")[1].text) == "Your priorities"
    assert not list(tmp_path.glob("*.pdf"))
