"""The handout as one accessible HTML file (contract 5.5), for people who cannot read the PDF.

Built from the same plain data as the PDF (`nrp_desktop.domain.handout`), so both carry the same
words: real headings (h1 … h4), lists, and tables with header cells (`th scope`), the compass as
a table of scores, `lang` and `dir` on the document (the handout's language: right to left in
Urdu) and `dir="auto"` on the group's own words (any script).
One self-contained file: the styles are inline, there are no scripts, no pictures and no remote
resources, and every piece of text is HTML-escaped.
"""

from __future__ import annotations

import re
from html import escape

from nrp_desktop import APP_NAME, __version__
from nrp_desktop.domain.domains import DOMAINS, domain_by_slug, is_domain
from nrp_desktop.domain.handout import HandoutData, HandoutLesson, HandoutPriority
from nrp_desktop.domain.session import RATING_MAX, RATING_MIN
from nrp_desktop.i18n import N_, Speaker, is_translated
from nrp_desktop.reports.wording import long_date

# The extraction cannot look inside f-strings: the texts this module asks for inside one
# are marked here too (the pseudo-language test fails on any that reach no translator).
_ASKED_IN_F_STRINGS = (
    N_("Workshop handout"),
    N_("About the session"),
    N_("How the group rated the five domains"),
    N_("The group’s scores"),
    N_("Domain"),
    N_("Score"),
    N_("Your priorities"),
    N_("The group recorded no priorities in this session."),
    N_("Table group:"),
    N_("Domains:"),
    N_("What we will do"),
    N_("No action written down yet."),
    N_("Lessons the group linked"),
    N_("Suggested lessons"),
    N_("Lessons"),
    N_("Learned in:"),
    N_("What happens next"),
    N_("Every action the group agreed, in one place."),
    N_("Every action, priority by priority"),
    N_("What"),
    N_("Who"),
    N_("By when"),
)

# Plain, high-contrast, readable at any zoom; follows the reader's own font size and colours
# where the browser offers them (no fixed pixel sizes for text).
_STYLE = """
body { font-family: system-ui, sans-serif; font-size: 1.125rem; line-height: 1.5;
       max-width: 46rem; margin: 1.5rem auto; padding: 0 1rem; color: #1a1a1a;
       background: #ffffff; }
h1 { font-size: 1.9rem; line-height: 1.25; } h2 { font-size: 1.5rem; margin-top: 2rem; }
h3 { font-size: 1.25rem; margin-top: 1.75rem; } h4 { font-size: 1.1rem; }
table { border-collapse: collapse; margin: 0.75rem 0; }
caption { text-align: start; font-weight: bold; padding-bottom: 0.3rem; }
th, td { border: 1px solid #6b6b6b; padding: 0.3rem 0.6rem; text-align: start;
         vertical-align: top; }
thead th, th[scope="rowgroup"] { background: #e6e6e6; }
.lesson { border-inline-start: 0.25rem solid #6b6b6b; padding-inline-start: 0.8rem; }
.muted, footer { color: #4d4d4d; }
a { color: #0b4f9c; }
@media (prefers-color-scheme: dark) {
  body { color: #f2f2f2; background: #121212; } a { color: #9cc7ff; }
  thead th, th[scope="rowgroup"] { background: #333333; } .muted, footer { color: #c8c8c8; }
}
"""


def _text(value: str) -> str:
    """The group's own words, escaped, with their line breaks kept."""
    return "<br>".join(escape(line) for line in value.strip().split("\n"))


def _words(value: str) -> str:
    """A span of the group's words, in whatever direction their script runs."""
    return f'<span dir="auto">{_text(value)}</span>'


def _anchor(kind: str, name: str) -> str:
    return f"{kind}-" + re.sub(r"[^a-z0-9-]+", "-", name.lower()).strip("-")


class _HtmlHandout:
    def __init__(self, data: HandoutData) -> None:
        self.data = data
        self.speaker = Speaker(data.language) if is_translated(data.language) else Speaker("en")
        self.lesson_printed_under: dict[str, int] = {}
        self.parts: list[str] = []

    def add(self, *lines: str) -> None:
        self.parts.extend(lines)

    def _(self, message: str) -> str:
        """The handout's own words in its language, HTML-escaped."""
        return escape(self.speaker.gettext(message))

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return escape(self.speaker.ngettext(singular, plural, count))

    def build(self) -> str:
        data = self.data
        language = escape(self.speaker.code)
        direction = self.speaker.language.direction
        title = " ".join(data.title.split())
        self.add("<!DOCTYPE html>", f'<html lang="{language}" dir="{direction}">', "<head>",
                 '<meta charset="utf-8">',
                 '<meta name="viewport" content="width=device-width, initial-scale=1">',
                 f"<title>{escape(title)} · {self._('Workshop handout')}</title>",
                 f"<style>{_STYLE}</style>", "</head>", "<body>", "<main>")
        self.header()
        if data.ratings:
            self.compass()
        self.priorities()
        self.next_steps()
        self.add("</main>")
        self.footer()
        self.add("</body>", "</html>")
        return "\n".join(self.parts) + "\n"

    def header(self) -> None:
        data = self.data
        self.add("<header>", f'<p class="muted">{self._("Workshop handout")}</p>',
                 f'<h1 dir="auto">{_text(" ".join(data.title.split()))}</h1>',
                 "<table>", f"<caption>{self._('About the session')}</caption>", "<tbody>")
        rows = [(self._("Date"), escape(long_date(data.date, self.speaker)))]
        for label, value in ((self._("Venue"), data.venue),
                             (self._("Neighbourhood"), data.neighbourhood)):
            if value.strip():
                rows.append((label, _words(value)))
        if data.participants is not None:
            rows.append((self._("Taking part"),
                         self.ngettext("{n} person", "{n} people", data.participants)))
        if data.facilitator.strip():
            rows.append((self._("Facilitator"), _words(data.facilitator)))
        for label, value in rows:
            self.add(f'<tr><th scope="row">{label}</th><td>{value}</td></tr>')
        self.add("</tbody>", "</table>", "</header>")
        if self.speaker.code != "en":
            note = self._("The lessons and case studies in this handout come from the programme's "
                          "bundled content, which is in English in every language of NRP Desktop.")
            self.add(f'<p class="muted">{note}</p>')

    def compass(self) -> None:
        scale = self._("Each domain was scored from {least} (a lot to improve) to {most} (little "
                       "to improve).").format(least=RATING_MIN, most=RATING_MAX)
        self.add('<section aria-labelledby="compass">',
                 f'<h2 id="compass">{self._("How the group rated the five domains")}</h2>',
                 f"<p>{scale}</p>",
                 "<table>", f"<caption>{self._('The group’s scores')}</caption>",
                 f'<thead><tr><th scope="col">{self._("Domain")}</th>'
                 f'<th scope="col">{self._("Score")}</th></tr></thead>',
                 "<tbody>")
        for domain in DOMAINS:
            score = self.data.ratings.get(domain.slug)
            shown = self._("{score} of {most}").format(score=score, most=RATING_MAX) \
                if score is not None else self._("not rated")
            self.add(f'<tr><th scope="row">{self._(domain.name)}</th><td>{shown}</td></tr>')
        self.add("</tbody>", "</table>", "</section>")

    def priorities(self) -> None:
        self.add('<section aria-labelledby="priorities">',
                 f'<h2 id="priorities">{self._("Your priorities")}</h2>')
        if not self.data.priorities:
            self.add(f"<p>{self._('The group recorded no priorities in this session.')}</p>",
                     "</section>")
            return
        order = self._("In the order the group ranked them. Each shows what you agreed to do, then "
                       "lessons from the neighbourhoods of the Neighbourhood Resilience Programme.")
        self.add(f"<p>{order}</p>")
        for priority in self.data.priorities:
            self.priority(priority)
        self.add("</section>")

    def priority(self, priority: HandoutPriority) -> None:
        anchor = f"priority-{priority.rank}"
        self.add(f'<article aria-labelledby="{anchor}">',
                 f'<h3 id="{anchor}">{priority.rank}. {_words(priority.title)}</h3>')
        facts = [f"<strong>{self.ngettext('{n} vote', '{n} votes', priority.votes)}</strong>"]
        if priority.group and priority.group.strip():
            facts.append(f"<strong>{self._('Table group:')}</strong> {_words(priority.group)}")
        self.add(f"<p>{' · '.join(facts)}</p>")
        domains = [domain_by_slug(slug) for slug in priority.domains if is_domain(slug)]
        if domains:
            self.add(f"<p>{self._('Domains:')}</p>", "<ul>",
                     *(f"<li>{self._(domain.name)}</li>" for domain in domains), "</ul>")
        if priority.description.strip():
            self.add(f'<p dir="auto">{_text(priority.description)}</p>')
        self.add(f"<h4>{self._('What we will do')}</h4>")
        if priority.actions:
            self.add("<ul>")
            for action in priority.actions:
                details = [f"{label} {_words(value)}" for label, value in
                           ((self._("Who:"), action.who), (self._("By when:"), action.when))
                           if value.strip()]
                extra = f"<br>{' · '.join(details)}" if details else ""
                self.add(f"<li>{_words(action.what)}{extra}</li>")
            self.add("</ul>")
        else:
            self.add(f"<p>{self._('No action written down yet.')}</p>")
        self.lessons(priority)
        self.add("</article>")

    def lessons(self, priority: HandoutPriority) -> None:
        if priority.lessons_source == "linked":
            self.add(f"<h4>{self._('Lessons the group linked')}</h4>")
        elif priority.lessons_source == "suggested":
            picked = self._("Picked by NRP Desktop from the priority’s words and domains; the group "
                            "did not link these by hand.")
            self.add(f"<h4>{self._('Suggested lessons')}</h4>", f'<p class="muted">{picked}</p>')
        else:
            none_fits = self._("No lesson in this edition of the programme’s learning fits this "
                               "priority closely, so none is shown here rather than a poor match.")
            self.add(f"<h4>{self._('Lessons')}</h4>", f"<p>{none_fits}</p>")
        for slug in priority.missing_lessons:
            missing = self._("The linked lesson “{slug}” is not in this edition of the content, so "
                             "it is left out.").format(slug=escape(slug))
            self.add(f'<p class="muted">{missing}</p>')
        for lesson in priority.lessons:
            self.lesson(lesson, priority)

    def lesson(self, lesson: HandoutLesson, priority: HandoutPriority) -> None:
        anchor = _anchor("lesson", lesson.slug)
        if lesson.slug in self.lesson_printed_under:  # printed in full once, as on paper
            rank = self.lesson_printed_under[lesson.slug]
            where = self._("printed in full above, with priority {rank}.").format(rank=rank)
            self.add(f'<p class="lesson"><a href="#{anchor}">{escape(lesson.title)}</a>: '
                     f"{where}</p>")
            return
        self.lesson_printed_under[lesson.slug] = priority.rank
        self.add(f'<div class="lesson" id="{anchor}">',
                 f"<p><strong>{escape(lesson.title)}</strong></p>",
                 f"<p>{escape(lesson.summary)}</p>")
        if lesson.neighbourhoods:
            places = "; ".join(escape(name) for name in lesson.neighbourhoods)
            self.add(f"<p><strong>{self._('Learned in:')}</strong> {places}</p>")
        self.add("</div>")

    def next_steps(self) -> None:
        self.add('<section aria-labelledby="next-steps">',
                 f'<h2 id="next-steps">{self._("What happens next")}</h2>',
                 f"<p>{self._('Every action the group agreed, in one place.')}</p>")
        if not any(priority.actions for priority in self.data.priorities):
            self.add(f"<p>{self._('No action written down yet.')}</p>", "</section>")
            return
        self.add("<table>", f"<caption>{self._('Every action, priority by priority')}</caption>",
                 f'<thead><tr><th scope="col">{self._("What")}</th><th scope="col">{self._("Who")}</th>'
                 f'<th scope="col">{self._("By when")}</th></tr></thead>')
        for priority in self.data.priorities:
            if not priority.actions:
                continue
            self.add("<tbody>", f'<tr><th scope="rowgroup" colspan="3">{priority.rank}. '
                     f"{_words(priority.title)}</th></tr>")
            for action in priority.actions:
                self.add(f"<tr><td>{_words(action.what)}</td><td>{_words(action.who)}</td>"
                         f"<td>{_words(action.when)}</td></tr>")
            self.add("</tbody>")
        self.add("</table>", "</section>")

    def footer(self) -> None:
        note = self.data.programme
        made_with = self._("Made with {app} {version}").format(app=escape(APP_NAME),
                                                                version=escape(__version__))
        if note is not None:
            edition = (self._(", content edition {edition}").format(edition=escape(note.content_version))
                       if note.content_version else "")
            places = "; ".join(escape(name) for name in note.neighbourhoods)
            source = self._("The lessons come from the case studies of {programme}: {places}.").format(
                programme=escape(note.title), places=places)
            self.add("<footer>", f"<p>{source}</p>", f"<p>{made_with}{edition}.</p>",
                     "</footer>")
        else:
            self.add("<footer>", f"<p>{made_with}.</p>", "</footer>")


def build_handout_html(data: HandoutData) -> str:
    """The session handout as one accessible, self-contained HTML document."""
    return _HtmlHandout(data).build()
