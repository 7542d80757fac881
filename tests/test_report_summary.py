"""The report opens with a one-page summary for the council: the recommended package, what it
delivers in the criteria's own units against all candidates, what it costs, how robust it is, who
is least satisfied, the main goal conflicts, and where the rankings disagree (and why a first
measure is not in the package). Also: numbers that round to zero carry no sign, the frontier's
"comes in" column stays short, and the new figures (the case at a glance, the method comparison)
are drawn, deterministic and not cut.

The stages of cases/tiny are computed once; the parts the summary reads (``delivers``, the robust
stage's satisfaction, the methods' compromise) are then replaced by fixture values where a test
needs a known situation, so the tests do not depend on the portfolio's numbers.
"""

from __future__ import annotations

import copy
import dataclasses
import html
import re

import pytest

from lev2040_mcda.case import load_case
from lev2040_mcda.report import SECTIONS, compute_stages, render_page, render_workbook, sheet_names
from lev2040_mcda.report.context import Context, reasons_text
from lev2040_mcda.report.i18n import LANGUAGES, texts
from lev2040_mcda.report.summary import delivers_rows

from .conftest import CASES

FAST = {"samples": 200, "robust_samples": 3}

DELIVERS = {
    "cost": {
        "name": "Investitionen",
        "unit": "EUR m",
        "direction": "cost",
        "goal": "finanzen",
        "selected": 85.0,
        "all": 195.0,
    },
    "homes": {
        "name": "Neue Wohnungen",
        "unit": "dwellings",
        "direction": "benefit",
        "goal": "wohnen",
        "selected": 1250.0,
        "all": 5000.0,
    },
    "co2": {
        "name": "CO2-Minderung",
        "unit": "t/yr",
        "direction": "benefit",
        "goal": "klima",
        "selected": 12.5,
        "all": 0.0,
    },
}
"""What a package delivers, as the portfolio stage's ``delivers`` gives it (criterion -> ...)."""


@pytest.fixture(scope="module")
def case():
    return load_case(CASES / "tiny")


@pytest.fixture(scope="module")
def stages(case):
    return compute_stages(case, **FAST)


@pytest.fixture(scope="module")
def page(case, stages):
    """The page of the unchanged stages, per language (rendered once each)."""
    pages = {}

    def get(lang: str) -> str:
        if lang not in pages:
            pages[lang] = render_page(case, stages, lang)
        return pages[lang]

    return get


def _with(stages, **changes):
    """``stages`` with some results replaced (deep copies: the module's stages stay as they are)."""
    results = copy.deepcopy(stages.results)
    for name, change in changes.items():
        change(results[name])
    return dataclasses.replace(stages, results=results)


def _summary(case, stages, lang: str) -> str:
    """The summary section of the page, as text (tags dropped, entities read)."""
    return _section_text(render_page(case, stages, lang))


def _section_text(page: str) -> str:
    block = re.search(r'<section id="summary">(.*?)</section>', page, re.S)
    assert block, "no summary section"
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", block[1])))


def _set_delivers(p):
    p["delivers"] = copy.deepcopy(DELIVERS)


# -- where it is -------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_summary_is_the_first_section_and_the_first_link(page, lang):
    page = page(lang)
    assert SECTIONS[0] == "summary"
    assert re.findall(r'<section id="(\w+)">', page)[0] == "summary"
    nav = re.search(r"<nav .*?</nav>", page, re.S)[0]
    assert re.findall(r'href="#(\w+)"', nav)[0] == "summary"
    assert f"<h2>{html.escape(texts(lang)['summary'])}</h2>" in page


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_summary_lists_every_measure_of_the_package(case, stages, page, lang):
    text = _section_text(page(lang))
    selected = stages.results["portfolio"]["selected"]
    names = {m.id: m.name for m in case.measures}
    assert texts(lang)["summary_package"].format(n=len(selected)) in text
    for mid in selected:
        assert names[mid] in text
    for mid in set(names) - set(selected):  # a measure left out is named only to say why
        assert text.count(names[mid]) <= 2


# -- what it delivers, in the criteria's units -------------------------------------------------


def test_delivers_rows_put_the_most_weighted_criterion_first_with_its_share(case):
    ctx = Context.of(case, "en")
    rows = delivers_rows(ctx, DELIVERS, {"cost": 0.2, "homes": 0.5, "co2": 0.3})
    assert [r["id"] for r in rows] == ["homes", "co2", "cost"]
    homes = rows[0]
    assert (homes["unit"], homes["selected"], homes["all"], homes["share"]) == (
        "dwellings",
        1250.0,
        5000.0,
        0.25,
    )
    assert homes["goal"] == ctx.goals["wohnen"] and homes["weight"] == 0.5
    assert rows[1]["share"] is None  # a total of 0: no share to give
    assert rows[2]["share"] == pytest.approx(85 / 195)
    # without weights: the catalogue's order
    assert [r["id"] for r in delivers_rows(ctx, DELIVERS, {})] == list(DELIVERS)


@pytest.mark.parametrize(
    "lang, homes, amounts",
    [
        ("en", "Neue Wohnungen dwellings higher", "1,250 5,000 25%"),
        ("de", "Neue Wohnungen dwellings höher", "1.250 5.000 25 %"),
    ],
)
def test_the_summary_shows_what_the_package_delivers_in_units(case, stages, lang, homes, amounts):
    text = _summary(case, _with(stages, portfolio=_set_delivers), lang)
    t = texts(lang)
    assert t["summary_delivers"] in text and t["delivers_what"] in text
    for head in (t["delivers_package"], t["delivers_all"], t["delivers_share"], t["unit"]):
        assert head in text
    assert homes in text and amounts in text
    assert "12.5" in text if lang == "en" else "12,5" in text  # decimals as its size needs
    assert "85 195 44" in text  # cost: what the package takes of the total


def test_the_summary_of_a_real_run_has_a_row_per_criterion(case, stages, page):
    delivers = stages.results["portfolio"]["delivers"]
    text = _section_text(page("en"))
    assert set(delivers) == {c.id for c in case.criteria}
    for d in delivers.values():
        assert f"{d['name']} {d['unit']}" in text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_without_delivers_the_summary_says_so(case, stages, lang):
    text = _summary(case, _with(stages, portfolio=lambda p: p.pop("delivers", None)), lang)
    assert texts(lang)["delivers_missing"] in text


def test_the_summary_shows_what_the_package_costs(case, stages, page):
    text = _section_text(page("de"))
    used = stages.results["portfolio"]["resources"]["cost"]
    shown = f"{used['used']:.1f}".replace(".", ",")
    assert f"Investitionen (EUR m) {shown} 100,0" in text
    assert texts("de")["summary_costs"] in text


# -- robust, least satisfied, conflicts ----------------------------------------------------------


def _satisfaction(values: dict[str, float], worst: float | None):
    def change(r):
        r["groups"] = {
            "satisfaction": {g: {"consensus": v, "compromise": 1.0, "own": 1.0} for g, v in values.items()},
            "compromise": {"selected": [], "worst_ratio": worst, "ratios": {}},
        }

    return change


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_least_satisfied_group_is_named_with_its_share(case, stages, lang):
    t = texts(lang)
    changed = _with(stages, robustness=_satisfaction({"verwaltung": 0.95, "buerger": 0.8}, 0.9))
    text = _summary(case, changed, lang)
    pct = {"en": ("80.0%", "90.0%"), "de": ("80,0 %", "90,0 %")}[lang]
    assert t["summary_least"].format(group="Bürgerinnen und Bürger", value=pct[0]) in text
    assert t["summary_fair"].format(value=pct[1]) in text
    assert t["summary_least_head"] in text


def test_groups_alike_are_not_called_least_satisfied(case, stages):
    t = texts("en")
    text = _summary(
        case, _with(stages, robustness=_satisfaction({"verwaltung": 1.0, "buerger": 1.0}, 1.0)), "en"
    )
    assert t["summary_all_alike"].format(value="100.0%") in text
    assert "Bürgerinnen und Bürger:" not in text


def test_the_summary_says_how_robust_the_package_is(case, stages, page):
    r, p = stages.results["robustness"], stages.results["portfolio"]
    n = sum(i in r["core"] for i in p["selected"])
    text = _section_text(page("en"))
    t = texts("en")
    assert t["summary_robust"].format(n=n, total=len(p["selected"]), scenarios=len(r["scenarios"])) in text


def test_the_summary_names_the_main_conflicts(case, stages, page):
    text = _section_text(page("en"))
    first = stages.results["conflicts"]["conflicts"][0]
    assert f"{first['title_a']} ↔ {first['title_b']}" in text
    assert texts("en")["summary_conflicts"] in text


# -- where the rankings disagree -----------------------------------------------------------------


def _compromise_first(measure: str):
    def change(m):
        for x in m["ranks"]:
            x["compromise"] = 1 if x["id"] == measure else x["compromise"] + 1

    return change


@pytest.mark.parametrize("lang", LANGUAGES)
def test_when_the_rankings_disagree_the_summary_says_which_and_why_not(case, stages, lang):
    t = texts(lang)
    p = stages.results["portfolio"]
    left = p["explanations"]["not_selected"][0]  # a measure the package leaves out, with its reasons
    changed = _with(stages, methods=_compromise_first(left["id"]))
    text = _summary(case, changed, lang)
    names = {m.id: m.name for m in case.measures}
    first = stages.results["ranking"]["ranking"][0]
    assert first["id"] != left["id"]
    assert t["summary_rankings"] in text
    assert (
        t["summary_rank_differ"].format(
            method=stages.results["ranking"]["label"], first=names[first["id"]], compromise=names[left["id"]]
        )
        in text
    )
    why = reasons_text(Context.of(case, lang), left)
    assert why and t["summary_not_in_package"].format(measure=names[left["id"]], why=why) in text
    if first["id"] in p["selected"]:
        assert t["summary_in_package"].format(measure=names[first["id"]]) in text


def test_when_the_rankings_agree_the_summary_says_so_once(case, stages):
    t = texts("en")
    first = stages.results["ranking"]["ranking"][0]
    text = _summary(case, _with(stages, methods=_compromise_first(first["id"])), "en")
    name = next(m.name for m in case.measures if m.id == first["id"])
    assert t["summary_rank_same"].format(method=stages.results["ranking"]["label"], measure=name) in text
    assert "ranks " + name + " first, the compromise" not in text


# -- the workbook ------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_workbook_has_what_the_package_delivers(case, stages, lang, tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "results.xlsx"
    path.write_bytes(render_workbook(case, _with(stages, portfolio=_set_delivers), lang))
    t = texts(lang)
    rows = list(load_workbook(path)[sheet_names(lang)["delivers"]].iter_rows(values_only=True))
    assert rows[0][:3] == ("id", t["criterion"], t["unit"])
    assert rows[0][6:] == (t["delivers_package"], t["delivers_all"], t["delivers_share"])
    by_id = {r[0]: r for r in rows[1:]}
    assert set(by_id) == set(DELIVERS)
    assert by_id["homes"][2:4] == ("dwellings", t["dir_benefit"])
    assert by_id["homes"][6:] == (1250, 5000, 0.25)  # numbers as numbers
    assert by_id["co2"][8] is None


# -- small things --------------------------------------------------------------------------------


@pytest.mark.parametrize("lang, zero", [("en", "0.000"), ("de", "0,000")])
def test_a_value_that_rounds_to_zero_has_no_sign(case, lang, zero):
    ctx = Context.of(case, lang)
    for x in (-0.0, -1e-12, -0.0004, 0.0):
        assert ctx.num(x, 3) == zero
    assert ctx.num(-0.0006, 3) == ("-0.001" if lang == "en" else "-0,001")
    assert ctx.num(-1234.5, 1) == ("-1,234.5" if lang == "en" else "-1.234,5")


def test_amounts_keep_the_decimals_their_size_needs(case):
    de = Context.of(case, "de")
    assert [de.amount(x) for x in (1250.0, 12.5, 0.35, 2.0, 0.0, None)] == [
        "1.250",
        "12,5",
        "0,35",
        "2",
        "0",
        "–",
    ]


def test_the_frontier_column_gives_a_count_and_short_names(case, page):
    ctx = Context.of(case, "en")
    ids = [m.id for m in case.measures]
    shown = ctx.counted(ids)
    assert shown.startswith(f"{len(ids)}: ") and shown.endswith(f"and {len(ids) - 2} more")
    assert len(ctx.counted(ids, width=10)) < 45
    assert ctx.counted([]) == "–"
    frontier = re.search(r'<h3 id="frontier">.*?</table>', page("en"), re.S)[0]
    for cell in re.findall(r"<td>([^<]*)</td>", frontier):
        assert len(html.unescape(cell)) <= 90


# -- the new figures ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_case_at_a_glance_and_the_method_comparison_are_figures(stages, page, lang):
    page = page(lang)
    t = texts(lang)
    overview = re.search(r'<section id="overview">(.*?)</section>', page, re.S)[1]
    ranking = re.search(r'<section id="ranking">(.*?)</section>', page, re.S)[1]
    assert '<figure id="fig-glance">' in overview and html.escape(t["fig_glance_caption"]) in overview
    assert '<figure id="fig-methods">' in ranking and html.escape(t["fig_methods_caption"]) in ranking
    glance = re.search(r'<figure id="fig-glance">(.*?)</figure>', overview, re.S)[1]
    for d in ("Nord", "Süd"):
        assert d in glance
    methods = re.search(r'<figure id="fig-methods">(.*?)</figure>', ranking, re.S)[1]
    for label in stages.results["methods"]["methods"].values():
        if label["label"] != "PROMETHEE II":
            assert label["label"] in methods


def test_figures_are_the_same_bytes_for_the_same_inputs(case, stages):
    from lev2040_mcda.report.figures import glance_chart, method_ranks_heatmap

    t = texts("en")
    s = stages.results["summary"]
    labels = {r["id"]: r["id"] for r in s["resources"]}
    names = {d["id"]: d["name"] for d in s["districts"]}
    assert glance_chart(s, t, "en", labels, names) == glance_chart(s, t, "en", labels, names)
    m = stages.results["methods"]
    assert method_ranks_heatmap(m, t) == method_ranks_heatmap(m, t)


def _svg_width(svg: str) -> float:
    return float(re.search(r'width="([\d.]+)pt"', svg)[1])


def test_a_long_measure_name_is_shown_whole_and_the_heat_map_widens_for_it():
    from lev2040_mcda.report.figures import acceptability_heatmap

    long = "Neubaugebiet Quettingen (400 Wohnungen, Außenbereich, zweiter Bauabschnitt)"[:68]

    def rows(name):
        return {
            "acceptability": [{"name": name, "by_rank": [0.6, 0.4]}, {"name": "B", "by_rank": [0.4, 0.6]}]
        }

    t = texts("de")
    wide, narrow = acceptability_heatmap(rows(long), t, "de"), acceptability_heatmap(rows("A"), t, "de")
    assert html.escape(long) in wide and "…" not in wide
    assert _svg_width(wide) > _svg_width(narrow)


def test_the_goal_network_puts_related_goals_side_by_side():
    from lev2040_mcda.report.figures import circle_order

    ring = ["a", "b", "c", "d", "e", "f"]
    edges = [("a", "d"), ("b", "e"), ("c", "f"), ("a", "b")]

    def cost(order):
        at = {g: k for k, g in enumerate(order)}
        return sum(min(abs(at[u] - at[v]), len(order) - abs(at[u] - at[v])) for u, v in edges)

    order = circle_order(ring, edges)
    assert sorted(order) == ring and cost(order) < cost(ring)
    assert circle_order(ring, edges) == order  # deterministic
    assert circle_order(["x", "y"], [("x", "y")]) == ["x", "y"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_without_a_feasible_portfolio_the_summary_says_why(tiny, lang):
    path = tiny / "case.yaml"
    path.write_text(
        path.read_text().replace(
            "cost: {name: Investitionen, unit: EUR m, limit: 100}",
            "cost: {name: Investitionen, unit: EUR m, limit: 10}",
        )
    )
    case = load_case(tiny)
    stages = compute_stages(case, **FAST)
    t = texts(lang)
    page = render_page(case, stages, lang)
    text = _section_text(page)
    assert t["portfolio_infeasible"] in text and "hub" in text  # the engine's reason, naming the measure
    assert t["summary_robust_infeasible"] in text
    assert 'id="summary-package"' not in page and t["summary_least_head"] not in text
    assert t["summary_rankings"] in text and t["summary_conflicts"] in text
