"""``lev2040 frontier``: value against a resource, the optimal portfolio at every level and what
enters when; with its table."""

from __future__ import annotations

from typing import Any

import click

from .format import _num, format_table
from .options import (
    _no_portfolio_as_json,
    _with_progress,
    output_options,
    scheduler_options,
)
from .portfolio_run import portfolio_options
from .saving import emit_result, save_options
from .weights import note_skipped

__all__ = ["frontier", "frontier_table"]


@click.command()
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
@scheduler_options
@save_options
@output_options
def frontier(
    case: str,
    resource: str | None,
    steps: int,
    exact: bool,
    run,
    scheduler,
    fmt: str,
    output: str | None,
) -> None:
    """Value against a resource: the optimal portfolio at every level, and what enters when.

    Resources are optional: a case without any has nothing to trade value against, so the
    frontier is skipped, said on stderr and in the JSON (`skipped`), and the exit code is 0.
    """
    from ..case import load_case
    from ..output import provenance, to_csv, to_json
    from ..portfolio import frontier_summary

    loaded = load_case(case)
    kwargs = run.arguments(loaded)  # also checks the options: bad is bad whatever the case holds
    solver = kwargs["solver"]
    resource = resource or next(iter(loaded.resources), None)
    params = {
        **run.params(case),
        "method": kwargs["method"],
        "resource": resource,
        "steps": steps,
        "exact": exact,
    }
    if resource is None:
        result = _no_frontier(kwargs["weights_info"], run.scenario)
        note_skipped(result)
    else:
        with _no_portfolio_as_json(fmt, output, "frontier", params, loaded):
            result = _with_progress(
                "frontier",
                0 if exact else steps,
                lambda progress: frontier_summary(
                    loaded,
                    resource=resource,
                    steps=None if exact else steps,
                    **kwargs,
                    progress=progress,
                    executor=scheduler,
                ),
            )
    emit_result(
        fmt,
        output,
        loaded,
        {
            "json": lambda: to_json(
                result, provenance("frontier", params, loaded.inputs, solver={"name": solver})
            ),
            "csv": lambda: to_csv(
                ["step", "level", "objective", "used", "status", "entering", "leaving"],
                [
                    [
                        p["step"],
                        p["level"],
                        p["objective"],
                        p["used"],
                        p["status"],
                        p["entering"],
                        p["leaving"],
                    ]
                    for p in result["points"]
                ],
            ),
            "table": lambda: frontier_table(result),
        },
    )


def _no_frontier(info: dict[str, Any], scenario: str | None) -> dict[str, Any]:
    """The frontier's result for a case without resources: no points, and why."""
    return {
        "resource": None,
        "unit": None,
        "steps": 0,
        "scenario": scenario,
        "weights_source": info,
        "points": [],
        "distinct_portfolios": 0,
        "skipped": {
            "frontier": "the case has no resources (case.yaml `resources`): nothing to trade value against"
        },
    }


def _short(ids: list[str], width: int = 40) -> str:
    """Ids joined up to about ``width`` characters, the rest counted (``a, b (+5 more)``)."""
    shown: list[str] = []
    for k, mid in enumerate(ids):
        if shown and len(", ".join([*shown, mid])) > width:
            return ", ".join(shown) + f" (+{len(ids) - k} more)"
        shown.append(mid)
    return ", ".join(shown)


def frontier_table(r: dict[str, Any]) -> str:
    if "frontier" in r.get("skipped", {}):
        return f"Frontier: skipped: {r['skipped']['frontier']}\n"
    unit = f" {r['unit']}" if r.get("unit") else ""
    rows = [
        [
            p["step"],
            f"{p['level']:.1f}",
            _num(p["objective"]),
            f"{p['used']:.1f}",
            _short(p["entering"]) or ("-" if p["status"] == "optimal" else p["status"]),
            _short(p["leaving"]),
        ]
        for p in r["points"]
    ]
    out = [
        f"Frontier: value ({r['objective_is']}) against {r['resource']}{unit}; "
        f"{r['distinct_portfolios']} distinct optimal portfolios in {r['steps']} steps\n\n",
        format_table(["step", f"{r['resource']} limit", "value", "used", "entering", "leaving"], rows),
    ]
    return "".join(out)
