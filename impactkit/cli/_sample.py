"""``impactkit sample``: a realistic synthetic cohort, seeded."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from impactkit import progress
from impactkit.cli._app import Command, app
from impactkit.cli._options import DebugOpt, JsonOpt, LangOpt
from impactkit.cli._session import start


@app.command(cls=Command, help="help.cmd.sample")
def sample(
    ctx: typer.Context,
    families: Annotated[int, typer.Option(help="help.sample_families", min=1)] = 350,
    seed: Annotated[int, typer.Option(help="help.sample_seed", min=0)] = 20241,
    out: Annotated[Path, typer.Option(help="help.sample_out")] = Path("data/sample"),
    lang: LangOpt = None,
    as_json: JsonOpt = False,
    debug: DebugOpt = False,
) -> None:
    from impactkit import write_sample

    s = start(ctx, lang=lang, as_json=as_json, debug=debug)
    with s.running(), progress.step("sample"):
        written = write_sample(out, families, seed=seed)
    if as_json:
        typer.echo(json.dumps({"written": [str(p) for p in written]}, ensure_ascii=False, indent=2))
        return
    for p in written:
        s.out.print(str(p), markup=False, highlight=False, soft_wrap=True)
