"""The what-if a report shows: the options of ``lev2040 portfolio`` that change its answer
(``--limit``, ``--include``, ``--exclude``, ``--cover``, ``--need-weighting``,
``--min-benefit-per-resident``, ``--min-budget-share``; ``--group``, ``--weights``,
``--weights-from``, ``--option``; ``--scenario``), as the stages' parameters and in words.

Only what differs from the defaults is kept, so that a report without a what-if has the
parameters, provenance and bytes it always had; a report with one says so at the top of the page
(:func:`what_if_items`), because a council member who reads "the proposed package" must know it
is the package under a changed budget or another group's weights.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..case import Case
from ..errors import InputError, Problem, did_you_mean, display_path
from .context import Context

__all__ = [
    "check_what_if",
    "provenance_what_if",
    "weights_from_text",
    "what_if_items",
    "what_if_parameters",
    "what_if_sentence",
]

_SOURCES = {
    "equal": "whatif_weights_equal",
    "entropy": "whatif_weights_entropy",
    "critic": "whatif_weights_critic",
}
"""``--weights-from`` other than the consensus -> the i18n key of its words."""
_FORCED = {"include": "whatif_include", "exclude": "whatif_exclude"}
"""The measures forced in or kept out -> the i18n key of their sentence."""
_LABELS = {
    "options": "param_options",
    "limits": "param_limits",
    "include": "param_include",
    "exclude": "param_exclude",
    "cover": "param_cover",
    "need_weighting": "param_need_weighting",
    "equity": "param_equity",
}
"""The parts of a what-if the provenance table labels -> the i18n key of the label."""


def what_if_parameters(
    *,
    group: str | None = None,
    weights_file: str | Path | None = None,
    option_pairs: Sequence[str] = (),
    limits: Mapping[str, float] | None = None,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    coverage: int | None = None,
    need_weighting: bool | None = None,
    min_benefit_per_resident: float | None = None,
    min_budget_share: Mapping[str, float] | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The what-if's parameters that differ from the defaults, JSON-ready, in two parts: how the
    weights are made (``group``, ``weights``: the file, ``options``: the method's ``KEY=VALUE``
    pairs), for every stage that ranks or values measures; and what constrains the portfolio
    (``limits``: resource -> limit, ``include``, ``exclude``, ``cover``), for the portfolio and
    its frontier, with need and equity (``need_weighting``, ``min_benefit_per_resident``,
    ``min_budget_share``: resource -> share; :mod:`lev2040_mcda.portfolio.equity`; None: the case's
    own). ``weights_from`` is a parameter of every report already and is not repeated."""
    weighting: dict[str, Any] = {}
    if group is not None:
        weighting["group"] = group
    if weights_file is not None:
        weighting["weights"] = display_path(weights_file)
    if option_pairs:
        weighting["options"] = list(option_pairs)
    constraints: dict[str, Any] = {}
    if limits:
        constraints["limits"] = {k: float(v) for k, v in limits.items()}
    if include:
        constraints["include"] = list(include)
    if exclude:
        constraints["exclude"] = list(exclude)
    if coverage is not None:
        constraints["cover"] = coverage
    if need_weighting is not None:
        constraints["need_weighting"] = bool(need_weighting)
    if min_benefit_per_resident is not None:
        constraints["min_benefit_per_resident"] = float(min_benefit_per_resident)
    if min_budget_share:
        constraints["min_budget_share"] = {k: float(v) for k, v in min_budget_share.items()}
    return weighting, constraints


def weights_from_text(t: Mapping[str, str], source: str | None) -> str | None:
    """``--weights-from`` in words (``equal weights``); ``None`` for the consensus."""
    return t[_SOURCES[source]] if source in _SOURCES else None


def check_what_if(
    case: Case, limits: Mapping[str, float] | None, include: Sequence[str], exclude: Sequence[str]
) -> None:
    """Refuse an unknown measure or resource before the report's long stages run (the portfolio
    stage would find it only after the ranking and the SMAA samples), in the words the portfolio
    gives them."""
    ids = [m.id for m in case.measures]
    for flag, wanted in (("--include", include), ("--exclude", exclude)):
        for mid in wanted:
            if mid not in ids:
                raise InputError(Problem(flag, f"unknown measure {mid!r}{did_you_mean(mid, ids)}"))
    for r in limits or {}:
        if r not in case.resources:
            known = ", ".join(case.resources) or "none"
            raise InputError(Problem("--limit", f"unknown resource {r!r} (expected one of {known})"))


def what_if_items(ctx: Context, p: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The what-if of the stages' parameters ``p`` in words, as ``(parameter, text)`` pairs in
    the order the page says them: the scenario, where the weights come from, the method's
    options, each changed limit (with the case's own), the measures forced in and kept out, the
    goal cover. Empty without a what-if."""
    t, items = ctx.t, []
    if p.get("scenario"):
        items.append(
            (
                "scenario",
                t["whatif_scenario"].format(scenario=ctx.scenarios.get(p["scenario"], p["scenario"])),
            )
        )
    if p.get("group") is not None:
        items.append(("group", t["whatif_group"].format(group=ctx.groups.get(p["group"], p["group"]))))
    elif p.get("weights") is not None:
        items.append(("weights", t["whatif_file"].format(file=p["weights"])))
    elif weights_from_text(t, p.get("weights_from")):
        items.append(("weights_from", weights_from_text(t, p.get("weights_from"))))
    if p.get("options"):
        items.append(("options", t["whatif_options"].format(options=", ".join(p["options"]))))
    for rid, limit in (p.get("limits") or {}).items():
        res = ctx.case.resources.get(rid)
        unit = f" {res.unit}" if res is not None and res.unit else ""
        was = res.limit if res is not None else None
        items.append(
            (
                "limits",
                t["whatif_limit"].format(
                    resource=ctx.resources.get(rid, rid),
                    limit=ctx.amount(limit) + unit,
                    case_limit=t["no_limit"] if was is None else ctx.amount(was) + unit,
                ),
            )
        )
    for key in ("include", "exclude"):
        if p.get(key):
            items.append((key, t[_FORCED[key]].format(measures=ctx.names(p[key], limit=8))))
    if p.get("cover") is not None:
        items.append(("cover", t["whatif_cover"].format(n=ctx.num(int(p["cover"])))))
    return items + _fair_items(ctx, p)


def _fair_items(ctx: Context, p: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Need weighting and the equity rules of the what-if in words."""
    t, items = ctx.t, []
    if p.get("need_weighting") is not None:
        items.append(("need_weighting", t["whatif_need_on" if p["need_weighting"] else "whatif_need_off"]))
    if p.get("min_benefit_per_resident") is not None:
        x = ctx.num(float(p["min_benefit_per_resident"]))
        items.append(("equity", t["whatif_min_benefit"].format(x=x)))
    for rid, y in (p.get("min_budget_share") or {}).items():
        res = ctx.resources.get(rid, rid)
        items.append(("equity", t["whatif_min_budget_share"].format(y=ctx.num(float(y)), resource=res)))
    return items


_WEIGHTS = ("group", "weights", "weights_from")
"""The parameters of :func:`what_if_items` that say where the weights come from."""


def what_if_sentence(ctx: Context, p: Mapping[str, Any]) -> str | None:
    """The page's line on its what-if (``scenario Heat; Investitionen limited to 60 EUR m (the
    case: 100 EUR m); forced in: Tram line.``), ``None`` without one."""
    items = what_if_items(ctx, p)
    return "; ".join(text for _, text in items) + "." if items else None


def provenance_what_if(ctx: Context, p: Mapping[str, Any]) -> tuple[str, list[tuple[str, str]]]:
    """The provenance table's weights (the consensus, or the what-if's source in words) and a
    labelled row for each other part of the what-if (the scenario has its row already)."""
    items = what_if_items(ctx, p)
    weights = next((text for key, text in items if key in _WEIGHTS), ctx.t["param_weights_consensus"])
    rows = [(ctx.t.get(_LABELS[key], key.replace("_", " ")), text) for key, text in items if key in _LABELS]
    return weights, rows
