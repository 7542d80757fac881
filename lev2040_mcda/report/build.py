"""The report folder: ``index.html``, ``results.xlsx`` and ``json/<stage>.json``, written atomically.

``build_report`` runs the stages (:mod:`.stages`), renders the page (:mod:`.page`) and the workbook
(:mod:`.workbook`) and dumps each stage's result with its provenance. Everything is computed and
rendered in memory first and then written file by file atomically, ``index.html`` last: a failed
run leaves no new file behind and never half a file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..case import Case
from ..output import write_atomic
from .context import report_language
from .page import SECTIONS, render_page
from .stages import Progress, Stages, compute_stages
from .workbook import render_workbook

__all__ = ["write_report", "build_report"]


def _json(result: dict[str, Any], prov: dict[str, Any]) -> str:
    return (
        json.dumps({**result, "provenance": prov}, ensure_ascii=False, indent=2, default=str, allow_nan=False)
        + "\n"
    )


def write_report(
    case: Case,
    stages: Stages,
    out_dir: str | Path,
    *,
    lang: str | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Render and write ``out_dir/index.html``, ``results.xlsx`` and ``json/<stage>.json``.

    Everything is rendered before the first file is written; each file is written atomically,
    ``index.html`` last.
    """
    lang = report_language(case, lang)
    step = progress or (lambda _name: None)
    page = render_page(case, stages, lang, progress)
    step("workbook")
    workbook = render_workbook(case, stages, lang)
    docs = {name: _json(result, stages.provenance[name]) for name, result in stages.results.items()}
    step("writing")
    out = Path(out_dir)
    paths = {name: out / "json" / f"{name}.json" for name in docs}
    for name, text in docs.items():
        write_atomic(paths[name], text)
    write_atomic(out / "results.xlsx", workbook)
    write_atomic(out / "index.html", page)
    return {
        "index": out / "index.html",
        "workbook": out / "results.xlsx",
        "json": paths,
        "lang": lang,
        "sections": list(SECTIONS),
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
    progress: Progress | None = None,
) -> dict[str, Any]:
    """The whole report of ``case`` in ``out_dir`` (see :func:`compute_stages` for the options).

    ``lang`` defaults to the case's ``language``; ``progress`` is called with the name of each
    step as it starts (``summary``, ``weights``, ..., ``figures``, ``workbook``, ``writing``).
    Returns the paths written (``index``, ``workbook``, ``json``), the language, the section ids,
    ``notes`` on stages left out (stage -> i18n key of the reason) and ``details`` (stage -> the
    engine's explanation, e.g. why no portfolio is feasible).

    Raises
    ------
    InputErrors, InputError
        bad input, as the stages raise it (no usable weighting, unknown scenario, ...)
    OutputError
        when ``out_dir`` cannot be written
    """
    lang = report_language(case, lang)
    stages = compute_stages(
        case,
        scenario=scenario,
        method=method,
        solver=solver,
        samples=samples,
        seed=seed,
        steps=steps,
        robust_samples=robust_samples,
        progress=progress,
    )
    return write_report(case, stages, out_dir, lang=lang, progress=progress)
