"""The bundled content as plain dataclasses.

The content build fills these from the Markdown sources; the content database stores them; the
services hand them to the screens and the handout. Front-matter fields are the dataclass fields
that have no default (plus the ones marked optional in `FRONT_MATTER_OPTIONAL`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Literal

from nrp_desktop.domain.everyday import EverydayWord
from nrp_desktop.domain.glossary import GlossaryEntry

# Kinds of document, as used in internal links ("lesson:resident-led-enquiries").
DocumentKind = Literal[
    "case-study", "domain", "page", "lesson", "tool-step", "tool-card", "tool-player"
]
DOCUMENT_KINDS: tuple[str, ...] = (
    "case-study", "domain", "page", "lesson", "tool-step", "tool-card", "tool-player"
)
# The kinds that search reports (contract §3): domains are pages, cards and players tool steps.
SEARCH_KIND = {
    "case-study": "case-study",
    "lesson": "lesson",
    "page": "page",
    "domain": "page",
    "tool-step": "tool-step",
    "tool-card": "tool-step",
    "tool-player": "tool-step",
}


def make_link(kind: str, slug: str) -> str:
    return f"{kind}:{slug}"


def split_link(link: str) -> tuple[str, str] | None:
    """("lesson", "slug") for an internal link, None for anything else."""
    kind, sep, slug = link.partition(":")
    if not sep or kind not in DOCUMENT_KINDS or not slug:
        return None
    return kind, slug


@dataclass(frozen=True)
class CaseStudy:
    slug: str
    title: str
    place: str
    council: str
    domains: tuple[str, ...]
    topic: str
    summary: str
    sources: tuple[str, ...]
    html: str = ""
    word_count: int = 0


@dataclass(frozen=True)
class DomainPage:
    slug: str
    title: str
    mark: str
    colour: str
    summary: str
    neighbourhoods: tuple[str, ...]
    html: str = ""


@dataclass(frozen=True)
class Page:
    slug: str
    title: str
    summary: str
    order: int
    html: str = ""


@dataclass(frozen=True)
class Lesson:
    slug: str
    number: int
    title: str
    domains: tuple[str, ...]
    neighbourhoods: tuple[str, ...]
    programme_wide: bool
    summary: str
    try_this: tuple[str, ...]
    keywords: tuple[str, ...]
    html: str = ""


@dataclass(frozen=True)
class ToolStep:
    slug: str
    number: int
    title: str
    summary: str
    html: str = ""


@dataclass(frozen=True)
class CardExample:
    neighbourhood: str
    actions: tuple[str, ...]
    challenges: tuple[str, ...]
    impacts: tuple[str, ...]


@dataclass(frozen=True)
class ToolCard:
    slug: str
    title: str
    short: str
    domains: tuple[str, ...]
    lessons: tuple[str, ...]
    questions: tuple[str, ...]
    examples: tuple[CardExample, ...]
    html: str = ""


@dataclass(frozen=True)
class ToolPlayer:
    slug: str
    title: str
    short: str
    prompt: str
    lessons: tuple[str, ...]
    neighbourhoods: tuple[str, ...]
    html: str = ""


Document = CaseStudy | DomainPage | Page | Lesson | ToolStep | ToolCard | ToolPlayer
DOCUMENT_TYPES: dict[str, type[Document]] = {
    "case-study": CaseStudy,
    "domain": DomainPage,
    "page": Page,
    "lesson": Lesson,
    "tool-step": ToolStep,
    "tool-card": ToolCard,
    "tool-player": ToolPlayer,
}
# Source folders under resources/content, per kind.
SOURCE_FOLDERS: dict[str, str] = {
    "case-study": "case-studies",
    "domain": "domains",
    "page": "pages",
    "lesson": "lessons",
    "tool-step": "tool/steps",
    "tool-card": "tool/cards",
    "tool-player": "tool/players",
}
# Markdown sections each kind must have, in order.
REQUIRED_SECTIONS: dict[str, tuple[str, ...]] = {
    "case-study": (
        "The place", "Who took part", "How the topic was chosen", "What they did",
        "What changed", "Challenges", "Lessons", "Sources",
    ),
    "domain": ("What it means", "Where the neighbourhoods show it", "Questions to ask"),
    "lesson": ("Where this comes from",),
}


def document_from_data(kind: str, data: dict[str, Any], html: str = "") -> Document:
    """A document of `kind` from its front matter (as parsed from TOML or stored as JSON):
    lists become tuples and card examples become CardExample."""
    cls = DOCUMENT_TYPES[kind]
    names = {f.name for f in fields(cls) if f.name not in ("html", "word_count")}
    values: dict[str, Any] = {}
    for name, value in data.items():
        if name not in names and name != "word_count":
            continue
        if name == "examples":
            value = tuple(
                CardExample(
                    neighbourhood=example["neighbourhood"],
                    actions=tuple(example["actions"]),
                    challenges=tuple(example["challenges"]),
                    impacts=tuple(example["impacts"]),
                )
                for example in value
            )
        elif isinstance(value, list):
            value = tuple(value)
        values[name] = value
    document: Document = cls(**values, html=html)
    return document


@dataclass(frozen=True)
class SearchHit:
    kind: str  # the contract's kind: case-study, lesson, page or tool-step
    slug: str
    title: str
    snippet: str  # plain text; matches are marked by the caller from `spans`
    link: str  # the internal link that opens it ("tool-card:debt-and-money-worries")
    score: float
    spans: tuple[tuple[int, int], ...] = field(default=())  # matched ranges within snippet


@dataclass(frozen=True)
class ContentLibrary:
    """All bundled content, loaded once; small enough to keep in memory."""

    version: str
    case_studies: tuple[CaseStudy, ...]
    domains: tuple[DomainPage, ...]
    pages: tuple[Page, ...]
    lessons: tuple[Lesson, ...]
    tool_steps: tuple[ToolStep, ...]
    tool_cards: tuple[ToolCard, ...]
    tool_players: tuple[ToolPlayer, ...]
    glossary: tuple[GlossaryEntry, ...] = ()
    everyday_words: tuple[EverydayWord, ...] = ()

    def glossary_entry(self, term: str) -> GlossaryEntry | None:
        for entry in self.glossary:
            if entry.term == term:
                return entry
        return None

    def documents(self, kind: str) -> tuple[Document, ...]:
        by_kind: dict[str, tuple[Document, ...]] = {
            "case-study": self.case_studies,
            "domain": self.domains,
            "page": self.pages,
            "lesson": self.lessons,
            "tool-step": self.tool_steps,
            "tool-card": self.tool_cards,
            "tool-player": self.tool_players,
        }
        return by_kind[kind]

    def find(self, kind: str, slug: str) -> Document | None:
        for document in self.documents(kind):
            if document.slug == slug:
                return document
        return None

    def resolve(self, link: str) -> Document | None:
        parts = split_link(link)
        return self.find(*parts) if parts else None

    def case_study(self, slug: str) -> CaseStudy | None:
        found = self.find("case-study", slug)
        return found if isinstance(found, CaseStudy) else None

    def lesson(self, slug: str) -> Lesson | None:
        found = self.find("lesson", slug)
        return found if isinstance(found, Lesson) else None

    def neighbourhood_titles(self, slugs: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(cs.title for slug in slugs if (cs := self.case_study(slug)) is not None)

    @property
    def case_study_words(self) -> int:
        return sum(cs.word_count for cs in self.case_studies)
