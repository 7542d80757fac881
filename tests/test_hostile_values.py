"""Hostile numbers (issue 13, class 3 "silent corruption", its numeric part): values that overflow,
underflow or divide by zero, wherever a case reads a number, and no warning ever reaching a user.

The contract (lev2040_mcda/case/cells.py): every number the engine reads is 0 or has a magnitude
from 1e-15 to 1e15, so that no sum, square, ratio or product the methods take becomes inf or NaN.
A number outside that range is refused where it is read, with its file, row and column: a case file
fails ``validate`` with exit 2 and that line; a stakeholder submission is rejected with that line and
the other submissions' weights stay exactly what they are without it. Inside the range, every
method gives finite scores or says why it cannot (MethodNotApplicable, naming the criteria); a 0/0
that valid data can reach is defined and said in the warnings, never turned into NaN and dropped.

The CLI runs go through one limited child process (tests/hostile_batch.py), with warnings shown as
a user would see them; each asserts its exact outcome and a clean stderr. The engine's own
functions are checked in-process with every warning turned into an error.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lev2040_mcda.case import load_case, parse_number
from lev2040_mcda.ranking import (
    METHODS,
    NORMALIZATIONS,
    DecisionMatrix,
    MethodNotApplicable,
    score,
    score_batch,
)
from lev2040_mcda.weights import elicit_case

from .conftest import write_weights_case
from .hostile import assert_clean_stderr, smallest_case
from .hostile_batch import PER_RUN_LIMIT, run_batch

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "cases" / "tiny"
RANGE = "(expected 0 or a magnitude from 1e-15 to 1e15)"
LARGE, SMALL = f"is too large {RANGE}", f"is too close to 0 {RANGE}"

pytestmark = pytest.mark.filterwarnings("error")  # in-process: any warning fails the test


# -- the corpus -------------------------------------------------------------------------------
#
# A submission case: (files written into a copy of cases/tiny, the rejection line expected).
# A row appended to weights/buerger.csv (goal level: klima, wohnen, finanzen) is a survey
# respondent; a new file weights/zz.* a submission of its own (criteria: cost, co2, homes,
# acceptance), for group verwaltung.

BUERGER = (TINY / "weights" / "buerger.csv").read_text(encoding="utf-8")
CRIT_HEAD = "respondent,group,method,cost,co2,homes,acceptance\n"


def _row(cells: str) -> dict:
    return {"weights/buerger.csv": BUERGER + cells + "\n"}


def _yaml(method: str, body: str) -> dict:
    return {"weights/zz.yaml": f"group: verwaltung\nrespondent: zz\nmethod: {method}\n{body}"}


def _json(method: str, weights: str) -> dict:
    text = f'{{"group": "verwaltung", "respondent": "zz", "method": "{method}", "weights": {weights}}}'
    return {"weights/zz.json": text}


SUBMISSIONS = {
    # survey tables, one respondent per row
    "points-sum-overflows": (
        _row("b4,buerger,points,1e308,1e308,20"),
        f"weights/buerger.csv:5: column 'klima': '1e308' {LARGE}",
    ),
    "points-huge-in-every-column": (
        _row("b4,buerger,points,1e300,1e300,1e300"),
        f"weights/buerger.csv:5: column 'klima': '1e300' {LARGE}",
    ),
    "direct-subnormal": (
        _row("b4,buerger,direct,0,1e-320,0"),
        f"weights/buerger.csv:5: column 'wohnen': '1e-320' {SMALL}",
    ),
    "swing-underflows-to-zero": (
        _row("b4,buerger,swing,50,20,1e-400"),
        f"weights/buerger.csv:5: column 'finanzen': '1e-400' {SMALL}",
    ),
    "ranking-huge-rank": (
        _row("b4,buerger,ranking,1,1e308,2"),
        f"weights/buerger.csv:5: column 'wohnen': '1e308' {LARGE}",
    ),
    "direct-infinite": (
        _row("b4,buerger,direct,inf,1,1"),
        "weights/buerger.csv:5: column 'klima': 'inf' is not a finite number",
    ),
    "csv-criteria-level": (
        {"weights/zz.csv": CRIT_HEAD + "z1,verwaltung,direct,1,1e300,1e300,1\n"},
        f"weights/zz.csv:2: column 'co2': '1e300' {LARGE}",
    ),
    "csv-decimal-comma": (
        {"weights/zz.csv": CRIT_HEAD.replace(",", ";") + "z1;verwaltung;points;1,7e308;1;1;1\n"},
        f"weights/zz.csv:2: column 'cost': '1,7e308' {LARGE}",
    ),
    "xlsx-huge": (
        {"weights/zz.xlsx": [CRIT_HEAD.split(","), ["z1", "verwaltung", "direct", 1, 1e308, 1e308, 1]]},
        f"weights/zz.xlsx:2: column 'co2': 1e+308 {LARGE}",
    ),
    "xlsx-subnormal": (
        {"weights/zz.xlsx": [CRIT_HEAD.split(","), ["z1", "verwaltung", "swing", 5e-324, 0, 0, 0]]},
        f"weights/zz.xlsx:2: column 'cost': 5e-324 {SMALL}",
    ),
    # documents
    "yaml-direct-overflows": (
        _yaml("direct", "weights: {cost: 1.0e+308, co2: 1.0e+308}\n"),
        f"weights/zz.yaml: key 'weights.cost': 1e+308 {LARGE}",
    ),
    "yaml-points-text": (
        _yaml("points", "weights: {cost: '1e308', co2: '1e308'}\n"),
        f"weights/zz.yaml: key 'weights.cost': '1e308' {LARGE}",
    ),
    "yaml-points-budget": (
        _yaml("points", "budget: 1.0e+308\nweights: {cost: 60, co2: 40}\n"),
        f"weights/zz.yaml: key 'budget': 1e+308 {LARGE}",
    ),
    "yaml-swing-goals-subnormal": (
        _yaml("swing", "weights: {klima: 1.0e-320, wohnen: 50}\n"),
        f"weights/zz.yaml: key 'weights.klima': 1e-320 {SMALL}",
    ),
    "yaml-text-underflows": (
        _yaml("direct", "weights: {klima: '1e-400', wohnen: 1}\n"),
        f"weights/zz.yaml: key 'weights.klima': '1e-400' {SMALL}",
    ),
    "yaml-exponent-of-a-billion": (  # read as inf at once, not as an exact number of 10^9 digits
        _yaml("direct", "weights: {klima: '1e999999999', wohnen: 1}\n"),
        "weights/zz.yaml: key 'weights.klima': '1e999999999' is not a finite number (expected a number >= 0)",
    ),
    "yaml-huge-int": (
        _yaml("direct", f"weights: {{cost: {10**39}, co2: 1}}\n"),
        f"weights/zz.yaml: key 'weights.cost': 100000000000... (40 characters) {LARGE}",
    ),
    "yaml-pairwise": (
        _yaml("pairwise", "judgements: [[klima, wohnen, 1.0e+308], [wohnen, finanzen, 2]]\n"),
        "weights/zz.yaml: key 'judgements': judgement 1 (klima vs wohnen): 1e+308 is outside Saaty's "
        "scale (expected 1/9 .. 9)",
    ),
    "json-points-overflows": (
        _json("points", '{"cost": 1e308, "co2": 1e308}'),
        f"weights/zz.json: key 'weights.cost': 1e+308 {LARGE}",
    ),
    "json-beyond-float": (
        _json("direct", '{"cost": 1e400, "co2": 1}'),
        "weights/zz.json: key 'weights.cost': inf is not a finite number (expected a number >= 0)",
    ),
    "json-goals-subnormal": (
        _json("direct", '{"klima": 1e-320, "wohnen": 0}'),
        f"weights/zz.json: key 'weights.klima': 1e-320 {SMALL}",
    ),
}

# goals without criteria: weight given only to them has nowhere to go (it made a group's weights
# NaN, then uniform); these run on a case whose goals.yaml has one such goal, `verkehr`
NOWHERE = (
    "weighs only goals without criteria (verkehr): no criterion of the catalogue belongs to them, so "
    "their weight has nowhere to go"
)
EMPTY_GOAL = "  - {id: verkehr, title: Verkehr, topic: umwelt}\n"
GOALLESS = {
    "yaml-only-an-empty-goal": (
        _yaml("direct", "weights: {verkehr: 1}\n"),
        f"weights/zz.yaml: key 'weights': {NOWHERE}",
    ),
    "csv-only-an-empty-goal": (
        {"weights/zz.csv": "respondent,group,method,verkehr\nz1,buerger,points,100\n"},
        f"weights/zz.csv:2: column 'verkehr': {NOWHERE}",
    ),
}


def _smallest(
    measures: str | None = None, case_yaml: str | None = None, criteria: str | None = None, weights=True
):
    """The smallest valid case with some of its files replaced."""

    def make(root: Path) -> None:
        smallest_case(root, weights=weights)
        for name, text in (("measures.csv", measures), ("case.yaml", case_yaml), ("criteria.yaml", criteria)):
            if text is not None:
                (root / name).write_text(text, encoding="utf-8")

    return make


HEAD = "id,name,cost,quality,price\n"
CASE_YAML = "name: example\ncriteria: criteria.yaml\nresources:\n  cost: {limit: 100}\n"


def _measures_xlsx(root: Path) -> None:
    smallest_case(root)
    (root / "measures.csv").unlink()
    wb = openpyxl.Workbook()
    for row in (HEAD.strip().split(","), ["a", "Option A", 40, 1.7e308, 250], ["b", "Option B", 70, 9, 300]):
        wb.active.append(row)
    wb.save(root / "measures.xlsx")


def _scenarios(root: Path) -> None:
    smallest_case(root)
    (root / "scenarios.yaml").write_text(
        "scenarios:\n  - id: boom\n    title: Boom\n    effects:\n      adjust:\n"
        "        - {criterion: quality, multiply: 1.0e+300}\n",
        encoding="utf-8",
    )


def _interactions(root: Path) -> None:
    smallest_case(root)
    (root / "interactions.csv").write_text(
        "source,target,effect,strength,note\na,b,synergy,1e-320,\n", encoding="utf-8"
    )


CASE_FILES = {  # exit 2 from `validate`, with this line
    "measure-criterion-edas": (
        _smallest(measures=HEAD + "a,Option A,40,1.7e308,250\nb,Option B,70,9,300\n"),
        f"measures.csv:2: column 'quality': '1.7e308' {LARGE}",
    ),
    "measure-resource": (
        _smallest(measures=HEAD + "a,Option A,1e308,7,250\nb,Option B,70,9,300\n"),
        f"measures.csv:2: column 'cost': '1e308' {LARGE}",
    ),
    "measure-subnormal": (
        _smallest(measures=HEAD + "a,Option A,40,7,250\nb,Option B,70,9,1e-320\n"),
        f"measures.csv:3: column 'price': '1e-320' {SMALL}",
    ),
    "measure-underflows-to-zero": (
        _smallest(measures=HEAD + "a,Option A,40,1e-400,250\nb,Option B,70,9,300\n"),
        f"measures.csv:2: column 'quality': '1e-400' {SMALL}",
    ),
    "measure-decimal-comma": (
        _smallest(measures=HEAD.replace(",", ";") + "a;Option A;40;7;2,5e300\nb;Option B;70;9;300\n"),
        f"measures.csv:2: column 'price': '2,5e300' {LARGE}",
    ),
    "measure-xlsx": (_measures_xlsx, f"measures.xlsx:2: column 'quality': 1.7e+308 {LARGE}"),
    "limit-case-yaml": (
        _smallest(case_yaml=CASE_YAML.replace("limit: 100", "limit: 1e308")),
        f"case.yaml:4: key 'resources.cost.limit': 1e+308 {LARGE}",
    ),
    "limit-shorthand": (
        _smallest(case_yaml=CASE_YAML.replace("{limit: 100}", "1.0e+300")),
        f"case.yaml:4: key 'resources.cost.limit': 1e+300 {LARGE}",
    ),
    "period-limit": (
        _smallest(case_yaml=CASE_YAML + "periods:\n  - {id: p1, limits: {cost: 1.0e+300}}\n"),
        f"case.yaml:6: key 'periods.limits.cost': 1e+300 {LARGE}",
    ),
    "group-influence": (
        _smallest(case_yaml=CASE_YAML + "groups:\n  - {id: g, influence: 1.0e-320}\n", weights=False),
        f"case.yaml:6: key 'groups.influence': 1e-320 {SMALL}",
    ),
    "criterion-bound": (
        _smallest(
            criteria="criteria:\n  - {id: quality, name: Quality, direction: benefit, max: 1.0e+300}\n"
            "  - {id: price, name: Price, direction: cost}\n"
        ),
        f"criteria.yaml:2: key 'criteria.max': 1e+300 {LARGE}",
    ),
    "scenario-factor": (
        _scenarios,
        f"scenarios.yaml:6: key 'scenarios.effects.adjust.multiply': 1e+300 {LARGE}",
    ),
    "interaction-strength": (_interactions, f"interactions.csv:2: column 'strength': '1e-320' {SMALL}"),
}


# degenerate but valid data: every command runs, or says in one line why a method cannot
FLAT = HEAD + "a,Option A,40,7,250\nb,Option B,70,7,300\n"  # quality: the same for both
ONE = HEAD + "a,Option A,40,7,250\n"  # a single measure
DEGENERATE = {"flat": FLAT, "one": ONE}
COMMANDS = {
    **{f"rank-{m}": ["rank", ".", "--method", m, "--format", "json"] for m in [*METHODS, "all"]},
    **{f"sensitivity-{m}": ["sensitivity", ".", "--method", m, "--samples", "200"] for m in METHODS},
    # HiGHS: PuLP 3.3 warns on every PULP_CBC_CMD (portfolio/solvers.py, reported); the values
    # side is the same for both solvers
    "portfolio": ["portfolio", ".", "--format", "json", "--solver", "highs"],
}
REFUSED = {  # (case, command) -> the one line of exit 2
    ("flat", "rank-vikor"): "--method: vikor: VIKOR cannot use a criterion with the same value for every "
    "measure: quality",
    ("flat", "sensitivity-vikor"): "--method: vikor: VIKOR cannot use a criterion with the same value for "
    "every measure: quality",
    ("one", "rank-vikor"): "--method: vikor: VIKOR cannot use a criterion with the same value for every "
    "measure: quality, price",
    ("one", "sensitivity-vikor"): "--method: vikor: VIKOR cannot use a criterion with the same value for "
    "every measure: quality, price",
}


# resources in any unit: the solvers' absolute tolerances (about 1e-7) let two measures of 1e-10
# pass a limit of 1.5e-10, and HiGHS refused a cost of 1e15 (an internal error); the model's rows are
# scaled to numbers of about 1, so the portfolio is the same whatever the unit (price, the same for
# every measure, is 0: no change against doing nothing, so only quality gives a measure value)
UNIT_CASE = "name: example\ncriteria: criteria.yaml\nresources:\n  cost: {limit: LIMIT}\n"
UNIT_MEASURES = "id,name,cost,quality,price\na,A,COST,7,0\nb,B,COST,9,0\nc,C,COST,8,0\n"
UNITS = {
    f"units-{cost}": (UNIT_CASE.replace("LIMIT", limit), UNIT_MEASURES.replace("COST", cost), ["b"])
    for cost, limit in (("1e-10", "1.5e-10"), ("1e15", "1e15"), ("1", "1.5"))
}


def _write(root: Path, files: dict) -> None:
    for name, content in files.items():
        path = root / name
        if isinstance(content, list):  # rows of a workbook
            wb = openpyxl.Workbook()
            for row in content:
                wb.active.append([c.strip() if isinstance(c, str) else c for c in row])
            wb.save(path)
        else:
            path.write_text(content, encoding="utf-8")


WEIGHTS = ["weights", ".", "--format", "json", "--by", "submission"]


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory) -> dict[str, dict]:
    """Every run of the corpus, once, in one limited child process."""
    tmp = tmp_path_factory.mktemp("values")
    runs = []

    def case(name: str, make) -> Path:
        root = tmp / name
        make(root)
        return root

    def tiny(root: Path, goals: str = "") -> None:
        shutil.copytree(TINY, root)
        if goals:
            (root / "goals.yaml").write_text((TINY / "goals.yaml").read_text("utf-8") + goals, "utf-8")

    runs.append({"id": "baseline", "args": WEIGHTS, "cwd": str(case("baseline", tiny))})
    goalless = lambda root: tiny(root, EMPTY_GOAL)
    runs.append({"id": "baseline-goalless", "args": WEIGHTS, "cwd": str(case("baseline-goalless", goalless))})
    for name, (files, _) in {**SUBMISSIONS, **GOALLESS}.items():
        make = goalless if name in GOALLESS else tiny
        root = case(name, make)
        _write(root, files)
        runs.append({"id": name, "args": WEIGHTS, "cwd": str(root)})
    for name, (make, _) in CASE_FILES.items():
        runs.append({"id": name, "args": ["validate", "."], "cwd": str(case(name, make))})
    given = case("option-weights", tiny)
    (given / "given.yaml").write_text("method: points\nweights: {cost: '1e308', co2: '1e308'}\n", "utf-8")
    runs.append({"id": "option-weights", "args": ["rank", ".", "--weights", "given.yaml"], "cwd": str(given)})
    limit = case("option-limit", smallest_case)
    runs.append(
        {"id": "option-limit", "args": ["portfolio", ".", "--limit", "cost=1e308"], "cwd": str(limit)}
    )
    for name, (case_yaml, measures, _) in UNITS.items():
        root = case(name, _smallest(measures=measures, case_yaml=case_yaml))
        args = ["portfolio", ".", "--format", "json", "--solver", "highs", "--weights-from", "equal"]
        runs.append({"id": name, "args": args, "cwd": str(root)})
    for data, text in DEGENERATE.items():
        root = case(data, _smallest(measures=text))
        runs += [{"id": f"{data}/{c}", "args": args, "cwd": str(root)} for c, args in COMMANDS.items()]
    return run_batch(runs, tmp)


def _clean(run: dict) -> None:
    assert not run["timed_out"], f"no answer within {PER_RUN_LIMIT} s"
    assert_clean_stderr(type("R", (), {"stderr": run["stderr"]})())


@pytest.mark.parametrize("name", [*SUBMISSIONS, *GOALLESS])
def test_a_hostile_submission_is_rejected_and_the_others_are_unchanged(outcomes, name):
    """Exit 0, the submission's rejection line (file, row, column, reason), and every other
    submission's weights, each group's and the final ones exactly as without the bad file."""
    run = outcomes[name]
    _clean(run)
    assert run["code"] == 0, run["stderr"]
    got = json.loads(run["stdout"])
    base = json.loads(outcomes["baseline-goalless" if name in GOALLESS else "baseline"]["stdout"])
    expected = (SUBMISSIONS.get(name) or GOALLESS[name])[1]
    assert got["rejections"] == [expected]
    assert got["by_submission"] == base["by_submission"]
    assert got["groups"] == base["groups"]
    assert got["weights"] == base["weights"]


@pytest.mark.parametrize("name", CASE_FILES)
def test_a_number_out_of_range_in_a_case_file_is_exit_2_with_its_line(outcomes, name):
    run = outcomes[name]
    _clean(run)
    assert run["code"] == 2, run["stdout"]
    assert run["stderr"].splitlines() == [CASE_FILES[name][1]]


def test_a_weights_file_out_of_range_is_exit_2_with_its_line(outcomes):
    """`rank --weights FILE` reads the file as a submission, strictly: its rejection is the error."""
    run = outcomes["option-weights"]
    _clean(run)
    assert (run["code"], run["stderr"].splitlines()) == (
        2,
        [f"given.yaml: key 'weights.cost': '1e308' {LARGE}"],
    )


def test_a_limit_out_of_range_on_the_command_line_is_exit_2(outcomes):
    run = outcomes["option-limit"]
    _clean(run)
    assert (run["code"], run["stderr"].splitlines()) == (2, [f"--limit: cost=1e+308 {LARGE}"])


@pytest.mark.parametrize("name", UNITS)
def test_the_portfolio_is_the_same_in_any_unit(outcomes, name):
    run = outcomes[name]
    _clean(run)
    assert run["code"] == 0, run["stderr"]
    assert json.loads(run["stdout"])["selected"] == UNITS[name][2]


@pytest.mark.parametrize("data", DEGENERATE)
@pytest.mark.parametrize("command", COMMANDS)
def test_degenerate_data_rank_or_one_line_never_a_warning(outcomes, data, command):
    """A criterion with the same value for every measure, or a single measure: every method
    ranks (a 0/0 defined and said) or gives exit 2 with one line; SPOTIS used to crash here."""
    run = outcomes[f"{data}/{command}"]
    _clean(run)
    refused = REFUSED.get((data, command))
    if refused is not None:
        assert (run["code"], run["stderr"].splitlines()) == (2, [refused])
        return
    assert run["code"] == 0, run["stderr"]
    if command.startswith("rank-") and command != "rank-all":
        ranking = json.loads(run["stdout"])["ranking"]
        assert all(np.isfinite(r["score"]) for r in ranking)


def test_degenerate_ties_are_said(outcomes):
    """The fallbacks are visible: SPOTIS says the flat criterion counts 0; TOPSIS and EDAS say a
    single measure ties at 0.5."""
    spotis = json.loads(outcomes["flat/rank-spotis"]["stdout"])
    assert spotis["warnings"] == [
        "SPOTIS: criteria whose bounds coincide (the same value for every measure) count 0: quality"
    ]
    for method, label in (("topsis", "TOPSIS"), ("edas", "EDAS")):
        got = json.loads(outcomes[f"one/rank-{method}"]["stdout"])
        assert [r["score"] for r in got["ranking"]] == [0.5]
        assert (
            f"{label}: no weighted criterion tells the measures apart; they all tie (score 0.5)"
            in (got["warnings"])
        )


# -- the engine in-process --------------------------------------------------------------------


def _dm(values, types) -> DecisionMatrix:
    v = np.asarray(values, dtype=float)
    m, n = v.shape
    ids = tuple(f"m{i}" for i in range(m))
    return DecisionMatrix(
        ids,
        ids,
        tuple(f"c{j}" for j in range(n)),
        v,
        np.asarray(types),
        np.column_stack([v.min(axis=0), v.max(axis=0)]),
        (("usual", None, None),) * n,
    )


def _options():
    for method, spec in METHODS.items():
        for norm in NORMALIZATIONS if spec.normalization is not None else [None]:
            yield method, ({} if norm is None else {"normalization": norm})


OPTIONS = list(_options())


@pytest.mark.parametrize("number", ["1e16", "-1e16", "1e-16", "1e-320", "1e-400", "1e308", 1e300, -5e-324])
def test_parse_number_refuses_numbers_out_of_range(number):
    with pytest.raises(ValueError, match=r"is too (large|close to 0) \(expected 0 or a magnitude from"):
        parse_number(number)


@pytest.mark.parametrize("number", ["0", "-0.0", "0e7", "1e15", "-1e15", "1e-15", "2,5e-15", 1e15])
def test_parse_number_takes_the_ends_of_the_range(number):
    assert parse_number(number, decimal_comma=True) == float(str(number).replace(",", "."))


def test_logarithmic_normalisation_of_many_measures_does_not_overflow():
    """pymcdm multiplies the whole column (inf for 200 measures of about 1000, and every value
    then 0); the sum of logarithms gives ln x / ln prod(x) itself."""
    x = np.linspace(900, 1100, 200)
    dm = _dm(np.column_stack([x, x[::-1]]), [1, 1])
    s = score(dm, np.array([0.5, 0.5]), "wsm", {"normalization": "logarithmic"}).scores
    logs = np.log(x)
    expected = 0.5 * logs / logs.sum() + 0.5 * logs[::-1] / logs.sum()
    np.testing.assert_allclose(s, expected, rtol=1e-12)


def test_mabac_of_many_measures_keeps_its_border_area():
    """The border area is a geometric mean over the measures: repeating the five measures a
    hundred times leaves it, and so every score, unchanged (pymcdm's product underflows to 0)."""
    rng = np.random.default_rng(3)
    five = rng.uniform(1, 100, size=(5, 8))
    types = [1, -1] * 4
    w = np.full(8, 1 / 8)
    small = score(_dm(five, types), w, "mabac").scores
    large = score(_dm(np.tile(five, (100, 1)), types), w, "mabac").scores
    np.testing.assert_allclose(large[:5], small, rtol=1e-9)


def test_edas_keeps_a_criterion_with_a_value_at_the_bound():
    """EDAS used to turn the criterion into NaN (mean inf) and count it 0: at 1e15 it decides."""
    dm = _dm([[1e15, 1.0], [1.0, 2.0], [2.0, 1.0]], [1, 1])
    s = score(dm, np.array([0.9, 0.1]), "edas").scores
    assert np.isfinite(s).all() and s.argmax() == 0


def test_undefined_normalisation_names_the_criterion():
    dm = _dm([[1.0, 5.0], [2.0, 5.0]], [1, 1])
    with pytest.raises(
        MethodNotApplicable,
        match=r"^TOPSIS: the enhanced_accuracy normalisation is "
        r"undefined for criteria with the same value for every measure: c1 \(use minmax\)$",
    ):
        score(dm, np.array([0.5, 0.5]), "topsis", {"normalization": "enhanced_accuracy"})
    with pytest.raises(MethodNotApplicable, match=r": c1 \(use minmax\)$"):
        score_batch(dm, np.array([[0.5, 0.5]]), "topsis", {"normalization": "enhanced_accuracy"})


in_range = st.one_of(
    st.just(0.0),
    st.floats(1e-15, 1e15),
    st.floats(-1e15, -1e-15),
    st.sampled_from([1e15, -1e15, 1e-15, 1.0, 2.0]),
)


@given(
    st.integers(1, 6).flatmap(
        lambda n: st.tuples(
            st.lists(st.lists(in_range, min_size=n, max_size=n), min_size=1, max_size=6),
            st.lists(st.sampled_from([1, -1]), min_size=n, max_size=n),
            st.lists(st.one_of(st.just(0.0), st.floats(1e-3, 1.0)), min_size=n, max_size=n).filter(
                lambda w: sum(w) > 0
            ),
        )
    )
)
def test_any_values_within_the_range_give_finite_scores_or_a_reason(problem):
    """Any matrix of numbers in the engine's range (zeros, negatives, both ends, one measure,
    flat criteria, weights of 0): every method and normalisation scores finitely, the same in
    score and score_batch, or refuses with MethodNotApplicable in both; never a warning."""
    values, types, w = problem
    dm = _dm(values, types)
    w = np.asarray(w)
    for method, options in OPTIONS:
        try:
            single = score(dm, w, method, options).scores
        except MethodNotApplicable:
            with pytest.raises(MethodNotApplicable):
                score_batch(dm, w[None, :], method, options)
            continue
        assert np.isfinite(single).all(), (method, options)
        batch = score_batch(dm, np.vstack([w, w]), method, options)
        assert np.isfinite(batch).all(), (method, options)
        scale = max(1.0, float(np.abs(single).max()))
        np.testing.assert_allclose(batch[:, 0], single, rtol=1e-7, atol=1e-9 * scale, err_msg=method)


cell = st.one_of(
    st.floats(0, 100),
    st.integers(0, 5),
    st.sampled_from([0.0, 1e15, 1e-15, 1e16, 1e308, 1e-16, 1e-320, 5e-324, "1e-400", "1e999"]),
)
OUT = ("is too large", "is too close to 0", "is not a finite number")


@given(
    st.integers(2, 4).flatmap(
        lambda n: st.lists(
            st.tuples(
                st.sampled_from(["direct", "points", "swing", "ranking"]),
                st.lists(cell, min_size=n, max_size=n),
            ),
            min_size=1,
            max_size=6,
        )
    )
)
def test_any_survey_row_gives_weights_that_sum_to_1_or_its_rejection(rows):
    """Survey rows of any numbers, in the range and out of it: a row with a number out of the
    range is rejected for it (its row, the first such column); every accepted row's weights are
    finite, >= 0 and sum to 1; never a warning."""
    n = len(rows[0][1])
    criteria = [f"c{j}" for j in range(n)]
    lines = [f"r{k},{method}," + ",".join(str(v) for v in values) for k, (method, values) in enumerate(rows)]
    text = "respondent,method," + ",".join(criteria) + "\n" + "\n".join(lines) + "\n"
    with tempfile.TemporaryDirectory() as tmp:
        root = write_weights_case(Path(tmp), criteria, None, {"survey.csv": text})
        sw = elicit_case(load_case(root))
    rejected = {p.row: p for p in sw.rejected}
    for k, (_, values) in enumerate(rows):
        line = k + 2
        out = [j for j, v in enumerate(values) if isinstance(v, str) or parse_ok(v) is False]
        if out:
            assert line in rejected and rejected[line].column == criteria[out[0]], (values, sw.rejected)
            assert any(why in rejected[line].reason for why in OUT)
    assert np.isfinite(sw.weights).all() and (sw.weights >= 0).all()
    np.testing.assert_allclose(sw.weights.sum(axis=1), 1.0, rtol=1e-12)
    assert len(sw) + len(sw.rejected) == len(rows)


def parse_ok(v) -> bool:
    try:
        parse_number(repr(v) if isinstance(v, float) else str(v))
    except ValueError:
        return False
    return True
