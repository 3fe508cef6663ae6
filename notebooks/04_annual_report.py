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
# language. Edit it and run all cells, or let a tool such as papermill inject new values
# (`papermill 04_annual_report.ipynb out.ipynb -p year 2024 -p lang nl`).

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
year = 2025  # the calendar year the report covers
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
# The export holds every family since the start. The report for a year covers the
# families **supported during that year**: started on or before 31 December and not ended
# before 1 January. Only what was known at the end of the year counts: scores assessed
# later are left out, support that ended after the year counts as still ongoing, and care
# used and programme costs stop at the year's end. Families still ongoing are not counted
# as dropouts in the attrition figures.

# %%
import dataclasses


def year_view(ds: ik.Dataset, year: int) -> ik.Dataset:
    first, last = pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31)
    families = ds.families
    active = (families["start_date"] <= last) & (
        families["end_date"].isna() | (families["end_date"] >= first)
    )
    families = families[active].copy()
    later = families["end_date"] > last
    families.loc[later, "end_date"] = pd.NaT
    families.loc[later, "end_reason"] = pd.NA
    ids = families["family_id"]
    scores = ds.assessments
    scores = scores[
        scores["family_id"].isin(ids) & (scores["assessed_on"].isna() | (scores["assessed_on"] <= last))
    ]
    optional = {}
    if ds.counterfactuals is not None:
        optional["counterfactuals"] = ds.counterfactuals[ds.counterfactuals["family_id"].isin(ids)]
    if ds.care_used is not None:
        used = ds.care_used
        optional["care_used"] = used[used["family_id"].isin(ids) & (used["start"] <= last)]
    if ds.programme_costs is not None:
        optional["programme_costs"] = ds.programme_costs[ds.programme_costs["year"] <= year]
    return dataclasses.replace(ds, assessments=scores, families=families, **optional)


this_year = year_view(dataset, year)
families = this_year.families
print(
    f"{year}: {len(families)} families supported, "
    f"{int(families['end_reason'].isna().sum())} still ongoing on 31 December"
)
families.groupby("municipality").size().rename("families").to_frame()

# %% [markdown]
# The counts above are for you, not for publication: the report itself suppresses every
# count under 10 families. Which waves had been reached by the end of the year? Families who started late in the
# year have only an intake; the change per domain rests on those with a year-2 score.

# %%
this_year.assessments.groupby("wave", observed=True)["family_id"].nunique().rename("families").to_frame()

# %% [markdown]
# ## 3. Build the report
#
# One call runs the analyses, the cost evaluation and the PSA, and lays out the report in
# the chosen language (Dutch number formats with `lang="nl"`: € 1.234,50). Counts, means,
# shares and costs resting on fewer than 10 families are suppressed, with secondary
# suppression where a total would reveal them. Below is the report's summary card;
# `display(report.preview())` shows the whole report inline (scroll inside the frame).

# %%
from impactkit.report import build_report

report = build_report(this_year, lang=lang, draws=draws, seed=seed)
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
