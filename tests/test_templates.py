"""The submission schema and the fill-in templates: what stakeholders are given must round-trip."""

from __future__ import annotations

import csv
import io
import json
import shutil

import jsonschema
import openpyxl
import pytest
import yaml

from lev2040_mcda.case import load_case
from lev2040_mcda.weights import render_template, submission_schema, weights_summary

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


def _fill(method: str, fmt: str, content: bytes, ids: list[str]) -> bytes:
    """Fill a template as a stakeholder would: group buerger, distinct values per item."""
    if fmt == "yaml":
        data = yaml.safe_load(content)
        data["group"], data["respondent"] = "buerger", "filled"
        if method in ("direct", "points", "swing"):
            data["weights"] = {k: 10 * (i + 1) for i, k in enumerate(data["weights"])}
            if method == "points":
                data["budget"] = sum(data["weights"].values())
        elif method == "pairwise":
            data["judgements"] = [[a, b, 2] for a, b, _ in data["judgements"]]
        return yaml.safe_dump(data).encode()
    values = list(range(1, len(ids) + 1))
    if fmt == "csv":
        lines = [ln for ln in content.decode().splitlines() if not ln.startswith("#")]
        header = next(csv.reader([lines[0]]))
        row = {
            **dict(zip(header, next(csv.reader([lines[1]])))),
            "group": "buerger",
            "respondent": "filled",
            **{k: str(v) for k, v in zip(ids, values)},
        }
        out = io.StringIO()
        csv.writer(out).writerows([header, [row[h] for h in header]])
        return out.getvalue().encode()
    wb = openpyxl.load_workbook(io.BytesIO(content))
    ws = wb["submission"]
    header = [c.value for c in ws[1]]
    for k, name in enumerate(header, start=1):
        if name in ids:
            ws.cell(row=2, column=k, value=values[ids.index(name)])
    ws.cell(row=2, column=header.index("group") + 1, value="buerger")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize(
    "method, fmt",
    [(m, f) for m in ("direct", "points", "ranking", "swing") for f in ("yaml", "csv", "xlsx")]
    + [("pairwise", "yaml")],
)
def test_a_filled_template_is_accepted_as_a_submission(tmp_path, method, fmt):
    case_dir = tmp_path / "tiny"
    shutil.copytree(CASES / "tiny", case_dir)
    case = load_case(case_dir)
    content = render_template(case, method, fmt)
    ids = list(case.goal_ids)
    for name in ids:
        assert name.encode() in content or fmt == "xlsx"
    for old in (case_dir / "weights").iterdir():
        old.unlink()
    (case_dir / "weights" / f"filled.{fmt}").write_bytes(_fill(method, fmt, content, ids))
    result = weights_summary(load_case(case_dir))
    assert result["submissions"] == {"read": 1, "used": 1, "rejected": 0}
    assert sum(result["weights"].values()) == pytest.approx(1.0)


def test_an_unfilled_template_is_rejected_not_used(tmp_path):
    case_dir = tmp_path / "tiny"
    shutil.copytree(CASES / "tiny", case_dir)
    (case_dir / "weights" / "blank.yaml").write_bytes(render_template(load_case(case_dir), "direct", "yaml"))
    result = weights_summary(load_case(case_dir))
    assert result["submissions"]["rejected"] == 1
    assert any("blank.yaml" in line for line in result["rejections"])


def test_xlsx_template_lists_titles_and_pairwise_tables_are_refused():
    case = load_case(CASES / "tiny")
    wb = openpyxl.load_workbook(io.BytesIO(render_template(case, "points", "xlsx")))
    items = {row[0]: row[1] for row in wb["items"].iter_rows(values_only=True) if row and row[0]}
    assert items["klima"] == "Klimaneutrale Stadt"
    from lev2040_mcda.errors import InputError

    with pytest.raises(InputError, match="pairwise judgements need a YAML template"):
        render_template(case, "pairwise", "csv")


def test_the_xlsx_template_is_the_same_bytes_whenever_it_is_made(monkeypatch):
    from .test_hostile_outputs import shift_clock

    case = load_case(CASES / "tiny")
    first = render_template(case, "points", "xlsx")
    shift_clock(monkeypatch, days=400)
    assert render_template(case, "points", "xlsx") == first
