"""Matching residents' everyday words: whole words, by stem, phrases as runs of words."""

from __future__ import annotations

from nrp_desktop.domain.everyday import EverydayWord, alternatives_for, matched_entries
from nrp_desktop.domain.text import words

BINS = EverydayWord(("bins", "bin men"), ("litter",), ("environmental-conditions",))
DOG = EverydayWord(("dog mess",), ("dog fouling",), ("environmental-conditions",))
ENTRIES = (BINS, DOG)


def test_a_form_matches_by_stem_and_whole_word():
    assert alternatives_for(words("the bin is full"), ENTRIES)[1] == (BINS,)
    assert alternatives_for(words("Bins everywhere"), ENTRIES)[0] == (BINS,)
    assert matched_entries("a cabinet", ENTRIES) == ()  # "bin" inside a word is not "bin"


def test_a_phrase_covers_each_of_its_words_only_as_a_run():
    covered = alternatives_for(words("dog mess on the path"), ENTRIES)
    assert covered[0] == (DOG,) and covered[1] == (DOG,) and covered[2] == ()
    assert matched_entries("my dog made a mess", ENTRIES) == ()


def test_entries_come_back_in_list_order():
    assert matched_entries("dog mess and bins", ENTRIES) == (BINS, DOG)
    assert alternatives_for([], ENTRIES) == []
    assert alternatives_for(words("bins"), ()) == [()]
