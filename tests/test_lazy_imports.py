"""Start-up stays cheap: `import impactkit`, the CLI and `validate` do not import the heavy libraries.

scipy.stats, statsmodels and plotly cost seconds of start-up (issue 18); they are imported by the
functions that use them.  The time itself is measured in benchmarks/bench_startup.py, not here;
these tests check which modules a fresh interpreter has loaded, and that every public name of the
lazy packages resolves to the object its module defines.
"""

from __future__ import annotations

import ast
import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

import impactkit
import impactkit.figures
import impactkit.measures
import impactkit.privacy

HEAVY = ("scipy", "statsmodels", "plotly")
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"


def _loaded_after(code: str, heavy: tuple[str, ...] = HEAVY) -> list[str]:
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}})))"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    return [m for m in json.loads(out.stdout.splitlines()[-1]) if m in heavy]


def test_import_and_cli_help_leave_heavy_libraries_unloaded() -> None:
    code = (
        "import impactkit, impactkit.cli\n"
        "from typer.testing import CliRunner\n"
        "res = CliRunner().invoke(impactkit.cli.app, ['--help'])\n"
        "assert res.exit_code == 0, res.output\n"
    )
    # pandas too (a third of a second): the commands import it when they run
    assert _loaded_after(code, (*HEAVY, "pandas")) == []


def test_validate_does_not_load_statistics_or_charts() -> None:
    code = (
        "import impactkit.cli\n"
        "from typer.testing import CliRunner\n"
        f"res = CliRunner().invoke(impactkit.cli.app, ['validate', {str(SAMPLE)!r}, '--today', '2026-11-01'])\n"
        "assert res.exit_code == 0, res.output\n"
    )
    # pandera needs nothing of these; the scenario check (costs) draws nothing at validation
    assert _loaded_after(code) == []


def _declared(module: object) -> tuple[set[str], set[str]]:
    """Names bound at top level and names imported under ``if TYPE_CHECKING:``."""
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))  # type: ignore[attr-defined]
    eager: set[str] = set()
    typed: set[str] = set()
    for node in tree.body:
        target = eager
        body = [node]
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            target, body = typed, node.body
        for sub in body:
            if isinstance(sub, ast.ImportFrom) and sub.module != "__future__":
                target.update(a.asname or a.name for a in sub.names)
    return eager, typed


def test_one_measure_loads_its_own_module_only() -> None:
    # impactkit.measures is lazy too: the paired statistics (analyse) leave the GEE, the mixed models
    # and the ordinal models unimported
    probe = (
        "import sys, impactkit as ik\n"
        "ik.measures.change, ik.measures.reliable_change_summary\n"
        "print(sorted(m for m in sys.modules if m.startswith(('impactkit.measures.', 'statsmodels.genmod'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    loaded = out.stdout.strip()
    assert "impactkit.measures._change" in loaded
    assert "impactkit.measures._reliable_summary" in loaded
    for other in ("_gee", "_mixed", "_mmrm", "_ordinal", "_clm", "statsmodels.genmod"):
        assert other not in loaded, other


@pytest.mark.parametrize(
    "package", [impactkit, impactkit.figures, impactkit.measures, impactkit.privacy], ids=lambda p: p.__name__
)
def test_public_names_agree_and_resolve(package: object) -> None:
    public = set(package.__all__)  # type: ignore[attr-defined]
    lazy = package._LAZY  # type: ignore[attr-defined]
    eager, typed = _declared(package)
    eager -= {"TYPE_CHECKING", "Any", "load"}
    # every public name is bound eagerly or lazily, and the type checkers see each lazy one
    assert public - eager - set(lazy) == set()
    assert {n for n in lazy if n in public} <= typed
    for name in sorted(public):
        value = getattr(package, name)
        if name in lazy:
            module, attribute = lazy[name]
            expected = importlib.import_module(module)
            if attribute is not None:
                expected = getattr(expected, attribute)
            assert value is expected, name
    with pytest.raises(AttributeError, match="no attribute 'not_a_name'"):
        package.not_a_name  # type: ignore[attr-defined]  # noqa: B018


def test_star_import_and_dir() -> None:
    namespace: dict[str, object] = {}
    exec("from impactkit import *", namespace)
    assert namespace["change"] is impactkit.measures.change
    assert namespace["sample"] is impactkit._sample.make_sample
    assert {"change", "costs", "Dataset", "__version__"} <= set(dir(impactkit))
