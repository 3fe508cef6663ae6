"""Words for the ids in result tables: domains, waves and levels (from the instrument), payers,
care paths, households and scenario parameters (from the report catalogue, else the user's own
labels).  Figures and the report share this, so a chart and its table say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from impactkit.i18n import Formatter
from impactkit.i18n._catalog import has
from impactkit.instruments import Instrument, builtin

__all__ = ["Labels"]


@dataclass(frozen=True)
class Labels:
    """Labels in ``fmt``'s language; ``instrument`` and ``scenario`` are optional."""

    fmt: Formatter
    instrument: Instrument | None = None
    scenario: Any = None  # impactkit.costs.Scenario

    @property
    def lang(self) -> str:
        return self.fmt.lang

    def t(self, key: str, **values: Any) -> str:
        return self.fmt.text(key, **values)

    def word(self, kind: str, value: Any, fallback: str = "") -> str:
        """The catalogue's word for ``<kind>.<value>`` (``payer.state``), else ``fallback`` or the id."""
        key = f"{kind}.{value}"
        return self.t(key) if has("report", key) else (fallback or str(value))

    def domain(self, domain_id: Any) -> str:
        """The instrument's label; without an instrument, the default instrument's (a scenario's
        intake rules name its domains), else the id."""
        inst = self.instrument if self.instrument is not None else builtin("default")
        if str(domain_id) not in inst.domain_ids:
            return str(domain_id)
        label = inst.domain_label(str(domain_id), self.lang)
        if not inst.higher_is_better(str(domain_id)):  # named wherever the domain is shown
            return self.t("domain_lower_better", domain=label)
        return label

    def direction(self, domain_id: Any) -> int:
        """+1, or -1 on a domain where a lower score is better (a gain is change × direction)."""
        inst = self.instrument
        if inst is None or str(domain_id) not in inst.domain_ids:
            return 1
        return inst.direction(str(domain_id))

    def wave(self, wave_id: Any) -> str:
        inst = self.instrument
        if inst is None or str(wave_id) not in inst.wave_ids:
            return str(wave_id)
        return inst.wave_label(str(wave_id), self.lang)

    def level(self, value: Any) -> str:
        """``"3 Beperkt zelfredzaam"``; a label that is already words stays as it is."""
        if isinstance(value, str) or self.instrument is None:
            return str(value)
        return self.instrument.level_text(int(value), self.lang)  # "3" alone on a scale without labels

    def payer(self, payer_id: Any, label: str = "") -> str:
        sc = self.scenario
        own = next((p for p in sc.payers if p.id == payer_id), None) if sc is not None else None
        if own is not None and (own.label_nl if self.lang == "nl" else own.label_en):
            return str(own.label_in(self.lang))  # the scenario's own words in this language win
        return self.word("payer", payer_id, label)

    def household(self, value: Any) -> str:
        return self.word("household", value)

    def path(self, path_id: Any, label: str = "") -> str:
        sc = self.scenario
        own = (sc.paths.get(path_id) or sc.prices.get(path_id)) if sc is not None else None
        if own is not None and (own.label_nl if self.lang == "nl" else own.label_en):
            return str(own.label_in(self.lang))  # the scenario's own words in this language win
        return self.word("path", path_id, label)

    def param(self, name: Any) -> str:
        """A scenario parameter id in words (``adjustments.deadweight`` → "Deadweight")."""
        sc = self.scenario
        parts = str(name).split(".")
        head = parts[0]
        if head == "adjustments" and len(parts) == 2 and parts[1] in (
            "deadweight", "attribution", "displacement", "dropoff"
        ):  # fmt: skip
            return self.t(parts[1])
        if head == "discount" and len(parts) == 2:
            return self.t(
                "param_discount", what=self.t("costs_word" if parts[1] == "costs" else "effects_word")
            )
        if head == "programme":
            rest = ".".join(parts[1:])
            return self.t("param_programme", what=self.word("programme", rest, rest.replace("_", " ")))
        if sc is None:
            return str(name)
        if head == "prices" and len(parts) >= 2 and parts[1] in sc.prices:
            return self.t("param_price", what=self.path(parts[1], sc.prices[parts[1]].label))
        if head == "paths" and len(parts) >= 3 and parts[1] in sc.paths:
            what = self.path(parts[1], sc.paths[parts[1]].label)
            if parts[-1] == "units_per_year":
                comps = sc.paths[parts[1]].components
                i = int(parts[2].split("[")[1].rstrip("]")) if "[" in parts[2] else 0
                if len(comps) > 1 and i < len(comps):
                    care = comps[i].care_type
                    label = sc.prices[care].label if care in sc.prices else care
                    what = f"{what} – {self.path(care, label)}"
                return self.t("param_units", what=what)
            if parts[-1] == "prevalence":
                return self.t("param_prevalence", what=what)
            if parts[-1] == "probability":
                return self.t("param_escalation", what=what)
        if head == "rules" and len(parts) >= 2:
            for r in sc.rules:
                if r.id == parts[1]:
                    return self.t(
                        "param_rule", what=f"{self.domain(r.domain)} {r.op} {r.bound:g} → {self.path(r.path)}"
                    )
        return str(name)
