"""Words the printed documents share, spelled the same in the PDF and the HTML handout."""

from __future__ import annotations

import datetime as dt

from nrp_desktop.i18n import Speaker


def long_date(day: dt.date, speaker: Speaker | None = None) -> str:
    """"Wednesday 18 November 2026" as the document's language writes it, whatever the
    machine's locale (strftime would follow it)."""
    speaker = speaker or Speaker("en")
    text = speaker.format_date(day, "full")
    # British English writes no comma after the weekday on a handout's date line.
    return text.replace(",", "", 1) if speaker.language.babel_locale == "en_GB" else text
