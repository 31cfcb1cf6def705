"""The Workshop session screen: the open session's document (where every edit runs), its item
models, the undoable commands, the editor and the projector."""
