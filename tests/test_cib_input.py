"""Reading CIB models: descriptors.yaml + cross_impacts.csv/.xlsx (+ notes), ScenarioWizard .scw files,
every bad-input rule with its located line, and the Leverkusen case's CIB model.

The consistency check here is a tiny brute force of its own (the engine lives in ``scenarios/``):
the impact balance of a scenario is the sum of the matrix rows of its chosen variants; a scenario is
consistent when every chosen variant scores the maximum of its descriptor's block (ties count).
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lev2040_mcda import load_case
from lev2040_mcda.case import STEEP, CIBModel, Scenario, apply_scenario, check_cib, has_cib, load_cib
from lev2040_mcda.errors import InputErrors

from .conftest import CASES

DATA = Path(__file__).parent / "data" / "cib"
LEVERKUSEN = CASES / "leverkusen-2040"


def consistent(model: CIBModel, max_inconsistency: int = 0) -> list[tuple[tuple[int, ...], int, int]]:
    """Every scenario within ``max_inconsistency``, with its inconsistency and total impact score."""
    sizes, offsets, m = model.sizes, model.offsets, model.matrix
    out = []
    for scenario in itertools.product(*(range(n) for n in sizes)):
        rows = [o + v for o, v in zip(offsets, scenario)]
        balance = m[rows].sum(axis=0)
        gap = max(balance[o : o + n].max() - balance[o + v] for o, n, v in zip(offsets, sizes, scenario))
        if gap <= max_inconsistency:
            out.append((scenario, int(gap), int(balance[rows].sum())))
    return out


# -- writing small models -----------------------------------------------------------------------

DESCRIPTORS = """\
descriptors:
  - id: a
    name: Alpha
    parameter: gesellschaft
    variants:
      - {id: x, name: X}
      - {id: y, name: Y}
  - id: b
    name: Beta
    parameter: politik
    variants:
      - {id: u, name: U}
      - {id: v, name: V}
      - {id: w, name: W}
"""
MATRIX = """\
source,a.x,a.y,b.u,b.v,b.w
a.x,,,2,0,-2
a.y,,,-1,1,0
b.u,3,-3,,,
b.v,0,1,,,
b.w,-2,2,,,
"""


def write_model(
    root: Path, descriptors: str = DESCRIPTORS, matrix: str = MATRIX, notes: str | None = None
) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "descriptors.yaml").write_text(descriptors, encoding="utf-8")
    (root / "cross_impacts.csv").write_text(matrix, encoding="utf-8")
    if notes is not None:
        (root / "cross_impacts_notes.csv").write_text(notes, encoding="utf-8")
    return root


def problems_of(source: Path | str, **kw) -> list[str]:
    with pytest.raises(InputErrors) as exc:
        load_cib(source, **kw)
    return str(exc.value).splitlines()


@pytest.fixture
def model_dir(tmp_path, monkeypatch) -> Path:
    """A folder with the small model, as working directory (messages name the bare file)."""
    monkeypatch.chdir(tmp_path)
    return write_model(tmp_path)


# -- the folder format --------------------------------------------------------------------------


def test_small_model_reads_in_file_order(model_dir):
    model = load_cib(model_dir)
    assert [d.id for d in model.descriptors] == ["a", "b"]
    assert model.sizes == (2, 3) and model.offsets == (0, 2)
    assert model.labels == ("a.x", "a.y", "b.u", "b.v", "b.w")
    assert model.descriptors[1].parameter == "politik" and model.descriptors[1].variants[2].name == "W"
    assert model.matrix.tolist() == [
        [0, 0, 2, 0, -2],
        [0, 0, -1, 1, 0],
        [3, -3, 0, 0, 0],
        [0, 1, 0, 0, 0],
        [-2, 2, 0, 0, 0],
    ]
    assert set(model.hashes) == {"descriptors.yaml", "cross_impacts.csv"}
    assert consistent(model) == [((0, 0), 0, 5), ((1, 1), 0, 2)]  # x-u: +2 +3; y-v: +1 +1


def test_descriptors_yaml_itself_and_has_cib(model_dir, tmp_path):
    assert load_cib(model_dir / "descriptors.yaml").labels == load_cib(model_dir).labels
    assert has_cib(model_dir) and has_cib(LEVERKUSEN)
    assert not has_cib(CASES / "tiny") and not has_cib(tmp_path / "nowhere")


def test_semicolon_csv_with_german_minus_and_xlsx_read_the_same(model_dir):
    expected = load_cib(model_dir).matrix
    semicolon = MATRIX.replace(",", ";").replace("-2", "\u22122")  # Excel here: ';' and a real minus
    (model_dir / "cross_impacts.csv").write_text(semicolon, encoding="utf-8")
    assert np.array_equal(load_cib(model_dir).matrix, expected)

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for line in MATRIX.splitlines():
        ws.append([int(c) if c.lstrip("-").isdigit() else (c or None) for c in line.split(",")])
    (model_dir / "cross_impacts.csv").unlink()
    wb.save(model_dir / "cross_impacts.xlsx")
    assert np.array_equal(load_cib(model_dir).matrix, expected)


def test_notes_by_judgement_and_by_section(model_dir):
    notes = 'source,target,note\na.x,b.u,X needs U\nb,a,"B acts on A, in short"\n'
    (model_dir / "cross_impacts_notes.csv").write_text(notes, encoding="utf-8")
    model = load_cib(model_dir)
    assert model.notes == {("a.x", "b.u"): "X needs U", ("b", "a"): "B acts on A, in short"}


def _csv(model_labels: list[str], matrix: np.ndarray, owner: list[str], sep: str) -> str:
    lines = [sep.join(["source", *model_labels])]
    for r, label in enumerate(model_labels):
        cells = ["" if owner[r] == owner[c] else str(matrix[r, c]) for c in range(len(model_labels))]
        lines.append(sep.join([label, *cells]))
    return "\n".join(lines) + "\n"


@st.composite
def random_models(draw):
    """A random model: 2-4 descriptors of 2-3 variants, judgements -3..+3 outside the own blocks."""
    sizes = draw(st.lists(st.integers(2, 3), min_size=2, max_size=4))
    owner = [f"d{k}" for k, n in enumerate(sizes) for _ in range(n)]
    n = len(owner)
    cells = draw(st.lists(st.integers(-3, 3), min_size=n * n, max_size=n * n))
    matrix = np.array(cells, dtype=np.int64).reshape(n, n)
    matrix[np.equal.outer(owner, owner)] = 0
    return sizes, owner, matrix


@given(random_models(), st.sampled_from([",", ";"]))
def test_round_trip_through_csv(tmp_path_factory, drawn, sep):
    sizes, owner, matrix = drawn
    root = tmp_path_factory.mktemp("cib")
    text = "descriptors:\n" + "".join(
        f"  - id: d{k}\n    name: D{k}\n    variants:\n"
        + "".join(f"      - {{id: v{j}, name: V{j}}}\n" for j in range(n))
        for k, n in enumerate(sizes)
    )
    labels = [f"d{k}.v{j}" for k, n in enumerate(sizes) for j in range(n)]
    write_model(root, text, _csv(labels, matrix, owner, sep))
    model = load_cib(root)
    assert model.labels == tuple(labels)
    assert np.array_equal(model.matrix, matrix)


# -- ScenarioWizard .scw ------------------------------------------------------------------------


def test_scw_sample_reads_and_its_solutions_are_reproduced():
    """tests/data/cib/CIB_global.scw and CIB_global.sl: the sample files of sei-international/cibsa
    (Stockholm Environment Institute, MIT licence), a model and the solution set ScenarioWizard
    saved for it. The brute force finds exactly the four scenarios of the .sl file, with the
    total impact scores it prints (fifth field)."""
    model = load_cib(DATA / "CIB_global.scw")
    assert [d.id for d in model.descriptors] == ["wtrd", "wsec", "weco"]
    assert [v.name for v in model.descriptors[2].variants] == ["Decl", "Stag", "ModGr", "RpdGr"]
    assert model.sizes == (3, 3, 4) and model.descriptors[0].parameter is None
    assert model.matrix[0].tolist() == [0, 0, 0, 1, 2, -3, -4, -2, 3, 3]
    assert model.matrix[9].tolist() == [3, -6, 3, -1, 1, 0, 0, 0, 0, 0]
    solutions = {}
    for line in (DATA / "CIB_global.sl").read_text().splitlines():
        if line.startswith('"'):
            fields = line.split(",")
            solutions[tuple(int(v) - 1 for v in fields[0].strip('"').split())] = int(fields[4])
    assert len(solutions) == 4
    assert {s: total for s, _, total in consistent(model)} == solutions


def _scw(
    names: list[tuple[str, list[str]]], matrix: np.ndarray, comment: tuple[int, int, str] | None = None
) -> str:
    """A .scw text in ScenarioWizard 4.0's layout (as the sample file has it)."""
    n = len(matrix)
    out = ["$ ScenarioWizard 4.0", "test.scw"]
    for d, vs in names:
        out += [f"&{d}"] + [f" -{v}" for v in vs]
    out.append("#")
    for _, vs in names:
        out += ["&"] + [" "] * len(vs)
    out += ["#", "#"] + ["FFFFFF"] * n + ["#", "#"]
    out += [",".join(f"{x:2d} " for x in row) for row in matrix]
    out += ["#", "# 0-0", '""'] + ["# ", '""'] * len(names)
    for i in range(len(names)):
        for j in range(len(names)):
            text = comment[2] if comment and (i, j) == comment[:2] else ""
            out += ["#  -> ", f'"{text}"']
    return "\r\n".join(out + ["#", "#", ""])


@given(random_models())
def test_round_trip_through_scw(tmp_path_factory, drawn):
    sizes, _, matrix = drawn
    names = [(f"D {k}", [f"V-{j}" for j in range(n)]) for k, n in enumerate(sizes)]
    path = tmp_path_factory.mktemp("scw") / "m.scw"
    path.write_bytes(_scw(names, matrix, (1, 0, "Grund")).encode("cp1252"))
    model = load_cib(path)
    assert [d.id for d in model.descriptors] == [f"d_{k}" for k in range(len(sizes))]
    assert [v.id for v in model.descriptors[0].variants][:2] == ["v_0", "v_1"]
    assert np.array_equal(model.matrix, matrix)
    assert model.notes == {("d_1", "d_0"): "Grund"}


def test_scw_with_umlauts_in_cp1252(tmp_path):
    path = tmp_path / "m.scw"
    names = [("Bevölkerung", ["Wachstum", "Schrumpfung"]), ("Größe", ["groß", "klein"])]
    path.write_bytes(_scw(names, np.zeros((4, 4), dtype=int)).encode("cp1252"))
    model = load_cib(path)
    assert model.labels == (
        "bevoelkerung.wachstum",
        "bevoelkerung.schrumpfung",
        "groesse.gross",
        "groesse.klein",
    )
    assert model.descriptors[1].name == "Größe"


def test_scw_bad_input_is_located(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    names = [("A", ["x", "y"]), ("B", ["u", "v"])]
    good = np.array([[0, 0, 1, -1], [0, 0, -1, 1], [2, -2, 0, 0], [-1, 1, 0, 0]])
    text = _scw(names, good).split("\r\n")
    row = text.index(" 0 , 0 , 1 ,-1 ")
    bad = list(text)
    bad[row] = " 0 , 0 , x ,-1 "
    bad[row + 1] = " 1 , 0 ,-1 , 1 "
    Path("bad.scw").write_text("\n".join(bad))
    assert problems_of("bad.scw") == [
        f"bad.scw:{row + 1}: column 'b.u': a.x -> b.u: 'x' is not a judgement (expected a whole number, usually -3 to +3; empty means 0)",
        f"bad.scw:{row + 2}: column 'a.x': a.y -> a.x: +1 inside descriptor 'a''s own block (expected 0)",
    ]
    short = list(text)
    short[row] = " 0 , 0 , 1 "
    Path("short.scw").write_text("\n".join(short))
    assert problems_of("short.scw") == [f"short.scw:{row + 1}: row a.x has 3 numbers (expected 4)"]
    Path("other.scw").write_text("<?xml version='1.0'?>\n<cib/>\n")
    assert problems_of("other.scw") == [
        "other.scw:1: is not a ScenarioWizard file (expected a first line '$ ScenarioWizard 4.0')"
    ]
    lonely = list(text)
    lonely[4:5] = []  # A keeps one variant
    Path("lonely.scw").write_text("\n".join(lonely[: lonely.index("#")] + ["#"]))
    assert problems_of("lonely.scw") == ["lonely.scw: descriptor 'A' has 1 variant(s) (expected at least 2)"]


# -- bad input in the folder format -------------------------------------------------------------


def _matrix_with(**changes: str) -> str:
    """MATRIX with some lines replaced, by their source label (``header`` for the header)."""
    lines = MATRIX.splitlines()
    for key, line in changes.items():
        at = (
            0
            if key == "header"
            else next(k for k, ln in enumerate(lines) if ln.startswith(key.replace("_", ".") + ","))
        )
        lines[at] = line
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("matrix", "expected"),
    [
        (
            _matrix_with(header="source,a.x,a.y,b.u,b.v,c.w"),
            [
                "cross_impacts.csv:1: column 'b.w': column is missing (every variant needs a column)",
                "cross_impacts.csv:1: column 'c.w': unknown descriptor 'c' in 'c.w' "
                "(expected one of descriptors.yaml)",
            ],
        ),
        (
            _matrix_with(b_w="b.z,-2,2,,,"),
            [
                "cross_impacts.csv: column 'source': no row for 'b.w' (every variant needs a row)",
                "cross_impacts.csv:6: column 'source': unknown variant 'z' of descriptor 'b' "
                "(expected one of: u, v, w)",
            ],
        ),
        (
            _matrix_with(b_w="b.v,-2,2,,,"),
            [
                "cross_impacts.csv: column 'source': no row for 'b.w' (every variant needs a row)",
                "cross_impacts.csv:6: column 'source': row 'b.v' appears twice (first at line 5)",
            ],
        ),
        (
            _matrix_with(header="source,a.x,a.y,b.u,b.v,b.v"),
            [
                "cross_impacts.csv:1: column 'b.v': column appears twice",
                "cross_impacts.csv:1: column 'b.w': column is missing (every variant needs a column)",
            ],
        ),
        (
            _matrix_with(a_y="a.y,,,-1,1.5,zwei"),
            [
                "cross_impacts.csv:3: column 'b.v': '1.5' is not a whole number "
                "(expected a whole number, usually -3 to +3; empty means 0)",
                "cross_impacts.csv:3: column 'b.w': 'zwei' is not a judgement "
                "(expected a whole number, usually -3 to +3; empty means 0)",
            ],
        ),
        (
            _matrix_with(a_x="a.x,,1,2,0,-2"),
            [
                "cross_impacts.csv:2: column 'a.y': +1 inside descriptor 'a''s own block "
                "(expected empty or 0: "
                "a descriptor's variants exclude each other, they do not act on each other)"
            ],
        ),
        (
            _matrix_with(header="from,a.x,a.y,b.u,b.v,b.w"),
            [
                "cross_impacts.csv: is not a cross-impact matrix (expected a header row: source, then one "
                "column per descriptor.variant)"
            ],
        ),
        (
            _matrix_with(header="a.x,source,a.y,b.u,b.v,b.w"),
            ["cross_impacts.csv:1: column 'a.x': the first column must be 'source' (the variant that acts)"],
        ),
        (
            _matrix_with(b_u="b,3,-3,,,", a_x="a.x,,,2,0,200"),
            [
                "cross_impacts.csv: column 'source': no row for 'b.u' (every variant needs a row)",
                "cross_impacts.csv:2: column 'b.w': '200' is outside -99..99 "
                "(judgements are usually -3 to +3)",
                "cross_impacts.csv:4: column 'source': 'b' is not descriptor.variant (expected e.g. 'a.x') "
                "('b' is a descriptor: name one of its variants)",
            ],
        ),
    ],
)
def test_bad_matrix_one_located_line_each(model_dir, matrix, expected):
    (model_dir / "cross_impacts.csv").write_text(matrix, encoding="utf-8")
    assert problems_of(model_dir) == expected


def test_variant_or_descriptor_listed_twice(model_dir):
    twice = DESCRIPTORS.replace("{id: y, name: Y}", "{id: x, name: Y}") + (
        "  - id: a\n    name: Again\n    variants:\n      - {id: p, name: P}\n      - {id: q, name: Q}\n"
    )
    (model_dir / "descriptors.yaml").write_text(twice, encoding="utf-8")
    assert problems_of(model_dir) == [
        "descriptors.yaml:7: key 'descriptors.variants.id': variant 'x' of descriptor 'a' appears twice "
        "(first at line 6)",
        "descriptors.yaml:15: key 'descriptors.id': descriptor 'a' appears twice (first at line 2)",
    ]


def test_descriptor_fields_are_validated(model_dir):
    bad = DESCRIPTORS.replace("parameter: politik", "parameter: Politik").replace(
        "      - {id: y, name: Y}\n", ""
    )
    (model_dir / "descriptors.yaml").write_text(bad, encoding="utf-8")
    lines = problems_of(model_dir)
    assert lines[0].startswith("descriptors.yaml:5: key 'descriptors.variants': ")
    assert "at least 2" in lines[0]
    assert lines[1] == (
        "descriptors.yaml:9: key 'descriptors.parameter': 'Politik' is not allowed "
        "(expected 'gesellschaft', 'technologie', 'wirtschaft', 'klima_umwelt' or 'politik')"
    )


@pytest.mark.parametrize(
    ("notes", "expected"),
    [
        (
            "source,target,note\na.q,b.u,n\n",
            [
                "cross_impacts_notes.csv:2: column 'source': unknown variant 'q' "
                "of descriptor 'a' (expected one of: x, y)"
            ],
        ),
        (
            "source,target,note\na,b.u,n\n",
            [
                "cross_impacts_notes.csv:2: column 'target': names a descriptor and "
                "a variant (expected two variants or two descriptors)"
            ],
        ),
        (
            "source,target,note\nb.u,b.v,n\n",
            ["cross_impacts_notes.csv:2: column 'target': b.u -> b.v lies inside one descriptor's own block"],
        ),
        (
            "source,target,note\na,b,n\na,b,m\n",
            [
                "cross_impacts_notes.csv:3: column 'source': the note for a -> b "
                "appears twice (first at line 2)"
            ],
        ),
        (
            "source,target,note\na,b,\n",
            ["cross_impacts_notes.csv:2: column 'note': is empty (expected the rationale of the judgement)"],
        ),
        (
            "source,target,note,why\na,b,n,x\n",
            ["cross_impacts_notes.csv:1: column 'why': unknown column (expected source, target, note)"],
        ),
    ],
)
def test_bad_notes(model_dir, notes, expected):
    (model_dir / "cross_impacts_notes.csv").write_text(notes, encoding="utf-8")
    assert problems_of(model_dir) == expected


def test_missing_files_and_sources(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "only").mkdir()
    (tmp_path / "only" / "descriptors.yaml").write_text(DESCRIPTORS, encoding="utf-8")
    assert problems_of("only") == ["only/cross_impacts.csv: file not found"]
    assert problems_of("nowhere") == [
        "nowhere: not found (expected a case folder, a folder with descriptors.yaml and cross_impacts.csv, "
        "or a ScenarioWizard .scw file)"
    ]


def test_effects_are_checked_against_the_case(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    effects = DESCRIPTORS.replace(
        "{id: y, name: Y}",
        "{id: y, name: Y, effects: {limits: {budget: 0.5}, "
        "adjust: [{criterion: co2, measures: [zz], add: 1}]}}",
    )
    write_model(tmp_path / "m", effects)
    tiny = load_case(CASES / "tiny")
    lines = problems_of("m", case=tiny)
    assert len(lines) == 2
    assert (
        lines[0] == "m/descriptors.yaml:7: key 'effects.adjust.measures': variant a.y: unknown measure 'zz'"
    )
    assert lines[1].startswith(
        "m/descriptors.yaml:7: key 'effects.limits.budget': variant a.y: unknown resource 'budget'"
    )
    assert load_cib("m").descriptors[0].variants[1].effects["limits"] == {
        "budget": 0.5
    }  # without a case: read


# -- the Leverkusen model -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def leverkusen():
    case = load_case(LEVERKUSEN)
    return case, load_cib(LEVERKUSEN, case=case)


def test_leverkusen_model_shape(leverkusen):
    case, model = leverkusen
    assert 8 <= len(model.descriptors) <= 12
    assert all(2 <= n <= 4 for n in model.sizes)
    assert {d.parameter for d in model.descriptors} == set(STEEP)
    assert check_cib(model, case) == []
    m = model.matrix
    assert m.min() >= -3 and m.max() <= 3
    ids = [d.id for d in model.descriptors]
    offsets, sizes = model.offsets, model.sizes
    for i, j in itertools.permutations(range(len(ids)), 2):  # every judgement section has a rationale
        block = m[offsets[i] : offsets[i] + sizes[i], offsets[j] : offsets[j] + sizes[j]]
        assert block.any() == ((ids[i], ids[j]) in model.notes), (ids[i], ids[j])


def test_leverkusen_has_a_handful_of_consistent_scenarios(leverkusen):
    _, model = leverkusen
    found = consistent(model)
    assert 3 <= len(found) <= 15
    by_id = {d.id: k for k, d in enumerate(model.descriptors)}
    chosen = [{d.id: d.variants[s[k]].id for k, d in enumerate(model.descriptors)} for s, _, _ in found]
    assert {c["haushalt"] for c in chosen} >= {"handlungsfaehig", "notlage"}  # boom and crisis both appear
    assert all(c["gewerbesteuer"] != "hoch" or c["haushalt"] == "handlungsfaehig" for c in chosen)
    assert by_id  # (ids resolve)


def test_leverkusen_scenarios_stay_within_the_criteria_bounds(leverkusen):
    """Each consistent scenario's combined effects (limits multiplied, adjustments in descriptor
    order) form a valid scenario of the case and keep every value within its criterion's min/max."""
    case, model = leverkusen
    for s, _, _ in consistent(model):
        limits: dict[str, float] = {}
        adjust: list = []
        for k, d in enumerate(model.descriptors):
            effects = d.variants[s[k]].effects
            for rid, factor in effects.get("limits", {}).items():
                limits[rid] = limits.get(rid, 1.0) * factor
            adjust += effects.get("adjust", [])
        scenario = Scenario(id="cib", title="CIB", effects={"limits": limits, "adjust": adjust})
        applied = apply_scenario(case.model_copy(update={"scenarios": (scenario,)}), "cib")
        for c in case.criteria:
            values = [m.performance[c.id] for m in applied.measures if c.id in m.performance]
            assert c.min is None or min(values) >= c.min - 1e-9, (s, c.id)
            assert c.max is None or max(values) <= c.max + 1e-9, (s, c.id)
