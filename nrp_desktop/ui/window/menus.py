"""The main window's menus, and what they switch: Large text, High contrast, the language (every
screen built again in it), the navigation's width, and the About box. A mixin of `MainWindow`
(ui/main_window.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel

from nrp_desktop import __version__, paths
from nrp_desktop.ui.window.basics import (
    APPEARANCES,
    NAVIGATION_LARGE_SCALE,
    SCREENS,
    SETTING_LANGUAGE,
    SHORTCUT_ROLE,
    set_shortcut,
    settings,
)

if TYPE_CHECKING:  # to mypy a window; at run time a plain mixin, MainWindow brings the QMainWindow
    from PySide6.QtWidgets import QMainWindow as _Window

    from nrp_desktop.ui.document.document import SessionDocument
else:
    _Window = object


class MainWindowMenus(_Window):
    """The menu bar of `MainWindow` and the view settings it switches."""

    # Set in MainWindow.__init__ (an annotation only: nothing is made here).
    document: SessionDocument | None

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
        view_menu.addMenu(self._appearance_menu())
        view_menu.addMenu(self._language_menu())
        self.view_menu = view_menu

        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        about = QAction(self.tr("&About NRP Desktop"), self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    def _appearance_menu(self) -> Any:
        """View ▸ Appearance: follow the desktop's light or dark scheme, or choose one."""
        from PySide6.QtGui import QActionGroup
        from PySide6.QtWidgets import QMenu

        menu = QMenu(self.tr("&Appearance"), self)
        menu.setObjectName("appearanceMenu")
        group = QActionGroup(menu)
        group.setExclusive(True)
        self.appearance_actions: dict[str, QAction] = {}
        texts = {"system": self.tr("Follow the &system"), "light": self.tr("&Light"),
                 "dark": self.tr("&Dark")}
        for choice in APPEARANCES:
            action = QAction(texts[choice], menu)
            action.setCheckable(True)
            action.setChecked(choice == self.appearance)
            action.triggered.connect(lambda _checked=False, chosen=choice: self.set_appearance(chosen))
            group.addAction(action)
            menu.addAction(action)
            self.appearance_actions[choice] = action
        return menu

    # The appearance chosen (one of APPEARANCES); the window starts as the desktop is.
    appearance = "system"

    def set_appearance(self, choice: str) -> None:
        """Light, dark, or as the desktop's colour scheme is (and follow it while running).
        High contrast, while on, stays black on white; the choice shows again once it is off."""
        if choice not in APPEARANCES:
            raise ValueError(f"unknown appearance {choice!r}: must be one of {', '.join(APPEARANCES)}")
        self.appearance = choice
        action = getattr(self, "appearance_actions", {}).get(choice)
        if action is not None and not action.isChecked():
            action.setChecked(True)
        self._apply_appearance()

    def wants_dark(self) -> bool:
        from nrp_desktop.ui import theme

        return self.appearance == "dark" or (self.appearance == "system" and theme.system_prefers_dark())

    def _apply_appearance(self) -> None:
        """Dark or light as chosen, only when that changes (the desktop telling the scheme again
        changes nothing, and nothing here makes the desktop tell it)."""
        from PySide6.QtWidgets import QApplication

        from nrp_desktop.ui import theme
        from nrp_desktop.ui.theme import PROJECTOR_TEXT_SCALE

        app = QApplication.instance()
        if not isinstance(app, QApplication):
            return
        dark = self.wants_dark()
        if bool(app.property(theme.DARK_PROPERTY)) == dark:
            return
        scale = PROJECTOR_TEXT_SCALE if self.large_text_action.isChecked() else 1.0
        theme.set_dark(app, dark, scale)
        self._size_navigation(self.large_text_action.isChecked())

    def follow_system_colour_scheme(self) -> None:
        """The desktop's colour scheme changed while the window runs."""
        if self.appearance == "system":
            self._apply_appearance()

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
            self._size_navigation(self.large_text_action.isChecked())
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
        self._size_navigation(on)
        if self.large_text_action.isChecked() != on:
            self.large_text_action.setChecked(on)


    def _size_navigation(self, large: bool) -> None:
        """The screens' names are for the facilitator at the laptop, not the back of the hall:
        in large text they grow less than the rest, which leaves the screens their room on a
        1366×768 laptop. Again after each new style sheet (a new look), which sizes them anew."""
        from PySide6.QtGui import QFont
        from PySide6.QtWidgets import QApplication

        from nrp_desktop.ui.theme import PROJECTOR_TEXT_SCALE

        navigation_font = QFont(QApplication.font())
        if large:  # the person's own text size stays in it
            navigation_font.setPointSizeF(navigation_font.pointSizeF() * NAVIGATION_LARGE_SCALE
                                          / PROJECTOR_TEXT_SCALE)
        self.navigation.setFont(navigation_font)
        self.fit_navigation()

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

