"""Suggestions and search understand residents' everyday words, from one shared list."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from build_content import build_content_database, load_sources

from nrp_desktop.domain.domains import DOMAIN_SLUGS
from nrp_desktop.services.library import LibraryService
from nrp_desktop.services.suggest import SuggestionEngine


@pytest.fixture(scope="module")
def engine(library) -> SuggestionEngine:
    return SuggestionEngine(library)


def _drawn_from(suggestions) -> set[str]:
    return {slug for s in suggestions for slug in s.lesson.neighbourhoods if not s.lesson.programme_wide}


def test_kids_with_nowhere_safe_to_play_get_the_st_georges_work(engine: SuggestionEngine):
    top = engine.suggest("kids have nowhere safe to play", limit=3)
    assert top, "No lesson fits"
    assert "st-georges-preston" in _drawn_from(top)


@pytest.mark.parametrize("card_slug", [
    "play-and-routes-to-school", "housing-and-landlords", "debt-and-money-worries",
    "litter-fly-tipping-and-alleyways", "loneliness-and-isolation", "our-name-and-our-stories",
    "buses-and-getting-about", "jobs-and-skills", "the-high-street", "traffic-and-air-quality",
    "having-a-say", "trust-between-residents-and-services",
])
def test_every_card_title_of_the_tool_gets_one_of_its_lessons(engine: SuggestionEngine, library, card_slug):
    card = library.find("tool-card", card_slug)
    top = {s.lesson.slug for s in engine.suggest(card.title, limit=3)}
    assert top & set(card.lessons), (card.title, top)


@pytest.mark.parametrize("text", [
    "the weather has been lovely this week", "the football match on Saturday",
    "a recipe for Victoria sponge cake", "the tea urn in the hall is broken",
])
def test_what_fits_nothing_still_gets_nothing(engine: SuggestionEngine, text):
    assert engine.suggest(text) == []
    assert engine.guess_domains(text) == ()


@pytest.mark.parametrize("text, domain", [
    ("kids have nowhere safe to play", "environmental-conditions"),
    ("damp and mould in the flats", "environmental-conditions"),
    ("the bins are never emptied", "environmental-conditions"),
    ("I'm skint by the end of the month", "economic-resources"),
    ("the council never listens to us", "governance-systems"),
    ("my mum is lonely and on her own", "social-connectedness"),
])
def test_domains_are_guessed_from_the_words(engine: SuggestionEngine, text, domain):
    guessed = engine.guess_domains(text)
    assert guessed[0] == domain
    assert len(guessed) <= 2 and set(guessed) <= set(DOMAIN_SLUGS)


def test_a_guess_changes_nothing_by_itself(engine: SuggestionEngine):
    # Guessing is a separate question: the suggestions for the words alone stay as they were.
    before = [s.lesson.slug for s in engine.suggest("the bins are never emptied")]
    engine.guess_domains("the bins are never emptied")
    assert [s.lesson.slug for s in engine.suggest("the bins are never emptied")] == before


def test_damp_and_bins_find_the_material_the_content_has(library_service: LibraryService):
    damp = {hit.slug for hit in library_service.search("damp")}
    assert {"claremont-blackpool", "housing-and-landlords"} <= damp
    bins = {hit.slug for hit in library_service.search("bins")}
    assert {"litter-fly-tipping-and-alleyways", "st-georges-preston"} <= bins
    hit = library_service.search("bins", limit=1)[0]
    marked = {hit.snippet[b:e].lower() for b, e in hit.spans}
    assert marked & {"litter", "rubbish", "fly", "waste"}  # the snippet shows why it was found


def test_search_and_suggestions_share_one_list(tmp_path: Path, content_source_dir: Path):
    content = tmp_path / "content"
    shutil.copytree(content_source_dir, content)
    words_file = content / "everyday-words.toml"
    words_file.write_text(
        words_file.read_text(encoding="utf-8")
        + '\n[[word]]\nsaid = ["ginnel"]\nmeans = ["alleyway"]\ndomains = ["environmental-conditions"]\n',
        encoding="utf-8",
    )
    target = tmp_path / "content.sqlite3"
    build_content_database(content, target)
    service = LibraryService(target)
    found = {hit.slug for hit in service.search("ginnel")}
    assert "st-georges-preston" in found
    engine = SuggestionEngine(service.library)
    assert "st-georges-preston" in _drawn_from(engine.suggest("a ginnel makeover", limit=3))
    assert engine.guess_domains("our ginnel")[0] == "environmental-conditions"
    # The bundled list does not know the word: both honestly find nothing.
    assert LibraryService().search("ginnel") == []


def test_a_mapping_the_content_does_not_support_is_refused(tmp_path: Path, content_source_dir: Path):
    content = tmp_path / "content"
    shutil.copytree(content_source_dir, content)
    words_file = content / "everyday-words.toml"
    words_file.write_text(
        words_file.read_text(encoding="utf-8") + '\n[[word]]\nsaid = ["potholes"]\nmeans = ["pothole repairs"]\n',
        encoding="utf-8",
    )
    problems = load_sources(content).problems
    assert len(problems) == 1
    assert problems[0].path == words_file and "pothole repairs" in problems[0].rule
