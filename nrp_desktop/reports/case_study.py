"""The handout of one neighbourhood's case study, from the library: one or two pages."""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import (
    BalancedColumns,
    Flowable,
    HRFlowable,
)

from nrp_desktop import APP_NAME
from nrp_desktop.domain.content import CaseStudy, ContentLibrary
from nrp_desktop.domain.handout import (
    HandoutOptions,
)
from nrp_desktop.reports.document import (
    RULE_GREY,
    Layout,
    layout_for,
    render_pdf,
)
from nrp_desktop.reports.flowables import (
    domain_chips,
    kicker,
)
from nrp_desktop.reports.fonts import SANS_BOLD, register_fonts
from nrp_desktop.reports.markup import (
    MUTED,
    Paragraph,
    html_sections,
    html_to_flowables,
    make_text_styles,
)


def build_case_study_pdf(case_study: CaseStudy, library: ContentLibrary,
                         options: HandoutOptions | None = None) -> bytes:
    """A one- or two-page handout of one neighbourhood's case study, from the library.

    Normal print sets the account in two columns: its many short list items would leave half of
    every line empty across the full width, and a third page. Large print keeps one column
    and takes the pages it needs.
    """
    register_fonts()
    options = options or HandoutOptions()
    layout = layout_for(options)
    if not options.large_print:
        layout = Layout(make_text_styles(size=10.5, line_height=1.25, space=0.6), False,
                         footer_size=8.5, compass_size=9, padding=4, write_row_height=10 * mm)
    styles = layout.text
    size = layout.size
    story: list[Flowable] = [
        kicker("Neighbourhood Resilience Programme · case study", layout),
        Paragraph(escape(case_study.title), styles.title),
    ]
    facts = [part for part in (case_study.place, case_study.council) if part]
    if facts:
        story.append(Paragraph(escape(" · ".join(facts)), styles.body.clone(
            "facts", textColor=MUTED, spaceAfter=size * 0.3)))
    if case_study.topic:
        story.append(Paragraph(f"<b>Topic:</b> {escape(case_study.topic)}", styles.body))
    if case_study.domains:
        story.append(domain_chips(case_study.domains, styles.body))
    story.append(HRFlowable(width="100%", thickness=0.8, color=RULE_GREY,
                            spaceBefore=size * 0.2, spaceAfter=size * 0.6))
    if case_study.summary:
        story.append(Paragraph(escape(case_study.summary),
                               styles.body.clone("lead", fontName=SANS_BOLD)))
    body: list[Flowable] = []
    sources: list[Flowable] = []  # full width, where long web addresses fit on a line
    for heading, html in html_sections(case_study.html):
        if heading.strip().lower() == "sources":
            small = make_text_styles(size=size * 0.8, line_height=1.25 if not layout.large
                                     else 1.5, space=0.4)
            sources.append(Paragraph(escape(heading), styles.h3))
            sources += html_to_flowables(html, small)
            continue
        if heading:
            body.append(Paragraph(escape(heading), styles.h2))
        body += html_to_flowables(html, styles)
    if layout.large:
        story += body
    else:
        story.append(BalancedColumns(body, nCols=2, spaceBefore=0, spaceAfter=0,
                                     innerPadding=size * 0.9))
    story += sources
    # The edition goes in the footer: a line of its own can push a page-two text onto page three.
    footer = f"{case_study.title}  ·  {APP_NAME}, content edition {library.version}"
    return render_pdf(story, title=case_study.title, subject="Case study", language="en",
                   footer_text=footer, options=options, layout=layout)
