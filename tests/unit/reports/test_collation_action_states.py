"""Compare halls' printout counts every hall's actions by state (issue 14.5, contract 5.1)."""

from __future__ import annotations

import re

from conftest import pdf_text, two_halls_with_actions

from nrp_desktop.reports.collation import build_collation_pdf
from nrp_desktop.services.collate import collate
from nrp_desktop.services.collation_pdf import collation_report


def test_the_report_counts_each_halls_actions_by_state():
    report = collation_report(collate(two_halls_with_actions()))
    assert report.action_counts_by_hall == {
        "Church hall": {"agreed": 1, "started": 1, "done": 1, "dropped": 0},
        "Library room": {"agreed": 0, "started": 0, "done": 1, "dropped": 1},
    }
    lights = next(p for p in report.priorities if p.title == "Fix the street lights")
    assert lights.action_counts == {"agreed": 0, "started": 1, "done": 1, "dropped": 1}


def test_the_pdf_has_a_row_per_hall_with_its_counts():
    text = pdf_text(build_collation_pdf(collation_report(collate(two_halls_with_actions()))))
    assert "Actions by state: 1 not started yet, 1 started, 2 done, 1 dropped." in text
    # The table: Hall, Not started yet, Started, Done, Dropped, All.
    assert re.search(r"Hall Not started yet Started Done Dropped All Church hall 1 1 1 0 3 "
                     r"Library room 0 0 1 1 2", text), text
