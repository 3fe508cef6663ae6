"""``impactkit analyse``: the main measures tables for one export (terminal tables, JSON or Excel)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import numpy as np
import typer

from impactkit import progress
from impactkit.cli._app import Command, app
from impactkit.cli._layout import Col, print_notes, print_table
from impactkit.cli._numbers import cell
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
from impactkit.cli._session import Session, start
from impactkit.cli._texts import column_label, selection_text, t, value_label
from impactkit.i18n import note_text

if TYPE_CHECKING:
    import pandas as pd

SHOW = {
    # the terminal shows the columns a reader needs first; --json and --xlsx carry every column
    "describe": ["domain", "wave", "n", "n_missing", "mean", "sd", "median", "share_sufficient"],
    "change": ["domain", "n", "mean_baseline", "mean_followup", "mean_diff", "ci_low", "ci_high",
               "p_adjusted", "cohen_dz", "share_improved", "share_worse"],
    "omnibus": ["domain", "n_complete", "friedman_p", "kendall_w", "anova_f", "p_gg", "gg_epsilon",
                "eta2_generalized"],
    "reliable_change": ["domain", "category", "n", "share"],
    # the chance level is the same in both directions: shown once; a note names descriptive rows
    # (--json and --xlsx carry chance_deteriorated and status)
    "reliable_summary": ["domain", "n", "share_improved", "share_deteriorated", "chance_improved"],
    "attrition": ["group", "wave", "n_families", "share_of_baseline", "n_lost", "status"],
}  # fmt: skip
# below min_pairs complete pairs a domain is described, not tested: its own view of the change table
DESCRIBED = ["domain", "n", "median_diff", "n_improved", "n_worse", "sign_test_p"]  # + wilcoxon_p in --json
TEXT_COLUMNS = {"domain", "wave", "category", "group", "status", "baseline", "followup"}
KEYS = {"domain", "wave", "group", "category"}


def _jsonable(value: Any) -> Any:
    import pandas as pd  # here, not at the top: `impactkit --help` stays free of pandas

    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        return _jsonable(value.item())
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return value


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """JSON-safe records with the table's own columns, full float precision (NaN, NA and ±inf as null)."""
    import pandas as pd

    return [{str(k): _jsonable(v) for k, v in rec.items()} for rec in pd.DataFrame(frame).to_dict("records")]


def _show(
    s: Session,
    name: str,
    frame: pd.DataFrame,
    title: str,
    labels: dict[str, dict[str, str]],
    columns: list[str] | None = None,
    notes: bool = True,
) -> None:
    import pandas as pd

    cols_present = [c for c in (columns or SHOW[name]) if c in frame.columns]
    cols = [
        Col(c, column_label(c, s.lang), numeric=c not in TEXT_COLUMNS, key=c in KEYS) for c in cols_present
    ]
    rows = []
    for rec in pd.DataFrame(frame)[cols_present].itertuples(index=False):
        row = []
        for c, v in zip(cols_present, rec, strict=True):
            if c in labels:
                row.append(labels[c].get(str(v), str(v)))
            elif c in ("category", "group", "status") and isinstance(v, str):
                row.append(value_label(v, s.lang))
            else:
                row.append(cell(v, c, s.lang))
        rows.append(row)
    print_table(s.out, title, cols, rows, part_title=t("title.part", s.lang))
    if notes:
        print_notes(s.out, list(getattr(frame, "notes", [])), s.lang)


@app.command(cls=Command, help="help.cmd.analyse")
def analyse(
    ctx: typer.Context,
    path: PathArg,
    baseline: Annotated[str | None, typer.Option(help="help.baseline", metavar="meta.wave")] = None,
    followup: Annotated[str | None, typer.Option(help="help.followup", metavar="meta.wave")] = None,
    adjust: Annotated[str, typer.Option(help="help.adjust", metavar="meta.adjust")] = "holm",
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
    xlsx: Annotated[
        Path | None, typer.Option(help="help.xlsx", metavar="meta.file", rich_help_panel="panel.output")
    ] = None,
    lang: LangOpt = None,
    as_json: JsonOpt = False,
    show_all: AllOpt = False,
    debug: DebugOpt = False,
) -> None:
    import impactkit as ik

    s = start(ctx, lang=lang, as_json=as_json, show_all=show_all, debug=debug)
    with s.running():
        ds = common(ctx.params).read(s.lang)
        if scenario is not None:
            ik.costs.Scenario.from_file(scenario)  # not used here, but a broken file is said at once
        data, inst = ds.assessments, ds.instrument
        with progress.step("change"):
            ch = ik.change(data, baseline=baseline, followup=followup, adjust=adjust, instrument=inst)
        b, f = ch.meta["baseline"], ch.meta["followup"]
        with progress.step("describe"):
            desc = ik.describe(data, instrument=inst)
        with progress.step("omnibus"):
            omni = ik.omnibus(data, instrument=inst)
        with progress.step("reliable_change"):
            rci = ik.reliable_change(data, baseline=b, followup=f, instrument=inst)
            rc = ik.measures.reliable_change_shares(rci)
            # improved and deteriorated against chance, with the same status as the Python result
            rsum = ik.measures.reliable_change_summary(rci)
        with progress.step("attrition"):
            flow = ik.attrition(data, ds.families, instrument=inst).flow
        tables = {
            "describe": desc,
            "change": ch,
            "omnibus": omni,
            "reliable_change": rc,
            "reliable_summary": rsum,
            "attrition": flow,
        }
        if xlsx is not None:
            import pandas as pd

            from impactkit.excel import Sheet, SheetTable, write_workbook

            with progress.step("excel"):
                write_workbook(
                    [Sheet(name, [SheetTable(pd.DataFrame(frame))]) for name, frame in tables.items()], xlsx
                )
    if as_json:
        payload = {
            "instrument": inst.id,
            "baseline": b,
            "followup": f,
            "adjust": adjust,
            "selection": ds.selection.describe() if ds.selection else None,
            "tables": {name: _records(frame) for name, frame in tables.items()},
            "notes": {
                name: [note_text(n, s.lang) for n in getattr(frame, "notes", [])]
                for name, frame in tables.items()
            },
        }
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2, allow_nan=False))
        return
    labels = {
        "domain": {d.id: d.label(s.lang) for d in inst.domains}
        | {"at_least_one_domain": t("any_domain", s.lang)},
        "wave": {w.id: w.label(s.lang) for w in inst.waves},
    }
    waves = labels["wave"]
    print_read_notes(s.out, ds.notes, ds.warnings, lang=s.lang)
    if ds.selection is not None:
        s.out.print(
            t("selection_line", s.lang, selection=selection_text(ds.selection, s.lang)), highlight=False
        )
    for name, frame in tables.items():
        title = (
            t(f"title.{name}", s.lang, b=waves.get(b, b), f=waves.get(f, f))
            if name in ("change", "reliable_change", "reliable_summary")
            else t(f"title.{name}", s.lang)
        )
        if name == "change":  # tested rows, then the rows described below min_pairs (same status)
            described = frame["status"].astype(str).str.startswith("descriptive")
            if (~described).any():
                _show(s, name, frame[~described], title, labels, notes=False)
            if described.any():
                title_d = t("title.change_described", s.lang, b=waves.get(b, b), f=waves.get(f, f))
                _show(s, name, frame[described], title_d, labels, columns=DESCRIBED, notes=False)
            print_notes(s.out, list(getattr(frame, "notes", [])), s.lang)  # the notes of the whole table
        else:
            _show(s, name, frame, title, labels)
        s.out.print()
    if xlsx is None:
        s.out.print(t("hint_all_columns", s.lang), style="dim", highlight=False)
    else:
        s.out.print(t("written", s.lang, path=str(xlsx)), highlight=False)
