"""Writes the ILLUSTRATIVE online vote of the Leverkusen case: cases/leverkusen-2040/votes/
online-beteiligung-2025.pb (a Pabulib file) and its mapping.csv (project -> measure).

Run from the repository root: ``.venv/bin/python scripts/make_leverkusen_vote.py``. The same seed
gives the same bytes. Nothing in the files is the city's data: only the number of voters (808,
like the city's online survey of 28.11.-24.12.2025, facts S6) and the Stadtbezirke's populations
(case.yaml, facts P1) are sourced; every ballot is drawn from this model:

- a voter lives in a Stadtbezirk with probability proportional to its population, tilted by an
  assumed turnout (Stadtbezirk III a little above, I a little below); 4 % give no district;
- a voter's liking of a measure is 0.9 x (acceptance_1_5 - 3) + 1.0 if the measure lies in the
  voter's Stadtbezirk + 0.3 if it serves the whole city, plus a taste of 0.6 x a standard normal
  per voter and Leitziel (the measure's mean over its goals), plus Gumbel noise of scale 0.8;
- a voter approves the 1 + Binomial(9, 0.45) measures liked best (at most 10, the vote's
  max_length).
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lev2040_mcda.case import district_and_parents, load_case  # noqa: E402

CASE = ROOT / "cases" / "leverkusen-2040"
OUT = CASE / "votes"
SEED = 2025
VOTERS = 808
MAX_LENGTH = 10
BEZIRKE = ("bezirk_1", "bezirk_2", "bezirk_3")
TURNOUT = {"bezirk_1": 0.9, "bezirk_2": 1.0, "bezirk_3": 1.1}  # assumed, relative
NO_DISTRICT = 0.04


def main() -> None:
    case = load_case(CASE)
    rng = np.random.default_rng(SEED)
    parent = {d.id: d.parent for d in case.config.districts}
    population = {d.id: d.population for d in case.config.districts}
    measures = case.measures
    home = [
        next((b for b in district_and_parents(m.district, parent) if b in BEZIRKE), None) for m in measures
    ]
    acceptance = np.array([m.performance["acceptance_1_5"] for m in measures])
    goals = sorted({g for m in measures for g in m.goals})
    share = np.array([population[b] * TURNOUT[b] for b in BEZIRKE], dtype=float)
    share /= share.sum()

    lives = rng.choice(len(BEZIRKE), size=VOTERS, p=share)
    silent = rng.random(VOTERS) < NO_DISTRICT
    taste = rng.normal(0.0, 0.6, size=(VOTERS, len(goals)))
    member = np.zeros((len(goals), len(measures)))
    for j, m in enumerate(measures):
        for g in m.goals:
            member[goals.index(g), j] = 1.0 / len(m.goals)
    local = np.array([[h == b for h in home] for b in BEZIRKE], dtype=float)  # bezirk x measure
    citywide = np.array([h is None for h in home], dtype=float)
    liking = 0.9 * (acceptance - 3.0) + 1.0 * local[lives] + 0.3 * citywide + taste @ member
    liking += rng.gumbel(0.0, 0.8, size=liking.shape)
    count = 1 + rng.binomial(MAX_LENGTH - 1, 0.45, size=VOTERS)

    rows = []
    for v in range(VOTERS):
        chosen = np.argsort(-liking[v], kind="stable")[: count[v]]
        district = "" if silent[v] else BEZIRKE[lives[v]]
        rows.append((f"lev-{v + 1:04d}", district, ",".join(str(j + 1) for j in sorted(chosen))))

    resource, limit = next(iter(case.config.resources.items()))
    text = io.StringIO(newline="")
    w = csv.writer(text, delimiter=";", lineterminator="\n")
    w.writerow(["META"])
    w.writerow(["key", "value"])
    for key, value in (
        ("description", "ILLUSTRATIVE online vote on the candidate measures of Leverkusen 2040+ (generated)"),
        ("country", "Germany"),
        ("unit", "Leverkusen"),
        ("instance", "2025"),
        ("num_projects", str(len(measures))),
        ("num_votes", str(VOTERS)),
        ("budget", f"{limit.limit:g}"),
        ("vote_type", "approval"),
        ("rule", "greedy"),
        ("min_length", "1"),
        ("max_length", str(MAX_LENGTH)),
        ("date_begin", "28.11.2025"),
        ("date_end", "24.12.2025"),
        ("language", "de"),
        ("currency", "EUR"),
        (
            "comment",
            f"#1: ILLUSTRATIVE, not the city's data: {VOTERS} ballots drawn by scripts/make_leverkusen_vote.py "
            f"(seed {SEED}) from the measures' acceptance_1_5 and the voters' Stadtbezirk; costs and budget "
            f"in EUR m ({resource} of measures.csv and its limit)",
        ),
    ):
        w.writerow([key, value])
    w.writerow(["PROJECTS"])
    w.writerow(["project_id", "cost", "name", "district"])
    for j, m in enumerate(measures):
        w.writerow([str(j + 1), f"{m.resources[resource]:g}", m.name, m.district or ""])
    w.writerow(["VOTES"])
    w.writerow(["voter_id", "district", "vote"])
    w.writerows(rows)
    OUT.mkdir(exist_ok=True)
    (OUT / "online-beteiligung-2025.pb").write_text(text.getvalue(), encoding="utf-8")

    mapping = io.StringIO(newline="")
    m = csv.writer(mapping, delimiter=";", lineterminator="\n")
    m.writerow(["project", "measure"])
    m.writerows([str(j + 1), measure.id] for j, measure in enumerate(measures))
    (OUT / "mapping.csv").write_text(mapping.getvalue(), encoding="utf-8")


if __name__ == "__main__":
    main()
