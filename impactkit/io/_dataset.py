"""A folder laid out like ``data/sample/`` read as one :class:`Dataset`, validated as a whole.

Files are found by the mapping file ``impactkit.toml`` (see :mod:`impactkit.io._config`), else by
name (English or Dutch, any of .csv, .xlsx, .parquet, or a sheet of a workbook; see
:mod:`impactkit.io._locate`): ``assessments`` (or ``items``), ``families``, optional
``counterfactuals``, ``care_used``, ``events``, ``programme_costs``, ``prices``, ``scenario.toml`` and
``instrument.toml|yaml|yml``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from impactkit import progress
from impactkit.errors import ConfigError, ParameterError
from impactkit.i18n import check_lang
from impactkit.instruments import Instrument, builtin
from impactkit.io._assessments import AssessmentRead, stage_assessments
from impactkit.io._config import CONFIG_NAME, Config, config_instrument, load_config, with_vocabulary
from impactkit.io._locate import Located, locate, locate_table
from impactkit.io._period import PeriodSelection
from impactkit.io._problems import PROBLEM_COLUMNS, Problems
from impactkit.io._source import give_back, isin_text
from impactkit.io._subset import Selection, subset
from impactkit.io._tables import stage_table

__all__ = ["Dataset", "ValidationReport", "read_dataset", "read_families", "validate"]

SUFFIXES = (".csv", ".xlsx", ".xlsm", ".parquet", ".txt")
OPTIONAL_TABLES = ("families", "counterfactuals", "care_used", "events", "programme_costs", "prices")


@dataclass
class Dataset:
    """Every validated table of one export, the instrument, and the files they came from."""

    assessments: pd.DataFrame
    instrument: Instrument
    families: pd.DataFrame | None = None
    counterfactuals: pd.DataFrame | None = None
    care_used: pd.DataFrame | None = None
    events: pd.DataFrame | None = None
    programme_costs: pd.DataFrame | None = None
    prices: pd.DataFrame | None = None
    scenario_path: Path | None = None
    files: dict[str, Path] = field(default_factory=dict)
    n_missing_scores: int = 0
    config: Config | None = None
    notes: list[str] = field(default_factory=list)  # how each file was read (sheet, encoding, layout, ...)
    warnings: pd.DataFrame | None = None  # problems that do not make the input invalid (e.g. ages)
    period: PeriodSelection | None = None  # the reporting period it was cut to (in_period)
    selection: Selection | None = None  # what subset() kept, and of how many families
    # the item answers when the export holds items, not domain scores (read_items' columns): the
    # report's reliable change then uses Cronbach's alpha of the intake items
    items: pd.DataFrame | None = None

    @property
    def n_families(self) -> int:
        return int(self.assessments["family_id"].nunique())

    def in_period(self, period: Any, *, families: str | None = None, waves: str | None = None) -> Dataset:
        """The export cut to a reporting period: which families count (``families``: active,
        intake or measured in the period) and which of their measurements (``waves``: until the
        period's end, only within it, or all); see :mod:`impactkit.io._period`.

        ``period`` is a year (2025), ``"2025-H1"``, ``"2024-07-01/2025-06-30"`` or a
        :class:`~impactkit.Period`.  ``.period`` of the result counts everything left out.

        Examples
        --------
        >>> import impactkit as ik
        >>> ds = ik.read_dataset("data/sample", today="2026-11-01").in_period(2024)
        >>> ds.period.describe()[:48]
        '2024 (2024-01-01 to 2024-12-31): families active'
        """
        from impactkit.io._period import Period, select_period

        return select_period(self, Period.of(period, families=families, waves=waves))

    def subset(
        self,
        *,
        programme: str | Iterable[str] | None = None,
        municipality: str | Iterable[str] | None = None,
        domains: str | Iterable[str] | None = None,
    ) -> Dataset:
        """The families of some programmes and/or municipalities, and/or some domains only.

        Assessments, judgements and care used follow the families; programme costs follow when the
        table has the column (else ``selection.unsplit`` records it and a cost evaluation refuses).
        ``selection`` says what was chosen and how many families that left of how many.

        Examples
        --------
        >>> import impactkit as ik
        >>> ds = ik.read_dataset("data/sample", today="2026-11-01").subset(municipality="Tiel")
        >>> ds.selection.describe()
        'municipality = Tiel; 22 of 350 families'
        """
        return subset(self, programme=programme, municipality=municipality, domains=domains)

    def _subset(self, func: str, **selection: str | Iterable[str] | None) -> Dataset:
        return subset(self, func=func, **selection)

    def sha256(self) -> dict[str, str]:
        """SHA-256 of every input file (for a report's reproducibility footer)."""
        return {name: hashlib.sha256(p.read_bytes()).hexdigest() for name, p in sorted(self.files.items())}

    def summary(self) -> pd.DataFrame:
        """Rows, families and missing scores per wave (nothing is dropped: missing scores are counted)."""
        a = self.assessments
        wave = a["wave"]
        codes = pd.Series(pd.factorize(a["family_id"])[0], index=a.index)  # no hashing of text per wave
        known = codes >= 0
        return (
            pd.DataFrame(
                {
                    "families": codes[known].groupby(wave[known], observed=False).nunique(),
                    "scores": a["score"].groupby(wave, observed=False).count(),
                    "missing_scores": a["score"].isna().groupby(wave, observed=False).sum(),
                }
            )
            .rename_axis("wave")
            .reset_index()
        )

    def _repr_html_(self) -> str:
        tables = ", ".join(
            f"{name} ({len(getattr(self, name))} rows)"
            for name in OPTIONAL_TABLES
            if getattr(self, name) is not None
        )
        return (
            f"<div><strong>impactkit Dataset</strong>: {self.n_families} families, instrument "
            f"<code>{self.instrument.id}</code>; {self.n_missing_scores} missing scores; {tables or 'no other tables'}"
            f"{self.summary().to_html(index=False)}</div>"
        )


@dataclass
class ValidationReport:
    """The outcome of :func:`validate`: every problem, counts, and the dataset when valid."""

    problems: pd.DataFrame
    n_rows: int
    missing_scores: int
    dataset: Dataset | None
    warnings: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return self.problems.empty

    def to_dict(self) -> dict[str, object]:
        return {
            "valid": self.valid,
            "n_rows": int(self.n_rows),
            "problems": [
                {k: (int(v) if k == "row" else str(v)) for k, v in rec.items() if k != "code"}
                | {"code": str(rec["code"])}
                for rec in self.problems.to_dict("records")
            ],
            "missing_scores": int(self.missing_scores),
            "warnings": [
                {k: (int(v) if k == "row" else str(v)) for k, v in rec.items()}
                for rec in (self.warnings if self.warnings is not None else pd.DataFrame()).to_dict("records")
            ],
            "notes": list(self.notes),
        }

    def _repr_html_(self) -> str:
        head = "valid" if self.valid else f"{len(self.problems)} problem(s)"
        body = "" if self.valid else self.problems.drop(columns="code").to_html(index=False)
        return f"<div><strong>Validation: {head}</strong>, {self.n_rows} rows, {self.missing_scores} missing scores{body}</div>"


def _resolve(
    path: str | Path | pd.DataFrame,
    families: str | Path | pd.DataFrame | None,
    instrument: Instrument | str | None,
    config: Config | str | Path | None,
) -> tuple[dict[str, Any], Instrument, Path | None, Config | None]:
    """Sources per table, the instrument, the scenario file and the mapping file of an export."""
    cfg = load_config(config)
    sources: dict[str, Any] = {}
    scenario: Path | None = None
    inst_file: Path | None = None
    if isinstance(path, pd.DataFrame):
        sources["assessments"] = path
    else:
        p = Path(path)
        if p.is_file() and p.suffix.lower() == ".toml" and cfg is None:  # the mapping file itself
            cfg = Config.from_file(p)
            p = p.parent
        if p.is_dir():
            if cfg is None and (p / CONFIG_NAME).is_file():
                cfg = Config.from_file(p / CONFIG_NAME)
            for name, loc in locate(p, cfg).items():
                sources[name] = loc
            scenario = p / "scenario.toml" if (p / "scenario.toml").is_file() else None
            for ext in (".toml", ".yaml", ".yml"):
                if (p / f"instrument{ext}").is_file():
                    inst_file = p / f"instrument{ext}"
        elif p.is_file():
            sources["assessments"] = Located(p, cfg.table("assessments").sheet if cfg is not None else None)
        else:
            raise ParameterError(
                f"The 'path' parameter must be an existing file or folder. Got {str(p)!r} instead."
            )
    if families is not None:
        sources["families"] = families
    if cfg is not None and cfg.scenario is not None:
        scenario = cfg.resolve(cfg.scenario)
        if not scenario.is_file():
            raise ConfigError.at("scenario_file_missing", source=cfg.name, key="scenario", path=scenario)
    if instrument is None:
        from_cfg = config_instrument(cfg) if cfg is not None else None
        inst = from_cfg or (Instrument.from_file(inst_file) if inst_file else builtin("default"))
    elif isinstance(instrument, Instrument):
        inst = instrument
    elif Path(str(instrument)).suffix:
        inst = Instrument.from_file(instrument)
    else:
        inst = builtin(str(instrument))
    if cfg is not None:
        inst = with_vocabulary(inst, cfg)
    return sources, inst, scenario, cfg


def _shown(src: Any) -> str:
    return Path(src).name if isinstance(src, str | Path) else "<DataFrame>"


def _source_of(src: Any) -> tuple[Any, str | None]:
    return (src.path, src.sheet) if isinstance(src, Located) else (src, None)


def validate(
    path: str | Path | pd.DataFrame,
    *,
    families: str | Path | pd.DataFrame | None = None,
    instrument: Instrument | str | None = None,
    lang: str = "en",
    today: str | pd.Timestamp | None = None,
    columns: Mapping[str, str] | None = None,
    ignore_columns: Iterable[str] = (),
    allow_personal_data: bool = False,
    config: Config | str | Path | None = None,
    scenario: Any = None,
    programme: str | Iterable[str] | None = None,
    municipality: str | Iterable[str] | None = None,
    domains: str | Iterable[str] | None = None,
) -> ValidationReport:
    """Validate an export (a file, a DataFrame or a folder) and report every problem, without raising.

    This is the contract of every command: whatever ``analyse``, ``costs`` or ``report`` would
    reject is reported here first, with file, row and column, including care paths, care types,
    payers, units and price years that the cost scenario does not know, and intake rules that do
    not fit the instrument.

    Parameters
    ----------
    path : folder, file, mapping file or DataFrame
        A folder is searched for each table (see :mod:`impactkit.io._locate`) and its
        ``impactkit.toml`` is used; a ``.toml`` path is the mapping file of its folder.
    config : Config or path, optional
        A mapping file to use instead of the folder's ``impactkit.toml``.
    scenario : Scenario or path, optional
        The cost scenario to check the tables against (default: the mapping file's, else the
        folder's ``scenario.toml``, else the shipped default scenario).
    programme, municipality, domains : str or list of str, optional
        Restrict the dataset of a valid export to these (see :meth:`Dataset.subset`); the whole
        export is still checked.

    Returns
    -------
    ValidationReport
        ``valid``, ``problems`` (DataFrame: ``file, row, column, value, message, code``), ``n_rows``,
        ``missing_scores``, ``warnings`` (same columns; they do not make the input invalid),
        ``notes`` (how each file was read) and ``dataset`` (a :class:`Dataset` when valid, else None).

    Examples
    --------
    >>> import impactkit as ik
    >>> report = ik.validate("data/sample", today="2026-11-01")
    >>> report.valid, report.missing_scores
    (True, 133)
    """
    check_lang(lang, "validate")  # any language with catalogues (impactkit/locale)
    from impactkit.io._cache import cached

    def listed(v: Any) -> Any:
        return v if v is None or isinstance(v, str) else list(v)

    options: dict[str, Any] = {
        "families": families, "instrument": instrument, "lang": lang, "today": today, "columns": columns,
        "ignore_columns": tuple(ignore_columns), "allow_personal_data": allow_personal_data, "config": config,
        "scenario": scenario, "programme": listed(programme), "municipality": listed(municipality),
        "domains": listed(domains),
    }  # fmt: skip
    # IMPACTKIT_CACHE: a report already validated from the same bytes and options (impactkit/io/_cache.py)
    return cached(path, options, lambda: _validate(path, **options))


def _validate(
    path: str | Path | pd.DataFrame,
    *,
    families: str | Path | pd.DataFrame | None,
    instrument: Instrument | str | None,
    lang: str,
    today: str | pd.Timestamp | None,
    columns: Mapping[str, str] | None,
    ignore_columns: Iterable[str],
    allow_personal_data: bool,
    config: Config | str | Path | None,
    scenario: Any,
    programme: str | Iterable[str] | None,
    municipality: str | Iterable[str] | None,
    domains: str | Iterable[str] | None,
) -> ValidationReport:
    sources, inst, scenario_file, cfg = _resolve(path, families, instrument, config)
    problems = Problems(lang)
    a_src, a_sheet = _source_of(sources["assessments"])
    with progress.step("read", detail=_shown(a_src)):
        read: AssessmentRead = stage_assessments(
            a_src,
            instrument=inst,
            lang=lang,
            today=today,
            columns=columns,
            ignore_columns=ignore_columns,
            allow_personal_data=allow_personal_data,
            config=cfg,
            sheet=a_sheet,
        )
    problems.extend(read.problems)
    give_back()
    if not read.data.empty and isinstance(read.data.attrs.get("instrument"), Instrument):
        inst = read.data.attrs["instrument"]  # the part of the instrument the export uses
    scen = _scenario(scenario, scenario_file)
    n_rows = read.n_rows
    tables: dict[str, pd.DataFrame] = {}
    files: dict[str, Path] = {}
    for name, src in sources.items():
        file, sheet = _source_of(src)
        if isinstance(file, str | Path):
            files[name] = Path(file)
        if name == "assessments":
            continue
        with progress.step("read", detail=_shown(file)):
            frame, probs, n = stage_table(
                file,
                name,
                lang=lang,
                today=today,
                ignore_columns=ignore_columns,
                allow_personal_data=allow_personal_data,
                config=cfg,
                sheet=sheet,
                choices={"item": [i.id for i in scen.programme_items]} if scen is not None else None,
            )
        problems.extend(probs)
        n_rows += n
        tables[name] = frame
        give_back()
    if cfg is not None and cfg.source is not None:
        files["config"] = cfg.source
    _cross_check(read, tables, problems)
    if scen is not None:
        from impactkit.costs._contract import scenario_problems

        scenario_problems(tables, scen, inst, problems)
    frame = problems.frame()
    dataset = None
    if frame.empty:
        dataset = Dataset(
            assessments=read.data,
            instrument=inst,
            scenario_path=scenario_file,
            files=files,
            n_missing_scores=read.n_missing_scores,
            config=cfg,
            notes=list(problems.notes),
            warnings=problems.warnings_frame(),
            items=read.items,
            **{k: v for k, v in tables.items()},  # type: ignore[arg-type]
        )
        if programme is not None or municipality is not None or domains is not None:
            dataset = dataset._subset(
                "read_dataset", programme=programme, municipality=municipality, domains=domains
            )
    return ValidationReport(
        frame[PROBLEM_COLUMNS],
        n_rows,
        read.n_missing_scores,
        dataset,
        warnings=problems.warnings_frame(),
        notes=list(problems.notes),
    )


def _scenario(scenario: Any, scenario_file: Path | None) -> Any:
    """The cost scenario the tables are checked against (None when the costs package says none)."""
    from impactkit.costs import Scenario

    if isinstance(scenario, Scenario):
        return scenario
    if scenario is not None:
        return Scenario.from_file(scenario)
    return Scenario.from_file(scenario_file) if scenario_file is not None else Scenario.default()


def _cross_check(read: AssessmentRead, tables: dict[str, pd.DataFrame], problems: Problems) -> None:
    """Every family in every table is in the families table (when that table has its ids)."""
    fam = tables.get("families")
    if fam is None:
        return
    fam_file = str(fam.attrs.get("source", "families"))
    if "family_id" not in fam.attrs.get("headers", {"family_id": "family_id"}):
        n = int(read.data["family_id"].nunique()) + sum(
            len(t) for k, t in tables.items() if k in ("counterfactuals", "care_used", "events")
        )
        problems.note(fam_file, "follow_on", n=n, what="gezinnen" if problems.lang == "nl" else "families")
        return
    known = fam["family_id"].dropna().astype(str)
    if not read.data.empty:
        # each id once, in order of first appearance (factorizing the Arrow column: no text copy
        # of the 2.7 million long rows of 100,000 families)
        ids = pd.Series(pd.factorize(read.data["family_id"], use_na_sentinel=True)[1]).astype(str)
        for fid in ids[~isin_text(ids, known)]:
            problems.add(
                read.file,
                int(read.family_rows.get(fid, 0)),
                read.headers.get("family_id", "family_id"),
                fid,
                "unknown_family",
                table=fam_file,
            )
    for name in ("counterfactuals", "care_used", "events"):
        t = tables.get(name)
        if t is None or "family_id" not in t.attrs.get("headers", {}):
            continue
        bad = t["family_id"].notna().to_numpy() & ~isin_text(t["family_id"], known)
        if bad.any():
            problems.add_many(
                str(t.attrs.get("source", name)),
                np.asarray(t.attrs.get("rows", np.arange(len(t)) + 2))[bad],
                t.attrs["headers"]["family_id"],
                t["family_id"][bad],
                "unknown_family",
                table=fam_file,
            )


def read_dataset(
    path: str | Path | pd.DataFrame,
    *,
    families: str | Path | pd.DataFrame | None = None,
    instrument: Instrument | str | None = None,
    lang: str = "en",
    today: str | pd.Timestamp | None = None,
    columns: Mapping[str, str] | None = None,
    ignore_columns: Iterable[str] = (),
    allow_personal_data: bool = False,
    config: Config | str | Path | None = None,
    scenario: Any = None,
    programme: str | Iterable[str] | None = None,
    municipality: str | Iterable[str] | None = None,
    domains: str | Iterable[str] | None = None,
) -> Dataset:
    """Read and validate a whole export (folder, file, mapping file or DataFrame); raise on any problem.

    Same parameters as :func:`validate`; ``programme``, ``municipality`` and ``domains`` restrict
    the dataset after validation (the whole export is still checked): see :meth:`Dataset.subset`.

    Raises
    ------
    ValidationError
        With every problem of every table in ``.problems``.

    Examples
    --------
    >>> import impactkit as ik
    >>> ds = ik.read_dataset("data/sample", today="2026-11-01")
    >>> ds.n_families, sorted(ds.files)[:4]
    (350, ['assessments', 'care_used', 'config', 'counterfactuals'])
    """
    report = validate(
        path,
        families=families,
        instrument=instrument,
        lang=lang,
        today=today,
        columns=columns,
        ignore_columns=ignore_columns,
        allow_personal_data=allow_personal_data,
        config=config,
        scenario=scenario,
        programme=programme,
        municipality=municipality,
        domains=domains,
    )
    if not report.valid:
        from impactkit.errors import ValidationError

        raise ValidationError(report.problems, n_rows=report.n_rows)
    if report.dataset is None:  # pragma: no cover - valid always carries a dataset
        raise RuntimeError("validation passed but produced no dataset")
    return report.dataset


def read_families(
    source: str | Path | pd.DataFrame,
    *,
    lang: str = "en",
    today: str | pd.Timestamp | None = None,
    columns: Mapping[str, str] | None = None,
    sheet: str | int | None = None,
    ignore_columns: Iterable[str] = (),
    allow_personal_data: bool = False,
    config: Config | str | Path | None = None,
) -> pd.DataFrame:
    """Read and validate the families table (one row per family).

    Returns
    -------
    DataFrame
        ``family_id, programme, municipality, start_date, end_date, end_reason, household_type,
        n_children, youngest_child_age, oldest_child_age, youngest_child_age_months,
        oldest_child_age_months, expected_children, referral_source, n_volunteers``; absent
        optional columns are all missing. ``end_reason`` is one of completed, dropped_out, moved,
        referred_on (Dutch spellings such as "afgerond" or "doorverwezen" are accepted).
    """
    cfg = load_config(config)
    if isinstance(source, str | Path) and Path(source).is_dir():
        if cfg is None and (Path(source) / CONFIG_NAME).is_file():
            cfg = Config.from_file(Path(source) / CONFIG_NAME)
        found = locate_table(Path(source), "families", cfg)
        if found is None:
            raise ParameterError(
                f"The folder {str(source)!r} holds no families file (families.csv, .xlsx, .parquet, or a "
                "Dutch name such as gezinnen.xlsx)."
            )
        source, sheet = found.path, sheet if sheet is not None else found.sheet
    frame, problems, n = stage_table(
        source,
        "families",
        config=cfg,
        lang=lang,
        today=today,
        columns=columns,
        sheet=sheet,
        ignore_columns=ignore_columns,
        allow_personal_data=allow_personal_data,
    )
    problems.raise_if_any(n)
    return frame
