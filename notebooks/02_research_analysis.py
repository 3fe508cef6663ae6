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
# # A researcher's analysis: attrition, models, effect sizes, reliable change
#
# This notebook walks through the analysis an evaluation researcher would run on a
# programme's export, from "who is still there at year 2?" to "did change differ between
# household types?". Every step is one impactkit function that returns a tidy table
# (one row per domain, or per domain × group) with its method notes underneath.
#
# The data are impactkit's **synthetic** sample: 350 families of two programmes
# (Samen Oplopen and Home-Start) in six municipalities, scored on nine life domains
# (1 = acute problems … 5 = fully self-sufficient) at intake, after one year and after
# two years. About a quarter of the families leave before year 2, and, as in real
# programmes, families who started worse leave more often. That is exactly the situation in
# which the choice of analysis matters.
#
# The missing-data policy throughout: impactkit never imputes silently. Paired tests use
# complete pairs, the mixed model uses every observed score, and each table says which.

# %%
import os

import numpy as np
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

# %%
dataset = ik.read_dataset("../data/sample")
data = dataset.assessments  # the canonical long frame: one row per family × wave × domain
families = dataset.families
instrument = dataset.instrument
print(
    f"{dataset.n_families} families, {len(data)} scores, {dataset.n_missing_scores} explicitly missing scores"
)
data.head()

# %% [markdown]
# ## 1. Attrition and missingness
#
# Before estimating change, look at who is measured when. `ik.attrition` gives the flow
# of families per wave (overall and per municipality), the patterns of observed waves, the
# intake profile of completers against non-completers, and a logistic model of dropping
# out. Small cells are not published: groups with fewer than 10 families at intake are
# suppressed, and so are counts of lost families below 10 (shown as `<NA>`).

# %%
att = ik.attrition(data, families, by="municipality")
att.flow

# %%
att.figure()

# %% [markdown]
# Each row below is one pattern of observed waves (True = at least one score at that
# wave). In this sample dropout is monotone: a family that misses year 1 never returns at
# year 2, so "left after intake" and "left after year 1" are the only ways to go missing.

# %%
att.patterns

# %% [markdown]
# **Were the families who left different at intake?** The standardised mean difference
# (`smd`, Austin 2009) compares completers with non-completers per domain; an absolute
# value above about 0.1 signals imbalance. Positive values mean the completers started
# *higher*: the families who left started worse. Then an analysis of completers alone
# describes a better-off group than the one the programme took in.

# %%
att.profile[
    ["domain", "n_completers", "n_noncompleters", "mean_completers", "mean_noncompleters", "smd", "welch_p"]
]

# %% [markdown]
# The logistic regression of non-completion on all intake scores at once (odds ratios per
# scale point) asks which intake domains predict leaving when the others are held fixed.
# The domains are correlated, so single coefficients are often unclear even when the
# profile above shows a consistent gap. Either way, when leaving depends on intake scores
# the data are at best *missing at random* (MAR: missingness depends on what we did
# observe), not *missing completely at random* (MCAR).

# %%
att.model

# %% [markdown]
# ## 2. The same question three ways: complete cases, mixed model, LOCF
#
# How much did families change from intake to year 2? Three common answers, on the same
# data:
#
# 1. **Complete cases** (`ik.change`): the paired mean difference among families with a
#    score at both waves. Valid if the families who left are a random subset (MCAR).
# 2. **Linear mixed model** (`ik.mixed_model`): `score ~ wave + (1 | family)` fitted to
#    every observed score (REML, as `lme4::lmer`). A family that left after year 1
#    still contributes its intake and year-1 scores, and its year-2 trajectory is informed
#    by families who looked like it. Valid under MAR.
# 3. **Last observation carried forward (LOCF)**: fill each missing year-2 score with the
#    family's last observed score, then analyse as if complete. Still common in
#    evaluation reports; impactkit deliberately has no LOCF function, so we build it here
#    with pandas to see what it does.

# %%
complete_case = ik.change(data, baseline="intake", followup="year2")
complete_case[
    [
        "domain",
        "n",
        "mean_baseline",
        "mean_followup",
        "mean_diff",
        "ci_low",
        "ci_high",
        "p_value",
        "p_adjusted",
    ]
]

# %% [markdown]
# The mixed model reports, per domain, the mean at intake (`intercept`) and each later
# wave's contrast with intake, with Satterthwaite degrees of freedom (as lmerTest),
# the family and residual variances and the intra-class correlation.

# %%
mixed = ik.mixed_model(data)
mixed

# %%
mixed.figure()

# %% [markdown]
# Now LOCF, by hand. Reshape to one row per family × domain with a column per wave, carry
# the last observed score forward along the waves, and take year 2 minus intake, exactly
# as a spreadsheet would.

# %%
from scipy import stats

wide = data.pivot(index=["family_id", "domain"], columns="wave", values="score")
locf = wide.ffill(axis=1)  # a missing year-2 score becomes the last observed one
locf_diff = (locf["year2"] - locf["intake"]).dropna()
n_imputed = int((wide["year2"].isna() & locf["year2"].notna()).sum())
print(f"LOCF filled {n_imputed} of {len(locf_diff)} year-2 scores used below")


def mean_ci(x: pd.Series) -> pd.Series:
    n = x.count()
    half = stats.t.ppf(0.975, n - 1) * x.std() / np.sqrt(n)
    return pd.Series({"n": n, "estimate": x.mean(), "ci_low": x.mean() - half, "ci_high": x.mean() + half})


locf_table = locf_diff.groupby(level="domain", observed=True).apply(mean_ci).unstack()
locf_table

# %% [markdown]
# Put the three estimates of the intake → year 2 change side by side, with their 95%
# confidence intervals and the number of families each rests on.

# %%
year2 = mixed[mixed["term"] == "year2"]
comparison = pd.concat(
    [
        complete_case[["domain", "n", "mean_diff", "ci_low", "ci_high"]]
        .rename(columns={"mean_diff": "estimate"})
        .assign(method="complete cases"),
        year2[["domain", "n_families", "estimate", "ci_low", "ci_high"]]
        .rename(columns={"n_families": "n"})
        .assign(method="mixed model (all scores)"),
        locf_table.reset_index().assign(method="LOCF"),
    ],
    ignore_index=True,
)
comparison["domain"] = comparison["domain"].astype(str)
comparison["ci_width"] = comparison["ci_high"] - comparison["ci_low"]
smallest = comparison.loc[comparison.groupby("domain")["estimate"].idxmin(), "method"]
print("smallest estimate per domain:", smallest.value_counts().to_dict())
comparison.pivot(index="domain", columns="method", values=["estimate", "ci_width", "n"])

# %%
import plotly.graph_objects as go

fig = go.Figure()
symbols = ["circle", "square", "diamond"]
for i, (method, rows) in enumerate(comparison.groupby("method", sort=False)):
    fig.add_trace(
        go.Scatter(
            x=rows["estimate"],
            y=[instrument.domain_label(d, "en") for d in rows["domain"]],
            error_x={
                "type": "data",
                "symmetric": False,
                "array": rows["ci_high"] - rows["estimate"],
                "arrayminus": rows["estimate"] - rows["ci_low"],
            },
            mode="markers",
            name=method,
            orientation="h",
            marker={"color": ik.figures.PALETTE[i], "symbol": symbols[i], "size": 9},
        )
    )
fig.update_layout(
    xaxis_title="change intake → year 2 (scale points, 95% CI)",
    yaxis={"autorange": "reversed"},
    scattermode="group",
    height=560,
)
ik.figures.apply_theme(fig, title="One question, three answers")

# %% [markdown]
# ### Why LOCF misleads
#
# * **It invents a result nobody observed.** Carrying the last score forward asserts that
#   a family who left after intake would have changed by exactly zero by year 2. The
#   families here were improving, so every carried-forward score drags the average
#   toward zero: LOCF gives the smallest estimate of the three (see the count printed
#   above the table). (Were
#   families deteriorating, the same rule would hide the deterioration instead.) The
#   direction of the bias depends on the trajectory, so it cannot be corrected by
#   "being conservative".
# * **It claims precision it does not have.** The imputed scores enter the analysis as if
#   they had been measured, so `n` is larger and the confidence interval narrower than
#   the data support. A narrow interval around a biased number is the worst combination.
# * **It hides the missing-data assumption.** Complete-case analysis assumes that leavers
#   are like stayers (MCAR), which the attrition profile above contradicts. The mixed
#   model assumes MAR, stated in its notes, and uses every observed score without
#   inventing any. When dropout depends on earlier scores, that is the estimate to report;
#   the complete-case result is a useful sensitivity check.
#
# A second check under the same "all observed scores" principle is GEE with an
# exchangeable working correlation and cluster-robust standard errors. GEE needs the
# stronger MCAR assumption (or MAR given its covariates), so agreement with the mixed
# model is reassuring, not proof.

# %%
gee = ik.gee(data)
pd.concat(
    {
        "mixed model": year2.set_index("domain")[["estimate", "se"]],
        "GEE (robust SE)": gee[gee["term"] == "year2"].set_index("domain")[["estimate", "se"]],
    },
    axis=1,
)

# %% [markdown]
# ## 3. An ordinal mixed model
#
# A 1–5 scale is ordinal: the step from "acute problems" to "not self-sufficient" need
# not be as large as the step from "sufficiently" to "fully" self-sufficient. A
# cumulative-logit mixed model (`ordinal=True`, as `ordinal::clmm` with adaptive
# Gauss-Hermite quadrature) uses only the order of the levels. The wave effects are log
# odds ratios: `exp(estimate)` is how many times higher the odds are of scoring above any
# given level at that wave than at intake. The thresholds (`1|2`, `2|3`, ...) are the
# cut-points on the latent scale; the table below keeps only the wave effects.

# %%
ordinal = ik.mixed_model(data, ordinal=True)
waves = ordinal[ordinal["term"].isin(["year1", "year2"])].copy()
waves["odds_ratio"] = np.exp(waves["estimate"])
waves["or_ci_low"] = np.exp(waves["ci_low"])
waves["or_ci_high"] = np.exp(waves["ci_high"])
linear = mixed[mixed["term"] == "year2"].set_index("domain")["estimate"]
logit = waves[waves["term"] == "year2"].set_index("domain")["estimate"]
rho = stats.spearmanr(linear, logit.loc[linear.index]).statistic
print(f"rank correlation of the year-2 effects, linear vs ordinal model: {rho:.2f}")
waves[["domain", "term", "estimate", "se", "p_value", "odds_ratio", "or_ci_low", "or_ci_high", "status"]]

# %% [markdown]
# Compare the ranking of domains with the linear model (the rank correlation printed
# above): if the two models disagreed about which domains changed most, the interval-scale
# assumption of the linear model would be doing real work and the ordinal result should
# lead.
#
# ## 4. Effect sizes, by name
#
# "Effect size" is not one number. `ik.change` reports several, each named after what it
# divides by (Lakens 2013):
#
# | column | definition | use it for |
# |---|---|---|
# | `cohen_dz` | mean difference / SD of the differences (with a noncentral-t CI: `dz_ci_low`, `dz_ci_high`) | power analysis of a paired design; it grows with the correlation between waves |
# | `cohen_dav` | mean difference / mean of the two SDs | comparing with between-group studies |
# | `hedges_gav` | `cohen_dav` with the small-sample correction J | reporting and meta-analysis (Lakens' recommendation) |
# | `rank_biserial` | (V+ − V−) / (V+ + V−) from the Wilcoxon signed-rank test | the non-parametric companion: the balance of improving over worsening ranks |
#
# Always write the name next to the number: a `d_z` of 0.9 and a `g_av` of 0.9 are
# different claims.

# %%
complete_case[
    [
        "domain",
        "n",
        "mean_diff",
        "cohen_dz",
        "dz_ci_low",
        "dz_ci_high",
        "cohen_dav",
        "hedges_gav",
        "rank_biserial",
        "wilcoxon_p",
        "share_improved",
        "share_worse",
    ]
]

# %% [markdown]
# Across all three waves at once (complete cases), the Friedman test with Kendall's W and
# the repeated-measures ANOVA with Mauchly's test and Greenhouse-Geisser / Huynh-Feldt
# corrections give the omnibus view; the figure shows the generalised eta².

# %%
omnibus = ik.omnibus(data)
omnibus[
    [
        "domain",
        "n_complete",
        "friedman_chi2",
        "kendall_w",
        "anova_f",
        "mauchly_p",
        "gg_epsilon",
        "p_gg",
        "eta2_generalized",
    ]
]

# %%
omnibus.figure()

# %% [markdown]
# ## 5. Nine domains, nine tests: Holm or Benjamini-Hochberg
#
# Testing nine domains gives nine chances of a false positive. impactkit adjusts the
# paired-t p-values across the domains of one table and says which method it used
# (`adjust_method`):
#
# * **Holm** (the default) controls the *family-wise* error rate: the chance of even one
#   false "this domain improved" among the nine. Use it when each domain is a claim on its
#   own, as in a report to funders.
# * **Benjamini-Hochberg** (`adjust="bh"`) controls the *false discovery rate*: the
#   expected share of false claims among the domains declared improved. It is less strict
#   and suits exploration, where a few false leads are acceptable.
#
# Choose before looking at the results. With the large intake → year-2 changes both
# methods agree, so the comparison below uses the smaller year 1 → year 2 changes within
# each programme (the adjustment runs within each group).

# %%
options = dict(baseline="year1", followup="year2", by="programme", families=families)
holm = ik.change(data, adjust="holm", **options)
bh = ik.change(data, adjust="bh", **options)
adjusted = holm[["programme", "domain", "n", "mean_diff", "p_value"]].assign(
    p_holm=holm["p_adjusted"],
    p_bh=bh["p_adjusted"],
    significant_holm=holm["p_adjusted"] < 0.05,
    significant_bh=bh["p_adjusted"] < 0.05,
)
adjusted

# %%
differ = adjusted[adjusted["significant_holm"] != adjusted["significant_bh"]]
print(
    f"Holm declares {int(adjusted['significant_holm'].sum())} and BH "
    f"{int(adjusted['significant_bh'].sum())} of {len(adjusted)} domain × programme "
    f"changes significant at 0.05; they disagree on {len(differ)}:"
)
differ

# %% [markdown]
# ## 6. Reliable change: which families really changed?
#
# Group means hide individual families. The Jacobson-Truax reliable change index divides
# a family's change by the standard error of a difference,
# `RCI = (x₂ − x₁) / (SD_intake × √2 × √(1 − r))`; |RCI| > 1.96 is a change larger than
# measurement error would produce 95% of the time. A reliable improvement that also
# crosses the instrument's "sufficient" level (4) counts as *recovered*.
#
# Mind the reliability `r`: the default instrument ships a placeholder of 0.80 per domain
# (its `reliability_source` says so). With intake SDs between 0.8 and 0.95 the smallest
# reliable change, `1.96 × se_diff`, lands right around one scale point. Where it is
# above 1, a one-level step is *not* reliable and a family must move two levels in that
# domain to count; where it is just below 1, a single step counts. That threshold, not
# the programme, explains most of the difference between domains in the shares below.
# Pass `reliability=` (or item data for Cronbach's alpha) when you have a better
# estimate.

# %%
print(instrument.reliability_source)
reliable = ik.reliable_change(data, baseline="intake", followup="year2")
parameters = reliable.meta["parameters"].copy()
parameters["smallest_reliable_change"] = 1.96 * parameters["se_diff"]
parameters["one_level_is_reliable"] = parameters["smallest_reliable_change"] < 1
parameters

# %%
ik.measures.reliable_change_shares(reliable)

# %%
reliable.figure()

# %% [markdown]
# Per family over all domains (`level="family"`): *recovered* or *improved* when at least
# one domain reliably improved and none worsened, *mixed* when both happened.

# %%
per_family = ik.reliable_change(data, level="family")
ik.measures.reliable_change_shares(per_family)

# %% [markdown]
# ## 7. A subgroup comparison: household types
#
# Every analysis above takes `by=`: a column of the assessments or of the families table
# (municipality, programme, household type...). Each group gets the same analysis, and
# cells resting on fewer than `min_n` (default 10) families are blanked with a `status`
# instead of being published. Here: the paired change per household type.

# %%
by_household = ik.change(data, by="household_type", families=families)
by_household.pivot(index="domain", columns="household_type", values="mean_diff")

# %%
by_household[
    ["household_type", "domain", "n", "mean_diff", "ci_low", "ci_high", "hedges_gav", "p_adjusted", "status"]
].head(9)

# %% [markdown]
# One group drawn as a distance-travelled chart (any table from `change` with `by=` works;
# pick the group with `group=`):

# %%
fig = ik.figures.distance_travelled(by_household, group="newcomer")
ik.figures.apply_theme(fig, title="Newcomer families: mean change intake → year 2 with 95% CI")

# %% [markdown]
# Separate tests per group do not answer "did the change *differ* between household
# types?": a significant result in one group and a non-significant one in another is not
# evidence of a difference. The mixed model with `by=` fits `score ~ wave * household_type`
# on all observed scores and tests the wave × household-type interaction per domain
# (p-values adjusted across domains). A small interaction p-value says the pattern of
# change differs between household types in that domain.

# %%
interaction = ik.mixed_model(data, by="household_type", families=families)
tests = interaction.omnibus
tests[tests["term"].str.startswith("wave:")]

# %% [markdown]
# ## What to report
#
# * The attrition flow and the intake profile of leavers, so readers can judge the
#   missing-data assumption.
# * The mixed-model contrasts as the main estimate of change (MAR), with the complete-case
#   paired analysis as a sensitivity check, never LOCF.
# * Effect sizes with their names (`g_av` for reporting, `d_z` for power), p-values
#   adjusted across domains with the method named.
# * The share of families with reliable change, with the reliability it rests on.
# * Subgroup differences only from an interaction test, with small cells suppressed.
#
# Every table here is a pandas DataFrame: `table.to_csv(...)` or `table.to_excel(...)`
# exports it, and `table.summary()` prints it with its method notes.
