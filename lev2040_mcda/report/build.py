"""The report folder: ``index.html``, ``results.xlsx`` and ``json/<stage>.json``, written as a whole.

``build_report`` runs the stages (:mod:`.stages`), renders the page (:mod:`.page`) and the workbook
(:mod:`.workbook`) and dumps each stage's result with its provenance. Everything is computed and
rendered in memory first; then the folder is written in a temporary sibling and swapped in
(:func:`lev2040_mcda.output.write_tree`): a failed, interrupted or killed run leaves the old report
as it was, a reader never sees a mix of two runs.

A report folder is marked by :data:`MARKER`, the list of the files it holds. An existing folder is
replaced only when it is empty or a report (:func:`replaceable`), never a folder of someone's own
files, nor one holding a file the case reads.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .. import __version__
from ..case import Case
from ..output import write_tree
from .context import report_language
from .page import page_sections, render_page
from .runs import attach_runs
from .stages import STEPS as STAGE_STEPS
from .stages import Detail, Progress, Stages, compute_stages
from .votes import has_votes
from .workbook import render_workbook

__all__ = ["write_report", "build_report", "replaceable", "report_steps", "MARKER", "STEPS"]

STEPS = (*STAGE_STEPS, "figures", "workbook", "writing")
"""Every step of :func:`build_report` in order, as its ``progress`` names them."""


def report_steps(case: Case) -> tuple[str, ...]:
    """The steps of :data:`STEPS` that ``case``'s report goes through (``scenarios`` only with a
    CIB model, ``stadtcheck`` only with district indicators, ``participation`` only with a vote),
    for the progress line's stage k/N."""
    skip = {"scenarios"} if case.cib is None else set()
    if case.stadtcheck is None:
        skip.add("stadtcheck")
    if not has_votes(case):
        skip.add("participation")
    return tuple(s for s in STEPS if s not in skip)


MARKER = ".lev2040-report"
"""The file that makes a folder a report folder: it lists the report's files (JSON)."""

_LEGACY = re.compile(r"index\.html|results\.xlsx|json/|json/[^/]+\.json")
"""What a report written before the marker holds (then both index.html and results.xlsx)."""

_MAX_ENTRIES = 1000


def _json(result: dict[str, Any], prov: dict[str, Any]) -> str:
    return (
        json.dumps({**result, "provenance": prov}, ensure_ascii=False, indent=2, default=str, allow_nan=False)
        + "\n"
    )


def _utf8(text: str) -> bytes:
    """UTF-8; a lone surrogate that reached a text (UTF-8 cannot hold one) is written as its
    escape ``\\ud800``, which is what it means in JSON, rather than failing the whole report."""
    return text.encode("utf-8", "backslashreplace")


def _entries(folder: Path) -> set[str] | None:
    """Every entry under ``folder`` (folders end in ``/``; links are not followed), or ``None``
    when there are too many to be a report or the folder cannot be read."""
    found: set[str] = set()
    todo = [("", folder)]
    try:
        while todo:
            prefix, here = todo.pop()
            with os.scandir(here) as entries:
                for entry in entries:
                    name = prefix + entry.name
                    if entry.is_dir(follow_symlinks=False):
                        name += "/"
                        todo.append((name, Path(entry.path)))
                    found.add(name)
                    if len(found) > _MAX_ENTRIES:
                        return None
    except OSError:
        return None
    return found


def _listed(marker: Path) -> set[str] | None:
    """The files (and their folders) a report's marker lists; ``None`` without a readable marker."""
    try:
        with marker.open("rb") as fh:
            data = json.loads(fh.read(1 << 20))
    except (OSError, ValueError, RecursionError):
        return None
    files = data.get("files") if isinstance(data, dict) and data.get("tool") == "lev2040-mcda" else None
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        return None
    return {*files, *(f.rsplit("/", 1)[0] + "/" for f in files if "/" in f), MARKER}


def _some(names: set[str]) -> str:
    shown = sorted(names)
    return ", ".join(shown[:3]) + (f" and {len(shown) - 3} more" if len(shown) > 3 else "")


def replaceable(folder: Path) -> str | None:
    """``None`` when a new report may replace ``folder``, else why not.

    It may when it is empty, or when it holds only what a report wrote: the files its
    :data:`MARKER` lists, or, for a report from before the marker, index.html, results.xlsx and
    json/*.json. A folder with anything else in it is someone's: it is never replaced (nor are the
    files someone added to a report folder). Nor is the working folder (or one holding it): the
    shell would be left in a removed folder.
    """
    if os.path.join(os.getcwd(), "").startswith(os.path.join(os.path.realpath(folder), "")):
        return "is (or holds) the working folder; refusing to replace it (choose another folder)"
    present = _entries(folder)
    if present is None:
        return "is not a report folder (too many files, or unreadable); choose an empty or new folder"
    if not present:
        return None
    listed = _listed(folder / MARKER)
    if listed is None:
        if all(_LEGACY.fullmatch(p) for p in present) and {"index.html", "results.xlsx"} <= present:
            return None
        return (
            f"is not a report folder (it holds {_some(present)}); refusing to replace it "
            "(choose an empty or new folder)"
        )
    foreign = present - listed
    if foreign:
        return (
            f"holds files the report did not write ({_some(foreign)}); refusing to replace it "
            "(move them, or choose another folder)"
        )
    return None


def _inputs(case: Case, stages: Stages | None = None) -> list[Path]:
    """The files the case was read from (and its vote's, once counted): the report folder may not
    hold one of them."""
    names = set(case.inputs)
    if stages is not None:
        names |= set(stages.provenance.get("participation", {}).get("inputs", {}))
    return [Path(case.root) / name for name in sorted(names)]


def write_report(
    case: Case,
    stages: Stages,
    out_dir: str | Path,
    *,
    lang: str | None = None,
    progress: Progress | None = None,
    runs: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Render and write ``out_dir/index.html``, ``results.xlsx`` and ``json/<stage>.json``.

    Everything is rendered before anything is written, and the folder is replaced as a whole
    (:mod:`lev2040_mcda.output`). ``out_dir`` may be created, its parent must exist; an existing
    folder must be empty or a report (:func:`replaceable`). Raises :class:`OutputError` otherwise,
    before rendering. ``runs``: a comparison of saved runs to show side by side (see
    :func:`build_report`).
    """
    lang = report_language(case, lang)
    if runs is not None:
        attach_runs(case, stages, runs)
    step = progress or (lambda _name: None)
    out = Path(out_dir)
    write_tree(out, None, replaceable=replaceable, inputs=_inputs(case, stages))
    page = render_page(case, stages, lang, progress)
    step("workbook")
    workbook = render_workbook(case, stages, lang)
    docs = {name: _json(result, stages.provenance[name]) for name, result in stages.results.items()}
    step("writing")
    files = {f"json/{name}.json": _utf8(text) for name, text in docs.items()}
    files |= {"results.xlsx": workbook, "index.html": _utf8(page)}
    marker = {"tool": "lev2040-mcda", "version": __version__, "files": sorted(files)}
    files[MARKER] = _utf8(json.dumps(marker, indent=1) + "\n")
    write_tree(out, files, replaceable=replaceable, inputs=_inputs(case, stages))
    return {
        "index": out / "index.html",
        "workbook": out / "results.xlsx",
        "json": {name: out / "json" / f"{name}.json" for name in docs},
        "lang": lang,
        "sections": page_sections(case),
        "notes": dict(stages.notes),
        "details": dict(stages.details),
    }


def build_report(
    case: Case,
    out_dir: str | Path,
    *,
    lang: str | None = None,
    scenario: str | None = None,
    method: str | None = None,
    solver: str | None = None,
    samples: int = 10_000,
    seed: int | None = None,
    steps: int = 10,
    robust_samples: int = 50,
    weights_from: str = "consensus",
    group: str | None = None,
    weights_file: str | Path | None = None,
    option_pairs: Sequence[str] = (),
    limits: Mapping[str, float] | None = None,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    coverage: int | None = None,
    need_weighting: bool | None = None,
    min_benefit_per_resident: float | None = None,
    min_budget_share: Mapping[str, float] | None = None,
    runs: Mapping[str, Any] | None = None,
    progress: Progress | None = None,
    detail: Detail | None = None,
    executor: Any = None,
) -> dict[str, Any]:
    """The whole report of ``case`` in ``out_dir`` (see :func:`compute_stages` for the options,
    the what-if of ``lev2040 portfolio`` among them: the page then says at its top which one it
    shows).

    ``runs``: a comparison of saved portfolio runs (:func:`lev2040_mcda.runs.compare_runs`): the
    portfolio section then shows them side by side (which measures, value, resources, what each
    delivers, per district, what entered and left at each change and why), the workbook gets a
    ``runs`` sheet and ``json/runs.json`` holds the comparison with its provenance.

    ``lang`` defaults to the case's ``language``; ``progress`` is called with the name of each
    step as it starts (:data:`STEPS`: ``summary``, ``weights``, ..., ``figures``, ``workbook``,
    ``writing``), ``detail(part, done, total)`` as the long steps work (:func:`compute_stages`).
    Returns the paths written (``index``, ``workbook``, ``json``), the language, the section ids,
    ``notes`` on stages left out (stage -> i18n key of the reason) and ``details`` (stage -> the
    engine's explanation, e.g. why no portfolio is feasible).

    Raises
    ------
    InputErrors, InputError
        bad input, as the stages raise it (no usable weighting, unknown scenario, ...)
    OutputError
        when ``out_dir`` cannot be written or replaced (checked before the stages run)
    """
    lang = report_language(case, lang)
    if runs is not None:  # a broken comparison fails before the stages run
        from .runs import check_comparison

        check_comparison(runs)
    write_tree(out_dir, None, replaceable=replaceable, inputs=_inputs(case))
    stages = compute_stages(
        case,
        scenario=scenario,
        method=method,
        solver=solver,
        samples=samples,
        seed=seed,
        steps=steps,
        robust_samples=robust_samples,
        weights_from=weights_from,
        group=group,
        weights_file=weights_file,
        option_pairs=option_pairs,
        limits=limits,
        include=include,
        exclude=exclude,
        coverage=coverage,
        need_weighting=need_weighting,
        min_benefit_per_resident=min_benefit_per_resident,
        min_budget_share=min_budget_share,
        progress=progress,
        detail=detail,
        executor=executor,
    )
    return write_report(case, stages, out_dir, lang=lang, progress=progress, runs=runs)
