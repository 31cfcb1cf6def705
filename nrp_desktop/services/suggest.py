"""The suggestion engine: which lessons fit a priority, from its words and domains.

Each lesson is described by weighted stems: its keywords (the words a group might use) weigh
most, then its title, then its summary and prompts. A priority's stems score each lesson by the
weights they meet, scaled by how rare each stem is among lessons, and its domains lift lessons
of the same domains. Below a threshold nothing is suggested: no match beats a poor match.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from nrp_desktop.domain.content import ContentLibrary, Lesson
from nrp_desktop.domain.text import is_stop_word, stem, stems, words

KEYWORD_WEIGHT = 3.0
TITLE_WEIGHT = 2.0
SUMMARY_WEIGHT = 1.0
PROMPT_WEIGHT = 0.5
PREFIX_FACTOR = 0.6  # the word still being typed counts for less until it is whole
DOMAIN_BONUS = 0.25  # per shared domain, as a share of the text score
MINIMUM_SCORE = 4.0  # below this the match is too weak to offer
# Words nearly every priority uses; they say nothing about which lesson fits.
_GENERIC = frozenset(stems(
    "people person local area areas neighbourhood community communities need needs make more "
    "better help want everyone nobody anyone things thing lot lots really around here place "
    "since never always our street nothing today nobody know knows"
))


@dataclass(frozen=True)
class Suggestion:
    lesson: Lesson
    score: float
    neighbourhoods: tuple[str, ...]  # titles of the case studies the lesson draws on

    def as_json(self) -> dict[str, object]:
        return {
            "slug": self.lesson.slug,
            "title": self.lesson.title,
            "domains": list(self.lesson.domains),
            "neighbourhoods": list(self.neighbourhoods),
            "score": round(self.score, 2),
        }


class SuggestionEngine:
    def __init__(self, library: ContentLibrary) -> None:
        self.library = library
        self._weights: dict[str, dict[str, float]] = {}
        document_frequency: dict[str, int] = defaultdict(int)
        for lesson in library.lessons:
            weights: dict[str, float] = {}
            sources = [(" ".join(lesson.keywords), KEYWORD_WEIGHT), (lesson.title, TITLE_WEIGHT),
                       (lesson.summary, SUMMARY_WEIGHT), (" ".join(lesson.try_this), PROMPT_WEIGHT)]
            for text, weight in sources:
                for term in stems(text):
                    if term not in _GENERIC:
                        weights[term] = max(weights.get(term, 0.0), weight)
            self._weights[lesson.slug] = weights
            for term in weights:
                document_frequency[term] += 1
        total = max(1, len(library.lessons))
        self._idf = {term: math.log(1 + total / df) for term, df in document_frequency.items()}
        # Whole words as written, for matching the word still being typed ("lonel" → "lonely").
        self._word_stems = {
            word: stem(word)
            for lesson in library.lessons
            for word in words(" ".join((*lesson.keywords, lesson.title, lesson.summary)))
            if not is_stop_word(word) and stem(word) in self._idf
        }

    def _query_terms(self, text: str, partial_last_word: bool) -> dict[str, float]:
        """stem → how much it counts (1, or less for a prefix still being typed)."""
        terms = [term for term in stems(text) if term not in _GENERIC]
        counted: dict[str, float] = {term: 1.0 for term in terms}
        typed = words(text)
        if partial_last_word and typed and not text.endswith((" ", ".", ",")):
            last = typed[-1]
            if len(last) >= 3:
                for word, word_stem in self._word_stems.items():
                    if word.startswith(last) and word_stem not in _GENERIC:
                        counted.setdefault(word_stem, PREFIX_FACTOR)
        return counted

    def suggest(
        self,
        text: str,
        domains: list[str] | tuple[str, ...] = (),
        limit: int = 5,
        partial_last_word: bool = False,
    ) -> list[Suggestion]:
        terms = self._query_terms(text, partial_last_word)
        if not terms:
            return []
        wanted_domains = set(domains)
        results: list[Suggestion] = []
        for lesson in self.library.lessons:
            weights = self._weights[lesson.slug]
            score = sum(
                weights[term] * self._idf[term] * share
                for term, share in terms.items()
                if term in weights
            )
            if score < MINIMUM_SCORE:
                continue
            shared = len(wanted_domains.intersection(lesson.domains))
            score *= 1 + DOMAIN_BONUS * shared
            results.append(
                Suggestion(lesson, score, self.library.neighbourhood_titles(lesson.neighbourhoods))
            )
        results.sort(key=lambda s: (-s.score, s.lesson.number))
        return results[:limit]
