"""The "Explore what worked" tool: the rules in services/learning_tool.py and the screen, driven
as a facilitator would (mouse and keyboard)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLayout,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from nrp_desktop.domain.content import ContentLibrary, ToolCard
from nrp_desktop.domain.session import Priority, Session, session_problems
from nrp_desktop.domain.text import fold
from nrp_desktop.services import learning_tool
from nrp_desktop.services.learning_tool import LearningToolState
from nrp_desktop.services.session_file import parse_session_bytes, session_to_json
from nrp_desktop.ui.tool.cards import CardButton
from nrp_desktop.ui.tool.view import LearningToolView
from nrp_desktop.ui.widgets.controls import LinkButton

DEBT = "debt-and-money-worries"
BUSINESSES = "businesses-and-employers"
SOUTHPORT = "central-southport-sefton"


def card(library: ContentLibrary, slug: str) -> ToolCard:
    found = library.find("tool-card", slug)
    assert isinstance(found, ToolCard)
    return found


# The rules ------------------------------------------------------------------------------------


def test_every_card_leads_to_a_neighbourhood_and_a_lesson(library):
    assert len(library.tool_cards) == 12
    for each in library.tool_cards:
        shown = learning_tool.examples_for_card(library, each)
        assert shown.neighbourhoods, f"{each.slug} names no neighbourhood"
        for example in shown.neighbourhoods:
            assert library.case_study(example.slug) is not None, (each.slug, example.slug)
            assert library.resolve(example.link) is not None
            assert example.actions, f"{each.slug}/{example.slug} has no actions"
        assert shown.lessons, f"{each.slug} links no lesson"
        assert [lesson.slug for lesson in shown.lessons] == list(each.lessons), (
            f"{each.slug} links a lesson the library does not have")
        assert 3 <= len(each.questions) <= 5


def test_neighbourhood_lessons_are_the_cards_lessons_that_draw_on_that_place(library):
    shown = learning_tool.examples_for_card(library, card(library, DEBT))
    (southport,) = shown.neighbourhoods
    assert southport.title == "Central Southport, Sefton"
    assert southport.lessons  # debt advice in Southport is the evidence for several lessons
    for lesson in southport.lessons:
        assert lesson.slug in card(library, DEBT).lessons
        assert SOUTHPORT in lesson.neighbourhoods and not lesson.programme_wide


def test_players_step_prompts_for_each_missing_player_only(library):
    state = LearningToolState()
    assert learning_tool.prompts_for_missing_players(library, state) == []
    state.set_presence("residents", True)
    state.set_presence(BUSINESSES, False)
    state.set_presence("councillors", False)
    prompts = learning_tool.prompts_for_missing_players(library, state)
    assert [p.player.slug for p in prompts] == [BUSINESSES, "councillors"]
    businesses = prompts[0]
    assert businesses.prompt == library.find("tool-player", BUSINESSES).prompt
    assert "recommendations for employers" in businesses.prompt
    assert businesses.lessons[0].slug == "employers-as-critical-friends"
    assert {cs.slug for cs in businesses.neighbourhoods} >= {"moss-bay-salterbeck-cumbria"}

    state.set_presence("councillors", None)  # not asked after all
    state.set_presence(BUSINESSES, True)  # somebody from a business came in late
    assert learning_tool.prompts_for_missing_players(library, state) == []


def test_every_player_has_a_prompt_and_lessons_and_residents_come_first(library):
    state = LearningToolState()
    for player in library.tool_players:
        state.set_presence(player.slug, False)
    prompts = learning_tool.prompts_for_missing_players(library, state)
    assert len(prompts) == len(library.tool_players) == 9
    assert prompts[0].player.slug == "residents"
    for prompt in prompts:
        assert prompt.prompt.strip(), prompt.player.slug
        assert prompt.lessons, prompt.player.slug


def test_one_card_gives_its_own_questions(library):
    debt = card(library, DEBT)
    questions = learning_tool.discussion_questions(library, [DEBT])
    assert [q.text for q in questions] == list(debt.questions)


def test_several_cards_share_three_to_five_questions_each_heard(library):
    slugs = [DEBT, "loneliness-and-isolation", "having-a-say"]
    questions = learning_tool.discussion_questions(library, slugs)
    assert 3 <= len(questions) <= 5
    assert {q.card.slug for q in questions} == set(slugs)
    texts = [fold(q.text) for q in questions]
    assert len(texts) == len(set(texts))
    assert learning_tool.discussion_questions(library, []) == []


def test_the_same_question_on_two_cards_is_asked_once(library):
    first = ToolCard("first", "First", "", ("governance-systems",), (), (
        "Who decides?", "What would help?", "Who is missing?"), ())
    second = ToolCard("second", "Second", "", ("governance-systems",), (), (
        "who decides", "Where do we start?", "What would help?"), ())
    small = ContentLibrary("test", (), (), (), (), (), (first, second), ())
    questions = learning_tool.discussion_questions(small, ["first", "second"])
    assert [q.text for q in questions] == [
        "Who decides?", "What would help?", "Where do we start?", "Who is missing?"]


def test_make_priority_carries_the_cards_title_domains_and_lessons(library):
    debt = card(library, DEBT)
    priority = learning_tool.make_priority(debt)
    assert isinstance(priority, Priority)
    assert priority.title == debt.title
    assert priority.domains == list(debt.domains)
    assert priority.lessons == list(debt.lessons)
    # It is a priority the session file accepts, and it comes back the same.
    session = Session(title="Tuesday group", date=dt.date(2024, 5, 7), priorities=[priority])
    assert session_problems(session) == []
    again = parse_session_bytes(session_to_json(session, library.version).encode(), "t")
    assert again.session.priorities[0].lessons == list(debt.lessons)
    assert again.session.priorities[0].domains == list(debt.domains)


def test_state_moves_within_the_five_steps_and_forgets_unknown_choices(library):
    state = LearningToolState()
    assert state.previous_step() == 1
    for _ in range(10):
        state.next_step()
    assert state.step == 5
    state.choose_card(DEBT)
    state.choose_card(DEBT)
    state.choose_card("no-such-card")
    state.set_presence("no-such-player", False)
    state.forget_unknown(library)
    assert state.chosen_cards == [DEBT]
    assert state.presence == {}
    learning_tool.add_priority(state, card(library, DEBT))
    assert state.has_priority_for(DEBT) and not state.has_priority_for("having-a-say")


# The screen -----------------------------------------------------------------------------------


def host(qtbot, screen: QWidget) -> QWidget:
    """A window holding the screen, as the main window's stack does (the screen is never a
    window of its own, and a window whose size limits change makes the offscreen platform warn)."""
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
    layout.addWidget(screen)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


@pytest.fixture
def view(qtbot, library):
    widget = LearningToolView()
    widget.set_library(library)
    window = host(qtbot, widget)
    yield widget
    window.close()


def visible_texts(widget: QWidget, name: str | None = None) -> list[str]:
    QApplication.processEvents()  # widgets added to a shown layout appear on the next pass
    return [label.text() for label in widget.findChildren(QLabel)
            if label.isVisibleTo(widget) and (name is None or label.objectName() == name)]


def visible_links(widget: QWidget) -> dict[str, LinkButton]:
    QApplication.processEvents()
    return {button.link: button for button in widget.findChildren(LinkButton)
            if button.isVisibleTo(widget)}


def test_done_when_walk_from_card_to_priority(view: LearningToolView, library, qtbot):
    debt = card(library, DEBT)
    # Step 1: pick "Debt and money worries".
    assert "Step 1 of 5" in view.step_label.text()
    assert view.title_label.text() == "What matters to you here?"
    qtbot.mouseClick(view.card_buttons[DEBT], Qt.MouseButton.LeftButton)
    assert view.card_buttons[DEBT].isChecked()
    assert view.state.chosen_cards == [DEBT]
    assert "1 card chosen" in view.cards_status.text()

    # Step 2: businesses are not here; the prompt and its lessons appear.
    qtbot.mouseClick(view.next_button, Qt.MouseButton.LeftButton)
    assert "Step 2 of 5" in view.step_label.text()
    assert view.title_label.text() == "Who is in the room, and who is not?"
    assert visible_texts(view.prompts_box, "promptText") == []
    qtbot.mouseClick(view.player_rows[BUSINESSES].away, Qt.MouseButton.LeftButton)
    businesses = library.find("tool-player", BUSINESSES)
    assert visible_texts(view.prompts_box, "promptText") == [businesses.prompt]
    links = visible_links(view.prompts_box)
    assert {f"lesson:{slug}" for slug in businesses.lessons} <= set(links)

    # Step 3: Central Southport's actions and challenges, and the lessons.
    qtbot.mouseClick(view.next_button, Qt.MouseButton.LeftButton)
    assert view.title_label.text() == "What did other neighbourhoods do?"
    page = view.examples_box
    assert "Central Southport, Sefton" in visible_texts(page, "exampleTitle")
    bullets = " ".join(visible_texts(page, "exampleText"))
    (southport,) = debt.examples
    for line in (*southport.actions, *southport.challenges, *southport.impacts):
        assert line.replace("'", "&#x27;") in bullets or line in bullets
    links = visible_links(page)
    assert f"case-study:{SOUTHPORT}" in links
    assert {f"lesson:{slug}" for slug in debt.lessons} <= set(links)
    with qtbot.waitSignal(view.open_link_requested) as opened:
        qtbot.mouseClick(links[f"lesson:{debt.lessons[0]}"], Qt.MouseButton.LeftButton)
    assert opened.args == [f"lesson:{debt.lessons[0]}"]

    # Step 4: the card's questions, in large type.
    qtbot.mouseClick(view.next_button, Qt.MouseButton.LeftButton)
    assert visible_texts(view.questions_box, "questionText") == list(debt.questions)

    # Step 5: one press makes the priority, with the card's lessons linked.
    qtbot.mouseClick(view.next_button, Qt.MouseButton.LeftButton)
    assert "Step 5 of 5" in view.step_label.text()
    assert not view.next_button.isEnabled()
    with qtbot.waitSignal(view.priority_requested) as made:
        qtbot.mouseClick(view.priority_buttons[DEBT], Qt.MouseButton.LeftButton)
    priority = made.args[0]
    assert isinstance(priority, Priority)
    assert priority.title == "Debt and money worries"
    assert priority.lessons == list(debt.lessons)
    assert view.state.priorities == [priority]
    assert view.state.priorities[0] is not priority  # the session gets its own copy
    assert "is now a priority" in view.confirmation.text() and view.confirmation.isVisible()
    assert "1. Debt and money worries" in visible_texts(view.priority_box, "madePriority")
    # A second press cannot add it twice.
    assert not view.priority_buttons[DEBT].isEnabled()
    view.make_priority(DEBT)
    assert len(view.state.priorities) == 1


def test_empty_lists_say_not_recorded(view: LearningToolView, library, qtbot):
    name_card = card(library, "our-name-and-our-stories")
    qtbot.mouseClick(view.card_buttons[name_card.slug], Qt.MouseButton.LeftButton)
    view.go_to_step(3)
    empty = sum(1 for e in name_card.examples for items in (e.actions, e.challenges, e.impacts)
                if not items)
    assert empty > 0
    shown = visible_texts(view.examples_box, "notRecorded")
    assert shown == ["Not recorded in this edition."] * empty
    assert len(visible_texts(view.examples_box, "exampleTitle")) == len(name_card.examples)


def test_several_cards_are_shown_one_at_a_time(view: LearningToolView, library, qtbot):
    for slug in (DEBT, "loneliness-and-isolation"):
        qtbot.mouseClick(view.card_buttons[slug], Qt.MouseButton.LeftButton)
    view.go_to_step(3)
    assert view.example_cards.isVisible()
    assert visible_texts(view.examples_box, "exampleTitle") == ["Central Southport, Sefton"]
    qtbot.mouseClick(view.example_cards.buttons["loneliness-and-isolation"],
                     Qt.MouseButton.LeftButton)
    assert visible_texts(view.examples_box, "exampleTitle") == [
        library.case_study(e.neighbourhood).title
        for e in card(library, "loneliness-and-isolation").examples]


def test_nothing_chosen_offers_the_way_back(view: LearningToolView, qtbot):
    view.go_to_step(4)
    assert any("No cards are chosen yet" in text for text in visible_texts(view.questions_box))
    view.go_to_step(3)
    assert visible_texts(view.examples_box, "exampleTitle") == []


def test_state_survives_switching_screens(qtbot, library):
    stack = QStackedWidget()
    view = LearningToolView()
    other = QWidget()
    stack.addWidget(view)
    stack.addWidget(other)
    view.set_library(library)
    window = host(qtbot, stack)
    view.card_buttons[DEBT].click()
    view.player_rows[BUSINESSES].away.click()
    view.go_to_step(3)
    stack.setCurrentWidget(other)
    stack.setCurrentWidget(view)
    assert view.step == 3 and view.pages.currentIndex() == 2
    assert view.card_buttons[DEBT].isChecked()
    assert view.player_rows[BUSINESSES].presence() is False
    # The content being loaded again keeps the group's choices too.
    view.set_library(library)
    assert view.step == 3
    assert view.card_buttons[DEBT].isChecked()
    assert view.player_rows[BUSINESSES].away.isChecked()
    window.close()


def test_keyboard_operates_the_cards(view: LearningToolView, library, qtbot):
    cards = view.card_grid.cards
    columns = view.card_grid.columns
    assert columns >= 2
    cards[0].setFocus()
    qtbot.keyClick(cards[0], Qt.Key.Key_Space)
    assert cards[0].isChecked()
    qtbot.keyClick(cards[0], Qt.Key.Key_Right)
    assert QApplication.focusWidget() is cards[1]
    qtbot.keyClick(cards[1], Qt.Key.Key_Return)
    assert cards[1].isChecked()
    qtbot.keyClick(cards[1], Qt.Key.Key_Down)
    assert QApplication.focusWidget() is cards[1 + columns]
    qtbot.keyClick(cards[1 + columns], Qt.Key.Key_Up)
    qtbot.keyClick(cards[1], Qt.Key.Key_Left)
    assert QApplication.focusWidget() is cards[0]
    qtbot.keyClick(cards[0], Qt.Key.Key_Space)
    assert not cards[0].isChecked()
    assert view.state.chosen_cards == [cards[1].card.slug]
    assert isinstance(cards[1], CardButton)


def test_keyboard_operates_the_steps(view: LearningToolView, qtbot):
    first = view.step_bar.buttons[1]
    first.setFocus()
    # Tab leaves the step bar for the first card (one Tab stop for the whole bar).
    qtbot.keyClick(first, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is view.card_grid.cards[0]
    first.setFocus()
    qtbot.keyClick(first, Qt.Key.Key_Right)
    assert view.step == 2
    assert QApplication.focusWidget() is view.step_bar.buttons[2]
    qtbot.keyClick(view.step_bar.buttons[2], Qt.Key.Key_End)
    assert view.step == 5
    qtbot.keyClick(view.step_bar.buttons[5], Qt.Key.Key_Home)
    assert view.step == 1
    # Alt+Right and Alt+Left move too, from anywhere in the screen.
    qtbot.keyClick(view.step_bar.buttons[1], Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert view.step == 2
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert view.step == 1
    # Enter and Space press Next and Back.
    view.next_button.setFocus()
    qtbot.keyClick(view.next_button, Qt.Key.Key_Return)
    assert view.step == 2
    qtbot.keyClick(view.back_button, Qt.Key.Key_Space)
    assert view.step == 1


def test_keyboard_marks_who_is_here(view: LearningToolView, qtbot):
    view.go_to_step(2)
    row = view.player_rows["residents"]
    row.here.setFocus()
    qtbot.keyClick(row.here, Qt.Key.Key_Space)
    assert view.state.presence_of("residents") is True
    qtbot.keyClick(row.here, Qt.Key.Key_Right)
    assert QApplication.focusWidget() is row.away
    qtbot.keyClick(row.away, Qt.Key.Key_Return)
    assert view.state.presence_of("residents") is False
    assert row.here.isChecked() is False
    qtbot.keyClick(row.away, Qt.Key.Key_Down)
    assert QApplication.focusWidget() is view.player_rows["council-officers"].away
    assert visible_texts(view.prompts_box, "promptTitle") == ["Residents"]


def test_screenshot_states_set_up_every_step(view: LearningToolView):
    states = view.screenshot_states()
    assert [name for name, _setup in states] == [f"tool-step-{n}" for n in range(1, 6)]
    for number, (_name, setup) in enumerate(states, start=1):
        setup()
        assert view.step == number
        assert view.state.chosen_cards
        assert not view.grab().isNull()


def test_a_cards_tick_box_grows_with_large_text(qtbot, library: ContentLibrary):
    from PySide6.QtGui import QColor, QFont, QImage

    card = CardButton(library.tool_cards[0])
    qtbot.addWidget(card)
    card.resize(360, card.heightForWidth(360))
    card.setChecked(True)

    def dark_pixels_in_the_corner(widget: CardButton, side: int) -> int:
        # The chosen tick box is a dark square in the top right corner, inside the padding.
        image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
        left = widget.width() - CardButton.PADDING - side
        return sum(1 for x in range(left, left + side) for y in range(CardButton.PADDING, CardButton.PADDING + side)
                   if QColor(image.pixel(x, y)).lightness() < 60)

    normal = dark_pixels_in_the_corner(card, 30)
    large = QFont(card.font())
    large.setPointSizeF(card.font().pointSizeF() * 1.9)
    card.setFont(large)
    card.resize(560, card.heightForWidth(560))
    assert dark_pixels_in_the_corner(card, 50) > normal * 1.2  # a fixed box stays at 30 × 30
