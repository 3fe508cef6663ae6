"""``impactkit costs``: JSON contract, byte-identical for one seed, exit 1 without a traceback."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest
from typer.testing import CliRunner

from impactkit.cli import app

runner = CliRunner()
KEYS = {
    "programme_cost", "gross_avoided_cost", "net_benefit", "benefit_cost_ratio", "npv", "payback_months",
    "p_net_benefit_positive", "by_payer", "by_year",
}  # fmt: skip


@pytest.fixture(scope="module")
def json_run(sample_dir):
    return runner.invoke(app, ["costs", str(sample_dir), "--json", "--draws", "500", "--seed", "7"])


def test_json_has_the_contract_keys(json_run) -> None:
    assert json_run.exit_code == 0, json_run.output
    payload = json.loads(json_run.output)
    assert set(payload) >= KEYS
    for row in payload["by_payer"]:
        assert {"payer", "invests", "saves", "net"} <= set(row)
    assert payload["meta"]["draws"] == 500
    assert payload["meta"]["seed"] == 7
    assert 0.0 <= payload["p_net_benefit_positive"] <= 1.0


def test_same_seed_is_byte_identical(json_run, sample_dir) -> None:
    again = runner.invoke(app, ["costs", str(sample_dir), "--json", "--draws", "500", "--seed", "7"])
    assert again.output == json_run.output
    other = runner.invoke(app, ["costs", str(sample_dir), "--json", "--draws", "500", "--seed", "8"])
    assert other.output != json_run.output


def test_text_output(sample_dir) -> None:
    result = runner.invoke(app, ["costs", str(sample_dir), "--draws", "100"])
    assert result.exit_code == 0, result.output
    assert "net benefit" in result.output
    assert "present values" in result.output
    assert "Municipality: prevention budget" in result.output


def test_invalid_data_exits_1_without_traceback(tmp_path, sample_dir) -> None:
    folder = tmp_path / "export"
    shutil.copytree(sample_dir, folder)
    cf = pd.read_csv(folder / "counterfactuals.csv")
    cf.loc[0, "care_path"] = "astrology"
    cf.to_csv(folder / "counterfactuals.csv", index=False)
    result = runner.invoke(app, ["costs", str(folder), "--draws", "10"])
    assert result.exit_code == 1
    assert "astrology" in result.output
    assert "Traceback" not in result.output


def test_bad_scenario_exits_1_naming_the_key(tmp_path, sample_dir) -> None:
    from importlib import resources

    text = (resources.files("impactkit.costs") / "data" / "default.toml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace('payer = "municipality_income"', 'payer = "bank"'), encoding="utf-8")
    result = runner.invoke(app, ["costs", str(sample_dir), "--scenario", str(bad), "--draws", "10"])
    assert result.exit_code == 1
    assert "prices.debt_assistance.payer" in result.output
    assert "Traceback" not in result.output
