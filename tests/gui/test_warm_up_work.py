"""Warm-up work belongs to the session the facilitator names first (issue 12, item 4), through
the real window: compass scores and a priority from "Explore what worked" made before any
session is chosen, then a session named; the tool's choices (cards, who is here, who is not)
are kept with that session and are there again after the window is closed and opened again on
the same data folder. Opening a stored session instead offers to move the warm-up into it."""

from __future__ import annotations

import datetime as dt

from conftest import WindowDriver

EXAMPLE_ID = "0b6f3a52-8d1e-4c1b-9a8e-2f6f0d7c4e11"
SESSION_CHOOSER = "Open a stored session (newest first)"
NAMED = "Thursday at the library"
SOCIAL_3 = "Social connectedness: 3 out of 7"


def start_again(qtbot) -> WindowDriver:
    from nrp_desktop.ui.app import start_window

    window = start_window()
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.library is not None and window.store is not None, timeout=30_000)
    return WindowDriver(window, qtbot)


def warm_up(app_window: WindowDriver, library):
    """Cards, who is here and who is not, a compass score and a priority: no session chosen."""
    assert app_window.window.document.session is None
    card = library.tool_cards[0]
    here, away = library.tool_players[0], library.tool_players[1]
    tool = app_window.go_to("Explore what worked")
    app_window.click(card.title)
    app_window.click(tool.next_button.accessibleName())  # on to step 2
    app_window.wait_until(lambda: tool.player_rows[here.slug].here.isVisible())
    app_window.click(tool.player_rows[here.slug].here.accessibleName())
    app_window.click(tool.player_rows[away.slug].away.accessibleName())
    app_window.go_to("Compass")
    app_window.click(SOCIAL_3)
    tool = app_window.go_to("Explore what worked")
    tool.go_to_step(5)
    app_window.wait_until(lambda: tool.priority_buttons[card.slug].isVisible())
    app_window.click(f"Make “{card.title}” a priority")
    tool.go_to_step(2)
    return card, here, away


def test_warm_up_work_goes_into_the_session_named_first_and_survives_a_restart(
        app_window: WindowDriver, library, qtbot):
    from nrp_desktop.ui.worker import wait_for_background_work

    card, here, away = warm_up(app_window, library)
    store = app_window.window.store
    before = {summary.id for summary in store.list_sessions()}
    editor = app_window.go_to("Workshop session")
    editor.new_session(NAMED, dt.date(2026, 12, 3))  # what the "New session" dialog does

    named = editor.current_session()
    assert named.title == NAMED and named.date == dt.date(2026, 12, 3)
    assert named.ratings == {"social-connectedness": 3}
    assert [priority.title for priority in named.priorities] == [card.title]
    # One session for the evening: the warm-up did not leave a session of its own behind.
    assert named.id in before and len(store.list_sessions()) == len(before)
    assert [s.title for s in store.list_sessions()].count(NAMED) == 1
    assert not any(s.title.startswith("Workshop ") for s in store.list_sessions())

    # Close the window and open it again on the same data folder.
    app_window.window.close()
    wait_for_background_work()
    again = start_again(qtbot)
    try:
        editor = again.window.screen_named("nrp_desktop.ui.session.editor:SessionEditor")
        again.wait_until(lambda: editor.current_session() is not None)
        assert editor.current_session().id == named.id
        tool = again.go_to("Explore what worked")
        assert tool.step == 2
        assert tool.state.chosen_cards == [card.slug]
        assert tool.card_buttons[card.slug].isChecked()
        assert tool.player_rows[here.slug].here.isChecked()
        assert tool.player_rows[away.slug].away.isChecked()
        compass = again.go_to("Compass")
        assert compass.rating("social-connectedness") == 3
        # Another session shows its own choices (none yet), and back again shows these.
        again.go_to("Workshop session")
        again.choose(SESSION_CHOOSER, "Residents' evening")
        tool = again.go_to("Explore what worked")
        assert tool.state.chosen_cards == [] and not tool.card_buttons[card.slug].isChecked()
        again.go_to("Workshop session")
        again.choose(SESSION_CHOOSER, NAMED)
        tool = again.go_to("Explore what worked")
        assert tool.state.chosen_cards == [card.slug]
    finally:
        again.window.close()
        wait_for_background_work()


def test_opening_a_stored_session_offers_to_move_the_warm_up_into_it(
        app_window: WindowDriver, library, dialogs):
    card, _here, _away = warm_up(app_window, library)
    store = app_window.window.store
    warm_up_id = app_window.window.document.session_id
    example_before = store.load_session(EXAMPLE_ID)
    app_window.go_to("Workshop session")
    app_window.choose(SESSION_CHOOSER, "Residents' evening")
    assert [title for title, *_rest in dialogs.shown] == ["Move the warm-up work?"]
    assert "the compass scores and 1 priority went into “Workshop " in dialogs.texts[0]
    example = store.load_session(EXAMPLE_ID)
    assert example.ratings["social-connectedness"] == 3
    assert [p.title for p in example.priorities] == [*(p.title for p in example_before.priorities), card.title]
    assert not store.session_exists(warm_up_id)
    tool = app_window.go_to("Explore what worked")
    assert tool.state.chosen_cards == [card.slug]  # the tool's choices went along
