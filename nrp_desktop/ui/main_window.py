"""The main window: navigation among the screens, menus, About, remembered window state."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QByteArray, QEvent, QObject, QSettings, QSize, Signal
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from nrp_desktop import APP_NAME, __version__, paths
from nrp_desktop.ui.widgets import arranged

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from nrp_desktop.domain.content import ContentLibrary
    from nrp_desktop.services.changes import SessionChanges
    from nrp_desktop.services.library import LibraryService
    from nrp_desktop.ui.document.document import SessionDocument
    from nrp_desktop.ui.screen import Screen
    from nrp_desktop.ui.single_instance import InstanceServer

# The screens, in navigation order: (title, shortcut, "module:Class"). Each is built after the
# window's first paint, so the window appears at once and imports only what it shows.
LIBRARY = "nrp_desktop.ui.library.page:LibraryPage"
TOOL = "nrp_desktop.ui.tool.view:LearningToolView"
COMPASS = "nrp_desktop.ui.compass.view:CompassView"
HANDOUT = "nrp_desktop.ui.handout.view:HandoutView"
EDITOR = "nrp_desktop.ui.session.editor:SessionEditor"
COLLATION = "nrp_desktop.ui.collation.view:CollationView"
SCREENS: tuple[tuple[str, str, str], ...] = (
    (QT_TRANSLATE_NOOP("MainWindow", "Library"), "Ctrl+1", LIBRARY),
    (QT_TRANSLATE_NOOP("MainWindow", "Explore what worked"), "Ctrl+2", TOOL),
    (QT_TRANSLATE_NOOP("MainWindow", "Compass"), "Ctrl+3", COMPASS),
    (QT_TRANSLATE_NOOP("MainWindow", "Workshop session"), "Ctrl+4", EDITOR),
    (QT_TRANSLATE_NOOP("MainWindow", "Handout"), "Ctrl+5", HANDOUT),
    (QT_TRANSLATE_NOOP("MainWindow", "Compare halls"), "Ctrl+6", COLLATION),
)
DEFAULT_SIZE = (1280, 800)
SMALL_SCREEN = (1440, 900)  # below this, the window takes all the room the screen has free
NAVIGATION_LARGE_SCALE = 1.35  # the screens' names in large text: for the facilitator, not the hall
TITLE_BAR_ALLOWANCE = 40  # the window manager's frame, above the window's own area
SHORTCUT_ROLE = 0x0100 + 1  # Qt.ItemDataRole.UserRole + 1, without importing the `Qt` namespace
SETTING_LANGUAGE = "view/language"
COUNCIL_ADDRESS_KEY = "council/address"  # the council database last published to (never a password)
SESSION_FILE_FILTER = QT_TRANSLATE_NOOP("MainWindow", "NRP session files (*.nrpsession)")


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


def set_shortcut(action: QAction, key: str | QKeySequence.StandardKey) -> None:
    """Give `action` its shortcut. setShortcuts() with a list, because PySide's overload
    resolution for setShortcut() builds the whole `Qt` namespace: ~30 ms at start-up."""
    if isinstance(key, str):
        action.setShortcuts([QKeySequence(key)])
    else:
        action.setShortcuts(QKeySequence.keyBindings(key))


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


def settings() -> QSettings:
    """The app's settings file, in the data folder (never the registry or install folder)."""
    return QSettings(str(paths.settings_file()), QSettings.Format.IniFormat)


def remembered_language() -> str | None:
    """The language chosen last time in View ▸ Language, if it is still one the app speaks."""
    from nrp_desktop import i18n

    code = settings().value(SETTING_LANGUAGE)
    if isinstance(code, str) and code and i18n.is_translated(code):
        return i18n.normalise(code)
    return None


class MainWindow(QMainWindow):
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
                parent.ensureWidgetVisible(new, 16, 16)
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

    def receive_files(self, files: list[str], raise_window: bool = True) -> None:
        """Session files opened from outside (the command line, a file double-clicked while the
        window runs): imported as File ▸ Import does (once the sessions database is open), and
        the window comes to the front."""
        if files:
            if self.store is None:
                self._files_waiting.extend(files)
            else:
                self.import_files(list(files))
        if raise_window:
            if self.isMinimized():
                self.showNormal()
            self.show()
            from PySide6.QtGui import QGuiApplication

            if QGuiApplication.platformName() != "offscreen":  # which cannot raise (and says so)
                self.raise_()
            self.activateWindow()

    def import_files(self, files: list[str] | None = None) -> list[str]:
        """Import session files (asking which, unless given) and open the last one stored."""
        from nrp_desktop.ui import session_files

        if self.store is None:
            self.statusBar().showMessage(self.tr("Sessions are not available yet."), 8000)
            return []
        if files is None:
            stored = session_files.ask_and_import(self, self.store, self.library)
        else:
            stored = session_files.import_session_files(self, self.store, self.library, files)
        self.flush_pending()  # what is typed goes to the old copy, before the new one replaces it
        for index, session_id in enumerate(stored):
            self.document.session_replaced(session_id, open_it=index == len(stored) - 1)
        if stored:
            self.show_screen(self.screen_named(EDITOR))
            from nrp_desktop import i18n

            self.statusBar().showMessage(
                i18n.ngettext("Imported {n} session file.", "Imported {n} session files.", len(stored)), 8000)
        return stored

    def export_session(self, as_csv: bool) -> bool:
        from nrp_desktop.ui import session_files

        self.flush_pending()
        session = self.document.snapshot() if self.store is not None and self.document else None
        if session is None:
            self.statusBar().showMessage(self.tr("Open a workshop session to export it."), 8000)
            return False
        return session_files.export_session(self, session, self.library, as_csv)

    def publish_to_council(self, changes_only: bool) -> Any:
        """File ▸ Publish to council database… (the dialog, every session offered) or File ▸
        Publish changes (the dialog on the address last published to, sending at once only the
        sessions new or changed since). The dialog, or None without a session database."""
        from PySide6.QtCore import Qt

        from nrp_desktop.ui.publish_dialog import PublishDialog

        if self.store is None:
            self.statusBar().showMessage(self.tr("Sessions are not available yet."), 8000)
            return None
        self.flush_pending()  # what is being typed is part of what is published
        if self._publish_dialog is not None and self._publish_dialog.isVisible():
            self._publish_dialog.raise_()
            self._publish_dialog.activateWindow()
            return self._publish_dialog
        address = str(settings().value(COUNCIL_ADDRESS_KEY, "") or "")
        dialog = PublishDialog(self.store, self, url=address)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.published.connect(self._remember_council_address)
        dialog.destroyed.connect(self._publish_dialog_closed)
        self._publish_dialog = dialog
        if changes_only:
            dialog.changed_only.setChecked(True)
        else:
            dialog.everything.setChecked(True)
        dialog.open()
        if changes_only and address:
            dialog.start()  # the password from NRP_DESKTOP_DB_PASSWORD or ~/.pgpass, else asked
        return dialog

    def _follow_up_action(self, method: str) -> None:
        """Workshop session ▸ a follow-up action, on the open session (said when none is open)."""
        editor = self.screen_named(EDITOR)
        self.show_screen(editor)
        if self.document is None or self.document.session is None:
            self.statusBar().showMessage(self.tr("Open a workshop session first."), 8000)
            return
        getattr(editor.follow_up, method)()

    def show_live_votes(self) -> Any:
        """Workshop session ▸ Votes from phones…: the join panel for the open session (on the
        projector's screen when the projector window is open). Nothing listens until the
        facilitator presses Start; the server stops with the panel, the session or the window.
        The panel, or None with no session open."""
        from nrp_desktop.ui.live_panel import JoinPanel, LiveVotes

        editor = self.screen_named(EDITOR)
        if self.document is None or self.document.session is None:
            self.show_screen(editor)
            self.statusBar().showMessage(self.tr("Open a workshop session first: phones vote on its priorities."),
                                         8000)
            return None
        self.flush_pending()
        if self.live_votes is None:
            self.live_votes = LiveVotes(self.document, self)
        if self._join_panel is None:
            self._join_panel = JoinPanel(self.live_votes, self)
        panel = self._join_panel
        if panel.isVisible():  # asked again: bring it forward
            panel.raise_()
            panel.activateWindow()
            return panel
        projector = editor.projector_window()
        if projector is not None and projector.isVisible() and projector.screen() is not None:
            # The room's screen: the panel covers the projector's window while it is open.
            panel.setGeometry(projector.screen().geometry())
            panel.showFullScreen()
        else:
            panel.showNormal()
        panel.activateWindow()
        return panel

    def _publish_dialog_closed(self) -> None:
        self._publish_dialog = None

    @staticmethod
    def _remember_council_address(address: str) -> None:
        # An address never holds a password (refused before anything is sent), so it may be kept.
        stored = settings()
        stored.setValue(COUNCIL_ADDRESS_KEY, address)
        stored.sync()

    def dragEnterEvent(self, event: Any) -> None:
        from nrp_desktop.ui.session_files import is_session_file

        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        if urls and all(url.isLocalFile() and is_session_file(url.toLocalFile()) for url in urls):
            event.acceptProposedAction()

    def dropEvent(self, event: Any) -> None:
        files = [url.toLocalFile() for url in event.mimeData().urls()]
        event.acceptProposedAction()
        self.import_files(files)

    def _content_failed(self, error: Exception) -> None:
        from PySide6.QtWidgets import QMessageBox

        from nrp_desktop.ui.widgets.plain_text import tell

        self.library_page.show_error(str(error))
        tell(self, APP_NAME, str(error), icon=QMessageBox.Icon.Critical)

    # Menus -------------------------------------------------------------------------------

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        import_action = QAction(self.tr("&Import session files…"), self)
        set_shortcut(import_action, QKeySequence.StandardKey.Open)
        import_action.triggered.connect(lambda: self.import_files())  # not `checked` as the files
        file_menu.addAction(import_action)
        export_action = QAction(self.tr("&Export this session…"), self)
        set_shortcut(export_action, "Ctrl+E")
        export_action.triggered.connect(lambda: self.export_session(as_csv=False))
        file_menu.addAction(export_action)
        csv_action = QAction(self.tr("Export as a &spreadsheet (CSV)…"), self)
        csv_action.triggered.connect(lambda: self.export_session(as_csv=True))
        file_menu.addAction(csv_action)
        screen_reader_action = QAction(self.tr("Save for a &screen reader…"), self)
        screen_reader_action.triggered.connect(self.save_for_screen_reader)
        file_menu.addAction(screen_reader_action)
        file_menu.addSeparator()
        publish_action = QAction(self.tr("&Publish to council database…"), self)
        publish_action.triggered.connect(lambda: self.publish_to_council(changes_only=False))
        file_menu.addAction(publish_action)
        publish_changes = QAction(self.tr("Publish &changes"), self)
        publish_changes.triggered.connect(lambda: self.publish_to_council(changes_only=True))
        file_menu.addAction(publish_changes)
        file_menu.addSeparator()
        quit_action = QAction(self.tr("&Quit"), self)
        set_shortcut(quit_action, QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        self.file_menu = file_menu

        session_menu = self.menuBar().addMenu(self.tr("Workshop &session"))
        phones_action = QAction(self.tr("Votes from &phones…"), self)
        phones_action.triggered.connect(self.show_live_votes)
        session_menu.addAction(phones_action)
        session_menu.addSeparator()
        # Coming back (contract 5.1): the same as the session bar's buttons, from the menu.
        for text, method in ((self.tr("New &follow-up session…"), "ask_follow_up"),
                             (self.tr("Since &last time (review on the projector)"), "show_review"),
                             (self.tr("&History of this group…"), "show_history")):
            follow_action = QAction(text, self)
            follow_action.triggered.connect(lambda _checked=False, name=method: self._follow_up_action(name))
            session_menu.addAction(follow_action)
        self.session_menu = session_menu

        view_menu = self.menuBar().addMenu(self.tr("&View"))
        search_action = QAction(self.tr("&Search the library"), self)
        set_shortcut(search_action, QKeySequence.StandardKey.Find)
        search_action.triggered.connect(self._search_library)
        view_menu.addAction(search_action)
        full_screen = QAction(self.tr("&Full screen"), self)
        set_shortcut(full_screen, QKeySequence.StandardKey.FullScreen)
        full_screen.setCheckable(True)
        self.full_screen_action = full_screen
        full_screen.toggled.connect(
            lambda on: self.showFullScreen() if on else self.showNormal()
        )
        view_menu.addAction(full_screen)
        self.large_text_action = QAction(self.tr("&Large text for a projector"), self)
        set_shortcut(self.large_text_action, "Ctrl+Shift+L")
        self.large_text_action.setCheckable(True)
        self.large_text_action.toggled.connect(self.set_large_text)
        view_menu.addAction(self.large_text_action)
        self.high_contrast_action = QAction(self.tr("&High contrast"), self)
        self.high_contrast_action.setCheckable(True)
        self.high_contrast_action.toggled.connect(self.set_high_contrast)
        # Remembered only once the person chooses it here; until then the desktop decides.
        self._high_contrast_chosen = False
        self.high_contrast_action.triggered.connect(lambda: setattr(self, "_high_contrast_chosen", True))
        view_menu.addAction(self.high_contrast_action)
        view_menu.addMenu(self._language_menu())
        self.view_menu = view_menu

        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        about = QAction(self.tr("&About NRP Desktop"), self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    def _language_menu(self) -> Any:
        from PySide6.QtGui import QActionGroup
        from PySide6.QtWidgets import QMenu

        from nrp_desktop import i18n

        menu = QMenu(self.tr("&Language"), self)
        menu.setObjectName("languageMenu")
        group = QActionGroup(menu)
        group.setExclusive(True)
        self.language_actions: dict[str, QAction] = {}
        for language in i18n.LANGUAGES:
            # Each language named in itself, so a person finds theirs whatever the window speaks.
            action = QAction(language.name, menu)
            action.setCheckable(True)
            action.setChecked(language.code == i18n.current().code)
            action.setData(language.code)
            action.triggered.connect(lambda _checked=False, code=language.code: self.set_language(code))
            group.addAction(action)
            menu.addAction(action)
            self.language_actions[language.code] = action
        return menu

    def set_language(self, code: str) -> bool:
        """View ▸ Language: the whole window in `code` at once, without a restart. The open
        session and the screen shown are kept; the choice is remembered for the next start.
        Every screen is built again in the new language (each builds its words only once, so
        building again is the one way that leaves none behind); the session, the content and
        the database stay as they are. Returns False when the language could not change now."""
        from PySide6.QtWidgets import QApplication

        from nrp_desktop import i18n
        from nrp_desktop.ui.translator import apply_language

        code = i18n.language(code).code
        if code == i18n.current().code:
            self._check_language_action()
            return True
        if self._phones_voting():
            from nrp_desktop.ui.widgets.plain_text import tell

            tell(self, self.tr("The language cannot change now"),
                 self.tr("Phones are voting in this session. Stop the votes from phones first, "
                         "then change the language."))
            self._check_language_action()
            return False
        self.flush_pending()
        row = self.navigation.currentRow()
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        apply_language(app, code)
        if self.remember_state:
            stored = settings()
            stored.setValue(SETTING_LANGUAGE, code)
            stored.sync()
        self._retranslate_window()
        self._rebuild_screens()
        self.navigation.setCurrentRow(row)
        return True

    def _check_language_action(self) -> None:
        from nrp_desktop import i18n

        action = getattr(self, "language_actions", {}).get(i18n.current().code)
        if action is not None:
            action.setChecked(True)

    def _phones_voting(self) -> bool:
        """A phone-vote server is running in this window (it would stop with its screen)."""
        import sys

        module = sys.modules.get("nrp_desktop.ui.live_panel")
        live_votes = getattr(module, "LiveVotes", None)
        if live_votes is None:
            return False
        return any(getattr(votes, "running", False) for votes in self.findChildren(live_votes))

    def _retranslate_window(self) -> None:
        """The window's own words: the navigation, the menus, the status line."""
        for row, (title, _shortcut, _factory) in enumerate(SCREENS):
            item = self.navigation.item(row)
            item.setText(self.tr(title))
            shortcut = item.data(SHORTCUT_ROLE)
            item.setToolTip(f"{item.text()} ({shortcut})" if shortcut else item.text())
        self.navigation.setAccessibleName(self.tr("Screens"))
        large_text = self.large_text_action.isChecked()
        full_screen = self.isFullScreen()
        high_contrast = self.high_contrast_action.isChecked()
        high_contrast_chosen = self._high_contrast_chosen
        self.menuBar().clear()
        self._build_menus()
        self._high_contrast_chosen = high_contrast_chosen
        self.high_contrast_action.blockSignals(True)
        self.high_contrast_action.setChecked(high_contrast)
        self.high_contrast_action.blockSignals(False)
        self.large_text_action.blockSignals(True)
        self.large_text_action.setChecked(large_text)
        self.large_text_action.blockSignals(False)
        self.full_screen_action.blockSignals(True)
        self.full_screen_action.setChecked(full_screen)
        self.full_screen_action.blockSignals(False)
        if self.library is not None:
            self.statusBar().showMessage(
                self.tr("Works offline · content version %s") % self.library.version)
        else:
            self.statusBar().showMessage(self.tr("Works offline: nothing here needs the internet."))
        self.fit_navigation()

    def _rebuild_screens(self) -> None:
        """Every screen built again in the current language, on a new document that opens the
        same session from the store (what is typed was written before, by flush_pending)."""
        if not self.screens:
            for _factory, placeholder in self._placeholders:  # not built yet: they will be
                if isinstance(placeholder, QLabel):
                    placeholder.setText(self.tr("Opening…"))
            return
        if self.remember_state:  # splitters and the like come back as they were
            stored = settings()
            for screen in self.screens.values():
                screen.save_state(stored)
            stored.sync()
        old_document = self.document
        if old_document is not None:
            old_document.changed.disconnect(self._tell_screens)
        for factory, screen in list(self.screens.items()):
            placeholder = self._placeholder()
            index = self.stack.indexOf(screen)
            self.stack.insertWidget(index, placeholder)
            self.stack.removeWidget(screen)
            screen.hide()
            screen.deleteLater()
            self._placeholders.append((factory, placeholder))
        self.screens.clear()
        self.screenshot_hooks.clear()
        if old_document is not None:
            old_document.deleteLater()
        self.document = None
        self.build_screens()
        if self.library is not None:
            for screen in self.screens.values():
                screen.set_library(self.library)
        if self.store is not None:
            for screen in self.screens.values():
                screen.attach_store(self.store)

    def set_high_contrast(self, on: bool) -> None:
        """Black text and black edges on white everywhere (View ▸ High contrast; on at start
        when the desktop asks for high contrast)."""
        from PySide6.QtWidgets import QApplication

        from nrp_desktop.ui.theme import PROJECTOR_TEXT_SCALE, set_high_contrast

        app = QApplication.instance()
        if isinstance(app, QApplication):
            scale = PROJECTOR_TEXT_SCALE if self.large_text_action.isChecked() else 1.0
            set_high_contrast(app, on, scale)
        if self.high_contrast_action.isChecked() != on:
            self.high_contrast_action.setChecked(on)

    def set_large_text(self, on: bool) -> None:
        """All screens in text big enough to read from the back of a hall (and back again)."""
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QApplication

        from nrp_desktop.ui.theme import PROJECTOR_TEXT_SCALE, set_text_scale

        # Every widget takes on the new sizes: up to a second on a slow laptop, so say so.
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            set_text_scale(QApplication.instance(), PROJECTOR_TEXT_SCALE if on else 1.0)
        finally:
            QApplication.restoreOverrideCursor()
        # The screens' names are for the facilitator at the laptop, not the back of the hall: they
        # grow less than the rest, which leaves the screens their room on a 1366×768 laptop.
        from PySide6.QtGui import QFont

        navigation_font = QFont(QApplication.font())
        if on:  # the person's own text size stays in it
            navigation_font.setPointSizeF(navigation_font.pointSizeF() * NAVIGATION_LARGE_SCALE
                                          / PROJECTOR_TEXT_SCALE)
        self.navigation.setFont(navigation_font)
        self.fit_navigation()
        if self.large_text_action.isChecked() != on:
            self.large_text_action.setChecked(on)

    def save_for_screen_reader(self) -> None:
        """The open session's handout as an accessible web page (from the Handout screen)."""
        self.flush_pending()
        handout = self.screen_named(HANDOUT)
        if handout.session is None or handout.library is None:
            from nrp_desktop.ui.widgets.announce import announce

            message = self.tr("Open a workshop session to save its handout.")
            self.statusBar().showMessage(message, 8000)
            announce(self, message, assertive=True)
            return
        self.show_screen(handout)
        handout.save_html_as()

    def fit_navigation(self) -> None:
        """The navigation grows with its text (the person's own size, or Large text), so no
        screen's name is cut short."""
        from PySide6.QtCore import Qt

        navigation = self.navigation
        navigation.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        navigation.setWordWrap(True)
        navigation.setTextElideMode(Qt.TextElideMode.ElideNone)
        metrics = navigation.fontMetrics()
        padding = 64  # the style sheet's item padding and margins, and the border
        widest = max(metrics.horizontalAdvance(navigation.item(row).text())
                     for row in range(navigation.count()))
        # Past a fifth of the window (Large text at 1280 pixels) a name wraps rather than
        # taking room the screens need; a single word is never cut.
        longest_word = max(metrics.horizontalAdvance(word) for row in range(navigation.count())
                           for word in navigation.item(row).text().split())
        width = min(max(220, widest + padding), max(220, self.width() // 5, longest_word + padding))
        navigation.setFixedWidth(width)
        room = width - padding
        for row in range(navigation.count()):
            item = navigation.item(row)
            lines = metrics.boundingRect(0, 0, room, 10_000, int(Qt.TextFlag.TextWordWrap), item.text())
            item.setSizeHint(QSize(width - 16, max(48, lines.height() + 28)))

    def _search_library(self) -> None:
        self.show_screen(self.library_page)
        self.library_page.focus_search()

    def about_text(self) -> str:
        import html

        version = self.library.version if self.library else self.tr("not loaded yet")
        return self.tr(
            "<h2>NRP Desktop %1</h2>"
            "<p>The learning of the Neighbourhood Resilience Programme (nine neighbourhoods of "
            "North West England, 2016–2019), for facilitators working with residents.</p>"
            "<p><b>Works offline.</b> Nothing in this app uses the internet.</p>"
            "<p>Content version: %2</p>"
            "<p>Your sessions, backups and logs are kept here:<br><code>%3</code></p>"
            "<p>Licences: NRP Desktop is free software (GPL 3 or later). Qt for Python "
            "(LGPL 3), SQLAlchemy (MIT), reportlab (BSD), Python-Markdown (BSD). Fonts: DejaVu "
            "Sans (free licence), Noto Naskh Arabic and Noto Emoji (SIL Open Font License "
            "1.1).</p>"
            "<p>Content written from public material about the programme; see “About this "
            "content” in the library.</p>"
        ).replace("%1", __version__).replace("%2", html.escape(version)).replace(
            "%3", html.escape(str(paths.data_dir()))
        ) + self.tr(
            "<p><b>Languages.</b> The Polish and Urdu translations are the project's own work, "
            "not a professional translator's: review and corrections by native speakers are "
            "very welcome. The bundled case studies and lessons stay in English in every "
            "language.</p>"
        )

    def show_about(self) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(self)
        box.setWindowTitle(self.tr("About NRP Desktop"))
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(self.about_text())
        box.setIconPixmap(self.windowIcon().pixmap(96, 96))
        box.exec()

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
