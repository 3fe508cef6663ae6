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
from impactkit.errors import ParameterError


@app.command(cls=Command)
def init(
    ctx: typer.Context,
    export: Annotated[Path, typer.Argument(help="The export folder (or its assessments file).")],
    out: Annotated[
        Path | None, typer.Option(help="Folder to write impactkit.toml to (default: the export folder).")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing impactkit.toml.")] = False,
    instrument: Annotated[
        str | None, typer.Option(help="Use this instrument (shipped name or file) instead of choosing one.")
    ] = None,
    scenario: Annotated[
        Path | None,
        typer.Option(help="Match care paths and care types to this scenario (default: the folder's)."),
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
        draft = draft_config(export, instrument=instrument, scenario=scenario)
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
        console.print(f"[yellow]check:[/] {escape(g)}", highlight=False)
    if len(draft.unmapped):
        table = Table(
            title=Text(f"{len(draft.unmapped)} thing(s) not mapped (TODO in the draft)"),
            title_justify="left",
            header_style="bold",
        )
        for col in ("file", "column", "value", "what to do"):
            table.add_column(col, overflow="fold")
        for rec in draft.unmapped.itertuples(index=False):
            table.add_row(*(Text(str(v)) for v in (rec.file, rec.column, rec.value, rec.hint)))
        console.print(table)
    for p in written:
        console.print(f"written: {escape(str(p))}", highlight=False)
    console.print(f"next: impactkit validate {escape(str(export))}", highlight=False)
