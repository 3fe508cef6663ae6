"""Benchmark: start-up of a command (issue 18 target: under 1 s, lazy imports).

Prints the CPU time (user + system, median of ``--repeats`` fresh processes) of ``import impactkit``,
``impactkit --help`` and ``impactkit report --help``, and which of the heavy libraries (scipy,
statsmodels, plotly, pandera, jinja2) each leaves loaded.  ``python -X importtime -c 'import
impactkit'`` shows where the rest goes.  Run with ``make bench`` or
``python benchmarks/bench_startup.py [--repeats 5]``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

from _measure import IMPACTKIT, median_run, target_line

HEAVY = ("scipy", "statsmodels", "plotly", "pandera", "jinja2", "pandas")
_PROBE = (
    "import sys, json; {code}; "
    "print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & set({heavy!r}))), file=sys.stderr)"
)


def loaded(code: str) -> list[str]:
    out = subprocess.run([sys.executable, "-c", _PROBE.format(code=code, heavy=HEAVY)],
                         capture_output=True, text=True, check=True)  # fmt: skip
    return list(json.loads(out.stderr.strip().splitlines()[-1]))


def main(repeats: int) -> None:
    print(f"start-up, CPU seconds (user + system), median of {repeats} fresh processes")
    cases = [
        ("python -c 'import impactkit'", [sys.executable, "-c", "import impactkit"], "import impactkit"),
        (
            "impactkit --help",
            [IMPACTKIT, "--help"],
            "import impactkit.cli; from typer.testing import CliRunner; CliRunner().invoke(impactkit.cli.app, ['--help'])",
        ),
        (
            "impactkit report --help",
            [IMPACTKIT, "report", "--help"],
            "import impactkit.cli; from typer.testing import CliRunner; "
            "CliRunner().invoke(impactkit.cli.app, ['report', '--help'])",
        ),
    ]
    for name, args, code in cases:
        r = median_run(args, repeats)
        print(target_line(name, r.cpu, 1.0))
        print(
            f"  {'':<58} wall {r.wall:.2f} s; loaded: {', '.join(loaded(code)) or 'none of ' + ', '.join(HEAVY)}"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    main(parser.parse_args().repeats)
