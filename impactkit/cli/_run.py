"""``impactkit run``: the whole release the mapping file's ``[run]`` section describes, in one folder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from impactkit.cli._app import Command, app, console
from impactkit.cli._errors import reported


@app.command("run", cls=Command, help="help.cmd.run")
def run_command(
    config: Annotated[Path, typer.Argument(help="help.run.config", metavar="meta.file")],
    period: Annotated[
        str | None,
        typer.Option(help="help.run.period", metavar="meta.period"),
    ] = None,
    families: Annotated[
        str | None,
        typer.Option(help="help.run.families", metavar="active|intake|measured"),
    ] = None,
    waves: Annotated[
        str | None,
        typer.Option(help="help.run.waves", metavar="until_end|in_period|all"),
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", help="help.run.out", metavar="meta.folder")] = None,
    previous: Annotated[Path | None, typer.Option(help="help.run.previous", metavar="meta.folder")] = None,
    lang: Annotated[
        list[str] | None, typer.Option("--lang", help="help.run.lang", metavar="meta.lang")
    ] = None,
    output: Annotated[
        list[str] | None,
        typer.Option("--output", help="help.run.output", metavar="html|xlsx|pdf"),
    ] = None,
    k: Annotated[int | None, typer.Option("--k", help="help.run.k", metavar="meta.number")] = None,
    draws: Annotated[int | None, typer.Option(help="help.run.draws", metavar="meta.number", min=0)] = None,
    generated_at: Annotated[
        str | None, typer.Option(help="help.run.generated_at", metavar="meta.date")
    ] = None,
    replace: Annotated[bool, typer.Option("--replace", help="help.run.replace")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="help.run.json")] = False,
) -> None:
    """Render the funder report and every municipal and programme report disclosure control
    allows, in every language, with Excel, PDF, the manifest and its suppression audit."""
    from impactkit.run import run

    overrides: dict[str, Any] = {
        "period": int(period) if period is not None and period.isdigit() else period,
        "families": families,
        "waves": waves,
        # a path given on the command line is relative to the working folder, not to the mapping file
        "previous": str(previous.resolve()) if previous is not None else None,
        "languages": list(lang) if lang else None,
        "outputs": list(output) if output else None,
        "k": k,
        "draws": draws,
        "generated_at": generated_at,
    }
    with reported():
        result = run(config, out=out, replace=replace, **overrides)
    summary = release_summary(result.manifest)
    if as_json:
        typer.echo(json.dumps(summary, ensure_ascii=False, indent=2))
        return
    lang0 = result.manifest["options"]["languages"][0]
    for line in summary_lines(result, lang0):
        console.print(line, highlight=False, soft_wrap=False)


def release_summary(m: dict[str, Any]) -> dict[str, Any]:
    """The manifest's summary: period, counts, reports published and withheld, audit, files."""
    sup = m["suppression"]
    return {
        "period": {k: m["period"][k] for k in ("label", "start", "end", "families", "waves")},
        "families": m["families"],
        "published": [f"{r['kind']} {r['name']}".strip() for r in m["reports"] if r["published"]],
        "withheld": {
            f"{r['kind']} {r['name']}".strip(): r["reason"] for r in m["reports"] if not r["published"]
        },
        "hidden_populations": len(sup["populations"]),
        "hidden_cells": len(sup["hidden_cells"]),
        "audit_ok": sup["audit_ok"],
        "outputs": [o["file"] for o in m["outputs"]],
        "comparison": m.get("comparison"),
    }


def summary_lines(result: Any, lang: str) -> list[str]:
    from impactkit.i18n import Formatter, text

    fmt = Formatter(lang)
    m = result.manifest
    t = lambda key, **v: text("run", key, lang, **v)  # noqa: E731 - a short local alias
    lines = [
        f"[bold]{escape(t('m_title', label=m['period']['label']))}[/]",
        escape(m["period"]["definition"][lang]),
    ]
    ex = result.exact_exclusions
    for r in ex.to_dict("records"):
        what = t("period_table." + r["table"]) + ": " + t("period_reason." + r["reason"])
        detail = f" ({r['detail']})" if r["detail"] else ""
        if r["table"] == "programme_costs":
            count = fmt.currency(float(r["amount"]))
        else:  # exact counts, for whoever runs the release (the manifest prints none under k)
            count = t(
                "cli_rows_families",
                rows=fmt.integer(int(r["rows"])),
                families=fmt.integer(int(r["families"])),
            )
        action = t("period_action." + r["action"])
        lines.append(f"  [dim]{escape(action)}[/] {escape(what + detail)}: {count}")
    lines.append(f"[bold]{escape(t('m_sec_reports'))}[/]")
    for r in m["reports"]:
        name = f"{t('m_scope.' + r['kind'])} {r['name']}".strip()
        if r["published"]:
            lines.append(f"  [green]✓[/] {escape(name)} ({r['families']})")
        else:
            lines.append(f"  [yellow]–[/] {escape(name)}: {escape(r['reason_text'][lang])}")
    sup = m["suppression"]
    lines.append(
        escape(t("cli_audit", n_pop=str(len(sup["populations"])), n_cells=str(len(sup["hidden_cells"])),
                 ok=t("m_audit_ok") if sup["audit_ok"] else t("m_audit_exposed", what="; ".join(sup["exposed"]))))
    )  # fmt: skip
    lines.append(
        escape(
            t("cli_written", n=str(len(result.files)), folder=str(result.folder), seconds=str(result.seconds))
        )
    )
    return lines
