"""The text tables of the command line: what each command prints for people (``--format table``).

Rendering for programs (JSON with provenance, CSV) and writing files live in ``lev2040_mcda.output``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from typing import Any

from ..output import plain as _plain
from ..output import to_csv

__all__ = ["format_table"]


def format_table(header: Sequence[str], rows: Iterable[Sequence[Any]], align: str | None = None) -> str:
    """A plain-text table with aligned columns (numbers right-aligned)."""
    cells = [[_plain(v) for v in row] for row in rows]
    text = [[str(h) for h in header]] + [["" if v is None else _fmt(v) for v in row] for row in cells]
    widths = [max(len(r[i]) for r in text) for i in range(len(header))]
    numeric = [bool(cells) and all(_numberlike(r[i]) for r in cells) for i in range(len(header))]
    lines = []
    for j, row in enumerate(text):
        parts = [
            row[i].rjust(widths[i]) if numeric[i] else row[i].ljust(widths[i]) for i in range(len(header))
        ]
        lines.append("  ".join(parts).rstrip())
        if j == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


_NUMBERLIKE = re.compile(r"^[-+]?[\d,.]+(%|x)?$")


def _numberlike(v: Any) -> bool:
    """Numbers, empty cells and number-like text (``12.5%``, ``2.6x``) are right-aligned."""
    if v is None or v == "" or v == "-":
        return True
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return True
    return isinstance(v, str) and bool(_NUMBERLIKE.match(v))


def _notes(rejected: Any, warnings: Any, indent: str = "") -> str:
    """The closing lines of a table: rejected inputs (indented where they belong to a section),
    then warnings, one per line."""
    return "".join(f"{indent}rejected: {line}\n" for line in rejected) + "".join(
        f"warning: {w}\n" for w in warnings
    )


def _fmt(v: Any) -> str:
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return f"{v:,.4g}" if abs(v) < 1e6 else f"{v:,.0f}"
    return str(v)


# -- lev2040 validate -------------------------------------------------------------------------


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


# -- lev2040 weights --------------------------------------------------------------------------


def weights_table(r: dict[str, Any]) -> str:
    """Final weights next to each group's, then consensus and dissent, as the Zielkonferenz reads it."""
    groups = r["groups"]
    s = r["submissions"]
    out = [f"Submissions: {s['read']} read, {s['used']} used, {s['rejected']} rejected\n"]
    spread = {x["criterion"]: x for x in r["consensus"]["spread"]}
    header = [
        "criterion",
        "final",
        *[f"G{k + 1}" for k in range(len(groups))],
        "CV",
        "highest",
        "lowest",
        "contested",
    ]
    rows = []
    for c in r["criteria"]:
        sp = spread[c["id"]]
        rows.append(
            [
                c["id"],
                f"{c['weight']:.1%}",
                *[f"{g['weights'][c['id']]:.1%}" for g in groups],
                f"{sp['cv']:.2f}",
                sp["highest"],
                sp["lowest"],
                "yes" if sp["contested"] else "",
            ]
        )
    out += ["\nWeights (final = influence-weighted mean of the groups)\n", format_table(header, rows)]
    out += [
        "\nGroups\n",
        format_table(
            ["", "group", "name", "influence", "share", "submissions", "Kendall's W"],
            [
                [
                    f"G{k + 1}",
                    g["id"],
                    g["name"],
                    g["influence"],
                    f"{g['share']:.0%}",
                    g["submissions"],
                    "-" if g["kendall_w"] is None else f"{g['kendall_w']:.2f}",
                ]
                for k, g in enumerate(groups)
            ],
        ),
    ]
    cons = r["consensus"]
    out.append(f"\nConsensus index: {cons['index']:.2f}  ({cons['definition']})\n")
    if cons["distances"]:
        ids = [g["id"] for g in groups]
        dist = {(d["a"], d["b"]): d["distance"] for d in cons["distances"]}
        matrix = [
            [
                f"G{i + 1}",
                *[
                    ("" if i == j else f"{dist.get((a, b), dist.get((b, a), 0)):.2f}")
                    for j, b in enumerate(ids)
                ],
            ]
            for i, a in enumerate(ids)
        ]
        out += [
            "\nDistance between groups (share of weight that would have to move)\n",
            format_table(["", *[f"G{k + 1}" for k in range(len(ids))]], matrix),
        ]
    threshold = cons["contested_threshold"]["cv"]
    contested = ", ".join(cons["contested"]) or "none"
    out.append(f"\nContested criteria (CV across groups >= {threshold:g}): {contested}\n")
    out.append(_notes(r["rejections"], r["warnings"]))
    return "".join(out)


def weights_csv(r: dict[str, Any]) -> str:
    """One row per criterion: final weight and every group's weight (wide)."""
    groups = r["groups"]
    if "by_submission" in r:
        subs = r["by_submission"]
        crit = [c["id"] for c in r["criteria"]]
        return to_csv(
            ["source", "group", "respondent", "method", "level", "cr", *crit],
            [
                [
                    s["source"],
                    s["group"],
                    s["respondent"],
                    s["method"],
                    s["level"],
                    s["cr"],
                    *[s["weights"][c] for c in crit],
                ]
                for s in subs
            ],
        )
    return to_csv(
        ["criterion", "final", *[g["id"] for g in groups]],
        [[c["id"], c["weight"], *[g["weights"][c["id"]] for g in groups]] for c in r["criteria"]],
    )


# -- lev2040 rank / sensitivity ---------------------------------------------------------------


def _weights_line(r: dict[str, Any]) -> str:
    info = r.get("weights_source", {})
    where = info.get("group") or info.get("file") or info.get("source", "")
    return f"weights: {info.get('source', '')}" + (f" ({where})" if where != info.get("source") else "")


def rank_table(r: dict[str, Any]) -> str:
    better = "higher" if r["higher_is_better"] else "lower"
    opts = ", ".join(f"{k}={v}" for k, v in r["options"].items() if not isinstance(v, dict))
    head = f"{r['label']} ({better} score is better{'; ' + opts if opts else ''}); {_weights_line(r)}" + (
        f"; scenario {r['scenario']}" if r.get("scenario") else ""
    )
    rows = [[x["rank"], x["id"], x["name"], f"{x['score']:.4f}"] for x in r["ranking"]]
    out = head + "\n\n" + format_table(["rank", "measure", "name", "score"], rows)
    return out + _notes((), r["warnings"])


def compare_table(r: dict[str, Any]) -> str:
    names = r["correlation"]["methods"]
    labels = [r["methods"][n]["label"] for n in names]
    rows = [[x["compromise"], x["id"], *[x["ranks"][n] for n in names]] for x in r["ranks"]]
    out = [
        f"Method comparison ({_weights_line(r)}); compromise: {r['compromise']['rule']}\n\n",
        format_table(["compromise", "measure", *labels], rows),
    ]
    out.append("\nRank correlation (weighted Spearman r_w; WS similarity in --format json)\n")
    out.append(
        format_table(
            ["", *labels],
            [
                [labels[i], *[f"{v:.2f}" for v in row]]
                for i, row in enumerate(r["correlation"]["weighted_spearman"])
            ],
        )
    )
    out.append(f"\n{r['compromise']['description']}.\n")
    for name, why in r["not_applicable"].items():
        out.append(f"not applicable: {name}: {why}\n")
    out.append(_notes((), dict.fromkeys(r["warnings"])))
    return "".join(out)


def by_group_table(r: dict[str, Any]) -> str:
    groups = r["groups"]
    rows = [
        [
            x["consensus"],
            x["id"],
            *[x["groups"][g] for g in groups],
            x["spread"],
            "yes" if x["in_every_top_k"] else "",
        ]
        for x in r["ranks"]
    ]
    out = [
        f"{r['label']} ranks under every group's weights (G1..G{len(groups)} as listed below)\n\n",
        format_table(
            [
                "consensus",
                "measure",
                *[f"G{k + 1}" for k in range(len(groups))],
                "spread",
                f"top {r['top_k']} for all",
            ],
            rows,
        ),
        "\n",
    ]
    out += [f"G{k + 1} = {g}\n" for k, g in enumerate(groups)]
    cm = ", ".join(r["consensus_measures"]) or "none"
    out.append(f"\nConsensus measures (in every group's top {r['top_k']}): {cm}\n")
    ct = ", ".join(f"{x['id']} (spread {x['spread']})" for x in r["contested_measures"]) or "none"
    out.append(f"Contested measures (widest rank spread across groups): {ct}\n")
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


def sensitivity_table(r: dict[str, Any], show: int = 15) -> str:
    k = r["top_k"]
    s = r["sampling"]
    out = [
        f"{r['label']}: SMAA-2 with {s['samples']:,} weight samples ({s['sampler']}, seed "
        f"{s['seed']}); {_weights_line(r)}\n\n"
    ]
    rows = [
        [
            x["id"],
            f"{x['first']:.1%}",
            f"{x['top_k']:.1%}",
            "-" if x["confidence"] is None else f"{x['confidence']:.0f}",
        ]
        for x in r["acceptability"][:show]
    ]
    out.append(format_table(["measure", "rank 1", f"top {k}", "confidence"], rows))
    out.append(
        "(confidence factor: 1 when the measure is first under its central weights, the "
        "mean of the samples that make it first; 0 when not; - when it is never first)\n"
    )
    if len(r["acceptability"]) > show:
        out.append(f"... {len(r['acceptability']) - show} more in --format json/csv\n")
    out.append(
        f"\nWeight intervals: each criterion's weight (others rescaled in proportion) may move "
        f"within these without changing the first measure / the top {k}\n\n"
    )
    out.append(
        format_table(
            ["criterion", "weight", "first stays", f"top {k} stays"],
            [
                [
                    i["criterion"],
                    f"{i['weight']:.3f}",
                    f"{i['first'][0]:.3f} .. {i['first'][1]:.3f}",
                    f"{i['top_k'][0]:.3f} .. {i['top_k'][1]:.3f}",
                ]
                for i in r["intervals"]
            ],
        )
    )
    return "".join(out)


# -- lev2040 portfolio / frontier -------------------------------------------------------------


def _num(v: Any, digits: int = 3) -> str:
    return "-" if v is None else f"{v:.{digits}f}"


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
        f" = measures {_num(parts['measures'])} + synergies {_num(parts['synergies'])} "
        f"- conflicts {_num(-parts['conflicts'])}"
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
                f"{m['value']:.3f}",
                *([m["start"]] if "start" in m else []),
                _num(e.get("loss_if_removed")) if e else "",
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
        rows = [
            [x["id"], _num(x["opportunity_cost"]), "; ".join(x["blocked_by"])]
            for x in sorted(
                explain["not_selected"],
                key=lambda x: (x["opportunity_cost"] is None, x["opportunity_cost"] or 0),
            )
        ]
        out += [
            f"\nLeft out ({len(rows)}; opportunity cost = value lost if forced in)\n",
            format_table(["measure", "opportunity cost", "blocked by"], rows),
        ]
        out.append(
            "\nMarginal value of one more unit: "
            + ", ".join(f"{k} {_num(v)}" for k, v in explain["marginal_value"].items())
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
    return "".join(out)


def portfolio_csv(r: dict[str, Any]) -> str:
    explain = r.get("explanations", {})
    loss = {x["id"]: x.get("loss_if_removed") for x in explain.get("selected", [])}
    cost = {x["id"]: x.get("opportunity_cost") for x in explain.get("not_selected", [])}
    blocked = {x["id"]: "; ".join(x["blocked_by"]) for x in explain.get("not_selected", [])}
    ids = list(dict.fromkeys([m["id"] for m in r["measures"]] + list(cost)))
    tiers = r.get("priority", {}).get("tiers", {})
    start = {m["id"]: m.get("start") for m in r["measures"]}
    return to_csv(
        ["id", "selected", "tier", "start", "loss_if_removed", "opportunity_cost", "blocked_by"],
        [
            [i, i in r["selected"], tiers.get(i), start.get(i), loss.get(i), cost.get(i), blocked.get(i)]
            for i in ids
        ],
    )


def frontier_table(r: dict[str, Any]) -> str:
    unit = f" {r['unit']}" if r.get("unit") else ""
    rows = [
        [
            p["step"],
            f"{p['level']:.1f}",
            _num(p["objective"]),
            f"{p['used']:.1f}",
            ", ".join(p["entering"]) or ("-" if p["status"] == "optimal" else p["status"]),
            ", ".join(p["leaving"]),
        ]
        for p in r["points"]
    ]
    out = [
        f"Frontier: value ({r['objective_is']}) against {r['resource']}{unit}; "
        f"{r['distinct_portfolios']} distinct optimal portfolios in {r['steps']} steps\n\n",
        format_table(["step", f"{r['resource']} limit", "value", "used", "entering", "leaving"], rows),
    ]
    return "".join(out)


# -- lev2040 conflicts ------------------------------------------------------------------------


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


# -- lev2040 robust ---------------------------------------------------------------------------


def robust_table(r: dict[str, Any]) -> str:
    names = r["scenarios"]
    tag = {s: f"S{k}" for k, s in enumerate(names)}
    out = [
        f"Robustness ({r['label']} values; {_weights_line(r)}); scenarios: "
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
    s = r["sampling"]
    rows = [
        [c["id"], _share(c["core_index"]), c["class"]]
        for c in sorted(r["core_index"], key=lambda c: -c["core_index"])
    ]
    out += [
        f"\nCore index (share of scenario x weight-sample pairs in which the measure is "
        f"optimal; {s['samples']} {s['sampler']} samples per scenario, seed {s['seed']})\n",
        format_table(["measure", "core index", "class"], rows),
    ]
    return "".join(out)
