"""What the page and the workbook both need: the report's language, its labels, numbers written the
language's way, the case's names for its ids, and the portfolio's reasons in words.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..case import Case
from .i18n import texts

__all__ = ["Context", "report_language", "reason_text", "reasons_text"]


def report_language(case: Case, lang: str | None = None) -> str:
    """``lang``, else the case's ``language`` (case.yaml), else English."""
    lang = lang or getattr(case.config, "language", None) or "en"
    texts(lang)  # raises ValueError for an unknown language
    return lang


@dataclass
class Context:
    """Labels, language and the case's names for ids: the stages' results hold ids and numbers,
    the report shows names and numbers as a reader of its language writes them."""

    case: Case
    t: Mapping[str, str]
    lang: str
    measures: dict[str, str]
    goals: dict[str, str]
    groups: dict[str, str]
    districts: dict[str, str]
    resources: dict[str, str]
    scenarios: dict[str, str]

    @classmethod
    def of(cls, case: Case, lang: str) -> Context:
        return cls(
            case,
            texts(lang),
            lang,
            {m.id: m.name for m in case.measures},
            {g.id: g.title for g in case.goals},
            {g.id: g.name or g.id for g in case.groups},
            {d.id: d.name or d.id for d in case.config.districts},
            {k: r.name or k for k, r in case.resources.items()},
            {s.id: s.title for s in case.scenarios},
        )

    def num(self, x: Any, decimals: int = 2) -> str:
        """A number with thousands separators (``1.234,50`` in German), ``–`` for none."""
        if x is None:
            return "–"
        if isinstance(x, int) and not isinstance(x, bool):
            s = f"{x:,d}"
        else:
            s = f"{x:,.{decimals}f}"
        return s.translate(str.maketrans(",.", ".,")) if self.lang == "de" else s

    def pct(self, x: Any, decimals: int = 1) -> str:
        """A share as a percentage (``12,5 %`` in German, ``12.5%`` in English)."""
        if x is None:
            return "–"
        return self.num(100 * x, decimals) + (" %" if self.lang == "de" else "%")

    def yes(self, flag: bool) -> str:
        return self.t["yes"] if flag else self.t["no"]

    def names(self, ids: Iterable[str], table: Mapping[str, str] | None = None, limit: int = 5) -> str:
        """The names of ``ids`` (measures unless ``table`` says otherwise), at most ``limit`` and
        then how many more: a cell stays readable however long the list."""
        table = self.measures if table is None else table
        ids = list(ids)
        shown = [table.get(i, i) for i in ids[:limit]]
        if len(ids) > limit:
            shown.append(self.t["more_items"].format(n=len(ids) - limit))
        return ", ".join(shown) if shown else "–"

    def resource_label(self, rid: str) -> str:
        """A resource's name with its unit, e.g. ``Investitionen (EUR m)``."""
        unit = self.case.resources[rid].unit if rid in self.case.resources else None
        return self.resources.get(rid, rid) + (f" ({unit})" if unit else "")


def reason_text(ctx: Context, reason: dict[str, Any]) -> str:
    """A portfolio explanation (a structured reason of the portfolio stage) in the report's
    language: the ``why_<code>`` text, with the case's names for the resource or measure."""
    t = ctx.t
    fields = {}
    if "resource" in reason:
        rid = reason["resource"]
        unit = ctx.case.resources[rid].unit if rid in ctx.case.resources else None
        amount = lambda v: ctx.num(float(v), 1) + (f" {unit}" if unit else "")
        fields = {
            "resource": ctx.resources.get(rid, rid),
            "need": amount(reason["need"]),
            "left": amount(reason["left"]),
        }
    if "measure" in reason:
        fields["measure"] = ctx.measures.get(reason["measure"], reason["measure"])
    if "penalty" in reason:
        fields["penalty"] = ctx.num(reason["penalty"])
    return t[f"why_{reason['code']}"].format(**fields)


def reasons_text(ctx: Context, entry: dict[str, Any]) -> str:
    """Every reason of one explained measure (selected: ``reason``; left out: ``reasons``)."""
    found = entry.get("reasons") or ([entry["reason"]] if entry.get("reason") else [])
    return "; ".join(reason_text(ctx, r) for r in found)
