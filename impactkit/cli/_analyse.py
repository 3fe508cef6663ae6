"""``impactkit analyse``: the main measures tables for one export (rich tables, JSON or Excel)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import pandas as pd
import typer
from rich.table import Table

from impactkit.cli._app import app, console
from impactkit.cli._errors import print_notes, reported, usage_error
from impactkit.i18n import catalogue, languages, text

_SHOW = {
    # the terminal shows the columns a reader needs first; --json and --xlsx carry every column
    "describe": ["domain", "wave", "n", "n_missing", "mean", "sd", "median", "share_sufficient"],
    "change": ["domain", "n", "mean_baseline", "mean_followup", "mean_diff", "ci_low", "ci_high",
               "p_adjusted", "cohen_dz", "share_improved", "share_worse"],
    "omnibus": ["domain", "n_complete", "friedman_p", "kendall_w", "anova_f", "p_gg", "gg_epsilon",
                "eta2_generalized"],
    "reliable_change": ["domain", "category", "n", "share"],
    "attrition": ["group", "wave", "n_families", "share_of_baseline", "n_lost", "status"],
}  # fmt: skip


def _jsonable(value: Any) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, np.generic):
        return _jsonable(value.item())
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return value


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """JSON-safe records with the table's own columns, full float precision (NaN and NA as null)."""
    return [{str(k): _jsonable(v) for k, v in rec.items()} for rec in pd.DataFrame(frame).to_dict("records")]


def _fmt(value: Any, column: str = "") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return "–"
    if isinstance(value, float) and (column.startswith("p_") or column.endswith("_p")):
        return "<0.001" if float(value) < 0.001 else f"{float(value):.3f}"
    if isinstance(value, float):
        if value != 0 and (abs(value) < 1e-3 or abs(value) >= 1e5):
            return f"{value:.2e}"
        return f"{value:.3f}"
    return str(value)


def _print(frame: pd.DataFrame, columns: list[str], title: str, labels: dict[str, str]) -> None:
    table = Table(title=title, header_style="bold", title_justify="left")
    cols = [c for c in columns if c in frame.columns]
    for col in cols:
        text = col in ("domain", "wave", "category", "group", "status")
        table.add_column(
            col,
            justify="left" if text else "right",
            no_wrap=not text,
            min_width=16 if col == "domain" else None,
        )
    for rec in pd.DataFrame(frame)[cols].itertuples(index=False):
        row = [labels.get(v, v) if c == "domain" else v for c, v in zip(cols, rec, strict=True)]
        table.add_row(*[_fmt(v, c) for c, v in zip(cols, row, strict=True)])
    console.print(table)


@app.command()
def analyse(
    path: Annotated[Path, typer.Argument(help="An assessments file or a folder like data/sample.")],
    baseline: Annotated[str | None, typer.Option(help="Baseline wave (default: the first).")] = None,
    followup: Annotated[str | None, typer.Option(help="Follow-up wave (default: the last).")] = None,
    adjust: Annotated[str, typer.Option(help="Multiple-testing adjustment: holm, bh or none.")] = "holm",
    lang: Annotated[str, typer.Option(help="Language of titles and domain labels: en or nl.")] = "en",
    as_json: Annotated[
        bool, typer.Option("--json", help="Print machine-readable JSON (same columns).")
    ] = False,
    xlsx: Annotated[Path | None, typer.Option(help="Also write the tables to this Excel file.")] = None,
    today: Annotated[
        str | None, typer.Option(help="Treat dates after this day as future (default: today).")
    ] = None,
    config: Annotated[
        Path | None, typer.Option(help="Mapping file (default: impactkit.toml in PATH).")
    ] = None,
) -> None:
    """Describe, paired change, omnibus tests, reliable change and attrition for one export."""

    from impactkit.io import read_dataset
    from impactkit.measures import (
        attrition,
        change,
        describe,
        omnibus,
        reliable_change,
        reliable_change_shares,
    )

    if lang not in languages():
        raise usage_error(
            ValueError(f"--lang must be one of {', '.join(languages())}. Got {lang!r} instead.")
        )
    with reported():
        ds = read_dataset(path, today=today, config=config, lang=lang)
    data, inst = ds.assessments, ds.instrument
    with reported():
        ch = change(data, baseline=baseline, followup=followup, adjust=adjust, instrument=inst)
        b, f = ch.meta["baseline"], ch.meta["followup"]
        tables = {
            "describe": describe(data, instrument=inst),
            "change": ch,
            "omnibus": omnibus(data, instrument=inst),
            "reliable_change": reliable_change_shares(
                reliable_change(data, baseline=b, followup=f, instrument=inst)
            ),
            "attrition": attrition(data, ds.families, instrument=inst).flow,
        }
    if xlsx is not None:
        from impactkit.excel import Sheet, SheetTable, write_workbook

        with reported():
            write_workbook(
                [Sheet(name, [SheetTable(pd.DataFrame(frame))]) for name, frame in tables.items()], xlsx
            )
    if as_json:
        payload = {
            "instrument": inst.id,
            "baseline": b,
            "followup": f,
            "adjust": adjust,
            "tables": {name: _records(frame) for name, frame in tables.items()},
            "notes": {name: list(getattr(frame, "notes", [])) for name, frame in tables.items()},
        }
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2, allow_nan=False))
        return
    print_notes(ds.notes, ds.warnings)
    titles = {
        k.removeprefix("title."): t for k, t in catalogue(lang, "cli").items() if k.startswith("title.")
    }
    labels = {d.id: d.label(lang) for d in inst.domains}
    waves = {w.id: w.label(lang) for w in inst.waves}
    for name, frame in tables.items():
        title = titles[name].format(b=waves.get(b, b), f=waves.get(f, f))
        _print(frame, _SHOW[name], title, labels)
        for note in getattr(frame, "notes", []):
            console.print(f"  [dim]- {note}[/]", highlight=False)
    if not as_json and xlsx is None:
        console.print(f"[dim]{text('cli', 'hint_all_columns', lang)}[/]", highlight=False)
    if xlsx is not None:
        console.print(text("cli", "written", lang, path=str(xlsx)), highlight=False)
