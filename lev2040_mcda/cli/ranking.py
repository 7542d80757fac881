"""``lev2040 rank`` and ``lev2040 sensitivity``: the measures ranked by an MCDM method (one, all
of them compared, or under every group's weights) and how stable that ranking is; with their tables."""

from __future__ import annotations

from typing import Any

import click

from .format import _notes, _weights_line, format_table
from .options import (
    _METHOD_CHOICE,
    _ONE_METHOD,
    _default_method,
    _weights_caveats,
    _with_progress,
    estimates_option,
    output_options,
    sampling_options,
    scheduler_options,
    weight_options,
)
from .saving import emit_result, save_options
from .weights import note_skipped, note_weights

__all__ = ["by_group_table", "compare_table", "rank", "rank_table", "sensitivity", "sensitivity_table"]


@click.command()
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
@save_options
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
    """Rank the measures of CASE with an MCDM method (pymcdm) under the stakeholders' weights.

    Without a usable submission the default weights are equal weights, said on stderr (a
    `note:`) and in the JSON's `weights_source` (`source`: "equal (no submissions)", `skipped`);
    --by-group then has no groups to compare and says so.
    """
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
        _weights_caveats(result["weights_source"])
        note_weights(result["weights_source"])
        note_skipped(result)
        table, rows = (
            by_group_table,
            [[x["id"], x["consensus"], *x["groups"].values(), x["spread"]] for x in result["ranks"]],
        )
        header = ["id", "consensus", *result["groups"], "spread"]
    else:
        dm = decision_matrix(loaded, scenario)
        w, info = resolve_weights(loaded, dm, weights_from, group, weights_file)
        _weights_caveats(info)
        note_weights(info)
        if method == "all":
            result = compare_methods(loaded, w, info, option_pairs, scenario, compromise)
            names = result["correlation"]["methods"]
            table, header = compare_table, ["id", "compromise", *names]
            rows = [[x["id"], x["compromise"], *[x["ranks"][n] for n in names]] for x in result["ranks"]]
        else:
            opts = method_options(method, option_pairs)
            result = rank_case(loaded, method, opts, w, info, scenario, dm=dm)
            table, header = rank_table, ["rank", "id", "name", "score"]
            rows = [[x["rank"], x["id"], x["name"], x["score"]] for x in result["ranking"]]
    emit_result(
        fmt,
        output,
        loaded,
        {
            "json": lambda: to_json(result, provenance("rank", params, loaded.inputs)),
            "csv": lambda: to_csv(header, rows),
            "table": lambda: table(result),
        },
    )


@click.command()
@click.argument("case", type=click.Path())
@click.option(
    "--method",
    type=click.Choice([*_ONE_METHOD.choices, "value"]),
    default=None,
    help="MCDM method, or `value`: the portfolio's additive value on fixed scales "
    "[default: the case's, else topsis].",
)
@weight_options
@sampling_options(10_000, "for SMAA")
@estimates_option
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
@scheduler_options
@save_options
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
    estimates: str,
    concentration: float | None,
    top_k: int,
    scheduler,
    fmt: str,
    output: str | None,
) -> None:
    """How stable the ranking is: weight intervals and SMAA-2 rank acceptability.

    Without a usable submission the default weights are equal weights (said on stderr), and
    `--sampling submissions` has nothing to resample: exit 2, naming the samplers that work.
    On a terminal, stderr shows the samples done of the total, the time and the time left.
    """
    from ..case import load_case
    from ..output import provenance, to_csv, to_json
    from ..ranking import decision_matrix, method_options, resolve_weights, sensitivity_summary

    loaded = load_case(case)
    method = method or _default_method(loaded)
    if method == "all":
        raise click.UsageError("sensitivity needs one method, not `all`")
    seed = loaded.config.defaults.seed if seed is None else seed
    dm = decision_matrix(loaded, scenario)
    w, info = resolve_weights(loaded, dm, weights_from, group, weights_file)
    _weights_caveats(info)
    note_weights(info)
    if method == "value" and option_pairs:
        raise click.UsageError("--option: the value on fixed scales has no options")
    opts = {} if method == "value" else method_options(method, option_pairs)
    result = _with_progress(
        "sensitivity: SMAA samples",
        samples,
        lambda progress: sensitivity_summary(
            loaded,
            method,
            opts,
            w,
            info,
            samples,
            seed,
            sampling,
            concentration,
            top_k,
            scenario,
            progress,
            executor=scheduler,
            estimates=estimates,
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
        "estimates": estimates,
        "concentration": concentration,
        "top_k": top_k,
    }
    n = len(result["acceptability"])
    emit_result(
        fmt,
        output,
        loaded,
        {
            "json": lambda: to_json(result, provenance("sensitivity", params, loaded.inputs, seed=seed)),
            "csv": lambda: to_csv(
                ["id", "first", f"top_{top_k}", "confidence", *[f"rank_{r + 1}" for r in range(n)]],
                [
                    [x["id"], x["first"], x["top_k"], x["confidence"], *x["by_rank"]]
                    for x in result["acceptability"]
                ],
            ),
            "table": lambda: sensitivity_table(result),
        },
    )


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
                [labels[i], *["" if v is None else f"{v:.2f}" for v in row]]
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
    if "skipped" in r:
        rows = [[x["consensus"], x["id"], x["name"]] for x in r["ranks"]]
        return (
            f"{r['label']} ranks ({_weights_line(r)}); no ranks per group: {r['skipped']['groups']}\n\n"
            + format_table(["rank", "measure", "name"], rows)
        )
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


def sensitivity_table(r: dict[str, Any], show: int = 15) -> str:
    k = r["top_k"]
    s = r["sampling"]
    est = r.get("estimates", {"mode": "exact"})
    uncertain = est["mode"] == "uncertain"
    values = f" and {est['cells']:,} uncertain estimates ({est['source']})" if uncertain else ""
    out = [
        f"{r['label']}: SMAA-2 with {s['samples']:,} weight samples ({s['sampler']}, seed "
        f"{s['seed']}){values}; {_weights_line(r)}\n\n"
    ]
    # with exact values the confidence factor is 1 for every measure ever first: a column of 1s
    # says nothing, so it is shown only where it is not, and a note says why (JSON and CSV keep it)
    shown = [x["confidence"] for x in r["acceptability"] if x["confidence"] is not None]
    informative = uncertain or any(c != 1 for c in shown)
    drivers = {d["id"]: d for d in r.get("drivers", [])}
    head = ["measure", "rank 1", f"top {k}", *(["confidence"] if informative else [])]
    head += ["rank driven by"] if drivers else []
    rows = [
        [
            x["id"],
            f"{x['first']:.1%}",
            f"{x['top_k']:.1%}",
            *(
                ["-" if x["confidence"] is None else _confidence(x["confidence"], uncertain)]
                if informative
                else []
            ),
            *([_drivers(drivers[x["id"]])] if drivers else []),
        ]
        for x in r["acceptability"][:show]
    ]
    out.append(format_table(head, rows))
    if uncertain:
        out.append(
            "(confidence factor: the share of drawn estimates in which the measure is first under "
            "its central weights; - when it is never first. Rank driven by: the largest shares of "
            "its rank variance, from the weights and from each criterion's estimates)\n"
        )
    elif informative:
        out.append(
            "(confidence factor: 1 when the measure is first under its central weights, the "
            "mean of the samples that make it first; 0 when not; - when it is never first)\n"
        )
    else:
        out.append(
            "(confidence factor not shown: it is 1 for every measure ever first, as the "
            "performance values are exact)\n"
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


def _confidence(c: float, uncertain: bool) -> str:
    return f"{c:.0%}" if uncertain else f"{c:.0f}"


def _drivers(d: dict[str, Any], most: int = 2) -> str:
    """The largest shares of a measure's rank variance: ``weights 60%, co2e 25%``."""
    if not d["shares"]:
        return "-"
    return ", ".join(f"{k} {v:.0%}" for k, v in list(d["shares"].items())[:most] if v >= 0.005) or "-"
