"""`report --language` (contract 5.3): the handout's language is the option's, else the session's
own `language` when the app speaks it, else the command line's; the handout says which."""

from __future__ import annotations

from conftest import pdf_text, run_cli, write_session_document
from pypdf import PdfReader


def _html(tmp_path, *args: str, env: dict[str, str] | None = None, **fields) -> str:
    source = write_session_document(tmp_path / "evening.nrpsession",
                                    priorities=[{"title": "Safer crossings", "votes": 3}], **fields)
    out = tmp_path / "handout.html"
    result = run_cli("report", str(source), "-o", str(out), *args, env=env)
    assert result.returncode == 0, result.stderr
    return out.read_text(encoding="utf-8")


def test_the_session_s_own_language_chooses_the_handout_s(tmp_path):
    page = _html(tmp_path, language="ur")
    assert '<html lang="ur" dir="rtl">' in page
    # A language the app does not speak: the command line's (English here).
    assert '<html lang="en" dir="ltr">' in _html(tmp_path, language="so")


def test_the_option_wins_and_the_pdf_carries_its_language(tmp_path):
    assert '<html lang="pl" dir="ltr">' in _html(tmp_path, "--language", "pl", language="ur")
    source = write_session_document(tmp_path / "evening.nrpsession", language="en")
    out = tmp_path / "handout.pdf"
    result = run_cli("report", str(source), "-o", str(out), "--language", "pl")
    assert result.returncode == 0, result.stderr
    assert PdfReader(str(out)).trailer["/Root"]["/Lang"] == "pl"
    # The handout says, in its language, that the bundled content stays English (the Polish
    # words once translated; the catalogue's own until then); an English handout need not.
    from nrp_desktop import i18n

    note = i18n.Speaker("pl").gettext(
        "The lessons and case studies in this handout come from the programme's bundled "
        "content, which is in English in every language of NRP Desktop.")
    assert " ".join(note.split()[:6]) in pdf_text(out.read_bytes())
    english = tmp_path / "english.pdf"
    assert run_cli("report", str(source), "-o", str(english)).returncode == 0
    assert "which is in English in every language" not in pdf_text(english.read_bytes())


def test_the_pseudo_language_shows_the_note_and_an_unknown_one_is_refused(tmp_path):
    page = _html(tmp_path, "--language", "pseudo")
    assert "⟦The lessons and case studies in this handout come from" in page
    source = write_session_document(tmp_path / "evening.nrpsession")
    result = run_cli("report", str(source), "-o", str(tmp_path / "x.pdf"), "--language", "xx")
    assert result.returncode == 2
    assert "'xx' is not a language" in result.stderr
    assert not (tmp_path / "x.pdf").exists()
