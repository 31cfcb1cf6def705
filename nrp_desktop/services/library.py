"""The content library use cases: what is bundled, reading it, and the one search over it."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from nrp_desktop import paths
from nrp_desktop.storage.errors import ContentDatabaseError

if TYPE_CHECKING:  # the database module loads with the content, after the window is up
    from nrp_desktop.domain.content import ContentLibrary, SearchHit
    from nrp_desktop.storage.content_db import ContentDatabase

__all__ = ["ContentDatabaseError", "ContentInfo", "LibraryService", "default_library"]


class ContentInfo(NamedTuple):
    content_version: str
    neighbourhoods: int
    domains: int
    lessons: int
    case_study_words: int

    def as_json(self) -> dict[str, object]:
        return {
            "content_version": self.content_version,
            "neighbourhoods": self.neighbourhoods,
            "domains": self.domains,
            "lessons": self.lessons,
            "case_study_words": self.case_study_words,
        }


class LibraryService:
    """Opens the content database on first use and keeps the library in memory."""

    def __init__(self, database_path: Path | None = None) -> None:
        self._path = database_path
        self._database: ContentDatabase | None = None
        self._library: ContentLibrary | None = None
        self._lock = threading.Lock()

    @property
    def database(self) -> ContentDatabase:
        from nrp_desktop.storage.content_db import ContentDatabase

        with self._lock:
            if self._database is None:
                self._database = ContentDatabase(self._path or paths.content_db_path())
            return self._database

    @property
    def library(self) -> ContentLibrary:
        database = self.database
        with self._lock:
            if self._library is None:
                self._library = database.load_library()
            return self._library

    def info(self) -> ContentInfo:
        library = self.library
        return ContentInfo(
            content_version=library.version,
            neighbourhoods=len(library.case_studies),
            domains=len(library.domains),
            lessons=len(library.lessons),
            case_study_words=library.case_study_words,
        )

    def search(self, query: str, limit: int = 20, kinds: tuple[str, ...] = ()) -> list[SearchHit]:
        return self.database.search(query, limit=limit, kinds=kinds)


_default: LibraryService | None = None


def default_library() -> LibraryService:
    """The library service for the bundled content (shared by the CLI and the window)."""
    global _default
    if _default is None:
        _default = LibraryService()
    return _default
