"""Matching the headers a user's export has to impactkit's column names.

Headers are compared after :func:`~impactkit.instruments.normalise_label` (case, accents, spaces,
``_`` and ``-`` ignored), so "Gezin ID", "gezin_id" and "GEZIN-ID" all mean ``family_id``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from impactkit.instruments import normalise_label

__all__ = [
    "ALIASES",
    "ID_ALIASES",
    "PERSONAL_DATA",
    "match_columns",
    "personal_data_kind",
    "personal_kind_text",
]

# one family id vocabulary for every table: a header accepted in one table is accepted in all
ID_ALIASES: tuple[str, ...] = (
    "family_id",
    "family",
    "family id",
    "family code",
    "family number",
    "household_id",
    "case_id",
    "gezin",
    "gezin_id",
    "gezinsid",
    "gezinsnummer",
    "gezinsnr",
    "gezinscode",
    "gezin nummer",
    "gezin code",
    "familie_id",
    "client_id",
    "clientnummer",
    "clientnr",
    "clientcode",
    "dossiernummer",
    "dossiernr",
    "dossier",
    "dossier id",
    "dossiercode",
    "casus_id",
    "casusnummer",
    "casusnr",
    "registratienummer",
    "registratienr",
    "deelnemersnummer",
    "deelnemer_id",
    "pseudonym",
    "pseudoniem",
    "id",
)

ALIASES: dict[str, tuple[str, ...]] = {
    "family_id": ID_ALIASES[1:],
    "wave": (
        "wave",
        "meting",
        "meetmoment",
        "metingmoment",
        "moment",
        "peilmoment",
        "evaluatiemoment",
        "evaluatie",
        "tijdstip",
        "time point",
        "timepoint",
        "measurement",
    ),
    "assessed_on": (
        "assessed_on",
        "assessment_date",
        "date",
        "datum",
        "meetdatum",
        "datum meting",
        "afnamedatum",
        "invuldatum",
        "datum afname",
        "datum evaluatie",
        "evaluatiedatum",
        "peildatum",
    ),
    "domain": (
        "domain",
        "domein",
        "leefgebied",
        "levensgebied",
        "levensdomein",
        "life domain",
        "onderwerp",
        "thema",
        "gebied",
    ),
    "score": ("score", "waarde", "value", "scoring", "cijfer", "rapportcijfer", "waardering", "punt", "mark"),
    "item": ("item", "vraag", "stelling", "question", "item_id"),
    "answer": ("answer", "antwoord", "response"),
}

# normalised header fragments that signal personal data, with the kind named in the message
PERSONAL_DATA: dict[str, str] = {
    "naam": "name",
    "name": "name",
    "voornaam": "name",
    "achternaam": "name",
    "surname": "name",
    "adres": "address",
    "address": "address",
    "straat": "address",
    "street": "address",
    "postcode": "address",
    "zip": "address",
    "huisnummer": "address",
    "woonplaats": "address",
    "geboortedatum": "birth date",
    "birth": "birth date",
    "dob": "birth date",
    "geb datum": "birth date",
    "bsn": "BSN",
    "burgerservicenummer": "BSN",
    "sofinummer": "BSN",
    "email": "e-mail",
    "e mail": "e-mail",
    "telefoon": "phone number",
    "phone": "phone number",
    "mobiel": "phone number",
    "iban": "bank account",
    "rekeningnummer": "bank account",
}


def personal_kind_text(kind: str, lang: str = "en") -> str:
    """A kind of personal data (``"birth date"``) in ``lang`` (io.po ``personal.*``)."""
    from impactkit.io._messages import message

    return message("personal." + kind.replace(" ", "_"), lang)


def personal_data_kind(header: str) -> str | None:
    """The kind of personal data a header suggests, or None."""
    norm = normalise_label(header)
    words = norm.split()
    for frag, kind in PERSONAL_DATA.items():
        if " " in frag:
            if frag in norm:
                return kind
        elif frag in words or any(w.startswith(frag) or w.endswith(frag) for w in words if len(frag) >= 4):
            return kind
    return None


def match_columns(
    headers: Iterable[str],
    targets: Mapping[str, Iterable[str]],
    *,
    column_map: Mapping[str, str] | None = None,
) -> tuple[dict[str, str], list[str], list[tuple[str, str]]]:
    """Map each header to a target name.

    Returns ``(mapping header -> target, unmatched headers, clashes (header, target))``.
    A user ``column_map`` (header as written -> target) wins over aliases.
    """
    lookup: dict[str, str] = {}
    for name, aliases in targets.items():
        for alias in (name, *aliases):
            lookup.setdefault(normalise_label(alias), name)
    user = {normalise_label(k): v for k, v in (column_map or {}).items()}
    mapping: dict[str, str] = {}
    unmatched: list[str] = []
    clashes: list[tuple[str, str]] = []
    taken: set[str] = set()
    for h in headers:
        norm = normalise_label(h)
        target: str | None = user.get(norm) or lookup.get(norm)
        if target is None:
            unmatched.append(h)
        elif target in taken:
            clashes.append((h, target))
        else:
            mapping[h] = target
            taken.add(target)
    return mapping, unmatched, clashes
