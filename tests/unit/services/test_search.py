"""The one search: relevance, prefixes, accent folding, snippets."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from build_content import build_content_database

from nrp_desktop.services.library import LibraryService


def slugs(hits) -> list[str]:
    return [hit.slug for hit in hits]


@pytest.mark.parametrize(
    ("query", "expected", "within"),
    [
        ("alleyway", "st-georges-preston", 3),
        ("debt advice", "central-southport-sefton", 3),
        ("high street", "old-swan-liverpool", 3),
        ("employment", "moss-bay-salterbeck-cumbria", 3),
        ("isolation", "stockbridge-village-knowsley", 5),
        ("housing", "claremont-blackpool", 3),
        ("transport", "worsley-haslingden", 3),
    ],
)
def test_relevance(library_service: LibraryService, query: str, expected: str, within: int):
    hits = library_service.search(query, limit=10)
    assert expected in slugs(hits)[:within], slugs(hits)


def test_search_kinds_are_the_contract_kinds(library_service: LibraryService):
    kinds = {hit.kind for hit in library_service.search("residents", limit=100)}
    assert kinds <= {"case-study", "lesson", "page", "tool-step"}
    assert {"case-study", "lesson", "page"} <= kinds


def test_prefix_follows_typing(library_service: LibraryService):
    assert "st-georges-preston" in slugs(library_service.search("alleyw"))
    assert "central-southport-sefton" in slugs(library_service.search("debt adv"))


def test_whole_word_ranks_before_prefix(library_service: LibraryService):
    hits = library_service.search("bus", limit=5)
    assert hits[0].slug != "networking-for-local-businesses"


def test_stems_join_word_forms(library_service: LibraryService):
    assert slugs(library_service.search("loneliness", limit=10))
    assert set(slugs(library_service.search("lonely", limit=20))) & set(
        slugs(library_service.search("loneliness", limit=20))
    )


def test_snippet_marks_the_match(library_service: LibraryService):
    hit = library_service.search("mystery shopping", limit=1)[0]
    marked = [hit.snippet[begin:end].lower() for begin, end in hit.spans]
    assert "mystery" in marked
    assert len(hit.snippet) <= 200


def test_accents_fold_both_ways(library_service: LibraryService):
    assert slugs(library_service.search("cafes")) == slugs(library_service.search("Cafés"))
    assert slugs(library_service.search("cafes"))


def test_polish_l_folds(tmp_path: Path, content_source_dir: Path):
    content = tmp_path / "content"
    shutil.copytree(content_source_dir, content)
    page = content / "pages" / "other-resources.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nA note from Łódź.\n", encoding="utf-8")
    target = tmp_path / "content.sqlite3"
    build_content_database(content, target)
    service = LibraryService(target)
    hits = service.search("lodz")
    assert slugs(hits) == ["other-resources"]
    assert "Łódź" in hits[0].snippet
    assert slugs(service.search("ŁÓDŹ")) == ["other-resources"]


def test_nonsense_and_punctuation_find_nothing(library_service: LibraryService):
    assert library_service.search("zzzqqq") == []
    assert library_service.search("   ") == []
    assert library_service.search('"*)(^:') == []
    # FTS syntax typed by a person is searched as words, never run as a query.
    assert slugs(library_service.search('"alleyway" OR NEAR(')) == slugs(
        library_service.search("alleyway or near")
    )
