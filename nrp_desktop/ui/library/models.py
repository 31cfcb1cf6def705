"""Qt item models over the content library and search results (views never run SQL)."""

from __future__ import annotations

import html
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from nrp_desktop.domain.content import Document, SearchHit, make_link
from nrp_desktop.domain.domains import domain_by_slug, is_domain
from nrp_desktop.i18n import N_, gettext
from nrp_desktop.ui.theme import ink
from nrp_desktop.ui.widgets.delegates import RICH_TEXT_ROLE
from nrp_desktop.ui.widgets.plain_text import plain_tooltip

AnyIndex = QModelIndex | QPersistentModelIndex


class Role(IntEnum):
    LINK = Qt.ItemDataRole.UserRole + 1
    DOMAINS = Qt.ItemDataRole.UserRole + 2
    SUMMARY = Qt.ItemDataRole.UserRole + 3


def _marks(domains: tuple[str, ...]) -> str:
    return " ".join(domain_by_slug(slug).mark for slug in domains if is_domain(slug))


def _marks_html(domains: tuple[str, ...]) -> str:
    """Each domain's letter on its light tint: colour and mark together, never colour alone."""
    return "&nbsp;".join(
        f'<span style="background-color:{ink(d.tint)}; color:{ink("#1A1A1A")};">&nbsp;<b>{d.mark}</b>&nbsp;</span>'
        for d in (domain_by_slug(slug) for slug in domains if is_domain(slug))
    )


def highlight(text: str, spans: tuple[tuple[int, int], ...]) -> str:
    """`text` as HTML with the given ranges in bold."""
    out, position = [], 0
    for begin, end in sorted(spans):
        if begin < position:
            continue
        out.append(html.escape(text[position:begin]))
        out.append(f"<b>{html.escape(text[begin:end])}</b>")
        position = end
    out.append(html.escape(text[position:]))
    return "".join(out)


class DocumentListModel(QAbstractListModel):
    """One kind of document (neighbourhoods, lessons, pages …) as a list."""

    def __init__(self, kind: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self._documents: list[Document] = []

    def set_documents(self, documents: tuple[Document, ...] | list[Document]) -> None:
        self.beginResetModel()
        self._documents = list(documents)
        self.endResetModel()

    def document(self, row: int) -> Document:
        return self._documents[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._documents)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._documents):
            return None
        document = self._documents[index.row()]
        domains: tuple[str, ...] = getattr(document, "domains", ())
        if self.kind == "domain":
            domains = (document.slug,)
        if role == Qt.ItemDataRole.DisplayRole:
            number = getattr(document, "number", None)
            title = f"{number}. {document.title}" if self.kind == "lesson" and number else document.title
            marks = _marks(domains)
            return f"{title}\n{marks}" if marks else title
        if role == RICH_TEXT_ROLE:
            number = getattr(document, "number", None)
            title = f"{number}. {document.title}" if self.kind == "lesson" and number else document.title
            marks = _marks_html(domains)
            line = f"<b>{html.escape(title)}</b>"
            return f"{line}<br>{marks}" if marks else line
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(getattr(document, "summary", "") or document.title)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            names = ", ".join(self.tr(domain_by_slug(s).name) for s in domains if is_domain(s))
            return f"{document.title}. {names}" if names else document.title
        if role == Role.LINK:
            return make_link(self.kind, document.slug)
        if role == Role.DOMAINS:
            return list(domains)
        if role == Role.SUMMARY:
            return getattr(document, "summary", "")
        return None


class DomainFilterProxy(QSortFilterProxyModel):
    """Shows only the documents in any of the chosen domains (all when none is chosen)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._domains: frozenset[str] = frozenset()

    def set_domains(self, domains: set[str] | frozenset[str]) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt ≥ 6.9
            self.beginFilterChange()
            self._domains = frozenset(domains)
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._domains = frozenset(domains)
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        if not self._domains:
            return True
        index = self.sourceModel().index(source_row, 0, source_parent)
        domains = index.data(Role.DOMAINS) or []
        return bool(self._domains.intersection(domains))


class SearchResultModel(QAbstractListModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._hits: list[SearchHit] = []

    KIND_NAMES = {"case-study": N_("Neighbourhood"), "lesson": N_("Lesson"), "page": N_("Page"),
                  "tool-step": N_("Learning tool")}

    def set_hits(self, hits: list[SearchHit]) -> None:
        self.beginResetModel()
        self._hits = list(hits)
        self.endResetModel()

    def hit(self, row: int) -> SearchHit:
        return self._hits[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._hits)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._hits):
            return None
        hit = self._hits[index.row()]
        kind = gettext(self.KIND_NAMES[hit.kind]) if hit.kind in self.KIND_NAMES else hit.kind
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{hit.title}  ({kind})\n{hit.snippet}"
        if role == RICH_TEXT_ROLE:
            return (
                f'<b>{html.escape(hit.title)}</b> <span class="muted">· {kind}</span>'
                f"<br>{highlight(hit.snippet, hit.spans)}"
            )
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(f"{kind}: {hit.title}. {hit.snippet}")
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{kind}: {hit.title}. {hit.snippet}"
        if role == Role.LINK:
            return hit.link
        return None
