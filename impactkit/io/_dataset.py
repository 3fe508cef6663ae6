"""A folder laid out like ``data/sample/`` read as one :class:`Dataset`, validated as a whole.

Files are found by name (any of .csv, .xlsx, .parquet): ``assessments`` (or ``items``),
``families``, optional ``counterfactuals``, ``care_used``, ``programme_costs``, ``prices``,
``scenario.toml`` and ``instrument.toml|yaml|yml``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from impactkit.errors import ParameterError, check_choice
from impactkit.instruments import Instrument, builtin
from impactkit.io._assessments import AssessmentRead, stage_assessments
from impactkit.io._problems import PROBLEM_COLUMNS, Problems
from impactkit.io._tables import stage_table

__all__ = ["Dataset", "ValidationReport", "read_dataset", "read_families", "validate"]

SUFFIXES = (".csv", ".xlsx", ".xlsm", ".parquet", ".txt")
OPTIONAL_TABLES = ("families", "counterfactuals", "care_used", "programme_costs", "prices")


@dataclass
class Dataset:
    """Every validated table of one export, the instrument, and the files they came from."""

    assessments: pd.DataFrame
    instrument: Instrument
    families: pd.DataFrame | None = None
    counterfactuals: pd.DataFrame | None = None
    care_used: pd.DataFrame | None = None
    programme_costs: pd.DataFrame | None = None
    prices: pd.DataFrame | None = None
    scenario_path: Path | None = None
    files: dict[str, Path] = field(default_factory=dict)
    n_missing_scores: int = 0

    @property
    def n_families(self) -> int:
        return int(self.assessments["family_id"].nunique())

    def sha256(self) -> dict[str, str]:
        """SHA-256 of every input file (for a report's reproducibility footer)."""
        return {name: hashlib.sha256(p.read_bytes()).hexdigest() for name, p in sorted(self.files.items())}

    def summary(self) -> pd.DataFrame:
        """Rows, families and missing scores per wave (nothing is dropped: missing scores are counted)."""
        a = self.assessments
        g = a.groupby("wave", observed=False)
        return pd.DataFrame(
            {
                "families": g["family_id"].nunique(),
                "scores": g["score"].count(),
                "missing_scores": g["score"].apply(lambda s: int(s.isna().sum())),
            }
        ).reset_index()

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
        }

    def _repr_html_(self) -> str:
        head = "valid" if self.valid else f"{len(self.problems)} problem(s)"
        body = "" if self.valid else self.problems.drop(columns="code").to_html(index=False)
        return f"<div><strong>Validation: {head}</strong>, {self.n_rows} rows, {self.missing_scores} missing scores{body}</div>"


def _find(folder: Path, stem: str) -> Path | None:
    for suffix in SUFFIXES:
        p = folder / f"{stem}{suffix}"
        if p.is_file():
            return p
    return None


def _resolve(
    path: str | Path | pd.DataFrame,
    families: str | Path | pd.DataFrame | None,
    instrument: Instrument | str | None,
) -> tuple[dict[str, str | Path | pd.DataFrame], Instrument, Path | None]:
    sources: dict[str, str | Path | pd.DataFrame] = {}
    scenario = None
    inst_file = None
    if isinstance(path, pd.DataFrame):
        sources["assessments"] = path
    else:
        p = Path(path)
        if p.is_dir():
            a = _find(p, "assessments") or _find(p, "items")
            if a is None:
                raise ParameterError(
                    f"The folder {str(p)!r} holds no assessments file: expected assessments.csv, .xlsx or .parquet "
                    f"(or items.*). Found: {sorted(x.name for x in p.iterdir())}."
                )
            sources["assessments"] = a
            for name in OPTIONAL_TABLES:
                f = _find(p, name)
                if f is not None:
                    sources[name] = f
            scenario = p / "scenario.toml" if (p / "scenario.toml").is_file() else None
            for ext in (".toml", ".yaml", ".yml"):
                if (p / f"instrument{ext}").is_file():
                    inst_file = p / f"instrument{ext}"
        elif p.is_file():
            sources["assessments"] = p
        else:
            raise ParameterError(
                f"The 'path' parameter must be an existing file or folder. Got {str(p)!r} instead."
            )
    if families is not None:
        sources["families"] = families
    if instrument is None:
        inst = Instrument.from_file(inst_file) if inst_file else builtin("default")
    elif isinstance(instrument, Instrument):
        inst = instrument
    elif Path(str(instrument)).suffix:
        inst = Instrument.from_file(instrument)
    else:
        inst = builtin(str(instrument))
    return sources, inst, scenario


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
) -> ValidationReport:
    """Validate an export (a file, a DataFrame or a folder) and report every problem, without raising.

    Returns
    -------
    ValidationReport
        ``valid``, ``problems`` (DataFrame: ``file, row, column, value, message, code``), ``n_rows``,
        ``missing_scores`` and ``dataset`` (a :class:`Dataset` when valid, else None).

    Examples
    --------
    >>> import impactkit as ik
    >>> report = ik.validate("data/sample", today="2026-11-01")
    >>> report.valid, report.missing_scores
    (True, 133)
    """
    check_choice("lang", "validate", lang, ("en", "nl"))
    sources, inst, scenario = _resolve(path, families, instrument)
    problems = Problems(lang)
    read: AssessmentRead = stage_assessments(
        sources["assessments"],
        instrument=inst,
        lang=lang,
        today=today,
        columns=columns,
        ignore_columns=ignore_columns,
        allow_personal_data=allow_personal_data,
    )
    problems.extend(read.problems)
    n_rows = read.n_rows
    tables: dict[str, pd.DataFrame] = {}
    files: dict[str, Path] = {}
    for name, src in sources.items():
        if isinstance(src, str | Path):
            files[name] = Path(src)
        if name == "assessments":
            continue
        frame, probs, n = stage_table(
            src,
            name,
            lang=lang,
            today=today,
            allow_personal_data=allow_personal_data,
        )
        problems.extend(probs)
        n_rows += n
        tables[name] = frame
    fam = tables.get("families")
    if fam is not None and not read.data.empty:
        known = set(fam["family_id"].dropna().astype(str))
        ids = read.data["family_id"].astype(str)
        first = ~ids.duplicated()
        unknown = first & ~ids.isin(known)
        # report at the first file row of each unknown family
        raw_ids = read.family_rows
        for fid in ids[unknown].unique():
            problems.add(
                read.file,
                int(raw_ids.get(fid, 0)),
                read.headers.get("family_id", "family_id"),
                fid,
                "unknown_family",
                table=str(sources["families"])
                if not isinstance(sources["families"], pd.DataFrame)
                else "<DataFrame>",
            )
    for name in ("counterfactuals", "care_used"):
        t = tables.get(name)
        if t is not None and fam is not None:
            known = set(fam["family_id"].dropna().astype(str))
            bad = t["family_id"].notna() & ~t["family_id"].astype(str).isin(known)
            if bad.any():
                src = sources[name]
                rows = np.flatnonzero(bad.to_numpy()) + 2
                problems.add_many(
                    str(src),
                    rows,
                    "family_id",
                    t["family_id"][bad],
                    "unknown_family",
                    table=str(sources["families"]),
                )
    frame = problems.frame()
    dataset = None
    if frame.empty:
        dataset = Dataset(
            assessments=read.data,
            instrument=inst,
            scenario_path=scenario,
            files=files,
            n_missing_scores=read.n_missing_scores,
            **{k: v for k, v in tables.items()},
        )
    return ValidationReport(frame[PROBLEM_COLUMNS], n_rows, read.n_missing_scores, dataset)


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
) -> Dataset:
    """Read and validate a whole export (folder, file or DataFrame); raise on any problem.

    Raises
    ------
    ValidationError
        With every problem of every table in ``.problems``.

    Examples
    --------
    >>> import impactkit as ik
    >>> ds = ik.read_dataset("data/sample", today="2026-11-01")
    >>> ds.n_families, sorted(ds.files)[:3]
    (350, ['assessments', 'care_used', 'counterfactuals'])
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
) -> pd.DataFrame:
    """Read and validate the families table (one row per family).

    Returns
    -------
    DataFrame
        ``family_id, programme, municipality, start_date, end_date, end_reason, household_type,
        n_children, youngest_child_age, oldest_child_age, referral_source, n_volunteers``; absent
        optional columns are all missing. ``end_reason`` is one of completed, dropped_out, moved,
        referred_on (Dutch spellings such as "afgerond" or "doorverwezen" are accepted).
    """
    if isinstance(source, str | Path) and Path(source).is_dir():
        found = _find(Path(source), "families")
        if found is None:
            raise ParameterError(
                f"The folder {str(source)!r} holds no families file (families.csv, .xlsx, .parquet)."
            )
        source = found
    frame, problems, n = stage_table(
        source,
        "families",
        lang=lang,
        today=today,
        columns=columns,
        sheet=sheet,
        ignore_columns=ignore_columns,
        allow_personal_data=allow_personal_data,
    )
    problems.raise_if_any(n)
    return frame
