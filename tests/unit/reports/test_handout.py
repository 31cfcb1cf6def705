"""The printed handout (issue 5): what it carries, how it is set, and the `report` command.

PDFs are read back with pdftotext/pdffonts (poppler-utils) and pypdf, as a person or a printer
would see them.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from conftest import EXAMPLE_SESSION, ROOT, example_session, run_cli, sample_session
from pypdf import PdfReader

from nrp_desktop.domain.content import ContentLibrary
from nrp_desktop.domain.handout import HandoutData, HandoutOptions
from nrp_desktop.domain.session import Action, Priority
from nrp_desktop.reports.bidi import has_rtl, layout, resolve_levels
from nrp_desktop.reports.case_study import build_case_study_pdf
from nrp_desktop.reports.handout import build_handout_pdf
from nrp_desktop.reports.markup import html_to_flowables, make_text_styles
from nrp_desktop.services.handout import build_handout_data, handout_pdf

sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_handout import long_session

A4_POINTS = (595.28, 841.89)
LETTER_POINTS = (612.0, 792.0)
NEXT_STEPS = "What happens next Every action"  # the heading, not the mentions of it


# --- helpers ---------------------------------------------------------------------------------


def pdf_text(pdf: bytes, tmp_path: Path, name: str = "handout.pdf") -> str:
    """The text pdftotext reads, with runs of white space made single spaces (and without the
    direction marks pdftotext puts around right-to-left runs)."""
    path = tmp_path / name
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    return " ".join(re.sub("[\u202a-\u202e]", "", text).split())


def pdffonts_rows(pdf: bytes, tmp_path: Path, name: str = "fonts.pdf") -> list[list[str]]:
    path = tmp_path / name
    path.write_bytes(pdf)
    output = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                            check=True).stdout
    return [line.split() for line in output.splitlines()[2:] if line.strip()]


def body_font_size(pdf: bytes) -> float:
    """The font size most of the text is set in (by characters), read back with pypdf."""
    sizes: Counter[float] = Counter()

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            sizes[round(size * tm[3] * cm[3], 1)] += len(text.strip())

    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=visit)
    return sizes.most_common(1)[0][0]


@pytest.fixture(scope="module")
def example_pdf(library: ContentLibrary) -> bytes:
    return handout_pdf(example_session(), library)


# --- what the handout carries --------------------------------------------------------------


def test_example_handout_has_the_priorities_in_order_with_votes_domains_and_actions(
    example_pdf: bytes, tmp_path: Path
) -> None:
    text = pdf_text(example_pdf, tmp_path)
    session = example_session()
    body = text[text.index("Your priorities"):text.index(NEXT_STEPS)]
    positions = [body.index(priority.title) for priority in session.priorities]
    assert positions == sorted(positions), "priorities must be printed in ranking order"
    for priority, start, end in zip(session.priorities, positions, [*positions[1:], None],
                                    strict=True):
        section = body[start:end]
        assert f"{priority.votes} votes" in section
        for slug in priority.domains:
            name = slug.replace("-", " ").capitalize()
            assert name in section, f"{name} missing under {priority.title!r}"
        for action in priority.actions:
            assert action.what in section
            assert action.who in section
            if action.when:
                assert action.when in section
    assert "Table group: Table 1" in body and "Table group: Table 2" in body


def test_every_example_priority_shows_a_lesson_with_its_neighbourhoods(
    example_pdf: bytes, library: ContentLibrary, tmp_path: Path
) -> None:
    data = build_handout_data(example_session(), library)
    text = pdf_text(example_pdf, tmp_path)
    body = text[text.index("Your priorities"):text.index(NEXT_STEPS)]
    titles = [priority.title for priority in data.priorities]
    for index, priority in enumerate(data.priorities):
        start = body.index(priority.title)
        end = body.index(titles[index + 1]) if index + 1 < len(titles) else len(body)
        section = body[start:end]
        assert priority.lessons, f"no lesson for {priority.title!r}"
        assert priority.lessons_source == "suggested"  # the example links nothing by hand
        assert "Suggested lessons" in section
        for lesson in priority.lessons:
            assert lesson.title in section
            assert lesson.neighbourhoods
            # Each lesson is printed in full once; a later priority refers back to it.
            assert lesson.summary[:60] in section or lesson.summary[:60] in body[:start]
            assert any(place in body for place in lesson.neighbourhoods)


def test_header_shows_the_session_and_only_the_facilitators_name(
    example_pdf: bytes, tmp_path: Path
) -> None:
    text = pdf_text(example_pdf, tmp_path)
    session = example_session()
    header = text[:text.index("How the group rated")]
    assert session.title in header
    assert "Wednesday 18 November 2026" in header
    assert session.venue in header and session.neighbourhood in header
    assert "17 people" in header
    assert f"Facilitator {session.facilitator}" in header
    assert session.notes not in text  # the facilitator's own notes stay private


def test_facilitator_line_is_left_out_when_no_name_is_given(
    library: ContentLibrary, tmp_path: Path
) -> None:
    pdf = handout_pdf(sample_session(Priority(title="Bins")), library)
    assert "Facilitator" not in pdf_text(pdf, tmp_path)


def test_compass_marks_unrated_domains_instead_of_drawing_them_at_zero(
    library: ContentLibrary, tmp_path: Path
) -> None:
    session = sample_session(Priority(title="Bins"),
                             ratings={"social-connectedness": 3, "economic-resources": 6})
    text = pdf_text(handout_pdf(session, library), tmp_path)
    compass = text[text.index("How the group rated"):text.index("Your priorities")]
    assert "Social connectedness 3 of 7" in compass
    assert "Economic resources 6 of 7" in compass
    assert compass.count("not rated") >= 3  # three unrated domains (plus the caption)


def test_no_compass_without_ratings(library: ContentLibrary, tmp_path: Path) -> None:
    text = pdf_text(handout_pdf(sample_session(Priority(title="Bins")), library), tmp_path)
    assert "How the group rated" not in text


def test_hand_linked_lessons_appear_instead_of_suggestions(
    library: ContentLibrary, tmp_path: Path
) -> None:
    linked = library.lessons[-1]
    priority = Priority(title="Back alleys full of rubbish and fly-tipping",
                        domains=["environmental-conditions"],
                        lessons=[linked.slug, "no-such-lesson"])
    data = build_handout_data(sample_session(priority), library)
    assert data.priorities[0].lessons_source == "linked"
    assert [lesson.slug for lesson in data.priorities[0].lessons] == [linked.slug]
    assert "no-such-lesson" in data.priorities[0].missing_lessons[0]

    text = pdf_text(build_handout_pdf(data), tmp_path)
    assert "Lessons the group linked" in text
    assert "Suggested lessons" not in text
    assert linked.title in text
    assert "“no-such-lesson” is not in this edition of the content" in text


def test_a_lesson_linked_to_many_priorities_prints_once_and_is_referred_back_to(
    library: ContentLibrary, tmp_path: Path
) -> None:
    # Issue 12 item 7: a lesson is printed in full once; later priorities name it and say
    # where it is printed.
    linked = library.lessons[0]
    priorities = [Priority(title=f"Priority number {index}", lessons=[linked.slug])
                  for index in range(1, 13)]
    text = pdf_text(build_handout_pdf(build_handout_data(sample_session(*priorities), library)),
                    tmp_path)
    summary_words = linked.summary.split()
    assert text.count(linked.title) == 12
    assert text.count(" ".join(summary_words[:6])) == 1
    assert text.count(" ".join(summary_words[-6:])) == 1
    assert text.count(f"{linked.title}: printed in full above, with priority 1, page 1.") == 11
    assert text.count("Priority number 12") == 2  # its heading and its row in "What happens next"


def test_linked_slugs_all_unknown_fall_back_to_suggestions_with_a_note(
    library: ContentLibrary,
) -> None:
    priority = Priority(title="Nobody knows where to get help with debt",
                        lessons=["gone-lesson"])
    handout = build_handout_data(sample_session(priority), library).priorities[0]
    assert handout.lessons_source == "suggested"
    assert handout.lessons
    assert "gone-lesson" in handout.missing_lessons[0]


def test_a_priority_with_no_fitting_lesson_says_so_plainly(
    library: ContentLibrary, tmp_path: Path
) -> None:
    priority = Priority(title="Xylophone zebra quux", votes=2)
    data = build_handout_data(sample_session(priority), library)
    assert data.priorities[0].lessons == ()
    assert data.priorities[0].lessons_source is None
    text = pdf_text(build_handout_pdf(data), tmp_path)
    assert "No lesson in this edition of the programme’s learning fits this priority closely" \
        in text


def test_suggestions_are_the_best_two_or_three(library: ContentLibrary) -> None:
    session = example_session()
    data = build_handout_data(session, library)
    for priority in data.priorities:
        assert 1 <= len(priority.lessons) <= 3


def test_what_happens_next_lists_every_action_with_room_to_write(
    example_pdf: bytes, tmp_path: Path
) -> None:
    text = pdf_text(example_pdf, tmp_path)
    table = text[text.index(NEXT_STEPS):]
    for priority in example_session().priorities:
        for action in priority.actions:
            assert action.what in table
    assert "What Who By when Done" in table
    assert "New actions" in table


def test_where_the_lessons_come_from_is_one_line_at_the_foot_of_the_last_page(
    example_pdf: bytes, library: ContentLibrary
) -> None:
    # Issue 12 item 7: no closing page about the app's sources, a short footer line instead.
    pages = [" ".join(page.extract_text().split())
             for page in PdfReader(io.BytesIO(example_pdf)).pages]
    page = library.find("page", "the-programme")
    assert page is not None
    note = (f"Lessons: {page.title}, {len(library.case_studies)} neighbourhoods · Made with "
            f"NRP Desktop")
    assert note in pages[-1] and library.version in pages[-1]
    assert not any(note in text for text in pages[:-1])
    assert not any("Where the lessons come from" in text for text in pages)
    assert "What happens next" in pages[-1] or "New actions" in pages[-1]


def test_every_page_has_the_footer(example_pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(example_pdf))
    total = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        text = " ".join(page.extract_text().split())
        assert f"Page {number} of {total}" in text
        assert "Wednesday 18 November 2026" in text


def test_document_metadata(library: ContentLibrary) -> None:
    session = example_session()
    session.language = "pl"
    reader = PdfReader(io.BytesIO(handout_pdf(session, library)))
    assert reader.metadata.title == session.title
    assert reader.metadata.author == "NRP Desktop"
    assert reader.trailer["/Root"]["/Lang"] == "pl"


# --- how it is set --------------------------------------------------------------------------


def test_emoji_print_in_the_embedded_emoji_font_and_read_back(
    library: ContentLibrary, tmp_path: Path
) -> None:
    priorities = [
        Priority(title="Litter 🗑️ everywhere 😠", group="Table 🍎",
                 actions=[Action(what="Clean-up day 🧹", who="Us 👍🏽", when="May")]),
        Priority(title="گلیاں صاف 🗑️ ہونی چاہئیں"),
    ]
    session = sample_session(*priorities, title="Spring 🌷 meeting", groups=["Table 🍎"])
    pdf = build_handout_pdf(build_handout_data(session, library))
    text = pdf_text(pdf, tmp_path)
    # Copying or searching the PDF gives the emoji back (reportlab alone wrote U+1F337 so
    # that readers saw U+1F33, a Greek letter); a skin tone, which cannot print in one
    # colour, is left out.
    for words in ("Spring 🌷 meeting", "Litter 🗑️ everywhere 😠", "Table 🍎", "Clean-up day 🧹",
                  "Us 👍"):
        assert words in text
    assert "🗑" in text.split("everywhere", 2)[-1]  # the Urdu title's emoji too
    fonts = {row[0].split("+")[-1]: row for row in pdffonts_rows(pdf, tmp_path, "emoji.pdf")}
    assert fonts["NotoEmoji-Regular"][-5] == "yes"  # embedded


def test_all_fonts_are_embedded_and_none_is_helvetica(
    example_pdf: bytes, library: ContentLibrary, tmp_path: Path
) -> None:
    documents = {
        "example": example_pdf,
        "large": handout_pdf(example_session(), library, HandoutOptions(large_print=True)),
        "case-study": build_case_study_pdf(library.case_studies[0], library),
    }
    for name, pdf in documents.items():
        rows = pdffonts_rows(pdf, tmp_path, f"{name}.pdf")
        assert rows, name
        for row in rows:
            assert "Helvetica" not in row[0], (name, row)
            # columns: name type encoding emb sub uni object-id generation
            assert row[-5] == "yes", (name, row)


def test_paper_sizes(library: ContentLibrary) -> None:
    session = example_session()
    for options, expected in ((HandoutOptions(), A4_POINTS),
                              (HandoutOptions(paper="letter"), LETTER_POINTS)):
        reader = PdfReader(io.BytesIO(handout_pdf(session, library, options)))
        for page in reader.pages:
            size = (float(page.mediabox.width), float(page.mediabox.height))
            assert size == pytest.approx(expected, abs=0.01)


def test_large_print_sets_body_text_at_16_points_or_more(
    example_pdf: bytes, library: ContentLibrary
) -> None:
    large = handout_pdf(example_session(), library, HandoutOptions(large_print=True))
    assert 12 <= body_font_size(example_pdf) < 16  # at least 12 pt in normal print
    assert body_font_size(large) >= 16
    assert len(PdfReader(io.BytesIO(large)).pages) > len(PdfReader(io.BytesIO(example_pdf)).pages)


def test_long_session_with_urdu_and_polish_builds(library: ContentLibrary,
                                                  tmp_path: Path) -> None:
    session = long_session(30)
    for options in (HandoutOptions(), HandoutOptions(large_print=True, paper="letter")):
        pdf = handout_pdf(session, library, options)
        rows = pdffonts_rows(pdf, tmp_path)
        names = " ".join(row[0] for row in rows)
        assert "NotoNaskhArabic" in names and "DejaVuSans" in names
        assert all(row[-5] == "yes" for row in rows)
    text = pdf_text(handout_pdf(session, library), tmp_path)
    assert "Zażółć gęślą jaźń: więcej ławek i zieleni przy żłobku na ulicy Łąkowej" in text
    # pdftotext gives Arabic script as presentation forms, in logical order: NFKC gives back the
    # letters typed. Words in the wrong order would read back reversed.
    logical = unicodedata.normalize("NFKC", text)
    assert "بزرگوں کے لیے بس کا راستہ دوبارہ شروع کیا جائے" in logical
    assert "کونسل سے صفائی کے دن کے بارے میں پوچھیں" in logical
    next_steps = text[text.index(NEXT_STEPS):]
    positions = [next_steps.index(f"{rank}. ") for rank in (1, 2, 3)]
    assert positions == sorted(positions)


URDU_SENTENCE = (
    "ہمارے محلے کی گلیاں صاف ہونی چاہئیں اور بزرگوں کے لیے بس کا راستہ دوبارہ شروع کیا جائے "
    "تاکہ نوجوانوں کو شام کو کھیلنے کی محفوظ جگہ ملے جبکہ کونسل سے صفائی کے دن کے بارے میں "
    "دسمبر سے پہلے پوچھیں کیونکہ دکانوں کے پیچھے کوڑا جمع ہو جاتا ہے"
)


def test_right_to_left_paragraph_reads_back_in_order_over_several_lines(
    library: ContentLibrary, tmp_path: Path
) -> None:
    priority = Priority(title="گلیاں", description=URDU_SENTENCE, group="میز",
                        actions=[Action("صفائی", who="کونسل", when="دسمبر")])
    session = sample_session(priority, groups=["میز"], title="شام کی ملاقات")
    for options in (HandoutOptions(), HandoutOptions(large_print=True)):
        text = pdf_text(handout_pdf(session, library, options), tmp_path)
        # The sentence spans two or more lines: it reads back whole only if the lines and the
        # words on each line are in the right order.
        assert URDU_SENTENCE in unicodedata.normalize("NFKC", text)


def test_case_study_handout_is_one_or_two_pages(library: ContentLibrary, tmp_path: Path) -> None:
    for case_study in library.case_studies:
        for paper in ("a4", "letter"):
            pdf = build_case_study_pdf(case_study, library, HandoutOptions(paper=paper))
            assert 1 <= len(PdfReader(io.BytesIO(pdf)).pages) <= 2, (case_study.slug, paper)
    case_study = library.case_studies[0]
    text = pdf_text(build_case_study_pdf(case_study, library), tmp_path)
    assert case_study.title in text and "The place" in text and "Sources" in text


# --- the pieces ------------------------------------------------------------------------------


def test_markup_turns_every_stored_tag_into_flowables(tmp_path: Path) -> None:
    from reportlab.platypus import SimpleDocTemplate

    from nrp_desktop.reports.fonts import SANS

    html = ("<h2>Heading two</h2><h3>Heading three</h3><h4>Heading four</h4>"
            "<p>Plain <strong>strong</strong> <em>em</em> <code>code</code> "
            '<a href="lesson:x">inner link</a> <a href="https://example.org/">outer</a><br/>'
            "after break</p><ul><li>one</li><li>two<ul><li>nested</li></ul></li></ul>"
            "<ol><li>first</li></ol><blockquote><p>quoted words</p></blockquote>")
    flowables = html_to_flowables(html, make_text_styles())
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, initialFontName=SANS).build(flowables)
    text = pdf_text(buffer.getvalue(), tmp_path)
    for words in ("Heading two", "Heading three", "Heading four", "strong", "em", "code",
                  "inner link", "outer (https://example.org/)", "after break", "• one",
                  "• two", "nested", "1.", "first", "quoted words"):
        assert words in text, words
    assert "<" not in text and "&amp;" not in text


def test_bidi_levels_and_visual_order() -> None:
    assert has_rtl("ملتان") and not has_rtl("Zażółć 123")
    # An Urdu word inside English: one embedded right-to-left level.
    assert resolve_levels("ab کی cd", rtl=False) == [0, 0, 0, 1, 1, 0, 0, 0]
    # Numbers in right-to-left text keep their digits left to right (level 2).
    line = layout([("ملتان 123 abc", False)], 10.5, 1000)[0]
    assert line.rtl
    shown = [str(run.display) for run in line.runs]
    assert shown[0] == "abc 123 " and unicodedata.normalize("NFKC", shown[1]) == "ناتلم"
    # A right-to-left paragraph keeps its first words on its first line.
    words = "ہمارے محلے کی گلیاں صاف ہونی چاہئیں " * 6
    lines = layout([(words, False)], 10.5, 150)
    assert len(lines) > 1 and all(line.rtl for line in lines)


def test_service_ranks_priorities_and_collects_actions(library: ContentLibrary) -> None:
    session = sample_session(
        Priority(title="First", actions=[Action("Call the council", "Ana", "May")]),
        Priority(title="Second"),
        Priority(title="Third", actions=[Action("Book the hall")]),
    )
    data: HandoutData = build_handout_data(session, library)
    assert [p.rank for p in data.priorities] == [1, 2, 3]
    assert [(a.rank, a.action.what) for a in data.actions] == [
        (1, "Call the council"), (3, "Book the hall")]


# --- the command line ------------------------------------------------------------------------


def test_cli_report_writes_the_pdf(tmp_path: Path) -> None:
    target = tmp_path / "handout.pdf"
    result = run_cli("report", str(EXAMPLE_SESSION), "-o", str(target), "--paper", "letter")
    assert result.returncode == 0, result.stderr
    reader = PdfReader(target)
    assert float(reader.pages[0].mediabox.width) == pytest.approx(LETTER_POINTS[0])
    assert "Back alleys full of rubbish" in reader.pages[1].extract_text() + \
        reader.pages[0].extract_text()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["data", "handout.pdf"]


def test_cli_report_refuses_a_bad_file_and_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.nrpsession"
    bad.write_text('{"format": "nrp-session", "version": 1, "session": {"title": "x", '
                   '"date": "2026-01-01", "priorities": [{"title": "a", "votes": -1}]}}',
                   encoding="utf-8")
    target = tmp_path / "out.pdf"
    result = run_cli("report", str(bad), "-o", str(target))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "nrp-desktop: bad.nrpsession: session.priorities[0].votes: must be a whole number, "
        "0 or more"]
    assert not target.exists()


def test_cli_report_names_an_unwritable_target_and_writes_nothing(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("a file, not a folder", encoding="utf-8")
    for target in (tmp_path / "missing" / "out.pdf", not_a_folder / "out.pdf"):
        result = run_cli("report", str(EXAMPLE_SESSION), "-o", str(target))
        assert result.returncode == 2
        assert "cannot write" in result.stderr and str(target.parent) in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
        assert not target.exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["data", "notes.txt"]


# A4's text width at normal and large print, and a compass cell of the collation report.
@pytest.mark.parametrize(("width", "font_size"), [(493, 9), (493, 16), (238, 7.5), (200, 7.5)])
def test_compass_words_stay_inside_the_drawing(width: float, font_size: float) -> None:
    from reportlab.graphics.shapes import String
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from nrp_desktop.reports.compass import compass_drawing

    drawing = compass_drawing({"social-connectedness": 3, "economic-resources": 6}, width, font_size)
    strings = [item for item in drawing.contents if isinstance(item, String)]
    assert len(strings) >= 15  # five names (some on two lines), five scores, the scale
    for item in strings:
        text_width = stringWidth(item.text, item.fontName, item.fontSize)
        left = {"start": item.x, "middle": item.x - text_width / 2, "end": item.x - text_width}[item.textAnchor]
        assert left >= -0.5 and left + text_width <= width + 0.5, (item.text, left, text_width)
        assert item.fontSize * 0.25 <= item.y <= drawing.height - item.fontSize * 0.75, item.text


def test_large_print_compass_is_as_big_as_the_normal_one() -> None:
    # Large print's bigger names must not shrink the radar itself (they did, to 29 % of the
    # width, when every name stood beside its mark).
    from reportlab.graphics.shapes import PolyLine

    from nrp_desktop.reports.compass import compass_drawing

    def radar_share(font_size: float) -> float:
        drawing = compass_drawing({}, 493, font_size)
        xs = [x for item in drawing.contents if isinstance(item, PolyLine) for x in item.points[0::2]]
        return (max(xs) - min(xs)) / 493

    assert radar_share(16) >= radar_share(9) * 0.95
