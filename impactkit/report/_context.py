"""What every section builder needs: the data, the analyses, the formatter and the labels.

Also the sections both reports share: the assumptions with their sources, and the plain statement
of what a pre-post design without a comparison group can and cannot show.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from impactkit.figures import Labels
from impactkit.i18n import Formatter
from impactkit.i18n._catalog import has
from impactkit.instruments import Instrument
from impactkit.report._model import Column, Section, Table
from impactkit.report._suppress import PUBLISHED, marker, protect

__all__ = ["Ctx", "assumptions_section", "basis_counts", "cost_notes", "design_section", "hide_small_parts"]


@dataclass
class Ctx:
    """Inputs and options of one report (read-only for the section builders)."""

    dataset: Any  # impactkit.io.Dataset
    costs: Any  # impactkit.costs.CostEvaluation
    # None only in a business case without data (report/_case_report.py): its sections guard it
    instrument: Instrument
    fmt: Formatter
    k: int
    seed: int
    draws: int

    @property
    def lang(self) -> str:
        return self.fmt.lang

    def t(self, key: str, **values: Any) -> str:
        return self.fmt.text(key, **values)

    @property
    def labels(self) -> Labels:
        """The words for ids, shared with the figures (instrument, scenario, catalogue)."""
        return Labels(self.fmt, self.instrument, self.costs.scenario)

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


def hide_small_parts(counts: pd.DataFrame, k: int) -> pd.DataFrame:
    """Status per cell of a frame whose rows are parts of a published total (e.g. improved /
    unchanged / worse out of n): each row is protected on its own, totals published."""
    x = counts.fillna(0).to_numpy(dtype=float)
    out = np.empty(x.shape, dtype=object)
    for i in range(x.shape[0]):
        cells, _, _, _ = protect(x[i : i + 1], k=k, row_totals=True, col_totals=False, grand_total=False)
        out[i] = cells[0]
    return pd.DataFrame(out, index=counts.index, columns=counts.columns)


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
                    f"{ctx.domain(r.domain)} {r.op} {ctx.fmt.number(r.bound, 0)} → {ctx.path(r.path)}"
                    for r in used_rules
                ],
                "p": [r.probability.value for r in used_rules],
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
    info = pd.DataFrame(
        {
            "parameter": [
                inst.name_nl if ctx.lang == "nl" else inst.name_en,
                "reliability (reliable change)",
                "sufficient",
            ],
            "value": [np.nan, float(np.mean(rel)) if rel else np.nan, inst.sufficient],
            "source": [inst.source, inst.reliability_source or "–", inst.source],
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


def basis_counts(ctx: Ctx) -> tuple[dict[str, int], dict[str, str]]:
    """Families by the strongest basis of their need (recorded, rule, prevalence, none) and the
    publication status of each count: parts of the published number of families, protected."""
    pf = ctx.costs.per_family
    rank = {"recorded": 0, "rule": 1, "prevalence": 2}
    carried = pf[pf["likelihood"] > 0]
    best = carried["basis"].astype(str).map(rank).groupby(carried["family_id"], observed=True).min()
    counts = {b: int((best == r).sum()) for b, r in rank.items()}
    counts["none"] = int(pf["family_id"].nunique()) - sum(counts.values())
    status = hide_small_parts(pd.DataFrame([counts]), ctx.k).iloc[0]
    return counts, {b: str(status[b]) for b in counts}


def cost_notes(ctx: Ctx) -> list[str]:
    """The method notes of the cost estimate, in the report's language."""
    ev, f = ctx.costs, ctx.fmt
    s = ev.scenario
    notes = []
    pf = ev.per_family
    if "basis" in pf and "family_id" in pf and ev.meta.get("kind") != "business_case":
        counts, status = basis_counts(ctx)
        shown = {
            b: f.integer(v) if status[b] == PUBLISHED else marker(status[b], ctx.k) for b, v in counts.items()
        }
        notes.append(ctx.t("cost_note_basis", n=f.integer(int(pf["family_id"].nunique())), **shown))
        if (pf["basis"].astype(str) == "not declared").any():
            notes.append(ctx.t("cost_note_declared"))
    notes.append(
        ctx.t(
            "cost_note_adjust",
            year=str(s.report_year),
            horizon=str(s.horizon),
            dw=f.percent(s.deadweight.value),
            attr=f.percent(s.attribution.value),
            disp=f.percent(s.displacement.value),
            drop=f.percent(s.dropoff.value),
            rate=f.percent(s.discount_costs.value, 2),
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
    sec.after.append(ctx.t("design_privacy", k=ctx.k))
    return sec
