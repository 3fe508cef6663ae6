"""Reading assessment exports (long, wide or item level) into the canonical long frame.

Scope: one table per call. Rows are reported as the user sees them (header = row 1; the sheet row
in Excel); columns as written in the file; every problem at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeAlias

import numpy as np
import pandas as pd
import pandera.pandas as pa

from impactkit._canonical import COLUMNS
from impactkit.errors import ParameterError
from impactkit.i18n import check_lang
from impactkit.instruments import Instrument, builtin, normalise_label
from impactkit.io._cells import parse_date, parse_number
from impactkit.io._columns import ALIASES, match_columns
from impactkit.io._config import Config, config_instrument, load_config, with_vocabulary
from impactkit.io._messages import date_format, layout_name, message
from impactkit.io._problems import Problems
from impactkit.io._source import RawTable
from impactkit.io._staging import check_headers, open_raw, report_cells, run_pandera

__all__ = ["AssessmentRead", "read_assessments", "read_items", "stage_assessments"]

Source: TypeAlias = str | Path | pd.DataFrame


@dataclass
class AssessmentRead:
    """What reading one assessments table produced (the frame may be partial when problems exist)."""

    data: pd.DataFrame
    problems: Problems
    layout: str
    n_rows: int
    n_missing_scores: int
    file: str
    rows: np.ndarray = field(default_factory=lambda: np.array([], dtype=int))
    items: pd.DataFrame | None = None
    family_rows: pd.Series = field(default_factory=lambda: pd.Series(dtype="int64"))  # id -> first row
    headers: dict[str, str] = field(default_factory=dict)  # impactkit name -> header as written


def read_assessments(
    source: Source,
    *,
    instrument: Instrument | str | None = None,
    columns: Mapping[str, str] | None = None,
    sheet: str | int | None = None,
    lang: str = "en",
    today: str | pd.Timestamp | None = None,
    ignore_columns: Iterable[str] = (),
    allow_personal_data: bool = False,
    config: Config | str | Path | None = None,
) -> pd.DataFrame:
    """Read and validate assessments into the canonical long frame.

    Parameters
    ----------
    source : path or DataFrame
        CSV (``,`` ``;`` or tab separated, decimal commas, UTF-8 with or without BOM, CRLF), Excel
        (.xlsx, first sheet or ``sheet``), Parquet, or a DataFrame. Long (``family_id, wave,
        assessed_on, domain, score``), wide (one column per domain) or item level (``item, answer``
        or one column per item) layouts are recognised from the headers, which may be ids or the
        instrument's Dutch or English labels.
    instrument : Instrument or str, optional
        An :class:`~impactkit.Instrument` or the name of a shipped one; default ``"default"``.
    columns : mapping, optional
        Header as written → impactkit name (``family_id``, ``wave``, ``assessed_on``, ``domain``,
        ``score``, ``item``, ``answer`` or a domain/item id), for headers impactkit does not recognise.
    sheet : str or int, optional
        Excel sheet name or position.
    lang : {"en", "nl"}
        Language of the problem messages.
    today : date, optional
        Dates after ``today`` are reported as future dates (default: the current date).
    ignore_columns : iterable of str
        Headers to skip instead of reporting them as unknown.
    allow_personal_data : bool
        Accept columns that look like names, addresses, birth dates or BSNs (default False: rejected).
    config : Config or path, optional
        A mapping file (``impactkit.toml``): its ``[assessments]`` columns, sheet and ignore list, its
        ``[columns]``, ``[waves]`` and ``[domains]`` vocabularies and its instrument apply; the
        arguments above win where both are given.

    Returns
    -------
    DataFrame
        Columns ``family_id, wave, assessed_on, domain, score`` (see :mod:`impactkit._canonical`);
        ``attrs["instrument"]`` holds the instrument.

    Raises
    ------
    ValidationError
        With every problem in ``.problems`` (``file, row, column, value, message, code``).

    Notes
    -----
    Missing scores (empty cells) are allowed and kept as NaN: they are counted
    (``attrs["n_missing_scores"]``), never dropped or imputed. Item-level data are scored into
    domains as the mean of the answered items (reverse items as min + max − answer) when at least
    ``instrument.min_share_answered`` of the domain's items are answered; otherwise the domain
    score is missing.

    Examples
    --------
    >>> import impactkit as ik
    >>> data = ik.read_assessments("data/sample/assessments.csv", today="2026-11-01")
    >>> list(data.columns)
    ['family_id', 'wave', 'assessed_on', 'domain', 'score']
    >>> data["wave"].cat.categories.tolist()
    ['intake', 'year1', 'year2']
    """
    result = stage_assessments(
        source,
        instrument=instrument,
        columns=columns,
        sheet=sheet,
        lang=lang,
        today=today,
        ignore_columns=ignore_columns,
        allow_personal_data=allow_personal_data,
        config=config,
    )
    result.problems.raise_if_any(result.n_rows)
    return result.data


def read_items(source: Source, **kwargs: object) -> pd.DataFrame:
    """Read item-level data: ``family_id, wave, assessed_on, item, domain, answer, scored``.

    ``scored`` is the answer after reverse scoring. Same options as :func:`read_assessments`.
    """
    result = stage_assessments(source, **kwargs)  # type: ignore[arg-type]
    result.problems.raise_if_any(result.n_rows)
    if result.items is None:
        raise ParameterError(f"{result.file} holds domain scores, not item answers; use read_assessments.")
    return result.items


def _as_instrument(instrument: Instrument | str | None) -> Instrument:
    if instrument is None:
        return builtin("default")
    if isinstance(instrument, str):
        return Instrument.from_file(instrument) if Path(instrument).suffix else builtin(instrument)
    if isinstance(instrument, Instrument):
        return instrument
    raise ParameterError(
        f"The 'instrument' parameter must be an Instrument, a shipped instrument's name or a file path. "
        f"Got {type(instrument).__name__} instead."
    )


def _from_folder(folder: Path) -> tuple[Path, Instrument | None]:
    """The assessments (or items) file of a folder laid out like data/sample, and its instrument file."""
    for stem in ("assessments", "items"):
        for suffix in (".csv", ".xlsx", ".xlsm", ".parquet", ".txt"):
            if (folder / f"{stem}{suffix}").is_file():
                found = folder / f"{stem}{suffix}"
                break
        else:
            continue
        break
    else:
        raise ParameterError(
            f"The folder {str(folder)!r} holds no assessments file: expected assessments.csv, .xlsx or .parquet "
            f"(or items.*). Found: {sorted(x.name for x in folder.iterdir())}."
        )
    for ext in (".toml", ".yaml", ".yml"):
        if (folder / f"instrument{ext}").is_file():
            return found, Instrument.from_file(folder / f"instrument{ext}")
    return found, None


def _today(today: str | pd.Timestamp | None) -> pd.Timestamp:
    return pd.Timestamp(today).normalize() if today is not None else pd.Timestamp.today().normalize()


def stage_assessments(
    source: Source | RawTable,
    *,
    instrument: Instrument | str | None = None,
    columns: Mapping[str, str] | None = None,
    sheet: str | int | None = None,
    lang: str = "en",
    today: str | pd.Timestamp | None = None,
    ignore_columns: Iterable[str] = (),
    allow_personal_data: bool = False,
    config: Config | str | Path | None = None,
    decimal: str | None = None,
    encoding: str | None = None,
) -> AssessmentRead:
    """Read and check without raising: the frame plus every problem found."""
    check_lang(lang, "read_assessments")  # any language with catalogues (impactkit/locale)
    cfg = load_config(config)
    if isinstance(source, str | Path) and Path(source).is_dir():
        source, folder_instrument = _from_folder(Path(source))
        instrument = instrument if instrument is not None else folder_instrument
    if cfg is not None:
        instrument = instrument if instrument is not None else config_instrument(cfg)
        columns = {**cfg.column_map("assessments"), **(columns or {})}
        ignore_columns = (*cfg.ignored("assessments"), *ignore_columns)
        sheet = sheet if sheet is not None else cfg.table("assessments").sheet
        opts = cfg.csv_options("assessments")
        decimal, encoding = decimal or opts["decimal"], encoding or opts["encoding"]
    inst = _as_instrument(instrument)
    if cfg is not None:
        inst = with_vocabulary(inst, cfg)
    problems = Problems(lang)
    now = _today(today)
    empty = pd.DataFrame(columns=COLUMNS)
    name = (
        source.file
        if isinstance(source, RawTable)
        else (str(source) if isinstance(source, str | Path) else "<DataFrame>")
    )
    raw = open_raw(source, problems, sheet=sheet, decimal=decimal, encoding=encoding)
    if raw is None:
        return AssessmentRead(empty, problems, "unknown", 0, 0, name)

    targets: dict[str, tuple[str, ...]] = dict(ALIASES)
    for d in inst.domains:
        targets[d.id] = (d.label_nl, d.label_en, *d.aliases)
    item_spellings = cfg.vocab.get("items", {}) if cfg is not None else {}
    for it in inst.items:
        targets.setdefault(it.id, tuple(item_spellings.get(it.id, ())))
    expected = (
        "family_id, wave, assessed_on "
        + ("en domeinkolommen (" if lang == "nl" else "and domain columns (")
        + ", ".join(inst.domain_ids)
        + ")"
    )
    other = _other_instrument(raw.frame.columns, targets, inst, columns, ignore_columns)
    if other is not None:  # many headers are another instrument's domains: one problem, not one per column
        name, headers = other
        problems.add(
            raw.file, 1, headers[0], ", ".join(headers[:4]) + (", …" if len(headers) > 4 else ""),
            "instrument_mismatch", n=len(headers), other=name, instrument=inst.id,
        )  # fmt: skip
        ignore_columns = (*ignore_columns, *headers)
    mapping = check_headers(
        raw,
        targets,
        problems,
        column_map=columns,
        ignore_columns=ignore_columns,
        allow_personal_data=allow_personal_data,
        expected=expected,
        required={r: " / ".join(dict.fromkeys((r, *ALIASES[r][:4]))) for r in ("family_id", "wave")},
    )
    by_target = {t: h for h, t in mapping.items()}
    domain_cols = [d for d in inst.domain_ids if d in by_target]
    item_cols = [i for i in inst.item_ids if i in by_target]
    if "domain" in by_target and "score" in by_target:
        layout = "long"
    elif "item" in by_target and "answer" in by_target:
        layout = "items_long"
    elif item_cols and not domain_cols:
        layout = "items_wide"
    else:
        layout = "wide"
    n = len(raw.frame)
    if n == 0:
        if not raw.issues:
            problems.add(raw.file, 1, "", "", "empty_file")
        return AssessmentRead(empty, problems, layout, n, 0, raw.file, raw.rows)
    if layout != "wide" or len(mapping) < len(raw.frame.columns):
        named = [f"{h} = {t}" for h, t in mapping.items() if t in ALIASES]
        code = "note_layout_items" if layout.startswith("items_") else "note_layout"
        problems.note(raw.file, code, layout=layout_name(layout, lang), columns=", ".join(named))
    if layout == "wide" and not domain_cols:
        problems.add(raw.file, 1, "domain", "", "missing_column", expected=", ".join(inst.domain_ids))
    if len(problems) and (
        "family_id" not in by_target
        or "wave" not in by_target
        or n == 0
        or (layout == "wide" and not domain_cols)
    ):
        return AssessmentRead(empty, problems, layout, n, 0, raw.file, raw.rows)

    f = raw.frame
    fam = f[by_target["family_id"]]
    wave_raw = f[by_target["wave"]]
    wave_ids = _map_values(wave_raw, inst.match_wave)
    unknown_wave = wave_raw.notna().to_numpy() & wave_ids.isna().to_numpy()
    shown = ", ".join(f"{w.id} ({w.label(lang)})" for w in inst.waves)
    numeric = unknown_wave & wave_raw.str.fullmatch(r"[+-]?\d+([.,]0*)?").fillna(False).to_numpy(dtype=bool)
    for code, sel in (("unknown_wave", unknown_wave & ~numeric), ("numeric_wave", numeric)):
        if sel.any():
            problems.add_grouped(
                raw.file,
                raw.rows[sel],
                by_target["wave"],
                wave_raw[sel],
                code,
                expected=shown,
                value=str(wave_raw[sel].iloc[0]),
            )
    missing_wave = wave_raw.isna().to_numpy()
    problems.add_many(
        raw.file,
        raw.rows[missing_wave],
        by_target["wave"],
        wave_raw[missing_wave],
        "missing_value",
        expected=shown,
    )

    if "assessed_on" in by_target:
        dates, dfails = parse_date(f[by_target["assessed_on"]], required=True, today=now)
        report_cells(
            raw,
            problems,
            dfails,
            by_target["assessed_on"],
            f[by_target["assessed_on"]],
            expected=date_format(lang),
            today=now.date().isoformat(),
        )
    else:
        dates = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")

    scale = inst.scale
    range_text = f"{'an integer' if scale.integer else 'a number'} from {scale.min:g} to {scale.max:g}"
    if lang == "nl":
        range_text = f"{'een geheel getal' if scale.integer else 'een getal'} van {scale.min:g} tot en met {scale.max:g}"
    staged = pd.DataFrame(
        {
            "family_id": fam.astype(object),
            "wave": wave_ids.where(wave_ids.notna(), "?" + wave_raw.astype(str)),
        },
        index=pd.RangeIndex(n),
    )
    score_cols: dict[str, str] = {}  # staged column -> header as written
    items_frame: pd.DataFrame | None = None
    if layout in ("long", "items_long"):
        key_col = "domain" if layout == "long" else "item"
        val_col = "score" if layout == "long" else "answer"
        key_raw = f[by_target[key_col]]
        if layout == "long":
            keys = _map_values(key_raw, inst.match_domain)
            allowed = ", ".join(inst.domain_ids)
        else:
            item_lookup = {normalise_label(i): i for i in inst.item_ids}
            if cfg is not None:  # the mapping file's [items] spellings
                for iid, spellings in cfg.vocab.get("items", {}).items():
                    item_lookup.update({normalise_label(sp): iid for sp in spellings if iid in inst.item_ids})
            keys = _map_values(key_raw, lambda v: item_lookup.get(normalise_label(v)))
            allowed = ", ".join(inst.item_ids[:5]) + (", ..." if len(inst.items) > 5 else "")
        bad_key = keys.isna().to_numpy()
        unknown_key = bad_key & key_raw.notna().to_numpy()
        problems.add_grouped(
            raw.file,
            raw.rows[unknown_key],
            by_target[key_col],
            key_raw[unknown_key],
            "unknown_domain" if layout == "long" else "unknown_item",
            expected=allowed,
        )
        problems.add_many(
            raw.file,
            raw.rows[bad_key & ~unknown_key],
            by_target[key_col],
            key_raw[bad_key & ~unknown_key],
            "missing_value",
            expected=allowed,
        )
        values, vfails = parse_number(
            _levels_as_numbers(f[by_target[val_col]], inst),
            integer=scale.integer,
            check_range=False,
            decimal=raw.decimal,
        )
        report_cells(raw, problems, vfails, by_target[val_col], f[by_target[val_col]], expected=range_text)
        staged[key_col] = keys.where(keys.notna(), "?" + key_raw.astype(str)).to_numpy()
        staged["value"] = values
        score_cols["value"] = by_target[val_col]
        unique_keys = ["family_id", "wave", key_col]
    else:
        cols = domain_cols if layout == "wide" else item_cols
        for c in cols:
            values, vfails = parse_number(
                _levels_as_numbers(f[by_target[c]], inst),
                integer=scale.integer,
                check_range=False,
                decimal=raw.decimal,
            )
            report_cells(raw, problems, vfails, by_target[c], f[by_target[c]], expected=range_text)
            staged[c] = values
            score_cols[c] = by_target[c]
        unique_keys = ["family_id", "wave"]

    # scores far off the scale in bulk: the instrument's scale, not the cells, is wrong (one problem)
    _scale_mismatch(staged, score_cols, scale, raw, problems, inst)

    # pandera: identifiers present, scores on the scale, keys unique (all failures at once)
    schema = pa.DataFrameSchema(
        {
            "family_id": pa.Column(object, nullable=False),
            **{
                c: pa.Column(float, pa.Check.in_range(scale.min, scale.max), nullable=True)
                for c in score_cols
            },
        },
        unique=unique_keys,
        report_duplicates="exclude_first",
    )
    failures = run_pandera(staged, schema)
    _report_pandera(failures, staged, raw, problems, by_target, score_cols, unique_keys, range_text)

    # one family's later wave must not be dated before an earlier one; one date per family × wave
    if "assessed_on" in by_target:
        _check_wave_dates(staged, dates, wave_ids, raw, problems, by_target["assessed_on"], inst)

    valid_rows = fam.notna().to_numpy() & wave_ids.notna().to_numpy()
    if layout == "wide":
        data, n_missing = _melt_wide(staged, dates, wave_ids, valid_rows, domain_cols, inst, by_target, raw)
    elif layout == "long":
        ok = valid_rows & ~bad_key
        data = pd.DataFrame(
            {
                "family_id": staged["family_id"][ok].astype(str).to_numpy(),
                "wave": wave_ids[ok].to_numpy(),
                "assessed_on": dates[ok],
                "domain": staged["domain"][ok].to_numpy(),
                "score": staged["value"][ok].to_numpy(),
            }
        )
        n_missing = int(f[by_target["score"]][ok].isna().sum())
    else:
        items_frame = _items_long(
            staged,
            dates,
            wave_ids,
            valid_rows,
            layout,
            item_cols,
            inst,
            f[by_target["answer"]].isna().to_numpy() if layout == "items_long" else None,
        )
        data = score_items(items_frame, inst)
        n_missing = int(data["score"].isna().sum())
    data = _finish(data, inst)
    data, n_missing = _used_part(data, inst, n_missing, problems, raw.file)
    data.attrs["n_missing_scores"] = n_missing
    data.attrs["layout"] = layout
    data.attrs["source"] = raw.file
    # each family's first row, by id (a Series: a dict of a million Python strings would be ~150 MB
    # held while the other tables are read)
    keep = fam.notna().to_numpy() & ~fam.duplicated().to_numpy()
    family_rows = pd.Series(raw.rows[keep], index=pd.Index(fam[keep].array, dtype="string"))
    return AssessmentRead(
        data, problems, layout, n, n_missing, raw.file, raw.rows, items_frame, family_rows, by_target
    )


def _other_instrument(
    headers: Iterable[str],
    targets: Mapping[str, Iterable[str]],
    inst: Instrument,
    columns: Mapping[str, str] | None,
    ignore: Iterable[str],
) -> tuple[str, list[str]] | None:
    """(name, headers) when at least two unrecognised headers, and most of them, are the domains of
    another shipped instrument: the export was read with the wrong instrument."""
    _mapped, unmatched, _clashes = match_columns(headers, targets, column_map=columns)
    skip = {str(c) for c in ignore}
    unmatched = [h for h in unmatched if h not in skip]
    if len(unmatched) < 2:
        return None
    best: tuple[str, list[str]] | None = None
    for name in ("default", "zrm2017", "agreement35"):
        cand = builtin(name)
        if cand.id == inst.id:
            continue
        hits = [h for h in unmatched if cand.match_domain(h) is not None]
        if (
            len(hits) >= 2
            and len(hits) >= 0.5 * len(unmatched)
            and (best is None or len(hits) > len(best[1]))
        ):
            best = (name, hits)
    return best


def _scale_mismatch(
    staged: pd.DataFrame,
    score_cols: dict[str, str],
    scale: Any,
    raw: RawTable,
    problems: Problems,
    inst: Instrument,
) -> None:
    """One problem when a fifth or more of the scores (ten at least) lie off the scale: a 1–10 export
    read with a 1–5 instrument is one mistake, not hundreds of bad cells."""
    if not score_cols:
        return
    values = staged[list(score_cols)].to_numpy(dtype=float)
    present = ~np.isnan(values)
    off = present & ((values < scale.min) | (values > scale.max))
    n_off, n = int(off.sum()), int(present.sum())
    if n_off < 10 or n_off < 0.2 * n:
        return
    lo, hi = np.nanmin(values), np.nanmax(values)
    problems.add(
        raw.file, 1, next(iter(score_cols.values())), f"{lo:g}–{hi:g}", "scale_mismatch",
        n_off=n_off, n=n, lo=f"{lo:g}", hi=f"{hi:g}", instrument=inst.id, min=f"{scale.min:g}",
        max=f"{scale.max:g}",
    )  # fmt: skip
    for c in score_cols:  # the cells are not reported one by one as well
        col = staged[c].to_numpy(dtype=float)
        staged[c] = np.where((col < scale.min) | (col > scale.max), np.nan, col)


def _levels_as_numbers(cells: pd.Series, inst: Instrument) -> pd.Series:
    """Cells holding a level label ("Helemaal mee eens", "Voldoende zelfredzaam") as its number."""
    labels = {}
    for lv in inst.scale.levels:
        for text in (lv.label_nl, lv.label_en):
            if text != str(lv.value):
                labels[normalise_label(text)] = str(lv.value)
    if not labels or cells.notna().sum() == 0:
        return cells
    uniq = {u: labels.get(normalise_label(u), u) for u in pd.unique(cells.dropna())}
    if all(k == v for k, v in uniq.items()):
        return cells
    return cells.map(uniq).astype(cells.dtype)


def _map_values(raw: pd.Series, fn: Callable[[Any], str | None]) -> pd.Series:
    """Apply ``fn`` once per distinct value (fast on large columns)."""
    uniq = pd.unique(raw.dropna())
    table = {u: fn(u) for u in uniq}
    return raw.map(table).astype(object)


def _report_pandera(
    failures: pd.DataFrame,
    staged: pd.DataFrame,
    raw: RawTable,
    problems: Problems,
    by_target: dict[str, str],
    score_cols: dict[str, str],
    unique_keys: list[str],
    range_text: str,
) -> None:
    if failures.empty:
        return
    idx = failures["index"].astype("int64").to_numpy()
    col = failures["column"].astype(str).to_numpy()
    check = failures["check"].astype(str).to_numpy()
    rng = np.char.startswith(check.astype(str), "in_range")
    for staged_col, header in score_cols.items():
        sel = rng & (col == staged_col)
        if sel.any():
            pos = idx[sel]
            problems.add_many(
                raw.file,
                raw.rows[pos],
                header,
                raw.frame[header].to_numpy()[pos],
                "out_of_range",
                expected=range_text,
            )
    nulls = (check == "not_nullable") & (col == "family_id")
    if nulls.any():
        pos = np.unique(idx[nulls])
        problems.add_many(raw.file, raw.rows[pos], by_target["family_id"], [""] * len(pos), "missing_id")
    dup = check == "multiple_fields_uniqueness"
    if dup.any():
        pos = np.unique(idx[dup])
        keyed = staged[unique_keys].astype(object).fillna("").astype(str)
        first = keyed.groupby(unique_keys, sort=False, dropna=False).cumcount()
        first_pos = (
            keyed.reset_index()
            .groupby(unique_keys, sort=False, dropna=False)["index"]
            .transform("first")
            .to_numpy(dtype="int64")
        )
        pos = pos[first.to_numpy()[pos] > 0]
        values = [" / ".join(map(str, r)) for r in keyed.to_numpy()[pos]]
        msgs = [
            message(
                "duplicate", problems.lang, keys=" × ".join(unique_keys), first=int(raw.rows[first_pos[p]])
            )
            for p in pos
        ]
        problems.add_many(raw.file, raw.rows[pos], by_target["family_id"], values, "duplicate", messages=msgs)


def _check_wave_dates(
    staged: pd.DataFrame,
    dates: np.ndarray,
    wave_ids: pd.Series,
    raw: RawTable,
    problems: Problems,
    date_col: str,
    inst: Instrument,
) -> None:
    order = {w: i for i, w in enumerate(inst.wave_ids)}
    # families by integer code (-1: no id), not by their text: grouping, joining and sorting on
    # codes gives the same groups (a code per distinct id) without hashing a string per row
    family = pd.factorize(staged["family_id"], use_na_sentinel=True)[0]
    frame = pd.DataFrame(
        {
            "family_id": family,
            "w": _wave_positions(wave_ids, order),
            "date": dates,
            "pos": np.arange(len(staged)),
        }
    )
    frame = frame[(family >= 0) & frame["w"].notna().to_numpy() & frame["date"].notna().to_numpy()]
    if frame.empty:
        return
    # one date per family × wave (long files repeat it on every domain row)
    firsts = frame.groupby(["family_id", "w"], sort=False).agg(
        first_date=("date", "first"), first_pos=("pos", "first")
    )
    merged = frame.join(firsts, on=["family_id", "w"])
    odd = merged[merged["date"] != merged["first_date"]]
    if len(odd):
        msgs = [
            message(
                "inconsistent_date", problems.lang, first=int(raw.rows[p]), first_date=d.date().isoformat()
            )
            for p, d in zip(odd["first_pos"], odd["first_date"], strict=True)
        ]
        problems.add_many(
            raw.file,
            raw.rows[odd["pos"].to_numpy()],
            date_col,
            raw.frame[date_col].to_numpy()[odd["pos"].to_numpy()],
            "inconsistent_date",
            messages=msgs,
        )
    g = firsts.reset_index().sort_values(["family_id", "w"])
    prev_date = g.groupby("family_id")["first_date"].shift()
    prev_pos = g.groupby("family_id")["first_pos"].shift()
    prev_w = g.groupby("family_id")["w"].shift()
    bad = (g["first_date"] < prev_date).to_numpy()
    if bad.any():
        waves = inst.wave_ids
        msgs = [
            message(
                "wave_order",
                problems.lang,
                wave=inst.wave_label(waves[int(w)], problems.lang),
                previous=inst.wave_label(waves[int(pw)], problems.lang),
                previous_date=pd.Timestamp(pd_).date().isoformat(),
                previous_row=int(raw.rows[int(pp)]),
            )
            for w, pw, pd_, pp in zip(g["w"][bad], prev_w[bad], prev_date[bad], prev_pos[bad], strict=True)
        ]
        pos = g["first_pos"][bad].to_numpy()
        problems.add_many(
            raw.file,
            raw.rows[pos],
            date_col,
            raw.frame[date_col].to_numpy()[pos],
            "wave_order",
            messages=msgs,
        )


def _wave_positions(wave_ids: pd.Series, order: Mapping[str, int]) -> np.ndarray:
    """``wave_ids.map(order)`` as floats (NaN: no known wave), through the column's distinct values."""
    codes, uniques = pd.factorize(wave_ids, use_na_sentinel=True)
    table = np.array([order.get(u, np.nan) for u in uniques] + [np.nan], dtype=float)
    return table[codes]


def _melt_wide(
    staged: pd.DataFrame,
    dates: np.ndarray,
    wave_ids: pd.Series,
    valid: np.ndarray,
    domain_cols: list[str],
    inst: Instrument,
    headers: dict[str, str],
    raw: RawTable,
) -> tuple[pd.DataFrame, int]:
    """Wide rows to canonical long rows, built from codes (no per-cell string work)."""
    k = len(domain_cols)
    sel = np.flatnonzero(valid)
    m = len(sel)
    scores = staged[domain_cols].to_numpy(dtype=float)[sel]
    n_missing = int(sum(raw.frame[headers[c]].isna().to_numpy()[sel].sum() for c in domain_cols))
    ids = pd.array(staged["family_id"].to_numpy()[sel], dtype="string").take(np.repeat(np.arange(m), k))
    position = _wave_positions(wave_ids, {w: i for i, w in enumerate(inst.wave_ids)})[sel]
    wave_codes = np.where(np.isnan(position), -1, position).astype(np.int8)  # -1: no known wave
    domain_codes = np.array([inst.domain_ids.index(c) for c in domain_cols], dtype=np.int8)
    out = pd.DataFrame(
        {
            "family_id": pd.Series(ids),
            "wave": pd.Categorical.from_codes(
                np.repeat(wave_codes, k), categories=pd.Index(inst.wave_ids), ordered=True
            ),
            "assessed_on": np.repeat(dates[sel], k),
            "domain": pd.Categorical.from_codes(
                np.tile(domain_codes, m), categories=pd.Index(inst.domain_ids)
            ),
            "score": scores.reshape(-1),
        },
        copy=False,  # every array is built here: no second copy of 23 million rows at a million families
    )
    out.attrs["instrument"] = inst
    return out, n_missing


def _items_long(
    staged: pd.DataFrame,
    dates: np.ndarray,
    wave_ids: pd.Series,
    valid: np.ndarray,
    layout: str,
    item_cols: list[str],
    inst: Instrument,
    _missing: np.ndarray | None,
) -> pd.DataFrame:
    domain_of = {i.id: i.domain for i in inst.items}
    if layout == "items_long":
        ok = valid & staged["item"].isin(domain_of).to_numpy()
        items = pd.DataFrame(
            {
                "family_id": staged["family_id"][ok].astype(str).to_numpy(),
                "wave": wave_ids[ok].to_numpy(),
                "assessed_on": dates[ok],
                "item": staged["item"][ok].to_numpy(),
                "answer": staged["value"][ok].to_numpy(),
            }
        )
    else:
        sel = np.flatnonzero(valid)
        k = len(item_cols)
        items = pd.DataFrame(
            {
                "family_id": np.repeat(staged["family_id"].to_numpy()[sel].astype(str), k),
                "wave": np.repeat(wave_ids.to_numpy()[sel], k),
                "assessed_on": np.repeat(dates[sel], k),
                "item": np.tile(np.asarray(item_cols, dtype=object), len(sel)),
                "answer": staged[item_cols].to_numpy(dtype=float)[sel].reshape(-1),
            }
        )
    answer = items["answer"].to_numpy(dtype=float)
    answer = np.where((answer >= inst.scale.min) & (answer <= inst.scale.max), answer, np.nan)
    items["answer"] = answer
    reverse = items["item"].map({i.id: i.reverse for i in inst.items}).to_numpy(dtype=bool)
    items["domain"] = items["item"].map(domain_of)
    items["scored"] = np.where(reverse, inst.scale.min + inst.scale.max - answer, answer)
    items["wave"] = pd.Categorical(items["wave"], categories=inst.wave_ids, ordered=True)
    return items[["family_id", "wave", "assessed_on", "item", "domain", "answer", "scored"]]


def score_items(items: pd.DataFrame, instrument: Instrument) -> pd.DataFrame:
    """Score item answers into domains (mean of answered items, reverse items already applied).

    A domain score is missing when fewer than ``instrument.min_share_answered`` of its items were
    answered. Returns the canonical long columns (scores need not be integers).
    """
    n_items = pd.Series([i.domain for i in instrument.items]).value_counts()
    g = items.groupby(["family_id", "wave", "domain"], observed=True, sort=False)
    agg = g.agg(score=("scored", "mean"), answered=("scored", "count"), assessed_on=("assessed_on", "first"))
    agg = agg.reset_index()
    share = agg["answered"] / agg["domain"].map(n_items).to_numpy(dtype=float)
    agg.loc[(share < instrument.min_share_answered).to_numpy(), "score"] = np.nan
    return agg[["family_id", "wave", "assessed_on", "domain", "score"]]


def _used_part(
    data: pd.DataFrame, inst: Instrument, n_missing: int, problems: Problems, file: str
) -> tuple[pd.DataFrame, int]:
    """Leave out domains never scored and waves never measured, with a note (never a refusal).

    Works on the categorical codes (no per-row string work: this runs on every read).
    """
    if data.empty:
        return data, n_missing
    ok = data["score"].notna().to_numpy()
    dcodes = data["domain"].cat.codes.to_numpy()
    wcodes = data["wave"].cat.codes.to_numpy()
    dcount = np.bincount(dcodes[ok & (dcodes >= 0)], minlength=len(inst.domain_ids))
    wcount = np.bincount(wcodes[ok & (wcodes >= 0)], minlength=len(inst.wave_ids))
    used_d = [d for d, c in zip(inst.domain_ids, dcount, strict=True) if c]
    used_w = [w for w, c in zip(inst.wave_ids, wcount, strict=True) if c]
    if not used_d:
        return data, n_missing
    lang = problems.lang
    unused_d = [d for d in inst.domain_ids if d not in used_d]
    unused_w = [w for w in inst.wave_ids if w not in used_w]
    if len(used_w) < 2:
        problems.note(file, "note_one_wave", wave=", ".join(inst.wave_label(w, lang) for w in used_w))
        unused_w = []
    if not unused_d and not unused_w:
        return data, n_missing
    if unused_d:
        problems.note(
            file,
            "note_unused_domains",
            n=len(unused_d),
            total=len(inst.domains),
            domains=", ".join(inst.domain_label(d, lang) for d in unused_d),
        )
    if unused_w:
        problems.note(file, "note_unused_waves", waves=", ".join(inst.wave_label(w, lang) for w in unused_w))
    sub = inst.subset(domains=used_d, waves=[w for w in inst.wave_ids if w not in unused_w])
    remap_d = np.array([sub.domain_ids.index(d) if d in sub.domain_ids else -1 for d in inst.domain_ids])
    remap_w = np.array([sub.wave_ids.index(w) if w in sub.wave_ids else -1 for w in inst.wave_ids])
    new_d = np.where(dcodes >= 0, remap_d[dcodes], -1)
    new_w = np.where(wcodes >= 0, remap_w[wcodes], -1)
    keep = (new_d >= 0) & (new_w >= 0)
    n_missing -= int((~ok & ~keep).sum())
    out = pd.DataFrame(
        {
            "family_id": data["family_id"].to_numpy()[keep],
            "wave": pd.Categorical.from_codes(new_w[keep], categories=pd.Index(sub.wave_ids), ordered=True),
            "assessed_on": data["assessed_on"].to_numpy()[keep],
            "domain": pd.Categorical.from_codes(new_d[keep], categories=pd.Index(sub.domain_ids)),
            "score": data["score"].to_numpy()[keep],
        }
    )
    out["family_id"] = out["family_id"].astype("string")
    out.attrs["instrument"] = sub
    return out, n_missing


def _finish(data: pd.DataFrame, inst: Instrument) -> pd.DataFrame:
    if (
        isinstance(data["wave"].dtype, pd.CategoricalDtype)
        and isinstance(data["domain"].dtype, pd.CategoricalDtype)
        and data["family_id"].dtype == "string"
    ):
        data.attrs["instrument"] = inst
        return data
    out = pd.DataFrame(
        {
            "family_id": data["family_id"].astype("string"),
            "wave": pd.Categorical(data["wave"], categories=inst.wave_ids, ordered=True),
            "assessed_on": pd.to_datetime(data["assessed_on"]).astype("datetime64[ns]"),
            "domain": pd.Categorical(data["domain"], categories=inst.domain_ids),
            "score": data["score"].astype("float64"),
        }
    )
    out = out[out["domain"].notna()].reset_index(drop=True)
    out.attrs["instrument"] = inst
    return out
