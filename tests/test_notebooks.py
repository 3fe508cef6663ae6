"""The notebooks: jupytext percent sources (``notebooks/NN_name.py``, linted by ruff) paired with
``.ipynb`` files committed *with* outputs, so that GitHub shows their figures.

Each notebook is executed from its source with nbclient in a ``python3`` kernel from this
environment, with ``notebooks/`` as the working directory (as ``make lab`` opens them).  A cell
that raises fails the test; so does anything written to stderr (warnings printed by the kernel
never reach pytest's ``filterwarnings = error``, so they are checked here) and a figure cell that
shows no figure.  Executed here, figures use the renderer ``plotly_mimetype+notebook`` (plotly's
JSON for JupyterLab, and HTML with plotly.js that nbconvert's HTML must contain); the committed
copies, rebuilt by ``make notebooks`` with ``PLOTLY_RENDERER=plotly_mimetype+png`` (kaleido),
carry a PNG per figure instead, which is what GitHub shows.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
jupytext = pytest.importorskip("jupytext")

NOTEBOOKS_DIR = Path(__file__).resolve().parents[1] / "notebooks"
SOURCES = sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]_*.py"))
EXPECTED = {
    "01_quickstart",
    "02_research_analysis",
    "03_municipality_business_case",
    "04_annual_report",
    "05_events_and_care",
}
PLOTLY = "application/vnd.plotly.v1+json"
PNG = "image/png"


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


def _source(path: Path) -> nbformat.NotebookNode:
    return jupytext.read(path)


def _execute(nb: nbformat.NotebookNode, kernel_name: str) -> nbformat.NotebookNode:
    client = nbclient.NotebookClient(
        nb, kernel_name=kernel_name, timeout=300, resources={"metadata": {"path": str(NOTEBOOKS_DIR)}}
    )
    client.execute()  # raises CellExecutionError naming the cell on any error
    return nb


def _code(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [cell for cell in nb.cells if cell.cell_type == "code"]


def _is_figure_cell(cell: nbformat.NotebookNode) -> bool:
    last = cell.source.strip().splitlines()[-1] if cell.source.strip() else ""
    return ".figure(" in last or last.startswith(("ik.figures.", "fig")) or "apply_theme(" in last


def test_all_four_notebooks_exist_with_their_pair() -> None:
    assert {p.stem for p in SOURCES} == EXPECTED
    for src in SOURCES:
        assert src.with_suffix(".ipynb").is_file(), f"{src.name}: run `make notebooks`"


@pytest.mark.parametrize("path", SOURCES, ids=[p.stem for p in SOURCES])
def test_paired_notebook_is_in_sync(path: Path) -> None:
    """The committed .ipynb holds exactly the cells of its jupytext source (edit the .py, then
    `make notebooks`)."""
    src = _source(path)
    committed = nbformat.read(path.with_suffix(".ipynb"), as_version=4)
    nbformat.validate(committed)
    assert [(c.cell_type, c.source) for c in committed.cells] == [(c.cell_type, c.source) for c in src.cells]
    assert committed.metadata["jupytext"]["formats"] == "ipynb,py:percent"


@pytest.mark.parametrize("path", SOURCES, ids=[p.stem for p in SOURCES])
def test_committed_notebook_shows_its_figures_on_github(path: Path) -> None:
    """GitHub renders neither plotly's JSON nor scripts: every figure cell carries a PNG."""
    committed = nbformat.read(path.with_suffix(".ipynb"), as_version=4)
    figure_cells = [c for c in _code(committed) if _is_figure_cell(c)]
    for cell in figure_cells:
        shown = [o for o in cell.get("outputs", []) if o.output_type in ("execute_result", "display_data")]
        assert any(PNG in o.data for o in shown), f"{path.name}, cell {cell.id}: no PNG committed"
    assert path.with_suffix(".ipynb").stat().st_size < 3_000_000  # no 5 MB report page in an output


@pytest.mark.parametrize("path", SOURCES, ids=[p.stem for p in SOURCES])
def test_notebook_is_a_document(path: Path) -> None:
    """Prose between the cells: a markdown cell first, and never two code cells in a row without
    markdown somewhere in every stretch of three code cells."""
    nb = _source(path)
    assert nb.cells[0].cell_type == "markdown"
    assert nb.cells[0].source.startswith("# ")
    run = 0
    for cell in nb.cells:
        run = run + 1 if cell.cell_type == "code" else 0
        assert run <= 3, f"{path.name}: more than three code cells without prose before {cell.id}"


@pytest.mark.notebook
@pytest.mark.slow
@pytest.mark.parametrize("path", SOURCES, ids=[p.stem for p in SOURCES])
def test_notebook_runs_clean_and_its_figures_reach_the_html(
    path: Path, kernel_name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nbconvert import HTMLExporter

    monkeypatch.setenv("TMPDIR", str(tmp_path))  # the kernel's temporary files (reports, workbooks)
    monkeypatch.delenv("PLOTLY_RENDERER", raising=False)
    nb = _execute(_source(path), kernel_name)
    n_figures = n_reports = 0
    for cell in _code(nb):
        outputs = cell.get("outputs", [])
        for out in outputs:
            assert out.output_type != "error", f"{path.name}, cell {cell.id}: {out.get('evalue')}"
            if out.output_type == "stream":
                assert out.name == "stdout", f"{path.name}, cell {cell.id} wrote to stderr:\n{out.text}"
        shown = [o for o in outputs if o.output_type in ("execute_result", "display_data")]
        if _is_figure_cell(cell):
            figs = [o for o in shown if PLOTLY in o.data and "text/html" in o.data]
            assert figs, f"{path.name}, cell {cell.source!r}: no figure in {[list(o.data) for o in shown]}"
            n_figures += 1
        for o in shown:
            html = o.data.get("text/html", "")
            assert "Traceback" not in html
            n_reports += "impactkit-report" in html  # a Report's card
    assert n_figures + n_reports >= 1, f"{path.name} shows no figure and no report"
    page, _ = HTMLExporter().from_notebook_node(nb)
    assert page.count("Plotly.newPlot(") >= n_figures  # every chart is in nbconvert's HTML ...
    assert n_figures == 0 or "plotly.js v" in page  # ... with plotly.js itself, so it draws offline


@pytest.mark.notebook
@pytest.mark.slow
def test_annual_report_takes_parameters(kernel_name: str, tmp_path: Path) -> None:
    """Values injected after the cell tagged "parameters" (as papermill does) drive the report."""
    nb = _source(NOTEBOOKS_DIR / "04_annual_report.py")
    tagged = [i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    injected = nbformat.v4.new_code_cell(f'year = 2024\nlang = "nl"\ndraws = 200\nout_dir = r"{tmp_path}"')
    nb.cells.insert(tagged[0] + 1, injected)
    _execute(nb, kernel_name)
    html = tmp_path / "impact_report_2024_nl.html"
    assert html.is_file()
    assert (tmp_path / "impact_report_2024_nl.xlsx").is_file()
    assert '<html lang="nl">' in html.read_text(encoding="utf-8")
