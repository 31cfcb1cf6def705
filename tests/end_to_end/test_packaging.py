"""The installer sources: checked fast, without running PyInstaller (packaging/build.py does that).

The .desktop entry and AppStream metainfo pass the validators distributions run; the NSIS script
compiles with makensis against a stand-in payload; the PyInstaller spec takes the version and the
application id from the package and keeps only what the app uses; the .deb is laid out right; the
smoke test around every built artefact catches an app that writes outside its data folder.
Needs the Debian packages desktop-file-utils, appstream and nsis (scripts/setup.sh --test).
"""

from __future__ import annotations

import importlib.util
import plistlib
import re
import shutil
import subprocess
import sys
import tarfile
import types
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from configparser import ConfigParser
from pathlib import Path

import pytest

import nrp_desktop
from nrp_desktop import APP_ID, APP_NAME, __version__

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
LINUX = PACKAGING / "linux"
MIME_TYPE = "application/x-nrp-session"


def _load(name: str, path: Path) -> types.ModuleType:
    # The folder is called packaging/, like the PyPI package of that name: load the files by path.
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


build = _load("nrp_packaging_build", PACKAGING / "build.py")
freeze_rules = _load("nrp_packaging_freeze_rules", PACKAGING / "freeze_rules.py")


@pytest.fixture(scope="module")
def icons(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The app icon rendered as the installers need it (PNG sizes and .ico), with this Python."""
    return build.render_icons(Path(sys.executable), tmp_path_factory.mktemp("icons"))


@pytest.fixture
def staged_root(tmp_path: Path, icons: Path) -> Path:
    root = tmp_path / "root"
    build.stage_desktop_integration(root, build.app_metadata(), icons)
    return root


def desktop_entry(root: Path) -> dict[str, str]:
    parser = ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(root / f"usr/share/applications/{APP_ID}.desktop", encoding="utf-8")
    return dict(parser["Desktop Entry"])


# --- Linux desktop integration ------------------------------------------------------------------


def test_build_script_reads_the_metadata_from_the_package():
    metadata = build.app_metadata()
    assert (metadata.version, metadata.app_id, metadata.app_name) == (__version__, APP_ID, APP_NAME)
    assert re.fullmatch(r"\d+\.\d+\.\d+\.\d+", metadata.windows_version)
    assert metadata.windows_version.startswith(".".join(__version__.split(".")[:2]))


def test_desktop_entry_passes_desktop_file_validate(staged_root: Path):
    desktop = staged_root / f"usr/share/applications/{APP_ID}.desktop"
    result = subprocess.run(["desktop-file-validate", str(desktop)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "", result.stdout  # not even a hint
    entry = desktop_entry(staged_root)
    assert entry["Name"] == APP_NAME
    assert entry["Icon"] == APP_ID
    assert entry["Exec"].split()[0] == "nrp-desktop"
    assert entry["MimeType"].rstrip(";").split(";") == [MIME_TYPE]
    # The icon the entry names is installed, as SVG and as PNG.
    assert (staged_root / f"usr/share/icons/hicolor/scalable/apps/{APP_ID}.svg").is_file()
    png = staged_root / f"usr/share/icons/hicolor/256x256/apps/{APP_ID}.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(png.read_bytes()[16:20], "big") == 256  # IHDR width


def test_metainfo_passes_appstreamcli_validate(staged_root: Path):
    metainfo = staged_root / f"usr/share/metainfo/{APP_ID}.metainfo.xml"
    result = subprocess.run(["appstreamcli", "validate", "--no-net", str(metainfo)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not re.search(r"^[EW]: ", result.stdout, flags=re.MULTILINE), result.stdout
    component = ET.parse(metainfo).getroot()
    assert component.findtext("id") == APP_ID
    assert component.findtext("launchable") == f"{APP_ID}.desktop"
    assert component.findtext("provides/binary") == "nrp-desktop"
    assert component.findtext("provides/mediatype") == MIME_TYPE
    released = [release.get("version") for release in component.iterfind("releases/release")]
    assert __version__ in released, f"add a <release> for {__version__} to the metainfo"


def test_appstream_tree_check_finds_the_desktop_entry_and_icon(staged_root: Path):
    result = subprocess.run(["appstreamcli", "validate-tree", "--no-net", str(staged_root)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not re.search(r"^[EW]: ", result.stdout, flags=re.MULTILINE), result.stdout


def test_every_installer_declares_the_same_session_file_type():
    mime = ET.parse(LINUX / f"{APP_ID}.mime.xml").getroot()
    namespace = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}
    mime_type = mime.find("m:mime-type", namespace)
    assert mime_type is not None and mime_type.get("type") == MIME_TYPE
    assert [glob.get("pattern") for glob in mime_type.iterfind("m:glob", namespace)] == ["*.nrpsession"]

    with (PACKAGING / "macos" / "Info-extra.plist").open("rb") as handle:
        plist = plistlib.load(handle)
    (declared,) = plist["UTExportedTypeDeclarations"]
    assert declared["UTTypeTagSpecification"]["public.filename-extension"] == ["nrpsession"]
    assert declared["UTTypeTagSpecification"]["public.mime-type"] == [MIME_TYPE]
    (document,) = plist["CFBundleDocumentTypes"]
    assert document["LSItemContentTypes"] == [declared["UTTypeIdentifier"]]

    nsis = (PACKAGING / "windows" / "installer.nsi").read_text(encoding="utf-8")
    assert '!define SESSION_EXT ".nrpsession"' in nsis
    assert f'"Content Type" "{MIME_TYPE}"' in nsis


# --- The .deb and the portable archive -------------------------------------------------------------


def fake_frozen_folder(tmp_path: Path) -> Path:
    """A stand-in for the PyInstaller folder: a real executable (a copy of ls) and some data."""
    folder = tmp_path / "frozen" / "nrp-desktop"
    (folder / "_internal" / "nrp_desktop" / "_resources").mkdir(parents=True)
    shutil.copy2("/bin/ls", folder / "nrp-desktop")
    (folder / "_internal" / "nrp_desktop" / "_resources" / "content.sqlite3").write_bytes(b"SQLite format 3\x00")
    (folder / "_internal" / "libstandin.so.1").symlink_to("nrp_desktop/_resources/content.sqlite3")
    return folder


def deb_field(deb: Path, field: str) -> str:
    result = subprocess.run(["dpkg-deb", "-f", str(deb), field], capture_output=True, text=True, check=True)
    return result.stdout.strip()


def test_deb_installs_to_opt_with_a_command_desktop_entry_and_depends(tmp_path: Path, icons: Path):
    folder = fake_frozen_folder(tmp_path)
    deb = build.build_deb(folder, build.app_metadata(), icons, tmp_path / "out" / "test.deb",
                          staging_root=tmp_path / "staging")
    assert deb_field(deb, "Package") == "nrp-desktop"
    assert deb_field(deb, "Version") == __version__
    assert deb_field(deb, "Architecture") == "amd64"
    depends = [item.strip() for item in deb_field(deb, "Depends").split(",")]
    assert re.fullmatch(r"libc6 \(>= 2\.\d+\)", depends[0])
    # The libraries Qt's xcb platform needs are always there, and what ldd found for the executable.
    for package in ("libegl1", "libgl1", "libxkbcommon0", "libfontconfig1", "libglib2.0-0", "libdbus-1-3",
                    "libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxcb-shape0", "libxcb-xkb1",
                    "libxkbcommon-x11-0"):
        assert package in depends
    ls_libraries = subprocess.run(["ldd", "/bin/ls"], capture_output=True, text=True).stdout
    if "libselinux" in ls_libraries:
        assert "libselinux1" in depends
    assert int(deb_field(deb, "Installed-Size")) >= 1

    listing = subprocess.run(["dpkg-deb", "-c", str(deb)], capture_output=True, text=True, check=True).stdout
    entries = {line.split()[5].removeprefix("."): line for line in listing.splitlines()}
    assert entries["/usr/bin/nrp-desktop"].startswith("l")
    assert entries["/usr/bin/nrp-desktop"].endswith("-> /opt/nrp-desktop/nrp-desktop")
    assert entries["/opt/nrp-desktop/nrp-desktop"].startswith("-rwxr-xr-x root/root")
    assert entries["/opt/nrp-desktop/_internal/nrp_desktop/_resources/content.sqlite3"].startswith("-rw-r--r--")
    for path in (f"/usr/share/applications/{APP_ID}.desktop", f"/usr/share/metainfo/{APP_ID}.metainfo.xml",
                 f"/usr/share/mime/packages/{APP_ID}.xml", f"/usr/share/icons/hicolor/scalable/apps/{APP_ID}.svg",
                 f"/usr/share/icons/hicolor/256x256/apps/{APP_ID}.png", "/usr/share/doc/nrp-desktop/copyright"):
        assert path in entries, f"{path} is not in the .deb"


def test_deb_refuses_an_app_whose_libraries_cannot_be_found(tmp_path: Path):
    import PySide6

    folder = tmp_path / "frozen" / "nrp-desktop"
    (folder / "plugins").mkdir(parents=True)
    # A Qt plugin without the Qt libraries it links to: such a .deb could never run.
    shutil.copy2(Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so", folder / "plugins")
    with pytest.raises(build.BuildError, match=r"libQt6XcbQpa\.so\.6"):
        build.deb_depends(folder)


def test_depends_cover_what_qt_links_to(tmp_path: Path):
    import PySide6

    qt = Path(PySide6.__file__).parent / "Qt"
    files = [qt / "plugins" / "platforms" / "libqxcb.so", qt / "lib" / "libQt6Gui.so.6", qt / "lib" / "libQt6DBus.so.6"]
    system, not_found = build.linked_libraries(files, [qt / "lib"])
    assert not not_found, f"install the Qt libraries (scripts/setup.sh): {not_found}"
    packages = set(build.debian_packages_owning(system).values())
    for package in ("libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxcb-shape0", "libxcb-xkb1",
                    "libxkbcommon-x11-0", "libxkbcommon0", "libfontconfig1", "libglib2.0-0", "libdbus-1-3",
                    "libegl1"):
        assert package in packages
    assert not any(path.startswith(str(qt)) for path in system)  # Qt's own libraries travel in the folder


def test_portable_archive_unpacks_to_one_folder_owned_by_root(tmp_path: Path):
    folder = fake_frozen_folder(tmp_path)
    archive = build.build_tarball(folder, tmp_path / "out" / "portable.tar.gz")
    with tarfile.open(archive) as opened:
        members = opened.getmembers()
    assert {member.name.split("/")[0] for member in members} == {"nrp-desktop"}
    assert all(member.uname == "root" and member.uid == 0 for member in members)
    executable = next(member for member in members if member.name == "nrp-desktop/nrp-desktop")
    assert executable.mode & 0o111
    assert any(member.issym() for member in members)  # links stay links


@pytest.mark.parametrize("with_filters", [True, False])
def test_portable_archive_unpacks_for_the_smoke_test(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     with_filters: bool):
    # Debian 12's python3 (3.11.2) has no tarfile extraction filters; the build runs on it.
    if not with_filters:
        monkeypatch.delattr(tarfile, "tar_filter", raising=False)
    archive = build.build_tarball(fake_frozen_folder(tmp_path), tmp_path / "out" / "portable.tar.gz")
    build.unpack_tarball(archive, tmp_path / "unpacked")
    executable = tmp_path / "unpacked" / "nrp-desktop" / "nrp-desktop"
    assert executable.is_file() and executable.stat().st_mode & 0o111
    assert any(path.is_symlink() for path in (tmp_path / "unpacked").rglob("*"))


# --- The smoke test around every artefact ---------------------------------------------------------


FAKE_APP = """#!/bin/sh
# Stands in for the frozen app: answers like it and writes to the user's data folder.
data="$HOME/.local/share/nrp-desktop"
mkdir -p "$data/logs" && echo started >> "$data/logs/nrp-desktop.log"
[ -n "$FAKE_APP_STRAY" ] && mkdir -p "$HOME/.cache" && echo x > "$HOME/.cache/stray"
[ -n "$FAKE_APP_STRAY_FOLDER" ] && mkdir -p "$HOME/.config/nrp-desktop"
[ -n "$FAKE_APP_STRAY_TEMP" ] && echo x > "${TMPDIR:-/tmp}/left-behind"
if [ -n "$FAKE_APP_DBUS" ]; then
  # What Qt does through libdbus at start-up: talk to the session bus. With no bus in the
  # environment, libdbus autolaunches one with dbus-launch (dbus-x11) when there is a display.
  dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.GetId > /dev/null 2>&1 || { [ -n "$FAKE_APP_NEEDS_BUS" ] && exit 3; }
fi
case "$1" in
  --version) echo "NRP Desktop @VERSION@" ;;
  --smoke-test) ;;
  --language) [ "$3" = --smoke-test ] && echo "$2" >> "$data/languages" || exit 2 ;;
  --help) echo "  COMMAND\n    content-info  what bundled content this copy carries" ;;
  content-info) echo '{"neighbourhoods": 9, "domains": 5, "lessons": 25}' ;;
  *) exit 2 ;;
esac
"""


def fake_app(tmp_path: Path) -> Path:
    app = tmp_path / "install" / "nrp-desktop"
    app.parent.mkdir()
    app.write_text(FAKE_APP.replace("@VERSION@", __version__), encoding="utf-8")
    app.chmod(0o755)
    return app


def test_smoke_test_accepts_an_app_that_writes_only_to_its_data_folder(tmp_path: Path):
    checked = build.smoke_test(fake_app(tmp_path), "fake")
    assert "wrote only to the user's data folder" in checked
    assert "install folder unchanged" in checked
    assert any(line.startswith("--smoke-test offscreen") for line in checked)
    assert any(line.startswith("content-info: 9 neighbourhoods") for line in checked)


def test_smoke_test_opens_the_window_in_each_language_the_folder_carries(tmp_path: Path):
    app = fake_app(tmp_path)
    for code in ("ur", "pl"):
        catalogue = app.parent / "_internal" / "nrp_desktop" / "_resources" / "translations" / code / "LC_MESSAGES"
        catalogue.mkdir(parents=True)
        (catalogue / "nrp_desktop.mo").write_bytes(b"")
    assert "--smoke-test in pl, ur" in build.smoke_test(app, "fake")


def _frozen_folder(tmp_path: Path, babel_locales: Iterable[str]) -> Path:
    folder = tmp_path / "nrp-desktop"
    resources = folder / "_internal" / "nrp_desktop" / "_resources"
    for name in ("content.sqlite3", "fonts/DejaVuSans.ttf", "icons/nrp-desktop.svg", "style/app.qss",
                 "translations/pl/LC_MESSAGES/nrp_desktop.mo"):
        (resources / name).parent.mkdir(parents=True, exist_ok=True)
        (resources / name).write_bytes(b"x")
    locale_data = folder / "_internal" / "babel" / "locale-data"
    locale_data.mkdir(parents=True)
    for name in babel_locales:
        (locale_data / f"{name}.dat").write_bytes(b"x")
    return folder


def test_frozen_folder_check_wants_babel_data_for_each_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(sys, "platform", "linux")
    build.check_frozen_resources(_frozen_folder(tmp_path / "whole", ["root", "en", "en_GB", "pl", "pl_PL"]))
    with pytest.raises(build.BuildError, match="Babel's data for pl under"):
        build.check_frozen_resources(_frozen_folder(tmp_path / "trimmed", ["root", "en", "en_GB"]))


def test_smoke_test_catches_an_app_that_writes_elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("FAKE_APP_STRAY", "1")
    with pytest.raises(build.BuildError, match=r"wrote outside the user's data folder: home/\.cache/stray"):
        build.smoke_test(fake_app(tmp_path), "fake")


@pytest.mark.parametrize("stray, shown", [
    ("FAKE_APP_STRAY_FOLDER", r"home/\.config/nrp-desktop$"),  # an empty folder is a write too
    ("FAKE_APP_STRAY_TEMP", r"tmp/left-behind$"),
])
def test_smoke_test_catches_folders_and_temporary_files_left_behind(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stray: str, shown: str):
    monkeypatch.setenv(stray, "1")
    with pytest.raises(build.BuildError, match=r"wrote outside the user's data folder: " + shown):
        build.smoke_test(fake_app(tmp_path), "fake")


def test_what_counts_as_written_outside_the_data_folder(tmp_path: Path):
    home, temp = tmp_path / "home", tmp_path / "tmp"
    (home / ".local" / "share" / "nrp-desktop" / "logs").mkdir(parents=True)
    (home / ".local" / "share" / "nrp-desktop" / "logs" / "nrp-desktop.log").write_text("x")
    (home / "AppData" / "Roaming").mkdir(parents=True)  # on the way to the Windows data folder
    temp.mkdir()
    assert build._written_outside_data_folder(home, [temp]) == []
    (home / ".local" / "share" / "other-app").mkdir()
    (home / ".dbus" / "session-bus").mkdir(parents=True)
    (home / ".dbus" / "session-bus" / "machine-99").write_text("DBUS_SESSION_BUS_ADDRESS=…")
    (temp / "runtime-root").mkdir()
    assert build._written_outside_data_folder(home, [temp]) == [
        home / ".dbus" / "session-bus" / "machine-99", home / ".local" / "share" / "other-app",
        temp / "runtime-root"]


@pytest.mark.parametrize("made, stray", [
    ([".local/share/nrp-desktop/logs/nrp-desktop.log"], None),
    ([".local/share/nrp-desktop/logs/nrp-desktop.log", ".dbus/session-bus/machine-99"], "./.dbus"),
    ([".cache/"], "./.cache"),
])
def test_verify_deb_checks_the_chroot_home_as_strictly(tmp_path: Path, made: list[str], stray: str | None):
    home = tmp_path / "home"
    for relative in made:
        if relative.endswith("/"):  # an empty folder
            (home / relative).mkdir(parents=True)
        else:
            (home / relative).parent.mkdir(parents=True, exist_ok=True)
            (home / relative).write_text("x")
    result = subprocess.run(["sh", "-c", build._CHROOT_ONLY_DATA_FOLDER], capture_output=True, text=True,
                            env={"HOME": str(home), "PATH": "/usr/bin:/bin"})
    if stray is None:
        assert result.returncode == 0, result.stdout + result.stderr
    else:
        assert result.returncode == 1
        assert f"wrote outside the user's data folder: {stray}" in result.stdout


def test_linux_build_installs_a_session_bus_runner_when_there_is_none(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(build.shutil, "which", lambda name: None)
    assert "dbus-daemon" in build.linux_build_packages(Path("/opt/python/bin/python3"))
    with pytest.raises(build.BuildError, match="install dbus-run-session"):
        build._private_session_bus()


def _dbus_x11_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    """The machine of issue 19: dbus-x11 installed, a display to autolaunch on, and no session bus."""
    for tool, package in (("dbus-launch", "dbus-x11"), ("dbus-send", "dbus-bin"), ("xvfb-run", "xvfb"),
                          ("dbus-run-session", "dbus-daemon")):
        assert shutil.which(tool), f"{tool} is missing: install {package} (bash scripts/setup.sh --test)"
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    monkeypatch.setenv("FAKE_APP_DBUS", "1")


def test_without_a_private_bus_dbus_x11_autolaunches_into_the_fresh_home(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    # The failure of issue 19, reproduced: the run on Xvfb autolaunches a bus under the fresh home.
    _dbus_x11_machine(monkeypatch)
    monkeypatch.setattr(build, "_private_session_bus", list)
    with pytest.raises(build.BuildError,
                       match=r"wrote outside the user's data folder: home/\.dbus/session-bus/\w+-\d+"):
        build.smoke_test(fake_app(tmp_path), "fake")


def test_smoke_test_passes_with_dbus_x11_installed_each_run_on_its_own_bus(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    _dbus_x11_machine(monkeypatch)
    monkeypatch.setenv("FAKE_APP_NEEDS_BUS", "1")  # every run (offscreen too) must find a bus
    checked = build.smoke_test(fake_app(tmp_path), "fake")
    assert "--smoke-test on Xvfb (xcb)" in checked
    assert "own private session bus for every run" in checked
    assert "wrote only to the user's data folder" in checked


def test_smoke_test_with_dbus_x11_still_catches_what_the_app_writes_elsewhere(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    _dbus_x11_machine(monkeypatch)
    monkeypatch.setenv("FAKE_APP_STRAY", "1")
    with pytest.raises(build.BuildError, match=r"wrote outside the user's data folder: home/\.cache/stray$"):
        build.smoke_test(fake_app(tmp_path), "fake")


def test_smoke_test_does_not_reach_the_developers_own_session(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    # A developer's desktop bus and display stay out: the app gets only the private bus.
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/developer-bus")
    monkeypatch.setenv("DISPLAY", ":4242")
    monkeypatch.setenv("FAKE_APP_DBUS", "1")
    monkeypatch.setenv("FAKE_APP_NEEDS_BUS", "1")
    app = fake_app(tmp_path)
    app.write_text(app.read_text().replace(
        "case", 'case "$DISPLAY" in :4242) exit 4 ;; esac\ncase', 1))
    assert "wrote only to the user's data folder" in build.smoke_test(app, "fake")


def test_smoke_test_catches_an_app_that_changes_its_install_folder(tmp_path: Path):
    app = fake_app(tmp_path)
    app.write_text(app.read_text().replace("case", 'touch "$(dirname "$0")/cache.pyc"\ncase', 1))
    with pytest.raises(build.BuildError, match=r"install folder .* changed"):
        build.smoke_test(app, "fake")


# --- Windows: the NSIS script --------------------------------------------------------------------


def stand_in_payload(tmp_path: Path) -> Path:
    payload = tmp_path / "payload"
    (payload / "_internal" / "nrp_desktop" / "_resources").mkdir(parents=True)
    for name in ("nrp-desktop.exe", "nrp-desktop-cli.exe"):
        (payload / name).write_bytes(b"MZ" + b"\0" * 510)
    (payload / "_internal" / "nrp_desktop" / "_resources" / "content.sqlite3").write_bytes(b"SQLite format 3\x00")
    return payload


def test_nsis_script_compiles_against_a_stand_in_payload(tmp_path: Path, icons: Path):
    metadata = build.app_metadata()
    setup, log = build.build_nsis_installer(stand_in_payload(tmp_path), tmp_path / "out" / "nrp-desktop_setup.exe",
                                            metadata, icons / "nrp-desktop.ico", verbosity=4)
    data = setup.read_bytes()
    assert data[:2] == b"MZ" and len(data) > 50_000
    # Every payload file went in, under the install folder.
    for name in ("nrp-desktop.exe", "nrp-desktop-cli.exe", "content.sqlite3"):
        assert re.search(rf'File: "{re.escape(name)}"', log), f"{name} is not in the installer"
    # What the compiler made of the script: a per-user folder, a Start menu shortcut, the
    # association of session files, all under HKEY_CURRENT_USER (HKLM would need administrator rights).
    assert f'InstallDir: "$LOCALAPPDATA\\Programs\\{APP_NAME}"' in log
    assert f'CreateShortcut: "$SMPROGRAMS\\{APP_NAME}.lnk"->"$INSTDIR\\nrp-desktop.exe"' in log
    assert r"WriteRegStr: HKCU\Software\Classes\.nrpsession\=NRPDesktop.Session" in log
    assert r'NRPDesktop.Session\shell\open\command\="$INSTDIR\nrp-desktop.exe" "%1"' in log
    assert "HKLM" not in log
    # The version resource Windows shows carries the package's version.
    assert "ProductVersion".encode("utf-16-le") in data
    assert __version__.encode("utf-16-le") in data


def test_nsis_script_installs_per_user_without_administrator_rights():
    script = (PACKAGING / "windows" / "installer.nsi").read_text(encoding="utf-8")
    assert re.search(r"^RequestExecutionLevel user$", script, flags=re.MULTILINE)
    assert re.search(r'^InstallDir "\$LOCALAPPDATA\\Programs\\', script, flags=re.MULTILINE)
    registry_roots = set(re.findall(r"^\s*(?:WriteReg\w+|DeleteReg\w+(?: /ifempty)?|ReadRegStr \$0) (\w+)",
                                    script, flags=re.MULTILINE))
    assert registry_roots == {"HKCU"}  # HKLM would need administrator rights
    assert "CreateShortcut \"${SHORTCUT}\"" in script and "$SMPROGRAMS" in script
    assert "WriteUninstaller" in script
    assert "RMDir /r \"$INSTDIR\"" not in script  # never wipe a folder the user may have chosen


def test_nsis_script_refuses_to_compile_without_the_version(tmp_path: Path):
    makensis = build.find_makensis()
    result = subprocess.run([makensis, "-V2", f"-DPAYLOAD={stand_in_payload(tmp_path)}",
                             f"-DOUTFILE={tmp_path / 'x.exe'}", str(PACKAGING / "windows" / "installer.nsi")],
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert "Pass APP_NAME, APP_ID, VERSION" in result.stdout + result.stderr


# --- The PyInstaller spec --------------------------------------------------------------------------


class Recorder:
    """Stands in for PyInstaller's Analysis, PYZ, EXE, COLLECT and BUNDLE: records what the spec asks."""

    calls: list[tuple[str, tuple, dict]]

    def __init__(self, binaries: list[tuple[str, str, str]], datas: list[tuple[str, str, str]]):
        self.calls = []
        self.binaries = binaries
        self.datas = datas

    def target(self, kind: str):
        def make(*args, **kwargs):
            self.calls.append((kind, args, kwargs))
            result = types.SimpleNamespace(args=args, kwargs=kwargs)
            if kind == "Analysis":
                result.binaries = list(self.binaries)
                result.datas = list(self.datas) + [(dest, src, "DATA") for src, dest in kwargs["datas"]]
                result.pure, result.scripts = [], []
            return result

        return make

    def kwargs_of(self, kind: str) -> list[dict]:
        return [kwargs for name, _args, kwargs in self.calls if name == kind]


FROZEN_BINARIES = [
    ("PySide6/Qt/plugins/platforms/libqxcb.so", "/venv/PySide6/Qt/plugins/platforms/libqxcb.so", "BINARY"),
    ("PySide6/Qt/plugins/platforms/libqvnc.so", "/venv/PySide6/Qt/plugins/platforms/libqvnc.so", "BINARY"),
    ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", "/venv/PySide6/Qt/plugins/platformthemes/libqgtk3.so", "BINARY"),
    ("PySide6/Qt/plugins/imageformats/libqpdf.so", "/venv/PySide6/Qt/plugins/imageformats/libqpdf.so", "BINARY"),
    ("PySide6/Qt/plugins/imageformats/libqsvg.so", "/venv/PySide6/Qt/plugins/imageformats/libqsvg.so", "BINARY"),
    ("PySide6/Qt/plugins/sqldrivers/libqsqlite.so", "/venv/PySide6/Qt/plugins/sqldrivers/libqsqlite.so", "BINARY"),
    ("PySide6/Qt/lib/libQt6XcbQpa.so.6", "/venv/PySide6/Qt/lib/libQt6XcbQpa.so.6", "BINARY"),
    ("PySide6/Qt/lib/libQt6Pdf.so.6", "/venv/PySide6/Qt/lib/libQt6Pdf.so.6", "BINARY"),
    ("libQt6Pdf.so.6", "PySide6/Qt/lib/libQt6Pdf.so.6", "SYMLINK"),
    ("libQt6XcbQpa.so.6", "PySide6/Qt/lib/libQt6XcbQpa.so.6", "SYMLINK"),
    ("libfontconfig.so.1", "/lib/x86_64-linux-gnu/libfontconfig.so.1", "BINARY"),
    ("libpython3.11.so.1.0", "/usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0", "BINARY"),
    ("lib-dynload/_ssl.cpython-311-x86_64-linux-gnu.so", "/usr/lib/python3.11/lib-dynload/_ssl.so", "EXTENSION"),
]
FROZEN_DATAS = [
    ("PySide6/Qt/translations/qtbase_pl.qm", "/venv/PySide6/Qt/translations/qtbase_pl.qm", "DATA"),
    ("PySide6/Qt/translations/qtbase_de.qm", "/venv/PySide6/Qt/translations/qtbase_de.qm", "DATA"),
    *[(f"babel/locale-data/{name}.dat", f"/venv/babel/locale-data/{name}.dat", "DATA")
      for name in ("root", "en", "en_001", "en_GB", "en_US", "pl", "pl_PL", "ur", "ur_PK", "ur_IN", "de", "fr_CA")],
    ("babel/global.dat", "/venv/babel/global.dat", "DATA"),
]
LINKS = {"/venv/PySide6/Qt/plugins/platforms/libqxcb.so": ["libQt6XcbQpa.so.6", "libxcb.so.1"],
         "/venv/PySide6/Qt/plugins/imageformats/libqpdf.so": ["libQt6Pdf.so.6"]}


@pytest.fixture
def installed_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """What `pip install .` leaves: the package with its _resources (one translation: Polish)."""
    package = tmp_path / "site-packages" / "nrp_desktop"
    (package / "commands").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "commands" / "__init__.py").write_text("")
    (package / "commands" / "content.py").write_text("")
    resources = package / "_resources"
    (resources / "translations" / "pl" / "LC_MESSAGES").mkdir(parents=True)
    (resources / "content.sqlite3").write_bytes(b"SQLite format 3\x00")
    (resources / "translations" / "pl" / "LC_MESSAGES" / "nrp_desktop.mo").write_bytes(b"")
    monkeypatch.setattr(nrp_desktop, "__file__", str(package / "__init__.py"))
    return package


def fake_pyinstaller_modules(monkeypatch: pytest.MonkeyPatch) -> None:
    bindepend = types.ModuleType("PyInstaller.depend.bindepend")
    bindepend.get_imports = lambda source: [(name, None) for name in LINKS.get(source, [])]
    versioninfo = types.ModuleType("PyInstaller.utils.win32.versioninfo")
    for name in ("VSVersionInfo", "FixedFileInfo", "StringFileInfo", "StringTable", "StringStruct",
                 "VarFileInfo", "VarStruct"):
        setattr(versioninfo, name, lambda *args, _name=name, **kwargs: (_name, args, kwargs))
    modules = {"PyInstaller": types.ModuleType("PyInstaller"), "PyInstaller.depend": types.ModuleType("d"),
               "PyInstaller.depend.bindepend": bindepend, "PyInstaller.utils": types.ModuleType("u"),
               "PyInstaller.utils.win32": types.ModuleType("w"), "PyInstaller.utils.win32.versioninfo": versioninfo}
    modules["PyInstaller.depend"].bindepend = bindepend
    modules["PyInstaller.utils.win32"].versioninfo = versioninfo
    for name, module in modules.items():
        monkeypatch.setitem(sys.modules, name, module)


def run_spec(platform: str, monkeypatch: pytest.MonkeyPatch, *options: str) -> Recorder:
    fake_pyinstaller_modules(monkeypatch)
    monkeypatch.setattr(sys, "platform", platform)
    monkeypatch.setattr(sys, "argv", ["pyinstaller", str(PACKAGING / "nrp-desktop.spec"), "--", *options])
    recorder = Recorder(FROZEN_BINARIES, FROZEN_DATAS)
    namespace = {name: recorder.target(name) for name in ("Analysis", "PYZ", "EXE", "COLLECT", "BUNDLE")}
    namespace.update(SPECPATH=str(PACKAGING), __name__="__main__")
    spec = PACKAGING / "nrp-desktop.spec"
    exec(compile(spec.read_text(encoding="utf-8"), str(spec), "exec"), namespace)
    return recorder


@pytest.mark.parametrize("version, app_id", [("7.8.9", "org.example.Tested"), (__version__, APP_ID)])
def test_spec_takes_version_and_app_id_from_the_package(version, app_id, installed_package, monkeypatch):
    monkeypatch.setattr(nrp_desktop, "__version__", version)
    monkeypatch.setattr(nrp_desktop, "APP_ID", app_id)
    recorder = run_spec("darwin", monkeypatch, "--icons", "/icons")
    (bundle,) = recorder.kwargs_of("BUNDLE")
    assert bundle["bundle_identifier"] == app_id
    assert bundle["version"] == version
    assert bundle["info_plist"]["CFBundleShortVersionString"] == version
    assert bundle["info_plist"]["CFBundleIdentifier"] == app_id
    assert bundle["info_plist"]["CFBundleDocumentTypes"][0]["CFBundleTypeName"] == "NRP Desktop session"
    assert bundle["icon"] == "/icons/nrp-desktop-1024.png"

    windows = run_spec("win32", monkeypatch, "--icons", "C:/icons")
    executables = windows.kwargs_of("EXE")
    assert [exe["name"] for exe in executables] == ["nrp-desktop", "nrp-desktop-cli"]
    assert [exe["console"] for exe in executables] == [False, True]
    _kind, _args, version_info = executables[0]["version"]
    fixed = version_info["ffi"]
    assert fixed[2]["filevers"] == freeze_rules.windows_version_tuple(version)
    strings = version_info["kids"][0][1][0][0][1][1]
    assert ("StringStruct", ("ProductVersion", version), {}) in strings
    assert not windows.kwargs_of("BUNDLE")


def test_spec_freezes_a_one_folder_build_with_the_bundled_resources(installed_package, monkeypatch):
    recorder = run_spec("linux", monkeypatch)
    (analysis,) = recorder.kwargs_of("Analysis")
    assert analysis["datas"] == [(str(installed_package / "_resources"), "nrp_desktop/_resources")]
    # Commands are imported by name at run time, so every module of the package is named.
    assert "nrp_desktop.commands.content" in analysis["hiddenimports"]
    for module in ("tkinter", "PySide6.QtWebEngineCore", "PySide6.QtQml", "PySide6.QtQuick"):
        assert module in analysis["excludes"]
    (exe,) = recorder.kwargs_of("EXE")
    assert exe["exclude_binaries"] is True  # one folder, not one file
    assert exe["strip"] is True and exe["upx"] is False and exe["name"] == "nrp-desktop"
    (collect,) = recorder.kwargs_of("COLLECT")
    assert collect["strip"] is True and collect["name"] == "nrp-desktop"
    binaries, datas = recorder.calls[-1][1][1], recorder.calls[-1][1][2]
    kept = {dest for dest, _source, _kind in binaries}
    assert kept == {
        "PySide6/Qt/plugins/platforms/libqxcb.so", "PySide6/Qt/plugins/imageformats/libqsvg.so",
        "PySide6/Qt/lib/libQt6XcbQpa.so.6", "libQt6XcbQpa.so.6", "libpython3.11.so.1.0",
        "lib-dynload/_ssl.cpython-311-x86_64-linux-gnu.so",
    }  # not vnc, gtk3, pdf, sql; not QtPdf (only the pdf plugin used it); not the system's fontconfig
    kept_data = {dest for dest, _source, _kind in datas}
    assert "PySide6/Qt/translations/qtbase_pl.qm" in kept_data  # the app is translated into Polish
    assert "PySide6/Qt/translations/qtbase_de.qm" not in kept_data
    assert "nrp_desktop/_resources" in kept_data
    # Babel's CLDR data: the app's three locales and what they inherit from, and its global data.
    assert {dest for dest in kept_data if dest.startswith("babel/")} == {
        "babel/global.dat", *(f"babel/locale-data/{name}.dat"
                              for name in ("root", "en", "en_001", "en_GB", "pl", "pl_PL", "ur", "ur_PK"))}


def test_spec_builds_the_bare_baseline_window_the_same_way(installed_package, monkeypatch):
    recorder = run_spec("linux", monkeypatch, "--baseline")
    (analysis,) = recorder.kwargs_of("Analysis")
    assert recorder.calls[0][1][0] == [str(PACKAGING / "baseline_window.py")]
    assert analysis["datas"] == [] and analysis["hiddenimports"] == []
    assert analysis["excludes"] == list(freeze_rules.EXCLUDED_MODULES)
    (exe,) = recorder.kwargs_of("EXE")
    assert exe["name"] == "nrp-desktop-baseline" and exe["strip"] is True


@pytest.mark.parametrize("destination, kept", [
    ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
    ("PySide6/Qt/plugins/platforms/libqwayland.so", True),
    ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
    ("PySide6/Qt/plugins/platforms/libqeglfs.so", False),
    ("PySide6/plugins/platforms/qwindows.dll", True),
    ("PySide6/plugins/platforms/qdirect2d.dll", False),
    ("PySide6/Qt/plugins/platforms/libqcocoa.dylib", True),
    ("PySide6/plugins/imageformats/qsvg.dll", True),
    ("PySide6/plugins/imageformats/qpdf.dll", False),
    ("PySide6/Qt/plugins/tls/libqopensslbackend.so", False),
    ("PySide6/Qt/plugins/qmltooling/libqmldbg_tcp.so", False),
    ("PySide6/Qt/plugins/styles/libqmodernwindowsstyle.so", True),
    ("PySide6/Qt/lib/libQt6Core.so.6", True),  # not a plugin
    ("somepackage/plugins/x/y.so", True),  # not Qt's
])
def test_only_the_qt_plugins_the_app_uses_are_kept(destination: str, kept: bool):
    assert freeze_rules.keep_qt_plugin(destination) is kept
    assert freeze_rules.keep_qt_plugin(destination.replace("/", "\\")) is kept


@pytest.mark.parametrize("destination, languages, kept", [
    ("PySide6/Qt/translations/qtbase_pl.qm", {"pl"}, True),
    ("PySide6/Qt/translations/qtbase_pl.qm", set(), False),
    ("PySide6/translations/qt_help_de.qm", {"de"}, True),
    ("PySide6/Qt/translations/qtbase_pt_BR.qm", {"pt"}, True),
    ("PySide6/Qt/translations/qtbase_pt_BR.qm", {"pl"}, False),
    ("nrp_desktop/_resources/translations/nrp_desktop_pl.qm", set(), True),  # the app's own: always
])
def test_qt_translations_only_for_the_languages_the_app_speaks(destination: str, languages: set[str], kept: bool):
    assert freeze_rules.keep_qt_translation(destination, languages) is kept


def test_app_languages_come_from_its_translation_files(tmp_path: Path):
    for name in ("pl/LC_MESSAGES/nrp_desktop.mo", "ur/LC_MESSAGES/nrp_desktop.mo",
                 "de/LC_MESSAGES/other.mo", "fr/nrp_desktop.po", "README.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"")
    assert freeze_rules.app_languages(tmp_path) == {"pl", "ur"}
    assert freeze_rules.app_languages(tmp_path / "missing") == set()


def test_the_built_catalogues_are_found_where_the_build_puts_them():
    # The wheel build compiles every catalogue beside its .po (db/build_translations.py), which is
    # what the spec reads to keep Qt's own translations (qtbase_pl.qm) for those languages.
    from nrp_desktop import i18n, paths

    shipped = freeze_rules.app_languages(paths.translations_dir())
    assert shipped == {language.code for language in i18n.LANGUAGES if language.code != "en"}


@pytest.mark.parametrize("destination, needed, kept", [
    ("babel/locale-data/pl_PL.dat", {"pl_PL", "pl", "root"}, True),
    ("babel/locale-data/de.dat", {"pl_PL", "pl", "root"}, False),
    ("babel\\locale-data\\de.dat", {"pl"}, False),
    ("babel/global.dat", set(), True),  # not per-locale data
    ("babel/messages/frontend.py", set(), True),
    ("PySide6/Qt/translations/qtbase_de.qm", set(), True),  # not Babel's
])
def test_babel_locale_data_only_for_the_locales_the_app_formats_in(destination: str, needed: set[str], kept: bool):
    assert freeze_rules.keep_babel_locale_data(destination, needed) is kept


def test_the_kept_babel_data_is_enough_to_format_in_every_app_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import datetime as dt

    from babel import dates, localedata, numbers
    from babel.core import UnknownLocaleError

    from nrp_desktop.i18n import LANGUAGES

    locales = [language.babel_locale for language in LANGUAGES]
    day = dt.date(2026, 12, 1)
    expected = {locale: (dates.format_date(day, format="long", locale=locale),
                         numbers.format_decimal(12345.5, locale=locale)) for locale in locales}
    kept = freeze_rules.babel_locale_files(locales)
    assert {"root", "en_GB", "pl_PL", "ur_PK"} <= kept and len(kept) < 20
    trimmed = tmp_path / "locale-data"
    trimmed.mkdir()
    for name in kept:
        shutil.copy(Path(localedata._dirname) / f"{name}.dat", trimmed)
    monkeypatch.setattr(localedata, "_dirname", str(trimmed))
    localedata.clear_caches()
    localedata.locale_identifiers.cache_clear()
    try:
        for locale in locales:
            formatted = (dates.format_date(day, format="long", locale=locale),
                         numbers.format_decimal(12345.5, locale=locale))
            assert formatted == expected[locale]
        with pytest.raises(UnknownLocaleError):  # a locale left out really is gone
            dates.format_date(day, format="long", locale="de_DE")
    finally:
        localedata.clear_caches()
        localedata.locale_identifiers.cache_clear()


def test_frozen_app_finds_its_resources_inside_the_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    from nrp_desktop import paths

    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path / "_internal"), raising=False)
    monkeypatch.chdir(tmp_path)
    # The spec puts the resources at nrp_desktop/_resources; the app looks there, not in the cwd.
    assert paths.content_db_path() == tmp_path / "_internal" / "nrp_desktop" / "_resources" / "content.sqlite3"
    assert paths.fonts_dir() == tmp_path / "_internal" / "nrp_desktop" / "_resources" / "fonts"
    monkeypatch.chdir(ROOT)
    assert paths.icons_dir() == tmp_path / "_internal" / "nrp_desktop" / "_resources" / "icons"


def test_workflow_builds_windows_and_macos_on_their_own_runners():
    workflow = (ROOT / ".github" / "workflows" / "installers.yml").read_text(encoding="utf-8")
    assert re.search(r"runs-on: windows-latest[\s\S]*python packaging/build\.py windows", workflow)
    assert re.search(r"runner: \[macos-14, macos-13\][\s\S]*python3 packaging/build\.py macos", workflow)
    assert re.search(r"container: debian:12[\s\S]*python3 packaging/build\.py linux", workflow)
