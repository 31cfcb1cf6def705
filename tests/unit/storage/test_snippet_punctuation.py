"""Search snippets keep the punctuation between a heading and what follows it (issue 12, item 10):
the plain text the content build stores ends each heading and list item with a mark."""

from __future__ import annotations

from markdown_pipeline import render_markdown

from nrp_desktop.services.library import LibraryService


def test_headings_and_list_items_end_with_punctuation_in_the_plain_text() -> None:
    source = ("## Questions to ask\n\nWhere do people go?\n\n### Challenges\n\n"
              "- loneliness\n- their children's future\n- making ends meet.\n\n## Done?\n\nYes.")
    assert render_markdown(source).plain_text == (
        "Questions to ask. Where do people go? Challenges. loneliness; their children's future; "
        "making ends meet. Done? Yes.")


def test_a_snippet_does_not_run_a_heading_into_the_next_sentence(library_service: LibraryService) -> None:
    hits = library_service.search("where do people here go when money is tight", limit=10)
    snippets = [hit.snippet for hit in hits if "Questions to ask" in hit.snippet]
    assert snippets, [hit.snippet for hit in hits]
    assert any("Questions to ask. Where" in snippet for snippet in snippets)
    assert not any("Questions to ask Where" in snippet for snippet in snippets)
