"""The one rule for text a person typed or a file carried: Qt never reads it as rich text.

Qt guesses that any string which looks like HTML *is* HTML, in labels, tooltips and message
boxes alike: a session title such as `x<b>y</b><img src="/dev/zero">` would make a label read
/dev/zero until memory runs out. So every place in ui/ that shows such text goes through here:

- labels: `plain_label()` / `set_plain_text()` (Qt.TextFormat.PlainText);
- inside rich text that the app writes itself (item delegates, About): `escaped()`;
- tooltips, which have no format setting: `plain_tooltip()` (escaped, inside rich text that
  keeps line breaks);
- questions and messages: `ask()` and `tell()` (message boxes in plain text; never the static
  QMessageBox helpers, which guess).

The status bar, window titles, buttons, combo boxes, tabs and plain item views draw their text
as it is, so they need nothing.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget


def escaped(text: str) -> str:
    """`text` for a place inside rich text: every character shown as itself."""
    return html.escape(text, quote=True)


def plain_tooltip(text: str) -> str:
    """A tooltip that shows `text` exactly (and none at all for empty text)."""
    if not text:
        return ""
    return "<p style='white-space:pre-wrap'>" + escaped(text) + "</p>"


def plain_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    return label


def set_plain_text(label: QLabel, text: str) -> None:
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)


def message_box(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str,
                detail: str = "") -> QMessageBox:
    """A message box whose text and detail are shown as plain text."""
    box = QMessageBox(icon, title, "", QMessageBox.StandardButton.NoButton, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    if detail:
        box.setInformativeText(detail)
    return box


def ask(parent: QWidget | None, title: str, text: str, detail: str = "", yes_text: str = "",
        default_yes: bool = True) -> bool:
    """A yes-or-no question in plain text; True for yes."""
    box = message_box(parent, QMessageBox.Icon.Question, title, text, detail)
    no = QMessageBox.StandardButton.No if not yes_text else QMessageBox.StandardButton.Cancel
    box.setStandardButtons(QMessageBox.StandardButton.Yes | no)
    if yes_text:
        box.button(QMessageBox.StandardButton.Yes).setText(yes_text)
    box.setDefaultButton(QMessageBox.StandardButton.Yes if default_yes else no)
    return box.exec() == QMessageBox.StandardButton.Yes


def tell(parent: QWidget | None, title: str, text: str, detail: str = "",
         icon: QMessageBox.Icon = QMessageBox.Icon.Warning) -> None:
    """A message in plain text, with one OK button."""
    box = message_box(parent, icon, title, text, detail)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.exec()
