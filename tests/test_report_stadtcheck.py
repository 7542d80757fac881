"""The report's Stadtcheck: its section right after the summary (need map, need per district, the
indicators with their sources), where the package lands in the portfolio section (map and equity
table), the workbook's sheets and the JSON; on a small case with a GeoJSON, a need-weighted what-if,
and a case without a Stadtcheck."""

from __future__ import annotations

import json
import re

import pytest
from openpyxl import load_workbook

from lev2040_mcda.case import load_case
from lev2040_mcda.report import build_report

from .stadtcheck_fixtures import write_stadtcheck

FAST = {"samples": 200, "robust_samples": 5, "steps": 3}


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """The tiny case with a Stadtcheck (GeoJSON and tile layout), its report in English."""
    import shutil

    from .conftest import CASES

    root = tmp_path_factory.mktemp("case") / "tiny"
    shutil.copytree(CASES / "tiny", root)
    write_stadtcheck(root)
    case = load_case(root)
    out = tmp_path_factory.mktemp("report") / "out"
    result = build_report(case, out, lang="en", **FAST)
    return case, out, result, (out / "index.html").read_text(encoding="utf-8")


def _section(text: str, sid: str) -> str:
    block = re.search(rf'<section id="{sid}">(.*?)</section>', text, re.S)
    assert block, sid
    return block[1]


def test_the_stadtcheck_section_follows_the_summary(report):
    _, _, result, text = report
    assert result["sections"][:2] == ["summary", "stadtcheck"]
    assert text.index('<section id="summary">') < text.index('<section id="stadtcheck">')
    assert text.index('<section id="stadtcheck">') < text.index('<section id="overview">')
    assert '<a href="#stadtcheck">Stadtcheck</a>' in text


def test_the_section_shows_the_need_map_with_every_district_and_the_indicators(report):
    case, _, _, text = report
    section = _section(text, "stadtcheck")
    need = re.search(r'<figure id="fig-stadtcheck-need">(.*?)</figure>', section, re.S)
    assert need
    for d in ("nord", "sued"):
        assert f'id="fig-stadtcheck-need-district-{d}"' in need[1]
    from lev2040_mcda.stadtcheck import profiles

    for i in profiles(case).indicators:  # population only where the catalogue ties it to a goal
        assert case.stadtcheck.indicator(i).name in section
    assert "–" in section  # the missing value of the fixture is shown as missing, not as 0
    assert "illustrative" in section


def test_the_portfolio_section_shows_where_the_package_lands(report):
    case, out, _, text = report
    section = _section(text, "portfolio")
    assert 'id="portfolio-map"' in section
    fig = re.search(r'<figure id="fig-equity">(.*?)</figure>', section, re.S)
    assert fig and "district-nord" in fig[1] and "district-sued" in fig[1]
    assert "Gini" in section and "Theil" in section
    portfolio = json.loads((out / "json" / "portfolio.json").read_text(encoding="utf-8"))
    equity = json.loads((out / "json" / "equity.json").read_text(encoding="utf-8"))
    assert equity["selected"] == [m for m in case.measure_ids if m in portfolio["selected"]]
    assert equity["provenance"]["inputs"]["stadtcheck.csv"]


def test_the_equity_of_the_report_counts_every_selected_measure_once_per_level(report):
    case, out, _, _ = report
    equity = json.loads((out / "json" / "equity.json").read_text(encoding="utf-8"))
    budget = {m.id: m.resources.get("cost", 0) for m in case.measures}
    total = sum(budget[m] for m in equity["selected"])
    for level in equity["levels"]:
        spent = sum(d["budget"] for d in level["districts"]) + equity["citywide"]["budget"]
        assert spent == pytest.approx(total)


def test_the_workbook_has_the_stadtcheck_and_equity_sheets(report):
    case, out, _, _ = report
    wb = load_workbook(out / "results.xlsx")
    assert {"stadtcheck", "equity"} <= set(wb.sheetnames)
    rows = list(wb["stadtcheck"].iter_rows(values_only=True))
    n = len(case.stadtcheck.indicators)
    assert len(rows) - 1 >= len(case.stadtcheck.districts) * n
    assert any(r[0] == "Nord" and r[4] is not None for r in rows[1:])
    equity = list(wb["equity"].iter_rows(values_only=True))
    assert any(str(r[0]).startswith("Gini") for r in equity)


def test_a_need_weighted_what_if_is_named_and_reaches_the_equity_table(tmp_path):
    import shutil

    from .conftest import CASES

    root = tmp_path / "tiny"
    shutil.copytree(CASES / "tiny", root)
    write_stadtcheck(root)
    case = load_case(root)
    out = tmp_path / "out"
    build_report(case, out, lang="en", need_weighting=True, **FAST)
    text = (out / "index.html").read_text(encoding="utf-8")
    assert "values weighted by the districts" in text and "need (Stadtcheck)" in text
    portfolio = json.loads((out / "json" / "portfolio.json").read_text(encoding="utf-8"))
    equity = json.loads((out / "json" / "equity.json").read_text(encoding="utf-8"))
    from lev2040_mcda.portfolio import measure_values
    from lev2040_mcda.ranking import decision_matrix, resolve_weights

    w, _ = resolve_weights(case, decision_matrix(case, None))
    values, _ = measure_values(case, None, w, need_weighting=True)
    worth = dict(zip(case.measure_ids, values))
    assert equity["total"]["benefit"] == pytest.approx(sum(worth[m] for m in portfolio["selected"]))


def test_a_case_without_stadtcheck_has_no_section_and_says_so_in_the_workbook(tmp_path):
    from .conftest import CASES

    out = tmp_path / "out"
    result = build_report(load_case(CASES / "tiny"), out, lang="en", **FAST)
    assert "stadtcheck" not in result["sections"]
    text = (out / "index.html").read_text(encoding="utf-8")
    assert 'id="stadtcheck"' not in text and 'id="portfolio-map"' not in text
    rows = list(load_workbook(out / "results.xlsx")["stadtcheck"].iter_rows(values_only=True))
    assert rows[1][0].startswith("The case has no Stadtcheck")
    assert not (out / "json" / "stadtcheck.json").exists()
