"""The texts of the submission templates, in each language a case may speak (``language:`` in
case.yaml): the instructions, the comments beside each field and the labels of the workbook.

Only what a person reads is translated. The keys a file is read by (``group``, ``method``,
``respondent``, ``weights``, ``budget``, the criterion and goal ids) stay as they are in every
language, so that a filled template in either language is the same submission to the engine.
Every language has the same keys (a test checks it); ``{fields}`` are filled in by name.
"""

from __future__ import annotations

from ..errors import InputError, Problem

__all__ = ["LANGUAGES", "TEXTS", "template_language"]

LANGUAGES = ("de", "en")

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "title": "{case} – {method} on the {level}",
        "level.goals": "goals",
        "level.criteria": "criteria",
        "method.direct": "direct weights",
        "method.points": "points",
        "method.swing": "swing weights",
        "method.ranking": "ranking",
        "method.pairwise": "pairwise comparison",
        "help.direct": "Give each item a number: the larger, the more important (they are normalised).",
        "help.points": "Share {budget} points over the items: more points, more important.",
        "help.swing": "Give the item whose swing from worst to best matters most 100, the others "
        "0-100 relative to it.",
        "help.ranking": "Order the items, most important first; put items in [brackets] for a tie.",
        "help.ranking.table": "Give each item its rank: 1 = most important, 2 = next, ...; "
        "the same rank for a tie.",
        "help.pairwise": "For each pair [a, b, v]: a is v times as important as b (Saaty 1-9; 1/3 if "
        "b is 3 times as important). Delete pairs you cannot judge, but keep every item linked.",
        "rows": "One row per respondent on the sheet '{sheet}'; keep its first row (the column ids) "
        "as it is.",
        "groups": "group: one of {groups}",
        "group.comment": "one of the groups below",
        "respondent.comment": "your name or an anonymous id (e.g. R017): each respondent counts once",
        "budget.comment": "the points must add up to this",
        "ranking.comment": "most important first",
        "judgements.comment": "[a, b, v]: a is v times as important as b",
        "versus": "{a} vs {b}",
        "sheet.data": "submission",
        "sheet.guide": "guide",
        "col.id": "id",
        "col.title": "title",
        "col.unit": "unit",
        "col.better": "better",
        "col.worst": "worst",
        "col.best": "best",
        "col.example": "example",
        "col.name": "name",
        "better.benefit": "higher",
        "better.cost": "lower",
        "groups.heading": "groups",
        "example.note": "The column '{example}' shows how a filled row could look; it is not a "
        "recommendation.",
        "range.note": "worst and best: the scale of the criterion (its catalogue bounds, else the "
        "candidates' values).",
        "check.total": "total of row 2 on '{sheet}'",
        "check.required": "required",
        "check.result": "check",
        "check.ok": "OK",
        "check.off": "not {budget} yet",
        "check.empty": "(empty)",
        "head.respondent": "Your name or an anonymous id (e.g. R017): each respondent counts once.",
        "head.group": "Your stakeholder group: choose it from the list.",
        "head.method": "The method of this template ({method}); keep it.",
        "valid.group.title": "Group",
        "valid.group": "Choose one of the case's groups from the list.",
        "valid.method.title": "Method",
        "valid.method": "Choose one of the methods from the list.",
        "valid.number.title": "Number",
        "valid.number": "A number of at least 0.",
        "valid.swing": "A number from 0 to 100.",
        "valid.rank": "A whole number from 1 to {n} (1 = most important).",
    },
    "de": {
        "title": "{case} – {method} für die {level}",
        "level.goals": "Ziele",
        "level.criteria": "Kriterien",
        "method.direct": "direkte Gewichtung",
        "method.points": "Punktevergabe",
        "method.swing": "Swing-Gewichtung",
        "method.ranking": "Rangfolge",
        "method.pairwise": "Paarvergleich",
        "help.direct": "Geben Sie jedem Eintrag eine Zahl: je größer, desto wichtiger (die Zahlen "
        "werden normiert).",
        "help.points": "Verteilen Sie {budget} Punkte auf die Einträge: mehr Punkte, wichtiger.",
        "help.swing": "Geben Sie dem Eintrag, bei dem der Schritt vom schlechtesten zum besten Wert am "
        "meisten zählt, 100 und den anderen 0 bis 100 im Verhältnis dazu.",
        "help.ranking": "Ordnen Sie die Einträge, den wichtigsten zuerst; Einträge in [Klammern] "
        "sind gleichauf.",
        "help.ranking.table": "Geben Sie jedem Eintrag seinen Rang: 1 = am wichtigsten, 2 = danach, "
        "...; gleicher Rang bei Gleichstand.",
        "help.pairwise": "Für jedes Paar [a, b, v]: a ist v-mal so wichtig wie b (Saaty 1-9; 1/3, "
        "wenn b dreimal so wichtig ist). Löschen Sie Paare, die Sie nicht beurteilen können, aber "
        "lassen Sie jeden Eintrag verbunden.",
        "rows": "Eine Zeile je Person auf dem Blatt '{sheet}'; die erste Zeile (die Spaltenkennungen) "
        "bleibt, wie sie ist.",
        "groups": "group: eine von {groups}",
        "group.comment": "eine der Gruppen unten",
        "respondent.comment": "Ihr Name oder eine anonyme Kennung (z. B. R017): jede Person zählt einmal",
        "budget.comment": "die Punkte müssen zusammen diese Summe ergeben",
        "ranking.comment": "der wichtigste zuerst",
        "judgements.comment": "[a, b, v]: a ist v-mal so wichtig wie b",
        "versus": "{a} gegenüber {b}",
        "sheet.data": "Bewertung",
        "sheet.guide": "Anleitung",
        "col.id": "Kennung",
        "col.title": "Titel",
        "col.unit": "Einheit",
        "col.better": "besser",
        "col.worst": "schlechtester Wert",
        "col.best": "bester Wert",
        "col.example": "Beispiel",
        "col.name": "Name",
        "better.benefit": "höher",
        "better.cost": "niedriger",
        "groups.heading": "Gruppen",
        "example.note": "Die Spalte '{example}' zeigt, wie eine ausgefüllte Zeile aussehen könnte; "
        "sie ist keine Empfehlung.",
        "range.note": "schlechtester und bester Wert: die Skala des Kriteriums (seine Grenzen im "
        "Katalog, sonst die Werte der Maßnahmen).",
        "check.total": "Summe der Zeile 2 auf '{sheet}'",
        "check.required": "Soll",
        "check.result": "Prüfung",
        "check.ok": "OK",
        "check.off": "noch nicht {budget}",
        "check.empty": "(leer)",
        "head.respondent": "Ihr Name oder eine anonyme Kennung (z. B. R017): jede Person zählt einmal.",
        "head.group": "Ihre Beteiligtengruppe: bitte aus der Liste wählen.",
        "head.method": "Die Methode dieser Vorlage ({method}); bitte nicht ändern.",
        "valid.group.title": "Gruppe",
        "valid.group": "Bitte eine der Gruppen des Falls aus der Liste wählen.",
        "valid.method.title": "Methode",
        "valid.method": "Bitte eine der Methoden aus der Liste wählen.",
        "valid.number.title": "Zahl",
        "valid.number": "Eine Zahl von mindestens 0.",
        "valid.swing": "Eine Zahl von 0 bis 100.",
        "valid.rank": "Eine ganze Zahl von 1 bis {n} (1 = am wichtigsten).",
    },
}


def template_language(case_language: str | None, lang: str | None = None) -> str:
    """``lang``, else the case's ``language`` (case.yaml), else English.

    Raises
    ------
    InputError
        for a language the templates do not speak.
    """
    chosen = lang or case_language or "en"
    if chosen not in LANGUAGES:
        raise InputError(
            Problem("--lang", f"unknown language {chosen!r} (expected one of {', '.join(LANGUAGES)})")
        )
    return chosen
