"""One command run: its language and output mode, the consoles, progress and how hints are spelled.

A command starts its session with :func:`start`; inside ``with session.running():`` the library's
progress steps reach a rich display on stderr (terminal only, never with ``--json``) and every hint
the library makes (:func:`impactkit.errors.option`) is spelled as this command's flag.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import typer
from rich.console import Console

from impactkit import progress
from impactkit.cli._progress import RichProgress
from impactkit.cli._texts import LANGS, is_text, lang_from, t
from impactkit.errors import Option, ParameterError, options_rendered_by

__all__ = ["Session", "current", "flags_of", "start"]

META_KEY = "impactkit.session"

# library parameter -> the command line parameter that sets it (when the names differ)
PARAMETER_OF = {
    "ignore_columns": "ignore_column",
    "dataset_or_path": "path",
    "source": "path",
    "data": "path",
    "programme": "programme",
    "municipality": "municipality",
}
COMMA_LISTS = {"domains"}  # flags that take a comma-separated list
# library parameters the command line sets another way: cli catalogue key otherwise.<parameter>


@dataclass
class Session:
    """What one command run needs to show its results and failures."""

    command: str
    lang: str = "en"
    as_json: bool = False
    show_all: bool = False
    debug: bool = False
    flags: dict[str, tuple[str, bool]] = field(default_factory=dict)  # parameter -> (flag, is_switch)
    out: Console = field(default_factory=Console)
    err: Console = field(default_factory=lambda: Console(stderr=True))

    def render_option(self, hint: Option) -> str | None:
        """A library hint as this command's flag: ``--ignore-column Opmerking``, ``--allow-personal-data``."""
        name = PARAMETER_OF.get(hint.parameter, hint.parameter)
        if name not in self.flags:
            key = f"otherwise.{hint.parameter}"
            return t(key, self.lang) if is_text(key) else None
        flag, switch = self.flags[name]
        if switch or hint.value is None:
            return flag
        values = hint.value if isinstance(hint.value, list | tuple) else [hint.value]
        if name in COMMA_LISTS:
            return f"{flag} {shlex.quote(','.join(str(v) for v in values))}"
        return " ".join(f"{flag} {shlex.quote(str(v))}" for v in values)

    def flag(self, parameter: str) -> str | None:
        name = PARAMETER_OF.get(parameter, parameter)
        return self.flags[name][0] if name in self.flags else None

    @property
    def shows_progress(self) -> bool:
        return not self.as_json and self.err.is_terminal

    @contextmanager
    def running(self) -> Iterator[None]:
        """Library calls inside the block report progress here and spell hints as flags."""
        observer = RichProgress(self.err, self.lang) if self.shows_progress else None
        try:
            with options_rendered_by(self.render_option), progress.observe(observer):
                yield
        finally:
            if observer is not None:
                observer.close()


def flags_of(command: Any) -> dict[str, tuple[str, bool]]:
    """Each parameter of a command by its flag (``--out``) or, an argument, its name (``PATH``)."""
    out = {}
    for p in command.params:
        opts = [o for o in getattr(p, "opts", []) if o.startswith("--")]
        if p.name and opts:
            out[p.name] = (opts[0], bool(getattr(p, "is_flag", False)))
        elif p.name and not getattr(p, "opts", [""])[0].startswith("-"):
            out[p.name] = (p.metavar or p.name.upper(), False)  # its metavar in the command's language
    return out


def start(
    ctx: typer.Context,
    *,
    lang: str | None,
    as_json: bool = False,
    show_all: bool = False,
    debug: bool = False,
) -> Session:
    """The session of the running command (also kept on the context for the failure handler)."""
    root = ctx.find_root()
    if lang is None and root is not ctx:
        lang = root.params.get("lang")  # impactkit --lang nl COMMAND ...
    session = Session(
        ctx.info_name or "impactkit",
        lang=lang if lang in LANGS else lang_from([], None),
        as_json=as_json,
        show_all=show_all,
        debug=debug,
        flags=flags_of(ctx.command),
    )
    ctx.meta[META_KEY] = session
    if lang is not None and lang not in LANGS:
        raise ParameterError(
            f"The 'lang' parameter of {session.command} must be one of {list(LANGS)}. Got {lang!r} instead.",
            parameter="lang",
        )
    return session


def current(ctx: Any) -> Session | None:
    """The session a command started, if it got that far."""
    meta = getattr(ctx, "meta", None)
    return meta.get(META_KEY) if meta is not None else None
