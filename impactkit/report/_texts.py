"""Every text of the reports, in Dutch and English.

One entry per key: ``{"en": ..., "nl": ...}`` with the same ``{placeholders}`` in both languages
(a test checks this).  Labels of domains, waves and levels come from the instrument; labels of the
default scenario's payers and care paths are here (a user scenario's own labels are used as they
are, in both languages).
"""

from __future__ import annotations

__all__ = ["HOUSEHOLD_LABELS", "PATH_LABELS", "PAYER_LABELS", "PROGRAMME_LABELS", "TEXTS"]

T = dict[str, str]

TEXTS: dict[str, T] = {
    # ---------------------------------------------------------------- general
    "ci_to": {"en": "to", "nl": "tot"},
    "unit_months": {"en": "months", "nl": "maanden"},
    "payback_never": {"en": "not within the horizon", "nl": "niet binnen de horizon"},
    "suppression_note": {
        "en": "<{k}: rests on fewer than {k} families, not shown. "
        "x: not shown so that a hidden figure cannot be worked out from the totals.",
        "nl": "<{k}: gebaseerd op minder dan {k} gezinnen, niet getoond. "
        "x: niet getoond zodat een verborgen cijfer niet uit de totalen kan worden afgeleid.",
    },
    "skip": {"en": "Skip to the report", "nl": "Naar het rapport"},
    "contents": {"en": "Contents", "nl": "Inhoud"},
    "numbers": {"en": "The numbers behind this chart", "nl": "De cijfers bij deze grafiek"},
    "reproduce": {"en": "How to reproduce this report", "nl": "Dit rapport reproduceren"},
    "generated": {"en": "Generated", "nl": "Gemaakt"},
    "instrument": {"en": "Instrument", "nl": "Instrument"},
    "scenario": {"en": "Cost scenario", "nl": "Kostenscenario"},
    "options": {"en": "Options", "nl": "Opties"},
    "inputs": {"en": "Input files (SHA-256)", "nl": "Invoerbestanden (SHA-256)"},
    "file": {"en": "File", "nl": "Bestand"},
    "footer_command": {
        "en": "The same inputs, instrument, scenario and options give this report byte for byte: {command}",
        "nl": "Dezelfde invoer, hetzelfde instrument, scenario en dezelfde opties geven precies dit rapport: {command}",
    },
    "footer_options": {
        "en": "kind {kind}, language {lang}, k = {k}, seed {seed}, {draws} PSA draws",
        "nl": "soort {kind}, taal {lang}, k = {k}, seed {seed}, {draws} PSA-trekkingen",
    },
    "none": {"en": "none", "nl": "geen"},
    "total": {"en": "Total", "nl": "Totaal"},
    "all_families": {"en": "All families", "nl": "Alle gezinnen"},
    "domain": {"en": "Life domain", "nl": "Leefgebied"},
    "wave": {"en": "Measurement", "nl": "Meting"},
    "families": {"en": "Families", "nl": "Gezinnen"},
    "children": {"en": "Children", "nl": "Kinderen"},
    "municipality": {"en": "Municipality", "nl": "Gemeente"},
    "household_type": {"en": "Household type", "nl": "Huishoudtype"},
    "programme": {"en": "Programme", "nl": "Programma"},
    "end_reason": {"en": "How support ended", "nl": "Hoe de ondersteuning eindigde"},
    "year": {"en": "Year", "nl": "Jaar"},
    "mean": {"en": "Mean", "nl": "Gemiddelde"},
    "sd": {"en": "SD", "nl": "SD"},
    "median": {"en": "Median", "nl": "Mediaan"},
    "n": {"en": "n", "nl": "n"},
    "n_missing": {"en": "Missing", "nl": "Ontbrekend"},
    "ci95": {"en": "95% CI", "nl": "95%-BI"},
    "share_sufficient": {"en": "At or above sufficient", "nl": "Voldoende of hoger"},
    "share": {"en": "Share", "nl": "Aandeel"},
    "level": {"en": "Level", "nl": "Niveau"},
    "not_shown_flows": {
        "en": "Not shown: flows under {k} families or that would reveal them",
        "nl": "Niet getoond: stromen onder {k} gezinnen of die die zouden verraden",
    },
    "fewer_than": {"en": "fewer than {k} families", "nl": "minder dan {k} gezinnen"},
    # ---------------------------------------------------------------- annual
    "annual_kicker": {"en": "Annual impact report", "nl": "Jaarlijkse impactrapportage"},
    "annual_title": {"en": "What changed for {n} families", "nl": "Wat er veranderde voor {n} gezinnen"},
    "subtitle": {
        "en": "{programmes} · {municipalities} municipalities · intakes {start} to {end} · report of {generated}",
        "nl": "{programmes} · {municipalities} gemeenten · intakes {start} tot en met {end} · rapport van {generated}",
    },
    "sec_summary": {"en": "Summary", "nl": "Samenvatting"},
    "sec_reach": {"en": "Reach", "nl": "Bereik"},
    "sec_flow": {"en": "Participation and attrition", "nl": "Deelname en uitval"},
    "sec_change": {"en": "Change per life domain", "nl": "Verandering per leefgebied"},
    "sec_transitions": {"en": "Moving between levels", "nl": "Verschuivingen tussen niveaus"},
    "sec_reliable": {"en": "Reliable change", "nl": "Betrouwbare verandering"},
    "sec_costs": {"en": "Costs and avoided costs", "nl": "Kosten en vermeden kosten"},
    "sec_assumptions": {"en": "Assumptions and sources", "nl": "Aannames en bronnen"},
    "sec_design": {
        "en": "What this design can and cannot show",
        "nl": "Wat dit onderzoeksontwerp wel en niet kan laten zien",
    },
    "sec_methods": {
        "en": "Methods appendix: full tables",
        "nl": "Methodologische bijlage: volledige tabellen",
    },
    "kf_families": {"en": "families supported", "nl": "gezinnen ondersteund"},
    "kf_children": {"en": "children in these families", "nl": "kinderen in deze gezinnen"},
    "kf_municipalities": {"en": "municipalities", "nl": "gemeenten"},
    "kf_volunteers": {"en": "volunteer matches", "nl": "koppelingen met een vrijwilliger"},
    "kf_years": {"en": "years with intakes", "nl": "jaren met intakes"},
    "kf_completed": {"en": "reached the last measurement", "nl": "bereikte de laatste meting"},
    "kf_improved": {
        "en": "of families with both measurements reliably improved in at least one domain",
        "nl": "van de gezinnen met beide metingen ging op minstens één leefgebied betrouwbaar vooruit",
    },
    "kf_bcr": {"en": "benefit-cost ratio", "nl": "baten-kostenverhouding"},
    "kf_psaving": {
        "en": "chance that avoided costs exceed the costs",
        "nl": "kans dat de vermeden kosten de kosten overtreffen",
    },
    "kf_interval": {"en": "95% interval {low} to {high}", "nl": "95%-interval {low} tot {high}"},
    "summary_change": {
        "en": "Between {baseline} and {followup}, families improved most in {best} ({diff} points on the "
        "{lo}–{hi} scale, 95% CI {ci}). {n_sig} of {n_dom} life domains improved beyond chance "
        "(paired t test, {adjust} adjustment).",
        "nl": "Tussen {baseline} en {followup} gingen gezinnen het meest vooruit op {best} ({diff} punt op de "
        "schaal {lo}–{hi}, 95%-BI {ci}). Op {n_sig} van de {n_dom} leefgebieden was de vooruitgang groter "
        "dan toeval (gepaarde t-toets, {adjust}-correctie).",
    },
    "summary_costs": {
        "en": "Each euro spent on the programme is estimated to avoid {bcr} euro of other care "
        "(95% interval {low} to {high}); the chance that avoided costs exceed the programme costs is {p}.",
        "nl": "Elke euro voor het programma voorkomt naar schatting {bcr} euro aan andere zorg "
        "(95%-interval {low} tot {high}); de kans dat de vermeden kosten hoger zijn dan de programmakosten is {p}.",
    },
    "summary_costs_below": {
        "en": "On these assumptions the avoided care does not cover the programme's cost within the horizon: "
        "the case for the programme then rests on what it achieves for families, not on savings.",
        "nl": "Met deze aannames dekken de vermeden zorgkosten de programmakosten niet binnen de horizon: het "
        "belang van het programma ligt dan in wat het voor gezinnen bereikt, niet in besparingen.",
    },
    "summary_caveat": {
        "en": "These are changes in families who took part, not proof that the programme caused them; "
        "see “What this design can and cannot show”.",
        "nl": "Dit zijn veranderingen bij gezinnen die meededen, geen bewijs dat het programma ze veroorzaakte; "
        "zie “Wat dit onderzoeksontwerp wel en niet kan laten zien”.",
    },
    "reach_intro": {
        "en": "Families are counted once, in the municipality and household type recorded at intake.",
        "nl": "Gezinnen tellen één keer mee, in de gemeente en het huishoudtype dat bij de intake is vastgelegd.",
    },
    "tbl_reach_municipality": {
        "en": "Families and children per municipality",
        "nl": "Gezinnen en kinderen per gemeente",
    },
    "tbl_reach_household": {"en": "Families per household type", "nl": "Gezinnen per huishoudtype"},
    "tbl_reach_year": {"en": "Intakes per year", "nl": "Intakes per jaar"},
    "flow_title": {"en": "Families measured at each moment", "nl": "Gezinnen gemeten per meetmoment"},
    "flow_caption": {
        "en": "Of {n0} families measured at intake, {n_last} ({share}) were measured at {last}.",
        "nl": "Van de {n0} gezinnen met een intakemeting werden er {n_last} ({share}) gemeten bij {last}.",
    },
    "flow_share": {"en": "Share of intake", "nl": "Aandeel van intake"},
    "flow_lost": {"en": "Not measured since previous", "nl": "Niet gemeten sinds vorige"},
    "tbl_end_reason": {"en": "How support ended", "nl": "Hoe de ondersteuning eindigde"},
    "tbl_profile": {
        "en": "Intake scores of families who reached the last measurement and those who did not",
        "nl": "Intakescores van gezinnen die de laatste meting bereikten en van gezinnen die dat niet deden",
    },
    "profile_note": {
        "en": "A positive standardised difference means completers started higher. Families who left early "
        "are missing from the later measurements, so averages at later moments describe the families who stayed.",
        "nl": "Een positief gestandaardiseerd verschil betekent dat wie de laatste meting haalde hoger begon. "
        "Gezinnen die eerder stopten ontbreken bij latere metingen; gemiddelden op latere momenten "
        "beschrijven dus de gezinnen die bleven.",
    },
    "completers": {"en": "Completers", "nl": "Met laatste meting"},
    "noncompleters": {"en": "Others", "nl": "Overigen"},
    "smd": {"en": "Standardised difference", "nl": "Gestandaardiseerd verschil"},
    "end_completed": {"en": "Completed", "nl": "Afgerond"},
    "end_dropped_out": {"en": "Dropped out", "nl": "Voortijdig gestopt"},
    "end_moved": {"en": "Moved away", "nl": "Verhuisd"},
    "end_referred_on": {"en": "Referred on", "nl": "Doorverwezen"},
    "end_ongoing": {"en": "Still ongoing", "nl": "Loopt nog"},
    "radar_title": {
        "en": "Average score per life domain at each measurement",
        "nl": "Gemiddelde score per leefgebied per meting",
    },
    "radar_caption": {
        "en": "Averages rose in every domain shown; the lowest intake averages were in {low1} and {low2}. "
        "Later averages describe the families still taking part.",
        "nl": "De gemiddelden stegen op elk getoond leefgebied; de laagste intakegemiddelden waren er op "
        "{low1} en {low2}. Latere gemiddelden beschrijven de gezinnen die nog meededen.",
    },
    "radar_caption_mixed": {
        "en": "The lowest intake averages were in {low1} and {low2}. Later averages describe the families still taking part.",
        "nl": "De laagste intakegemiddelden waren er op {low1} en {low2}. Latere gemiddelden beschrijven de "
        "gezinnen die nog meededen.",
    },
    "distance_title": {
        "en": "Distance travelled from {baseline} to {followup} (mean change with 95% CI)",
        "nl": "Afgelegde afstand van {baseline} tot {followup} (gemiddelde verandering met 95%-BI)",
    },
    "distance_caption": {
        "en": "Families with both measurements improved most in {best} (+{diff}) and least in {worst} ({diff_w}). "
        "An interval that does not cross zero indicates change beyond chance.",
        "nl": "Gezinnen met beide metingen gingen het meest vooruit op {best} (+{diff}) en het minst op {worst} "
        "({diff_w}). Een interval dat nul niet raakt wijst op verandering groter dan toeval.",
    },
    "shares_title": {
        "en": "Share of families improved, unchanged or worse",
        "nl": "Aandeel gezinnen vooruit, gelijk of achteruit",
    },
    "shares_caption": {
        "en": "In {best}, {share} of families with both measurements scored higher at {followup} than at {baseline}.",
        "nl": "Op {best} scoorde {share} van de gezinnen met beide metingen hoger bij {followup} dan bij {baseline}.",
    },
    "improved": {"en": "Improved", "nl": "Vooruit"},
    "unchanged": {"en": "Unchanged", "nl": "Gelijk"},
    "worse": {"en": "Worse", "nl": "Achteruit"},
    "mean_diff": {"en": "Mean change", "nl": "Gemiddelde verandering"},
    "p_adjusted": {"en": "p (adjusted)", "nl": "p (gecorrigeerd)"},
    "sankey_title": {
        "en": "{domain}: levels at {baseline} and at {followup}",
        "nl": "{domain}: niveaus bij {baseline} en bij {followup}",
    },
    "sankey_caption": {
        "en": "In {domain}, the domain with the largest average gain, {up} of families moved up at least one level "
        "and {down} moved down. Flows of fewer than {k} families, and flows that would reveal them, are not drawn.",
        "nl": "Op {domain}, het leefgebied met de grootste gemiddelde vooruitgang, ging {up} van de gezinnen minstens "
        "één niveau omhoog en {down} omlaag. Stromen van minder dan {k} gezinnen, en stromen die die zouden "
        "verraden, zijn niet getekend.",
    },
    "transitions_intro": {
        "en": "The diagram follows families with both measurements from their level at {baseline} to their level at {followup}.",
        "nl": "Het diagram volgt gezinnen met beide metingen van hun niveau bij {baseline} naar hun niveau bij {followup}.",
    },
    "from_level": {"en": "Level at {wave}", "nl": "Niveau bij {wave}"},
    "to_level": {"en": "Level at {wave}", "nl": "Niveau bij {wave}"},
    "rci_title": {"en": "Reliable change per life domain", "nl": "Betrouwbare verandering per leefgebied"},
    "rci_caption": {
        "en": "Reliable improvement (change larger than measurement error, Jacobson & Truax) was most common in {best} "
        "({share} of families, recovered included).",
        "nl": "Betrouwbare vooruitgang (groter dan de meetfout, Jacobson & Truax) kwam het vaakst voor op {best} "
        "({share} van de gezinnen, hersteld meegeteld).",
    },
    "rci_intro": {
        "en": "A change counts as reliable when it is larger than the instrument's measurement error could produce "
        "(|RCI| > 1.96). Recovered: reliably improved and now at or above the sufficient level.",
        "nl": "Een verandering telt als betrouwbaar wanneer ze groter is dan de meetfout van het instrument kan "
        "verklaren (|RCI| > 1,96). Hersteld: betrouwbaar vooruit en nu op of boven het niveau voldoende.",
    },
    "rci_unavailable": {
        "en": "Reliable change cannot be computed for these data, so this section shows no figures: {reason}",
        "nl": "Betrouwbare verandering kan voor deze gegevens niet worden berekend; dit deel toont daarom geen "
        "cijfers: {reason}",
    },
    "cat_recovered": {"en": "Recovered", "nl": "Hersteld"},
    "cat_improved": {"en": "Reliably improved", "nl": "Betrouwbaar vooruit"},
    "cat_unchanged": {"en": "No reliable change", "nl": "Geen betrouwbare verandering"},
    "cat_deteriorated": {"en": "Reliably worse", "nl": "Betrouwbaar achteruit"},
    # ----------------------------------------------------------------- costs
    "costs_intro": {
        "en": "Avoided costs are the care these families would probably have needed without the programme, "
        "valued at Dutch unit prices of {year} and corrected for deadweight, attribution, displacement and drop-off; "
        "the interval comes from {draws} draws of a probabilistic sensitivity analysis (seed {seed}).",
        "nl": "Vermeden kosten zijn de zorg die deze gezinnen zonder het programma waarschijnlijk nodig hadden gehad, "
        "gewaardeerd tegen Nederlandse prijzen van {year} en gecorrigeerd voor deadweight, attributie, verplaatsing "
        "en uitdoving; het interval komt uit {draws} trekkingen van een probabilistische gevoeligheidsanalyse (seed {seed}).",
    },
    "waterfall_title": {
        "en": "From programme cost to net benefit",
        "nl": "Van programmakosten naar netto baten",
    },
    "waterfall_caption": {
        "en": "Programme costs of {cost} stand against {avoided} of avoided care; the net benefit is {net}. "
        "The largest avoided cost is {path}.",
        "nl": "Tegenover {cost} programmakosten staat {avoided} aan vermeden zorg; de netto baten zijn {net}. "
        "De grootste vermeden post is {path}.",
    },
    "programme_cost": {"en": "Programme cost", "nl": "Programmakosten"},
    "gross_avoided": {"en": "Avoided costs (gross)", "nl": "Vermeden kosten (bruto)"},
    "net_benefit": {"en": "Net benefit", "nl": "Netto baten"},
    "bcr": {"en": "Benefit-cost ratio", "nl": "Baten-kostenverhouding"},
    "roi": {"en": "Return on investment", "nl": "Rendement (ROI)"},
    "npv": {"en": "Net present value", "nl": "Netto contante waarde"},
    "payback": {"en": "Payback period", "nl": "Terugverdientijd"},
    "p_saving": {"en": "P(net saving)", "nl": "P(netto besparing)"},
    "care_path": {"en": "Care path", "nl": "Zorgpad"},
    "families_at_risk": {
        "en": "Families who might have needed it",
        "nl": "Gezinnen die het mogelijk nodig hadden",
    },
    "amount": {"en": "Amount", "nl": "Bedrag"},
    "item": {"en": "Item", "nl": "Post"},
    "tbl_costs_summary": {"en": "Cost summary", "nl": "Kostenoverzicht"},
    "estimate": {"en": "Estimate", "nl": "Schatting"},
    "interval95": {"en": "95% interval", "nl": "95%-interval"},
    # ----------------------------------------------------------- assumptions
    "assumptions_intro": {
        "en": "Every number behind the cost estimate, with its distribution in the sensitivity analysis and its source. "
        "{illustrative}",
        "nl": "Elk getal achter de kostenschatting, met de verdeling in de gevoeligheidsanalyse en de bron. {illustrative}",
    },
    "illustrative": {
        "en": "The scenario is marked illustrative: replace its prices with local tariffs before using the figures.",
        "nl": "Het scenario is gemarkeerd als illustratief: vervang de prijzen door lokale tarieven voordat u de cijfers gebruikt.",
    },
    "parameter": {"en": "Parameter", "nl": "Parameter"},
    "value": {"en": "Value", "nl": "Waarde"},
    "distribution": {"en": "Distribution", "nl": "Verdeling"},
    "low": {"en": "Low", "nl": "Laag"},
    "high": {"en": "High", "nl": "Hoog"},
    "source": {"en": "Source", "nl": "Bron"},
    "rule": {"en": "Rule", "nl": "Regel"},
    "tbl_assumptions": {"en": "Cost assumptions", "nl": "Kostenaannames"},
    "tbl_rules": {
        "en": "Rules on the intake profile, used where no counterfactual judgement was recorded",
        "nl": "Regels op het intakeprofiel, gebruikt waar geen inschatting van het alternatief is vastgelegd",
    },
    "tbl_instrument": {"en": "Instrument", "nl": "Instrument"},
    # ---------------------------------------------------------------- design
    "design_intro": {
        "en": "This report compares the same families before and after support, without a comparison group of similar "
        "families who did not take part.",
        "nl": "Dit rapport vergelijkt dezelfde gezinnen voor en na de ondersteuning, zonder vergelijkingsgroep van "
        "soortgelijke gezinnen die niet meededen.",
    },
    "design_can": {"en": "Such a pre-post design can show:", "nl": "Zo'n voor-nameting kan laten zien:"},
    "design_can_1": {
        "en": "how much the situation of participating families changed, per life domain, with its uncertainty;",
        "nl": "hoeveel de situatie van deelnemende gezinnen veranderde, per leefgebied, met de onzekerheid daarvan;",
    },
    "design_can_2": {
        "en": "for how many families the change is larger than measurement error (reliable change);",
        "nl": "bij hoeveel gezinnen de verandering groter is dan de meetfout (betrouwbare verandering);",
    },
    "design_can_3": {
        "en": "who took part, who stayed and who left, and whether those who left started differently;",
        "nl": "wie meedeed, wie bleef en wie stopte, en of wie stopte anders begon;",
    },
    "design_cannot": {"en": "It cannot show:", "nl": "Het kan niet laten zien:"},
    "design_cannot_1": {
        "en": "that the programme caused the change: families often ask for help at a low point and partly recover "
        "by themselves (regression to the mean), and other help and life events play a part;",
        "nl": "dat het programma de verandering veroorzaakte: gezinnen vragen vaak hulp op een dieptepunt en "
        "herstellen deels vanzelf (regressie naar het gemiddelde), en andere hulp en gebeurtenissen spelen mee;",
    },
    "design_cannot_2": {
        "en": "how families who left early are doing: later averages describe those who stayed;",
        "nl": "hoe het gaat met gezinnen die eerder stopten: latere gemiddelden beschrijven wie bleef;",
    },
    "design_cannot_3": {
        "en": "measured savings: avoided costs rest on judgements of what would have happened without the programme, "
        "corrected for deadweight and attribution; they are an informed estimate, not an observed saving.",
        "nl": "gemeten besparingen: vermeden kosten berusten op inschattingen van wat er zonder het programma was "
        "gebeurd, gecorrigeerd voor deadweight en attributie; het is een onderbouwde schatting, geen waargenomen besparing.",
    },
    "design_privacy": {
        "en": "Privacy: no figure in this report rests on fewer than {k} families; some further cells are hidden so "
        "that hidden figures cannot be worked out from totals. The report contains no family identifiers.",
        "nl": "Privacy: geen cijfer in dit rapport berust op minder dan {k} gezinnen; enkele andere cellen zijn "
        "verborgen zodat verborgen cijfers niet uit totalen kunnen worden afgeleid. Het rapport bevat geen "
        "gezinsnummers.",
    },
    # --------------------------------------------------------------- methods
    "methods_intro": {
        "en": "Paired comparisons use families with both measurements in a domain (complete pairs); nothing is imputed. "
        "p-values are adjusted across the {n_dom} domains with the {adjust} method. Effect sizes follow Lakens (2013).",
        "nl": "Gepaarde vergelijkingen gebruiken gezinnen met beide metingen op een leefgebied (complete paren); er "
        "wordt niets geïmputeerd. p-waarden zijn over de {n_dom} leefgebieden gecorrigeerd met de {adjust}-methode. "
        "Effectgroottes volgens Lakens (2013).",
    },
    "tbl_describe": {"en": "Scores per life domain and measurement", "nl": "Scores per leefgebied en meting"},
    "tbl_change": {
        "en": "Paired change from {baseline} to {followup}",
        "nl": "Gepaarde verandering van {baseline} tot {followup}",
    },
    "tbl_change_by": {
        "en": "Paired change from {baseline} to {followup} per {by}",
        "nl": "Gepaarde verandering van {baseline} tot {followup} per {by}",
    },
    "tbl_omnibus": {
        "en": "Change across all measurements (families with every measurement)",
        "nl": "Verandering over alle metingen (gezinnen met elke meting)",
    },
    "tbl_mixed": {
        "en": "Linear mixed model on all observed scores (random intercept per family, REML)",
        "nl": "Lineair mixed model op alle waargenomen scores (random intercept per gezin, REML)",
    },
    "tbl_reliable": {
        "en": "Reliable change: families per category",
        "nl": "Betrouwbare verandering: gezinnen per categorie",
    },
    "tbl_attrition_model": {
        "en": "Dropout model: logistic regression of leaving before the last measurement on intake scores",
        "nl": "Uitvalmodel: logistische regressie van stoppen voor de laatste meting op intakescores",
    },
    "term": {"en": "Term", "nl": "Term"},
    "se": {"en": "SE", "nl": "SE"},
    "df": {"en": "df", "nl": "df"},
    "p": {"en": "p", "nl": "p"},
    "odds_ratio": {"en": "Odds ratio", "nl": "Odds ratio"},
    "n_complete": {"en": "n (complete)", "nl": "n (compleet)"},
    "friedman_p": {"en": "Friedman p", "nl": "Friedman p"},
    "kendall_w": {"en": "Kendall's W", "nl": "Kendalls W"},
    "anova_f": {"en": "RM-ANOVA F", "nl": "RM-ANOVA F"},
    "p_gg": {"en": "p (Greenhouse-Geisser)", "nl": "p (Greenhouse-Geisser)"},
    "eta2_generalized": {"en": "Generalised η²", "nl": "Gegeneraliseerde η²"},
    "mean_baseline": {"en": "Mean {wave}", "nl": "Gemiddelde {wave}"},
    "cohen_dz": {"en": "d_z", "nl": "d_z"},
    "hedges_gav": {"en": "g_av", "nl": "g_av"},
    "wilcoxon_p": {"en": "Wilcoxon p", "nl": "Wilcoxon p"},
    "icc": {"en": "ICC", "nl": "ICC"},
    "intercept": {"en": "Intercept", "nl": "Constante"},
    "dist_fixed": {"en": "fixed", "nl": "vast"},
    "dist_beta": {"en": "beta", "nl": "bèta"},
    "dist_gamma": {"en": "gamma", "nl": "gamma"},
    "dist_lognormal": {"en": "lognormal", "nl": "lognormaal"},
    "dist_triangular": {"en": "triangular", "nl": "driehoek"},
    "param_price": {"en": "Price: {what}", "nl": "Prijs: {what}"},
    "param_units": {"en": "{what}: units per year", "nl": "{what}: eenheden per jaar"},
    "param_prevalence": {"en": "{what}: prevalence", "nl": "{what}: prevalentie"},
    "param_escalation": {"en": "{what}: escalation probability", "nl": "{what}: kans op escalatie"},
    "param_rule": {"en": "Rule: {what}", "nl": "Regel: {what}"},
    "param_discount": {"en": "Discount rate ({what})", "nl": "Discontovoet ({what})"},
    "param_programme": {"en": "Programme: {what}", "nl": "Programma: {what}"},
    "attribution": {"en": "Attribution", "nl": "Attributie"},
    "displacement": {"en": "Displacement", "nl": "Verplaatsing"},
    "dropoff": {"en": "Drop-off", "nl": "Uitdoving"},
    "costs_word": {"en": "costs", "nl": "kosten"},
    "effects_word": {"en": "effects", "nl": "effecten"},
    "break_even_cases": {
        "en": "Cases that pay for the programme",
        "nl": "Gevallen die het programma terugverdienen",
    },
    "cost_per_case": {"en": "Cost per case", "nl": "Kosten per geval"},
    "breakeven_impossible": {
        "en": "Even if all the counterfactual care were really avoided, the programme would not pay for itself within "
        "the horizon: it would take {share} of it. Alternatively it would have to prevent {ots} supervision orders "
        "(OTS) or {placements} out-of-home placements.",
        "nl": "Zelfs als alle anders benodigde zorg echt werd voorkomen, verdient het programma zich binnen de horizon "
        "niet terug: daarvoor zou {share} ervan nodig zijn. Anders gezegd: het zou {ots} ondertoezichtstellingen "
        "(OTS) of {placements} uithuisplaatsingen moeten voorkomen.",
    },
    "tbl_psa": {"en": "Distribution over the draws", "nl": "Verdeling over de trekkingen"},
    "quantity": {"en": "Quantity", "nl": "Grootheid"},
    "q025": {"en": "2.5th percentile", "nl": "2,5e percentiel"},
    "q500": {"en": "Median", "nl": "Mediaan"},
    "q975": {"en": "97.5th percentile", "nl": "97,5e percentiel"},
    "cost_note_basis": {
        "en": "{n} families: {recorded} with a recorded judgement of what would have happened without the programme, "
        "{rule} placed on a care path by a rule on their intake scores, {none} matched by no rule (counted at the "
        "scenario's prevalence).",
        "nl": "{n} gezinnen: {recorded} met een vastgelegde inschatting van wat er zonder het programma was gebeurd, "
        "{rule} via een regel op hun intakescores aan een zorgpad gekoppeld, {none} zonder passende regel (geteld "
        "tegen de prevalentie van het scenario).",
    },
    "cost_note_adjust": {
        "en": "Money in {year} euros. Avoided care is counted for {horizon} years after deadweight {dw}, attribution "
        "{attr}, displacement {disp} and a drop-off of {drop} a year, discounted at {rate} a year.",
        "nl": "Bedragen in euro's van {year}. Vermeden zorg telt {horizon} jaar mee, na deadweight {dw}, attributie "
        "{attr}, verplaatsing {disp} en een uitdoving van {drop} per jaar, verdisconteerd tegen {rate} per jaar.",
    },
    "cost_note_contested": {
        "en": "The Youth Authority warns that savings assumed from prevention are contested: these are estimates, not "
        "booked savings.",
        "nl": "De Autoriteit Jeugd waarschuwt dat veronderstelde besparingen door preventie omstreden zijn: "
        "dit zijn schattingen, geen geboekte besparingen.",
    },
    # --------------------------------------------------------- business case
    "bc_kicker": {"en": "Municipal business case", "nl": "Gemeentelijke business case"},
    "bc_title": {
        "en": "Does {programme} pay, and for whose budget?",
        "nl": "Loont {programme}, en voor welk budget?",
    },
    "bc_subtitle": {
        "en": "{families} families · horizon {horizon} years · prices of {year} · report of {generated}",
        "nl": "{families} gezinnen · horizon {horizon} jaar · prijzen van {year} · rapport van {generated}",
    },
    "sec_bc_summary": {"en": "The business case in brief", "nl": "De business case in het kort"},
    "sec_payers": {"en": "Who invests and who saves", "nl": "Wie investeert en wie bespaart"},
    "sec_years": {"en": "Costs and savings per year", "nl": "Kosten en besparingen per jaar"},
    "sec_breakeven": {"en": "Break-even", "nl": "Break-even"},
    "sec_uncertainty": {"en": "How certain is the saving?", "nl": "Hoe zeker is de besparing?"},
    "sec_scenarios": {"en": "Scenarios", "nl": "Scenario's"},
    "wrong_pocket": {
        "en": "The municipality pays for the programme from its prevention budget, but most of the avoided costs would "
        "have fallen on other budgets: youth care (Jeugdwet), income support, housing corporations, health insurers "
        "and the state. A saving on one budget does not flow back by itself to the budget that invested. This is the "
        "“wrong pocket” problem, and it is the main reason prevention that pays for society can still look like a "
        "cost to the department that funds it. The table shows, per payer, what it invests and what it would avoid.",
        "nl": "De gemeente betaalt het programma uit het preventiebudget, maar de meeste vermeden kosten zouden op "
        "andere budgetten zijn gevallen: jeugdhulp (Jeugdwet), inkomensondersteuning, woningcorporaties, "
        "zorgverzekeraars en het Rijk. Een besparing op het ene budget vloeit niet vanzelf terug naar het budget dat "
        "investeerde. Dat is het probleem van de “verkeerde zak”, en de belangrijkste reden dat preventie die voor de "
        "samenleving loont, voor de afdeling die betaalt toch als kostenpost kan voelen. De tabel toont per betaler "
        "wat die investeert en wat die zou besparen.",
    },
    "payer": {"en": "Payer", "nl": "Betaler"},
    "invests": {"en": "Invests", "nl": "Investeert"},
    "saves": {"en": "Saves", "nl": "Bespaart"},
    "net": {"en": "Net", "nl": "Netto"},
    "payers_title": {
        "en": "Investment and avoided cost per payer",
        "nl": "Investering en vermeden kosten per betaler",
    },
    "payers_caption": {
        "en": "{investor} invests {invest}; the largest saving lands on {saver} ({save}).",
        "nl": "{investor} investeert {invest}; de grootste besparing valt bij {saver} ({save}).",
    },
    "years_title": {
        "en": "Investment and avoided cost per year",
        "nl": "Investering en vermeden kosten per jaar",
    },
    "years_caption": {
        "en": "From {year} on, the cumulative net benefit stays positive.",
        "nl": "Vanaf {year} blijft het cumulatieve netto resultaat positief.",
    },
    "years_caption_never": {
        "en": "At the end of the {horizon}-year horizon the cumulative net benefit is negative.",
        "nl": "Aan het eind van de horizon van {horizon} jaar is het cumulatieve netto resultaat negatief.",
    },
    "cumulative": {"en": "Cumulative net", "nl": "Cumulatief netto"},
    "breakeven_intro": {
        "en": "The programme pays for itself when at least {share} of the counterfactual care is really avoided, or "
        "when it prevents {ots} supervision orders (OTS) or {placements} out-of-home placements.",
        "nl": "Het programma verdient zichzelf terug als minstens {share} van de anders benodigde zorg echt wordt "
        "voorkomen, of als het {ots} ondertoezichtstellingen (OTS) of {placements} uithuisplaatsingen voorkomt.",
    },
    "measure": {"en": "Measure", "nl": "Maatstaf"},
    "tbl_breakeven": {"en": "Break-even", "nl": "Break-even"},
    "psa_title": {
        "en": "Distribution of the net benefit over {draws} draws",
        "nl": "Verdeling van de netto baten over {draws} trekkingen",
    },
    "psa_caption": {
        "en": "In {p} of the draws the avoided costs exceed the programme costs; the middle 95% of net benefits runs "
        "from {low} to {high}.",
        "nl": "In {p} van de trekkingen zijn de vermeden kosten hoger dan de programmakosten; de middelste 95% van de "
        "netto baten loopt van {low} tot {high}.",
    },
    "bin_from": {"en": "From", "nl": "Van"},
    "bin_to": {"en": "To", "nl": "Tot"},
    "draws_share": {"en": "Share of draws", "nl": "Aandeel trekkingen"},
    "accept_title": {
        "en": "Chance of a net saving against deadweight",
        "nl": "Kans op een netto besparing tegen deadweight",
    },
    "accept_caption": {
        "en": "The chance of a saving stays above 50% up to a deadweight of {dw}.",
        "nl": "De kans op een besparing blijft boven 50% tot een deadweight van {dw}.",
    },
    "accept_caption_never": {
        "en": "The chance of a saving is below 50% at every deadweight shown.",
        "nl": "De kans op een besparing is bij elke getoonde deadweight lager dan 50%.",
    },
    "deadweight": {"en": "Deadweight", "nl": "Deadweight"},
    "tornado_title": {
        "en": "Which assumptions matter most (one-way sensitivity)",
        "nl": "Welke aannames het zwaarst wegen (eenzijdige gevoeligheid)",
    },
    "tornado_caption": {
        "en": "The net benefit is most sensitive to {param}: between its low and high value it runs from {low} to {high}.",
        "nl": "De netto baten zijn het gevoeligst voor {param}: tussen de lage en hoge waarde lopen ze van {low} tot {high}.",
    },
    "at_low": {"en": "Net benefit at low value", "nl": "Netto baten bij lage waarde"},
    "at_high": {"en": "Net benefit at high value", "nl": "Netto baten bij hoge waarde"},
    "tbl_scenarios": {"en": "Named scenarios", "nl": "Benoemde scenario's"},
    "scenario_name": {"en": "Scenario", "nl": "Scenario"},
    "sc_pessimistic": {"en": "Pessimistic", "nl": "Pessimistisch"},
    "sc_base": {"en": "Base", "nl": "Basis"},
    "sc_optimistic": {"en": "Optimistic", "nl": "Optimistisch"},
    "scenarios_intro": {
        "en": "The pessimistic and optimistic scenarios set every uncertain assumption to its low or high value at once, "
        "which is more extreme than any single draw is likely to be.",
        "nl": "Het pessimistische en optimistische scenario zetten alle onzekere aannames tegelijk op hun lage of hoge "
        "waarde; dat is extremer dan een enkele trekking waarschijnlijk is.",
    },
    "kf_investment": {"en": "programme cost over the horizon", "nl": "programmakosten over de horizon"},
    "kf_avoided": {"en": "avoided costs over the horizon", "nl": "vermeden kosten over de horizon"},
    "kf_net": {"en": "net benefit (present value)", "nl": "netto baten (contante waarde)"},
    "kf_payback": {"en": "payback period", "nl": "terugverdientijd"},
}

PAYER_LABELS: dict[str, T] = {
    "municipality_prevention": {"en": "Municipality: prevention", "nl": "Gemeente: preventie"},
    "municipality_youth_care": {
        "en": "Municipality: youth care (Jeugdwet)",
        "nl": "Gemeente: jeugdhulp (Jeugdwet)",
    },
    "municipality_youth": {
        "en": "Municipality: youth care (Jeugdwet)",
        "nl": "Gemeente: jeugdhulp (Jeugdwet)",
    },
    "income_support": {"en": "Municipality: income support", "nl": "Gemeente: inkomensondersteuning"},
    "municipality_income": {"en": "Municipality: income support", "nl": "Gemeente: inkomensondersteuning"},
    "housing_corporations": {"en": "Housing corporations", "nl": "Woningcorporaties"},
    "health_insurers": {"en": "Health insurers", "nl": "Zorgverzekeraars"},
    "state": {"en": "State (UWV, tax, justice)", "nl": "Rijk (UWV, Belastingdienst, justitie)"},
    "families": {"en": "Families", "nl": "Gezinnen"},
    "volunteers": {"en": "Volunteers' time (societal)", "nl": "Tijd van vrijwilligers (maatschappelijk)"},
}

PROGRAMME_LABELS: dict[str, T] = {
    "caseload_per_fte": {"en": "families per coordinator FTE", "nl": "gezinnen per fte coördinator"},
    "costs.coordinator.amount": {"en": "coordinator, per FTE-year", "nl": "coördinator, per fte-jaar"},
    "costs.training.amount": {"en": "training", "nl": "training"},
    "costs.volunteer_expenses.amount": {"en": "volunteer expenses", "nl": "onkosten vrijwilligers"},
    "costs.licence.amount": {"en": "licence", "nl": "licentie"},
    "costs.overhead.amount": {"en": "overhead", "nl": "overhead"},
    "volunteer_time.hours_per_family": {
        "en": "volunteer hours per family",
        "nl": "vrijwilligersuren per gezin",
    },
    "volunteer_time.hour_value": {"en": "value of a volunteer hour", "nl": "waarde van een vrijwilligersuur"},
}

HOUSEHOLD_LABELS: dict[str, T] = {
    "newcomer": {"en": "Newcomers (residence permit)", "nl": "Nieuwkomers (statushouders)"},
    "single_parent": {"en": "Single parents", "nl": "Eenoudergezinnen"},
    "poverty": {"en": "Families in poverty", "nl": "Gezinnen in armoede"},
    "parental_mental_illness": {
        "en": "Parent with psychiatric problems",
        "nl": "Ouder met psychische problemen",
    },
    "other_multi_problem": {"en": "Other multi-problem families", "nl": "Overige multiprobleemgezinnen"},
}

PATH_LABELS: dict[str, T] = {
    "social_work": {"en": "Social work", "nl": "Maatschappelijk werk"},
    "parenting_support": {"en": "Parenting support", "nl": "Opvoedondersteuning"},
    "youth_care": {"en": "Specialised youth care", "nl": "Specialistische jeugdhulp"},
    "debt": {"en": "Debt assistance and problematic debt", "nl": "Schuldhulp en problematische schulden"},
    "debt_assistance": {
        "en": "Debt assistance and problematic debt",
        "nl": "Schuldhulp en problematische schulden",
    },
    "supervision_order": {"en": "Supervision order (OTS)", "nl": "Ondertoezichtstelling (OTS)"},
    "out_of_home_placement": {"en": "Out-of-home placement", "nl": "Uithuisplaatsing"},
    # care types of the default price list (prices.<id>)
    "home_guidance": {"en": "Home-based guidance", "nl": "Ambulante begeleiding thuis"},
    "volunteer_time": {"en": "Volunteer time", "nl": "Tijd van vrijwilligers"},
    "supervision_order_first_year": {"en": "OTS, first year", "nl": "OTS, eerste jaar"},
    "supervision_order_later_year": {"en": "OTS, later years", "nl": "OTS, volgende jaren"},
    "foster_care_allowance": {"en": "Foster-care allowance", "nl": "Pleegvergoeding"},
    "residential_youth_care": {"en": "Residential youth care", "nl": "Residentiële jeugdhulp"},
    "problematic_debt_societal": {
        "en": "Societal cost of problematic debt",
        "nl": "Maatschappelijke kosten van problematische schulden",
    },
    "ots": {"en": "Supervision order (OTS)", "nl": "Ondertoezichtstelling (OTS)"},
    "foster_care": {"en": "Foster care", "nl": "Pleegzorg"},
    "family_home": {"en": "Family home (gezinshuis)", "nl": "Gezinshuis"},
    "residential": {"en": "Residential youth care", "nl": "Residentiële jeugdhulp"},
}
