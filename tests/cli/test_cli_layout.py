"""Terminal tables at 40, 80 and 120 columns and piped: every value shown whole, no line too long,
no zero-width column, numbers never cut with an ellipsis."""

from __future__ import annotations

import io
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from typer.testing import CliRunner

from impactkit.cli import app
from impactkit.cli._layout import Col, print_table

runner = CliRunner()
TODAY = ["--today", "2026-11-01"]
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _render(cols, rows, width, terminal):
    buf = io.StringIO()
    console = Console(file=buf, width=width, force_terminal=terminal, color_system=None, legacy_windows=False)
    print_table(console, "A title that is rather long for a narrow terminal", cols, rows)
    return ANSI.sub("", buf.getvalue())


COLS = [
    Col("domain", "domain", key=True),
    Col("wave", "wave", key=True),
    *(Col(f"v{i}", f"value number {i}", numeric=True) for i in range(8)),
]
ROWS = [
    [
        "Language, paperwork and dealing with agencies",
        "Year 2",
        *[f"{1234.5678 * (i + 1):,.2f}" for i in range(8)],
    ],
    ["Finances", "Intake", *["<0.001"] * 8],
]


@pytest.mark.parametrize("width", [40, 80, 120])
@pytest.mark.parametrize("terminal", [True, False])
def test_every_number_whole_and_no_line_too_long(width, terminal):
    text = _render(COLS, ROWS, width, terminal)
    assert max(len(line) for line in text.splitlines()) <= width
    assert "…" not in text
    for row in ROWS:
        for value in row[2:]:
            assert value in text  # numbers never wrap or shrink
    assert "Finances" in text
    for word in ["Language,", "paperwork", "and", "dealing", "with", "agencies"]:
        assert word in text  # text wraps at words, nothing lost


@settings(max_examples=40, deadline=None)
@given(
    width=st.integers(20, 160),
    n_cols=st.integers(1, 12),
    label=st.text(alphabet="abcdef ", min_size=1, max_size=25),
    cell=st.text(alphabet="0123456789.,-<", min_size=1, max_size=14),
    text=st.text(alphabet="abc XYZ", min_size=0, max_size=60),
    terminal=st.booleans(),
)
def test_any_table_fits_without_a_zero_width_column(width, n_cols, label, cell, text, terminal):
    cols = [Col("k", "key", key=True), *(Col(f"c{i}", label, numeric=True) for i in range(n_cols))]
    rows = [[text, *[cell] * n_cols], ["x", *["1"] * n_cols]]
    out = _render(cols, rows, width, terminal)
    assert max(len(line) for line in out.splitlines()) <= max(width, 20)
    assert cell in out  # a number is never cut, at any width
    assert "…" not in out


def test_analyse_at_80_columns_and_piped_shows_every_domain_and_number(sample_dir):
    for width in ("40", "80", "120"):
        res = runner.invoke(app, ["analyse", str(sample_dir), *TODAY], env={"COLUMNS": width})
        assert res.exit_code == 0, res.output
        lines = res.stdout.splitlines()
        assert max(len(line) for line in lines) <= int(width)
        assert "…" not in res.stdout
        assert "Mental wellbeing" in res.stdout or "Mental" in res.stdout
        assert "<0.001" in res.stdout
        assert "+--" not in res.stdout
        assert "┃" not in res.stdout


def test_analyse_on_a_terminal_uses_the_box_layout(sample_dir):
    res = runner.invoke(
        app,
        ["analyse", str(sample_dir), *TODAY],
        env={"COLUMNS": "80", "TTY_COMPATIBLE": "1", "NO_COLOR": "1"},
    )
    assert res.exit_code == 0
    text = ANSI.sub("", res.stdout)
    assert "┃" in text
    assert max(len(line) for line in text.splitlines()) <= 80
