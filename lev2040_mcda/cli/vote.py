"""``lev2040 vote``: the online participation's vote counted with a participatory-budgeting rule,
the support per measure, and the vote beside the MCDA portfolio; with its tables."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from .format import _num, format_table
from .options import output_options
from .saving import emit_result, save_options

__all__ = ["vote", "vote_table"]

# the choices as the participation stage names them (participation.profile; a test keeps them equal);
# the CLI imports no stage at module level
RULES = ("greedy", "mes", "phragmen")
UTILITIES = ("cost", "cardinality", "points")
COMPLETIONS = ("add1u", "add1", "add1eu", "add1e", "utilitarian", "none")
TIE_BREAKS = ("votes", "cost", "order")


@click.command()
@click.argument("source", type=click.Path())
@click.option(
    "--rule",
    type=click.Choice(RULES),
    default="mes",
    show_default=True,
    help="greedy: by votes, skipping what does not fit (what most cities use); mes: the Method of "
    "Equal Shares; phragmen: sequential Phragmén (approval ballots).",
)
@click.option(
    "--utility",
    type=click.Choice(UTILITIES),
    default=None,
    help="MES: a voter's utility of a project [default: cost for approval ballots, else points].",
)
@click.option(
    "--completion",
    type=click.Choice(COMPLETIONS),
    default="add1u",
    show_default=True,
    help="MES: how its result is completed (add1u: raise every voter's budget in equal steps, then "
    "greedy, as equalshares.net does; none: the raw rule).",
)
@click.option(
    "--tie-break",
    type=click.Choice(TIE_BREAKS),
    default="votes",
    show_default=True,
    help="Ties: more votes first (then lower cost), lower cost first, or file order.",
)
@click.option("--no-compare", is_flag=True, help="Only count: leave out the MCDA portfolio beside the vote.")
@click.option(
    "--as-criterion",
    "as_criterion",
    is_flag=False,
    flag_value="",
    default=None,
    metavar="[CRITERION]",
    help="Let the analysis weigh the vote: each measure's support replaces this criterion's values "
    "(on its scale; alone: the case's acceptance criterion).",
)
@click.option(
    "--budget",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="The budget of a platform export that states none (Decidim, CONSUL).",
)
@click.option(
    "--show", type=click.IntRange(min=1), default=15, show_default=True, help="Measures in the tables."
)
@save_options
@output_options
def vote(
    source: str,
    rule: str,
    utility: str | None,
    completion: str,
    tie_break: str,
    no_compare: bool,
    as_criterion: str | None,
    budget: float | None,
    show: int,
    fmt: str,
    output: str | None,
) -> None:
    """The citizens' vote: counted, its support per measure and district, beside the portfolio.

    SOURCE is a case folder (the ballots in its votes/ folder: Pabulib .pb files, Decidim or CONSUL
    exports, plain ballot CSVs, with votes/mapping.csv from projects to measures), or one vote file.
    On a case, the measures the vote selects are set beside the MCDA portfolio (the case's
    consensus weights and defaults, as the report computes it): in both, only in the vote, only in
    the analysis, with why the analysis left out what citizens chose, and per district the share of
    the budget each spends there against its share of the voters and of the population.
    """
    from ..case import load_case, load_votes
    from ..output import provenance, to_json
    from ..participation import vote_hashes, vote_summary

    path = Path(source)
    case = load_case(path) if path.is_dir() and (path / "case.yaml").is_file() else None
    if as_criterion is not None and case is None:
        raise click.UsageError("--as-criterion needs a case folder as SOURCE")
    votes = load_votes(source, case=case, budget=budget)
    result = vote_summary(
        votes,
        case,
        rule=rule,
        utility=utility,
        completion=completion,
        tie_break=tie_break,
        compare=not no_compare,
        as_criterion=as_criterion if case is not None else None,
    )
    for v in result["votes"]:
        if v["rejected"]:
            click.echo(f"note: {v['source']}: {v['rejected']} ballots rejected (not counted):", err=True)
            for line in v["rejected_lines"]:
                click.echo(f"- {line}", err=True)
        for line in v["notes"]:
            click.echo(f"note: {v['source']}: {line}", err=True)
        if v["unmapped"] and case is not None:
            click.echo(
                f"note: {v['source']}: projects mapped to no measure: {', '.join(v['unmapped'])}", err=True
            )
    params = {
        "source": source,
        "rule": rule,
        "utility": utility,
        "completion": completion,
        "tie_break": tie_break,
        "compare": not no_compare,
        "as_criterion": as_criterion,
        "budget": budget,
    }
    inputs = {**(case.inputs if case is not None else {}), **vote_hashes(votes)}
    emit_result(
        fmt,
        output,
        case,
        {
            "json": lambda: to_json(
                result, provenance("vote", params, inputs, seed=0)
            ),  # the bootstrap's seed
            "csv": lambda: vote_csv(result),
            "table": lambda: vote_table(result, show),
        },
    )


def vote_csv(result: dict[str, Any]) -> str:
    from ..output import to_csv

    return to_csv(
        ["id", "name", "approvals", "share", "share_low", "share_high", "in_vote", "in_analysis"],
        [
            [
                r["id"],
                r["name"],
                r["approvals"],
                r["share"],
                r["share_low"],
                r["share_high"],
                r["in_vote"],
                r["in_analysis"],
            ]
            for r in result["measures"]
        ],
    )


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.1f}%"


def vote_table(r: dict[str, Any], show: int = 15) -> str:
    out = []
    for v in r["votes"]:
        o = v["outcome"]
        out.append(
            f"{v['name']}: {v['ballots']} ballots counted ({v['rejected']} rejected), {v['kind']}; "
            f"{r['rule']}{'' if r['completion'] is None else ' + ' + r['completion']}: {len(o['selected'])} "
            f"projects for {_num(o['cost'])} of {_num(o['budget'])}"
            + (f"; {len(o['ties'])} ties broken by {r['tie_break']}" if o["ties"] else "")
        )
    compare = "comparison" in r
    rows = [
        [
            m["name"],
            f"{m['approvals']:g}",
            f"{_pct(m['share'])} [{_pct(m['share_low'])}-{_pct(m['share_high'])}]"
            if m["share"] is not None
            else "-",
            "yes" if m["in_vote"] else "",
            *(["yes" if m["in_analysis"] else ""] if compare else []),
        ]
        for m in r["measures"][:show]
    ]
    text = (
        "\n".join(out)
        + "\n\n"
        + format_table(
            ["measure", "votes", "share of voters [95%]", "vote", *(["analysis"] if compare else [])], rows
        )
    )
    if len(r["measures"]) > show:
        text += f"(+{len(r['measures']) - show} more: --show {len(r['measures'])}, or --format json)\n"
    if "as_criterion" in r:
        a = r["as_criterion"]
        text += (
            f"\nThe analysis weighs the vote as {a['criterion']}: support on its scale "
            f"{_num(a['low'])}-{_num(a['high'])} (the most supported measure at the best end)\n"
        )
    if compare:
        c = r["comparison"]
        text += (
            f"\nVote and analysis: {len(c['both'])} measures in both, {len(c['only_vote'])} only in the "
            f"vote, {len(c['only_analysis'])} only in the analysis\n"
        )
        why = [
            [row["name"], "; ".join(row.get("why_not", [])) or "-"]
            for row in c["rows"]
            if row["in"] == "vote"
        ]
        if why:
            text += "\nWhy the analysis left out what the citizens chose:\n" + format_table(
                ["measure", "reason"], why
            )
        if c["districts"]:
            text += f"\nShare of the {c['resource']} per district:\n" + format_table(
                ["district", "voters", "population", "vote", "analysis"],
                [
                    [
                        d["name"],
                        _pct(d["voter_share"]),
                        _pct(d["population_share"]),
                        _pct(d["vote_share"]),
                        _pct(d["analysis_share"]),
                    ]
                    for d in c["districts"]
                ],
            )
    return text
