"""``impactkit report``: the annual impact report or the municipal business case as one HTML file."""

from __future__ import annotations

import json
import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from impactkit.cli._app import app, console
from impactkit.cli._errors import reported


class Kind(StrEnum):
    annual = "annual"
    business_case = "business-case"
    casework = "casework"


@app.command()
def report(
    path: Annotated[Path, typer.Argument(help="An assessments file, or a folder like data/sample.")],
    out: Annotated[Path, typer.Option("--out", help="The HTML file to write.")],
    kind: Annotated[
        Kind,
        typer.Option(
            help="annual (for funders), business-case (for a municipality) or casework (the coordinator's "
            "confidential family view; never published)."
        ),
    ] = (Kind.annual),
    lang: Annotated[
        str, typer.Option(help="Report language: en, nl or any language with catalogues in impactkit/locale.")
    ] = "en",
    families: Annotated[
        Path | None, typer.Option(help="Families table, when PATH is one assessments file.")
    ] = None,
    scenario: Annotated[
        Path | None, typer.Option(help="Cost scenario TOML (default: PATH's, else the shipped one).")
    ] = (None),
    xlsx: Annotated[
        Path | None, typer.Option(help="Also write the report's tables to this Excel file.")
    ] = None,
    pdf: Annotated[
        bool, typer.Option("--pdf", help="Also print an A4 PDF next to --out (needs chromium).")
    ] = False,
    templates: Annotated[
        Path | None, typer.Option(help="Folder of templates that replace the shipped ones.")
    ] = None,
    municipality: Annotated[
        str | None, typer.Option(help="Only the families (and programme costs) of this municipality.")
    ] = None,
    k: Annotated[
        int | None,
        typer.Option("--k", help="Smallest number of families a published figure may rest on [default: 10]."),
    ] = None,
    seed: Annotated[
        int | None, typer.Option(help="Seed of the sensitivity analysis [default: 0].", min=0)
    ] = None,
    draws: Annotated[
        int | None, typer.Option(help="Draws of the sensitivity analysis [default: 10000].", min=0)
    ] = None,
    family: Annotated[
        list[str] | None,
        typer.Option(
            "--family", help="casework: a family to show (repeat for more; the page shows pseudonyms)."
        ),
    ] = None,
    key_file: Annotated[
        Path | None,
        typer.Option(help="casework: the pseudonym key file (default: $IMPACTKIT_PSEUDONYM_KEY)."),
    ] = None,
    generated_at: Annotated[
        str | None, typer.Option(help="Date printed on the report (ISO; fixes the output).")
    ] = (None),
    as_json: Annotated[bool, typer.Option("--json", help="Print what was written as JSON.")] = False,
    config: Annotated[
        Path | None, typer.Option(help="Mapping file (default: impactkit.toml in PATH).")
    ] = None,
    today: Annotated[
        str | None, typer.Option(help="Treat dates after this day as future (default: today).")
    ] = None,
) -> None:
    """Write a self-contained HTML report (offline, Dutch or English, small cells suppressed)."""

    from impactkit._write import check_outputs
    from impactkit.report import build_report

    started = time.perf_counter()
    with reported():
        if kind is Kind.casework and xlsx is not None:
            from impactkit.errors import ParameterError

            raise ParameterError(
                "impactkit report --kind casework writes no spreadsheet (--xlsx): its tables are one family's "
                "data. Leave --xlsx out; --pdf prints the view for the conversation with the family."
            )
        check_outputs(
            [("--out", out), ("--xlsx", xlsx), ("--pdf", out.with_suffix(".pdf") if pdf else None)],
            [("PATH", path), ("--families", families), ("--scenario", scenario), ("--templates", templates),
             ("--key-file", key_file)],
            func="impactkit report",
        )  # fmt: skip
        rep = build_report(
            path,
            kind=kind.value,
            lang=lang,
            scenario=scenario,
            seed=seed,
            draws=draws,
            k=k,
            generated_at=generated_at,
            templates=templates,
            families=families,
            municipality=municipality,
            config=config,
            today=today,
            family=family or None,
            key_file=key_file,
        )
        written = {"html": str(rep.save(out))}
        if xlsx is not None:
            written["xlsx"] = str(rep.to_excel(xlsx))
        if pdf:
            written["pdf"] = str(rep.to_pdf(out.with_suffix(".pdf")))
    if as_json:
        info = {
            **written,
            "kind": kind.value,
            "lang": lang,
            "bytes": len(rep.html.encode("utf-8")),
            "charts": rep.n_charts,
            "seconds": round(time.perf_counter() - started, 2),
        }
        typer.echo(json.dumps(info, ensure_ascii=False, indent=2))
    else:
        for p in written.values():
            console.print(p, markup=False, highlight=False, soft_wrap=True)
