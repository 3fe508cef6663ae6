"""Reading the other tables of the data model (families, counterfactuals, care used, prices,
programme costs) from one declarative spec per table (BRIEF §2)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from impactkit.errors import ParameterError, check_choice
from impactkit.instruments import normalise_label
from impactkit.io._cells import parse_date, parse_number
from impactkit.io._problems import Problems
from impactkit.io._source import RawTable, read_raw
from impactkit.io._staging import check_headers, report_cells, run_pandera

__all__ = ["SPECS", "Col", "TableSpec", "read_table", "stage_table"]


@dataclass(frozen=True)
class Col:
    """One column: kind is id, text, choice, date, int, float or share (0–1, also "40%")."""

    kind: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    choices: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # id -> accepted spellings
    low: float | None = None
    high: float | None = None
    nullable: bool = True


@dataclass(frozen=True)
class TableSpec:
    name: str
    columns: Mapping[str, Col]
    unique: tuple[str, ...] = ()


END_REASONS = {
    "completed": ("afgerond", "voltooid", "regulier beeindigd", "finished"),
    "dropped_out": ("uitgevallen", "voortijdig gestopt", "gestopt", "drop out", "dropout", "stopped"),
    "moved": ("verhuisd", "moved away"),
    "referred_on": ("doorverwezen", "verwezen", "referred", "referred on"),
}
SPECS: dict[str, TableSpec] = {
    "families": TableSpec(
        "families",
        {
            "family_id": Col(
                "id", True, ("gezin", "gezin_id", "gezinsnummer", "gezinscode", "family", "client_id")
            ),
            "programme": Col("text", False, ("programma", "program", "project")),
            "municipality": Col("text", True, ("gemeente", "gemeentenaam", "municipality_name", "city")),
            "start_date": Col("date", True, ("startdatum", "start", "begindatum", "datum start")),
            "end_date": Col("date", False, ("einddatum", "end", "datum einde")),
            "end_reason": Col(
                "choice",
                False,
                ("reden einde", "reden beeindiging", "uitstroomreden", "end reason"),
                END_REASONS,
            ),
            "household_type": Col(
                "text", False, ("huishouden", "gezinstype", "type huishouden", "household")
            ),
            "n_children": Col("int", False, ("aantal kinderen", "kinderen", "children"), low=0, high=20),
            "youngest_child_age": Col(
                "int", False, ("leeftijd jongste kind", "jongste kind"), low=0, high=30
            ),
            "oldest_child_age": Col("int", False, ("leeftijd oudste kind", "oudste kind"), low=0, high=30),
            "referral_source": Col("text", False, ("verwijzer", "aanmelder", "verwezen door", "referrer")),
            "n_volunteers": Col(
                "int", False, ("aantal vrijwilligers", "vrijwilligers", "volunteers"), low=0, high=20
            ),
        },
        unique=("family_id",),
    ),
    "counterfactuals": TableSpec(
        "counterfactuals",
        {
            "family_id": Col("id", True, ("gezin", "gezin_id")),
            "care_path": Col("text", True, ("zorgpad", "zorgvorm", "path")),
            "likelihood": Col(
                "share", True, ("kans", "waarschijnlijkheid", "probability"), low=0, high=1, nullable=False
            ),
            "judged_by": Col(
                "choice",
                False,
                ("beoordeeld door", "ingeschat door", "judge"),
                {"referrer": ("verwijzer",), "coordinator": ("coördinator", "coordinator")},
            ),
        },
        unique=("family_id", "care_path", "judged_by"),
    ),
    "care_used": TableSpec(
        "care_used",
        {
            "family_id": Col("id", True, ("gezin", "gezin_id")),
            "care_type": Col("text", True, ("zorgvorm", "soort zorg", "type")),
            "units": Col("float", True, ("eenheden", "aantal", "quantity"), low=0, nullable=False),
            "start": Col("date", False, ("start_date", "startdatum", "begin")),
            "end": Col("date", False, ("end_date", "einddatum", "eind")),
        },
    ),
    "prices": TableSpec(
        "prices",
        {
            "care_type": Col("text", True, ("zorgvorm", "type")),
            "unit": Col(
                "choice",
                True,
                ("eenheid",),
                {
                    "hour": ("uur",),
                    "contact": (),
                    "trajectory": ("traject",),
                    "day": ("dag",),
                    "year": ("jaar",),
                },
                nullable=False,
            ),
            "price": Col("float", True, ("prijs", "tarief", "kostprijs"), low=0, nullable=False),
            "price_year": Col("int", True, ("prijsjaar", "jaar"), low=1990, high=2100, nullable=False),
            "payer": Col("text", True, ("betaler", "financier")),
            "source": Col("text", True, ("bron",)),
        },
        unique=("care_type",),
    ),
    "programme_costs": TableSpec(
        "programme_costs",
        {
            "year": Col("int", True, ("jaar",), low=1990, high=2100, nullable=False),
            "municipality": Col("text", False, ("gemeente",)),
            "item": Col(
                "choice",
                True,
                ("post", "kostenpost"),
                {
                    "coordinator": ("coördinator", "coordinatie", "coördinatie"),
                    "training": ("scholing", "opleiding", "training"),
                    "volunteer_expenses": (
                        "vrijwilligersvergoeding",
                        "onkosten vrijwilligers",
                        "volunteer expenses",
                    ),
                    "overhead": ("overhead", "overhead kosten"),
                    "licence": ("licentie", "license"),
                },
                nullable=False,
            ),
            "amount": Col("float", True, ("bedrag", "kosten"), low=0, nullable=False),
        },
        unique=("year", "municipality", "item"),
    ),
}

DATE_TEXT = {"en": "YYYY-MM-DD or DD-MM-YYYY", "nl": "JJJJ-MM-DD of DD-MM-JJJJ"}


def read_table(
    source: str | Path | pd.DataFrame,
    kind: str,
    *,
    columns: Mapping[str, str] | None = None,
    sheet: str | int | None = None,
    lang: str = "en",
    today: str | pd.Timestamp | None = None,
    ignore_columns: Iterable[str] = (),
    allow_personal_data: bool = False,
) -> pd.DataFrame:
    """Read and validate one table of the data model; raise :class:`~impactkit.ValidationError`."""
    frame, problems, n = stage_table(
        source,
        kind,
        columns=columns,
        sheet=sheet,
        lang=lang,
        today=today,
        ignore_columns=ignore_columns,
        allow_personal_data=allow_personal_data,
    )
    problems.raise_if_any(n)
    return frame


def stage_table(
    source: str | Path | pd.DataFrame | RawTable,
    kind: str,
    *,
    columns: Mapping[str, str] | None = None,
    sheet: str | int | None = None,
    lang: str = "en",
    today: str | pd.Timestamp | None = None,
    ignore_columns: Iterable[str] = (),
    allow_personal_data: bool = False,
) -> tuple[pd.DataFrame, Problems, int]:
    """Parse and check one table without raising."""
    check_choice("kind", "read_table", kind, tuple(SPECS))
    check_choice("lang", "read_table", lang, ("en", "nl"))
    spec = SPECS[kind]
    if isinstance(source, str | Path) and Path(source).is_dir():
        found = [Path(source) / f"{kind}{sfx}" for sfx in (".csv", ".xlsx", ".xlsm", ".parquet", ".txt")]
        hits = [p for p in found if p.is_file()]
        if not hits:
            raise ParameterError(
                f"The folder {str(source)!r} holds no {kind} file ({kind}.csv, .xlsx or .parquet)."
            )
        source = hits[0]
    raw = source if isinstance(source, RawTable) else read_raw(source, sheet=sheet)
    now = pd.Timestamp(today).normalize() if today is not None else pd.Timestamp.today().normalize()
    problems = Problems(lang)
    targets = {name: col.aliases for name, col in spec.columns.items()}
    mapping = check_headers(
        raw,
        targets,
        problems,
        column_map=columns,
        ignore_columns=ignore_columns,
        allow_personal_data=allow_personal_data,
        expected=", ".join(spec.columns),
    )
    by_target = {t: h for h, t in mapping.items()}
    n = len(raw.frame)
    for name, col in spec.columns.items():
        if col.required and name not in by_target:
            problems.add(
                raw.file, 1, name, "", "missing_column", expected=" / ".join((name, *col.aliases[:3]))
            )
    out: dict[str, object] = {}
    for name, col in spec.columns.items():
        if name not in by_target:
            out[name] = _empty(col, n)
            continue
        header = by_target[name]
        values = raw.frame[header]
        out[name] = _parse(col, values, raw, problems, header, now, lang)
    frame = pd.DataFrame(out, index=pd.RangeIndex(n))
    checks = {
        name: pa.Column(
            nullable=not (col.kind == "id" or not col.nullable) or name not in by_target,
        )
        for name, col in spec.columns.items()
        if name in by_target
    }
    unique = [u for u in spec.unique if u in by_target]
    schema = pa.DataFrameSchema(checks, unique=unique or None, report_duplicates="exclude_first")
    failures = run_pandera(frame, schema)
    if not failures.empty:
        idx = failures["index"].astype("int64").to_numpy()
        check = failures["check"].astype(str).to_numpy()
        col_of = failures["column"].astype(str).to_numpy()
        for name in checks:
            sel = (check == "not_nullable") & (col_of == name)
            pos = np.unique(idx[sel])
            pos = pos[
                raw.frame[by_target[name]].isna().to_numpy()[pos]
            ]  # unparsable cells are reported already
            code = "missing_id" if spec.columns[name].kind == "id" else "missing_value"
            problems.add_many(
                raw.file,
                raw.rows[pos],
                by_target[name],
                [""] * len(pos),
                code,
                expected=_expected(spec.columns[name], lang),
            )
        dup = np.unique(idx[check == "multiple_fields_uniqueness"])
        if dup.size:
            keyed = frame[unique].astype(object).fillna("").astype(str)
            firsts = (
                keyed.reset_index().groupby(unique, sort=False)["index"].transform("first").to_numpy("int64")
            )
            dup = dup[firsts[dup] != dup]
            from impactkit.io._messages import message

            msgs = [
                message("duplicate", lang, keys=" × ".join(unique), first=int(raw.rows[firsts[p]]))
                for p in dup
            ]
            problems.add_many(
                raw.file,
                raw.rows[dup],
                by_target[unique[0]],
                [" / ".join(r) for r in keyed.to_numpy()[dup]],
                "duplicate",
                messages=msgs,
            )
    if kind == "families" and "end_date" in by_target and "start_date" in by_target:
        s, e = frame["start_date"].to_numpy(), frame["end_date"].to_numpy()
        bad = ~np.isnat(s) & ~np.isnat(e) & (e < s)
        problems.add_many(
            raw.file,
            raw.rows[bad],
            by_target["end_date"],
            raw.frame[by_target["end_date"]][bad],
            "end_before_start",
            messages=None,
            start="",
        )
        if bad.any():  # name the start date in each message
            from impactkit.io._messages import message

            part = problems._parts[-1]
            part["message"] = [
                message("end_before_start", lang, start=pd.Timestamp(d).date().isoformat()) for d in s[bad]
            ]
    frame.attrs["source"] = raw.file
    return frame, problems, n


def _expected(col: Col, lang: str) -> str:
    if col.kind == "choice":
        return ", ".join(col.choices)
    if col.kind == "date":
        return DATE_TEXT[lang]
    if col.kind in ("int", "float", "share"):
        lo = "" if col.low is None else f"{col.low:g}"
        hi = "" if col.high is None else f"{col.high:g}"
        word = {
            "int": ("a whole number", "een geheel getal"),
            "float": ("a number", "een getal"),
            "share": ("a share", "een aandeel"),
        }[col.kind][lang == "nl"]
        rng = f" {lo}–{hi}" if lo and hi else (f" ≥ {lo}" if lo else "")
        return word + rng
    return "text" if lang == "en" else "tekst"


def _empty(col: Col, n: int) -> object:
    if col.kind == "date":
        return np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    if col.kind == "int":
        return pd.array([pd.NA] * n, dtype="Int64")
    if col.kind in ("float", "share"):
        return np.full(n, np.nan)
    return pd.array([pd.NA] * n, dtype="string")


def _parse(
    col: Col, values: pd.Series, raw: RawTable, problems: Problems, header: str, now: pd.Timestamp, lang: str
) -> object:
    if col.kind in ("id", "text"):
        return values.astype("string")
    if col.kind == "choice":
        lookup = {}
        for cid, spellings in col.choices.items():
            for sp in (cid, *spellings):
                lookup[normalise_label(sp)] = cid
        uniq = {u: lookup.get(normalise_label(u)) for u in pd.unique(values.dropna())}
        mapped = values.map(uniq)
        bad = values.notna().to_numpy() & mapped.isna().to_numpy()
        problems.add_many(
            raw.file, raw.rows[bad], header, values[bad], "unknown_choice", expected=", ".join(col.choices)
        )
        return mapped.astype("string")
    if col.kind == "date":
        parsed, fails = parse_date(values, required=False, today=now)
        report_cells(
            raw, problems, fails, header, values, expected=DATE_TEXT[lang], today=now.date().isoformat()
        )
        return parsed
    text = values
    if col.kind == "share":
        ends_pct = (
            values.astype(object).where(values.isna(), values.astype(str)).str.endswith("%").fillna(False)
        )
        pct = ends_pct.to_numpy(dtype=bool)
        text = values.astype(object).where(~pct, values.astype(str).str.rstrip("%").str.strip())
    parsed, fails = parse_number(
        text, integer=col.kind == "int", low=col.low, high=col.high, check_range=col.kind != "share"
    )
    if col.kind == "share":
        parsed = np.where(pct, parsed / 100, parsed)
        bad = np.isfinite(parsed) & ((parsed < 0) | (parsed > 1))
        if bad.any():
            fails.add(bad, "out_of_range")
            parsed[bad] = np.nan
    report_cells(raw, problems, fails, header, values, expected=_expected(col, lang))
    if col.kind == "int":
        return pd.arrays.IntegerArray(np.where(np.isnan(parsed), 0, parsed).astype("int64"), np.isnan(parsed))
    return parsed
