"""Every item model in ui/ under Qt's model tester, filled with real data.

pytest-qt's `qtmodeltester` runs QAbstractItemModelTester over the model: row and column counts,
parents, indexes, data for every role, and the signals a model must send. Each model here is
built with what the app gives it (the bundled library, the example session in a real store, a
collation of two halls), so the checks see real rows; `test_every_item_model_is_checked` fails
when a new model in ui/ has no builder here.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractItemModel

import nrp_desktop.ui
from nrp_desktop.domain.content import ContentLibrary
from nrp_desktop.services.sessions import SessionStore

Builder = Callable[["Fixtures"], QAbstractItemModel]


@dataclasses.dataclass
class Fixtures:
    library: ContentLibrary
    search: Callable[..., list]  # the library service's search
    document: object  # a SessionDocument holding the example session, attached to a real store


def _documents(kind: str) -> Builder:
    def build(given: Fixtures) -> QAbstractItemModel:
        from nrp_desktop.ui.library.models import DocumentListModel

        model = DocumentListModel(kind)
        documents = {"lesson": given.library.lessons, "case-study": given.library.case_studies,
                     "domain": given.library.domains, "page": given.library.pages}[kind]
        model.set_documents(documents)
        return model
    return build


def _domain_filter(given: Fixtures) -> QAbstractItemModel:
    from nrp_desktop.ui.library.models import DomainFilterProxy

    proxy = DomainFilterProxy()
    proxy.setSourceModel(_documents("lesson")(given))
    proxy.set_domains({"economic-resources"})
    return proxy


def _search_results(given: Fixtures) -> QAbstractItemModel:
    from nrp_desktop.ui.library.models import SearchResultModel

    model = SearchResultModel()
    hits = given.search("debt advice", limit=10)
    assert hits, "the search finds something to show"
    model.set_hits(hits)
    return model


def _collation(_given: Fixtures) -> QAbstractItemModel:
    from nrp_desktop.services.collate import collate
    from nrp_desktop.services.collation_pdf import collation_report
    from nrp_desktop.services.examples import example_session
    from nrp_desktop.ui.collation.parts import CollationModel
    from nrp_desktop.ui.collation.view import screenshot_second_session

    model = CollationModel()
    model.set_priorities(collation_report(collate([example_session(),
                                                   screenshot_second_session()])).priorities)
    return model


def _priorities(given: Fixtures) -> QAbstractItemModel:
    return given.document.priorities  # type: ignore[attr-defined]


def _first_priority_id(given: Fixtures) -> str:
    return given.document.priority_ids()[0]  # type: ignore[attr-defined]


def _actions(given: Fixtures) -> QAbstractItemModel:
    from nrp_desktop.ui.document.priority_models import ActionListModel

    model = ActionListModel(given.document)
    model.set_priority(_first_priority_id(given))
    return model


def _lesson_links(given: Fixtures) -> QAbstractItemModel:
    from nrp_desktop.ui.session.lesson_models import LessonLinkModel

    first = given.library.lessons[0]
    assert given.document.link_lesson(_first_priority_id(given), first.slug, first.title)  # type: ignore[attr-defined]
    model = LessonLinkModel(given.document)
    model.set_library(given.library)
    model.set_priority(_first_priority_id(given))
    return model


def _suggestions(given: Fixtures) -> QAbstractItemModel:
    from nrp_desktop.services.suggest import SuggestionEngine
    from nrp_desktop.ui.session.lesson_models import SuggestionModel

    model = SuggestionModel()
    model.set_suggestions(SuggestionEngine(given.library).suggest(
        "Older neighbours are lonely since the bus route was cut", ["social-connectedness"], 5))
    return model


def _lesson_picker(given: Fixtures) -> QAbstractItemModel:
    from nrp_desktop.ui.session.lesson_models import LessonPickerModel

    model = LessonPickerModel()
    model.set_library(given.library)
    model.set_linked([given.library.lessons[0].slug])
    return model


def _lesson_filter(given: Fixtures) -> QAbstractItemModel:
    from nrp_desktop.ui.session.lesson_models import LessonFilterProxy

    proxy = LessonFilterProxy()
    proxy.setSourceModel(_lesson_picker(given))
    proxy.set_filter_text("debt")
    return proxy


def _sessions(given: Fixtures) -> QAbstractItemModel:
    from nrp_desktop.ui.session.lesson_models import SessionListModel

    model = SessionListModel(given.document)
    model.refresh()
    return model


# Each model class (by its name) and how to build it filled; a class can have several cases.
BUILDERS: dict[str, dict[str, Builder]] = {
    "DocumentListModel": {kind: _documents(kind) for kind in ("lesson", "case-study", "domain", "page")},
    "DomainFilterProxy": {"lessons in one domain": _domain_filter},
    "SearchResultModel": {"a search": _search_results},
    "CollationModel": {"two halls": _collation},
    "PriorityTableModel": {"example session": _priorities},
    "ActionListModel": {"first priority": _actions},
    "LessonLinkModel": {"first priority": _lesson_links},
    "SuggestionModel": {"a priority's words": _suggestions},
    "LessonPickerModel": {"bundled lessons": _lesson_picker},
    "LessonFilterProxy": {"filtered by a word": _lesson_filter},
    "SessionListModel": {"stored sessions": _sessions},
}
CASES = [pytest.param(builder, id=f"{name}-{case}")
         for name, cases in BUILDERS.items() for case, builder in cases.items()]


def _ui_item_models() -> Iterator[type]:
    for module_info in pkgutil.walk_packages(nrp_desktop.ui.__path__, "nrp_desktop.ui."):
        module = importlib.import_module(module_info.name)
        for _, member in inspect.getmembers(module, inspect.isclass):
            if issubclass(member, QAbstractItemModel) and member.__module__ == module.__name__:
                yield member


@pytest.fixture
def fixtures(qtbot, tmp_path: Path, library_service) -> Iterator[Fixtures]:
    from nrp_desktop.services.examples import example_session
    from nrp_desktop.ui.document.document import SessionDocument

    store = SessionStore(tmp_path / "sessions.sqlite3", backups_dir=tmp_path / "backups")
    session = store.save_session(example_session())
    document = SessionDocument()
    document.attach_store(store)
    document.open_session(session.id)
    yield Fixtures(library_service.library, library_service.search, document)
    store.close()


@pytest.mark.parametrize("build", CASES)
def test_item_model_passes_the_model_tester(qtmodeltester, fixtures: Fixtures, build: Builder):
    model = build(fixtures)
    assert model.rowCount() > 0, "the model is checked with rows in it"
    qtmodeltester.check(model, force_py=False)


def test_every_item_model_is_checked(qtbot):
    found = {model.__name__ for model in _ui_item_models()}
    assert found == set(BUILDERS), f"models without a builder here: {sorted(found - set(BUILDERS))}"
