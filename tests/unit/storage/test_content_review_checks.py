"""The content build's review aids: sequence words are listed for checking, acronyms need a
glossary entry, and the glossary reaches the content database."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from build_content import (
    ContentBuildError,
    build_content_database,
    load_sources,
    sequence_warnings,
)

from nrp_desktop.storage.content_db import ContentDatabase


def test_the_bundled_content_has_no_unchecked_sequence_sentence(content_source_dir: Path):
    warnings = sequence_warnings(content_source_dir)
    assert warnings == [], "\n".join(str(w) for w in warnings)


@pytest.fixture
def content_copy(tmp_path: Path, content_source_dir: Path) -> Path:
    copy = tmp_path / "content"
    shutil.copytree(content_source_dir, copy)
    return copy


def _append_to_section(path: Path, heading: str, text: str) -> int:
    """Adds `text` as a paragraph right after `heading`; the line number it lands on."""
    lines = path.read_text(encoding="utf-8").split("\n")
    at = lines.index(heading) + 1
    lines[at:at] = ["", text]
    path.write_text("\n".join(lines), encoding="utf-8")
    return at + 2


def test_an_unmarked_sequence_sentence_is_reported_with_file_and_line(content_copy: Path):
    path = content_copy / "case-studies" / "st-georges-preston.md"
    line = _append_to_section(path, "## What they did", "Residents held a meeting, then they cleaned an alley.")
    warnings = sequence_warnings(content_copy)
    assert [(w.path, w.line, w.word) for w in warnings] == [(path, line, "then")]
    assert f"{path}:{line}:" in str(warnings[0])
    assert "cleaned an alley" in str(warnings[0])


@pytest.mark.parametrize(
    "sentence",
    [
        "The group started with a survey of the street.",
        "After that the council joined the group.",
        "First they met, and the council joined them then.",
        "Residents later set up a club.",
    ],
)
def test_each_kind_of_sequence_word_is_reported(content_copy: Path, sentence: str):
    path = content_copy / "lessons" / "how-to-guides.md"
    _append_to_section(path, "## Where this comes from", sentence)
    assert len(sequence_warnings(content_copy)) == 1


def test_a_checked_sentence_is_accepted_and_the_marker_is_not_shown(content_copy: Path, tmp_path: Path):
    path = content_copy / "case-studies" / "st-georges-preston.md"
    _append_to_section(
        path,
        "## What they did",
        "Residents held a meeting, then they cleaned an alley. <!-- sequence-checked: test -->",
    )
    assert sequence_warnings(content_copy) == []
    target = tmp_path / "content.sqlite3"
    build_content_database(content_copy, target)
    database = ContentDatabase(target)
    try:
        study = database.load_library().case_study("st-georges-preston")
        assert study is not None
        assert "cleaned an alley" in study.html
        assert "sequence-checked" not in study.html
    finally:
        database.close()


def test_a_marker_in_front_matter_is_a_toml_comment(content_copy: Path):
    path = content_copy / "lessons" / "how-to-guides.md"
    text = path.read_text(encoding="utf-8")
    start = text.index('summary = "') + len('summary = "')
    text = text[:start] + "They met, then they wrote it down. " + text[start:]
    path.write_text(text, encoding="utf-8")
    assert len(sequence_warnings(content_copy)) == 1
    line_end = text.index("\n", start)
    path.write_text(text[:line_end] + "  # sequence-checked: test" + text[line_end:], encoding="utf-8")
    assert sequence_warnings(content_copy) == []


def test_an_acronym_without_a_glossary_entry_is_a_build_problem(content_copy: Path):
    path = content_copy / "case-studies" / "st-georges-preston.md"
    line = _append_to_section(path, "## What they did", "The XYZQ also helped.")
    problems = load_sources(content_copy).problems
    assert [(p.path, p.line) for p in problems] == [(path, line)]
    assert "XYZQ" in problems[0].rule and "glossary" in problems[0].rule
    with pytest.raises(ContentBuildError):
        build_content_database(content_copy, content_copy / "out.sqlite3")


def test_a_glossary_entry_without_meaning_is_a_build_problem(content_copy: Path):
    path = content_copy / "glossary.toml"
    path.write_text(path.read_text(encoding="utf-8") + '\n[[entry]]\nterm = "QQQ"\n', encoding="utf-8")
    problems = load_sources(content_copy).problems
    assert any(p.path == path and "QQQ" in p.rule and "meaning" in p.rule for p in problems)


def test_the_glossary_is_stored_and_terms_are_marked(library):
    terms = {entry.term for entry in library.glossary}
    assert {"NIHR", "ARC", "CCG", "CLAHRC", "CoReN", "CVS", "LOG"} <= terms
    nihr = library.glossary_entry("NIHR")
    assert nihr is not None and "National Institute for Health Research" in nihr.meaning
    programme = library.find("page", "the-programme")
    assert programme is not None
    assert 'href="glossary:NIHR"' in programme.html


def test_a_neighbourhood_link_must_use_the_one_spelling(content_copy: Path):
    path = content_copy / "lessons" / "how-to-guides.md"
    line = _append_to_section(
        path, "## Where this comes from", "- [St George's](case-study:st-georges-preston): short form."
    )
    problems = load_sources(content_copy).problems
    assert [(p.path, p.line) for p in problems] == [(path, line)]
    assert "St George's, Preston" in problems[0].rule
