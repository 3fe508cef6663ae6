"""Human labels, in English and Dutch, for every parameter of a scenario (no raw keys in a table).

``param_labels(scenario)`` maps each dotted parameter key (``prices.social_work.price``,
``paths.debt_assistance.components[1].years``, ...) to ``(en, nl)``.  Care types, paths, payers and
programme items carry their own labels in the scenario (``label`` and ``label_nl``); rule labels use
the instrument's domain labels when one is given.

>>> from impactkit.costs import Scenario
>>> labels = param_labels(Scenario.default())
>>> labels["paths.debt_assistance.prevalence"]
('Assumed prevalence: debt assistance and problematic debt', 'Aangenomen prevalentie: schuldhulp en problematische schulden')
>>> labels["adjustments.dropoff"][1]
'Afname van het effect per jaar (drop-off)'
"""

from __future__ import annotations

from typing import Any

from impactkit.costs._scenario import Scenario

__all__ = ["UNIT_LABELS", "param_labels", "words"]

# singular, plural
UNIT_LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "hour": {"en": ("hour", "hours"), "nl": ("uur", "uren")},
    "contact": {"en": ("contact", "contacts"), "nl": ("contact", "contacten")},
    "trajectory": {"en": ("trajectory", "trajectories"), "nl": ("traject", "trajecten")},
    "day": {"en": ("day", "days"), "nl": ("dag", "dagen")},
    "year": {"en": ("year", "years"), "nl": ("jaar", "jaren")},
}
_FIXED: dict[str, tuple[str, str]] = {
    "discount.costs": ("Discount rate, costs", "Discontovoet, kosten"),
    "discount.effects": ("Discount rate, effects (avoided care)", "Discontovoet, effecten (vermeden zorg)"),
    "adjustments.deadweight": (
        "Deadweight (would have been avoided anyway)",
        "Deadweight (was ook zonder programma vermeden)",
    ),
    "adjustments.attribution": ("Attribution (share owed to others)", "Attributie (aandeel van anderen)"),
    "adjustments.displacement": ("Displacement (care shifted to others)", "Verplaatsing (zorg naar anderen)"),
    "adjustments.dropoff": ("Drop-off of the effect per year", "Afname van het effect per jaar (drop-off)"),
    "programme.caseload_per_fte": ("Families per coordinator FTE", "Gezinnen per fte coördinator"),
    "programme.volunteer_time.hours_per_family": (
        "Volunteer hours per family",
        "Vrijwilligersuren per gezin",
    ),
    "programme.volunteer_time.hour_value": ("Value of a volunteer hour", "Waarde van een vrijwilligersuur"),
    "uncertainty.judgement_strength": (
        "Weight of a recorded judgement (pseudo-count)",
        "Gewicht van een vastgelegd oordeel (pseudo-aantal)",
    ),
    "scenario.horizon": (
        "Horizon (years of avoided care counted per family)",
        "Horizon (jaren vermeden zorg per gezin)",
    ),
    "programme_costs": (
        "Programme cost as recorded (the programme cost table)",
        "Programmakosten zoals vastgelegd (de tabel met programmakosten)",
    ),
}
_PER = {
    "fte": ("per FTE-year", "per fte-jaar"),
    "family": ("per family", "per gezin"),
    "year": ("per programme year", "per programmajaar"),
}


def _lower(text: str) -> str:
    """Lower-case the first letter unless the word is an acronym (``OTS``) or a name."""
    if len(text) > 1 and text[:2].isupper():
        return text
    return text[:1].lower() + text[1:]


def _part(care: str, path: str) -> str:
    """A care type's label after its path's: without the part the path already names
    (``OTS, eerste jaar`` after ``Ondertoezichtstelling (OTS)`` is ``eerste jaar``)."""
    head, sep, rest = care.partition(", ")
    return rest if sep and rest and head.casefold() in path.casefold() else care


def param_labels(scenario: Scenario, instrument: Any = None) -> dict[str, tuple[str, str]]:
    """``{parameter key: (English label, Dutch label)}`` for every parameter of ``scenario``.

    ``instrument`` (an :class:`~impactkit.Instrument`) supplies domain labels for the rules.
    """
    s = scenario
    out = dict(_FIXED)
    for price in s.prices.values():
        unit = UNIT_LABELS[price.unit]
        out[price.price.name] = (
            f"Price: {_lower(price.label_in('en'))} (per {unit['en'][0]})",
            f"Prijs: {_lower(price.label_in('nl'))} (per {unit['nl'][0]})",
        )
    for path in s.paths.values():
        p_en, p_nl = path.label_in("en"), path.label_in("nl")
        for comp in path.components:
            price = s.prices[comp.care_type]
            unit = UNIT_LABELS[price.unit]
            if len(path.components) == 1:  # the path is its care: no need to name both
                h_en, h_nl = p_en, p_nl
            else:
                h_en = f"{p_en}, {_lower(_part(price.label_in('en'), p_en))}"
                h_nl = f"{p_nl}, {_lower(_part(price.label_in('nl'), p_nl))}"
            out[comp.units_per_year.name] = (
                f"{h_en}: {unit['en'][1]} per year",
                f"{h_nl}: {unit['nl'][1]} per jaar",
            )
            out[comp.years.name] = (f"{h_en}: duration in years", f"{h_nl}: duur in jaren")
        for esc in path.escalations:
            to = s.paths[esc.to]
            out[esc.probability.name] = (
                f"Escalation: {_lower(p_en)} → {_lower(to.label_in('en'))}, probability",
                f"Escalatie: {_lower(p_nl)} → {_lower(to.label_in('nl'))}, kans",
            )
        out[path.prevalence.name] = (
            f"Assumed prevalence: {_lower(p_en)}",
            f"Aangenomen prevalentie: {_lower(p_nl)}",
        )
    for prog in s.programmes.values():
        for pid, param in prog.prevalence.items():
            path = s.paths[pid]
            out[param.name] = (
                f"Assumed prevalence: {_lower(path.label_in('en'))} ({prog.label})",
                f"Aangenomen prevalentie: {_lower(path.label_in('nl'))} ({prog.label})",
            )
    domains: dict[str, tuple[str, str]] = {}
    if instrument is not None:
        domains = {d.id: (d.label_en, d.label_nl) for d in instrument.domains}
    for rule in s.rules:
        path = s.paths[rule.path]
        d_en, d_nl = domains.get(rule.domain, (rule.domain.replace("_", " "),) * 2)
        out[rule.probability.name] = (
            f"Intake rule: {_lower(d_en)} {rule.op} {rule.bound:g} → {_lower(path.label_in('en'))}, probability",
            f"Intakeregel: {_lower(d_nl)} {rule.op} {rule.bound:g} → {_lower(path.label_in('nl'))}, kans",
        )
    for item in s.programme_items:
        per_en, per_nl = _PER[item.per]
        out[item.amount.name] = (
            f"Programme cost: {_lower(item.label_in('en'))} ({per_en})",
            f"Programmakosten: {_lower(item.label_in('nl'))} ({per_nl})",
        )
    return out


def words(scenario: Scenario, kind: str, ident: str) -> Any:
    """An id's name in every language (:class:`impactkit.i18n.Words`), for a note's value: ``kind``
    is ``path`` (a care path), ``care`` (a care type: its price's label) or ``payer``; the words are the reports' (the
    scenario's own in a language it gives, else the catalogue's, else its label)."""
    from impactkit.figures._labels import Labels
    from impactkit.i18n import Formatter, Words, languages

    out = {}
    for lang in languages():
        labels = Labels(Formatter(lang), None, scenario)
        if kind == "payer":
            own = next((p for p in scenario.payers if p.id == ident), None)
            out[lang] = labels.payer(ident, own.label if own is not None else "")
        elif kind == "care" and ident in scenario.prices:  # a care type: its price's own words
            price = scenario.prices[ident]
            given = price.label_nl if lang == "nl" else price.label_en or price.label
            out[lang] = given or labels.path(ident, price.label)
        else:
            item = scenario.paths.get(ident) or scenario.prices.get(ident)
            out[lang] = labels.path(ident, item.label if item is not None else "")
    return Words(out)
