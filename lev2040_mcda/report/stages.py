"""The numbers behind the report: every stage of a case run once, as the CLI commands run them.

``compute_stages`` makes the same library calls as ``lev2040 validate``, ``weights``, ``rank``,
``sensitivity``, ``conflicts``, ``portfolio``, ``frontier``, ``robust``, (for a case with a
CIB model) ``scenarios`` and (for a case with a vote) ``vote``, with the consensus weights, and keeps each JSON-ready result with its provenance. A stage that cannot run (no
feasible portfolio, no scenarios, no robust stage in this version) is left out with the reason, so
that the report still builds and says why.

The optional parts of a case stay optional here too: without a usable submission the weights
stage has no group or consensus weights and every stage ranks with equal weights; without
groups (or submissions) there is no fair compromise between groups; without resources no
frontier. Each such part is noted (``notes``: the i18n key of the reason, ``details``: the
engine's reason in English), and the rest of the report runs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..case import Case
from ..errors import display_path
from ..output import provenance
from ..parallel import Scheduler
from .equity import equity_stage
from .stadtcheck import has_stadtcheck, stadtcheck_stage
from .votes import has_votes

__all__ = ["STEPS", "Detail", "Progress", "Stages", "compute_stages"]

Progress = Callable[[str], None]
"""Called with the name of each step as it starts (``summary``, ``weights``, ...)."""
Detail = Callable[[str, int, int], None]
"""Called as ``detail(part, done, total)`` while a long step works: ``done`` of ``total`` units of
the step's ``part`` (``SMAA samples``, ``tiers and explanations``, ``levels``; the robustness
steps: ``scenario portfolios``, ..., ``core indices``) are done."""

STEPS = (
    "summary",
    "stadtcheck",
    "weights",
    "ranking",
    "sensitivity",
    "conflicts",
    "portfolio",
    "frontier",
    "robustness",
    "scenarios",
    "participation",
)
"""The steps of :func:`compute_stages` in order (a step that cannot run is not started: no
frontier without resources, no ``stadtcheck`` without district indicators, no ``scenarios`` without a
CIB model, no ``participation`` without a vote)."""


@dataclass
class Stages:
    """Every stage's JSON-ready result and provenance, and why a stage is missing.

    ``notes`` maps a missing stage (or a skipped part: ``weights``, ``fair``, ``frontier_stage``)
    to the i18n key of the reason; ``details`` to the engine's own explanation, when there is one
    (why no portfolio is feasible, why a part was skipped).
    """

    results: dict[str, dict[str, Any]]
    provenance: dict[str, dict[str, Any]]
    parameters: dict[str, Any]
    notes: dict[str, str] = field(default_factory=dict)
    details: dict[str, str] = field(default_factory=dict)


def compute_stages(
    case: Case,
    *,
    scenario: str | None = None,
    method: str | None = None,
    solver: str | None = None,
    samples: int = 10_000,
    seed: int | None = None,
    steps: int = 10,
    robust_samples: int = 50,
    weights_from: str = "consensus",
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
    progress: Progress | None = None,
    detail: Detail | None = None,
    executor: Executor | Scheduler | None = None,
) -> Stages:
    """Run every stage the report shows, as the CLI commands do, with the consensus weights
    (unless the what-if below asks for others).

    ``scenario`` applies to the ranking, sensitivity, portfolio and frontier; the robustness
    stage compares all scenarios. An infeasible portfolio does not stop the report: the portfolio
    and frontier (or the robustness stage) are then missing, with the reasons in ``details``.

    The what-if of ``lev2040 portfolio``: the weights come from ``weights_from``, ``group`` or
    ``weights_file`` (:func:`~lev2040_mcda.ranking.resolve_weights`) with the method's
    ``option_pairs`` (``--option``) in every stage that ranks or values measures (the robust and
    CIB portfolios and the vote's comparison too, so that they compare like with like);
    ``limits``, ``include``, ``exclude`` and ``coverage`` constrain the portfolio and its
    frontier, as :func:`~lev2040_mcda.portfolio.portfolio_summary` takes them, and so do need
    weighting and the equity rules (``need_weighting``, ``min_benefit_per_resident``,
    ``min_budget_share``; None: the case's own, which every other stage uses). Only what differs
    from the defaults enters the parameters and provenance (:mod:`.whatif`): without a what-if,
    the stages are what they always were.

    ``progress(step)`` is called as each of :data:`STEPS` starts, ``detail(part, done, total)``
    as the long ones (sensitivity, portfolio, frontier, robustness) work; neither changes a
    result. ``executor``: where their parallel loops run (:mod:`lev2040_mcda.parallel`; the same
    result wherever).
    """
    from ..conflicts import analyse_conflicts
    from ..portfolio import InfeasiblePortfolio, frontier_summary, portfolio_summary
    from ..ranking import (
        METHODS,
        compare_methods,
        decision_matrix,
        method_options,
        rank_by_group,
        rank_case,
        resolve_weights,
        sensitivity_summary,
    )
    from ..weights import summarize_case, weights_summary
    from .whatif import check_what_if, what_if_parameters

    step = progress or (lambda _name: None)
    defaults = case.config.defaults
    method = method or (defaults.method if defaults.method in METHODS else "topsis")
    solver = solver or defaults.solver
    seed = defaults.seed if seed is None else seed
    resource = next(iter(case.resources), None)
    check_what_if(case, limits, include, exclude)
    if need_weighting is not None:  # need weighting in every stage that values measures, as case.yaml's
        rules = case.config.portfolio.model_copy(update={"need_weighting": need_weighting})
        case = case.model_copy(update={"config": case.config.model_copy(update={"portfolio": rules})})
    options = method_options(method, tuple(option_pairs))
    weighting, constraints = what_if_parameters(
        group=group,
        weights_file=weights_file,
        option_pairs=option_pairs,
        limits=limits,
        include=include,
        exclude=exclude,
        coverage=coverage,
        need_weighting=need_weighting,
        min_benefit_per_resident=min_benefit_per_resident,
        min_budget_share=min_budget_share,
    )
    base = {"case": display_path(case.root), "scenario": scenario, "weights_from": weights_from, **weighting}
    params = {
        **base,
        "method": method,
        "solver": solver,
        "samples": samples,
        "seed": seed,
        "steps": steps,
        "robust_samples": robust_samples,
        **constraints,
    }
    inputs = dict(case.inputs)
    results: dict[str, dict[str, Any]] = {}
    prov: dict[str, dict[str, Any]] = {}
    notes: dict[str, str] = {}
    details: dict[str, str] = {}

    def keep(name: str, result: dict, command: str, extra: dict, **kw: Any) -> None:
        results[name] = result
        prov[name] = provenance(command, {**base, **extra}, inputs, **kw)

    step("summary")
    keep("summary", summarize_case(case), "validate", {})
    if has_stadtcheck(case):
        step("stadtcheck")
        keep("stadtcheck", stadtcheck_stage(case), "stadtcheck", {})
    step("weights")
    weights = weights_summary(case)
    keep("weights", weights, "weights", {})
    if "skipped" in weights:
        read = weights["submissions"]["read"]
        notes["weights"] = "weights_all_rejected" if read else "weights_no_submissions"
        details["weights"] = weights["skipped"]["consensus"]
    step("ranking")
    dm = decision_matrix(case, scenario)
    w, info = resolve_weights(case, dm, weights_from, group, weights_file)
    if info.get("sha256"):  # a submission file of its own (--weights) is an input too; one in
        # the case folder is named as the case names its files
        inputs[display_path(info["file"], Path(case.root))] = info["sha256"]
    keep("ranking", rank_case(case, method, options, w, info, scenario, dm=dm), "rank", {"method": method})
    keep(
        "methods",
        compare_methods(case, w, info, tuple(option_pairs), scenario),
        "rank",
        {"method": "all", "compromise": "copeland"},
    )
    keep(
        "by_group",
        rank_by_group(case, method, options, 5, scenario),
        "rank",
        {"method": method, "by_group": True, "top_k": 5},
    )
    step("sensitivity")
    keep(
        "sensitivity",
        sensitivity_summary(
            case,
            method,
            options,
            w,
            info,
            samples,
            seed,
            "dirichlet",
            scenario=scenario,
            progress=_part(detail, "SMAA samples"),
            executor=executor,
        ),
        "sensitivity",
        {"method": method, "samples": samples, "sampling": "dirichlet"},
        seed=seed,
    )
    step("conflicts")
    derive = case.config.portfolio.derive_pairs
    keep(
        "conflicts",
        analyse_conflicts(case, seed=seed, derive_pairs=derive),
        "conflicts",
        {"derive_pairs": derive},
        seed=seed,
    )
    common = {
        "method": method,
        "options": options,
        "weights": w,
        "weights_info": info,
        "scenario": scenario,
        "solver": solver,
        "executor": executor,
    }
    limited = {
        "limits": limits,
        "include": tuple(include),
        "exclude": tuple(exclude),
        "coverage": coverage,
        "need_weighting": need_weighting,
        "min_benefit_per_resident": min_benefit_per_resident,
        "min_budget_share": min_budget_share,
    }
    try:
        step("portfolio")
        pf = portfolio_summary(
            case,
            **common,
            **limited,
            **_counted(portfolio_summary, detail, "tiers and explanations"),
        )
        keep(
            "portfolio",
            pf,
            "portfolio",
            {"method": method, **constraints},
            solver={"name": solver, "status": pf["status"], "gap": pf["gap"]},
        )
        if has_stadtcheck(case):  # where the package lands: per district, per resident
            keep(
                "equity",
                equity_stage(pf),
                "portfolio",
                {"method": method, **constraints},
                solver={"name": solver},
            )
        if resource is not None:
            step("frontier")
            keep(
                "frontier",
                frontier_summary(
                    case,
                    resource=resource,
                    steps=steps,
                    **common,
                    **limited,
                    **_counted(frontier_summary, detail, "levels"),
                ),
                "frontier",
                {"method": method, "resource": resource, "steps": steps, **constraints},
                solver={"name": solver},
            )
        else:
            notes["frontier_stage"] = "frontier_no_resources"
            details["frontier_stage"] = "the case has no resources: nothing to trade value against"
    except InfeasiblePortfolio as exc:
        notes["portfolio"], details["portfolio"] = "portfolio_infeasible", str(exc)
    step("robustness")
    try:
        robust, why = _robustness(case, common, robust_samples, seed, detail)
    except InfeasiblePortfolio as exc:
        robust, why = None, "robust_infeasible"
        details["robustness"] = str(exc)
    if robust is not None:
        why_not = robust.get("skipped", {}).get("groups")
        if why_not:
            notes["fair"] = _fair_note(case, weights)
            details["fair"] = why_not
        keep(
            "robustness",
            robust,
            "robust",
            {"method": method, "samples": robust_samples},
            seed=seed,
            solver={"name": solver},
        )
    else:
        notes["robustness"] = why
    if getattr(case, "cib", None) is not None:
        step("scenarios")
        _cib(case, common, keep, notes, details, detail)
    if has_votes(case):
        step("participation")
        _participation(case, common, results.get("portfolio"), results, prov, base, notes, details)
    return Stages(results, prov, params, notes, details)


def _participation(
    case: Case, common: dict, portfolio, results: dict, prov: dict, base: dict, notes: dict, details: dict
) -> None:
    """The online vote counted and set beside the report's portfolio (:mod:`.votes`), kept as
    ``participation`` (what ``lev2040 vote`` computes; its provenance lists the vote files too),
    or the note why not."""
    from .votes import participation_stage

    result, why, detail_text, inputs = participation_stage(case, common, portfolio)
    if result is None:
        notes["participation"], details["participation"] = why, detail_text
        return
    results["participation"] = result
    parameters = {
        **base,
        "rule": result["rule"],
        "completion": result["completion"] if result["rule"] == "mes" else None,
        "tie_break": result["tie_break"],
        "compare": "portfolio",
        "method": common["method"],
    }
    prov["participation"] = provenance(
        "vote", parameters, {**case.inputs, **inputs}, solver={"name": common["solver"]}
    )


def _cib(case: Case, common: dict, keep: Callable, notes: dict, details: dict, detail: Detail | None) -> None:
    """The scenarios built by cross-impact balance and each one's portfolio (:mod:`.cib`), kept as
    ``scenarios`` (what ``lev2040 scenarios`` computes), or the note why not."""
    from .cib import PORTFOLIOS, TABLEAU, cib_stage

    result, why, detail_text = cib_stage(case, common, _part(detail, "CIB portfolios"))
    if result is None:
        notes["cib"], details["cib"] = why, detail_text
        return
    keep(
        "scenarios",
        result,
        "scenarios",
        {"method": common["method"], "max_inconsistency": 0, "select": TABLEAU, "portfolios": PORTFOLIOS},
        solver={"name": common["solver"]},
    )


def _fair_note(case: Case, weights: dict[str, Any]) -> str:
    """The i18n key of why the robustness stage has no fair compromise between groups (the
    reasons of :func:`lev2040_mcda.robust.robust_summary`, in that order)."""
    if "skipped" in weights:
        return "fair_no_weights"
    return "fair_no_groups" if not case.groups else "fair_no_value"


def _part(detail: Detail | None, part: str) -> Callable[[int, int], None] | None:
    """A step's ``progress(done, total)`` that tells ``detail`` of ``part``."""
    return None if detail is None else lambda done, total: detail(part, done, total)


def _counted(summary: Callable, detail: Detail | None, part: str) -> dict[str, Any]:
    """``progress=`` telling ``detail`` of ``part`` for a stage's library call, when it reports
    progress (``{}`` otherwise)."""
    import inspect

    if detail is None or "progress" not in inspect.signature(summary).parameters:
        return {}
    return {"progress": _part(detail, part)}


def _robustness(
    case: Case, common: dict, samples: int, seed: int, detail: Detail | None
) -> tuple[dict[str, Any] | None, str]:
    """The robustness stage when this version has it (``lev2040_mcda.robust``) and the case has
    scenarios; else ``None`` and the i18n key of the reason."""
    import inspect

    if not case.scenarios:
        return None, "robust_no_scenarios"
    try:
        from ..robust import robust_summary
    except ModuleNotFoundError as exc:
        if exc.name != f"{__package__.rpartition('.')[0]}.robust":
            raise
        return None, "robust_missing"
    kw: dict[str, Any] = {}
    if detail is not None and "stages" in inspect.signature(robust_summary).parameters:
        kw["stages"] = detail  # (robustness step, done, total)
    return robust_summary(
        case,
        method=common["method"],
        options=common["options"],
        weights=common["weights"],
        weights_info=common["weights_info"],
        samples=samples,
        seed=seed,
        solver=common["solver"],
        executor=common["executor"],
        **kw,
    ), ""
