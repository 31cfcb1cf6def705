"""How well and how fast the suggestion engine links lessons to a priority.

    .venv/bin/python benchmarks/bench_suggest.py

Quality: for realistic priority texts (written for this benchmark, in a group's own words), is a
lesson drawn from the neighbourhood that worked on that problem among the top 3 suggestions?
Three sets: CASES (close to how a facilitator writes a priority), RESIDENT_CASES (written from how
residents talk: "kids", "skint", "bins", not the content's words), and NOTHING_FITS (things the
programme never worked on: these must get no suggestion, so "No lesson fits" stays honest). The
learning tool's own card titles must each get one of the lessons their card links.
Speed: suggestion latency while typing (every prefix of every text), against a bare baseline of
the same number of Python set intersections.
"""

from __future__ import annotations

import statistics
import time

# (priority text, domains the group gave it, case studies whose lessons should come up)
CASES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("Nobody knows where to get help with debt", ("economic-resources",), ("central-southport-sefton",)),
    ("Payday loans and loan sharks on the estate", (), ("central-southport-sefton",)),
    ("People are too ashamed to go to the advice centre about money", (), ("central-southport-sefton",)),
    ("The advice services are hard to find and never answer", ("economic-resources",), ("central-southport-sefton",)),
    ("No jobs for young people round here", ("economic-resources",), ("moss-bay-salterbeck-cumbria",)),
    ("Employers want skills and qualifications we don't have", (), ("moss-bay-salterbeck-cumbria",)),
    ("Since the steelworks closed there is no work", (), ("moss-bay-salterbeck-cumbria",)),
    ("The high street is full of empty shops", ("economic-resources",), ("old-swan-liverpool",)),
    ("Local businesses never talk to each other", (), ("old-swan-liverpool",)),
    ("Traffic fumes and air pollution on the main road", ("environmental-conditions",), ("old-swan-liverpool",)),
    (
        "Back alleys full of rubbish and fly-tipping",
        ("environmental-conditions",),
        ("st-georges-preston", "mill-hill-blackburn"),
    ),
    ("Children have nowhere safe to play", (), ("st-georges-preston",)),
    ("Dog fouling and litter in the alleyways", (), ("st-georges-preston",)),
    ("We want a clean-up day for the estate", (), ("mill-hill-blackburn", "st-georges-preston")),
    ("Older neighbours are lonely since the bus route was cut", ("social-connectedness",), ("worsley-haslingden",)),
    ("Buses are too rare to get to hospital appointments", (), ("worsley-haslingden", "moss-bay-salterbeck-cumbria")),
    (
        "People feel isolated and don't know what groups exist",
        ("social-connectedness",),
        ("worsley-haslingden", "stockbridge-village-knowsley"),
    ),
    ("Loneliness among people living alone", (), ("stockbridge-village-knowsley", "worsley-haslingden")),
    ("Hidden struggles with drugs and alcohol nobody talks about", (), ("stockbridge-village-knowsley",)),
    ("Nothing for LGBT adults in the area", (), ("stockbridge-village-knowsley",)),
    (
        "Tell the story of our area so outsiders stop looking down on us",
        ("cultural-coherence",),
        ("worsley-haslingden", "stockbridge-village-knowsley", "moss-bay-salterbeck-cumbria"),
    ),
    ("Private landlords let houses fall apart", ("environmental-conditions",), ("claremont-blackpool",)),
    ("People move in and out so fast nobody knows anyone", (), ("claremont-blackpool",)),
    ("Residents don't trust the council or professionals", ("governance-systems",), ("claremont-blackpool",)),
    ("Poor housing is making people ill", (), ("claremont-blackpool",)),
    (
        "The council never asks us before deciding",
        ("governance-systems",),
        ("old-swan-liverpool", "stockbridge-village-knowsley"),
    ),
    (
        "Residents should sit on the boards that decide about our area",
        ("governance-systems",),
        ("old-swan-liverpool", "stockbridge-village-knowsley"),
    ),
    (
        "We need to find out what people really think before we act",
        (),
        ("mill-hill-blackburn", "st-georges-preston", "central-southport-sefton",
         "moss-bay-salterbeck-cumbria", "worsley-haslingden"),
    ),
    ("Parks and council facilities are hardly used", (), ("mill-hill-blackburn",)),
    ("Nobody feels involved in what happens locally", ("social-connectedness",), ("mill-hill-blackburn",)),
)


# Written from residents' own talk, not from the content: no sentence copies a content phrase.
RESIDENT_CASES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("kids have nowhere safe to play", (), ("st-georges-preston",)),
    ("the kids play in the road because there's no park", (), ("st-georges-preston",)),
    ("our flat is full of damp and mould and the landlord won't fix it", (), ("claremont-blackpool",)),
    ("the bins are overflowing and nobody collects them", (), ("st-georges-preston", "mill-hill-blackburn")),
    ("people dump old mattresses round the back", (), ("st-georges-preston", "mill-hill-blackburn")),
    ("dog mess everywhere on the way to school", (), ("st-georges-preston",)),
    ("I'm skint by the end of every month", (), ("central-southport-sefton",)),
    ("people owe money to loan sharks and they're scared", (), ("central-southport-sefton",)),
    ("you can never get through to anyone about the bills", (), ("central-southport-sefton",)),
    ("my son can't find a job anywhere round here", (), ("moss-bay-salterbeck-cumbria",)),
    ("the job centre just sends you on pointless courses", (), ("moss-bay-salterbeck-cumbria",)),
    ("half the shops on the main road are boarded up", (), ("old-swan-liverpool",)),
    ("lorries thunder past all day and the fumes are awful", (), ("old-swan-liverpool",)),
    ("my mum hasn't left the house in weeks, she's on her own", (),
     ("stockbridge-village-knowsley", "worsley-haslingden")),
    ("the bus only comes twice a day so I miss my hospital appointments", (),
     ("worsley-haslingden", "moss-bay-salterbeck-cumbria")),
    ("there's nothing for gay people round here", (), ("stockbridge-village-knowsley",)),
    ("too many people drinking and taking drugs on the estate", (), ("stockbridge-village-knowsley",)),
    ("the council never listens to us", (), ("old-swan-liverpool", "central-southport-sefton")),
    ("people look down on us because of where we live", (),
     ("worsley-haslingden", "stockbridge-village-knowsley", "moss-bay-salterbeck-cumbria")),
    ("nobody trusts the council round here", (), ("claremont-blackpool",)),
    ("people come and go, nobody stays long enough to get to know anyone", (), ("claremont-blackpool",)),
    ("the back lane is a disgrace", (), ("st-georges-preston", "mill-hill-blackburn")),
    ("the advice place is never open when you need it", (), ("central-southport-sefton",)),
    ("nobody knows what's on round here", (), ("worsley-haslingden", "mill-hill-blackburn")),
    ("the youngsters have nothing to do", (), ("st-georges-preston", "mill-hill-blackburn")),
    ("the air is filthy outside the school", (), ("old-swan-liverpool",)),
    ("the little shops are struggling to survive", (), ("old-swan-liverpool",)),
    ("we should ask people what they really think before doing anything", (),
     ("mill-hill-blackburn", "st-georges-preston", "central-southport-sefton",
      "moss-bay-salterbeck-cumbria", "worsley-haslingden", "stockbridge-village-knowsley")),
    ("renting round here is a nightmare", (), ("claremont-blackpool",)),
    ("getting to the doctors is impossible without a car", (),
     ("worsley-haslingden", "moss-bay-salterbeck-cumbria")),
)

# Written after the everyday-words list was settled, and never used to tune it: a fair check.
HELD_OUT_CASES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("the alley behind our houses is full of rats and rubbish", (), ("st-georges-preston", "mill-hill-blackburn")),
    ("people are getting into debt with catalogues and payday lenders", (), ("central-southport-sefton",)),
    ("there's no work for school leavers", (), ("moss-bay-salterbeck-cumbria",)),
    ("the high street is nothing but charity shops and bookies", (), ("old-swan-liverpool",)),
    ("older people feel forgotten and never see anyone", (),
     ("stockbridge-village-knowsley", "worsley-haslingden")),
    ("the estate gets a bad name in the papers", (),
     ("worsley-haslingden", "stockbridge-village-knowsley", "moss-bay-salterbeck-cumbria")),
    ("cars fly down our street and it's not safe to cross", (), ("st-georges-preston", "old-swan-liverpool")),
    ("the landlords don't care about the state of the houses", (), ("claremont-blackpool",)),
    ("we never get told about decisions until it's too late", (),
     ("old-swan-liverpool", "central-southport-sefton")),
    ("there's no bus after six so people can't get to work", (),
     ("worsley-haslingden", "moss-bay-salterbeck-cumbria")),
    ("people don't use the advice centre because they're embarrassed", (), ("central-southport-sefton",)),
    ("nobody from the council ever comes to see us", (),
     ("claremont-blackpool", "old-swan-liverpool", "central-southport-sefton")),
)

# Things no lesson is about: each must get no suggestion at all.
NOTHING_FITS: tuple[str, ...] = (
    "the weather has been lovely this week",
    "my laptop battery keeps dying",
    "the tea urn in the hall is broken",
    "the football match on Saturday",
    "a recipe for Victoria sponge cake",
    "who won the quiz last night",
)


def _quality(engine, cases, label: str) -> None:  # type: ignore[no-untyped-def]
    hits, empty, misses = 0, 0, []
    for text, domains, expected in cases:
        top = engine.suggest(text, list(domains), limit=3)
        if not top:
            empty += 1
        drawn = {slug for s in top for slug in s.lesson.neighbourhoods if not s.lesson.programme_wide}
        if drawn & set(expected):
            hits += 1
        else:
            misses.append((text, [s.lesson.slug for s in top]))
    print(f"{label}: {hits}/{len(cases)} priorities ({100 * hits / len(cases):.0f}%) have a lesson "
          f"drawn from the expected neighbourhood in the top 3; {empty} got no suggestion at all")
    for text, got in misses:
        print(f"  missed: {text!r} -> {got}")


def main() -> None:
    from nrp_desktop.services.library import LibraryService
    from nrp_desktop.services.suggest import SuggestionEngine

    library = LibraryService().library
    engine = SuggestionEngine(library)
    _quality(engine, CASES, "top-3 quality, facilitators' wording")
    _quality(engine, RESIDENT_CASES, "top-3 quality, residents' everyday words")
    _quality(engine, HELD_OUT_CASES, "top-3 quality, residents' words, held out")
    wrongly = [(text, [s.lesson.slug for s in engine.suggest(text, limit=3)]) for text in NOTHING_FITS]
    wrongly = [(text, got) for text, got in wrongly if got]
    print(f"nothing fits: {len(NOTHING_FITS) - len(wrongly)}/{len(NOTHING_FITS)} unrelated phrases "
          f"rightly get no suggestion")
    for text, got in wrongly:
        print(f"  wrongly suggested: {text!r} -> {got}")
    card_hits = 0
    for card in library.tool_cards:
        top = [s.lesson.slug for s in engine.suggest(card.title, limit=3)]
        if set(top) & set(card.lessons):
            card_hits += 1
        else:
            print(f"  card title missed: {card.title!r} -> {top} (card links {list(card.lessons)})")
    print(f"card titles: {card_hits}/{len(library.tool_cards)} of the learning tool's card titles get "
          f"one of their card's lessons in the top 3")

    every_case = CASES + RESIDENT_CASES + HELD_OUT_CASES
    prefixes = [text[:end] for text, _d, _e in every_case for end in range(3, len(text) + 1)]
    timings = []
    for prefix in prefixes:
        start = time.perf_counter()
        engine.suggest(prefix, limit=5, partial_last_word=True)
        timings.append((time.perf_counter() - start) * 1000)
    stems = [set(prefix.lower().split()) for prefix in prefixes]
    vocabulary = {word for case in every_case for word in case[0].lower().split()}
    baseline = []
    for words in stems:
        start = time.perf_counter()
        for _lesson in library.lessons:
            _ = words & vocabulary
        baseline.append((time.perf_counter() - start) * 1000)
    median, base = statistics.median(timings), statistics.median(baseline)
    timings.sort()
    print(f"suggestion latency while typing ({len(prefixes)} keystrokes): median {median:.2f} ms, "
          f"p95 {timings[int(len(timings) * 0.95)]:.2f} ms (goal: median < 10 ms); "
          f"{median / base:.0f}x a bare loop of set intersections over the lessons ({base:.3f} ms)")


if __name__ == "__main__":
    main()
