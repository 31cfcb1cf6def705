"""Handout ▸ Save as PDF… in the real main window: once the file is written the window says so
where a facilitator sees it (the status bar), not only to a screen reader; in Urdu the path is set
apart, so its leading "/" is not carried to the other end of the right-to-left line."""

from __future__ import annotations

from pathlib import Path

from conftest import WindowDriver, open_example

from nrp_desktop import i18n


def test_saving_the_handout_says_where_in_the_status_bar(app_window: WindowDriver, tmp_path: Path):
    open_example(app_window)
    handout = app_window.go_to("Handout")
    app_window.wait_until(lambda: handout.pdf is not None and app_window.button("Save as PDF…").isEnabled(),
                          timeout=30_000)
    target = tmp_path / "evening.pdf"
    assert handout.save_to(str(target))
    assert target.read_bytes().startswith(b"%PDF")
    message = app_window.window.statusBar().currentMessage()
    assert message.startswith("Handout saved to") and str(target) in message, message


def test_in_urdu_the_saved_path_keeps_its_own_direction(app_window: WindowDriver, tmp_path: Path):
    open_example(app_window)
    window = app_window.window
    try:
        assert window.set_language("ur")
        handout = window.screen_named("nrp_desktop.ui.handout.view:HandoutView")
        window.show_screen(handout)
        app_window.wait_until(lambda: handout.pdf is not None and handout.save_button.isEnabled(), timeout=30_000)
        target = tmp_path / "evening.pdf"
        assert handout.save_to(str(target))
        message = window.statusBar().currentMessage()
        assert i18n.isolate(str(target)) in message, message
    finally:
        window.set_language("en")
