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
# # A municipal business case without data
#
# A policy advisor asks: *if we fund a family-support programme for three years, what do
# we spend, what care do we avoid, on whose budget do the savings land, how sure are we,
# and when do we break even?* The municipality has no data of its own yet, so the answer
# comes from a **scenario**: a set of assumptions (prices, how many families would have
# needed which care, adjustments for what would have happened anyway), each with a
# source.
#
# impactkit ships an *illustrative* Dutch scenario built from public figures
# (Kostenhandleiding 2024, Regeling normbedragen jeugdzorg, IBO Problematische schulden
# 2024, ...) with deliberately conservative defaults. Replace its prices and
# probabilities with local ones before using any number below in a decision: the Youth
# Authority warns that savings assumed from prevention are contested.

# %%
import os

import pandas as pd
import plotly.io as pio
from IPython.display import display

import impactkit as ik

# figures: interactive in JupyterLab and in nbconvert's HTML; `make notebooks` sets
# PLOTLY_RENDERER=plotly_mimetype+png, so the committed copies carry PNGs that GitHub shows
pio.renderers.default = os.environ.get("PLOTLY_RENDERER", "plotly_mimetype+notebook")
pio.renderers["png"].width = 900

pd.set_option("display.precision", 3)
pd.set_option("display.max_columns", 40)
pd.set_option("display.max_colwidth", 200)

# %%
scenario = ik.costs.Scenario.default()
print(
    f"Scenario {scenario.id!r}: prices in {scenario.report_year} euros, avoided care counted "
    f"for {scenario.horizon} years, discount rate {scenario.discount_costs.value:.2%}"
)
assumptions = scenario.assumptions()
assumptions[["parameter", "value", "dist", "low", "high", "source"]]

# %% [markdown]
# ## 1. The base case
#
# Forty families a year, funded for three years, with the coordinator hours that the
# scenario's caseload implies (25 families per full-time coordinator, so 1.6 FTE).
# `business_case` runs the cohorts through the care paths each family would otherwise
# have needed, applies deadweight, attribution and drop-off, discounts to present values
# and runs a probabilistic sensitivity analysis (PSA).
#
# Which care paths count is the scenario's declaration per programme (`[programmes]`):
# without `programme=` only the light paths count (social work, parenting support, debt
# assistance); `programme="Samen Oplopen"` adds supervision orders and out-of-home
# placements, which the scenario declares only for that programme.
#
# The library default is 10,000 PSA draws; this notebook uses **2,000** to stay quick.
# The probabilities below move by about a percentage point between seeds at that size;
# use the default for anything you publish.

# %%
DRAWS = 2000
base = ik.costs.business_case(scenario, families_per_year=40, years=3, draws=DRAWS, seed=2024)
base

# %% [markdown]
# Where does the avoided cost come from? The waterfall goes from the programme cost, through
# the avoided cost per care path, to the net benefit (all present values).

# %%
base.figure("waterfall")

# %% [markdown]
# ## 2. What if: caseload and coordinator hours
#
# The two levers a municipality controls are how many families it funds and how many
# coordinator hours it buys. More hours per family cost more but, in this scenario, do
# not change what each family avoids: the question is how thin the coordinators can be
# spread. The helper below converts hours per week into FTE at **36 hours per FTE**
# (the full-time week of the CAO Sociaal Werk; change it if your provider differs) and
# returns the headline numbers without a PSA.

# %%
HOURS_PER_FTE = 36


def what_if(families_per_year: float, coordinator_hours_per_week: float, *, years: int = 3) -> dict:
    result = ik.costs.business_case(
        scenario,
        families_per_year=families_per_year,
        coordinator_fte=coordinator_hours_per_week / HOURS_PER_FTE,
        years=years,
        draws=0,
    )
    h = result.headline
    return {
        "families_per_year": families_per_year,
        "coordinator_hours_per_week": coordinator_hours_per_week,
        "families_per_fte": families_per_year / (coordinator_hours_per_week / HOURS_PER_FTE),
        "programme_cost": h["programme_cost"],
        "gross_avoided_cost": h["gross_avoided_cost"],
        "net_benefit": h["net_benefit"],
        "benefit_cost_ratio": h["benefit_cost_ratio"],
        "payback_months": h["payback_months"],
    }


grid = pd.DataFrame([what_if(n, hours) for n in (20, 30, 40, 60) for hours in (24, 36, 54, 72)])
grid.pivot(
    index="families_per_year", columns="coordinator_hours_per_week", values="benefit_cost_ratio"
).round(2)

# %% [markdown]
# Read the table along a row: for the same number of families, every extra coordinator
# hour lowers the ratio, because the avoided care per family is fixed by the scenario.
# Along a column: more families per coordinator raise it, up to whatever caseload your
# coordinators can actually carry (the scenario's illustrative range is 18–35 families
# per FTE). The net benefit over three funded years, in thousands of euros:

# %%
(
    grid.pivot(index="families_per_year", columns="coordinator_hours_per_week", values="net_benefit") / 1000
).round(0)


# %% [markdown]
# ### Sliders
#
# In JupyterLab with `ipywidgets` installed (`pip install "impactkit[notebook]"`), the
# cell below gives sliders for the same what-if. Without ipywidgets, or when the notebook
# runs without a browser, call `what_if(...)` directly as above.


# %%
def show(families_per_year: int = 40, coordinator_hours_per_week: int = 58) -> pd.DataFrame:
    return pd.DataFrame([what_if(families_per_year, coordinator_hours_per_week)])


try:
    import ipywidgets as widgets
except ImportError:
    widgets = None

if widgets is None:
    print("ipywidgets is not installed; the what-if at its default values:")
    display(show())
else:
    widgets.interact(
        show,
        families_per_year=widgets.IntSlider(value=40, min=10, max=120, step=5, description="families/year"),
        coordinator_hours_per_week=widgets.IntSlider(
            value=58, min=8, max=144, step=2, description="coord. h/week"
        ),
    )

# %% [markdown]
# ## 3. Who pays and who saves: budgets per payer
#
# The municipality's prevention budget pays for the programme; the savings land on its
# youth-care (Jeugdwet) and income-support budgets, on housing corporations and on the
# state. This is the "wrong pocket" problem: the budget that invests is not the budget
# that saves. Present values over the whole horizon:

# %%
base.by_payer

# %%
base.figure("by_payer")

# %% [markdown]
# Per budget year (undiscounted, in report-year prices): the investment falls in the three
# funded years, while avoided care keeps accruing, and fading, for the years after each
# cohort started. A controller plans with this table.

# %%
labels = base.by_payer.set_index("payer")["label"]
budget = base.by_year.pivot(index="year", columns="payer", values="net")
budget = budget.loc[:, (budget != 0).any()].rename(columns=labels)
budget["total"] = budget.sum(axis=1)
budget["cumulative total"] = budget["total"].cumsum()
budget.round(0)

# %%
base.figure("by_year")

# %% [markdown]
# ## 4. How sure are we? Probabilistic sensitivity analysis
#
# Every uncertain assumption has a distribution (beta for probabilities, gamma for costs,
# triangular for expert ranges). Each PSA draw samples all of them at once and recomputes
# the business case; the spread of the net benefit over the draws is the uncertainty of
# the answer, and the share of draws above zero is the probability that the programme
# pays for itself *under these assumptions*.

# %%
print(
    f"P(net benefit > 0) = {base.headline['p_net_benefit_positive']:.0%}, "
    f"P(benefit-cost ratio > 1) = {base.headline['p_bcr_above_1']:.0%} ({DRAWS} draws)"
)
base.psa

# %%
base.figure("psa")

# %% [markdown]
# The most contested assumption is **deadweight**: the share of the avoided care that
# would have been avoided anyway. The acceptability curve shows how the probability of a
# positive net benefit falls as deadweight rises; the scenario's default is 30%.

# %%
base.figure("acceptability")

# %% [markdown]
# ## 5. Which assumption matters most? The tornado
#
# One-way sensitivity: each parameter in turn at its low and at its high value, all others
# at their base value. The widest bars are the assumptions worth checking locally first.

# %%
base.tornado[["parameter", "base", "low", "high", "net_low", "net_high", "swing"]].head(10)

# %%
base.figure("tornado")

# %% [markdown]
# Named scenarios move all assumptions together to their pessimistic or optimistic ends.
# The distance between them is wide on purpose: it is the honest range of a business case
# built on national averages.

# %%
base.scenarios

# %% [markdown]
# ## 6. Break-even
#
# Three ways to say when the programme pays:
#
# * `break_even_share`: the share of the counterfactual care that must really be avoided
#   for the net benefit to reach zero. Compare it with `attributed_share`, the share the
#   scenario's adjustments now credit to the programme.
# * `break_even_cases` per care path: how many avoided cases of *only* that path would pay
#   for the whole programme (e.g. supervision orders or out-of-home placements).
# * `payback_months`: when the cumulative avoided cost overtakes the cumulative investment.

# %%
h = base.headline
print(
    f"break-even: {h['break_even_share']:.0%} of the counterfactual care must be avoided; "
    f"the scenario credits {h['attributed_share']:.0%}. Payback after {h['payback_months']:.0f} months."
)
base.by_path[["label", "expected_cases", "cost_per_case", "avoided_cost", "break_even_cases"]]

# %% [markdown]
# ## 7. Export to Excel
#
# Controllers want the tables in a workbook. `to_excel` writes one sheet per table (numbers
# stay numbers, euro amounts formatted), the headline, and every assumption with its source;
# the what-if grid and the budget view of this notebook are added as extra sheets with pandas.
# This notebook writes to a temporary folder; pass your own path instead.

# %%
import tempfile
from pathlib import Path

from openpyxl import load_workbook

workbook = base.to_excel(Path(tempfile.mkdtemp(prefix="impactkit-")) / "business_case.xlsx")
with pd.ExcelWriter(workbook, mode="a", engine="openpyxl") as xl:
    budget.to_excel(xl, sheet_name="budget_by_year_table")
    grid.to_excel(xl, sheet_name="what_if", index=False)
print(workbook)
load_workbook(workbook, read_only=True).sheetnames

# %% [markdown]
# ## Making it local
#
# The scenario is a TOML file: copy impactkit's default (`impactkit/costs/data/default.toml`;
# the sample export carries a copy as `data/sample/scenario.toml`, and a `scenario.toml`
# next to an export is picked up by `ik.read_dataset` and the report), change the prices to your own tariffs and the prevalences to what your district teams
# see, keep a source next to every number, and load it with
# `ik.costs.Scenario.from_file("my_scenario.toml")`. Once the programme runs and records
# data, `ik.costs.evaluate(...)` replaces the scenario's prevalences by the families'
# recorded counterfactual judgements (see the annual-report notebook).
