"""Texts of refusals (design and parameter errors) in every language, keyed for ``ImpactkitError.of``.

Kept in one place so they can move into the gettext catalogues as a whole; the English text is the
message a Python caller sees, the other languages are what the command line shows with ``--lang``.
"""

from __future__ import annotations

from typing import Any

__all__ = ["REFUSALS", "refusal"]

REFUSALS: dict[str, dict[str, str]] = {
    "too_few_families": {
        "en": "{func}: only {n} families; nothing can be published with k = {k}. Combine years or "
        "programmes, or lower {k_option} (at least 3).",
        "nl": "{func}: maar {n} gezinnen; met k = {k} kan niets gepubliceerd worden. Voeg jaren of "
        "programma's samen, of verlaag {k_option} (minstens 3).",
    },
    "no_families_left": {
        "en": "no family with assessments is left after the selection {selection} "
        "({n_before} families before it).",
        "nl": "na de selectie {selection} blijft geen gezin met metingen over "
        "(daarvoor waren het er {n_before}).",
    },
    "costs_not_split": {
        "en": "the programme_costs table has no {column} column, so the cost of {selection} cannot be "
        "separated from the rest. Add a {column} column to programme_costs, or remove the table so that "
        "the scenario's programme cost per family applies.",
        "nl": "de tabel programme_costs heeft geen kolom {column}, dus de kosten van {selection} zijn niet "
        "te scheiden van de rest. Voeg een kolom {column} toe aan programme_costs, of laat de tabel weg "
        "zodat de programmakosten per gezin uit het scenario gelden.",
    },
}


def refusal(key: str, lang: str = "en", /, **values: Any) -> str:
    """The text of refusal ``key`` in ``lang`` (English when not translated), filled with ``values``."""
    texts = REFUSALS[key]
    return texts.get(lang, texts["en"]).format(**values)
