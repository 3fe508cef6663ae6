"""Every text the command line shows, in every language, in one place (help included).

Keys are symbolic; ``t(key, lang, **values)`` fills ``{placeholders}``.  A text missing in a language
falls back to English.  ``tests/cli/test_texts.py`` checks that every language holds every key with
the same placeholders.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

__all__ = ["LANGS", "TEXTS", "lang_from", "t"]

LANGS = ("en", "nl")

TEXTS: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------------ help: the application
    "help.app": {
        "en": "Does informal family support work, and does it pay? Validate, analyse, cost and report.\n\n"
        "Help and messages follow --lang, else $IMPACTKIT_LANG, else your system language (LANG).",
        "nl": "Werkt informele gezinsondersteuning, en loont het? Controleren, analyseren, kosten en "
        "rapporteren.\n\nHulp en meldingen volgen --lang, anders $IMPACTKIT_LANG, anders de taal van "
        "je systeem (LANG).",
    },
    "help.version": {"en": "Show the version and exit.", "nl": "Toon de versie en stop."},
    "help.help": {"en": "Show this help and exit.", "nl": "Toon deze hulp en stop."},
    "help.cmd.validate": {
        "en": "Check an export against the data contract and list every problem (exit 1 when invalid).",
        "nl": "Controleer een export tegen het gegevenscontract en toon elk probleem (exit 1 bij fouten).",
    },
    "help.cmd.analyse": {
        "en": "Describe, paired change, omnibus tests, reliable change and attrition for one export.",
        "nl": "Beschrijving, gepaarde verandering, omnibustoetsen, betrouwbare verandering en uitval "
        "voor één export.",
    },
    "help.cmd.costs": {
        "en": "Gross avoided cost, programme cost, net benefit, payback and P(saving), per payer and year.",
        "nl": "Vermeden kosten, programmakosten, netto baten, terugverdientijd en P(besparing), per "
        "betaler en jaar.",
    },
    "help.cmd.report": {
        "en": "Write a self-contained HTML report (offline, Dutch or English, small cells suppressed).",
        "nl": "Schrijf een zelfstandig HTML-rapport (offline, Nederlands of Engels, kleine aantallen "
        "onderdrukt).",
    },
    "help.cmd.sample": {
        "en": "Write a realistic synthetic cohort (seeded; reruns reproduce the files byte for byte).",
        "nl": "Schrijf een realistisch synthetisch cohort (met seed; opnieuw draaien geeft dezelfde "
        "bestanden).",
    },
    # ------------------------------------------------------------------ help: panels
    "panel.arguments": {"en": "Arguments", "nl": "Argumenten"},
    "panel.options": {"en": "Options", "nl": "Opties"},
    "panel.input": {"en": "Input", "nl": "Invoer"},
    "panel.selection": {"en": "Selection", "nl": "Selectie"},
    "panel.output": {"en": "Output", "nl": "Uitvoer"},
    "panel.commands": {"en": "Commands", "nl": "Commando's"},
    "help.default": {"en": "[default: {value}]", "nl": "[standaard: {value}]"},
    "help.required": {"en": "[required]", "nl": "[verplicht]"},
    "meta.file": {"en": "FILE", "nl": "BESTAND"},
    "meta.folder": {"en": "FOLDER", "nl": "MAP"},
    "meta.path": {"en": "PATH", "nl": "PAD"},
    "meta.name": {"en": "NAME", "nl": "NAAM"},
    "meta.column": {"en": "COLUMN", "nl": "KOLOM"},
    "meta.domains": {"en": "DOMAINS", "nl": "DOMEINEN"},
    "meta.date": {"en": "DATE", "nl": "DATUM"},
    "meta.wave": {"en": "WAVE", "nl": "MEETMOMENT"},
    "meta.number": {"en": "NUMBER", "nl": "GETAL"},
    "meta.instrument": {"en": "NAME|FILE", "nl": "NAAM|BESTAND"},
    "meta.lang": {"en": "en|nl", "nl": "en|nl"},
    "meta.adjust": {"en": "holm|bh|none", "nl": "holm|bh|none"},
    "meta.kind": {"en": "annual|business-case", "nl": "annual|business-case"},
    # ------------------------------------------------------------------ help: shared options
    "help.path": {
        "en": "An export folder like data/sample, or one assessments file (CSV, Excel, Parquet).",
        "nl": "Een exportmap zoals data/sample, of één bestand met metingen (CSV, Excel, Parquet).",
    },
    "help.config": {
        "en": "Mapping file (impactkit.toml) saying where the tables are and what headers and codes mean.",
        "nl": "Koppelbestand (impactkit.toml): waar de tabellen staan en wat koppen en codes betekenen.",
    },
    "help.instrument": {
        "en": "Instrument: a file (.toml/.yaml) or a shipped name (default, zrm2017, agreement35).",
        "nl": "Instrument: een bestand (.toml/.yaml) of een meegeleverde naam (default, zrm2017, "
        "agreement35).",
    },
    "help.scenario": {
        "en": "Cost scenario TOML (default: scenario.toml in PATH, else the illustrative Dutch one).",
        "nl": "Kostenscenario (TOML; standaard: scenario.toml in PATH, anders het illustratieve "
        "Nederlandse).",
    },
    "help.ignore_column": {
        "en": "A column to skip instead of reporting it as unknown (repeat for more).",
        "nl": "Een kolom die overgeslagen wordt in plaats van als onbekend gemeld (herhaal voor meer).",
    },
    "help.families": {
        "en": "The families table, when PATH is one assessments file.",
        "nl": "De gezinnentabel, als PATH één bestand met metingen is.",
    },
    "help.today": {
        "en": "Treat dates after this day as future (YYYY-MM-DD; default: today).",
        "nl": "Datums na deze dag gelden als toekomst (JJJJ-MM-DD; standaard: vandaag).",
    },
    "help.allow_personal_data": {
        "en": "Accept columns that look like names, addresses, birth dates or BSNs.",
        "nl": "Accepteer kolommen die op namen, adressen, geboortedatums of BSN's lijken.",
    },
    "help.domains": {
        "en": "Only these domains (ids, comma-separated or repeated), e.g. finances,housing.",
        "nl": "Alleen deze domeinen (id's, met komma's of herhaald), bijv. finances,housing.",
    },
    "help.programme": {
        "en": "Only the families of this programme (repeat for more).",
        "nl": "Alleen de gezinnen van dit programma (herhaal voor meer).",
    },
    "help.municipality": {
        "en": "Only the families of this municipality, and its programme costs (repeat for more).",
        "nl": "Alleen de gezinnen van deze gemeente, en haar programmakosten (herhaal voor meer).",
    },
    "help.lang": {
        "en": "Language of tables, labels, messages and help: en or nl.",
        "nl": "Taal van tabellen, labels, meldingen en hulp: en of nl.",
    },
    "help.json": {
        "en": "Print machine-readable JSON on stdout (no tables, no progress).",
        "nl": "Druk machineleesbare JSON af op stdout (geen tabellen, geen voortgang).",
    },
    "help.all": {
        "en": "List every problem, not just a summary and the first ones.",
        "nl": "Toon elk probleem, niet alleen een overzicht en de eerste.",
    },
    "help.debug": {
        "en": "Show the full traceback of an internal error (for bug reports).",
        "nl": "Toon de volledige traceback van een interne fout (voor foutmeldingen aan ons).",
    },
    # ------------------------------------------------------------------ help: command options
    "help.baseline": {
        "en": "Baseline wave (default: the first).",
        "nl": "Beginmeting (standaard: de eerste).",
    },
    "help.followup": {
        "en": "Follow-up wave (default: the last).",
        "nl": "Vervolgmeting (standaard: de laatste).",
    },
    "help.adjust": {
        "en": "Multiple-testing adjustment: holm, bh or none.",
        "nl": "Correctie voor meervoudig toetsen: holm, bh of none.",
    },
    "help.xlsx": {
        "en": "Also write the tables to this Excel file.",
        "nl": "Schrijf de tabellen ook naar dit Excel-bestand.",
    },
    "help.draws": {
        "en": "Draws of the probabilistic sensitivity analysis (0 skips it).",
        "nl": "Trekkingen van de probabilistische gevoeligheidsanalyse (0 slaat hem over).",
    },
    "help.seed": {
        "en": "Seed of the sensitivity analysis (same seed, same output).",
        "nl": "Seed van de gevoeligheidsanalyse (zelfde seed, zelfde uitkomst).",
    },
    "help.out": {"en": "The HTML file to write.", "nl": "Het HTML-bestand dat geschreven wordt."},
    "help.kind": {
        "en": "annual (for funders), business-case (for a municipality) or casework (the coordinator's "
        "confidential family view; never published).",
        "nl": "annual (jaarrapport voor financiers), business-case (voor een gemeente) of casework (het "
        "vertrouwelijke gezinsoverzicht van de coördinator; nooit gepubliceerd).",
    },
    "help.report_lang": {
        "en": "Language of the report (default: --lang).",
        "nl": "Taal van het rapport (standaard: --lang).",
    },
    "help.report_xlsx": {
        "en": "Also write the report's tables to this Excel file.",
        "nl": "Schrijf de tabellen van het rapport ook naar dit Excel-bestand.",
    },
    "help.pdf": {
        "en": "Also print an A4 PDF next to --out (needs chromium).",
        "nl": "Maak ook een A4-pdf naast --out (vraagt chromium).",
    },
    "help.templates": {
        "en": "Folder of templates that replace the shipped ones.",
        "nl": "Map met sjablonen die de meegeleverde vervangen.",
    },
    "help.report_k": {
        "en": "Smallest number of families a published figure may rest on (default 10; not for casework).",
        "nl": "Kleinste aantal gezinnen waarop een gepubliceerd cijfer mag rusten (standaard 10; niet bij "
        "casework).",
    },
    "help.report_seed": {
        "en": "Seed of the sensitivity analysis (default 0; not for casework).",
        "nl": "Seed van de gevoeligheidsanalyse (standaard 0; niet bij casework).",
    },
    "help.report_draws": {
        "en": "Draws of the sensitivity analysis (default 10,000; 0 skips it; not for casework).",
        "nl": "Trekkingen van de gevoeligheidsanalyse (standaard 10.000; 0 slaat hem over; niet bij casework).",
    },
    "help.family": {
        "en": "casework: a family to show (repeat for more; the page shows pseudonyms).",
        "nl": "casework: een gezin om te tonen (herhaal voor meer; de pagina toont pseudoniemen).",
    },
    "help.casework_key_file": {
        "en": "casework: the pseudonym key file (default: $IMPACTKIT_PSEUDONYM_KEY).",
        "nl": "casework: het bestand met de pseudoniemsleutel (standaard: $IMPACTKIT_PSEUDONYM_KEY).",
    },
    "help.k": {
        "en": "Smallest number of families a published figure may rest on.",
        "nl": "Kleinste aantal gezinnen waarop een gepubliceerd cijfer mag rusten.",
    },
    "help.generated_at": {
        "en": "Date printed on the report (ISO; fixes the output).",
        "nl": "Datum op het rapport (ISO; maakt de uitvoer reproduceerbaar).",
    },
    "help.pseudonymise": {
        "en": "Write a pseudonymised copy to this folder: keyed ids (HMAC-SHA256, key from "
        "$IMPACTKIT_PSEUDONYM_KEY), free text dropped, dates coarsened to the month.",
        "nl": "Schrijf een gepseudonimiseerde kopie naar deze map: id's met sleutel (HMAC-SHA256, sleutel uit "
        "$IMPACTKIT_PSEUDONYM_KEY), vrije tekst weggelaten, datums afgerond op de maand.",
    },
    "help.key_file": {
        "en": "Pseudonymisation key file (else the environment variable).",
        "nl": "Bestand met de pseudonimiseringssleutel (anders de omgevingsvariabele).",
    },
    "help.sample_families": {"en": "Number of families.", "nl": "Aantal gezinnen."},
    "help.sample_seed": {
        "en": "Random seed (same seed, same files).",
        "nl": "Seed (zelfde seed, zelfde bestanden).",
    },
    "help.sample_out": {"en": "Folder to write.", "nl": "Map waarin geschreven wordt."},
    # ------------------------------------------------------------------ failures
    "error": {"en": "error", "nl": "fout"},
    "internal_error": {
        "en": "impactkit stopped on an internal error ({error}). This is a bug in impactkit, not a "
        "problem with your data. Rerun the same command with --debug to see the details, and send them "
        "to the developers.",
        "nl": "impactkit stopte door een interne fout ({error}). Dit is een fout in impactkit, niet in je "
        "gegevens. Draai hetzelfde commando opnieuw met --debug om de details te zien, en stuur die naar "
        "de ontwikkelaars.",
    },
    "out_of_memory": {
        "en": "not enough memory for this run. Lower --draws, select fewer families (--municipality, "
        "--programme) or close other programs.",
        "nl": "niet genoeg geheugen voor deze run. Verlaag --draws, kies minder gezinnen (--municipality, "
        "--programme) of sluit andere programma's.",
    },
    "interrupted": {"en": "interrupted.", "nl": "onderbroken."},
    "os_error": {"en": "{path}: {reason}", "nl": "{path}: {reason}"},
    "bad_lang": {
        "en": "--lang must be one of {langs}. Got {value!r} instead.",
        "nl": "--lang moet een van {langs} zijn. Gekregen: {value!r}.",
    },
    "usage_missing": {"en": "missing {what}.", "nl": "{what} ontbreekt."},
    "usage_no_option": {"en": "no such option: {name}.", "nl": "onbekende optie: {name}."},
    "usage_did_you_mean": {"en": "Did you mean {names}?", "nl": "Bedoel je {names}?"},
    "usage_invalid": {
        "en": "invalid value for {name}: {reason}",
        "nl": "ongeldige waarde voor {name}: {reason}",
    },
    "usage_no_command": {
        "en": "no such command {name!r}. Commands: {commands}.",
        "nl": "onbekend commando {name!r}. Commando's: {commands}.",
    },
    "usage_try_help": {"en": "Try '{command} --help' for help.", "nl": "Zie '{command} --help' voor hulp."},
    # ------------------------------------------------------------------ problems
    "problems_title": {"en": "{n} problem(s) in {where}", "nl": "{n} probleem/problemen in {where}"},
    "problems_summary_title": {
        "en": "Problems by column and kind",
        "nl": "Problemen per kolom en soort",
    },
    "problems_first": {"en": "The first {n} problems", "nl": "De eerste {n} problemen"},
    "problems_more": {
        "en": "… and {n} more. --all lists every problem; --json gives them all as JSON.",
        "nl": "… en nog {n}. --all toont elk probleem; --json geeft ze allemaal als JSON.",
    },
    "invalid_footer": {
        "en": "invalid: {n} problem(s); nothing was analysed. Also {missing} missing score(s): allowed, "
        "kept as missing, never imputed.",
        "nl": "ongeldig: {n} probleem/problemen; er is niets geanalyseerd. Daarnaast {missing} ontbrekende "
        "score(s): toegestaan, blijven ontbrekend, nooit aangevuld.",
    },
    "valid_line": {
        "en": "valid: {rows} rows, {families} families, instrument {instrument}, {missing} missing "
        "scores (kept as missing, never imputed)",
        "nl": "geldig: {rows} rijen, {families} gezinnen, instrument {instrument}, {missing} ontbrekende "
        "scores (blijven ontbrekend, nooit aangevuld)",
    },
    "selection_line": {"en": "selection: {selection}", "nl": "selectie: {selection}"},
    "note": {"en": "note: {note}", "nl": "let op: {note}"},
    "warnings_title": {
        "en": "{n} warning(s) (the input stays valid)",
        "nl": "{n} waarschuwing(en) (de invoer blijft geldig)",
    },
    "pseudonymised": {"en": "pseudonymised copy: {files}", "nl": "gepseudonimiseerde kopie: {files}"},
    "rows_range": {"en": "rows {first}–{last}", "nl": "rijen {first}–{last}"},
    "row_one": {"en": "row {first}", "nl": "rij {first}"},
    # ------------------------------------------------------------------ analyse
    "title.describe": {"en": "Scores per domain and wave", "nl": "Scores per domein en meetmoment"},
    "title.change": {
        "en": "Change {b} → {f} (paired, complete pairs)",
        "nl": "Verandering {b} → {f} (gepaard, complete paren)",
    },
    "title.omnibus": {
        "en": "Change across all waves (complete cases)",
        "nl": "Verandering over alle meetmomenten (complete gevallen)",
    },
    "title.reliable_change": {
        "en": "Reliable change {b} → {f} (share of families)",
        "nl": "Betrouwbare verandering {b} → {f} (aandeel gezinnen)",
    },
    "title.attrition": {"en": "Families measured per wave", "nl": "Gemeten gezinnen per meetmoment"},
    "title.summary": {"en": "Families and scores per wave", "nl": "Gezinnen en scores per meetmoment"},
    "title.part": {"en": "{title} ({part} of {parts})", "nl": "{title} ({part} van {parts})"},
    "hint_all_columns": {
        "en": "Every column of every table: --json or --xlsx FILE.",
        "nl": "Elke kolom van elke tabel: --json of --xlsx BESTAND.",
    },
    "written": {"en": "tables written to {path}", "nl": "tabellen geschreven naar {path}"},
    # ------------------------------------------------------------------ costs
    "title.costs": {
        "en": "Costs and avoided costs (scenario {scenario}, {year} euros, present values)",
        "nl": "Kosten en vermeden kosten (scenario {scenario}, euro's van {year}, contante waarden)",
    },
    "title.payers": {"en": "Who invests and who saves", "nl": "Wie investeert en wie bespaart"},
    "notes": {"en": "Notes", "nl": "Toelichting"},
    "not_reached": {"en": "not reached", "nl": "niet bereikt"},
    # ------------------------------------------------------------------ progress
    "step.read": {"en": "Reading {detail}", "nl": "Inlezen {detail}"},
    "step.describe": {"en": "Describing scores", "nl": "Scores beschrijven"},
    "step.change": {"en": "Paired change", "nl": "Gepaarde verandering"},
    "step.omnibus": {"en": "Friedman and RM-ANOVA", "nl": "Friedman en RM-ANOVA"},
    "step.reliable_change": {"en": "Reliable change", "nl": "Betrouwbare verandering"},
    "step.attrition": {"en": "Attrition", "nl": "Uitval"},
    "step.mixed_model": {"en": "Mixed model", "nl": "Gemengd model"},
    "step.costs": {"en": "Avoided costs", "nl": "Vermeden kosten"},
    "step.psa": {"en": "Sensitivity analysis", "nl": "Gevoeligheidsanalyse"},
    "step.tornado": {"en": "One-way sensitivity", "nl": "Eenzijdige gevoeligheid"},
    "step.sections": {"en": "Building the report", "nl": "Rapport opbouwen"},
    "step.render": {"en": "Rendering HTML", "nl": "HTML maken"},
    "step.excel": {"en": "Writing Excel", "nl": "Excel schrijven"},
    "step.pdf": {"en": "Printing the PDF", "nl": "Pdf afdrukken"},
    "step.sample": {"en": "Writing the sample", "nl": "Voorbeeld schrijven"},
    "step.other": {"en": "Working", "nl": "Bezig"},
}

# column headers of the terminal tables (--json and --xlsx keep the ids)
COLUMN_LABELS: dict[str, dict[str, str]] = {
    "domain": {"en": "domain", "nl": "domein"},
    "wave": {"en": "wave", "nl": "meetmoment"},
    "n": {"en": "n", "nl": "n"},
    "n_missing": {"en": "missing", "nl": "ontbr."},
    "mean": {"en": "mean", "nl": "gem."},
    "sd": {"en": "SD", "nl": "SD"},
    "median": {"en": "median", "nl": "mediaan"},
    "share_sufficient": {"en": "share ≥ sufficient", "nl": "aandeel ≥ voldoende"},
    "mean_baseline": {"en": "mean before", "nl": "gem. voor"},
    "mean_followup": {"en": "mean after", "nl": "gem. na"},
    "mean_diff": {"en": "change", "nl": "verschil"},
    "ci_low": {"en": "95% CI low", "nl": "95%-BI laag"},
    "ci_high": {"en": "95% CI high", "nl": "95%-BI hoog"},
    "p_adjusted": {"en": "p adjusted", "nl": "p gecorr."},
    "cohen_dz": {"en": "d_z", "nl": "d_z"},
    "share_improved": {"en": "share better", "nl": "aandeel beter"},
    "share_worse": {"en": "share worse", "nl": "aandeel slechter"},
    "n_complete": {"en": "n complete", "nl": "n compleet"},
    "friedman_p": {"en": "Friedman p", "nl": "Friedman p"},
    "kendall_w": {"en": "Kendall's W", "nl": "Kendalls W"},
    "anova_f": {"en": "ANOVA F", "nl": "ANOVA F"},
    "p_gg": {"en": "p (GG)", "nl": "p (GG)"},
    "gg_epsilon": {"en": "GG ε", "nl": "GG ε"},
    "eta2_generalized": {"en": "η² gen.", "nl": "η² gegen."},
    "category": {"en": "category", "nl": "categorie"},
    "share": {"en": "share", "nl": "aandeel"},
    "group": {"en": "group", "nl": "groep"},
    "n_families": {"en": "families", "nl": "gezinnen"},
    "share_of_baseline": {"en": "share of first", "nl": "aandeel van eerste"},
    "n_lost": {"en": "lost", "nl": "uitgevallen"},
    "status": {"en": "status", "nl": "status"},
    "families": {"en": "families", "nl": "gezinnen"},
    "scores": {"en": "scores", "nl": "scores"},
    "missing_scores": {"en": "missing scores", "nl": "ontbrekende scores"},
    "file": {"en": "file", "nl": "bestand"},
    "row": {"en": "row", "nl": "rij"},
    "column": {"en": "column", "nl": "kolom"},
    "value": {"en": "value", "nl": "waarde"},
    "message": {"en": "problem", "nl": "probleem"},
    "kind": {"en": "problem", "nl": "probleem"},
    "count": {"en": "count", "nl": "aantal"},
    "rows": {"en": "where", "nl": "waar"},
    "quantity": {"en": "", "nl": ""},
    "amount": {"en": "euros", "nl": "euro"},
    "label": {"en": "payer", "nl": "betaler"},
    "invests": {"en": "invests", "nl": "investeert"},
    "saves": {"en": "saves", "nl": "bespaart"},
    "net": {"en": "net", "nl": "netto"},
}

# values in the terminal tables
VALUE_LABELS: dict[str, dict[str, str]] = {
    "recovered": {"en": "recovered", "nl": "hersteld"},
    "improved": {"en": "improved", "nl": "verbeterd"},
    "unchanged": {"en": "unchanged", "nl": "onveranderd"},
    "deteriorated": {"en": "deteriorated", "nl": "verslechterd"},
    "all": {"en": "all", "nl": "alle"},
    "ok": {"en": "ok", "nl": "ok"},
    "programme_cost": {"en": "programme cost", "nl": "programmakosten"},
    "gross_avoided_cost": {"en": "gross avoided cost", "nl": "bruto vermeden kosten"},
    "net_benefit": {"en": "net benefit", "nl": "netto baten"},
    "benefit_cost_ratio": {"en": "benefit-cost ratio", "nl": "baten-kostenverhouding"},
    "payback_months": {"en": "payback (months)", "nl": "terugverdientijd (maanden)"},
    "break_even_share": {"en": "break-even share avoided", "nl": "benodigd aandeel vermeden"},
    "p_net_benefit_positive": {"en": "P(net benefit > 0)", "nl": "P(netto baten > 0)"},
}


def t(key: str, lang: str = "en", /, **values: Any) -> str:
    """The text ``key`` in ``lang`` (English when missing), ``{placeholders}`` filled from ``values``."""
    entry = TEXTS[key]
    template = entry.get(lang) or entry["en"]
    return template.format(**values) if values else template


def column_label(column: str, lang: str) -> str:
    entry = COLUMN_LABELS.get(column)
    return (entry.get(lang) or entry["en"]) if entry else column


def value_label(value: str, lang: str) -> str:
    entry = VALUE_LABELS.get(value)
    return (entry.get(lang) or entry["en"]) if entry else value


def lang_from(args: Sequence[str], environ: dict[str, str] | None = None) -> str:
    """The language of a command line: ``--lang X`` in ``args``, else $IMPACTKIT_LANG, else the locale.

    Read before the command line is parsed, so that help and usage errors speak it too.  A value that
    is not a language is left for the ``--lang`` option to refuse; here it falls through to the
    environment.
    """
    env = os.environ if environ is None else environ
    args = list(args)
    for i, arg in enumerate(args):
        value = None
        if arg == "--lang" and i + 1 < len(args):
            value = args[i + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
        if value in LANGS:
            return value
    chosen = env.get("IMPACTKIT_LANG", "")
    if chosen in LANGS:
        return chosen
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        code = env.get(name, "")[:2].lower()
        if code:
            return code if code in LANGS else "en"
    return "en"
