"""The options ``portfolio`` and ``frontier`` share (:func:`portfolio_options`): how measures are
valued, what constrains the portfolio, and need and equity (:data:`fair_options`), handed to the
command as one :class:`PortfolioRun`."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from typing import Any

import click

from .options import (
    _limits,
    _values_setup,
    note_unused_method,
    value_method_option,
    value_option,
    weight_options,
)

__all__ = ["PortfolioRun", "budget_shares", "fair_options", "portfolio_options", "with_fair_options"]


@dataclasses.dataclass(frozen=True)
class PortfolioRun:
    """The options ``portfolio`` and ``frontier`` share (:func:`portfolio_options` hands them to the
    command as ``run``): how measures are valued and what constrains the portfolio."""

    value: str
    method: str | None
    weights_from: str
    group: str | None
    weights_file: str | None
    scenario: str | None
    option_pairs: tuple[str, ...]
    objective: str | None
    limits: tuple[str, ...]
    include: tuple[str, ...]
    exclude: tuple[str, ...]
    cover: int | None
    solver: str | None
    time_limit: float | None
    need_weighting: bool | None = None
    min_benefit_per_resident: float | None = None
    min_budget_share: tuple[str, ...] = ()

    def params(self, case: str) -> dict[str, Any]:
        """The parameters a JSON result's provenance names (need and equity only when given, so
        that a run without them has the provenance it always had)."""
        fair = {
            k: v
            for k, v in (
                ("need_weighting", self.need_weighting),
                ("min_benefit_per_resident", self.min_benefit_per_resident),
                ("min_budget_share", list(self.min_budget_share)),
            )
            if v is not None and v != []
        }
        return {
            "case": case,
            "value": self.value,
            "method": self.method,
            "objective": self.objective,
            "limits": list(self.limits),
            "include": list(self.include),
            "exclude": list(self.exclude),
            "cover": self.cover,
            "scenario": self.scenario,
            "weights_from": self.weights_from,
            "group": self.group,
            "weights": self.weights_file,
            "options": list(self.option_pairs),
            "time_limit": self.time_limit,
            **fair,
        }

    def arguments(self, loaded) -> dict[str, Any]:
        """The keyword arguments of ``portfolio_summary`` and ``frontier_summary`` for the loaded
        case: the values' weights resolved (their caveats said on stderr), the limits read, the
        solver defaulted to the case's."""
        from .weights import note_weights

        note_unused_method(self.value, self.method, self.option_pairs, self.objective)
        method, opts, w, info = _values_setup(
            loaded,
            self.method,
            self.weights_from,
            self.group,
            self.weights_file,
            self.scenario,
            self.option_pairs,
            self.objective,
        )
        note_weights(info)
        return {
            "value": self.value,
            "method": method,
            "options": opts,
            "weights": w,
            "weights_info": info,
            "objective": self.objective,
            "limits": _limits(self.limits),
            "include": self.include,
            "exclude": self.exclude,
            "coverage": self.cover,
            "scenario": self.scenario,
            "solver": self.solver or loaded.config.defaults.solver,
            "time_limit": self.time_limit,
            "need_weighting": self.need_weighting,
            "min_benefit_per_resident": self.min_benefit_per_resident,
            "min_budget_share": budget_shares(self.min_budget_share, loaded) or None,
        }


_RUN_FIELDS = tuple(f.name for f in dataclasses.fields(PortfolioRun))


def portfolio_options(fn: Callable) -> Callable:
    """What the portfolio is built from and what constrains it: shared by portfolio and frontier,
    which get them as one :class:`PortfolioRun` (``run``)."""

    command = fn

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        run = PortfolioRun(**{k: kwargs.pop(k) for k in _RUN_FIELDS})
        return command(*args, run=run, **kwargs)

    fn = wrapper
    for decorator in reversed(
        [
            value_option,
            value_method_option,
            click.option(
                "--objective",
                help="Maximise this numeric column of measures.csv instead (a cost criterion is minimised).",
            ),
            click.option(
                "--limit",
                "limits",
                multiple=True,
                metavar="RESOURCE=VALUE",
                help="Override a resource limit, repeatable (e.g. cost_eur_m=180).",
            ),
            click.option("--include", multiple=True, metavar="ID", help="Force a measure in."),
            click.option("--exclude", multiple=True, metavar="ID", help="Force a measure out."),
            click.option(
                "--cover",
                type=click.IntRange(min=0),
                default=None,
                help="Every goal served by at least this many selected measures.",
            ),
            click.option(
                "--solver",
                type=click.Choice(["cbc", "highs"]),
                default=None,
                help="MILP solver [default: the case's, else cbc].",
            ),
            click.option(
                "--time-limit",
                type=click.FloatRange(min=0, min_open=True),
                default=None,
                help="Seconds per solve; the result then says if optimality was not proven.",
            ),
            *fair_options,
        ]
    ):
        fn = decorator(fn)
    return weight_options(fn)


fair_options = (
    click.option(
        "--need-weighting/--no-need-weighting",
        "need_weighting",
        default=None,
        help="Scale each measure's value on each criterion by the need of its district (the "
        "Stadtcheck's need factor, 1 +/- stadtcheck.need_strength) [default: case.yaml "
        "portfolio.need_weighting, else off].",
    ),
    click.option(
        "--min-benefit-per-resident",
        type=click.FloatRange(0, 1),
        default=None,
        metavar="X",
        help="Equity: every listed district (portfolio.equity.districts, else the balance districts, "
        "else the city's parts) gets at least X times the average benefit per resident "
        "[default: case.yaml portfolio.equity].",
    ),
    click.option(
        "--min-budget-share",
        multiple=True,
        metavar="[RESOURCE=]Y",
        help="Equity: no listed district below Y times its population share of what the portfolio "
        "uses of RESOURCE [default resource: the case's first], repeatable.",
    ),
)
"""Need and equity (:mod:`lev2040_mcda.portfolio.equity`): options of portfolio and frontier,
for any command that builds a portfolio (the report's what-if takes the same)."""


def with_fair_options(fn: Callable) -> Callable:
    """The options of :data:`fair_options` on a command that builds a portfolio of its own
    (``lev2040 report``); portfolio and frontier get them with :func:`portfolio_options`."""
    for decorator in reversed(fair_options):
        fn = decorator(fn)
    return fn


def budget_shares(pairs: tuple[str, ...], loaded) -> dict[str, float]:
    """``--min-budget-share [RESOURCE=]Y`` as resource -> Y; a bare Y is the case's first resource."""
    from ..errors import InputError, Problem

    out = {}
    for pair in pairs:
        key, sep, value = pair.rpartition("=")
        if sep and not key.strip():
            reason = f"{pair!r} names no resource before '=' (expected RESOURCE=SHARE, or a bare SHARE)"
            raise InputError(Problem("--min-budget-share", reason))
        key = key.strip() if sep else next(iter(loaded.resources), "")
        if not key:
            raise InputError(Problem("--min-budget-share", f"{pair!r}: the case has no resources"))
        try:
            y = float(value.replace(",", "."))
            if not 0 <= y <= 1:
                raise ValueError
        except ValueError:
            raise InputError(
                Problem("--min-budget-share", f"{pair!r} is not [RESOURCE=]SHARE (a share between 0 and 1)")
            ) from None
        out[key] = y
    return out
