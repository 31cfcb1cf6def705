"""The handout use case: a session and the bundled content → what the handout carries → PDF.

Which lessons go with a priority is decided here (contract.md §4): the lessons the group linked
by hand, in their order; when none were linked (or none of the linked ones is in this content),
the suggestion engine's best few for the priority's words and domains; when nothing fits well
enough, none, and the handout says so rather than print a poor match.
"""

from __future__ import annotations

from nrp_desktop import i18n
from nrp_desktop.domain.content import CaseStudy, ContentLibrary, Lesson, Page
from nrp_desktop.domain.handout import (
    HandoutAction,
    HandoutData,
    HandoutLesson,
    HandoutOptions,
    HandoutPriority,
    LessonSource,
    ProgrammeNote,
)
from nrp_desktop.domain.session import Priority, Session
from nrp_desktop.domain.since_last_time import since_last_time
from nrp_desktop.services.suggest import SuggestionEngine

SUGGESTED_LESSONS = 3  # the handout shows the best two or three, not a long list
# A suggestion far weaker than the best one is left out: it would dilute the page.
SUGGESTION_SHARE_OF_BEST = 0.4
PROGRAMME_PAGE = "the-programme"
ABOUT_CONTENT_PAGE = "about-this-content"


def _handout_lesson(lesson: Lesson, library: ContentLibrary) -> HandoutLesson:
    return HandoutLesson(
        slug=lesson.slug,
        title=lesson.title,
        summary=lesson.summary,
        neighbourhoods=library.neighbourhood_titles(lesson.neighbourhoods),
    )


def _lessons_for(
    priority: Priority, library: ContentLibrary, engine: SuggestionEngine
) -> tuple[tuple[HandoutLesson, ...], LessonSource | None, tuple[str, ...]]:
    notes: list[str] = []  # the slugs of linked lessons this content does not have
    linked: list[HandoutLesson] = []
    for slug in dict.fromkeys(priority.lessons):  # a slug linked twice prints once
        lesson = library.lesson(slug)
        if lesson is None:
            notes.append(slug)
        else:
            linked.append(_handout_lesson(lesson, library))
    if linked:
        return tuple(linked), "linked", tuple(notes)
    text = "\n".join(part for part in (priority.title, priority.description) if part)
    suggestions = engine.suggest(text, priority.domains, limit=SUGGESTED_LESSONS)
    if suggestions:
        best = suggestions[0].score
        chosen = [s for s in suggestions if s.score >= best * SUGGESTION_SHARE_OF_BEST]
        return (tuple(_handout_lesson(s.lesson, library) for s in chosen), "suggested",
                tuple(notes))
    return (), None, tuple(notes)


def _first_section_html(page: Page) -> str:
    """The HTML under the page's first heading (its "In short"), without the heading."""
    html = page.html
    start = html.find("</h2>")
    body = html[start + len("</h2>"):] if html.lstrip().startswith("<h2") and start >= 0 else html
    end = body.find("<h2")
    return (body if end < 0 else body[:end]).strip()


def programme_note(library: ContentLibrary) -> ProgrammeNote | None:
    """The closing section's words, all from the bundled pages; None if the page is missing."""
    page = library.find("page", PROGRAMME_PAGE)
    if not isinstance(page, Page):
        return None
    about = library.find("page", ABOUT_CONTENT_PAGE)
    return ProgrammeNote(
        title=page.title,
        about_html=_first_section_html(page),
        neighbourhoods=tuple(cs.title for cs in library.case_studies),
        sources_html=_first_section_html(about) if isinstance(about, Page) else "",
        content_version=library.version,
    )


def handout_language(session: Session, requested: str | None = None) -> str:
    """The handout's language (contract 5.3): the one asked for; else the session's own
    `language` when the app speaks it; else the language of the window or command line.
    An unknown requested code raises i18n.UnknownLanguage."""
    if requested:
        return i18n.language(requested).code
    if session.language and i18n.is_translated(session.language):
        return i18n.language(session.language).code
    return i18n.current().code


def build_handout_data(
    session: Session,
    library: ContentLibrary,
    engine: SuggestionEngine | None = None,
    previous: Session | None = None,
    language: str | None = None,
) -> HandoutData:
    """Everything the handout prints for `session`, in ranking order. `previous`: the session
    it follows, when that is stored here (for "Since last time"); `language` as
    handout_language chooses it."""
    engine = engine or SuggestionEngine(library)
    priorities: list[HandoutPriority] = []
    for rank, priority in enumerate(session.priorities, start=1):
        lessons, source, notes = _lessons_for(priority, library, engine)
        priorities.append(HandoutPriority(
            rank=rank,
            title=priority.title,
            description=priority.description,
            votes=priority.votes,
            domains=tuple(priority.domains),
            group=priority.group,
            actions=tuple(HandoutAction(a.what, a.who, a.when) for a in priority.actions),
            lessons=lessons,
            lessons_source=source,
            missing_lessons=notes,
        ))
    return HandoutData(
        title=session.title,
        date=session.date,
        venue=session.venue,
        neighbourhood=session.neighbourhood,
        facilitator=session.facilitator,
        participants=session.participants,
        language=handout_language(session, language),
        ratings=dict(session.ratings),
        priorities=tuple(priorities),
        programme=programme_note(library),
        since_last_time=since_last_time(session, previous),
    )


def handout_pdf(
    session: Session,
    library: ContentLibrary,
    options: HandoutOptions | None = None,
    engine: SuggestionEngine | None = None,
    previous: Session | None = None,
    language: str | None = None,
) -> bytes:
    """The handout PDF for `session` (safe to call off the GUI thread); `previous` as for
    build_handout_data; in `language` (None: as handout_language chooses)."""
    from nrp_desktop.reports.handout import build_handout_pdf

    return build_handout_pdf(build_handout_data(session, library, engine, previous, language),
                             options or HandoutOptions())


def handout_html(
    session: Session,
    library: ContentLibrary,
    engine: SuggestionEngine | None = None,
    language: str | None = None,
) -> str:
    """The same handout as one accessible HTML document (contract 5.5), for screen readers."""
    from nrp_desktop.reports.handout_html import build_handout_html

    return build_handout_html(build_handout_data(session, library, engine, language=language))


def case_study_pdf(slug: str, library: ContentLibrary, options: HandoutOptions | None = None
                   ) -> bytes:
    """The one- or two-page handout for a case study; LookupError names an unknown slug."""
    from nrp_desktop.reports.case_study import build_case_study_pdf

    case_study = library.case_study(slug)
    if not isinstance(case_study, CaseStudy):
        raise LookupError(f"there is no case study {slug!r} in this edition of the content")
    return build_case_study_pdf(case_study, library, options or HandoutOptions())
