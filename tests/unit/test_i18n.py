"""The translation catalogue: languages, plural rules, the pseudo-language, the command line."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from conftest import run_cli

from nrp_desktop import i18n


@pytest.fixture(autouse=True)
def english_again():
    yield
    i18n.set_language("en")


def test_language_codes_are_normalised_and_unknown_ones_refused():
    assert i18n.language("ur-PK").code == "ur"
    assert i18n.language("PL_pl.UTF-8").code == "pl"
    with pytest.raises(i18n.UnknownLanguage, match="'xx' is not a language"):
        i18n.language("xx")


def test_system_language_falls_back_to_english(monkeypatch):
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "pl_PL.UTF-8")
    assert i18n.system_language() == "pl"
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    assert i18n.system_language() == "en"


def test_pseudo_language_wraps_and_lengthens_every_string():
    i18n.set_language(i18n.PSEUDO)
    text = i18n.gettext("Add priority")
    assert text.startswith("⟦Add priority") and text.endswith("⟧")
    assert len(text) >= len("Add priority") * 1.4
    assert "%s" in i18n.gettext("Keep apart: %s")  # a text of the template (see test_pseudo_language)


def test_environment_chooses_the_language(monkeypatch):
    monkeypatch.setenv(i18n.LANGUAGE_ENV, "ur")
    assert i18n.set_language(None) == "ur"
    assert i18n.current().direction == "rtl"


def test_dates_are_written_as_each_language_writes_them():
    day = dt.date(2026, 12, 1)
    assert i18n.format_date(day, code="en") == "1 December 2026"
    assert i18n.format_date(day, code="pl") == "1 grudnia 2026"
    assert "دسمبر" in i18n.format_date(day, code="ur")


def test_languages_command_reports_every_language():
    result = run_cli("languages", "--json")
    assert result.returncode == 0, result.stderr
    rows = {row["code"]: row for row in json.loads(result.stdout)}
    assert set(rows) == {"en", "pl", "ur"}
    assert rows["ur"]["direction"] == "rtl" and rows["pl"]["direction"] == "ltr"
    assert rows["en"]["translated"] == rows["en"]["total"] > 300
    assert all(row["total"] == rows["en"]["total"] for row in rows.values())


def test_an_unknown_language_is_refused_with_one_line():
    result = run_cli("--language", "xx", "sessions")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "'xx' is not a language" in result.stderr


def test_the_counts_count_each_string_once_and_plurals_only_with_every_form(tmp_path):
    import importlib.util
    from pathlib import Path

    script = Path(__file__).resolve().parents[2] / "db" / "build_translations.py"
    spec = importlib.util.spec_from_file_location("build_translations", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    (tmp_path / "nrp_desktop.pot").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Add priority"\nmsgstr ""\n\n'
        'msgctxt "menu"\nmsgid "Open"\nmsgstr ""\n\n'
        'msgid "Open"\nmsgstr ""\n\n'
        'msgid "{n} vote"\nmsgid_plural "{n} votes"\nmsgstr[0] ""\nmsgstr[1] ""\n\n'
        'msgid "{n} priority"\nmsgid_plural "{n} priorities"\nmsgstr[0] ""\nmsgstr[1] ""\n',
        encoding="utf-8")
    folder = tmp_path / "pl" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "nrp_desktop.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || '
        'n%100>=20) ? 1 : 2);\\n"\n\n'
        'msgid "Add priority"\nmsgstr "Dodaj priorytet"\n\n'
        'msgctxt "menu"\nmsgid "Open"\nmsgstr "Otwórz"\n\n'
        '#, fuzzy\nmsgid "Open"\nmsgstr "Otwórz"\n\n'
        'msgid "{n} vote"\nmsgid_plural "{n} votes"\nmsgstr[0] "{n} głos"\nmsgstr[1] "{n} głosy"\n'
        'msgstr[2] "{n} głosów"\n\n'
        'msgid "{n} priority"\nmsgid_plural "{n} priorities"\nmsgstr[0] "{n} priorytet"\n'
        'msgstr[1] "{n} priorytety"\nmsgstr[2] ""\n\n'
        'msgid "Gone from the code"\nmsgstr "Usunięte"\n',
        encoding="utf-8")
    index = module.build_translations(tmp_path, tmp_path / "out")
    # Five strings (the two "Open"s differ by context); Polish translates three of them: not
    # the fuzzy one, not the plural missing its third form, and not one the code no longer has.
    assert index == {"total": 5, "translated": {"pl": 3}}
    import gettext

    compiled = gettext.translation("nrp_desktop", localedir=str(tmp_path / "out"), languages=["pl"])
    assert compiled.ngettext("{n} vote", "{n} votes", 5) == "{n} głosów"
    assert compiled.ngettext("{n} vote", "{n} votes", 3) == "{n} głosy"
    # The plural missing a form is not compiled: English, never an empty text.
    assert compiled.ngettext("{n} priority", "{n} priorities", 5) == "{n} priorities"
    assert compiled.gettext("Open") == "Open"  # the fuzzy one


def test_isolate_sets_user_text_apart_in_its_own_direction():
    from bidi import get_display

    assert i18n.isolate("What next?") == "\u2068What next?\u2069"
    assert i18n.isolate("") == ""
    line = "پرچہ برائے: %s"
    # Without isolates the English title's "?" lands at the far (left) end of the Urdu line,
    # before the title; isolated it stays right after "next".
    assert get_display(line % "What next?").startswith("?What next")
    assert get_display(line % i18n.isolate("What next?")).startswith("\u2069What next?\u2068")
