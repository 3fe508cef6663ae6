"""``impactkit init``: draft the mapping file impactkit.toml for an export folder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from impactkit.cli._app import Command, app
from impactkit.cli._options import DebugOpt, JsonOpt, LangOpt
from impactkit.cli._session import start
from impactkit.cli._texts import column_label, t
from impactkit.errors import ParameterError


@app.command(cls=Command, help="help.cmd.init")
def init(
    ctx: typer.Context,
    export: Annotated[Path, typer.Argument(help="help.init.export", metavar="meta.path")],
    out: Annotated[Path | None, typer.Option(help="help.init.out", metavar="meta.folder")] = None,
    force: Annotated[bool, typer.Option("--force", help="help.init.force")] = False,
    instrument: Annotated[
        str | None, typer.Option(help="help.init.instrument", metavar="meta.instrument")
    ] = None,
    scenario: Annotated[
        Path | None,
        typer.Option(help="help.init.scenario", metavar="meta.file"),
    ] = None,
    lang: LangOpt = None,
    as_json: JsonOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Draft impactkit.toml from the headers and values the export holds, and list what it could not map."""
    from impactkit.io._draft import draft_config

    s = start(ctx, lang=lang, as_json=as_json, debug=debug)
    console = s.out
    if not export.exists():
        raise ParameterError(
            f"EXPORT must be an existing folder or file. Got {str(export)!r} instead.", parameter="export"
        )
    with s.running():
        draft = draft_config(export, instrument=instrument, scenario=scenario, lang=s.lang)
        folder = out if out is not None else (export if export.is_dir() else export.parent)
        folder.mkdir(parents=True, exist_ok=True)
        written = draft.save(folder, force=force)
    if as_json:
        payload = {
            "written": [str(p) for p in written],
            "tables": draft.tables,
            "instrument": draft.instrument,
            "guessed": draft.guessed,
            "unmapped": draft.unmapped.to_dict("records"),
            "text": draft.text,
        }
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    for name, where in draft.tables.items():
        console.print(f"{name:<16} {escape(where)}", highlight=False)
    console.print(f"{'instrument':<16} {escape(draft.instrument)}", highlight=False)
    for g in draft.guessed:
        console.print(f"[yellow]{escape(t('init.check', s.lang))}:[/] {escape(g)}", highlight=False)
    if len(draft.unmapped):
        table = Table(
            title=Text(t("init.unmapped", s.lang, n=len(draft.unmapped))),
            title_justify="left",
            header_style="bold",
        )
        for col in ("file", "column", "value", "what"):
            table.add_column(column_label(col, s.lang), overflow="fold")
        for rec in draft.unmapped.itertuples(index=False):
            table.add_row(*(Text(str(v)) for v in (rec.file, rec.column, rec.value, rec.hint)))
        console.print(table)
    for p in written:
        console.print(escape(t("init.written", s.lang, path=str(p))), highlight=False)
    console.print(escape(t("init.next", s.lang, command=f"impactkit validate {export}")), highlight=False)
