"""The report: one self-contained HTML page, a workbook and the JSON of every stage.

Built for cases/tiny and cases/leverkusen-2040 in both languages (small SMAA and core-index
samples keep the suite quick); the page is parsed with the standard library and rendered in
headless Chromium.
"""

from __future__ import annotations

import csv
import html
import json
import re
import shutil
import subprocess
import sys
import types
from html.parser import HTMLParser
from pathlib import Path

import pytest

from lev2040_mcda.case import load_case
from lev2040_mcda.report import (
    SECTIONS,
    SHEETS,
    build_report,
    compute_stages,
    report_language,
    sheet_names,
    write_report,
)
from lev2040_mcda.report.i18n import LANGUAGES, TEXTS, texts
from lev2040_mcda.report.votes import has_votes

from .conftest import CASES

FAST = {"samples": 300, "robust_samples": 5}
FIGURES = ("glance", "weights", "network", "methods", "smaa", "frontier", "inclusion")


def figures(case) -> tuple[str, ...]:
    """The figures of ``case``'s page: the Stadtcheck's maps only with district indicators, the
    cross-impact heat map only with a CIB model, the support chart only with a vote, the drivers of
    the first places only with uncertain estimates."""
    drivers = ("drivers",) if case.uncertainty.on(case.criterion_ids) else ()
    stadtcheck = ()
    if case.stadtcheck is not None:  # the need map, one per goal with indicators, where the package lands
        from lev2040_mcda.stadtcheck import profiles

        stadtcheck = ("stadtcheck-need", *(f"need-{g}" for g in profiles(case).goals), "equity")
    return (
        FIGURES
        + stadtcheck
        + (("cib",) if case.cib is not None else ())
        + (("support",) if has_votes(case) else ())
        + drivers
    )


REQUIRED_SHEETS = (
    "weights",
    "consensus",
    "ranking",
    "methods",
    "conflicts",
    "portfolio",
    "delivers",
    "frontier",
    "robustness",
    "rejected",
)
ENGINE_WORDS = {
    # the engine's codes: solver status, robustness sets and classes, interaction effects
    "optimal",
    "feasible",
    "infeasible",
    "not solved",
    "core",
    "contested",
    "never",
    "no-regret",
    "borderline",
    "exterior",
    "conflict",
    "synergy",
    "(baseline)",
    "consensus",
    # the English column names and parameter keys the workbook once had
    "mean",
    "min",
    "max",
    "cv",
    "highest",
    "lowest",
    "strength",
    "severity",
    "status",
    "share",
    "influence",
    "kendall_w",
    "count",
    "set",
    "step",
    "level",
    "sha256",
    "a",
    "b",
    "case",
    "title",
    "method",
    "solver",
    "samples",
    "seed",
    "steps",
    "robust_samples",
    "scenario",
    "weights_from",
    "consensus_index",
}
"""English words of the engine that a German workbook or page must not show as a header or cell."""
PAYLOAD = '=HYPERLINK("http://evil.example/?<b>x</b>","klick")'


class Page(HTMLParser):
    """What the tests read off a page: tags, ids, attributes, text and the SVG titles."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.ids: list[str] = []
        self.attrs: list[tuple[str, str, str]] = []
        self.text: list[str] = []
        self.svg_titles: list[str] = []
        self.html_lang: str | None = None
        self._stack: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for k, v in attrs:
            self.attrs.append((tag, k, v or ""))
            if k == "id":
                self.ids.append(v)
        if tag == "html":
            self.html_lang = dict(attrs).get("lang")
        self._stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self._stack.pop()

    def handle_endtag(self, tag):
        while self._stack:
            if self._stack.pop() == tag:
                break

    def handle_data(self, data):
        if self._stack and self._stack[-1] in ("style", "script"):
            return
        if self._stack and self._stack[-1] == "title" and "svg" in self._stack:
            self.svg_titles.append(data)
        if data.strip():
            self.text.append(data.strip())

    @property
    def all_text(self) -> str:
        return "\n".join(self.text)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """(case, result, page) per (case, language); each case's stages are computed once."""
    stages, pages, steps = {}, {}, {}

    def get(name: str, lang: str):
        if (name, lang) not in pages:
            case = load_case(CASES / name)
            if name not in stages:
                steps[name] = []
                stages[name] = compute_stages(case, progress=steps[name].append, **FAST)
            out = tmp_path_factory.mktemp(f"{name}-{lang}")
            result = write_report(case, stages[name], out, lang=lang, progress=steps[name].append)
            text = result["index"].read_text(encoding="utf-8")
            pages[name, lang] = (case, result, text, Page(text), steps[name])
        return pages[name, lang]

    return get


BUILDS = [(c, lang) for c in ("tiny", "leverkusen-2040") for lang in LANGUAGES]


# -- texts -------------------------------------------------------------------------------------


def _fields(s: str) -> set[str]:
    return set(re.findall(r"{(\w*)}", s))


def test_every_label_exists_in_both_languages_with_the_same_fields():
    assert TEXTS["de"].keys() == TEXTS["en"].keys()
    for key in TEXTS["en"]:
        assert _fields(TEXTS["de"][key]) == _fields(TEXTS["en"][key]), key
        assert TEXTS["de"][key].strip() and TEXTS["en"][key].strip(), key


def test_language_defaults_to_the_case_and_rejects_unknown_ones():
    assert report_language(load_case(CASES / "leverkusen-2040")) == "de"
    assert report_language(load_case(CASES / "tiny")) == "en"
    assert report_language(load_case(CASES / "tiny"), "de") == "de"
    with pytest.raises(ValueError, match="unknown report language 'fr'"):
        texts("fr")
    with pytest.raises(ValueError, match="unknown report language"):
        build_report(load_case(CASES / "tiny"), "unused", lang="fr")


# -- the page ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name,lang", BUILDS)
def test_page_has_every_section_and_figure_as_inline_svg(built, name, lang):
    case, result, text, page, _ = built(name, lang)
    assert page.html_lang == lang and result["lang"] == lang
    assert text.startswith("<!DOCTYPE html>")
    for sid in SECTIONS:
        assert sid in page.ids, sid
    for fig in figures(case):
        block = re.search(rf'<figure id="fig-{fig}">(.*?)</figure>', text, re.S)
        assert block, fig
        assert re.search(r"<svg [^>]*role=\"img\"", block[1]) and "<figcaption>" in block[1]
        title = re.search(rf'<title id="fig-{fig}-title">([^<]+)</title>', block[1])
        assert title and len(title[1]) > 20, fig
    # one accessible name per figure (a map's districts carry titles of their own, shown on hover)
    assert len(re.findall(r'<title id="fig-[\w-]+-title">', text)) == len(figures(case))
    assert len(page.ids) == len(set(page.ids)), "duplicate ids (e.g. two figures' clip paths)"
    links = [v[1:] for tag, k, v in page.attrs if tag == "a" and k == "href"]
    assert set(SECTIONS) <= set(links) and set(links) <= set(page.ids)


@pytest.mark.parametrize("name,lang", BUILDS)
def test_page_needs_no_network_and_no_script(built, name, lang):
    _, _, text, page, _ = built(name, lang)
    assert "script" not in page.tags and "link" not in page.tags and "img" not in page.tags
    for tag, key, value in page.attrs:
        if key in ("href", "xlink:href", "src"):  # a fragment, or an image inside the page
            assert value.startswith(("#", "data:image/png;base64,")), (tag, key, value[:80])
    assert re.findall(r"url\((?!#)", text) == []
    assert "@import" not in text


@pytest.mark.parametrize("name,lang", BUILDS)
def test_page_holds_no_text_of_the_other_language(built, name, lang):
    case, _, _, page, _ = built(name, lang)
    mine, other = TEXTS[lang], TEXTS["en" if lang == "de" else "de"]
    text, nodes = page.all_text, set(page.text)
    differing = [k for k in mine if mine[k] != other[k]]
    assert len(differing) > 150
    data = _input_texts(case)  # the case's own words (German in Leverkusen) are not labels
    for key in differing:
        label = other[key]
        if label in data:
            continue
        if not _fields(label):
            assert label not in nodes, key
        for chunk in re.split(r"{\w*}", label):  # the fixed parts of a label with fields
            if len(chunk.strip()) >= 12 and not any(chunk.strip() in w for w in data):
                assert chunk.strip() not in text, (key, chunk)
    for key in (
        "summary",
        "overview",
        "weights",
        "conflicts",
        "ranking",
        "portfolio",
        "robustness",
        "provenance",
        "contents",
        "what",
    ):
        assert mine[key] in nodes, key


def _input_texts(case) -> set[str]:
    """Every name, title, unit and note of the case: text the report shows as written."""
    cfg = case.config
    words = [
        case.name,
        cfg.title,
        cfg.description,
        *[m.name for m in case.measures],
        *[g.title for g in case.goals],
        *[c.name for c in case.criteria],
        *[c.unit for c in case.criteria],
        *[t.name for t in cfg.topics],
        *[g.name for g in cfg.groups],
        *[d.name for d in cfg.districts],
        *[r.name for r in cfg.resources.values()],
        *[r.unit for r in cfg.resources.values()],
        *[s.title for s in case.scenarios],
        *[i.note for i in case.interactions],
    ]
    return {w for w in words if w}


def test_numbers_follow_the_language(built):
    for lang in LANGUAGES:
        _case, result, _, page, _ = built("tiny", lang)
        index = json.loads(result["json"]["weights"].read_text())["consensus"]["index"]
        shown = f"{index:.2f}".replace(".", "," if lang == "de" else ".")
        assert texts(lang)["consensus_index"].format(value=shown) in page.text


def test_page_explains_the_portfolio_in_the_page_language(built):
    _, result, _, page, _ = built("leverkusen-2040", "de")
    portfolio = json.loads(result["json"]["portfolio"].read_text())
    blocked = [b for x in portfolio["explanations"]["not_selected"] for b in x["blocked_by"]]
    assert any(b.startswith("resource cost_eur_m: needs") for b in blocked)
    assert "resource cost_eur_m" not in page.all_text
    assert re.search(r"Investitionen: braucht [\d.,]+ EUR m, nur [\d.,]+ EUR m übrig", page.all_text)
    first = min(portfolio["measures"], key=lambda m: m["id"])
    assert first["name"] in page.text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_explanation_code_has_a_text_in_each_language(lang):
    from lev2040_mcda.portfolio import REASONS

    assert {k.removeprefix("why_") for k in TEXTS[lang] if k.startswith("why_")} == set(REASONS)


def test_workbook_notes_explain_in_the_page_language(built):
    from openpyxl import load_workbook

    _, result, _, _, _ = built("leverkusen-2040", "de")
    sheet = sheet_names("de")["portfolio"]
    rows = list(load_workbook(result["workbook"])[sheet].iter_rows(values_only=True))
    notes = [r[-1] for r in rows[1:] if r[-1]]
    assert notes and not any("resource " in n or "cannot be removed" in n for n in notes)
    assert any(re.search(r"Investitionen: braucht [\d.,]+ EUR m, nur [\d.,]+ EUR m übrig", n) for n in notes)
    assert any(n == texts("de")["why_mandatory"] for n in notes)


def test_progress_names_every_step_in_order(built):
    *_, steps = built("tiny", "en")
    names = [s for s in steps if not s.startswith("robustness ")]
    assert names[:11] == [
        "summary",
        "weights",
        "ranking",
        "sensitivity",
        "conflicts",
        "portfolio",
        "frontier",
        "robustness",
        "figures",
        "workbook",
        "writing",
    ]


# -- workbook and JSON -------------------------------------------------------------------------


def _cells(path: Path):
    from openpyxl import load_workbook

    wb = load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                yield ws.title, cell


@pytest.mark.parametrize("name,lang", BUILDS)
def test_workbook_has_a_sheet_per_table_and_no_formula(built, name, lang):
    from openpyxl import load_workbook

    case, result, *_ = built(name, lang)
    wb = load_workbook(result["workbook"])
    sheet = sheet_names(lang)
    assert set(REQUIRED_SHEETS) <= set(SHEETS) == set(sheet)
    assert wb.sheetnames == [texts(lang)[f"sheet_{s}"] for s in SHEETS] == list(sheet.values())
    assert wb[sheet["ranking"]].max_row == len(case.measures) + 1
    assert wb[sheet["portfolio"]].max_row == len(case.measures) + 1
    assert wb[sheet["weights"]].max_row == len(case.criteria) + 1
    assert wb[sheet["robustness"]].max_row == len(case.measures) + 1
    for sheet, cell in _cells(result["workbook"]):
        assert cell.data_type != "f", (sheet, cell.coordinate)
        if isinstance(cell.value, str) and cell.value[:1] in ("=", "+", "-", "@"):
            float(cell.value)  # only number-like text may start so (escape_cell's rule)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_sheet_names_are_valid_in_excel_and_one_per_sheet(lang):
    names = list(sheet_names(lang).values())
    assert len(names) == len(SHEETS)
    assert len({n.casefold() for n in names}) == len(names)  # Excel ignores case
    for n in names:
        assert 0 < len(n) <= 31 and n == n.strip() and not set(n) & set("[]:*?/\\"), n
        assert not n.startswith("'") and not n.endswith("'"), n


def _sheets(path: Path) -> dict[str, list[tuple]]:
    from openpyxl import load_workbook

    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in load_workbook(path)}


def _only(lang: str) -> set[str]:
    """The labels of ``lang`` that the other language writes differently."""
    other = TEXTS["en" if lang == "de" else "de"]
    return {v for k, v in TEXTS[lang].items() if v != other[k]}


def test_german_workbook_shows_no_english_engine_word(built):
    case, result, *_ = built("leverkusen-2040", "de")
    t, data = texts("de"), _input_texts(case)
    sheets = _sheets(result["workbook"])
    assert list(sheets) == [t[f"sheet_{s}"] for s in SHEETS]
    assert not set(sheets) & set(SHEETS)  # no English sheet id
    english = _only("en") - data
    shown = 0
    for title, rows in sheets.items():
        for header in rows[0]:
            assert header and header not in english, (title, header)
            assert str(header).strip().casefold() not in ENGINE_WORDS, (title, header)
        for row in rows[1:]:
            for cell in row:
                if isinstance(cell, str):
                    shown += 1
                    assert cell.strip().casefold() not in ENGINE_WORDS, (title, cell)
                    assert cell not in english, (title, cell)
    assert shown > 500
    # the engine's codes are shown, in German: solver status, robustness set and class
    frontier = sheets[t["sheet_frontier"]]
    assert frontier[0][4] == t["solver_status"]
    assert {r[4] for r in frontier[1:]} == {t["solver_optimal"]}
    robust = sheets[t["sheet_robustness"]]
    assert robust[0][2] == t["baseline"]
    assert {r[-3] for r in robust[1:]} <= {t["set_core"], t["set_contested"], t["set_never"]}
    assert {r[-1] for r in robust[1:]} <= {t[f"class_{c}"] for c in ("no-regret", "borderline", "exterior")}
    assert len({r[-1] for r in robust[1:]}) >= 2
    overview = dict(r[:2] for r in sheets[t["sheet_overview"]])
    assert overview[t["param_weights"]] == t["param_weights_consensus"]
    assert overview[t["param_scenario"]] == t["scenario_base"]
    assert overview[t["consensus_index_label"]] > 0
    assert sheets[t["sheet_overview"]][0] == (t["parameters"], t["param_value"])
    assert t["value"] not in sheets[t["sheet_overview"]][0]  # "Nutzen" is not a parameter's value
    # ids and the case's names are data: kept as they are
    ranking = sheets[t["sheet_ranking"]]
    assert {r[1] for r in ranking[1:]} == {m.id for m in case.measures}
    assert {r[2] for r in ranking[1:]} == {m.name for m in case.measures}


def test_english_workbook_keeps_english(built):
    case, result, *_ = built("leverkusen-2040", "en")
    t = texts("en")
    sheets = _sheets(result["workbook"])
    assert list(sheets) == list(SHEETS)  # the English names are the sheet ids
    german = _only("de") - _input_texts(case)
    for title, rows in sheets.items():
        for value in [*rows[0], *[c for r in rows[1:] for c in r]]:
            assert value not in german, (title, value)
    conflicts = sheets["conflicts"][0]
    assert t["strength"] in conflicts and t["severity"] in conflicts
    assert sheets["consensus"][0][:2] == ("id", t["mean_weight"])
    assert {r[4] for r in sheets["frontier"][1:]} == {t["solver_optimal"]}
    assert {r[-1] for r in sheets["robustness"][1:]} <= {
        t[f"class_{c}"] for c in ("no-regret", "borderline", "exterior")
    }


def test_both_languages_write_the_same_tables(built):
    de = _sheets(built("leverkusen-2040", "de")[1]["workbook"])
    en = _sheets(built("leverkusen-2040", "en")[1]["workbook"])
    assert len(de) == len(en) == len(SHEETS)
    for (dname, drows), (ename, erows) in zip(de.items(), en.items()):
        assert len(drows) == len(erows) and len(drows[0]) == len(erows[0]), (dname, ename)
        for drow, erow in zip(drows, erows):  # numbers, flags and ids are the same
            for d, e in zip(drow, erow):
                if not isinstance(d, str) or not isinstance(e, str):
                    assert d == e, (dname, drow[0])


def test_german_page_shows_no_engine_code(built):
    *_, page, _ = built("leverkusen-2040", "de")
    nodes = {n.casefold() for n in page.text}
    assert not nodes & ENGINE_WORDS
    assert not re.search(r"(?i)no-regret|\bregret\b", page.all_text)
    t = texts("de")
    assert any(t[f"class_{c}"] in page.text for c in ("no-regret", "borderline", "exterior"))


def test_json_keeps_the_engine_codes(built):
    _, result, *_ = built("leverkusen-2040", "de")
    robust = json.loads(result["json"]["robustness"].read_text(encoding="utf-8"))
    assert {x["class"] for x in robust["core_index"]} <= {"no-regret", "borderline", "exterior"}
    frontier = json.loads(result["json"]["frontier"].read_text(encoding="utf-8"))
    assert {q["status"] for q in frontier["points"]} == {"optimal"}


@pytest.mark.parametrize("name", ["tiny", "leverkusen-2040"])
def test_every_stage_is_written_as_json_with_provenance(built, name):
    case, result, *_ = built(name, "en")
    expected = {
        "summary",
        "weights",
        "ranking",
        "methods",
        "by_group",
        "sensitivity",
        "conflicts",
        "portfolio",
        "frontier",
        "robustness",
    } | ({"scenarios"} if case.cib is not None else set())
    expected |= {"participation"} if has_votes(case) else set()
    expected |= {"stadtcheck", "equity"} if case.stadtcheck is not None else set()
    assert set(result["json"]) == expected
    assert {p.name for p in (result["index"].parent / "json").iterdir()} == {f"{s}.json" for s in expected}
    for stage, path in result["json"].items():

        def no_nan(token):
            raise AssertionError(f"{stage}: {token} is not JSON")  # noqa: B023 (used in its own iteration)

        doc = json.loads(path.read_text(encoding="utf-8"), parse_constant=no_nan)
        prov = doc["provenance"]
        assert prov["tool"] == "lev2040-mcda" and prov["command"]
        inputs = {k: {"sha256": v} for k, v in sorted(case.inputs.items())}
        if stage == "participation":  # the vote's files too
            assert prov["inputs"].items() > inputs.items()
            continue
        assert prov["inputs"] == inputs
    sens = json.loads(result["json"]["sensitivity"].read_text())
    assert sens["sampling"]["samples"] == FAST["samples"] and sens["provenance"]["seed"] == 2040


def test_successful_build_leaves_exactly_its_files(built):
    _, result, *_ = built("tiny", "de")
    root = result["index"].parent
    names = sorted(str(p.relative_to(root)) for p in root.rglob("*"))
    assert names == sorted(
        [".lev2040-report", "index.html", "results.xlsx", "json", *[f"json/{s}.json" for s in result["json"]]]
    )
    marker = json.loads((root / ".lev2040-report").read_text(encoding="utf-8"))
    assert marker["tool"] == "lev2040-mcda" and marker["files"] == [
        n for n in names if n not in ("json", ".lev2040-report")
    ]


# -- input text is escaped ---------------------------------------------------------------------


def _rename_measure(root: Path, measure: str, name: str) -> None:
    path = root / "measures.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    col = rows[0].index("name")
    for row in rows[1:]:
        if row[0] == measure:
            row[col] = name
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)


def test_formula_and_markup_in_a_measure_name_are_escaped(tiny, tmp_path):
    _rename_measure(tiny, "solar", PAYLOAD)
    case = load_case(tiny)
    assert PAYLOAD in [m.name for m in case.measures]
    result = build_report(case, tmp_path / "out", **FAST)
    text = result["index"].read_text(encoding="utf-8")
    page = Page(text)
    assert "<b>x</b>" not in text and "b" not in page.tags
    assert html.escape(PAYLOAD) in text  # in the tables
    assert PAYLOAD in page.text
    cells = [c for _, c in _cells(result["workbook"]) if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert len(cells) >= 4  # ranking, methods, acceptability, portfolio, robustness, ...
    assert all(c.value == "'" + PAYLOAD and c.data_type == "s" for c in cells)


# -- atomic, deterministic ---------------------------------------------------------------------


def _tree(root: Path) -> dict[str, bytes | None]:
    return {p.relative_to(root).as_posix(): p.read_bytes() if p.is_file() else None for p in root.rglob("*")}


def test_failed_render_leaves_the_previous_report(built, monkeypatch, tmp_path):
    import lev2040_mcda.report.figures as figures

    case, result, *_ = built("tiny", "en")
    out = tmp_path / "out"
    shutil.copytree(result["index"].parent, out)
    before = _tree(out)

    def broken(*args, **kwargs):
        raise RuntimeError("figure failed")

    monkeypatch.setattr(figures, "frontier_chart", broken)
    stages = compute_stages(case, **FAST)
    with pytest.raises(RuntimeError, match="figure failed"):
        write_report(case, stages, out)
    assert _tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no temporary left beside it


def test_same_inputs_give_the_same_bytes(built, tmp_path):
    """Every file, the workbook included (openpyxl would stamp it with the clock)."""
    case, first, *_ = built("tiny", "en")
    again = build_report(case, tmp_path / "again", lang="en", **FAST)
    assert _tree(again["index"].parent) == _tree(first["index"].parent)


def test_a_lone_surrogate_in_a_name_does_not_fail_a_figure():
    """A JSON ``"\\ud800"`` is a string no font can draw and UTF-8 cannot hold: the figure shows
    U+FFFD for it (a proper pair stays its character) instead of failing the whole report."""
    from lev2040_mcda.report.figures import weights_chart

    weights = {
        "criteria": [{"id": "a", "name": "Qu\ud800ality \ud83d\ude00", "weight": 1.0}],
        "groups": [{"name": "G\udfffroup", "weights": {"a": 1.0}}],
    }
    svg = weights_chart(weights, texts("en"), "en")
    assert "Qu\ufffdality \U0001f600" in svg and "G\ufffdroup" in svg
    svg.encode("utf-8")


# -- options and missing stages ----------------------------------------------------------------


def test_scenario_applies_to_ranking_and_portfolio(tmp_path):
    case = load_case(CASES / "tiny")
    result = build_report(case, tmp_path / "boom", scenario="boom", **FAST)
    for stage in ("ranking", "sensitivity", "portfolio", "frontier"):
        assert json.loads(result["json"][stage].read_text())["scenario"] == "boom"
    page = Page(result["index"].read_text(encoding="utf-8"))
    assert texts("en")["scenario_used"].format(scenario="Growth") in page.text
    base = json.loads(result["json"]["portfolio"].read_text())
    assert base["resources"]["cost"]["used"] <= base["resources"]["cost"]["limit"] + 1e-9


def test_infeasible_portfolio_is_explained_not_fatal(tiny, tmp_path):
    path = tiny / "case.yaml"
    path.write_text(
        path.read_text().replace(
            "cost: {name: Investitionen, unit: EUR m, limit: 100}",
            "cost: {name: Investitionen, unit: EUR m, limit: 10}",
        )
    )
    result = build_report(load_case(tiny), tmp_path / "out", lang="de", **FAST)
    assert result["notes"]["portfolio"] == "portfolio_infeasible"
    assert "portfolio" not in result["json"] and "frontier" not in result["json"]
    text = result["index"].read_text(encoding="utf-8")
    page = Page(text)
    assert texts("de")["portfolio_infeasible"] in page.text
    shown = html.unescape(re.search(r'<pre class="problem">(.*?)</pre>', text, re.S)[1])
    assert shown == result["details"]["portfolio"] and "10" in shown
    assert "fig-frontier" not in page.ids and "portfolio" in page.ids


def _fake_robust(case) -> dict:
    ids = [m.id for m in case.measures]
    names = {m.id: m.name for m in case.measures}
    scen = ["boom", "austerity"]
    chosen = {"boom": ids[:4], "austerity": ids[:2] + ids[5:]}
    inclusion = [
        {
            "id": i,
            "name": names[i],
            "scenarios": {s: i in chosen[s] for s in scen},
            "count": sum(i in chosen[s] for s in scen),
        }
        for i in ids
    ]
    return {
        "scenarios": scen,
        "portfolios": {s: {"selected": chosen[s], "objective": 3.0 - k} for k, s in enumerate(scen)},
        "inclusion": inclusion,
        "core": [x["id"] for x in inclusion if x["count"] == 2],
        "contested": [x["id"] for x in inclusion if x["count"] == 1],
        "never": [x["id"] for x in inclusion if x["count"] == 0],
        "regret": {"scenarios": scen, "value": [[3.0, 1.5], [2.5, 2.0]], "regret": [[0.0, 0.5], [0.5, 0.0]]},
        "maxmin": {"selected": ids[:3], "worst": 1.75, "values": {"boom": 2.5, "austerity": 1.75}},
        "minmax_regret": {
            "selected": ids[:3],
            "max_regret": 0.25,
            "regrets": {"boom": 0.25, "austerity": 0.25},
        },
        "groups": {
            "portfolios": {"verwaltung": {"selected": ids[:3], "objective": 2.0}},
            "compromise": {
                "selected": ids[1:4],
                "worst_ratio": 0.875,
                "ratios": {"verwaltung": 0.875, "buerger": 0.9},
            },
            "satisfaction": {
                "verwaltung": {"consensus": 0.8, "compromise": 0.875},
                "buerger": {"consensus": 1.0, "compromise": 0.9},
            },
        },
        "core_index": [
            {"id": i, "name": names[i], "core_index": k / len(ids), "class": "borderline"}
            for k, i in enumerate(ids)
        ],
    }


def test_robustness_section_renders_the_robust_stage(monkeypatch, tmp_path):
    case = load_case(CASES / "tiny")
    calls = []

    def robust_summary(case_, **kw):
        calls.append(kw)
        return _fake_robust(case_)

    fake = types.ModuleType("lev2040_mcda.robust")
    fake.robust_summary = robust_summary
    monkeypatch.setitem(sys.modules, "lev2040_mcda.robust", fake)
    result = build_report(case, tmp_path / "out", lang="de", samples=300, robust_samples=7, seed=11)
    assert calls and calls[0]["samples"] == 7 and calls[0]["seed"] == 11
    assert calls[0]["method"] == "topsis" and len(calls[0]["weights"]) == len(case.criteria)
    text = result["index"].read_text(encoding="utf-8")
    page = Page(text)
    t = texts("de")
    section = re.search(r'<section id="robustness">(.*?)</section>', text, re.S)[1]
    assert '<figure id="fig-inclusion">' in section
    assert f"{t['core']} (2)" in page.text  # ids[:2] are chosen in both scenarios
    assert "Growth" in section and "Austerity" in section
    assert t["fair_what"].format(value="87,5 %") in page.text
    assert "80,0 %" in section and t["class_borderline"] in section
    assert "robustness-regret" in page.ids
    from openpyxl import load_workbook

    ws = load_workbook(result["workbook"])[sheet_names("de")["robustness"]]
    rows = list(ws.iter_rows(values_only=True))
    assert ws.title == "Robustheit"
    assert rows[0] == (
        "id",
        t["measure"],
        "Growth",
        "Austerity",
        t["chosen_in"],
        t["robust_set"],
        t["core_index"],
        t["class"],
    )
    assert rows[1][2:6] == (True, True, 2, t["set_core"])
    assert {r[5] for r in rows[1:]} <= {t["set_core"], t["set_contested"], t["set_never"]}
    assert {r[7] for r in rows[1:]} == {t["class_borderline"]}


def test_robustness_left_out_with_a_note_when_the_stage_is_missing(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "lev2040_mcda.robust", None)  # import fails
    case = load_case(CASES / "tiny")
    result = build_report(case, tmp_path / "out", lang="en", **FAST)
    assert result["notes"] == {"robustness": "robust_missing"}
    assert "robustness" not in result["json"]
    page = Page(result["index"].read_text(encoding="utf-8"))
    assert texts("en")["robust_missing"] in page.text
    assert "robustness" in page.ids and "fig-inclusion" not in page.ids


# -- in a browser ------------------------------------------------------------------------------


def _chromium() -> str:
    path = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    assert path, "chromium is not installed (apt-get install -y chromium); CI installs it"
    return path


def _run_chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    cmd = [
        _chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--enable-logging=stderr",
        "--v=0",
        *args,
    ]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def test_page_renders_in_headless_chromium(built, tmp_path):
    from matplotlib.image import imread

    case, result, text, page, _ = built("leverkusen-2040", "de")
    url = result["index"].resolve().as_uri()
    shot = tmp_path / "page.png"
    run = _run_chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,2000", url)
    assert run.returncode == 0, run.stderr[-2000:]
    console = [
        line
        for line in run.stderr.splitlines()
        if ":CONSOLE" in line or "Uncaught" in line or "Failed to load" in line
    ]
    assert console == []
    pixels = imread(shot)[..., :3]
    assert pixels.shape[:2] == (2000, 1280)
    assert pixels.var() > 0
    dark = (pixels.mean(axis=2) < 0.4).mean()
    assert 0.001 < dark < 0.5  # text on a light page, not blank, not black
    dom = _run_chromium(tmp_path, "--dump-dom", url)
    assert dom.returncode == 0
    for sid in SECTIONS:
        assert f'id="{sid}"' in dom.stdout
    assert dom.stdout.count("<svg") == text.count("<svg") == len(figures(case))
    assert "<title" in dom.stdout and page.html_lang == "de"


@pytest.mark.parametrize("lang, label", [("de", "Der Fall, wie er ist"), ("en", "The case as it is")])
def test_the_baseline_column_of_the_robustness_section_is_named_in_the_page_language(built, lang, label):
    from lev2040_mcda.robust import BASELINE

    _, _, text, _, _ = built("tiny", lang)
    robustness = text[text.index('id="robustness"') :]
    assert label in robustness and BASELINE not in robustness


@pytest.mark.parametrize("lang, gap", [("de", "0,03 %"), ("en", "0.03%")])
def test_unproven_portfolio_states_its_proven_gap(lang, gap):
    import dataclasses

    from lev2040_mcda.report import render_page

    case = load_case(CASES / "tiny")
    stages = compute_stages(case, **FAST)
    portfolio = dict(
        stages.results["portfolio"], status="feasible", proven_optimal=False, gap=0.0003, bound=1.0
    )
    stopped = dataclasses.replace(stages, results={**stages.results, "portfolio": portfolio})
    t = texts(lang)
    text = Page(render_page(case, stopped, lang)).text
    assert t["status_gap"].format(gap=gap) in text
    assert t["status_gap"].format(gap=gap) not in Page(render_page(case, stages, lang)).text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_group_without_weighting_is_named_in_the_report(tiny, tmp_path, lang):
    (tiny / "weights" / "verwaltung.yaml").write_text("group: verwaltung\n", encoding="utf-8")
    case = load_case(tiny)
    result = build_report(case, tmp_path / "out", lang=lang, samples=200, robust_samples=3)
    page = Page(result["index"].read_text(encoding="utf-8"))
    name = next(g.name or g.id for g in case.groups if g.id == "verwaltung")
    assert texts(lang)["group_missing"].format(group=name) in page.text
    summary = json.loads(result["json"]["summary"].read_text())
    weights = json.loads(result["json"]["weights"].read_text())
    assert summary["counts"]["rejected_submissions"] == len(weights["rejections"]) == 1


@pytest.mark.parametrize("lang", LANGUAGES)
def test_portfolio_section_shows_each_period_against_its_budget(built, lang):
    case, result, text, page, _ = built("leverkusen-2040", lang)
    t = texts(lang)
    portfolio = json.loads(result["json"]["portfolio"].read_text())
    assert t["periods_what"] in page.text
    section = re.search(r'<section id="portfolio">(.*?)</section>', text, re.S)[1]
    for pd in case.config.periods:
        assert html.escape(pd.title) in section
    assert len(portfolio["periods"]) == len(case.config.periods)
