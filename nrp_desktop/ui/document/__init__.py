"""The open session's document: the one place session edits run (as undoable commands), what
each operation changed (`SessionDocument.changed`), and the models of its priorities. The main
window owns it and hands it to the screens that edit sessions; it belongs to no one screen."""
