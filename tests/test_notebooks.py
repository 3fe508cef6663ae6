"""The notebooks in notebooks/ run top to bottom, read cleanly and are committed without outputs.

Each notebook is executed with nbclient in a ``python3`` kernel from this environment, with
``notebooks/`` as the working directory (as ``make lab`` opens them).  A cell that raises fails
the test; so does anything written to stderr (warnings printed by the kernel never reach pytest's
``filterwarnings = error``, so they are checked here), a figure cell that shows no figure, and a
notebook left with outputs or execution counts in git.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOKS_DIR = Path(__file__).resolve().parents[1] / "notebooks"
NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))
EXPECTED = {
    "01_quickstart",
    "02_research_analysis",
    "03_municipality_business_case",
    "04_annual_report",
}
PLOTLY = "application/vnd.plotly.v1+json"


@pytest.fixture(scope="session")
def kernel_name() -> str:
    """The ``python3`` kernel of this interpreter, installed into ``sys.prefix`` when missing."""
    if importlib.util.find_spec("ipykernel") is None:
        pytest.fail("ipykernel is not importable: install impactkit[dev] to run the notebook tests")
    from jupyter_client.kernelspec import KernelSpecManager

    if "python3" not in KernelSpecManager().find_kernel_specs():
        from ipykernel.kernelspec import install

        install(prefix=sys.prefix, kernel_name="python3")
    return "python3"


def _execute(path: Path, kernel_name: str) -> nbformat.NotebookNode:
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        nb,
        kernel_name=kernel_name,
        timeout=300,
        resources={"metadata": {"path": str(NOTEBOOKS_DIR)}},
    )
    client.execute()  # raises CellExecutionError naming the cell on any error
    return nb


def _outputs(nb: nbformat.NotebookNode) -> list[tuple[nbformat.NotebookNode, list]]:
    return [(cell, cell.get("outputs", [])) for cell in nb.cells if cell.cell_type == "code"]


def test_all_four_notebooks_exist() -> None:
    assert {p.stem for p in NOTEBOOKS} == EXPECTED


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_committed_without_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for cell, outputs in _outputs(nb):
        assert outputs == [], f"{path.name}, cell {cell.id}: outputs committed"
        assert cell.execution_count is None, f"{path.name}, cell {cell.id}: execution count committed"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_a_document(path: Path) -> None:
    """Prose between the cells: a markdown cell first, and never two code cells in a row without
    markdown somewhere in every stretch of three code cells."""
    nb = nbformat.read(path, as_version=4)
    assert nb.cells[0].cell_type == "markdown"
    assert nb.cells[0].source.startswith("# ")
    run = 0
    for cell in nb.cells:
        run = run + 1 if cell.cell_type == "code" else 0
        assert run <= 3, f"{path.name}: more than three code cells without prose before {cell.id}"


@pytest.mark.notebook
@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_clean(
    path: Path, kernel_name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # the kernel's temporary files (reports, workbooks)
    nb = _execute(path, kernel_name)
    n_figures = 0
    for cell, outputs in _outputs(nb):
        for out in outputs:
            assert out.output_type != "error", f"{path.name}, cell {cell.id}: {out.get('evalue')}"
            if out.output_type == "stream":
                assert out.name == "stdout", f"{path.name}, cell {cell.id} wrote to stderr:\n{out.text}"
        shown = [o for o in outputs if o.output_type in ("execute_result", "display_data")]
        last = cell.source.strip().splitlines()[-1] if cell.source.strip() else ""
        if ".figure(" in last or last.startswith(("ik.figures.", "fig")) or "apply_theme(" in last:
            assert any(PLOTLY in o.data for o in shown), f"{path.name}, cell {cell.id}: no figure shown"
            n_figures += 1
        for o in shown:
            html = o.data.get("text/html", "")
            assert "Traceback" not in html
            n_figures += html.startswith("<iframe") and "impactkit report" in html  # a Report
    assert n_figures >= 1, f"{path.name} shows no figure and no report"


@pytest.mark.notebook
@pytest.mark.slow
def test_annual_report_takes_parameters(kernel_name: str, tmp_path: Path) -> None:
    """Values injected after the cell tagged "parameters" (as papermill does) drive the report."""
    path = NOTEBOOKS_DIR / "04_annual_report.ipynb"
    nb = nbformat.read(path, as_version=4)
    tagged = [i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    injected = nbformat.v4.new_code_cell(f'year = 2024\nlang = "nl"\ndraws = 200\nout_dir = r"{tmp_path}"')
    nb.cells.insert(tagged[0] + 1, injected)
    nbclient.NotebookClient(
        nb, kernel_name=kernel_name, timeout=300, resources={"metadata": {"path": str(NOTEBOOKS_DIR)}}
    ).execute()
    html = tmp_path / "impact_report_2024_nl.html"
    assert html.is_file()
    assert (tmp_path / "impact_report_2024_nl.xlsx").is_file()
    assert '<html lang="nl">' in html.read_text(encoding="utf-8")
