"""``impactkit report``: the annual impact report or the municipal business case as one HTML file."""

from __future__ import annotations

import dataclasses
import json
import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from impactkit import progress
from impactkit.cli._app import Command, app
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
from impactkit.errors import ParameterError


class Kind(StrEnum):
    annual = "annual"
    business_case = "business-case"
    casework = "casework"


_OUT = "panel.output"


@app.command(cls=Command, help="help.cmd.report")
def report(
    ctx: typer.Context,
    path: PathArg,
    *,
    kind: Annotated[Kind, typer.Option(help="help.kind", metavar="meta.kind")] = Kind.annual,
    k: Annotated[int | None, typer.Option("--k", help="help.report_k", metavar="meta.number")] = None,
    seed: Annotated[int | None, typer.Option(help="help.report_seed", metavar="meta.number", min=0)] = None,
    draws: Annotated[int | None, typer.Option(help="help.report_draws", metavar="meta.number", min=0)] = None,
    family: Annotated[
        list[str] | None, typer.Option("--family", help="help.family", metavar="meta.name")
    ] = None,
    key_file: Annotated[Path | None, typer.Option(help="help.casework_key_file", metavar="meta.file")] = None,
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
    out: Annotated[Path, typer.Option("--out", help="help.out", metavar="meta.file", rich_help_panel=_OUT)],
    xlsx: Annotated[
        Path | None, typer.Option(help="help.report_xlsx", metavar="meta.file", rich_help_panel=_OUT)
    ] = None,
    pdf: Annotated[bool, typer.Option("--pdf", help="help.pdf", rich_help_panel=_OUT)] = False,
    templates: Annotated[
        Path | None, typer.Option(help="help.templates", metavar="meta.folder", rich_help_panel=_OUT)
    ] = None,
    generated_at: Annotated[
        str | None, typer.Option(help="help.generated_at", metavar="meta.date", rich_help_panel=_OUT)
    ] = None,
    lang: LangOpt = None,
    as_json: JsonOpt = False,
    show_all: AllOpt = False,
    debug: DebugOpt = False,
) -> None:
    from impactkit._write import check_outputs
    from impactkit.report import build_report

    s = start(ctx, lang=lang, as_json=as_json, show_all=show_all, debug=debug)
    started = time.perf_counter()
    with s.running():
        if kind is Kind.casework and xlsx is not None:
            raise ParameterError(
                "impactkit report --kind casework writes no spreadsheet (--xlsx): its tables are one family's "
                "data. Leave --xlsx out; --pdf prints the view for the conversation with the family.",
                parameter="xlsx",
            )
        check_outputs(
            [("--out", out), ("--xlsx", xlsx), ("--pdf", out.with_suffix(".pdf") if pdf else None)],
            [("PATH", path), ("--families", families), ("--scenario", scenario), ("--templates", templates),
             ("--config", config), ("--key-file", key_file)],
            func="impactkit report",
        )  # fmt: skip
        opts = common(ctx.params)
        # the selection goes to build_report, which checks it against the release of the whole export
        ds = dataclasses.replace(opts, programme=(), municipality=(), domains=()).read(s.lang)
        rep = build_report(
            ds,
            municipality=list(opts.municipality) or None,
            programme=list(opts.programme) or None,
            domains=list(opts.domains) or None,
            kind=kind.value,
            lang=s.lang,
            scenario=scenario,
            seed=seed,
            draws=draws,
            k=k,
            generated_at=generated_at,
            templates=templates,
            family=family or None,
            key_file=key_file,
        )
        written = {"html": str(rep.save(out))}
        if xlsx is not None:
            with progress.step("excel"):
                written["xlsx"] = str(rep.to_excel(xlsx))
        if pdf:
            written["pdf"] = str(rep.to_pdf(out.with_suffix(".pdf")))
    rep_selection = getattr(rep, "selection", None)
    if as_json:
        info = {
            **written,
            "kind": kind.value,
            "lang": s.lang,
            "selection": rep_selection.describe() if rep_selection else None,
            "bytes": len(rep.html.encode("utf-8")),
            "charts": rep.n_charts,
            "seconds": round(time.perf_counter() - started, 2),
        }
        typer.echo(json.dumps(info, ensure_ascii=False, indent=2))
    else:
        print_read_notes(s.err, ds.notes, ds.warnings, lang=s.lang)
        for p in written.values():
            s.out.print(p, markup=False, highlight=False, soft_wrap=True)
