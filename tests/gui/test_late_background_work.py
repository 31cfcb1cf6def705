"""Work that finishes in the background after its window has gone is dropped quietly."""

from __future__ import annotations

import threading

from PySide6.QtCore import QCoreApplication, QEvent, QTimer
from PySide6.QtWidgets import QWidget
from shiboken6 import delete, isValid

from nrp_desktop.ui import worker


def test_a_result_for_a_deleted_relay_is_dropped_without_an_error(qtbot):
    # As when the app closes while a task runs: Python deletes the relay's C++ object, then the
    # task finishes and reports.
    relay = worker._Relay(lambda _result: None, None, None)
    task = worker._Task(lambda: 42, relay)
    delete(relay)
    task.run()  # raised RuntimeError ("Internal C++ object already deleted") before


def test_a_result_for_a_deleted_widget_is_not_delivered(qtbot):
    widget = QWidget()
    release = threading.Event()
    delivered: list[object] = []
    worker.run_in_background(lambda: release.wait(10) and "late", delivered.append, context=widget)
    widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not isValid(widget)
    release.set()
    assert worker.wait_for_background_work()
    qtbot.wait(50)
    assert delivered == []


def test_closing_the_window_while_it_starts_leaves_nothing_open(qtbot, stored_sessions):
    from nrp_desktop.ui.app import create_application, start_window

    create_application()
    window = start_window()
    qtbot.addWidget(window)
    # Closed before the content and the sessions are in.
    window.first_painted.connect(lambda: QTimer.singleShot(0, window.close))
    qtbot.waitUntil(lambda: window.isHidden(), timeout=10_000)
    assert worker.wait_for_background_work()
    qtbot.wait(100)  # the late results are delivered, and dropped
    assert window.store is None and window.library is None
