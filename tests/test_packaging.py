"""The wheel ships what a non-editable install needs: templates, instruments, the default scenario,
the plotly.js bundle."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_contains_templates_instruments_and_scenario(tmp_path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(ROOT),
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("impactkit-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for template in (ROOT / "reports" / "templates").iterdir():
        assert f"impactkit/report/templates/{template.name}" in names
    for inst in ("default", "zrm2017", "agreement35"):
        assert f"impactkit/instruments/data/{inst}.toml" in names
    assert "impactkit/costs/data/default.toml" in names
    assert "impactkit/report/js/plotly-impactkit.min.js" in names  # the reports' plotly.js bundle
    for po in (ROOT / "impactkit" / "locale").glob("*/LC_MESSAGES/*.po"):  # the text catalogues
        assert f"impactkit/locale/{po.parent.parent.name}/LC_MESSAGES/{po.name}" in names
    assert not any(n.startswith(("tests/", "notebooks/", "data/")) for n in names)
