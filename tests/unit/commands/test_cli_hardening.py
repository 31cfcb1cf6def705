"""The command line against a new user's and a hostile file's mistakes (issue 10, items 6 and 12;
issue 11, item 5): output paths, global options before files, text echoed to the terminal, ids in
capitals, and known failures against bugs."""

from __future__ import annotations

import errno
import hashlib
import json
import logging
from pathlib import Path

import pytest
from conftest import EXAMPLE_ID, EXAMPLE_SESSION, write_session_document

from nrp_desktop import cli as cli_module


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _one_line(stderr: str) -> bool:
    return stderr.count("\n") == 1 and stderr.startswith("nrp-desktop: ") and "Traceback" not in stderr


# --- item 6: never write over the app's own data ----------------------------------------------


@pytest.mark.parametrize("command", [["export", EXAMPLE_ID], ["export", EXAMPLE_ID, "--csv"],
                                     ["report", "--session", EXAMPLE_ID]])
@pytest.mark.parametrize("own_file", ["sessions.sqlite3", "sessions.sqlite3-wal", "sessions.sqlite3-shm",
                                      "settings.ini", "logs/nrp-desktop.log", "backups/new.sqlite3"])
def test_output_over_the_data_folders_own_files_is_refused(cli, isolated_data_dir: Path,
                                                           command: list[str], own_file: str):
    assert cli("import", str(EXAMPLE_SESSION)).returncode == 0
    database = isolated_data_dir / "sessions.sqlite3"
    (isolated_data_dir / "backups").mkdir(exist_ok=True)
    target = isolated_data_dir / own_file
    before = _digest(database)
    target_before = target.read_bytes() if target.exists() else None
    result = cli(*command, "-o", str(target))
    assert result.returncode == 2, result.stderr
    assert _one_line(result.stderr) and "NRP Desktop's" in result.stderr, result.stderr
    assert _digest(database) == before
    assert (target.read_bytes() if target.exists() else None) == target_before
    assert cli("sessions").returncode == 0


def test_a_link_to_the_database_is_refused_too(cli, isolated_data_dir: Path, tmp_path: Path):
    assert cli("import", str(EXAMPLE_SESSION)).returncode == 0
    link = tmp_path / "innocent.nrpsession"
    link.symlink_to(isolated_data_dir / "sessions.sqlite3")
    result = cli("export", EXAMPLE_ID, "-o", str(link))
    assert result.returncode == 2 and "session database" in result.stderr
    assert json.loads(cli("sessions", "--json").stdout)[0]["id"] == EXAMPLE_ID


def test_report_refuses_the_input_file_as_output(cli, tmp_path: Path):
    source = tmp_path / "evening.nrpsession"
    source.write_bytes(EXAMPLE_SESSION.read_bytes())
    before = source.read_bytes()
    result = cli("report", str(source), "-o", str(source))
    assert result.returncode == 2 and _one_line(result.stderr)
    assert "input file itself" in result.stderr
    assert source.read_bytes() == before


@pytest.mark.parametrize("command", [["export", EXAMPLE_ID], ["export", EXAMPLE_ID, "--csv"],
                                     ["report", str(EXAMPLE_SESSION)]])
def test_missing_folder_and_empty_output_get_a_plain_message(cli, tmp_path: Path, monkeypatch,
                                                             command: list[str]):
    assert cli("import", str(EXAMPLE_SESSION)).returncode == 0
    monkeypatch.chdir(tmp_path)
    missing = cli(*command, "-o", "newdir/")
    assert missing.returncode == 2 and _one_line(missing.stderr), missing.stderr
    assert "folder" in missing.stderr
    assert not (tmp_path / "newdir").exists()
    empty = cli(*command, "-o", "")
    assert empty.returncode == 2 and _one_line(empty.stderr), empty.stderr
    assert "-o needs a file name" in empty.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "data") == []


# --- item 12: the smaller faults ----------------------------------------------------------------


def test_global_options_before_a_session_file_open_it_in_the_window(monkeypatch, tmp_path: Path):
    opened: dict[str, object] = {}

    def fake_gui(args) -> int:
        from nrp_desktop import paths

        opened.update(files=args.open_files, data=paths.data_dir())
        return 0

    monkeypatch.setattr(cli_module, "_run_gui", fake_gui)
    chosen = tmp_path / "chosen"
    file = str(tmp_path / "Evening.nrpsession")
    assert cli_module.main(["--data-dir", str(chosen), file]) == 0
    assert opened == {"files": [file], "data": chosen.resolve()}
    opened.clear()
    assert cli_module.main([f"--data-dir={chosen}", file, file]) == 0
    assert opened["files"] == [file, file]


def test_a_title_with_a_line_break_cannot_forge_a_row(cli, tmp_path: Path):
    forged = "Real title\n11111111-2222-4333-8444-555555555555  2030-01-01    9 priorities  Forged"
    path = write_session_document(tmp_path / "forged.nrpsession", title=forged)
    assert cli("import", str(path)).returncode == 0
    listing = cli("sessions")
    assert listing.returncode == 0
    assert listing.stdout.count("\n") == 1, listing.stdout
    assert "Real title\\n11111111" in listing.stdout


def test_an_escape_sequence_in_a_file_name_is_never_echoed_raw(cli, tmp_path: Path):
    name = "\x1b]0;owned\x07\x1b[2J\x1b[31mevil.nrpsession"
    path = tmp_path / name
    path.write_text("{ not json", encoding="utf-8")
    result = cli("import", str(path))
    assert result.returncode == 2
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "\\x1b[31mevil.nrpsession" in result.stderr and _one_line(result.stderr)
    report = cli("report", str(path), "-o", str(tmp_path / "x.pdf"))
    assert report.returncode == 2 and "\x1b" not in report.stderr


def test_ids_are_case_insensitive(cli, tmp_path: Path):
    assert cli("import", str(EXAMPLE_SESSION)).returncode == 0
    target = tmp_path / "out.nrpsession"
    result = cli("export", EXAMPLE_ID.upper(), "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert json.loads(target.read_text(encoding="utf-8"))["session"]["id"] == EXAMPLE_ID
    pdf = tmp_path / "out.pdf"
    assert cli("report", "--session", EXAMPLE_ID.upper(), "-o", str(pdf)).returncode == 0
    assert pdf.read_bytes().startswith(b"%PDF")


# --- issue 11, item 5: known failures against bugs ----------------------------------------------


def test_an_unexpected_fault_names_the_log_and_never_the_python_message(cli, monkeypatch,
                                                                     isolated_data_dir: Path):
    from nrp_desktop.commands import sessions

    def broken(_args) -> int:
        raise KeyError("internal_table_name")

    monkeypatch.setattr(sessions, "_sessions", broken)
    result = cli("sessions")
    assert result.returncode == 1
    log_file = isolated_data_dir / "logs" / "nrp-desktop.log"
    assert result.stderr == (f"nrp-desktop: an unexpected fault stopped the command; details are "
                             f"in {log_file}\n")
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert "internal_table_name" in log_file.read_text(encoding="utf-8")


def test_a_full_disk_anywhere_below_is_one_plain_line_exit_2(cli, monkeypatch):
    from nrp_desktop.commands import sessions

    def full(_args) -> int:
        try:
            raise OSError(errno.ENOSPC, "No space left on device")
        except OSError as error:
            raise RuntimeError("wrapped by a library") from error

    monkeypatch.setattr(sessions, "_sessions", full)
    result = cli("sessions")
    assert result.returncode == 2
    assert _one_line(result.stderr) and "the disk is full" in result.stderr
    assert "wrapped by a library" not in result.stderr


def test_every_known_failure_is_one_errors_class():
    from nrp_desktop.errors import KnownFailure
    from nrp_desktop.services.session_file import SessionFileError
    from nrp_desktop.services.sessions import (
        DatabaseDamaged,
        DatabaseTooNew,
        ForeignDatabase,
        InvalidSessionValue,
        UserDatabaseError,
    )
    from nrp_desktop.storage.errors import ContentDatabaseError
    from nrp_desktop.storage.files import FileWriteError

    for kind in (SessionFileError, DatabaseDamaged, DatabaseTooNew, ForeignDatabase,
                 InvalidSessionValue, UserDatabaseError, ContentDatabaseError, FileWriteError):
        assert issubclass(kind, KnownFailure), kind


def test_the_excepthook_helper_logs_the_bug_and_gives_one_plain_line(isolated_data_dir: Path):
    from nrp_desktop import app_logging
    from nrp_desktop.errors import BadInput

    log_file = app_logging.setup_logging()
    try:
        raise ZeroDivisionError("division by zero in _private_helper")
    except ZeroDivisionError as error:
        line = app_logging.log_uncaught(type(error), error, error.__traceback__)
    assert line == f"an unexpected fault stopped the action; details are in {log_file}"
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert "_private_helper" in log_file.read_text(encoding="utf-8")
    known = BadInput("the file x.nrpsession: session.title: must not be empty")
    assert app_logging.log_uncaught(BadInput, known, None) == str(known)
