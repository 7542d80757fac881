"""The form's texts in each language the templates speak (:mod:`lev2040_mcda.weights.template_texts`).

The names of the methods and levels, the instructions of each method and the comment on the
respondent are the templates' own texts, so that the form and a template say the same; the
texts here are what only a page in a browser needs. ``{fields}`` are filled in by the script.
"""

from __future__ import annotations

from ..weights import BUDGET, TEXTS, template_language

__all__ = ["FORM_TEXTS", "form_language", "form_texts"]

_SHARED = (
    "level.goals",
    "level.criteria",
    "method.direct",
    "method.points",
    "method.swing",
    "method.ranking",
    "method.pairwise",
    "help.direct",
    "help.points",
    "help.swing",
    "respondent.comment",
    "better.benefit",
    "better.cost",
)

FORM_TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "page.title": "{case} – weighting form",
        "intro": "With this page you weight the goals or criteria of the strategy and get your "
        "weighting as a file. Choose your group and one method, fill it in, press “Create my "
        "submission” and send the file to the strategy team.",
        "privacy": "Nothing you enter leaves this computer. The page works without an internet "
        "connection and sends nothing anywhere; only the file you save and send yourself reaches "
        "the strategy team.",
        "noscript": "This form needs JavaScript to be switched on in your browser.",
        "who": "Who you are",
        "group.label": "Your stakeholder group",
        "group.choose": "– please choose –",
        "group.fixed": "This form is for the group:",
        "respondent.label": "Your name or an anonymous id (optional)",
        "level.legend": "What do you want to weight?",
        "method.legend": "How do you want to weight?",
        "better": "better: {better}",
        "criteria.of": "measured by: {criteria}",
        "goal.of": "goal: {goal}",
        "share": "{share} %",
        "points.left": "{left} of {budget} points left.",
        "points.over": "{over} points too many: the points add up to {total}, not {budget}.",
        "points.under": "The points add up to {total}, not {budget} yet: {left} left.",
        "points.ok": "All {budget} points are given.",
        "direct.status": "Total: {total}. The weights are the numbers divided by their total.",
        "swing.anchor": "Which change matters most to you? It gets 100.",
        "swing.question.criterion": "How much does it matter to you that “{name}” goes from its "
        "worst ({worst}) to its best ({best}), compared with your most important change?",
        "swing.question.range": "How much does it matter to you that “{name}” goes from its "
        "worst to its best value, compared with your most important change?",
        "swing.question.goal": "How much does it matter to you that “{name}” goes from not "
        "achieved at all to fully achieved, compared with your most important change?",
        "swing.anchor.value": "100: the change that matters most",
        "ranking.help": "Put the items in order, the most important first: drag them, use the "
        "buttons, or give an item the focus and press the arrow keys ↑ and ↓. Tick “same rank as "
        "the one above” for a tie.",
        "ranking.place": "Place {place}",
        "ranking.up": "Move “{name}” up",
        "ranking.down": "Move “{name}” down",
        "ranking.tie": "same rank as the one above",
        "ranking.moved": "“{name}” is now at place {place}.",
        "pairwise.help": "For each pair: move the slider towards the more important one; the "
        "further, the more important (Saaty's scale from 1, equally important, to 9, extremely "
        "more important).",
        "pair.label": "“{a}” compared with “{b}”",
        "pair.equal": "equally important",
        "pair.more": "“{a}” is {v} times as important as “{b}”",
        "pair.left": "← {name}",
        "pair.right": "{name} →",
        "cr": "Consistency ratio CR = {cr}",
        "cr.ok": "consistent enough (up to {limit} is usual).",
        "cr.high": "above {limit}: some of your answers contradict each other. The file is still "
        "accepted, with a warning. Look at this one first:",
        "cr.worst": "“{a}” compared with “{b}”: you said {said}; your other answers suggest about {implied}.",
        "cr.goto": "Go to this pair",
        "format.legend": "File format",
        "format.yaml": "YAML (recommended)",
        "format.json": "JSON",
        "create": "Create my submission",
        "result.label": "Your submission (the same text as the file; you can copy it)",
        "saved": "The file “{file}” was saved in your downloads folder. Please send it to the "
        "strategy team. Nothing has been sent.",
        "error.group": "Please choose your stakeholder group.",
        "error.number": "“{name}”: {value} is not allowed (expected {expected}).",
        "error.points": "The points add up to {total}, not {budget}: please correct them first.",
        "error.zero": "Please give at least one item a value above 0.",
        "expected.number": "a number of at least 0",
        "expected.swing": "a number from 0 to 100",
    },
    "de": {
        "page.title": "{case} – Gewichtungsformular",
        "intro": "Mit dieser Seite gewichten Sie die Ziele oder Kriterien der Strategie und "
        "erhalten Ihre Gewichtung als Datei. Wählen Sie Ihre Gruppe und eine Methode, füllen Sie "
        "sie aus, drücken Sie „Meine Bewertung erstellen“ und schicken Sie die Datei an das "
        "Strategieteam.",
        "privacy": "Nichts, was Sie eingeben, verlässt diesen Computer. Die Seite funktioniert "
        "ohne Internetverbindung und sendet nichts; nur die Datei, die Sie selbst speichern und "
        "verschicken, erreicht das Strategieteam.",
        "noscript": "Dieses Formular braucht JavaScript; bitte schalten Sie es im Browser ein.",
        "who": "Wer Sie sind",
        "group.label": "Ihre Beteiligtengruppe",
        "group.choose": "– bitte wählen –",
        "group.fixed": "Dieses Formular ist für die Gruppe:",
        "respondent.label": "Ihr Name oder eine anonyme Kennung (freiwillig)",
        "level.legend": "Was möchten Sie gewichten?",
        "method.legend": "Wie möchten Sie gewichten?",
        "better": "besser: {better}",
        "criteria.of": "gemessen mit: {criteria}",
        "goal.of": "Ziel: {goal}",
        "share": "{share} %",
        "points.left": "{left} von {budget} Punkten übrig.",
        "points.over": "{over} Punkte zu viel: Die Punkte ergeben {total}, nicht {budget}.",
        "points.under": "Die Punkte ergeben {total}, noch nicht {budget}: {left} übrig.",
        "points.ok": "Alle {budget} Punkte sind vergeben.",
        "direct.status": "Summe: {total}. Die Gewichte sind die Zahlen geteilt durch ihre Summe.",
        "swing.anchor": "Welche Veränderung ist Ihnen am wichtigsten? Sie erhält 100.",
        "swing.question.criterion": "Wie wichtig ist es Ihnen, dass „{name}“ vom schlechtesten "
        "({worst}) zum besten Wert ({best}) kommt, verglichen mit Ihrer wichtigsten Veränderung?",
        "swing.question.range": "Wie wichtig ist es Ihnen, dass „{name}“ vom schlechtesten zum "
        "besten Wert kommt, verglichen mit Ihrer wichtigsten Veränderung?",
        "swing.question.goal": "Wie wichtig ist es Ihnen, dass „{name}“ von gar nicht erreicht zu "
        "voll erreicht kommt, verglichen mit Ihrer wichtigsten Veränderung?",
        "swing.anchor.value": "100: die wichtigste Veränderung",
        "ranking.help": "Bringen Sie die Einträge in eine Reihenfolge, den wichtigsten zuerst: "
        "ziehen Sie sie, nutzen Sie die Knöpfe, oder setzen Sie den Fokus auf einen Eintrag und "
        "drücken Sie die Pfeiltasten ↑ und ↓. „Gleicher Rang wie darüber“ bedeutet Gleichstand.",
        "ranking.place": "Platz {place}",
        "ranking.up": "„{name}“ nach oben",
        "ranking.down": "„{name}“ nach unten",
        "ranking.tie": "gleicher Rang wie darüber",
        "ranking.moved": "„{name}“ steht jetzt auf Platz {place}.",
        "pairwise.help": "Für jedes Paar: Schieben Sie den Regler zum wichtigeren Eintrag; je "
        "weiter, desto wichtiger (Saaty-Skala von 1, gleich wichtig, bis 9, extrem viel "
        "wichtiger).",
        "pair.label": "„{a}“ verglichen mit „{b}“",
        "pair.equal": "gleich wichtig",
        "pair.more": "„{a}“ ist {v}-mal so wichtig wie „{b}“",
        "pair.left": "← {name}",
        "pair.right": "{name} →",
        "cr": "Konsistenzquotient CR = {cr}",
        "cr.ok": "ausreichend widerspruchsfrei (bis {limit} ist üblich).",
        "cr.high": "über {limit}: Einige Ihrer Antworten widersprechen sich. Die Datei wird "
        "trotzdem angenommen, mit einer Warnung. Sehen Sie sich zuerst dieses Paar an:",
        "cr.worst": "„{a}“ verglichen mit „{b}“: Sie sagten {said}; Ihre übrigen Antworten legen "
        "etwa {implied} nahe.",
        "cr.goto": "Zu diesem Paar",
        "format.legend": "Dateiformat",
        "format.yaml": "YAML (empfohlen)",
        "format.json": "JSON",
        "create": "Meine Bewertung erstellen",
        "result.label": "Ihre Bewertung (derselbe Text wie in der Datei; Sie können ihn kopieren)",
        "saved": "Die Datei „{file}“ wurde in Ihrem Download-Ordner gespeichert. Bitte schicken "
        "Sie sie an das Strategieteam. Es wurde nichts gesendet.",
        "error.group": "Bitte wählen Sie Ihre Beteiligtengruppe.",
        "error.number": "„{name}“: {value} ist nicht erlaubt (erwartet: {expected}).",
        "error.points": "Die Punkte ergeben {total}, nicht {budget}: Bitte korrigieren Sie sie zuerst.",
        "error.zero": "Bitte geben Sie mindestens einem Eintrag einen Wert über 0.",
        "expected.number": "eine Zahl von mindestens 0",
        "expected.swing": "eine Zahl von 0 bis 100",
    },
}


def form_language(case_language: str | None, lang: str | None = None) -> str:
    """``lang``, else the case's ``language``, else English (as the templates choose).

    Raises
    ------
    InputError
        for a language the form does not speak.
    """
    return template_language(case_language, lang)


def form_texts(lang: str) -> dict[str, str]:
    """Every text of the form in ``lang``: the templates' shared texts and the form's own."""
    shared = {k: TEXTS[lang][k].format(budget=BUDGET) for k in _SHARED}
    return {**shared, **FORM_TEXTS[lang]}
