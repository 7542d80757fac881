"""The report of a what-if, and saved runs side by side in the report.

``lev2040 report`` takes the portfolio's what-if options (``--limit``, ``--include``, ``--exclude``,
``--cover``, ``--group``, ``--weights``, ``--weights-from``): the stages get them as the commands
do, the page says at its top which what-if it shows, and without one the report is the one it
always was. ``build_report(..., runs=comparison)`` shows saved portfolio runs side by side in the
portfolio section, with a ``runs`` sheet and ``json/runs.json``. The comparisons here are made by
hand, following the schema of ``lev2040_mcda.runs.compare_runs``, from real portfolio runs of
cases/tiny.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from lev2040_mcda.case import load_case
from lev2040_mcda.cli import cli
from lev2040_mcda.errors import InputError
from lev2040_mcda.report import build_report, compute_stages, render_page, sheet_names, write_report
from lev2040_mcda.report.i18n import LANGUAGES, texts

from .conftest import CASES

FAST = {"samples": 300, "robust_samples": 5}
TINY = CASES / "tiny"
WHAT_IF = ("--limit", "cost=80", "--include", "tram", "--group", "buerger")
WHAT_IF_KEYS = {"limits", "include", "exclude", "cover", "group", "weights", "options"}


def _run(*args) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def _json(*args) -> dict:
    code, out, err = _run(*args, "--format", "json")
    assert code == 0, err
    return json.loads(out)


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _rows(page: str, anchor: str) -> list[list[str]]:
    """The body rows of the first table after the element with id ``anchor``, as text cells."""
    return _table(page[page.index(f'id="{anchor}"') :])


def _table(fragment: str) -> list[list[str]]:
    """The body rows of the first table in ``fragment``, as text cells."""
    body = fragment[fragment.index("<tbody>") : fragment.index("</tbody>")]
    return [
        [html.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", body)
    ]


def _sheet(path: Path, name: str) -> list[tuple]:
    """The rows of a sheet, each without the empty cells at its end (a sheet is as wide as its
    widest table)."""
    from openpyxl import load_workbook

    rows = load_workbook(path)[name].iter_rows(values_only=True)
    return [row[: max((i + 1 for i, v in enumerate(row) if v is not None), default=1)] for row in rows]


# -- the what-if -------------------------------------------------------------------------------


def test_without_a_what_if_the_report_is_the_one_it_always_was(tmp_path):
    """The old call, the call with every what-if option at its default and the command without
    what-if options write the same bytes, and nothing of a what-if or of runs is in them."""
    case = load_case(TINY)
    old = build_report(case, tmp_path / "old", lang="de", **FAST)["index"].parent
    explicit = build_report(
        case,
        tmp_path / "explicit",
        lang="de",
        **FAST,
        weights_from="consensus",
        group=None,
        weights_file=None,
        option_pairs=(),
        limits={},
        include=(),
        exclude=(),
        coverage=None,
        runs=None,
    )["index"].parent
    code, _, err = _run("report", TINY, "-o", tmp_path / "cli", "--lang", "de", *_fast_options())
    assert code == 0, err
    files = _files(old)
    assert files == _files(explicit) == _files(tmp_path / "cli")
    page = files["index.html"].decode()
    assert 'id="what-if"' not in page and texts("de")["whatif"] not in page
    assert 'id="portfolio-runs"' not in page and "json/runs.json" not in files
    for name, data in files.items():
        if name.startswith("json/"):
            assert not WHAT_IF_KEYS & set(json.loads(data)["provenance"]["parameters"]), name
    t = texts("de")
    overview = {r[0] for r in _sheet(old / "results.xlsx", sheet_names("de")["overview"])}
    assert not overview & {t[f"param_{k}"] for k in ("limits", "include", "group")}
    assert sheet_names("de", runs=True)["runs"] not in _sheet_titles(old / "results.xlsx")


def _fast_options() -> list[str]:
    return ["--samples", str(FAST["samples"]), "--robust-samples", str(FAST["robust_samples"])]


def _sheet_titles(path: Path) -> list[str]:
    from openpyxl import load_workbook

    return load_workbook(path).sheetnames


@pytest.fixture(scope="module")
def what_if(tmp_path_factory):
    """The report of ``WHAT_IF`` written by the command, per language: (folder, page)."""
    built = {}
    for lang in LANGUAGES:
        out = tmp_path_factory.mktemp("what-if") / lang
        code, printed, err = _run("report", TINY, "-o", out, "--lang", lang, *WHAT_IF, *_fast_options())
        assert code == 0, err
        assert printed.strip() == str(out / "index.html")
        built[lang] = (out, (out / "index.html").read_text(encoding="utf-8"))
    return built


def test_what_if_reaches_the_stages_as_the_commands_take_it(what_if):
    """The report's ranking, portfolio and frontier are those of rank, portfolio and frontier
    with the same options."""
    out, _ = what_if["en"]
    stage = lambda name: json.loads((out / "json" / f"{name}.json").read_text(encoding="utf-8"))
    portfolio = _json("portfolio", TINY, *WHAT_IF)
    mine = stage("portfolio")
    assert mine["selected"] == portfolio["selected"] == ["hub", "tram"]
    assert mine["objective"] == pytest.approx(portfolio["objective"])
    assert mine["resources"]["cost"]["limit"] == 80.0
    frontier = _json("frontier", TINY, *WHAT_IF, "--resource", "cost", "--steps", "10")
    drop = lambda points: [{k: v for k, v in p.items() if k != "objective"} for p in points]
    assert drop(stage("frontier")["points"]) == drop(frontier["points"])
    assert [p["objective"] for p in stage("frontier")["points"]] == pytest.approx(
        [p["objective"] for p in frontier["points"]]
    )
    ranking = _json("rank", TINY, "--group", "buerger")
    assert stage("ranking")["ranking"] == ranking["ranking"]
    assert stage("ranking")["weights_source"]["group"] == "buerger"
    # the provenance names the what-if where it applies: the weights everywhere, the limits and
    # the measures forced in where the portfolio is built
    for name in ("portfolio", "frontier"):
        params = stage(name)["provenance"]["parameters"]
        assert params["limits"] == {"cost": 80.0} and params["include"] == ["tram"]
        assert params["group"] == "buerger"
    for name in ("ranking", "sensitivity", "robustness"):
        params = stage(name)["provenance"]["parameters"]
        assert params["group"] == "buerger" and "limits" not in params and "include" not in params


SAID = {
    "en": (
        "What-if:",
        "the weights of the group Bürgerinnen und Bürger; Investitionen limited to 80 EUR m "
        "(the case: 100 EUR m); forced in: Tram line.",
    ),
    "de": (
        "Was wäre, wenn:",
        "die Gewichte der Gruppe Bürgerinnen und Bürger; Investitionen begrenzt auf 80 EUR m "
        "(im Fall: 100 EUR m); gesetzt: Tram line.",
    ),
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_page_says_at_its_top_which_what_if_it_shows(what_if, lang):
    out, page = what_if[lang]
    label, said = SAID[lang]
    top = page[page.index("<header>") : page.index("<nav")]
    assert f'<p class="what" id="what-if"><strong>{label}</strong> {html.escape(said)}</p>' in top
    assert html.escape(texts(lang)["whatif_scope"]) in top
    other = SAID["en" if lang == "de" else "de"][0]
    assert other not in page
    t = texts(lang)
    rows = dict(tuple(r) for r in _rows(page, "provenance") if len(r) == 2)
    assert rows[t["param_weights"]] == t["whatif_group"].format(group="Bürgerinnen und Bürger")
    assert "80 EUR m" in rows[t["param_limits"]] and "Tram line" in rows[t["param_include"]]
    overview = {r[0]: r[1] for r in _sheet(out / "results.xlsx", sheet_names(lang)["overview"])}
    assert overview[t["param_limits"]] == "cost=80"
    assert overview[t["param_include"]] == "tram" and overview[t["param_group"]] == "buerger"


@pytest.mark.parametrize(
    ("options", "expect"),
    [
        ({"weights_from": "equal"}, {"en": "equal weights", "de": "gleiche Gewichte"}),
        (
            {"exclude": ("solar",), "coverage": 0},
            {"en": "kept out: Solar roofs", "de": "ausgeschlossen: Solar roofs"},
        ),
    ],
)
def test_every_what_if_option_is_said_in_both_languages(options, expect):
    case = load_case(TINY)
    stages = compute_stages(case, **FAST, **options)
    if "exclude" in options:
        assert "solar" not in stages.results["portfolio"]["selected"]
    else:
        assert stages.results["ranking"]["weights_source"]["source"] == "equal"
    for lang in LANGUAGES:
        page = render_page(case, stages, lang)
        top = html.unescape(page[page.index("<header>") : page.index("<nav")])
        assert expect[lang] in top
        if "coverage" in options:  # --cover 0 is asked for, so it is said
            assert texts(lang)["whatif_cover"].format(n="0") in top


def test_a_weights_file_of_the_what_if_is_an_input_of_the_report(tmp_path):
    weights = tmp_path / "mine.yaml"
    weights.write_text(
        "method: direct\nweights: {co2: 1, homes: 3, acceptance: 1, cost: 1}\n", encoding="utf-8"
    )
    case = load_case(TINY)
    stages = compute_stages(case, **FAST, weights_file=weights)
    digest = hashlib.sha256(weights.read_bytes()).hexdigest()
    for name in ("ranking", "portfolio", "robustness"):
        inputs = stages.provenance[name]["inputs"]
        assert [x["sha256"] for x in inputs.values()].count(digest) == 1, name
        assert set(case.inputs) < set(inputs)
    assert stages.results["ranking"]["weights_source"]["source"] == "file"
    page = render_page(case, stages, "en")
    assert f"<code>{digest}</code>" in page
    # a submission of the case itself is named as the case names it, not twice
    inside = compute_stages(case, **FAST, weights_file=TINY / "weights" / "verwaltung.yaml")
    assert inside.provenance["ranking"]["inputs"] == stages.provenance["summary"]["inputs"]
    assert texts("en")["whatif_file"].format(file=stages.parameters["weights"]) in html.unescape(page)


def test_an_unknown_measure_or_resource_fails_before_the_stages_run(tmp_path):
    steps: list[str] = []
    with pytest.raises(InputError, match="--include: unknown measure 'tran' \\(did you mean 'tram'\\?\\)"):
        compute_stages(load_case(TINY), include=("tran",), progress=steps.append, **FAST)
    assert steps == []
    code, _, err = _run("report", TINY, "-o", tmp_path / "out", "--limit", "budget=5")
    assert code == 2 and "--limit: unknown resource 'budget' (expected one of cost, land)" in err
    assert not (tmp_path / "out").exists()


def test_an_infeasible_what_if_is_said_not_fatal(tmp_path):
    code, _, err = _run("report", TINY, "-o", tmp_path / "out", "--cover", "1", *_fast_options())
    assert code == 0
    assert "note: skipped the proposed portfolio and its frontier: no portfolio satisfies" in err
    page = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert html.escape(texts("en")["portfolio_infeasible"]) in page
    assert texts("en")["whatif_cover"].format(n="1") in page
    assert not (tmp_path / "out" / "json" / "portfolio.json").exists()


# -- saved runs side by side -------------------------------------------------------------------

RUNS = {  # name -> (the portfolio's options, the run's key parameters)
    "baseline": ((), {}),
    "budget-60": (("--limit", "cost=60"), {"limits": ["cost=60"]}),
    "tram-in": (("--include", "tram", "--exclude", "solar"), {"include": ["tram"], "exclude": ["solar"]}),
}
NOTE = '=HYPERLINK("http://evil.example/","klick") <script>alert("x")</script>'


def _with_text(entry: dict) -> list[dict]:
    """A not-selected measure's reasons, each with its English text (the blocked_by line)."""
    return [{**r, "text": said} for r, said in zip(entry["reasons"], entry["blocked_by"])]


def _compare(results: dict[str, dict], case) -> dict:
    """A comparison of ``results`` (name -> portfolio JSON), made as the schema says."""
    names = list(results)
    names_of = {m.id: m.name for m in case.measures}
    res = list(results.values())
    chosen = [set(r["selected"]) for r in res]
    tiers = [{m["id"]: m.get("tier") for m in r["measures"]} for r in res]
    value = {
        m.id: next((x["value"] for r in res for x in r["measures"] if x["id"] == m.id), 0.0)
        for m in case.measures
    }
    changes = []
    for a, b in zip(range(len(res)), range(1, len(res))):
        out_a = {x["id"]: x for x in res[a]["explanations"]["not_selected"]}
        out_b = {x["id"]: x for x in res[b]["explanations"]["not_selected"]}
        limits = [
            {
                "code": "limit_changed",
                "resource": r,
                "before": res[a]["resources"][r]["limit"],
                "now": u["limit"],
            }
            | {"text": f"limit of {r} changed"}
            for r, u in res[b]["resources"].items()
            if u["limit"] != res[a]["resources"][r]["limit"]
        ]
        forced = RUNS[names[b]][1].get("include", [])
        entered = [
            {
                "id": m,
                "name": names_of[m],
                "reasons": [
                    *([{"code": "included", "text": "forced in"}] if m in forced else []),
                    *limits,
                    {
                        "code": "was_blocked",
                        "by": _with_text(out_a[m]),
                        "text": f"in {names[a]}: " + "; ".join(out_a[m]["blocked_by"]),
                    },
                ],
            }
            for m in sorted(chosen[b] - chosen[a])
        ]
        left = [
            {"id": m, "name": names_of[m], "reasons": [*_with_text(out_b[m]), *limits]}
            for m in sorted(chosen[a] - chosen[b])
        ]
        changes.append({"from": names[a], "to": names[b], "entered": entered, "left": left})
    keys = sorted({k for _, p in RUNS.values() for k in p})
    return {
        "runs": [
            {
                "name": n,
                "command": "portfolio",
                "created": f"2040-01-0{i + 1}T09:30:00+00:00",
                "note": NOTE if n == "budget-60" else "",
                "status": r["status"],
                "value": r["objective"],
                "parameters": RUNS[n][1],
            }
            for i, (n, r) in enumerate(results.items())
        ],
        "measures": [
            {
                "id": m.id,
                "name": m.name,
                "district": m.district,
                "selected": [m.id in c for c in chosen],
                "tier": [t.get(m.id) for t in tiers],
            }
            for m in case.measures
            if any(m.id in c for c in chosen)
        ],
        "changes": changes,
        "parameters": [{"parameter": k, "values": [RUNS[n][1].get(k) for n in names]} for k in keys],
        "value": [r["objective"] for r in res],
        "resources": [
            {
                "id": rid,
                "unit": u["unit"],
                "limit": [r["resources"][rid]["limit"] for r in res],
                "used": [r["resources"][rid]["used"] for r in res],
            }
            for rid, u in res[0]["resources"].items()
        ],
        "delivers": [
            {
                "id": cid,
                "name": d["name"],
                "unit": d["unit"],
                "aggregate": d["aggregate"],
                "selected": [r["delivers"][cid]["selected"] for r in res],
            }
            for cid, d in res[0]["delivers"].items()
        ],
        "districts": [
            {
                "district": d,
                "measures": [sum(1 for m in case.measures if m.district == d and m.id in c) for c in chosen],
                "resources": {
                    rid: [
                        sum(m.resources.get(rid, 0.0) for m in case.measures if m.district == d and m.id in c)
                        for c in chosen
                    ]
                    for rid in case.resources
                },
                "value": [
                    sum(value[m.id] for m in case.measures if m.district == d and m.id in c) for c in chosen
                ],
            }
            for d in sorted({m.district for m in case.measures if m.district})
        ],
    }


@pytest.fixture(scope="module")
def comparison() -> dict:
    results = {name: _json("portfolio", TINY, *options) for name, (options, _) in RUNS.items()}
    assert [r["selected"] for r in results.values()] == [
        ["housing", "hub", "solar"],
        ["hub", "park", "solar"],
        ["hub", "park", "tram"],
    ]
    return _compare(results, load_case(TINY))


@pytest.fixture(scope="module")
def runs_report(comparison, tmp_path_factory):
    """The report of tiny with the runs side by side, per language: (result, page)."""
    case = load_case(TINY)
    stages = compute_stages(case, **FAST)
    built = {}
    for lang in LANGUAGES:
        result = write_report(
            case, stages, tmp_path_factory.mktemp("runs") / lang, lang=lang, runs=comparison
        )
        built[lang] = (result, result["index"].read_text(encoding="utf-8"))
    return built


@pytest.mark.parametrize("lang", LANGUAGES)
def test_portfolio_section_shows_the_runs_side_by_side(runs_report, lang):
    _, page = runs_report[lang]
    t = texts(lang)
    section = page[page.index('<section id="portfolio">') : page.index('<section id="robustness">')]
    assert f'<h3 id="portfolio-runs">{t["runs_title"]}</h3>' in section
    runs = _rows(section, "portfolio-runs")
    assert [r[0] for r in runs] == list(RUNS)
    assert runs[0][1] == "2040-01-01 09:30 UTC" and runs[0][5] == t["runs_defaults"]
    assert runs[1][2] == NOTE  # a note is shown as written, never as markup
    assert runs[1][5] == f"{t['param_limits']}: Investitionen 60 EUR m"
    assert runs[2][5] == f"{t['param_include']}: Tram line; {t['param_exclude']}: Solar roofs"
    matrix = {r[0]: r[2:] for r in _rows(section, "portfolio-runs-measures")}
    mark = lambda cell: cell.startswith("✓")
    assert {name: [mark(c) for c in cells] for name, cells in matrix.items() if name != t["value"]} == {
        "Solar roofs": [True, True, False],
        "Pocket park": [False, True, True],
        "New housing": [True, False, False],
        "Tram line": [False, False, True],
        "Mobility hub": [True, True, True],
    }
    point = "," if lang == "de" else "."
    assert all(point in v for v in matrix[t["value"]])
    totals = section[section.index('id="portfolio-runs-totals"') :]
    resources = {r[0]: r[1:] for r in _table(totals)}
    cost = "Investitionen (EUR m)"
    assert resources[cost] == ["85 / 100", "45 / 60", "85 / 100"]
    delivers = {r[0]: r[1:] for r in _table(totals[totals.index("</table>") :])}
    assert delivers[cost] == ["85", "45", "85"] and delivers["Neue Wohnungen (dwellings)"] == [
        "200",
        "0",
        "0",
    ]
    assert delivers["Ø Akzeptanz (1-5)"][0] == ("3,67" if lang == "de" else "3.67")
    districts = _rows(section, "portfolio-runs-districts")
    assert ["Nord", t["runs_measures"], "2", "1", "1"] in districts
    assert ["Süd", cost, "15", "25", "25"] in districts


WHY = {
    "en": {
        "housing": "Investitionen: needs 50.0 EUR m, only 15.0 EUR m left",
        "lowered": "the limit of Investitionen was lowered (100.0 EUR m → 60.0 EUR m)",
        "park": "was kept out in baseline (Flächeninanspruchnahme: needs 1.0 ha, only 0.5 ha left; "
        "excludes the selected New housing)",
        "tram": "forced in on request",
        "solar": "excluded on request",
    },
    "de": {
        "housing": "Investitionen: braucht 50,0 EUR m, nur 15,0 EUR m übrig",
        "lowered": "die Obergrenze für Investitionen wurde gesenkt (100,0 EUR m → 60,0 EUR m)",
        "park": "war in baseline nicht im Paket (Flächeninanspruchnahme: braucht 1,0 ha, nur 0,5 ha "
        "übrig; schließt die gewählte Maßnahme New housing aus)",
        "tram": "auf Wunsch gesetzt",
        "solar": "auf Wunsch ausgeschlossen",
    },
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_what_entered_and_left_is_said_with_its_reasons_in_words(runs_report, lang):
    _, page = runs_report[lang]
    t, why = texts(lang), WHY[lang]
    changes = page[page.index('id="portfolio-runs-changes"') :]
    first, second = changes.split(
        f"<p class=key>{t['runs_change'].format(before='budget-60', after='tram-in')}</p>"
    )
    assert f"<p class=key>{t['runs_change'].format(before='baseline', after='budget-60')}</p>" in first
    rows = {r[0]: r[1:] for r in _table(first)}
    assert set(rows) == {"New housing", "Pocket park"}
    assert rows["New housing"][0] == t["runs_left"]
    assert why["housing"] in rows["New housing"][1] and why["lowered"] in rows["New housing"][1]
    assert rows["Pocket park"] == [t["runs_entered"], f"{why['lowered']}; {why['park']}"]
    rows = {r[0]: r[1:] for r in _table(second)}
    assert set(rows) == {"Tram line", "Solar roofs"}
    assert rows["Tram line"][0] == t["runs_entered"] and rows["Tram line"][1].startswith(why["tram"] + "; ")
    assert rows["Solar roofs"][0] == t["runs_left"] and why["solar"] in rows["Solar roofs"][1]


def test_a_reason_the_report_does_not_know_is_said_by_its_text(comparison, tmp_path):
    odd = json.loads(json.dumps(comparison))
    odd["changes"][0]["left"][0]["reasons"] = [
        {"code": "something_new", "text": "a reason of a later version"},
        {"code": "resource", "text": "resource cost: a reason without its numbers"},
    ]
    case = load_case(TINY)
    stages = compute_stages(case, **FAST)
    result = write_report(case, stages, tmp_path / "out", lang="de", runs=odd)
    page = result["index"].read_text(encoding="utf-8")
    assert "a reason of a later version; resource cost: a reason without its numbers" in page


@pytest.mark.parametrize("lang", LANGUAGES)
def test_runs_sheet_and_json_hold_the_comparison(runs_report, comparison, lang):
    result, _ = runs_report[lang]
    t = texts(lang)
    rows = _sheet(result["workbook"], sheet_names(lang, runs=True)["runs"])
    assert rows[0] == (t["runs_row"], "id", *RUNS)
    by_id = {r[1]: r[2:] for r in rows if r and r[0] in {m["name"] for m in comparison["measures"]}}
    assert by_id["housing"] == (True, False, False) and by_id["tram"] == (False, False, True)
    note = next(r for r in rows if r[0] == t["note"])
    assert note[3] == "'" + NOTE and note[2] is None  # a formula as text, never evaluated
    from openpyxl import load_workbook

    ws = load_workbook(result["workbook"])[sheet_names(lang, runs=True)["runs"]]
    assert not [c for row in ws.iter_rows() for c in row if c.data_type == "f"]
    header = next(i for i, r in enumerate(rows) if r[0] == t["runs_from"])
    assert ws.cell(header + 1, 1).font.bold
    changes = rows[header + 1 :]
    assert [r[:5] for r in changes] == [
        ("baseline", "budget-60", "park", "Pocket park", t["runs_entered"]),
        ("baseline", "budget-60", "housing", "New housing", t["runs_left"]),
        ("budget-60", "tram-in", "tram", "Tram line", t["runs_entered"]),
        ("budget-60", "tram-in", "solar", "Solar roofs", t["runs_left"]),
    ]
    assert changes[0][5] == f"{WHY[lang]['lowered']}; {WHY[lang]['park']}"
    names = sheet_names(lang, runs=True)
    titles = _sheet_titles(result["workbook"])
    assert titles.index(names["runs"]) == titles.index(names["frontier"]) + 1
    saved = json.loads((result["index"].parent / "json" / "runs.json").read_text(encoding="utf-8"))
    prov = saved.pop("provenance")
    assert saved == comparison
    assert prov["command"] == "runs report" and prov["parameters"]["runs"] == list(RUNS)
    assert set(prov["inputs"]) == set(load_case(TINY).inputs)
    assert result["json"]["runs"].name == "runs.json"
    marker = json.loads((result["index"].parent / ".lev2040-report").read_text(encoding="utf-8"))
    assert "json/runs.json" in marker["files"]


def test_names_and_notes_of_runs_are_escaped(runs_report):
    _, page = runs_report["en"]
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


@pytest.mark.parametrize("lang", LANGUAGES)
def test_runs_section_holds_no_text_of_the_other_language(runs_report, lang):
    _, page = runs_report[lang]
    mine, other = texts(lang), texts("en" if lang == "de" else "de")
    text = html.unescape(page)
    for key in mine:
        if key.startswith("runs_") and mine[key] != other[key]:
            for chunk in re.split(r"{\w*}", other[key]):
                if len(chunk.strip()) >= 8:
                    assert chunk.strip() not in text, (key, chunk)


def test_runs_are_shown_when_the_reports_own_portfolio_is_infeasible(comparison, tmp_path):
    case = load_case(TINY)
    stages = compute_stages(case, **FAST, coverage=1)
    assert "portfolio" in stages.notes
    page = write_report(case, stages, tmp_path / "out", runs=comparison)["index"].read_text(encoding="utf-8")
    assert 'id="portfolio-runs"' in page and 'id="portfolio-runs-changes"' in page


def test_a_comparison_that_is_not_one_is_refused_before_anything_runs(comparison, tmp_path):
    one = {**comparison, "runs": comparison["runs"][:1]}
    with pytest.raises(InputError, match="at least two runs"):
        build_report(load_case(TINY), tmp_path / "out", runs=one, **FAST)
    short = json.loads(json.dumps(comparison))
    short["measures"][0]["selected"] = short["measures"][0]["selected"][:2]
    with pytest.raises(InputError, match="measures: 'selected' has 2 entries for 3 runs"):
        build_report(load_case(TINY), tmp_path / "out", runs=short, **FAST)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_runs_sheet_has_a_name_excel_takes_and_no_other_sheet_has(lang):
    names = sheet_names(lang, runs=True)
    name = names.pop("runs")
    assert 0 < len(name) <= 31 and not set(name) & set("[]:*?/\\'")
    assert name.casefold() not in {n.casefold() for n in names.values()}
    assert "runs" not in sheet_names(lang)  # only a report of runs has the sheet


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("de", "Tram line wurde auf Wunsch gesetzt und braucht, was dieser Maßnahme fehlt"),
        ("en", "Tram line was forced in and takes what this measure needs"),
    ],
)
def test_the_analysts_changes_between_runs_read_in_the_reports_language(lang, expected):
    from lev2040_mcda.report.context import Context
    from lev2040_mcda.report.runs import change_reason

    ctx = Context.of(load_case(Path(__file__).resolve().parents[1] / "cases" / "tiny"), lang)
    crowded = {"code": "crowded_out", "measure": "tram", "text": "tram was forced in (--include) ..."}
    assert change_reason(ctx, crowded, "base") == expected
    dropped = change_reason(ctx, {"code": "no_longer_included", "run": "base", "text": "x"}, "base")
    assert "base" in dropped and dropped != "x"
