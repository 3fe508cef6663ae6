"""The report's statement of its reporting period: who and what counts, and what was left out.

Every report of a release cut to a period (``build_report(..., period=2025)``) carries the
definition in words and the count of everything the cut left out, blanked or prorated (of the
whole export: the same table in the funder report and in each municipal and programme report, so
it adds nothing one report would not already show).  Counts of 1 to k-1 families or rows are
shown as "<k", like every other count of a report.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from impactkit.i18n import text
from impactkit.privacy import PRIMARY, PUBLISHED
from impactkit.report._model import Column, Section, Table

__all__ = ["period_section"]


def period_section(selection: Any, fmt: Any, k: int, wave: Any = str) -> Section:
    """The appendix section of a report cut to a period (``selection``: a PeriodSelection);
    ``wave`` gives the words for a wave id."""
    lang = fmt.lang
    sec = Section("period", text("run", "sec_period", lang), appendix=True)
    sec.paragraphs.append(selection.describe(lang))
    sec.paragraphs.append(text("run", "period_why", lang))
    if selection.still_in_support:
        sec.paragraphs.append(
            text("run", "period_still", lang, n=_count_text(selection.still_in_support, fmt, k))
        )
    ex = selection.table(lang)
    if not ex.empty:
        frame = ex[["table", "action", "reason", "detail", "rows", "families", "amount"]].copy()
        frame["amount"] = frame["amount"].where(frame["amount"] > 0)
        raw = selection.exclusions
        frame["families"] = frame["families"].where(raw["table"] != "programme_costs")
        frame["detail"] = [
            wave(d) if t == "assessments" and d else d
            for t, d in zip(raw["table"], raw["detail"], strict=True)
        ]
        status = pd.DataFrame(PUBLISHED, index=frame.index, columns=frame.columns, dtype=object)
        for col in ("rows", "families"):
            small = (frame[col] > 0) & (frame[col] < k)
            status.loc[small, col] = PRIMARY
        sec.blocks.append(
            Table.stated(
                "tbl-period",
                text("run", "tbl_period", lang),
                frame,
                [
                    Column("table", text("run", "col_table", lang)),
                    Column("reason", text("run", "col_reason", lang)),
                    Column("action", text("run", "col_action", lang)),
                    Column("detail", text("run", "col_detail", lang)),
                    Column("rows", text("run", "col_rows", lang), "count"),
                    Column("families", text("run", "col_families", lang), "count"),
                    Column("amount", text("run", "col_amount", lang), "money"),
                ],
                fmt,
                status=status,
                k=k,
                sheet="period",
            )
        )
    alloc = selection.allocation
    if alloc is not None and not alloc.empty:
        by_year = alloc.groupby("year", as_index=False)[["amount", "allocated"]].sum()
        by_year["share"] = by_year["allocated"] / by_year["amount"].where(by_year["amount"] > 0)
        sec.blocks.append(
            Table.stated(
                "tbl-period-costs",
                text("run", "tbl_period_costs", lang),
                by_year,
                [
                    Column("year", text("run", "col_year", lang)),
                    Column("amount", text("run", "col_spent", lang), "money"),
                    Column("share", text("run", "col_share", lang), "share"),
                    Column("allocated", text("run", "col_allocated", lang), "money"),
                ],
                fmt,
                k=k,
                notes=[text("run", "period_costs_note", lang)],
                sheet="period_costs",
            )
        )
    return sec


def _count_text(n: int, fmt: Any, k: int) -> str:
    return f"<{k}" if 0 < n < k else fmt.integer(n)
