"""Compare halls shows each priority's actions by state, and each hall's (issue 14.5)."""

from __future__ import annotations

from conftest import two_halls_with_actions

from nrp_desktop.services.sessions import SessionStore
from nrp_desktop.ui.app import create_application
from nrp_desktop.ui.collation.parts import Column
from nrp_desktop.ui.collation.view import CollationView


def test_compare_halls_counts_actions_by_state(qtbot):
    create_application()
    with SessionStore() as store:
        ids = [store.save_session(session).id for session in two_halls_with_actions()]
        view = CollationView()
        qtbot.addWidget(view)
        view.resize(1280, 800)
        view.attach_store(store)
        view.set_checked(ids)
        with qtbot.waitSignal(view.collated, timeout=10_000):
            view.collate_button.click()
        model = view.model
        assert model.headerData(Column.ACTIONS, qtbot_orientation()) == "Actions"
        by_title = {model.index(row, Column.PRIORITY).data().split("\n")[0]:
                    model.index(row, Column.ACTIONS).data() for row in range(model.rowCount())}
        assert by_title["Fix the street lights"] == "1 started\n1 done\n1 dropped"
        assert by_title["No action here"] == "—"
        assert view.action_summary.text() == (
            "Actions by state — Church hall: 1 not started yet, 1 started, 1 done; "
            "Library room: 1 done, 1 dropped")
        view.close()


def qtbot_orientation():
    from PySide6.QtCore import Qt

    return Qt.Orientation.Horizontal
