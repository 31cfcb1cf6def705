"""A full disk (issue 10, item 9): logging never breaks a command, a write that cannot be made is
one plain line, and reading (`sessions`, `export`) still works."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import sqlite3
import subprocess
from pathlib import Path

import pytest
from conftest import EXAMPLE_ID, EXAMPLE_SESSION, run_cli


def _log_to_dev_full(data: Path) -> None:
    logs = data / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    log_file = logs / "nrp-desktop.log"
    log_file.unlink(missing_ok=True)
    log_file.symlink_to("/dev/full")  # every write to it fails with ENOSPC


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
def test_a_log_that_cannot_be_written_never_breaks_a_command(cli, isolated_data_dir: Path,
                                                              monkeypatch: pytest.MonkeyPatch):
    from nrp_desktop.storage import files, user_db_backups, user_db_rows

    assert cli("import", str(EXAMPLE_SESSION)).returncode == 0
    _log_to_dev_full(isolated_data_dir)

    def no_space(path, _data):
        raise files.FileWriteError(f"cannot write {path}: No space left on device") from OSError(
            errno.ENOSPC, "No space left on device")

    # The daily backup cannot be written either: its warning goes to the (full) log.
    monkeypatch.setattr(user_db_backups, "atomic_write_bytes", no_space)
    listing = cli("sessions")
    assert listing.returncode == 0
    assert EXAMPLE_ID in listing.stdout
    assert listing.stderr == "", "no traceback from the log handler"

    def disk_full(*_args, **_kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(user_db_rows, "insert_session", disk_full)
    result = cli("import", "--replace", str(EXAMPLE_SESSION))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "the disk is full" in result.stderr, result.stderr
    assert "Logging error" not in result.stderr and "Traceback" not in result.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
def test_an_unexpected_fault_with_an_unwritable_log_says_so(cli, isolated_data_dir: Path,
                                                            monkeypatch: pytest.MonkeyPatch):
    from nrp_desktop.commands import sessions

    _log_to_dev_full(isolated_data_dir)
    monkeypatch.setattr(sessions, "_sessions", lambda _args: 1 // 0)
    result = cli("sessions")
    assert result.returncode == 1
    assert result.stderr == ("nrp-desktop: an unexpected fault stopped the command (the log file "
                             "could not be written)\n")


def test_a_data_folder_where_no_log_can_be_made_still_lists(cli, isolated_data_dir: Path):
    assert cli("import", str(EXAMPLE_SESSION)).returncode == 0
    logs = isolated_data_dir / "logs"
    for entry in logs.iterdir():
        entry.unlink()
    logs.rmdir()
    logs.write_text("a file where the logs folder should be", encoding="utf-8")
    listing = cli("sessions", "--json")
    assert listing.returncode == 0 and listing.stderr == ""
    assert json.loads(listing.stdout)[0]["id"] == EXAMPLE_ID


def _mount_tiny_disk(folder: Path) -> bool:
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(folder)],
                             capture_output=True)
    return mounted.returncode == 0


@pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0,
                    reason="mounting a small disk needs root; the simulated tests above always run")
def test_a_really_full_disk(tmp_path: Path):
    disk = tmp_path / "disk"
    assert _mount_tiny_disk(disk), "root could not mount a tmpfs"
    try:
        data = disk / "data"
        env = {"NRP_DESKTOP_DATA_DIR": str(data)}
        assert run_cli("import", str(EXAMPLE_SESSION), env=env).returncode == 0
        database = data / "sessions.sqlite3"
        with (disk / "filler").open("wb") as filler:
            try:
                while True:
                    filler.write(b"\0" * 65536)
                    filler.flush()
            except OSError as error:
                assert error.errno == errno.ENOSPC
        before = hashlib.sha256(database.read_bytes()).hexdigest()

        listing = run_cli("sessions", env=env)
        assert listing.returncode == 0, listing.stderr
        assert EXAMPLE_ID in listing.stdout and listing.stderr == ""
        exported = tmp_path / "out.nrpsession"  # on another disk
        assert run_cli("export", EXAMPLE_ID, "-o", str(exported), env=env).returncode == 0
        assert json.loads(exported.read_text(encoding="utf-8"))["session"]["id"] == EXAMPLE_ID

        for args in (["import", "--replace", str(EXAMPLE_SESSION)],
                     ["export", EXAMPLE_ID, "-o", str(disk / "x.nrpsession")],
                     ["report", str(EXAMPLE_SESSION), "-o", str(disk / "x.pdf")]):
            result = run_cli(*args, env=env)
            assert result.returncode == 2, (args, result.stderr)
            assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
            assert "disk is full" in result.stderr or "No space left" in result.stderr, result.stderr
        assert hashlib.sha256(database.read_bytes()).hexdigest() == before
        assert not (disk / "x.nrpsession").exists() and not (disk / "x.pdf").exists()
    finally:
        subprocess.run(["umount", str(disk)], check=False)
