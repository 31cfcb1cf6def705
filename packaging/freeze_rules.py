"""What goes into the frozen folder: the rules the PyInstaller spec applies, kept apart so tests can read them.

Only the standard library here: the spec imports this inside PyInstaller, the tests import it in the
project's environment, and `build.py` reads it with the machine's own Python.
"""

from __future__ import annotations

import plistlib
import posixpath
import re
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath

# Python modules the app never imports. Excluding them also keeps their PyInstaller hooks from
# pulling in whole Qt modules (WebEngine, QML) and their libraries.
EXCLUDED_MODULES: tuple[str, ...] = (
    "tkinter", "_tkinter", "turtle", "turtledemo", "idlelib", "test", "lib2to3", "pydoc_data",
    "ensurepip", "venv", "distutils", "setuptools", "pkg_resources", "pip", "readline", "doctest",
    "pydoc", "unittest", "_pydecimal",
    # The app's databases are SQLite only.
    "sqlalchemy.dialects.postgresql", "sqlalchemy.dialects.mysql", "sqlalchemy.dialects.oracle",
    "sqlalchemy.dialects.mssql",
    # pydantic 2's copy of its old API (reached only for version-1 models, which the app has
    # none of) and reportlab's optional XML parser's encoding detector (the app never parses
    # XML with it).
    "pydantic.v1", "charset_normalizer",
    "PySide6.QtWebEngineCore", "PySide6.QtWebEngineWidgets", "PySide6.QtWebEngineQuick",
    "PySide6.QtWebChannel", "PySide6.QtWebSockets", "PySide6.QtQml", "PySide6.QtQuick",
    "PySide6.QtQuickWidgets", "PySide6.QtQuickControls2", "PySide6.QtNetwork", "PySide6.QtSql",
    "PySide6.QtMultimedia", "PySide6.QtOpenGL",
    "PySide6.QtOpenGLWidgets", "PySide6.QtDesigner", "PySide6.QtHelp", "PySide6.QtUiTools",
    "PySide6.QtTest", "PySide6.QtXml", "PySide6.QtConcurrent", "PySide6.Qt3DCore",
    # Pillow is needed (reportlab imports it to read images) but not its extra codecs, its font
    # rendering (reportlab draws text itself), colour management or GUI bridges.
    "PIL.ImageQt", "PIL.ImageTk", "PIL._imagingtk", "PIL.AvifImagePlugin", "PIL._avif",
    "PIL.WebPImagePlugin", "PIL._webp", "PIL.ImageFont", "PIL._imagingft", "PIL.ImageCms", "PIL._imagingcms",
)

# Qt plugins by folder: a folder not named here is left out. Within a folder, None keeps every
# plugin; a pattern keeps the plugins whose file name it matches.
_KEPT_QT_PLUGINS: dict[str, re.Pattern[str] | None] = {
    # xcb and wayland for Linux desktops, cocoa for macOS, windows for Windows, offscreen for the
    # smoke test and screenshots. Not eglfs, linuxfb, vnc, minimal(egl), vkkhrdisplay, direct2d.
    "platforms": re.compile(r"^(lib)?q(xcb|wayland|offscreen|cocoa|windows)\b"),
    # Not gtk3: it would drag GTK into the dependencies, and the app draws its own theme.
    "platformthemes": re.compile(r"^(lib)?q?xdgdesktopportal\b"),
    "platforminputcontexts": re.compile(r"^(lib)?(compose|ibus)platforminputcontextplugin\b"),
    "xcbglintegrations": None,
    "wayland-shell-integration": re.compile(r"^(lib)?xdg-shell\b"),
    "wayland-decoration-client": None,
    "wayland-graphics-integration-client": re.compile(r"^(lib)?(qt-plugin-wayland-egl|shm-emulation-server)\b"),
    # The app's icon is SVG; JPEG, GIF and ICO are cheap and cover pictures in content.
    "imageformats": re.compile(r"^(lib)?q(svg|jpeg|gif|ico)\b"),
    "iconengines": None,
    "styles": None,
    "printsupport": None,
}
_QT_PLUGIN = re.compile(r"(?:^|/)(?:Qt6?/)?plugins/([^/]+)/([^/]+)$")
_QT_TRANSLATION = re.compile(r"(?:^|/)translations/(\w+?)_([a-z]{2,3}(?:_[A-Za-z]{2,4})?)\.qm$")
_BABEL_LOCALE_DATA = re.compile(r"(?:^|/)babel/locale-data/([^/]+)\.dat$")
# Libraries that Debian provides: the .deb depends on their packages instead of carrying copies
# built for the build machine (fontconfig, GLib, D-Bus and friends must match the system's).
_SYSTEM_LIBRARY_DIRS = ("/lib/", "/lib64/", "/usr/lib/", "/usr/lib64/")
_PYTHON_PARTS = re.compile(r"^libpython3|/python3(\.\d+)?/")


def qt_plugin(destination: str) -> tuple[str, str] | None:
    """(folder, file name) when `destination` is a Qt plugin inside the frozen folder, else None."""
    match = _QT_PLUGIN.search(destination.replace("\\", "/"))
    if not match or "PySide6" not in destination.replace("\\", "/"):
        return None
    return match.group(1), match.group(2)


def keep_qt_plugin(destination: str) -> bool:
    plugin = qt_plugin(destination)
    if plugin is None:
        return True
    folder, name = plugin
    if folder not in _KEPT_QT_PLUGINS:
        return False
    pattern = _KEPT_QT_PLUGINS[folder]
    return pattern is None or bool(pattern.search(name))


def app_languages(translations_dir: Path) -> set[str]:
    """The languages the app ships a catalogue for (`pl/LC_MESSAGES/nrp_desktop.mo` → "pl")."""
    if not translations_dir.is_dir():
        return set()
    return {path.parent.parent.name for path in translations_dir.glob("*/LC_MESSAGES/nrp_desktop.mo")}


def keep_qt_translation(destination: str, languages: set[str]) -> bool:
    """Qt's own translations only for the languages the app itself is translated into."""
    match = _QT_TRANSLATION.search(destination.replace("\\", "/"))
    if not match or "PySide6" not in destination.replace("\\", "/"):
        return True
    language = match.group(2)
    return language in languages or language.split("_")[0] in languages


def babel_locale_files(locales: Iterable[str]) -> set[str]:
    """The Babel locale-data files (names without `.dat`) that formatting in `locales` reads.

    Each locale with the chain it inherits from (`en_GB` → `en_001` → `en` → `root`), as Babel's
    own loader walks it: the loader is asked for every locale, and the files it opens are noted.
    Babel ships data for about 1,100 locales (35 MiB); the app formats dates and numbers only in
    its own languages. Imports Babel, so only the spec (in the build environment) and the tests
    call this, never build.py.
    """
    from babel import localedata

    opened: set[str] = set()
    resolve = localedata.resolve_locale_filename

    def noting(name: str) -> str:
        opened.add(PurePosixPath(str(name).replace("\\", "/")).name)
        return resolve(name)

    localedata.resolve_locale_filename = noting
    localedata.clear_caches()
    try:
        for locale in locales:
            localedata.load(locale)
    finally:
        localedata.resolve_locale_filename = resolve
        localedata.clear_caches()
    return opened


def keep_babel_locale_data(destination: str, needed: set[str]) -> bool:
    """Babel's CLDR data only for the locales the app formats in (see babel_locale_files)."""
    match = _BABEL_LOCALE_DATA.search(destination.replace("\\", "/"))
    return match is None or match.group(1) in needed


def is_system_library(source: str, typecode: str) -> bool:
    """A shared library that PyInstaller picked up from the Linux system (not from a wheel, not Python)."""
    path = PurePosixPath(source).as_posix()
    if typecode != "BINARY" or not path.startswith(_SYSTEM_LIBRARY_DIRS):
        return False
    return not _PYTHON_PARTS.search(path) and not _PYTHON_PARTS.search(PurePosixPath(path).name)


def is_qt_library(destination: str) -> bool:
    """A Qt (or bundled ICU) shared library from the PySide6 wheel on Linux, as opposed to a plugin."""
    return bool(re.search(r"(^|/)PySide6/Qt/lib/[^/]+\.so[.\d]*$", destination.replace("\\", "/")))


def unreferenced_qt_libraries(
    binaries: Iterable[tuple[str, str, str]],
    imports_of: Callable[[str], Iterable[str]],
) -> set[str]:
    """Destinations of the Qt libraries that nothing kept in the folder loads.

    `imports_of(source)` names the libraries a file links to (any form: base name or path). The
    plugins left out by keep_qt_plugin were the only users of some Qt libraries (QtPdf, QtQml…).
    """
    entries = [entry for entry in binaries if entry[2] != "SYMLINK"]
    qt_libraries = {PurePosixPath(dest).name: (dest, source) for dest, source, _kind in entries if is_qt_library(dest)}
    pending = [source for dest, source, _kind in entries if not is_qt_library(dest)]
    reached: set[str] = set()
    while pending:
        for name in imports_of(pending.pop()):
            base = PurePosixPath(name.replace("\\", "/")).name
            if base in qt_libraries and base not in reached:
                reached.add(base)
                pending.append(qt_libraries[base][1])
    return {dest for base, (dest, _source) in qt_libraries.items() if base not in reached}


def without_dangling_symlinks(entries: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """Drop PyInstaller's SYMLINK entries whose target (a destination in the folder) was left out."""
    destinations = {dest.replace("\\", "/") for dest, _source, kind in entries if kind != "SYMLINK"}

    def target_kept(dest: str, target: str) -> bool:
        target = target.replace("\\", "/")
        beside = (PurePosixPath(dest.replace("\\", "/")).parent / target).as_posix()
        return target in destinations or posixpath.normpath(beside) in destinations

    return [entry for entry in entries if entry[2] != "SYMLINK" or target_kept(entry[0], entry[1])]


def macos_info_plist(version: str, app_id: str, app_name: str, extra_plist: Path) -> dict[str, object]:
    """The Info.plist entries for the .app: version and identifier from the package, the rest from a file."""
    with extra_plist.open("rb") as handle:
        info = plistlib.load(handle)
    info.update(
        CFBundleName=app_name,
        CFBundleDisplayName=app_name,
        CFBundleIdentifier=app_id,
        CFBundleShortVersionString=version,
        CFBundleVersion=version,
    )
    return info


def windows_version_tuple(version: str) -> tuple[int, int, int, int]:
    """`0.1.0` → (0, 1, 0, 0): the four numbers Windows version resources and NSIS require."""
    numbers = [int(part) for part in re.findall(r"\d+", version.split("+")[0])[:4]]
    return tuple([*numbers, 0, 0, 0, 0][:4])  # type: ignore[return-value]
