"""Numbers inside right-to-left text (issue 10, item 11): "1,234" in an Urdu title printed as
"234,1" and "12.5%" as "%5.12" while reports/bidi.py resolved the levels itself. The levels now
come from python-bidi; these tests read the printed PDF back with pdftotext."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import unicodedata
from pathlib import Path

from nrp_desktop.domain.content import ContentLibrary
from nrp_desktop.domain.session import Action, Priority, Session
from nrp_desktop.reports.bidi import layout, resolve_levels
from nrp_desktop.services.handout import handout_pdf

URDU_TITLE = "بجٹ 1,234 پاؤنڈ اور 12.5% اضافہ"
URDU_PRIORITY = "قیمت 3,500 روپے، 40% کمی"
URDU_ACTION = "ملاقات 15.06.2027 کو"
ARABIC_PRIORITY = "ميزانية 2,750.50 جنيه في السنة"


def printed_text(pdf: bytes, tmp_path: Path) -> str:
    """pdftotext's reading, direction marks dropped and Arabic presentation forms made letters."""
    path = tmp_path / "numbers.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    return unicodedata.normalize("NFKC", re.sub("[\u202a-\u202e]", "", text))


def test_numbers_in_right_to_left_lines_print_in_reading_order(
    library: ContentLibrary, tmp_path: Path
) -> None:
    session = Session(
        title=URDU_TITLE, date=dt.date(2026, 3, 1),
        priorities=[
            Priority(title=URDU_PRIORITY, actions=[Action(URDU_ACTION, who="علی", when="10:30")]),
            Priority(title=ARABIC_PRIORITY),
            Priority(title="Budget of £1,234.50 for 12.5% more"),
        ],
    )
    text = printed_text(handout_pdf(session, library), tmp_path)
    for number in ("1,234", "12.5", "3,500", "40", "15.06.2027", "2,750.50", "10:30",
                   "£1,234.50 for 12.5% more"):
        assert number in text, number
    for reversed_number in ("234,1", "5.12", "500,3", "2027.06.15", "50.750,2"):
        assert reversed_number not in text, reversed_number
    # The percent sign stays beside its number (on its left in Arabic-script text, as the
    # Unicode rules place it there).
    assert "%12.5" in text or "12.5%" in text
    # The words around the numbers still read in order (the title is on one line).
    title_line = next(line for line in text.splitlines() if "1,234" in line)
    assert [word for word in ("اضافہ", "12.5", "پاؤنڈ", "1,234", "بجٹ")
            if word in title_line] == ["اضافہ", "12.5", "پاؤنڈ", "1,234", "بجٹ"]  # visual order


def test_a_number_with_separators_is_one_left_to_right_stretch() -> None:
    text = "قیمت 1,234.50 روپے"
    levels = resolve_levels(text, rtl=True)
    start = text.index("1")
    number_levels = set(levels[start:start + len("1,234.50")])
    assert len(number_levels) == 1 and number_levels.pop() % 2 == 0
    assert levels[0] == 1  # the Urdu word is right to left
    line = layout([(text, False)], 10.5, 1000)[0]
    assert any("1,234.50" in str(run.display) for run in line.runs)


def test_explicit_isolates_are_honoured() -> None:
    # A right-to-left isolate in an English line: the Urdu word inside is right to left, the
    # English after it stays on the base level.
    text = "Hall \u2067ملتان\u2069 north"
    levels = resolve_levels(text)
    assert levels[text.index("م")] == 1
    assert levels[text.index("n")] == 0
