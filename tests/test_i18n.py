"""The report's texts as data: every key the code looks up is in the catalogues, and a broken
catalogue is reported clearly.

That both languages have the same keys with the same ``{fields}`` is tested in test_report_html.py
(and checked again by the loader). Here the report's code and templates are scanned for the keys
they use: Python through its syntax tree (``t["key"]``, ``ctx.t["key"]``, ``t.get("key")``,
``texts(lang)["key"]``, with ternaries, simple local names and module-level tables resolved),
templates by pattern (``t["key"]``, ``t.get("key")``, ``t.key`` inside ``{{ }}`` and ``{% %}``).
A key built from a pattern (``t[f"why_{code}"]``) belongs to a family checked against the code's
own list of its members.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
from pathlib import Path
from typing import get_args

import pytest

from lev2040_mcda.case import CaseConfig, Criterion
from lev2040_mcda.errors import InputErrors
from lev2040_mcda.portfolio import REASONS
from lev2040_mcda.report import SECTIONS, SHEETS, i18n
from lev2040_mcda.report.i18n import LANGUAGES, TEXTS, texts

REPORT = Path(i18n.__file__).parent
LOCALES = REPORT / "locales"

FAMILIES: dict[str, tuple[str, ...]] = {
    "sheet_*": SHEETS,
    "why_*": tuple(REASONS),
    "*_what": SECTIONS,
    "dir_*": get_args(Criterion.model_fields["direction"].annotation),
    # where the Stadtcheck's overall need takes its goal weights from (stadtcheck/profiles.py)
    "stadtcheck_weights_*": ("given", "consensus", "equal"),
    # no list of its own in the code: the rows of the overview's counts table
    "count_*": (
        "goals",
        "criteria",
        "measures",
        "mandatory",
        "interactions",
        "scenarios",
        "groups",
        "submissions",
        "rejected",
    ),
    # the classes robust/core.py gives each measure by its core index
    "class_*": ("no-regret", "borderline", "exterior"),
    # Solution.status of portfolio/model.py, spaces as _
    "solver_*": ("optimal", "feasible", "infeasible", "not_solved"),
}
"""Each pattern of key the code builds (``*`` the variable part) -> every value the part takes."""


# -- scanning ------------------------------------------------------------------------------------


def _is_texts(node: ast.expr) -> bool:
    """``t``, ``ctx.t``, ``self.t`` or ``texts(...)``: the report's texts."""
    if isinstance(node, ast.Name):
        return node.id == "t"
    if isinstance(node, ast.Attribute):
        return node.attr == "t"
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "texts"


class _PythonKeys(ast.NodeVisitor):
    """The keys (and key patterns) one module looks up in the texts."""

    def __init__(self, tree: ast.Module):
        self.keys: set[str] = set()
        self.patterns: set[str] = set()
        self.tables = {  # module-level dicts of keys, like _PARAMETERS
            t.id: node.value
            for node in tree.body
            if isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(node.value, ast.Dict)
            for t in (node.targets if isinstance(node, ast.Assign) else [node.target])
            if isinstance(t, ast.Name)
        }
        self.scopes: list[ast.AST] = [tree]
        self.visit(tree)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self.scopes.append(node)
        self.generic_visit(node)
        self.scopes.pop()

    visit_AsyncFunctionDef = visit_FunctionDef  # type: ignore[assignment]

    def visit_Subscript(self, node: ast.Subscript) -> None:
        if _is_texts(node.value):
            self._add(node.slice)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        f = node.func
        if isinstance(f, ast.Attribute) and f.attr == "get" and _is_texts(f.value) and node.args:
            self._add(node.args[0])
        self.generic_visit(node)

    def _add(self, expr: ast.expr) -> None:
        for pattern in self._patterns(expr, depth=0):
            (self.patterns if "*" in pattern else self.keys).add(pattern)

    def _patterns(self, expr: ast.expr, depth: int) -> set[str]:
        """What ``expr`` can be, as keys and patterns; ``{"*"}`` when it cannot be told."""
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            return {expr.value}
        if isinstance(expr, ast.IfExp):
            return self._patterns(expr.body, depth) | self._patterns(expr.orelse, depth)
        if isinstance(expr, ast.JoinedStr):
            return {"".join(v.value if isinstance(v, ast.Constant) else "*" for v in expr.values)}
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
            return {
                a + b for a in self._patterns(expr.left, depth) for b in self._patterns(expr.right, depth)
            }
        if (
            isinstance(expr, ast.Subscript)
            and isinstance(expr.value, ast.Name)
            and expr.value.id in self.tables
        ):
            return set().union(*(self._patterns(v, depth) for v in self.tables[expr.value.id].values))
        if isinstance(expr, ast.Name) and depth < 3:
            bound = self._bound(expr.id)
            if bound:
                return set().union(*(self._patterns(v, depth + 1) for v in bound))
        return {"*"}

    def _bound(self, name: str) -> list[ast.expr]:
        """The values ``name`` is given in the enclosing function: by ``=``, or by a ``for`` (or a
        comprehension) over a literal tuple or list, also when unpacked (``for key, ids in (...)``)."""
        values: list[ast.expr] = []
        for node in ast.walk(self.scopes[-1]):
            if isinstance(node, ast.Assign):
                values += [node.value for t in node.targets if isinstance(t, ast.Name) and t.id == name]
            elif isinstance(node, ast.For | ast.comprehension) and isinstance(
                node.iter, ast.Tuple | ast.List
            ):
                target = node.target
                if isinstance(target, ast.Name) and target.id == name:
                    values += node.iter.elts
                elif isinstance(target, ast.Tuple):
                    for i, t in enumerate(target.elts):
                        if isinstance(t, ast.Name) and t.id == name:
                            values += [e.elts[i] for e in node.iter.elts if isinstance(e, ast.Tuple)]
        return values


_JINJA = re.compile(r"{{.*?}}|{%.*?%}", re.DOTALL)
_STRING = r"""(?:"[^"]*"|'[^']*')"""
_PART = rf"(?:{_STRING}|[\w.]+(?:\[[^\]]*\])*)"  # a string, or a variable (``r.code``, ``x["class"]``)
_KEY = rf"{_PART}(?:\s*[~+]\s*{_PART})*"
_LOOKUP = re.compile(
    rf"\bt\s*(?:\[\s*(?P<sub>{_KEY})\s*\]|\.get\(\s*(?P<get>{_KEY})|\.(?P<attr>[A-Za-z_]\w*))"
)
"""``t["key"]``, ``t["why_" ~ code]``, ``t[key]``, ``t.get("key")`` and ``t.key`` in a template."""
_MAPPING_METHODS = {"get", "items", "keys", "values"}


def _template_keys(text: str) -> tuple[set[str], set[str]]:
    """The keys and key patterns one template looks up."""
    keys, patterns = set(), set()
    for block in _JINJA.findall(text):
        for m in _LOOKUP.finditer(block):
            if m["attr"]:
                if m["attr"] not in _MAPPING_METHODS:
                    keys.add(m["attr"])
                continue
            parts = re.findall(_PART, m["sub"] or m["get"])
            key = "".join(p[1:-1] if p[0] in "'\"" else "*" for p in parts)
            (patterns if "*" in key else keys).add(key)
    return keys, patterns


def _scan() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Each key and each key pattern of the report's code and templates -> the files using it."""
    keys: dict[str, set[str]] = {}
    patterns: dict[str, set[str]] = {}

    def note(found: set[str], into: dict[str, set[str]], path: Path) -> None:
        for k in found:
            into.setdefault(k, set()).add(path.relative_to(REPORT).as_posix())

    for path in sorted(REPORT.rglob("*.py")):
        scan = _PythonKeys(ast.parse(path.read_text(encoding="utf-8"), str(path)))
        note(scan.keys, keys, path)
        note(scan.patterns, patterns, path)
    templates = REPORT / "templates"
    for path in sorted(templates.rglob("*")) if templates.is_dir() else []:
        if path.is_file():
            found_keys, found_patterns = _template_keys(path.read_text(encoding="utf-8"))
            note(found_keys, keys, path)
            note(found_patterns, patterns, path)
    return keys, patterns


def test_the_scan_reads_the_lookups_of_python_and_of_templates():
    python = _PythonKeys(
        ast.parse(
            "_LABELS = {'a': 'param_a'}\n"
            "def f(ctx, t, x, st):\n"
            "    key = 'k1' if x else 'k2'\n"
            "    y = t[key] + ctx.t['k3'] + t.get('k4', '') + texts('de')['k5'] + t[_LABELS[x]]\n"
            "    for k, ids in (('k6', 1), ('k7', 2)):\n"
            "        y += t[k] + t[f'fam_{x}'] + t['pre_' + x] + t[st.notes[x]]\n"
            "    return t['k8' if x else 'k9']\n"
        )
    )
    assert python.keys == {"param_a", *(f"k{i}" for i in range(1, 10))}
    assert python.patterns == {"fam_*", "pre_*", "*"}
    keys, patterns = _template_keys(
        '<h2>{{ t["contents"] }}</h2>{{ ctx.t[\'report\'] }} {{ t.get("opt") }} {{ t.intro }}'
        '{% for s in sections %}{{ t[s ~ "_what"] }} {{ t["why_" ~ r.code] }} {{ t[s] }}{% endfor %}'
        '{{ t.get("class_" ~ x["class"], x["class"]) }} {{ t["set_" ~ r["set"]] }}'
        '<p>t["not_in_jinja"]</p> {{ t.items() }}'
    )
    assert keys == {"contents", "report", "opt", "intro"}
    assert patterns == {"*_what", "why_*", "class_*", "set_*", "*"}


@pytest.fixture(scope="module")
def scanned():
    return _scan()


# -- the keys the code uses ----------------------------------------------------------------------


def test_the_scan_finds_the_keys_of_the_page_the_figures_and_the_workbook(scanned):
    keys, patterns = scanned
    assert len(keys) > 100, f"only {len(keys)} keys found: does the scan still match the code?"
    assert {"contents", "fig_weights_alt", "param_folder", "status_optimal", "core"} <= keys.keys()
    assert {"sheet_*", "why_*"} <= patterns.keys()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_key_the_code_uses_is_in_the_catalogue(scanned, lang):
    keys, _ = scanned
    missing = {k: sorted(files) for k, files in keys.items() if k not in TEXTS[lang]}
    assert not missing, f"keys used but not in locales/{lang}.yaml: {missing}"


def test_every_key_pattern_the_code_builds_is_a_known_family(scanned):
    _, patterns = scanned
    unknown = {p: sorted(files) for p, files in patterns.items() if p != "*" and p not in FAMILIES}
    assert not unknown, f"add these key patterns and their members to FAMILIES: {unknown}"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("pattern", FAMILIES)
def test_every_member_of_a_key_family_has_a_text(lang, pattern):
    members = FAMILIES[pattern]
    assert members
    missing = [m for m in members if pattern.replace("*", m) not in TEXTS[lang]]
    assert not missing, f"{pattern}: no text in locales/{lang}.yaml for {missing}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_section_has_a_heading_and_a_note_on_what_it_shows(lang):
    assert all(s in TEXTS[lang] and f"{s}_what" in TEXTS[lang] for s in SECTIONS)


def test_the_languages_of_the_catalogues_the_case_and_the_command_line_agree():
    from lev2040_mcda.cli.report import report

    (lang_option,) = [p for p in report.params if p.name == "lang"]
    assert sorted(p.stem for p in LOCALES.glob("*.yaml")) == list(LANGUAGES)
    assert get_args(CaseConfig.model_fields["language"].annotation) == LANGUAGES
    assert tuple(lang_option.type.choices) == LANGUAGES


def test_the_catalogues_are_read_once():
    assert texts("de") is texts("de") is TEXTS["de"]


# -- broken catalogues ---------------------------------------------------------------------------


@pytest.fixture
def catalogues(tmp_path) -> Path:
    """A writable copy of the package's catalogues."""
    for path in LOCALES.glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def _edit(folder: Path, lang: str, old: str, new: str) -> int:
    """Replace the line ``old`` of ``<lang>.yaml`` by ``new``; return its line number."""
    path = folder / f"{lang}.yaml"
    lines = path.read_text(encoding="utf-8").split("\n")
    at = lines.index(old)
    lines[at : at + 1] = [new] if new else []
    path.write_text("\n".join(lines), encoding="utf-8")
    return at + 1


def test_a_copy_of_the_catalogues_reads_as_the_package_does(catalogues):
    assert i18n._read_catalogues(catalogues) == {lang: TEXTS[lang] for lang in LANGUAGES}


BROKEN = [
    # file, a line as the package has it, the line broken; the message ({line}: its number)
    pytest.param(
        "de", 'contents: "Inhalt"', "", "de.yaml: key 'contents': is missing (it is in {en})", id="missing"
    ),
    pytest.param(
        "en",
        'rank: "Rank"',
        "rank: 1",
        "en.yaml:{line}: key 'rank': expected a text, got a number (1)",
        id="number",
    ),
    pytest.param(
        "de",
        'no_limit: "keine Obergrenze"',
        "no_limit: no",
        "de.yaml:{line}: key 'no_limit': expected a text, got a yes/no value (false)",
        id="yes-no value",
    ),
    pytest.param(
        "de",
        'note: "Anmerkung"',
        "note:",
        "de.yaml:{line}: key 'note': expected a text, got nothing",
        id="empty",
    ),
    pytest.param(
        "de",
        '"yes": "ja"',
        'yes: "ja"',
        "de.yaml:{line}: key 'yes': is read as a yes/no value (true), not as text (put the key in",
        id="yes-no key",
    ),
    pytest.param(
        "de",
        'more_items: "und {n} weitere"',
        'more_items: "und {count} weitere"',
        "de.yaml:{line}: key 'more_items': uses the fields {{count}}, but {{n}} in {en}",
        id="other field",
    ),
    pytest.param(
        "en",
        'more_items: "and {n} more"',
        'more_items: "and {n more"',
        "en.yaml:{line}: key 'more_items': has a lone {{ or }}",
        id="lone brace",
    ),
    pytest.param(
        "en",
        'unit: "Unit"',
        'unit: "Unit"\nunit: "Units"',
        "en.yaml:{next}: key 'unit': key appears twice in the same mapping",
        id="twice",
    ),
    pytest.param("de", 'unit: "Einheit"', 'unit: "Einheit', "de.yaml:{next}: YAML syntax error", id="syntax"),
]


@pytest.mark.parametrize("lang, old, new, message", BROKEN)
def test_a_broken_catalogue_names_the_file_the_line_and_the_key(catalogues, lang, old, new, message):
    line = _edit(catalogues, lang, old, new)
    paths = {other: str(catalogues / f"{other}.yaml") for other in LANGUAGES}
    expected = f"{catalogues}{os.sep}" + message.format(line=line, next=line + 1, **paths)
    with pytest.raises(InputErrors) as info:
        i18n._read_catalogues(catalogues)
    assert any(p.startswith(expected) for p in str(info.value).splitlines()), str(info.value)


def test_a_key_given_in_one_language_only_is_missing_in_the_other(catalogues):
    _edit(catalogues, "en", 'rank: "Rank"', 'rank: "Rank"\nrank_new: "New"')
    with pytest.raises(InputErrors, match=r"de\.yaml: key 'rank_new': is missing \(it is in .*en\.yaml\)"):
        i18n._read_catalogues(catalogues)


def test_a_missing_catalogue_is_named(catalogues):
    (catalogues / "en.yaml").unlink()
    with pytest.raises(InputErrors, match=r"en\.yaml: file not found"):
        i18n._read_catalogues(catalogues)


@pytest.fixture
def reread():
    """Let :func:`texts` read the catalogues again, and again after the test."""
    i18n._catalogues.cache_clear()
    yield
    i18n._catalogues.cache_clear()


def test_the_report_stops_on_a_broken_catalogue(catalogues, monkeypatch, reread):
    _edit(catalogues, "de", 'rank: "Rang"', "rank: 1")
    monkeypatch.setattr(i18n, "_LOCALES", catalogues)
    with pytest.raises(InputErrors, match=r"de\.yaml:\d+: key 'rank': expected a text"):
        texts("en")
