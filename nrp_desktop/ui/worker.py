"""The one way screens run slow work off the GUI thread.

`run_in_background(fn, on_done, on_error, context=widget)` runs `fn()` on Qt's global thread
pool and calls back on the GUI thread, so a window never freezes while content loads or a PDF is
built. The callbacks are dropped if `context` (the widget that asked) is gone by then.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)


class _Relay(QObject):
    """Lives on the GUI thread; its signals, emitted by a worker, are queued back to it."""

    done = Signal(object)
    failed = Signal(object)

    def __init__(
        self,
        on_done: Callable[[Any], None],
        on_error: Callable[[Exception], None] | None,
        context: QObject | None,
    ) -> None:
        super().__init__()
        self._on_done = on_done
        self._on_error = on_error
        self._context = context
        self.done.connect(self._finish)
        self.failed.connect(self._fail)

    def _context_alive(self) -> bool:
        from shiboken6 import isValid

        return self._context is None or isValid(self._context)

    @Slot(object)
    def _finish(self, result: Any) -> None:
        _live.discard(self)
        if self._context_alive():
            self._on_done(result)

    @Slot(object)
    def _fail(self, error: Exception) -> None:
        _live.discard(self)
        if self._on_error is not None and self._context_alive():
            self._on_error(error)


class _Task(QRunnable):
    def __init__(self, function: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.function = function
        self.relay = relay

    def run(self) -> None:
        try:
            result = self.function()
        except Exception as error:  # reported on the GUI thread, never lost
            log.error("background task failed:\n%s", traceback.format_exc())
            self._deliver(self.relay.failed, error)
        else:
            self._deliver(self.relay.done, result)

    def _deliver(self, signal: Any, value: Any) -> None:
        try:
            signal.emit(value)
        except RuntimeError:
            # The relay is gone: the app closed while the task ran (its objects are deleted as
            # Python shuts down), so nobody is waiting for the result.
            log.info("a background task finished after its window closed; result dropped")


_live: set[_Relay] = set()


def run_in_background(
    function: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[Exception], None] | None = None,
    context: QObject | None = None,
) -> None:
    relay = _Relay(on_done, on_error, context)
    _live.add(relay)  # keep the relay alive until its signal has been delivered
    QThreadPool.globalInstance().start(_Task(function, relay))


def wait_for_background_work(timeout_ms: int = 30_000) -> bool:
    """Block until queued work is done (used by screenshots and tests)."""
    return QThreadPool.globalInstance().waitForDone(timeout_ms)
