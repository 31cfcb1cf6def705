"""The session editor's lesson suggestions while a priority is typed or chosen: asked for after
a short pause in typing, shown under the title, accepted with one click.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QLineEdit,
)

from nrp_desktop import i18n
from nrp_desktop.ui.session.fields import SUGGESTION_LIMIT
from nrp_desktop.ui.widgets.announce import announce


class SuggestionActions:
    """Suggesting lessons for the session editor (mixed into SessionEditor)."""

    def schedule_suggestions(self) -> None:
        self.suggest_timer.start()

    def _title_typing(self, _text: str) -> None:
        self._preview_text = ""
        self.schedule_suggestions()

    def _preview_typed(self, text: str) -> None:
        self._preview_text = text
        self.add_message.clear_message()
        self.schedule_suggestions()

    def update_suggestions(self) -> None:
        """The lessons that fit the text being typed (the new priority's, or the chosen one's
        title) and the chosen priority's domains, best first; linked lessons are left out."""
        self.suggest_timer.stop()
        detail = self.detail
        priority_id = self.selected_priority_id()
        priority = self.document.priority(priority_id) if priority_id else None
        preview = bool(self._preview_text.strip())
        if preview:
            text, domains, linked = self._preview_text, [], []
        elif priority is not None:
            editor = self.table.focusWidget() if self.table.state() == QAbstractItemView.State.EditingState else None
            text = editor.text() if isinstance(editor, QLineEdit) else detail.title_field.text()
            domains, linked = list(priority.domains), list(priority.lessons)
        else:
            text, domains, linked = "", [], []
        suggestions = []
        if self._suggestion_engine is not None and text.strip():
            found = self._suggestion_engine.suggest(text, domains, SUGGESTION_LIMIT + len(linked),
                                                    partial_last_word=True)
            suggestions = [s for s in found if s.lesson.slug not in linked][:SUGGESTION_LIMIT]
        self.suggestion_model.button_text = "Add and link" if preview else "Link"
        self.suggestion_model.set_suggestions(suggestions)
        self.suggestion_model.dataChanged.emit(self.suggestion_model.index(0), self.suggestion_model.index(
            max(0, self.suggestion_model.rowCount() - 1)))
        if preview:
            detail.suggestion_heading.setText(self.tr("Lessons that fit “%s”, best first")
                                              % i18n.isolate(self._preview_text.strip()))
            if self.right.currentWidget() is self.no_priority:
                self.right.setCurrentWidget(self.detail)
            if suggestions:
                detail.show_suggestions()
        else:
            detail.suggestion_heading.setText(self.tr("Lessons that fit, best first"))
        if self.library is None:
            empty = self.tr("Lessons are suggested once the library has loaded.")
        elif not text.strip():
            empty = self.tr("Type a title and the lessons that fit it appear here.")
        else:
            empty = self.tr("No lesson fits these words well. Try other words, or find one in “Find a lesson”.")
        detail.suggestion_empty.setText(empty)
        detail.suggestion_empty.setVisible(not suggestions)
        detail.suggestion_view.setVisible(bool(suggestions))
        detail.suggestion_view.fit_height()

    def accept_suggestion(self, row: int) -> bool:
        """Link the suggested lesson in `row` (when previewing a new priority: add it, linked)."""
        if not 0 <= row < self.suggestion_model.rowCount():
            return False
        suggestion = self.suggestion_model.suggestion(row)
        if self._preview_text.strip():
            return self.add_typed_priority(lessons=[suggestion.lesson.slug])
        priority_id = self.selected_priority_id()
        if priority_id is None:
            return False
        done = self.run_edit(
            lambda: self.document.link_lesson(priority_id, suggestion.lesson.slug, suggestion.lesson.title),
            self.detail.lessons_message)
        self.update_suggestions()
        if done:
            announce(self.detail.suggestion_view, self.tr("Lesson linked: %s.") % suggestion.lesson.title)
        return done
