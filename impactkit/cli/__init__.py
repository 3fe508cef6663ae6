"""``impactkit`` command line: a client of the public API like a notebook, adding nothing of its own.

Each command lives in its own module and registers itself on :data:`app` when imported.
"""

from __future__ import annotations

from impactkit.cli import _analyse, _business_case, _costs, _init, _report, _run, _validate
from impactkit.cli._app import app

COMMAND_MODULES = (
    _analyse,
    _business_case,
    _costs,
    _init,
    _report,
    _run,
    _validate,
)  # imported for their @app.command() side effect

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point."""
    app()
