"""Problem messages in English and Dutch, keyed by a stable code (tests match on the code)."""

from __future__ import annotations

from typing import Any

__all__ = ["message"]

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
    "unknown_family": (
        "family not found in the families table ({table})",
        "gezin staat niet in de gezinnentabel ({table})",
    ),
    "empty_file": ("the file holds no data rows", "het bestand bevat geen gegevensrijen"),
    "unreadable": ("cannot read the file: {reason}", "kan het bestand niet lezen: {reason}"),
}


def message(code: str, lang: str = "en", **kwargs: Any) -> str:
    """Format the message for ``code`` in ``lang`` (``"en"`` or ``"nl"``)."""
    en, nl = MESSAGES[code]
    return (nl if lang == "nl" else en).format(**kwargs)
