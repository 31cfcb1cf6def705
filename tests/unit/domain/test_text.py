from nrp_desktop.domain.text import fold, fold_with_offsets, stem, stems, words


def test_fold_removes_accents_and_polish_l():
    assert fold("Łódź") == "lodz"
    assert fold("Café STRASSE Straße") == "cafe strasse strasse"


def test_fold_with_offsets_maps_back_to_source():
    folded, offsets = fold_with_offsets("aßb")
    assert folded == "assb"
    assert offsets == [0, 1, 1, 2]


def test_stem_brings_word_forms_together():
    assert stem("lonely") == stem("loneliness") == stem("lone")
    assert stem("isolated") == stem("isolation")
    assert stem("housing") == stem("house") == stem("houses")
    assert stem("jobs") == stem("job")
    assert stem("shopping") == stem("shops")
    assert stem("business") != stem("bus")


def test_words_and_stems_skip_stop_words():
    assert words("The Bus, the ROUTE!") == ["the", "bus", "the", "route"]
    assert stems("the buses and the routes") == ["bus", "rout"]
