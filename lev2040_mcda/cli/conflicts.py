"""``lev2040 conflicts``: the goal conflicts (Zielkonflikte) and synergies of a case, with the
graph's exports and the table people read."""

from __future__ import annotations

from typing import Any

import click

from .format import _notes, format_table
from .options import emit, output_options
from .weights import note_skipped, note_weights

__all__ = ["conflicts", "conflicts_table"]


@click.command()
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
    synergy clusters, and the measures exposed to each conflict.

    The goals' weights come from the stakeholders' consensus; without a usable submission from
    equal weights, and who weights each side most is left out: both said on stderr (`note:`)
    and in the JSON (`weights.source`: "equal (no submissions)", `skipped`)."""
    from ..case import load_case
    from ..conflicts import analyse_conflicts, build_graph, write_dot, write_graphml
    from ..output import provenance, to_csv, to_json

    loaded = load_case(case)
    seed = loaded.config.defaults.seed if seed is None else seed
    derive = loaded.config.portfolio.derive_pairs if derive_pairs is None else derive_pairs
    result = analyse_conflicts(loaded, seed=seed, derive_pairs=derive)
    skipped = result.get("skipped", {})
    note_weights({"skipped": skipped}, hint="")
    note_skipped({"skipped": {k: v for k, v in skipped.items() if k != "consensus"}}, _SKIPPED)
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


_SKIPPED = {"groups": "who weights each side of a conflict most"}


def conflicts_table(result: dict[str, Any], top: int = 10) -> str:
    """The result of :func:`analyse_conflicts` as people read it: top conflicts with their
    exposed measures, hotspots, synergy clusters and the most exposed measures.

    Examples
    --------
    >>> from lev2040_mcda import load_case
    >>> from lev2040_mcda.conflicts import analyse_conflicts
    >>> r = analyse_conflicts(load_case("cases/tiny"), {"cost": 1, "co2": 2, "homes": 1})
    >>> print(conflicts_table(r).splitlines()[0])
    Tiny reference case: 3 goals, 6 measures; 2 goal conflicts, 0 goal synergies; weights: given
    """
    c = result["counts"]
    title = result["case"].get("title") or result["case"]["name"]
    out = [
        f"{title}: {c['goals']} goals, {c['measures']} measures; {c['goal_conflicts']} goal "
        f"conflicts, {c['goal_synergies']} goal synergies; "
        f"weights: {result['weights']['source']}\n"
    ]
    conflicts = result["conflicts"][:top]
    out.append(
        f"\nGoal conflicts (Zielkonflikte), most severe first; severity = {result['rules']['severity']}\n"
    )
    rows = [
        [
            k["rank"],
            f"{k['a']} × {k['b']}",
            f"{k['strength']:.2f}",
            f"{k['weight_a']:.3f}",
            f"{k['weight_b']:.3f}",
            f"{k['severity']:.4f}",
            f"{k['share']:.0%}",
            _group(k["highest_a"]),
            _group(k["highest_b"]),
        ]
        for k in conflicts
    ]
    out.append(
        format_table(
            [
                "#",
                "conflict (a × b)",
                "strength",
                "w(a)",
                "w(b)",
                "severity",
                "share",
                "weights a most",
                "weights b most",
            ],
            rows,
        )
        if rows
        else "none\n"
    )
    if conflicts:
        out.append("\nMeasures exposed to these conflicts (serving one side only; bridge = serves both)\n")
        for k in conflicts:
            parts = [f"{k['a']}: {_ids(k['measures_a'])}", f"{k['b']}: {_ids(k['measures_b'])}"]
            if k["bridges"]:
                parts.append(f"bridge: {_ids(k['bridges'])}")
            out.append(f"  {k['rank']}. {k['a']} × {k['b']} — " + "; ".join(parts) + "\n")
    if result["hotspots"]:
        out += [
            f"\nConflict hotspots ({result['rules']['hotspot']})\n",
            format_table(
                ["goal", "title", "conflicts", "degree", "share"],
                [
                    [h["goal"], h["title"], h["conflicts"], f"{h['degree']:.4f}", f"{h['share']:.0%}"]
                    for h in result["hotspots"][:top]
                ],
            ),
            "(share = the goal's degree / the total severity of all conflicts; every conflict has "
            "two goals, so the shares add up to 200%)\n",
        ]
    out.append(f"\nSynergy clusters ({result['rules']['clusters']})\n")
    for cl in result["clusters"]:
        inner = (
            f"; conflicts inside: {', '.join(' × '.join(p) for p in cl['conflicts_within'])}"
            if cl["conflicts_within"]
            else ""
        )
        out.append(f"  {cl['cluster']}. {', '.join(cl['goals'])} (synergy {cl['synergy']:.2f}{inner})\n")
    exposed = [m for m in result["measures"] if m["exposure"] > 0][:top]
    if exposed:
        out += [
            f"\nMost exposed measures ({result['rules']['exposure']})\n",
            format_table(
                ["measure", "serves", "harms", "conflicts", "exposure"],
                [
                    [
                        m["id"],
                        ", ".join(m["serves"]),
                        ", ".join(h["goal"] for h in m["harms"]) or "-",
                        len(m["conflicts"]),
                        f"{m['exposure']:.4f}",
                    ]
                    for m in exposed
                ],
            ),
        ]
    derived = c["derived_pairs"]
    out.append(
        f"\nMeasure pairs for the portfolio: {c['measure_pairs'] - derived} from "
        f"interactions.csv, {derived} derived from goal conflicts\n"
    )
    out.append(_notes((), result.get("warnings", [])))
    return "".join(out)


def _group(h: dict[str, Any] | None) -> str:
    return "-" if h is None else f"{h['group']} ({h['weight']:.0%})"


def _ids(ids: list[str], limit: int = 6) -> str:
    if not ids:
        return "-"
    shown = ", ".join(ids[:limit])
    return shown + (f" +{len(ids) - limit} more" if len(ids) > limit else "")
