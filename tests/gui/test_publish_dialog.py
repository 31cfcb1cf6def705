"""File ▸ Publish to council database…: the dialog publishes off the GUI thread with a progress
bar, sends only new and changed sessions, and says what went wrong in plain words."""

from __future__ import annotations

import pytest
from council_samples import sample_sessions
from postgres_cluster import PASSWORDS

from nrp_desktop.services.council import CouncilDatabase
from nrp_desktop.services.sessions import SessionStore
from nrp_desktop.ui.publish_dialog import PublishDialog
from nrp_desktop.ui.worker import wait_for_background_work


@pytest.fixture
def store(council_urls, council_password):
    council_password("owner")
    with CouncilDatabase(council_urls["owner"]) as database:
        database.upgrade()
    council_password("writer")
    with SessionStore() as opened:
        for session in sample_sessions():
            opened.save_session(session)
        yield opened


def _publish(qtbot, dialog: PublishDialog) -> str:
    dialog.publish_button.click()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=60_000)
    wait_for_background_work()
    return dialog.message.text()


def test_publish_sends_new_then_only_changes(qtbot, store, council_urls, postgres_cluster, council_db, monkeypatch):
    monkeypatch.delenv("NRP_DESKTOP_DB_PASSWORD")
    dialog = PublishDialog(store)
    qtbot.addWidget(dialog)
    dialog.url.setText(council_urls["writer"])
    dialog.password.setText(PASSWORDS["nrp_writer"])
    assert _publish(qtbot, dialog) == "Published: 4 new, 0 updated, 0 unchanged."
    assert dialog.progress.value() == dialog.progress.maximum()
    assert dialog.password.text() == ""  # not kept once used
    assert postgres_cluster.admin("SELECT count(*) FROM sessions", council_db) == [(4,)]

    dialog.password.setText(PASSWORDS["nrp_writer"])
    assert _publish(qtbot, dialog).startswith("Nothing to publish")
    store.rename_session(sample_sessions()[1].id, "Bootle, the second evening")
    dialog.password.setText(PASSWORDS["nrp_writer"])
    assert _publish(qtbot, dialog) == "Published: 0 new, 1 updated, 0 unchanged."
    dialog.everything.setChecked(True)
    dialog.password.setText(PASSWORDS["nrp_writer"])
    assert _publish(qtbot, dialog) == "Published: 0 new, 0 updated, 4 unchanged."


def test_a_wrong_password_is_one_plain_message(qtbot, store, council_urls, postgres_cluster, council_db, monkeypatch):
    monkeypatch.delenv("NRP_DESKTOP_DB_PASSWORD")
    dialog = PublishDialog(store)
    qtbot.addWidget(dialog)
    dialog.url.setText(council_urls["writer"])
    dialog.password.setText("Not-the-password-7")
    message = _publish(qtbot, dialog)
    assert "refused the password" in message and "Nothing was changed." in message
    assert "Not-the-password-7" not in message
    assert postgres_cluster.admin("SELECT count(*) FROM sessions", council_db) == [(0,)]
    assert dialog.publish_button.isEnabled()
