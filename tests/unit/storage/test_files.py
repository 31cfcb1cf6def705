import os
import stat
from pathlib import Path

import pytest

from nrp_desktop.storage.files import FileWriteError, atomic_write_bytes, atomic_write_text


def test_writes_whole_file_and_leaves_no_temporary(tmp_path: Path):
    target = tmp_path / "out.txt"
    atomic_write_text(target, "Łódź and اردو ✓")
    assert target.read_text(encoding="utf-8") == "Łódź and اردو ✓"
    assert list(tmp_path.iterdir()) == [target]


def test_new_file_gets_the_usual_mode_and_a_replaced_file_keeps_its_own(tmp_path: Path):
    target = tmp_path / "handout.pdf"
    atomic_write_bytes(target, b"one")
    mask = os.umask(0o022)
    os.umask(mask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~mask
    target.chmod(0o640)
    atomic_write_bytes(target, b"two")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert target.read_bytes() == b"two"


def test_missing_folder_is_a_plain_error(tmp_path: Path):
    with pytest.raises(FileWriteError, match="does not exist"):
        atomic_write_bytes(tmp_path / "nope" / "x.pdf", b"x")


def test_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    target = tmp_path / "keep.txt"
    target.write_text("old")

    def full_disk(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(FileWriteError, match="No space left on device"):
        atomic_write_text(target, "new")
    assert target.read_text() == "old"
    assert list(tmp_path.iterdir()) == [target]
