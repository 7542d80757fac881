"""``lev2040 validate`` and ``lev2040 init``: check a case folder and summarise it, or write the
smallest valid one; with the summary's table and CSV."""

from __future__ import annotations

from typing import Any

import click

from .format import _notes, format_table
from .options import emit, output_options

__all__ = ["init", "summary_csv", "summary_table", "validate", "values_table"]


@click.command()
@click.argument("case", type=click.Path(file_okay=True, dir_okay=True))
@click.option("--strict", is_flag=True, help="Treat any rejected stakeholder submission as an error.")
@click.option(
    "--values",
    "show_values",
    is_flag=True,
    help="Show every measure's numbers as read (resources and criteria, with units) instead of the summary.",
)
@output_options
def validate(case: str, strict: bool, show_values: bool, fmt: str, output: str | None) -> None:
    """Check a case folder and summarise it, or list every problem (exit code 2).

    CASE is the case folder (or its case.yaml). Problems are printed one per line as
    FILE:ROW: column 'x': what is wrong (what was expected). With --values, every number of
    every measure is listed as the engine read it (9.000 as nine thousand in a German file),
    with its unit, to check the input against the spreadsheet it came from.
    """
    from ..case import load_case
    from ..errors import InputErrors
    from ..output import provenance, to_json
    from ..weights import elicit_case, summarize_case

    params = {"case": case, "strict": strict, **({"values": True} if show_values else {})}
    try:
        loaded = load_case(case, strict=strict)
        # the weights stage's own checks too: a submission that reads well but cannot be turned
        # into weights (unknown criterion, points off budget) is rejected here as it is there
        elicited = elicit_case(loaded)
        if strict and elicited.rejected:
            raise InputErrors(elicited.rejected, loaded.inputs)
    except InputErrors as exc:
        if fmt == "json":  # programs get the problems as data too; people get the lines on stderr
            emit(
                to_json(
                    {"valid": False, "problems": [p.as_dict() for p in exc.problems]},
                    provenance("validate", params, exc.inputs),
                ),
                output,
            )
        raise
    if show_values:
        _emit_values(loaded, [*loaded.rejected, *map(str, elicited.rejected)], params, fmt, output)
        return
    summary = summarize_case(loaded)
    if fmt == "json":
        prov = provenance("validate", params, loaded.inputs)
        text = to_json({"valid": True, "summary": summary}, prov)
    elif fmt == "csv":
        text = summary_csv(summary)
    else:
        text = summary_table(summary)
    if fmt != "table":
        for line in summary["submissions"]["rejected"]:
            click.echo(f"rejected: {line}", err=True)
    emit(text, output)


def _emit_values(
    loaded: Any, rejected: list[str], params: dict[str, Any], fmt: str, output: str | None
) -> None:
    """``validate --values``: the case stage's rows, formatted; rejected submissions on stderr."""
    from ..case import VALUE_COLUMNS, measure_numbers
    from ..output import provenance, to_csv, to_json

    rows = measure_numbers(loaded)
    if fmt == "json":
        text = to_json({"valid": True, "values": rows}, provenance("validate", params, loaded.inputs))
    elif fmt == "csv":
        text = to_csv(VALUE_COLUMNS, [[r[k] for k in VALUE_COLUMNS] for r in rows])
    else:
        text = values_table(rows)
    for line in rejected:
        click.echo(f"rejected: {line}", err=True)
    emit(text, output)


def values_table(rows: list[dict[str, Any]]) -> str:
    """The numbers of :func:`~lev2040_mcda.case.measure_numbers` as people read them: each value in
    full (never rounded: the point is to see what was read)."""
    from ..case import VALUE_COLUMNS

    if not rows:
        return "no measure has a number\n"
    return format_table(
        VALUE_COLUMNS, [[*(r[k] for k in VALUE_COLUMNS[:4]), f"{r['value']:.15g}", r["unit"]] for r in rows]
    )


@click.command()
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--force", is_flag=True, help="Write into DIRECTORY even when it is not empty.")
@output_options
def init(directory: str, force: bool, fmt: str, output: str | None) -> None:
    """Write the smallest valid case into DIRECTORY, as a starting point to edit.

    DIRECTORY may be new, but its parent folder must exist (a typo must not grow a tree).
    """
    import os
    from pathlib import Path

    from ..case import MINIMAL_CASE, write_minimal_case
    from ..output import OutputError, provenance, to_csv, to_json

    root = Path(directory)
    if not root.parent.is_dir():
        raise OutputError(f"{directory}: cannot write (folder {root.parent} does not exist)")
    files = [root / name for name in MINIMAL_CASE]
    if output and os.path.realpath(output) in {os.path.realpath(f) for f in files}:
        raise OutputError(f"{output}: is a file of the new case; refusing to write the listing over it")
    refused = root.exists() and (not root.is_dir() or (not force and any(root.iterdir())))
    if not refused:  # the case's folders first: files are only ever written into existing folders
        for folder in sorted({f.parent for f in files}):
            folder.mkdir(exist_ok=True)
    written = write_minimal_case(directory, force=force or not refused)  # refused: it says why
    if fmt == "json":
        text = to_json({"written": written}, provenance("init", {"directory": directory}, {}))
    elif fmt == "csv":
        text = to_csv(["file"], [[w] for w in written])
    else:
        text = "".join(f"wrote {w}\n" for w in written) + (
            f"Next: edit the files, then run `lev2040 validate {directory}`.\n"
        )
    emit(text, output)


def summary_table(s: dict[str, Any]) -> str:
    """The case summary as people read it: sections of small aligned tables."""
    c = s["counts"]
    title = s["case"]["title"] or s["case"]["name"]
    out = [
        f"{title} ({s['case']['name']}): valid\n",
        f"{c['goals']} goals, {c['criteria']} criteria, {c['measures']} measures "
        f"({c['mandatory_measures']} mandatory), {c['interactions']} interactions, "
        f"{c['scenarios']} scenarios, {c['groups']} groups, {c['submissions']} submissions"
        + (f", {c['rejected_submissions']} rejected" if c["rejected_submissions"] else "")
        + "\n",
    ]
    if s["goals"]:
        out += [
            "\nGoals\n",
            format_table(
                ["goal", "title", "topic", "criteria", "measures"],
                [[g["id"], g["title"], g["topic"], len(g["criteria"]), g["measures"]] for g in s["goals"]],
            ),
        ]
    out += [
        "\nCriteria\n",
        format_table(
            ["criterion", "name", "unit", "direction", "goal"],
            [[k["id"], k["name"], k["unit"], k["direction"], k["goal"]] for k in s["criteria"]],
        ),
    ]
    out += [
        "\nMeasures per district\n",
        format_table(
            ["district", "name", "part of", "measures", "incl. parts"],
            [
                [d["id"], d["name"], d["parent"], d["measures"], d["measures_incl_parts"]]
                for d in s["districts"]
            ],
        ),
    ]
    if s["resources"]:
        out += [
            "\nResources\n",
            format_table(
                ["resource", "unit", "all measures", "mandatory", "limit", "all / limit"],
                [
                    [
                        r["id"],
                        r["unit"],
                        r["total"],
                        r["mandatory"],
                        r["limit"],
                        None if r["total_over_limit"] is None else f"{r['total_over_limit']:.1f}x",
                    ]
                    for r in s["resources"]
                ],
            ),
        ]
    i = s["interactions"]
    out.append(
        f"\nInteractions: goals {i['goal']['conflict']} conflicts, {i['goal']['synergy']} "
        f"synergies; measures {i['measure']['conflict']} conflicts, "
        f"{i['measure']['synergy']} synergies\n"
    )
    if s["scenarios"]:
        out += [
            "\nScenarios\n",
            format_table(
                ["scenario", "title", "drivers", "limit factors", "adjustments"],
                [
                    [
                        x["id"],
                        x["title"],
                        len(x["drivers"]),
                        ", ".join(f"{k} x{v:g}" for k, v in x["limit_factors"].items()),
                        x["adjustments"],
                    ]
                    for x in s["scenarios"]
                ],
            ),
        ]
    if s["groups"]:
        out += [
            "\nStakeholder groups\n",
            format_table(
                ["group", "name", "influence", "share", "submissions"],
                [
                    [g["id"], g["name"], g["influence"], f"{g['share']:.0%}", g["submissions"]]
                    for g in s["groups"]
                ],
            ),
        ]
    sub = s["submissions"]
    methods = ", ".join(f"{k} {v}" for k, v in sub["by_method"].items()) or "none"
    out.append(f"\nSubmissions: {sub['accepted']} accepted from {sub['files']} files ({methods})\n")
    out.append(_notes(sub["rejected"], s["warnings"], indent="  "))
    return "".join(out)


def summary_csv(s: dict[str, Any]) -> str:
    """The summary as long-format CSV: one ``section,id,field,value`` row per fact."""
    import json

    from ..output import to_csv

    rows: list[list[Any]] = [["counts", "", k, v] for k, v in s["counts"].items()]
    for section in ("goals", "criteria", "districts", "resources", "groups", "scenarios"):
        for item in s[section]:
            for field, value in item.items():
                if field != "id":
                    rows.append(
                        [
                            section,
                            item["id"],
                            field,
                            json.dumps(value, ensure_ascii=False) if isinstance(value, dict) else value,
                        ]
                    )
    for level, counts in s["interactions"].items():
        rows += [["interactions", level, k, v] for k, v in counts.items()]
    rows += [["warnings", "", "warning", w] for w in s["warnings"]]
    rows += [["submissions", "", "rejected", r] for r in s["submissions"]["rejected"]]
    return to_csv(["section", "id", "field", "value"], rows)
