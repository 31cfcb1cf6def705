"""The glossary: short plain explanations of the acronyms and programme words in the content.

The entries are written in `resources/content/glossary.toml`, checked and stored by the content
build, and shown by the reader when a marked term is hovered or tapped. Terms are marked in page
text as internal links `glossary:TERM`; this module holds the one rule for finding them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

GLOSSARY_LINK_PREFIX = "glossary:"


@dataclass(frozen=True)
class GlossaryEntry:
    term: str  # as shown, e.g. "NIHR"
    meaning: str  # plain text, one or two short sentences
    forms: tuple[str, ...] = ()  # other spellings found in the text, e.g. "LOGs"

    @property
    def all_forms(self) -> tuple[str, ...]:
        return (self.term, *(form for form in self.forms if form != self.term))

    def explanation(self) -> str:
        """What the reader shows for the term: plain text."""
        return f"{self.term}: {self.meaning}"


def glossary_link(term: str) -> str:
    return GLOSSARY_LINK_PREFIX + term


def term_from_link(link: str) -> str | None:
    """"NIHR" for "glossary:NIHR", None for any other link."""
    if not link.startswith(GLOSSARY_LINK_PREFIX):
        return None
    term = link[len(GLOSSARY_LINK_PREFIX):]
    return term or None


@lru_cache(maxsize=16)
def _pattern(forms: tuple[str, ...]) -> re.Pattern[str] | None:
    if not forms:
        return None
    # Longest first, so "LOGs" wins over "LOG"; whole words only, case as written.
    alternatives = "|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True))
    return re.compile(rf"(?<![\w+])({alternatives})(?![\w+])")


def split_terms(text: str, entries: tuple[GlossaryEntry, ...]) -> list[tuple[str, str | None]]:
    """`text` cut into (piece, term or None) segments: each use of a glossary form becomes its
    own segment carrying the entry's term, so the caller can mark it up."""
    by_form = {form: entry.term for entry in entries for form in entry.all_forms}
    pattern = _pattern(tuple(sorted(by_form)))
    if pattern is None or not text:
        return [(text, None)] if text else []
    segments: list[tuple[str, str | None]] = []
    position = 0
    for match in pattern.finditer(text):
        if match.start() > position:
            segments.append((text[position:match.start()], None))
        segments.append((match.group(1), by_form[match.group(1)]))
        position = match.end()
    if position < len(text):
        segments.append((text[position:], None))
    return segments


# What looks like an acronym or a coined short name: two or more capitals in one word
# ("NIHR", "CoReN", "NfL", "BwD", "LGBT+"). The build asks for a glossary entry for each.
ACRONYM = re.compile(r"(?<![\w+])([A-Z][A-Za-z]*[A-Z][A-Za-z]*\+?)(?![\w+])")


def acronyms(text: str) -> list[str]:
    return ACRONYM.findall(text)
