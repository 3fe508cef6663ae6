"""Reading the other tables of the data model (families, counterfactuals, care used, events,
prices, programme costs) from one declarative spec per table (BRIEF §2)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from impactkit.errors import ParameterError, check_choice
from impactkit.i18n import check_lang
from impactkit.instruments import normalise_label
from impactkit.io._cells import parse_date, parse_number
from impactkit.io._columns import ID_ALIASES
from impactkit.io._config import Config, load_config
from impactkit.io._events import EVENT_ALIASES, EVENT_CHECKS, fill_event_counts
from impactkit.io._messages import date_format, message
from impactkit.io._problems import Problems
from impactkit.io._rowcheck import RowCheck, run_row_checks
from impactkit.io._source import RawTable, row_numbers
from impactkit.io._staging import check_headers, open_raw, report_cells, run_pandera
from impactkit.privacy._codes import code_list

__all__ = ["SPECS", "Col", "RowCheck", "TableSpec", "read_table", "stage_table"]


@dataclass(frozen=True)
class Col:
    """One column: kind is id, text, choice, date, int, float or share (0–1, also "40%").

    ``vocabulary`` names the mapping-file section (``[household_types]``, ``[care_paths]``, ...) whose
    spellings are recoded to ids; ``yes_no`` accepts ja/nee and yes/no as 1/0.
    ``choices`` of a text column are built-in spellings (e.g. of event types) recoded the same way;
    any other value is kept as written.
    """

    kind: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    choices: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # id -> accepted spellings
    low: float | None = None
    high: float | None = None
    nullable: bool = True
    yes_no: bool = False
    categorical: bool = False  # a text column of few distinct ids in many rows: pandas categorical


@dataclass(frozen=True)
class TableSpec:
    name: str
    columns: Mapping[str, Col]
    unique: tuple[str, ...] = ()
    row_checks: tuple[RowCheck, ...] = ()
    finish: Callable[[pd.DataFrame], pd.DataFrame] | None = None  # fill defaults once the table is valid


END_REASONS = {
    "completed": ("afgerond", "voltooid", "regulier beeindigd", "regulier afgesloten", "finished", "klaar"),
    "dropped_out": (
        "uitgevallen",
        "voortijdig gestopt",
        "voortijdig beeindigd",
        "gestopt",
        "drop out",
        "dropout",
        "stopped",
        "uitval",
    ),
    "moved": ("verhuisd", "moved away", "verhuizing"),
    "referred_on": ("doorverwezen", "verwezen", "referred", "referred on", "doorverwijzing"),
}
UNITS = {
    "hour": ("uur", "uren", "hours"),
    "contact": ("contactmoment", "contacten", "gesprek", "contacts"),
    "trajectory": ("traject", "trajecten", "trajectories"),
    "day": ("dag", "dagen", "etmaal", "days"),
    "year": ("jaar", "jaren", "years"),
}
COST_ITEMS = {
    "coordinator": ("coördinator", "coordinatie", "coördinatie", "coordinatoren", "coördinatoren"),
    "training": ("scholing", "opleiding", "training", "trainingen"),
    "volunteer_expenses": ("vrijwilligersvergoeding", "onkosten vrijwilligers", "volunteer expenses"),
    "overhead": ("overhead", "overhead kosten", "overheadkosten"),
    "licence": ("licentie", "license", "licentiekosten"),
}
JUDGES = {"referrer": ("verwijzer", "aanmelder"), "coordinator": ("coördinator", "coordinator")}
AGE_MONTHS = ("maanden", "mnd", "months")

SPECS: dict[str, TableSpec] = {
    "families": TableSpec(
        "families",
        {
            "family_id": Col("id", True, ID_ALIASES),
            # categorical columns hold codes from a code list (impactkit.privacy), never free text;
            # a mapping file's [programmes], [municipalities], [household_types]... add spellings
            "programme": Col(
                "choice",
                False,
                ("programma", "program", "project", "interventie", "aanbod"),
                code_list("programme").codes,
            ),
            "municipality": Col(
                "choice",
                True,
                ("gemeente", "gemeentenaam", "woongemeente", "municipality_name", "city", "gemeentecode"),
                code_list("municipality").codes,
            ),
            "start_date": Col(
                "date",
                True,
                (
                    "startdatum",
                    "start",
                    "begindatum",
                    "datum start",
                    "datum intake",
                    "intakedatum",
                    "start traject",
                    "aanvang",
                    "datum aanmelding",
                ),
            ),
            "end_date": Col(
                "date",
                False,
                (
                    "einddatum",
                    "end",
                    "datum einde",
                    "datum afsluiting",
                    "afsluitdatum",
                    "einde traject",
                    "eind",
                ),
            ),
            "end_reason": Col(
                "choice",
                False,
                (
                    "reden einde",
                    "reden beeindiging",
                    "uitstroomreden",
                    "reden afsluiting",
                    "reden uitstroom",
                    "end reason",
                ),
                END_REASONS,
            ),
            "household_type": Col(
                "choice",
                False,
                ("huishouden", "gezinstype", "type huishouden", "household", "gezinssituatie", "gezinsvorm"),
                code_list("household_type").codes,
            ),
            "n_children": Col(
                "int",
                False,
                (
                    "aantal kinderen",
                    "kinderen",
                    "children",
                    "aantal kinderen in gezin",
                    "kinderen in huishouden",
                ),
                low=0,
                high=20,
            ),
            "youngest_child_age": Col(
                "int", False, ("leeftijd jongste kind", "jongste kind", "leeftijd jongste"), low=0, high=30
            ),
            "oldest_child_age": Col(
                "int", False, ("leeftijd oudste kind", "oudste kind", "leeftijd oudste"), low=0, high=30
            ),
            "youngest_child_age_months": Col(
                "int",
                False,
                (
                    "leeftijd jongste kind in maanden",
                    "leeftijd jongste kind maanden",
                    "leeftijd jongste kind (maanden)",
                    "leeftijd jongste (maanden)",
                    "leeftijd jongste (mnd)",
                    "leeftijd jongste kind (mnd)",
                    "leeftijd jongste kind in mnd",
                    "jongste kind maanden",
                    "youngest child age months",
                ),
                low=0,
                high=360,
            ),
            "oldest_child_age_months": Col(
                "int",
                False,
                (
                    "leeftijd oudste kind in maanden",
                    "leeftijd oudste kind maanden",
                    "leeftijd oudste kind (maanden)",
                    "leeftijd oudste (maanden)",
                    "leeftijd oudste (mnd)",
                    "leeftijd oudste kind (mnd)",
                    "leeftijd oudste kind in mnd",
                    "oudste kind maanden",
                    "oldest child age months",
                ),
                low=0,
                high=360,
            ),
            "expected_children": Col(
                "int",
                False,
                (
                    "verwachte kinderen",
                    "aantal verwachte kinderen",
                    "zwanger",
                    "zwangerschap",
                    "ongeboren kind",
                    "pregnancy",
                    "pregnant",
                ),
                low=0,
                high=5,
                yes_no=True,
            ),
            "referral_source": Col(
                "choice",
                False,
                (
                    "verwijzer",
                    "aanmelder",
                    "verwezen door",
                    "aangemeld door",
                    "verwijzende instantie",
                    "referrer",
                ),
                code_list("referral_source").codes,
            ),
            "n_volunteers": Col(
                "int",
                False,
                ("aantal vrijwilligers", "vrijwilligers", "volunteers", "aantal maatjes"),
                low=0,
                high=20,
            ),
        },
        unique=("family_id",),
    ),
    "counterfactuals": TableSpec(
        "counterfactuals",
        {
            "family_id": Col("id", True, ID_ALIASES),
            "care_path": Col(
                "text",
                True,
                ("zorgpad", "zorgvorm", "path", "traject", "verwachte zorg", "zorg zonder programma"),
            ),
            "likelihood": Col(
                "share",
                True,
                ("kans", "waarschijnlijkheid", "probability", "kans zonder programma", "inschatting"),
                low=0,
                high=1,
                nullable=False,
            ),
            "judged_by": Col(
                "choice",
                False,
                ("beoordeeld door", "ingeschat door", "judge", "beoordelaar", "inschatter"),
                JUDGES,
            ),
        },
        unique=("family_id", "care_path", "judged_by"),
    ),
    "care_used": TableSpec(
        "care_used",
        {
            "family_id": Col("id", True, ID_ALIASES),
            "care_type": Col("text", True, ("zorgvorm", "soort zorg", "type", "zorgsoort", "voorziening")),
            "units": Col(
                "float",
                True,
                ("eenheden", "aantal", "quantity", "aantal eenheden", "omvang"),
                low=0,
                nullable=False,
            ),
            "start": Col("date", False, ("start_date", "startdatum", "begin", "begindatum")),
            "end": Col("date", False, ("end_date", "einddatum", "eind")),
        },
    ),
    "events": TableSpec(
        "events",
        {
            "family_id": Col("id", True, ID_ALIASES),
            "event_type": Col(
                "text",
                True,
                (
                    "gebeurtenis",
                    "soort gebeurtenis",
                    "soort melding",
                    "soort",
                    "soort incident",
                    "categorie",
                    "melding",
                    "type",
                    "event",
                ),
                EVENT_ALIASES,
                categorical=True,  # ~14 rows per family: an id per row would be 24 bytes, a code 1
            ),
            "date": Col("date", False, ("datum", "datum melding", "event_date", "on")),
            "period_start": Col("date", False, ("periode van", "periode start", "van", "from")),
            "period_end": Col("date", False, ("periode tot", "periode eind", "tot", "until", "to")),
            "count": Col("int", False, ("aantal", "number", "n"), low=0),
        },
        row_checks=EVENT_CHECKS,
        finish=fill_event_counts,
    ),
    "prices": TableSpec(
        "prices",
        {
            "care_type": Col("text", True, ("zorgvorm", "type", "zorgsoort")),
            "unit": Col("choice", True, ("eenheid",), UNITS, nullable=False),
            "price": Col(
                "float", True, ("prijs", "tarief", "kostprijs", "prijs per eenheid"), low=0, nullable=False
            ),
            "price_year": Col(
                "int", True, ("prijsjaar", "jaar", "prijspeil"), low=1990, high=2100, nullable=False
            ),
            "payer": Col("text", True, ("betaler", "financier", "financieringsbron")),
            "source": Col("text", True, ("bron", "bronvermelding")),
            # the source in each language (like a scenario's source_nl/source_en): the Dutch report
            # shows source_nl, the English one source_en, else the source as written
            "source_nl": Col("text", False, ("bron nl", "bron (nl)", "bron nederlands")),
            "source_en": Col("text", False, ("bron en", "bron (en)", "bron engels", "source (en)")),
        },
        unique=("care_type",),
    ),
    "programme_costs": TableSpec(
        "programme_costs",
        {
            "year": Col("int", True, ("jaar", "boekjaar"), low=1990, high=2100, nullable=False),
            "municipality": Col("choice", False, ("gemeente",), code_list("municipality").codes),
            "item": Col("choice", True, ("post", "kostenpost", "kostensoort"), COST_ITEMS, nullable=False),
            "amount": Col("float", True, ("bedrag", "kosten", "bedrag euro", "euro"), low=0, nullable=False),
        },
        unique=("year", "municipality", "item"),
    ),
}


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
    config: Config | str | Path | None = None,
) -> pd.DataFrame:
    """Read and validate one table of the data model; raise :class:`~impactkit.ValidationError`.

    ``kind`` is one of families, counterfactuals, care_used, events, prices, programme_costs. ``config``
    (a mapping file) adds its column names, ignore list, vocabularies (e.g. ``[household_types]``)
    and the sheet of that table.
    """
    frame, problems, n = stage_table(
        source,
        kind,
        columns=columns,
        sheet=sheet,
        lang=lang,
        today=today,
        ignore_columns=ignore_columns,
        allow_personal_data=allow_personal_data,
        config=config,
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
    config: Config | str | Path | None = None,
    choices: Mapping[str, Iterable[str]] | None = None,
) -> tuple[pd.DataFrame, Problems, int]:
    """Parse and check one table without raising.

    ``choices`` adds accepted ids to choice columns (e.g. a scenario's own programme cost items).
    The frame's ``attrs`` hold ``source`` (file), ``rows`` (the file row of each frame row) and
    ``headers`` (impactkit name → header as written), so later checks can name file, row and column.
    """
    check_choice("kind", "read_table", kind, tuple(SPECS))
    check_lang(lang, "read_table")  # any language with catalogues (impactkit/locale)
    spec = SPECS[kind]
    cfg = load_config(config)
    decimal = encoding = None
    if cfg is not None:
        columns = {**cfg.column_map(kind), **(columns or {})}
        ignore_columns = (*cfg.ignored(kind), *ignore_columns)
        sheet = sheet if sheet is not None else cfg.table(kind).sheet
        decimal, encoding = cfg.csv_options(kind)["decimal"], cfg.csv_options(kind)["encoding"]
    if isinstance(source, str | Path) and Path(source).is_dir():
        found = [Path(source) / f"{kind}{sfx}" for sfx in (".csv", ".xlsx", ".xlsm", ".parquet", ".txt")]
        hits = [p for p in found if p.is_file()]
        if not hits:
            raise ParameterError(
                f"The folder {str(source)!r} holds no {kind} file ({kind}.csv, .xlsx or .parquet)."
            )
        source = hits[0]
    now = pd.Timestamp(today).normalize() if today is not None else pd.Timestamp.today().normalize()
    problems = Problems(lang)
    raw = open_raw(source, problems, sheet=sheet, decimal=decimal, encoding=encoding)
    if raw is None:
        frame = pd.DataFrame({name: _empty(col, 0) for name, col in spec.columns.items()})
        frame.attrs.update(source=str(source), rows=row_numbers(np.array([], dtype=int)), headers={})
        return frame, problems, 0
    targets = {name: col.aliases for name, col in spec.columns.items()}
    mapping = check_headers(
        raw,
        targets,
        problems,
        column_map=columns,
        ignore_columns=ignore_columns,
        allow_personal_data=allow_personal_data,
        expected=", ".join(spec.columns),
        required={
            name: " / ".join(dict.fromkeys((name, *col.aliases[:3])))
            for name, col in spec.columns.items()
            if col.required and not (name == "programme" and cfg is not None and cfg.programme_name)
        },
        table=kind,
    )
    by_target = {t: h for h, t in mapping.items()}
    n = len(raw.frame)
    if n == 0 and not raw.issues and not len(problems):
        problems.add(raw.file, 1, "", "", "empty_file")
    out: dict[str, object] = {}
    for name, col in spec.columns.items():
        if name not in by_target:
            out[name] = _empty(col, n)
            continue
        header = by_target[name]
        vocab = cfg.values(kind, name) if cfg is not None else {}
        extra = tuple((choices or {}).get(name, ()))
        out[name] = _parse(col, raw.frame[header], raw, problems, header, now, lang, vocab, extra)
    frame = pd.DataFrame(out, index=pd.RangeIndex(n), copy=False)  # the parsed columns as they are
    del out
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
    run_row_checks(spec.row_checks, frame, raw, problems, by_target, lang)
    if kind == "families" and "end_date" in by_target and "start_date" in by_target:
        st, e = frame["start_date"].to_numpy(), frame["end_date"].to_numpy()
        bad = ~np.isnat(st) & ~np.isnat(e) & (e < st)
        if bad.any():
            msgs = [
                message("end_before_start", lang, start=pd.Timestamp(d).date().isoformat()) for d in st[bad]
            ]
            problems.add_many(
                raw.file,
                raw.rows[bad],
                by_target["end_date"],
                raw.frame[by_target["end_date"]][bad],
                "end_before_start",
                messages=msgs,
            )
    if kind == "families":
        _family_extras(frame, raw, problems, by_target, cfg)
    if spec.finish is not None and not len(problems):
        frame = spec.finish(frame)
    frame.attrs["source"] = raw.file
    frame.attrs["rows"] = row_numbers(raw.rows)  # never deep-copied by pandas (see RowNumbers)
    frame.attrs["headers"] = by_target
    return frame, problems, n


def _family_extras(
    frame: pd.DataFrame, raw: RawTable, problems: Problems, by_target: dict[str, str], cfg: Config | None
) -> None:
    """Ages in months become whole years; the programme from the mapping file; the age-range warning."""
    for which in ("youngest", "oldest"):
        years, months = f"{which}_child_age", f"{which}_child_age_months"
        if months not in by_target:
            continue
        m = frame[months]
        derived = (m // 12).astype("Int64")
        if years in by_target:
            given = frame[years]
            clash = (given.notna() & derived.notna() & (given != derived)).to_numpy(dtype=bool)
            if clash.any():
                msgs = [
                    message("age_mismatch", problems.lang, months=int(mm), years=int(yy))
                    for mm, yy in zip(m[clash], given[clash], strict=True)
                ]
                problems.add_many(
                    raw.file, raw.rows[clash], by_target[months], raw.frame[by_target[months]][clash],
                    "age_mismatch", messages=msgs,
                )  # fmt: skip
            frame[years] = given.fillna(derived)
        else:
            frame[years] = derived
            problems.note(raw.file, "note_ages_from_months")
    if cfg is not None and cfg.programme_name and "programme" not in by_target:
        frame["programme"] = pd.array([cfg.programme_name] * len(frame), dtype="string")
        problems.note(raw.file, "note_programme_filled", name=cfg.programme_name)
    if cfg is not None and cfg.child_ages is not None:
        low, high = cfg.child_ages
        for col in ("youngest_child_age", "oldest_child_age"):
            source_col = next((c for c in (f"{col}_months", col) if c in by_target), None)
            if source_col is None:
                continue
            in_months = source_col.endswith("_months")
            age = frame[source_col].astype("Float64") / (12 if in_months else 1)
            outside = (age.notna() & ((age < low) | (age >= high + 1))).to_numpy(dtype=bool)
            if outside.any():
                msgs = [
                    message("age_outside", problems.lang, age=round(float(a), 1), low=low, high=high)
                    for a in age[outside].to_numpy(dtype=float)
                ]
                problems.warn(
                    raw.file, raw.rows[outside], by_target[source_col], raw.frame[by_target[source_col]][outside],
                    "age_outside", messages=msgs,
                )  # fmt: skip


def _expected(col: Col, lang: str) -> str:
    if col.kind == "choice":
        codes = list(col.choices)
        return ", ".join(codes[:12]) + (f" … ({len(codes)} codes)" if len(codes) > 12 else "")
    if col.kind == "date":
        return date_format(lang)
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
    if col.categorical:
        return pd.Categorical.from_codes(np.full(n, -1), categories=pd.Index([], dtype="str"))
    return pd.array([pd.NA] * n, dtype="string")


_YES = ("ja", "yes", "true", "waar", "zwanger", "j", "y")
_NO = ("nee", "no", "false", "onwaar", "niet zwanger", "n")


def _lookup(ids: Iterable[str], spellings: Mapping[str, Iterable[str]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for cid in ids:
        out.setdefault(normalise_label(cid), cid)
    for cid, sps in spellings.items():
        for sp in sps:
            out[normalise_label(sp)] = cid
    return out


def _map_text(values: pd.Series, table: Mapping[object, object]) -> pd.Series:
    """``values.map(table)`` through the column's distinct values (missing stays missing).

    ``Series.map`` looks each cell up as a Python object (13.7 million strings for the events of a
    million families: gigabytes); factorizing an Arrow text column makes none.
    """
    codes, uniques = pd.factorize(values)
    mapped = pd.array([table.get(u) for u in uniques], dtype="string[pyarrow]")
    return pd.Series(mapped.take(codes, allow_fill=True), index=values.index, name=values.name)


def _categorical_text(values: pd.Series, table: Mapping[str, str]) -> pd.Categorical:
    """``values.map(table)`` as a categorical (categories sorted, missing stays missing), built from the
    column's codes: no text per row."""
    codes, uniques = pd.factorize(values)
    mapped = [table[u] for u in uniques]
    categories = sorted(set(mapped))
    position = {c: i for i, c in enumerate(categories)}
    remap = np.array([position[m] for m in mapped] + [-1], dtype=np.int32)  # code -1 (missing) stays -1
    return pd.Categorical.from_codes(remap[codes], categories=pd.Index(categories, dtype="str"))


def _parse(
    col: Col,
    values: pd.Series,
    raw: RawTable,
    problems: Problems,
    header: str,
    now: pd.Timestamp,
    lang: str,
    vocab: Mapping[str, tuple[str, ...]] | None = None,
    extra: tuple[str, ...] = (),
) -> object:
    vocab = vocab or {}
    if col.kind == "id":
        return values.astype("string")
    if col.kind == "text":
        spellings = {**col.choices, **vocab}  # built-in spellings, then the mapping file's
        if not spellings:
            return values.astype("string")
        lookup = _lookup(spellings, spellings)
        uniq = {u: lookup.get(normalise_label(u), u) for u in pd.unique(values.dropna())}
        if col.categorical:
            return _categorical_text(values, uniq)
        return _map_text(values, uniq).astype("string")
    if col.kind == "choice":
        choices = {**{c: () for c in extra}, **col.choices}
        lookup = _lookup(choices, {**choices, **vocab})
        uniq = {u: lookup.get(normalise_label(u)) for u in pd.unique(values.dropna())}
        mapped = _map_text(values, uniq)
        bad = values.notna().to_numpy() & mapped.isna().to_numpy()
        # the value is never shown: a categorical cell that is not a code may be free text about a
        # family (a name, an address); the problem gives its length and the codes expected
        codes = list(dict.fromkeys([*col.choices, *extra, *vocab]))
        expected = ", ".join(codes[:12]) + (f" … ({len(codes)} codes)" if len(codes) > 12 else "")
        problems.add_grouped(
            raw.file, raw.rows[bad], header, values[bad], "unknown_choice", expected=expected, hide=True
        )
        return mapped.astype("string")
    if col.kind == "date":
        parsed, fails = parse_date(values, required=False, today=now)
        report_cells(
            raw,
            problems,
            fails,
            header,
            values,
            expected=date_format(lang),
            today=now.date().isoformat(),
        )
        return parsed
    text = values
    if col.yes_no:
        # object dtype: a column left empty in a CSV reads as an all-null arrow column
        values = values.astype(object)
        norm = values.map(lambda v: v if pd.isna(v) else normalise_label(v))
        text = values.mask(norm.isin(_YES), "1").mask(norm.isin(_NO), "0")
    if col.kind == "share":
        ends_pct = (
            values.astype(object).where(values.isna(), values.astype(str)).str.endswith("%").fillna(False)
        )
        pct = ends_pct.to_numpy(dtype=bool)
        text = values.astype(object).where(~pct, values.astype(str).str.rstrip("%").str.strip())
    parsed, fails = parse_number(
        text,
        integer=col.kind == "int",
        low=col.low,
        high=col.high,
        check_range=col.kind != "share",
        decimal=raw.decimal,
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
