"""``lev2040 runs``: the saved what-ifs of a case — listed, shown as they were printed, rerun
when their inputs changed, compared side by side, turned into a report, exported, deleted.

Runs are saved by the analysis commands' ``--save NAME`` (:mod:`.saving`); the store is
:mod:`lev2040_mcda.runs`.
"""

from __future__ import annotations

from typing import Any

import click

from .format import _num, format_table
from .options import FORMATS, emit, output_options
from .saving import case_root, store_option

__all__ = ["runs"]


@click.group()
def runs() -> None:
    """The saved runs (what-ifs) of a case: list, show, rerun, diff, report, export, delete.

    Save a run with `--save NAME [--note TEXT]` on portfolio, frontier, rank, sensitivity,
    robust or vote; it is kept in CASE/.lev2040/runs.sqlite, or the store that --store (or the
    environment's LEV2040_STORE) names: another SQLite file, or postgresql://user@host/db for a
    team.
    """


def _open(case: str, store: str | None) -> Any:
    """The store of an existing case, as a command that only reads runs opens it: the case is
    checked first, and a store that does not exist yet is not made."""
    from ..runs import open_store

    _case_name(case)
    return open_store(case_root(case), store, create=False)


def _case_name(case: str) -> str:
    """The case's name (runs belong to a case by it), read from its case.yaml (or the case file
    given)."""
    from ..case import load_case_config

    return load_case_config(case).name


def _stale(case: str, found: list[Any]) -> dict[str, bool]:
    """Which runs read files that have changed since (or miss a file the case now reads)."""
    from ..case import current_hashes, load_case
    from ..errors import McdaError

    root = case_root(case)
    try:
        now = load_case(case).inputs
    except McdaError:
        click.echo(
            "note: the case does not load now (`lev2040 validate` says why); a run is stale "
            "when a file it read has changed",
            err=True,
        )
        now = {}
    wanted = {name for r in found for name in r.inputs}
    hashes = {**current_hashes(root, sorted(wanted - set(now))), **now}
    return {
        r.name: any(hashes.get(k) != v for k, v in r.inputs.items()) or any(k not in r.inputs for k in now)
        for r in found
    }


def _parameters(run: Any) -> str:
    parts = []
    for k, v in run.key_parameters().items():
        shown = ",".join(str(x) for x in v) if isinstance(v, list) else v
        parts.append(f"{k}={shown}")
    return " ".join(parts)


@runs.command("list")
@click.argument("case", type=click.Path())
@store_option
@output_options
def list_runs(case: str, store: str | None, fmt: str, output: str | None) -> None:
    """The saved runs of CASE: name, command, what it changed, value, status, when, stale or not.

    A run is stale when a file it read has changed (or the case reads a new file, such as a new
    submission); `lev2040 runs rerun CASE NAME` recomputes it.
    """
    from ..output import provenance, to_csv, to_json
    from ..runs import default_store_path

    name = _case_name(case)
    if store is None and not default_store_path(case_root(case)).exists():
        found, where = [], str(default_store_path(case_root(case)))
    else:
        with _open(case, store) as s:
            found = s.list(name)
            where = s.location
    stale = _stale(case, found)
    rows = [
        {
            "name": r.name,
            "command": r.command,
            "parameters": r.key_parameters(),
            "value": r.value,
            "status": r.status,
            "created": r.created,
            "stale": stale[r.name],
            "note": r.note,
        }
        for r in found
    ]
    header = ["name", "command", "parameters", "value", "status", "created", "stale", "note"]
    if fmt == "json":
        text = to_json({"store": where, "runs": rows}, provenance("runs list", {"case": case}, {}))
    elif fmt == "csv":
        text = to_csv(
            header,
            [
                [*[row[h] for h in header[:2]], _parameters(r), *[row[h] for h in header[3:]]]
                for r, row in zip(found, rows)
            ],
        )
    elif not rows:
        text = f"No saved runs in {where}; add --save NAME to a command (portfolio, rank, ...).\n"
    else:
        table = format_table(
            header,
            [
                [
                    r.name,
                    r.command,
                    _parameters(r),
                    "" if r.value is None else _num(r.value),
                    r.status,
                    r.created[:16].replace("T", " "),
                    "stale" if stale[r.name] else "",
                    r.note,
                ]
                for r in found
            ],
        )
        text = f"Runs in {where}:\n\n{table}"
        if any(stale.values()):
            text += "\nstale: a file the run read has changed since; `lev2040 runs rerun CASE NAME` recomputes it\n"
    emit(text, output)


@runs.command("show")
@click.argument("case", type=click.Path())
@click.argument("name")
@store_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="table, json or csv [default: the format the run was printed in].",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write it to this file.")
def show(case: str, name: str, store: str | None, fmt: str | None, output: str | None) -> None:
    """The saved run NAME of CASE, exactly as its command printed it (or would have in --format)."""
    with _open(case, store) as s:
        run = s.get(_case_name(case), name)
    if fmt is None:
        fmt = run.params.get("fmt") or "table"
    if output and output.lower().endswith(".xlsx"):
        fmt = "csv"
    emit(run.outputs[fmt], output)


@runs.command("rerun")
@click.argument("case", type=click.Path())
@click.argument("names", nargs=-1, required=True)
@store_option
@click.pass_context
def rerun(ctx: click.Context, case: str, names: tuple[str, ...], store: str | None) -> None:
    """Recompute the saved runs NAMES of CASE with the case as it is now, with the same options,
    and save them again under their names (printing what their command prints)."""
    with _open(case, store) as s:
        found = [s.get(_case_name(case), n) for n in names]
    from .saving import file_options

    root = ctx.find_root()
    commands = []
    for run in found:  # every run replayable before any is recomputed (and saved over)
        command = root.command.get_command(root, run.command)
        if not isinstance(command, click.Command):
            raise click.UsageError(f"run {run.name!r} was saved by {run.command!r}, which this version lacks")
        known = {p.name: p for p in command.params}
        lacking = sorted(set(run.params) - set(known))
        if lacking:
            raise click.UsageError(
                f"run {run.name!r} was saved with options this version of {run.command} lacks "
                f"({', '.join(lacking)}); it is kept as it is"
            )
        commands.append((run, command, known))
    for run, command, known in commands:
        params = {k: _as_param(known[k], v) for k, v in run.params.items()}
        for name in file_options(command) & set(params):  # saved relative to the case folder
            if params[name]:
                params[name] = str(case_root(case) / params[name])
        params["case" if "case" in known else "source"] = case
        params |= {"output": None, "save": run.name, "note": run.note or None, "store": store}
        ctx.invoke(command, **params)


def _as_param(param: click.Parameter, value: Any) -> Any:
    """A saved option's value as the command takes it (lists back to tuples where it repeats)."""
    if isinstance(value, list) and (getattr(param, "multiple", False) or param.nargs != 1):
        return tuple(value)
    return value


def _compare(case: str, names: tuple[str, ...], store: str | None) -> tuple[Any, dict[str, Any]]:
    from ..case import load_case
    from ..runs import compare_runs

    if len(names) < 2:
        raise click.UsageError("name at least two runs to compare")
    loaded = load_case(case)
    with _open(case, store) as s:
        found = [s.get(loaded.config.name, n) for n in names]
    return loaded, compare_runs(found, loaded)


@runs.command("diff")
@click.argument("case", type=click.Path())
@click.argument("names", nargs=-1, required=True)
@store_option
@output_options
def diff(case: str, names: tuple[str, ...], store: str | None, fmt: str, output: str | None) -> None:
    """Saved portfolio runs of CASE side by side: which measures each holds, what entered and
    left from one to the next and why, value, resources, what they deliver, per district."""
    from ..output import provenance, to_json
    from .runs_format import diff_csv, diff_table

    loaded, comparison = _compare(case, names, store)
    if fmt == "json":
        text = to_json(
            comparison, provenance("runs diff", {"case": case, "runs": list(names)}, loaded.inputs)
        )
    elif fmt == "csv":
        text = diff_csv(comparison)
    else:
        text = diff_table(comparison)
    emit(text, output)


@runs.command("report")
@click.argument("case", type=click.Path())
@click.argument("names", nargs=-1, required=True)
@click.option(
    "-o",
    "--output",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False),
    help="Folder for the report (as `lev2040 report -o`).",
)
@click.option("--lang", type=click.Choice(["de", "en"]), default=None, help="Language [default: the case's].")
@click.option(
    "--samples", type=click.IntRange(min=1), default=10_000, show_default=True, help="SMAA samples."
)
@click.option(
    "--robust-samples", type=click.IntRange(min=1), default=50, show_default=True, help="Core-index samples."
)
@store_option
def runs_report(
    case: str,
    names: tuple[str, ...],
    out_dir: str,
    lang: str | None,
    samples: int,
    robust_samples: int,
    store: str | None,
) -> None:
    """The report of CASE with the saved portfolio runs NAMES side by side in its portfolio
    section (which measures, what entered and left and why, value, resources, districts)."""
    from ..report import build_report

    loaded, comparison = _compare(case, names, store)
    result = build_report(
        loaded, out_dir, lang=lang, samples=samples, robust_samples=robust_samples, runs=comparison
    )
    click.echo(str(result["index"]))


@runs.command("export")
@click.argument("case", type=click.Path())
@click.argument("names", nargs=-1)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, writable=True),
    help="The workbook (.xlsx) to write.",
)
@store_option
def export(case: str, names: tuple[str, ...], output: str, store: str | None) -> None:
    """Every saved run of CASE (or the runs NAMES) as a workbook: one sheet per run, a sheet
    listing them, and a comparison sheet of the portfolio runs when there are two or more."""
    from ..case import load_case
    from ..output import write_atomic
    from ..runs import compare_runs, runs_workbook

    if not output.lower().endswith(".xlsx"):
        raise click.UsageError("-o names the workbook: FILE.xlsx")
    loaded = load_case(case)
    with _open(case, store) as s:
        found = [s.get(loaded.config.name, n) for n in names] if names else s.list(loaded.config.name)
    if not found:
        raise click.UsageError("there are no saved runs to export (add --save NAME to a command)")
    portfolios = [r for r in found if r.command == "portfolio" and "selected" in r.result]
    comparison = compare_runs(portfolios, loaded) if len(portfolios) >= 2 else None
    write_atomic(output, runs_workbook(found, comparison))
    click.echo(f"{output}: {len(found)} runs" + (", and their comparison" if comparison else ""), err=True)


@runs.command("delete")
@click.argument("case", type=click.Path())
@click.argument("names", nargs=-1, required=True)
@store_option
def delete(case: str, names: tuple[str, ...], store: str | None) -> None:
    """Delete the saved runs NAMES of CASE."""
    with _open(case, store) as s:
        name = _case_name(case)
        for n in names:
            s.get(name, n)  # every name exists before any is deleted
        for n in names:
            s.delete(name, n)
    click.echo(f"deleted {len(names)} run(s)", err=True)
