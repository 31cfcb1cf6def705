"""Text a person typed or a file carried is never read as rich text, anywhere in the window.

A colleague's session file whose title is `x<b>y</b><img src="/dev/zero">` made the window read
/dev/zero until memory ran out: Qt takes any string that looks like HTML for HTML, in labels,
tooltips and message boxes alike. Here every text field of a stored session carries such markup,
the real window shows it on every screen, and every label, tooltip, item and question is checked:
the markup must be shown as the characters it is, never interpreted.
"""

from __future__ import annotations

import datetime as dt
import json

from conftest import WindowDriver, store_sessions
from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLabel, QMessageBox, QWidget

from nrp_desktop.domain.session import Action, Priority, Session
from nrp_desktop.ui.widgets.delegates import RICH_TEXT_ROLE

# The picture is one that does not exist: with /dev/zero, a regression would not fail the test
# but eat the machine's memory (Qt lays out a rich label, and loads its pictures, to size it).
MARKUP = '<b>y</b><img src="/nonexistent/nrp-hostile.png">'
HOSTILE = "x" + MARKUP
RAW = "<b>y</b>"  # what shows that the markup, or a shortened piece of it, is there unescaped
HOSTILE_ID = "6a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d"


def hostile_session(title: str = HOSTILE) -> Session:
    return Session(
        id=HOSTILE_ID, title=title, date=dt.date(2026, 11, 30), venue="Hall " + MARKUP,
        neighbourhood="Estate " + MARKUP, facilitator="Sam " + MARKUP, notes="Notes " + MARKUP,
        groups=["Table " + MARKUP], ratings={"social-connectedness": 3},
        priorities=[
            Priority("Alleys " + MARKUP, description="Described " + MARKUP, notes="Noted " + MARKUP,
                     votes=4, group="Table " + MARKUP, domains=["environmental-conditions"],
                     lessons=["no-such-lesson-" + "x" * 3],
                     actions=[Action("Do " + MARKUP, "Who " + MARKUP, "When " + MARKUP)]),
            Priority("Debt " + MARKUP, votes=2),
        ],
    )


def _all_widgets() -> list[QWidget]:
    widgets: list[QWidget] = []
    for top in QApplication.topLevelWidgets():
        widgets.append(top)
        widgets.extend(top.findChildren(QWidget))
    return widgets


def _model_texts(view: QAbstractItemView) -> list[tuple[str, object]]:
    model = view.model()
    if model is None:
        return []
    found = []
    columns = 1 if isinstance(model, QAbstractListModel) else max(1, model.columnCount(QModelIndex()))
    for row in range(model.rowCount(QModelIndex())):
        for column in range(columns):
            index = model.index(row, column)
            for role_name, role in (("tooltip", Qt.ItemDataRole.ToolTipRole), ("rich text", RICH_TEXT_ROLE)):
                value = index.data(role)
                if isinstance(value, str) and RAW in value:
                    found.append((f"{type(view).__name__} {view.accessibleName()!r} row {row} {role_name}", value))
    return found


def interpreted_anywhere() -> list[str]:
    """Every place where the raw markup would be read as rich text."""
    faults = []
    for widget in _all_widgets():
        if isinstance(widget, QLabel) and RAW in widget.text() and (
                widget.textFormat() != Qt.TextFormat.PlainText):
            faults.append(f"label {widget.objectName()!r}: {widget.text()!r}")
        if RAW in widget.toolTip():
            faults.append(f"tooltip of {type(widget).__name__} {widget.accessibleName()!r}")
        if isinstance(widget, QAbstractItemView):
            faults.extend(f"{where}: {value!r}" for where, value in _model_texts(widget))
    return faults


def test_markup_in_a_stored_session_is_shown_as_text_everywhere(app_window: WindowDriver, dialogs):
    store_sessions(hostile_session())
    window = app_window.window
    window.document.session_replaced(HOSTILE_ID, open_it=True)
    assert interpreted_anywhere() == []

    editor = app_window.go_to("Workshop session")
    editor.select_priority(editor.document.priority_ids()[0])
    editor.detail.tabs.setCurrentIndex(1)  # the actions
    assert interpreted_anywhere() == []
    editor.tabs.setCurrentIndex(1)  # the session details
    assert interpreted_anywhere() == []
    editor.tabs.setCurrentIndex(0)
    editor.tally_button.setChecked(True)  # the tally panel lists every priority's title
    assert interpreted_anywhere() == []
    editor.tally_button.setChecked(False)
    app_window.click("Add one vote to the selected priority (+ key)")  # undo's tooltip names the priority
    assert "<b>y</b>" in editor.undo_action.text()
    assert interpreted_anywhere() == []

    collation = app_window.go_to("Compare halls")
    collation.set_checked([HOSTILE_ID])
    collation.collate_checked()
    app_window.wait_until(lambda: collation.collation is not None)
    assert interpreted_anywhere() == []

    for label in ("Handout", "Compass", "Library"):
        app_window.go_to(label)
        assert interpreted_anywhere() == []

    # The question before deleting names the session: asked in plain text.
    dialogs.answer = QMessageBox.StandardButton.Cancel
    app_window.go_to("Workshop session")
    app_window.click("Delete the open session")
    assert [(MARKUP in text, text_format) for _t, text, _d, text_format in dialogs.shown] == [
        (True, Qt.TextFormat.PlainText)]


def test_the_replace_question_of_an_import_is_plain_text(app_window: WindowDriver, dialogs, tmp_path):
    from nrp_desktop.services.session_file import write_session_file

    store_sessions(hostile_session())
    copy = tmp_path / "copy.nrpsession"
    write_session_file(hostile_session(), str(copy), None)
    document = json.loads(copy.read_text(encoding="utf-8"))
    assert document["session"]["title"] == HOSTILE
    dialogs.answer = QMessageBox.StandardButton.No
    assert app_window.window.import_files([str(copy)]) == []
    assert len(dialogs.shown) == 1
    _title, text, _detail, text_format = dialogs.shown[0]
    assert HOSTILE in text and text_format == Qt.TextFormat.PlainText


def test_a_search_for_markup_shows_the_query_as_typed(app_window: WindowDriver):
    app_window.go_to("Library")
    app_window.type_into("Search the library", "zzz" + MARKUP, enter=True)
    assert any(MARKUP in text for text in app_window.visible_texts())
    assert interpreted_anywhere() == []


def test_questions_and_messages_go_through_the_one_plain_text_helper():
    """QMessageBox's static helpers guess the text format: ui/ asks through plain_text only."""
    import re
    from pathlib import Path

    import nrp_desktop.ui

    guessing = re.compile(r"QMessageBox\.(question|warning|information|critical|about)\(")
    found = [f"{path.name}:{number}" for path in Path(nrp_desktop.ui.__file__).parent.rglob("*.py")
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if guessing.search(line)]
    assert found == []
