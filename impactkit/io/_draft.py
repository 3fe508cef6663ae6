"""``impactkit init``: draft a mapping file from the headers and values an export holds.

:func:`draft_config` looks at every table of an export folder (each file, each visible sheet),
decides which table each one is, picks the shipped instrument whose domains and scale fit (or
drafts an instrument file when none does), and writes what it recognised into an
``impactkit.toml`` draft: files and sheets, columns to ignore, wave and domain spellings, and the
codes of care paths, care types, cost items, household types and referrers.  Everything it could
not map is listed (``ConfigDraft.unmapped``) and marked ``TODO`` in the draft; every guess (a wave
given as a number, mapped by order) is marked ``CHECK``.  Nothing is guessed silently: the draft is
a file the user reads, edits and keeps.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from impactkit.errors import InstrumentError, ParameterError
from impactkit.i18n import Note, Words, languages, note_text
from impactkit.instruments import BUILTIN, Instrument, normalise_label
from impactkit.io._columns import ALIASES, personal_data_kind, personal_kind_text
from impactkit.io._config import CONFIG_NAME
from impactkit.io._locate import NAMES, SUFFIXES
from impactkit.io._source import RawTable, Unreadable, read_raw
from impactkit.io._tables import COST_ITEMS, END_REASONS, JUDGES, SPECS, UNITS

__all__ = ["ConfigDraft", "draft_config"]

# Dutch spellings of the ids the reports have words for (report.po), offered as vocabulary drafts
SUGGESTIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "household_types": {
        "single_parent": (
            "eenoudergezin",
            "eenouder",
            "alleenstaande ouder",
            "alleenstaand ouder",
            "single parent",
        ),
        "newcomer": ("nieuwkomer", "nieuwkomers", "statushouder", "vluchteling", "newcomer"),
        "poverty": ("armoede", "laag inkomen", "minima", "poverty"),
        "parental_mental_illness": (
            "ouder met psychische problemen",
            "psychische problemen ouder",
            "ggz ouder",
            "kopp",
            "psychiatrische problematiek ouder",
        ),
        "other_multi_problem": ("multiprobleem", "multiproblematiek", "overig", "anders", "other"),
    },
    "referral_sources": {
        "social_district_team": ("sociaal wijkteam", "wijkteam", "swt", "buurtteam", "sociaal team"),
        "school": ("school", "basisschool", "onderwijs"),
        "youth_health_care": ("jgz", "jeugdgezondheidszorg", "consultatiebureau", "cjg"),
        "gp": ("huisarts", "poh ggz", "general practitioner"),
        "social_work": ("maatschappelijk werk", "amw", "welzijn"),
        "self_referral": ("zelf", "zelfmelder", "eigen aanmelding", "ouder zelf", "self"),
    },
    "care_paths": {
        "social_work": ("maatschappelijk werk", "amw", "algemeen maatschappelijk werk"),
        "parenting_support": (
            "opvoedondersteuning",
            "opvoedingsondersteuning",
            "ambulante jeugdhulp",
            "opvoedhulp",
            "gezinsbegeleiding",
        ),
        "youth_care": ("jeugdhulp", "jeugdzorg", "specialistische jeugdhulp"),
        "debt_assistance": ("schuldhulp", "schuldhulpverlening", "schuldsanering", "budgetbeheer"),
        "supervision_order": ("ots", "ondertoezichtstelling", "onder toezichtstelling", "jeugdbescherming"),
        "out_of_home_placement": ("uithuisplaatsing", "pleegzorg", "residentiele jeugdzorg", "gezinshuis"),
    },
    "care_types": {
        "social_work": ("maatschappelijk werk", "amw", "algemeen maatschappelijk werk"),
        "home_guidance": (
            "ambulante begeleiding",
            "begeleiding thuis",
            "gezinsbegeleiding",
            "ambulante jeugdhulp",
        ),
        "debt_assistance": ("schuldhulpverlening", "schuldhulp"),
        "supervision_order_first_year": ("ots", "ondertoezichtstelling"),
        "foster_care_allowance": ("pleegzorg", "pleegzorgvergoeding"),
        "family_home": ("gezinshuis",),
        "residential_youth_care": ("residentiele jeugdzorg", "residentiele jeugdhulp"),
    },
}
_LOWER_IS_BETTER = (
    "belasting",
    "stress",
    "zorgen",
    "problemen",
    "overbelasting",
    "spanning",
    "load",
    "burden",
)
_ITEM_HEADER = re.compile(r"^(vraag|item|stelling|q|v)\s*\d+[a-z]?$")


@dataclass
class ConfigDraft:
    """A drafted mapping file: its ``text``, where each table was found, and what could not be mapped.

    Attributes
    ----------
    text : str
        The ``impactkit.toml`` draft (TOML with comments; ``TODO`` and ``CHECK`` mark what to review).
    tables : dict
        Table name → ``"file [sheet]"`` it was found in.
    instrument : str
        The shipped instrument chosen, or ``"instrument.toml"`` when one is drafted.
    instrument_text : str or None
        The drafted instrument file (when no shipped instrument fits the scores).
    unmapped : DataFrame
        ``file, column, value, what, hint``: every header, value or file that could not be mapped.
    guessed : list of str
        Mappings made by a guess the user must check (e.g. waves given as numbers, mapped by order).
    """

    text: str
    tables: dict[str, str]
    instrument: str
    instrument_text: str | None
    unmapped: pd.DataFrame
    guessed: list[str] = field(default_factory=list)

    def save(self, folder: str | Path, *, force: bool = False) -> list[Path]:
        """Write ``impactkit.toml`` (and ``instrument.toml`` when drafted) into ``folder``."""
        folder = Path(folder)
        out = [(folder / CONFIG_NAME, self.text)]
        if self.instrument_text is not None:
            out.append((folder / "instrument.toml", self.instrument_text))
        for p, _ in out:
            if p.exists() and not force:
                raise ParameterError(
                    f"{p} exists already; pass force=True (impactkit init --force) to replace it, or "
                    "--out to write the draft elsewhere."
                )
        for p, text in out:
            p.write_text(text, encoding="utf-8")
        return [p for p, _ in out]


@dataclass
class _Source:
    file: Path
    sheet: str | None
    raw: RawTable | None
    error: Unreadable | None = None

    @property
    def label(self) -> str:
        return f"{self.file.name} [{self.sheet}]" if self.sheet else self.file.name


def draft_config(
    path: str | Path,
    *,
    instrument: Instrument | str | None = None,
    scenario: Any = None,
    lang: str = "en",
) -> ConfigDraft:
    """Draft a mapping file for the export in ``path`` (a folder, or one assessments file).

    Parameters
    ----------
    path : folder or file
    instrument : Instrument or str, optional
        Use this instrument instead of choosing one from the data.
    scenario : Scenario or path, optional
        The cost scenario whose care paths and care types the codes are matched to (default: the
        folder's ``scenario.toml``, else the shipped one).
    lang : str
        Language of the hints in ``unmapped``, of ``guessed`` and of the draft's comments (its keys and
        values are TOML, the same in every language).

    Returns
    -------
    ConfigDraft
    """
    from impactkit.costs import Scenario

    root = Path(path)
    if not root.exists():
        raise ParameterError(
            f"The 'path' parameter must be an existing file or folder. Got {str(root)!r} instead."
        )
    folder = root if root.is_dir() else root.parent
    sources = _sources(root)
    if scenario is None:
        scenario = folder / "scenario.toml" if (folder / "scenario.toml").is_file() else None
    scen = (
        scenario
        if isinstance(scenario, Scenario)
        else (Scenario.from_file(scenario) if scenario is not None else Scenario.default())
    )
    unmapped: list[dict[str, str]] = []
    guessed: list[str] = []
    for src in sources:
        if src.error is not None:
            unmapped.append({"file": src.label, "column": "", "value": "", "what": "file",
                             "hint": _reason(src.error, lang)})  # fmt: skip
    readable = [s for s in sources if s.raw is not None and len(s.raw.frame.columns)]
    tables = _classify(readable, root if root.is_file() else None)
    for src in readable:
        if src not in tables.values():
            unmapped.append(
                {"file": src.label, "column": "", "value": "", "what": "table", "hint": Note("draft.not_a_table")}
            )  # fmt: skip
    lines: list[str] = [*(f"# {line}" for line in _comment("header", lang).splitlines()), ""]
    sections: list[str] = []
    programme_todo = False
    ignore: list[str] = []
    vocab: dict[str, dict[str, list[str]]] = {}
    inst_name, inst, inst_text = "default", None, None
    a_src = tables.get("assessments")
    if instrument is not None:
        inst = instrument if isinstance(instrument, Instrument) else (
            Instrument.from_file(instrument) if Path(str(instrument)).suffix else Instrument.builtin(str(instrument))
        )  # fmt: skip
        inst_name = inst.id if inst.source.startswith("builtin:") else str(instrument)
    elif a_src is not None and a_src.raw is not None:
        try:
            inst, inst_name, inst_text = _choose_instrument(
                a_src.raw, _candidates(folder), vocab, guessed, lang
            )
        except InstrumentError as err:  # a draft that does not hold together: say so, never fail
            unmapped.append({"file": a_src.label, "column": "", "value": "", "what": "instrument",
                             "hint": Note("draft.no_instrument", error=str(err))})  # fmt: skip
    inst = inst or Instrument.builtin("default")
    lines.append(
        f"instrument = {_q(inst_name)}" + (f"  # {_comment('instrument_drafted', lang)}" if inst_text else "")
    )
    if scenario is not None and not isinstance(scenario, Scenario):
        lines.append(f"scenario = {_q(Path(scenario).name)}")
    for table in ("assessments", "families", "counterfactuals", "care_used", "prices", "programme_costs"):
        found = tables.get(table)
        if found is None or found.raw is None:
            continue
        src, raw = found, found.raw
        body = [f"[{table}]", f"file = {_q(src.file.name)}"]
        if src.sheet is not None:
            body.append(f"sheet = {_q(src.sheet)}")
        columns, ig = _columns(table, src, inst, unmapped)
        if table == "families" and _header_of(raw.frame, "programme", _targets("families"), columns) is None:
            programme_todo = True
        ignore += [h for h in ig if h not in ignore]
        if columns:
            body.append("columns = { " + ", ".join(f"{_key(t)} = {_q(h)}" for t, h in columns.items()) + " }")
        sections.append("\n".join(body))
        _values(table, src, columns, inst, scen, vocab, unmapped, guessed)
    if ignore:
        lines.append("ignore = [" + ", ".join(_q(h) for h in ignore) + f"]  # {_comment('ignore', lang)}")
    lines.append("")
    lines += [s + "\n" for s in sections]
    if programme_todo:
        lines += [
            "[programme]",
            f'name = "TODO"  # {_comment("no_programme", lang)}',
            "",
        ]
        unmapped.append({"file": tables["families"].label, "column": "programme", "value": "", "what": "column",
                         "hint": Note("draft.no_programme")})  # fmt: skip
    for section, mapping in vocab.items():
        if not mapping:
            continue
        lines.append(f"[{section}]")
        for vid, spellings in mapping.items():
            note = (
                f"  # {_comment('guessed', lang)}"
                if any(g.startswith(f"{section}.{vid} ") for g in guessed)
                else ""
            )
            todo = vid.startswith("TODO")
            key = _key(vid) if not todo else _q(vid)
            line = f"{key} = [" + ", ".join(_q(s) for s in spellings) + "]" + note
            lines.append(f"# {line}  # {_comment('unknown_id', lang)}" if todo else line)
        lines.append("")
    for rec in unmapped:  # the hints in the reader's language (English strings for Python callers)
        rec["hint"] = note_text(rec["hint"], lang)
    frame = pd.DataFrame(unmapped, columns=["file", "column", "value", "what", "hint"])
    return ConfigDraft(
        text="\n".join(lines).rstrip("\n") + "\n",
        tables={t: s.label for t, s in tables.items()},
        instrument=inst_name,
        instrument_text=inst_text,
        unmapped=frame,
        guessed=[note_text(g, lang) for g in guessed],
    )


# ----------------------------------------------------------------------------- finding the tables
def _sources(root: Path) -> list[_Source]:
    from impactkit.io._xlsx import sheet_names

    files = [root] if root.is_file() else sorted(p for p in root.iterdir() if p.is_file())
    out: list[_Source] = []
    for p in files:
        if p.suffix.lower() not in SUFFIXES:
            continue
        sheets: list[str | None] = [None]
        if p.suffix.lower() in (".xlsx", ".xlsm"):
            try:
                sheets = [n for n, state in sheet_names(p) if state == "visible"]
            except Unreadable as err:
                out.append(_Source(p, None, None, err))
                continue
        for sh in sheets:
            try:
                out.append(_Source(p, sh, read_raw(p, sheet=sh)))
            except Unreadable as err:
                out.append(_Source(p, sh, None, err))
    return out


def _reason(err: Unreadable, lang: str = "en") -> str:
    from impactkit.io._messages import message

    try:
        return message(err.code, lang, **err.kwargs)
    except (KeyError, IndexError):
        return err.code


def _targets(table: str) -> dict[str, tuple[str, ...]]:
    if table == "assessments":
        t = dict(ALIASES)
        for name in BUILTIN:
            for d in Instrument.builtin(name).domains:
                t.setdefault(f"{name}:{d.id}", (d.label_nl, d.label_en, *d.aliases))
        return t
    return {n: c.aliases for n, c in SPECS[table].columns.items()}


def _match(header: str, targets: Mapping[str, Iterable[str]]) -> str | None:
    norm = normalise_label(header)
    for target, aliases in targets.items():
        if norm in {normalise_label(a) for a in (target.split(":")[-1], *aliases)}:
            return target
    return None


def _classify(sources: list[_Source], single: Path | None) -> dict[str, _Source]:
    """Each table once: by file or sheet name, else by how many of its headers the source has."""
    out: dict[str, _Source] = {}
    if single is not None and sources:
        out["assessments"] = max(sources, key=lambda s: _score(s, "assessments"))
        return out
    for src in sources:
        names = {normalise_label(src.sheet)} if src.sheet else set()
        names.add(normalise_label(src.file.stem))
        for table, stems in NAMES.items():
            if table not in out and names & {normalise_label(n) for n in stems}:
                out[table] = src
                break
    for src in sources:
        if src in out.values():
            continue
        scores = {t: _score(src, t) for t in NAMES if t not in out}
        if scores:
            best = max(scores, key=lambda t: scores[t])
            if scores[best] >= 2:
                out[best] = src
    return out


def _score(src: _Source, table: str) -> int:
    if src.raw is None:
        return 0
    targets = _targets(table)
    hits = {_match(h, targets) for h in src.raw.frame.columns} - {None}
    if table == "assessments" and not {"wave"} & hits:
        return 0
    return len(hits)


# ----------------------------------------------------------------------------- the instrument
def _candidates(folder: Path) -> list[tuple[str, Instrument]]:
    """The shipped instruments and every instrument file in the export folder, by the name to write."""
    out = [(name, Instrument.builtin(name)) for name in BUILTIN]
    for p in sorted(folder.iterdir()) if folder.is_dir() else []:
        if p.suffix.lower() not in (".toml", ".yaml", ".yml") or p.name == CONFIG_NAME:
            continue
        try:
            out.insert(0, (p.name, Instrument.from_file(p)))
        except InstrumentError:
            continue  # a scenario, or not an instrument
    return out


def _answers_fit(values: pd.Series, inst: Instrument) -> bool:
    """Every answer is a number on the scale or one of its level labels."""
    labels = {normalise_label(t) for lv in inst.scale.levels for t in (lv.label_nl, lv.label_en)}
    for v in pd.unique(values.dropna().astype(str)):
        if normalise_label(v) in labels:
            continue
        num = pd.to_numeric(str(v).replace(",", "."), errors="coerce")
        if not (pd.notna(num) and inst.scale.min <= num <= inst.scale.max):
            return False
    return True


def _choose_instrument(
    raw: RawTable,
    candidates: list[tuple[str, Instrument]],
    vocab: dict[str, dict[str, list[str]]],
    guessed: list[str],
    lang: str = "en",
) -> tuple[Instrument, str, str | None]:
    """The candidate whose domains (or items) and scale fit the scores best, or a drafted instrument."""
    frame = raw.frame
    heads = list(frame.columns)

    def header(target: str) -> str | None:
        return next((h for h in heads if _match(h, {target: ALIASES[target]})), None)

    item_col, answer_col = header("item"), header("answer")
    if item_col is not None and answer_col is not None:  # item level, one row per answer
        item_values = [str(v) for v in pd.unique(frame[item_col].dropna())]
        for name, inst in candidates:
            if not inst.items or not _answers_fit(frame[answer_col], inst):
                continue
            ids = {normalise_label(i): i for i in inst.item_ids}
            if sum(normalise_label(v) in ids for v in item_values) >= 0.8 * len(item_values):
                return inst, name, None
            by_number = _items_by_number(item_values, inst.item_ids)
            if by_number:
                for iid, v in by_number.items():
                    vocab.setdefault("items", {}).setdefault(iid, []).append(v)
                guessed.append(
                    Note("draft.guess_items", first=item_values[0], items=", ".join(list(by_number)[:3]))
                )
                return inst, name, None
        return _draft_instrument(raw, item_values, _numbers(frame[answer_col]), items=True, lang=lang)
    dom_col, val_col = header("domain"), header("score")
    if dom_col is not None and val_col is not None:
        labels = [str(v) for v in pd.unique(frame[dom_col].dropna())]
        values = _numbers(frame[val_col])
    else:
        known_norm = {
            normalise_label(k) for t in ("family_id", "wave", "assessed_on") for k in (t, *ALIASES[t])
        }
        labels = [h for h in heads if normalise_label(h) not in known_norm and len(_numbers(frame[h]))]
        values = np.concatenate([_numbers(frame[h]) for h in labels]) if labels else np.array([])
    best, best_share = None, 0.0
    for name, inst in candidates:
        hit = sum(inst.match_domain(lbl) is not None for lbl in labels)
        if inst.items:
            hit = max(
                hit,
                sum(normalise_label(lbl) in {normalise_label(i) for i in inst.item_ids} for lbl in labels),
            )
        share = hit / max(len(labels), 1)
        fits = not len(values) or (values.min() >= inst.scale.min and values.max() <= inst.scale.max)
        if fits and share > best_share:
            best, best_share = (name, inst), share
    if best is not None and best_share >= 0.5:
        return best[1], best[0], None
    return _draft_instrument(raw, labels, values, items=False, lang=lang)


def _comment(key: str, lang: str) -> str:
    """A comment of a drafted file (notes catalogue ``draft.comment.<key>``) in ``lang``; the markers
    TODO and CHECK are the same in every language, so that a search for them finds every one."""
    from impactkit.i18n import text

    return text("notes", f"draft.comment.{key}", lang)


def _items_by_number(values: list[str], item_ids: list[str]) -> dict[str, str]:
    """S1, S2, ... matched to q01, q02, ... by their number (a guess the user checks)."""

    def number(text: str) -> int | None:
        m = re.search(r"(\d+)\s*$", text)
        return int(m.group(1)) if m else None

    ids = {number(i): i for i in item_ids if number(i) is not None}
    out = {}
    for v in values:
        n = number(v)
        if n is None or n not in ids:
            return {}
        out[ids[n]] = v
    return out


def _numbers(col: pd.Series) -> np.ndarray:
    s = col.dropna().astype(str).str.replace(",", ".", regex=False)
    v = pd.to_numeric(s, errors="coerce").to_numpy(dtype=float)
    return v[np.isfinite(v)]


def _slug(text: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "_", normalise_label(text)).strip("_")
    return s if s and s[0].isalpha() else f"d_{s}"


def _draft_instrument(
    raw: RawTable, labels: list[str], values: np.ndarray, *, items: bool, lang: str = "en"
) -> tuple[Instrument, str, str]:
    lo = float(np.floor(values.min())) if len(values) else 1.0
    hi = float(np.ceil(values.max())) if len(values) else 5.0
    lo = min(lo, 1.0) if lo >= 0 else lo
    integer = bool(len(values) == 0 or np.all(values == np.round(values)))
    wave_col = next((h for h in raw.frame.columns if _match(h, {"wave": ALIASES["wave"]})), None)
    waves = [str(v) for v in pd.unique(raw.frame[wave_col].dropna())] if wave_col else []
    waves = list({normalise_label(w): w for w in reversed(waves)}.values())[::-1]  # one per spelling
    waves += ["TODO wave 2", "TODO wave 3"][: max(0, 2 - len(waves))]
    items_ = labels if items else [lbl for lbl in labels if _ITEM_HEADER.match(normalise_label(lbl))]
    if not labels:
        labels = ["TODO"]
    out = [
        f"# {_comment('instrument_header', lang)}",
        'id = "own"',
        'name_nl = "Eigen instrument (TODO: naam)"',
        'name_en = "Own instrument (TODO: name)"',
        "",
        "[scale]",
        f"min = {lo:g}",
        f"max = {hi:g}",
        f"integer = {'true' if integer else 'false'}",
        "",
    ]
    used: set[str] = set()

    def unique(text: str) -> str:
        base, k = _slug(text), 2
        sid = base
        while sid in used:
            sid, k = f"{base}_{k}", k + 1
        used.add(sid)
        return sid

    if not items_:
        for lbl in labels:
            out += [
                "[[domains]]",
                f"id = {_q(unique(lbl))}",
                f"label_nl = {_q(lbl)}",
                f"label_en = {_q(lbl)}  # {_comment('todo_english', lang)}",
            ]
            if any(w in normalise_label(lbl) for w in _LOWER_IS_BETTER):
                out.append(f"higher_is_better = false  # {_comment('lower_is_better', lang)}")
            out.append("")
    else:
        out += [
            "[[domains]]",
            'id = "total"',
            'label_nl = "Totaal"',
            f'label_en = "Total"  # {_comment("split_domains", lang)}',
            "",
        ]
        for lbl in items_:
            out += [
                "[[items]]",
                f"id = {_q(lbl)}",
                f'domain = "total"  # {_comment("item_domain", lang)}',
                "",
            ]
    for i, w in enumerate(waves):
        wid = "intake" if i == 0 else f"year{i}" if len(waves) <= 3 else f"wave{i}"
        out += [
            "[[waves]]",
            f"id = {_q(wid)}",
            f"label_nl = {_q(w)}",
            f"label_en = {_q(w)}",
            f"aliases = [{_q(w)}]  # {_comment('wave_order', lang)}",
            "",
        ]
    text = "\n".join(out).rstrip("\n") + "\n"
    import tomllib

    inst = Instrument.from_dict(tomllib.loads(text), source="instrument.toml")
    return inst, "instrument.toml", text


# ----------------------------------------------------------------------------- columns and values
def _columns(
    table: str, src: _Source, inst: Instrument, unmapped: list[dict[str, str]]
) -> tuple[dict[str, str], list[str]]:
    """Headers impactkit will not recognise by itself but can name; and headers to ignore."""
    if src.raw is None:
        return {}, []
    frame = src.raw.frame
    if table == "assessments":
        targets: dict[str, Iterable[str]] = dict(ALIASES)
        for d in inst.domains:
            targets[d.id] = (d.label_nl, d.label_en, *d.aliases)
        for it in inst.items:
            targets[it.id] = ()
    else:
        targets = {n: c.aliases for n, c in SPECS[table].columns.items()}
    columns: dict[str, str] = {}
    ignore: list[str] = []
    taken: set[str] = set()
    for h in frame.columns:
        target = _match(h, targets)
        if target is not None and target not in taken:
            taken.add(target)
            continue
        kind = personal_data_kind(h)
        values = frame[h].dropna().astype(str)
        if kind is not None:
            ignore.append(h)
            unmapped.append({"file": src.label, "column": h, "value": "", "what": "column",
                             "hint": Note("draft.personal_data", kind=Words({la: personal_kind_text(kind, la) for la in languages()}))})  # fmt: skip
            continue
        close = difflib.get_close_matches(normalise_label(h), [normalise_label(a) for t in targets for a in (t, *targets[t])], n=1, cutoff=0.85)  # fmt: skip
        if close:
            tgt = next(t for t in targets for a in (t, *targets[t]) if normalise_label(a) == close[0])
            if tgt not in taken and _plausible(table, tgt, frame[h]):
                columns[tgt] = h
                taken.add(tgt)
                continue
        numeric = len(values) and len(_numbers(frame[h])) == len(values)
        if not numeric or values.str.len().mean() > 25:
            ignore.append(h)
            unmapped.append({"file": src.label, "column": h, "value": "", "what": "column",
                             "hint": Note("draft.free_text")})  # fmt: skip
        else:
            unmapped.append({"file": src.label, "column": h, "value": "", "what": "column",
                             "hint": Note("draft.numbers", table=table)})  # fmt: skip
    return columns, ignore


def _plausible(table: str, target: str, values: pd.Series) -> bool:
    """Whether a column's values fit what a close-but-not-exact header would mean."""
    cells = values.dropna().astype(str).str.strip().str.rstrip("%")
    if cells.empty:
        return True
    kind = SPECS[table].columns[target].kind if table in SPECS and target in SPECS[table].columns else None
    if table == "assessments" and target not in ALIASES:
        kind = "float"  # a domain or item column holds scores
    if table == "assessments" and target == "assessed_on":
        kind = "date"
    if kind in ("int", "float", "share"):
        return len(_numbers(cells)) >= 0.9 * len(cells)
    if kind == "date":
        return bool(cells.str.match(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}").mean() >= 0.9)
    if kind == "choice":
        col = SPECS[table].columns[target]
        known = {normalise_label(x) for c, sps in col.choices.items() for x in (c, *sps)}
        return bool(cells.map(normalise_label).isin(known).mean() >= 0.5)
    return True


def _header_of(
    frame: pd.DataFrame, target: str, targets: Mapping[str, Iterable[str]], columns: dict[str, str]
) -> str | None:
    if target in columns:
        return columns[target]
    return next(
        (h for h in frame.columns if _match(h, {target: tuple(targets.get(target, ()))}) == target), None
    )


def _values(
    table: str,
    src: _Source,
    columns: dict[str, str],
    inst: Instrument,
    scen: Any,
    vocab: dict[str, dict[str, list[str]]],
    unmapped: list[dict[str, str]],
    guessed: list[str],
) -> None:
    if src.raw is None:
        return
    frame = src.raw.frame
    targets = (
        dict(ALIASES) if table == "assessments" else {n: c.aliases for n, c in SPECS[table].columns.items()}
    )

    def distinct(target: str) -> list[str]:
        h = _header_of(frame, target, targets, columns)
        return [] if h is None else [str(v) for v in pd.unique(frame[h].dropna())][:200]

    if table == "assessments":
        waves = [w for w in distinct("wave") if inst.match_wave(w) is None]
        free = [w for w in inst.wave_ids if w not in {inst.match_wave(v) for v in distinct("wave")}]
        for i, w in enumerate(waves):
            near = difflib.get_close_matches(
                normalise_label(w), list(inst._lookup.get("wave", {})), n=1, cutoff=0.8
            )
            wid = inst._lookup["wave"][near[0]] if near else (free[i] if i < len(free) else None)
            if wid is None:
                unmapped.append({"file": src.label, "column": "wave", "value": w, "what": "value",
                                 "hint": Note("draft.more_waves", instrument=inst.id, waves=", ".join(inst.wave_ids))})  # fmt: skip
                continue
            vocab.setdefault("waves", {}).setdefault(wid, []).append(w)
            if not near:
                guessed.append(Note("draft.guess_wave", key=f"waves.{wid}", value=repr(w)))
        doms = [d for d in distinct("domain") if inst.match_domain(d) is None]
        for d in doms:
            near = difflib.get_close_matches(
                normalise_label(d), list(inst._lookup.get("domain", {})), n=1, cutoff=0.75
            )
            if near:
                did = inst._lookup["domain"][near[0]]
                vocab.setdefault("domains", {}).setdefault(did, []).append(d)
                guessed.append(Note("draft.guess_close", key=f"domains.{did}", value=repr(d)))
            else:
                unmapped.append({"file": src.label, "column": "domain", "value": d, "what": "value",
                                 "hint": Note("draft.unknown_domain", instrument=inst.id)})  # fmt: skip
        return
    # (table, column) -> (vocabulary section, spellings the draft can offer, spellings the reader knows,
    # whether only known ids are valid)
    plans: dict[tuple[str, str], tuple[str, Mapping[str, Iterable[str]], Mapping[str, Iterable[str]], bool]] = {
        ("families", "household_type"): ("household_types", SUGGESTIONS["household_types"], {}, False),
        ("families", "referral_source"): ("referral_sources", SUGGESTIONS["referral_sources"], {}, False),
        ("families", "end_reason"): ("end_reasons", END_REASONS, END_REASONS, True),
        ("counterfactuals", "care_path"): (
            "care_paths", {p: SUGGESTIONS["care_paths"].get(p, ()) for p in scen.paths}, {}, True,
        ),
        ("counterfactuals", "judged_by"): ("judges", JUDGES, JUDGES, True),
        ("care_used", "care_type"): (
            "care_types", {c: SUGGESTIONS["care_types"].get(c, ()) for c in scen.prices}, {}, True,
        ),
        ("programme_costs", "item"): ("cost_items", COST_ITEMS, COST_ITEMS, True),
        ("prices", "unit"): ("units", UNITS, UNITS, True),
    }  # fmt: skip
    for (tbl, col), (section, offered, read, closed) in plans.items():
        if tbl != table:
            continue
        ids = {normalise_label(i): i for i in offered}
        reader = {normalise_label(s) for i, sps in read.items() for s in (i, *sps)} | set(ids)
        lookup = {normalise_label(sp): i for i, sps in offered.items() for sp in (i, *sps)}
        for v in distinct(col):
            norm = normalise_label(v)
            if norm in reader:
                continue  # an id, or a spelling impactkit reads by itself
            hit = lookup.get(norm)
            if hit is None:
                near = difflib.get_close_matches(norm, list(lookup), n=1, cutoff=0.8)
                hit = lookup[near[0]] if near else None
                if hit is not None:
                    guessed.append(Note("draft.guess_close", key=f"{section}.{hit}", value=repr(v)))
            if hit is not None:
                vocab.setdefault(section, {}).setdefault(hit, []).append(v)
            elif closed:
                unmapped.append({"file": src.label, "column": col, "value": v, "what": "value",
                                 "hint": Note("draft.not_offered", offered=", ".join(offered), section=section)})  # fmt: skip
            else:
                vocab.setdefault(section, {}).setdefault(f"TODO_{_slug(v)}", []).append(v)


def _q(text: str) -> str:
    """A TOML basic string."""
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _key(text: str) -> str:
    return text if re.fullmatch(r"[A-Za-z0-9_-]+", text) else _q(text)
