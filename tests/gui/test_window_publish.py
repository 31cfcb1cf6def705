"""File ▸ Publish to council database… and File ▸ Publish changes in the real main window, against
the private PostgreSQL cluster: the rows arrive, "Publish changes" sends only the changed session,
and no network, a wrong password and a refused role are each one plain message, the password in
no message, log or settings file."""

from __future__ import annotations

from conftest import SECOND_HALL_ID, WindowDriver
from postgres_cluster import PASSWORDS, WRITER

from nrp_desktop import paths
from nrp_desktop.services.council import CouncilDatabase
from nrp_desktop.ui.worker import wait_for_background_work

EXAMPLE_ID = "0b6f3a52-8d1e-4c1b-9a8e-2f6f0d7c4e11"
SESSION_CHOOSER = "Open a stored session (newest first)"


def set_up_council(council_urls, council_password, monkeypatch) -> None:
    council_password("owner")
    with CouncilDatabase(council_urls["owner"]) as database:
        database.upgrade()
    monkeypatch.delenv("NRP_DESKTOP_DB_PASSWORD")


def publish_dialog(app_window: WindowDriver, *menu: str):
    app_window.menu("File", *menu)
    dialog = app_window.window._publish_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def publish_and_wait(app_window: WindowDriver, dialog) -> str:
    app_window.click("Publish", within=dialog)
    return wait_done(app_window, dialog)


def wait_done(app_window: WindowDriver, dialog) -> str:
    app_window.wait_until(lambda: not dialog.busy, timeout=60_000)
    wait_for_background_work()
    return dialog.message.text()


def published_rows(postgres_cluster, council_db) -> dict[str, tuple[int, str]]:
    rows = postgres_cluster.admin("SELECT id, revision, title, published_at FROM sessions", council_db)
    return {session_id: (revision, title, published) for session_id, revision, title, published in rows}


def test_publish_then_publish_changes_sends_only_the_changed_session(
    app_window: WindowDriver, council_urls, council_password, postgres_cluster, council_db, monkeypatch
):
    set_up_council(council_urls, council_password, monkeypatch)
    dialog = publish_dialog(app_window, "Publish to council database…")
    assert dialog.everything.isChecked() and dialog.url.text() == ""  # nothing remembered yet
    app_window.field("Council database address", dialog).setText(council_urls["writer"])
    app_window.qtbot.keyClicks(app_window.field("Council database password", dialog), PASSWORDS[WRITER])
    assert publish_and_wait(app_window, dialog) == "Published: 2 new, 0 updated, 0 unchanged."
    assert dialog.progress.value() == dialog.progress.maximum()
    first = published_rows(postgres_cluster, council_db)
    assert set(first) == {EXAMPLE_ID, SECOND_HALL_ID}
    assert {revision for revision, _title, _at in first.values()} == {1}
    priorities = postgres_cluster.admin(
        f"SELECT count(*) FROM priorities WHERE session_id = '{EXAMPLE_ID}' AND is_current", council_db)
    assert priorities == [(len(app_window.window.store.load_session(EXAMPLE_ID).priorities),)]
    dialog.close()

    # The open session changes in the editor; "Publish changes" uses the address remembered and
    # the password from the environment, and sends that session alone.
    editor = app_window.go_to("Workshop session")
    app_window.choose(SESSION_CHOOSER, "Residents' evening")
    assert editor.rename_session("Residents' evening, as agreed")
    monkeypatch.setenv("NRP_DESKTOP_DB_PASSWORD", PASSWORDS[WRITER])
    dialog = publish_dialog(app_window, "Publish changes")
    assert dialog.url.text() == council_urls["writer"] and dialog.changed_only.isChecked()
    assert wait_done(app_window, dialog) == "Published: 0 new, 1 updated, 0 unchanged."
    second = published_rows(postgres_cluster, council_db)
    assert second[EXAMPLE_ID][:2] == (2, "Residents' evening, as agreed")
    assert second[SECOND_HALL_ID] == first[SECOND_HALL_ID]  # not sent again: not even re-stamped
    dialog.close()

    dialog = publish_dialog(app_window, "Publish changes")
    assert wait_done(app_window, dialog).startswith("Nothing to publish")
    assert published_rows(postgres_cluster, council_db) == second
    dialog.close()

    for path in (paths.settings_file(), paths.log_file()):
        if path.exists():
            assert PASSWORDS[WRITER] not in path.read_text(encoding="utf-8", errors="replace")
    assert council_urls["writer"] in paths.settings_file().read_text(encoding="utf-8")


def test_no_network_a_wrong_password_and_a_refused_role_are_plain_messages(
    app_window: WindowDriver, council_urls, council_password, postgres_cluster, council_db, monkeypatch
):
    set_up_council(council_urls, council_password, monkeypatch)
    dialog = publish_dialog(app_window, "Publish to council database…")

    import socket

    with socket.socket() as probe:  # a port nobody listens on: as good as no network
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    dialog.url.setText(f"postgresql://nrp_writer@127.0.0.1:{closed_port}/nrp")
    dialog.password.setText(PASSWORDS[WRITER])
    message = publish_and_wait(app_window, dialog)
    assert message.startswith("Cannot reach the council database at ") and "Nothing was changed." in message

    dialog.url.setText(council_urls["writer"])
    dialog.password.setText("Not-the-password-7")
    message = publish_and_wait(app_window, dialog)
    assert "refused the password" in message and "Nothing was changed." in message
    assert dialog.password.text() == "" and dialog.password.hasFocus()

    dialog.url.setText(council_urls["reader"])  # may read for collation, never write
    dialog.password.setText(PASSWORDS["nrp_reader"])
    message = publish_and_wait(app_window, dialog)
    assert message.startswith("The role in ") and "is not allowed to publish sessions" in message

    assert postgres_cluster.admin("SELECT count(*) FROM sessions", council_db) == [(0,)]
    for text in (message, paths.log_file().read_text(encoding="utf-8", errors="replace")
                 if paths.log_file().exists() else ""):
        for password in (PASSWORDS[WRITER], PASSWORDS["nrp_reader"], "Not-the-password-7"):
            assert password not in text
    assert not paths.settings_file().exists() or "council/address" not in paths.settings_file().read_text()
