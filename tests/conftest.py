"""Headless Qt, an isolated data folder for every test, and the bundled content."""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"

import pytest
from hypothesis import settings as hypothesis_settings

from nrp_desktop import paths
from nrp_desktop.domain.content import ContentLibrary
from nrp_desktop.services.library import LibraryService, default_library

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EXAMPLE_SESSION = SHARED / "examples" / "session-example.nrpsession"
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
