"""Compatibility for commands written before the failure guard (kept so that branches still import).

Every command now runs inside the guard of :class:`impactkit.cli._app.Group`, which turns any
failure into its exit code and one clear message (:mod:`impactkit.cli._failures`).  New commands
raise and let the guard show it; :func:`reported` is therefore a plain pass-through, and
:func:`usage_error` makes the exception the guard shows as a usage error (exit 2).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from rich.console import Console

from impactkit.errors import ParameterError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["print_notes", "reported", "usage_error"]


@contextmanager
def reported() -> Iterator[None]:
    """A pass-through: the guard around every command reports what is raised inside."""
    yield


def usage_error(err: Exception) -> Exception:
    """The error to raise for a usage problem (the guard shows it with exit code 2)."""
    return err if isinstance(err, ParameterError) else ParameterError(str(err))


def print_notes(notes: list[str], warnings: pd.DataFrame | None = None, *, lang: str = "en") -> None:
    """How the files were read and the warnings, on stdout (as :func:`_problems.print_read_notes`)."""
    from impactkit.cli._problems import print_read_notes

    print_read_notes(Console(), notes, warnings, lang=lang)
