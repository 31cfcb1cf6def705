"""The five-domain compass: the scale's words, checking scores, and where to start (no Qt).

A group agrees one score per domain, from 1 (a lot to improve) to 7 (little to improve). Any
domain may stay unrated; unrated is not zero and never counts as a low score. The lowest-scored
domains lead to the lessons that belong to them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from nrp_desktop.domain.content import ContentLibrary, Lesson
from nrp_desktop.domain.domains import DOMAIN_SLUGS, Domain, domain_by_slug, is_domain
from nrp_desktop.domain.session import RATING_MAX, RATING_MIN, check_rating
from nrp_desktop.i18n import N_

SCALE = tuple(range(RATING_MIN, RATING_MAX + 1))
# Words of the scale, marked for the catalogue; the screen translates them where it shows them.
LOW_END = N_("a lot to improve")
HIGH_END = N_("little to improve")
LOW_END_MEANING = N_("1 means a lot to improve: this is a big worry here, and not much is working yet.")
HIGH_END_MEANING = N_("7 means little to improve: this already works well here.")
DOMAINS_TO_START_WITH = 2
LESSONS_PER_DOMAIN = 3

# Said in place when the content library is not there to describe a domain.
_FALLBACK_DESCRIPTIONS = {
    "social-connectedness": "The links between people and organisations in the neighbourhood.",
    "cultural-coherence": "The shared stories, identity and beliefs that hold the area together.",
    "economic-resources": "The money, jobs, skills, shops and advice that help people get by.",
    "environmental-conditions": "Homes, streets, back alleys, green space, roads and air.",
    "governance-systems": "How decisions about the area are made, and who has a say.",
}
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def domain_description(library: ContentLibrary | None, slug: str) -> str:
    """One plain sentence saying what the domain is about: the first sentence of its page, less
    the domain's own name, which the screen shows beside it ("Social connectedness is about the
    links …" becomes "The links …")."""
    page = library.find("domain", slug) if library is not None else None
    summary = getattr(page, "summary", "").strip()
    if not summary:
        return _FALLBACK_DESCRIPTIONS.get(slug, "")
    sentence = _SENTENCE_END.split(summary, maxsplit=1)[0]
    name = getattr(page, "title", "")
    for verb in (" is about ", " are about ", " is ", " are "):
        lead = f"{name}{verb}"
        if name and sentence.casefold().startswith(lead.casefold()):
            rest = sentence[len(lead):].strip()
            return rest[:1].upper() + rest[1:] if rest else sentence
    return sentence


def check_ratings(ratings: Mapping[str, object]) -> dict[str, int]:
    """The ratings as {domain slug: 1…7}, in the order of the five domains.

    Raises ValueError naming the first domain or score that is not acceptable."""
    if not isinstance(ratings, Mapping):
        raise ValueError("ratings: must be a mapping of domain to score")
    checked: dict[str, int] = {}
    for slug, score in ratings.items():
        if not isinstance(slug, str) or not is_domain(slug):
            raise ValueError(
                f"ratings: unknown domain {slug!r}: must be one of {', '.join(DOMAIN_SLUGS)}"
            )
        if not isinstance(score, int) or check_rating(score):
            raise ValueError(
                f"ratings.{slug}: must be a whole number from {RATING_MIN} ({LOW_END}) "
                f"to {RATING_MAX} ({HIGH_END}); it is {score!r}"
            )
        checked[slug] = score
    return {slug: checked[slug] for slug in DOMAIN_SLUGS if slug in checked}


def unrated_domains(ratings: Mapping[str, int]) -> list[str]:
    return [slug for slug in DOMAIN_SLUGS if slug not in ratings]


def lowest_domains(
    ratings: Mapping[str, int], count: int = DOMAINS_TO_START_WITH
) -> list[tuple[str, int]]:
    """The rated domains to start with, lowest score first: every domain that shares the lowest
    score, and more (next lowest, in the usual order of domains) until there are `count`.
    Unrated domains are never among them."""
    rated = sorted(
        ((slug, ratings[slug]) for slug in DOMAIN_SLUGS if slug in ratings),
        key=lambda pair: (pair[1], DOMAIN_SLUGS.index(pair[0])),
    )
    if not rated:
        return []
    lowest = rated[0][1]
    chosen = [pair for pair in rated if pair[1] == lowest]
    for pair in rated:
        if len(chosen) >= count:
            break
        if pair not in chosen:
            chosen.append(pair)
    return chosen


def lesson_rank(lesson: Lesson, slug: str) -> tuple[int, int, int, int]:
    """Sort key of a lesson for a domain: lessons whose main domain it is come first; then
    lessons drawn from particular neighbourhoods before programme-wide ones (they say more about
    what to do); then the more focused (fewer domains); then the lesson's number."""
    return (lesson.domains.index(slug), int(lesson.programme_wide), len(lesson.domains),
            lesson.number)


def lessons_for_domain(library: ContentLibrary, slug: str) -> list[Lesson]:
    """Every lesson that belongs to the domain, best first (see `lesson_rank`)."""
    domain_by_slug(slug)  # a clear KeyError for a slug that is not a domain
    matching = [lesson for lesson in library.lessons if slug in lesson.domains]
    return sorted(matching, key=lambda lesson: lesson_rank(lesson, slug))


@dataclass(frozen=True)
class StartingPoint:
    """One low-scored domain and the lessons to read first for it."""

    domain: Domain
    score: int
    lessons: tuple[Lesson, ...]


def starting_points(
    library: ContentLibrary,
    ratings: Mapping[str, int],
    domains: int = DOMAINS_TO_START_WITH,
    lessons_per_domain: int = LESSONS_PER_DOMAIN,
) -> list[StartingPoint]:
    """The lowest-scored domains, each with its best lessons; a lesson is shown once, under the
    lowest domain it belongs to. Empty when nothing is rated."""
    shown: set[str] = set()
    points = []
    for slug, score in lowest_domains(ratings, domains):
        lessons = [lesson for lesson in lessons_for_domain(library, slug) if lesson.slug not in shown]
        picked = tuple(lessons[:lessons_per_domain])
        shown.update(lesson.slug for lesson in picked)
        points.append(StartingPoint(domain=domain_by_slug(slug), score=score, lessons=picked))
    return points
