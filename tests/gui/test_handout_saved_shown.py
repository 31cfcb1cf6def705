"""Handout ▸ Save as PDF… in the real main window: once the file is written the window says so
where a facilitator sees it (the status bar), not only to a screen reader."""

from __future__ import annotations

from pathlib import Path

from conftest import WindowDriver, open_example


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
