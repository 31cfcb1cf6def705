"""The handout's cost grows with the file, not faster (issue 10, item 10).

reportlab's Table measures every row it still holds each time it splits at a page break, so the
"What happens next" table of a priority with thousands of actions took time in the square of
their number (20,000 actions: 143 s). These tests count the table rows reportlab measures, which
is deterministic, instead of timing anything (benchmarks/bench_handout.py shows the times).
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

import pytest
from reportlab.platypus import tables

from nrp_desktop.domain.content import ContentLibrary
from nrp_desktop.domain.handout import HandoutOptions
from nrp_desktop.domain.session import Action, Priority, Session
from nrp_desktop.reports.handout import build_handout_pdf
from nrp_desktop.services.handout import build_handout_data


def many_actions(count: int) -> Session:
    actions = [Action(what=f"Action number {index:05d}", who="Volunteer", when="May")
               for index in range(count)]
    return Session(title="A long evening", date=dt.date(2026, 5, 1), priorities=[
        Priority(title="Clean the back alleys", actions=actions, votes=9),
        Priority(title="A safe place to play", votes=4),
    ])


def rows_measured(session: Session, library: ContentLibrary, monkeypatch: pytest.MonkeyPatch,
                  options: HandoutOptions | None = None) -> tuple[int, bytes]:
    """How many table rows reportlab measures while building the handout, and the PDF."""
    counted = [0]
    original = tables.Table._calc_height

    def counting(self: tables.Table, *args: object, **kwargs: object) -> object:
        counted[0] += len(self._cellvalues)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(tables.Table, "_calc_height", counting)
    data = build_handout_data(session, library)
    pdf = build_handout_pdf(data, options or HandoutOptions())
    monkeypatch.setattr(tables.Table, "_calc_height", original)
    return counted[0], pdf


def test_table_work_grows_linearly_with_the_actions(
    library: ContentLibrary, monkeypatch: pytest.MonkeyPatch
) -> None:
    small, _ = rows_measured(many_actions(300), library, monkeypatch)
    large, _ = rows_measured(many_actions(1200), library, monkeypatch)
    # Four times the actions: about four times the rows measured (it was about sixteen times).
    assert large / small < 4.6, (small, large)
    assert large < 4 * 1200, large  # each row measured a handful of times, not once a page


def printed_pages(pdf: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "long.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    return text.split("\f")


@pytest.mark.parametrize("large_print", [False, True])
def test_a_long_table_prints_every_action_once_under_its_head_on_every_page(
    library: ContentLibrary, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, large_print: bool
) -> None:
    count = 250
    _, pdf = rows_measured(many_actions(count), library, monkeypatch,
                           HandoutOptions(large_print=large_print))
    pages = printed_pages(pdf, tmp_path)
    start = next(index for index, page in enumerate(pages) if "What happens next" in page
                 and "Every action the group agreed" in page)
    table_pages = [page for page in pages[start:] if "Action number" in page]
    assert len(table_pages) >= 3
    numbers = [int(found) for page in table_pages
               for found in re.findall(r"Action number (\d{5})", page)]
    assert numbers == list(range(count))  # each once, in order
    for page in table_pages:  # the priority's head row comes again on every page it runs onto
        assert "1. Clean the back alleys" in page
    assert "2. A safe place to play" in "".join(pages[start:])
    assert "New actions" in "".join(pages[start:])
