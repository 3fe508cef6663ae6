"""The municipal business case as a report from a business-case evaluation alone (no data needed):
``build_report(ik.costs.business_case(...))``.

The sections are the business case's own (:mod:`impactkit.report._business`), with the page you can
change (:mod:`impactkit.report._interactive`) after the summary.  A business case without data
describes no family, so nothing in it is suppressed; one on data (``business_case(data=ds)``) takes
every number from at least ``k`` families (see :func:`impactkit.costs.business_case`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from impactkit._version import __version__
from impactkit.i18n import Formatter
from impactkit.report._context import Ctx
from impactkit.report._html import figure_div, plotly_js, render
from impactkit.report._model import Chart, Section
from impactkit.report._report import Report

__all__ = ["case_report", "case_section"]


@dataclass
class _NoData:
    """The dataset of a business case without data: no families, no assessments."""

    families: pd.DataFrame | None = None
    files: dict[str, Path] | None = None


def case_section(ctx: Ctx) -> tuple[Section, Any]:
    """The section you can change and the page data its template needs (None: not published).

    The page embeds the model at the report's values (its need profile from the data, the PSA's
    draws) so that the browser recomputes every figure.  On data those values are functions of
    the families in the cost model and of each care path's families and avoided cost: the page is
    published only when the release publishes every one of them; otherwise the section says in
    words why the page is not part of this report."""
    from impactkit.report._costs import gross_count, paths
    from impactkit.report._interactive import case_page

    ev = ctx.costs
    paragraphs = [ctx.t("case_intro")]
    n = int(ev.meta.get("data_families") or 0)
    if n:
        pub = ctx.pub
        count = gross_count(ctx)
        rests = [count, *paths(ctx)["avoided"]]
        if not pub.shown(*rests):
            return Section("case", ctx.t("sec_case"), [ctx.t("case_withheld", k=str(ctx.k))]), None
        paragraphs.append(ctx.t("case_intro_data", n=ctx.fmt.integer(count)))
    # the page declares nothing (it formats with the plain formatter): the release's collecting
    # pass, which throws its sections away, does not build it (a quarter of that pass's time)
    page = None if ctx.collecting else case_page(ev, ctx.fmt.base, labels=ctx.labels)
    return Section("case", ctx.t("sec_case"), paragraphs), page


def case_command(ev: Any, lang: str, k: int, *, data: bool = False) -> str:
    """The ``impactkit business-case`` command that makes this business case again."""
    s = ev.case.settings
    parts = [
        "impactkit business-case PATH" if data else "impactkit business-case",
        f"--families-per-year {s['case.families_per_year']:g}",
        f"--years {int(s['case.years'])}",
        f"--start-year {int(s['case.start_year'])}",
    ]
    if not s["case.fte_from_caseload"]:
        parts.append(f"--coordinator-fte {s['case.coordinator_fte']:g}")
    if ev.meta.get("programme"):
        parts.append(f"--programme {ev.meta['programme']}")
    if data:
        parts.append(f"--k {k}")
    if ev.scenario.source != "builtin:default":
        parts.append(f"--scenario {Path(str(ev.scenario.source)).name}")
    parts += [f"--lang {lang}", f"--draws {ev.meta['draws']}", f"--seed {ev.meta['seed']}"]
    return " ".join(parts)


def case_report(
    ev: Any,
    *,
    lang: str,
    k: int,
    generated_at: dt.date,
    templates: str | Path | None = None,
    title: str | None = None,
) -> Report:
    """The business-case report of a business-case evaluation without a dataset."""
    from impactkit.privacy import Ledger, Scope
    from impactkit.report._business import business_sections
    from impactkit.report._publish import PublishedFormatter, Publisher

    fmt = Formatter(lang)
    instrument = ev.case.instrument
    # a business case without data describes no family: its numbers are the model's at its inputs
    pub = Publisher(Ledger([]), "case", k, fmt, protected=True)
    ctx = Ctx(dataset=_NoData(), costs=ev, instrument=instrument,
              fmt=PublishedFormatter(pub), k=k, seed=int(ev.meta["seed"]),
              draws=int(ev.meta["draws"]), pub=pub, scope=Scope("funder", "", 0, True))  # fmt: skip
    sections, cover = business_sections(ctx)
    section, page = case_section(ctx)
    sections.insert(1, section)
    parts = dict(cover.pop("subtitle_parts"))
    parts["generated"] = fmt.date(generated_at)
    subtitle = fmt.text("bc_subtitle", **parts)
    s = ev.scenario
    footer = {
        "version": __version__,
        "generated_at": generated_at.isoformat(),
        "instrument": "–" if instrument is None else f"{instrument.id}",
        "scenario": f"{s.id} ({Path(str(s.source)).name if '/' in str(s.source) else s.source})",
        "options": fmt.text(
            "footer_options",
            kind="business-case",
            lang=lang,
            k=k,
            seed=ev.meta["seed"],
            draws=fmt.integer(ev.meta["draws"]),
        ),
        "files": [],
        "command": fmt.text("footer_command", command=case_command(ev, lang, k)),
    }
    charts: dict[str, Any] = {}
    for sec in sections:
        for block in sec.blocks:
            if isinstance(block, Chart):
                charts[block.id] = figure_div(block.figure, f"chart-{block.id}", lang=lang)
    labels = {key: fmt.text(key) for key in ("skip", "contents", "numbers", "reproduce", "generated", "instrument",
                                             "scenario", "options", "inputs", "file")}  # fmt: skip
    context = {
        "lang": lang,
        "title": title or cover["title"],
        "kicker": cover["kicker"],
        "subtitle": subtitle,
        "sections": sections,
        "charts": charts,
        "labels": labels,
        "footer": footer,
        "plotly_js": plotly_js(),
        "case": page,
    }
    html = render("business_case.html.j2", context, templates=templates)
    rep = Report(html=html, sections=sections, kind="business-case", lang=lang, footer=footer,
                 title=context["title"], subtitle=subtitle, inputs=[])  # fmt: skip
    rep.costs = ev
    rep.case = page
    return rep
