"""Malformed files through the CLI in-process: each kind ends in its exit code and one clear message,
never a traceback (issue 10 item 6, reading side).  The kinds are listed in ``malformed.py``."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from malformed import KINDS
from typer.testing import CliRunner

from impactkit.cli import app

runner = CliRunner()


def _flat(text: str) -> str:
    """Output without whitespace and table borders (rich wraps long messages over lines)."""
    return re.sub(r"[\s│┃]+", "", text)


def test_the_corpus_has_at_least_forty_kinds():
    assert len(KINDS) >= 40


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_malformed_file_gets_its_exit_code_and_one_clear_message(kind, tmp_path, monkeypatch):
    monkeypatch.chdir(Path(__file__).parents[2])  # the sample is read as data/sample
    build, code, fragment = KINDS[kind]
    args = build(tmp_path)
    result = runner.invoke(app, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert result.exit_code == code, result.output
    assert _flat(fragment) in _flat(result.output), result.output
    if args[0] == "validate" and code == 1 and "--json" not in args:
        out = runner.invoke(app, [*args, "--json"]).output
        payload = json.loads(out) if out.lstrip().startswith("{") else {}  # definition errors are one line
        if payload.get("problems"):  # a file that cannot be read at all is one problem, not many
            unreadable = {p["code"] for p in payload["problems"]} & {
                "not_text", "is_xlsx", "is_parquet", "text_not_xlsx", "legacy_xls", "encrypted_xlsx", "not_xlsx",
                "corrupt_xlsx", "corrupt_parquet", "nested_column", "compressed", "other_format", "too_many_columns",
                "all_hidden", "bad_encoding", "mixed_encoding", "unsupported_type",
            }  # fmt: skip
            if unreadable:
                assert len(payload["problems"]) == 1, payload["problems"]
    if args[0] == "validate":  # the other commands read the same way: no traceback there either
        other = runner.invoke(app, ["analyse", *args[1:]])
        assert other.exception is None or isinstance(other.exception, SystemExit), other.exception
        assert "Traceback" not in other.output
        assert other.exit_code in (0, 1, 2)
