"""The ``lev2040`` command: parses options, calls one library function, formats the result.

Heavy libraries (pandas, pymcdm, PuLP, networkx, even pydantic) are imported inside the commands,
so ``lev2040 --help`` starts at once.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from collections.abc import Callable
from typing import Any

import click

from .. import __version__
from ..errors import McdaError

FORMATS = ("table", "json", "csv")


class _Group(click.Group):
    """Turns the engine's errors into one line each on stderr and their exit code; never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except McdaError as exc:
            for line in str(exc).splitlines():
                click.echo(line, err=True)
            ctx.exit(exc.exit_code)
        except Exception as exc:  # a bug: say so plainly, keep the traceback for developers
            if os.environ.get("LEV2040_DEBUG"):
                raise
            click.echo(
                f"lev2040: internal error: {type(exc).__name__}: {exc} "
                "(please report it; LEV2040_DEBUG=1 shows the details)",
                err=True,
            )
            ctx.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="lev2040")
def cli() -> None:
    """Multi-criteria decision support for Leverkusen 2040+.

    Load a case folder (goals, criteria, measures, interactions, scenarios, stakeholder weights),
    check it, and work with it. Start with `lev2040 init DIR` or `lev2040 validate CASE`.
    """


def output_options(fn: Callable) -> Callable:
    """``--format`` and ``--output``, the same on every command."""

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
        help="Write the result to this file (atomically) instead of standard output.",
    )
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return fn(*args, **kwargs)

    return wrapper


def _with_progress(label: str, total: int, run: Callable[[Callable | None], Any]) -> Any:
    """``run(progress)`` with a progress bar on a terminal, and without one when piped."""
    import sys

    if not sys.stderr.isatty():
        return run(None)
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
        done = [0]

        def progress(now: int, _total: int) -> None:
            bar.update(now - done[0])
            done[0] = now

        return run(progress)


def emit(text: str, output: str | None) -> None:
    if output:
        from ..output import write_atomic

        write_atomic(output, text)
    else:
        click.echo(text, nl=False)


@cli.command()
@click.argument("case", type=click.Path(file_okay=True, dir_okay=True))
@click.option("--strict", is_flag=True, help="Treat any rejected stakeholder submission as an error.")
@output_options
def validate(case: str, strict: bool, fmt: str, output: str | None) -> None:
    """Check a case folder and summarise it, or list every problem (exit code 2).

    CASE is the case folder (or its case.yaml). Problems are printed one per line as
    FILE:ROW: column 'x': what is wrong (what was expected).
    """
    from ..case import load_case
    from ..errors import InputErrors
    from ..output import provenance, to_json
    from ..weights import elicit_case, summarize_case
    from .tables import summary_csv, summary_table

    params = {"case": case, "strict": strict}
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


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--force", is_flag=True, help="Write into DIRECTORY even when it is not empty.")
@output_options
def init(directory: str, force: bool, fmt: str, output: str | None) -> None:
    """Write the smallest valid case into DIRECTORY, as a starting point to edit."""
    from ..case import write_minimal_case
    from ..output import provenance, to_csv, to_json

    written = write_minimal_case(directory, force=force)
    if fmt == "json":
        text = to_json({"written": written}, provenance("init", {"directory": directory}, {}))
    elif fmt == "csv":
        text = to_csv(["file"], [[w] for w in written])
    else:
        text = "".join(f"wrote {w}\n" for w in written) + (
            f"Next: edit the files, then run `lev2040 validate {directory}`.\n"
        )
    emit(text, output)


@cli.command()
@click.argument("case", type=click.Path())
@click.option(
    "--by",
    type=click.Choice(["group", "submission"]),
    default="group",
    show_default=True,
    help="Also list every submission's weights (json/csv) with `submission`.",
)
@click.option(
    "--within",
    type=click.Choice(["mean", "geomean", "median"]),
    default="mean",
    show_default=True,
    help="How a group's submissions are combined.",
)
@click.option(
    "--pairwise",
    type=click.Choice(["aip", "aij"]),
    default="aip",
    show_default=True,
    help="AHP in a group: average the priorities (aip) or merge the judgements (aij).",
)
@click.option(
    "--ranking",
    type=click.Choice(["roc", "rs", "rr"]),
    default="roc",
    show_default=True,
    help="Weights from rankings: rank-order centroid, rank sum or rank reciprocal.",
)
@click.option(
    "--max-cr",
    type=click.FloatRange(min=0),
    default=None,
    help="Reject AHP submissions whose consistency ratio is above this.",
)
@click.option(
    "--contested",
    type=click.FloatRange(min=0),
    default=0.5,
    show_default=True,
    help="Flag a criterion as contested when its CV across groups reaches this.",
)
@click.option("--strict", is_flag=True, help="Treat any rejected submission as an error (exit 2).")
@output_options
def weights(
    case: str,
    by: str,
    within: str,
    pairwise: str,
    ranking: str,
    max_cr: float | None,
    contested: float,
    strict: bool,
    fmt: str,
    output: str | None,
) -> None:
    """Stakeholder weights: per group, the consensus, and where the groups disagree.

    Reads every submission in CASE/weights/ (YAML, JSON, CSV, XLSX; survey exports with one
    respondent per row), turns each into criterion weights, combines them within and across
    groups, and reports consensus and dissent. Invalid submissions are listed and left out.
    """
    from ..case import load_case
    from ..output import provenance, to_json
    from ..weights import AggregateOptions, ElicitOptions, weights_summary
    from .tables import weights_csv, weights_table

    loaded = load_case(case, strict=strict)
    result = weights_summary(
        loaded,
        ElicitOptions(ranking=ranking, max_cr=max_cr),
        AggregateOptions(within=within, pairwise=pairwise, contested_cv=contested),
        by=by,
        strict=strict,
    )
    if fmt == "json":
        params = {
            "case": case,
            "by": by,
            "within": within,
            "pairwise": pairwise,
            "ranking": ranking,
            "max_cr": max_cr,
            "contested": contested,
            "strict": strict,
        }
        text = to_json(result, provenance("weights", params, loaded.inputs))
    elif fmt == "csv":
        text = weights_csv(result)
    else:
        text = weights_table(result)
    emit(text, output)


@cli.command()
@click.argument("case", type=click.Path(), required=False)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the schema to this file.")
def schema(case: str | None, output: str | None) -> None:
    """JSON Schema of a YAML/JSON stakeholder submission.

    With CASE, the schema lists that case's criterion and goal ids and its groups, so that an
    editor or a participation platform can check a submission before it is sent.
    """
    import json

    from ..weights import submission_schema

    loaded = None
    if case is not None:
        from ..case import load_case

        loaded = load_case(case)
    emit(json.dumps(submission_schema(loaded), ensure_ascii=False, indent=2) + "\n", output)


@cli.command()
@click.argument("case", type=click.Path())
@click.option(
    "--method",
    type=click.Choice(["direct", "points", "ranking", "pairwise", "swing"]),
    default="points",
    show_default=True,
    help="Elicitation method of the template.",
)
@click.option(
    "--level",
    type=click.Choice(["goals", "criteria"]),
    default=None,
    help="Weight goals or criteria [default: goals when the case has goals].",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["yaml", "csv", "xlsx"]),
    default="yaml",
    show_default=True,
    help="yaml for one submission; csv/xlsx also for surveys.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Write the template to this file (required for xlsx).",
)
def template(case: str, method: str, level: str | None, fmt: str, output: str | None) -> None:
    """A fill-in submission for CASE that lists its goals or criteria with their titles."""
    from ..case import load_case
    from ..errors import InputError, Problem
    from ..output import write_atomic
    from ..weights import render_template

    content = render_template(load_case(case), method, fmt, level)
    if output:
        write_atomic(output, content)
    elif fmt == "xlsx":
        raise InputError(Problem("--output", "an xlsx template needs -o FILE.xlsx"))
    else:
        click.echo(content.decode("utf-8"), nl=False)


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
                    help="Stakeholder consensus, equal weights, or an objective method (pymcdm).",
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
                    type=click.Choice(["uniform", "dirichlet", "submissions"]),
                    default="dirichlet",
                    show_default=True,
                    help="Uniform on the simplex, Dirichlet around the weights, or resampled submissions.",
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


@cli.command()
@click.argument("case", type=click.Path())
@click.option(
    "--method",
    type=_METHOD_CHOICE,
    default=None,
    help="MCDM method, or `all` for the comparison [default: the case's, else topsis].",
)
@weight_options
@click.option("--by-group", is_flag=True, help="Rank under every group's weights side by side.")
@click.option(
    "--top-k",
    type=click.IntRange(min=1),
    default=5,
    show_default=True,
    help="With --by-group: a consensus measure is in every group's top k.",
)
@click.option(
    "--compromise",
    type=click.Choice(["copeland", "borda"]),
    default="copeland",
    show_default=True,
    help="With --method all: how the methods' ranks are combined.",
)
@output_options
def rank(
    case: str,
    method: str | None,
    weights_from: str,
    group: str | None,
    weights_file: str | None,
    scenario: str | None,
    option_pairs: tuple[str, ...],
    by_group: bool,
    top_k: int,
    compromise: str,
    fmt: str,
    output: str | None,
) -> None:
    """Rank the measures of CASE with an MCDM method (pymcdm) under the stakeholders' weights."""
    from ..case import load_case
    from ..output import provenance, to_csv, to_json
    from ..ranking import (
        compare_methods,
        decision_matrix,
        method_options,
        rank_by_group,
        rank_case,
        resolve_weights,
    )
    from .tables import by_group_table, compare_table, rank_table

    loaded = load_case(case)
    method = method or _default_method(loaded)
    params = {
        "case": case,
        "method": method,
        "weights_from": weights_from,
        "group": group,
        "weights": weights_file,
        "scenario": scenario,
        "options": list(option_pairs),
        "by_group": by_group,
        "top_k": top_k,
        "compromise": compromise,
    }
    if by_group:
        if method == "all":
            raise click.UsageError("--by-group needs one method, not `all`")
        result = rank_by_group(loaded, method, method_options(method, option_pairs), top_k, scenario)
        table, rows = (
            by_group_table,
            [[x["id"], x["consensus"], *x["groups"].values(), x["spread"]] for x in result["ranks"]],
        )
        header = ["id", "consensus", *result["groups"], "spread"]
    else:
        dm = decision_matrix(loaded, scenario)
        w, info = resolve_weights(loaded, dm, weights_from, group, weights_file)
        _weights_caveats(info)
        if method == "all":
            result = compare_methods(loaded, w, info, option_pairs, scenario, compromise)
            names = result["correlation"]["methods"]
            table, header = compare_table, ["id", "compromise", *names]
            rows = [[x["id"], x["compromise"], *[x["ranks"][n] for n in names]] for x in result["ranks"]]
        else:
            result = rank_case(loaded, method, method_options(method, option_pairs), w, info, scenario)
            table, header = rank_table, ["rank", "id", "name", "score"]
            rows = [[x["rank"], x["id"], x["name"], x["score"]] for x in result["ranking"]]
    if fmt == "json":
        text = to_json(result, provenance("rank", params, loaded.inputs))
    elif fmt == "csv":
        text = to_csv(header, rows)
    else:
        text = table(result)
    emit(text, output)


def _default_method(case) -> str:
    method = case.config.defaults.method
    return method if method in _METHOD_CHOICE.choices else "topsis"


@cli.command()
@click.argument("case", type=click.Path())
@click.option(
    "--method", type=_ONE_METHOD, default=None, help="MCDM method [default: the case's, else topsis]."
)
@weight_options
@sampling_options(10_000, "for SMAA")
@click.option(
    "--concentration",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="Dirichlet concentration (larger = closer to the weights) [default: 10 x criteria].",
)
@click.option(
    "--top-k",
    type=click.IntRange(min=1),
    default=3,
    show_default=True,
    help="Size of the top set whose stability is reported.",
)
@output_options
def sensitivity(
    case: str,
    method: str | None,
    weights_from: str,
    group: str | None,
    weights_file: str | None,
    scenario: str | None,
    option_pairs: tuple[str, ...],
    samples: int,
    seed: int | None,
    sampling: str,
    concentration: float | None,
    top_k: int,
    fmt: str,
    output: str | None,
) -> None:
    """How stable the ranking is: weight intervals and SMAA-2 rank acceptability."""
    from ..case import load_case
    from ..output import provenance, to_csv, to_json
    from ..ranking import decision_matrix, method_options, resolve_weights, sensitivity_summary
    from .tables import sensitivity_table

    loaded = load_case(case)
    method = method or _default_method(loaded)
    if method == "all":
        raise click.UsageError("sensitivity needs one method, not `all`")
    seed = loaded.config.defaults.seed if seed is None else seed
    dm = decision_matrix(loaded, scenario)
    w, info = resolve_weights(loaded, dm, weights_from, group, weights_file)
    _weights_caveats(info)
    opts = method_options(method, option_pairs)
    result = _with_progress(
        "SMAA samples",
        samples,
        lambda progress: sensitivity_summary(
            loaded, method, opts, w, info, samples, seed, sampling, concentration, top_k, scenario, progress
        ),
    )
    params = {
        "case": case,
        "method": method,
        "weights_from": weights_from,
        "group": group,
        "weights": weights_file,
        "scenario": scenario,
        "options": list(option_pairs),
        "samples": samples,
        "sampling": sampling,
        "concentration": concentration,
        "top_k": top_k,
    }
    if fmt == "json":
        text = to_json(result, provenance("sensitivity", params, loaded.inputs, seed=seed))
    elif fmt == "csv":
        n = len(result["acceptability"])
        text = to_csv(
            ["id", "first", f"top_{top_k}", "confidence", *[f"rank_{r + 1}" for r in range(n)]],
            [
                [x["id"], x["first"], x["top_k"], x["confidence"], *x["by_rank"]]
                for x in result["acceptability"]
            ],
        )
    else:
        text = sensitivity_table(result)
    emit(text, output)


@cli.command()
@click.argument("case", type=click.Path())
@click.option(
    "--graphml",
    type=click.Path(dir_okay=False),
    help="Also write the graph as GraphML (Gephi, yEd, networkx).",
)
@click.option("--dot", type=click.Path(dir_okay=False), help="Also write the graph as Graphviz DOT.")
@click.option(
    "--derive-pairs",
    is_flag=True,
    default=None,
    help="Also derive measure conflict pairs from goal conflicts [default: case.yaml's "
    "portfolio.derive_pairs].",
)
@click.option(
    "--top", type=click.IntRange(min=1), default=10, show_default=True, help="Conflicts shown in the table."
)
@click.option("--seed", type=int, default=None, help="Seed of the cluster search [default: the case's].")
@output_options
def conflicts(
    case: str,
    graphml: str | None,
    dot: str | None,
    derive_pairs: bool | None,
    top: int,
    seed: int | None,
    fmt: str,
    output: str | None,
) -> None:
    """Goal conflicts (Zielkonflikte) and synergies: the most severe conflicts, hotspots,
    synergy clusters, and the measures exposed to each conflict."""
    from ..case import load_case
    from ..conflicts import analyse_conflicts, build_graph, write_dot, write_graphml
    from ..output import provenance, to_csv, to_json
    from .tables import conflicts_table

    loaded = load_case(case)
    seed = loaded.config.defaults.seed if seed is None else seed
    derive = loaded.config.portfolio.derive_pairs if derive_pairs is None else derive_pairs
    result = analyse_conflicts(loaded, seed=seed, derive_pairs=derive)
    if graphml or dot:
        graph = build_graph(loaded)
        if graphml:
            write_graphml(graph, graphml)
        if dot:
            write_dot(graph, dot)
    params = {"case": case, "derive_pairs": derive, "graphml": graphml, "dot": dot, "top": top}
    if fmt == "json":
        text = to_json(result, provenance("conflicts", params, loaded.inputs, seed=seed))
    elif fmt == "csv":
        text = to_csv(
            ["rank", "a", "b", "strength", "severity", "share", "measures_a", "measures_b"],
            [
                [
                    k["rank"],
                    k["a"],
                    k["b"],
                    k["strength"],
                    k["severity"],
                    k["share"],
                    k["measures_a"],
                    k["measures_b"],
                ]
                for k in result["conflicts"]
            ],
        )
    else:
        text = conflicts_table(result, top=top)
    emit(text, output)


def portfolio_options(fn: Callable) -> Callable:
    """What the portfolio is built from and what constrains it: shared by portfolio and frontier."""
    for decorator in reversed(
        [
            click.option(
                "--method",
                type=_ONE_METHOD,
                default=None,
                help="MCDM method whose scores are the measures' values [default: the case's].",
            ),
            click.option(
                "--objective",
                help="Maximise this numeric column of measures.csv instead (a cost criterion is minimised).",
            ),
            click.option(
                "--limit",
                "limits",
                multiple=True,
                metavar="RESOURCE=VALUE",
                help="Override a resource limit, repeatable (e.g. cost_eur_m=180).",
            ),
            click.option("--include", multiple=True, metavar="ID", help="Force a measure in."),
            click.option("--exclude", multiple=True, metavar="ID", help="Force a measure out."),
            click.option(
                "--cover",
                type=click.IntRange(min=0),
                default=None,
                help="Every goal served by at least this many selected measures.",
            ),
            click.option(
                "--solver",
                type=click.Choice(["cbc", "highs"]),
                default=None,
                help="MILP solver [default: the case's, else cbc].",
            ),
            click.option(
                "--time-limit",
                type=click.FloatRange(min=0, min_open=True),
                default=None,
                help="Seconds per solve; the result then says if optimality was not proven.",
            ),
        ]
    ):
        fn = decorator(fn)
    return weight_options(fn)


def _limits(pairs: tuple[str, ...]) -> dict[str, float]:
    from ..errors import InputError, Problem

    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        try:
            out[key.strip()] = float(value)
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


@cli.command()
@click.argument("case", type=click.Path())
@portfolio_options
@click.option(
    "--tiers",
    type=click.IntRange(min=0),
    default=10,
    show_default=True,
    help="Frontier steps used to give each selected measure a priority tier (0: none).",
)
@click.option("--no-explain", is_flag=True, help="Skip the explanations (they re-solve per measure).")
@click.option("--compare", is_flag=True, help="Show the difference to the case's default portfolio.")
@output_options
def portfolio(
    case: str,
    method,
    weights_from,
    group,
    weights_file,
    scenario,
    option_pairs,
    objective,
    limits,
    include,
    exclude,
    cover,
    solver,
    time_limit,
    tiers: int,
    no_explain: bool,
    compare: bool,
    fmt: str,
    output: str | None,
) -> None:
    """The best set of measures within the resource limits, and why each is in or out.

    Exit code 3 when no portfolio satisfies the constraints, with the reasons.
    """
    from ..case import load_case
    from ..output import provenance, to_json
    from ..portfolio import portfolio_summary
    from .tables import portfolio_csv, portfolio_table

    loaded = load_case(case)
    method, opts, w, info = _values_setup(
        loaded, method, weights_from, group, weights_file, scenario, option_pairs, objective
    )
    solver = solver or loaded.config.defaults.solver
    params = {
        "case": case,
        "method": method,
        "objective": objective,
        "limits": list(limits),
        "include": list(include),
        "exclude": list(exclude),
        "cover": cover,
        "scenario": scenario,
        "weights_from": weights_from,
        "group": group,
        "weights": weights_file,
        "options": list(option_pairs),
        "tiers": tiers,
        "time_limit": time_limit,
        "compare": compare,
    }
    with _no_portfolio_as_json(fmt, output, "portfolio", params, loaded):
        result = portfolio_summary(
            loaded,
            method=method,
            options=opts,
            weights=w,
            weights_info=info,
            objective=objective,
            limits=_limits(limits),
            include=include,
            exclude=exclude,
            coverage=cover,
            scenario=scenario,
            solver=solver,
            time_limit=time_limit,
            explanations=not no_explain,
            tiers=tiers,
            compare=compare,
        )
    if fmt == "json":
        solver_info = {"name": solver, "status": result["status"], "gap": result["gap"]}
        text = to_json(result, provenance("portfolio", params, loaded.inputs, solver=solver_info))
    elif fmt == "csv":
        text = portfolio_csv(result)
    else:
        text = portfolio_table(result)
    emit(text, output)


@cli.command()
@click.argument("case", type=click.Path())
@click.option("--resource", default=None, help="Resource on the x axis [default: the first one].")
@click.option(
    "--steps",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="Number of resource levels (epsilon-constraint steps).",
)
@click.option(
    "--exact", is_flag=True, help="Every Pareto-optimal portfolio instead of --steps levels (one solve each)."
)
@portfolio_options
@output_options
def frontier(
    case: str,
    resource: str | None,
    steps: int,
    exact: bool,
    method,
    weights_from,
    group,
    weights_file,
    scenario,
    option_pairs,
    objective,
    limits,
    include,
    exclude,
    cover,
    solver,
    time_limit,
    fmt: str,
    output: str | None,
) -> None:
    """Value against a resource: the optimal portfolio at every level, and what enters when."""
    from ..case import load_case
    from ..output import provenance, to_csv, to_json
    from ..portfolio import frontier_summary
    from .tables import frontier_table

    loaded = load_case(case)
    method, opts, w, info = _values_setup(
        loaded, method, weights_from, group, weights_file, scenario, option_pairs, objective
    )
    solver = solver or loaded.config.defaults.solver
    resource = resource or next(iter(loaded.resources), None)
    if resource is None:
        raise click.UsageError("the case has no resources: nothing to trade value against")
    params = {
        "case": case,
        "resource": resource,
        "steps": steps,
        "exact": exact,
        "method": method,
        "objective": objective,
        "limits": list(limits),
        "include": list(include),
        "exclude": list(exclude),
        "cover": cover,
        "scenario": scenario,
    }
    with _no_portfolio_as_json(fmt, output, "frontier", params, loaded):
        result = frontier_summary(
            loaded,
            resource=resource,
            steps=None if exact else steps,
            method=method,
            options=opts,
            weights=w,
            weights_info=info,
            objective=objective,
            limits=_limits(limits),
            include=include,
            exclude=exclude,
            coverage=cover,
            scenario=scenario,
            solver=solver,
            time_limit=time_limit,
        )
    if fmt == "json":
        text = to_json(result, provenance("frontier", params, loaded.inputs, solver={"name": solver}))
    elif fmt == "csv":
        text = to_csv(
            ["step", "level", "objective", "used", "status", "entering", "leaving"],
            [
                [p["step"], p["level"], p["objective"], p["used"], p["status"], p["entering"], p["leaving"]]
                for p in result["points"]
            ],
        )
    else:
        text = frontier_table(result)
    emit(text, output)


@cli.command()
@click.argument("case", type=click.Path())
@click.option(
    "--method",
    type=_ONE_METHOD,
    default=None,
    help="MCDM method whose scores are the measures' values [default: the case's].",
)
@weight_options(scenario=False)
@sampling_options(200, "per scenario for the core indices (one MILP solve each)")
@click.option(
    "--solver",
    type=click.Choice(["cbc", "highs"]),
    default=None,
    help="MILP solver for the scenario and joint models [default: the case's].",
)
@output_options
def robust(
    case: str,
    method,
    weights_from,
    group,
    weights_file,
    option_pairs,
    samples: int,
    seed: int | None,
    sampling: str,
    solver: str | None,
    fmt: str,
    output: str | None,
) -> None:
    """Portfolios that hold up in every scenario and for every stakeholder group.

    The optimal portfolio per scenario, the robust core, the regret table, the max-min and
    min-max-regret portfolios, the fair compromise between the groups, and core indices under
    uncertain weights.
    """
    from ..case import load_case
    from ..output import provenance, to_csv, to_json
    from ..robust import robust_summary
    from .tables import robust_table

    loaded = load_case(case)
    method, opts, w, info = _values_setup(
        loaded, method, weights_from, group, weights_file, None, option_pairs, None
    )
    seed = loaded.config.defaults.seed if seed is None else seed
    solver = solver or loaded.config.defaults.solver
    from ..robust import default_workers

    kwargs = dict(
        method=method,
        options=opts,
        weights=w,
        weights_info=info,
        samples=samples,
        seed=seed,
        sampler=sampling,
        solver=solver,
        workers=default_workers(samples * (len(loaded.scenarios) + 1)),
    )
    params = {
        "case": case,
        "method": method,
        "weights_from": weights_from,
        "group": group,
        "weights": weights_file,
        "options": list(option_pairs),
        "samples": samples,
        "sampling": sampling,
    }
    with _no_portfolio_as_json(fmt, output, "robust", params, loaded):
        result = _with_progress(
            "core-index solves",
            samples * (len(loaded.scenarios) + 1),
            lambda progress: robust_summary(loaded, progress=progress, **kwargs),
        )
    if fmt == "json":
        text = to_json(
            result, provenance("robust", params, loaded.inputs, solver={"name": solver}, seed=seed)
        )
    elif fmt == "csv":
        names = result["scenarios"]
        core = {c["id"]: c for c in result["core_index"]}
        text = to_csv(
            ["id", *names, "count", "core_index", "class"],
            [
                [
                    r["id"],
                    *[r["scenarios"][s] for s in names],
                    r["count"],
                    core[r["id"]]["core_index"],
                    core[r["id"]]["class"],
                ]
                for r in result["inclusion"]
            ],
        )
    else:
        text = robust_table(result)
    emit(text, output)


@cli.command()
@click.argument("case", type=click.Path())
@click.option(
    "-o",
    "--output",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False),
    help="Folder for index.html, results.xlsx and json/ (created when missing).",
)
@click.option("--scenario", help="Rank and build the portfolio as the case looks in this scenario.")
@click.option(
    "--lang",
    type=click.Choice(["de", "en"]),
    default=None,
    help="Language of the report [default: the case's `language`, else en].",
)
@click.option(
    "--method", type=_ONE_METHOD, default=None, help="MCDM method [default: the case's, else topsis]."
)
@click.option(
    "--samples",
    type=click.IntRange(min=1),
    default=10_000,
    show_default=True,
    help="Weight samples for SMAA (ranking stability).",
)
@click.option(
    "--robust-samples",
    type=click.IntRange(min=1),
    default=50,
    show_default=True,
    help="Weight samples per scenario for the core index (robustness).",
)
@click.option("--seed", type=int, default=None, help="Random seed [default: the case's].")
@click.option(
    "--solver",
    type=click.Choice(["cbc", "highs"]),
    default=None,
    help="MILP solver [default: the case's, else cbc].",
)
@click.option(
    "--steps",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="Levels of the value-against-budget frontier.",
)
def report(
    case: str,
    out_dir: str,
    scenario: str | None,
    lang: str | None,
    method: str | None,
    samples: int,
    robust_samples: int,
    seed: int | None,
    solver: str | None,
    steps: int,
) -> None:
    """The whole analysis of CASE as one report for people, and its data for programs.

    Writes DIR/index.html (one self-contained page: figures inline, no network needed),
    DIR/results.xlsx (one sheet per table) and DIR/json/<stage>.json (each with provenance),
    then prints the path of index.html. On a terminal, the steps are shown on stderr.
    """
    import sys

    from ..case import load_case
    from ..report import build_report

    if method == "all":
        raise click.UsageError("the report needs one method, not `all`")
    progress = None
    if sys.stderr.isatty():

        def progress(step: str) -> None:
            click.echo(f"report: {step}", err=True)

    loaded = load_case(case)
    result = build_report(
        loaded,
        out_dir,
        lang=lang,
        scenario=scenario,
        method=method,
        solver=solver,
        samples=samples,
        seed=seed,
        steps=steps,
        robust_samples=robust_samples,
        progress=progress,
    )
    click.echo(str(result["index"]))


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="lev2040")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
