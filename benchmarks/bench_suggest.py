"""How well and how fast the suggestion engine links lessons to a priority.

    .venv/bin/python benchmarks/bench_suggest.py

Quality: for realistic priority texts (written for this benchmark, in a group's own words), is a
lesson drawn from the neighbourhood that worked on that problem among the top 3 suggestions?
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


def main() -> None:
    from nrp_desktop.services.library import LibraryService
    from nrp_desktop.services.suggest import SuggestionEngine

    library = LibraryService().library
    engine = SuggestionEngine(library)
    hits, empty, misses = 0, 0, []
    for text, domains, expected in CASES:
        top = engine.suggest(text, list(domains), limit=3)
        if not top:
            empty += 1
        drawn = {slug for s in top for slug in s.lesson.neighbourhoods if not s.lesson.programme_wide}
        if drawn & set(expected):
            hits += 1
        else:
            misses.append((text, [s.lesson.slug for s in top]))
    print(f"top-3 quality: {hits}/{len(CASES)} priorities ({100 * hits / len(CASES):.0f}%) have a lesson "
          f"drawn from the expected neighbourhood in the top 3; {empty} got no suggestion at all")
    for text, got in misses:
        print(f"  missed: {text!r} -> {got}")

    prefixes = [text[:end] for text, _d, _e in CASES for end in range(3, len(text) + 1)]
    timings = []
    for prefix in prefixes:
        start = time.perf_counter()
        engine.suggest(prefix, limit=5, partial_last_word=True)
        timings.append((time.perf_counter() - start) * 1000)
    stems = [set(prefix.lower().split()) for prefix in prefixes]
    vocabulary = {word for case in CASES for word in case[0].lower().split()}
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
