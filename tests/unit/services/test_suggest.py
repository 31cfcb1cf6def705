"""The suggestion engine: fitting lessons first, nothing rather than a poor match."""

from __future__ import annotations

import pytest

from nrp_desktop.services.suggest import SuggestionEngine


@pytest.fixture(scope="module")
def engine(library) -> SuggestionEngine:
    return SuggestionEngine(library)


def _drawn_from(suggestions) -> set[str]:
    return {slug for s in suggestions for slug in s.lesson.neighbourhoods if not s.lesson.programme_wide}


@pytest.mark.parametrize(
    ("text", "neighbourhood"),
    [
        ("Nobody knows where to get help with debt", "central-southport-sefton"),
        ("Payday loans and loan sharks on the estate", "central-southport-sefton"),
        ("No jobs for young people round here", "moss-bay-salterbeck-cumbria"),
        ("The high street is full of empty shops", "old-swan-liverpool"),
        ("Back alleys full of rubbish and fly-tipping", "st-georges-preston"),
        ("Older neighbours are lonely since the bus route was cut", "worsley-haslingden"),
        ("Private landlords let houses fall apart", "claremont-blackpool"),
    ],
)
def test_the_neighbourhood_that_worked_on_it_comes_up(engine: SuggestionEngine, text: str, neighbourhood: str):
    assert neighbourhood in _drawn_from(engine.suggest(text, limit=3))


def test_word_forms_meet(engine: SuggestionEngine):
    lonely = {s.lesson.slug for s in engine.suggest("lonely neighbours")}
    loneliness = {s.lesson.slug for s in engine.suggest("loneliness among neighbours")}
    assert lonely and lonely == loneliness


def test_nothing_rather_than_a_poor_match(engine: SuggestionEngine):
    assert engine.suggest("the weather was nice today") == []
    assert engine.suggest("") == []
    assert engine.suggest("!!! ???") == []


def test_domains_lift_lessons_of_the_same_domain(engine: SuggestionEngine):
    plain = engine.suggest("people feel left out", limit=10)
    lifted = engine.suggest("people feel left out", ["governance-systems"], limit=10)
    assert {s.lesson.slug for s in plain} == {s.lesson.slug for s in lifted}
    for before in plain:
        after = next(s for s in lifted if s.lesson.slug == before.lesson.slug)
        if "governance-systems" in before.lesson.domains:
            assert after.score > before.score
        else:
            assert after.score == before.score


def test_the_word_being_typed_counts(engine: SuggestionEngine):
    assert engine.suggest("lonel") == []
    typed = engine.suggest("lonel", partial_last_word=True)
    assert typed and {s.lesson.slug for s in typed} <= {
        s.lesson.slug for s in engine.suggest("lonely loneliness", limit=25)}


def test_suggestions_name_their_neighbourhoods(engine: SuggestionEngine, library):
    (first, *_rest) = engine.suggest("help with debt and money advice")
    assert first.neighbourhoods == library.neighbourhood_titles(first.lesson.neighbourhoods)
    assert set(first.as_json()) == {"slug", "title", "domains", "neighbourhoods", "score"}
