"""A real phone browser (Debian's headless Chromium) joins, places and takes back dots, and
suggests an idea, against the server on loopback."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from headless_chromium import Chromium, chromium_path, wait_until

from nrp_desktop.domain.session import Priority
from nrp_desktop.services.live_server import LiveServer, load_page
from nrp_desktop.services.live_votes import LiveVoting, StoreVoteSink
from nrp_desktop.services.sessions import SessionStore

TITLES = ["Safer crossing by the school", "A youth club on Fridays <b>bold?</b>", "Fix the bus shelter"]


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[SessionStore, str, LiveVoting, str]]:
    with SessionStore(tmp_path / "sessions.sqlite3", backups_dir=tmp_path / "backups") as store:
        session = store.create_session("Hall meeting", dt.date(2026, 12, 1))
        for title in TITLES:
            store.add_priority(session.id, Priority(title=title))
        voting = LiveVoting(StoreVoteSink(store, session.id))
        server = LiveServer(voting, load_page(), "127.0.0.1", 0)
        url = server.start()
        try:
            yield store, session.id, voting, url
        finally:
            server.stop()


@pytest.fixture
def browser() -> Iterator[Chromium]:
    if chromium_path() is None:
        pytest.fail("chromium is missing: scripts/setup.sh --test installs it")  # a failure, never a skip
    with Chromium(390, 844) as chromium:
        yield chromium


def votes(store: SessionStore, session_id: str) -> list[int]:
    return [p.votes for p in store.load_session(session_id).priorities]


def test_a_phone_joins_by_code_places_and_takes_back_dots_and_suggests(served, browser: Chromium, tmp_path: Path):
    store, session_id, voting, url = served
    browser.navigate(url)
    browser.wait_for("!document.getElementById('join').hidden")
    assert browser.evaluate("document.querySelector('#join h1').textContent") == "Vote on the priorities"

    browser.type_into("#code", "000000" if voting.code != "000000" else "111111")
    browser.tap("#join-button")
    browser.wait_for("document.getElementById('join-message').textContent.includes('not right')")

    browser.evaluate("document.getElementById('code').value = ''")
    browser.type_into("#code", voting.code)
    browser.tap("#join-button")
    browser.wait_for("document.querySelectorAll('#priorities li').length === 3")
    titles = browser.evaluate("[...document.querySelectorAll('#priorities .title')].map(e => e.textContent)")
    assert titles == TITLES  # the markup in a title is shown as text, not made into HTML
    assert browser.evaluate("document.querySelectorAll('#priorities b').length") == 0
    assert browser.evaluate("document.getElementById('dots-left').textContent") == "You have 3 dots left"

    browser.tap("#priorities li:nth-child(1) button.place")
    wait_until(lambda: votes(store, session_id) == [1, 0, 0])
    browser.wait_for("document.getElementById('dots-left').textContent === 'You have 2 dots left'")
    browser.tap("#priorities li:nth-child(1) button.place")
    browser.wait_for("document.getElementById('dots-left').textContent === 'You have 1 dot left'")
    browser.tap("#priorities li:nth-child(3) button.place")
    browser.wait_for("document.getElementById('dots-left').textContent === 'All your dots are placed'")
    assert votes(store, session_id) == [2, 0, 1]
    assert browser.evaluate("document.querySelector('#priorities li:nth-child(2) button.place').disabled")

    browser.tap("#priorities li:nth-child(1) button.take-back")
    browser.wait_for("document.getElementById('dots-left').textContent === 'You have 1 dot left'")
    assert votes(store, session_id) == [1, 0, 1]
    assert "1 of them is yours" in browser.evaluate("document.querySelector('#priorities li .count').textContent")

    browser.type_into("#idea", "Lights on the footpath")
    browser.tap("#idea-button")
    browser.wait_for("document.getElementById('idea-message').textContent.startsWith('Thank you')")
    assert [idea.title for idea in voting.waiting_ideas()] == ["Lights on the footpath"]
    assert len(store.load_session(session_id).priorities) == 3  # waiting, not added

    shot = browser.screenshot(tmp_path / "phone.png")
    assert shot.stat().st_size > 10_000
    # The one failed request is the wrong code, refused on purpose; nothing blocked, no script error.
    assert browser.problems() == [
        f"Failed to load resource: the server responded with a status of 403 (Forbidden) {url}api/join"
    ]
    assert all(u.startswith(url) or u == "about:blank" for u in browser.requested_urls())


def test_the_qr_link_joins_in_one_tap_and_a_reload_keeps_the_phones_dots(served, browser: Chromium):
    store, session_id, voting, url = served
    browser.navigate(f"{url}#code={voting.code}")
    browser.wait_for("document.querySelectorAll('#priorities li').length === 3")
    assert browser.evaluate("location.hash") == ""  # the code does not stay in the address bar
    browser.tap("#priorities li:nth-child(2) button.place")
    browser.wait_for("document.getElementById('dots-left').textContent === 'You have 2 dots left'")
    browser.navigate(f"{url}#code={voting.code}")  # scanned again, or reloaded
    browser.wait_for("document.getElementById('dots-left').textContent === 'You have 2 dots left'")
    assert voting.phones_joined == 1 and votes(store, session_id) == [0, 1, 0]
    assert browser.problems() == []
