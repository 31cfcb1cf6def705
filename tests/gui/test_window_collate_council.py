"""Compare halls ▸ Sessions from: the council database, in the real main window against the
private PostgreSQL cluster: the neighbourhood and date filters, the figures computed by SQL there
equal to the laptop's of the same sessions (and to the laptop source on the same screen), and a
wrong password is one plain message."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import WindowDriver, pdf_text, store_sessions
from council_samples import sample_sessions
from postgres_cluster import PASSWORDS, READER

from nrp_desktop.domain.collation_figures import CollationFilter, figures_from_sessions
from nrp_desktop.services.council import CouncilDatabase, publish_sessions
from nrp_desktop.ui.worker import wait_for_background_work


@pytest.fixture
def more_halls(stored_sessions):
    """Beside the example and the second hall: the council samples (Bootle twice, Westminster)."""
    store_sessions(*sample_sessions())
    return [*stored_sessions, *sample_sessions()]


def published(app_window: WindowDriver, council_urls, council_password, monkeypatch) -> None:
    council_password("owner")
    with CouncilDatabase(council_urls["owner"]) as database:
        database.upgrade()
    council_password("writer")
    publish_sessions(app_window.window.store, None, council_urls["writer"])
    monkeypatch.delenv("NRP_DESKTOP_DB_PASSWORD")  # the officer types the reader's password


def collate_from_council(app_window: WindowDriver, collation, password: str = PASSWORDS[READER]) -> str:
    collation.figures = None
    app_window.qtbot.keyClicks(app_window.field("Council database password"), password)
    app_window.click("Collate these sessions")
    app_window.wait_until(lambda: app_window.button("Collate these sessions").isEnabled())
    wait_for_background_work()
    return collation.council_status.text()


def shown_rows(app_window: WindowDriver) -> list[tuple[str, int]]:
    table = app_window.field("Priorities across the sessions, most votes first")
    model = table.model()
    return [(model.index(row, 1).data().split("\n")[0], int(model.index(row, 2).data()))
            for row in range(model.rowCount())]


def test_the_council_source_filters_and_gives_the_laptops_figures(
    more_halls, app_window: WindowDriver, council_urls, council_password, monkeypatch, tmp_path
):
    published(app_window, council_urls, council_password, monkeypatch)
    laptop = [app_window.window.store.load_session(s.id) for s in more_halls]
    collation = app_window.go_to("Compare halls")
    app_window.choose("Where the sessions come from", "The council database")
    assert not app_window.field("Council database address").isHidden()
    app_window.field("Council database address").setText(council_urls["reader"])

    # One neighbourhood (typed as a person might: the folding is the laptop's).
    app_window.type_into("Only this neighbourhood", " BOOTLE")
    assert collate_from_council(app_window, collation) == ""
    bootle = figures_from_sessions(laptop, CollationFilter("Bootle"))
    assert collation.from_council and collation.figures == bootle and bootle.sessions == 2
    assert shown_rows(app_window) == [(p.title, p.votes) for p in bootle.priorities]
    assert "Sessions: 2" in collation.totals.text()
    assert collation.summary.text() == "Council database: 2 sessions"
    assert app_window.field("Council database password").text() == ""  # never kept
    saved = []
    collation.pdf_saved.connect(saved.append)
    assert collation.save_to(str(tmp_path / "bootle.pdf"))  # the same printed collation as the laptop's
    app_window.wait_until(lambda: saved == [str(tmp_path / "bootle.pdf")])
    printed = pdf_text((tmp_path / "bootle.pdf").read_bytes())
    assert bootle.priorities[0].title in printed and "St Leonard's hall" in printed

    # A date range, every neighbourhood.
    app_window.field("Only this neighbourhood").clear()
    collation.set_date(app_window.field("Held on or after"), dt.date(2027, 3, 10))
    collation.set_date(app_window.field("Held on or before"), dt.date(2027, 4, 30))
    assert collate_from_council(app_window, collation) == ""
    spring = figures_from_sessions(laptop, CollationFilter(None, dt.date(2027, 3, 10), dt.date(2027, 4, 30)))
    assert collation.figures == spring and spring.sessions == 2  # "Bootle again" and Westminster
    assert shown_rows(app_window) == [(p.title, p.votes) for p in spring.priorities]

    # Everything: the same as the laptop's figures of every stored session.
    collation.set_date(app_window.field("Held on or after"), None)
    collation.set_date(app_window.field("Held on or before"), None)
    assert collate_from_council(app_window, collation) == ""
    assert collation.figures == figures_from_sessions(laptop) and collation.figures.sessions == len(laptop)

    # The laptop source on the same screen, the two Bootle sessions ticked: the same totals.
    app_window.choose("Where the sessions come from", "This laptop")
    app_window.activate_item("Stored sessions to collate", "Spring in Bootle")
    app_window.activate_item("Stored sessions to collate", "Bootle again")
    app_window.click("Collate the ticked sessions")
    app_window.wait_until(lambda: collation.collation is not None)
    assert not collation.from_council and collation.figures == bootle
    assert "Sessions: 2" in collation.totals.text()


def test_a_wrong_password_or_no_network_is_one_plain_line(
    app_window: WindowDriver, council_urls, council_password, monkeypatch
):
    published(app_window, council_urls, council_password, monkeypatch)
    collation = app_window.go_to("Compare halls")
    app_window.choose("Where the sessions come from", "The council database")
    app_window.field("Council database address").setText(council_urls["reader"])
    message = collate_from_council(app_window, collation, "Not-the-password-7")
    assert "refused the password" in message and "Not-the-password-7" not in message
    assert collation.figures is None and collation.report is None
    app_window.field("Council database address").setText("postgresql://nrp_reader@127.0.0.1:1/nrp")
    message = collate_from_council(app_window, collation)
    assert message.startswith("Cannot reach the council database at postgresql://nrp_reader@127.0.0.1:1/nrp")
