"""The layout of the package (docs/architecture.md): what each stage offers resolves, modules stay
small, the page escapes by default, and the data files the report reads are shipped.

The import layers themselves are checked by import-linter (``make lint``), not here.
"""

from __future__ import annotations

import fnmatch
import importlib
import re
import tomllib
from pathlib import Path

import pytest

import lev2040_mcda

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "lev2040_mcda"
STAGES = (
    "case",
    "weights",
    "stadtcheck",
    "ranking",
    "conflicts",
    "portfolio",
    "robust",
    "runs",
    "report",
    "form",
    "cli",
)
MAX_LINES = 450  # "no module over about 400 lines"; the margin is for a docstring, not a new part


@pytest.mark.parametrize("name", lev2040_mcda.__all__)
def test_every_name_of_the_python_api_resolves(name):
    value = getattr(lev2040_mcda, name)
    assert value is not None
    if name != "__version__":
        stage = lev2040_mcda._API[name]
        assert getattr(importlib.import_module(stage), name) is value


@pytest.mark.parametrize("stage", STAGES)
def test_every_stage_names_what_it_offers_and_each_name_resolves(stage):
    module = importlib.import_module(f"lev2040_mcda.{stage}")
    assert module.__doc__ and module.__all__, f"{stage}/__init__.py needs a docstring and __all__"
    missing = [name for name in module.__all__ if not hasattr(module, name)]
    assert not missing, f"lev2040_mcda.{stage} lists names it does not have: {missing}"


def test_each_stage_is_a_folder_and_no_module_is_long():
    assert all((PACKAGE / stage / "__init__.py").is_file() for stage in STAGES)
    long = {
        str(path.relative_to(ROOT)): n
        for path in PACKAGE.rglob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, f"split these by what their parts do: {long}"


def test_the_page_templates_escape_by_default():
    templates = sorted((PACKAGE / "report" / "templates").glob("*.html"))
    assert len(templates) >= 5
    marked_safe = [t.name for t in templates if re.search(r"\|\s*safe\b", t.read_text(encoding="utf-8"))]
    assert not marked_safe, f"values in templates are escaped; build safe markup in Python: {marked_safe}"
    page = (PACKAGE / "report" / "templating.py").read_text(encoding="utf-8")  # every page's environment
    assert "autoescape=True" in page


def test_the_data_files_of_the_report_are_shipped_with_the_package():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["lev2040_mcda.report"]
    folder = PACKAGE / "report"
    data = [
        str(p.relative_to(folder))
        for p in folder.rglob("*")
        if p.is_file() and p.suffix != ".py" and "__pycache__" not in p.parts
    ]
    assert any(d.startswith("locales/") for d in data) and any(d.startswith("templates/") for d in data)
    unshipped = [d for d in data if not any(fnmatch.fnmatch(d, pat) for pat in patterns)]
    assert not unshipped, f"add these to [tool.setuptools.package-data] in pyproject.toml: {unshipped}"
