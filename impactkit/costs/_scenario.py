"""The cost scenario: prices, index, care paths, rules, adjustments, programme cost, discounting.

A scenario is configuration, never code.  impactkit ships one illustrative Dutch scenario
(:meth:`Scenario.default`, ``impactkit/costs/data/default.toml``) in which every number carries its
source and price year (BRIEF §5); replace it with local tariffs.  Sections of a scenario file:

``[scenario]``        id, name, report_year, horizon (years of avoided care per family, at most
                      :data:`MAX_HORIZON`), illustrative
``[discount]``        ``costs`` and ``effects`` rates (parameters), source
``[index]``           ``factors`` (price year → factor to the report year), source
``[payers.ID]``       label, label_nl, fiscal (optional; the seven Dutch payers plus volunteers)
``[prices.ID]``       label, label_nl, unit, price (parameter), price_year, payer (id or
                      ``{id = share}``), source
``[paths.ID]``        label, label_nl, source, prevalence (parameter), components (care_type,
                      units_per_year and years: parameters; start_year), escalations
``[programmes.ID]``   label (the name in the families table), names (other spellings), paths
                      (the care paths this programme can avert), prevalence.PATH (parameter,
                      overrides the path's), source.  ``ID = "default"`` covers families whose
                      programme is missing or not declared
``[[rules]]``         id, path, domain, max_score, probability (parameter), source, instrument
``[adjustments]``     deadweight, attribution, displacement, dropoff (parameters)
``[programme]``       payer, caseload_per_fte, ``[programme.costs.ID]`` (label, label_nl, ...) and
                      ``[programme.volunteer_time]``
``[uncertainty]``     judgement_strength (the pseudo-count of a recorded judgement), bootstrap
                      (``bayesian``, ``ordinary`` or ``none``), source

Which paths apply to whom: a family's need for a path comes from a recorded judgement (always
honoured), else from an intake rule or the path's prevalence, and the last two only for paths
its programme declares.  A scenario without ``[programmes]`` declares every path for everyone.

A "parameter" is a number or a table ``{value, dist, sd, low, high, source}``
(see :mod:`impactkit.costs._params`).  Every malformed entry raises :class:`ScenarioError` naming
the file and the dotted key.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from html import escape
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from impactkit.costs._params import Param
from impactkit.errors import ScenarioError

__all__ = [
    "BOOTSTRAPS",
    "DEFAULT_PAYERS",
    "MAX_HORIZON",
    "UNITS",
    "CarePath",
    "Component",
    "Escalation",
    "Payer",
    "Price",
    "Programme",
    "ProgrammeItem",
    "Rule",
    "Scenario",
]

UNITS = ("hour", "contact", "trajectory", "day", "year")


def in_lang(lang: str, default: str, nl: str = "", en: str = "") -> str:
    """A scenario text in ``lang``: its ``_nl``/``_en`` variant when given, else the plain one."""
    given = nl if lang == "nl" else en
    return given or default


PER = ("fte", "family", "year")
BOOTSTRAPS = ("bayesian", "ordinary", "none")
MAX_HORIZON = 100  # years; the cost arrays grow with it (issue 10: horizon = 1000000 asked 71 GiB)


@dataclass(frozen=True)
class Payer:
    """Whose budget pays or saves; ``fiscal=False`` for societal costs (volunteer time, families)."""

    id: str
    label: str
    fiscal: bool = True
    label_nl: str = ""
    label_en: str = ""

    def label_in(self, lang: str) -> str:
        return in_lang(lang, self.label, self.label_nl, self.label_en)


DEFAULT_PAYERS = (
    Payer("municipality_prevention", "Municipality: prevention budget", True, "Gemeente: preventiebudget"),
    Payer(
        "municipality_youth", "Municipality: youth care (Jeugdwet)", True, "Gemeente: jeugdhulp (Jeugdwet)"
    ),
    Payer(
        "municipality_income",
        "Municipality: income support (Participatiewet)",
        True,
        "Gemeente: inkomensondersteuning (Participatiewet)",
    ),
    Payer("housing_corporations", "Housing corporations", True, "Woningcorporaties"),
    Payer("health_insurers", "Health insurers", True, "Zorgverzekeraars"),
    Payer("state", "State (UWV, Belastingdienst, justice)", True, "Rijk (UWV, Belastingdienst, justitie)"),
    Payer("families", "Families", False, "Gezinnen"),
    Payer("volunteers", "Volunteers' time (societal)", False, "Tijd van vrijwilligers (maatschappelijk)"),
)


@dataclass(frozen=True)
class Price:
    """A unit price; ``index`` brings it from ``price_year`` to the report year."""

    care_type: str
    label: str
    unit: str
    price: Param
    price_year: int
    payers: tuple[tuple[str, float], ...]
    source: str
    index: float
    label_nl: str = ""
    label_en: str = ""
    source_nl: str = ""

    def label_in(self, lang: str) -> str:
        return in_lang(lang, self.label, self.label_nl, self.label_en)

    def source_in(self, lang: str) -> str:
        return in_lang(lang, self.source, self.source_nl)


@dataclass(frozen=True)
class Component:
    """Care a path uses: ``units_per_year`` of ``care_type`` for ``years`` years from ``start_year``.

    ``years`` may be fractional (a drawn duration of 1.4 years is a full first year and 40% of the
    second); care beyond the horizon is not counted.
    """

    care_type: str
    units_per_year: Param
    years: Param
    start_year: int = 1


@dataclass(frozen=True)
class Escalation:
    """With ``probability`` the path escalates to path ``to``, starting ``after_years`` later."""

    to: str
    probability: Param
    after_years: int = 1


@dataclass(frozen=True)
class CarePath:
    """A counterfactual care path: what a family would have needed without the programme."""

    id: str
    label: str
    components: tuple[Component, ...]
    escalations: tuple[Escalation, ...]
    prevalence: Param
    source: str
    label_nl: str = ""
    label_en: str = ""
    source_nl: str = ""

    def label_in(self, lang: str) -> str:
        return in_lang(lang, self.label, self.label_nl, self.label_en)

    def source_in(self, lang: str) -> str:
        return in_lang(lang, self.source, self.source_nl)


@dataclass(frozen=True)
class Programme:
    """Which care paths a programme can avert, with optional programme-specific prevalences.

    ``names`` are the spellings of the programme in the families table (matched case- and
    space-insensitively, the id and label included).
    """

    id: str
    label: str
    names: tuple[str, ...]
    paths: tuple[str, ...]
    prevalence: Mapping[str, Param]
    source: str
    label_nl: str = ""
    label_en: str = ""
    source_nl: str = ""

    def prevalence_of(self, path: CarePath) -> Param:
        return self.prevalence.get(path.id, path.prevalence)

    def label_in(self, lang: str) -> str:
        return in_lang(lang, self.label, self.label_nl, self.label_en)

    def source_in(self, lang: str) -> str:
        return in_lang(lang, self.source, self.source_nl)


@dataclass(frozen=True)
class Rule:
    """Intake-profile rule: score on ``domain`` ≤ ``max_score`` (or ≥ ``min_score``, for a domain
    where lower is better) → ``path`` with ``probability``."""

    id: str
    path: str
    domain: str
    max_score: float | None
    probability: Param
    source: str
    instrument: str | None = None
    min_score: float | None = None
    source_nl: str = ""

    def source_in(self, lang: str) -> str:
        return in_lang(lang, self.source, self.source_nl)

    @property
    def op(self) -> str:
        """ "≤" for a ``max_score`` rule, "≥" for a ``min_score`` rule."""
        return "≤" if self.max_score is not None else "≥"

    @property
    def bound(self) -> float:
        return float(self.max_score if self.max_score is not None else self.min_score)  # type: ignore[arg-type]

    @property
    def text(self) -> str:
        return f"{self.domain} {self.op} {self.bound:g} → {self.path} (p = {self.probability.value:g})"

    def matches(self, score: float) -> bool:
        """Whether an intake score meets the rule (a missing score never does)."""
        if score != score:  # NaN
            return False
        if self.max_score is not None:
            return bool(score <= self.max_score)
        return bool(self.min_score is not None and score >= self.min_score)

    def wrong_direction(self, higher_is_better: bool) -> dict[str, object] | None:
        """What is wrong when the rule flags *good* scores on its domain (else None)."""
        if self.max_score is not None and not higher_is_better:
            return {"rule": self.id, "op": "≤", "score": self.max_score, "domain": self.domain,
                    "better": "lower", "fix": f"min_score (e.g. min_score = {self.max_score:g} mirrored)"}  # fmt: skip
        if self.min_score is not None and higher_is_better:
            return {"rule": self.id, "op": "≥", "score": self.min_score, "domain": self.domain,
                    "better": "higher", "fix": "max_score"}  # fmt: skip
        return None


@dataclass(frozen=True)
class ProgrammeItem:
    """A programme cost per ``fte``, per ``family`` or per programme ``year``."""

    id: str
    amount: Param
    per: str
    price_year: int
    index: float
    source: str
    source_nl: str = ""
    label: str = ""
    label_nl: str = ""
    label_en: str = ""

    def source_in(self, lang: str) -> str:
        return in_lang(lang, self.source, self.source_nl)

    def label_in(self, lang: str) -> str:
        return in_lang(lang, self.label or self.id, self.label_nl, self.label_en)


@dataclass(frozen=True)
class Scenario:
    """A complete set of cost assumptions.  Build with :meth:`from_file`, :meth:`from_dict` or
    :meth:`default`; the constructor does not validate.

    >>> s = Scenario.default()
    >>> s.report_year, s.horizon, s.discount_costs.value
    (2024, 5, 0.0225)
    >>> list(s.paths)[:3]
    ['social_work', 'parenting_support', 'youth_care']
    """

    id: str
    name: str
    report_year: int
    horizon: int
    discount_costs: Param
    discount_effects: Param
    index: Mapping[int, float]
    index_source: str
    payers: tuple[Payer, ...]
    prices: Mapping[str, Price]
    paths: Mapping[str, CarePath]
    rules: tuple[Rule, ...]
    deadweight: Param
    attribution: Param
    displacement: Param
    dropoff: Param
    programme_payer: str
    caseload_per_fte: Param
    programme_items: tuple[ProgrammeItem, ...]
    volunteer_hours: Param
    volunteer_hour_value: Param
    volunteer_index: float
    value_volunteer_time: bool
    volunteer_payer: str
    illustrative: bool = False
    source: str = "<dict>"
    name_nl: str = ""
    index_source_nl: str = ""
    programmes: Mapping[str, Programme] = field(default_factory=dict)
    judgement_strength: Param = field(default_factory=lambda: Param("uncertainty.judgement_strength", 10.0))
    bootstrap: str = "bayesian"
    uncertainty_source: str = ""
    uncertainty_source_nl: str = ""
    #: (dotted key, language) of every text the reports show that has no variant in that language
    #: (e.g. ``("prices.ots.source", "nl")``: no ``source_nl``); validate warns about each
    language_gaps: tuple[tuple[str, str], ...] = ()
    _order: tuple[str, ...] = field(default=(), repr=False, compare=False)

    # ------------------------------------------------------------------ views
    @property
    def payer_ids(self) -> list[str]:
        return [p.id for p in self.payers]

    def find_programme(self, name: object) -> Programme | None:
        """The programme declared under this id, label or name (no fallback to ``default``)."""
        key = _norm(name)
        if not key:
            return None
        for prog in self.programmes.values():
            if key in {_norm(n) for n in (prog.id, *prog.names)}:
                return prog
        by_label = [p for p in self.programmes.values() if _norm(p.label) == key]
        return by_label[0] if len(by_label) == 1 else None  # a label two programmes share matches neither

    def programme_for(self, name: object) -> Programme | None:
        """The declaration covering a families-table programme name: its own, else ``default``
        (None when the scenario declares no programmes: every path applies)."""
        if not self.programmes:
            return None
        return self.find_programme(name) or self.programmes.get("default")

    def declared_paths(self, name: object) -> tuple[str, ...]:
        """Paths whose rules and prevalence apply to families of programme ``name``."""
        if not self.programmes:
            return tuple(self.paths)
        prog = self.programme_for(name)
        return () if prog is None else prog.paths

    @property
    def path_order(self) -> list[str]:
        """Path ids such that every escalation target comes before its source."""
        return list(self._order)

    def params(self) -> list[Param]:
        """Every parameter of the scenario, in a fixed order (the PSA draws them in this order).

        The judgement strength is not among them: it shapes the draws of recorded judgements and
        is itself fixed.
        """
        out = [self.discount_costs, self.discount_effects]
        out += [p.price for p in self.prices.values()]
        for path in self.paths.values():
            for c in path.components:
                out += [c.units_per_year, c.years]
            out += [e.probability for e in path.escalations]
            out.append(path.prevalence)
        for prog in self.programmes.values():
            out += list(prog.prevalence.values())
        out += [r.probability for r in self.rules]
        out += [self.deadweight, self.attribution, self.displacement, self.dropoff]
        out += [self.caseload_per_fte, *(i.amount for i in self.programme_items)]
        out += [self.volunteer_hours, self.volunteer_hour_value]
        return out

    def name_in(self, lang: str) -> str:
        return in_lang(lang, self.name, self.name_nl)

    def assumptions(self, lang: str = "en") -> pd.DataFrame:
        """Every parameter with its base value, distribution, range and source (in ``lang`` when the
        scenario gives ``source_nl``).

        Returns
        -------
        pandas.DataFrame
            Columns ``parameter, value, dist, sd, low, high, source``; ``low``/``high`` are the
            tornado range (given, or the 2.5%/97.5% quantiles of the distribution).
        """
        rows = []
        for p in self.params():
            rng = p.range
            rows.append(
                {
                    "parameter": p.name,
                    "value": p.value,
                    "dist": p.dist,
                    "sd": p.sd,
                    "low": None if rng is None else rng[0],
                    "high": None if rng is None else rng[1],
                    "source": p.source_in(lang),
                }
            )
        return pd.DataFrame(rows)

    def _repr_html_(self) -> str:
        flag = " <em>(illustrative: replace with local figures)</em>" if self.illustrative else ""
        table = self.assumptions().to_html(index=False, na_rep="–", float_format=lambda x: f"{x:.4g}")
        return (
            f"<div><strong>Cost scenario {escape(self.id)}</strong>: {escape(self.name)}{flag}; "
            f"prices of {self.report_year}, horizon {self.horizon} years, discount "
            f"{self.discount_costs.value:.2%} (costs) / {self.discount_effects.value:.2%} (effects)"
            f"{table}</div>"
        )

    # ----------------------------------------------------------- constructors
    @classmethod
    def from_dict(cls, spec: Mapping[str, Any], *, source: str = "<dict>") -> Scenario:
        """Build and validate a scenario; a :class:`ScenarioError` names the key at fault."""
        from impactkit.costs._parse import parse_scenario

        return parse_scenario(spec, source)

    @classmethod
    def from_file(cls, path: str | Path) -> Scenario:
        """Read a scenario from a TOML file."""
        p = Path(path)
        if not p.is_file():
            raise ScenarioError.at("file_not_found", source=str(p))
        try:
            spec = tomllib.loads(p.read_text(encoding="utf-8-sig"))
        except UnicodeDecodeError as err:
            raise ScenarioError.at(
                "not_utf8_text", source=str(p), reason=err.reason, start=err.start
            ) from err
        except tomllib.TOMLDecodeError as err:
            raise ScenarioError.at("not_toml", source=str(p), error=err) from err
        except RecursionError as err:
            raise ScenarioError.at("scenario_nested_read", source=str(p)) from err
        return cls.from_dict(spec, source=str(p))

    @classmethod
    def default(cls) -> Scenario:
        """The shipped illustrative Dutch scenario (BRIEF §5 prices, conservative assumptions)."""
        ref = resources.files("impactkit.costs") / "data" / "default.toml"
        spec = tomllib.loads(ref.read_text(encoding="utf-8"))
        return cls.from_dict(spec, source="builtin:default")


def _norm(name: object) -> str:
    """Programme names compare case-, space-, hyphen- and underscore-insensitively."""
    if name is None or (isinstance(name, float) and name != name):
        return ""
    return "".join(ch for ch in str(name).casefold() if ch.isalnum())
