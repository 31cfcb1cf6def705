""""Since last time" in a follow-up session's handout (contract §5.1), read back as text."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

import pytest

from nrp_desktop.domain.content import ContentLibrary
from nrp_desktop.domain.followup import follow_up_of
from nrp_desktop.domain.handout import HandoutOptions
from nrp_desktop.domain.session import Action, Priority, Session
from nrp_desktop.services.handout import handout_pdf


def pdf_text(pdf: bytes, tmp_path: Path, name: str) -> str:
    path = tmp_path / name
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", " ", text.replace("\u200e", "").replace("\u200f", ""))


def sessions() -> tuple[Session, Session]:
    earlier = Session(
        title="First evening", date=dt.date(2026, 11, 18), venue="Church hall",
        ratings={"social-connectedness": 3, "cultural-coherence": 5, "economic-resources": 2,
                 "environmental-conditions": 2},
        priorities=[
            Priority("Back alleys full of rubbish", actions=[
                Action("Ask the council about a clean-up day", "Two volunteers", "Before Christmas"),
                Action("Map the dark corners", status="done"),
            ]),
            Priority("Nobody knows where to get debt help",
                     actions=[Action("List the advice services", "Link worker")]),
        ],
    )
    later = follow_up_of(earlier, "Three months on", dt.date(2027, 2, 17)).session
    later.ratings = {"social-connectedness": 5, "cultural-coherence": 5, "economic-resources": 1,
                     "governance-systems": 4}
    first, second = later.priorities[0].actions[0], later.priorities[1].actions[0]
    first.status, first.progress, first.updated = "done", "Clean-up day held on 8 March; 30 came", dt.date(2027, 3, 8)
    second.status, second.progress = "dropped", "The library now keeps the list"
    return earlier, later


@pytest.mark.parametrize("large_print", [False, True])
def test_a_follow_up_handout_says_what_happened_and_how_the_compass_moved(
    large_print: bool, library: ContentLibrary, tmp_path: Path
):
    earlier, later = sessions()
    pdf = handout_pdf(later, library, HandoutOptions(large_print=large_print), previous=earlier)
    text = pdf_text(pdf, tmp_path, f"follow-up-{large_print}.pdf")
    assert "Since last time" in text
    assert "This session follows: First evening (held on 18 November 2026)" in text
    assert "Ask the council about a clean-up day" in text
    assert "Clean-up day held on 8 March; 30 came" in text
    assert "The library now keeps the list" in text
    assert "Done" in text and "Dropped" in text and "since 8 March 2027" in text
    assert "0 not started yet, 0 started, 1 done, 1 dropped." in text
    # The done action of the first evening was not carried, so it is not listed.
    assert "Map the dark corners" not in text
    assert "How the compass moved" in text
    assert "Social connectedness 3 of 7 5 of 7 +2 (better)" in text
    assert "Cultural coherence 5 of 7 5 of 7 no change" in text
    assert "Economic resources 2 of 7 1 of 7 −1 (worse)" in text
    assert "Environmental conditions 2 of 7 — not rated this time" in text
    assert "Governance systems — 4 of 7 not rated last time" in text
    assert "Dashed line and open dots: then (18 November 2026)" in text
    assert "solid line: now (17 February 2027)" in text


def test_a_follow_up_of_a_session_not_stored_here_says_so(library: ContentLibrary, tmp_path: Path):
    _earlier, later = sessions()
    text = pdf_text(handout_pdf(later, library, previous=None), tmp_path, "unknown.pdf")
    assert "Since last time" in text
    assert "follows an earlier one that is not stored on this computer" in text
    assert "Clean-up day held on 8 March; 30 came" in text


def test_a_first_session_has_no_such_section(library: ContentLibrary, tmp_path: Path):
    earlier, _later = sessions()
    assert "Since last time" not in pdf_text(handout_pdf(earlier, library), tmp_path, "first.pdf")
