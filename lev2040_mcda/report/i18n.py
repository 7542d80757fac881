"""Every label, heading and explanation of the report, in German and English.

One dict per language with the same keys (a test checks that); values may hold ``str.format``
fields (``{method}``), the same fields in both languages. Input text (goal titles, measure names)
is never translated: it is shown as the case wrote it.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["LANGUAGES", "TEXTS", "texts"]

LANGUAGES = ("de", "en")

_EN: dict[str, str] = {
    # page
    "report": "Decision report",
    "intro": "This report brings together what lev2040-mcda computed for the case: the "
    "stakeholders' weights, the goal conflicts, the ranking of the measures, the "
    "proposed portfolio and how robust it is across the scenarios. Each section starts "
    "with a short note on what it shows.",
    "contents": "Contents",
    "what": "What this shows:",
    "files_note": "Also in this folder: results.xlsx (every table as a sheet) and the json folder "
    "(the full result of every step, with its provenance).",
    "more_rows": "… and {n} more in results.xlsx",
    "more_items": "and {n} more",
    "yes": "yes",
    "no": "no",
    "none": "none",
    "measure": "Measure",
    "goal": "Goal",
    "group": "Group",
    "criterion": "Criterion",
    "district": "District",
    "resource": "Resource",
    "value": "Value",
    "limit": "Limit",
    "used": "Used",
    "share": "Share",
    "rank": "Rank",
    "note": "Note",
    "no_limit": "no limit",
    "scenario_base": "none (the case as it is)",
    "scenario_used": "Scenario: {scenario}.",
    # overview
    "overview": "The case at a glance",
    "overview_what": "the goals the city pursues, the criteria that measure them, the candidate "
    "measures and where they are, and the budget and land available for them.",
    "counts": "In numbers",
    "count_goals": "Goals",
    "count_criteria": "Criteria",
    "count_measures": "Candidate measures",
    "count_mandatory": "of which mandatory",
    "count_interactions": "Listed conflicts and synergies",
    "count_scenarios": "Scenarios",
    "count_groups": "Stakeholder groups",
    "count_submissions": "Weightings received",
    "count_rejected": "Weightings rejected",
    "goals": "Goals",
    "topic": "Topic",
    "criteria_n": "Criteria",
    "measures_n": "Measures",
    "criteria": "Criteria",
    "unit": "Unit",
    "direction": "Better when",
    "dir_benefit": "higher",
    "dir_cost": "lower",
    "districts": "Measures per district",
    "part_of": "Part of",
    "population": "Population",
    "measures_here": "Measures here",
    "measures_incl_parts": "Including its parts",
    "resources": "Budget and land",
    "resources_what": "What all candidate measures together would need, against the limit the case "
    "sets. Above 1 means not every measure can be done.",
    "needed_all": "All measures need",
    "needed_mandatory": "Mandatory measures need",
    "times_limit": "Times the limit",
    "warnings": "Points to check",
    # weights
    "weights": "Stakeholder weights",
    "weights_what": "how much each stakeholder group wants each criterion to count, and the "
    "consensus weights that combine the groups according to their influence. All "
    "later sections use the consensus weights.",
    "fig_weights_caption": "Weight of each criterion for each stakeholder group (coloured bars) "
    "and in the consensus (dark bar).",
    "fig_weights_alt": "Grouped bar chart of the criteria weights by stakeholder group and the "
    "consensus weights.",
    "axis_weight": "Weight",
    "consensus": "Consensus",
    "consensus_index": "Consensus index: {value} (1 = all groups weight identically, "
    "0 = completely differently).",
    "groups_table": "The groups",
    "influence_share": "Share of influence",
    "submissions": "Weightings",
    "kendall_w": "Agreement within the group (Kendall's W)",
    "weights_table": "Weights",
    "consensus_weight": "Consensus weight",
    "lowest_group": "Lowest group weight",
    "highest_group": "Highest group weight",
    "weighted_most_by": "Weighted most by",
    "contested": "Contested",
    "contested_criteria": "Contested criteria: here the groups disagree most (coefficient of "
    "variation across the groups at least {cv}):",
    "no_contested": "No criterion is contested: the groups weight every criterion similarly.",
    "rejected": "Rejected weightings",
    "rejected_what": "Weightings that could not be used, each with its reason (file, row, what is "
    "wrong). All others were used.",
    "no_rejected": "No weighting was rejected.",
    "group_missing": "{group}: no usable weighting was submitted, so this group is left out of "
    "the consensus weights.",
    "problem": "Problem",
    # conflicts
    "conflicts": "Goal conflicts and synergies",
    "conflicts_what": "which goals work against each other (red) and which support each other "
    "(green). The thicker the line, the more it matters, given how strongly both "
    "goals are weighted. The table names the most severe conflicts, the group "
    "that weights each side most, and the measures that serve only one side.",
    "fig_network_caption": "Goal network: conflicts in red, synergies in green; line width by "
    "severity, circle size by the goal's weight.",
    "fig_network_alt": "Network diagram of the goals, with conflicts as red and synergies as green lines.",
    "legend_conflict": "Conflict",
    "legend_synergy": "Synergy",
    "top_conflicts": "The most severe conflicts",
    "goal_a": "Goal A",
    "goal_b": "Goal B",
    "severity_share": "Share of all conflict severity",
    "backed_a": "Weighted most by (A)",
    "backed_b": "Weighted most by (B)",
    "only_a": "Measures serving only A",
    "only_b": "Measures serving only B",
    "no_conflicts": "The case lists no conflicts between goals.",
    "conflict_share": "{share} of all conflict severity.",
    "conflict_backed": "Weighted most by: {a} (first goal), {b} (second goal).",
    "conflict_only": "Measures serving only “{goal}”: {names}.",
    "exposed": "Measures most exposed to goal conflicts",
    "exposed_what": "A measure is exposed when it serves a goal that conflicts with another goal "
    "it does not serve; the more severe those conflicts, the higher its exposure.",
    "exposure": "Exposure",
    "serves": "Serves",
    # ranking
    "ranking": "Ranking of the measures",
    "ranking_what": "the measures ordered by how well they meet all criteria under the consensus "
    "weights, with {method}. Other methods follow for comparison: where they "
    "agree, the order does not depend on the method chosen.",
    "score": "Score",
    "score_higher": "a higher score is better",
    "score_lower": "a lower score is better",
    "methods": "Method comparison",
    "methods_what": "The rank of each measure under every applicable method, and a compromise "
    "rank that combines them ({rule}).",
    "compromise_rank": "Compromise rank",
    "not_applicable": "Methods that do not fit this case's data: {names}.",
    "in_every_top": "In the top {k} of every stakeholder group: {names}.",
    "in_no_common_top": "No measure is in the top {k} of every stakeholder group.",
    "smaa": "How stable is the ranking?",
    "smaa_what": "The weights were varied {samples} times around the consensus (SMAA). The heat "
    "map shows how often each measure takes each rank: a dark cell far left means the "
    "measure is reliably near the top.",
    "fig_smaa_caption": "Rank acceptability: share of the weight samples in which each measure "
    "takes each rank.",
    "fig_smaa_alt": "Heat map of measures against ranks; the darker a cell, the more often the "
    "measure takes that rank.",
    "axis_rank": "Rank",
    "axis_share_samples": "Share of the samples",
    "first_place": "First place",
    "in_top_k": "In the top {k}",
    # portfolio
    "portfolio": "Proposed portfolio",
    "portfolio_what": "the set of measures that together give the most value within the budget, "
    "the land limit and every other rule of the case (dependencies, exclusions, "
    "mandatory measures, spatial balance). For each selected measure: how much "
    "value would be lost without it. For each measure left out: what keeps it "
    "out.",
    "status_optimal": "The best possible portfolio (proven optimal); total value {value}.",
    "status_feasible": "A good portfolio, optimality not proven (time limit); total value {value}.",
    "value_parts": "Of this, {measures} comes from the measures themselves and {synergies} from "
    "synergies between selected measures; conflicts between them cost {conflicts}.",
    "status_gap": "Its value is at most {gap} below that of the best possible portfolio (the bound "
    "the solver proved).",
    "value_is": "The value of a measure is its {method} score scaled to 0 (worst measure) to 1 "
    "(best measure); the total adds bonuses for synergies and deductions for "
    "conflicts between selected measures.",
    "selected": "Selected measures",
    "tier": "Priority tier",
    "tier_note": "Priority tier: from which step of the budget frontier on the measure stays in "
    "(1 = already with the smallest budget).",
    "start": "Start",
    "period": "Period",
    "periods_what": "Each selected measure starts in the earliest period whose budget allows it "
    "(a measure it requires starts no later); what each period then uses:",
    "loss_if_removed": "Value lost without it",
    "left_out": "Measures left out",
    "opportunity_cost": "Value lost if forced in",
    "kept_out_by": "Kept out by",
    "why_mandatory": "cannot be removed: mandatory",
    "why_included": "cannot be removed: included on request",
    "why_required": "cannot be removed: required by a measure that must be in",
    "why_no_alternative": "without it no portfolio satisfies the rules",
    "why_resource": "{resource}: needs {need}, only {left} left",
    "why_excluded_by": "excludes the selected {measure}",
    "why_requires": "needs {measure}, which is not selected",
    "why_conflict_with": "conflicts with the selected {measure} (would cost {penalty} of value)",
    "why_excluded": "excluded on request",
    "why_constraints": "does not fit the other rules in force",
    "why_not_worth": "its value does not justify what it takes",
    "frontier": "Value against {resource}",
    "frontier_what": "the best achievable value at each level of {resource}. Each step up is a "
    "point where another set of measures becomes best: it shows where more money "
    "buys much value and where little.",
    "fig_frontier_caption": "Value of the best portfolio at each level of {resource}; the dot "
    "marks the proposed portfolio.",
    "fig_frontier_alt": "Step chart of the best achievable value against {resource}.",
    "proposed": "Proposed portfolio",
    "level": "Level of {resource}",
    "entering": "Comes in",
    "leaving": "Drops out",
    "infeasible": "no portfolio fits",
    # robustness
    "robustness": "Robustness across the scenarios",
    "robustness_what": "the best portfolio in each future scenario. Measures chosen in every "
    "scenario form the robust core: a safe start whichever future comes. The "
    "regret table shows how much value a portfolio loses when another future "
    "arrives. The fair compromise is the portfolio that leaves the worst-off "
    "stakeholder group as well off as possible.",
    "robust_missing": "The robustness analysis is not yet part of this version of lev2040-mcda; "
    "this section is filled in as soon as it is.",
    "robust_no_scenarios": "The case has no scenarios, so there is nothing to compare.",
    "fig_inclusion_caption": "Which measure is chosen in which scenario (filled = chosen).",
    "fig_inclusion_alt": "Heat map of measures against scenarios; a filled cell means the measure "
    "is in that scenario's best portfolio.",
    "chosen": "chosen",
    "core": "Robust core (chosen in every scenario)",
    "contested_measures": "Depends on the scenario (chosen in some)",
    "never": "Never chosen",
    "scenario_portfolios": "Best portfolio per scenario",
    "scenario": "Scenario",
    "n_measures": "Measures",
    "regret": "Regret",
    "regret_what": "Row: the portfolio that is best in that scenario. Column: the scenario that "
    "actually comes. Cell: the value lost against the best portfolio for that "
    "scenario (0 = nothing lost).",
    "portfolio_of": "Portfolio of",
    "regret_na": "A dash means the portfolio is not possible in that scenario (it breaks a limit "
    "or rule there).",
    "same_as_proposed": "The same measures as the proposed portfolio.",
    "versus_proposed": "Compared with the proposed portfolio it adds: {added}; and leaves out: {dropped}.",
    "maxmin": "Best worst case (max-min): its lowest value in any scenario is {value}.",
    "minmax_regret": "Least regret (min-max regret): it never loses more than {value}.",
    "fair": "Fair compromise between the groups",
    "fair_what": "Each group's own best portfolio counts as 100 %. The compromise makes the "
    "smallest share any group gets as large as possible: {value}.",
    "with_consensus": "With the consensus portfolio",
    "with_compromise": "With the compromise",
    "core_index": "Core index",
    "core_index_what": "Core index: the share of the sampled weightings under which a measure is "
    "in the best portfolio.",
    "class": "Class",
    "class_no-regret": "always chosen (no-regret)",
    "class_borderline": "borderline",
    "class_exterior": "never chosen",
    "baseline": "The case as it is",
    "robust_infeasible": "In at least one scenario no portfolio satisfies the rules, so the "
    "scenarios cannot be compared:",
    "portfolio_infeasible": "No portfolio satisfies all rules of the case:",
    # provenance
    "provenance": "How this report was made",
    "provenance_what": "every number here can be reproduced from the input files below "
    "(identified by their SHA-256 fingerprints) with the same version and "
    "parameters.",
    "version": "Version",
    "parameters": "Parameters",
    "param_method": "Ranking method",
    "param_weights": "Weights",
    "param_weights_consensus": "stakeholder consensus",
    "param_samples": "SMAA weight samples",
    "param_seed": "Random seed",
    "param_solver": "Solver",
    "param_steps": "Frontier steps",
    "param_robust_samples": "Weight samples per scenario (core index)",
    "param_scenario": "Scenario",
    "param_language": "Language",
    "inputs": "Input files",
    "file": "File",
    "fingerprint": "SHA-256",
    # workbook: sheet names (valid in Excel: at most 31 characters, none of []:*?/\); the
    # English names are the sheet ids of SHEETS, as earlier versions wrote them
    "sheet_overview": "overview",
    "sheet_weights": "weights",
    "sheet_consensus": "consensus",
    "sheet_groups": "groups",
    "sheet_ranking": "ranking",
    "sheet_methods": "methods",
    "sheet_acceptability": "acceptability",
    "sheet_conflicts": "conflicts",
    "sheet_portfolio": "portfolio",
    "sheet_frontier": "frontier",
    "sheet_robustness": "robustness",
    "sheet_rejected": "rejected",
    "sheet_provenance": "provenance",
    # workbook: headers and the engine's codes shown as cell values
    "param_value": "Value",
    "param_case": "Case",
    "param_title": "Title",
    "param_folder": "Case folder",
    "consensus_index_label": "Consensus index",
    "note_on": "Note on: {section}",
    "mean_weight": "Mean group weight",
    "cv": "Coefficient of variation across the groups",
    "weighted_least_by": "Weighted least by",
    "influence": "Influence",
    "goal_a_id": "Goal A (id)",
    "goal_b_id": "Goal B (id)",
    "strength": "Strength of the conflict",
    "severity": "Severity",
    "is_selected": "Selected",
    "step": "Step",
    "solver_status": "Solver result",
    "solver_optimal": "optimal (proven)",
    "solver_feasible": "feasible, optimality not proven",
    "solver_infeasible": "no portfolio fits",
    "solver_not_solved": "not solved",
    "chosen_in": "Chosen in how many scenarios",
    "robust_set": "Across the scenarios",
    "set_core": "chosen in every scenario (robust core)",
    "set_contested": "chosen in some scenarios",
    "set_never": "chosen in no scenario",
}

_DE: dict[str, str] = {
    "report": "Entscheidungsbericht",
    "intro": "Dieser Bericht fasst zusammen, was lev2040-mcda für den Fall berechnet hat: die "
    "Gewichtungen der Beteiligten, die Zielkonflikte, die Rangfolge der Maßnahmen, das "
    "vorgeschlagene Maßnahmenpaket und wie robust es über die Szenarien ist. Jeder "
    "Abschnitt beginnt mit einem kurzen Hinweis, was er zeigt.",
    "contents": "Inhalt",
    "what": "Was das zeigt:",
    "files_note": "Außerdem in diesem Ordner: results.xlsx (jede Tabelle als Arbeitsblatt) und der "
    "Ordner json (das vollständige Ergebnis jedes Schritts mit seiner Herkunft).",
    "more_rows": "… und {n} weitere in results.xlsx",
    "more_items": "und {n} weitere",
    "yes": "ja",
    "no": "nein",
    "none": "keine",
    "measure": "Maßnahme",
    "goal": "Ziel",
    "group": "Gruppe",
    "criterion": "Kriterium",
    "district": "Gebiet",
    "resource": "Ressource",
    "value": "Nutzen",
    "limit": "Obergrenze",
    "used": "Verbraucht",
    "share": "Anteil",
    "rank": "Rang",
    "note": "Anmerkung",
    "no_limit": "keine Obergrenze",
    "scenario_base": "keines (der Fall, wie er ist)",
    "scenario_used": "Szenario: {scenario}.",
    "overview": "Der Fall auf einen Blick",
    "overview_what": "die Ziele der Stadt, die Kriterien, an denen sie gemessen werden, die "
    "möglichen Maßnahmen und wo sie liegen, sowie Budget und Fläche, die für sie "
    "zur Verfügung stehen.",
    "counts": "In Zahlen",
    "count_goals": "Ziele",
    "count_criteria": "Kriterien",
    "count_measures": "Mögliche Maßnahmen",
    "count_mandatory": "davon verpflichtend",
    "count_interactions": "Genannte Konflikte und Synergien",
    "count_scenarios": "Szenarien",
    "count_groups": "Beteiligtengruppen",
    "count_submissions": "Eingegangene Gewichtungen",
    "count_rejected": "Abgelehnte Gewichtungen",
    "goals": "Ziele",
    "topic": "Thema",
    "criteria_n": "Kriterien",
    "measures_n": "Maßnahmen",
    "criteria": "Kriterien",
    "unit": "Einheit",
    "direction": "Besser, wenn",
    "dir_benefit": "höher",
    "dir_cost": "niedriger",
    "districts": "Maßnahmen je Gebiet",
    "part_of": "Gehört zu",
    "population": "Einwohner",
    "measures_here": "Maßnahmen hier",
    "measures_incl_parts": "Einschließlich Teilgebiete",
    "resources": "Budget und Fläche",
    "resources_what": "Was alle möglichen Maßnahmen zusammen bräuchten, verglichen mit der "
    "Obergrenze des Falls. Über 1 heißt: nicht jede Maßnahme ist umsetzbar.",
    "needed_all": "Bedarf aller Maßnahmen",
    "needed_mandatory": "Bedarf der Pflichtmaßnahmen",
    "times_limit": "Vielfaches der Obergrenze",
    "warnings": "Zu prüfen",
    "weights": "Gewichtung der Beteiligten",
    "weights_what": "wie stark jede Beteiligtengruppe jedes Kriterium gewichtet, und die "
    "Konsensgewichte, die die Gruppen nach ihrem Einfluss zusammenführen. Alle "
    "folgenden Abschnitte rechnen mit den Konsensgewichten.",
    "fig_weights_caption": "Gewicht jedes Kriteriums je Beteiligtengruppe (farbige Balken) und im "
    "Konsens (dunkler Balken).",
    "fig_weights_alt": "Gruppiertes Balkendiagramm der Kriteriengewichte je Beteiligtengruppe und "
    "der Konsensgewichte.",
    "axis_weight": "Gewicht",
    "consensus": "Konsens",
    "consensus_index": "Konsensindex: {value} (1 = alle Gruppen gewichten gleich, 0 = völlig verschieden).",
    "groups_table": "Die Gruppen",
    "influence_share": "Anteil am Einfluss",
    "submissions": "Gewichtungen",
    "kendall_w": "Einigkeit innerhalb der Gruppe (Kendalls W)",
    "weights_table": "Gewichte",
    "consensus_weight": "Konsensgewicht",
    "lowest_group": "Niedrigstes Gruppengewicht",
    "highest_group": "Höchstes Gruppengewicht",
    "weighted_most_by": "Am stärksten gewichtet von",
    "contested": "Umstritten",
    "contested_criteria": "Umstrittene Kriterien: hier sind sich die Gruppen am wenigsten einig "
    "(Variationskoeffizient zwischen den Gruppen mindestens {cv}):",
    "no_contested": "Kein Kriterium ist umstritten: die Gruppen gewichten jedes Kriterium ähnlich.",
    "rejected": "Abgelehnte Gewichtungen",
    "rejected_what": "Gewichtungen, die nicht verwendet werden konnten, jeweils mit dem Grund "
    "(Datei, Zeile, was falsch ist). Alle übrigen wurden verwendet.",
    "no_rejected": "Keine Gewichtung wurde abgelehnt.",
    "group_missing": "{group}: keine verwendbare Gewichtung eingereicht; die Gruppe fehlt "
    "daher in den Konsensgewichten.",
    "problem": "Problem",
    "conflicts": "Zielkonflikte und Synergien",
    "conflicts_what": "welche Ziele einander behindern (rot) und welche sich gegenseitig stützen "
    "(grün). Je dicker die Linie, desto mehr zählt sie – gemessen daran, wie "
    "stark beide Ziele gewichtet sind. Die Tabelle nennt die schwersten "
    "Konflikte, die Gruppe, die jede Seite am stärksten gewichtet, und die "
    "Maßnahmen, die nur einer Seite dienen.",
    "fig_network_caption": "Zielnetz: Konflikte rot, Synergien grün; Linienstärke nach Schwere, "
    "Kreisgröße nach dem Gewicht des Ziels.",
    "fig_network_alt": "Netzdiagramm der Ziele mit Konflikten als roten und Synergien als grünen Linien.",
    "legend_conflict": "Konflikt",
    "legend_synergy": "Synergie",
    "top_conflicts": "Die schwersten Konflikte",
    "goal_a": "Ziel A",
    "goal_b": "Ziel B",
    "severity_share": "Anteil an der gesamten Konfliktschwere",
    "backed_a": "Am stärksten gewichtet von (A)",
    "backed_b": "Am stärksten gewichtet von (B)",
    "only_a": "Maßnahmen nur für A",
    "only_b": "Maßnahmen nur für B",
    "no_conflicts": "Der Fall nennt keine Konflikte zwischen Zielen.",
    "conflict_share": "{share} der gesamten Konfliktschwere.",
    "conflict_backed": "Am stärksten gewichtet von: {a} (erstes Ziel), {b} (zweites Ziel).",
    "conflict_only": "Maßnahmen nur für „{goal}“: {names}.",
    "exposed": "Maßnahmen, die am stärksten von Zielkonflikten betroffen sind",
    "exposed_what": "Eine Maßnahme ist betroffen, wenn sie einem Ziel dient, das mit einem anderen "
    "Ziel in Konflikt steht, dem sie nicht dient; je schwerer diese Konflikte, "
    "desto höher ihre Betroffenheit.",
    "exposure": "Betroffenheit",
    "serves": "Dient",
    "ranking": "Rangfolge der Maßnahmen",
    "ranking_what": "die Maßnahmen geordnet danach, wie gut sie alle Kriterien unter den "
    "Konsensgewichten erfüllen, berechnet mit {method}. Zum Vergleich folgen "
    "andere Verfahren: wo sie übereinstimmen, hängt die Reihenfolge nicht vom "
    "gewählten Verfahren ab.",
    "score": "Punktwert",
    "score_higher": "ein höherer Punktwert ist besser",
    "score_lower": "ein niedrigerer Punktwert ist besser",
    "methods": "Vergleich der Verfahren",
    "methods_what": "Der Rang jeder Maßnahme unter jedem anwendbaren Verfahren und ein "
    "Kompromissrang, der sie zusammenführt ({rule}).",
    "compromise_rank": "Kompromissrang",
    "not_applicable": "Verfahren, die nicht zu den Daten dieses Falls passen: {names}.",
    "in_every_top": "Unter den ersten {k} jeder Beteiligtengruppe: {names}.",
    "in_no_common_top": "Keine Maßnahme ist unter den ersten {k} jeder Beteiligtengruppe.",
    "smaa": "Wie stabil ist die Rangfolge?",
    "smaa_what": "Die Gewichte wurden {samples}-mal um den Konsens herum variiert (SMAA). Die "
    "Wärmekarte zeigt, wie oft jede Maßnahme welchen Rang erreicht: eine dunkle "
    "Zelle weit links heißt, die Maßnahme liegt verlässlich vorn.",
    "fig_smaa_caption": "Rangakzeptanz: Anteil der Gewichtsstichproben, in denen eine Maßnahme den "
    "jeweiligen Rang erreicht.",
    "fig_smaa_alt": "Wärmekarte der Maßnahmen über den Rängen; je dunkler eine Zelle, desto "
    "häufiger erreicht die Maßnahme diesen Rang.",
    "axis_rank": "Rang",
    "axis_share_samples": "Anteil der Stichproben",
    "first_place": "Platz 1",
    "in_top_k": "Unter den ersten {k}",
    "portfolio": "Vorgeschlagenes Maßnahmenpaket",
    "portfolio_what": "die Auswahl von Maßnahmen, die zusammen den größten Nutzen bringt und dabei "
    "Budget, Flächenobergrenze und alle übrigen Regeln des Falls einhält "
    "(Abhängigkeiten, Ausschlüsse, Pflichtmaßnahmen, räumliche Ausgewogenheit). "
    "Für jede gewählte Maßnahme: wie viel Nutzen ohne sie verloren ginge. Für "
    "jede nicht gewählte: was sie verhindert.",
    "status_optimal": "Das bestmögliche Paket (Optimalität nachgewiesen); Gesamtnutzen {value}.",
    "status_feasible": "Ein gutes Paket, Optimalität nicht nachgewiesen (Zeitgrenze); Gesamtnutzen {value}.",
    "value_parts": "Davon stammen {measures} aus den Maßnahmen selbst und {synergies} aus "
    "Synergien zwischen gewählten Maßnahmen; Konflikte zwischen ihnen kosten "
    "{conflicts}.",
    "status_gap": "Sein Nutzen liegt höchstens {gap} unter dem des bestmöglichen Pakets (die vom "
    "Löser nachgewiesene Schranke).",
    "value_is": "Der Nutzen einer Maßnahme ist ihr {method}-Punktwert, skaliert von 0 "
    "(schlechteste Maßnahme) bis 1 (beste Maßnahme); der Gesamtnutzen enthält "
    "Zuschläge für Synergien und Abzüge für Konflikte zwischen gewählten Maßnahmen.",
    "selected": "Gewählte Maßnahmen",
    "tier": "Prioritätsstufe",
    "tier_note": "Prioritätsstufe: ab welcher Stufe der Budgetkurve die Maßnahme dabei bleibt "
    "(1 = schon beim kleinsten Budget).",
    "start": "Beginn",
    "period": "Zeitraum",
    "periods_what": "Jede gewählte Maßnahme beginnt im frühesten Zeitraum, dessen Budget es "
    "erlaubt (eine Maßnahme, die sie voraussetzt, nicht später); was jeder "
    "Zeitraum dann verbraucht:",
    "loss_if_removed": "Nutzenverlust ohne sie",
    "left_out": "Nicht gewählte Maßnahmen",
    "opportunity_cost": "Nutzenverlust bei Aufnahme",
    "kept_out_by": "Verhindert durch",
    "why_mandatory": "nicht entfernbar: verpflichtend",
    "why_included": "nicht entfernbar: auf Wunsch aufgenommen",
    "why_required": "nicht entfernbar: Voraussetzung einer Maßnahme, die dabei sein muss",
    "why_no_alternative": "ohne sie erfüllt kein Paket die Regeln",
    "why_resource": "{resource}: braucht {need}, nur {left} übrig",
    "why_excluded_by": "schließt die gewählte Maßnahme {measure} aus",
    "why_requires": "setzt {measure} voraus (nicht gewählt)",
    "why_conflict_with": "steht im Konflikt mit {measure} (gewählt; kostet {penalty} Nutzen)",
    "why_excluded": "auf Wunsch ausgeschlossen",
    "why_constraints": "passt nicht zu den übrigen geltenden Regeln",
    "why_not_worth": "ihr Nutzen rechtfertigt den Aufwand nicht",
    "frontier": "Nutzen im Verhältnis zu {resource}",
    "frontier_what": "den besten erreichbaren Nutzen bei jeder Höhe von {resource}. Jede Stufe ist "
    "ein Punkt, an dem eine andere Auswahl die beste wird: so sieht man, wo "
    "zusätzliches Geld viel Nutzen bringt und wo wenig.",
    "fig_frontier_caption": "Nutzen des besten Pakets bei jeder Höhe von {resource}; der Punkt "
    "markiert das vorgeschlagene Paket.",
    "fig_frontier_alt": "Stufendiagramm des besten erreichbaren Nutzens über {resource}.",
    "proposed": "Vorgeschlagenes Paket",
    "level": "Höhe von {resource}",
    "entering": "Kommt hinzu",
    "leaving": "Fällt weg",
    "infeasible": "kein Paket passt",
    "robustness": "Robustheit über die Szenarien",
    "robustness_what": "das beste Maßnahmenpaket in jedem Zukunftsszenario. Maßnahmen, die in "
    "jedem Szenario gewählt werden, bilden den robusten Kern: mit ihnen kann "
    "man beginnen, welche Zukunft auch kommt. Die Bedauerns-Tabelle zeigt, wie "
    "viel Nutzen ein Paket verliert, wenn eine andere Zukunft eintritt. Der "
    "faire Kompromiss ist das Paket, das die am schlechtesten gestellte "
    "Beteiligtengruppe so gut wie möglich stellt.",
    "robust_missing": "Die Robustheitsanalyse ist in dieser Version von lev2040-mcda noch nicht "
    "enthalten; dieser Abschnitt wird gefüllt, sobald sie es ist.",
    "robust_no_scenarios": "Der Fall enthält keine Szenarien, es gibt also nichts zu vergleichen.",
    "fig_inclusion_caption": "Welche Maßnahme in welchem Szenario gewählt wird (gefüllt = gewählt).",
    "fig_inclusion_alt": "Wärmekarte der Maßnahmen über den Szenarien; eine gefüllte Zelle heißt, "
    "die Maßnahme gehört zum besten Paket dieses Szenarios.",
    "chosen": "gewählt",
    "core": "Robuster Kern (in jedem Szenario gewählt)",
    "contested_measures": "Hängt vom Szenario ab (in manchen gewählt)",
    "never": "Nie gewählt",
    "scenario_portfolios": "Bestes Paket je Szenario",
    "scenario": "Szenario",
    "n_measures": "Maßnahmen",
    "regret": "Bedauern (entgangener Nutzen)",
    "regret_what": "Zeile: das Paket, das in diesem Szenario am besten ist. Spalte: das Szenario, "
    "das tatsächlich eintritt. Zelle: der Nutzenverlust gegenüber dem besten Paket "
    "für dieses Szenario (0 = kein Verlust).",
    "portfolio_of": "Paket von",
    "regret_na": "Ein Strich heißt: das Paket ist in diesem Szenario nicht möglich (es verletzt "
    "dort eine Obergrenze oder Regel).",
    "same_as_proposed": "Dieselben Maßnahmen wie das vorgeschlagene Paket.",
    "versus_proposed": "Gegenüber dem vorgeschlagenen Paket kommt hinzu: {added}; und fällt weg: {dropped}.",
    "maxmin": "Bester schlechtester Fall (Max-min): sein niedrigster Nutzen in einem Szenario ist {value}.",
    "minmax_regret": "Geringstes Bedauern (Minimax-Bedauern): es verliert nie mehr als {value}.",
    "fair": "Fairer Kompromiss zwischen den Gruppen",
    "fair_what": "Das eigene beste Paket jeder Gruppe zählt als 100 %. Der Kompromiss macht den "
    "kleinsten Anteil, den eine Gruppe erhält, so groß wie möglich: {value}.",
    "with_consensus": "Mit dem Konsenspaket",
    "with_compromise": "Mit dem Kompromiss",
    "core_index": "Kernindex",
    "core_index_what": "Kernindex: der Anteil der gezogenen Gewichtungen, unter denen eine "
    "Maßnahme zum besten Paket gehört.",
    "class": "Einstufung",
    "class_no-regret": "immer gewählt (in jedem Fall sinnvoll)",
    "class_borderline": "Grenzfall",
    "class_exterior": "nie gewählt",
    "baseline": "Der Fall, wie er ist",
    "robust_infeasible": "In mindestens einem Szenario erfüllt kein Paket die Regeln, daher lassen "
    "sich die Szenarien nicht vergleichen:",
    "portfolio_infeasible": "Kein Maßnahmenpaket erfüllt alle Regeln des Falls:",
    "provenance": "Wie dieser Bericht entstand",
    "provenance_what": "jede Zahl hier lässt sich mit derselben Version und denselben Parametern "
    "aus den unten genannten Eingabedateien (erkennbar an ihren "
    "SHA-256-Prüfsummen) reproduzieren.",
    "version": "Version",
    "parameters": "Parameter",
    "param_method": "Rangverfahren",
    "param_weights": "Gewichte",
    "param_weights_consensus": "Konsens der Beteiligten",
    "param_samples": "SMAA-Gewichtsstichproben",
    "param_seed": "Zufallsstartwert",
    "param_solver": "Löser",
    "param_steps": "Stufen der Budgetkurve",
    "param_robust_samples": "Gewichtsstichproben je Szenario (Kernindex)",
    "param_scenario": "Szenario",
    "param_language": "Sprache",
    "inputs": "Eingabedateien",
    "file": "Datei",
    "fingerprint": "SHA-256",
    "sheet_overview": "Überblick",
    "sheet_weights": "Gewichte",
    "sheet_consensus": "Konsens",
    "sheet_groups": "Gruppen",
    "sheet_ranking": "Rangfolge",
    "sheet_methods": "Verfahren",
    "sheet_acceptability": "Rangakzeptanz",
    "sheet_conflicts": "Zielkonflikte",
    "sheet_portfolio": "Maßnahmenpaket",
    "sheet_frontier": "Budgetkurve",
    "sheet_robustness": "Robustheit",
    "sheet_rejected": "Abgelehnte Gewichtungen",
    "sheet_provenance": "Herkunft",
    "param_value": "Wert",
    "param_case": "Fall",
    "param_title": "Titel",
    "param_folder": "Ordner des Falls",
    "consensus_index_label": "Konsensindex",
    "note_on": "Hinweis zu: {section}",
    "mean_weight": "Mittleres Gruppengewicht",
    "cv": "Variationskoeffizient zwischen den Gruppen",
    "weighted_least_by": "Am schwächsten gewichtet von",
    "influence": "Einfluss",
    "goal_a_id": "Ziel A (id)",
    "goal_b_id": "Ziel B (id)",
    "strength": "Stärke des Konflikts",
    "severity": "Schwere",
    "is_selected": "Gewählt",
    "step": "Stufe",
    "solver_status": "Ergebnis des Lösers",
    "solver_optimal": "optimal (nachgewiesen)",
    "solver_feasible": "zulässig, Optimalität nicht nachgewiesen",
    "solver_infeasible": "kein Paket passt",
    "solver_not_solved": "nicht gelöst",
    "chosen_in": "In wie vielen Szenarien gewählt",
    "robust_set": "Über die Szenarien",
    "set_core": "in jedem Szenario gewählt (robuster Kern)",
    "set_contested": "in manchen Szenarien gewählt",
    "set_never": "in keinem Szenario gewählt",
}

TEXTS: dict[str, dict[str, str]] = {"de": _DE, "en": _EN}


def texts(lang: str) -> Mapping[str, str]:
    """The labels of ``lang`` (``de`` or ``en``).

    >>> texts("de")["contents"], texts("en")["contents"]
    ('Inhalt', 'Contents')
    """
    try:
        return TEXTS[lang]
    except KeyError:
        raise ValueError(
            f"unknown report language {lang!r} (expected one of {', '.join(LANGUAGES)})"
        ) from None
