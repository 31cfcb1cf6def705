"""One window per data folder: a second start (a `.nrpsession` double-clicked in the file manager
while the app runs) hands its files to the running window through a local socket and exits.

The message is one line of JSON, `{"files": [absolute paths]}`, answered by one line `ok`. The
socket's name comes from paths.py (the user's runtime folder, one per data folder)."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from nrp_desktop import paths

log = logging.getLogger(__name__)
CONNECT_TIMEOUT_MS = 1000
ANSWER_TIMEOUT_MS = 5000
MAX_MESSAGE_BYTES = 1 << 20  # a list of paths; anything longer is not ours
ANSWER = b"ok\n"


def hand_over(files: list[str], name: str | None = None) -> bool:
    """Give `files` to the window already running on this data folder; True when it took them
    (then this process has nothing more to do). False when no window runs (or it does not answer)."""
    socket = QLocalSocket()
    socket.connectToServer(name or paths.single_instance_name())
    if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
        return False
    message = json.dumps({"files": [str(Path(file).resolve()) for file in files]}) + "\n"
    socket.write(message.encode("utf-8"))
    socket.flush()
    answer = b""
    while ANSWER not in answer and socket.waitForReadyRead(ANSWER_TIMEOUT_MS):
        answer += bytes(socket.readAll().data())
    socket.disconnectFromServer()
    if ANSWER not in answer:
        log.warning("the running window did not answer; opening a window of our own")
        return False
    log.info("handed %d file(s) to the running window", len(files))
    return True


class InstanceServer(QObject):
    """Listens for later starts on this data folder; `files_received` carries what each handed
    over (perhaps nothing: then the window only comes to the front)."""

    files_received = Signal(list)

    def __init__(self, parent: QObject | None = None, name: str | None = None) -> None:
        super().__init__(parent)
        self.name = name or paths.single_instance_name()
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)

    def listen(self) -> bool:
        """Start listening; a socket left by a window that crashed is removed first (a live one
        was ruled out by `hand_over`). False (logged) when the socket cannot be made: the app
        works on, only without handing over."""
        if self._server.listen(self.name):
            return True
        QLocalServer.removeServer(self.name)
        if self._server.listen(self.name):
            return True
        log.warning("no single-instance socket %s: %s", self.name, self._server.errorString())
        return False

    def close(self) -> None:
        self._server.close()

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            buffer = bytearray()
            socket.readyRead.connect(self._reader(socket, buffer))
            socket.disconnected.connect(socket.deleteLater)

    def _reader(self, socket: QLocalSocket, buffer: bytearray) -> Callable[[], None]:
        def read() -> None:
            buffer.extend(bytes(socket.readAll().data()))
            if b"\n" not in buffer:
                if len(buffer) > MAX_MESSAGE_BYTES:
                    socket.abort()
                return
            line = bytes(buffer).split(b"\n", 1)[0]
            buffer.clear()
            try:
                files = json.loads(line.decode("utf-8"))["files"]
                if not isinstance(files, list) or not all(isinstance(file, str) for file in files):
                    raise ValueError("files is not a list of paths")
            except (ValueError, KeyError, TypeError) as error:
                log.warning("a later start sent a message that is not ours: %s", error)
                socket.abort()
                return
            socket.write(ANSWER)
            socket.flush()
            self.files_received.emit(files)

        return read
