"""Residents' everyday words, and the content's words they stand for.

People type what they say ("kids", "damp", "bins"), not the content's vocabulary ("children",
"housing", "litter"). A reviewed list of such mappings is kept with the content
(`resources/content/everyday-words.toml`); the build checks that every word a mapping points to
really occurs in the content. Search and suggestions both widen a query with it, through
`alternatives_for` below, so the two always understand the same words.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from nrp_desktop.domain.text import stem, words


@dataclass(frozen=True)
class EverydayWord:
    said: tuple[str, ...]  # what residents say: "kids", "kiddies" (a form may be several words)
    means: tuple[str, ...]  # the content's words for it: "children", "young people"
    domains: tuple[str, ...] = ()  # the domains it points to, offered (never ticked) as a guess


@lru_cache(maxsize=4096)
def _stems(text: str) -> tuple[str, ...]:
    return tuple(stem(word) for word in words(text))


def meant_stems(entry: EverydayWord) -> tuple[str, ...]:
    """The stems of the content's words an entry stands for, in order, without repeats."""
    found: list[str] = []
    for phrase in entry.means:
        for word_stem in _stems(phrase):
            if word_stem not in found:
                found.append(word_stem)
    return tuple(found)


@lru_cache(maxsize=8)
def _forms_by_first_stem(
    entries: tuple[EverydayWord, ...],
) -> dict[str, list[tuple[tuple[str, ...], EverydayWord]]]:
    index: dict[str, list[tuple[tuple[str, ...], EverydayWord]]] = {}
    for entry in entries:
        for form in entry.said:
            form_stems = _stems(form)
            if form_stems:
                index.setdefault(form_stems[0], []).append((form_stems, entry))
    return index


def alternatives_for(
    query_words: list[str], entries: tuple[EverydayWord, ...]
) -> list[tuple[EverydayWord, ...]]:
    """For each word of `query_words` (folded, in order), the entries whose `said` form covers it.

    Forms are matched by stem on whole words, so "bin" and "bins" both meet "bins", and a
    form of several words ("dog mess") must appear as a run of words in the query.
    """
    if not entries:
        return [() for _ in query_words]
    forms = _forms_by_first_stem(entries)
    query_stems = [_stems(word)[0] if _stems(word) else "" for word in query_words]
    covered: list[list[EverydayWord]] = [[] for _ in query_words]
    for start, first in enumerate(query_stems):
        for form_stems, entry in forms.get(first, ()):
            size = len(form_stems)
            if tuple(query_stems[start:start + size]) == form_stems:
                for index in range(start, start + size):
                    if entry not in covered[index]:
                        covered[index].append(entry)
    # In list order, whatever order the words came in.
    return [tuple(sorted(here, key=entries.index)) for here in covered]


def matched_entries(text: str, entries: tuple[EverydayWord, ...]) -> tuple[EverydayWord, ...]:
    """Every entry that some words of `text` match, in list order."""
    found: list[EverydayWord] = []
    for entries_here in alternatives_for(words(text), entries):
        for entry in entries_here:
            if entry not in found:
                found.append(entry)
    return tuple(sorted(found, key=entries.index))
