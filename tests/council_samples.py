"""Sample sessions for the council-database tests: several halls, neighbourhoods and months,
titles that say the same in different words' forms, rated and unrated domains, any script."""

from __future__ import annotations

import datetime as dt

from nrp_desktop.domain.session import Action, Priority, Session


def sample_sessions() -> list[Session]:
    def priority(title: str, votes: int, domains: list[str], actions: int = 0) -> Priority:
        return Priority(title=title, votes=votes, domains=domains,
                        actions=[Action(what=f"{title}: step {n + 1}", who="Ann") for n in range(actions)])

    first = Session(
            id="00000000-0000-4000-8000-000000000001", title="Spring in Bootle", date=dt.date(2027, 3, 2),
            venue="St Leonard's hall", neighbourhood="Bootle", participants=14,
            ratings={"social-connectedness": 3, "economic-resources": 5},
            groups=["Table 1", "Table 2"],
            priorities=[
                priority("Safer crossings near the school", 9, ["environmental-conditions"], actions=2),
                priority("A youth club on Fridays", 7, ["social-connectedness", "cultural-coherence"], 1),
                priority("More benches in the park", 2, []),
            ],
        )
    crossing = first.priorities[0]
    crossing.table_votes = {"Table 1": 5, "Table 2": 4}
    crossing.group = "Table 1"
    crossing.actions[0].status, crossing.actions[0].progress = "done", "The council painted it in May"
    crossing.actions[0].updated = dt.date(2027, 3, 15)
    crossing.actions[1].status = "started"
    return [
        first,
        Session(
            id="00000000-0000-4000-8000-000000000002", title="Bootle again", date=dt.date(2027, 3, 20),
            venue="", neighbourhood="  bootle ", participants=None, follows=first.id,
            ratings={"social-connectedness": 4},
            priorities=[
                priority("safer crossing near the schools", 9, ["environmental-conditions", "governance-systems"]),
                priority("Youth club on Friday", 3, ["social-connectedness"], actions=1),
            ],
        ),
        Session(
            id="00000000-0000-4000-8000-000000000003", title="Westminster café", date=dt.date(2027, 4, 11),
            venue="Westminster community centre", neighbourhood="Westminster", participants=22,
            ratings={slug: 2 + n for n, slug in enumerate(
                ["social-connectedness", "cultural-coherence", "economic-resources",
                 "environmental-conditions", "governance-systems"])},
            priorities=[
                priority("Warm spaces in winter", 12, ["economic-resources"], actions=3),
                priority("زیادہ بینچ پارک میں", 4, ["environmental-conditions"]),
                priority("A youth club on Fridays", 1, ["social-connectedness"]),
            ],
        ),
        Session(
            id="00000000-0000-4000-8000-000000000004", title="Empty evening", date=dt.date(2027, 5, 1),
            neighbourhood="Westminster",
        ),
    ]


def sessions_across_years() -> list[Session]:
    """More sessions, in other years (the years' running totals), raising the samples' titles."""
    def priority(title: str, votes: int, domains: list[str], actions: int = 0) -> Priority:
        return Priority(title=title, votes=votes, domains=domains,
                        actions=[Action(what=f"{title}: step {n + 1}", who="Bo") for n in range(actions)])

    return [
        Session(
            id="00000000-0000-4000-8000-000000000011", title="Bootle at the year's end", date=dt.date(2026, 12, 31),
            neighbourhood="Bootle", participants=9, ratings={"governance-systems": 6},
            priorities=[priority("Safer crossings near the school", 4, ["governance-systems"], actions=1),
                        priority("Warm spaces in winter", 8, ["economic-resources", "social-connectedness"])],
        ),
        Session(
            id="00000000-0000-4000-8000-000000000012", title="New year in Westminster", date=dt.date(2026, 1, 1),
            neighbourhood="Westminster", participants=30, ratings={"social-connectedness": 7, "cultural-coherence": 1},
            priorities=[priority("Warm spaces in the winter", 15, ["economic-resources"], actions=2),
                        priority("A youth club on Fridays", 2, [])],
        ),
        Session(
            id="00000000-0000-4000-8000-000000000013", title="Bootle next year", date=dt.date(2028, 1, 15),
            neighbourhood="Bootle",
            priorities=[priority("Youth clubs on Fridays", 11, ["social-connectedness"], actions=1)],
        ),
        Session(
            id="00000000-0000-4000-8000-000000000014", title="Midsummer", date=dt.date(2025, 6, 30),
            neighbourhood="Westminster", participants=5, ratings={"environmental-conditions": 2},
            priorities=[priority("More benches in the park", 6, ["environmental-conditions"]),
                        priority("Safer crossing near schools", 1, ["environmental-conditions"])],
        ),
    ]
