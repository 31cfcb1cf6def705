"""The history of a group (issue 14.5): the chain's sessions with their actions, and the compass
over time, walked by the same rule as `nrp-desktop history`."""

from __future__ import annotations

import datetime as dt

from nrp_desktop.domain.session import Action, Priority, Session
from nrp_desktop.services.followup import create_follow_up
from nrp_desktop.services.sessions import SessionStore
from nrp_desktop.ui.app import create_application
from nrp_desktop.ui.session.history import SessionHistoryDialog


def cells(dialog: SessionHistoryDialog) -> list[list[str]]:
    table = dialog.table
    return [[table.item(row, column).text() for column in range(table.columnCount())]
            for row in range(table.rowCount())]


def test_the_history_lists_each_session_its_actions_and_the_compass_over_time(qtbot):
    create_application()
    with SessionStore() as store:
        first = store.save_session(Session(
            "First evening", dt.date(2026, 3, 18),
            ratings={"social-connectedness": 3, "economic-resources": 2},
            priorities=[Priority("Rubbish", actions=[Action("Clean-up day"), Action("Photos")])]))
        second = create_follow_up(store, first.id, "Three months on", dt.date(2026, 6, 17)).session
        actions = [a for p in store.load_session(second.id).priorities for a in p.actions]
        store.set_action_status(second.id, actions[0].id, "done", "Held in May")
        store.set_ratings(second.id, {"social-connectedness": 5})
        third = create_follow_up(store, second.id, "Six months on", dt.date(2026, 9, 16)).session

        dialog = SessionHistoryDialog(store, second.id)
        qtbot.addWidget(dialog)
        assert [dialog.table.horizontalHeaderItem(c).text() for c in range(dialog.table.columnCount())] == [
            "Date", "Session", "Actions agreed", "Done", "Started", "Not started yet", "Dropped"]
        assert cells(dialog) == [
            ["18 March 2026", "First evening", "2", "0", "0", "2", "0"],
            ["17 June 2026", "Three months on", "2", "1", "0", "1", "0"],
            ["16 September 2026", "Six months on", "1", "0", "0", "1", "0"],  # the done one stays behind
        ]
        assert dialog.table.item(1, 1).font().bold() and not dialog.table.item(0, 1).font().bold()
        chart = dialog.chart
        assert chart.series("social-connectedness") == [3, 5, None]
        assert chart.series("economic-resources") == [2, None, None]
        assert "Social connectedness: 3, 5, not rated" in chart.accessibleDescription()
        assert dialog.notes.isHidden()
        assert [e.id for e in dialog.entries] == [first.id, second.id, third.id]
        chart.grab()  # paints without a fault (Qt warnings fail the test)


def test_a_loop_made_elsewhere_is_shown_once_and_said_once(qtbot):
    create_application()
    with SessionStore() as store:
        a = Session("A", dt.date(2027, 1, 1), id="aaaaaaaa-0000-4000-8000-000000000000",
                    follows="bbbbbbbb-0000-4000-8000-000000000000", ratings={"cultural-coherence": 4})
        b = Session("B", dt.date(2027, 2, 1), id="bbbbbbbb-0000-4000-8000-000000000000", follows=a.id)
        store.save_session(a)
        store.save_session(b)
        dialog = SessionHistoryDialog(store, a.id)
        qtbot.addWidget(dialog)
        assert [row[1] for row in cells(dialog)] == ["B", "A"]
        assert not dialog.notes.isHidden()
        assert dialog.notes.text().count("loop") == 1
        dialog.chart.grab()
