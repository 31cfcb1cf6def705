"""Lessons in the editor (linked, suggested, picked by hand) and the stored sessions to choose
from."""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QSortFilterProxyModel,
    Qt,
)

from nrp_desktop import i18n
from nrp_desktop.domain.content import ContentLibrary, Lesson, make_link
from nrp_desktop.domain.session import (
    SessionSummary,
)
from nrp_desktop.domain.text import fold
from nrp_desktop.services.suggest import Suggestion
from nrp_desktop.ui.document.priority_models import _PriorityPartModel
from nrp_desktop.ui.document.texts import AnyIndex, Role, marks_html, priorities_text
from nrp_desktop.ui.widgets.delegates import RICH_TEXT_ROLE
from nrp_desktop.ui.widgets.plain_text import plain_tooltip

if TYPE_CHECKING:
    from nrp_desktop.ui.document.document import SessionDocument


def lesson_neighbourhoods(library: ContentLibrary | None, lesson: Lesson) -> tuple[str, ...]:
    return library.neighbourhood_titles(lesson.neighbourhoods) if library else ()


NEIGHBOURHOODS_SHOWN = 3  # more than this and a row says "and N more" (the tooltip has all)


def neighbourhoods_text(neighbourhoods: Sequence[str]) -> str:
    # "; " between them: the names themselves hold commas ("Old Swan, Liverpool"). The list is
    # isolated too, so in a right-to-left row the English names still read left to right, line
    # after line, instead of name after name from the right.
    if len(neighbourhoods) <= NEIGHBOURHOODS_SHOWN:
        return i18n.isolate("; ".join(i18n.isolate(name) for name in neighbourhoods))
    shown = i18n.isolate("; ".join(i18n.isolate(name) for name in neighbourhoods[:NEIGHBOURHOODS_SHOWN]))
    more = len(neighbourhoods) - NEIGHBOURHOODS_SHOWN
    return i18n.ngettext("{shown} and {n} more", "{shown} and {n} more", more).format(shown=shown, n=more)


def lesson_html(lesson: Lesson, neighbourhoods: Sequence[str]) -> str:
    if lesson.programme_wide:
        where = i18n.ngettext("Across the whole programme ({n} neighbourhood)",
                              "Across the whole programme ({n} neighbourhoods)",
                              len(neighbourhoods)).format(n=len(neighbourhoods)) if neighbourhoods else (
            i18n.gettext("Across the whole programme"))
    else:
        where = html.escape(i18n.gettext("From: {places}").format(places=neighbourhoods_text(neighbourhoods))) \
            if neighbourhoods else ""
    marks = marks_html(lesson.domains)
    second = " &nbsp; ".join(part for part in (marks, where) if part)
    title = f"{lesson.number}. {lesson.title}"
    if i18n.current().direction == "rtl":
        # Right to left the row reads from the right: the English title kept whole ("12." before
        # it) in an isolate, the marks and "From:" in the window's order.
        return f'<div dir="rtl"><b>{html.escape(i18n.isolate(title))}</b><br>{second}</div>'
    return f"<b>{html.escape(title)}</b><br>{second}"


def lesson_tooltip(lesson: Lesson, neighbourhoods: Sequence[str]) -> str:
    places = "; ".join(i18n.isolate(name) for name in neighbourhoods)
    where = "\n\n" + i18n.gettext("From: {places}").format(places=places) if neighbourhoods else ""
    return f"{lesson.summary}{where}"


def lesson_accessible(lesson: Lesson, neighbourhoods: Sequence[str], button: str) -> str:
    places = "; ".join(i18n.isolate(name) for name in neighbourhoods)
    where = " " + i18n.gettext("From: {places}.").format(places=places) if neighbourhoods else ""
    return i18n.gettext("Lesson {number}: {title}.").format(number=lesson.number, title=i18n.isolate(lesson.title)) \
        + f"{where} {button}"


class LessonLinkModel(QAbstractListModel, _PriorityPartModel):
    """The lessons linked by hand to one priority, in the order they were linked."""

    def __init__(self, document: SessionDocument, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.library: ContentLibrary | None = None
        self.priority_id = None
        self._slugs: list[str] = []
        document.priority_changed.connect(self._on_priority_changed)
        document.session_opened.connect(lambda _session: self.set_priority(None))

    def set_library(self, library: ContentLibrary) -> None:
        self.beginResetModel()
        self.library = library
        self.endResetModel()

    def set_priority(self, priority_id: str | None) -> None:
        self.beginResetModel()
        self.priority_id = priority_id
        priority = self.current_priority()
        self._slugs = list(priority.lessons) if priority else []
        self.endResetModel()

    def _on_priority_changed(self, priority_id: str) -> None:
        if priority_id == self.priority_id:
            priority = self.current_priority()
            if priority is None or priority.lessons != self._slugs:
                self.set_priority(priority_id)

    def slug(self, row: int) -> str:
        return self._slugs[row]

    def lesson(self, row: int) -> Lesson | None:
        return self.library.lesson(self._slugs[row]) if self.library else None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._slugs)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._slugs):
            return None
        slug = self._slugs[index.row()]
        lesson = self.lesson(index.row())
        neighbourhoods = lesson_neighbourhoods(self.library, lesson) if lesson else ()
        if role == Qt.ItemDataRole.DisplayRole:
            if lesson is None:
                return self.tr("Lesson “%s” (not in this version of the library)") % slug
            return f"{lesson.number}. {lesson.title}"
        if role == RICH_TEXT_ROLE:
            if lesson is None:
                return html.escape(self.tr("Lesson “%s” (not in this version of the library)") % slug)
            return lesson_html(lesson, neighbourhoods)
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(lesson_tooltip(lesson, neighbourhoods) if lesson else slug)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if lesson is None:
                return f"Unknown lesson {slug}. Press Delete to remove the link."
            return lesson_accessible(lesson, neighbourhoods, "Press Enter to read it, Delete to remove the link.")
        if role == Role.SLUG:
            return slug
        if role == Role.LINK:
            return make_link("lesson", slug)
        if role == Role.BUTTON_TEXT:
            return self.tr("Remove")
        if role == Role.BUTTON_ENABLED:
            return True
        return None


class SuggestionModel(QAbstractListModel):
    """The lessons that fit a priority's words and domains, best first, each with where it
    comes from; the row's button links it with one click."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._suggestions: list[Suggestion] = []
        self.button_text = "Link"

    def set_suggestions(self, suggestions: Sequence[Suggestion]) -> None:
        if [s.lesson.slug for s in suggestions] == [s.lesson.slug for s in self._suggestions]:
            self._suggestions = list(suggestions)
            return  # the same lessons in the same order: keep the view (and its focus) still
        self.beginResetModel()
        self._suggestions = list(suggestions)
        self.endResetModel()

    def suggestion(self, row: int) -> Suggestion:
        return self._suggestions[row]

    def slugs(self) -> list[str]:
        return [s.lesson.slug for s in self._suggestions]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._suggestions)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._suggestions):
            return None
        suggestion = self._suggestions[index.row()]
        lesson = suggestion.lesson
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{lesson.number}. {lesson.title}"
        if role == RICH_TEXT_ROLE:
            return lesson_html(lesson, suggestion.neighbourhoods)
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(lesson_tooltip(lesson, suggestion.neighbourhoods))
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return lesson_accessible(lesson, suggestion.neighbourhoods, "Press Enter to link it to this priority.")
        if role == Role.SLUG:
            return lesson.slug
        if role == Role.LINK:
            return make_link("lesson", lesson.slug)
        if role == Role.BUTTON_TEXT:
            return self.tr(self.button_text)
        if role == Role.BUTTON_ENABLED:
            return True
        return None


class LessonPickerModel(QAbstractListModel):
    """Every lesson in the library, for linking one by hand; those already linked say so."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.library: ContentLibrary | None = None
        self._lessons: list[Lesson] = []
        self._neighbourhoods: list[tuple[str, ...]] = []
        self._search_text: list[str] = []
        self._linked: frozenset[str] = frozenset()

    def set_library(self, library: ContentLibrary) -> None:
        self.beginResetModel()
        self.library = library
        self._lessons = sorted(library.lessons, key=lambda lesson: lesson.number)
        self._neighbourhoods = [lesson_neighbourhoods(library, lesson) for lesson in self._lessons]
        self._search_text = [
            fold(" ".join((str(lesson.number), lesson.title, " ".join(lesson.keywords), " ".join(where))))
            for lesson, where in zip(self._lessons, self._neighbourhoods, strict=True)
        ]
        self.endResetModel()

    def set_linked(self, slugs: Sequence[str]) -> None:
        linked = frozenset(slugs)
        if linked != self._linked:
            self._linked = linked
            if self._lessons:
                self.dataChanged.emit(self.index(0), self.index(len(self._lessons) - 1))

    def lesson(self, row: int) -> Lesson:
        return self._lessons[row]

    def search_text(self, row: int) -> str:
        return self._search_text[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._lessons)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._lessons):
            return None
        lesson = self._lessons[index.row()]
        neighbourhoods = self._neighbourhoods[index.row()]
        linked = lesson.slug in self._linked
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{lesson.number}. {lesson.title}"
        if role == RICH_TEXT_ROLE:
            return lesson_html(lesson, neighbourhoods)
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(lesson_tooltip(lesson, neighbourhoods))
        if role == Qt.ItemDataRole.AccessibleTextRole:
            action = "Already linked." if linked else "Press Enter to link it to this priority."
            return lesson_accessible(lesson, neighbourhoods, action)
        if role == Role.SLUG:
            return lesson.slug
        if role == Role.LINK:
            return make_link("lesson", lesson.slug)
        if role == Role.BUTTON_TEXT:
            return self.tr("Linked ✓") if linked else self.tr("Link")
        if role == Role.BUTTON_ENABLED:
            return not linked
        return None


class LessonFilterProxy(QSortFilterProxyModel):
    """Lessons whose number, title, keywords or neighbourhoods hold every typed word."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._words: tuple[str, ...] = ()

    def set_filter_text(self, text: str) -> None:
        words = tuple(fold(text).split())
        if words == self._words:
            return
        if hasattr(self, "beginFilterChange"):  # Qt ≥ 6.9
            self.beginFilterChange()
            self._words = words
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._words = words
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        if not self._words:
            return True
        model = self.sourceModel()
        if not isinstance(model, LessonPickerModel):
            return True
        text = model.search_text(source_row)
        return all(word in text for word in self._words)


class SessionListModel(QAbstractListModel):
    """The stored sessions, newest first, for the session chooser."""

    def __init__(self, document: SessionDocument, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self._sessions: list[SessionSummary] = []

    def refresh(self) -> None:
        sessions = self.document.list_sessions()
        if sessions == self._sessions:
            return
        self.beginResetModel()
        self._sessions = sessions
        self.endResetModel()

    def patch_open_session(self) -> None:
        """Show the open session's new title or count without reading every session again (a
        new date may change the order, so that does read them all)."""
        session = self.document.session
        row = self.row_of(session.id) if session else -1
        if session is None or row < 0 or self._sessions[row].date != session.date:
            self.refresh()
            return
        self._sessions[row] = dataclasses.replace(
            self._sessions[row], title=session.title, priorities=len(session.priorities))
        self.dataChanged.emit(self.index(row), self.index(row))

    def summary(self, row: int) -> SessionSummary:
        return self._sessions[row]

    def row_of(self, session_id: str | None) -> int:
        for row, summary in enumerate(self._sessions):
            if summary.id == session_id:
                return row
        return -1

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._sessions)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._sessions):
            return None
        summary = self._sessions[index.row()]
        count = priorities_text(summary.priorities)
        day = i18n.format_date(summary.date, "medium")
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if i18n.current().direction == "rtl":
                # The title isolated (FSI…PDI), so the date and count in a right-to-left
                # language keep their places beside a title in any script.
                return f"\u2068{summary.title}\u2069 — {day} ({count})"
            return f"{summary.title} — {day} ({count})"
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(f"{summary.title}\n{i18n.format_date(summary.date)} · {count}")
        if role == Role.SESSION_ID:
            return summary.id
        return None
