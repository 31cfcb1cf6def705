"""How the session editor is laid out (the form): the session bar, the banner, the pages, the
shortcuts"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import (
    Qt,
)
from PySide6.QtGui import (
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from nrp_desktop.domain.session import (
    PRIORITY_TITLE_MAX,
)
from nrp_desktop.ui.document.priority_models import PriorityTableModel
from nrp_desktop.ui.document.texts import Role
from nrp_desktop.ui.session.detail import PriorityDetail
from nrp_desktop.ui.session.fields import FieldMessage, LimitedLineEdit
from nrp_desktop.ui.session.tally import TallyPanel
from nrp_desktop.ui.session.views import PriorityTableView, TitleDelegate
from nrp_desktop.ui.widgets import CurrentPageStack, ElidingComboBox, arranged, text_label
from nrp_desktop.ui.widgets.delegates import RichTextDelegate
from nrp_desktop.ui.widgets.flow_layout import FlowLayout

if TYPE_CHECKING:
    from nrp_desktop.ui.session.editor import SessionEditor

class SessionEditorForm:
    """Mixed into SessionEditor; see the module's docstring."""

    def _build_session_bar(self) -> None:
        self.session_combo = ElidingComboBox()
        self.session_combo.setObjectName("sessionChooser")
        self.session_combo.setAccessibleName(self.tr("Open a stored session (newest first)"))
        self.session_combo.setModel(self.session_list)
        self.session_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        from nrp_desktop import i18n

        # A longer language needs the room for the buttons beside it; the chooser elides.
        self.session_combo.setMinimumContentsLength(16 if i18n.current().code == "en" else 4)
        self.session_combo.activated.connect(self._session_chosen)
        self.new_button = QPushButton(self.tr("New…"))
        self.new_button.setAccessibleName(self.tr("Start a new session"))
        self.new_button.clicked.connect(self.ask_new_session)
        self.rename_button = QPushButton(self.tr("Rename…"))
        self.rename_button.setAccessibleName(self.tr("Rename the open session"))
        self.rename_button.clicked.connect(self.ask_rename_session)
        self.delete_button = QPushButton(self.tr("Delete…"))
        self.delete_button.setAccessibleName(self.tr("Delete the open session"))
        self.delete_button.clicked.connect(self.ask_delete_session)
        self.phones_button = QPushButton(self.tr("Votes from phones…"))
        self.phones_button.setAccessibleName(self.tr("Votes from phones"))  # the label, then why
        self.phones_button.setAccessibleDescription(self.tr("Let people vote on their phones"))
        self.phones_button.setToolTip(self.tr("Phones on this laptop's Wi-Fi or hotspot join by a QR code and "
                                              "place their dots; nothing goes to the internet."))
        self.phones_button.clicked.connect(self.live_votes_requested)

        self.undo_action = self.document.undo_group.createUndoAction(self, self.tr("Undo"))
        self.undo_action.setShortcuts([QKeySequence("Ctrl+Z")])
        self.redo_action = self.document.undo_group.createRedoAction(self, self.tr("Redo"))
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        for action in (self.undo_action, self.redo_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        # Short fixed labels (the actions' own text, "Undo rank by votes", goes in the tooltip)
        # so the buttons never push the tabs aside.
        self.undo_button = QPushButton(self.tr("Undo"))
        self.undo_button.clicked.connect(self.undo_action.trigger)
        self.redo_button = QPushButton(self.tr("Redo"))
        self.redo_button.clicked.connect(self.redo_action.trigger)
        self.undo_action.changed.connect(self._update_undo_buttons)
        self.redo_action.changed.connect(self._update_undo_buttons)
        self._update_undo_buttons()
        self.projector_button = QPushButton(self.tr("Show on projector"))
        self.projector_button.setAccessibleName(self.tr("Show on projector"))
        self.projector_button.setAccessibleDescription(
            self.tr("Show the ranked priorities full screen, for a projector"))
        self.projector_button.setToolTip(self.tr("Full screen, very large type (F5). Esc closes it."))
        self.projector_button.clicked.connect(self.show_projector)

        bar = QHBoxLayout()
        bar.setSpacing(8)
        self.session_label = text_label(self.tr("Session:"), buddy=self.session_combo)
        bar.addWidget(self.session_label)
        bar.addWidget(self.session_combo, 1)
        bar.addWidget(self.new_button)
        bar.addWidget(self.rename_button)
        bar.addWidget(self.delete_button)
        bar.addWidget(self.phones_button)
        self.session_bar = bar

    def _build_banner(self) -> None:
        self.banner = QFrame()
        self.banner.setObjectName("banner")
        self.banner_text = QLabel()
        self.banner_text.setWordWrap(True)
        self.banner_text.setTextFormat(Qt.TextFormat.PlainText)
        self.banner_undo = QPushButton(self.tr("Undo delete"))
        self.banner_undo.setAccessibleName(self.tr("Undo delete"))
        self.banner_undo.setAccessibleDescription(self.tr("Bring back the deleted session"))
        self.banner_undo.clicked.connect(self.undo_delete)
        self.banner_close = QPushButton(self.tr("OK"))
        self.banner_close.setAccessibleName(self.tr("OK"))
        self.banner_close.setAccessibleDescription(self.tr("Hide this message"))
        self.banner_close.clicked.connect(self.banner.hide)
        layout = QHBoxLayout(self.banner)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.banner_text, 1)
        layout.addWidget(self.banner_undo)
        layout.addWidget(self.banner_close)
        self.banner.hide()

    def _build_no_session_page(self) -> QWidget:
        page = QWidget()
        text = text_label(self.tr("No session is open. Start a new one for today's workshop, or choose a stored "
                              "session above."), "placeholder")
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        start = QPushButton(self.tr("Start a new session"))
        start.setObjectName("primary")
        start.setProperty("big", True)
        start.clicked.connect(self.ask_new_session)
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(text)
        layout.addWidget(start, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        return page

    def _build_priorities_page(self) -> None:
        self.new_priority_field = LimitedLineEdit(PRIORITY_TITLE_MAX, self.tr("a priority's title"))
        self.new_priority_field.setObjectName("newPriority")
        self.new_priority_field.setAccessibleName(self.tr("A new priority: type what the group agreed"))
        self.new_priority_field.setPlaceholderText(self.tr("New priority: type it, press Enter"))
        self.new_priority_field.returnPressed.connect(self.add_typed_priority)
        self.new_priority_field.textEdited.connect(self._preview_typed)
        self.add_button = QPushButton(self.tr("Add priority"))
        self.add_button.setObjectName("primary")
        self.add_button.setProperty("big", True)
        self.add_button.setAccessibleName(self.tr("Add priority"))
        self.add_button.setAccessibleDescription(self.tr("Add the typed priority (Ctrl+N)"))
        self.add_button.setToolTip(self.tr("Add the typed priority (Ctrl+N)"))
        self.add_button.clicked.connect(self.add_typed_priority)
        self.add_message = FieldMessage()
        self.new_priority_field.refused.connect(self.add_message.show_message)

        self.table = PriorityTableView()
        self.table.setModel(self.document.priorities)
        self.title_delegate = TitleDelegate(self.run_edit_at(None), self.table)
        self.title_delegate.typing.connect(self._title_typing)
        self.table.setItemDelegateForColumn(PriorityTableModel.TITLE, self.title_delegate)
        self.table.setItemDelegateForColumn(PriorityTableModel.DOMAINS, RichTextDelegate(self.table))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(PriorityTableModel.TITLE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(PriorityTableModel.VOTES, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(PriorityTableModel.DOMAINS, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(PriorityTableModel.GROUP, QHeaderView.ResizeMode.Interactive)
        self.table.fit_columns()
        self.table.selectionModel().currentRowChanged.connect(self._current_row_changed)
        self.table.vote_requested.connect(self.vote_selected)
        self.table.delete_requested.connect(self.delete_selected_priority)
        self.table.move_requested.connect(self.move_selected)
        self.table_message = FieldMessage()

        self.move_up_button = QPushButton("▲")
        self.move_up_button.setAccessibleName(self.tr("Move the selected priority up (Ctrl+Up)"))
        self.move_up_button.setToolTip(self.tr("Move up the ranking (Ctrl+Up)"))
        self.move_up_button.clicked.connect(lambda: self.move_selected(-1))
        self.move_up_button.setObjectName("arrowButton")
        self.move_down_button = QPushButton("▼")
        self.move_down_button.setAccessibleName(self.tr("Move the selected priority down (Ctrl+Down)"))
        self.move_down_button.setToolTip(self.tr("Move down the ranking (Ctrl+Down)"))
        self.move_down_button.clicked.connect(lambda: self.move_selected(1))
        self.move_down_button.setObjectName("arrowButton")
        self.delete_priority_button = QPushButton(self.tr("Delete"))
        self.delete_priority_button.setAccessibleName(self.tr("Delete the selected priority (Delete; Ctrl+Z undoes)"))
        self.delete_priority_button.setToolTip(self.tr("Delete the selected priority (Delete). Ctrl+Z brings it back."))
        self.delete_priority_button.clicked.connect(self.delete_selected_priority)

        self.vote_down_button = QPushButton("−")
        self.vote_down_button.setObjectName("voteButton")
        self.vote_down_button.setAccessibleName(self.tr("Take one vote away from the selected priority (− key)"))
        self.vote_down_button.setToolTip(self.tr("One vote fewer (− or Ctrl+−)"))
        self.vote_down_button.clicked.connect(lambda: self.vote_selected(-1))
        self.vote_up_button = QPushButton("+")
        self.vote_up_button.setObjectName("voteButton")
        self.vote_up_button.setAccessibleName(self.tr("Add one vote to the selected priority (+ key)"))
        self.vote_up_button.setToolTip(self.tr("One vote more (+ or Ctrl+=)"))
        self.vote_up_button.clicked.connect(lambda: self.vote_selected(1))
        self.vote_count = QLabel(self.tr("no priority chosen"))
        self.vote_count.setObjectName("voteCount")
        self.vote_count.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.vote_count.setMinimumWidth(96)

        self.tally_button = QPushButton(self.tr("Count dots…"))
        self.tally_button.setCheckable(True)
        self.tally_button.setAccessibleName(self.tr("Count dots"))
        self.tally_button.setAccessibleDescription(self.tr("Tally mode: count paper dots table by table"))
        self.tally_button.setToolTip(self.tr("Count paper sticker dots table by table"))
        self.tally_button.toggled.connect(self.set_tally_mode)
        self.rank_button = QPushButton(self.tr("Rank by votes"))
        self.rank_button.setAccessibleName(self.tr("Rank by votes"))
        self.rank_button.setAccessibleDescription(self.tr("Put the priorities in order of votes, most first"))
        self.rank_button.clicked.connect(self.rank_by_votes)

        add_row = QHBoxLayout()
        add_row.addWidget(self.new_priority_field, 1)
        add_row.addWidget(self.add_button)
        vote_row = QHBoxLayout()
        vote_row.setSpacing(8)
        vote_row.addWidget(self.vote_down_button)
        vote_row.addWidget(self.vote_count)
        vote_row.addWidget(self.vote_up_button)
        vote_row.addStretch(1)
        vote_row.addWidget(self.move_up_button)
        vote_row.addWidget(self.move_down_button)
        # A row that wraps (Large text, a narrow window) rather than cutting its buttons' labels.
        tally_row = QWidget()
        tally_flow = FlowLayout(tally_row)
        tally_flow.setContentsMargins(0, 0, 0, 0)
        for button in (self.tally_button, self.rank_button, self.delete_priority_button):
            tally_flow.addWidget(button)
        wrapping = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        wrapping.setHeightForWidth(True)
        tally_row.setSizePolicy(wrapping)

        left = arranged([add_row, self.add_message, (self.table, 1), self.table_message, vote_row,
                         tally_row], margins=(0, 8, 8, 0))

        self.detail = PriorityDetail(cast("SessionEditor", self))
        self.detail.title_typing.connect(self._title_typing)
        self.detail.open_link_requested.connect(self.open_link_requested)
        self.detail.suggestion_view.setModel(self.suggestion_model)
        self.detail.suggestion_view.button_delegate.clicked.connect(self.accept_suggestion)
        self.detail.suggestion_view.activated_row.connect(self.accept_suggestion)
        self.detail.suggestion_view.doubleClicked.connect(
            lambda index: self.open_link_requested.emit(index.data(Role.LINK)))
        self.tally = TallyPanel(cast("SessionEditor", self))
        self.tally.finished.connect(lambda: self.tally_button.setChecked(False))
        self.no_priority = text_label(self.tr("Choose a priority in the list to see its details, actions and lessons, "
                                          "or add one."), "placeholder")
        self.no_priority.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.right = CurrentPageStack()  # as narrow as the page it shows (large text, 1024 px)
        self.right.addWidget(self.no_priority)
        self.right.addWidget(self.detail)
        self.right.addWidget(self.tally)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.right)
        self.splitter.setStretchFactor(0, 5)
        self.splitter.setStretchFactor(1, 4)
        self.priorities_page = self.splitter

    def _build_shortcuts(self) -> None:
        def shortcut(keys: str, slot: Callable[[], Any]) -> None:
            QShortcut(QKeySequence(keys), cast(QWidget, self), slot,
                      context=Qt.ShortcutContext.WidgetWithChildrenShortcut)

        shortcut("Ctrl+N", self.add_priority_shortcut)
        shortcut("Ctrl+=", lambda: self.vote_selected(1))
        shortcut("Ctrl++", lambda: self.vote_selected(1))
        shortcut("Ctrl+-", lambda: self.vote_selected(-1))
        shortcut("F5", self.show_projector)
