"""``lev2040 vote``: the case's online vote counted, its support, and the vote beside the MCDA
portfolio (both / only the vote / only the analysis, why, and the districts' shares)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lev2040_mcda.case import load_case, load_votes
from lev2040_mcda.participation import count

ROOT = Path(__file__).resolve().parents[1]
LEVERKUSEN = ROOT / "cases" / "leverkusen-2040"
VOTES = ROOT / "tests" / "data" / "votes"


def _json(result) -> dict:
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    out["provenance"].pop("created", None)
    return out


@pytest.mark.parametrize("rule", ["greedy", "mes", "phragmen"])
def test_the_case_vote_is_counted_and_set_beside_the_portfolio(invoke, rule):
    out = _json(invoke("vote", LEVERKUSEN, "--rule", rule, "--format", "json"))
    case = load_case(LEVERKUSEN)
    (vote,) = load_votes(LEVERKUSEN, case=case)
    outcome = count(vote, rule)
    assert out["selected"] == [m for m in outcome.measures if m is not None]
    assert out["votes"][0]["outcome"]["cost"] <= vote.budget + 1e-9
    c = out["comparison"]
    union = set(c["both"]) | set(c["only_vote"]) | set(c["only_analysis"])
    assert set(out["selected"]) == set(c["both"]) | set(c["only_vote"])
    assert len(union) == len(c["both"]) + len(c["only_vote"]) + len(c["only_analysis"])
    for row in c["rows"]:
        if row["in"] == "vote":
            assert row["why_not"], row  # the analysis says why it left it out
    for key in ("voter_share", "vote_share", "analysis_share"):
        assert 0.99 <= sum(d[key] for d in c["districts"]) <= 1.01 or key != "voter_share"
        assert all(0 <= d[key] <= 1 for d in c["districts"])
    assert {"online-beteiligung-2025.pb"} <= {Path(k).name for k in out["provenance"]["inputs"]}


def test_the_same_bytes_every_time_and_a_table_for_people(invoke):
    one = invoke("vote", LEVERKUSEN, "--format", "json")
    two = invoke("vote", LEVERKUSEN, "--format", "json")
    assert _json(one) == _json(two)
    table = invoke("vote", LEVERKUSEN)
    assert table.exit_code == 0
    assert "808 ballots counted" in table.output and "Why the analysis left out" in table.output
    assert "Stadtbezirk" in table.output
    csv = invoke("vote", LEVERKUSEN, "--format", "csv", "--no-compare")
    assert csv.exit_code == 0 and csv.output.splitlines()[0].startswith("id,name,approvals,share")


def test_a_vote_file_alone_is_counted_without_a_comparison(invoke):
    out = _json(invoke("vote", VOTES / "approval.pb", "--rule", "greedy", "--format", "json"))
    assert "comparison" not in out and out["votes"][0]["ballots"] > 0


def test_a_rule_that_cannot_count_the_ballots_is_one_line(invoke):
    result = invoke("vote", VOTES / "cumulative.pb", "--rule", "phragmen")
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    missing = invoke("vote", ROOT / "nowhere.pb")
    assert missing.exit_code == 2 and "Traceback" not in missing.stderr


def test_the_analysis_can_weigh_the_vote_as_its_acceptance_criterion(invoke):
    out = _json(invoke("vote", LEVERKUSEN, "--as-criterion", "--format", "json"))
    a = out["as_criterion"]
    assert a["criterion"] == "acceptance_1_5" and (a["low"], a["high"]) == (1, 5)
    top = max(out["support"], key=out["support"].get)
    bottom = min(out["support"], key=out["support"].get)
    assert a["values"][top] == 5 and a["values"][bottom] == 1
    plain = _json(invoke("vote", LEVERKUSEN, "--format", "json"))
    assert [r["value"] for r in out["comparison"]["rows"]] != [
        r["value"] for r in plain["comparison"]["rows"]
    ]
    bad = invoke("vote", LEVERKUSEN, "--as-criterion", "akzeptanz")
    assert bad.exit_code == 2 and "--as-criterion: unknown criterion 'akzeptanz'" in bad.stderr


def test_a_portfolio_can_be_made_to_keep_what_the_vote_selected(invoke, tiny):
    out = invoke(
        "portfolio",
        LEVERKUSEN,
        "--include-vote",
        "greedy",
        "--no-explain",
        "--tiers",
        "0",
        "--format",
        "json",
    )
    assert out.exit_code == 3  # the city's district balance cannot hold with all of them: said why
    assert json.loads(out.stdout)["status"] == "infeasible"
    case = load_case(LEVERKUSEN)
    (vote,) = load_votes(LEVERKUSEN, case=case)
    chosen = [m for m in count(vote, "phragmen").measures if m]
    result = invoke(
        "portfolio",
        LEVERKUSEN,
        "--include-vote",
        "phragmen",
        "--no-explain",
        "--tiers",
        "0",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    assert set(chosen) <= set(out["selected"])
    plain = invoke("portfolio", LEVERKUSEN, "--no-explain", "--tiers", "0", "--format", "json")
    assert not set(chosen) <= set(json.loads(plain.stdout)["selected"])  # the option made the difference
    assert out["provenance"]["parameters"]["vote_selected"] == chosen


def test_the_command_lines_choices_are_the_stages_own():
    from lev2040_mcda.cli import vote as cli_vote
    from lev2040_mcda.participation import profile

    assert cli_vote.RULES == profile.RULES and cli_vote.UTILITIES == profile.UTILITIES
    assert cli_vote.COMPLETIONS == profile.COMPLETIONS and cli_vote.TIE_BREAKS == profile.TIE_BREAKS


def test_rejected_ballots_are_named_with_their_lines(invoke, tmp_path):
    text = (VOTES / "approval.pb").read_text(encoding="utf-8")
    head, votes = text.split("VOTES\n", 1)
    header, first, *rest = votes.splitlines()
    bad = tmp_path / "bad.pb"
    bad.write_text(head + "VOTES\n" + "\n".join([header, first, first, *rest]) + "\n", encoding="utf-8")
    result = invoke("vote", bad, "--rule", "greedy", "--format", "json")
    assert result.exit_code == 0
    assert "1 ballots rejected" in result.stderr and "has voted already" in result.stderr
    out = json.loads(result.stdout)
    assert out["votes"][0]["rejected"] == 1 and "has voted already" in out["votes"][0]["rejected_lines"][0]


def test_add_one_buys_every_supported_project_when_they_all_fit():
    from lev2040_mcda.case import Ballot, Project, Vote

    v = Vote(
        (Project("a", "A", 60), Project("b", "B", 40)),
        (Ballot("1", {"a": 1}), Ballot("2", {"b": 1}), Ballot("3", {"a": 1})),
        budget=100,
    )
    assert count(v, "mes", completion="none").selected == ("a",)  # raw MES: b's voter has 33.3
    for completion in ("add1", "add1e", "add1u", "add1eu"):
        assert set(count(v, "mes", completion=completion).selected) == {"a", "b"}, completion


def test_a_vote_without_projects_is_one_line(invoke, tmp_path):
    empty = tmp_path / "empty.pb"
    text = (VOTES / "approval.pb").read_text(encoding="utf-8")
    head, rest = text.split("PROJECTS\n", 1)
    header = rest.splitlines()[0]
    empty.write_text(head + "PROJECTS\n" + header + "\nVOTES\nvoter_id;vote\n", encoding="utf-8")
    result = invoke("vote", empty)
    assert result.exit_code == 2 and "PROJECTS lists no project" in result.stderr
    assert "internal error" not in result.stderr
