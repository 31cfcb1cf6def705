"""Writes the document makes behind the GUI thread: one thread, in the order they were given.

The editor stores an edit before it shows it, on the GUI thread; that is right for a typed edit, but
phones voting in a burst would each hold the window for a durable SQLite commit. So the document
can hand a write to this `StoreWriter` instead (`SessionDocument.apply_many_votes(…,
write_behind=True)`): the change is shown at once, and the returned future is done once the write
is on disk. Whoever acknowledges the change waits on that future (the phone-vote server answers a
phone only then), so nothing acknowledged is lost if the laptop dies.

Order and failure: writes run one at a time, in the order submitted. Each write sets absolute
values computed from what the window showed after the writes before it, so once one fails the ones
queued after it are refused unrun (`WriterBroken`); `on_failure` is called once for the episode, and
the document then shows the truth from the store and calls `recover()`. Every other store access of
the document first waits for the queue (`wait_idle`), so a typed edit, an undo or a reload never
overtakes a write still queued.
"""

from __future__ import annotations

import concurrent.futures
import logging
import queue
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)


class WriterBroken(Exception):
    """A write queued after one that failed: not made (it was built on the failed one)."""


Write = Callable[[], None]


class StoreWriter:
    """One worker thread for the document's write-behind writes (started on first use)."""

    def __init__(self, on_failure: Callable[[BaseException], None] | None = None) -> None:
        self._on_failure = on_failure
        self._queue: queue.SimpleQueue[tuple[Write, concurrent.futures.Future[None]] | None] = queue.SimpleQueue()
        self._lock = threading.Condition()
        self._pending = 0
        self._broken: BaseException | None = None
        self._thread: threading.Thread | None = None

    @property
    def pending(self) -> int:
        """Writes submitted and not yet made (or refused)."""
        return self._pending

    @property
    def broken(self) -> bool:
        return self._broken is not None

    def submit(self, write: Write) -> concurrent.futures.Future[None]:
        """Queue `write`; the future is done once it is made (durably, as the write itself is) or
        carries the exception that stopped it."""
        done: concurrent.futures.Future[None] = concurrent.futures.Future()
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="nrp-store-writer", daemon=True)
                self._thread.start()
            self._pending += 1
        self._queue.put((write, done))
        return done

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Wait until every write submitted so far is made or refused; False on timeout."""
        if not self._pending:  # the usual case: nothing queued, no lock taken
            return True
        with self._lock:
            return self._lock.wait_for(lambda: self._pending == 0, timeout)

    def recover(self) -> None:
        """After a failure was handled (the document shows what is stored): accept writes again."""
        with self._lock:
            self._broken = None

    def close(self) -> None:
        """Make what is queued, then end the thread."""
        if self._thread is not None and self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()
        self._thread = None

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            write, done = item
            failure: BaseException | None = None
            first_failure = False
            with self._lock:
                broken = self._broken
            if broken is not None:
                failure = WriterBroken(str(broken))
            else:
                try:
                    write()
                except BaseException as error:  # reported through the future; the thread goes on
                    failure = error
                    first_failure = True
                    log.error("a write-behind store write failed: %s", error)
                    with self._lock:
                        self._broken = error
            if failure is None:
                done.set_result(None)
            else:
                done.set_exception(failure)
            with self._lock:
                self._pending -= 1
                self._lock.notify_all()
            if first_failure and self._on_failure is not None:
                self._on_failure(failure)  # type: ignore[arg-type]  # set with first_failure
