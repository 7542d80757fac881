"""The report's section on scenarios built by cross-impact balance (lev2040_mcda/report/cib.py,
issue 16 item 7): the scenario tableau, the heat map of the judgements, and which measures each
CIB scenario's portfolio keeps; only for a case with a CIB model.

Leverkusen's stages are computed once, with few SMAA and core-index samples (the CIB section does
not use them), and its page and workbook rendered once in German.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from lev2040_mcda.case import load_case
from lev2040_mcda.portfolio import portfolio_summary
from lev2040_mcda.ranking import decision_matrix, resolve_weights
from lev2040_mcda.report import build_report, compute_stages, sheet_names, write_report
from lev2040_mcda.report.cib import MARKS, PORTFOLIOS
from lev2040_mcda.report.i18n import texts
from lev2040_mcda.scenarios import consistent_scenarios, select_diverse, to_case_scenarios, with_scenarios

from .conftest import CASES

FAST = {"samples": 50, "robust_samples": 1, "steps": 2}


class Tables(HTMLParser):
    """Every table of an HTML fragment: rows of (tag, text) cells, by the table's class."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tables: list[tuple[str, list[list[tuple[str, str]]]]] = []
        self._cell: list[str] | None = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append((dict(attrs).get("class") or "", []))
        elif tag == "tr" and self.tables:
            self.tables[-1][1].append([])
        elif tag in ("td", "th") and self.tables:
            self._cell, self._tag = [], tag

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][1][-1].append((self._tag, "".join(self._cell).strip()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


@pytest.fixture(scope="module")
def leverkusen(tmp_path_factory):
    """(case, stages, progress steps, write_report's result, the page, the CIB section)."""
    case = load_case(CASES / "leverkusen-2040")
    steps: list[str] = []
    stages = compute_stages(case, progress=steps.append, **FAST)
    result = write_report(case, stages, tmp_path_factory.mktemp("lev-de"), lang="de")
    page = result["index"].read_text(encoding="utf-8")
    section = re.search(r'<section id="cib">(.*?)</section>', page, re.S)
    assert section, "no CIB section on Leverkusen's page"
    return case, stages, steps, result, page, section[1]


def test_the_section_follows_robustness_and_is_in_the_contents(leverkusen):
    case, _, steps, result, page, section = leverkusen
    t = texts("de")
    assert f"<h2>{t['cib']}</h2>" in section
    assert '<a href="#cib">' in page
    assert page.index('id="robustness"') < page.index('id="cib"') < page.index('id="provenance"')
    at = result["sections"].index("cib")  # the participation section may follow it
    assert result["sections"][at - 1] == "robustness" and result["sections"][-1] == "provenance"
    assert steps[steps.index("robustness") + 1] == "scenarios"
    assert case.cib.source in section  # the model's source is named


def test_the_tableau_shows_every_consistent_scenario_with_its_variants(leverkusen):
    case, stages, *_, section = leverkusen
    model = case.cib
    found = consistent_scenarios(model)
    assert 1 < len(found) <= 8  # few: every one is a column
    rows = next(rows for cls, rows in Tables(section).tables if cls == "tableau")
    head = rows[0]
    columns = [text for _, text in head[2:]]
    shown = stages.results["scenarios"]["shown"]
    assert columns == [s["id"] for s in shown]
    names = {d.name: d for d in model.descriptors}
    body = [r for r in rows if r and r[-1][0] == "td"]
    variants = {c: [] for c in columns}
    described = []
    for row in body[: len(model.descriptors)]:
        desc = names[[text for tag, text in row if tag == "th"][-1]]
        described.append(desc.id)
        cells = [text for tag, text in row if tag == "td"]
        for c, cell in zip(columns, cells, strict=True):
            variants[c].append(next(i for i, v in enumerate(desc.variants) if v.name == cell))
    assert sorted(described) == sorted(d.id for d in model.descriptors)
    order = [[d.id for d in model.descriptors].index(i) for i in described]
    tableau = {tuple(v for _, v in sorted(zip(order, vs))) for vs in variants.values()}
    assert tableau == {r.variants for r in found}
    # grouped by STEEP parameter: the first row of each group names it
    t = texts("de")
    groups = [row[0][1] for row in body[: len(model.descriptors)] if len(row) > len(columns) + 1]
    assert groups == [
        t[f"steep_{p}"] for p in ("gesellschaft", "technologie", "wirtschaft", "klima_umwelt", "politik")
    ]
    inconsistency, impact = (
        r for r in rows if r and r[0][1] in (t["cib_inconsistency"], t["cib_total_impact"])
    )
    by_id = {s["id"]: s for s in shown}
    assert [int(x) for _, x in inconsistency[1:]] == [by_id[c]["inconsistency"] for c in columns]
    assert [int(x.replace(".", "")) for _, x in impact[1:]] == [by_id[c]["total_impact"] for c in columns]
    assert {r.total_impact for r in found} == {by_id[c]["total_impact"] for c in columns}


def test_the_heat_map_has_a_cell_per_judgement_outside_the_own_blocks(leverkusen):
    case, *_, section = leverkusen
    model = case.cib
    figure = re.search(r'<figure id="fig-cib">(.*?)</figure>', section, re.S)[1]
    assert re.search(
        r'<title id="fig-cib-title">[^<]{20,}</title><desc id="fig-cib-desc">[^<]{20,}</desc>', figure
    )
    assert 'aria-describedby="fig-cib-desc"' in figure
    cells = figure[figure.index('id="fig-cib-cells"') :]
    cells = cells[: cells.index("</g>")]
    n = sum(model.sizes)
    assert cells.count("<path") == n * n - sum(k * k for k in model.sizes)
    own = figure[figure.index('id="fig-cib-own"') :]
    assert own[: own.index("</g>")].count("<path") == len(model.sizes)
    # behind <details>: every judgement other than 0, with its number
    details = re.search(r"<details>(.*?)</details>", section, re.S)[1]
    ((_, rows),) = Tables(details).tables
    values = [int(r[2][1].replace("−", "-")) for r in rows[1:]]
    assert len(values) == int((model.matrix != 0).sum()) and 0 not in values
    assert sorted(values) == sorted(int(v) for v in model.matrix[model.matrix != 0])


def test_the_portfolio_marks_are_those_of_each_cib_scenario_run_directly(leverkusen):
    case, stages, *_, section = leverkusen
    model = case.cib
    entries = to_case_scenarios(model, select_diverse(consistent_scenarios(model), PORTFOLIOS))
    with_cib = with_scenarios(case, entries)
    method = stages.parameters["method"]
    w, info = resolve_weights(case, decision_matrix(case, None), "consensus")
    direct = {
        e["id"]: set(
            portfolio_summary(
                with_cib,
                method=method,
                options={},
                weights=w,
                weights_info=info,
                scenario=e["id"],
                solver=stages.parameters["solver"],
                explanations=False,
                tiers=0,
            )["selected"]
        )
        for e in entries
    }
    ((_, rows),) = [(c, r) for c, r in Tables(section).tables if r and r[0][0][1] == texts("de")["measure"]]
    columns = [text for _, text in rows[0][1:-1]]
    assert columns == [e["id"] for e in entries]
    name_to_id = {m.name: m.id for m in case.measures}
    shown = {c: set() for c in columns}
    counts = []
    for row in rows[1:]:
        mid = name_to_id[row[0][1]]
        marks = [text for _, text in row[1:-1]]
        assert set(marks) <= set(MARKS.values())
        for c, mark in zip(columns, marks, strict=True):
            if mark == MARKS[True]:
                shown[c].add(mid)
        counts.append(sum(m == MARKS[True] for m in marks))
    assert shown == direct
    assert counts == sorted(counts, reverse=True)  # kept in every scenario first
    assert counts[0] == len(columns)
    core = set.intersection(*direct.values())
    assert set(stages.results["scenarios"]["core"]) == core and core


def test_the_workbook_has_the_cib_sheet_and_the_json_the_stage(leverkusen):
    from openpyxl import load_workbook

    case, stages, _, result, *_ = leverkusen
    t, model = texts("de"), case.cib
    ws = load_workbook(result["workbook"])[sheet_names("de")["cib_scenarios"]]
    rows = list(ws.iter_rows(values_only=True))
    shown = stages.results["scenarios"]["shown"]
    assert rows[0] == (t["cib_parameter"], "id", t["cib_descriptor"], *[s["id"] for s in shown])
    tableau = {r[1]: r[3:] for r in rows[1 : 1 + len(model.descriptors)]}
    for d in model.descriptors:
        names = {v.id: v.name for v in d.variants}
        assert list(tableau[d.id]) == [names[s["variants"][d.id]] for s in shown]
    at = next(i for i, r in enumerate(rows) if r[:2] == ("id", t["measure"]))
    assert ws.cell(at + 1, 1).font.bold
    measures = rows[at + 1 :]
    assert len(measures) == len(case.measures)
    portfolios = stages.results["scenarios"]["portfolios"]
    ids = rows[at][3 : 3 + len(portfolios)]
    for r in measures:
        assert [bool(x) for x in r[3 : 3 + len(ids)]] == [r[0] in portfolios[s]["selected"] for s in ids]
    doc = json.loads(result["json"]["scenarios"].read_text(encoding="utf-8"))
    assert doc["provenance"]["command"] == "scenarios"
    assert len(doc["scenarios"]) == len(consistent_scenarios(model))
    assert {d["id"] for d in doc["descriptors"]} == {d.id for d in model.descriptors}


def test_a_case_without_cib_files_has_no_section(tiny, tmp_path):
    case = load_case(tiny)
    assert case.cib is None
    steps: list[str] = []
    result = build_report(case, tmp_path / "out", lang="en", progress=steps.append, **FAST)
    page = result["index"].read_text(encoding="utf-8")
    t = texts("en")
    assert 'id="cib"' not in page and 'href="#cib"' not in page and t["cib"] not in page
    assert "fig-cib" not in page and "scenarios" not in steps and "cib" not in result["sections"]
    assert "scenarios" not in result["json"]
    from openpyxl import load_workbook

    rows = list(
        load_workbook(result["workbook"])[sheet_names("en")["cib_scenarios"]].iter_rows(values_only=True)
    )
    assert rows == [(t["note"],), (t["cib_none"],)]
