"""The mapping file ``impactkit.toml``: an organisation's own vocabulary for its exports.

One reusable file says where each table is, what its headers and codes mean, which instrument and
scenario apply, and which columns to skip, so that a raw export reads without preparation::

    instrument = "zrm2017"                # a shipped instrument, or a file next to this one
    scenario = "scenario.toml"            # optional
    ignore = ["Opmerking"]                # headers skipped in every table

    [columns]                             # headers that mean the same in every table
    family_id = ["Dossiernummer", "Cliëntcode"]

    [assessments]                         # one section per table (file, sheet, columns, ignore)
    file = "Metingen 2024.xlsx"
    sheet = "ZRM"
    columns = { assessed_on = "Datum afname" }

    [families]
    file = "Metingen 2024.xlsx"           # one workbook may hold every table, a sheet each
    sheet = "Gezinnen"

    [waves]                               # vocabularies: impactkit id = the spellings in the export
    intake = ["Nulmeting", "1"]           # numbers are never guessed: give them here
    year1 = ["Eindmeting", "2"]

    [domains]
    finances = "Geldzaken"

    [care_paths]
    supervision_order = ["OTS", "ondertoezichtstelling"]

Tables: ``assessments`` (or item answers), ``families``, ``counterfactuals``, ``care_used``,
``events``, ``prices``, ``programme_costs``.  Vocabularies: ``waves``, ``domains``, ``items``,
``care_paths``, ``care_types``, ``event_types``,
``cost_items``, ``household_types``, ``referral_sources``, ``end_reasons``, ``programmes``,
``municipalities``, ``judges``, ``units``.  ``[programme]`` holds ``name`` (filled in when the families
table has no programme column) and ``child_ages = [min, max]`` (years; an age outside is a warning).
``[outcomes]`` declares the before / during / after windows of events and care use:
``pre_months`` (default 12), ``post_months`` (default 12; ``"open"`` runs to the end of the export),
and the period the export covers, ``observed_from`` / ``observed_until``: a date, or a table of dates
per table or type (``observed_from = { events = 2021-01-01, police_report = 2022-01-01 }``).
``decimal`` ("," or ".") and ``encoding`` fix how CSV files are read (default: detected).  ``[run]`` is
reserved for ``impactkit run``.  Paths are relative to the folder of the mapping file.

Every mistake raises :class:`~impactkit.errors.ConfigError` naming the file and the dotted key.
"""

from __future__ import annotations

import codecs
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from impactkit.errors import ConfigError, InstrumentError, ParameterError
from impactkit.instruments import BUILTIN, Instrument, normalise_label

__all__ = [
    "CONFIG_NAME",
    "TABLES",
    "VOCABULARIES",
    "Config",
    "TableConfig",
    "config_instrument",
    "load_config",
    "with_vocabulary",
]

CONFIG_NAME = "impactkit.toml"
TABLES = ("assessments", "families", "counterfactuals", "care_used", "events", "prices", "programme_costs")
# vocabulary section -> the (table, column) pairs whose values it recodes
VOCABULARIES: dict[str, tuple[tuple[str, str], ...]] = {
    "waves": (("assessments", "wave"),),
    "domains": (("assessments", "domain"),),
    "items": (("assessments", "item"),),
    "care_paths": (("counterfactuals", "care_path"),),
    "care_types": (("care_used", "care_type"), ("prices", "care_type")),
    "event_types": (("events", "event_type"),),
    "cost_items": (("programme_costs", "item"),),
    "household_types": (("families", "household_type"),),
    "referral_sources": (("families", "referral_source"),),
    "end_reasons": (("families", "end_reason"),),
    "programmes": (("families", "programme"),),
    "municipalities": (("families", "municipality"), ("programme_costs", "municipality")),
    "judges": (("counterfactuals", "judged_by"),),
    "units": (("prices", "unit"),),
}
_TOP = {
    "instrument", "scenario", "lang", "ignore", "columns", "decimal", "encoding", "programme", "outcomes", "run",
}  # fmt: skip
_TABLE_KEYS = {"file", "sheet", "columns", "ignore", "decimal", "encoding"}
_PROGRAMME_KEYS = {"name", "child_ages"}
_OUTCOME_KEYS = {"pre_months", "post_months", "observed_from", "observed_until"}


@dataclass(frozen=True)
class TableConfig:
    """Where one table is and what its headers mean (``columns``: impactkit name → headers)."""

    file: str | None = None
    sheet: str | None = None
    columns: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    ignore: tuple[str, ...] = ()
    decimal: str | None = None
    encoding: str | None = None


@dataclass(frozen=True)
class Config:
    """A parsed mapping file (see the module docstring for its sections).

    Attributes
    ----------
    source : Path or None
        The file it came from (None for a dict).
    instrument, scenario : str or None
        A shipped instrument name or a path (resolved against the mapping file's folder), and a
        scenario path.
    tables : mapping of table name to :class:`TableConfig`
    columns : mapping of impactkit column name to headers, for every table
    ignore : headers skipped in every table
    vocab : mapping of vocabulary section to {id: spellings}
    programme : ``name`` and ``child_ages`` (min, max) in years, both optional
    outcomes : the ``[outcomes]`` section, checked (keywords of :func:`impactkit.outcomes.phase_counts`)
    run : the ``[run]`` section, unparsed (``impactkit run``)
    """

    source: Path | None = None
    instrument: str | None = None
    scenario: str | None = None
    lang: str | None = None
    tables: Mapping[str, TableConfig] = field(default_factory=dict)
    columns: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    ignore: tuple[str, ...] = ()
    decimal: str | None = None
    encoding: str | None = None
    vocab: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)
    programme_name: str | None = None
    child_ages: tuple[float, float] | None = None
    outcomes: Mapping[str, Any] = field(default_factory=dict)
    run: Mapping[str, Any] = field(default_factory=dict)

    # ---------------------------------------------------------------- constructors
    @classmethod
    def from_file(cls, path: str | Path) -> Config:
        """Read a mapping file (TOML)."""
        p = Path(path)
        if p.is_dir():
            p = p / CONFIG_NAME
        if not p.is_file():
            raise ConfigError.at("file_not_found", source=str(p))
        try:
            text = p.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise ConfigError.at("not_utf8_mapping", source=str(p), start=err.start) from err
        try:
            spec = tomllib.loads(text)
        except tomllib.TOMLDecodeError as err:
            raise ConfigError.at("not_toml", source=str(p), error=err) from err
        except RecursionError as err:
            raise ConfigError.at("not_toml_nested", source=str(p)) from err
        return cls.from_dict(spec, source=p)

    @classmethod
    def from_dict(cls, spec: Mapping[str, Any], *, source: str | Path | None = None) -> Config:
        """Build and check a mapping; a :class:`ConfigError` names the key at fault."""
        return _parse(spec, Path(source) if source is not None else None)

    # ---------------------------------------------------------------------- views
    @property
    def folder(self) -> Path | None:
        """The folder the mapping file sits in (paths in it are relative to this folder)."""
        return self.source.parent if self.source is not None else None

    @property
    def name(self) -> str:
        return str(self.source) if self.source is not None else "<config>"

    def table(self, name: str) -> TableConfig:
        return self.tables.get(name, TableConfig())

    def column_map(self, table: str) -> dict[str, str]:
        """Header as written → impactkit name, for ``table`` (its own columns win over ``[columns]``)."""
        out: dict[str, str] = {}
        for source in (self.columns, self.table(table).columns):
            for target, headers in source.items():
                for h in headers:
                    out[h] = target
        return out

    def ignored(self, table: str) -> tuple[str, ...]:
        return (*self.ignore, *self.table(table).ignore)

    def values(self, table: str, column: str) -> dict[str, tuple[str, ...]]:
        """The vocabulary (id → spellings) that recodes ``table.column``, empty when none is given."""
        for section, uses in VOCABULARIES.items():
            if (table, column) in uses:
                return dict(self.vocab.get(section, {}))
        return {}

    def csv_options(self, table: str) -> dict[str, str | None]:
        t = self.table(table)
        return {"decimal": t.decimal or self.decimal, "encoding": t.encoding or self.encoding}

    def resolve(self, path: str) -> Path:
        """A path from the mapping file, relative to its folder."""
        p = Path(path)
        return p if p.is_absolute() or self.folder is None else self.folder / p


def load_config(config: Config | str | Path | Mapping[str, Any] | None) -> Config | None:
    """A :class:`Config` from a Config, a path (file or folder) or a dict; None stays None."""
    if config is None or isinstance(config, Config):
        return config
    if isinstance(config, str | Path):
        return Config.from_file(config)
    if isinstance(config, Mapping):
        return Config.from_dict(config)
    raise ParameterError(
        "The 'config' parameter must be a Config, a path to impactkit.toml or a dict. "
        f"Got {type(config).__name__} instead."
    )


def config_instrument(cfg: Config) -> Instrument | None:
    """The instrument a mapping file names (a shipped one, or a file relative to the mapping file)."""
    if cfg.instrument is None:
        return None
    if cfg.instrument in BUILTIN:
        return Instrument.builtin(cfg.instrument)
    path = cfg.resolve(cfg.instrument)
    if not path.is_file():
        raise ConfigError.at("unknown_instrument", source=cfg.name, key="instrument", name=repr(cfg.instrument),
                             builtin=", ".join(BUILTIN), path=path)  # fmt: skip
    return Instrument.from_file(path)


def with_vocabulary(inst: Instrument, cfg: Config) -> Instrument:
    """``inst`` accepting the mapping file's ``[waves]`` and ``[domains]`` spellings."""
    waves, domains = cfg.vocab.get("waves", {}), cfg.vocab.get("domains", {})
    checks = [("waves", waves, inst.wave_ids), ("domains", domains, inst.domain_ids)]
    checks.append(("items", cfg.vocab.get("items", {}), inst.item_ids))
    for section, given, ids in checks:
        for vid in given:
            if vid not in ids:
                hint = _closest(vid, set(ids))
                raise ConfigError.at(
                    f"no_{section[:-1]}_hint" if hint else f"no_{section[:-1]}", source=cfg.name, key=f"{section}.{vid}",
                    instrument=repr(inst.id), got=repr(vid), known=", ".join(ids), **({"hint": repr(hint)} if hint else {}),
                )  # fmt: skip
    if not waves and not domains:
        return inst
    try:
        return inst.with_aliases(waves=waves, domains=domains)
    except InstrumentError as err:  # an alias that clashes with another wave's or domain's label
        wrapped = ConfigError(str(err), source=cfg.name, key="waves" if waves else "domains")
        # the clash in the reader's language (the English stays as the instrument said it)
        wrapped.message_key, wrapped.message_values = err.message_key, err.message_values
        raise wrapped from err


# ------------------------------------------------------------------------- parsing
def _parse(spec: Mapping[str, Any], source: Path | None) -> Config:
    src = str(source) if source is not None else "<config>"

    def fail(message_key: str, key: str, **values: Any) -> ConfigError:
        return ConfigError.at(message_key, source=src, key=key, **values)

    if not isinstance(spec, Mapping):
        raise fail("expected_top_table", "", got=type(spec).__name__)
    allowed = _TOP | set(TABLES) | set(VOCABULARIES)
    unknown = sorted(set(spec) - allowed)
    if unknown:
        hint = _closest(unknown[0], allowed)
        raise fail(
            f"unknown_key_{'many' if len(unknown) > 1 else 'one'}{'_hint' if hint else ''}", unknown[0], unknown=unknown,
            allowed=", ".join(sorted(allowed)), **({"hint": repr(hint)} if hint else {}),
        )  # fmt: skip

    def text(obj: Mapping[str, Any], name: str, key: str) -> str | None:
        val = obj.get(name)
        if val is None:
            return None
        if not isinstance(val, str) or not val.strip():
            raise fail("expected_nonempty_text", key, got=repr(val))
        return val.strip()

    def headers(val: Any, key: str) -> tuple[str, ...]:
        items = [val] if isinstance(val, str | int) and not isinstance(val, bool) else val
        if not isinstance(items, list) or not items:
            raise fail("expected_headers", key, got=repr(val))
        out = []
        for v in items:
            if isinstance(v, bool) or not isinstance(v, str | int) or not str(v).strip():
                raise fail("expected_headers", key, got=repr(v))
            out.append(str(v).strip())
        return tuple(out)

    def columns(val: Any, key: str) -> dict[str, tuple[str, ...]]:
        if not isinstance(val, Mapping):
            raise fail("expected_column_table", key, got=repr(val))
        return {str(k): headers(v, f"{key}.{k}") for k, v in val.items()}

    def listing(val: Any, key: str) -> tuple[str, ...]:
        return () if val is None else headers(val, key)

    def decimal(obj: Mapping[str, Any], key: str) -> str | None:
        val = obj.get("decimal")
        if val is not None and val not in (",", "."):
            raise fail("expected_decimal", key, got=repr(val))
        return val

    def encoding(obj: Mapping[str, Any], key: str) -> str | None:
        val = text(obj, "encoding", key)
        if val is not None:
            try:
                codecs.lookup(val)
            except LookupError as err:
                raise fail("unknown_encoding", key, got=repr(val)) from err
        return val

    tables: dict[str, TableConfig] = {}
    for name in TABLES:
        if name not in spec:
            continue
        raw = spec[name]
        if not isinstance(raw, Mapping):
            raise fail("expected_table_spec", name, got=repr(raw))
        bad = sorted(set(raw) - _TABLE_KEYS)
        if bad:
            raise fail(
                "unknown_keys", f"{name}.{bad[0]}", unknown=bad, allowed=", ".join(sorted(_TABLE_KEYS))
            )
        tables[name] = TableConfig(
            file=text(raw, "file", f"{name}.file"),
            sheet=text(raw, "sheet", f"{name}.sheet"),
            columns=columns(raw.get("columns", {}), f"{name}.columns"),
            ignore=listing(raw.get("ignore"), f"{name}.ignore"),
            decimal=decimal(raw, f"{name}.decimal"),
            encoding=encoding(raw, f"{name}.encoding"),
        )

    vocab: dict[str, dict[str, tuple[str, ...]]] = {}
    for section in VOCABULARIES:
        if section in spec:
            raw = spec[section]
            if not isinstance(raw, Mapping):
                raise fail("expected_vocabulary", section, got=repr(raw))
            vocab[section] = {str(k): headers(v, f"{section}.{k}") for k, v in raw.items()}
            seen: dict[str, str] = {}
            for vid, spellings in vocab[section].items():
                for sp in spellings:
                    norm = normalise_label(sp)
                    if seen.get(norm, vid) != vid:
                        raise fail("spelling_twice", f"{section}.{vid}", spelling=repr(sp), first=repr(seen[norm]),
                                   second=repr(vid))  # fmt: skip
                    seen[norm] = vid

    prog = spec.get("programme", {})
    if not isinstance(prog, Mapping):
        raise fail("expected_programme_table", "programme", got=repr(prog))
    bad = sorted(set(prog) - _PROGRAMME_KEYS)
    if bad:
        raise fail(
            "unknown_keys", f"programme.{bad[0]}", unknown=bad, allowed=", ".join(sorted(_PROGRAMME_KEYS))
        )
    ages = prog.get("child_ages")
    child_ages: tuple[float, float] | None = None
    if ages is not None:
        if (
            not isinstance(ages, list)
            or len(ages) != 2
            or any(isinstance(a, bool) or not isinstance(a, int | float) for a in ages)
            or not 0 <= ages[0] <= ages[1] <= 30
        ):
            raise fail("expected_child_ages", "programme.child_ages", got=repr(ages))
        child_ages = (float(ages[0]), float(ages[1]))
    outcomes = _outcomes(spec.get("outcomes", {}), fail)
    lang = text(spec, "lang", "lang")
    if lang is not None and lang not in ("nl", "en"):
        raise fail("expected_lang", "lang", got=repr(lang))
    run = spec.get("run", {})
    if not isinstance(run, Mapping):
        raise fail("expected_table", "run", got=repr(run))
    return Config(
        source=source,
        instrument=text(spec, "instrument", "instrument"),
        scenario=text(spec, "scenario", "scenario"),
        lang=lang,
        tables=tables,
        columns=columns(spec.get("columns", {}), "columns"),
        ignore=listing(spec.get("ignore"), "ignore"),
        decimal=decimal(spec, "decimal"),
        encoding=encoding(spec, "encoding"),
        vocab=vocab,
        programme_name=text(prog, "name", "programme.name"),
        child_ages=child_ages,
        outcomes=outcomes,
        run=dict(run),
    )


def _outcomes(raw: Any, fail: Any) -> dict[str, Any]:
    """The ``[outcomes]`` section as keyword arguments of ``phase_counts``, every value checked."""
    import datetime as dt

    if not isinstance(raw, Mapping):
        raise fail(
            "expected_outcomes_table", "outcomes", keys=", ".join(sorted(_OUTCOME_KEYS)), got=repr(raw)
        )
    bad = sorted(set(raw) - _OUTCOME_KEYS)
    if bad:
        raise fail(
            "unknown_keys", f"outcomes.{bad[0]}", unknown=bad, allowed=", ".join(sorted(_OUTCOME_KEYS))
        )
    out: dict[str, Any] = {}
    for name in ("pre_months", "post_months"):
        if name not in raw:
            continue
        val = raw[name]
        if name == "post_months" and val == "open":
            out[name] = "open"
        elif isinstance(val, bool) or not isinstance(val, int) or not 0 <= val <= 120:
            months = "expected_months_open" if name == "post_months" else "expected_months"
            raise fail(months, f"outcomes.{name}", got=repr(val))
        else:
            out[name] = val

    def date(val: Any, key: str) -> str:
        if isinstance(val, dt.datetime):
            val = val.date()
        if isinstance(val, dt.date):
            return val.isoformat()
        if isinstance(val, str):
            try:
                return dt.date.fromisoformat(val.strip()).isoformat()
            except ValueError:
                pass
        raise fail("expected_date", key, example="2021-01-01", got=repr(val))

    for name in ("observed_from", "observed_until"):
        if name not in raw:
            continue
        val = raw[name]
        key = f"outcomes.{name}"
        out[name] = (
            {str(k): date(v, f"{key}.{k}") for k, v in val.items()}
            if isinstance(val, Mapping)
            else date(val, key)
        )
    return out


def _closest(word: str, options: set[str]) -> str | None:
    import difflib

    hits = difflib.get_close_matches(word, sorted(options), n=1, cutoff=0.75)
    return hits[0] if hits else None
