"""``lev2040 scenarios``: the consistent scenarios of a cross-impact balance (CIB) model, their
robustness, the succession's attractors, and a diverse selection written into the case; with the
scenario tableau people read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from .format import format_table
from .options import _with_progress, emit, output_options, scheduler_options

__all__ = ["scenarios", "scenarios_table"]


def _fixed(pairs: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise click.BadParameter(f"{pair!r} is not DESCRIPTOR=VARIANT", param_hint="--fix")
        out[name.strip()] = value.strip()
    return out


@click.command()
@click.argument("source", type=click.Path())
@click.option(
    "--max-inconsistency",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="List the weakly inconsistent scenarios too: every descriptor within K of its best variant.",
)
@click.option(
    "--fix",
    "fix",
    multiple=True,
    metavar="DESCRIPTOR=VARIANT",
    help="An intervention: the descriptor keeps this variant (a policy lever), exempt from consistency.",
)
@click.option(
    "--robust",
    "robustness",
    type=click.FloatRange(min=0),
    default=None,
    metavar="D",
    help="Mark the scenarios that stay consistent whatever every judgement does within ±D.",
)
@click.option(
    "--ensemble",
    multiple=True,
    type=click.Path(),
    metavar="SOURCE",
    help="Another expert group's matrix (same descriptors): in how many matrices each scenario is consistent.",
)
@click.option(
    "--basins",
    "starts",
    type=click.IntRange(min=0),
    default=0,
    metavar="N",
    help="Succession from N seeded random starts: the attractors and their basins (volume weights).",
)
@click.option(
    "--succession",
    "rule",
    type=click.Choice(["global", "adiabatic"]),
    default="global",
    show_default=True,
    help="Succession rule for --basins: every descriptor at once, or the most inconsistent first.",
)
@click.option("--seed", type=int, default=None, help="Seed of --basins [default: the case's, else 2040].")
@click.option(
    "--select",
    type=click.IntRange(min=1),
    default=None,
    metavar="K",
    help="Choose K scenarios that differ most (the most consistent first), as scenarios for the case.",
)
@click.option("--write", is_flag=True, help="With --select: write them into the case's scenarios.yaml.")
@click.option("--prefix", default="cib_", show_default=True, help="Ids of the written scenarios.")
@click.option(
    "--time-budget",
    type=click.FloatRange(min=0, min_open=True),
    default=120.0,
    show_default=True,
    help="Seconds each chunk of the exact search may take; beyond, use --basins instead.",
)
@click.option(
    "--show", type=click.IntRange(min=1), default=8, show_default=True, help="Scenarios in the table."
)
@scheduler_options
@output_options
def scenarios(
    source: str,
    max_inconsistency: int,
    fix: tuple[str, ...],
    robustness: float | None,
    ensemble: tuple[str, ...],
    starts: int,
    rule: str,
    seed: int | None,
    select: int | None,
    write: bool,
    prefix: str,
    time_budget: float,
    show: int,
    scheduler,
    fmt: str,
    output: str | None,
) -> None:
    """Scenarios by cross-impact balance: every consistent combination of the descriptors' variants.

    SOURCE is a case folder (its descriptors.yaml and cross_impacts.csv), a folder with just those
    two files, or a ScenarioWizard .scw file. The search is exact (a pruned search, not brute
    force). `--select K --write` turns the K chosen scenarios into entries of the case's
    scenarios.yaml (between marker lines; the hand-written scenarios stay as they are), so that
    `robust`, `portfolio --scenario` and `report` use them.
    """
    from ..case import find_case_file, load_case, load_cib
    from ..output import provenance, to_csv, to_json
    from ..scenarios import scenarios_summary, write_scenarios

    if write and select is None:
        raise click.UsageError("--write needs --select K (which scenarios to write)")
    case = load_case(source) if _is_case(source, find_case_file) else None
    if write and case is None:
        raise click.UsageError("--write needs a case folder (with case.yaml) as SOURCE")
    if case is not None and case.cib is None:
        raise click.UsageError(f"{source} has no CIB model (descriptors.yaml and cross_impacts.csv)")
    model = case.cib if case is not None else load_cib(source)
    others = tuple(load_cib(s) for s in ensemble)
    seed = (case.config.defaults.seed if case is not None else 2040) if seed is None else seed
    result = _with_progress(
        "scenarios: search",
        0,
        lambda progress: scenarios_summary(
            model,
            max_inconsistency=max_inconsistency,
            fixed=_fixed(fix),
            robustness=robustness,
            ensemble=others,
            starts=starts,
            seed=seed,
            rule=rule,
            select=select,
            prefix=prefix,
            time_budget=time_budget,
            executor=scheduler,
            progress=progress,
        ),
    )
    params = {
        "source": source,
        "max_inconsistency": max_inconsistency,
        "fix": list(fix),
        "robust": robustness,
        "ensemble": list(ensemble),
        "basins": starts,
        "succession": rule,
        "select": select,
        "prefix": prefix,
    }
    inputs = dict(case.inputs if case is not None else model.hashes)
    for path_, other in zip(ensemble, others):
        inputs |= {f"{path_}:{k}": v for k, v in other.hashes.items()}
    if fmt == "json":
        text = to_json(result, provenance("scenarios", params, inputs, seed=seed if starts else None))
    elif fmt == "csv":
        text = _csv(result, to_csv)
    else:
        text = scenarios_table(result, show)
    emit(text, output)
    if write:  # after the result is out: a failing -o leaves the case as it was
        path = write_scenarios(case, result["case_scenarios"])
        click.echo(f"wrote {len(result['case_scenarios'])} scenarios into {path}", err=True)


def _is_case(source: str, find_case_file) -> bool:
    """A folder with a case.yaml (else SOURCE is read as a CIB model alone, which says what is wrong)."""
    path = Path(source)
    try:
        return path.is_dir() and find_case_file(path).is_file()
    except (OSError, ValueError):  # a path too long, or with a NUL character
        return False


def _extras(r: dict[str, Any]) -> list[tuple[str, str]]:
    """The optional per-scenario columns: (key, heading)."""
    first = r["scenarios"][0] if r["scenarios"] else {}
    return [
        (k, h)
        for k, h in (
            ("robust", f"robust ±{r.get('robustness', 0):g}"),
            ("consistent_in", "matrices"),
            ("basin", "basin"),
        )
        if k in first
    ]


def _cell(key: str, value: Any, members: int) -> str:
    if key == "robust":
        return "yes" if value else "no"
    if key == "consistent_in":
        return f"{value} of {members}"
    return f"{100 * value:.1f}%"


def scenarios_table(r: dict[str, Any], show: int = 8) -> str:
    rows, descriptors = r["scenarios"], r["descriptors"]
    what = "consistent" if r["max_inconsistency"] == 0 else f"within inconsistency {r['max_inconsistency']}"
    fixed = "".join(f"; {d} fixed at {v}" for d, v in r["fixed"].items())
    head = (
        f"CIB scenarios of {r['source'] or 'the model'}: {len(descriptors)} descriptors, "
        f"{r['space']:,} combinations, {len(rows)} {what}{fixed}\n"
    )
    if not rows:
        return (
            head
            + "\nNo scenario is consistent: try --max-inconsistency 1, or --basins N for the attractors.\n"
        )
    shown = rows[:show]
    names = {d["id"]: {v["id"]: v["name"] for v in d["variants"]} for d in descriptors}
    selected = set(r.get("selected", []))
    columns = [f"#{k + 1}{'*' if k in selected else ''}" for k in range(len(shown))]
    members = len(r.get("ensemble", {}).get("members", []))
    body = [
        [f"{d['name']} ({d['parameter']})" if d["parameter"] else d["name"]]
        + [_short(names[d["id"]][s["variants"][d["id"]]]) for s in shown]
        for d in descriptors
    ]
    body.append(["inconsistency"] + [str(s["inconsistency"]) for s in shown])
    body.append(["total impact score"] + [str(s["total_impact"]) for s in shown])
    for key, heading in _extras(r):
        body.append([heading] + [_cell(key, s[key], members) for s in shown])
    text = head + "\n" + format_table(["descriptor", *columns], body)
    if len(rows) > show:
        text += f"(+{len(rows) - show} more: --show {len(rows)}, or --format json)\n"
    if selected:
        text += "* selected (--select): " + ", ".join(e["id"] for e in r["case_scenarios"]) + "\n"
    if "attractors" in r:
        text += _attractors(r)
    return text


def _short(name: str, width: int = 24) -> str:
    return name if len(name) <= width else name[: width - 1] + "…"


def _attractors(r: dict[str, Any]) -> str:
    """Each attractor: a consistent scenario by its number in the table above, a cycle by the
    descriptors that change along it."""
    s = r["succession"]
    number = {tuple(sorted(x["variants"].items())): k + 1 for k, x in enumerate(r["scenarios"])}
    out = []
    for a in r["attractors"][:10]:
        if a["cycle"]:
            moving = [d for d in a["states"][0] if len({st[d] for st in a["states"]}) > 1]
            what = f"cycle of {len(a['states'])} states, changing " + ", ".join(moving)
        else:
            k = number.get(tuple(sorted(a["states"][0].items())))
            what = f"scenario #{k}" if k else "scenario (not listed: more inconsistent)"
        out.append([f"{100 * a['share']:.1f}%", what])
    more = f" (first 10 of {len(r['attractors'])})" if len(r["attractors"]) > 10 else ""
    return (
        f"\nAttractors of the {s['rule']} succession from {s['starts']:,} random starts (seed {s['seed']}){more}:\n"
        + format_table(["basin", "attractor"], out)
    )


def _csv(r: dict[str, Any], to_csv) -> str:
    ids = [d["id"] for d in r["descriptors"]]
    extras = _extras(r)
    return to_csv(
        ["scenario", "inconsistency", "total_impact", *(k for k, _ in extras), *ids],
        [
            [k + 1, s["inconsistency"], s["total_impact"], *(s[key] for key, _ in extras)]
            + [s["variants"][d] for d in ids]
            for k, s in enumerate(r["scenarios"])
        ],
    )
