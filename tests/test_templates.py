"""The submission schema and the fill-in templates: what stakeholders are given must round-trip."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import jsonschema
import openpyxl
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from lev2040_mcda.case import load_case
from lev2040_mcda.errors import InputError
from lev2040_mcda.weights import render_template, submission_schema, weights_summary
from lev2040_mcda.weights.template_texts import LANGUAGES, TEXTS
from lev2040_mcda.weights.template_xlsx import example_values, rounded

from .conftest import CASES

LEVERKUSEN = CASES / "leverkusen-2040"


def _documents():
    for path in sorted((LEVERKUSEN / "weights").iterdir()):
        if path.suffix in (".yaml", ".json"):
            text = path.read_text(encoding="utf-8")
            yield path.name, json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)


@pytest.mark.parametrize("name, data", list(_documents()))
def test_every_leverkusen_document_submission_meets_the_schema(name, data):
    case = load_case(LEVERKUSEN)
    jsonschema.validate(data, submission_schema(case))
    jsonschema.validate(data, submission_schema())


@pytest.mark.parametrize(
    "bad",
    [
        {"group": "politik", "method": "magic", "weights": {"wohnen": 1}},
        {"group": "politik", "method": "direct"},  # no weights
        {"group": "politik", "method": "direct", "weights": {"wohnen": -1}},
        {"group": "politik", "method": "swing", "weights": {"wohnen": 101}},
        {"group": "politik", "method": "pairwise", "judgements": [["wohnen", "finanzen", 12]]},
        {"group": "nobody", "method": "direct", "weights": {"wohnen": 1}},
        {"group": "politik", "method": "direct", "weights": {"wohnne": 1}},
        {"group": "politik", "method": "direct", "weights": {"wohnen": 1}, "colour": "red"},
    ],
)
def test_the_case_schema_refuses_what_the_engine_rejects(bad):
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, submission_schema(load_case(LEVERKUSEN)))


TABLE_METHODS = ("direct", "points", "ranking", "swing")
SHEETS = {lang: (TEXTS[lang]["sheet.data"], TEXTS[lang]["sheet.guide"]) for lang in LANGUAGES}


def _tiny(tmp_path: Path, extra: str = "") -> Path:
    """A copy of cases/tiny without its submissions; ``extra`` is appended to its case.yaml."""
    case_dir = tmp_path / "tiny"
    shutil.copytree(CASES / "tiny", case_dir)
    for old in (case_dir / "weights").iterdir():
        old.unlink()
    if extra:
        with (case_dir / "case.yaml").open("a", encoding="utf-8") as fh:
            fh.write(extra)
    return case_dir


def _workbook(content: bytes, lang: str = "en"):
    wb = openpyxl.load_workbook(io.BytesIO(content))
    data, guide = SHEETS[lang]
    return wb, wb[data], wb[guide]


def _values(method: str, n: int) -> list[int]:
    """What the filled templates hold: the guide's example row (points add up to the budget)."""
    return example_values(method, n)


def _fill(method: str, fmt: str, content: bytes, ids: list[str], lang: str) -> bytes:
    """Fill a template as a stakeholder would: group buerger, the example values per item."""
    values = _values(method, len(ids))
    if fmt == "yaml":
        data = yaml.safe_load(content)
        data["group"], data["respondent"] = "buerger", "filled"
        if method in ("direct", "points", "swing"):
            data["weights"] = dict(zip(data["weights"], values))
        elif method == "ranking":
            data["ranking"] = [k for _, k in sorted(zip(values, data["ranking"]))]
        else:
            data["judgements"] = [[a, b, 2] for a, b, _ in data["judgements"]]
        return yaml.safe_dump(data, allow_unicode=True).encode()
    if fmt == "csv":
        text = content.decode()
        delimiter = ";" if lang == "de" else ","
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
        at = next(k for k, r in enumerate(rows) if not r[0].startswith("#"))
        header = rows[at]
        row = dict(zip(header, rows[at + 1]))
        row.update(group="buerger", respondent="filled", **{k: str(v) for k, v in zip(ids, values)})
        out = io.StringIO()
        writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
        writer.writerows([*rows[:at], header, [row[h] for h in header]])  # comments kept, as Excel does
        return out.getvalue().encode()
    wb, ws, _ = _workbook(content, lang)
    header = [c.value for c in ws[1]]
    for k, name in enumerate(header, start=1):
        if name in ids:
            ws.cell(row=2, column=k, value=values[ids.index(name)])
    ws.cell(row=2, column=header.index("group") + 1, value="buerger")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _intended(case_dir: Path, method: str, ids: list[str]) -> dict[str, float]:
    """The weights the filled template is meant to give: the same answers as a plain submission."""
    values = _values(method, len(ids))
    doc: dict = {"group": "buerger", "method": method}
    if method == "ranking":
        doc["ranking"] = [k for _, k in sorted(zip(values, ids))]
    elif method == "pairwise":
        doc["judgements"] = [[a, b, 2] for k, a in enumerate(ids) for b in ids[k + 1 :]]
    else:
        doc["weights"] = dict(zip(ids, values))
    (case_dir / "weights" / "plain.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")
    weights = weights_summary(load_case(case_dir))["weights"]
    (case_dir / "weights" / "plain.yaml").unlink()
    return weights


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(
    "method, fmt",
    [(m, f) for m in TABLE_METHODS for f in ("yaml", "csv", "xlsx")] + [("pairwise", "yaml")],
)
def test_a_filled_template_in_either_language_gives_the_intended_weights(tmp_path, lang, method, fmt):
    case_dir = _tiny(tmp_path)
    case = load_case(case_dir)
    ids = list(case.goal_ids)
    content = render_template(case, method, fmt, lang=lang)
    for name in ids:
        assert name.encode() in content or fmt == "xlsx"
    intended = _intended(case_dir, method, ids)
    (case_dir / "weights" / f"filled.{fmt}").write_bytes(_fill(method, fmt, content, ids, lang))
    result = weights_summary(load_case(case_dir))
    assert result["submissions"] == {"read": 1, "used": 1, "rejected": 0}, result["rejections"]
    assert result["weights"] == pytest.approx(intended)
    assert len(set(intended.values())) > 1  # the values told the items apart


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_criteria_template_of_a_case_titled_with_separators_reads_back(tmp_path, lang, fmt):
    """A title with commas and semicolons on the CSV's first line must not mislead the reader
    about the separator; criteria ids read back as criteria."""
    case_dir = _tiny(tmp_path)
    text = (case_dir / "case.yaml").read_text(encoding="utf-8")
    (case_dir / "case.yaml").write_text(
        text.replace("title: Tiny reference case", 'title: "Stadt, Land; Fluss \\"2040\\""'), encoding="utf-8"
    )
    case = load_case(case_dir)
    ids = list(case.criterion_ids)
    content = render_template(case, "swing", fmt, level="criteria", lang=lang)
    intended = _intended(case_dir, "swing", ids)
    (case_dir / "weights" / f"filled.{fmt}").write_bytes(_fill("swing", fmt, content, ids, lang))
    result = weights_summary(load_case(case_dir))
    assert result["submissions"]["used"] == 1, result["rejections"]
    assert result["weights"] == pytest.approx(intended)


def test_an_unfilled_template_is_rejected_not_used(tmp_path):
    case_dir = _tiny(tmp_path)
    for lang in LANGUAGES:
        (case_dir / "weights" / f"blank_{lang}.yaml").write_bytes(
            render_template(load_case(case_dir), "direct", "yaml", lang=lang)
        )
    for fmt in ("csv", "xlsx"):
        (case_dir / "weights" / f"blank.{fmt}").write_bytes(
            render_template(load_case(case_dir), "points", fmt)
        )
    result = weights_summary(load_case(case_dir))
    assert result["submissions"]["used"] == 0
    assert result["submissions"]["rejected"] == 4
    assert any("blank_de.yaml" in line for line in result["rejections"])


@pytest.mark.parametrize("fmt", ["yaml", "csv", "xlsx"])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_instructions_and_labels_are_in_the_chosen_language(lang, fmt):
    case = load_case(CASES / "tiny")
    content = render_template(case, "points", fmt, lang=lang)
    other = next(x for x in LANGUAGES if x != lang)
    if fmt == "xlsx":
        wb, ws, guide = _workbook(content, lang)
        assert wb.sheetnames == list(SHEETS[lang])
        text = "\n".join(str(v) for row in guide.iter_rows(values_only=True) for v in row if v is not None)
        text += "\n".join(c.comment.text for c in ws[1] if c.comment)
        assert [c.value for c in ws[1]][:3] == ["respondent", "group", "method"]  # what the engine reads
    else:
        text = content.decode()
    mine, theirs = TEXTS[lang], TEXTS[other]
    for t, present in ((mine, True), (theirs, False)):
        title = t["title"].format(case=case.config.title, method=t["method.points"], level=t["level.goals"])
        assert (t["help.points"].format(budget=100) in text) is present
        assert (title in text) is present
    if fmt == "xlsx":
        for key in ("col.title", "col.example", "check.required", "head.group", "groups.heading"):
            assert mine[key] in text
    if fmt == "yaml":
        assert mine["respondent.comment"] in text and mine["budget.comment"] in text
        assert yaml.safe_load(content)["method"] == "points"  # keys stay what the engine reads
    if fmt == "csv":  # German Excel writes and opens semicolons
        header = next(ln for ln in text.splitlines() if not ln.startswith(("#", '"#')))
        assert header.split(";" if lang == "de" else ",")[:3] == ["respondent", "group", "method"]


def test_the_language_defaults_to_the_cases(tmp_path, invoke):
    english = render_template(load_case(CASES / "tiny"), "points", "yaml")  # no language: English
    assert TEXTS["en"]["help.points"].format(budget=100).encode() in english
    german_case = _tiny(tmp_path, "language: de\n")
    german = render_template(load_case(german_case), "points", "yaml")
    assert german == render_template(load_case(german_case), "points", "yaml", lang="de")
    assert TEXTS["de"]["help.points"].format(budget=100).encode() in german
    assert render_template(load_case(german_case), "points", "yaml", lang="en") == english
    leverkusen = render_template(load_case(LEVERKUSEN), "points", "csv")
    assert TEXTS["de"]["method.points"] in leverkusen.decode()
    # the command: --lang wins over the case, the case's language is the default
    default = invoke("template", german_case, "--method", "points")
    assert default.exit_code == 0 and default.stdout.encode() == german
    chosen = invoke("template", german_case, "--method", "points", "--lang", "en")
    assert chosen.exit_code == 0 and chosen.stdout.encode() == english
    out = tmp_path / "umfrage.xlsx"
    written = invoke("template", german_case, "--format", "xlsx", "-o", out)
    assert written.exit_code == 0
    assert openpyxl.load_workbook(out).sheetnames == list(SHEETS["de"])
    bad = invoke("template", german_case, "--lang", "fr")
    assert bad.exit_code == 2 and "fr" in bad.stderr


def test_an_unknown_language_is_an_input_error():
    with pytest.raises(InputError, match="unknown language 'fr' \\(expected one of de, en\\)"):
        render_template(load_case(CASES / "tiny"), "points", "yaml", lang="fr")


def test_every_language_has_the_same_texts_and_fields():
    keys = {lang: set(TEXTS[lang]) for lang in LANGUAGES}
    assert all(k == keys["en"] for k in keys.values())
    for key in keys["en"]:
        fields = {lang: set(re.findall(r"{(\w+)}", TEXTS[lang][key])) for lang in LANGUAGES}
        assert fields["de"] == fields["en"], key


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_group_cell_has_a_drop_down_of_the_case_groups(lang):
    case = load_case(CASES / "tiny")
    _, ws, _ = _workbook(render_template(case, "points", "xlsx", lang=lang), lang)
    by_cells = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    group = by_cells["B2:B1001"]
    assert group.type == "list" and group.showErrorMessage
    assert group.formula1.strip('"').split(",") == [g.id for g in case.groups]
    assert group.error == TEXTS[lang]["valid.group"]
    assert ws["B1"].value == "group"
    method = by_cells["C2:C1001"]
    assert method.formula1.strip('"').split(",") == list(TABLE_METHODS)
    numbers = by_cells["D2:F1001"]
    assert (numbers.type, numbers.operator, numbers.formula1) == ("decimal", "greaterThanOrEqual", "0")


def test_a_long_group_list_is_a_drop_down_from_the_guide_sheet(tmp_path):
    """Excel refuses a list written into the rule beyond 255 characters: the list is then a range
    of the guide sheet, which holds exactly the group ids."""
    ids = [f"stakeholder_group_number_{k:02d}" for k in range(12)]
    case_dir = _tiny(tmp_path)
    text = (case_dir / "case.yaml").read_text(encoding="utf-8")
    groups = "groups:\n" + "".join(f"  - {{id: {g}, name: Gruppe {k}}}\n" for k, g in enumerate(ids))
    text = re.sub(r"groups:\n(  - .*\n)+", groups, text)
    (case_dir / "case.yaml").write_text(text, encoding="utf-8")
    wb, ws, _ = _workbook(render_template(load_case(case_dir), "points", "xlsx"))
    group = next(dv for dv in ws.data_validations.dataValidation if str(dv.sqref) == "B2:B1001")
    sheet, cells = group.formula1.split("!")
    listed = [c.value for row in wb[sheet.strip("'")][cells.replace("$", "")] for c in row]
    assert listed == ids


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_points_workbook_checks_the_sum_of_the_row(lang):
    t = TEXTS[lang]
    case = load_case(CASES / "tiny")
    _, ws, guide = _workbook(render_template(case, "points", "xlsx", lang=lang), lang)
    rows = {row[0].value: row[1] for row in guide.iter_rows(max_col=2) if row[0].value}
    total = rows[t["check.total"].format(sheet=ws.title)]
    required = rows[t["check.required"]]
    verdict = rows[t["check.result"]]
    items = f"'{ws.title}'!$D$2:$F$2"
    assert [c.value for c in ws["D1:F1"][0]] == list(case.goal_ids)  # the range is the items
    assert total.value == f"=SUM({items})"
    assert required.value == 100 and required.data_type == "n"
    assert verdict.value == (
        f'=IF(COUNT({items})=0,"{t["check.empty"]}",IF(ROUND({total.coordinate},6)={required.coordinate},'
        f'"{t["check.ok"]}","{t["check.off"].format(budget=100)}"))'
    )
    rules = [r for cf in ws.conditional_formatting for r in cf.rules]
    assert [r.formula for r in rules] == [["AND(COUNT($D2:$F2)>0,ROUND(SUM($D2:$F2),6)<>100)"]]


@pytest.mark.parametrize("method", ["direct", "ranking", "swing"])
def test_only_points_workbooks_have_a_sum_check(method):
    _, ws, guide = _workbook(render_template(load_case(CASES / "tiny"), method, "xlsx"))
    formulas = [v for row in guide.iter_rows(values_only=True) for v in row if str(v).startswith("=")]
    assert formulas == [] and not list(ws.conditional_formatting)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("method", TABLE_METHODS)
@pytest.mark.parametrize("level", ["goals", "criteria"])
def test_numbers_in_the_workbook_are_numeric_cells_rounded(lang, method, level):
    case = load_case(LEVERKUSEN)
    wb, _, guide = _workbook(render_template(case, method, "xlsx", level, lang), lang)
    numbers = []
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                v = cell.value
                if isinstance(v, str) and not v.startswith("="):
                    with pytest.raises(ValueError):  # no number stored as text
                        float(v.replace(",", "."))
                elif isinstance(v, (int, float)):
                    assert cell.data_type == "n" and rounded(v) == v
                    numbers.append(v)
    example = [
        r[-1]
        for r in guide.iter_rows(values_only=True)
        if r[0] in set(case.goal_ids) | set(case.criterion_ids)
    ]
    assert example == example_values(method, len(example))
    if method == "points":
        assert sum(example) == 100
    if level == "criteria":  # worst and best of every criterion are numbers
        head = next(r for r in guide.iter_rows(values_only=True) if r[0] == TEXTS[lang]["col.id"])
        worst = head.index(TEXTS[lang]["col.worst"])
        scale = [
            r[worst : worst + 2] for r in guide.iter_rows(values_only=True) if r[0] in case.criterion_ids
        ]
        assert all(isinstance(v, (int, float)) for pair in scale for v in pair)


def test_the_scale_is_worst_to_best_and_rounded():
    case = load_case(CASES / "tiny")
    _, _, guide = _workbook(render_template(case, "swing", "xlsx", "criteria"))
    rows = {r[0]: r for r in guide.iter_rows(values_only=True) if r[0] in case.criterion_ids}
    assert rows["cost"][1:6] == ("Investitionen", "EUR m", "lower", 100, 0)  # a cost: worst is high
    assert rows["acceptance"][3:6] == ("higher", 1, 5)
    assert rounded(0.1 + 0.2) == 0.3 and rounded(0.054999999999999986) == 0.055
    assert rounded(100.0) == 100 and isinstance(rounded(100.0), int)


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e14, max_value=1e14))
def test_rounded_numbers_are_close_short_and_stable(x):
    r = rounded(x)
    assert r == rounded(r)  # what is written reads back as itself
    assert abs(r - x) <= 5e-6 * abs(x)
    mantissa = repr(float(r)).split("e")[0].replace("-", "").replace(".", "")
    assert len(mantissa.strip("0")) <= 6  # six significant digits at most, no 0.054999999999999986


@given(st.integers(min_value=1, max_value=300))
def test_example_points_add_up_to_the_budget_and_fall(n):
    values = example_values("points", n)
    assert sum(values) == 100 and values == sorted(values, reverse=True)
    assert example_values("ranking", n) == list(range(1, n + 1))
    assert max(example_values("swing", n)) == 100


def test_xlsx_template_lists_titles_and_pairwise_tables_are_refused():
    case = load_case(CASES / "tiny")
    _, ws, guide = _workbook(render_template(case, "points", "xlsx"))
    items = {row[0]: row[1] for row in guide.iter_rows(values_only=True) if row and row[0]}
    assert items["klima"] == "Klimaneutrale Stadt"
    assert ws["D1"].comment.text == "Klimaneutrale Stadt"
    with pytest.raises(InputError, match="pairwise judgements need a YAML template"):
        render_template(case, "pairwise", "csv")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_xlsx_template_is_the_same_bytes_whenever_it_is_made(monkeypatch, lang):
    from .test_hostile_outputs import shift_clock

    case = load_case(CASES / "tiny")
    first = render_template(case, "points", "xlsx", lang=lang)
    shift_clock(monkeypatch, days=400)
    assert render_template(case, "points", "xlsx", lang=lang) == first
    assert render_template(load_case(CASES / "tiny"), "points", "xlsx", lang=lang) == first
    other = next(x for x in LANGUAGES if x != lang)
    assert render_template(case, "points", "xlsx", lang=other) != first


def test_a_german_csv_template_filled_with_decimal_commas_reads_them(tmp_path):
    """What a German Excel saves from the semicolon template: decimal commas, padded comments."""
    case_dir = _tiny(tmp_path)
    content = render_template(load_case(case_dir), "points", "csv", lang="de").decode()
    header, row = content.splitlines()[-2:]
    assert (header, row) == ("respondent;group;method;klima;wohnen;finanzen", ";;points;;;")
    filled = content.replace(row, "R017;buerger;points;62,5;25;12,5")
    (case_dir / "weights" / "r017.csv").write_text(filled, encoding="utf-8")
    result = weights_summary(load_case(case_dir))
    assert result["submissions"]["used"] == 1, result["rejections"]
    doc = {"group": "buerger", "method": "points", "weights": {"klima": 62.5, "wohnen": 25, "finanzen": 12.5}}
    (case_dir / "weights" / "r017.csv").unlink()
    (case_dir / "weights" / "plain.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")
    assert result["weights"] == pytest.approx(weights_summary(load_case(case_dir))["weights"])
