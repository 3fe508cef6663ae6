# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # The annual impact report
#
# Once a year the foundation turns its export into a report for funders (Oranje Fonds,
# municipalities): reach, change per life domain, the share of families that reliably
# improved, level transitions, avoided costs with their uncertainty, the assumptions with
# their sources, and a methods appendix. This notebook is that yearly run.
#
# It is **parameterised**: the cell tagged `parameters` below holds the year and the
# language; edit it and run all cells. For the whole publication (the funder report, a
# report per municipality and programme, both languages, Excel and PDF, the manifest and
# its suppression audit) there is one command, `impactkit run impactkit.toml` (section 5).

# %%
import os

import pandas as pd
import plotly.io as pio

import impactkit as ik

# figures: interactive in JupyterLab and in nbconvert's HTML; `make notebooks` sets
# PLOTLY_RENDERER=plotly_mimetype+png, so the committed copies carry PNGs that GitHub shows
pio.renderers.default = os.environ.get("PLOTLY_RENDERER", "plotly_mimetype+notebook")
pio.renderers["png"].width = 900

pd.set_option("display.precision", 3)
pd.set_option("display.max_columns", 40)
pd.set_option("display.max_colwidth", 200)

# %% tags=["parameters"]
year = 2024  # the calendar year the report covers
lang = "en"  # "en" or "nl"
data_dir = "../data/sample"  # the export: a folder laid out like data/sample/
out_dir = None  # where to write the report; None: a new temporary folder
draws = 10_000  # PSA draws
seed = 2025  # seed of the PSA: the same seed gives the same report

# %% [markdown]
# ## 1. Read and validate the export
#
# Nothing is reported from data that did not pass validation: a problem anywhere stops
# the run here, with every problem listed (see the quickstart).

# %%
from pathlib import Path

dataset = ik.read_dataset(data_dir)
print(
    f"export: {dataset.n_families} families, {len(dataset.assessments)} scores, "
    f"{dataset.n_missing_scores} missing; files: {', '.join(sorted(dataset.files))}"
)

# %% [markdown]
# ## 2. The families of the year
#
# The export holds every family since the start. Which of them "the 2025 report" counts is a
# choice the foundation makes once and states in the report: `ik.Period` is that choice.
# By default (`families="active"`) the report covers the families **supported during the
# year**: started on or before its last day and not ended before its first. Other rules:
# `"intake"` (the year's intake cohort) and `"measured"` (a score dated in the year). And
# `waves="until_end"` (default) counts only what was known at the year's end: scores assessed
# later are left out, support that ended later counts as still ongoing, care used and
# programme costs stop at the year's end (programme costs are shared out by support days).
# `waves="in_period"` also leaves out scores from before the year; `"all"` keeps every score
# of the families counted (to follow a cohort up). A period can be any span:
# `ik.Period.of("2024-07-01/2025-06-30")`, `"2025-H1"`.

# %%
period = ik.Period.of(year, families="active", waves="until_end")
this_year = dataset.in_period(period)
print(this_year.period.describe(lang))

# %% [markdown]
# Nothing is left out silently: every row, family and euro the period leaves out, blanks or
# prorates is counted with its reason. These counts are for you, not for publication (the
# report prints none under 10 families).

# %%
this_year.period.table(lang)

# %%
families = this_year.families
families.groupby("municipality").size().rename("families").to_frame()

# %% [markdown]
# Which waves had been reached by the end of the year? Families who started late in the
# year have only an intake; the change per domain rests on those with a later score.

# %%
this_year.assessments.groupby("wave", observed=True)["family_id"].nunique().rename("families").to_frame()

# %% [markdown]
# ## 3. Build the report
#
# One call cuts the export to the period (the same `period` as above; the report states its
# rule in a section of its own and in the footer, with the SHA-256 of the data it used),
# runs the analyses, the cost evaluation and the PSA, and lays out the report in
# the chosen language (Dutch number formats with `lang="nl"`: € 1.234,50). Counts, means,
# shares and costs resting on fewer than 10 families are suppressed, with secondary
# suppression where a total would reveal them. Below is the report's summary card;
# `display(report.preview())` shows the whole report inline (scroll inside the frame).

# %%
from impactkit.report import build_report

report = build_report(dataset, period=period, lang=lang, draws=draws, seed=seed)
report

# %% [markdown]
# Every table of the report is available as published, with suppressed cells as their
# marker (`<10`, or `x` for secondary suppression). For example, the change per domain:

# %%
print(", ".join(report.tables))
report.tables["change"]

# %% [markdown]
# ## 4. Save the report
#
# The HTML is self-contained (plotly.js embedded once, no CDN), so it can be mailed and
# opened offline; the Excel workbook has a contents sheet with the key figures, one sheet
# per table (numbers as numbers) and a sheet on method and reproduction.
# The footer records the impactkit version, the SHA-256 of the input files, the options
# and the seed, so the same inputs reproduce the same report. Outputs go to `out_dir`
# (a temporary folder by default); never commit them.

# %%
import tempfile

target = Path(out_dir) if out_dir else Path(tempfile.mkdtemp(prefix="impactkit-report-"))
target.mkdir(parents=True, exist_ok=True)
html_path = report.save(target / f"impact_report_{year}_{lang}.html")
excel_path = report.to_excel(target / f"impact_report_{year}_{lang}.xlsx")
print(html_path)
print(excel_path)

# %% [markdown]
# ## 5. The whole release: `impactkit run`
#
# The funder report is one report of a release. `impactkit run impactkit.toml` reads the
# `[run]` section of the mapping file (period and its rule, municipalities, programmes,
# languages, k, outputs) and writes, into one new folder, every report disclosure control
# allows, `results.json` (what next year's "compared with last year" reads: pass
# `--previous release-2024`) and the manifest: every input and output with its SHA-256, the
# options, what the period left out, which reports were withheld and why, and the
# suppression audit (each hidden cell and the feasible range of each hidden group) for the
# privacy officer to sign. The same from Python, here kept short: one language, HTML only,
# two municipal reports (by default every report disclosure control allows is made; the
# others are listed as "not asked for") and at most 1,000 PSA draws (a release's reports
# take `[run] draws`, 10,000 by default):

# %%
release = ik.run.run(
    Path(data_dir) / "impactkit.toml",
    period=year,
    languages=[lang],
    outputs=["html"],
    municipalities=["Arnhem", "Tiel"],
    programmes=False,
    draws=min(draws, 1000),
    seed=seed,
    out=target / f"release-{year}",
)
print(release)
pd.DataFrame(release.manifest["reports"])[["kind", "name", "published", "reason"]]

# %%
audit = release.manifest["suppression"]
print(f"audit ok: {audit['audit_ok']}; {len(audit['hidden_cells'])} cells hidden in the reports")
pd.DataFrame(audit["populations"])[["label", "status", "reason", "n_low", "n_high"]]
