"""The content build: the bundled sources are valid, and broken sources fail naming file and line."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from build_content import ContentBuildError, build_content_database, load_sources
from markdown_pipeline import render_markdown

from nrp_desktop.domain.domains import DOMAIN_SLUGS


@pytest.fixture
def content_copy(tmp_path: Path, content_source_dir: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(content_source_dir, target)
    return target


def test_bundled_sources_are_valid(content_source_dir: Path):
    documents, problems, _glossary, _everyday = load_sources(content_source_dir)
    assert problems == []
    kinds = [source.kind for source, _document, _plain in documents]
    assert kinds.count("case-study") == 9
    assert kinds.count("domain") == 5
    assert kinds.count("lesson") >= 25
    assert kinds.count("tool-card") >= 12


def test_build_writes_database_with_search_index(content_copy: Path, tmp_path: Path):
    target = tmp_path / "out" / "content.sqlite3"
    version = build_content_database(content_copy, target)
    with sqlite3.connect(target) as connection:
        stored = connection.execute("SELECT value FROM meta WHERE key='content_version'").fetchone()
        domains = connection.execute("SELECT slug FROM documents WHERE kind='domain'").fetchall()
        indexed = connection.execute("SELECT count(*) FROM search_index").fetchone()[0]
    assert stored == (version,)
    assert sorted(slug for (slug,) in domains) == sorted(DOMAIN_SLUGS)
    assert indexed > 60


def test_content_version_follows_the_sources(content_copy: Path, tmp_path: Path):
    first = build_content_database(content_copy, tmp_path / "a.sqlite3")
    page = content_copy / "pages" / "the-programme.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    second = build_content_database(content_copy, tmp_path / "b.sqlite3")
    assert first != second


def _break(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _problems(content: Path, target: Path) -> list[str]:
    with pytest.raises(ContentBuildError) as caught:
        build_content_database(content, target)
    assert not target.exists(), "a failed build must not write the database"
    return [str(problem) for problem in caught.value.problems]


def test_unknown_lesson_reference_names_file_and_line(content_copy: Path, tmp_path: Path):
    card = content_copy / "tool" / "cards" / "debt-and-money-worries.md"
    _break(card, 'lessons = [', 'lessons = ["no-such-lesson", ')
    problems = _problems(content_copy, tmp_path / "c.sqlite3")
    line = next(i for i, text in enumerate(card.read_text().splitlines(), 1) if "no-such-lesson" in text)
    assert f"{card}:{line}: 'lessons' names unknown lesson 'no-such-lesson'" in problems


def test_broken_internal_link_is_reported(content_copy: Path, tmp_path: Path):
    page = content_copy / "pages" / "the-programme.md"
    page.write_text(page.read_text() + "\nSee [nowhere](case-study:atlantis).\n", encoding="utf-8")
    problems = _problems(content_copy, tmp_path / "c.sqlite3")
    assert any("the-programme.md:" in p and "unknown case-study 'atlantis'" in p for p in problems)


def test_missing_section_and_bad_toml_and_web_link(content_copy: Path, tmp_path: Path):
    _break(content_copy / "case-studies" / "st-georges-preston.md", "## Challenges", "## Difficulties")
    _break(content_copy / "lessons" / "how-to-guides.md", "number = ", "number == ")
    page = content_copy / "pages" / "other-resources.md"
    page.write_text(page.read_text() + "\n[site](https://example.org)\n<script>x</script>\n", encoding="utf-8")
    problems = "\n".join(_problems(content_copy, tmp_path / "c.sqlite3"))
    assert "st-georges-preston.md:" in problems and "missing section '## Challenges'" in problems
    assert "how-to-guides.md:" in problems and "front matter is not valid TOML" in problems
    assert "other-resources.md:" in problems and "is not internal" in problems
    assert "raw HTML is not allowed" in problems


def test_duplicate_slug_and_wrong_domain(content_copy: Path, tmp_path: Path):
    shutil.copy(content_copy / "lessons" / "how-to-guides.md", content_copy / "lessons" / "copy.md")
    _break(content_copy / "case-studies" / "ellesmere-port.md", '"social-connectedness"', '"social-life"')
    problems = "\n".join(_problems(content_copy, tmp_path / "c.sqlite3"))
    assert "copy.md:2: slug 'how-to-guides' must equal the file name 'copy'" in problems
    assert "slug 'how-to-guides' is also used by" in problems
    assert "'domains' names unknown domain 'social-life'" in problems


def test_markdown_is_sanitised():
    rendered = render_markdown(
        "Hello <b>raw</b> [in](lesson:how-to-guides) [out](https://example.org) "
        "[js](javascript:alert(1))"
    )
    assert "<b>" not in rendered.html and "&lt;b&gt;" in rendered.html
    assert '<a href="lesson:how-to-guides">in</a>' in rendered.html
    assert "https://example.org" not in rendered.html and "javascript" not in rendered.html
    assert rendered.links == ["lesson:how-to-guides"]
    assert rendered.dropped_links == ["https://example.org", "javascript:alert(1)"]
