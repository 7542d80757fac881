"""Reading votes: Pabulib .pb files (approval, cumulative, ordinal, scoring), Decidim and CONSUL exports,
plain ballot tables (CSV and XLSX), the project -> measure mapping, every ballot rule with its
located line, and the Leverkusen case's illustrative online vote.

The .pb fixtures in tests/data/votes/ are self-made in the Pabulib format (https://pabulib.org/format);
see tests/data/votes/README.md.
"""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lev2040_mcda.case import BALLOT_KINDS, Vote, load_case, load_votes
from lev2040_mcda.errors import InputErrors, display_path

from .conftest import CASES, ROOT

DATA = Path(__file__).parent / "data" / "votes"
LEVERKUSEN = CASES / "leverkusen-2040"


@pytest.fixture(scope="module")
def tiny():
    return load_case(CASES / "tiny")


def one(path: Path | str, **kw) -> Vote:
    votes = load_votes(path, **kw)
    assert len(votes) == 1
    return votes[0]


def problems(path: Path | str, **kw) -> list[str]:
    with pytest.raises(InputErrors) as err:
        load_votes(path, **kw)
    return [str(p) for p in err.value.problems]


def shown(path: Path) -> str:
    """A path as messages show it (relative to the repository when inside it)."""
    return display_path(path)


def rejected(vote: Vote) -> list[str]:
    return [str(p) for p in vote.rejected]


def pb(tmp_path: Path, meta: str, projects: str, votes: str, name: str = "v.pb") -> Path:
    """A .pb file from its three sections' lines (META's key;value header is added)."""
    path = tmp_path / name
    path.write_text(f"META\nkey;value\n{meta}PROJECTS\n{projects}VOTES\n{votes}", encoding="utf-8")
    return path


META = "description;test\nbudget;100\nvote_type;approval\nmax_length;2\n"
PROJECTS = "project_id;cost;name\na;40;A\nb;30;B\nc;50;C\n"


# -- Pabulib ---------------------------------------------------------------------------------------


def test_approval_pb_is_read_with_its_metadata():
    vote = one(DATA / "approval.pb")
    assert (vote.kind, vote.budget, vote.max_approvals, vote.min_approvals) == ("approval", 2500.0, 3, 1)
    assert vote.district == "Nord" and vote.meta["country"] == "Germany"
    assert vote.project_ids == ("1", "2", "4", "5", "7")
    assert [p.name for p in vote.projects][1:3] == ["Radweg; Abschnitt II", '"Grünes" Klassenzimmer']
    assert [p.cost for p in vote.projects] == [600, 800, 1400, 1000, 1200]
    assert [p.votes for p in vote.projects] == [4, 3, 6, 4, 3]
    assert [p.selected for p in vote.projects] == [1, 0, 1, 0, 0]
    assert len(vote.ballots) == 10 and not vote.rejected
    assert vote.ballots[0].points == {"1": 1.0, "2": 1.0, "4": 1.0}
    counts = {pid: sum(pid in b.points for b in vote.ballots) for pid in vote.project_ids}
    assert counts == {p.id: p.votes for p in vote.projects}  # the file's own totals
    assert list(vote.hashes) == ["approval.pb"]


def test_voter_districts_are_the_case_ids_and_an_unknown_one_is_a_note(tiny):
    vote = one(DATA / "approval.pb", case=tiny)
    assert vote.district == "nord"  # META subunit 'Nord', the district's name
    assert [b.district for b in vote.ballots] == ["nord", "nord", "sued", "nord", "sued", None] + [
        "nord"
    ] * 2 + [
        "Atlantis",
        "nord",
    ]
    assert any("'Atlantis' of 1 ballot (first at line 34)" in n for n in vote.notes)
    assert len(vote.unmapped) == 5 and any("5 projects stand for no measure" in n for n in vote.notes)


def test_cumulative_points_and_a_decimal_comma_cost():
    vote = one(DATA / "cumulative.pb")
    assert vote.kind == "cumulative" and vote.projects[0].cost == 8000.0
    assert vote.ballots[3].points == {"a": 1.0, "b": 3.0, "c": 1.0}
    assert rejected(vote) == [
        "tests/data/votes/cumulative.pb:25: column 'points': ballot rejected: gives 6 points in all, "
        "more than the 5 allowed (max_sum_points)"
    ]


def test_ordinal_points_are_rank_positions():
    vote = one(DATA / "ordinal.pb")
    assert vote.kind == "ordinal"
    assert vote.ballots[0].points == {"p3": 1.0, "p1": 2.0, "p2": 3.0}
    assert vote.ballots[1].points == {"p1": 1.0}


def test_scoring_needs_points_and_checks_their_range(tmp_path):
    meta = "budget;100\nvote_type;scoring\nmin_points;0\nmax_points;10\n"
    path = pb(tmp_path, meta, PROJECTS, "voter_id;vote;points\n1;a,b;7,3\n2;a;11\n3;a,b;5\n")
    vote = one(path)
    assert vote.ballots[0].points == {"a": 7.0, "b": 3.0}
    assert [p.row for p in vote.rejected] == [15, 16]
    assert "gives 11 points, more than the 10 allowed (max_points)" in rejected(vote)[0]
    assert "has 1 points for 2 projects" in rejected(vote)[1]
    path = pb(tmp_path, meta, PROJECTS, "voter_id;vote\n1;a\n")
    assert problems(path) == [
        f"{shown(path)}:13: column 'points': VOTES has no points column (a scoring vote gives points)"
    ]


@pytest.mark.parametrize(
    ("votes", "reason", "column"),
    [
        ("1;a,x\n", "names project 'x', which the vote does not have", "vote"),
        ("1;a,b,c\n", "approves 3 projects, more than the 2 allowed (max_length)", "vote"),
        ("1;a,a\n", "names project 'a' twice", "vote"),
        (
            "1;a\n1;b\n",
            "voter '1' has voted already (at line 15; only that first ballot can count)",
            "voter_id",
        ),
        (";a\n", "the voter id is empty", "voter_id"),
    ],
)
def test_a_bad_ballot_is_rejected_at_its_line_and_the_rest_counted(tmp_path, votes, reason, column):
    path = pb(tmp_path, META, PROJECTS, "voter_id;vote\n0;b\n" + votes)
    vote = one(path)
    assert (
        rejected(vote)[-1]
        == f"{shown(path)}:{14 + votes.count(chr(10))}: column '{column}': ballot rejected: {reason}"
    )
    assert len(vote.ballots) + len(vote.rejected) == 1 + votes.count("\n")
    assert vote.ballots[0].points == {"b": 1.0}


def test_min_length_rejects_short_ballots(tmp_path):
    vote = one(pb(tmp_path, META + "min_length;1\n", PROJECTS, "voter_id;vote\n1;\n2;a\n"))
    assert [p.row for p in vote.rejected] == [15] and "fewer than the 1 required (min_length)" in rejected(
        vote
    )[0]


@pytest.mark.parametrize(
    ("meta", "projects", "expected"),
    [
        (
            "budget;100\n",
            "project_id;cost\na;\n",
            ":6: column 'cost': project 'a': cost is missing (every project needs its cost)",
        ),
        ("budget;100\n", "project_id;cost\na;-3\n", ":6: column 'cost': project 'a': cost '-3' is below 0"),
        ("budget;100\n", "project_id;name\na;A\n", ":5: column 'cost': PROJECTS has no cost column"),
        (
            "budget;100\n",
            "project_id;cost\na;1\na;2\n",
            ":7: column 'project_id': project 'a' appears twice (first at line 6)",
        ),
        (
            "vote_type;approval\n",
            "project_id;cost\na;1\n",
            ":1: META has no budget (expected a line budget;<amount>)",
        ),
        ("budget;zero\n", "project_id;cost\na;1\n", ":3: META budget: 'zero' is not a number"),
        (
            "budget;100\nvote_type;borda\n",
            "project_id;cost\na;1\n",
            ":4: vote_type 'borda' is not a Pabulib vote type",
        ),
        (
            "budget;100\nmax_length;2.5\n",
            "project_id;cost\na;1\n",
            ":4: META max_length: '2.5' is not a whole number",
        ),
    ],
)
def test_a_file_whose_own_facts_are_bad_is_not_used(tmp_path, meta, projects, expected):
    path = pb(tmp_path, meta, projects, "voter_id;vote\n1;a\n")
    found = problems(path)
    assert len(found) == 1 and found[0].startswith(f"{shown(path)}{expected}"), found


def test_sections_must_all_be_there(tmp_path):
    path = tmp_path / "x.pb"
    path.write_text("META\nkey;value\nbudget;1\nPROJECTS\nproject_id;cost\na;1\n", encoding="utf-8")
    assert problems(path) == [f"{shown(path)}: has no VOTES section (expected META, PROJECTS and VOTES)"]
    path.write_text("hello;world\nMETA\n", encoding="utf-8")
    assert problems(path) == [
        f"{shown(path)}:1: is not a Pabulib file (expected META, PROJECTS and VOTES sections)"
    ]


def test_counts_that_differ_from_meta_and_a_missing_vote_type_are_notes(tmp_path):
    vote = one(pb(tmp_path, "budget;100\nnum_votes;3\n", PROJECTS, "voter_id;vote\n1;a\n"))
    assert vote.kind == "approval"
    assert "META num_votes is 3, but the file holds 1" in vote.notes
    assert any("names no vote_type" in n for n in vote.notes)


@given(st.lists(st.sets(st.sampled_from("abc"), max_size=3), max_size=30))
def test_approval_ballots_round_trip(tmp_path_factory, ballots):
    """Any approval profile written as a .pb is read back ballot for ballot (the legal ones)."""
    tmp = tmp_path_factory.mktemp("pb")
    rows = "".join(f"v{i};{','.join(sorted(b))}\n" for i, b in enumerate(ballots))
    vote = one(pb(tmp, META, PROJECTS, "voter_id;vote\n" + rows))
    legal = [b for b in ballots if len(b) <= 2]
    assert [set(b.points) for b in vote.ballots] == legal
    assert len(vote.rejected) == len(ballots) - len(legal)


# -- platform exports ------------------------------------------------------------------------------


def test_decidim_budgets_export_is_totals_in_the_case_language(tmp_path, tiny):
    vote = one(DATA / "decidim_budgets.csv", budget=250000)
    assert (vote.kind, vote.budget, vote.ballots) == ("totals", 250000.0, ())
    assert [(p.id, p.name, p.cost, p.votes, p.district) for p in vote.projects] == [
        ("11", "Cycle lane", 120000.0, 140.0, "North"),
        ("12", "Pocket park", 80000.0, 95.0, "South"),
        ("13", "Trees, 200 of them", 30000.0, 0.0, None),
    ]
    assert any("Decidim export" in n and "confirmed_votes" in n for n in vote.notes)
    assert problems(DATA / "decidim_budgets.csv") == [
        "tests/data/votes/decidim_budgets.csv: states no budget (write a line '# budget: <amount>' above "
        "the header, or give --budget)"
    ]
    path = tmp_path / "budgets.csv"
    path.write_text(
        "# budget: 250.000,50\n" + (DATA / "decidim_budgets.csv").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    assert one(path).budget == 250000.5


def test_decidim_proposals_take_costs_and_budget_from_the_mapped_measures(tmp_path, tiny):
    folder = tmp_path / "votes"
    folder.mkdir()
    (folder / "proposals.csv").write_bytes((DATA / "decidim_proposals.csv").read_bytes())
    (folder / "mapping.csv").write_text("project,measure\n101,solar\n102,park\n103,hub\n", encoding="utf-8")
    vote = one(folder, case=tiny)
    assert [(p.id, p.name, p.measure, p.cost, p.votes, p.district) for p in vote.projects] == [
        ("101", "Solar roofs", "solar", 20.0, 57.0, "Nord"),  # title/en: the case's language
        ("102", "Pocket park", "park", 10.0, 31.0, "Süd"),
        ("103", "Mobility hub", "hub", 15.0, 12.0, "Süd"),
    ]
    assert vote.budget == 100.0 and vote.kind == "totals"
    assert sorted(vote.hashes) == ["mapping.csv", "proposals.csv"]  # the mapping says what its projects are


def test_decidim_proposals_without_a_mapping_lack_costs(tiny):
    found = problems(DATA / "decidim_proposals.csv", case=tiny)
    assert found[0] == (
        "tests/data/votes/decidim_proposals.csv:2: column 'cost': project '101' has no cost (the file gives "
        "none, and it stands for no measure of the case to take it from)"
    )
    assert len(found) == 3


def test_consul_export_with_german_number_spelling():
    vote = one(DATA / "consul_investments.csv", budget=100000)
    assert [(p.id, p.name, p.cost, p.votes, p.district) for p in vote.projects] == [
        ("21", "Skate park", 95000.0, 122.0, "Nord"),
        ("22", "Fuentes", 12500.5, 98.0, "Süd"),
        ("23", "Huerto urbano", 4000.0, 0.0, "Nord"),
    ]
    assert vote.kind == "totals"


def test_a_bad_count_in_an_export_is_located(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("id,title/en,budget_amount,confirmed_votes\n1,A,10,many\n2,B,10,-1\n", encoding="utf-8")
    found = problems(path, budget=10)
    assert found == [
        f"{shown(path)}:2: column 'confirmed_votes': 'many' is not a number (expected a number like 1.5)",
        f"{shown(path)}:3: column 'confirmed_votes': '-1' is not a count of votes (a whole number, at least 0)",
    ]


# -- plain ballot tables ---------------------------------------------------------------------------


def test_plain_approval_table_over_the_case_measures(tiny):
    vote = one(DATA / "plain_approval.csv", case=tiny)
    assert vote.kind == "approval" and vote.budget == 100.0
    assert vote.project_ids == tiny.measure_ids and [p.cost for p in vote.projects] == [
        20,
        10,
        50,
        40,
        60,
        15,
    ]
    assert [(b.voter, sorted(b.points), b.district) for b in vote.ballots] == [
        ("a1", ["park", "solar"], "nord"),
        ("a2", ["hub", "park"], "sued"),
        ("a3", [], "sued"),
        ("a4", ["hub", "solar", "tram"], "nord"),
        ("a5", ["infill"], None),
    ]
    assert vote.unmapped == () and vote.notes == ()


def test_plain_ratings_table_groups_rows_by_voter(tiny):
    vote = one(DATA / "plain_ratings.csv", case=tiny)
    assert vote.kind == "scoring"
    assert [(b.voter, b.points) for b in vote.ballots] == [
        ("r1", {"solar": 5.0, "park": 3.0, "tram": 2.5}),
        ("r2", {"park": 4.0}),
        ("r3", {"housing": 1.0}),
    ]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ("r1;nord;solar;6\n", ":3: column 'score': ballot rejected: score '6' is outside 1 to 5"),
        ("r1;nord;solar;gut\n", ":3: column 'score': ballot rejected: score: 'gut' is not a number"),
        (
            "r1;nord;sonne;3\n",
            ":3: column 'measure': ballot rejected: names measure 'sonne', which the case does not have",
        ),
        (
            "r1;nord;park;3\n",
            ":3: column 'measure': ballot rejected: rates measure 'park' twice (first at line 2)",
        ),
    ],
)
def test_a_bad_rating_rejects_the_voters_ballot(tmp_path, tiny, rows, expected):
    path = tmp_path / "r.csv"
    path.write_text(
        "voter;district;measure;score\nr1;nord;park;4\n" + rows + "r2;sued;hub;2\n", encoding="utf-8"
    )
    vote = one(path, case=tiny)
    assert rejected(vote)[0].startswith(f"{shown(path)}{expected}"), rejected(vote)
    assert [b.voter for b in vote.ballots] == ["r2"]


def test_plain_approval_rules_and_survey_labels_through_the_mapping(tmp_path, tiny):
    (tmp_path / "mapping.csv").write_text("project;measure\nSolardächer;solar\n", encoding="utf-8")
    (tmp_path / "s.csv").write_text(
        "voter,district,measures\n1,nord,Solardächer;park\n1,nord,hub\n2,Mars,tram|tram\n3,,solar|beach\n4,Süd,hub\n",
        encoding="utf-8",
    )
    vote = one(tmp_path, case=tiny)
    where = shown(tmp_path / "s.csv")
    assert rejected(vote) == [
        f"{where}:3: column 'voter_id': ballot rejected: voter '1' has voted already (at line 2; only that first ballot can count)",
        f"{where}:4: column 'measures': ballot rejected: names project 'tram' twice",
        f"{where}:5: column 'measures': ballot rejected: names project 'beach', which the vote does not have",
    ]
    assert [(b.voter, sorted(b.points), b.district) for b in vote.ballots] == [
        ("1", ["park", "solar"], "nord"),
        ("4", ["hub"], "sued"),
    ]


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["nord", "Süd", "", "Mars"]),
            st.lists(st.sampled_from(["solar", "park", "hub", "x"]), max_size=3),
        ),
        max_size=12,
    )
)
def test_split_and_csv_module_readings_agree(tmp_path_factory, tiny, rows):
    """A table without quotes is split with str.split; with one quote it goes through the csv module:
    the same ballots, rejections and notes either way, in .csv and in .pb files."""
    tmp = tmp_path_factory.mktemp("agree")
    body = "".join(f"v{i % 7};{d};{','.join(m)}\n" for i, (d, m) in enumerate(rows))
    (tmp / "split.csv").write_text("voter;district;measures\n" + body, encoding="utf-8")
    (tmp / "quoted.csv").write_text('"voter";district;measures\n' + body, encoding="utf-8")
    projects = "project_id;cost\nsolar;1\npark;1\nhub;1\n"
    pb(tmp, "budget;10\n", projects, "voter_id;district;vote\n" + body, name="split.pb")
    pb(tmp, "budget;10\n", projects, '"voter_id";district;vote\n' + body, name="quoted.pb")
    for suffix in (".csv", ".pb"):
        a, b = one(tmp / f"split{suffix}", case=tiny), one(tmp / f"quoted{suffix}", case=tiny)
        assert a.ballots == b.ballots and a.notes == b.notes
        assert [(p.row, p.column, p.reason) for p in a.rejected] == [
            (p.row, p.column, p.reason) for p in b.rejected
        ]


def test_plain_table_needs_the_case(tmp_path):
    assert (
        "a ballot table names the case's measures, so it is read with its case"
        in problems(DATA / "plain_approval.csv")[0]
    )


def test_plain_approval_workbook(tmp_path, tiny):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["voter", "district", "measures"])
    ws.append([1, "nord", "solar;park"])
    ws.append([2, "Süd", "hub"])
    wb.save(tmp_path / "ballots.xlsx")
    vote = one(tmp_path / "ballots.xlsx", case=tiny)
    assert [(b.voter, sorted(b.points), b.district) for b in vote.ballots] == [
        ("1", ["park", "solar"], "nord"),
        ("2", ["hub"], "sued"),
    ]


# -- folders and the mapping -----------------------------------------------------------------------


def test_mapping_problems_are_located(tmp_path, tiny):
    pb(tmp_path, META, PROJECTS, "voter_id;vote\n1;a\n", name="one.pb")
    (tmp_path / "mapping.csv").write_text(
        "project;measure;file\na;solr;\nb;park;\nb;hub;\nzz;tram;\nc;tram;other.pb\n", encoding="utf-8"
    )
    where = shown(tmp_path / "mapping.csv")
    assert problems(tmp_path, case=tiny) == [
        f"{where}:2: column 'measure': 'solr' is not a measure of the case (did you mean 'solar'?)",
        f"{where}:4: column 'project': 'b' appears twice (first at line 3)",
        f"{where}:5: column 'project': project 'zz' is not a project of any vote",
        f"{where}:6: column 'file': 'other.pb' is not a vote file of this folder",
    ]


def test_one_file_of_a_folder_checks_only_its_own_mapping_rows(tmp_path, tiny):
    pb(tmp_path, META, PROJECTS, "voter_id;vote\n1;a\n", name="one.pb")
    pb(tmp_path, META, "project_id;cost\nz;10\n", "voter_id;vote\n1;z\n", name="two.pb")
    (tmp_path / "mapping.csv").write_text(
        "project;measure;file\na;solar;one.pb\nz;tram;two.pb\n", encoding="utf-8"
    )
    assert [p.measure for p in one(tmp_path / "one.pb", case=tiny).projects] == ["solar", None, None]
    assert problems(tmp_path / "mapping.csv") == [
        f"{shown(tmp_path / 'mapping.csv')}: is the project -> measure mapping, not a vote"
    ]


def test_mapping_per_file_and_unmapped_projects(tmp_path, tiny):
    pb(tmp_path, META, PROJECTS, "voter_id;vote\n1;a\n", name="nord.pb")
    pb(
        tmp_path,
        META,
        "project_id;cost;measure\na;40;housing\nb;30;\n",
        "voter_id;vote\n1;a\n",
        name="sued.pb",
    )
    (tmp_path / "mapping.csv").write_text("project,measure,file\na,solar,nord.pb\nb,,\n", encoding="utf-8")
    nord, sued = load_votes(tmp_path, case=tiny)
    assert [p.measure for p in nord.projects] == ["solar", None, None]
    assert [p.measure for p in sued.projects] == ["housing", None]
    assert (
        nord.unmapped == ("b", "c")
        and "2 projects stand for no measure of the case: 'b' (B), 'c' (C)" in nord.notes[0]
    )


def test_a_measure_column_naming_no_measure_is_located(tmp_path, tiny):
    path = pb(tmp_path, META, "project_id;cost;measure\na;40;sonne\n", "voter_id;vote\n1;a\n")
    assert problems(path, case=tiny) == [
        f"{shown(path)}:9: column 'measure': project 'a': 'sonne' is not a measure of the case"
    ]


def test_sources_that_hold_no_vote(tmp_path, tiny):
    assert problems(tmp_path) == [
        f"{shown(tmp_path)}: holds no vote file (expected .pb, .csv or .xlsx files)"
    ]
    assert problems(tmp_path / "nothing.pb") == [
        f"{shown(tmp_path / 'nothing.pb')}: not found (expected a case folder, a folder of vote files, or a vote file)"
    ]
    assert problems(CASES / "tiny") == [
        "cases/tiny/votes: not found (a case's votes go in its votes/ folder)"
    ]
    (tmp_path / "x.csv").write_text("a;b\n1;2\n", encoding="utf-8")
    assert problems(tmp_path / "x.csv") == [
        f"{shown(tmp_path / 'x.csv')}: is not a vote file (expected a Pabulib .pb file, a Decidim or CONSUL export, or a ballot table with the columns voter;district;measures or voter;district;measure;score)"
    ]


# -- the Leverkusen vote ---------------------------------------------------------------------------


def test_leverkusen_vote_loads_with_every_project_mapped():
    case = load_case(LEVERKUSEN)
    (vote,) = load_votes(LEVERKUSEN, case=case)
    assert vote.kind == "approval" and vote.kind in BALLOT_KINDS
    assert len(vote.ballots) == 808 and not vote.rejected and vote.notes == ()
    assert vote.unmapped == () and sorted(vote.measures.values()) == sorted(case.measure_ids)
    assert vote.budget == case.config.resources["cost_eur_m"].limit
    assert {p.measure: p.cost for p in vote.projects} == {
        m.id: m.resources["cost_eur_m"] for m in case.measures
    }
    assert "ILLUSTRATIVE" in vote.meta["description"] and "ILLUSTRATIVE" in vote.meta["comment"]
    assert {b.district for b in vote.ballots} == {"bezirk_1", "bezirk_2", "bezirk_3", None}
    assert max(len(b.points) for b in vote.ballots) <= vote.max_approvals == 10
    assert sorted(vote.hashes) == ["votes/mapping.csv", "votes/online-beteiligung-2025.pb"]
    assert all(not math.isnan(p.cost) for p in vote.projects)


def test_leverkusen_vote_is_regenerated_byte_for_byte(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("make_vote", ROOT / "scripts" / "make_leverkusen_vote.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "OUT", tmp_path)
    module.main()
    for name in ("online-beteiligung-2025.pb", "mapping.csv"):
        assert (tmp_path / name).read_bytes() == (LEVERKUSEN / "votes" / name).read_bytes()
