"""The counting rules against published worked examples and official outcomes of real votes.

Sources (see tests/data/votes/REFERENCES.md for the data files):

- equalshares.net, "Explanation of the Method of Equal Shares", Examples 1 and 2 (11 voters,
  5 projects, budget 1100): the page's tables of approvals, the selections it derives and the
  payments it shows (the page rounds 400/7 to 43 before Example 2's later steps; the exact
  payments are checked here).
- M. Lackner and P. Skowron, "Multi-Winner Voting with Approval Preferences", Springer 2023
  (doi:10.1007/978-3-031-09016-5): the running example of Example 2.1 with Example 2.9
  (seq-Phragmén, loads 1/8, 11/32, 55/128, 5/8) and Example 2.11 (Method of Equal Shares: phase 1
  selects a alone, at 1/8 per voter); Example 2.12 (MES: c at 1/5, a at 13/40; seq-Phragmén:
  c, b, d with loads 1/5, 1/3, 29/60). A committee election is PB with unit costs and budget k.
  The loads and prices are those printed by abcvoting's reproduction of the book's examples
  (examples/abcbook/, tests/expected_output/ at 2c0c412).
- Pabulib: Wieliczka 2023 Green Million (counted officially with the Method of Equal Shares, rule
  ``equalshares/add1``: its 30 selected projects; the file as the MIT-licensed equalshares compute
  tool distributes it, see tests/data/votes/REFERENCES.md).
"""

from __future__ import annotations

import csv
from fractions import Fraction
from pathlib import Path

import pytest

from lev2040_mcda.case.votes import Ballot, Project, Vote
from lev2040_mcda.participation import count

DATA = Path(__file__).parent / "data" / "votes"


def _vote(costs: dict[str, float], ballots: list[set[str]], budget: float) -> Vote:
    projects = tuple(Project(p, p, c) for p, c in costs.items())
    return Vote(projects, tuple(Ballot(str(i), dict.fromkeys(b, 1.0)) for i, b in enumerate(ballots)), budget)


def _read_pb(path: Path) -> tuple[Vote, set[str]]:
    """A small Pabulib reader of its own (approval votes), so the reference does not rest on the
    engine's reader; returns the vote and the projects the file marks ``selected``."""
    meta: dict[str, str] = {}
    rows: dict[str, list[dict[str, str]]] = {"projects": [], "votes": []}
    section, header = "", None
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.reader(f, delimiter=";"):
            if not row:
                continue
            if row[0].strip().lower() in ("meta", "projects", "votes"):
                section, header = row[0].strip().lower(), None
            elif header is None:
                header = [h.strip() for h in row]
            elif section == "meta":
                meta[row[0].strip()] = row[1].strip()
            else:
                rows[section].append(dict(zip(header, (x.strip() for x in row), strict=False)))
    projects = tuple(
        Project(r["project_id"], r.get("name", ""), float(r["cost"]), votes=float(r["votes"]))
        for r in rows["projects"]
    )
    ballots = tuple(Ballot(r["voter_id"], {p: 1.0 for p in r["vote"].split(",") if p}) for r in rows["votes"])
    selected = {r["project_id"] for r in rows["projects"] if r.get("selected") == "1"}
    return Vote(projects, ballots, float(meta["budget"]), meta=meta), selected


# --- equalshares.net, Explanation, Examples 1 and 2 --------------------------------------------

COSTS = {"bike": 700, "gym": 400, "park": 250, "playground": 200, "library": 100}
VOTERS_1 = {  # project -> the voters (1..11, left to right in the page's table) who voted for it
    "bike": {1, 2, 3, 4, 5, 6, 11},
    "gym": {1, 2, 3, 4, 5, 6},
    "park": {2, 4, 5, 7, 10},
    "playground": {7, 8, 9, 10},
    "library": {7, 9, 10},
}


def _example(voters: dict[str, set[int]]) -> Vote:
    ballots = [{p for p, vs in voters.items() if i in vs} for i in range(1, 12)]
    return _vote(COSTS, ballots, 1100)


def test_equalshares_example_1_mes_and_greedy():
    vote = _example(VOTERS_1)
    out = count(vote, "mes", completion="none")
    assert out.selected == ("bike", "playground", "library")
    bike, playground, library = out.payments
    assert (bike.payers, bike.max_payment, bike.exhausted) == (7, pytest.approx(100), 7)
    assert playground.max_payment == pytest.approx(50)  # "each of the 4 voters ... pays 50"
    assert library.max_payment == pytest.approx(100 / 3)  # "They can each pay 33.3"
    # "they would select the bike path (with 7 votes), and then the outdoor gym (with 6 votes)"
    assert count(vote, "greedy").selected == ("bike", "gym")


def test_equalshares_example_2_mes():
    voters = dict(VOTERS_1, bike={1, 2, 3, 4, 5, 6}, gym={1, 2, 3, 4, 5, 6, 11})
    out = count(_example(voters), "mes", completion="none")
    assert out.selected == ("gym", "park", "playground")
    gym, park, playground = out.payments
    assert gym.max_payment == pytest.approx(400 / 7)  # "400/7 = 57.14"
    # three supporters pay all they have left (300/7), two split the rest (page: 43 and 60.5)
    assert park.exhausted == 3 and park.max_payment == pytest.approx((250 - 900 / 7) / 2)
    assert 250 / park.max_payment == pytest.approx(4.1176, abs=1e-4)  # effective votes (page: 4.13)
    assert playground.payers == 4 and playground.paid == pytest.approx(200)


# --- Lackner & Skowron (2023), Examples 2.9, 2.11, 2.12 ------------------------------------------

A, B, C, D, E, F, G = "abcdefg"
RUNNING = [{A, B}] * 3 + [{A, C}] * 3 + [{A, D}] * 2 + [{B, C, F}, {E}, {F}, {G}]
UNIT = dict.fromkeys("abcdefgh", 1)


def test_book_example_2_9_seq_phragmen():
    out = count(_vote(UNIT, RUNNING, 4), "phragmen")
    assert out.selected == (A, B, C, D)
    loads = [Fraction(p.price).limit_denominator(1000) for p in out.payments]
    assert loads == [Fraction(1, 8), Fraction(11, 32), Fraction(55, 128), Fraction(5, 8)]
    # "tie broken in favor of b, candidates {b, c} are tied": same votes and cost, b comes first
    assert [(t.step, t.tied, t.chosen, t.by) for t in out.ties] == [(2, (B, C), B, "order")]


def test_book_example_2_11_equal_shares_phase_1():
    out = count(_vote(UNIT, RUNNING, 4), "mes", completion="none")
    assert out.selected == (A,)
    assert out.payments[0].max_payment == pytest.approx(1 / 8)
    assert out.voter_budget == pytest.approx(1 / 3)


def test_book_example_2_12_mes_and_phragmen_differ():
    profile = [{C, D}] * 3 + [{A, B}] * 2 + [{A, C}] * 2 + [{B, D}]
    vote = _vote(dict.fromkeys("abcd", 1), profile, 3)
    mes = count(vote, "mes", completion="none")
    assert mes.selected == (C, A)
    assert [p.max_payment for p in mes.payments] == pytest.approx([1 / 5, 13 / 40])
    phragmen = count(vote, "phragmen")
    assert phragmen.selected == (C, B, D)
    assert [p.price for p in phragmen.payments] == pytest.approx([1 / 5, 1 / 3, 29 / 60])


# --- Pabulib instances with their official outcome ----------------------------------------------


WIELICZKA = DATA / "ref_poland_wieliczka_2023_green-budget.pb"  # see REFERENCES.md


def test_wieliczka_2023_green_million_equal_shares_add1():
    vote, official = _read_pb(WIELICZKA)
    assert len(vote.ballots) == 6586 and len(official) == 30
    out = count(vote, "mes", completion="add1")
    assert set(out.selected) == official
    assert out.cost == 995079 and out.voter_budget == 315 and out.step == 1
    assert out.ties == ()
    # the utilitarian fill finds nothing more to add; greedy would have chosen differently
    assert count(vote, "mes").selected == out.selected
    assert set(count(vote, "greedy").selected) != official


def test_the_engines_reader_gives_the_same_count():
    """The same files through ``lev2040_mcda.case.load_votes``: the same ballots, the same result."""
    from lev2040_mcda.case import load_votes

    for path in (WIELICZKA,):
        ours, official = _read_pb(path)
        (vote,) = load_votes(path)
        assert len(vote.ballots) == len(ours.ballots) and not vote.rejected
        rule = "greedy" if vote.meta.get("rule") == "greedy" else "mes"
        assert count(vote, rule, completion="add1").selected == count(ours, rule, completion="add1").selected
        assert {p.id for p in vote.projects if p.selected} == official
