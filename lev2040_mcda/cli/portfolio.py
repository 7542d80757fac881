"""``lev2040 portfolio``: the best set of measures within the limits, what it delivers, and why
each is in or out (or entered and left, with ``--compare``); the budget's risk under uncertain
estimates and a robust budget (``--budget-confidence``); with its table and CSV."""

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

__all__ = ["portfolio", "portfolio_csv", "portfolio_table"]


@click.command()
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
@click.option(
    "--include-vote",
    type=click.Choice(["greedy", "mes", "phragmen"]),
    default=None,
    metavar="RULE",
    help="Force in every measure the case's online vote (votes/) selects under this rule "
    "(greedy, mes, phragmen); see `lev2040 vote`.",
)
@click.option(
    "--budget-confidence",
    type=click.FloatRange(0, 1, min_open=True, max_open=True),
    default=None,
    metavar="P",
    help="A robust budget: the best portfolio that stays within each limit with uncertain costs "
    "(uncertainty.csv) with probability at least P (0 < P < 1), keeping a reserve for up to "
    "gamma measures overrunning to their high ends at once (Bertsimas-Sim; the least gamma "
    "that reaches P, checked by sampling).",
)
@scheduler_options
@save_options
@output_options
def portfolio(
    case: str,
    run,
    tiers: int,
    no_explain: bool,
    compare: bool,
    include_vote: str | None,
    budget_confidence: float | None,
    scheduler,
    fmt: str,
    output: str | None,
) -> None:
    """The best set of measures within the resource limits, and why each is in or out.

    Exit code 3 when no portfolio satisfies the constraints, with the reasons. Without a usable
    submission the default values come from equal weights, said on stderr; without resources
    nothing limits the portfolio but the case's rules.
    """
    from ..case import load_case
    from ..output import provenance, to_json
    from ..portfolio import portfolio_summary, portfolio_work

    loaded = load_case(case)
    kwargs = run.arguments(loaded)
    params = {**run.params(case), "method": kwargs["method"], "tiers": tiers, "compare": compare}
    if budget_confidence is not None:
        params["budget_confidence"] = budget_confidence
    if include_vote is not None:
        from ..participation import vote_selection

        chosen, hashes = vote_selection(loaded, include_vote)
        kwargs["include"] = tuple(dict.fromkeys([*kwargs["include"], *chosen]))
        params |= {"include_vote": include_vote, "vote_selected": chosen}
        loaded = loaded.model_copy(update={"inputs": {**hashes, **loaded.inputs}})
    work = portfolio_work(len(loaded.measures), len(loaded.resources), not no_explain, tiers)
    with _no_portfolio_as_json(fmt, output, "portfolio", params, loaded):
        result = _with_progress(
            "explaining",
            work,
            lambda progress: portfolio_summary(
                loaded,
                **kwargs,
                explanations=not no_explain,
                tiers=tiers,
                compare=compare,
                budget_confidence=budget_confidence,
                progress=progress,
                executor=scheduler,
            ),
        )
    solver_info = {"name": kwargs["solver"], "status": result["status"], "gap": result["gap"]}
    emit_result(
        fmt,
        output,
        loaded,
        {
            "json": lambda: to_json(
                result, provenance("portfolio", params, loaded.inputs, solver=solver_info)
            ),
            "csv": lambda: portfolio_csv(result),
            "table": lambda: portfolio_table(result),
        },
    )


def portfolio_table(r: dict[str, Any]) -> str:
    status = r["status"]
    if not r["proven_optimal"]:
        status += (
            " (optimality not proven"
            + (
                f"; at most {100 * r['gap']:.3g}% below the best possible value, the solver's proven bound"
                if r.get("gap") is not None
                else ""
            )
            + ")"
        )
    parts = r.get("value_parts")
    split = (
        f" = measures {_num(parts['measures'])}"
        + (f" + synergies {_num(parts['synergies'])}" if parts["synergies"] else "")
        + (f" - conflicts {_num(-parts['conflicts'])}" if parts["conflicts"] else "")
        if parts and (parts["synergies"] or parts["conflicts"])
        else ""
    )
    out = [
        f"Portfolio: {status}, solver {r['solver']}; value {_num(r['objective'])}{split} "
        f"({r['objective_is']})" + (f"; scenario {r['scenario']}" if r.get("scenario") else "") + "\n\n"
    ]
    out.append(
        format_table(
            ["resource", "used", "limit", "unit"],
            [[k, v["used"], v["limit"], v["unit"]] for k, v in r["resources"].items()],
        )
    )
    out += _budget_lines(r)
    if r.get("delivers"):
        out.append(
            "\nWhat the package delivers (the selected measures' values summed, or their mean where marked, in each criterion's unit)\n"
        )
        out.append(
            format_table(
                ["criterion", "name", "package", "all candidates", "share", "unit"], _delivers_rows(r)
            )
        )
    out += _equity_lines(r)
    out += _spread_lines(r.get("spread"))
    if r.get("periods"):
        out.append("\nPeriods (each selected measure starts in the earliest period its limits allow)\n")
        out.append(
            format_table(
                ["period", "title", "resource", "used", "limit"],
                [
                    [pd["id"], pd["title"], k, v["used"], v["limit"]]
                    for pd in r["periods"]
                    for k, v in pd["resources"].items()
                ],
            )
        )
    explain = r.get("explanations", {})
    loss = {x["id"]: x for x in explain.get("selected", [])}
    rows = []
    for m in sorted(r["measures"], key=lambda m: (m.get("tier") or 0, m["id"])):
        e = loss.get(m["id"], {})
        rows.append(
            [
                m.get("tier", ""),
                m["id"],
                m["name"],
                _num(m["value"]),
                *([m["start"]] if "start" in m else []),
                _span(e, "loss_if_removed", "loss_interval") if e else "",
                e.get("note", ""),
            ]
        )
    head = [
        "tier",
        "selected",
        "name",
        "value",
        *(["start"] if r["measures"] and "start" in r["measures"][0] else []),
        "loss if removed",
        "note",
    ]
    grows = r.get("priority", {}).get("resource", "the budget")
    out += [
        f"\nSelected measures ({len(r['measures'])}; tier = frontier step from which it "
        f"stays in as {grows} grows)\n",
        format_table(head, rows),
    ]
    if explain:
        spans = explain.get("marginal_interval", {})
        rows = [
            [x["id"], _span(x, "opportunity_cost", "cost_interval"), "; ".join(x["blocked_by"])]
            for x in sorted(
                explain["not_selected"],
                key=lambda x: (_low(x) is None, _low(x) or 0),
            )
        ]
        out += [
            f"\nLeft out ({len(rows)}; opportunity cost = value lost if forced in)\n",
            format_table(["measure", "opportunity cost", "blocked by"], rows),
        ]
        out.append(
            "\nMarginal value of one more unit: "
            + (
                ", ".join(
                    f"{k} {_span({'v': v, 'exact': k not in spans, 'i': spans.get(k)}, 'v', 'i')}"
                    for k, v in explain["marginal_value"].items()
                )
                or "none (the case has no resources)"
            )
            + "\n"
        )
    if "compare" in r:
        c = r["compare"]
        out.append(
            f"\nCompared with the case's default portfolio: value {_num(c['baseline_objective'])}"
            f" -> {_num(c['objective'])}; added: {', '.join(c['added']) or 'none'}; "
            f"removed: {', '.join(c['removed']) or 'none'}\n"
        )
        out += [f"  {k}: {v['baseline']:g} -> {v['now']:g}\n" for k, v in c["resources"].items()]
        why = c.get("why", {})
        if why:
            rows = [
                [mid, "added" if mid in c["added"] else "removed", "; ".join(x["text"] for x in reasons)]
                for mid, reasons in why.items()
            ]
            out.append(format_table(["measure", "change", "why"], rows))
    return "".join(out)


def _equity_lines(r: dict[str, Any]) -> list[str]:
    """Need weighting (when on) and the equity rules: each listed district's benefit per resident
    against the average and its share of each named resource against its population share."""
    lines = (
        ["\nValues weighted by the need of each measure's district (Stadtcheck)\n"]
        if r.get("need_weighting")
        else []
    )
    eq = r.get("equity")
    if not eq:
        return lines
    rules = [f"benefit per resident >= {eq['min_benefit_per_resident']:g} x average"] * bool(
        eq["min_benefit_per_resident"]
    )
    rules += [f"share of {k} >= {v:g} x population share" for k, v in eq["min_budget_share"].items()]
    lines.append(
        f"\nEquity per resident ({'; '.join(rules)}; {'holds' if eq['holds'] else 'does not hold'})\n"
    )
    shares = list(eq["min_budget_share"])
    rows = [
        [
            d,
            f"{e['population']:g}",
            f"{e['population_share']:.1%}",
            _num(e["benefit"]),
            "-" if e["of_average"] is None else f"{e['of_average']:.2f}",
            *("-" if e[f"share_of_{k}"] is None else f"{e[f'share_of_{k}']:.1%}" for k in shares),
        ]
        for d, e in eq["districts"].items()
    ]
    head = [
        "district",
        "residents",
        "population share",
        "benefit",
        "x average",
        *(f"share of {k}" for k in shares),
    ]
    return [*lines, format_table(head, rows)]


def _spread_lines(spread: dict[str, Any] | None) -> list[str]:
    """How the package spreads over the districts (a case with a Stadtcheck): per level the Gini and
    Theil index of the budget per resident and the districts that get nothing."""
    if not spread:
        return []
    rows = [
        [
            f"level {lv['depth']} ({len(lv['districts'])})",
            _num(lv["gini"]["budget_per_resident"]),
            _num(lv["theil"]["budget_per_resident"]),
            _num(lv["gini"]["benefit_per_resident"]),
            ", ".join(lv["nothing"]) or "-",
        ]
        for lv in spread["levels"]
    ]
    head = ["districts", "Gini budget", "Theil budget", "Gini benefit", "get nothing"]
    city = spread["citywide"]["measures"]
    note = f"; {len(city)} measures act citywide" if city else ""
    return [
        f"\nSpread over the districts (per resident, weighted by residents{note})\n",
        format_table(head, rows),
    ]


def _budget_lines(r: dict[str, Any]) -> list[str]:
    """The budget's risk under the uncertain estimates, one line per limit, and the robust budget
    when one was asked for."""
    lines = []
    risk = r.get("budget_risk") or {}
    if risk:
        first = next(iter(risk.values()))
        lines.append(
            f"\nBudget risk ({first['samples']} draws of the uncertain estimates, seed {first['seed']})\n"
        )
    for k, v in risk.items():
        unit = f" {v['unit']}" if v.get("unit") else ""
        lines.append(
            f"  {k}: within {v['limit']:g}{unit} with probability {v['probability_within']:.2f} "
            f"(p90 {v['p90']:.4g}, p95 {v['p95']:.4g}; nominal {v['nominal']:.4g})\n"
        )
    for b in r.get("robust_budget") or []:
        cost = "" if b["value_cost"] is None else f"; value given up {_num(b['value_cost'])}"
        held = f"  robust budget {b['resource']}: held with probability {b['achieved']:.2f}"
        held += f" >= {b['confidence']:g}"
        reserve = (
            f"with a reserve of {b['reserve']:.4g} for up to {b['gamma']:g} of {b['uncertain']} measures "
            f"overrunning at once (gamma = {b['gamma']:g})"
            if b["gamma"]
            else "without a reserve (gamma = 0)"
        )
        lines.append(f"{held} {reserve}{cost}\n")
    return lines


def _low(x: dict[str, Any]) -> float | None:
    """A left-out measure's opportunity cost, or the lower end of its proven interval."""
    return x["opportunity_cost"] if x.get("exact", True) else x["cost_interval"][0]


def _span(e: dict[str, Any], key: str, span: str) -> str:
    """An explanation's value, or its proven interval when the proof did not finish within its
    budget (``0.031–0.045 (not proven)``; an open end: ``at least 0.031``)."""
    if e.get("exact", True):
        return _num(e.get(key))
    lo, hi = e[span]
    if hi is None:
        return f"at least {_num(lo)} (not proven)"
    if lo is None:
        return f"at most {_num(hi)} (not proven)"
    return f"{_num(lo)}–{_num(hi)} (not proven)"


def _delivers_rows(r: dict[str, Any]) -> list[list[Any]]:
    rows = []
    for cid, d in r["delivers"].items():
        share = d["selected"] / d["all"] if d["all"] and d.get("aggregate", "sum") == "sum" else None
        mean = "mean " if d.get("aggregate") == "mean" else ""
        rows.append(
            [
                cid,
                d["name"],
                f"{mean}{_amount(d['selected'])}",
                f"{mean}{_amount(d['all'])}",
                f"{share:.0%}" if share is not None and 0 <= share <= 1 else "-",
                d["unit"] or "",
            ]
        )
    return rows


def _amount(v: float) -> str:
    """An amount in a criterion's unit with the decimals its size needs: 30700, 34.3, 4.52."""
    size = abs(v)
    text = f"{v:.0f}" if size >= 100 else f"{v:.1f}" if size >= 10 else f"{v:.3g}"
    return text[1:] if text.startswith("-") and not text.strip("-0.") else text


def portfolio_csv(r: dict[str, Any]) -> str:
    from ..output import to_csv

    explain = r.get("explanations", {})
    loss = {x["id"]: x.get("loss_if_removed") for x in explain.get("selected", [])}
    cost = {x["id"]: x.get("opportunity_cost") for x in explain.get("not_selected", [])}
    blocked = {x["id"]: "; ".join(x["blocked_by"]) for x in explain.get("not_selected", [])}
    ids = list(dict.fromkeys([m["id"] for m in r["measures"]] + list(cost)))
    tiers = r.get("priority", {}).get("tiers", {})
    start = {m["id"]: m.get("start") for m in r["measures"]}
    value = {m["id"]: m["value"] for m in r["measures"]}
    c = r.get("compare")
    head = ["id", "selected", "value", "tier", "start", "loss_if_removed", "opportunity_cost", "blocked_by"]
    rows = [
        [
            i,
            i in r["selected"],
            value.get(i),
            tiers.get(i),
            start.get(i),
            loss.get(i),
            cost.get(i),
            blocked.get(i),
        ]
        for i in ids
    ]
    if c is not None:  # with --compare: the change against the default portfolio, and why
        for i in c.get("removed", []):
            if i not in ids:
                ids.append(i)
                rows.append([i, False, None, None, None, None, None, None])
        change = dict.fromkeys(c["added"], "added") | dict.fromkeys(c["removed"], "removed")
        why = {i: "; ".join(x["text"] for x in rs) for i, rs in c.get("why", {}).items()}
        head += ["change", "why"]
        rows = [[*row, change.get(i), why.get(i)] for i, row in zip(ids, rows)]
    return to_csv(head, rows)
