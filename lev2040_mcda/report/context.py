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
        """A number with thousands separators (``1.234,50`` in German), ``–`` for none.

        A value that rounds to zero is written without a sign (``0.00``, never ``-0.00``).
        """
        if x is None:
            return "–"
        if isinstance(x, int) and not isinstance(x, bool):
            s = f"{x:,d}"
        else:
            s = f"{x:,.{decimals}f}"
            if s.startswith("-") and not s.strip("-0.,"):
                s = s[1:]
        return s.translate(str.maketrans(",.", ".,")) if self.lang == "de" else s

    def amount(self, x: Any) -> str:
        """A quantity in a criterion's own unit (dwellings, t CO₂e/yr, ha), with as many decimals
        as its size needs and no trailing zeros: ``1.250`` dwellings, ``12,5`` ha, ``0,35`` ha."""
        if x is None:
            return "–"
        x = float(x)
        s = self.num(x, 0 if abs(x) >= 100 else 1 if abs(x) >= 10 else 2)
        point = "," if self.lang == "de" else "."
        return s.rstrip("0").rstrip(point) if point in s else s

    def pct(self, x: Any, decimals: int = 1) -> str:
        """A share as a percentage (``12,5 %`` in German, ``12.5%`` in English)."""
        if x is None:
            return "–"
        return self.num(100 * x, decimals) + (" %" if self.lang == "de" else "%")

    def yes(self, flag: bool) -> str:
        return self.t["yes"] if flag else self.t["no"]

    def names(
        self,
        ids: Iterable[str],
        table: Mapping[str, str] | None = None,
        limit: int = 5,
        width: int | None = None,
    ) -> str:
        """The names of ``ids`` (measures unless ``table`` says otherwise), at most ``limit`` and
        then how many more, each name cut to ``width`` characters (with ``…``) when given: a cell
        stays readable however long the list."""
        table = self.measures if table is None else table
        ids = list(ids)
        shown = [_cut(table.get(i, i), width) for i in ids[:limit]]
        if len(ids) > limit:
            shown.append(self.t["more_items"].format(n=len(ids) - limit))
        return ", ".join(shown) if shown else "–"

    def counted(self, ids: Iterable[str], limit: int = 2, width: int = 32) -> str:
        """How many ``ids`` and the first few names, short (``10: Rheinpromenade bis zum…,
        Drei Kitas and 8 more``): for a column that would otherwise list every name in full."""
        ids = list(ids)
        if not ids:
            return "–"
        limit = limit if len(ids) > limit + 1 else len(ids)  # "and 1 more" would take a name's room
        return self.t["names_counted"].format(n=len(ids), names=self.names(ids, limit=limit, width=width))

    def resource_label(self, rid: str) -> str:
        """A resource's name with its unit, e.g. ``Investitionen (EUR m)``."""
        unit = self.case.resources[rid].unit if rid in self.case.resources else None
        return self.resources.get(rid, rid) + (f" ({unit})" if unit else "")


def _cut(text: str, width: int | None) -> str:
    """``text``, cut to ``width`` characters with an ellipsis when longer."""
    if width is None or len(text) <= width:
        return text
    return text[: width - 1].rstrip(" ,;:–-(") + "…"


def reason_text(ctx: Context, reason: dict[str, Any]) -> str:
    """A portfolio explanation (a structured reason of the portfolio stage, or of ``--compare``'s
    ``why``) in the report's language: the ``why_<code>`` text, with the case's names for the
    resource or measure and numbers written the language's way."""
    t = ctx.t
    fields: dict[str, str] = {}
    if "resource" in reason:  # amounts of a resource, with its unit; no amount: no limit
        rid = reason["resource"]
        unit = ctx.case.resources[rid].unit if rid in ctx.case.resources else None
        amount = lambda v: t["no_limit"] if v is None else ctx.num(float(v), 1) + (f" {unit}" if unit else "")
        fields = {"resource": ctx.resources.get(rid, rid)}
        fields |= {k: amount(reason[k]) for k in ("need", "left", "before", "now") if k in reason}
    else:  # a value before and now (a measure's value in a comparison)
        fields |= {k: ctx.num(reason[k], 3) for k in ("before", "now") if k in reason}
    if "measure" in reason:
        fields["measure"] = ctx.measures.get(reason["measure"], reason["measure"])
    if "penalty" in reason:
        fields["penalty"] = ctx.num(reason["penalty"])
    return t[f"why_{reason['code']}"].format(**fields)


def reasons_text(ctx: Context, entry: dict[str, Any]) -> str:
    """Every reason of one explained measure (selected: ``reason``; left out: ``reasons``)."""
    found = entry.get("reasons") or ([entry["reason"]] if entry.get("reason") else [])
    return "; ".join(reason_text(ctx, r) for r in found)
