"""Problem messages in English and Dutch, keyed by a stable code (tests match on the code)."""

from __future__ import annotations

from typing import Any

__all__ = ["LAYOUTS", "MESSAGES", "message"]

MESSAGES: dict[str, tuple[str, str]] = {
    # code: (English, Dutch)
    "missing_column": (
        "required column not found; expected a header such as {expected}",
        "verplichte kolom ontbreekt; verwacht een kop zoals {expected}",
    ),
    "personal_data": (
        "column looks like personal data ({kind}); remove it from the export "
        "(or pass allow_personal_data=True if you really must)",
        "kolom lijkt persoonsgegevens te bevatten ({kind}); haal hem uit de export "
        "(of geef allow_personal_data=True mee als het echt moet)",
    ),
    "unknown_column": (
        "unknown column; expected {expected} (pass ignore_columns=[...] to skip it)",
        "onbekende kolom; verwacht {expected} (geef ignore_columns=[...] mee om hem over te slaan)",
    ),
    "duplicate_column": ("two columns refer to {target}", "twee kolommen verwijzen naar {target}"),
    "missing_id": ("family id is missing", "gezins-id ontbreekt"),
    "missing_value": ("value is missing; expected {expected}", "waarde ontbreekt; verwacht {expected}"),
    "not_a_number": (
        "not a number; expected {expected} (leave the cell empty for a missing score)",
        "geen getal; verwacht {expected} (laat de cel leeg voor een ontbrekende score)",
    ),
    "not_integer": ("not a whole number; expected {expected}", "geen geheel getal; verwacht {expected}"),
    "out_of_range": (
        "outside the allowed range; expected {expected}",
        "buiten het toegestane bereik; verwacht {expected}",
    ),
    "unknown_wave": (
        "unknown wave; expected one of {expected}",
        "onbekend meetmoment; verwacht een van {expected}",
    ),
    "unknown_domain": (
        "unknown domain; expected one of {expected}",
        "onbekend domein; verwacht een van {expected}",
    ),
    "unknown_item": (
        "unknown item; expected one of {expected}",
        "onbekend item; verwacht een van {expected}",
    ),
    "unknown_choice": (
        "unknown value; expected one of {expected}",
        "onbekende waarde; verwacht een van {expected}",
    ),
    "duplicate": ("duplicate {keys}: same as row {first}", "dubbele {keys}: zelfde als rij {first}"),
    "missing_date": ("date is missing; expected {expected}", "datum ontbreekt; verwacht {expected}"),
    "bad_date": ("not a date; expected {expected}", "geen datum; verwacht {expected}"),
    "impossible_date": (
        "impossible date (no such day); expected {expected}",
        "onmogelijke datum (bestaat niet); verwacht {expected}",
    ),
    "future_date": ("date lies in the future (after {today})", "datum ligt in de toekomst (na {today})"),
    "wave_order": (
        "{wave} is dated before {previous} of the same family ({previous_date}, row {previous_row})",
        "{wave} is gedateerd vóór {previous} van hetzelfde gezin ({previous_date}, rij {previous_row})",
    ),
    "inconsistent_date": (
        "dates differ within one family × wave (row {first} has {first_date})",
        "datums verschillen binnen één gezin × meetmoment (rij {first} heeft {first_date})",
    ),
    "end_before_start": (
        "end date lies before the start date ({start})",
        "einddatum ligt vóór de startdatum ({start})",
    ),
    "date_and_period": (
        "both a date and a period: give a date for one event, or a period with its count",
        "zowel een datum als een periode: geef een datum voor één gebeurtenis, of een periode met het aantal",
    ),
    "period_order": (
        "the period ends before it starts (period_start is later than period_end)",
        "de periode eindigt voordat hij begint (periode_van ligt na periode_tot)",
    ),
    "unknown_family": (
        "family not found in the families table ({table})",
        "gezin staat niet in de gezinnentabel ({table})",
    ),
    "empty_file": ("the file holds no data rows", "het bestand bevat geen gegevensrijen"),
    "unreadable": ("cannot read the file: {reason}", "kan het bestand niet lezen: {reason}"),
    # ---------------------------------------------------------------- files impactkit cannot read
    "unsupported_type": (
        "file type {suffix} is not supported; expected one of {expected} (export the table as CSV or Excel)",
        "bestandstype {suffix} wordt niet ondersteund; verwacht een van {expected} (exporteer de tabel als CSV of Excel)",
    ),
    "not_text": (
        "the file holds binary data, not text: is this the right file? (expected a CSV export)",
        "het bestand bevat binaire gegevens, geen tekst: is dit het goede bestand? (verwacht een CSV-export)",
    ),
    "is_xlsx": (
        "this {suffix} file is an Excel workbook (or another zip archive), not text: rename it to .xlsx",
        "dit {suffix}-bestand is een Excel-werkmap (of een ander zip-archief), geen tekst: hernoem het naar .xlsx",
    ),
    "is_parquet": (
        "this {suffix} file is a Parquet file: rename it to .parquet",
        "dit {suffix}-bestand is een Parquet-bestand: hernoem het naar .parquet",
    ),
    "text_not_xlsx": (
        "this {suffix} file is plain text, not an Excel workbook: rename it to .csv",
        "dit {suffix}-bestand is platte tekst, geen Excel-werkmap: hernoem het naar .csv",
    ),
    "legacy_xls": (
        "this is an old Excel 97–2003 workbook (.xls): open it in Excel and save it as .xlsx",
        "dit is een oude Excel 97–2003-werkmap (.xls): open hem in Excel en sla hem op als .xlsx",
    ),
    "encrypted_xlsx": (
        "the workbook is password-protected: save a copy without a password (File → Info → Protect Workbook)",
        "de werkmap is met een wachtwoord beveiligd: sla een kopie op zonder wachtwoord (Bestand → Info → Werkmap beveiligen)",
    ),
    "not_xlsx": (
        "not a readable Excel workbook ({reason}): export it again from the source system",
        "geen leesbare Excel-werkmap ({reason}): exporteer hem opnieuw uit het bronsysteem",
    ),
    "corrupt_xlsx": (
        "the workbook is damaged or cut off ({reason}): export it again from the source system",
        "de werkmap is beschadigd of afgebroken ({reason}): exporteer hem opnieuw uit het bronsysteem",
    ),
    "corrupt_parquet": (
        "not a readable Parquet file ({reason}): write it again",
        "geen leesbaar Parquet-bestand ({reason}): schrijf het opnieuw",
    ),
    "nested_column": (
        "the column holds {type} values; impactkit reads one value per cell: flatten this column",
        "de kolom bevat {type}-waarden; impactkit leest één waarde per cel: maak deze kolom plat",
    ),
    "compressed": (
        "the file is compressed ({kind}): unpack it first",
        "het bestand is gecomprimeerd ({kind}): pak het eerst uit",
    ),
    "other_format": (
        "the file is a {kind} file, not a table: export the data as CSV or Excel",
        "het bestand is een {kind}-bestand, geen tabel: exporteer de gegevens als CSV of Excel",
    ),
    "too_many_columns": (
        "the table has {n} columns; impactkit reads at most {limit}: remove empty or unrelated columns",
        "de tabel heeft {n} kolommen; impactkit leest er hoogstens {limit}: verwijder lege of andere kolommen",
    ),
    "no_sheet": (
        "the workbook has no sheet {sheet!r}; its sheets: {sheets}",
        "de werkmap heeft geen blad {sheet!r}; de bladen: {sheets}",
    ),
    "all_hidden": (
        "every sheet of the workbook is hidden ({sheets}): name the sheet to read in impactkit.toml (sheet = ...)",
        "alle bladen van de werkmap zijn verborgen ({sheets}): noem het blad in impactkit.toml (sheet = ...)",
    ),
    # ---------------------------------------------------------------- text encodings
    "bad_encoding": (
        "not readable as {encoding} text (byte {byte}): save the file as UTF-8",
        "niet leesbaar als {encoding}-tekst (byte {byte}): sla het bestand op als UTF-8",
    ),
    "mixed_encoding": (
        "the file mixes two encodings: UTF-8 (e.g. row {utf8_row}) and Windows-1252 (this row; {n} row(s) in all); "
        "either reading would garble part of it: save the file again as UTF-8",
        "het bestand mengt twee coderingen: UTF-8 (bijv. rij {utf8_row}) en Windows-1252 (deze rij; {n} rij(en) in totaal); "
        "elke lezing verminkt een deel: sla het bestand opnieuw op als UTF-8",
    ),
    # ---------------------------------------------------------------- damaged rows and cells
    "unbalanced_quote": (
        'a quote (") opened in this row is never closed, so the rest of the file would be one cell; '
        "close or remove the quote",
        'een aanhalingsteken (") dat in deze rij opent wordt nooit gesloten, zodat de rest van het bestand één cel '
        "zou worden; sluit of verwijder het",
    ),
    "bad_quote": (
        "malformed quoting ({reason}): a quoted cell must end in a quote followed by the separator",
        "onjuiste aanhalingstekens ({reason}): een cel tussen aanhalingstekens moet eindigen op een "
        "aanhalingsteken gevolgd door het scheidingsteken",
    ),
    "ragged_row": (
        "the row has {n} fields but the header has {expected}: a separator too many, or an unquoted {sep} "
        "in a value; the row was not read",
        "de rij heeft {n} velden maar de kop heeft er {expected}: een scheidingsteken te veel, of een {sep} "
        "in een waarde zonder aanhalingstekens; de rij is niet gelezen",
    ),
    "truncated_row": (
        "the row has {n} of the header's {expected} fields: it looks cut off (a truncated export or a stray "
        "line break); the row was not read",
        "de rij heeft {n} van de {expected} velden van de kop: hij lijkt afgebroken (een afgekapte export of "
        "een losse regelovergang); de rij is niet gelezen",
    ),
    "duplicate_header": (
        "two columns are named {name!r} (columns {first} and {second}): rename or delete one",
        "twee kolommen heten {name!r} (kolommen {first} en {second}): hernoem of verwijder er één",
    ),
    "unnamed_column": (
        "column {letter} holds values but has no header: give it a header or delete it",
        "kolom {letter} bevat waarden maar heeft geen kop: geef hem een kop of verwijder hem",
    ),
    "formula_no_value": (
        "a formula without a saved result (the file was written by a program that does not calculate): "
        "open and save it in Excel, or export values instead of formulas",
        "een formule zonder opgeslagen uitkomst (het bestand is geschreven door een programma dat niet rekent): "
        "open en bewaar het in Excel, of exporteer waarden in plaats van formules",
    ),
    "excel_error": (
        "an Excel error value (a failed formula, or a date outside Excel's range); expected a value",
        "een Excel-foutwaarde (een mislukte formule, of een datum buiten het bereik van Excel); verwacht een waarde",
    ),
    "ambiguous_number": (
        "ambiguous number: it could be {a} or {b}, and the file does not show which decimal separator it "
        'uses; write it without a thousands separator (or set decimal = "," or "." in impactkit.toml)',
        "dubbelzinnig getal: het kan {a} of {b} zijn, en het bestand laat niet zien welk decimaalteken het "
        'gebruikt; schrijf het zonder scheidingsteken voor duizendtallen (of zet decimal = "," of "." in impactkit.toml)',
    ),
    "date_out_of_range": (
        "date outside {low}–{high}: check the year (9999-12-31 is often a placeholder for 'no date': "
        "leave the cell empty instead); expected {expected}",
        "datum buiten {low}–{high}: controleer het jaar (9999-12-31 is vaak een plaatshouder voor 'geen datum': "
        "laat de cel dan leeg); verwacht {expected}",
    ),
    "numeric_wave": (
        "unknown wave; a wave given as a number needs an explicit alias, never a guess: add it to [waves] in "
        'impactkit.toml (e.g. intake = ["{value}"]); expected one of {expected}',
        "onbekend meetmoment; een meetmoment als getal heeft een expliciete alias nodig, nooit een gok: zet het "
        'onder [waves] in impactkit.toml (bijv. intake = ["{value}"]); verwacht een van {expected}',
    ),
    "also_rows": ("also in {n} more row(s): {rows}", "ook in {n} andere rij(en): {rows}"),
    "follow_on": (
        "{n} further check(s) of {what} depend on this column and were skipped",
        "{n} verdere controle(s) van {what} hangen af van deze kolom en zijn overgeslagen",
    ),
    # ---------------------------------------------------------------- families
    "age_outside": (
        "age {age:g} years lies outside the programme's declared age range {low:g}–{high:g}",
        "leeftijd {age:g} jaar ligt buiten het leeftijdsbereik van het programma ({low:g}–{high:g})",
    ),
    "age_mismatch": (
        "age in months ({months}) and age in years ({years}) disagree",
        "leeftijd in maanden ({months}) en leeftijd in jaren ({years}) spreken elkaar tegen",
    ),
    # ---------------------------------------------------------------- against the scenario / instrument
    "unknown_care_path": (
        "unknown care path; the scenario {scenario} has {expected} (map other spellings under [care_paths] "
        "in impactkit.toml)",
        "onbekend zorgpad; het scenario {scenario} kent {expected} (koppel andere spellingen onder [care_paths] "
        "in impactkit.toml)",
    ),
    "unknown_care_type": (
        "care type has no price in the scenario {scenario} or the prices table; priced: {expected} "
        "(map other spellings under [care_types] in impactkit.toml)",
        "zorgvorm heeft geen prijs in het scenario {scenario} of de prijzentabel; geprijsd: {expected} "
        "(koppel andere spellingen onder [care_types] in impactkit.toml)",
    ),
    "unknown_payer": (
        "unknown payer; the scenario {scenario} has {expected}",
        "onbekende betaler; het scenario {scenario} kent {expected}",
    ),
    "units_mismatch": (
        "units mismatch: the scenario prices {care_type!r} per {unit!r}",
        "eenheden verschillen: het scenario prijst {care_type!r} per {unit!r}",
    ),
    "no_index_factor": (
        "no price index factor for this year in the scenario {scenario} (it has {expected})",
        "geen prijsindexfactor voor dit jaar in het scenario {scenario} (het heeft {expected})",
    ),
    "rule_domain": (
        "intake rule {rule!r} uses domain {domain!r}, which instrument {instrument!r} does not have "
        "(domains: {expected})",
        "intakeregel {rule!r} gebruikt domein {domain!r}, dat instrument {instrument!r} niet heeft "
        "(domeinen: {expected})",
    ),
    "rule_direction": (
        "intake rule {rule!r} flags {op} {score:g} on {domain!r}, but on that domain {better} is better: "
        "use {fix} instead",
        "intakeregel {rule!r} markeert {op} {score:g} op {domain!r}, maar op dat domein is {better} beter: "
        "gebruik {fix}",
    ),
    # ---------------------------------------------------------------- notes (not problems)
    "note_sheet": ("read sheet {sheet!r}", "blad {sheet!r} gelezen"),
    "note_hidden": ("skipped hidden sheet(s) {sheets}", "verborgen blad(en) {sheets} overgeslagen"),
    "note_encoding": ("read as {encoding} text", "gelezen als {encoding}-tekst"),
    "note_layout": (
        "{layout} layout: {columns}",
        "{layout} indeling: {columns}",
    ),
    "note_unused_domains": (
        "{n} of the instrument's {total} domains are never scored and are left out: {domains}",
        "{n} van de {total} domeinen van het instrument worden nooit gescoord en blijven buiten beschouwing: {domains}",
    ),
    "note_unused_waves": (
        "wave(s) {waves} of the instrument are never measured and are left out",
        "meetmoment(en) {waves} van het instrument worden nooit gemeten en blijven buiten beschouwing",
    ),
    "note_one_wave": (
        "only one wave ({wave}) is measured: change, analyse and report need two",
        "er is maar één meetmoment ({wave}) gemeten: verandering, analyse en rapport hebben er twee nodig",
    ),
    "note_ages_from_months": (
        "children's ages given in months; ages in years are whole years (months ÷ 12, rounded down)",
        "leeftijden van kinderen in maanden; leeftijden in jaren zijn hele jaren (maanden ÷ 12, naar beneden afgerond)",
    ),
    "note_programme_filled": (
        "no programme column: every family is in programme {name!r} (from impactkit.toml)",
        "geen programmakolom: elk gezin hoort bij programma {name!r} (uit impactkit.toml)",
    ),
}

LAYOUTS = {
    "wide": ("wide", "brede"),
    "long": ("long", "lange"),
    "items_long": ("item-level long", "lange item-"),
    "items_wide": ("item-level wide", "brede item-"),
}


def message(code: str, lang: str = "en", **kwargs: Any) -> str:
    """Format the message for ``code`` in ``lang`` (``"en"`` or ``"nl"``)."""
    en, nl = MESSAGES[code]
    return (nl if lang == "nl" else en).format(**kwargs)
