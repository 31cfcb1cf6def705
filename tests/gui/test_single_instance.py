"""One window per data folder: a `.nrpsession` double-clicked while the app runs (a second
`nrp-desktop FILE` process) is brought into the running window, and the second process exits 0."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import EXAMPLE_SESSION, WindowDriver

BROUGHT_ID = "3c1d2e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f"


def _session_file(tmp_path, title: str):
    document = json.loads(EXAMPLE_SESSION.read_text(encoding="utf-8"))
    document["session"]["id"] = BROUGHT_ID
    document["session"]["title"] = title
    path = tmp_path / "from the file manager.nrpsession"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_a_file_opened_while_the_window_runs_goes_into_that_window(app_window: WindowDriver, tmp_path):
    file = _session_file(tmp_path, "Double-clicked on the desktop")
    app_window.go_to("Library")
    # The file manager starts `nrp-desktop FILE` in another folder; the running window serves it.
    second = subprocess.Popen([sys.executable, "-m", "nrp_desktop", file.name], cwd=tmp_path,
                              env=dict(os.environ), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        app_window.wait_until(lambda: second.poll() is not None, timeout=30_000)
    finally:
        if second.poll() is None:
            second.kill()
    _out, err = second.communicate()
    assert second.returncode == 0, err
    window = app_window.window
    app_window.wait_until(lambda: window.store.session_exists(BROUGHT_ID))
    editor = window.stack.currentWidget()
    assert editor is window.screens["nrp_desktop.ui.session.editor:SessionEditor"]
    assert editor.current_session().title == "Double-clicked on the desktop"
    assert "Imported 1 session file" in window.statusBar().currentMessage()
    app_window.wait_until(window.isActiveWindow)  # brought to the front


def test_a_message_that_is_not_a_list_of_files_is_refused(app_window: WindowDriver):
    from PySide6.QtNetwork import QLocalSocket

    received: list[list[str]] = []
    app_window.window.instance_server.files_received.connect(received.append)
    socket = QLocalSocket()
    socket.connectToServer(app_window.window.instance_server.name)
    assert socket.waitForConnected(2000)
    socket.write(b'{"files": "not a list"}\n')
    socket.flush()
    app_window.wait_until(lambda: socket.state() == QLocalSocket.LocalSocketState.UnconnectedState)
    assert received == []
