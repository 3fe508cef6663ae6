"""``impactkit`` command line: a client of the public API like a notebook, adding nothing of its own.

Each command lives in its own module and registers itself on :data:`app` when imported.  Every
command runs inside one failure guard (:mod:`impactkit.cli._failures`: the exit codes) and speaks the
language of the command line (:mod:`impactkit.cli._texts`).
"""

from __future__ import annotations

from impactkit.cli import _analyse, _business_case, _costs, _init, _report, _run, _sample, _validate
from impactkit.cli._app import app

COMMAND_MODULES = (
    _validate,
    _analyse,
    _costs,
    _report,
    _init,
    _sample,
    _run,
    _business_case,
)  # for their @app.command()

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point."""
    from impactkit._malloc import tune, tune_gc

    tune()  # reuse freed memory between large temporaries (glibc): a third less CPU at scale
    tune_gc()  # fewer cyclic-garbage collections over a heap of millions of small objects
    app()
