"""How every command reports failure: one policy, so exit codes mean the same everywhere.

=====  =====================================================================================
exit   when
=====  =====================================================================================
0      the input is valid and the command did its work
1      the input is invalid: a :class:`~impactkit.ValidationError` (every problem is printed as
       a table), a broken instrument or scenario file, data that cannot answer the question
       (:class:`~impactkit.DesignError`), or a file that cannot be written
2      a usage error: a path that does not exist, an option outside its allowed values
       (:class:`~impactkit.ParameterError`, and typer's own usage errors)
=====  =====================================================================================

Never a traceback: each failure is one line (or the problems table) on the terminal.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from impactkit.cli._app import EXIT_INVALID, EXIT_USAGE, console, err_console
from impactkit.errors import ImpactkitError, ParameterError, ValidationError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["print_notes", "print_problems", "reported", "usage_error"]


def usage_error(err: Exception) -> typer.Exit:
    """Print a usage error in one line and return the exit (code 2) to raise."""
    err_console.print(f"[bold red]error:[/] {escape(str(err))}")
    return typer.Exit(EXIT_USAGE)


def print_problems(problems: pd.DataFrame, *, title: str) -> None:
    """Print every problem as a table row: (file,) row, column, value, message."""
    files = problems["file"].astype(str).unique()
    cols = (
        ["file", "row", "column", "value", "message"]
        if len(files) > 1
        else ["row", "column", "value", "message"]
    )
    if len(files) == 1:
        title = f"{title}: {files[0]}"
    table = Table(title=Text(title), title_justify="left", header_style="bold", show_lines=False)
    for col in cols:
        table.add_column(col, overflow="fold", justify="right" if col == "row" else "left")
    for rec in problems.itertuples(index=False):
        values = {
            "file": Path(str(rec.file)).name,
            "row": str(rec.row),
            "column": str(rec.column),
            "value": str(rec.value),
            "message": str(rec.message),
        }
        table.add_row(*(Text(values[c]) for c in cols))  # a cell is never rich markup ("[/x]" in a value)
    console.print(table)


def print_notes(notes: list[str], warnings: pd.DataFrame | None = None) -> None:
    """How the files were read (sheet, encoding, layout, unused domains) and warnings, before results."""
    for note in notes:
        console.print(f"[dim]note:[/] {escape(note)}", highlight=False, soft_wrap=True)
    if warnings is not None and len(warnings):
        print_problems(warnings, title=f"{len(warnings)} warning(s) (the input stays valid)")


@contextmanager
def reported() -> Iterator[None]:
    """Turn impactkit's exceptions into the exit codes above, printed without a traceback."""
    try:
        yield
    except ValidationError as err:
        print_problems(err.problems, title=f"{len(err.problems)} problem(s)")
        raise typer.Exit(EXIT_INVALID) from err
    except ParameterError as err:
        raise usage_error(err) from err
    except (ImpactkitError, OSError) as err:
        err_console.print(f"[bold red]error:[/] {escape(str(err))}")
        raise typer.Exit(EXIT_INVALID) from err
