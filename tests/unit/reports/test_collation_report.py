"""The collation printout: sessions from several halls, their priorities added up, read back from
the PDF as a reader (pypdf) and a printer (pdffonts) would see it."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
from pathlib import Path

import pytest
from conftest import CHURCH, LIBRARY, example_session, library_session
from pypdf import PdfReader

from nrp_desktop.domain.collation import CollationReport
from nrp_desktop.domain.session import Priority, Session
from nrp_desktop.reports.collation import build_collation_pdf
from nrp_desktop.services.collate import Collation, collate, confirm
from nrp_desktop.services.collation_pdf import collation_pdf, collation_report


def two_halls() -> Collation:
    return collate([example_session(), library_session()])


def proposal_about(collation: Collation, words: str):
    return next(group for group in collation.proposals
                if any(words in member.priority.title for member in group.members))


def pdf_text(pdf: bytes) -> str:
    """All the words of the PDF, whitespace (line breaks in table cells included) collapsed."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"\s+", " ", text)


def pdffonts_rows(pdf: bytes, tmp_path: Path) -> list[list[str]]:
    path = tmp_path / "collation.pdf"
    path.write_bytes(pdf)
    output = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                            check=True).stdout
    return [line.split() for line in output.splitlines()[2:] if line.strip()]


@pytest.fixture(scope="module")
def merged_pdf() -> bytes:
    collation = two_halls()
    confirm(collation, proposal_about(collation, "Back alleys"), accept=True)
    return collation_pdf(collation)


def test_report_data_sums_votes_per_hall_and_marks_merges():
    collation = two_halls()
    confirm(collation, proposal_about(collation, "Back alleys"), accept=True)
    report = collation_report(collation)
    top = report.priorities[0]
    assert (top.rank, top.title, top.votes) == (1, "Back alleys full of rubbish and fly-tipping", 20)
    assert [(hall.hall, hall.votes) for hall in top.by_hall] == [(CHURCH, 11), (LIBRARY, 9)]
    assert top.merged and top.wordings == ("Back alleys full of rubbish and fly-tipping",
                                           "Fly-tipping in the back alley")
    assert [action.hall for action in top.actions] == [CHURCH, LIBRARY]
    debt = next(p for p in report.priorities if p.title.startswith("Nobody knows"))
    assert debt.votes == 13 and debt.merged  # the same words in both halls: grouped at once
    assert [p.votes for p in report.priorities] == sorted((p.votes for p in report.priorities),
                                                          reverse=True)
    assert [p.rank for p in report.priorities] == list(range(1, len(report.priorities) + 1))
    assert report.undecided_proposals == 1  # the lonely neighbours, not decided yet
    assert report.participants == 17 + 12
    assert [s.hall for s in report.sessions] == [CHURCH, LIBRARY]


def test_pdf_lists_the_sessions_and_the_merged_priority(merged_pdf: bytes):
    text = pdf_text(merged_pdf)
    assert "Priorities across 2 sessions" in text
    assert "Residents' evening: what would make our streets better?" in text
    assert "Library drop-in: what should change on the estate?" in text
    assert "18 November 2026" in text and "2 December 2026" in text
    assert "29 people took part" in text
    # The merged priority: its total, each hall with its votes, marked as brought together.
    assert re.search(r"Back alleys full of rubbish and fly-tipping BROUGHT TOGETHER FROM 2 "
                     r"HALLS .*?20 [0-9.]+ a person Church hall, back room: 11 \(of 17\) Library community "
                     r"room: 9 \(of 12\)", text)
    assert "Library community room wrote: “Fly-tipping in the back alley”" in text
    assert re.search(r"Nobody knows where to get help with debt BROUGHT TOGETHER FROM 2 HALLS "
                     r"13 [0-9.]+ a person Church hall, back room: 8 \(of 17\) Library "
                     r"community room: 5 \(of 12\)", text)
    # Domains by mark and name, not colour alone.
    assert "N Environmental conditions" in text


def test_pdf_ranks_by_total_votes(merged_pdf: bytes):
    table = pdf_text(merged_pdf).split("Priorities, most votes first", 1)[1]
    table = table.split("How each hall rated", 1)[0]
    order = [table.index(title) for title in (
        "Back alleys full of rubbish", "Nobody knows where", "Lonely older neighbours since",
        "Older neighbours are lonely", "The council never asks")]
    assert order == sorted(order)


def test_pdf_gives_every_action_under_its_priority_with_its_hall(merged_pdf: bytes):
    actions = pdf_text(merged_pdf).split("What the halls agreed to do", 1)[1]
    back_alleys = actions.index("1. Back alleys full of rubbish and fly-tipping")
    debt = actions.index("2. Nobody knows where to get help with debt")
    assert back_alleys < actions.index("Ask the council about a community clean-up day") < debt
    assert back_alleys < actions.index("Map the worst spots and send photos to the council") < debt
    assert debt < actions.index("Ask the credit union to hold a drop-in at the library")
    assert "Two volunteers from Table 1" in actions and "End of January" in actions
    assert "No action written down yet for:" in actions
    assert "The council never asks us before deciding" in actions.split("No action written", 1)[1]


def test_pdf_shows_each_compass_labelled_with_its_hall(merged_pdf: bytes):
    compasses = pdf_text(merged_pdf).split("How each hall rated the five domains", 1)[1]
    compasses = compasses.split("What the halls agreed to do", 1)[0]
    church = compasses.split(CHURCH, 1)[1].split(LIBRARY, 1)[0]
    library = compasses.split(LIBRARY, 1)[1]
    assert "18 November 2026 · 17 people" in church and "C Cultural coherence 5 of 7" in church
    assert "not rated" not in church  # the church hall rated all five
    # The library group left cultural coherence unrated: said in words, not drawn as zero.
    assert "2 December 2026 · 12 people" in library
    assert "C Cultural coherence not rated" in library
    assert "S Social connectedness 2 of 7" in library


def test_every_page_has_its_footer_and_every_font_is_embedded(merged_pdf: bytes, tmp_path: Path):
    pages = PdfReader(io.BytesIO(merged_pdf)).pages
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page.extract_text()
        assert "Priorities across 2 sessions · 18 November 2026 to 2 December 2026" in \
            page.extract_text()
    rows = pdffonts_rows(merged_pdf, tmp_path)
    assert rows
    for row in rows:
        assert "Helvetica" not in row[0]
        assert row[-5] == "yes", row  # the "emb" column


def test_undecided_look_alikes_are_counted_apart_and_said_so():
    collation = two_halls()
    text = pdf_text(collation_pdf(collation))
    assert "Not decided yet: 2 sets of priorities look alike" in text
    assert re.search(r"Back alleys full of rubbish and fly-tipping 11 [0-9.]+ a person Church "
                     r"hall, back room: 11", text)
    assert re.search(r"Fly-tipping in the back alley 9 [0-9.]+ a person Library community "
                     r"room: 9", text)


def test_letter_paper():
    pdf = collation_pdf(two_halls(), paper="letter")
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_nothing_chosen_still_prints_a_clear_page():
    text = pdf_text(build_collation_pdf(CollationReport(sessions=(), priorities=())))
    assert "Priorities across 0 sessions" in text
    assert "No sessions were chosen" in text


def test_many_halls_any_script(tmp_path: Path):
    sessions = [Session(title=f"Evening {n}", date=dt.date(2026, 11, n + 1),
                        venue=f"Hall {n}" if n % 2 else "مسجد کا ہال",
                        ratings={} if n == 0 else {"governance-systems": n % 7 + 1},
                        priorities=[Priority("پارک میں روشنی نہیں ہے", votes=n),
                                    Priority(f"Brak ławek w parku {n}", votes=1)])
                for n in range(7)]
    pdf = collation_pdf(collate(sessions))
    text = pdf_text(pdf)
    assert "Priorities across 7 sessions" in text
    assert "This session rated no domain." in text
    assert "Brak ławek w parku 3" in text
    fonts = {row[0].split("+")[-1] for row in pdffonts_rows(pdf, tmp_path)}
    assert "NotoNaskhArabic-Regular" in fonts
