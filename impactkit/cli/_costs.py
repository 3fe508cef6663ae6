"""``impactkit costs``: avoided cost per payer and year, with uncertainty, for one export."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from impactkit.cli._app import app, console
from impactkit.cli._errors import reported


@app.command()
def costs(
    path: Annotated[
        Path, typer.Argument(help="A folder like data/sample (assessments, families, counterfactuals, ...).")
    ],
    scenario: Annotated[
        Path | None,
        typer.Option(help="Scenario TOML (default: scenario.toml in PATH, else the illustrative Dutch one)."),
    ] = None,
    draws: Annotated[int, typer.Option(help="PSA draws (0 skips the PSA).", min=0)] = 10000,
    seed: Annotated[int, typer.Option(help="Seed of the PSA (same seed, same output).", min=0)] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
    config: Annotated[
        Path | None, typer.Option(help="Mapping file (default: impactkit.toml in PATH).")
    ] = None,
    today: Annotated[
        str | None, typer.Option(help="Treat dates after this day as future (default: today).")
    ] = None,
) -> None:
    """Gross avoided cost, programme cost, net benefit, payback and P(saving), per payer and per year."""

    from impactkit.costs import evaluate
    from impactkit.io import read_dataset

    with reported():
        ds = read_dataset(path, config=config, today=today, scenario=scenario)
        result = evaluate(ds, scenario, draws=draws, seed=seed)
    if as_json:
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2, allow_nan=False))
    else:
        console.print(result.summary(), markup=False, highlight=False, soft_wrap=True)
