"""What every section builder needs: the data, the analyses, the formatter and the labels.

Also the sections both reports share: the assumptions with their sources, and the plain statement
of what a pre-post design without a comparison group can and cannot show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
import pandas as pd

from impactkit.figures import Labels
from impactkit.i18n._catalog import has
from impactkit.instruments import Instrument
from impactkit.privacy import OTHER, ReleasePlan, Scope
from impactkit.privacy._disclosure import SCOPE_COST
from impactkit.report._cohort import Cohort
from impactkit.report._model import UNDRAWN, CollectingFormatter, Column, Section, Table
from impactkit.report._publish import PublishedFormatter, Publisher, Value

__all__ = ["Ctx", "assumptions_section", "basis_values", "cost_notes", "design_section", "draw"]


@dataclass
class Ctx:
    """Inputs and options of one report of a release (read-only for the section builders).

    ``fmt`` formats published values only (:class:`~impactkit.report._publish.PublishedFormatter`);
    ``pub`` declares populations and makes values; ``memo`` keeps a scope's analyses between the
    collecting and the rendering pass.
    """

    dataset: Any  # impactkit.io.Dataset
    costs: Any  # impactkit.costs.CostEvaluation
    # None only in a business case without data (report/_case_report.py): its sections guard it
    instrument: Instrument
    fmt: PublishedFormatter
    k: int
    seed: int
    draws: int
    pub: Publisher
    scope: Scope
    plan: ReleasePlan | None = None
    memo: dict[str, Any] = field(default_factory=dict)
    detail: bool = True  # the per-family distributions (published once, in the funder report)
    root: Any = None  # the release's whole dataset (None: this report's dataset)
    shared: dict[str, Any] = field(default_factory=dict)  # analyses of the whole release, kept between passes

    @property
    def lang(self) -> str:
        return self.fmt.lang

    @property
    def collecting(self) -> bool:
        """Whether this is the release's collecting pass, which declares populations and renders
        nothing (:class:`~impactkit.report._model.CollectingFormatter`): work whose result only
        reaches the page (formatted tables, the case page) is skipped there."""
        return isinstance(self.fmt, CollectingFormatter)

    def t(self, key: str, **values: Any) -> str:
        """The report text ``key``; numbers must arrive as text of published values."""
        return self.fmt.text(key, **values)

    def c(self, x: Any) -> Value:
        """A constant (describes no family): an assumption, a price, a year, k."""
        return self.pub.const(x)

    def cached(self, name: str, make: Callable[[], Any]) -> Any:
        """An analysis of this report's data, computed once for both passes of the release."""
        if name not in self.memo:
            self.memo[name] = make()
        return self.memo[name]

    @property
    def cohort(self) -> Cohort:
        return cast(Cohort, self.cached("cohort", lambda: Cohort(self.dataset, self.pub.ledger)))

    @property
    def labels(self) -> Labels:
        """The words for ids, shared with the figures (instrument, scenario, catalogue)."""
        return Labels(self.fmt.base, self.instrument, self.costs.scenario)

    def domain(self, domain_id: str) -> str:
        return self.labels.domain(domain_id)

    def direction(self, domain_id: str) -> int:
        """+1, or -1 on a domain where a lower score is better (gains are change × direction)."""
        return self.labels.direction(domain_id)

    def wave(self, wave_id: str) -> str:
        return self.labels.wave(wave_id)

    def level(self, value: int) -> str:
        return self.labels.level(int(value))

    def known(self, key: str) -> bool:
        """Whether the report catalogue has a text ``key``."""
        return has("report", key)

    def payer(self, payer_id: str, label: str = "") -> str:
        return self.labels.payer(payer_id, label)

    def household(self, value: str) -> str:
        return self.labels.household(value)

    def path(self, path_id: str, label: str = "") -> str:
        return self.labels.path(path_id, label)

    def param(self, name: str) -> str:
        """A scenario parameter id in words (``adjustments.deadweight`` → "Deadweight")."""
        return self.labels.param(name)

    @property
    def families(self) -> pd.DataFrame | None:
        return self.dataset.families

    def family_table(self) -> pd.DataFrame:
        """The families table, for a section that cannot be built without it."""
        if self.dataset.families is None:
            from impactkit.errors import ParameterError

            raise ParameterError(
                "this report section needs the families table, which the dataset does not hold"
            )
        return self.dataset.families

    # --- the report's own population
    @property
    def everyone(self) -> Value:
        """The report's families (its scope): a scope of the release, costly to hide."""
        return self.pub.count(
            "families", self.cohort.everyone, cost=SCOPE_COST, dim="scope", scope=True, measured=True,
            label=f"{self.pub.scope}: every family",
        )  # fmt: skip

    def group(self, kind: str, name: object) -> str:
        """The breakdown row of a municipality or programme in this release (``other`` when small)."""
        if self.plan is None or kind not in self.plan.groups:
            return str(name)
        return self.plan.group(kind, str(name))

    def group_label(self, kind: str, group: str) -> str:
        return self.t(f"other_{kind}") if group == OTHER else group


def draw(ctx: Any, make: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """The chart ``make(*args, **kwargs)`` (an :mod:`impactkit.figures` function), drawn only in the
    pass that renders.  The release's collecting pass (``ctx.pub.protected`` False) declares
    populations, which the arguments (published values) do before the call, and renders nothing:
    its charts are :data:`~impactkit.report._model.UNDRAWN` (the sample's collecting pass drew 80
    plotly figures that no one saw, a quarter of its time outside the disclosure checks)."""
    if not ctx.pub.protected:
        return UNDRAWN
    return make(*args, **kwargs)


def assumptions_section(ctx: Ctx) -> Section:
    """Every cost assumption with its source, the rules on the intake profile, the instrument."""
    s = ctx.costs.scenario
    sec = Section("assumptions", ctx.t("sec_assumptions"))
    sec.paragraphs.append(
        ctx.t("assumptions_intro", illustrative=ctx.t("illustrative") if s.illustrative else "")
    )
    ev = ctx.costs
    origin = ev.meta.get("programme_cost_origin")
    if origin == "programme_costs table":
        sec.paragraphs.append(ctx.t("prog_origin_table"))
    elif origin == "scenario":
        sec.paragraphs.append(ctx.t("prog_origin_scenario"))
    # the parameters that drove this result (used-only), in the tornado's order, named in words
    a = pd.DataFrame(ev.assumptions).reset_index(drop=True)
    col = f"label_{ctx.lang}"
    a["name"] = [
        str(x) if col in a.columns and isinstance(x, str) and x else ctx.param(p)
        for p, x in zip(a["parameter"], a[col] if col in a.columns else a["parameter"], strict=True)
    ]
    if "source_nl" in a.columns and ctx.lang == "nl":
        a["source"] = [
            n if isinstance(n, str) and n else e for e, n in zip(a["source"], a["source_nl"], strict=True)
        ]
    a["dist"] = [ctx.t(f"dist_{d}") if ctx.known(f"dist_{d}") else str(d) for d in a["dist"]]
    for col in ("value", "low", "high"):
        a[col] = ctx.pub.consts(a[col])
    sec.blocks.append(
        Table.build(
            "tbl-assumptions",
            ctx.t("tbl_assumptions"),
            a,
            [
                Column("name", ctx.t("parameter")),
                Column("value", ctx.t("value"), "general"),
                Column("dist", ctx.t("distribution")),
                Column("low", ctx.t("low"), "general"),
                Column("high", ctx.t("high"), "general"),
                Column("source", ctx.t("source")),
            ],
            ctx.fmt,
            k=ctx.k,
            sheet="assumptions",
        )
    )
    used_rules = [r for r in s.rules if r.probability.name in set(a["parameter"])]  # rules some family met
    if used_rules and ctx.instrument is not None:  # rules read intake scores: a case without data has none
        rules = pd.DataFrame(
            {
                "rule": [
                    f"{ctx.domain(r.domain)} {r.op} {ctx.fmt.number(ctx.c(r.bound), 0)} → {ctx.path(r.path)}"
                    for r in used_rules
                ],
                "p": [ctx.c(r.probability.value) for r in used_rules],
                "source": [r.source_in(ctx.lang) for r in used_rules],
            }
        )
        sec.blocks.append(
            Table.build(
                "tbl-rules",
                ctx.t("tbl_rules"),
                rules,
                [
                    Column("rule", ctx.t("rule")),
                    Column("p", ctx.t("share"), "share"),
                    Column("source", ctx.t("source")),
                ],
                ctx.fmt,
                k=ctx.k,
                sheet="assumptions",
            )
        )
    inst = ctx.instrument
    if inst is None:
        return sec
    rel = [d.reliability for d in inst.domains if d.reliability is not None]
    src = ctx.t("inst_builtin", id=inst.id) if str(inst.source).startswith("builtin:") else inst.source
    info = pd.DataFrame(
        {
            "parameter": [inst.name_in(ctx.lang), ctx.t("inst_reliability"), ctx.t("inst_sufficient")],
            "value": ctx.pub.consts([np.nan, float(np.mean(rel)) if rel else np.nan, inst.sufficient]),
            "source": [src, inst.reliability_source_in(ctx.lang) or "–", src],
        }
    )
    sec.blocks.append(
        Table.build(
            "tbl-instrument",
            ctx.t("tbl_instrument"),
            info,
            [
                Column("parameter", ctx.t("parameter")),
                Column("value", ctx.t("value"), "number2"),
                Column("source", ctx.t("source")),
            ],
            ctx.fmt,
            k=ctx.k,
            sheet="assumptions",
        )
    )
    return sec


BASES = ("recorded", "rule", "prevalence")  # the bases a need rests on, strongest first


def basis_values(ctx: Ctx) -> tuple[Value, dict[str, Value]]:
    """The families in the cost model and, as disjoint parts of it, the families by the strongest
    basis of their need (recorded, rule, prevalence, none): published values of the release."""
    pf = ctx.costs.per_family
    fam = pf["family_id"].astype(str)
    rank = {b: i for i, b in enumerate(BASES)}
    carried = pf["likelihood"] > 0
    best = pf.loc[carried, "basis"].astype(str).map(rank).groupby(fam[carried], observed=True).min()
    everyone = pd.Index(fam.unique())
    base = ("costs", "basis")
    pub = ctx.pub
    n = pub.count((*base, "all"), everyone, label=f"{pub.scope}: families in the cost model")
    parts = {b: pub.count((*base, b), best.index[best == r], dim="cost_basis") for b, r in rank.items()}
    parts["none"] = pub.count(
        (*base, "none"), everyone.difference(best.index[best.notna()]), dim="cost_basis"
    )
    return n, parts


def cost_notes(ctx: Ctx) -> list[str]:
    """The method notes of the cost estimate, in the report's language."""
    ev, f = ctx.costs, ctx.fmt
    s = ev.scenario
    notes = []
    pf = ev.per_family
    if "basis" in pf and "family_id" in pf and ev.meta.get("kind") != "business_case":
        n, parts = basis_values(ctx)
        if ctx.pub.shown(n, *parts.values()):
            notes.append(
                ctx.t("cost_note_basis", n=f.integer(n), **{k_: f.integer(v) for k_, v in parts.items()})
            )
        elif ctx.pub.shown(n):
            notes.append(ctx.t("cost_note_basis_hidden", n=f.integer(n), k=str(ctx.k)))
        if (pf["basis"].astype(str) == "not declared").any():
            notes.append(ctx.t("cost_note_declared"))
    notes.append(
        ctx.t(
            "cost_note_adjust",
            year=str(s.report_year),
            horizon=str(s.horizon),
            dw=f.percent(ctx.c(s.deadweight.value)),
            attr=f.percent(ctx.c(s.attribution.value)),
            disp=f.percent(ctx.c(s.displacement.value)),
            drop=f.percent(ctx.c(s.dropoff.value)),
            rate=f.percent(ctx.c(s.discount_costs.value), 2),
        )
    )
    notes.append(ctx.t("cost_note_contested"))
    return notes


def design_section(ctx: Ctx) -> Section:
    """The plain statement of what a pre-post design without a comparison group can and cannot show."""
    sec = Section("design", ctx.t("sec_design"))
    sec.paragraphs.append(ctx.t("design_intro"))
    sec.lists.append((ctx.t("design_can"), [ctx.t(f"design_can_{i}") for i in (1, 2, 3)]))
    sec.lists.append((ctx.t("design_cannot"), [ctx.t(f"design_cannot_{i}") for i in (1, 2, 3)]))
    sec.after.append(ctx.t("design_privacy", k=str(ctx.k)))
    return sec
