"""``impactkit validate`` and ``impactkit sample``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from impactkit.cli._app import EXIT_INVALID, EXIT_OK, app, console
from impactkit.cli._errors import print_notes, print_problems, reported, usage_error
from impactkit.errors import ImpactkitError

if TYPE_CHECKING:
    from impactkit.io import Dataset, ValidationReport


@app.command()
def validate(
    path: Annotated[
        Path, typer.Argument(help="An assessments file (CSV, Excel, Parquet) or a folder like data/sample.")
    ],
    families: Annotated[Path | None, typer.Option(help="The families table, if not in the folder.")] = None,
    instrument: Annotated[
        str | None, typer.Option(help="Instrument file (.toml/.yaml) or shipped name.")
    ] = None,
    lang: Annotated[str, typer.Option(help="Language of the messages: nl or en.")] = "en",
    as_json: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
    pseudonymise: Annotated[
        Path | None,
        typer.Option(
            help="Write a pseudonymised copy to this folder: keyed ids (HMAC-SHA256, key from "
            "$IMPACTKIT_PSEUDONYM_KEY), free text dropped, dates coarsened to the month."
        ),
    ] = None,
    key_file: Annotated[
        Path | None, typer.Option(help="Pseudonymisation key file (else the environment variable).")
    ] = None,
    today: Annotated[
        str | None, typer.Option(help="Treat dates after this day as future (default: today).")
    ] = None,
    config: Annotated[
        Path | None, typer.Option(help="Mapping file (default: impactkit.toml in PATH).")
    ] = None,
    scenario: Annotated[
        Path | None,
        typer.Option(
            help="Cost scenario to check the tables against (default: PATH's, else the shipped one)."
        ),
    ] = None,
) -> None:
    """Check an export against the data contract and list every problem (exit 1 when invalid).

    This is the contract of every command: what analyse, costs or report would reject is reported
    here first, with file, row and column.
    """
    import impactkit as ik

    if lang not in ("nl", "en"):
        raise usage_error(ValueError(f"--lang must be nl or en. Got {lang!r} instead."))
    with reported():
        report = ik.validate(
            path,
            families=families,
            instrument=instrument,
            lang=lang,
            today=today,
            config=config,
            scenario=scenario,
        )
    if not as_json:
        print_notes(report.notes, report.warnings)
    if as_json:
        console.print_json(json.dumps(report.to_dict(), ensure_ascii=False))
    elif report.valid:
        ds = _valid_dataset(report)
        console.print(
            f"[bold]valid[/]: {report.n_rows} rows, {ds.n_families} families, instrument {ds.instrument.id}, "
            f"{report.missing_scores} missing scores (kept as missing, never imputed)"
        )
        console.print(ds.summary().to_string(index=False))
    else:
        print_problems(report.problems, title=f"{len(report.problems)} problem(s)")
        console.print(
            f"[bold red]invalid[/]: {len(report.problems)} problem(s); nothing was analysed. "
            f"Also {report.missing_scores} missing score(s): allowed, kept as missing, never imputed."
        )
    if pseudonymise is not None and report.valid:
        ds = _valid_dataset(report)
        with reported():
            written = _write_pseudonymised(
                ds,
                pseudonymise,
                key_file,
                [("PATH", path), ("--families", families), ("--key-file", key_file)],
            )
        if not as_json:
            readme = next(p for p in written if p.name == "README.txt")
            console.print(readme.read_text(encoding="utf-8"), markup=False, highlight=False, soft_wrap=True)
            console.print(f"pseudonymised copy: {', '.join(str(p) for p in written)}")
    raise typer.Exit(EXIT_OK if report.valid else EXIT_INVALID)


def _valid_dataset(report: ValidationReport) -> Dataset:
    """The dataset of a valid report (validate attaches it whenever there are no problems)."""
    if report.dataset is None:
        raise ImpactkitError("validate returned a valid report without its dataset (a bug in impactkit).")
    return report.dataset


def _write_pseudonymised(
    ds: Dataset, out: Path, key_file: Path | None, inputs: list[tuple[str, Path | None]]
) -> list[Path]:
    """Write the copy (refused when it would overwrite an input); its README says what was done."""
    from impactkit.pseudonym import write_pseudonymised

    return write_pseudonymised(ds, out, key_file=key_file, inputs=inputs)


@app.command()
def sample(
    families: Annotated[int, typer.Option(help="Number of families.")] = 350,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same files).")] = 20241,
    out: Annotated[Path, typer.Option(help="Folder to write.")] = Path("data/sample"),
) -> None:
    """Write a realistic synthetic cohort (seeded; reruns reproduce the files byte for byte)."""
    from impactkit._sample import write_sample

    with reported():
        written = write_sample(out, families, seed=seed)
    for p in written:
        console.print(str(p))
