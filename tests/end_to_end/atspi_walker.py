"""Walks the accessible tree of NRP Desktop over AT-SPI, as Orca sees it (run with the system
Python, which has pyatspi; by test_atspi_walk.py). Every screen is opened from the navigation
through AT-SPI itself (its Selection interface, as an assistive tool would), and every shown
interactive object without a name is reported. Prints one JSON object."""

from __future__ import annotations

import json
import sys
import time

import pyatspi

APP_NAME = "NRP Desktop"
INTERACTIVE = {
    pyatspi.ROLE_PUSH_BUTTON, pyatspi.ROLE_TOGGLE_BUTTON, pyatspi.ROLE_RADIO_BUTTON,
    pyatspi.ROLE_CHECK_BOX, pyatspi.ROLE_COMBO_BOX, pyatspi.ROLE_ENTRY, pyatspi.ROLE_PASSWORD_TEXT,
    pyatspi.ROLE_SPIN_BUTTON, pyatspi.ROLE_SLIDER, pyatspi.ROLE_LIST, pyatspi.ROLE_LIST_BOX,
    pyatspi.ROLE_TABLE, pyatspi.ROLE_TREE, pyatspi.ROLE_PAGE_TAB, pyatspi.ROLE_LINK,
    pyatspi.ROLE_MENU_ITEM, pyatspi.ROLE_CHECK_MENU_ITEM, pyatspi.ROLE_LIST_ITEM,
    pyatspi.ROLE_TABLE_CELL, pyatspi.ROLE_TEXT, pyatspi.ROLE_SCROLL_BAR,
}
MAX_CHILDREN = 60  # of one list or table: the first rows tell how every row is named


def find_app(timeout: float = 60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        desktop = pyatspi.Registry.getDesktop(0)
        for index in range(desktop.childCount):
            app = desktop.getChildAtIndex(index)
            if app is not None and app.name == APP_NAME and app.childCount:
                return app
        time.sleep(0.5)
    raise SystemExit(f"{APP_NAME} never appeared on the accessibility bus")


def find(root, predicate, depth: int = 0):
    if predicate(root):
        return root
    if depth > 30:
        return None
    for index in range(min(root.childCount, 500)):
        child = root.getChildAtIndex(index)
        if child is not None:
            found = find(child, predicate, depth + 1)
            if found is not None:
                return found
    return None


def walk(node, path: str, found: dict, depth: int = 0) -> None:
    states = node.getState()
    if not states.contains(pyatspi.STATE_SHOWING):
        return
    role = node.getRole()
    if role in INTERACTIVE:
        found["interactive"] += 1
        if not (node.name or "").strip():
            found["unnamed"].append(f"{path} > {node.getRoleName()} (child of {node.parent.getRoleName()}"
                                    f" {node.parent.name!r})")
    if depth > 40:
        return
    count = node.childCount
    limit = MAX_CHILDREN if role in (pyatspi.ROLE_LIST, pyatspi.ROLE_TABLE, pyatspi.ROLE_LIST_BOX) else 400
    for index in range(min(count, limit)):
        child = node.getChildAtIndex(index)
        if child is not None:
            walk(child, f"{path} > {node.getRoleName()} {node.name!r}"[-160:], found, depth + 1)


def collect_labels(node, labels: list[str], depth: int = 0) -> None:
    if not node.getState().contains(pyatspi.STATE_SHOWING) or depth > 40 or len(labels) > 60:
        return
    if node.getRole() == pyatspi.ROLE_LABEL and node.name:
        labels.append(node.name)
    for index in range(min(node.childCount, 200)):
        child = node.getChildAtIndex(index)
        if child is not None and child.getRole() not in (pyatspi.ROLE_LIST, pyatspi.ROLE_TABLE):
            collect_labels(child, labels, depth + 1)


def main() -> int:
    app = find_app()
    frame = next(app.getChildAtIndex(i) for i in range(app.childCount)
                 if app.getChildAtIndex(i).getRole() == pyatspi.ROLE_FRAME)
    navigation = find(frame, lambda n: n.name == "Screens" and n.getRole() in (
        pyatspi.ROLE_LIST, pyatspi.ROLE_LIST_BOX, pyatspi.ROLE_TABLE))
    if navigation is None:
        raise SystemExit("no navigation list named 'Screens'")
    items = [navigation.getChildAtIndex(i) for i in range(navigation.childCount)]
    items = [item for item in items if item is not None and item.getRole() == pyatspi.ROLE_LIST_ITEM]
    report = {"screens": []}
    selection = navigation.querySelection()
    for index, item in enumerate(items):
        selection.selectChild(index)
        time.sleep(1.5)  # the screen switches (and lays itself out)
        found = {"screen": item.name, "interactive": 0, "unnamed": []}
        walk(frame, "window", found)
        found["selected"] = item.getState().contains(pyatspi.STATE_SELECTED)
        labels: list[str] = []  # what the screen shows, to tell which screen it is
        collect_labels(frame, labels)
        found["labels"] = labels[:60]
        report["screens"].append(found)
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
