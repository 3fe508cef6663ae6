"""``build_report``: a pure function of (data, instrument, scenario, options) to a :class:`Report`."""

from __future__ import annotations

import datetime as dt
import hashlib
import shlex
from pathlib import Path
from typing import Any

import pandas as pd

from impactkit import progress
from impactkit._version import __version__
from impactkit.errors import DesignError, ParameterError, check_choice, option
from impactkit.i18n import check_lang, text
from impactkit.io._period import data_sha256
from impactkit.report._context import Ctx
from impactkit.report._html import css_string, figure_div, plotly_js, render
from impactkit.report._model import Chart, Section, Table
from impactkit.report._report import Report

__all__ = ["CONFIDENTIAL_KINDS", "KINDS", "RELEASE_KINDS", "Report", "build_report", "check_release_kinds"]

KINDS = ("annual", "business-case", "casework")
CASE_YEARS = 3  # funded years of the business case a dataset's report projects (the page can change it)
RELEASE_KINDS = ("annual", "business-case")  # what a publication (a release) may contain
CONFIDENTIAL_KINDS = ("casework",)  # internal only: never rendered into a release
_TEMPLATE = {
    "annual": "annual.html.j2",
    "business-case": "business_case.html.j2",
    "casework": "casework.html.j2",
}


def check_release_kinds(kinds: list[str] | tuple[str, ...], func: str = "impactkit run") -> None:
    """Refuse a release (a set of published reports) that would contain a confidential kind."""
    bad = [k for k in kinds if k in CONFIDENTIAL_KINDS]
    if bad:
        raise ParameterError(
            f"{func}: {bad[0]!r} is the coordinator's confidential family view and is never part of a release; "
            f"a release holds {', '.join(RELEASE_KINDS)}. Render it on its own: impactkit report PATH --kind casework."
        )


def _sha256(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def build_report(
    dataset_or_path: Any,
    *,
    kind: str | None = None,
    lang: str = "en",
    scenario: Any = None,
    seed: int | None = None,
    draws: int | None = None,
    k: int | None = None,
    generated_at: str | dt.date | dt.datetime | None = None,
    templates: str | Path | None = None,
    families: str | Path | pd.DataFrame | None = None,
    municipality: str | list[str] | None = None,
    programme: str | list[str] | None = None,
    config: Any = None,
    today: str | None = None,
    family: str | list[str] | None = None,
    pseudonym_key: str | bytes | None = None,
    key_file: str | Path | None = None,
    period: Any = None,
    previous: Any = None,
    domains: list[str] | None = None,
    release: Any = None,
) -> Report:
    """Build the annual impact report or the business case as self-contained HTML: one report of
    the release of its dataset (:class:`~impactkit.report.Release`).

    Parameters
    ----------
    dataset_or_path : Dataset, str, Path or CostEvaluation
        A dataset from :func:`impactkit.read_dataset`, a folder laid out like ``data/sample/``
        or an assessments file; or a business case (:func:`impactkit.costs.business_case`, with
        or without data), whose report needs nothing else.
    kind : {"annual", "business-case", "casework"}, optional
        Default: "business-case" for a business case, else "annual".  A dataset's business case
        projects the need of its families onto three funded years of the families it holds per
        year (``impactkit business-case`` sets every option).
        ``casework`` is the coordinator's confidential family view (one family's scores, events and
        care over time, under a keyed pseudonym): internal only, never part of a release, and it takes
        none of the funder reports' options (``k``, ``seed``, ``draws``, ``scenario``, ``municipality``).
    lang : {"en", "nl"}
    scenario : Scenario, path or None
        Cost assumptions; None uses the dataset's scenario file, else the default scenario.
    seed, draws : int, optional
        Seed (default 0) and number of draws (default 10,000) of the probabilistic sensitivity analysis.
    k : int, optional
        Smallest number of families a published figure may rest on (at least 3; default 10).
    generated_at : str, date or datetime, optional
        The date printed on the report; fix it for byte-identical output (default: today, UTC).
    templates : folder, optional
        Templates that take precedence over the shipped ones (branding).
    families : path or DataFrame, optional
        The families table, when ``dataset_or_path`` is a single assessments file.
    municipality, programme : str, optional
        The report of one municipality or one programme of the release of the whole dataset (its
        programme costs too; needs the families table): the figures it publishes, and those it
        hides, are the release's, whichever reports are rendered and in which order.  Refused with
        the reason when the release withholds it.  A programme_costs table without a ``programme``
        column cannot be split, so a programme's report uses the scenario's programme cost per
        family (``programme_cost_origin``).  Several municipalities (or programmes) together are
        not a report of the release: select them with :meth:`~impactkit.Dataset.subset` first
        (that subset is then a release of its own).
    domains : list of str, optional
        Not a report of the release either: use ``Dataset.subset(domains=...)`` first.
    config : Config or path, optional
        The mapping file (``impactkit.toml``) when ``dataset_or_path`` is a path (default: the
        folder's own).
    today : str, optional
        Dates after this day are future dates when reading a path (default: the current date).
    family : str or list of str, optional
        ``casework`` only: the families to show (their ids; the page shows pseudonyms). Needed when
        the data hold more than 25 families.
    pseudonym_key, key_file : optional
        ``casework`` only: the key of the pseudonyms (default ``$IMPACTKIT_PSEUDONYM_KEY``).
    period : int, str, dict or Period, optional
        Report on a reporting period of the export (``2025``, ``"2025-H1"``,
        ``"2024-07-01/2025-06-30"`` or :class:`~impactkit.Period` with its rule of which
        families and measurements count): the export is cut with :meth:`Dataset.in_period`
        before anything is computed; the report states the rule and counts what was left out,
        and its footer gives the SHA-256 of the data actually used.
    previous : path, optional
        Last year's release folder (written by ``impactkit run``): adds a section comparing this
        report's published key figures and change per domain with the same report of that release
        (figures hidden in either year stay hidden; a changed instrument or cost scenario is
        flagged instead of compared).
    release : Release, optional
        The release to take the report from (default: the release of every report of the
        dataset, built once per process and kept for the next call with the same inputs).

    Returns
    -------
    Report
        ``html``, ``tables`` (dict of DataFrames: one per report table, suppressed cells as
        ``"<k"`` or ``"x"``), ``save``, ``to_excel``, ``to_pdf``.

    Notes
    -----
    Missing data follow the analyses: paired statistics on complete pairs, the mixed model on all
    observed scores, nothing imputed.  Every count, mean, share and cost resting on fewer than ``k``
    families is suppressed, with secondary suppression wherever a figure of any report of the
    release (the funder report, each municipality's and programme's, their spreadsheets) would
    reveal it.  The HTML holds no family id and no individual-level value.
    """
    from impactkit import costs as ik_costs

    if kind is None:  # a business-case evaluation makes a business case, anything else the annual report
        kind = "business-case" if _is_case(dataset_or_path) else "annual"
    check_choice("kind", "build_report", kind, KINDS)
    check_lang(lang, "build_report")
    if kind in CONFIDENTIAL_KINDS:
        given = [n for n, v in (("k", k), ("seed", seed), ("draws", draws), ("scenario", scenario),
                                ("municipality", municipality), ("programme", programme), ("period", period),
                                ("previous", previous)) if v is not None]  # fmt: skip
        if given:
            raise ParameterError(
                f"build_report(kind='casework') is the coordinator's internal family view and takes no funder "
                f"options; got {', '.join(given)}. Leave them out (nothing in the view is published or costed)."
            )
    elif family is not None or pseudonym_key is not None or key_file is not None:
        raise ParameterError(
            f"The 'family', 'pseudonym_key' and 'key_file' parameters of build_report belong to kind='casework'; "
            f"a {kind} report never names or shows a family. Got kind={kind!r}."
        )
    case_ev = None  # a business case on data (business_case(data=ds)): its report reads those data too
    if (
        isinstance(dataset_or_path, ik_costs.CostEvaluation)
        and getattr(dataset_or_path.case, "data", None) is not None
    ):
        case_ev = _case_on_data(dataset_or_path, kind=kind, seed=seed, draws=draws, options=(
            ("scenario", scenario), ("families", families), ("municipality", municipality), ("programme", programme),
            ("config", config), ("today", today), ("period", period), ("previous", previous)))  # fmt: skip
        dataset_or_path, seed, draws = (
            case_ev.case.data,
            int(case_ev.meta["seed"]),
            int(case_ev.meta["draws"]),
        )
    k = 10 if k is None else k
    seed = 0 if seed is None else seed
    draws = 10000 if draws is None else draws
    for name, value, low in (("seed", seed, 0), ("draws", draws, 0), ("k", k, 3)):
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise ParameterError(
                f"The {name!r} parameter of build_report must be an integer of at least {low}. Got {value!r} instead."
            )
    if isinstance(dataset_or_path, ik_costs.CostEvaluation):  # a business case: the report of that evaluation
        return _business_case_report(dataset_or_path, kind=kind, lang=lang, k=k, generated_at=generated_at,
                                     templates=templates)  # fmt: skip
    if kind in CONFIDENTIAL_KINDS:
        from impactkit.io import read_dataset
        from impactkit.report._casework import build_casework

        ds = dataset_or_path
        inputs: list[tuple[str, Path]] = []
        if isinstance(ds, str | Path):
            inputs.append(("dataset", Path(ds)))
            ds = read_dataset(ds, families=families, config=config, today=today, scenario=scenario)
        if isinstance(families, str | Path):
            inputs.append(("families", Path(families)))
        if isinstance(config, str | Path):
            inputs.append(("config", Path(config)))
        if period is not None:
            ds = ds.in_period(period)
        ds = restrict(ds, municipality=municipality, programme=programme, domains=domains, k=k)
        return build_casework(ds, lang=lang, family=family, key=pseudonym_key, key_file=key_file,
                         generated_at=generated_at, templates=templates, inputs=inputs)  # fmt: skip
    municipality, programme = _one_scope(municipality, programme, domains)
    if (
        getattr(dataset_or_path, "families", None) is not None
    ):  # a name it does not hold: said before any work
        _known(dataset_or_path, municipality, programme)
    if release is None:
        release = _cached_release(
            dataset_or_path, k=k, scenario=scenario, seed=seed, draws=draws, families=families, config=config,
            today=today, period=period,
        )  # fmt: skip
    elif release.k != k or release.seed != seed or release.draws != draws:
        raise ParameterError(
            "build_report: the release was built with other options (k, seed, draws); "
            "pass the same ones or leave release out."
        )
    _known(release.dataset, municipality, programme)
    extra, prev = None, None
    if previous is not None:
        extra, prev = _comparison(previous, release, kind, municipality, programme)
    rep = release.report(
        kind, municipality=municipality, programme=programme, lang=lang, generated_at=generated_at,
        templates=templates, extra=extra, costs=case_ev,
    )  # fmt: skip
    if isinstance(families, str | Path):
        rep.inputs.append(("families", Path(families)))
    if isinstance(config, str | Path):
        rep.inputs.append(("config", Path(config)))
    if prev is not None:
        rep.inputs.append(("previous", prev.folder))
    return rep


def _one_scope(municipality: Any, programme: Any, domains: Any) -> tuple[str | None, str | None]:
    """The one municipality or programme a report of the release is of (a list of one is one)."""
    chosen = {}
    for name, value in (("municipality", municipality), ("programme", programme)):
        values = [] if value is None else [value] if isinstance(value, str) else list(value)
        if len(values) > 1:
            raise ParameterError(
                f"build_report: a report of the release is of one {name}, got {len(values)} ({', '.join(map(str, values))}). "
                f"Render each one's report, or select them first (Dataset.subset({name}=[...])): that subset is "
                "then a release of its own."
            )
        chosen[name] = str(values[0]) if values else None
    if chosen["municipality"] is not None and chosen["programme"] is not None:
        raise ParameterError(
            "build_report: a report of the release is of one municipality or one programme, not both. "
            "Select the crossing first (Dataset.subset(municipality=..., programme=...)): that subset is then "
            "a release of its own."
        )
    if domains:
        raise ParameterError(
            "build_report: a report of some domains only is not a report of the release (its figures would "
            "be protected apart from the release's). Select them first: build_report(ds.subset(domains=[...]))."
        )
    return chosen["municipality"], chosen["programme"]


def _known(ds: Any, municipality: str | None, programme: str | None) -> None:
    """Refuse a municipality or programme the dataset does not hold, listing those it does."""
    for column, name in (("municipality", municipality), ("programme", programme)):
        if name is None:
            continue
        fam = ds.families
        if fam is None or column not in fam or fam[column].isna().all():
            raise ParameterError(
                f"The {column!r} parameter of build_report needs a families table with a {column} column; "
                "this dataset has none.",
                parameter=column,
            )
        known = sorted(fam[column].dropna().astype(str).unique())
        if name not in known:
            raise ParameterError(
                f"The {column!r} parameter of build_report must be one of {known}. Got {name!r} instead.",
                parameter=column,
            )


def _comparison(
    previous: Any, release: Any, kind: str, municipality: str | None, programme: str | None
) -> Any:
    """The ``extra`` hook of Release.report adding "compared with last year" after the summary."""
    from impactkit import costs as ik_costs
    from impactkit.report._compare import PreviousRelease, comparison_section
    from impactkit.report._results import identity

    prev = PreviousRelease.of(previous)
    ds = release.dataset
    selection = getattr(ds, "period", None)
    scen = release.scenario
    current = {
        **identity(ds.instrument, scen if scen is not None else ik_costs.Scenario.default(), ds.prices),
        "instrument_obj": ds.instrument,
        "period": selection.period.to_dict() if selection is not None else {},
    }
    scope = (
        f"municipality:{municipality}"
        if municipality
        else (f"programme:{programme}" if programme else "funder")
    )

    def add(ctx: Ctx, sections: list[Section]) -> None:
        where = next((i + 1 for i, sec in enumerate(sections) if sec.id == "summary"), 0)
        sections.insert(
            where,
            comparison_section(
                prev, sections, current=current, fmt=ctx.fmt.base, k=ctx.k, kind=kind, scope=scope
            ),
        )

    return add, prev


# (key of the decisions, the arguments, release): the arguments keep the objects alive
_RELEASES: list[tuple[tuple[Any, ...], list[Any], Any]] = []


def _ident(x: Any) -> Any:
    """What identifies an input: a file by its path, size and modification time (a folder by
    those of its files), anything else by the object itself (kept alive by the cache)."""
    if isinstance(x, str | Path):
        p = Path(x).resolve()
        files = sorted(q for q in p.rglob("*") if q.is_file()) if p.is_dir() else [p] if p.exists() else []
        return ("path", str(p), tuple((str(q), q.stat().st_size, q.stat().st_mtime_ns) for q in files))
    if x is None or isinstance(x, bool | int | float | str):
        return ("value", x)
    if isinstance(x, dict):
        return ("value", repr(sorted(x.items())))
    if hasattr(x, "to_dict") and type(x).__name__ == "Period":
        return ("value", repr(x.to_dict()))
    return ("object", id(x))


def _cached_release(data: Any, **options: Any) -> Any:
    """The release of ``data`` with these options, built once per process for the same inputs.

    The release's decisions (plan, populations, suppression) do not depend on the seed and the
    number of draws: a release of the same inputs with other ones shares them
    (:meth:`Release.with_draws`)."""
    from impactkit.report._release import Release

    decisions = {n: v for n, v in sorted(options.items()) if n not in ("seed", "draws")}
    args = [data, *decisions.values()]
    key = tuple(_ident(a) for a in args)
    for k_, held, rel in _RELEASES:
        if k_ == key and all(a is b or _ident(b)[0] != "object" for a, b in zip(held, args, strict=True)):
            if (rel.seed, rel.draws) == (options["seed"], options["draws"]):
                return rel
            return rel.with_draws(seed=options["seed"], draws=options["draws"])
    if ds_families(data) < options["k"]:
        raise DesignError.of(
            "too_few_families", func="build_report", n=ds_families(data), k=options["k"], k_option=option("k")
        )
    rel = Release(data, **options)
    _RELEASES.append((key, args, rel))
    del _RELEASES[:-4]
    return rel


def ds_families(data: Any) -> int:
    a = getattr(data, "assessments", None)
    return int(a["family_id"].nunique()) if a is not None else 10**9


def render_report(
    release: Any,
    ctx: Ctx,
    kind: str,
    sections: list[Section],
    cover: dict[str, Any],
    *,
    generated_at: str | dt.date | dt.datetime | None = None,
    templates: str | Path | None = None,
    case_page: Any = None,
    case_ev: Any = None,
) -> Report:
    """The HTML page of one report of ``release`` from its protected sections."""
    ds, ev, lang, k, seed, draws = ctx.dataset, ctx.costs, ctx.lang, ctx.k, ctx.seed, ctx.draws
    fmt = ctx.fmt.base
    scope = ctx.scope
    place = scope.name if scope.kind != "funder" else ""
    selection = getattr(release.dataset, "period", None)
    when = _generated(generated_at)
    parts = dict(cover.pop("subtitle_parts"))
    parts["generated"] = fmt.date(when)
    subtitle = fmt.text(cover.pop("subtitle_key", "subtitle" if kind == "annual" else "bc_subtitle"), **parts)
    root = release.dataset
    files = [(name, _sha256(Path(p))) for name, p in sorted(getattr(root, "files", {}).items())]
    scen_path = (
        release.scenario_path if release.scenario_path is not None else getattr(root, "scenario_path", None)
    )
    if isinstance(scen_path, str | Path):
        files.append(("scenario", _sha256(Path(scen_path))))
    if Path(ds.instrument.source).is_file():
        files.append(("instrument", _sha256(Path(ds.instrument.source))))
    inputs: list[tuple[str, Path]] = list(release.inputs)
    inputs += [(name, Path(p)) for name, p in sorted(getattr(root, "files", {}).items())]
    if isinstance(scen_path, str | Path):
        inputs.append(("scenario", Path(scen_path)))
    if Path(ds.instrument.source).is_file():
        inputs.append(("instrument", Path(ds.instrument.source)))
    if templates is not None:
        inputs.append(("templates", Path(templates)))
    sel = getattr(root, "selection", None)  # a dataset selected with Dataset.subset: its own release
    chosen = [*sel.programme, *sel.municipality] if sel and (sel.programme or sel.municipality) else []
    if place:
        chosen.append(place)
    flags = "".join(
        f" --{name} {shlex.quote(v)}"
        for name, values in (
            ("programme", sel.programme if sel else ()),
            ("municipality", sel.municipality if sel else ()),
        )
        for v in values
    ) + (f" --domains {','.join(sel.domains)}" if sel and sel.domains else "")
    if place:
        flags += f" --{scope.kind} {shlex.quote(place)}"
    footer = {
        "version": __version__,
        "generated_at": when.isoformat(),
        "instrument": f"{ds.instrument.id} ({_file_name(ds.instrument.source)})",
        "scenario": f"{ev.scenario.id} ({_file_name(ev.scenario.source)})",
        "options": fmt.text("footer_options", kind=kind, lang=lang, k=k, seed=seed, draws=fmt.integer(draws))
        + "".join(f" · {c}" for c in chosen),
        "files": files,
        "period": selection.describe(lang) if selection is not None else "",
        "data": data_sha256(release.dataset) if selection is not None else "",
        "command": fmt.text("footer_command", command=_case_command(case_ev, lang, k, data=True))
        if case_ev is not None
        else fmt.text(
            "footer_command",
            command=f"impactkit report PATH --kind {kind} --lang {lang} --k {k} --seed {seed} --draws {draws}"
            + flags
            + (f" --period {selection.period.label!r}" if selection is not None else ""),
        ),
    }
    charts: dict[str, Any] = {}
    for sec in sections:
        for block in sec.blocks:
            if isinstance(block, Chart) and block.figure is not None:
                charts[block.id] = figure_div(block.figure, f"chart-{block.id}", lang=lang)
    labels = {
        key: fmt.text(key)
        for key in (
            "skip",
            "contents",
            "numbers",
            "reproduce",
            "generated",
            "instrument",
            "scenario",
            "options",
            "inputs",
            "file",
        )
    }
    labels["period"] = text("run", "footer_period", lang)
    labels["data_used"] = text("run", "footer_data", lang)
    kicker = cover["kicker"] + "".join(f" · {c}" for c in chosen)
    if selection is not None:
        kicker += f" · {selection.period.label}"
    context = {
        "lang": lang,
        "title": cover["title"],
        "kicker": kicker,
        "subtitle": subtitle,
        "sections": sections,
        "charts": charts,
        "labels": labels,
        "footer": footer,
        "plotly_js": plotly_js(),
        "page_label": css_string(f"{kicker} · {cover['title']}"),
        "case": case_page if kind == "business-case" else None,
    }
    with progress.step("render"):
        page = render(_TEMPLATE[kind], context, templates=templates)
    report = Report(
        html=page,
        sections=sections,
        kind=kind,
        lang=lang,
        footer=footer,
        title=cover["title"],
        subtitle=subtitle,
        inputs=inputs,
        selection=sel,
    )
    report.costs = ev if kind == "business-case" else None
    return report


def _is_case(obj: Any) -> bool:
    from impactkit.costs import CostEvaluation

    return isinstance(obj, CostEvaluation)


def restrict(
    ds: Any,
    *,
    municipality: str | list[str] | None = None,
    programme: str | list[str] | None = None,
    domains: list[str] | None = None,
    k: int = 10,
) -> Any:
    """The dataset of some municipalities / programmes / domains (Dataset.subset), each refused when the
    release plan of the whole dataset withholds it; a programme_costs table that cannot be split by
    programme gives way to the scenario's cost model."""
    for column, chosen in (("municipality", municipality), ("programme", programme)):
        for name in [chosen] if isinstance(chosen, str) else list(chosen or []):
            _release_allows(ds, column, name, k)
    if municipality is None and programme is None and domains is None:
        return ds
    ds = ds._subset("build_report", municipality=municipality, programme=programme, domains=domains)
    if ds.selection is not None and "programme_costs:programme" in ds.selection.unsplit:
        import dataclasses

        ds = dataclasses.replace(ds, programme_costs=None)
    return ds


def _business_case_report(
    ev: Any, *, kind: str, lang: str, k: int, generated_at: Any, templates: Any
) -> Report:
    """build_report(<a business-case CostEvaluation>)."""
    from impactkit.report._case_report import case_report

    if ev.case is None:
        raise ParameterError(
            "The 'dataset_or_path' parameter of build_report must be a Dataset, a path or a business case "
            "(ik.costs.business_case). Got an evaluation of data (ik.costs.evaluate) instead: pass the Dataset "
            "to build_report and it evaluates the costs itself."
        )
    if kind != "business-case":
        raise ParameterError(
            f"The 'kind' parameter of build_report must be 'business-case' for a business case. Got {kind!r} instead."
        )
    return case_report(ev, lang=lang, k=k, generated_at=_generated(generated_at), templates=templates)


def _case_command(ev: Any, lang: str, k: int, *, data: bool) -> str:
    from impactkit.report._case_report import case_command

    return case_command(ev, lang, k, data=data)


def _case_on_data(
    ev: Any, *, kind: str, seed: int | None, draws: int | None, options: tuple[tuple[str, Any], ...]
) -> Any:
    """Check build_report(<a business case on data>): the evaluation fixes the data and the PSA."""
    if kind != "business-case":
        raise ParameterError(
            f"The 'kind' parameter of build_report must be 'business-case' for a business case. Got {kind!r} instead."
        )
    given = [name for name, value in options if value is not None]
    if given:
        raise ParameterError(
            f"build_report(<a business case on data>) reports on the data and scenario the business case was made "
            f"with; got {', '.join(given)}. Select the data before ik.costs.business_case(data=...), or pass "
            "the Dataset to build_report."
        )
    for name, value in (("seed", seed), ("draws", draws)):
        if value is not None and value != ev.meta[name]:
            raise ParameterError(
                f"The {name!r} parameter of build_report must be left out for a business case (its PSA ran with "
                f"{name}={ev.meta[name]}). Got {value!r} instead: pass it to ik.costs.business_case."
            )
    return ev


def _release_allows(ds: Any, column: str, name: str, k: int) -> None:
    """A municipal (programme) report is one report of the release of the whole dataset: it is
    refused when the release plan withholds it (under k families, or its remainder would be),
    whichever order the reports are rendered in (impactkit.privacy.plan_release)."""
    from impactkit.privacy import plan_release

    fam = ds.families
    if fam is None or column not in fam or name not in set(fam[column].astype(str)):
        return  # Dataset.subset gives the clear error
    plan = plan_release(fam, k=k, programmes=column == "programme", municipalities=column == "municipality")
    plan.scope(column, name)


def _file_name(source: object) -> str:
    """A source as the footer prints it: a file's name only, never its absolute path."""
    text = str(source)
    return Path(text).name if ("/" in text or "\\" in text) else text


def _generated(value: str | dt.date | dt.datetime | None) -> dt.date:
    if value is None:
        return dt.datetime.now(dt.UTC).date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError as err:
        raise ParameterError(
            f"The 'generated_at' parameter of build_report must be an ISO date (2026-11-23). Got {value!r} instead."
        ) from err


def _all_tables(sections: list[Section]) -> list[Table]:
    return [t for s in sections for t in s.tables]
