"""``impactkit validate``: every problem of an export, or what a valid export holds."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from impactkit.cli._app import EXIT_INVALID, EXIT_OK, Command, app
from impactkit.cli._layout import Col, print_table
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
from impactkit.cli._problems import print_problems, print_read_notes, stream_problems_json
from impactkit.cli._session import Session, start
from impactkit.cli._texts import column_label, selection_text, t
from impactkit.errors import ImpactkitError

if TYPE_CHECKING:
    from impactkit.io import Dataset, ValidationReport


@app.command(cls=Command, help="help.cmd.validate")
def validate(
    ctx: typer.Context,
    path: PathArg,
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
    pseudonymise: Annotated[
        Path | None,
        typer.Option(help="help.pseudonymise", metavar="meta.folder", rich_help_panel="panel.output"),
    ] = None,
    key_file: Annotated[
        Path | None, typer.Option(help="help.key_file", metavar="meta.file", rich_help_panel="panel.output")
    ] = None,
    lang: LangOpt = None,
    as_json: JsonOpt = False,
    show_all: AllOpt = False,
    debug: DebugOpt = False,
) -> None:
    s = start(ctx, lang=lang, as_json=as_json, show_all=show_all, debug=debug)
    opts = common(ctx.params)
    with s.running():
        report = opts.validate(s.lang)
    if as_json:
        head = report.to_dict()
        del head["problems"]  # streamed below, with their summary
        stream_problems_json(report.problems, head)
    else:
        print_read_notes(s.out, report.notes, report.warnings, lang=s.lang)
        if report.valid:
            _print_valid(s, report)
        else:
            print_problems(s.out, report.problems, lang=s.lang, show_all=show_all)
            footer = t(
                "invalid_footer",
                s.lang,
                n=cell(len(report.problems), "n", s.lang),
                missing=report.missing_scores,
            )
            s.out.print(footer, style="bold red", highlight=False)
    if pseudonymise is not None and report.valid:
        with s.running():
            written = _write_pseudonymised(
                _valid_dataset(report),
                pseudonymise,
                key_file,
                [("PATH", path), ("--families", families), ("--key-file", key_file), ("--config", config)],
            )
        if not as_json:
            readme = next(p for p in written if p.name == "README.txt")
            s.out.print(readme.read_text(encoding="utf-8"), markup=False, highlight=False, soft_wrap=True)
            s.out.print(t("pseudonymised", s.lang, files=", ".join(str(p) for p in written)), highlight=False)
    raise typer.Exit(EXIT_OK if report.valid else EXIT_INVALID)


def _print_valid(s: Session, report: ValidationReport) -> None:
    ds = _valid_dataset(report)
    s.out.print(
        t(
            "valid_line",
            s.lang,
            rows=cell(int(report.n_rows), "n", s.lang),
            families=cell(ds.n_families, "n", s.lang),
            instrument=ds.instrument.id,
            missing=cell(int(report.missing_scores), "n", s.lang),
        ),
        highlight=False,
    )
    if ds.selection is not None:
        s.out.print(
            t("selection_line", s.lang, selection=selection_text(ds.selection, s.lang)), highlight=False
        )
    summary = ds.summary()
    waves = {w.id: w.label(s.lang) for w in ds.instrument.waves}
    cols = [Col(c, column_label(c, s.lang), numeric=c != "wave", key=c == "wave") for c in summary.columns]
    rows = [
        [
            waves.get(str(v), str(v)) if c == "wave" else cell(v, c, s.lang)
            for c, v in zip(summary.columns, rec, strict=True)
        ]
        for rec in summary.itertuples(index=False)
    ]
    print_table(s.out, t("title.summary", s.lang), cols, rows, part_title=t("title.part", s.lang))


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
