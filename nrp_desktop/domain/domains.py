"""The five domains ("system properties") of the NRP framework: contract.md section 1."""

from __future__ import annotations

from dataclasses import dataclass

from nrp_desktop.i18n import N_


@dataclass(frozen=True)
class Domain:
    slug: str
    name: str
    mark: str  # a letter, so greyscale prints and colour-blind readers lose nothing
    colour: str  # Okabe–Ito, for accents only
    tint: str  # a light background for dark text
    # The colour drawn as a line or a border (a radar axis, a chip's edge): the accent itself
    # where it reaches 3:1 against the light backgrounds, else a darker shade of it (WCAG 1.4.11).
    line: str
    short: str = ""  # the name's first word, where room is short (a filter chip)


# The names are the app's own words (marked for the catalogue, translated where shown); the
# slugs are the codes everything else uses.
DOMAINS: tuple[Domain, ...] = (
    Domain("social-connectedness", N_("Social connectedness"), "S", "#0072B2", "#D9EAF5", "#0072B2",
           short=N_("Social")),
    Domain("cultural-coherence", N_("Cultural coherence"), "C", "#CC79A7", "#F7E6EF", "#B0508A",
           short=N_("Cultural")),
    Domain("economic-resources", N_("Economic resources"), "E", "#E69F00", "#FBEFD2", "#A66F00",
           short=N_("Economic")),
    Domain("environmental-conditions", N_("Environmental conditions"), "N", "#009E73", "#D5F0E7",
           "#00835F", short=N_("Environmental")),
    Domain("governance-systems", N_("Governance systems"), "G", "#D55E00", "#F8E2D2", "#D55E00",
           short=N_("Governance")),
)
DOMAIN_SLUGS: tuple[str, ...] = tuple(domain.slug for domain in DOMAINS)
_BY_SLUG = {domain.slug: domain for domain in DOMAINS}


def domain_by_slug(slug: str) -> Domain:
    """The domain with this slug; KeyError names the slug when it is not one of the five."""
    try:
        return _BY_SLUG[slug]
    except KeyError:
        raise KeyError(f"unknown domain {slug!r}: must be one of {', '.join(DOMAIN_SLUGS)}") from None


def is_domain(slug: str) -> bool:
    return slug in _BY_SLUG
