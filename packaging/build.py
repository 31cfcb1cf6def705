#!/usr/bin/env python3
"""Build the NRP Desktop installers from a clean clone, then smoke-test every artefact.

    python3 packaging/build.py linux     # dist/nrp-desktop_<version>_amd64.deb and …_linux_x86_64.tar.gz
    python3 packaging/build.py windows   # on Windows: dist/nrp-desktop_<version>_windows_x64_setup.exe
    python3 packaging/build.py macos     # on macOS: dist/nrp-desktop_<version>_macos_<arch>.dmg
    python3 packaging/build.py verify-deb dist/nrp-desktop_<version>_amd64.deb   # as root: bare Debian 12 chroot
    python3 packaging/build.py baseline  # a bare PySide6 window packaged the same way (for the figures)

Each build makes its own environment under build/packaging/: a fresh virtual environment holding
only the app (`pip install .`, which compiles the content database into the package) and
PyInstaller, so nothing stray from a developer's environment is bundled. It needs nothing but this
Python (3.11 or newer) and, on Linux, a few Debian packages, which it installs when run as root
and otherwise names in one line. Only the standard library is used here.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
BUILD = ROOT / "build" / "packaging"
DIST = ROOT / "dist"
SPEC = PACKAGING / "nrp-desktop.spec"
PYINSTALLER_REQUIREMENT = "pyinstaller>=6.10,<7"
COMMAND = "nrp-desktop"
INSTALL_PREFIX = "/opt/nrp-desktop"

# Debian packages the Linux build itself uses: strip and objdump (binutils, for PyInstaller),
# dpkg-deb and dpkg -S (dpkg, always there), the validators for the .desktop and metainfo files.
LINUX_BUILD_TOOLS = ("binutils", "desktop-file-utils", "appstream")
# dbus-run-session, which gives every smoke-test run its own private session bus. Without one,
# libdbus autolaunches a bus (through dbus-launch, from dbus-x11) and writes ~/.dbus/ under the
# fresh home folder the app is given. On Debian 12 it is in dbus-daemon; older Ubuntu has it in dbus.
SESSION_BUS_COMMAND = "dbus-run-session"
SESSION_BUS_PACKAGE = "dbus-daemon"
# The libraries Qt's xcb and wayland platforms (and its print support: libcups2) load. The build
# machine needs them to run the smoke test and to find, with ldd, which Debian package provides
# every library the frozen app links to. A bare Debian 12 has none of them.
QT_RUNTIME_PACKAGES = (
    "libcups2", "libegl1", "libgl1", "libopengl0", "libxkbcommon0", "libfontconfig1", "libfreetype6",
    "libglib2.0-0", "libdbus-1-3", "libx11-6", "libx11-xcb1", "libxcb1", "libxcb-cursor0",
    "libxcb-icccm4", "libxcb-image0", "libxcb-keysyms1", "libxcb-randr0", "libxcb-render0",
    "libxcb-render-util0", "libxcb-shape0", "libxcb-shm0", "libxcb-sync1", "libxcb-xfixes0",
    "libxcb-xinerama0", "libxcb-xkb1", "libxkbcommon-x11-0", "libwayland-client0",
    "libwayland-cursor0", "libwayland-egl1",
)
# Always in the .deb's Depends, whatever ldd finds: Qt opens some of these only at run time.
BASE_DEPENDS = (
    "libegl1", "libgl1", "libxkbcommon0", "libfontconfig1", "libglib2.0-0", "libdbus-1-3",
    "libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxcb-shape0", "libxcb-xkb1",
    "libxkbcommon-x11-0",
)


class BuildError(Exception):
    """A step failed; the message says which and what to do."""


@dataclass(frozen=True)
class AppMetadata:
    version: str
    app_id: str
    app_name: str

    @property
    def windows_version(self) -> str:
        numbers = [int(part) for part in re.findall(r"\d+", self.version.split("+")[0])[:4]]
        return ".".join(str(n) for n in [*numbers, 0, 0, 0, 0][:4])


def app_metadata(root: Path = ROOT) -> AppMetadata:
    """Version, application id and name, read from nrp_desktop/__init__.py (the one source of truth)."""
    tree = ast.parse((root / "nrp_desktop" / "__init__.py").read_text(encoding="utf-8"))
    values: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    values[target.id] = node.value.value
    try:
        return AppMetadata(values["__version__"], values["APP_ID"], values["APP_NAME"])
    except KeyError as missing:
        raise BuildError(f"nrp_desktop/__init__.py does not define {missing}") from None


def log(message: str) -> None:
    print(f"build: {message}", flush=True)


def run(command: Sequence[str | os.PathLike[str]], **options) -> subprocess.CompletedProcess:
    """Run a command; on failure raise BuildError with its output."""
    printable = " ".join(str(part) for part in command)
    options.setdefault("check", False)
    result = subprocess.run([str(part) for part in command], **options)
    if result.returncode != 0:
        output = ""
        for stream in (result.stdout, result.stderr):
            if stream:
                output += stream if isinstance(stream, str) else stream.decode(errors="replace")
        raise BuildError(f"`{printable}` failed with exit status {result.returncode}\n{output[-4000:]}")
    return result


def clean_environment(**extra: str) -> dict[str, str]:
    """This process's environment without anything that would let a developer's setup leak in."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("PYTHON", "PIP_", "VIRTUAL_ENV", "CONDA", "NRP_DESKTOP_", "QT_"))}
    env["PYTHONNOUSERSITE"] = "1"
    env.update(extra)
    return env


# --- Debian packages for the build ------------------------------------------------------------


def missing_debian_packages(packages: Iterable[str]) -> list[str]:
    missing = []
    for package in packages:
        result = subprocess.run(["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True)
        if "install ok installed" not in result.stdout:
            missing.append(package)
    return missing


def ensure_debian_packages(packages: Sequence[str]) -> None:
    """Install what is missing when root; otherwise stop and name it in one line."""
    if shutil.which("dpkg-query") is None:
        raise BuildError("the Linux build needs a Debian or Ubuntu machine (dpkg and apt)")
    missing = missing_debian_packages(packages)
    if not missing:
        return
    if os.geteuid() != 0:
        raise BuildError("missing Debian packages; install them with:\n"
                         f"  sudo apt-get install --no-install-recommends {' '.join(missing)}")
    log(f"installing Debian packages: {' '.join(missing)}")
    apt_env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run(["apt-get", "update", "-qq"], env=apt_env, capture_output=True, text=True)
    run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing],
        env=apt_env, capture_output=True, text=True)


def linux_build_packages(python: Path) -> list[str]:
    packages = [*LINUX_BUILD_TOOLS, *QT_RUNTIME_PACKAGES]
    if shutil.which(SESSION_BUS_COMMAND) is None:
        packages.append(SESSION_BUS_PACKAGE)
    if str(python).startswith("/usr/"):  # Debian's own Python: venv module and the shared libpython
        minor = f"{sys.version_info.major}.{sys.version_info.minor}"
        packages += [f"python{minor}-venv", f"libpython{minor}"]
    return packages


# --- The clean build environment --------------------------------------------------------------


def venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")


def make_build_environment(venv: Path, python: str = sys.executable) -> Path:
    """A fresh virtual environment with the app (as a user would install it) and PyInstaller."""
    if venv.exists():
        shutil.rmtree(venv)
    log(f"making a clean build environment in {_shown(venv)}")
    run([python, "-m", "venv", venv], env=clean_environment(), capture_output=True, text=True)
    interpreter = venv_python(venv)
    env = clean_environment()
    run([interpreter, "-m", "pip", "install", "-q", "--upgrade", "pip"], env=env, capture_output=True, text=True)
    log("installing the app (pip install .) and PyInstaller into it")
    run([interpreter, "-m", "pip", "install", "-q", str(ROOT), PYINSTALLER_REQUIREMENT],
        env=env, capture_output=True, text=True, cwd=BUILD)
    return interpreter


def render_icons(python: Path, out_dir: Path) -> Path:
    run([python, PACKAGING / "render_icons.py", ROOT / "resources" / "icons" / "nrp-desktop.svg", out_dir],
        env=clean_environment(QT_QPA_PLATFORM="offscreen"), capture_output=True, text=True)
    return out_dir


def freeze(python: Path, out_dir: Path, icons: Path, baseline: bool = False) -> Path:
    """Run PyInstaller on the spec; returns the one-folder build (holding the executable)."""
    name = "nrp-desktop-baseline" if baseline else COMMAND
    work = BUILD / "work" / name
    log(f"freezing {'the bare PySide6 window' if baseline else 'the app'} with PyInstaller (a few minutes)")
    extra = ["--icons", str(icons)] + (["--baseline"] if baseline else [])
    # Run from inside build/, so the source tree is never on sys.path: the app comes from the
    # environment, exactly as installed.
    run([python, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
         "--distpath", out_dir, "--workpath", work, SPEC, "--", *extra],
        env=clean_environment(), capture_output=True, text=True, cwd=BUILD)
    if sys.platform == "darwin":
        apps = list(out_dir.glob("*.app"))
        if not apps:
            raise BuildError(f"PyInstaller made no .app in {out_dir}")
        return apps[0]
    return out_dir / name


def check_frozen_resources(folder: Path) -> None:
    internal = folder / "_internal" if (folder / "_internal").is_dir() else folder
    if sys.platform == "darwin":
        internal = folder / "Contents" / "Resources"
    resources = internal / "nrp_desktop" / "_resources"
    expected = ["content.sqlite3", "fonts/DejaVuSans.ttf", "icons/nrp-desktop.svg", "style/app.qss"]
    missing = [name for name in expected if not (resources / name).is_file()]
    if missing:
        raise BuildError(f"the frozen folder lacks {', '.join(missing)} under {resources}")
    # Babel's data is trimmed to the app's languages (freeze_rules.keep_babel_locale_data): each
    # language with a compiled catalogue, and English, must still have its own.
    locale_data = internal / "babel" / "locale-data"
    needed = {"root", "en", *(code for code in frozen_languages(folder))}
    lacking = sorted(name for name in needed if not (locale_data / f"{name}.dat").is_file())
    if lacking:
        raise BuildError(f"the frozen folder lacks Babel's data for {', '.join(lacking)} under {locale_data}")


def frozen_languages(folder: Path) -> list[str]:
    """The languages a frozen folder carries a compiled catalogue for (besides English)."""
    internal = folder / "_internal" if (folder / "_internal").is_dir() else folder
    if sys.platform == "darwin" and (folder / "Contents").is_dir():
        internal = folder / "Contents" / "Resources"
    translations = internal / "nrp_desktop" / "_resources" / "translations"
    return sorted(path.parent.parent.name for path in translations.glob("*/LC_MESSAGES/nrp_desktop.mo"))


# --- Linux: dependencies, .deb and .tar.gz ---------------------------------------------------


def elf_files(folder: Path) -> list[Path]:
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as handle:
                if handle.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def elf_needed(path: Path) -> list[str]:
    """The libraries an ELF file names as DT_NEEDED (its direct dependencies), read from the file."""
    with path.open("rb") as handle:
        header = handle.read(64)
        if header[:4] != b"\x7fELF" or header[4] != 2 or header[5] != 1:
            raise BuildError(f"{path} is not a 64-bit little-endian ELF file")
        section_offset, = struct.unpack_from("<Q", header, 0x28)
        entry_size, count = struct.unpack_from("<HH", header, 0x3A)
        handle.seek(section_offset)
        table = handle.read(entry_size * count)
        sections = [struct.unpack_from("<IIQQQQIIQQ", table, index * entry_size) for index in range(count)]
        needed = []
        for _name, kind, _flags, _address, offset, size, link, _info, _align, _entry in sections:
            if kind != 6:  # SHT_DYNAMIC
                continue
            handle.seek(offset)
            dynamic = handle.read(size)
            strings = sections[link]
            handle.seek(strings[4])
            names = handle.read(strings[5])
            for tag, value in struct.iter_unpack("<qQ", dynamic):
                if tag == 0:
                    break
                if tag == 1:  # DT_NEEDED
                    needed.append(names[value:names.index(b"\0", value)].decode())
        return needed


def linked_libraries(files: Sequence[Path], library_dirs: Sequence[Path]) -> tuple[set[str], set[str]]:
    """(system paths, names not found) of the libraries the files link to directly, as ldd resolves them.

    Libraries that resolve inside `library_dirs` travel with the app and are left out.
    """
    env = {**os.environ, "LD_LIBRARY_PATH": os.pathsep.join(str(d) for d in library_dirs)}
    direct = {name for path in files for name in elf_needed(path)}
    resolved: dict[str, str] = {}
    not_found: set[str] = set()
    for start in range(0, len(files), 64):
        result = subprocess.run(["ldd", *map(str, files[start:start + 64])], capture_output=True, text=True, env=env)
        for line in result.stdout.splitlines():
            match = re.match(r"\s+(\S+) => (not found|(\S+) \(0x[0-9a-f]+\))", line)
            if not match:
                continue
            if match.group(2) == "not found":
                not_found.add(match.group(1))
            else:
                resolved[match.group(1)] = match.group(3)
    inside = tuple(str(d) for d in library_dirs)
    system = {path for name, path in resolved.items() if name in direct and not path.startswith(inside)}
    return system, not_found


def debian_packages_owning(paths: Iterable[str]) -> dict[str, str]:
    """Library path → Debian package (without the architecture) for every path dpkg knows."""
    candidates: dict[str, str] = {}
    for path in paths:
        real = os.path.realpath(path)
        for variant in {path, real}:
            candidates[variant] = path
            if variant.startswith("/lib"):
                candidates["/usr" + variant] = path
            elif variant.startswith("/usr/lib"):
                candidates[variant[4:]] = path
    owners: dict[str, str] = {}
    if not candidates:
        return owners
    result = subprocess.run(["dpkg-query", "-S", *candidates], capture_output=True, text=True)
    for line in result.stdout.splitlines():
        if line.startswith("diversion ") or ": " not in line:
            continue
        packages, owned = line.split(": ", 1)
        if owned in candidates:
            owners[candidates[owned]] = packages.split(",")[0].strip().split(":")[0]
    return owners


def glibc_version_needed(files: Iterable[Path]) -> str | None:
    newest: tuple[int, ...] | None = None
    for path in files:
        for match in re.finditer(rb"GLIBC_(2\.\d+(?:\.\d+)?)\x00", path.read_bytes()):
            version = tuple(int(part) for part in match.group(1).split(b"."))
            newest = version if newest is None or version > newest else newest
    return ".".join(map(str, newest)) if newest else None


def deb_depends(folder: Path) -> list[str]:
    """The Depends of a .deb carrying `folder`: the Debian packages of every system library it loads."""
    files = elf_files(folder)
    library_dirs = sorted({path.parent for path in files})
    system, not_found = linked_libraries(files, library_dirs)
    if not_found:
        raise BuildError("the frozen app links to libraries found neither in it nor on this machine: "
                         f"{', '.join(sorted(not_found))}; install their Debian packages and build again")
    owners = debian_packages_owning(system)
    unowned = sorted(set(system) - set(owners))
    if unowned:
        raise BuildError(f"no Debian package owns {', '.join(unowned)}, so the .deb cannot depend on it")
    packages = set(owners.values()) | set(BASE_DEPENDS)
    glibc = glibc_version_needed(files)
    packages.discard("libc6")
    depends = sorted(packages)
    return [f"libc6 (>= {glibc})" if glibc else "libc6", *depends]


def folder_size(folder: Path) -> int:
    """Bytes in regular files (symbolic links count as nothing), as installed."""
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file() and not path.is_symlink())


def linux_desktop_files(metadata: AppMetadata) -> dict[str, Path]:
    """Where each desktop-integration file from packaging/linux goes, relative to /."""
    linux = PACKAGING / "linux"
    app_id = metadata.app_id
    return {
        f"usr/share/applications/{app_id}.desktop": linux / f"{app_id}.desktop",
        f"usr/share/metainfo/{app_id}.metainfo.xml": linux / f"{app_id}.metainfo.xml",
        f"usr/share/mime/packages/{app_id}.xml": linux / f"{app_id}.mime.xml",
        f"usr/share/icons/hicolor/scalable/apps/{app_id}.svg": ROOT / "resources" / "icons" / "nrp-desktop.svg",
        "usr/share/doc/nrp-desktop/copyright": linux / "copyright",
    }


def stage_desktop_integration(root: Path, metadata: AppMetadata, icons: Path | None) -> None:
    """Put the .desktop entry, metainfo, MIME type, icons and copyright under `root` (a staged /)."""
    for relative, source in linux_desktop_files(metadata).items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    if icons is not None:
        for size in (48, 128, 256):
            target = root / f"usr/share/icons/hicolor/{size}x{size}/apps/{metadata.app_id}.png"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(icons / f"nrp-desktop-{size}.png", target)


def validate_desktop_integration(root: Path, metadata: AppMetadata) -> None:
    """desktop-file-validate and appstreamcli, as a distribution would run them."""
    desktop = root / f"usr/share/applications/{metadata.app_id}.desktop"
    run(["desktop-file-validate", desktop], capture_output=True, text=True)
    run(["appstreamcli", "validate", "--no-net", root / f"usr/share/metainfo/{metadata.app_id}.metainfo.xml"],
        capture_output=True, text=True)
    check_release_listed(metadata)


def check_release_listed(metadata: AppMetadata) -> None:
    metainfo = (PACKAGING / "linux" / f"{metadata.app_id}.metainfo.xml").read_text(encoding="utf-8")
    if f'<release version="{metadata.version}"' not in metainfo:
        raise BuildError(f"packaging/linux/{metadata.app_id}.metainfo.xml has no <release> for version "
                         f"{metadata.version}: add one (version, date, what changed) before building")


def deb_control(metadata: AppMetadata, package: str, depends: Sequence[str], installed_kib: int) -> str:
    template = (PACKAGING / "linux" / "control.in").read_text(encoding="utf-8")
    return (template.replace("@PACKAGE@", package)
            .replace("@VERSION@", metadata.version)
            .replace("@INSTALLED_SIZE@", str(installed_kib))
            .replace("@DEPENDS@", ", ".join(depends)))


def normalise_permissions(root: Path) -> None:
    """0755 for folders and executables, 0644 for everything else, as Debian expects."""
    for path in [root, *root.rglob("*")]:
        if path.is_symlink():
            continue
        executable = path.is_dir() or bool(path.stat().st_mode & 0o111)
        path.chmod(0o755 if executable else 0o644)


def build_deb(folder: Path, metadata: AppMetadata, icons: Path | None, out: Path,
              package: str = "nrp-desktop", with_desktop_files: bool = True,
              staging_root: Path = BUILD / "deb") -> Path:
    """A .deb installing `folder` to /opt/<package>, with /usr/bin/<command> and desktop files."""
    staging = staging_root / package
    if staging.exists():
        shutil.rmtree(staging)
    prefix = staging / "opt" / package
    shutil.copytree(folder, prefix, symlinks=True)
    executable_name = folder.name
    bin_dir = staging / "usr" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / executable_name).symlink_to(f"/{prefix.relative_to(staging).as_posix()}/{executable_name}")
    if with_desktop_files:
        stage_desktop_integration(staging, metadata, icons)
        validate_desktop_integration(staging, metadata)
    else:
        doc = staging / "usr/share/doc" / package
        doc.mkdir(parents=True)
        shutil.copyfile(PACKAGING / "linux" / "copyright", doc / "copyright")
    normalise_permissions(staging)
    log("working out the Debian packages the app needs (ldd, dpkg -S)")
    depends = deb_depends(prefix)
    control_dir = staging / "DEBIAN"
    control_dir.mkdir()
    installed_kib = (folder_size(staging) + 1023) // 1024
    (control_dir / "control").write_text(deb_control(metadata, package, depends, installed_kib), encoding="utf-8")
    normalise_permissions(control_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    run(["dpkg-deb", "--root-owner-group", "-Zxz", "--build", staging, out], capture_output=True, text=True)
    log(f"wrote {_shown(out)} ({out.stat().st_size / 2**20:.1f} MiB), Depends: {', '.join(depends)}")
    return out


def build_tarball(folder: Path, out: Path) -> Path:
    """A portable .tar.gz of the same folder, unpacking to nrp-desktop/."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(out, "w:gz", compresslevel=9) as archive:
        archive.add(folder, arcname=COMMAND, filter=_owned_by_root)
    log(f"wrote {_shown(out)} ({out.stat().st_size / 2**20:.1f} MiB)")
    return out


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def _owned_by_root(member: tarfile.TarInfo) -> tarfile.TarInfo:
    member.uid = member.gid = 0
    member.uname = member.gname = "root"
    return member


# --- Smoke tests ------------------------------------------------------------------------------


def example_sessions() -> list[Path]:
    """The session files `report` is tried on: the contract's example and a many-scripts fixture."""
    candidates = [
        ROOT / "examples" / "session-example.nrpsession",
        ROOT.parent / "shared" / "examples" / "session-example.nrpsession",
        ROOT / "tests" / "fixtures" / "session_files" / "good" / "many-scripts.nrpsession",
    ]
    found = [path for path in candidates if path.is_file()]
    return [path for index, path in enumerate(found) if path.name not in {p.name for p in found[:index]}]


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(path.relative_to(folder)): (path.lstat().st_size, path.lstat().st_mtime_ns)
            for path in folder.rglob("*")}


def _network_isolation() -> list[str]:
    """A prefix that runs a command with no network at all (its own empty network namespace)."""
    if sys.platform.startswith("linux") and shutil.which("unshare"):
        for prefix in (["unshare", "--net"], ["unshare", "--net", "--map-root-user"]):
            if subprocess.run([*prefix, "true"], capture_output=True).returncode == 0:
                return prefix
    return []


def _private_session_bus() -> list[str]:
    """A prefix that runs a command with its own D-Bus session bus, stopped when the command ends.

    A facilitator's desktop session always has a bus. Without one, libdbus (which Qt loads) would
    autolaunch a bus through dbus-launch when dbus-x11 is installed, which writes
    ~/.dbus/session-bus/ and leaves a daemon running; with one, the app finds nothing to start.
    """
    if not sys.platform.startswith("linux"):
        return []
    if shutil.which(SESSION_BUS_COMMAND) is None:
        raise BuildError(f"the smoke test runs the app on a private session bus: install {SESSION_BUS_COMMAND} "
                         f"(Debian package {SESSION_BUS_PACKAGE}; dbus on Ubuntu 22.04)")
    return [SESSION_BUS_COMMAND, "--"]


# Variables that would connect the app to the developer's own desktop session (its bus, its display)
# instead of the fresh one the smoke test gives it.
_DESKTOP_SESSION_VARIABLES = ("DBUS_SESSION_BUS_ADDRESS", "DISPLAY", "WAYLAND_DISPLAY", "XAUTHORITY",
                              "SESSION_MANAGER", "DESKTOP_SESSION", "GNOME_SETUP_DISPLAY")


def smoke_test(executable: Path, label: str, install_root: Path | None = None) -> list[str]:
    """Run the frozen app as a facilitator's machine would: no network, a fresh home folder.

    Every run of the app gets its own private session bus (on Linux). Checks `--version`,
    `--smoke-test` (offscreen, and on a real X server when xvfb-run is there), `content-info
    --json`, `report` on the example sessions (when this build has the command), that nothing at
    all is written outside the user's data folder and the output files, and that the install folder
    is left unchanged. Returns what was checked.
    """
    install_root = install_root or executable.parent
    before = _snapshot(install_root)
    checked: list[str] = []
    isolation = _network_isolation()
    session_bus = _private_session_bus()
    with tempfile.TemporaryDirectory(prefix="nrp-smoke-") as scratch_name:
        scratch = Path(scratch_name)
        home, work, out, temp = (scratch / name for name in ("home", "work", "out", "tmp"))
        for folder in (home, work, out, temp):
            folder.mkdir()
        env = {key: value for key, value in clean_environment().items()
               if not key.startswith("XDG_") and key not in _DESKTOP_SESSION_VARIABLES}
        env.update(HOME=str(home), TMPDIR=str(temp), TEMP=str(temp), TMP=str(temp),
                   APPDATA=str(home / "AppData" / "Roaming"), LOCALAPPDATA=str(home / "AppData" / "Local"),
                   USERPROFILE=str(home), QT_QPA_PLATFORM="offscreen", LANG="C.UTF-8")

        def app(*arguments: str, prefix: Sequence[str] = (), environment: dict[str, str] = env) -> str:
            command = [*isolation, *session_bus, *prefix, str(executable), *arguments]
            result = subprocess.run(command, capture_output=True, text=True, env=environment, cwd=work,
                                    timeout=180)
            if result.returncode != 0:
                raise BuildError(f"{label}: `{' '.join(command)}` exited {result.returncode}\n"
                                 f"{result.stdout[-2000:]}{result.stderr[-2000:]}")
            return result.stdout

        metadata = app_metadata()
        version = app("--version").strip()
        if metadata.version not in version:
            raise BuildError(f"{label}: --version says {version!r}, expected {metadata.version}")
        checked.append("--version")
        started = time.perf_counter()
        app("--smoke-test")
        checked.append(f"--smoke-test offscreen ({time.perf_counter() - started:.2f} s)")
        # The window in each of its other languages (Urdu right to left), on the trimmed Babel data.
        languages = frozen_languages(executable.parent)
        for code in languages:
            app("--language", code, "--smoke-test")
        if languages:
            checked.append(f"--smoke-test in {', '.join(languages)}")
        if sys.platform.startswith("linux") and shutil.which("xvfb-run"):
            x_env = {key: value for key, value in env.items() if key != "QT_QPA_PLATFORM"}
            app("--smoke-test", prefix=["xvfb-run", "-a", "-s", "-screen 0 1280x800x24"], environment=x_env)
            checked.append("--smoke-test on Xvfb (xcb)")
        info = json.loads(app("content-info", "--json"))
        if info.get("neighbourhoods") != 9 or info.get("domains") != 5:
            raise BuildError(f"{label}: content-info reports {info}")
        checked.append(f"content-info: {info['neighbourhoods']} neighbourhoods, {info['lessons']} lessons")
        if re.search(r"^\s+report\s", app("--help"), flags=re.MULTILINE):
            for session in example_sessions():
                pdf = out / f"{session.stem}.pdf"
                app("report", str(session), "-o", str(pdf))
                data = pdf.read_bytes() if pdf.is_file() else b""
                if not (data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:] and len(data) > 2000):
                    raise BuildError(f"{label}: report {session.name} did not write a whole PDF")
                checked.append(f"report {session.name} → {len(data) // 1024} KiB PDF")
            if not any(session.name == "session-example.nrpsession" for session in example_sessions()):
                checked.append("report: the contract's example session is not here (../shared/examples "
                               "beside the clone), so only the fixture was tried")
        else:
            checked.append("report: not in this build (the command does not exist yet)")
        strays = _written_outside_data_folder(home, [work, temp])
        if strays:
            raise BuildError(f"{label}: wrote outside the user's data folder: "
                             f"{', '.join(str(p.relative_to(scratch)) for p in strays)}")
        checked.append("wrote only to the user's data folder")
    if _snapshot(install_root) != before:
        raise BuildError(f"{label}: the install folder {install_root} changed while the app ran")
    checked.append("install folder unchanged")
    checked.append("no network (own network namespace)" if isolation else "network not isolated (no unshare)")
    if session_bus:
        checked.append("own private session bus for every run")
    for line in checked:
        log(f"  {label}: {line}")
    return checked


def _written_outside_data_folder(home: Path, scratch_folders: Sequence[Path]) -> list[Path]:
    """Everything the run left (files, folders, links, sockets) other than the user's data folder.

    The folders on the way to the data folder (`~/.local/share`) count as part of it; nothing else
    in the home folder, and nothing at all in the working and temporary folders, is allowed.
    """
    strays = [path for path in sorted(home.rglob("*"))
              if not _inside_data_folder(path.relative_to(home))
              and not (path.is_dir() and not path.is_symlink() and _leads_to_data_folder(path.relative_to(home)))]
    for folder in scratch_folders:
        strays += sorted(folder.rglob("*"))
    # Name what was made (home/.cache/x), not also each folder on the way to it (home/.cache).
    holding = {parent for path in strays for parent in path.parents}
    return [path for path in strays if path not in holding]


def _leads_to_data_folder(relative: Path) -> bool:
    parts = relative.parts
    return any(parts == data[:len(parts)] for data in _DATA_FOLDERS)


_DATA_FOLDERS = ((".local", "share", "nrp-desktop"), ("AppData", "Roaming", "NRP Desktop"),
                 ("Library", "Application Support", "NRP Desktop"))


def _inside_data_folder(relative: Path) -> bool:
    return any(relative.parts[:len(data)] == data for data in _DATA_FOLDERS)


def unpack_tarball(tarball: Path, target: Path) -> None:
    """Unpack the portable archive this build just made, links as links and modes kept.

    The "tar" extraction filter (which also refuses absolute paths and links out of the target)
    exists from Python 3.11.4; Debian 12's python3 is 3.11.2, where only the archive's own,
    trusted members are unpacked as they are.
    """
    with tarfile.open(tarball) as archive:
        if hasattr(tarfile, "tar_filter"):
            archive.extractall(target, filter="tar")
        else:
            archive.extractall(target)  # made by this build a moment ago


def smoke_test_linux_artefacts(folder: Path, deb: Path, tarball: Path) -> None:
    smoke_test(folder / COMMAND, "frozen folder")
    with tempfile.TemporaryDirectory(prefix="nrp-tar-") as unpacked:
        unpack_tarball(tarball, Path(unpacked))
        smoke_test(Path(unpacked) / COMMAND / COMMAND, "tar.gz")
    with tempfile.TemporaryDirectory(prefix="nrp-deb-") as unpacked:
        run(["dpkg-deb", "-x", deb, unpacked], capture_output=True, text=True)
        root = Path(unpacked)
        link = root / "usr" / "bin" / COMMAND
        if not link.is_symlink() or os.readlink(link) != f"{INSTALL_PREFIX}/{COMMAND}":
            raise BuildError(f".deb: /usr/bin/{COMMAND} should point to {INSTALL_PREFIX}/{COMMAND}")
        smoke_test(root / INSTALL_PREFIX.lstrip("/") / COMMAND, ".deb contents")


def verify_deb_in_chroot(deb: Path, keep: bool = False) -> None:
    """Install the .deb with apt on a bare Debian 12 (mmdebstrap minbase) and run it there."""
    if os.geteuid() != 0:
        raise BuildError("verify-deb makes a chroot, so it runs as root")
    ensure_debian_packages(["mmdebstrap"])
    chroot = Path(tempfile.mkdtemp(prefix="nrp-bookworm-"))
    metadata = app_metadata()
    sessions = example_sessions()
    script = [
        "set -e",
        f"echo {_CHROOT_MARK}",
        "export DEBIAN_FRONTEND=noninteractive",
        "apt-get update -qq",
        f"apt-get install -y -qq /tmp/{deb.name} > /tmp/apt.log 2>&1 || (cat /tmp/apt.log; exit 1)",
        # Every library of every file in the folder must resolve on the bare system.
        f"missing=$(find {INSTALL_PREFIX} -type f \\( -name '*.so*' -o -name {COMMAND} \\) -exec ldd {{}} + "
        "2>/dev/null | grep 'not found' | sort -u || true)",
        '[ -z "$missing" ] || { echo "unresolved libraries: $missing"; exit 1; }',
        "echo ldd: every library resolves",
        "cd /tmp && export HOME=/tmp/home QT_QPA_PLATFORM=offscreen && mkdir -p $HOME",
        f"{COMMAND} --version",
        f"{COMMAND} --smoke-test && echo smoke-test: passed",
        # The window in each of its other languages too (Urdu: right to left, its own font).
        f"for mo in {INSTALL_PREFIX}/_internal/nrp_desktop/_resources/translations/*/LC_MESSAGES/nrp_desktop.mo; do "
        'code=$(basename "$(dirname "$(dirname "$mo")")"); '
        f'{COMMAND} --language "$code" --smoke-test; echo "smoke-test in $code: passed"; done',
        f"{COMMAND} content-info --json",
    ]
    for session in sessions:
        script.append(f"if {COMMAND} --help | grep -qE '^ +report '; then {COMMAND} report /tmp/{session.name} "
                      f"-o /tmp/{session.stem}.pdf && ls -l /tmp/{session.stem}.pdf; fi")
    script += [
        f"test -f /usr/share/applications/{metadata.app_id}.desktop",
        # desktop-file-utils (on every desktop system, not in minbase) turns this into mimeinfo.cache.
        "if [ -f /usr/share/applications/mimeinfo.cache ]; then "
        f"grep -q {metadata.app_id}.desktop /usr/share/applications/mimeinfo.cache && echo mime: registered; fi",
        # A real X server too, so the xcb platform's libraries are exercised, not only offscreen.
        "apt-get install -y -qq --no-install-recommends xvfb xauth > /tmp/apt-x.log 2>&1",
        f"env -u QT_QPA_PLATFORM xvfb-run -a {COMMAND} --smoke-test && echo smoke-test on Xvfb: passed",
        _CHROOT_ONLY_DATA_FOLDER,
        # Then as on a desktop that carries dbus-x11 (which would autolaunch a bus under $HOME when
        # there is none): on a private session bus, as build.py's own smoke test runs it.
        "rm -rf $HOME && mkdir -p $HOME",
        "apt-get install -y -qq --no-install-recommends dbus-daemon dbus-x11 > /tmp/apt-dbus.log 2>&1",
        f"env -u QT_QPA_PLATFORM dbus-run-session -- xvfb-run -a {COMMAND} --smoke-test "
        "&& echo smoke-test on Xvfb, dbus-x11 installed, private session bus: passed",
        _CHROOT_ONLY_DATA_FOLDER,
    ]
    copies = [deb, *sessions]
    hooks = [f'--customize-hook=copy-in {" ".join(str(p) for p in copies)} /tmp',
             "--customize-hook=chroot \"$1\" sh -c " + _shell_quote("\n".join(script))]
    log(f"verifying {deb.name} on a bare Debian 12 (mmdebstrap minbase); this downloads Debian packages")
    try:
        result = subprocess.run(
            ["mmdebstrap", "--variant=minbase", "--mode=root", *hooks, "bookworm", str(chroot / "root"),
             "deb http://deb.debian.org/debian bookworm main",
             "deb http://deb.debian.org/debian bookworm-updates main",
             "deb http://deb.debian.org/debian-security bookworm-security main"],
            capture_output=True, text=True, timeout=3600)
        # mmdebstrap reports on stderr; the script's own lines start after its mark.
        output = result.stdout + result.stderr
        for line in output[output.rfind(_CHROOT_MARK) + len(_CHROOT_MARK):].splitlines():
            if line.strip() and not line.startswith(("I: ", "W: ")):
                log(f"  bookworm: {line}")
        if result.returncode != 0:
            raise BuildError(f"the .deb failed on bare Debian 12 (exit status {result.returncode})")
        log("the .deb installs and runs on a bare Debian 12")
    finally:
        if not keep:
            shutil.rmtree(chroot, ignore_errors=True)


_CHROOT_MARK = "===nrp-desktop-on-bookworm==="
# Fails the chroot run when anything but the user's data folder (and the folders on the way to it)
# appeared in the fresh home folder.
_CHROOT_ONLY_DATA_FOLDER = (
    "strays=$(cd $HOME && find . -mindepth 1 ! -path ./.local ! -path ./.local/share "
    "! -path ./.local/share/nrp-desktop ! -path './.local/share/nrp-desktop/*'); "
    '[ -z "$strays" ] || { echo "wrote outside the user\'s data folder: $strays"; exit 1; }; '
    "echo 'home: only ~/.local/share/nrp-desktop written'")


def _shell_quote(text: str) -> str:
    return "'" + text.replace("'", "'\"'\"'") + "'"


# --- Windows and macOS --------------------------------------------------------------------------


def find_makensis() -> str:
    found = shutil.which("makensis")
    if found:
        return found
    for base in (os.environ.get("PROGRAMFILES(X86)"), os.environ.get("PROGRAMFILES")):
        if base and (Path(base) / "NSIS" / "makensis.exe").is_file():
            return str(Path(base) / "NSIS" / "makensis.exe")
    raise BuildError("makensis was not found: install NSIS (https://nsis.sourceforge.io, or "
                     "`choco install nsis`; on Debian `apt-get install nsis`)")


def build_nsis_installer(payload: Path, out: Path, metadata: AppMetadata, icon: Path | None,
                         makensis: str | None = None, verbosity: int = 2) -> tuple[Path, str]:
    """Compile packaging/windows/installer.nsi around `payload` (the frozen folder); (installer, log).

    Warnings count as errors (-WX), so a slip in the script fails the build rather than the install.
    """
    defines = {
        "APP_NAME": metadata.app_name,
        "APP_ID": metadata.app_id,
        "VERSION": metadata.version,
        "VERSION_QUAD": metadata.windows_version,
        "PAYLOAD": str(payload.resolve()),
        "OUTFILE": str(out.resolve()),
    }
    if icon is not None:
        defines["ICON"] = str(icon.resolve())
    out.parent.mkdir(parents=True, exist_ok=True)
    command = [makensis or find_makensis(), f"-V{verbosity}", "-WX"]
    command += [f"-D{name}={value}" for name, value in defines.items()]
    command.append(str(PACKAGING / "windows" / "installer.nsi"))
    result = run(command, capture_output=True, text=True)
    return out, result.stdout


def build_windows(python: Path, icons: Path) -> list[Path]:
    metadata = app_metadata()
    folder = freeze(python, BUILD / "dist", icons)
    check_frozen_resources(folder)
    smoke_test(folder / f"{COMMAND}-cli.exe", "frozen folder")
    setup, _log = build_nsis_installer(folder, DIST / f"nrp-desktop_{metadata.version}_windows_x64_setup.exe",
                                 metadata, icons / "nrp-desktop.ico")
    log(f"wrote {_shown(setup)} ({setup.stat().st_size / 2**20:.1f} MiB)")
    smoke_test_windows_installer(setup)
    return [setup]


def smoke_test_windows_installer(setup: Path) -> None:
    """Install silently for this user into a scratch folder, run it, uninstall, check it is gone."""
    with tempfile.TemporaryDirectory(prefix="nrp-install-") as scratch:
        # No space in the folder name: NSIS takes /D= and _?= unquoted, as the last argument.
        target = Path(scratch) / "nrp-desktop-install"
        run([setup, "/S", f"/D={target}"], capture_output=True, text=True, timeout=600)
        smoke_test(target / f"{COMMAND}-cli.exe", "installed (Windows)", install_root=target)
        run([target / "uninstall.exe", "/S", f"_?={target}"], capture_output=True, text=True, timeout=600)
        leftovers = [p for p in target.rglob("*") if p.name != "uninstall.exe"] if target.exists() else []
        if leftovers:
            raise BuildError(f"the uninstaller left {', '.join(map(str, leftovers[:5]))}")
        log("  installed (Windows): silent per-user install, run and uninstall work")


def build_macos(python: Path, icons: Path) -> list[Path]:
    import platform

    metadata = app_metadata()
    app = freeze(python, BUILD / "dist", icons)
    check_frozen_resources(app)
    smoke_test(app / "Contents" / "MacOS" / COMMAND, ".app", install_root=app)
    dmg = DIST / f"nrp-desktop_{metadata.version}_macos_{platform.machine()}.dmg"
    run(["bash", PACKAGING / "macos" / "make_dmg.sh", app, dmg, metadata.app_name], capture_output=True, text=True)
    log(f"wrote {_shown(dmg)} ({dmg.stat().st_size / 2**20:.1f} MiB)")
    mount = Path(tempfile.mkdtemp(prefix="nrp-dmg-"))
    run(["hdiutil", "attach", "-nobrowse", "-readonly", "-mountpoint", mount, dmg], capture_output=True, text=True)
    try:
        mounted_app = mount / app.name
        smoke_test(mounted_app / "Contents" / "MacOS" / COMMAND, ".dmg", install_root=mounted_app)
    finally:
        run(["hdiutil", "detach", mount], capture_output=True, text=True)
    return [dmg]


# --- Linux ----------------------------------------------------------------------------------------


def build_linux(python: Path, icons: Path, verify_chroot: bool = False) -> list[Path]:
    metadata = app_metadata()
    check_release_listed(metadata)
    folder = freeze(python, BUILD / "dist", icons)
    check_frozen_resources(folder)
    deb = build_deb(folder, metadata, icons, DIST / f"nrp-desktop_{metadata.version}_amd64.deb")
    tarball = build_tarball(folder, DIST / f"nrp-desktop_{metadata.version}_linux_x86_64.tar.gz")
    smoke_test_linux_artefacts(folder, deb, tarball)
    if verify_chroot:
        verify_deb_in_chroot(deb)
    log(f"installed folder: {folder_size(folder) / 2**20:.1f} MiB")
    return [deb, tarball]


def build_baseline(python: Path, icons: Path) -> dict[str, float]:
    """The bare PySide6 window, frozen with the same spec and packed into a .deb the same way."""
    metadata = app_metadata()
    folder = freeze(python, BUILD / "baseline-dist", icons, baseline=True)
    figures = {"folder_bytes": float(folder_size(folder))}
    if sys.platform.startswith("linux"):
        deb_path = BUILD / "baseline" / f"nrp-desktop-baseline_{metadata.version}_amd64.deb"
        deb = build_deb(folder, metadata, None, deb_path, package="nrp-desktop-baseline", with_desktop_files=False)
        figures["deb_bytes"] = float(deb.stat().st_size)
    return figures


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("target", choices=("linux", "windows", "macos", "baseline", "verify-deb"))
    parser.add_argument("deb", nargs="?", type=Path, help="for verify-deb: the .deb to install")
    parser.add_argument("--reuse-env", action="store_true",
                        help="reuse build/packaging/venv from an earlier run instead of making it afresh")
    parser.add_argument("--verify-chroot", action="store_true",
                        help="linux: also install the .deb on a bare Debian 12 chroot (root only)")
    args = parser.parse_args(argv)
    try:
        if args.target == "verify-deb":
            if args.deb is None or not args.deb.is_file():
                parser.error("verify-deb needs the path of an existing .deb")
            verify_deb_in_chroot(args.deb.resolve())
            return 0
        expected = {"linux": "linux", "windows": "win32", "macos": "darwin"}.get(args.target)
        if expected and not sys.platform.startswith(expected):
            raise BuildError(f"the {args.target} build runs on {args.target} itself (this is {sys.platform})")
        if sys.version_info < (3, 11):  # noqa: UP036 (python3 may be older than the project needs)
            raise BuildError("the build needs Python 3.11 or newer")
        if sys.platform.startswith("linux"):
            ensure_debian_packages(linux_build_packages(Path(sys.executable)))
        BUILD.mkdir(parents=True, exist_ok=True)
        venv = BUILD / "venv"
        python = venv_python(venv) if args.reuse_env and venv_python(venv).exists() else make_build_environment(venv)
        icons = render_icons(python, BUILD / "icons")
        if args.target == "linux":
            artefacts = build_linux(python, icons, verify_chroot=args.verify_chroot)
        elif args.target == "windows":
            artefacts = build_windows(python, icons)
        elif args.target == "macos":
            artefacts = build_macos(python, icons)
        else:
            print(json.dumps(build_baseline(python, icons)))
            return 0
    except BuildError as problem:
        print(f"build: {problem}", file=sys.stderr)
        return 1
    for artefact in artefacts:
        log(f"done: {_shown(artefact)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
