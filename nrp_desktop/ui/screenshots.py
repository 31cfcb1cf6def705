"""`--screenshots DIR`: every main screen rendered at 1280×800, for documentation and review."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QApplication

from nrp_desktop.ui.main_window import MainWindow

SIZE = (1280, 800)


def _settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def screens(window: MainWindow) -> list[tuple[str, Callable[[], None]]]:
    """(file name, how to get there) for each screen worth a look."""
    library = window.library_page

    def library_home() -> None:
        window.show_screen(library)
        library.tabs.setCurrentIndex(0)

    def case_study() -> None:
        window.show_screen(library)
        library.open_link("case-study:central-southport-sefton")

    def lesson() -> None:
        window.show_screen(library)
        library.tabs.setCurrentIndex(1)
        library.open_link("lesson:resident-led-enquiries")

    def search() -> None:
        window.show_screen(library)
        library.search_field.setText("debt advice")
        library.run_search()

    shots = [
        ("library", library_home),
        ("case-study", case_study),
        ("lesson", lesson),
        ("library-search", search),
    ]
    shots.extend(window.extra_screenshots())
    return shots


def take_screenshots(window: MainWindow, folder: Path) -> int:
    """Every screen, with the example session in a throw-away session database, so taking
    screenshots never touches the facilitator's own sessions or window layout."""
    import tempfile

    from nrp_desktop.services.sessions import SessionStore

    folder.mkdir(parents=True, exist_ok=True)
    window.remember_state = False
    window.set_library(window.library_service.library)
    with tempfile.TemporaryDirectory(prefix="nrp-screenshots-") as scratch:
        store = SessionStore(Path(scratch) / "sessions.sqlite3", backups_dir=Path(scratch) / "backups")
        window.attach_store(store)
        window.resize(*SIZE)
        window.show()
        _settle()
        for name, setup in screens(window):
            setup()
            _settle()
            window.grab().save(str(folder / f"{name}.png"))
        window.close()
        store.close()
    return 0
