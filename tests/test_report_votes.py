"""The report's section on the online participation (lev2040_mcda/report/votes.py, issue 17
item 5): the rule, the ballots, the support per measure (chart and numbers), the vote beside the
analysis, and the districts' shares of the budget; only for a case with a vote (votes/).

Leverkusen's stages are computed once, with few SMAA and core-index samples (the section does not
use them), and its page and workbook rendered once in German. The section is checked against
``vote_summary`` run directly, as ``lev2040 vote cases/leverkusen-2040`` runs it (its own
portfolio: the consensus weights and the case's defaults, which the report's portfolio is too).
"""

from __future__ import annotations

import html
import json
import re

import pytest

from lev2040_mcda.case import load_case, load_votes
from lev2040_mcda.participation import vote_summary
from lev2040_mcda.report import build_report, compute_stages, sheet_names, write_report
from lev2040_mcda.report.build import report_steps
from lev2040_mcda.report.context import Context
from lev2040_mcda.report.i18n import texts
from lev2040_mcda.report.votes import MARKS

from .conftest import CASES
from .test_report_cib import FAST, Tables


@pytest.fixture(scope="module")
def leverkusen(tmp_path_factory):
    """(case, stages, progress steps, write_report's result, the page, the section, the vote
    counted directly)."""
    case = load_case(CASES / "leverkusen-2040")
    steps: list[str] = []
    stages = compute_stages(case, progress=steps.append, **FAST)
    result = write_report(case, stages, tmp_path_factory.mktemp("lev-votes"), lang="de")
    page = result["index"].read_text(encoding="utf-8")
    section = re.search(r'<section id="participation">(.*?)</section>', page, re.S)
    assert section, "no participation section on Leverkusen's page"
    direct = vote_summary(load_votes(case.root, case=case), case)
    return case, stages, steps, result, page, section[1], direct


def _tables(section: str, first: str) -> list[list[list[str]]]:
    """The rows (cell texts, the header first) of each of the section's tables whose first
    header is ``first``, in the page's order."""
    return [
        [[text for _, text in row] for row in rows]
        for _, rows in Tables(section).tables
        if rows and rows[0][0][1] == first
    ]


def test_the_section_follows_the_cib_section_and_is_in_the_contents(leverkusen):
    case, _, steps, result, page, section, _ = leverkusen
    t = texts("de")
    assert f"<h2>{t['participation']}</h2>" in section
    assert '<a href="#participation">' in page
    assert page.index('id="cib"') < page.index('id="participation"') < page.index('id="provenance"')
    assert result["sections"][-3:] == ["cib", "participation", "provenance"]
    assert steps[steps.index("scenarios") + 1] == "participation"
    assert "participation" in report_steps(case)
    assert t["participation_rule_mes"] in section  # the rule, in one plain sentence
    assert "808 Stimmzettel gezählt, 0 abgelehnt" in section


def test_every_measures_support_and_marks_are_those_of_the_vote_counted_directly(leverkusen):
    case, _, _, _, _, section, direct = leverkusen
    t, ctx = texts("de"), Context.of(case, "de")
    details = re.search(r"<details><summary>[^<]*</summary>(.*?)</details>", section, re.S)[1]
    (rows,) = _tables(details, t["measure"])
    rows = rows[1:]
    assert len(rows) == len(direct["measures"]) == len(case.measures)
    for row, x in zip(rows, direct["measures"], strict=True):  # in the same order: by support
        name, approvals, share, interval, vote, analysis = row
        assert name == x["name"]
        assert approvals == ctx.num(int(x["approvals"]))
        assert share == ctx.pct(x["share"])
        assert interval == f"{ctx.pct(x['share_low'])} – {ctx.pct(x['share_high'])}"
        assert (vote, analysis) == (MARKS[x["in_vote"]], MARKS[x["in_analysis"]])
    assert {x["id"] for x in direct["measures"] if x["in_vote"]} == set(direct["selected"])


def test_the_chart_has_one_bar_per_project_and_its_text(leverkusen):
    *_, section, direct = leverkusen
    figure = re.search(r'<figure id="fig-support">(.*?)</figure>', section, re.S)[1]
    assert re.search(
        r'<title id="fig-support-title">[^<]{20,}</title><desc id="fig-support-desc">[^<]{20,}</desc>', figure
    )
    assert 'aria-describedby="fig-support-desc"' in figure
    bars = re.findall(r'<g id="fig-support-bar-(\d+)">', figure)
    assert [int(b) for b in bars] == list(range(1, len(direct["measures"]) + 1))
    assert "<figcaption>" in figure


def test_the_side_by_side_table_is_the_comparison_of_the_vote_counted_directly(leverkusen):
    case, _, _, _, _, section, direct = leverkusen
    t = texts("de")
    c = direct["comparison"]
    _support, rows = _tables(section, t["measure"])  # the support's numbers, the side by side
    assert rows[0][1] == t["participation_where"]
    by_name = {m.name: m.id for m in case.measures}
    where = {
        t["participation_in_both"]: "both",
        t["participation_in_vote"]: "only_vote",
        t["participation_in_analysis"]: "only_analysis",
    }
    found = {k: set() for k in where.values()}
    for row in rows[1:]:
        found[where[row[1]]].add(by_name[row[0]])
        if where[row[1]] == "only_vote":
            assert row[-1], f"no reason why the analysis leaves out {row[0]}"
        else:
            assert not row[-1]
    assert found == {k: set(c[k]) for k in found}
    assert c["only_vote"] and c["only_analysis"] and c["both"]
    # every measure the vote selects is in the vote, and what the analysis selects is the
    # report's own portfolio
    assert set(c["both"]) | set(c["only_analysis"]) == set(leverkusen[1].results["portfolio"]["selected"])


def test_the_district_table_has_every_district_voters_came_from(leverkusen):
    case, _, _, _, _, section, direct = leverkusen
    t, ctx = texts("de"), Context.of(case, "de")
    (rows,) = _tables(section, t["district"])
    districts = direct["comparison"]["districts"]
    assert len(rows) - 1 == len(districts) > 1
    for row, d in zip(rows[1:], districts, strict=True):
        assert row == [
            d["name"],
            ctx.num(d["voters"]),
            ctx.pct(d["voter_share"]),
            ctx.pct(d["population_share"]),
            ctx.pct(d["vote_share"]),
            ctx.pct(d["analysis_share"]),
        ]


def test_the_workbook_has_the_participation_sheet_and_the_json_the_stage(leverkusen):
    from openpyxl import load_workbook

    case, _, _, result, page, _, direct = leverkusen
    t = texts("de")
    ws = load_workbook(result["workbook"])[sheet_names("de")["participation"]]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:3] == ("id", t["measure"], t["participation_where"])
    c = direct["comparison"]
    at = next(i for i, r in enumerate(rows) if r[:2] == ("id", t["district"]))
    side = rows[1 : at - 1]
    assert [r[0] for r in side] == [r["id"] for r in c["rows"]]
    assert [r[3] for r in side] == pytest.approx([r["support"] for r in c["rows"]])
    assert ws.cell(at + 1, 1).font.bold
    assert [r[0] for r in rows[at + 1 :]] == [d["district"] for d in c["districts"]]
    doc = json.loads(result["json"]["participation"].read_text(encoding="utf-8"))
    assert doc["provenance"]["command"] == "vote"
    assert doc["rule"] == "mes" and doc["completion"] == "add1u"
    assert doc["selected"] == direct["selected"]
    vote_file = "votes/online-beteiligung-2025.pb"
    assert vote_file in doc["provenance"]["inputs"] and vote_file not in case.inputs
    assert f"<code>{vote_file}</code>" in page  # the page's provenance names the vote file too


def test_a_case_without_votes_has_no_section_step_or_json(tiny, tmp_path):
    case = load_case(tiny)
    assert not (tiny / "votes").exists()
    steps: list[str] = []
    result = build_report(case, tmp_path / "out", lang="en", progress=steps.append, **FAST)
    page = result["index"].read_text(encoding="utf-8")
    t = texts("en")
    assert 'id="participation"' not in page and 'href="#participation"' not in page
    assert t["participation"] not in page and "fig-support" not in page
    assert "participation" not in steps and "participation" not in report_steps(case)
    assert "participation" not in result["sections"] and "participation" not in result["json"]
    from openpyxl import load_workbook

    rows = list(
        load_workbook(result["workbook"])[sheet_names("en")["participation"]].iter_rows(values_only=True)
    )
    assert rows == [(t["note"],), (t["participation_none"],)]


def test_a_vote_that_cannot_be_read_is_named_and_the_report_still_builds(tiny, tmp_path):
    (tiny / "votes").mkdir()  # a votes folder with no vote file in it
    case = load_case(tiny)
    steps: list[str] = []
    result = build_report(case, tmp_path / "out", lang="en", progress=steps.append, **FAST)
    page = result["index"].read_text(encoding="utf-8")
    section = re.search(r'<section id="participation">(.*?)</section>', page, re.S)[1]
    t = texts("en")
    assert html.escape(t["participation_unreadable"]) in section and "holds no vote file" in section
    assert "participation" in steps and "participation" not in result["json"]
    assert result["notes"]["participation"] == "participation_unreadable"
