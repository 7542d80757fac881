"""The options and helpers that several commands share: ``--format``/``--output`` and writing the
result, where the weights come from, how they are sampled, what constrains a portfolio, and the
notes every command that uses the stakeholder weights prints.

They live in one place so that the same option reads the same on every command (``--help`` texts
are part of the interface). Library imports stay inside the helpers, as in the commands. What
portfolio and frontier share (``portfolio_options``, with need and equity) is in :mod:`.portfolio_run`.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable
from typing import Any

import click

__all__ = [
    "FORMATS",
    "emit",
    "output_options",
    "sampling_options",
    "scheduler_options",
    "weight_options",
]

FORMATS = ("table", "json", "csv")


def output_options(fn: Callable) -> Callable:
    """``--format`` and ``--output``, the same on every command (the ``lev2040`` group runs every
    command in :func:`~lev2040_mcda.cli.guard.guard_inputs`, so ``--output`` never goes over a file it read)."""

    @click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default="table",
        show_default=True,
        help="table for people, json (with provenance) or csv for programs.",
    )
    @click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, writable=True),
        help="Write the result to this file (atomically; its folder must exist) instead of standard output; "
        "FILE.xlsx: the table as a workbook (numbers as numbers).",
    )
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if _is_workbook(kwargs.get("output")):
            if kwargs.get("fmt") == "json":
                raise click.UsageError(
                    "-o FILE.xlsx writes the table as a workbook: use --format table or csv"
                )
            kwargs["fmt"] = "csv"  # the workbook is made from the machine CSV (emit)
        return fn(*args, **kwargs)

    return wrapper


def scheduler_options(fn: Callable) -> Callable:
    """``--scheduler`` and ``--workers``: where the command's parallel loops run. The command gets
    them as one ``scheduler`` (:class:`lev2040_mcda.parallel.Scheduler`); the result is the same
    wherever they run."""

    @click.option(
        "--scheduler",
        "where",
        default=None,
        metavar="WHERE",
        help="Where parallel work runs: auto (this process for small jobs, local processes from a "
        "size on, the Dask cluster of DASK_SCHEDULER_ADDRESS when set), local, processes, or a Dask "
        "scheduler's address such as tcp://host:8786 (needs lev2040-mcda[dask]). [default: auto]",
    )
    @click.option(
        "--workers", type=click.IntRange(min=1), default=None, help="Local processes [default: one per core]."
    )
    @functools.wraps(fn)
    def wrapper(*args: Any, where: str | None, workers: int | None, **kwargs: Any) -> Any:
        from ..parallel import Scheduler

        return fn(*args, scheduler=Scheduler.parse(where, workers), **kwargs)

    return wrapper


def _is_workbook(output: str | None) -> bool:
    return bool(output) and str(output).lower().endswith(".xlsx")


def emit(text: str, output: str | None) -> None:
    """The result to ``--output`` or to stdout. The file is written atomically and durably (a failed
    or killed run leaves no half-written file); its folder must exist, and inside
    :func:`~lev2040_mcda.cli.guard.guard_inputs` a file the command read is refused (exit 2, naming it). A ``.xlsx`` file
    gets the command's machine CSV (:func:`output_options` asks for it) as a workbook."""
    if output:
        from ..output import write_atomic

        if _is_workbook(output):
            from ..sheets import table_workbook

            ctx = click.get_current_context(silent=True)
            write_atomic(output, table_workbook(text, ctx.info_name if ctx else "result"))
        else:
            write_atomic(output, text)
    else:
        click.echo(text, nl=False)


def _with_progress(label: str, total: int, run: Callable[[Callable | None], Any]) -> Any:
    """``run(progress)`` with a progress bar on a terminal (``progress(done, total)``: stage,
    done/total, elapsed, time left; :mod:`.progress`), and ``progress`` None when piped."""
    from .progress import with_progress

    return with_progress(label, total, run)


def weight_options(fn: Callable | None = None, *, scenario: bool = True) -> Callable:
    """Where the ranking weights come from: the same options on every command that ranks
    (``@weight_options``; ``@weight_options(scenario=False)`` where every scenario is used)."""

    def apply(fn: Callable) -> Callable:
        for decorator in reversed(
            [
                click.option(
                    "--weights-from",
                    "weights_from",
                    default="consensus",
                    show_default=True,
                    type=click.Choice(["consensus", "equal", "entropy", "critic"]),
                    help="Stakeholder consensus (equal weights, said in a note, when the case has no usable "
                    "submission), equal weights, or an objective method (pymcdm).",
                ),
                click.option("--group", help="Use one stakeholder group's weights."),
                click.option(
                    "--weights",
                    "weights_file",
                    type=click.Path(dir_okay=False),
                    help="Use the weights of one submission file (YAML, JSON, CSV, XLSX).",
                ),
                *(
                    [click.option("--scenario", help="Rank the case as it looks in this scenario.")]
                    if scenario
                    else []
                ),
                click.option(
                    "--option",
                    "option_pairs",
                    multiple=True,
                    metavar="KEY=VALUE",
                    help="Method option, repeatable: normalization=NAME, v=0.5, preference=NAME.",
                ),
            ]
        ):
            fn = decorator(fn)
        return fn

    return apply(fn) if fn is not None else apply


def sampling_options(samples: int, what: str) -> Callable[[Callable], Callable]:
    """How weights are sampled: the same options on sensitivity and robust (their defaults differ:
    a SMAA sample is a ranking, a core-index sample a MILP solve)."""

    def apply(fn: Callable) -> Callable:
        for decorator in reversed(
            [
                click.option(
                    "--samples",
                    type=click.IntRange(min=1),
                    default=samples,
                    show_default=True,
                    help=f"Number of weight samples {what}.",
                ),
                click.option("--seed", type=int, default=None, help="Random seed [default: the case's]."),
                click.option(
                    "--sampling",
                    type=click.Choice(["uniform", "dirichlet", "submissions", "ordinal", "intervals"]),
                    default="dirichlet",
                    show_default=True,
                    help="Uniform on the simplex, Dirichlet around the weights, resampled submissions, "
                    "or uniform over the weights that keep the consensus's order of the criteria (ordinal) "
                    "or lie within the groups' range for each criterion (intervals).",
                ),
            ]
        ):
            fn = decorator(fn)
        return fn

    return apply


_ONE_METHOD = click.Choice(
    ["topsis", "vikor", "promethee_ii", "spotis", "wsm", "wpm", "copras", "edas", "mabac"]
)
_METHOD_CHOICE = click.Choice([*_ONE_METHOD.choices, "all"])  # rank compares them all


def _default_method(case) -> str:
    method = case.config.defaults.method
    return method if method in _METHOD_CHOICE.choices else "topsis"


estimates_option = click.option(
    "--estimates",
    type=click.Choice(["uncertain", "exact"]),
    default="uncertain",
    show_default=True,
    help="Draw the ranges of uncertainty.csv with the weights, or take measures.csv's numbers as exact.",
)
"""Whether a sampling command draws the case's uncertain estimates (sensitivity, robust)."""

value_option = click.option(
    "--value",
    type=click.Choice(["fixed", "rescaled-score"]),
    default="fixed",
    show_default=True,
    help="How measures are valued: fixed = additive on the criteria's fixed scales "
    "(0 = no change, the same in every scenario); rescaled-score = the --method's score "
    "rescaled to [0, 1] within the case (0 = the worst candidate).",
)
value_method_option = click.option(
    "--method",
    type=_ONE_METHOD,
    default=None,
    help="With --value rescaled-score: the MCDM method whose scores are the values [default: the case's].",
)


def _limits(pairs: tuple[str, ...]) -> dict[str, float]:
    from ..case import parse_number
    from ..errors import InputError, Problem

    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        try:
            # a decimal comma as a German planner writes it (12,5; 1.234,5); else Python's float
            out[key.strip()] = parse_number(value, decimal_comma=True) if "," in value else float(value)
            if not sep or out[key.strip()] < 0:
                raise ValueError
        except ValueError:
            raise InputError(Problem("--limit", f"{pair!r} is not RESOURCE=NUMBER (a number >= 0)")) from None
    return out


@contextlib.contextmanager
def _no_portfolio_as_json(fmt: str, output: str | None, command: str, params: dict, loaded):
    """When no portfolio exists, ``--format json`` still prints a JSON object (status, reasons,
    provenance); the reasons also go to stderr and the exit code stays 3."""
    from ..output import provenance, to_json
    from ..portfolio import InfeasiblePortfolio

    try:
        yield
    except InfeasiblePortfolio as exc:
        if fmt == "json":
            emit(
                to_json(
                    {"status": exc.status, "reasons": exc.reasons}, provenance(command, params, loaded.inputs)
                ),
                output,
            )
        raise


def _weights_caveats(info: dict) -> None:
    """Say on stderr what the stakeholder weights leave out, so that no command uses them
    silently without a rejected submission or a whole group."""
    rejected = info.get("rejected_submissions", 0)
    if rejected:
        click.echo(
            f"note: {rejected} stakeholder submission(s) rejected and left out of the "
            "weights (`lev2040 weights` lists why)",
            err=True,
        )
    for g in info.get("missing_groups", []):
        click.echo(f"note: group {g!r} has no accepted submission; it is left out of the weights", err=True)


def note_unused_method(value: str, method: str | None, option_pairs: tuple, objective: str | None) -> None:
    """Say on stderr when --method or --option is given but the values do not use it."""
    if value == "fixed" and objective is None and (method or option_pairs):
        given = [f for f, v in (("--method", method), ("--option", option_pairs)) if v]
        verb = "matters" if len(given) == 1 else "matter"
        click.echo(
            f"note: {' and '.join(given)} only {verb} with --value rescaled-score; the value on fixed scales "
            "uses no ranking method",
            err=True,
        )


def _values_setup(loaded, method, weights_from, group, weights_file, scenario, option_pairs, objective):
    from ..ranking import decision_matrix, method_options, resolve_weights

    method = method or _default_method(loaded)
    if method == "all":
        raise click.UsageError("the portfolio needs one method, not `all`")
    if objective is not None:
        return method, {}, None, {"source": "none (--objective)"}
    dm = decision_matrix(loaded, scenario)
    w, info = resolve_weights(loaded, dm, weights_from, group, weights_file)
    _weights_caveats(info)
    return method, method_options(method, option_pairs), w, info
