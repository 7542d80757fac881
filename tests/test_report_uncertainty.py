"""The report with uncertain estimates (uncertainty.csv): the ranking's SMAA says the estimates
vary too and shows the confidence factors, a tornado-style chart shows what drives the first
places, the portfolio and robustness sections say how likely the package keeps to its budget
(and the robust budget when one was asked for), and the workbook has the drivers and the budget
risk. A case without uncertain estimates renders without any of it.

The stages of cases/tiny are computed once; the keys the uncertain stages add (the shapes of the
shared brief of issue 18: ``estimates``, ``drivers``, ``budget_risk``, ``robust_budget``,
``budget``) are then put into copies of their results with known numbers, so the tests do not
depend on the samplers.
"""

from __future__ import annotations

import copy
import dataclasses
import html
import re

import pytest

from lev2040_mcda.case import load_case
from lev2040_mcda.report import compute_stages, render_page, render_workbook, sheet_names
from lev2040_mcda.report.context import Context
from lev2040_mcda.report.figures import drivers_chart
from lev2040_mcda.report.figures.drivers import driver_bars
from lev2040_mcda.report.i18n import LANGUAGES, texts
from lev2040_mcda.report.page import _budget_risk, _robust_budget

from .conftest import CASES

FAST = {"samples": 200, "robust_samples": 3}

ESTIMATES = {"mode": "uncertain", "source": "uncertainty.csv", "cells": 1234}
CONFIDENCE = {"solar": 0.8134, "housing": 0.4}
"""The SMAA-2 confidence factors put into the fixture (every other measure: none)."""
SHARES = [
    {"weights": 0.5, "cost": 0.3, "co2": 0.2},
    {"homes": 0.6, "weights": 0.4},
    {},  # the third measure's rank never varies
]
"""The drivers' shares of the first three measures; the later ones get the weights only."""
RISK = {
    "cost": {
        "limit": 100.0,
        "nominal": 85.0,
        "probability_within": 0.83,
        "mean": 92.14,
        "p50": 91.0,
        "p90": 104.2,
        "p95": 108.7,
        "samples": 10_000,
        "seed": 2040,
        "unit": "EUR m",
        "uncertain": 3,
    }
}
ROBUST_BUDGET = [
    {
        "confidence": 0.9,
        "resource": "cost",
        "gamma": 2,
        "uncertain": 4,
        "achieved": 0.9134,
        "samples": 10_000,
        "seed": 2040,
        "nominal_limit": 100.0,
        "used": 80.0,
        "reserve": 12.0,
        "value_cost": 0.125,
    }
]


@pytest.fixture(scope="module")
def case():
    return load_case(CASES / "tiny")


@pytest.fixture(scope="module")
def stages(case):
    return compute_stages(case, **FAST)


def _exact(stages):
    """The stages as a case without uncertain estimates gives them: without any of the new keys."""
    res = copy.deepcopy(stages.results)
    for name, keys in (
        ("sensitivity", ("estimates", "drivers")),
        ("portfolio", ("budget_risk", "robust_budget")),
        ("robustness", ("estimates", "budget")),
    ):
        for k in keys:
            res[name].pop(k, None)
    for x in res["sensitivity"]["acceptability"]:  # with exact values: 1 when ever first, else none
        x["confidence"] = 1.0 if x["first"] > 0 else None
    return dataclasses.replace(stages, results=res)


def _uncertain(stages, *, robust_budget=ROBUST_BUDGET, baseline_probability=1.0):
    """The stages with uncertain estimates: every new key filled with the numbers above."""
    st = _exact(stages)
    res = st.results
    s = res["sensitivity"]
    s["estimates"] = dict(ESTIMATES)
    for x in s["acceptability"]:
        x["confidence"] = CONFIDENCE.get(x["id"])
    s["drivers"] = [
        {
            "id": x["id"],
            "name": x["name"],
            "rank_variance": 0.5 * k,
            "shares": SHARES[k] if k < len(SHARES) else {"weights": 1.0},
        }
        for k, x in enumerate(s["acceptability"])
    ]
    res["portfolio"]["budget_risk"] = copy.deepcopy(RISK)
    if robust_budget is not None:
        res["portfolio"]["robust_budget"] = copy.deepcopy(robust_budget)
    res["robustness"]["estimates"] = dict(ESTIMATES)
    res["robustness"]["budget"] = {"cost": {**RISK["cost"], "probability_within": baseline_probability}}
    return st


@pytest.fixture(scope="module")
def pages(case, stages):
    """The page of the uncertain fixture stages, per language."""
    st = _uncertain(stages)
    return {lang: render_page(case, st, lang) for lang in LANGUAGES}


def _section(page: str, sid: str) -> str:
    start = page.index(f'<section id="{sid}">')
    return page[start : page.index("</section>", start)]


def _text(fragment: str) -> str:
    """The visible text of a fragment of the page (tags removed, entities read, spaces joined)."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _figure(page: str, name: str) -> str:
    start = page.index(f'<figure id="fig-{name}">')
    return page[start : page.index("</figure>", start)]


def _table_after(fragment: str, marker: str) -> list[list[str]]:
    """The rows (header first) of the first table after ``marker`` in ``fragment``."""
    start = fragment.index(marker)
    table = fragment[fragment.index("<table>", start) : fragment.index("</table>", start)]
    return [
        [_text(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.DOTALL)]
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.DOTALL)
    ]


# -- a case without uncertain estimates --------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_case_without_uncertain_estimates_renders_without_the_new_parts(case, stages, lang):
    t = texts(lang)
    plain = render_page(case, _exact(stages), lang)
    # an exact run that says so (mode "exact", no drivers that vary) is the same page, byte for byte
    said = _exact(stages)
    said.results["sensitivity"]["estimates"] = {"mode": "exact", "source": None, "cells": 0}
    said.results["sensitivity"]["drivers"] = [
        {"id": x["id"], "name": x["name"], "rank_variance": 0.0, "shares": {}}
        for x in said.results["sensitivity"]["acceptability"]
    ]
    said.results["robustness"]["estimates"] = {"mode": "exact", "source": None, "cells": 0}
    assert render_page(case, said, lang) == plain
    for gone in ("fig-drivers", "ranking-drivers", "portfolio-budget-risk", "robustness-budget-risk"):
        assert gone not in plain
    text = _text(plain)
    for key in ("confidence_factor", "smaa_estimates", "fig_smaa_caption_estimates", "core_index_estimates"):
        assert t[key].split("{")[0].strip() not in text, key
    assert t["fig_smaa_caption"] in text
    header = _table_after(_section(plain, "ranking"), 'id="ranking-smaa"')[0]
    assert header == [
        t["measure"],
        t["first_place"],
        t["in_top_k"].format(k=stages.results["sensitivity"]["top_k"]),
    ]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_workbook_of_a_case_without_uncertain_estimates_has_notes_only(case, stages, lang, tmp_path):
    from openpyxl import load_workbook

    t, names = texts(lang), sheet_names(lang)
    path = tmp_path / "results.xlsx"
    path.write_bytes(render_workbook(case, _exact(stages), lang))
    wb = load_workbook(path)
    assert [list(r) for r in wb[names["drivers"]].iter_rows(values_only=True)] == [
        [t["note"]],
        [t["drivers_none"]],
    ]
    assert [list(r) for r in wb[names["budget_risk"]].iter_rows(values_only=True)] == [
        [t["note"]],
        [t["budget_none"]],
    ]
    header = next(wb[names["acceptability"]].iter_rows(values_only=True))
    assert t["confidence_factor"] not in header and header[4] == f"{t['rank']} 1"


# -- the ranking ----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_smaa_says_that_the_estimates_vary_too_and_shows_the_confidence(case, stages, pages, lang):
    t, ctx = texts(lang), Context.of(case, lang)
    ranking = _section(pages[lang], "ranking")
    text = _text(ranking)
    cells = "1.234" if lang == "de" else "1,234"  # the count written the language's way
    assert t["smaa_estimates"].format(cells=cells, source="uncertainty.csv") in text
    assert t["confidence_what"] in text
    assert t["fig_smaa_caption_estimates"] in _text(_figure(ranking, "smaa"))
    assert t["fig_smaa_caption"] not in text
    rows = _table_after(ranking, 'id="ranking-smaa"')
    assert rows[0][-1] == t["confidence_factor"]
    shown = {r[0]: r[-1] for r in rows[1:]}
    for x in stages.results["sensitivity"]["acceptability"][:10]:
        want = CONFIDENCE.get(x["id"])
        assert shown[x["name"]] == (ctx.pct(want) if want is not None else "–"), x["id"]
    assert shown[ctx.measures["solar"]] == ("81,3 %" if lang == "de" else "81.3%")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_drivers_chart_shows_the_first_three_measures_largest_share_first(case, stages, pages, lang):
    t = texts(lang)
    ranking = _section(pages[lang], "ranking")
    assert ranking.index('id="ranking-drivers"') > ranking.index('id="fig-smaa"')
    fig = _figure(ranking, "drivers")
    assert f'<title id="fig-drivers-title">{html.escape(t["fig_drivers_alt"])}</title>' in fig
    assert t["fig_drivers_caption"] in _text(fig)
    desc = html.unescape(re.search(r'<desc id="fig-drivers-desc">(.*?)</desc>', fig, re.DOTALL)[1])
    first, second, third, *rest = stages.results["sensitivity"]["acceptability"]
    crit = {c.id: c.name for c in case.criteria}
    pct = (lambda n: f"{n} %") if lang == "de" else (lambda n: f"{n}%")
    want = [
        t["fig_drivers_desc_one"].format(
            measure=first["name"],
            sources=f"{t['drivers_weights']} {pct(50)}, {crit['cost']} {pct(30)}, {crit['co2']} {pct(20)}",
        ),
        t["fig_drivers_desc_one"].format(
            measure=second["name"], sources=f"{crit['homes']} {pct(60)}, {t['drivers_weights']} {pct(40)}"
        ),
        t["fig_drivers_desc_one"].format(measure=third["name"], sources=t["drivers_no_variance"].rstrip(".")),
    ]
    assert desc == " ".join(want)
    drawn = {html.unescape(s).strip() for s in re.findall(r"<text[^>]*>([^<]*)</text>", fig)}
    # the bars' labels (text stays text in the SVG) and the three panels' titles; nothing of the fourth
    assert {t["drivers_weights"], crit["cost"], crit["co2"], crit["homes"], t["drivers_no_variance"]} <= drawn
    assert {first["name"], second["name"], third["name"]} <= drawn
    assert not any(x["name"] in drawn for x in rest)


def test_no_drivers_chart_when_no_leading_rank_varies(case, stages):
    st = _uncertain(stages)
    for k, d in enumerate(st.results["sensitivity"]["drivers"][:3]):
        d["shares"] = {} if k else {"weights": 0.0, "cost": 0.0}  # as the stage gives it: zeros
    page = render_page(case, st, "en")
    assert "fig-drivers" not in page and "ranking-drivers" not in page
    assert texts("en")["confidence_factor"] in page  # the estimates were still sampled


def test_a_driver_panel_has_at_most_six_bars_and_the_rest_as_other():
    shares = {f"c{i}": w for i, w in enumerate([0.05, 0.3, 0.1, 0.15, 0.02, 0.08, 0.2, 0.04, 0.06])}
    bars = driver_bars(shares)
    assert [k for k, _ in bars] == ["c1", "c6", "c3", "c2", "c5", "c8", None]
    assert bars[-1][1] == pytest.approx(0.05 + 0.02 + 0.04)  # the three smallest, summed
    assert sum(v for _, v in bars) == pytest.approx(sum(shares.values()))
    seven = dict(list(shares.items())[:7])
    assert None not in {k for k, _ in driver_bars(seven)}  # "other" never stands for one source
    assert driver_bars({"b": 0.5, "a": 0.5}) == [("a", 0.5), ("b", 0.5)]  # ties by source
    assert driver_bars({}) == [] == driver_bars({"weights": 0.0, "c1": 0.0})
    assert driver_bars({"weights": 1.0, "c1": 0.0, "c2": 0.0}) == [("weights", 1.0)]  # no bar of 0


def test_the_drivers_chart_is_the_same_every_time_and_names_a_criterion_it_does_not_know_by_its_id():
    drivers = [{"id": "m", "name": "M $x$", "rank_variance": 1.0, "shares": {"weights": 0.25, "zz": 0.75}}]
    t = texts("en")
    one = drivers_chart(drivers, t, "en", {}, lambda x: f"{100 * x:.0f}%")
    assert one == drivers_chart(drivers, t, "en", {}, lambda x: f"{100 * x:.0f}%")
    assert "zz 75%" in one and one.startswith('<svg role="img"')
    assert ">M $x$<" in one  # a dollar is drawn as it is, not as mathtext


# -- the portfolio and the robustness ----------------------------------------------------------


SENTENCES = {
    "de": (
        "Mit 83 % Wahrscheinlichkeit bleibt das Paket innerhalb der Obergrenze von 100 EUR m "
        "(Investitionen). Nach den Schätzwerten braucht es 85 EUR m; in neun von zehn Fällen höchstens "
        "104 EUR m, in 19 von 20 Fällen höchstens 109 EUR m."
    ),
    "en": (
        "With a probability of 83% the package stays within the limit of 100 EUR m (Investitionen). "
        "Going by the estimates it needs 85 EUR m; in nine cases out of ten at most 104 EUR m, in 19 out "
        "of 20 at most 109 EUR m."
    ),
}
"""The council's sentence on the fixture's budget risk, written out."""


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_portfolio_says_how_likely_the_package_keeps_to_its_budget(pages, lang):
    t = texts(lang)
    portfolio = _section(pages[lang], "portfolio")
    assert 'id="portfolio-budget-risk"' in portfolio
    assert portfolio.index('id="portfolio-budget-risk"') < portfolio.index('id="portfolio-selected"')
    text = _text(portfolio)
    assert SENTENCES[lang] in text
    assert t["budget_risk_what"] in text
    rows = _table_after(portfolio, 'id="portfolio-budget-risk"')
    assert rows[0] == [
        t["resource"],
        t["limit"],
        t["budget_nominal"],
        t["budget_within"],
        t["budget_mean"],
        t["budget_p90"],
        t["budget_p95"],
    ]
    de = ["Investitionen (EUR m)", "100,0", "85,0", "83,0 %", "92,1", "104,2", "108,7"]
    en = ["Investitionen (EUR m)", "100.0", "85.0", "83.0%", "92.1", "104.2", "108.7"]
    assert rows[1:] == [de if lang == "de" else en]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_robust_budget_is_said_with_its_gamma_probability_and_cost(pages, lang):
    t = texts(lang)
    text = _text(_section(pages[lang], "portfolio"))
    fields = {"resource": "Investitionen", "limit": "100 EUR m", "gamma": "2"}
    if lang == "de":
        fields |= {"confidence": "90 %", "achieved": "91,3 %"}
    else:
        fields |= {"confidence": "90%", "achieved": "91.3%"}
    said = t["robust_budget_sentence"].format(**fields)
    cost = t["robust_budget_cost"].format(value_cost="0,12" if lang == "de" else "0.12")
    assert f"{said} {cost}" in text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_robustness_section_says_the_core_index_drew_the_estimates_and_the_baseline_budget(pages, lang):
    t = texts(lang)
    robust = _section(pages[lang], "robustness")
    text = _text(robust)
    cells = "1.234" if lang == "de" else "1,234"
    what = t["core_index_estimates"].format(cells=cells, source="uncertainty.csv")
    assert text.index(t["core_index_what"]) < text.index(what)
    assert 'id="robustness-budget-risk"' in robust
    samples = "10.000" if lang == "de" else "10,000"
    limit = {"limit": "100 EUR m", "resource": "Investitionen"}
    assert t["budget_risk_all"].format(samples=samples, **limit) in text
    assert t["robust_budget_risk_what"] in text
    assert _table_after(robust, 'id="robustness-budget-risk"')[1][3] == (
        "100,0 %" if lang == "de" else "100.0%"
    )


@pytest.mark.parametrize(
    "p, de, en",
    [
        (1.0, "In allen 10.000 Stichproben bleibt", "In all 10,000 samples the package stays"),
        (0.0, "In keiner der 10.000 Stichproben bleibt", "In none of the 10,000 samples does"),
        (0.9996, "Mit über 99 % Wahrscheinlichkeit", "With a probability of over 99% the"),
        (0.002, "Mit unter 1 % Wahrscheinlichkeit", "With a probability of under 1% the"),
        (0.995, "Mit über 99 % Wahrscheinlichkeit", "With a probability of over 99% the"),  # would round
        (0.994, "Mit 99 % Wahrscheinlichkeit", "With a probability of 99% the"),
        (0.005, "Mit unter 1 % Wahrscheinlichkeit", "With a probability of under 1% the"),
        (0.5, "Mit 50 % Wahrscheinlichkeit", "With a probability of 50% the"),
    ],
)
def test_a_sampled_probability_is_never_said_as_certainty(case, p, de, en):
    for lang, start in (("de", de), ("en", en)):
        (row,) = _budget_risk(Context.of(case, lang), {"cost": {**RISK["cost"], "probability_within": p}})
        assert row["said"].startswith(start), (lang, row["said"])


def test_a_robust_budget_without_reserve_says_so_and_one_without_a_known_cost_says_none(case, stages):
    t, ctx = texts("en"), Context.of(case, "en")
    (none,) = _robust_budget(ctx, {"robust_budget": [{**ROBUST_BUDGET[0], "gamma": 0, "value_cost": 0.0}]})
    fields = {"resource": "Investitionen", "limit": "100 EUR m", "confidence": "90%", "achieved": "91.3%"}
    assert none == t["robust_budget_no_reserve"].format(gamma="0", **fields)
    (unknown,) = _robust_budget(ctx, {"robust_budget": [{**ROBUST_BUDGET[0], "value_cost": None}]})
    assert unknown == t["robust_budget_sentence"].format(gamma="2", **fields)
    # a robust budget alone (no budget risk given) is still said
    st = _uncertain(stages)
    del st.results["portfolio"]["budget_risk"]
    page = _section(render_page(case, st, "en"), "portfolio")
    assert 'id="portfolio-budget-risk"' in page and t["robust_budget_sentence"].format(
        gamma="2", **fields
    ) in _text(page)
    assert t["budget_risk_what"] not in _text(page)


# -- the workbook ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def workbooks(case, stages, tmp_path_factory):
    from openpyxl import load_workbook

    st, out = _uncertain(stages, baseline_probability=0.95), {}
    for lang in LANGUAGES:
        path = tmp_path_factory.mktemp(lang) / "results.xlsx"
        path.write_bytes(render_workbook(case, st, lang))
        out[lang] = load_workbook(path)
    return out


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_workbook_has_every_measures_drivers(case, stages, workbooks, lang):
    t, wb = texts(lang), workbooks[lang]
    rows = list(wb[sheet_names(lang)["drivers"]].iter_rows(values_only=True))
    crit = [c for c in case.criteria if c.id in {"cost", "co2", "homes"}]  # the sources any share names
    assert list(rows[0]) == [
        "id",
        t["measure"],
        t["rank_variance"],
        t["drivers_weights"],
        *[c.name for c in crit],
    ]
    acceptability = stages.results["sensitivity"]["acceptability"]
    assert [r[0] for r in rows[1:]] == [x["id"] for x in acceptability]
    keys = ["weights", *[c.id for c in crit]]
    for k, row in enumerate(rows[1:]):
        shares = SHARES[k] if k < len(SHARES) else {"weights": 1.0}
        assert list(row[2:]) == [0.5 * k, *[shares.get(c) for c in keys]]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_workbook_has_the_budget_risk_and_the_robust_budget(workbooks, lang):
    t, wb = texts(lang), workbooks[lang]
    ws = wb[sheet_names(lang)["budget_risk"]]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert rows[0][:3] == [t["budget_package"], "id", t["resource"]]
    numbers = [100.0, 85.0, 0.83, 92.14, 91.0, 104.2, 108.7, 10_000, 2040]
    assert rows[1] == [t["budget_of_portfolio"], "cost", "Investitionen (EUR m)", *numbers]
    numbers[2] = 0.95
    assert rows[2] == [t["budget_of_baseline"], "cost", "Investitionen (EUR m)", *numbers]
    assert all(v is None for v in rows[3])  # a blank row, then the robust budget's table
    assert rows[4][:3] == ["id", t["resource"], t["budget_confidence"]] and ws.cell(5, 1).font.b
    assert rows[5][:9] == ["cost", "Investitionen (EUR m)", 0.9, 2, 0.9134, 100.0, 0.125, 10_000, 2040]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_acceptability_sheet_has_the_confidence_factor(stages, workbooks, lang):
    t, wb = texts(lang), workbooks[lang]
    rows = list(wb[sheet_names(lang)["acceptability"]].iter_rows(values_only=True))
    assert rows[0][4] == t["confidence_factor"] and rows[0][5] == f"{t['rank']} 1"
    ids = [x["id"] for x in stages.results["sensitivity"]["acceptability"]]
    assert {r[0]: r[4] for r in rows[1:]} == {i: CONFIDENCE.get(i) for i in ids}


def test_both_languages_write_the_same_uncertainty_tables(workbooks):
    for sheet in ("drivers", "budget_risk", "acceptability"):
        de = list(workbooks["de"][sheet_names("de")[sheet]].iter_rows(values_only=True))
        en = list(workbooks["en"][sheet_names("en")[sheet]].iter_rows(values_only=True))
        assert len(de) == len(en)
        for d, e in zip(de, en):
            assert len(d) == len(e)
            assert [x for x in d if not isinstance(x, str)] == [x for x in e if not isinstance(x, str)]
