"""Compare halls: votes per participant beside the raw sum (issue 12, item 9)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from nrp_desktop.domain.collation import (
    CollatedPriority,
    CollatedSession,
    CollationReport,
    HallVotes,
)
from nrp_desktop.reports.collation import build_collation_pdf

DAY = dt.date(2026, 11, 18)


def report(big_hall_people: int | None = 18) -> CollationReport:
    """A hall of 18 and a hall of 14: the big hall's favourite wins on raw votes (20 to 16),
    the small hall's on votes per person (20/18 = 1.11 against 16/14 = 1.14)."""
    sessions = (
        CollatedSession("Evening A", DAY, "Big hall", participants=big_hall_people),
        CollatedSession("Evening B", DAY, "Small hall", participants=14),
    )
    priorities = (
        CollatedPriority(1, "Safer crossings", 20, (HallVotes("Big hall", 20),)),
        CollatedPriority(2, "A youth club", 16, (HallVotes("Small hall", 16),)),
    )
    return CollationReport(sessions, priorities)


def words(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in
                             PdfReader(io.BytesIO(pdf)).pages).split())


def test_votes_per_participant_weigh_every_hall_alike() -> None:
    data = report()
    crossings, club = data.priorities
    assert data.votes_per_participant(crossings) == pytest.approx(20 / 18)
    assert data.votes_per_participant(club) == pytest.approx(16 / 14)
    assert [p.title for p in data.ordered("votes")] == ["Safer crossings", "A youth club"]
    assert [p.title for p in data.ordered("per_participant")] == ["A youth club",
                                                                    "Safer crossings"]


def test_the_report_shows_both_figures_and_says_which_orders_the_list() -> None:
    raw = words(build_collation_pdf(report()))
    assert "Ordered by the votes as cast, added up across the halls" in raw
    assert "1.11 a person" in raw and "1.14 a person" in raw
    assert "Big hall: 20 (of 18)" in raw
    assert raw.index("Safer crossings") < raw.index("A youth club")
    shared = words(build_collation_pdf(report(), measure="per_participant"))
    assert "Ordered by votes per person who took part" in shared
    assert "Votes a person" in shared and "20 votes" in shared
    table = shared[shared.index("Votes a person"):]
    assert table.index("A youth club") < table.index("Safer crossings")


def test_without_every_head_count_the_report_keeps_raw_votes_and_says_why() -> None:
    data = report(big_hall_people=None)
    assert not data.per_participant_available
    assert data.measure_shown("per_participant") == "votes"
    text = words(build_collation_pdf(data, measure="per_participant"))
    assert "Ordered by the votes as cast" in text
    assert "Votes per person were asked for, but cannot be worked out: one hall did not count" \
        in text
    assert "a person" not in text.replace("per person", "")
