"""Options every data command takes, declared once, and reading a dataset from them.

Help texts are keys into :mod:`impactkit.cli._texts` (put in the command line's language by
:class:`impactkit.cli._app.Group`).  Each option sets a parameter of the public API of the same
meaning; the command line adds nothing the library lacks.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from impactkit.io import Dataset, ValidationReport

__all__ = ["Common", "common"]

_IN, _SEL, _OUT = "panel.input", "panel.selection", "panel.output"

PathArg = Annotated[
    Path,
    typer.Argument(
        help="help.path", metavar="meta.path", show_default=False, rich_help_panel="panel.arguments"
    ),
]
ConfigOpt = Annotated[
    Path | None, typer.Option("--config", help="help.config", metavar="meta.file", rich_help_panel=_IN)
]
InstrumentOpt = Annotated[
    str | None,
    typer.Option("--instrument", help="help.instrument", metavar="meta.instrument", rich_help_panel=_IN),
]
ScenarioOpt = Annotated[
    Path | None, typer.Option("--scenario", help="help.scenario", metavar="meta.file", rich_help_panel=_IN)
]
FamiliesOpt = Annotated[
    Path | None, typer.Option("--families", help="help.families", metavar="meta.file", rich_help_panel=_IN)
]
IgnoreOpt = Annotated[
    list[str] | None,
    typer.Option("--ignore-column", help="help.ignore_column", metavar="meta.column", rich_help_panel=_IN),
]
TodayOpt = Annotated[
    str | None, typer.Option("--today", help="help.today", metavar="meta.date", rich_help_panel=_IN)
]
PersonalOpt = Annotated[
    bool, typer.Option("--allow-personal-data", help="help.allow_personal_data", rich_help_panel=_IN)
]
DomainsOpt = Annotated[
    list[str] | None,
    typer.Option("--domains", help="help.domains", metavar="meta.domains", rich_help_panel=_SEL),
]
ProgrammeOpt = Annotated[
    list[str] | None,
    typer.Option("--programme", help="help.programme", metavar="meta.name", rich_help_panel=_SEL),
]
MunicipalityOpt = Annotated[
    list[str] | None,
    typer.Option("--municipality", help="help.municipality", metavar="meta.name", rich_help_panel=_SEL),
]
LangOpt = Annotated[
    str | None,
    typer.Option("--lang", help="help.lang", metavar="meta.lang", rich_help_panel=_OUT, show_default=False),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="help.json", rich_help_panel=_OUT)]
AllOpt = Annotated[bool, typer.Option("--all", help="help.all", rich_help_panel=_OUT)]
DebugOpt = Annotated[bool, typer.Option("--debug", help="help.debug", rich_help_panel=_OUT)]


@dataclass(frozen=True)
class Common:
    """The shared options of one command run (as the library's parameters)."""

    path: Path
    config: Path | None = None
    instrument: str | None = None
    scenario: Path | None = None
    families: Path | None = None
    ignore_columns: tuple[str, ...] = ()
    today: str | None = None
    allow_personal_data: bool = False
    domains: tuple[str, ...] = ()
    programme: tuple[str, ...] = ()
    municipality: tuple[str, ...] = ()

    def read_options(self, lang: str) -> dict[str, Any]:
        """Keyword arguments of :func:`impactkit.read_dataset` / :func:`impactkit.validate`."""
        options: dict[str, Any] = {
            "families": self.families,
            "instrument": self.instrument,
            "lang": lang,
            "today": self.today,
            "ignore_columns": list(self.ignore_columns),
            "allow_personal_data": self.allow_personal_data,
            "programme": list(self.programme) or None,
            "municipality": list(self.municipality) or None,
            "domains": list(self.domains) or None,
        }
        if self.config is not None:
            options["config"] = self.config
        if self.scenario is not None:
            options["scenario"] = self.scenario  # the tables are checked against the scenario in use
        return options

    def read(self, lang: str) -> Dataset:
        """The dataset these options describe (validated; selection applied)."""
        import impactkit as ik

        return ik.read_dataset(self.path, **self.read_options(lang))

    def validate(self, lang: str) -> ValidationReport:
        import impactkit as ik

        return ik.validate(self.path, **self.read_options(lang))


def _split(values: list[str] | None) -> tuple[str, ...]:
    """Repeated and comma-separated values as one tuple: ``--domains a,b --domains c``."""
    out: list[str] = []
    for v in values or []:
        out += [p.strip() for p in v.split(",") if p.strip()]
    return tuple(dict.fromkeys(out))


def common(params: dict[str, Any]) -> Common:
    """The :class:`Common` of a command from its parameters (``ctx.params``)."""
    return Common(
        path=params["path"],
        config=params.get("config"),
        instrument=params.get("instrument"),
        scenario=params.get("scenario"),
        families=params.get("families"),
        ignore_columns=tuple(params.get("ignore_column") or ()),
        today=params.get("today"),
        allow_personal_data=bool(params.get("allow_personal_data")),
        domains=_split(params.get("domains")),
        programme=tuple(params.get("programme") or ()),
        municipality=tuple(params.get("municipality") or ()),
    )
