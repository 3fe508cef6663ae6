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
# # Events and care before, during and after support; the coordinator's family view
#
# The strongest claims of informal family support are often not domain scores but what
# happens around the family: fewer nuisance or police reports, fewer crises, care that can
# scale down (*afschalen*), no new supervision order. This notebook reads those records
# from the synthetic sample in `data/sample/` (no real family is described):
#
# 1. the **events** table and the before / during / after windows of each family,
# 2. rates per family-year in each window, for events and for professional care and its cost,
# 3. **rate ratios** from a negative binomial model with a family random effect (checked
#    against R's glmmTMB in `tests/results/outcomes/`), next to GEE and exact tests,
# 4. the **observed** change in care cost next to the cost model's **assumed**
#    counterfactual: two different questions, never added together,
# 5. the coordinator's confidential **family view** (`kind="casework"`).
#
# A pre-post comparison without a comparison group shows what changed around the support,
# not what the support caused: families often start at a crisis (regression to the mean),
# and the period before the start is the worst by selection.

# %%
import os
import tempfile
from pathlib import Path

import pandas as pd
import plotly.io as pio

import impactkit as ik

# figures: interactive in JupyterLab and in nbconvert's HTML; `make notebooks` sets
# PLOTLY_RENDERER=plotly_mimetype+png, so the committed copies carry PNGs that GitHub shows
pio.renderers.default = os.environ.get("PLOTLY_RENDERER", "plotly_mimetype+notebook")
pio.renderers["png"].width = 900

pd.set_option("display.precision", 3)
pd.set_option("display.max_columns", 40)
pd.set_option("display.max_colwidth", 60)

# %% [markdown]
# ## 1. The events table and the windows
#
# `events.csv` has one row per event (a date) or per period (school absence per term:
# `period_start`, `period_end` and a `count`). The mapping file `impactkit.toml` declares
# the windows in its `[outcomes]` section: 12 months before the start, the support itself,
# 12 months after its end, within the dates the export covers.

# %%
ds = ik.read_dataset("../data/sample")
ds.events.head()

# %%
ds.config.outcomes

# %% [markdown]
# `phase_counts` gives one row per family × window × outcome: the count, the years the
# family was observed in that window (its exposure) and, for care, the cost at the
# scenario's prices. A window the export does not cover is cut short, or left out and
# counted in `exclusions`: nothing is dropped silently. This table is **individual-level**:
# it is for analysis, never for a funder report.

# %%
counts = ik.outcomes.phase_counts(ds)
counts.head()

# %%
counts.exclusions

# %% [markdown]
# ## 2. Rates per family-year in each window

# %%
rates = ik.outcomes.phase_rates(counts)
events = rates[rates["source"] == "events"]
events[["label", "phase", "n_families", "families_with_any", "exposure_years", "total", "rate"]]

# %%
ik.figures.phase_rates_bars(events, title="Events per family-year")

# %% [markdown]
# Care in its own units (contacts, hours, days, years of an order) and its cost per
# family-year at the scenario's report-year prices (`counts.unit_costs`):

# %%
care = rates[rates["source"] == "care_cost"]
care[["phase", "n_families", "exposure_years", "cost", "cost_per_year"]]

# %% [markdown]
# ## 3. Rate ratios
#
# The default model is a negative binomial GLMM, `count ~ phase + offset(log(exposure))
# + (1 | family)`, fitted by adaptive Gauss-Hermite quadrature (25 nodes). A family's
# before and after are not independent; the random effect says so. The same contrasts by
# GEE (cluster-robust errors) and by the exact conditional test (no family effect) show
# how much the answer depends on the model.

# %%
only_events = counts[counts["source"] == "events"]
ratios = ik.outcomes.rate_ratios(only_events, method="negbin")
ratios[["label", "contrast", "rate_ratio", "ci_low", "ci_high", "p_adjusted", "status"]]

# %%
ratios.figure(contrasts=["during/before", "after/before"], title="Rate ratios against the year before")

# %%
nuisance = only_events[only_events["outcome"] == "nuisance_report"]
side = pd.concat(
    [
        pd.DataFrame(ik.outcomes.rate_ratios(nuisance, method=m)).assign(method=m)
        for m in ("negbin", "poisson", "gee", "exact")
    ]
)
side[side["contrast"] == "after/before"][["method", "rate_ratio", "ci_low", "ci_high", "status"]]

# %% [markdown]
# ## 4. Observed next to assumed
#
# The cost model (`ik.costs.evaluate`) estimates the care a family would have needed
# *without* support (a counterfactual: assumed, from the coordinators' judgements and the
# scenario's likelihoods) and subtracts the care it did use. The observed change in care
# cost from before to after is a different quantity: measured, but not caused by the support
# alone. They answer different questions; adding them would count the same care twice.
# The annual report shows them side by side in one table with a column saying which is which.

# %%
ev = ik.costs.evaluate(ds, draws=0)
care_counts = counts[counts["source"] == "care_cost"]
ratio = ik.outcomes.rate_ratios(care_counts, method="gee").set_index("contrast").loc["after/before"]
observed = care.set_index("phase")["cost_per_year"]
pd.DataFrame(
    [
        ("observed", "care cost per family-year, 12 months before", observed["before"], "€ per family-year"),
        ("observed", "care cost per family-year, 12 months after", observed["after"], "€ per family-year"),
        ("observed", "after / before (GEE, cluster-robust)", ratio["rate_ratio"], "ratio"),
        (
            "assumed",
            "gross avoided cost over the horizon",
            ev.headline["gross_avoided_cost"],
            "€, all families",
        ),
    ],
    columns=["kind", "what", "value", "unit"],
)

# %% [markdown]
# ## 5. The coordinator's family view
#
# `kind="casework"` renders, per family, its scores over the waves (a journey radar and a
# line per domain), its events and care over time on its windows, and the counts per window.
# It is **confidential**: families appear under a keyed pseudonym (HMAC-SHA256, key from
# `$IMPACTKIT_PSEUDONYM_KEY` or a key file), a banner marks every screen and printed page,
# and it takes none of the funder reports' options: it can never become part of a release.
# (A throw-away key here; a real one lives in a key file outside the export.)

# %%
key = "notebook-demo-key-not-for-real-data"
view = ik.build_report(ds, kind="casework", family=["F00002", "F00004"], pseudonym_key=key, lang="en")
folder = Path(tempfile.mkdtemp())
path = view.save(folder / "family_view.html")
[s.title for s in view.sections], path.name

# %%
try:
    ik.build_report(ds, kind="casework", family="F00002", pseudonym_key=key, k=5)
except ik.errors.ParameterError as err:
    print(err)
