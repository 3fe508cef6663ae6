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
# # Quickstart: from an export to an impact report
#
# impactkit shows whether informal family-support programmes (Samen Oplopen, Home-Start,
# Buurtgezinnen, ...) work and whether they pay. This notebook takes ten minutes:
#
# 1. read and validate a programme's export (a clean one, then a messy Dutch one),
# 2. describe the families' scores per life domain and wave,
# 3. estimate the change per domain and draw it,
# 4. render the annual impact report inline.
#
# The data are impactkit's **synthetic** sample in `data/sample/` (350 fictional families,
# made by `impactkit sample`); no real family is described. The other notebooks go
# deeper: `02_research_analysis` for researchers, `03_municipality_business_case` for
# municipalities, `04_annual_report` for the foundation's yearly run.

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

# %% [markdown]
# ## 1. Read a whole export
#
# `ik.read_dataset` reads a folder laid out like `data/sample/` (assessments, families,
# counterfactual judgements, care used, programme costs, prices), validates every table
# and the links between them, and returns a `Dataset`. Nothing runs on data that have not
# been validated: any problem raises a `ValidationError` listing *all* problems at once.

# %%
dataset = ik.read_dataset("../data/sample")
print(f"{dataset.n_families} families; tables: {', '.join(sorted(dataset.files))}")
dataset.families.head()

# %% [markdown]
# The assessments arrive wide (one column per life domain, as exported from Excel) and
# come out in impactkit's **canonical long frame**: one row per family × wave × domain,
# with the wave as an ordered category (intake < year1 < year2) and a missing score kept
# as `NaN`, counted, never imputed. Every impactkit function takes this frame first.

# %%
data = dataset.assessments
print(
    f"{len(data)} rows, {dataset.n_missing_scores} missing scores; instrument: {dataset.instrument.name_en}"
)
data.head()

# %% [markdown]
# ## 2. A messy Dutch export
#
# Real exports look different. The file below is semicolon-separated with Dutch headers
# ("Gezinsnummer", "Meetmoment", the domain names in Dutch), Dutch dates (DD-MM-YYYY),
# a decimal comma, a byte-order mark, a free-text column, and a few cells that are wrong.
# impactkit recognises the headers and the Dutch wave names ("Intake", "Jaar 1",
# "Nulmeting", "T0") by itself.

# %%
from pathlib import Path

messy = Path("data/messy_export.csv")
print(messy.read_text(encoding="utf-8-sig"))

# %% [markdown]
# Reading it raises a `ValidationError`. Its `problems` attribute is a table with one row
# per problem: the file, the row as you see it in a spreadsheet (the header is row 1), the
# column as written in the file, the value found, and what was expected.

# %%
try:
    ik.read_assessments(messy)
except ik.ValidationError as err:
    problems = err.problems
problems[["row", "column", "value", "message", "code"]]

# %% [markdown]
# The same check without an exception, and with the messages in Dutch for the person who
# keeps the registration: `ik.validate` returns a report instead of raising.

# %%
check = ik.validate(messy, lang="nl")
print(f"valid: {check.valid}, rows: {check.n_rows}, problems: {len(check.problems)}")
check.problems[["row", "column", "value", "message"]]

# %% [markdown]
# The right fix is in the source registration. To show the loop, we correct the cells
# here with pandas (a problem's `row` is the spreadsheet row, so the pandas index is
# `row - 2`), skip the free-text column with `ignore_columns`, and read again. A score
# nobody knows is left empty: impactkit counts it as missing rather than guessing.

# %%
raw = pd.read_csv(messy, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
fixes = {
    (5, "Sociaal netwerk"): "",  # 6 is off the 1–5 scale; the real score is unknown
    (6, "Wonen"): "3",  # "drie"
    (7, "Datum meting"): "19-03-2026",  # the date from the paper form
    (9, "Meetmoment"): "Jaar 1",  # there is no third year
    (10, "Datum meting"): "28-02-2025",  # 31 February does not exist
}
for (row, column), value in fixes.items():
    raw.loc[row - 2, column] = value
raw = raw.drop(index=11 - 2)  # row 11 repeated family G-105's intake
clean = ik.read_assessments(raw, ignore_columns=["Opmerking"])
print(f"{clean['family_id'].nunique()} families, {int(clean['score'].isna().sum())} missing scores")
clean.pivot(index=["family_id", "wave"], columns="domain", values="score")

# %% [markdown]
# ## 3. Describe
#
# Back to the sample. `ik.describe` gives per domain and wave the number of families
# with a score, the number without, mean, SD, median, the share at or above the
# instrument's "sufficient" level (4, *voldoende zelfredzaam*) and the distribution over
# the five levels. The table is long (9 domains × 3 waves); here is the intake.

# %%
description = ik.describe(data)
description[description["wave"] == "intake"]

# %% [markdown]
# The radar draws the mean score per domain at each wave: the further out, the more
# self-sufficient. In this sample families start lowest on social network, mental
# wellbeing and finances (as Samen Oplopen reports for its families), and the rings widen
# from intake to year 2.

# %%
description.figure()

# %% [markdown]
# ## 4. Change per domain
#
# `ik.change` compares two waves (by default the first and last: intake → year 2) on the
# families with a score at both, per domain: the mean difference with its 95% confidence
# interval, the paired t-test and the Wilcoxon signed-rank test, effect sizes (Cohen's
# d_z, d_av, Hedges' g_av, rank-biserial), the shares improved / unchanged / worse, and
# p-values adjusted across the nine domains (Holm, named in `adjust_method`).

# %%
change = ik.change(data)
change[
    [
        "domain",
        "n",
        "mean_baseline",
        "mean_followup",
        "mean_diff",
        "ci_low",
        "ci_high",
        "hedges_gav",
        "share_improved",
        "p_adjusted",
        "adjust_method",
    ]
]

# %% [markdown]
# The distance-travelled chart shows the same numbers: the mean change per domain with
# its confidence interval. Families who left before year 2 are not in it; notebook 02
# shows why a mixed model on all observed scores is the better main estimate.

# %%
change.figure()

# %% [markdown]
# ## 5. The annual impact report
#
# `build_report` runs the whole pipeline (reach, attrition, change, reliable change,
# level transitions, avoided costs with a probabilistic sensitivity analysis) and returns
# a self-contained HTML report that opens offline. Every number resting on fewer than
# `k = 10` families is suppressed. Below is its summary card (key figures and contents);
# `report.preview()` shows the whole report inline, `report.save(path)` writes the HTML and
# `report.to_excel(path)` the tables. This quickstart uses 2,000 PSA draws to stay
# quick (the default is 10,000).

# %%
from impactkit.report import build_report

report = build_report(dataset, lang="en", draws=2000, seed=1)
report

# %%
import tempfile

saved = report.save(Path(tempfile.mkdtemp(prefix="impactkit-")) / "annual_report.html")
print(f"saved {saved} ({saved.stat().st_size / 1e6:.1f} MB, opens offline)")

# %% [markdown]
# ## Next
#
# * `02_research_analysis`: attrition, mixed models versus complete cases versus LOCF,
#   effect sizes, multiple testing, reliable change and subgroups.
# * `03_municipality_business_case`: a what-if for a municipality without data, with
#   budgets per payer, uncertainty and break-even.
# * `04_annual_report`: the foundation's yearly run, parameterised by year and language.
