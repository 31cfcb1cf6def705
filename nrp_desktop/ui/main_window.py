"""The main window: navigation among the screens, their building and wiring, the content and the
sessions database, remembered window state. Its file actions and its menus are mixins in
ui/window/ (actions.py, menus.py)."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QEvent, QObject, QSize, Signal
from PySide6.QtGui import QAction, QCloseEvent, QIcon
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from nrp_desktop import APP_NAME, paths
from nrp_desktop.ui.widgets import arranged
from nrp_desktop.ui.window.actions import MainWindowActions
from nrp_desktop.ui.window.basics import (
    APPEARANCES,
    COMPASS,
    DEFAULT_SIZE,
    EDITOR,
    HANDOUT,
    LIBRARY,
    SCREENS,
    SETTING_APPEARANCE,
    SETTING_LANGUAGE,
    SHORTCUT_ROLE,
    SMALL_SCREEN,
    TITLE_BAR_ALLOWANCE,
    TOOL,
    set_shortcut,
    settings,
)
from nrp_desktop.ui.window.menus import MainWindowMenus

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from nrp_desktop.domain.content import ContentLibrary
    from nrp_desktop.services.changes import SessionChanges
    from nrp_desktop.services.library import LibraryService
    from nrp_desktop.ui.document.document import SessionDocument
    from nrp_desktop.ui.screen import Screen
    from nrp_desktop.ui.single_instance import InstanceServer



class _FirstPaintWatcher(QObject):
    """Tells once when anything in the window has been painted."""

    painted = Signal()

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._done = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self._done and watched is self._window and event.type() == QEvent.Type.Paint:
            self._done = True
            self.painted.emit()
        return False


def name_scroll_bars(root: QWidget) -> None:
    """Give every scroll bar under `root` a name a screen reader can say ("Page text:
    scroll up and down"): Qt leaves them unnamed."""
    from PySide6.QtWidgets import QAbstractScrollArea, QApplication

    for area in root.findChildren(QAbstractScrollArea):
        what = area.accessibleName()
        for bar, direction in ((area.verticalScrollBar(), QApplication.translate("MainWindow", "scroll up and down")),
                               (area.horizontalScrollBar(), QApplication.translate("MainWindow", "scroll sideways"))):
            if bar is not None and not bar.accessibleName():
                bar.setAccessibleName(f"{what}: {direction}" if what else direction[:1].upper() + direction[1:])



def remembered_language() -> str | None:
    """The language chosen last time in View ▸ Language, if it is still one the app speaks."""
    from nrp_desktop import i18n

    code = settings().value(SETTING_LANGUAGE)
    if isinstance(code, str) and code and i18n.is_translated(code):
        return i18n.normalise(code)
    return None


class MainWindow(MainWindowActions, MainWindowMenus, QMainWindow):
    library_loaded = Signal(object)
    first_painted = Signal()

    def __init__(self, library_service: LibraryService, parent: Any = None) -> None:
        super().__init__(parent)
        self.library_service = library_service
        self.library: ContentLibrary | None = None
        self.store: Any = None  # the SessionStore, once open
        self.remember_state = True  # off for --screenshots, which must not change the user's layout
        self._closed = False  # closed: work finishing late in the background is dropped
        self._files_waiting: list[str] = []  # session files to import once the store is open
        self.instance_server: InstanceServer | None = None  # later starts hand their files over here
        self._publish_dialog: Any = None
        self.live_votes: Any = None  # votes from phones (ui/live_panel.LiveVotes), once asked for
        self._join_panel: Any = None
        self.setWindowTitle(APP_NAME)
        icon_path = paths.icons_dir() / "nrp-desktop.svg"
        if icon_path.is_file():
            self.setWindowIcon(QIcon(str(icon_path)))
        self.setMinimumSize(1000, 700)
        self.setAcceptDrops(True)  # session files dropped on the window are imported

        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setAccessibleName(self.tr("Screens"))
        self.navigation.setFixedWidth(220)
        self.stack = QStackedWidget()
        self.navigation.currentRowChanged.connect(self.stack.setCurrentIndex)
        # An assistive tool activates an item by selecting it (QAccessible's select/toggle
        # action), which does not move the current row: make it switch the screen too.
        self.navigation.itemSelectionChanged.connect(self._follow_navigation_selection)

        # (file name, set-up) pairs that screens add for `--screenshots`.
        self.screenshot_hooks: list[tuple[str, Callable[[], None]]] = []
        self.screens: dict[str, Screen] = {}  # "module:Class" → the built screen
        self.document: SessionDocument | None = None  # the open session, once the screens are built
        self._placeholders: list[tuple[str, QWidget]] = []
        for title, shortcut, factory in SCREENS:
            placeholder = self._placeholder()
            self.add_screen(self.tr(title), placeholder, shortcut)
            self._placeholders.append((factory, placeholder))

        self.setCentralWidget(arranged([self.navigation, (self.stack, 1)], spacing=0,
                                       horizontal=True))
        self.navigation.setCurrentRow(0)
        from nrp_desktop import i18n

        if i18n.current().code != "en":  # longer names than English's may need a wider column
            self.fit_navigation()

        self._build_menus()
        self.statusBar().showMessage(self.tr("Works offline: nothing here needs the internet."))

        self._paint_watcher = _FirstPaintWatcher(self)
        self._paint_watcher.painted.connect(self.first_painted)
        self._paint_watcher.painted.connect(lambda: self.removeEventFilter(self._paint_watcher))
        # Watching only the window itself keeps Python out of the path of every other event.
        self.installEventFilter(self._paint_watcher)
        self._restore_state()

    # Screens -----------------------------------------------------------------------------

    def _placeholder(self) -> QLabel:
        placeholder = QLabel(self.tr("Opening…"))
        placeholder.setObjectName("placeholder")
        return placeholder

    def add_screen(self, title: str, widget: QWidget, shortcut: str | None = None) -> None:
        item = QListWidgetItem(title)
        item.setSizeHint(QSize(200, 48))  # room for the style sheet's padding: a large target
        # The item's text is its accessible name; touching the `Qt` namespace here would cost
        # ~30 ms of start-up, so the role is left to its default.
        self.navigation.addItem(item)
        self.stack.addWidget(widget)
        if shortcut:
            row = self.navigation.count() - 1
            action = QAction(self)
            set_shortcut(action, shortcut)
            action.triggered.connect(lambda: self.navigation.setCurrentRow(row))
            self.addAction(action)
            item.setToolTip(f"{title} ({shortcut})")
            item.setData(SHORTCUT_ROLE, shortcut)

    def _follow_navigation_selection(self) -> None:
        selected = self.navigation.selectedItems()
        if selected:
            row = self.navigation.row(selected[0])
            if row != self.navigation.currentRow():
                self.navigation.setCurrentRow(row)

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        """A control that takes the keyboard is scrolled into view (Tab into a long panel)."""
        from PySide6.QtWidgets import QScrollArea

        if new is None or new.window() is not self:
            return
        parent = new.parentWidget()
        while parent is not None and parent is not self:
            if isinstance(parent, QScrollArea) and parent.widget() is not None \
                    and parent.widget().isAncestorOf(new):
                parent.ensureWidgetVisible(new, 16, 16)  # a text field: its cursor
                content = parent.widget()
                shown = parent.viewport().size()
                if content is not None and new.height() + 32 <= shown.height():
                    # The whole control when it fits (a text field's cursor alone may leave it
                    # mostly out of sight).
                    centre = new.mapTo(content, new.rect().center())
                    parent.ensureVisible(centre.x(), centre.y(), min(new.width(), shown.width()) // 2,
                                         new.height() // 2 + 16)
            parent = parent.parentWidget()

    def build_screens(self) -> None:
        """Replace each placeholder with its real screen (once; cheap to call again)."""
        if not self._placeholders:
            return
        from nrp_desktop.ui.document.document import SessionDocument
        from nrp_desktop.ui.screen import ScreenContext

        current = self.navigation.currentRow()
        self.document = SessionDocument(self)
        self.document.changed.connect(self._tell_screens)
        context = ScreenContext(self.document, lambda query: self.library_service.search(query, limit=30))
        for factory, placeholder in self._placeholders:
            module_name, class_name = factory.split(":")
            screen = getattr(importlib.import_module(module_name), class_name).build(context)
            index = self.stack.indexOf(placeholder)
            self.stack.insertWidget(index, screen)
            self.stack.removeWidget(placeholder)
            placeholder.deleteLater()
            self.screens[factory] = screen
            self._connect_screen(screen)
        self._placeholders.clear()
        from PySide6.QtWidgets import QAbstractItemView, QApplication

        from nrp_desktop.ui.widgets.wheel import wheel_only_with_focus

        for screen in self.screens.values():
            wheel_only_with_focus(screen)
            for view in screen.findChildren(QAbstractItemView):
                view.setTabKeyNavigation(False)  # Tab always leaves a table or list
            name_scroll_bars(screen)
        app = QApplication.instance()
        if isinstance(app, QApplication) and not getattr(self, "_follows_focus", False):
            app.focusChanged.connect(self._focus_changed)  # once, though screens are rebuilt
            self._follows_focus = True
        self.fit_navigation()  # after the first paint: the `Qt` namespace is loaded by now
        self.stack.setCurrentIndex(max(0, current))
        self._wire_screens()
        self._restore_screen_state()

    def _wire_screens(self) -> None:
        """The requests screens make of the window (never of each other)."""
        # Each screen's own signals (the Screen base class names only what every screen has).
        library: Any = self.screens[LIBRARY]
        tool: Any = self.screens[TOOL]
        compass: Any = self.screens[COMPASS]
        editor: Any = self.screens[EDITOR]
        library.print_case_study_requested.connect(self.print_case_study)
        tool.priority_requested.connect(self._priority_from_tool)
        compass.ratings_changed.connect(self._ratings_from_compass)
        editor.live_votes_requested.connect(self.show_live_votes)

    def _priority_from_tool(self, priority: Any) -> None:
        if self.document is None or self.document.store is None:
            return
        if self.document.add_priority_copy(priority):
            from nrp_desktop import i18n

            message = self.tr("“%s” was added to the session's priorities.") % i18n.isolate(priority.title)
            self.statusBar().showMessage(message, 8000)
            from nrp_desktop.ui.widgets.announce import announce

            announce(self, message)

    def _ratings_from_compass(self, ratings: dict[str, int]) -> None:
        if self.document is not None and self.document.store is not None:
            self.document.set_open_ratings(ratings)

    def _tell_screens(self, changes: SessionChanges) -> None:
        """After every operation: each screen follows what changed (one notification, one way)."""
        session = self.document.snapshot() if self.document is not None else None
        if changes.opened:
            self._show_previous_session(session)
        for screen in self.screens.values():
            screen.follow_changes(changes, session)

    def _show_previous_session(self, session: Any) -> None:
        """A follow-up is open (or not): last session's compass over today's, and its
        "Since last time" in the handout (contract 5.1)."""
        from nrp_desktop.domain.collation import day_month_year
        from nrp_desktop.services.followup import previous_session

        store = self.document.store if self.document is not None else None
        previous = previous_session(store, session) if store is not None and session is not None else None
        compass: Any = self.screens.get(COMPASS)
        handout: Any = self.screens.get(HANDOUT)
        if compass is not None:
            compass.set_previous_ratings(
                dict(previous.ratings) if previous is not None else None,
                day_month_year(previous.date) if previous is not None else "")
        if handout is not None:
            handout.set_previous_session(previous)

    def _connect_screen(self, screen: Screen) -> None:
        screen.open_link_requested.connect(self.open_in_library)  # links open in the library
        for name, setup in screen.screenshot_states():
            self.screenshot_hooks.append((name, self._showing(screen, setup)))

    def _showing(self, screen: QWidget, setup: Callable[[], None]) -> Callable[[], None]:
        def show_then_set_up() -> None:
            self.show_screen(screen)
            setup()

        return show_then_set_up

    def screen_named(self, factory: str) -> Any:
        """The built screen for a "module:Class" name (building the screens if need be)."""
        self.build_screens()
        return self.screens[factory]

    @property
    def library_page(self) -> Any:
        return self.screen_named(LIBRARY)

    def print_case_study(self, slug: str) -> None:
        handout = self.screen_named(HANDOUT)
        self.show_screen(handout)
        handout.show_case_study(slug)

    def open_in_library(self, link: str) -> None:
        page = self.library_page
        self.show_screen(page)
        page.open_link(link)

    def extra_screenshots(self) -> list[tuple[str, Callable[[], None]]]:
        return list(self.screenshot_hooks)

    def show_screen(self, widget: QWidget) -> None:
        self.navigation.setCurrentRow(self.stack.indexOf(widget))

    # Content -----------------------------------------------------------------------------

    def load_content(self, on_loaded: Callable[[], None] | None = None) -> None:
        """Read the library off the GUI thread, then fill the screens."""
        from nrp_desktop.ui.worker import run_in_background

        def load() -> ContentLibrary:
            library = self.library_service.library
            self.library_service.search("warm up")  # prepares the search index and texts
            return library

        def loaded(library: ContentLibrary) -> None:
            if self._closed:
                return
            self.set_library(library)
            if on_loaded:
                on_loaded()

        run_in_background(load, loaded, self._content_failed, context=self)

    def set_library(self, library: ContentLibrary) -> None:
        self.build_screens()
        self.library = library
        for screen in self.screens.values():
            screen.set_library(library)
        self.statusBar().showMessage(
            self.tr("Works offline · content version %s") % library.version
        )
        self.library_loaded.emit(library)

    # The facilitator's sessions -----------------------------------------------------------

    def open_store(self, on_opened: Callable[[], None] | None = None) -> None:
        """Open the session database off the GUI thread (it checks its integrity and takes the
        day's backup), then hand it to the screens that record and compare sessions."""
        from nrp_desktop.ui.worker import run_in_background

        def opened(store: Any) -> None:
            if self._closed:  # the window closed while the database opened: let it go again
                store.close()
                return
            self.attach_store(store)
            if store.backup_warning:
                self.statusBar().showMessage(store.backup_warning, 15000)
            if self._files_waiting:
                waiting, self._files_waiting = self._files_waiting, []
                self.import_files(waiting)
            if on_opened:
                on_opened()

        run_in_background(self._new_store, opened, self._store_failed, context=self)

    @staticmethod
    def _new_store() -> Any:
        from nrp_desktop.services.sessions import SessionStore

        return SessionStore()

    def attach_store(self, store: Any) -> None:
        """Use `store` for the sessions (the screenshots use a throw-away one)."""
        self.store = store
        self.build_screens()
        for screen in self.screens.values():
            screen.attach_store(store)

    def _store_failed(self, error: Exception) -> None:
        from PySide6.QtWidgets import QMessageBox

        from nrp_desktop.services.sessions import DatabaseDamaged, restore_backup
        from nrp_desktop.ui.widgets.plain_text import ask, tell

        if isinstance(error, DatabaseDamaged) and error.backups:
            latest = error.backups[0]
            answer = ask(
                self, self.tr("The sessions database is damaged"),
                self.tr("%1\n\nRestore the last good backup, from %2? The damaged file is kept "
                        "beside it, renamed, and nothing else is changed.")
                .replace("%1", str(error)).replace("%2", str(latest.day)),
            )
            if answer:
                try:
                    restore_backup(latest)
                except Exception as restore_error:  # reported, never silent
                    tell(self, APP_NAME, str(restore_error), icon=QMessageBox.Icon.Critical)
                    return
                self.open_store()
                return
            # The user said no: the damaged file stays as it is; the app works without sessions.
        else:
            tell(self, self.tr("Sessions are not available"), str(error))
        self.statusBar().showMessage(self.tr("Sessions are not available: %s") % error)

    def _content_failed(self, error: Exception) -> None:
        from PySide6.QtWidgets import QMessageBox

        from nrp_desktop.ui.widgets.plain_text import tell

        self.library_page.show_error(str(error))
        tell(self, APP_NAME, str(error), icon=QMessageBox.Icon.Critical)


    # Window state ------------------------------------------------------------------------

    def _restore_state(self) -> None:
        stored = settings()
        geometry = stored.value("window/geometry")
        if isinstance(geometry, QByteArray) and self.restoreGeometry(geometry) and self._fits_screen():
            pass
        else:  # none yet, or kept from a larger screen than this one
            self._fit_available_screen()
        state = stored.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        if stored.value("view/large_text", False, type=bool):
            self.large_text_action.setChecked(True)
        high_contrast = stored.value("view/high_contrast")
        self._high_contrast_chosen = high_contrast is not None
        if high_contrast is None:  # never chosen here: as the desktop asks
            from nrp_desktop.ui.theme import system_prefers_high_contrast

            wanted = system_prefers_high_contrast()
        else:
            wanted = str(high_contrast).lower() in ("true", "1")
        if wanted:
            self.high_contrast_action.setChecked(True)
        appearance = stored.value(SETTING_APPEARANCE, "system")
        self.set_appearance(appearance if appearance in APPEARANCES else "system")
        from PySide6.QtGui import QGuiApplication

        hints = QGuiApplication.styleHints()
        if hasattr(hints, "colorSchemeChanged"):  # Qt 6.5+: the desktop switched light or dark
            hints.colorSchemeChanged.connect(self.follow_system_colour_scheme)
        row = stored.value("window/screen", 0, type=int)
        if 0 <= row < self.navigation.count():
            self.navigation.setCurrentRow(row)

    def _fits_screen(self) -> bool:
        from PySide6.QtGui import QGuiApplication

        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return True
        free = screen.availableGeometry()
        # The frame is not known before the window is shown: leave room for a title bar.
        return self.width() <= free.width() and self.height() <= free.height() - TITLE_BAR_ALLOWANCE // 2

    def _fit_available_screen(self) -> None:
        """1280×800 where there is room; on a smaller screen (a 1366×768 or 1024×768 laptop),
        all the width the screen has free and its height less room for the title bar (the task
        bar apart), so the status bar stays in view."""
        from PySide6.QtGui import QGuiApplication

        screen = QGuiApplication.primaryScreen()
        if screen is None:
            self.resize(*DEFAULT_SIZE)
            return
        free = screen.availableGeometry()
        small = free.width() < SMALL_SCREEN[0] or free.height() < SMALL_SCREEN[1]
        width = free.width() if small else min(DEFAULT_SIZE[0], free.width())
        height = min(DEFAULT_SIZE[1], free.height() - TITLE_BAR_ALLOWANCE)
        self.setMinimumSize(min(self.minimumWidth(), width), min(self.minimumHeight(), height))
        self.resize(width, height)
        self.move(free.left() + (free.width() - width) // 2,
                  free.top() + (free.height() - height - TITLE_BAR_ALLOWANCE) // 2)

    def _restore_screen_state(self) -> None:
        stored = settings()
        for screen in self.screens.values():
            screen.restore_state(stored)

    def flush_pending(self) -> None:
        for screen in self.screens.values():
            screen.flush_pending()

    def save_state(self) -> None:
        if not self.remember_state:
            return
        stored = settings()
        stored.setValue("window/geometry", self.saveGeometry())
        stored.setValue("window/state", self.saveState())
        for screen in self.screens.values():
            screen.save_state(stored)
        stored.setValue("window/screen", self.navigation.currentRow())
        stored.setValue("view/large_text", self.large_text_action.isChecked())
        if self._high_contrast_chosen:
            stored.setValue("view/high_contrast", self.high_contrast_action.isChecked())
        stored.setValue(SETTING_APPEARANCE, self.appearance)
        stored.sync()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.follow_the_store()

    def follow_the_store(self) -> None:
        """Coming back to the window: the open session may have been changed from outside (the
        command line's `import --replace`); if so, show the stored copy."""
        if self.document is None or self.store is None:
            return
        self.flush_pending()
        try:
            if self.document.follow_the_store():
                self.statusBar().showMessage(self.tr("The open session was changed outside this window; "
                                                     "this is the stored copy."), 8000)
        except Exception as error:  # a damaged or vanished database: say so, stay usable
            log.exception("the stored session could not be read again")
            self.statusBar().showMessage(self.tr("The stored session could not be read: %s") % error, 15000)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._closed = True
        try:
            if self.instance_server is not None:
                self.instance_server.close()
            if self.live_votes is not None:
                self.live_votes.stop()  # no phone votes into a closing store
            editor: Any = self.screens.get(EDITOR)
            projector = editor.projector_window() if editor is not None else None
            if projector is not None:
                projector.close()  # a top-level of its own: it would keep the app running
            self.save_state()
            self.flush_pending()  # the last keystrokes, before the store closes
            if self.store is not None:
                self.store.close()
                self.store = None
        finally:
            super().closeEvent(event)
