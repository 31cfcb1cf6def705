"""The short handout people take home (issue 12, item 7), and the PDF's bookmarks and language
(issue 16, item 5; contract 5.5)."""

from __future__ import annotations

import copy
import io
import re
import subprocess
from pathlib import Path

import pytest
from conftest import EXAMPLE_SESSION, example_session, run_cli
from pypdf import PdfReader

from nrp_desktop.domain.content import ContentLibrary
from nrp_desktop.domain.domains import domain_by_slug
from nrp_desktop.domain.handout import HandoutOptions
from nrp_desktop.domain.session import Action, Priority, Session
from nrp_desktop.reports.handout import SHORT_TITLE
from nrp_desktop.services.handout import build_handout_data, handout_pdf

EXTRA_PRIORITIES = (
    "Young people have nowhere to go in the evenings",
    "Damp and mould in rented homes",
    "Too few jobs nearby and the bus is too dear",
    "Kids have nowhere safe to play",
)


def eight_priorities() -> Session:
    session = copy.deepcopy(example_session())
    for index, title in enumerate(EXTRA_PRIORITIES):
        session.priorities.append(Priority(
            title=title, votes=5 - index, domains=["economic-resources"],
            actions=[Action(what=f"Ask the council about item {index}", who="Sam", when="June")]))
    return session


def text_of(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "short.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    return " ".join(text.split())


def pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_the_short_handout_fits_one_or_two_pages(library: ContentLibrary, paper: str,
                                                 tmp_path: Path) -> None:
    for session in (example_session(), eight_priorities()):
        short = handout_pdf(session, library, HandoutOptions(short=True, paper=paper))
        full = handout_pdf(session, library, HandoutOptions(paper=paper))
        assert 1 <= pages(short) <= 2, (len(session.priorities), paper)
        assert pages(full) > pages(short)
        # Room to write new actions in: empty rows, or where there is none left on the page
        # (the example on Letter paper), a line saying where to write them.
        text = text_of(short, tmp_path)
        assert ("New actions" in text) != ("on the back" in text)
        if paper == "a4":
            assert "New actions" in text, len(session.priorities)


def test_the_short_handout_carries_every_priority_with_a_lesson_and_its_actions(
    library: ContentLibrary, tmp_path: Path
) -> None:
    session = eight_priorities()
    data = build_handout_data(session, library)
    text = text_of(handout_pdf(session, library, HandoutOptions(short=True)), tmp_path)
    assert text.startswith(f"WORKSHOP SUMMARY {SHORT_TITLE} {session.title}")
    decided = text[text.index("What we decided"):text.index("What happens next Every action")]
    positions = [decided.index(priority.title) for priority in data.priorities]
    assert positions == sorted(positions)  # in ranking order
    ends = [*positions[1:], len(decided)]
    for priority, start, end in zip(data.priorities, positions, ends, strict=True):
        section = decided[start:end]
        assert f"{priority.votes} vote" in section
        for slug in priority.domains:
            assert domain_by_slug(slug).name in section
        if priority.lessons:
            lesson = priority.lessons[0]
            assert lesson.title in section
            if "printed in full above" not in section:  # the first time: words and places
                assert " ".join(lesson.summary.split()[:5]) in section
                assert any(place in section for place in lesson.neighbourhoods)
        else:
            assert "No lesson in the programme’s learning fits this priority closely" in section
    next_steps = text[text.index("What happens next Every action"):]
    for priority in session.priorities:
        for action in priority.actions:
            assert action.what in next_steps and action.who in next_steps
    # Rows to write new actions in: as many as fit, but always there, within the two pages.
    assert "What Who By when Done" in next_steps and "New actions" in next_steps
    assert "Lessons: The Neighbourhood Resilience Programme" in text


def test_a_lesson_shared_by_two_priorities_is_printed_once_in_the_short_handout(
    library: ContentLibrary, tmp_path: Path
) -> None:
    lesson = library.lessons[1]
    session = Session(title="Spring", date=example_session().date, priorities=[
        Priority(title="Bins", lessons=[lesson.slug]),
        Priority(title="Benches", lessons=[lesson.slug]),
    ])
    text = text_of(handout_pdf(session, library, HandoutOptions(short=True)), tmp_path)
    assert text.count(lesson.title) == 2
    assert text.count(" ".join(lesson.summary.split()[:6])) == 1
    assert f"{lesson.title}: printed in full above, with priority 1, page 1." in text


def test_the_command_line_writes_the_short_handout(tmp_path: Path) -> None:
    target = tmp_path / "short.pdf"
    result = run_cli("report", str(EXAMPLE_SESSION), "-o", str(target), "--short")
    assert result.returncode == 0, result.stderr
    assert pages(target.read_bytes()) <= 2
    assert SHORT_TITLE in text_of(target.read_bytes(), tmp_path)


def outline(pdf: bytes) -> list[tuple[int, str, int]]:
    """(depth, title, page number) of every bookmark, in order."""
    reader = PdfReader(io.BytesIO(pdf))
    found: list[tuple[int, str, int]] = []

    def walk(items: list, depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 0)
    return found


@pytest.mark.parametrize("short", [False, True])
def test_bookmarks_name_every_section_and_priority_on_its_page(
    library: ContentLibrary, tmp_path: Path, short: bool
) -> None:
    session = eight_priorities()
    pdf = handout_pdf(session, library, HandoutOptions(short=short))
    marks = outline(pdf)
    titles = [title for _, title, _ in marks]
    priority_marks = [(depth, title, page) for depth, title, page in marks
                      if re.match(r"\d+\. ", title)]
    assert [title for _, title, _ in priority_marks] == [
        f"{rank}. {priority.title}" for rank, priority in enumerate(session.priorities, 1)]
    assert all(depth == 1 for depth, _, _ in priority_marks)
    assert "What happens next" in titles
    if short:
        assert titles[0] == SHORT_TITLE and "What we decided" in titles
    else:
        assert {"How the group rated the five domains", "Your priorities"} <= set(titles)
    # Each bookmark opens the page its heading is printed on.
    reader = PdfReader(io.BytesIO(pdf))
    for _, title, page in marks:
        words = " ".join(reader.pages[page - 1].extract_text().split())
        assert title.split(". ", 1)[-1][:30] in words, (title, page)
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_the_compass_scores_are_also_printed_as_words_beside_it(
    library: ContentLibrary, tmp_path: Path
) -> None:
    session = Session(title="Spring", date=example_session().date,
                      ratings={"social-connectedness": 3, "governance-systems": 6})
    path = tmp_path / "compass.pdf"
    path.write_bytes(handout_pdf(session, library))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    rows = {" ".join(line.split()) for line in text.splitlines()}
    assert any(row.endswith("Domain Score") for row in rows)
    assert any(row.endswith("Governance systems 6 of 7") for row in rows)
    assert any(row.endswith("Economic resources not rated") for row in rows)


def page_texts(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def test_the_example_short_handout_is_one_page_with_a_row_to_write_in(
    library: ContentLibrary, tmp_path: Path
) -> None:
    pdf = handout_pdf(example_session(), library, HandoutOptions(short=True))
    assert pages(pdf) == 1
    assert "New actions" in text_of(pdf, tmp_path)


def test_the_rows_to_write_in_never_take_a_page_alone(library: ContentLibrary) -> None:
    """As the list of actions grows, the empty rows shrink, then give way to a line saying
    where to write new actions: never a sheet of paper for two empty rows."""
    seen_left_out = False
    for extra in range(12):
        session = copy.deepcopy(example_session())
        session.priorities[2].actions = [
            Action(what=f"Write to the bus company, step {index}", who="Sam", when="June")
            for index in range(extra)]
        texts = page_texts(handout_pdf(session, library, HandoutOptions(short=True)))
        assert len(texts) <= 2, extra
        for number, text in enumerate(texts, 1):
            # A page's own words, the footer aside, are never only the rows to write in.
            assert not text.startswith("New actions"), (extra, number)
        whole = " ".join(texts)
        on_the_back = "on the back" in whole
        assert on_the_back != ("New actions" in whole), extra
        seen_left_out |= on_the_back
    assert seen_left_out  # the range above reaches a page with no room left


def test_the_rows_to_write_in_are_named_in_urdu_too(library: ContentLibrary, tmp_path: Path
                                                   ) -> None:
    """The row's name spans the table: right to left, it still sits in the cell that is drawn."""
    import unicodedata

    session = copy.deepcopy(example_session())
    session.language = "ur"
    text = unicodedata.normalize("NFKC", text_of(
        handout_pdf(session, library, HandoutOptions(short=True)), tmp_path))
    assert "صفحے کی پشت پر" not in text  # the rows are there, not the line instead of them
    assert "نئے اقدامات" in text
