"""``lev2040 robust``: portfolios that hold up in every scenario and for every stakeholder group,
with the table people read."""

from __future__ import annotations

from typing import Any

import click

from .format import _num, _weights_line, format_table
from .options import (
    _no_portfolio_as_json,
    _values_setup,
    estimates_option,
    note_unused_method,
    output_options,
    sampling_options,
    scheduler_options,
    value_method_option,
    value_option,
    weight_options,
)
from .progress import with_stages
from .saving import emit_result, save_options
from .weights import note_skipped, note_weights

__all__ = ["robust", "robust_table"]


@click.command()
@click.argument("case", type=click.Path())
@value_option
@value_method_option
@weight_options(scenario=False)
@sampling_options(200, "per scenario for the core indices (one MILP solve each)")
@estimates_option
@click.option(
    "--solver",
    type=click.Choice(["cbc", "highs"]),
    default=None,
    help="MILP solver for the scenario and joint models [default: the case's].",
)
@scheduler_options
@save_options
@output_options
def robust(
    case: str,
    value: str,
    method,
    weights_from,
    group,
    weights_file,
    option_pairs,
    samples: int,
    seed: int | None,
    sampling: str,
    estimates: str,
    solver: str | None,
    scheduler,
    fmt: str,
    output: str | None,
) -> None:
    """Portfolios that hold up in every scenario and for every stakeholder group.

    The optimal portfolio per scenario, the robust core, the regret table, the max-min and
    min-max-regret portfolios, the fair compromise between the groups, and core indices under
    uncertain weights.

    Scenarios, groups and submissions are optional. Without scenarios only the baseline is
    compared; without a usable submission the default weights are equal weights, and the fair
    compromise (no groups' weights) and --sampling submissions' core indices (nothing to
    resample) are skipped: each said in a `note:` on stderr and in the JSON's `skipped`.

    On a terminal, stderr shows each step (stage k/5: the scenario portfolios, the regret
    table, the joint portfolios, the groups' portfolios, the core indices), its solves done of
    the total, its time and about how long it has left.
    """
    from ..case import load_case
    from ..output import provenance, to_json
    from ..robust import robust_summary
    from ..robust.core import STAGES

    loaded = load_case(case)
    note_unused_method(value, method, option_pairs, None)
    method, opts, w, info = _values_setup(
        loaded, method, weights_from, group, weights_file, None, option_pairs, None
    )
    note_weights(info)
    seed = loaded.config.defaults.seed if seed is None else seed
    solver = solver or loaded.config.defaults.solver
    kwargs = dict(
        value=value,
        method=method,
        options=opts,
        weights=w,
        weights_info=info,
        samples=samples,
        seed=seed,
        sampler=sampling,
        solver=solver,
        executor=scheduler,
        estimates=estimates,
    )
    params = {
        "case": case,
        "value": value,
        "method": method,
        "weights_from": weights_from,
        "group": group,
        "weights": weights_file,
        "options": list(option_pairs),
        "samples": samples,
        "sampling": sampling,
        "estimates": estimates,
    }
    with _no_portfolio_as_json(fmt, output, "robust", params, loaded):
        result = with_stages("robust", STAGES, lambda tell: robust_summary(loaded, stages=tell, **kwargs))
    note_skipped(result, _SKIPPED)
    emit_result(
        fmt,
        output,
        loaded,
        {
            "json": lambda: to_json(
                result, provenance("robust", params, loaded.inputs, solver={"name": solver}, seed=seed)
            ),
            "csv": lambda: robust_csv(result),
            "table": lambda: robust_table(result),
        },
    )


def robust_csv(result: dict[str, Any]) -> str:
    from ..output import to_csv

    names = result["scenarios"]
    core = {c["id"]: c for c in result["core_index"]}
    return to_csv(
        ["id", *names, "count", "core_index", "class"],
        [
            [
                r["id"],
                *[r["scenarios"][s] for s in names],
                r["count"],
                core.get(r["id"], {}).get("core_index"),
                core.get(r["id"], {}).get("class"),
            ]
            for r in result["inclusion"]
        ],
    )


_SKIPPED = {"groups": "the fair compromise between the groups"}


def _values_label(r: dict[str, Any]) -> str:
    if r.get("value", "fixed") == "fixed":
        return "values on the criteria's fixed scales, the same in every scenario"
    return f"{r['label']} scores rescaled per scenario"


def robust_table(r: dict[str, Any]) -> str:
    names = r["scenarios"]
    tag = {s: f"S{k}" for k, s in enumerate(names)}
    out = [
        f"Robustness ({_values_label(r)}; {_weights_line(r)}); scenarios: "
        + ", ".join(f"{tag[s]} = {s}" for s in names)
        + "\n\n"
    ]
    out.append(
        format_table(
            ["scenario", "value", "measures"],
            [[tag[s], _num(p["objective"]), len(p["selected"])] for s, p in r["portfolios"].items()],
        )
    )
    out.append(
        f"\nRobust core (selected in every scenario, {len(r['core'])}): {', '.join(r['core']) or 'none'}\n"
    )
    out.append(f"Contested ({len(r['contested'])}): {', '.join(r['contested']) or 'none'}\n")
    out.append(f"Never selected ({len(r['never'])}): {', '.join(r['never']) or 'none'}\n")
    reg = r["regret"]["regret"]
    out += [
        "\nRegret (row: the portfolio of a scenario, column: valued in a scenario; - = not feasible there)\n",
        format_table(
            ["", *[tag[s] for s in names]], [[tag[a], *[_num(v) for v in row]] for a, row in zip(names, reg)]
        ),
    ]
    mm, mr = r["maxmin"], r["minmax_regret"]
    out.append(
        f"\nMax-min portfolio ({mm['status']}): worst value {_num(mm['worst'])}; "
        f"{len(mm['selected'])} measures: {', '.join(mm['selected'])}\n"
    )
    out.append(
        f"Min-max-regret portfolio ({mr['status']}): largest regret {_num(mr['max_regret'])}; "
        f"{len(mr['selected'])} measures: {', '.join(mr['selected'])}\n"
    )
    g = r["groups"]
    if g.get("compromise"):
        comp = g["compromise"]
        out.append(
            f"\nFair compromise between the groups ({comp['status']}): worst group gets "
            f"{_num(comp['worst_ratio'])} of its own optimum; {len(comp['selected'])} "
            f"measures: {', '.join(comp['selected'])}\n"
        )
        out.append(
            format_table(
                ["group", "consensus portfolio", "fair compromise"],
                [
                    [k, f"{v['consensus']:.1%}", f"{v['compromise']:.1%}"]
                    for k, v in g["satisfaction"].items()
                ],
            )
        )
        out.append(f"({g['note']})\n")
    elif "groups" in r.get("skipped", {}):
        out.append(f"\nFair compromise between the groups: skipped: {r['skipped']['groups']}\n")
    s = r["sampling"]
    if "core_index" in r.get("skipped", {}):
        out.append(f"\nCore index: skipped: {r['skipped']['core_index']}\n")
        return "".join(out)
    rows = [
        [c["id"], _share(c["core_index"]), c["class"]]
        for c in sorted(r["core_index"], key=lambda c: -c["core_index"])
    ]
    est = r.get("estimates", {"mode": "exact"})
    drawn = (
        f" with {est['cells']:,} uncertain estimates drawn ({est['source']})"
        if est["mode"] == "uncertain"
        else ""
    )
    pairs = "scenario x weight-and-value-sample" if drawn else "scenario x weight-sample"
    out += [
        f"\nCore index (share of {pairs} pairs in which the measure is "
        f"optimal; {s['samples']} {s['sampler']} samples per scenario{drawn}, seed {s['seed']})\n",
        format_table(["measure", "core index", "class"], rows),
    ]
    for resource, b in r.get("budget", {}).items():
        out.append(
            f"\nBudget {resource}: the baseline portfolio stays within {_num(b['limit'], 1)} with "
            f"probability {b['probability_within']:.0%} (p90 {_num(b['p90'], 1)}, {b['samples']:,} samples)\n"
        )
    return "".join(out)


def _share(x: float) -> str:
    """A share in [0, 1] with two decimals that never reads as 0 or 1 when it is not.

    >>> [_share(x) for x in (0.0, 0.003, 0.5, 0.998, 1.0)]
    ['0.00', '<0.01', '0.50', '>0.99', '1.00']
    """
    if 0 < x < 0.005:
        return "<0.01"
    if 0.995 <= x < 1:
        return ">0.99"
    return f"{x:.2f}"
