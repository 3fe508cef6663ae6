"""``impactkit business-case``: the municipal business case as a page you can change and a live workbook.

With a data folder the need per family comes from the families' own judgements, intake rules and
care used (``ik.costs.business_case(data=...)``); without one from the scenario's prevalences.
The command adds nothing the library lacks: it is ``business_case`` then ``build_report``.
"""

from __future__ import annotations

import json
import textwrap
import time
from pathlib import Path
from typing import Annotated, Any

import typer

from impactkit.cli._app import Command, app, console
from impactkit.cli._errors import reported
from impactkit.cli._options import LangOpt
from impactkit.cli._texts import lang_from
from impactkit.i18n import text


def _t(lang: str, key: str, **values: Any) -> str:
    return text("cli", key, lang, **values)


@app.command("business-case", cls=Command, help="help.cmd.business_case")
def business_case(
    ctx: typer.Context,
    path: Annotated[
        Path | None,
        typer.Argument(help="help.bc.path", metavar="meta.path"),
    ] = None,
    out: Annotated[Path, typer.Option("--out", help="help.bc.out", metavar="meta.file")] = Path(
        "business_case.html"
    ),
    xlsx: Annotated[
        Path | None,
        typer.Option(help="help.bc.xlsx", metavar="meta.file"),
    ] = None,
    families_per_year: Annotated[
        float | None,
        typer.Option(help="help.bc.families_per_year", metavar="meta.number"),
    ] = None,
    coordinator_fte: Annotated[
        float | None, typer.Option(help="help.bc.coordinator_fte", metavar="meta.number")
    ] = None,
    years: Annotated[int, typer.Option(help="help.bc.years", metavar="meta.number", min=1, max=100)] = 3,
    start_year: Annotated[
        int | None,
        typer.Option(help="help.bc.start_year", metavar="meta.number"),
    ] = None,
    programme: Annotated[str | None, typer.Option(help="help.bc.programme", metavar="meta.name")] = None,
    scenario: Annotated[Path | None, typer.Option(help="help.bc.scenario", metavar="meta.file")] = None,
    municipality: Annotated[
        str | None,
        typer.Option(help="help.bc.municipality", metavar="meta.name"),
    ] = None,
    lang: LangOpt = None,
    k: Annotated[
        int,
        typer.Option("--k", help="help.bc.k", metavar="meta.number", min=3),
    ] = 10,
    draws: Annotated[int, typer.Option(help="help.bc.draws", metavar="meta.number", min=0)] = 10000,
    seed: Annotated[int, typer.Option(help="help.bc.seed", metavar="meta.number", min=0)] = 0,
    generated_at: Annotated[
        str | None, typer.Option(help="help.bc.generated_at", metavar="meta.date")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="help.bc.json")] = False,
    config: Annotated[Path | None, typer.Option(help="help.bc.config", metavar="meta.file")] = None,
    today: Annotated[str | None, typer.Option(help="help.bc.today", metavar="meta.date")] = None,
) -> None:
    """The business case a controller can change: an offline page with inputs and a live Excel model."""
    from impactkit import costs as ik_costs
    from impactkit._write import check_outputs
    from impactkit.errors import ParameterError
    from impactkit.i18n import check_lang
    from impactkit.report import build_report

    started = time.perf_counter()
    if lang is None:  # impactkit --lang nl business-case ..., else $IMPACTKIT_LANG, else the system's
        lang = ctx.find_root().params.get("lang") or lang_from([])
    with reported():
        check_lang(lang, "impactkit business-case")
        check_outputs([("--out", out), ("--xlsx", xlsx)], [("PATH", path), ("--scenario", scenario),
                                                           ("--config", config)], func="impactkit business-case")  # fmt: skip
        if path is None:
            given = [n for n, v in (("--municipality", municipality), ("--config", config), ("--today", today))
                     if v is not None]  # fmt: skip
            if given:
                raise ParameterError.of(
                    "bc_reads_folder_many" if len(given) > 1 else "bc_reads_folder_one",
                    flags=", ".join(given),
                )
            if families_per_year is None:
                raise ParameterError.of("bc_needs_families")
            ev = ik_costs.business_case(scenario, families_per_year=families_per_year, coordinator_fte=coordinator_fte,
                                        years=years, programme=programme, start_year=start_year, draws=draws,
                                        seed=seed)  # fmt: skip
        else:
            if programme is not None:
                raise ParameterError.of("bc_programme_with_data")
            from impactkit.io import read_dataset
            from impactkit.report._build import restrict

            whole = read_dataset(path, config=config, today=today, scenario=scenario)
            ds = restrict(whole, municipality=municipality, k=k)
            scen = scenario if scenario is not None else getattr(ds, "scenario_path", None)
            ev = ik_costs.business_case(scen, data=ds, families_per_year=families_per_year,
                                        coordinator_fte=coordinator_fte, years=years, start_year=start_year,
                                        k=k, draws=draws, seed=seed)  # fmt: skip
        if path is not None and municipality is not None:
            # one municipality's business case is a report of the release of the whole export: what it
            # publishes and hides is decided with every other report of that release
            from impactkit.report import Release

            release = Release(whole, k=k, seed=seed, draws=draws, scenario=scenario)
            rep = release.report("business-case", municipality=municipality, lang=lang, generated_at=generated_at,
                                 costs=ev)  # fmt: skip
        else:
            rep = build_report(ev, lang=lang, k=k, generated_at=generated_at)
        written = {"html": str(rep.save(out))}
        if xlsx is not None:
            written["xlsx"] = str(rep.to_excel(xlsx))
    h = ev.headline
    if as_json:
        info = {
            **written,
            "lang": lang,
            "families_per_year": ev.case.settings["case.families_per_year"],
            "years": int(ev.case.settings["case.years"]),
            "start_year": ev.case.start_year,
            "headline": {k_: (None if v != v else v) for k_, v in h.items()},
            "seconds": round(time.perf_counter() - started, 2),
        }
        typer.echo(json.dumps(info, ensure_ascii=False, indent=2, allow_nan=False))
        return
    console.print(_summary(ev, lang), markup=False, highlight=False, soft_wrap=True)
    console.print("\n" + _t(lang, "bc.page", path=written["html"]), markup=False, highlight=False)
    if "xlsx" in written:
        console.print(_t(lang, "bc.workbook", path=written["xlsx"]), markup=False, highlight=False)


def _summary(ev: Any, lang: str) -> str:
    """The key figures and the net per payer, in ``lang``, fitting 80 columns."""
    import pandas as pd

    from impactkit.figures import Labels
    from impactkit.i18n import Formatter

    fmt = Formatter(lang)
    labels = Labels(fmt, getattr(ev.case, "instrument", None), ev.scenario)
    s, h = ev.case.settings, ev.headline
    first = ev.case.start_year
    last = first + int(s["case.years"]) - 1
    lines = [
        _t(
            lang,
            "bc.title",
            families=fmt.number(s["case.families_per_year"], 1).removesuffix(",0").removesuffix(".0"),
            years=f"{first}–{last}" if last > first else str(first),
            scenario=ev.scenario.id,
        ),
        "",
    ]
    interval = ""
    if ev.psa is not None:
        psa = pd.DataFrame(ev.psa).set_index("quantity")
        interval = fmt.text("kf_interval", low=fmt.currency(psa.at["net_benefit", "q025"]),
                            high=fmt.currency(psa.at["net_benefit", "q975"]))  # fmt: skip
    rows = [
        (fmt.text("kf_investment"), fmt.currency(h["programme_cost"])),
        (fmt.text("kf_avoided"), fmt.currency(h["gross_avoided_cost"])),
        (fmt.text("kf_net"), fmt.currency(h["net_benefit"])),
        (fmt.text("kf_bcr"), fmt.number(h["benefit_cost_ratio"], 2)),
    ]
    if ev.psa is not None:
        rows.append((fmt.text("kf_psaving"), fmt.probability(h["p_net_benefit_positive"])))
    rows.append((fmt.text("kf_payback"), fmt.months(h["payback_months"])))
    by = ev.by_payer[(ev.by_payer["invests"] != 0) | (ev.by_payer["saves"] != 0)]
    payers = [
        (labels.payer(p, lab), fmt.currency(net))
        for p, lab, net in zip(by["payer"], by["label"], by["net"], strict=True)
    ]
    value_width = max(len(v) for _, v in rows + payers)
    width = min(max(len(a) for a, _ in rows + payers), 76 - value_width)
    for a, b in rows:
        lines += _pair(a, b, width, value_width)
        if a == fmt.text("kf_net") and interval:
            lines += [f"    {part}" for part in textwrap.wrap(interval, 76)]
    lines += ["", _t(lang, "bc.per_payer")]
    for a, b in payers:
        lines += _pair(a, b, width, value_width)
    return "\n".join(lines)


def _pair(label: str, value: str, width: int, value_width: int) -> list[str]:
    """``label  value`` in two columns, the label wrapped at ``width`` (the value on its last line)."""
    parts = textwrap.wrap(label, width) or [""]
    return [f"  {p}" for p in parts[:-1]] + [f"  {parts[-1]:<{width}}  {value:>{value_width}}"]
