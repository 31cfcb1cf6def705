"""The screen "Compare sessions from several halls": tick stored sessions, collate them off the
GUI thread, decide the look-alikes, and save the PDF."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from conftest import CHURCH, LIBRARY, example_session, library_session
from pypdf import PdfReader
from PySide6.QtCore import Qt

from nrp_desktop.services.sessions import SessionStore
from nrp_desktop.ui.app import create_application
from nrp_desktop.ui.collation.parts import CollationModel, Column
from nrp_desktop.ui.collation.view import CollationView
from nrp_desktop.ui.widgets import pdf_output


@pytest.fixture
def store():
    with SessionStore() as opened:
        yield opened


@pytest.fixture
def stored(store: SessionStore) -> tuple[str, str]:
    """The example (Church hall, 18 November) and a library evening (2 December)."""
    example = store.save_session(example_session())
    library = store.save_session(library_session())
    return example.id, library.id


@pytest.fixture
def view(qtbot, store: SessionStore, stored: tuple[str, str]) -> CollationView:
    create_application()
    view = CollationView()
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.attach_store(store)
    return view


def collate(view: CollationView, qtbot, session_ids) -> None:
    view.set_checked(session_ids)
    with qtbot.waitSignal(view.collated, timeout=10_000):
        view.collate_button.click()


def rows(view: CollationView) -> list[tuple[str, int, str]]:
    """(title's first line, votes, halls) for every row of the table, top to bottom."""
    model = view.model
    result = []
    for row in range(model.rowCount()):
        title = model.index(row, Column.PRIORITY).data().split("\n")[0]
        votes = int(model.index(row, Column.VOTES).data())
        halls = model.index(row, Column.HALLS).data()
        result.append((title, votes, halls))
    return result


def card_about(view: CollationView, words: str):
    return next(card for card in view.proposal_cards
                if any(words in m.priority.title for m in card.group.members))


def test_lists_stored_sessions_newest_first_and_collate_needs_a_tick(view, stored):
    example_id, _library_id = stored
    items = [view.session_list.item(row) for row in range(view.session_list.count())]
    assert [item.text().split("\n")[0] for item in items] == [
        "Library drop-in: what should change on the estate?",
        "Residents' evening: what would make our streets better?",
    ]
    assert "2 December 2026 · 3 priorities" in items[0].text()
    assert not view.collate_button.isEnabled()
    items[1].setCheckState(Qt.CheckState.Checked)
    assert view.collate_button.isEnabled()
    assert view.checked_session_ids() == [example_id]
    view.refresh_sessions()  # e.g. on coming back to the screen: the tick stays
    assert view.checked_session_ids() == [example_id]


def test_collating_two_halls_sums_the_votes(view, qtbot, stored):
    assert view.body.currentWidget() is view.placeholder
    collate(view, qtbot, stored)
    assert view.body.currentWidget() is view.results_page
    assert view.summary.text() == "Priorities across 2 sessions"
    table = rows(view)
    debt = next(row for row in table if row[0] == "Nobody knows where to get help with debt")
    assert debt[1] == 8 + 5
    assert debt[2] == f"{CHURCH}: 8\n{LIBRARY}: 5"
    assert [votes for _, votes, _ in table] == sorted((v for _, v, _ in table), reverse=True)
    merged = view.model.index(table.index(debt), Column.PRIORITY)
    assert merged.data(CollationModel.MERGED_ROLE) is True
    assert "brought together from 2 halls" in merged.data()
    domains = view.model.index(table.index(debt), Column.DOMAINS).data()
    assert domains == "E · Economic resources"
    # The compasses, side by side, oldest session first; unrated shown as unrated.
    assert [card.session.hall for card in view.compass_cards] == [CHURCH, LIBRARY]
    assert view.compass_cards[1].radar.values()["cultural-coherence"] is None
    assert view.compass_cards[0].radar.values()["cultural-coherence"] == 5


def test_a_proposal_can_be_merged_and_another_kept_apart(view, qtbot, stored):
    collate(view, qtbot, stored)
    assert len(view.proposal_cards) == 2
    assert view.tabs.tabText(0) == "Priorities (2 to decide)"
    table = rows(view)
    assert ("Back alleys full of rubbish and fly-tipping", 11, f"{CHURCH}: 11") in table
    assert ("Fly-tipping in the back alley", 9, f"{LIBRARY}: 9") in table

    card_about(view, "Back alleys").merge_button.click()
    table = rows(view)
    assert table[0] == ("Back alleys full of rubbish and fly-tipping", 20,
                        f"{CHURCH}: 11\n{LIBRARY}: 9")
    assert not any(title == "Fly-tipping in the back alley" for title, _, _ in table)
    assert len(view.proposal_cards) == 1
    assert view.tabs.tabText(0) == "Priorities (1 to decide)"

    card_about(view, "Older neighbours").keep_button.click()
    table = rows(view)
    assert ("Lonely older neighbours since the buses stopped", 7, f"{LIBRARY}: 7") in table
    assert ("Older neighbours are lonely since the bus route was cut", 6, f"{CHURCH}: 6") in table
    assert view.proposal_cards == [] and not view.proposals_scroll.isVisibleTo(view)
    assert view.tabs.tabText(0) == "Priorities"
    assert sum(votes for _, votes, _ in table) == (11 + 8 + 6 + 4) + (9 + 7 + 5)


def test_save_writes_the_pdf_as_decided(view, qtbot, stored, tmp_path: Path):
    collate(view, qtbot, stored)
    card_about(view, "Back alleys").merge_button.click()
    target = tmp_path / "out" / "collation.pdf"
    target.parent.mkdir()
    with qtbot.waitSignal(view.pdf_saved, timeout=20_000) as saved:
        assert view.save_to(str(target))
    assert saved.args == [str(target)]
    assert view.save_button.isEnabled()
    reader = PdfReader(io.BytesIO(target.read_bytes()))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Priorities across 2 sessions" in text
    assert re.search(r"Back alleys full of rubbish and fly-tipping BROUGHT TOGETHER FROM 2 "
                     r"HALLS .*? 20 .*?Church hall, back room: 11.*? Library community room: 9",
                     text)
    assert "Not decided yet: one pair of priorities looks alike" in text
    assert [p.name for p in target.parent.iterdir()] == ["collation.pdf"]  # no temporary left


def test_a_failed_save_says_so_and_writes_nothing(view, qtbot, stored, tmp_path: Path, dialogs):
    collate(view, qtbot, stored)
    target = tmp_path / "missing-folder" / "collation.pdf"
    view.save_to(str(target))
    qtbot.waitUntil(lambda: bool(dialogs.shown), timeout=20_000)
    assert dialogs.texts[0].startswith("The collation was not saved:")
    assert not target.exists()


def test_print_sends_the_same_pdf_to_the_print_dialog(view, qtbot, stored, monkeypatch):
    collate(view, qtbot, stored)
    sent: list[tuple[bytes, str]] = []
    monkeypatch.setattr(pdf_output, "ask_printer_and_print",
                        lambda parent, pdf, title, dialog_title: sent.append((pdf, title)) or 1)
    view.print_button.click()
    qtbot.waitUntil(lambda: bool(sent), timeout=20_000)
    pdf, title = sent[0]
    assert pdf.startswith(b"%PDF") and title == "Priorities across 2 sessions"


def test_a_vanished_session_is_reported_not_crashed(view, qtbot, stored, store):
    view.set_checked(stored)
    store.delete_session(stored[0])
    view.collate_button.click()
    qtbot.waitUntil(lambda: "could not be collated" in view.choice_status.text(), timeout=10_000)
    assert view.collation is None and view.body.currentWidget() is view.placeholder


def test_screenshot_state_stores_and_collates_two_halls(view, store):
    for summary in store.list_sessions():
        store.delete_session(summary.id)
    states = view.screenshot_states()
    assert [name for name, _ in states] == ["collation"]
    states[0][1]()
    assert len(store.list_sessions()) == 2
    assert len(view.checked_session_ids()) == 2
    assert view.summary.text() == "Priorities across 2 sessions"
    assert any(votes == 13 for _, votes, _ in rows(view))
    assert len(view.proposal_cards) == 2
