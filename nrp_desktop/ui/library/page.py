"""The Library screen: neighbourhoods, lessons, domains and programme pages, filter and search."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QByteArray, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from nrp_desktop import i18n
from nrp_desktop.domain.content import ContentLibrary, SearchHit
from nrp_desktop.domain.domains import DOMAINS
from nrp_desktop.ui.library.models import DocumentListModel, DomainFilterProxy, Role, SearchResultModel
from nrp_desktop.ui.reader import Reader
from nrp_desktop.ui.screen import Screen, ScreenContext
from nrp_desktop.ui.widgets import hide_in_large_text, in_large_text, page_layout, set_up_list_view, text_label
from nrp_desktop.ui.widgets.controls import domain_toggle
from nrp_desktop.ui.widgets.delegates import RichTextDelegate
from nrp_desktop.ui.widgets.flow_layout import FlowLayout
from nrp_desktop.ui.widgets.plain_text import plain_label

SEARCH_DELAY_MS = 120  # long enough to skip keystrokes, short enough to feel instant
SearchFunction = Callable[[str], list[SearchHit]]


def _list_view(name: str) -> QListView:
    view = QListView()
    set_up_list_view(view, name)
    view.setItemDelegate(RichTextDelegate(view))
    return view


class DomainFilterBar(QWidget):
    """One toggle per domain, each with its mark, name and colour; none pressed means all."""

    changed = Signal(set)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        # Wraps onto a second row on narrow screens (1024×768) instead of widening the window.
        layout = FlowLayout(self)
        label = QLabel(self.tr("Show domains:"))
        layout.addWidget(label)
        self.buttons: dict[str, QToolButton] = {}
        for domain in DOMAINS:
            name = self.tr(domain.name)
            # The short name is enough on the button; the full name is in the tooltip. The
            # accessible name begins with what the chip shows (mark and short name).
            button = domain_toggle(domain, name, "domainChip", f"{domain.mark}  {self.tr(domain.short)}",
                                   self.tr("Show only %s") % name,
                                   self.tr("Show only what belongs to %s") % name, edge=8)
            button.toggled.connect(self._emit)
            layout.addWidget(button)
            self.buttons[domain.slug] = button
        self.clear_button = QPushButton(self.tr("All"))
        self.clear_button.setAccessibleName(self.tr("Show all domains"))
        self.clear_button.clicked.connect(self.clear)
        layout.addWidget(self.clear_button)
        # Its rows are as many as the width needs: the page gives it their height (not one row's).
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def selected(self) -> set[str]:
        return {slug for slug, button in self.buttons.items() if button.isChecked()}

    def clear(self) -> None:
        for button in self.buttons.values():
            button.blockSignals(True)
            button.setChecked(False)
            button.blockSignals(False)
        self._emit()

    def _emit(self, *_: Any) -> None:
        self.changed.emit(self.selected())


class LibraryPage(Screen):
    """Browse and search the bundled content; the reader shows what is chosen."""

    print_case_study_requested = Signal(str)  # a case study's slug, for its printable sheet

    def __init__(self, parent: Any = None, search: SearchFunction | None = None) -> None:
        super().__init__(parent)
        self.library: ContentLibrary | None = None
        self._search: SearchFunction | None = search
        self._history: list[str] = []
        self._future: list[str] = []

        self.search_field = QLineEdit()
        self.search_field.setObjectName("searchField")
        self.search_field.setPlaceholderText(self.tr("Search the library (for example: debt, alleyway, loneliness)"))
        self.search_field.setAccessibleName(self.tr("Search the library"))
        self.search_field.setClearButtonEnabled(True)
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.run_search)
        self.search_field.textChanged.connect(lambda _text: self.search_timer.start())
        self.search_field.returnPressed.connect(self._open_first_result)

        self.filter_bar = DomainFilterBar()
        self.filter_bar.changed.connect(self._set_domain_filter)

        self.models: dict[str, DocumentListModel] = {}
        self.proxies: dict[str, DomainFilterProxy] = {}
        self.views: dict[str, QListView] = {}
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Library sections"))
        for kind, label in (
            ("case-study", self.tr("Neighbourhoods")),
            ("lesson", self.tr("Lessons")),
            ("domain", self.tr("Domains")),
            ("page", self.tr("About")),
        ):
            model = DocumentListModel(kind, self)
            proxy = DomainFilterProxy(self)
            proxy.setSourceModel(model)
            view = _list_view(label)
            view.setModel(proxy)
            view.selectionModel().currentChanged.connect(self._on_current_changed)
            view.activated.connect(self._open_index)
            self.models[kind], self.proxies[kind], self.views[kind] = model, proxy, view
            self.tabs.addTab(view, label)

        self.results_model = SearchResultModel(self)
        self.results_view = _list_view(self.tr("Search results"))
        self.results_view.setModel(self.results_model)
        self.results_view.selectionModel().currentChanged.connect(self._on_current_changed)
        self.results_view.activated.connect(self._open_index)
        self.results_label = plain_label()
        self.results_label.setWordWrap(True)
        results_box = QWidget()
        results_layout = QVBoxLayout(results_box)
        results_layout.setContentsMargins(0, 0, 0, 0)
        results_layout.addWidget(self.results_label)
        results_layout.addWidget(self.results_view, 1)

        # Every section's tab stays visible: the list is never narrower than its tabs.
        self._fit_tabs()
        self.left = QStackedWidget()
        self.left.addWidget(self.tabs)
        self.left.addWidget(results_box)

        self.reader = Reader()
        self.reader.link_activated.connect(self.open_link)
        self.back_button = QPushButton(self.tr("◀ Back"))
        self.back_button.setAccessibleName(self.tr("Back"))
        self.back_button.setAccessibleDescription(self.tr("Back to the previous page"))
        self.back_button.setToolTip(self.tr("Back (Alt+Left)"))
        self.back_button.clicked.connect(self.go_back)
        self.forward_button = QPushButton(self.tr("Forward ▶"))
        self.forward_button.setAccessibleName(self.tr("Forward"))
        self.forward_button.setAccessibleDescription(self.tr("Forward to the next page"))
        self.forward_button.setToolTip(self.tr("Forward (Alt+Right)"))
        self.forward_button.clicked.connect(self.go_forward)
        self.print_button = QPushButton(self.tr("Print…"))
        self.print_button.setToolTip(self.tr("A printable sheet of this case study"))
        self.print_button.setAccessibleName(self.tr("Make a printable sheet of this case study"))
        self.print_button.clicked.connect(self._print_case_study)
        self.print_button.hide()
        reader_bar = QHBoxLayout()
        reader_bar.addWidget(self.back_button)
        reader_bar.addWidget(self.forward_button)
        reader_bar.addStretch(1)
        reader_bar.addWidget(self.print_button)
        reader_box = QWidget()
        reader_layout = QVBoxLayout(reader_box)
        reader_layout.setContentsMargins(0, 0, 0, 0)
        reader_layout.addLayout(reader_bar)
        reader_layout.addWidget(self.reader, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.left)
        self.splitter.addWidget(reader_box)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([470, 730])

        self.placeholder = plain_label(self.tr("Opening the library…"))
        self.placeholder.setObjectName("placeholder")
        self.body = QStackedWidget()
        self.body.addWidget(self.placeholder)
        self.body.addWidget(self.splitter)

        self.page_title = text_label(self.tr("The library: what nine neighbourhoods learned"), "pageTitle")
        self.subtitle = text_label(self.tr("Case studies, lessons and the five domains of the Neighbourhood "
                                           "Resilience Programme (North West England, 2016–2019)."),
                                   "pageSubtitle")
        layout = page_layout(self, self.page_title, self.subtitle)
        self._fit_tabs()  # (large text may be on from the start)
        layout.addWidget(self.search_field)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.body, 1)

        # Ctrl+F is the window's View ▸ Search the library (one owner: a second here was ambiguous).
        QShortcut(QKeySequence(Qt.Modifier.ALT | Qt.Key.Key_Left), self, self.go_back)
        QShortcut(QKeySequence(Qt.Modifier.ALT | Qt.Key.Key_Right), self, self.go_forward)
        self.search_field.installEventFilter(self)
        self._update_history_buttons()

    def _fit_tabs(self) -> None:
        """Every section's tab in view, except in large text, where the page needs the width:
        the tabs scroll then (and the title and the line under it, which the facilitator knows,
        give the lists and the page their height, as on the Workshop session)."""
        large = in_large_text(self)
        self.tabs.setUsesScrollButtons(large)
        self.tabs.setMinimumWidth(0 if large else self.tabs.tabBar().sizeHint().width() + 4)
        hide_in_large_text(self, getattr(self, "page_title", None), getattr(self, "subtitle", None))

    def changeEvent(self, event: Any) -> None:
        # Large text for a projector: the tabs and the open page follow the new size.
        from PySide6.QtCore import QEvent

        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit_tabs()
            if self.library is not None and self.reader.current_link:
                self.reader.show_document(self.library, self.reader.current_link)
        super().changeEvent(event)

    # Loading -----------------------------------------------------------------------------

    @classmethod
    def build(cls, context: ScreenContext) -> LibraryPage:
        return cls(search=context.search)

    def set_library(self, library: ContentLibrary) -> None:
        self.library = library
        self.models["case-study"].set_documents(library.case_studies)
        self.models["lesson"].set_documents(library.lessons)
        self.models["domain"].set_documents(library.domains)
        self.models["page"].set_documents(library.pages)
        self.body.setCurrentWidget(self.splitter)
        view = self.views["case-study"]
        if view.model().rowCount() and not self.reader.current_link:
            view.setCurrentIndex(view.model().index(0, 0))

    def restore_state(self, settings: Any) -> None:
        splitter = settings.value("library/splitter")
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)

    def save_state(self, settings: Any) -> None:
        settings.setValue("library/splitter", self.splitter.saveState())

    def show_error(self, message: str) -> None:
        self.placeholder.setText(message)
        self.body.setCurrentWidget(self.placeholder)

    # Search ------------------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_field.selectAll()

    def run_search(self) -> None:
        query = self.search_field.text().strip()
        if not query or self._search is None:
            self.results_model.set_hits([])
            self.left.setCurrentWidget(self.tabs)
            return
        hits = self._search(query)
        self.results_model.set_hits(hits)
        if hits:
            text = i18n.ngettext("{n} result for “%1”", "{n} results for “%1”", len(hits))
            self.results_label.setText(text.replace("%1", query))
        else:
            text = self.tr("Nothing found for “%1”. Try a shorter or different word.")
            self.results_label.setText(text.replace("%1", query))
        self.left.setCurrentIndex(1)

    def _open_first_result(self) -> None:
        self.search_timer.stop()
        self.run_search()
        if self.results_model.rowCount():
            index = self.results_model.index(0, 0)
            self.results_view.setCurrentIndex(index)
            self.results_view.setFocus(Qt.FocusReason.OtherFocusReason)

    def eventFilter(self, watched: Any, event: Any) -> bool:
        # Down arrow from the search field moves into the results, as in any search box.
        from PySide6.QtCore import QEvent

        if (
            watched is self.search_field
            and event.type() == QEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Down
            and self.left.currentIndex() == 1
        ):
            self._open_first_result()
            return True
        return super().eventFilter(watched, event)

    # Filtering ---------------------------------------------------------------------------

    def _set_domain_filter(self, domains: set[str]) -> None:
        for kind in ("case-study", "lesson"):
            self.proxies[kind].set_domains(domains)

    # Reading -----------------------------------------------------------------------------

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.open_link(current.data(Role.LINK))

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_link(index.data(Role.LINK))
            self.reader.setFocus(Qt.FocusReason.OtherFocusReason)

    def open_link(self, link: str, remember: bool = True) -> bool:
        if self.library is None or not link or link == self.reader.current_link:
            return False
        previous = self.reader.current_link
        if not self.reader.show_document(self.library, link):
            return False
        if remember and previous:
            self._history.append(previous)
            self._future.clear()
        self._update_history_buttons()
        return True

    def go_back(self) -> None:
        if self._history:
            self._future.append(self.reader.current_link)
            self.open_link(self._history.pop(), remember=False)
            self._update_history_buttons()

    def go_forward(self) -> None:
        if self._future:
            self._history.append(self.reader.current_link)
            self.open_link(self._future.pop(), remember=False)
            self._update_history_buttons()

    def _update_history_buttons(self) -> None:
        self.back_button.setEnabled(bool(self._history))
        self.forward_button.setEnabled(bool(self._future))
        self.print_button.setVisible(self.reader.current_link.startswith("case-study:"))

    def _print_case_study(self) -> None:
        kind, _sep, slug = self.reader.current_link.partition(":")
        if kind == "case-study":
            self.print_case_study_requested.emit(slug)
