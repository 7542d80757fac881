"""``lev2040 weights``, ``schema`` and ``template``: the stakeholders' submissions — the group and
consensus weights they give, the JSON Schema they are checked against, and a fill-in template;
with the weights' table and CSV."""

from __future__ import annotations

from typing import Any

import click

from .format import _notes, format_table
from .options import emit, output_options

__all__ = ["schema", "template", "weights", "weights_csv", "weights_table"]

SKIPPED = {
    "consensus": "the consensus weights",
    "groups": "the ranks per group",
    "core_index": "the core indices",
    "frontier": "the frontier",
}
"""What a part of a result named in its ``skipped`` is, for the note that says it was skipped."""


def note_weights(
    info: dict[str, Any], hint: str = " (--weights-from or --weights chooses another source)"
) -> None:
    """Say on stderr when the default weights are equal weights because the case has no usable
    submission, or what else the weights' source notes (``info`` is a result's
    ``weights_source``; ``hint``: how to choose other weights)."""
    if info.get("note"):
        click.echo(f"note: {info['note']}", err=True)
    why = info.get("skipped", {}).get("consensus")
    if why:
        click.echo(f"note: no consensus weights: {why}; equal weights used{hint}", err=True)


def note_skipped(result: dict[str, Any], labels: dict[str, str] | None = None) -> None:
    """One note on stderr for every part of ``result`` it names in ``skipped``, with the reason."""
    for part, why in result.get("skipped", {}).items():
        what = (labels or {}).get(part) or SKIPPED.get(part, part)
        click.echo(f"note: skipped {what}: {why}", err=True)


@click.command()
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

    Submissions are optional: a case without any (or with every one rejected) is valid, so this
    says "no submissions" plainly and exits 0 (--strict: 2 when any was rejected); the other
    commands then rank with equal weights, said so, unless --weights-from or --weights says
    otherwise.
    """
    from ..case import load_case
    from ..output import provenance, to_json
    from ..weights import AggregateOptions, ElicitOptions, weights_summary

    loaded = load_case(case, strict=strict)
    result = weights_summary(
        loaded,
        ElicitOptions(ranking=ranking, max_cr=max_cr),
        AggregateOptions(within=within, pairwise=pairwise, contested_cv=contested),
        by=by,
        strict=strict,
    )
    if "skipped" in result:
        click.echo(f"note: no group or consensus weights: {result['skipped']['consensus']}", err=True)
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


@click.command()
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


@click.command()
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
@click.option(
    "--lang",
    type=click.Choice(["de", "en"]),
    default=None,
    help="Language of the instructions and labels [default: the case's language].",
)
def template(
    case: str, method: str, level: str | None, fmt: str, output: str | None, lang: str | None
) -> None:
    """A fill-in submission for CASE that lists its goals or criteria with their titles.

    The instructions, comments and labels are in the case's language (case.yaml `language:`) or
    --lang; the keys and ids the engine reads are the same in every language. A German CSV is
    separated by semicolons. An xlsx template has a drop-down for the group, number checks on
    the cells, a guide sheet, and for points a cell that checks the sum.
    """
    from ..case import load_case
    from ..errors import InputError, Problem
    from ..output import write_atomic
    from ..weights import render_template

    content = render_template(load_case(case), method, fmt, level, lang)
    if output:
        write_atomic(output, content)
    elif fmt == "xlsx":
        raise InputError(Problem("--output", "an xlsx template needs -o FILE.xlsx"))
    else:
        click.echo(content.decode("utf-8"), nl=False)


def weights_table(r: dict[str, Any]) -> str:
    """Final weights next to each group's, then consensus and dissent, as the Zielkonferenz reads it."""
    groups = r["groups"]
    s = r["submissions"]
    out = [f"Submissions: {s['read']} read, {s['used']} used, {s['rejected']} rejected\n"]
    if "skipped" in r:
        out.append(
            f"\nNo submissions: {r['skipped']['consensus']}.\nNo group or consensus weights to show; "
            "the commands that rank use equal weights unless --weights-from or --weights says otherwise.\n"
        )
        out.append(_notes(r["rejections"], r["warnings"]))
        return "".join(out)
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
    from ..output import to_csv

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
