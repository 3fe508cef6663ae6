"""``impactkit`` command line: a client of the public API like a notebook, adding nothing of its own.

Each command lives in its own module and registers itself on :data:`app`.
"""

from __future__ import annotations

from impactkit.cli._app import app

# command modules (importing registers the command)
# (one import per line; keep sorted)
from impactkit.cli import _analyse  # noqa: F401, E402
from impactkit.cli import _costs  # noqa: F401, E402
from impactkit.cli import _report  # noqa: F401, E402
from impactkit.cli import _validate  # noqa: F401, E402

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point."""
    app()
