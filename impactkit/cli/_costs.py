"""``impactkit costs``: avoided cost per payer and year, with uncertainty, for one export."""

from __future__ import annotations

import json
import math
from typing import Annotated

import typer

from impactkit import progress
from impactkit.cli._app import Command, app
from impactkit.cli._layout import Col, print_notes, print_table
from impactkit.cli._numbers import cell, number
from impactkit.cli._options import (
    AllOpt,
    ConfigOpt,
    DebugOpt,
    DomainsOpt,
    FamiliesOpt,
    IgnoreOpt,
    InstrumentOpt,
    JsonOpt,
    LangOpt,
    MunicipalityOpt,
    PathArg,
    PersonalOpt,
    ProgrammeOpt,
    ScenarioOpt,
    TodayOpt,
    common,
)
from impactkit.cli._problems import print_read_notes
from impactkit.cli._session import start
from impactkit.cli._texts import column_label, selection_text, t, value_label

HEADLINE = ("programme_cost", "gross_avoided_cost", "net_benefit", "benefit_cost_ratio", "payback_months",
            "break_even_share", "p_net_benefit_positive")  # fmt: skip


def _headline_value(key: str, value: float, lang: str) -> str:
    if key == "payback_months":
        return t("not_reached", lang) if math.isnan(value) else number(value, lang, 1)
    if key == "benefit_cost_ratio":
        return cell(value, "ratio", lang)
    if key in ("break_even_share", "p_net_benefit_positive"):
        return cell(value, "share", lang)
    return cell(value, "amount", lang) if math.isnan(value) else number(value, lang, 0)


@app.command(cls=Command, help="help.cmd.costs")
def costs(
    ctx: typer.Context,
    path: PathArg,
    draws: Annotated[int, typer.Option(help="help.draws", metavar="meta.number", min=0)] = 10000,
    seed: Annotated[int, typer.Option(help="help.seed", metavar="meta.number", min=0)] = 0,
    config: ConfigOpt = None,
    instrument: InstrumentOpt = None,
    scenario: ScenarioOpt = None,
    families: FamiliesOpt = None,
    ignore_column: IgnoreOpt = None,
    today: TodayOpt = None,
    allow_personal_data: PersonalOpt = False,
    domains: DomainsOpt = None,
    programme: ProgrammeOpt = None,
    municipality: MunicipalityOpt = None,
    lang: LangOpt = None,
    as_json: JsonOpt = False,
    show_all: AllOpt = False,
    debug: DebugOpt = False,
) -> None:
    from impactkit.costs import evaluate

    s = start(ctx, lang=lang, as_json=as_json, show_all=show_all, debug=debug)
    with s.running():
        ds = common(ctx.params).read(s.lang)
        with progress.step("costs"):
            result = evaluate(ds, scenario, draws=draws, seed=seed)
    if as_json:
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2, allow_nan=False))
        return
    print_read_notes(s.out, ds.notes, ds.warnings, lang=s.lang)
    if ds.selection is not None:
        s.out.print(
            t("selection_line", s.lang, selection=selection_text(ds.selection, s.lang)), highlight=False
        )
    h = result.headline
    rows = [
        [value_label(k, s.lang), _headline_value(k, float(h[k]), s.lang)]
        for k in HEADLINE
        if not (k == "p_net_benefit_positive" and math.isnan(h[k]))
    ]
    title = t("title.costs", s.lang, scenario=result.scenario.id, year=result.scenario.report_year)
    print_table(
        s.out,
        title,
        [Col("quantity", "", key=True), Col("amount", column_label("amount", s.lang), numeric=True)],
        rows,
    )
    payers = result.by_payer
    cols = [
        Col("label", column_label("label", s.lang), key=True),
        *(Col(c, column_label(c, s.lang), numeric=True) for c in ("invests", "saves", "net")),
    ]
    from impactkit.figures._labels import Labels
    from impactkit.i18n import Formatter

    words = Labels(
        Formatter(s.lang), scenario=result.scenario
    )  # the scenario's own words, else the catalogue's
    rows = [
        [
            str(r.label) if s.lang == "en" else words.payer(r.payer, str(r.label)),
            *(number(float(getattr(r, c)), s.lang, 0) for c in ("invests", "saves", "net")),
        ]
        for r in payers.itertuples(index=False)
    ]
    print_table(s.out, t("title.payers", s.lang), cols, rows, part_title=t("title.part", s.lang))
    s.out.print(t("notes", s.lang), style="bold", highlight=False)
    print_notes(s.out, result.notes, s.lang)
