"""The words of the phone page, in the app's one catalogue (nrp_desktop.i18n).

Marked with N_ here so the translation template picks them up; `page_strings` gives them in the
session's language when the catalogue translates the page, else in English (never English words
laid out right to left). `{n}` and `{title}` are filled in by the page; plural forms are chosen
there by the phone's own rules (`_zero`, `_one`, `_other`, and `_few`/`_many` where a language
adds them).
"""

from __future__ import annotations

from nrp_desktop import i18n
from nrp_desktop.i18n import N_

PAGE_TEXT: dict[str, str] = {
    "page_title": N_("Votes"),
    "join_heading": N_("Vote on the priorities"),
    "join_explain": N_("Type the six-digit code shown on the screen at the front."),
    "code_label": N_("Code"),
    "join_button": N_("Join"),
    "joining": N_("Joining…"),
    "wrong_code": N_("That code is not right. Look at the screen and try again."),
    "too_many_tries": N_("Too many wrong codes. Please wait a few minutes, then try again."),
    "code_needed": N_("Please type the six digits."),
    "restarted": N_("The voting has started again. Type the new code from the screen."),
    "vote_heading": N_("Place your dots"),
    "vote_explain": N_("Tap “Place a dot” on the priorities that matter most to you. You can put more than "
                       "one dot on the same one."),
    "dots_left_zero": N_("All your dots are placed"),
    "dots_left_one": N_("You have 1 dot left"),
    "dots_left_other": N_("You have {n} dots left"),
    "votes_zero": N_("No dots yet"),
    "votes_one": N_("1 dot in the room"),
    "votes_other": N_("{n} dots in the room"),
    "mine_one": N_("1 of them is yours"),
    "mine_other": N_("{n} of them are yours"),
    "place_dot": N_("Place a dot"),
    "take_back": N_("Take back"),
    "place_dot_on": N_("Place a dot on: {title}"),
    "take_back_from": N_("Take back a dot from: {title}"),
    "no_dots_left": N_("You have placed all your dots. Take one back to move it."),
    "gone": N_("That priority was just removed. The list is up to date again."),
    "no_priorities": N_("There are no priorities yet. Suggest one below."),
    "idea_heading": N_("Suggest a priority"),
    "idea_label": N_("Your idea, in a few words"),
    "idea_button": N_("Send my idea"),
    "idea_sent": N_("Thank you. The facilitator will look at your idea."),
    "idea_empty": N_("Please write your idea first."),
    "idea_limit": N_("You have sent as many ideas as you can for now."),
    "too_fast": N_("Slow down a little, then try again."),
    "offline": N_("Cannot reach the laptop. Are you on the hall’s Wi-Fi?"),
    "stopped": N_("The voting has finished. Thank you!"),
    "problem": N_("Something went wrong. Please try again."),
}


def page_language(code: str) -> i18n.Language:
    """The session's language when the catalogue translates the page into it, else English."""
    try:
        wanted = i18n.language(code)
    except i18n.UnknownLanguage:
        return i18n.language("en")
    probe = PAGE_TEXT["join_heading"]
    if wanted.code != "en" and i18n.translate_in(wanted.code, probe) == probe:
        return i18n.language("en")
    return wanted


def page_strings(code: str) -> dict[str, str]:
    """What the page's /strings.json holds: every text, and the language's tag and direction."""
    chosen = page_language(code)
    texts = {key: i18n.translate_in(chosen.code, text) for key, text in PAGE_TEXT.items()}
    return {"lang": chosen.code, "dir": chosen.direction, **texts}
