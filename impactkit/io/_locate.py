"""Finding each table of an export folder: the mapping file's names, else the usual names.

In this order, per table:

1. the file (and sheet) the mapping file names (``[families] file = "Gezinnen 2024.xlsx"``);
2. a file whose name is the table's English or Dutch name (``families.csv``, ``gezinnen.xlsx``,
   ``Metingen.xlsx``; case, accents, spaces and ``_``/``-`` ignored);
3. a sheet with such a name in a workbook of the folder (one registration workbook holding every
   table, a sheet each).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from impactkit.errors import ConfigError, ParameterError
from impactkit.instruments import normalise_label
from impactkit.io._config import TABLES, Config

__all__ = ["NAMES", "Located", "locate", "locate_table"]

SUFFIXES = (".csv", ".xlsx", ".xlsm", ".parquet", ".txt", ".tsv")
NAMES: dict[str, tuple[str, ...]] = {
    "assessments": (
        "assessments",
        "items",
        "metingen",
        "meting",
        "scores",
        "zrm",
        "vragenlijst",
        "vragenlijsten",
        "antwoorden",
        "evaluaties",
        "assessment",
    ),
    "families": (
        "families",
        "gezinnen",
        "gezin",
        "deelnemers",
        "clienten",
        "huishoudens",
        "dossiers",
        "family",
    ),
    "counterfactuals": (
        "counterfactuals",
        "inschattingen",
        "inschatting",
        "contrafeitelijk",
        "zonder programma",
    ),
    "care_used": ("care_used", "zorggebruik", "ingezette zorg", "gebruikte zorg"),
    "events": ("events", "gebeurtenissen", "meldingen", "incidenten", "signalen"),
    "prices": ("prices", "prijzen", "tarieven", "prijslijst"),
    "programme_costs": (
        "programme_costs",
        "programmakosten",
        "projectkosten",
        "kosten programma",
        "begroting",
    ),
}
_MAX_WORKBOOKS = 20  # sheets are looked for in at most this many workbooks of a folder


@dataclass(frozen=True)
class Located:
    """Where one table is: a file, and the sheet of a workbook (None: the first visible sheet)."""

    path: Path
    sheet: str | None = None

    @property
    def label(self) -> str:
        return f"{self.path.name} [{self.sheet}]" if self.sheet else self.path.name


def locate(folder: Path, config: Config | None) -> dict[str, Located]:
    """Every table found in ``folder`` (assessments is required; the others are optional)."""
    found: dict[str, Located] = {}
    files = sorted(p for p in folder.iterdir() if p.is_file())
    sheets: dict[Path, list[tuple[str, str]]] | None = None
    for table in TABLES:
        hit = locate_table(folder, table, config, files)
        if hit is None:
            if sheets is None:
                sheets = _workbook_sheets(files)
            hit = _sheet_hit(table, sheets, taken=set(found.values()))
        if hit is not None:
            found[table] = hit
    if "assessments" not in found:
        raise ParameterError(
            f"The folder {str(folder)!r} holds no assessments file: expected assessments.csv, .xlsx or .parquet "
            f"(or items.*, or a Dutch name such as metingen.xlsx), or name it in impactkit.toml "
            f"([assessments] file = ...). Found: {[p.name for p in files]}."
        )
    return found


def locate_table(
    folder: Path, table: str, config: Config | None, files: list[Path] | None = None
) -> Located | None:
    """The file the mapping file names for ``table``, else one named like the table, else None."""
    tc = config.table(table) if config is not None else None
    if tc is not None and tc.file is not None:
        path = Path(tc.file)
        path = path if path.is_absolute() else folder / path
        if not path.is_file():
            listing = sorted(p.name for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
            raise ConfigError.at(
                "table_file_missing" if listing else "table_file_missing_empty",
                source=config.name if config is not None else None,
                key=f"{table}.file",
                file=repr(tc.file),
                folder=folder,
                files=", ".join(listing),
            )
        return Located(path, tc.sheet)
    files = files if files is not None else sorted(p for p in folder.iterdir() if p.is_file())
    wanted = {normalise_label(n) for n in NAMES[table]}
    hits = [p for p in files if p.suffix.lower() in SUFFIXES and normalise_label(p.stem) in wanted]
    hits.sort(key=lambda p: SUFFIXES.index(p.suffix.lower()))
    if not hits:
        return None
    sheet = tc.sheet if tc is not None else None
    if sheet is None and hits[0].suffix.lower() in (".xlsx", ".xlsm"):
        # a workbook named for the table may hold it on a sheet named for it too (after a cover sheet)
        hit = _sheet_hit(table, _workbook_sheets([hits[0]]), taken=set())
        sheet = hit.sheet if hit is not None else None
    return Located(hits[0], sheet)


def _workbook_sheets(files: list[Path]) -> dict[Path, list[tuple[str, str]]]:
    from impactkit.io._source import Unreadable
    from impactkit.io._xlsx import sheet_names

    out: dict[Path, list[tuple[str, str]]] = {}
    for p in [f for f in files if f.suffix.lower() in (".xlsx", ".xlsm")][:_MAX_WORKBOOKS]:
        try:
            out[p] = sheet_names(p)
        except Unreadable:
            continue  # reported when (if) the workbook is read as a table
    return out


def _sheet_hit(table: str, sheets: dict[Path, list[tuple[str, str]]], taken: set[Located]) -> Located | None:
    wanted = {normalise_label(n) for n in NAMES[table]}
    for path, names in sheets.items():
        for name, _state in names:
            loc = Located(path, name)
            if normalise_label(name) in wanted and loc not in taken:
                return loc
    return None
