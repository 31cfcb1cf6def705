"""Telling a screen reader what an action changed: the one way every screen announces."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent

# Everything said, newest last, with its politeness ("polite" or "assertive"): what the tests
# read (a screen reader hears the same event). Kept short.
_HISTORY_LIMIT = 50
spoken: list[tuple[str, str]] = []
# Called with (message, politeness) after each announcement, for tests that spy on it.
listeners: list[Callable[[str, str], None]] = []


def announce(source: QObject, message: str, assertive: bool = False) -> None:
    """Say `message` through Qt's accessibility announcement, from `source` (the widget the
    action happened in). Polite waits for the reader to finish; assertive (a refusal)
    interrupts. Does nothing visible; pair it with what the screen shows."""
    if not message:
        return
    politeness = "assertive" if assertive else "polite"
    event = QAccessibleAnnouncementEvent(source, message)
    event.setPoliteness(QAccessible.AnnouncementPoliteness.Assertive if assertive
                        else QAccessible.AnnouncementPoliteness.Polite)
    QAccessible.updateAccessibility(event)
    spoken.append((message, politeness))
    del spoken[:-_HISTORY_LIMIT]
    for listener in list(listeners):
        listener(message, politeness)
