"""Headless Qt, an isolated data folder for every test, and the bundled content."""

from __future__ import annotations

import datetime as dt
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ["QT_QPA_PLATFORM"] = "offscreen"

import pytest
from hypothesis import settings as hypothesis_settings

from nrp_desktop import paths
from nrp_desktop.domain.content import ContentLibrary
from nrp_desktop.domain.session import Action, Priority, Session
from nrp_desktop.services.library import LibraryService, default_library

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EXAMPLE_SESSION = SHARED / "examples" / "session-example.nrpsession"
EXAMPLE_ID = "0b6f3a52-8d1e-4c1b-9a8e-2f6f0d7c4e11"  # the id EXAMPLE_SESSION carries
sys.path.insert(0, str(ROOT / "db"))

# In CI the generated examples are the same on every run, so a landing never depends on luck;
# on a developer's machine they differ from run to run and keep finding new cases.
hypothesis_settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


@pytest.fixture(autouse=True)
def isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own data folder; nothing touches the real user's files."""
    data = tmp_path / "data"
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(data))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    paths.set_data_dir(None)
    yield data
    paths.set_data_dir(None)


# --- sample sessions: the one place tests get a session from -------------------------------------


def example_session() -> Session:
    """The contract's example session (shared/examples), read as the app reads a file."""
    from nrp_desktop.services.session_file import read_session_file

    return read_session_file(EXAMPLE_SESSION).session


def sample_session(*priorities: Priority, **fields: Any) -> Session:
    """A session made in code with `priorities`; "Spring meeting" on 14 March 2026 unless
    `fields` say otherwise (any Session field)."""
    values: dict[str, Any] = {"title": "Spring meeting", "date": dt.date(2026, 3, 14),
                              "priorities": list(priorities)}
    values.update(fields)
    return Session(**values)


CHURCH = "Church hall, back room"
LIBRARY = "Library community room"


def library_session() -> Session:
    """A second hall for collations: one priority in the example's exact words, two in other
    words."""
    return sample_session(
        title="Library drop-in: what should change on the estate?",
        date=dt.date(2026, 12, 2),
        venue=LIBRARY,
        participants=12,
        ratings={"social-connectedness": 2, "economic-resources": 3,
                 "environmental-conditions": 4, "governance-systems": 2},
        priorities=[
            Priority("Fly-tipping in the back alley", votes=9, domains=["environmental-conditions"],
                     actions=[Action("Map the worst spots and send photos to the council",
                                     "Youth club", "End of January")]),
            Priority("Lonely older neighbours since the buses stopped", votes=7,
                     domains=["social-connectedness"]),
            Priority("Nobody knows where to get help with debt", votes=5,
                     domains=["economic-resources"],
                     actions=[Action("Ask the credit union to hold a drop-in at the library")]),
        ],
    )


@pytest.fixture(scope="session")
def library_service() -> LibraryService:
    return default_library()


@pytest.fixture(scope="session")
def library(library_service: LibraryService) -> ContentLibrary:
    return library_service.library


@pytest.fixture(scope="session")
def content_source_dir() -> Path:
    return ROOT / "resources" / "content"


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 60):
    """Run `python -m nrp_desktop ARGS` in a child process; the CompletedProcess."""
    import subprocess

    return subprocess.run(
        [sys.executable, "-m", "nrp_desktop", *args],
        capture_output=True, text=True, timeout=timeout,
        env={**os.environ, **(env or {})},
    )


@dataclass(frozen=True)
class CliResult:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):
    """Run `nrp-desktop ARGS` in this process (fast; for commands that cannot block): a
    CliResult with the exit status and what was printed."""
    from nrp_desktop.cli import main

    def run(*args: str) -> CliResult:
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


def write_session_document(path: Path, **session_fields) -> Path:
    """A small valid session file at `path`, its session's fields overridden by `session_fields`."""
    import json

    document = {
        "format": "nrp-session",
        "version": 1,
        "session": {"title": "An evening", "date": "2026-11-23", **session_fields},
    }
    path.write_text(json.dumps(document), encoding="utf-8")  # \u escapes: any code point
    return path
class ShownDialogs:
    """The message boxes a test made the app show, answered without a person: each is kept as
    (title, text, detail, text format), and `answer` is the button every one returns."""

    def __init__(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        self.answer = QMessageBox.StandardButton.Yes
        self.shown: list[tuple[str, str, str, object]] = []

    @property
    def texts(self) -> list[str]:
        return [text for _title, text, _detail, _format in self.shown]


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch) -> ShownDialogs:
    from PySide6.QtWidgets import QMessageBox

    recorder = ShownDialogs()

    def answer(box: QMessageBox) -> int:
        recorder.shown.append((box.windowTitle(), box.text(), box.informativeText(), box.textFormat()))
        return recorder.answer

    monkeypatch.setattr(QMessageBox, "exec", answer)
    return recorder


# --- the real main window, driven by what a person sees ------------------------------------------

from window_driver import WindowDriver  # noqa: E402

SESSION_CHOOSER = "Open a stored session (newest first)"  # the Workshop session screen's list


def open_example(app_window: WindowDriver):
    """The Workshop session screen holding the stored example session (its editor)."""
    editor = app_window.go_to("Workshop session")
    app_window.choose(SESSION_CHOOSER, "Residents' evening")
    assert editor.current_session().id == EXAMPLE_ID
    return editor

SECOND_HALL_ID = "5d2c7e90-3b1a-4f6e-8c2d-9a0b1c2d3e4f"


def _second_hall_session():
    """A second hall's evening (for Compare halls): the screenshots' one, under its own id."""
    import dataclasses

    from nrp_desktop.ui.collation.view import screenshot_second_session

    return dataclasses.replace(screenshot_second_session(), id=SECOND_HALL_ID)


def store_sessions(*sessions) -> None:
    """Store sessions in the data folder, as an earlier evening would have."""
    from nrp_desktop.services.sessions import SessionStore

    with SessionStore() as store:
        for session in sessions:
            store.save_session(session)


@pytest.fixture
def stored_sessions(isolated_data_dir: Path):
    """The data folder holds the example session and a second hall's."""
    from nrp_desktop.services.examples import example_session

    sessions = (example_session(), _second_hall_session())
    store_sessions(*sessions)
    return sessions


@pytest.fixture
def app_window(qtbot, stored_sessions, library_service) -> WindowDriver:
    """The real main window, started as `nrp-desktop` starts it (ui/app.py), on a data folder
    with stored sessions; ready once the content and the sessions are in."""
    from nrp_desktop.ui.app import create_application, start_window
    from nrp_desktop.ui.worker import wait_for_background_work

    create_application()
    window = start_window()
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.library is not None and window.store is not None, timeout=30_000)
    yield WindowDriver(window, qtbot)
    window.close()
    wait_for_background_work()


def pdf_text(pdf: bytes) -> str:
    """The text of a PDF as pdftotext reads it (poppler-utils), white space made single spaces."""
    import re
    import subprocess
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        text = subprocess.run(["pdftotext", file.name, "-"], capture_output=True, text=True,
                              check=True).stdout
    return re.sub(r"\s+", " ", text)


# The council database (PostgreSQL): one private cluster for the whole test run, one fresh
# database per test. A missing server fails the tests that need it; it never skips them.


@pytest.fixture(scope="session")
def postgres_cluster():
    from postgres_cluster import start_cluster

    cluster = start_cluster()
    yield cluster
    cluster.stop()


@pytest.fixture
def council_db(postgres_cluster):
    """A fresh database (empty, set up with the README's SQL); its name."""
    return postgres_cluster.new_database()


@pytest.fixture
def council_urls(postgres_cluster, council_db) -> dict[str, str]:
    """The password-free URLs of the owner, writer and reader roles for this test's database."""
    from postgres_cluster import OWNER, READER, WRITER

    return {role: postgres_cluster.url(name, council_db)
            for role, name in (("owner", OWNER), ("writer", WRITER), ("reader", READER))}


@pytest.fixture
def council_password(monkeypatch: pytest.MonkeyPatch):
    """Set NRP_DESKTOP_DB_PASSWORD to the given role's ("owner", "writer", "reader") password."""
    from postgres_cluster import OWNER, PASSWORDS, READER, WRITER

    names = {"owner": OWNER, "writer": WRITER, "reader": READER}

    def use(role: str) -> str:
        password = PASSWORDS[names[role]]
        monkeypatch.setenv("NRP_DESKTOP_DB_PASSWORD", password)
        return password

    return use


def two_halls_with_actions():
    """Two halls' sessions whose actions are in every state (for Compare halls' counts)."""
    import datetime as dt

    from nrp_desktop.domain.session import Action, Priority, Session

    church = Session("Church evening", dt.date(2026, 11, 18), venue="Church hall", priorities=[
        Priority("Fix the street lights", votes=6, actions=[
            Action("Report the broken lights", status="done", progress="Fixed in January"),
            Action("Map the dark spots", status="started"),
        ]),
        Priority("A tea morning", votes=3, actions=[Action("Book the room")]),
    ])
    library = Session("Library evening", dt.date(2026, 12, 2), venue="Library room", priorities=[
        Priority("Fix the street lights", votes=4, actions=[Action("Ask the council", status="dropped")]),
        Priority("Somewhere for the children", votes=2, actions=[Action("Find a hall", status="done")]),
        Priority("No action here", votes=1),
    ])
    return [church, library]


# --- a real X display (Xvfb) for the end-to-end window tests ------------------------------------


def start_xvfb(size: str = "1366x768"):
    """An Xvfb server (a `size` screen) on a free display, and the display's name. Xvfb missing
    is a failure, not a skip: `scripts/setup.sh --test` installs it."""
    import shutil
    import subprocess

    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        pytest.fail("Xvfb is not installed: run `bash scripts/setup.sh --test`")
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        [xvfb, "-displayfd", str(write_end), "-screen", "0", f"{size}x24", "-nolisten", "tcp"],
        pass_fds=(write_end,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        number = pipe.readline().strip()
    if not number:
        server.kill()
        pytest.fail("Xvfb did not start")
    return server, f":{number}"


@pytest.fixture
def store(tmp_path: Path):
    """A session store of its own in the test's folder (for screens built without the window)."""
    from nrp_desktop.services.sessions import SessionStore

    opened = SessionStore(tmp_path / "sessions.sqlite3", backups_dir=tmp_path / "backups")
    yield opened
    opened.close()


def editor_in_host(qtbot, store, library: ContentLibrary, size: tuple[int, int] = (1280, 800)):
    """The session editor as the main window holds it, on `store`, shown and active.

    The screen lives inside the main window; a bare top-level whose size limits change makes the
    offscreen platform warn, so a host that does not follow them stands in."""
    from PySide6.QtWidgets import QLayout, QVBoxLayout, QWidget

    from nrp_desktop.ui.session.editor import SessionEditor

    editor = SessionEditor()
    host = QWidget()
    qtbot.addWidget(host)
    layout = QVBoxLayout(host)
    layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
    layout.addWidget(editor)
    host.resize(*size)
    editor.set_library(library)
    editor.attach_store(store)
    host.show()
    qtbot.waitExposed(host)
    host.activateWindow()
    qtbot.waitUntil(host.isActiveWindow)
    editor.test_host = host  # qtbot holds widgets weakly; the host must live as long as the test
    return editor


def main_window_on(qtbot, library_service, store):
    """The real main window on `store` (no remembered state), shown: for tests that need the
    whole window but not the app's start-up (app_window)."""
    from nrp_desktop.ui.app import create_application
    from nrp_desktop.ui.main_window import MainWindow

    create_application()
    window = MainWindow(library_service)
    window.remember_state = False
    qtbot.addWidget(window)
    window.set_library(library_service.library)
    window.attach_store(store)
    window.show()
    return window
