"""The stakeholder form (``lev2040 form``), on the Python side: the page is self-contained and
loads nothing, the case's texts are escaped, ``--group`` fixes the group, both languages.
The page in a real browser is tested in ``test_form_browser.py``."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from lev2040_mcda.case import load_case
from lev2040_mcda.cli.form import form as form_command
from lev2040_mcda.errors import InputError
from lev2040_mcda.form import FORM_SCRIPTS, FORM_TEXTS, build_form, form_data, script_json
from lev2040_mcda.weights import random_index
from lev2040_mcda.weights.templates import BUDGET

from .conftest import CASES

HOSTILE = '</script><img src=x onerror="window.__pwned=1">&amp;<!--'
FORM = Path(__file__).resolve().parent.parent / "lev2040_mcda" / "form"


def _data(page: str) -> dict:
    block = re.search(r'<script type="application/json" id="form-data">(.*?)</script>', page, re.S)
    assert block, "the data block is missing"
    return json.loads(block.group(1))


def hostile_case(root: Path) -> Path:
    """cases/tiny with a hostile title, group name, goal title and criterion name and unit."""
    case = yaml.safe_load((root / "case.yaml").read_text(encoding="utf-8"))
    case["title"] = HOSTILE
    case["groups"][0]["name"] = HOSTILE
    (root / "case.yaml").write_text(yaml.safe_dump(case, allow_unicode=True), encoding="utf-8")
    crit = yaml.safe_load((root / "criteria.yaml").read_text(encoding="utf-8"))
    crit["criteria"][0]["name"] = HOSTILE
    crit["criteria"][0]["unit"] = "<b>u</b>"
    crit["criteria"][1]["description"] = "line\u2028break </SCRIPT > <svg onload=x>"
    (root / "criteria.yaml").write_text(yaml.safe_dump(crit, allow_unicode=True), encoding="utf-8")
    goals = yaml.safe_load((root / "goals.yaml").read_text(encoding="utf-8"))
    goals["goals"][0]["title"] = HOSTILE
    (root / "goals.yaml").write_text(yaml.safe_dump(goals, allow_unicode=True), encoding="utf-8")
    return root


def test_hostile_names_are_escaped(tiny):
    page = build_form(load_case(hostile_case(tiny)))
    assert "<img" not in page and "<svg" not in page and "<b>" not in page and "<!--" not in page
    assert page.count("</script>") == 1 + len(FORM_SCRIPTS)  # only the page's own elements close
    assert "</SCRIPT" not in page.upper().replace("</SCRIPT>", "")
    assert "&lt;/script&gt;&lt;img" in page  # the title, escaped by the template
    data = _data(page)  # and the data block gives the names back as they are
    assert data["case"]["title"] == HOSTILE
    assert data["groups"][0]["name"] == HOSTILE
    assert data["levels"]["criteria"][0]["name"] == HOSTILE
    assert data["levels"]["criteria"][0]["unit"] == "<b>u</b>"
    assert data["levels"]["goals"][0]["name"] == HOSTILE
    assert "\u2028" not in page


@pytest.mark.parametrize(
    "value", [HOSTILE, "\u2028\u2029", "a & b < c > d", {"k": ["</script>", 1.5, None]}, "ü ✓ 😀"]
)
def test_script_json_round_trips_without_markup(value):
    text = script_json(value)
    assert not set(text) & {"<", ">", "&", "\u2028", "\u2029"}
    assert json.loads(text) == value


@pytest.mark.parametrize("case", ["tiny", "leverkusen-2040"])
def test_the_page_loads_and_sends_nothing(case):
    page = build_form(load_case(CASES / case))
    assert not re.search(r"""(src|href|action)\s*=\s*["']?\s*(https?:|//|ftp:)""", page, re.I)
    assert not re.search(r"<link\b|<iframe\b|<img\b|<object\b|<embed\b|@import", page, re.I)
    style = re.search(r"<style>(.*?)</style>", page, re.S).group(1)
    assert "url(" not in style.lower()
    scripts = "".join(re.findall(r"<script>(.*?)</script>", page, re.S))
    assert len(re.findall(r"<script>", page)) == len(FORM_SCRIPTS)
    for call in ("fetch(", "XMLHttpRequest", "sendBeacon", "WebSocket", "EventSource", "import(", ".submit("):
        assert call not in scripts, call
    assert "http://" not in scripts and "https://" not in scripts
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert "default-src 'none'" in csp and "connect-src 'none'" in csp and "form-action 'none'" in csp
    if case == "tiny":
        assert "http://" not in page and "https://" not in page


def test_the_data_is_the_engines():
    case = load_case(CASES / "leverkusen-2040")
    data = form_data(case, "de")
    assert [c["id"] for c in data["levels"]["criteria"]] == list(case.criterion_ids)
    assert [g["id"] for g in data["levels"]["goals"]] == list(case.goal_ids)
    assert data["budget"] == BUDGET
    n = len(case.criterion_ids)
    assert n > 15  # the random index beyond Saaty's table (Alonso & Lamata) is the engine's too
    assert data["ri"] == {str(k): random_index(k)[0] for k in range(1, n + 1)}
    cost = next(c for c in data["levels"]["criteria"] if c["direction"] == "cost")
    assert cost["worst"] is None or cost["best"] is None or cost["worst"] >= cost["best"]


def test_the_language_defaults_to_the_case_and_both_are_spoken(tmp_path):
    assert set(FORM_TEXTS["de"]) == set(FORM_TEXTS["en"])
    de = build_form(load_case(CASES / "leverkusen-2040"))
    en = build_form(load_case(CASES / "leverkusen-2040"), lang="en")
    assert '<html lang="de">' in de and "Gewichtungsformular" in de and "Nichts, was Sie eingeben" in de
    assert '<html lang="en">' in en and "weighting form" in en and "Nothing you enter leaves" in en
    assert _data(de)["t"]["method.points"] == "Punktevergabe"  # the templates' own texts
    assert '<html lang="en">' in build_form(load_case(CASES / "tiny"))
    with pytest.raises(InputError):
        build_form(load_case(CASES / "tiny"), lang="fr")


def test_group_fixes_the_group(tmp_path):
    out = tmp_path / "form.html"
    run = CliRunner().invoke(form_command, ["cases/leverkusen-2040", "-o", str(out), "--group", "politik"])
    assert run.exit_code == 0, run.output
    page = out.read_text(encoding="utf-8")
    assert '<input type="hidden" id="group" value="politik">' in page
    assert '<select id="group"' not in page
    assert _data(page)["group"] == "politik"
    free = build_form(load_case(CASES / "leverkusen-2040"))
    assert '<select id="group" required>' in free and '<option value="politik">' in free


def test_bad_group_is_a_usage_error(tmp_path):
    out = tmp_path / "form.html"
    run = CliRunner().invoke(form_command, ["cases/tiny", "-o", str(out), "--group", "verwaltnug"])
    assert run.exit_code == 2
    assert "unknown group 'verwaltnug'" in run.output and "verwaltung" in run.output
    assert not out.exists()
    with pytest.raises(InputError, match="unknown group"):
        build_form(load_case(CASES / "tiny"), group="nobody")


def test_output_is_required_and_written_whole(tmp_path):
    assert CliRunner().invoke(form_command, ["cases/tiny"]).exit_code == 2
    out = tmp_path / "f.html"
    run = CliRunner().invoke(form_command, ["cases/tiny", "-o", str(out), "--lang", "de"])
    assert run.exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert page == build_form(load_case(CASES / "tiny"), lang="de")  # the same bytes every time
    assert not list(tmp_path.glob("*.tmp"))


def test_modules_stay_small():
    for path in [*FORM.glob("*.py"), *FORM.glob("templates/*")]:
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 420, path.name
