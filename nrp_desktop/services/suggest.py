"""The suggestion engine: which lessons fit a priority, from its words and domains.

Each lesson is described by weighted stems: its keywords (the words a group might use) weigh
most, then its title, then its summary and prompts; the learning tool's issue cards add their
titles to the lessons they link, so a card's own words find its lessons. A priority's stems, and
the content's words for the everyday words it uses (domain/everyday.py, the same list search
uses: "kids" → "children"), score each lesson by the weights they meet, scaled by how rare each
stem is among lessons, and its domains lift lessons of the same domains. Below a threshold
nothing is suggested: no match beats a poor match.

The engine also guesses which domains a priority's words point to. The guess is only offered:
it is returned as slugs for the screen to show, and never ticks a domain by itself.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from nrp_desktop.domain.content import ContentLibrary, Lesson
from nrp_desktop.domain.everyday import alternatives_for, meant_stems
from nrp_desktop.domain.text import is_stop_word, stem, stems, words

KEYWORD_WEIGHT = 3.0
TITLE_WEIGHT = 2.0
SUMMARY_WEIGHT = 1.0
PROMPT_WEIGHT = 0.5
CARD_TITLE_WEIGHT = 2.0  # an issue card's title, for the lessons the card links
CARD_SHORT_WEIGHT = 1.0  # and its one-line description
EVERYDAY_SHARE = 0.8  # the content's word for an everyday word counts a little less than the word
PREFIX_FACTOR = 0.6  # the word still being typed counts for less until it is whole
DOMAIN_BONUS = 0.25  # per shared domain, as a share of the text score
MINIMUM_SCORE = 4.0  # below this the match is too weak to offer
DOMAIN_GUESS_MINIMUM = 2.0  # evidence a domain needs before it is offered
DOMAIN_GUESS_LIMIT = 2
# Words nearly every priority uses; they say nothing about which lesson fits.
_GENERIC = frozenset(stems(
    "people person local area areas neighbourhood community communities need needs make more "
    "better help want everyone nobody anyone things thing lot lots really around here place "
    "since never always our street nothing today nobody know knows new keep keeps"
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
        # Card words describe the lessons a card links; they count for rarity only where the
        # lessons' own words do not have them (so "loneliness" stays as telling as it was).
        card_frequency: dict[str, int] = defaultdict(int)
        for card in library.tool_cards:
            for slug in card.lessons:
                card_weights = self._weights.get(slug)
                if card_weights is None:
                    continue
                for text, weight in ((card.title, CARD_TITLE_WEIGHT), (card.short, CARD_SHORT_WEIGHT)):
                    for term in stems(text):
                        if term in _GENERIC:
                            continue
                        if term not in card_weights and term not in document_frequency:
                            card_frequency[term] += 1
                        card_weights[term] = max(card_weights.get(term, 0.0), weight)
        for term, count in card_frequency.items():
            document_frequency[term] = count
        # What each issue card is about, for guessing a priority's domains.
        self._card_terms = [
            (card.domains, {t for t in stems(f"{card.title} {card.short}") if t not in _GENERIC})
            for card in library.tool_cards
        ]
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
        for entries in alternatives_for(typed, self.library.everyday_words):
            for entry in entries:
                for term in meant_stems(entry):
                    if term not in _GENERIC and not is_stop_word(term):
                        counted.setdefault(term, EVERYDAY_SHARE)
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

    def guess_domains(self, text: str) -> tuple[str, ...]:
        """The domains a priority's words point to, strongest first (at most two; none when the
        words say nothing clear). To be offered to the facilitator, never applied silently."""
        terms = set(self._query_terms(text, partial_last_word=False))
        if not terms:
            return ()
        evidence: dict[str, float] = defaultdict(float)
        for entries in alternatives_for(words(text), self.library.everyday_words):
            for entry in entries:
                for domain in entry.domains:
                    evidence[domain] = max(evidence[domain], 2.0)
        for domains, card_terms in self._card_terms:
            shared = len(terms & card_terms)
            for position, domain in enumerate(domains):
                evidence[domain] += shared * (1.0 if position == 0 else 0.5)
        for suggestion in self.suggest(text, limit=1):
            if suggestion.lesson.domains:
                evidence[suggestion.lesson.domains[0]] += 1.0
        offered = sorted(
            (domain for domain, weight in evidence.items() if weight >= DOMAIN_GUESS_MINIMUM),
            key=lambda domain: -evidence[domain],
        )
        return tuple(offered[:DOMAIN_GUESS_LIMIT])
