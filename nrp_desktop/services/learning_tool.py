"""The "Explore what worked" learning tool: its state and what each step shows (no Qt).

Five steps a facilitator runs with a group: pick issue cards, mark who is in the room, see what
other neighbourhoods did, talk it through, and turn a card into a priority. Every word shown comes
from the content library (cards, players, lessons); this module only chooses and orders it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from nrp_desktop.domain.content import (
    CaseStudy,
    ContentLibrary,
    Lesson,
    ToolCard,
    ToolPlayer,
    make_link,
)
from nrp_desktop.domain.session import Priority
from nrp_desktop.domain.text import fold

FIRST_STEP = 1
LAST_STEP = 5
STEP_COUNT = LAST_STEP - FIRST_STEP + 1
# Step 4 offers this many questions in all, whatever the number of cards chosen.
QUESTIONS_MIN = 3
QUESTIONS_MAX = 5


@dataclass
class LearningToolState:
    """Where a group has got to in the tool; kept while the facilitator moves between screens."""

    step: int = FIRST_STEP
    chosen_cards: list[str] = field(default_factory=list)  # card slugs, in the order picked
    # Player slug → True (in the room) or False (not in the room); missing = not asked yet.
    presence: dict[str, bool] = field(default_factory=dict)
    # Priorities made on step 5, kept here until the session editor takes them over.
    priorities: list[Priority] = field(default_factory=list)
    priority_cards: dict[str, str] = field(default_factory=dict)  # priority id → card slug

    def go_to(self, step: int) -> int:
        """Move to `step`, held within 1…5; the step now shown."""
        self.step = min(LAST_STEP, max(FIRST_STEP, step))
        return self.step

    def next_step(self) -> int:
        return self.go_to(self.step + 1)

    def previous_step(self) -> int:
        return self.go_to(self.step - 1)

    def choose_card(self, slug: str, chosen: bool = True) -> None:
        if chosen and slug not in self.chosen_cards:
            self.chosen_cards.append(slug)
        elif not chosen and slug in self.chosen_cards:
            self.chosen_cards.remove(slug)

    def is_chosen(self, slug: str) -> bool:
        return slug in self.chosen_cards

    def set_presence(self, player: str, present: bool | None) -> None:
        """Mark a player as in the room (True), not in the room (False) or not asked (None)."""
        if present is None:
            self.presence.pop(player, None)
        else:
            self.presence[player] = present

    def presence_of(self, player: str) -> bool | None:
        return self.presence.get(player)

    @property
    def absent_players(self) -> list[str]:
        return [slug for slug, present in self.presence.items() if not present]

    def has_priority_for(self, card_slug: str) -> bool:
        return card_slug in self.priority_cards.values()

    def forget_unknown(self, library: ContentLibrary) -> None:
        """Drop choices that name cards or players the library no longer has."""
        cards = {card.slug for card in library.tool_cards}
        players = {player.slug for player in library.tool_players}
        self.chosen_cards = [slug for slug in self.chosen_cards if slug in cards]
        self.presence = {slug: value for slug, value in self.presence.items() if slug in players}

    # Kept with the session (SessionStore.tool_choices): the step, the cards, who is here.

    def choices_json(self) -> str:
        return json.dumps({"step": self.step, "cards": list(self.chosen_cards),
                           "presence": dict(self.presence)}, ensure_ascii=False, sort_keys=True)

    def take_choices(self, text: str | None) -> None:
        """Take the step, cards and presence from `choices_json` text; nothing (or anything not
        ours, such as a damaged value) starts the tool afresh. The priorities made stay."""
        step, cards, presence = FIRST_STEP, [], {}
        try:
            data = json.loads(text) if text else {}
        except ValueError:
            data = {}
        if isinstance(data, dict):
            if isinstance(data.get("step"), int) and not isinstance(data["step"], bool):
                step = data["step"]
            if isinstance(data.get("cards"), list):
                cards = list(dict.fromkeys(c for c in data["cards"] if isinstance(c, str)))
            if isinstance(data.get("presence"), dict):
                presence = {k: v for k, v in data["presence"].items() if isinstance(v, bool)}
        self.chosen_cards, self.presence = cards, presence
        self.go_to(step)

    @property
    def has_choices(self) -> bool:
        return bool(self.chosen_cards or self.presence or self.step != FIRST_STEP)


# Step 1 ----------------------------------------------------------------------------------------


def chosen_cards(library: ContentLibrary, state: LearningToolState) -> list[ToolCard]:
    """The chosen cards, in the order the library shows them (the order of the grid)."""
    return [card for card in library.tool_cards if state.is_chosen(card.slug)]


def _lessons(library: ContentLibrary, slugs: Iterable[str]) -> tuple[Lesson, ...]:
    # The content build checks every reference; skipping a missing one keeps a damaged
    # database from breaking a live workshop.
    return tuple(lesson for slug in slugs if (lesson := library.lesson(slug)) is not None)


# Step 2 ----------------------------------------------------------------------------------------

# Residents first: the programme's central idea is that the whole local system acts, starting
# from the people who live there. Players not named here follow in the library's order.
PLAYER_ORDER = (
    "residents", "council-officers", "voluntary-organisations", "housing-providers",
    "businesses-and-employers", "health-services", "schools-and-colleges", "faith-groups",
    "councillors",
)


def players_in_order(library: ContentLibrary) -> list[ToolPlayer]:
    rank = {slug: index for index, slug in enumerate(PLAYER_ORDER)}
    return sorted(library.tool_players, key=lambda player: rank.get(player.slug, len(rank)))


@dataclass(frozen=True)
class PlayerPrompt:
    """What to ask or do about one player who is not in the room, and the lessons behind it."""

    player: ToolPlayer
    prompt: str
    lessons: tuple[Lesson, ...]
    neighbourhoods: tuple[CaseStudy, ...]  # places where this player was brought in


def prompts_for_missing_players(
    library: ContentLibrary, state: LearningToolState
) -> list[PlayerPrompt]:
    """One prompt per player marked as not in the room, in the order the players are shown."""
    absent = set(state.absent_players)
    return [
        PlayerPrompt(
            player=player,
            prompt=player.prompt,
            lessons=_lessons(library, player.lessons),
            neighbourhoods=tuple(
                case_study
                for slug in player.neighbourhoods
                if (case_study := library.case_study(slug)) is not None
            ),
        )
        for player in players_in_order(library)
        if player.slug in absent
    ]


# Step 3 ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NeighbourhoodExample:
    """What one neighbourhood did about one card's issue."""

    slug: str
    title: str
    link: str  # "case-study:<slug>", opens the case study in the library
    actions: tuple[str, ...]
    challenges: tuple[str, ...]  # empty when this edition does not record any
    impacts: tuple[str, ...]
    lessons: tuple[Lesson, ...]  # the card's lessons that draw on this neighbourhood in particular


@dataclass(frozen=True)
class CardExamples:
    card: ToolCard
    neighbourhoods: tuple[NeighbourhoodExample, ...]
    lessons: tuple[Lesson, ...]  # all the card's lessons, in the card's order


def examples_for_card(library: ContentLibrary, card: ToolCard) -> CardExamples:
    lessons = _lessons(library, card.lessons)
    neighbourhoods = []
    for example in card.examples:
        case_study = library.case_study(example.neighbourhood)
        neighbourhoods.append(
            NeighbourhoodExample(
                slug=example.neighbourhood,
                title=case_study.title if case_study else example.neighbourhood,
                link=make_link("case-study", example.neighbourhood),
                actions=example.actions,
                challenges=example.challenges,
                impacts=example.impacts,
                # Programme-wide lessons name every neighbourhood, so they say nothing about this one.
                lessons=tuple(
                    lesson
                    for lesson in lessons
                    if not lesson.programme_wide and example.neighbourhood in lesson.neighbourhoods
                ),
            )
        )
    return CardExamples(card=card, neighbourhoods=tuple(neighbourhoods), lessons=lessons)


def examples_for_cards(library: ContentLibrary, card_slugs: Iterable[str]) -> list[CardExamples]:
    """Step 3 for each card named, in the order given; unknown slugs are left out."""
    found = []
    for slug in card_slugs:
        card = library.find("tool-card", slug)
        if isinstance(card, ToolCard):
            found.append(examples_for_card(library, card))
    return found


# Step 4 ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DiscussionQuestion:
    text: str
    card: ToolCard  # the card the question first came from


def discussion_questions(
    library: ContentLibrary, card_slugs: Iterable[str], limit: int = QUESTIONS_MAX
) -> list[DiscussionQuestion]:
    """Up to `limit` questions for the chosen cards, taken in turn from each card so every card is
    heard, with repeats (the same words on two cards) asked once. One card gives its own three to
    five questions; several cards share the five places."""
    cards = [
        card for slug in dict.fromkeys(card_slugs)
        if isinstance(card := library.find("tool-card", slug), ToolCard)
    ]
    questions: list[DiscussionQuestion] = []
    seen: set[str] = set()
    depth = max((len(card.questions) for card in cards), default=0)
    for index in range(depth):
        for card in cards:
            if len(questions) >= limit:
                return questions
            if index >= len(card.questions):
                continue
            text = card.questions[index].strip()
            key = " ".join(fold(text).rstrip("?.! ").split())
            if text and key not in seen:
                seen.add(key)
                questions.append(DiscussionQuestion(text=text, card=card))
    return questions


# Step 5 ----------------------------------------------------------------------------------------


def make_priority(card: ToolCard) -> Priority:
    """A new session priority for a card: its title and domains, with the card's lessons linked.

    The description is left for the group to write in their own words.
    """
    return Priority(title=card.title, domains=list(card.domains), lessons=list(card.lessons))


def add_priority(state: LearningToolState, card: ToolCard) -> Priority:
    """Make a priority from `card` and keep it in the tool's own list; the new priority."""
    priority = make_priority(card)
    state.priorities.append(priority)
    state.priority_cards[priority.id] = card.slug
    return priority
