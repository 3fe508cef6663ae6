"""Write the notebooks in this folder from the cell texts below, without outputs.

Run ``.venv/bin/python notebooks/_build.py`` after editing a cell here; never edit the ``.ipynb``
files by hand (they are regenerated, and committed without outputs).  Cell ids are fixed
(``<notebook>-<nn>``) so that a rebuild without changes leaves the files byte for byte the same.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def md(text: str) -> tuple[str, str, tuple[str, ...]]:
    return ("markdown", textwrap.dedent(text).strip(), ())


def code(text: str, *tags: str) -> tuple[str, str, tuple[str, ...]]:
    return ("code", textwrap.dedent(text).strip(), tags)


SETUP = code(
    """
    import numpy as np
    import pandas as pd

    import impactkit as ik

    pd.set_option("display.precision", 3)
    pd.set_option("display.max_columns", 40)
    pd.set_option("display.max_colwidth", 200)
    """
)

# --------------------------------------------------------------------------------------------
# 02: the researcher's analysis
# --------------------------------------------------------------------------------------------
RESEARCH = [
    md(
        """
        # A researcher's analysis: attrition, models, effect sizes, reliable change

        This notebook walks through the analysis an evaluation researcher would run on a
        programme's export, from "who is still there at year 2?" to "did change differ between
        household types?". Every step is one impactkit function that returns a tidy table
        (one row per domain, or per domain × group) with its method notes underneath.

        The data are impactkit's **synthetic** sample: 350 families of two programmes
        (Samen Oplopen and Home-Start) in six municipalities, scored on nine life domains
        (1 = acute problems … 5 = fully self-sufficient) at intake, after one year and after
        two years. About a quarter of the families leave before year 2, and, as in real
        programmes, families who started worse leave more often. That is exactly the situation in
        which the choice of analysis matters.

        The missing-data policy throughout: impactkit never imputes silently. Paired tests use
        complete pairs, the mixed model uses every observed score, and each table says which.
        """
    ),
    SETUP,
    code(
        """
        dataset = ik.read_dataset("../data/sample")
        data = dataset.assessments  # the canonical long frame: one row per family × wave × domain
        families = dataset.families
        instrument = dataset.instrument
        print(f"{dataset.n_families} families, {len(data)} scores, "
              f"{dataset.n_missing_scores} explicitly missing scores")
        data.head()
        """
    ),
    md(
        """
        ## 1. Attrition and missingness

        Before estimating change, look at who is measured when. `ik.attrition` gives the flow
        of families per wave (overall and per municipality), the patterns of observed waves, the
        intake profile of completers against non-completers, and a logistic model of dropping
        out. Small cells are not published: groups with fewer than 10 families at intake are
        suppressed, and so are counts of lost families below 10 (shown as `<NA>`).
        """
    ),
    code(
        """
        att = ik.attrition(data, families, by="municipality")
        att.flow
        """
    ),
    code("att.figure()"),
    md(
        """
        Each row below is one pattern of observed waves (True = at least one score at that
        wave). In this sample dropout is monotone: a family that misses year 1 never returns at
        year 2, so "left after intake" and "left after year 1" are the only ways to go missing.
        """
    ),
    code("att.patterns"),
    md(
        """
        **Were the families who left different at intake?** The standardised mean difference
        (`smd`, Austin 2009) compares completers with non-completers per domain; an absolute
        value above about 0.1 signals imbalance. Positive values mean the completers started
        *higher*: the families who left started worse. Then an analysis of completers alone
        describes a better-off group than the one the programme took in.
        """
    ),
    code(
        """
        att.profile[["domain", "n_completers", "n_noncompleters", "mean_completers",
                     "mean_noncompleters", "smd", "welch_p"]]
        """
    ),
    md(
        """
        The logistic regression of non-completion on all intake scores at once (odds ratios per
        scale point) asks which intake domains predict leaving when the others are held fixed.
        The domains are correlated, so single coefficients are often unclear even when the
        profile above shows a consistent gap. Either way, when leaving depends on intake scores
        the data are at best *missing at random* (MAR: missingness depends on what we did
        observe), not *missing completely at random* (MCAR).
        """
    ),
    code("att.model"),
    md(
        """
        ## 2. The same question three ways: complete cases, mixed model, LOCF

        How much did families change from intake to year 2? Three common answers, on the same
        data:

        1. **Complete cases** (`ik.change`): the paired mean difference among families with a
           score at both waves. Valid if the families who left are a random subset (MCAR).
        2. **Linear mixed model** (`ik.mixed_model`): `score ~ wave + (1 | family)` fitted to
           every observed score (REML, as `lme4::lmer`). A family that left after year 1
           still contributes its intake and year-1 scores, and its year-2 trajectory is informed
           by families who looked like it. Valid under MAR.
        3. **Last observation carried forward (LOCF)**: fill each missing year-2 score with the
           family's last observed score, then analyse as if complete. Still common in
           evaluation reports; impactkit deliberately has no LOCF function, so we build it here
           with pandas to see what it does.
        """
    ),
    code(
        """
        complete_case = ik.change(data, baseline="intake", followup="year2")
        complete_case[["domain", "n", "mean_baseline", "mean_followup", "mean_diff", "ci_low",
                       "ci_high", "p_value", "p_adjusted"]]
        """
    ),
    md(
        """
        The mixed model reports, per domain, the mean at intake (`intercept`) and each later
        wave's contrast with intake, with Satterthwaite degrees of freedom (as lmerTest),
        the family and residual variances and the intra-class correlation.
        """
    ),
    code(
        """
        mixed = ik.mixed_model(data)
        mixed
        """
    ),
    code("mixed.figure()"),
    md(
        """
        Now LOCF, by hand. Reshape to one row per family × domain with a column per wave, carry
        the last observed score forward along the waves, and take year 2 minus intake, exactly
        as a spreadsheet would.
        """
    ),
    code(
        """
        from scipy import stats

        wide = data.pivot(index=["family_id", "domain"], columns="wave", values="score")
        locf = wide.ffill(axis=1)  # a missing year-2 score becomes the last observed one
        locf_diff = (locf["year2"] - locf["intake"]).dropna()
        n_imputed = int((wide["year2"].isna() & locf["year2"].notna()).sum())
        print(f"LOCF filled {n_imputed} of {len(locf_diff)} year-2 scores used below")


        def mean_ci(x: pd.Series) -> pd.Series:
            n = x.count()
            half = stats.t.ppf(0.975, n - 1) * x.std() / np.sqrt(n)
            return pd.Series({"n": n, "estimate": x.mean(), "ci_low": x.mean() - half,
                              "ci_high": x.mean() + half})


        locf_table = locf_diff.groupby(level="domain", observed=True).apply(mean_ci).unstack()
        locf_table
        """
    ),
    md(
        """
        Put the three estimates of the intake → year 2 change side by side, with their 95%
        confidence intervals and the number of families each rests on.
        """
    ),
    code(
        """
        year2 = mixed[mixed["term"] == "year2"]
        comparison = pd.concat([
            complete_case[["domain", "n", "mean_diff", "ci_low", "ci_high"]]
            .rename(columns={"mean_diff": "estimate"}).assign(method="complete cases"),
            year2[["domain", "n_families", "estimate", "ci_low", "ci_high"]]
            .rename(columns={"n_families": "n"}).assign(method="mixed model (all scores)"),
            locf_table.reset_index().assign(method="LOCF"),
        ], ignore_index=True)
        comparison["domain"] = comparison["domain"].astype(str)
        comparison["ci_width"] = comparison["ci_high"] - comparison["ci_low"]
        smallest = comparison.loc[comparison.groupby("domain")["estimate"].idxmin(), "method"]
        print("smallest estimate per domain:", smallest.value_counts().to_dict())
        comparison.pivot(index="domain", columns="method", values=["estimate", "ci_width", "n"])
        """
    ),
    code(
        """
        import plotly.graph_objects as go

        fig = go.Figure()
        symbols = ["circle", "square", "diamond"]
        for i, (method, rows) in enumerate(comparison.groupby("method", sort=False)):
            fig.add_trace(go.Scatter(
                x=rows["estimate"], y=[instrument.domain_label(d, "en") for d in rows["domain"]],
                error_x={"type": "data", "symmetric": False,
                         "array": rows["ci_high"] - rows["estimate"],
                         "arrayminus": rows["estimate"] - rows["ci_low"]},
                mode="markers", name=method, orientation="h",
                marker={"color": ik.figures.PALETTE[i], "symbol": symbols[i], "size": 9},
            ))
        fig.update_layout(xaxis_title="change intake → year 2 (scale points, 95% CI)",
                          yaxis={"autorange": "reversed"}, scattermode="group", height=560)
        ik.figures.apply_theme(fig, title="One question, three answers")
        """
    ),
    md(
        """
        ### Why LOCF misleads

        * **It invents a result nobody observed.** Carrying the last score forward asserts that
          a family who left after intake would have changed by exactly zero by year 2. The
          families here were improving, so every carried-forward score drags the average
          toward zero: LOCF gives the smallest estimate of the three (see the count printed
          above the table). (Were
          families deteriorating, the same rule would hide the deterioration instead.) The
          direction of the bias depends on the trajectory, so it cannot be corrected by
          "being conservative".
        * **It claims precision it does not have.** The imputed scores enter the analysis as if
          they had been measured, so `n` is larger and the confidence interval narrower than
          the data support. A narrow interval around a biased number is the worst combination.
        * **It hides the missing-data assumption.** Complete-case analysis assumes that leavers
          are like stayers (MCAR), which the attrition profile above contradicts. The mixed
          model assumes MAR, stated in its notes, and uses every observed score without
          inventing any. When dropout depends on earlier scores, that is the estimate to report;
          the complete-case result is a useful sensitivity check.

        A second check under the same "all observed scores" principle is GEE with an
        exchangeable working correlation and cluster-robust standard errors. GEE needs the
        stronger MCAR assumption (or MAR given its covariates), so agreement with the mixed
        model is reassuring, not proof.
        """
    ),
    code(
        """
        gee = ik.gee(data)
        pd.concat({"mixed model": year2.set_index("domain")[["estimate", "se"]],
                   "GEE (robust SE)": gee[gee["term"] == "year2"].set_index("domain")[["estimate", "se"]]},
                  axis=1)
        """
    ),
    md(
        """
        ## 3. An ordinal mixed model

        A 1–5 scale is ordinal: the step from "acute problems" to "not self-sufficient" need
        not be as large as the step from "sufficiently" to "fully" self-sufficient. A
        cumulative-logit mixed model (`ordinal=True`, as `ordinal::clmm` with adaptive
        Gauss-Hermite quadrature) uses only the order of the levels. The wave effects are log
        odds ratios: `exp(estimate)` is how many times higher the odds are of scoring above any
        given level at that wave than at intake. The thresholds (`1|2`, `2|3`, ...) are the
        cut-points on the latent scale; the table below keeps only the wave effects.
        """
    ),
    code(
        """
        ordinal = ik.mixed_model(data, ordinal=True)
        waves = ordinal[ordinal["term"].isin(["year1", "year2"])].copy()
        waves["odds_ratio"] = np.exp(waves["estimate"])
        waves["or_ci_low"] = np.exp(waves["ci_low"])
        waves["or_ci_high"] = np.exp(waves["ci_high"])
        linear = mixed[mixed["term"] == "year2"].set_index("domain")["estimate"]
        logit = waves[waves["term"] == "year2"].set_index("domain")["estimate"]
        rho = stats.spearmanr(linear, logit.loc[linear.index]).statistic
        print(f"rank correlation of the year-2 effects, linear vs ordinal model: {rho:.2f}")
        waves[["domain", "term", "estimate", "se", "p_value", "odds_ratio", "or_ci_low", "or_ci_high",
               "status"]]
        """
    ),
    md(
        """
        Compare the ranking of domains with the linear model (the rank correlation printed
        above): if the two models disagreed about which domains changed most, the interval-scale
        assumption of the linear model would be doing real work and the ordinal result should
        lead.

        ## 4. Effect sizes, by name

        "Effect size" is not one number. `ik.change` reports several, each named after what it
        divides by (Lakens 2013):

        | column | definition | use it for |
        |---|---|---|
        | `cohen_dz` | mean difference / SD of the differences (with a noncentral-t CI: `dz_ci_low`, `dz_ci_high`) | power analysis of a paired design; it grows with the correlation between waves |
        | `cohen_dav` | mean difference / mean of the two SDs | comparing with between-group studies |
        | `hedges_gav` | `cohen_dav` with the small-sample correction J | reporting and meta-analysis (Lakens' recommendation) |
        | `rank_biserial` | (V+ − V−) / (V+ + V−) from the Wilcoxon signed-rank test | the non-parametric companion: the balance of improving over worsening ranks |

        Always write the name next to the number: a `d_z` of 0.9 and a `g_av` of 0.9 are
        different claims.
        """
    ),
    code(
        """
        complete_case[["domain", "n", "mean_diff", "cohen_dz", "dz_ci_low", "dz_ci_high", "cohen_dav",
                       "hedges_gav", "rank_biserial", "wilcoxon_p", "share_improved", "share_worse"]]
        """
    ),
    md(
        """
        Across all three waves at once (complete cases), the Friedman test with Kendall's W and
        the repeated-measures ANOVA with Mauchly's test and Greenhouse-Geisser / Huynh-Feldt
        corrections give the omnibus view; the figure shows the generalised eta².
        """
    ),
    code(
        """
        omnibus = ik.omnibus(data)
        omnibus[["domain", "n_complete", "friedman_chi2", "kendall_w", "anova_f", "mauchly_p",
                 "gg_epsilon", "p_gg", "eta2_generalized"]]
        """
    ),
    code("omnibus.figure()"),
    md(
        """
        ## 5. Nine domains, nine tests: Holm or Benjamini-Hochberg

        Testing nine domains gives nine chances of a false positive. impactkit adjusts the
        paired-t p-values across the domains of one table and says which method it used
        (`adjust_method`):

        * **Holm** (the default) controls the *family-wise* error rate: the chance of even one
          false "this domain improved" among the nine. Use it when each domain is a claim on its
          own, as in a report to funders.
        * **Benjamini-Hochberg** (`adjust="bh"`) controls the *false discovery rate*: the
          expected share of false claims among the domains declared improved. It is less strict
          and suits exploration, where a few false leads are acceptable.

        Choose before looking at the results. With the large intake → year-2 changes both
        methods agree, so the comparison below uses the smaller year 1 → year 2 changes within
        each programme (the adjustment runs within each group).
        """
    ),
    code(
        """
        options = dict(baseline="year1", followup="year2", by="programme", families=families)
        holm = ik.change(data, adjust="holm", **options)
        bh = ik.change(data, adjust="bh", **options)
        adjusted = holm[["programme", "domain", "n", "mean_diff", "p_value"]].assign(
            p_holm=holm["p_adjusted"], p_bh=bh["p_adjusted"],
            significant_holm=holm["p_adjusted"] < 0.05, significant_bh=bh["p_adjusted"] < 0.05,
        )
        adjusted
        """
    ),
    code(
        """
        differ = adjusted[adjusted["significant_holm"] != adjusted["significant_bh"]]
        print(f"Holm declares {int(adjusted['significant_holm'].sum())} and BH "
              f"{int(adjusted['significant_bh'].sum())} of {len(adjusted)} domain × programme "
              f"changes significant at 0.05; they disagree on {len(differ)}:")
        differ
        """
    ),
    md(
        """
        ## 6. Reliable change: which families really changed?

        Group means hide individual families. The Jacobson-Truax reliable change index divides
        a family's change by the standard error of a difference,
        `RCI = (x₂ − x₁) / (SD_intake × √2 × √(1 − r))`; |RCI| > 1.96 is a change larger than
        measurement error would produce 95% of the time. A reliable improvement that also
        crosses the instrument's "sufficient" level (4) counts as *recovered*.

        Mind the reliability `r`: the default instrument ships a placeholder of 0.80 per domain
        (its `reliability_source` says so). With intake SDs between 0.8 and 0.95 the smallest
        reliable change, `1.96 × se_diff`, lands right around one scale point. Where it is
        above 1, a one-level step is *not* reliable and a family must move two levels in that
        domain to count; where it is just below 1, a single step counts. That threshold, not
        the programme, explains most of the difference between domains in the shares below.
        Pass `reliability=` (or item data for Cronbach's alpha) when you have a better
        estimate.
        """
    ),
    code(
        """
        print(instrument.reliability_source)
        reliable = ik.reliable_change(data, baseline="intake", followup="year2")
        parameters = reliable.meta["parameters"].copy()
        parameters["smallest_reliable_change"] = 1.96 * parameters["se_diff"]
        parameters["one_level_is_reliable"] = parameters["smallest_reliable_change"] < 1
        parameters
        """
    ),
    code("ik.measures.reliable_change_shares(reliable)"),
    code("reliable.figure()"),
    md(
        """
        Per family over all domains (`level="family"`): *recovered* or *improved* when at least
        one domain reliably improved and none worsened, *mixed* when both happened.
        """
    ),
    code(
        """
        per_family = ik.reliable_change(data, level="family")
        ik.measures.reliable_change_shares(per_family)
        """
    ),
    md(
        """
        ## 7. A subgroup comparison: household types

        Every analysis above takes `by=`: a column of the assessments or of the families table
        (municipality, programme, household type...). Each group gets the same analysis, and
        cells resting on fewer than `min_n` (default 10) families are blanked with a `status`
        instead of being published. Here: the paired change per household type.
        """
    ),
    code(
        """
        by_household = ik.change(data, by="household_type", families=families)
        by_household.pivot(index="domain", columns="household_type", values="mean_diff")
        """
    ),
    code(
        """
        by_household[["household_type", "domain", "n", "mean_diff", "ci_low", "ci_high", "hedges_gav",
                      "p_adjusted", "status"]].head(9)
        """
    ),
    md(
        """
        One group drawn as a distance-travelled chart (any table from `change` with `by=` works;
        pick the group with `group=`):
        """
    ),
    code(
        """
        fig = ik.figures.distance_travelled(by_household, group="newcomer")
        ik.figures.apply_theme(fig, title="Newcomer families: mean change intake → year 2 with 95% CI")
        """
    ),
    md(
        """
        Separate tests per group do not answer "did the change *differ* between household
        types?": a significant result in one group and a non-significant one in another is not
        evidence of a difference. The mixed model with `by=` fits `score ~ wave * household_type`
        on all observed scores and tests the wave × household-type interaction per domain
        (p-values adjusted across domains). A small interaction p-value says the pattern of
        change differs between household types in that domain.
        """
    ),
    code(
        """
        interaction = ik.mixed_model(data, by="household_type", families=families)
        tests = interaction.omnibus
        tests[tests["term"].str.startswith("wave:")]
        """
    ),
    md(
        """
        ## What to report

        * The attrition flow and the intake profile of leavers, so readers can judge the
          missing-data assumption.
        * The mixed-model contrasts as the main estimate of change (MAR), with the complete-case
          paired analysis as a sensitivity check, never LOCF.
        * Effect sizes with their names (`g_av` for reporting, `d_z` for power), p-values
          adjusted across domains with the method named.
        * The share of families with reliable change, with the reliability it rests on.
        * Subgroup differences only from an interaction test, with small cells suppressed.

        Every table here is a pandas DataFrame: `table.to_csv(...)` or `table.to_excel(...)`
        exports it, and `table.summary()` prints it with its method notes.
        """
    ),
]

# --------------------------------------------------------------------------------------------
# 03: the municipality's business case
# --------------------------------------------------------------------------------------------
BUSINESS = [
    md(
        """
        # A municipal business case without data

        A policy advisor asks: *if we fund a family-support programme for three years, what do
        we spend, what care do we avoid, on whose budget do the savings land, how sure are we,
        and when do we break even?* The municipality has no data of its own yet, so the answer
        comes from a **scenario**: a set of assumptions (prices, how many families would have
        needed which care, adjustments for what would have happened anyway), each with a
        source.

        impactkit ships an *illustrative* Dutch scenario built from public figures
        (Kostenhandleiding 2024, Regeling normbedragen jeugdzorg, IBO Problematische schulden
        2024, ...) with deliberately conservative defaults. Replace its prices and
        probabilities with local ones before using any number below in a decision: the Youth
        Authority warns that savings assumed from prevention are contested.
        """
    ),
    SETUP,
    code(
        """
        scenario = ik.costs.Scenario.default()
        print(f"Scenario {scenario.id!r}: prices in {scenario.report_year} euros, avoided care counted "
              f"for {scenario.horizon} years, discount rate {scenario.discount_costs.value:.2%}")
        assumptions = scenario.assumptions()
        assumptions[["parameter", "value", "dist", "low", "high", "source"]]
        """
    ),
    md(
        """
        ## 1. The base case

        Forty families a year, funded for three years, with the coordinator hours that the
        scenario's caseload implies (25 families per full-time coordinator, so 1.6 FTE).
        `business_case` runs the cohorts through the care paths each family would otherwise
        have needed, applies deadweight, attribution and drop-off, discounts to present values
        and runs a probabilistic sensitivity analysis (PSA).

        The library default is 10,000 PSA draws; this notebook uses **2,000** to stay quick.
        The probabilities below move by about a percentage point between seeds at that size;
        use the default for anything you publish.
        """
    ),
    code(
        """
        DRAWS = 2000
        base = ik.costs.business_case(scenario, families_per_year=40, years=3, draws=DRAWS, seed=2024)
        base
        """
    ),
    md(
        """
        Where does the avoided cost come from? The waterfall goes from the programme cost, through
        the avoided cost per care path, to the net benefit (all present values).
        """
    ),
    code('base.figure("waterfall")'),
    md(
        """
        ## 2. What if: caseload and coordinator hours

        The two levers a municipality controls are how many families it funds and how many
        coordinator hours it buys. More hours per family cost more but, in this scenario, do
        not change what each family avoids: the question is how thin the coordinators can be
        spread. The helper below converts hours per week into FTE at **36 hours per FTE**
        (the full-time week of the CAO Sociaal Werk; change it if your provider differs) and
        returns the headline numbers without a PSA.
        """
    ),
    code(
        """
        HOURS_PER_FTE = 36


        def what_if(families_per_year: float, coordinator_hours_per_week: float, *, years: int = 3) -> dict:
            result = ik.costs.business_case(
                scenario, families_per_year=families_per_year,
                coordinator_fte=coordinator_hours_per_week / HOURS_PER_FTE, years=years, draws=0,
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


        grid = pd.DataFrame([
            what_if(n, hours) for n in (20, 30, 40, 60) for hours in (24, 36, 54, 72)
        ])
        grid.pivot(index="families_per_year", columns="coordinator_hours_per_week",
                   values="benefit_cost_ratio").round(2)
        """
    ),
    md(
        """
        Read the table along a row: for the same number of families, every extra coordinator
        hour lowers the ratio, because the avoided care per family is fixed by the scenario.
        Along a column: more families per coordinator raise it, up to whatever caseload your
        coordinators can actually carry (the scenario's illustrative range is 18–35 families
        per FTE). The net benefit over three funded years, in thousands of euros:
        """
    ),
    code(
        """
        (grid.pivot(index="families_per_year", columns="coordinator_hours_per_week",
                    values="net_benefit") / 1000).round(0)
        """
    ),
    md(
        """
        ### Sliders

        In JupyterLab with `ipywidgets` installed (`pip install "impactkit[notebook]"`), the
        cell below gives sliders for the same what-if. Without ipywidgets, or when the notebook
        runs without a browser, call `what_if(...)` directly as above.
        """
    ),
    code(
        """
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
                families_per_year=widgets.IntSlider(value=40, min=10, max=120, step=5,
                                                    description="families/year"),
                coordinator_hours_per_week=widgets.IntSlider(value=58, min=8, max=144, step=2,
                                                             description="coord. h/week"),
            )
        """
    ),
    md(
        """
        ## 3. Who pays and who saves: budgets per payer

        The municipality's prevention budget pays for the programme; the savings land on its
        youth-care (Jeugdwet) and income-support budgets, on housing corporations and on the
        state. This is the "wrong pocket" problem: the budget that invests is not the budget
        that saves. Present values over the whole horizon:
        """
    ),
    code("base.by_payer"),
    code('base.figure("by_payer")'),
    md(
        """
        Per budget year (undiscounted, in report-year prices): the investment falls in the three
        funded years, while avoided care keeps accruing, and fading, for the years after each
        cohort started. A controller plans with this table.
        """
    ),
    code(
        """
        labels = base.by_payer.set_index("payer")["label"]
        budget = base.by_year.pivot(index="year", columns="payer", values="net")
        budget = budget.loc[:, (budget != 0).any()].rename(columns=labels)
        budget["total"] = budget.sum(axis=1)
        budget["cumulative total"] = budget["total"].cumsum()
        budget.round(0)
        """
    ),
    code('base.figure("by_year")'),
    md(
        """
        ## 4. How sure are we? Probabilistic sensitivity analysis

        Every uncertain assumption has a distribution (beta for probabilities, gamma for costs,
        triangular for expert ranges). Each PSA draw samples all of them at once and recomputes
        the business case; the spread of the net benefit over the draws is the uncertainty of
        the answer, and the share of draws above zero is the probability that the programme
        pays for itself *under these assumptions*.
        """
    ),
    code(
        """
        print(f"P(net benefit > 0) = {base.headline['p_net_benefit_positive']:.0%}, "
              f"P(benefit-cost ratio > 1) = {base.headline['p_bcr_above_1']:.0%} ({DRAWS} draws)")
        base.psa
        """
    ),
    code('base.figure("psa")'),
    md(
        """
        The most contested assumption is **deadweight**: the share of the avoided care that
        would have been avoided anyway. The acceptability curve shows how the probability of a
        positive net benefit falls as deadweight rises; the scenario's default is 30%.
        """
    ),
    code('base.figure("acceptability")'),
    md(
        """
        ## 5. Which assumption matters most? The tornado

        One-way sensitivity: each parameter in turn at its low and at its high value, all others
        at their base value. The widest bars are the assumptions worth checking locally first.
        """
    ),
    code(
        """
        base.tornado[["parameter", "base", "low", "high", "net_low", "net_high", "swing"]].head(10)
        """
    ),
    code('base.figure("tornado")'),
    md(
        """
        Named scenarios move all assumptions together to their pessimistic or optimistic ends.
        The distance between them is wide on purpose: it is the honest range of a business case
        built on national averages.
        """
    ),
    code("base.scenarios"),
    md(
        """
        ## 6. Break-even

        Three ways to say when the programme pays:

        * `break_even_share`: the share of the counterfactual care that must really be avoided
          for the net benefit to reach zero. Compare it with `attributed_share`, the share the
          scenario's adjustments now credit to the programme.
        * `break_even_cases` per care path: how many avoided cases of *only* that path would pay
          for the whole programme (e.g. supervision orders or out-of-home placements).
        * `payback_months`: when the cumulative avoided cost overtakes the cumulative investment.
        """
    ),
    code(
        """
        h = base.headline
        print(f"break-even: {h['break_even_share']:.0%} of the counterfactual care must be avoided; "
              f"the scenario credits {h['attributed_share']:.0%}. Payback after {h['payback_months']:.0f} months.")
        base.by_path[["label", "expected_cases", "cost_per_case", "avoided_cost", "break_even_cases"]]
        """
    ),
    md(
        """
        ## 7. Export to Excel

        Controllers want the tables in a workbook. `to_excel` writes one sheet per table (numbers
        stay numbers, euro amounts formatted), the headline, and every assumption with its source;
        the what-if grid and the budget view of this notebook are added as extra sheets with pandas.
        This notebook writes to a temporary folder; pass your own path instead.
        """
    ),
    code(
        """
        import tempfile
        from pathlib import Path

        from openpyxl import load_workbook

        workbook = base.to_excel(Path(tempfile.mkdtemp(prefix="impactkit-")) / "business_case.xlsx")
        with pd.ExcelWriter(workbook, mode="a", engine="openpyxl") as xl:
            budget.to_excel(xl, sheet_name="budget_by_year_table")
            grid.to_excel(xl, sheet_name="what_if", index=False)
        print(workbook)
        load_workbook(workbook, read_only=True).sheetnames
        """
    ),
    md(
        """
        ## Making it local

        The scenario is a TOML file: copy impactkit's default (`impactkit/costs/data/default.toml`;
        the sample export carries a copy as `data/sample/scenario.toml`, and a `scenario.toml`
        next to an export is picked up by `ik.read_dataset` and the report), change the prices to your own tariffs and the prevalences to what your district teams
        see, keep a source next to every number, and load it with
        `ik.costs.Scenario.from_file("my_scenario.toml")`. Once the programme runs and records
        data, `ik.costs.evaluate(...)` replaces the scenario's prevalences by the families'
        recorded counterfactual judgements (see the annual-report notebook).
        """
    ),
]

# --------------------------------------------------------------------------------------------
# 01: quickstart
# --------------------------------------------------------------------------------------------
QUICKSTART = [
    md(
        """
        # Quickstart: from an export to an impact report

        impactkit shows whether informal family-support programmes (Samen Oplopen, Home-Start,
        Buurtgezinnen, ...) work and whether they pay. This notebook takes ten minutes:

        1. read and validate a programme's export (a clean one, then a messy Dutch one),
        2. describe the families' scores per life domain and wave,
        3. estimate the change per domain and draw it,
        4. render the annual impact report inline.

        The data are impactkit's **synthetic** sample in `data/sample/` (350 fictional families,
        made by `impactkit sample`); no real family is described. The other notebooks go
        deeper: `02_research_analysis` for researchers, `03_municipality_business_case` for
        municipalities, `04_annual_report` for the foundation's yearly run.
        """
    ),
    SETUP,
    md(
        """
        ## 1. Read a whole export

        `ik.read_dataset` reads a folder laid out like `data/sample/` (assessments, families,
        counterfactual judgements, care used, programme costs, prices), validates every table
        and the links between them, and returns a `Dataset`. Nothing runs on data that have not
        been validated: any problem raises a `ValidationError` listing *all* problems at once.
        """
    ),
    code(
        """
        dataset = ik.read_dataset("../data/sample")
        print(f"{dataset.n_families} families; tables: {', '.join(sorted(dataset.files))}")
        dataset.families.head()
        """
    ),
    md(
        """
        The assessments arrive wide (one column per life domain, as exported from Excel) and
        come out in impactkit's **canonical long frame**: one row per family × wave × domain,
        with the wave as an ordered category (intake < year1 < year2) and a missing score kept
        as `NaN`, counted, never imputed. Every impactkit function takes this frame first.
        """
    ),
    code(
        """
        data = dataset.assessments
        print(f"{len(data)} rows, {dataset.n_missing_scores} missing scores; "
              f"instrument: {dataset.instrument.name_en}")
        data.head()
        """
    ),
    md(
        """
        ## 2. A messy Dutch export

        Real exports look different. The file below is semicolon-separated with Dutch headers
        ("Gezinsnummer", "Meetmoment", the domain names in Dutch), Dutch dates (DD-MM-YYYY),
        a decimal comma, a byte-order mark, a free-text column, and a few cells that are wrong.
        impactkit recognises the headers and the Dutch wave names ("Intake", "Jaar 1",
        "Nulmeting", "T0") by itself.
        """
    ),
    code(
        """
        from pathlib import Path

        messy = Path("data/messy_export.csv")
        print(messy.read_text(encoding="utf-8-sig"))
        """
    ),
    md(
        """
        Reading it raises a `ValidationError`. Its `problems` attribute is a table with one row
        per problem: the file, the row as you see it in a spreadsheet (the header is row 1), the
        column as written in the file, the value found, and what was expected.
        """
    ),
    code(
        """
        try:
            ik.read_assessments(messy)
        except ik.ValidationError as err:
            problems = err.problems
        problems[["row", "column", "value", "message", "code"]]
        """
    ),
    md(
        """
        The same check without an exception, and with the messages in Dutch for the person who
        keeps the registration: `ik.validate` returns a report instead of raising.
        """
    ),
    code(
        """
        check = ik.validate(messy, lang="nl")
        print(f"valid: {check.valid}, rows: {check.n_rows}, problems: {len(check.problems)}")
        check.problems[["row", "column", "value", "message"]]
        """
    ),
    md(
        """
        The right fix is in the source registration. To show the loop, we correct the cells
        here with pandas (a problem's `row` is the spreadsheet row, so the pandas index is
        `row - 2`), skip the free-text column with `ignore_columns`, and read again. A score
        nobody knows is left empty: impactkit counts it as missing rather than guessing.
        """
    ),
    code(
        """
        raw = pd.read_csv(messy, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
        fixes = {
            (5, "Sociaal netwerk"): "",           # 6 is off the 1–5 scale; the real score is unknown
            (6, "Wonen"): "3",                    # "drie"
            (7, "Datum meting"): "19-03-2026",    # the date from the paper form
            (9, "Meetmoment"): "Jaar 1",          # there is no third year
            (10, "Datum meting"): "28-02-2025",   # 31 February does not exist
        }
        for (row, column), value in fixes.items():
            raw.loc[row - 2, column] = value
        raw = raw.drop(index=11 - 2)  # row 11 repeated family G-105's intake
        clean = ik.read_assessments(raw, ignore_columns=["Opmerking"])
        print(f"{clean['family_id'].nunique()} families, {int(clean['score'].isna().sum())} missing scores")
        clean.pivot(index=["family_id", "wave"], columns="domain", values="score")
        """
    ),
    md(
        """
        ## 3. Describe

        Back to the sample. `ik.describe` gives per domain and wave the number of families
        with a score, the number without, mean, SD, median, the share at or above the
        instrument's "sufficient" level (4, *voldoende zelfredzaam*) and the distribution over
        the five levels. The table is long (9 domains × 3 waves); here is the intake.
        """
    ),
    code(
        """
        description = ik.describe(data)
        description[description["wave"] == "intake"]
        """
    ),
    md(
        """
        The radar draws the mean score per domain at each wave: the further out, the more
        self-sufficient. In this sample families start lowest on social network, mental
        wellbeing and finances (as Samen Oplopen reports for its families), and the rings widen
        from intake to year 2.
        """
    ),
    code("description.figure()"),
    md(
        """
        ## 4. Change per domain

        `ik.change` compares two waves (by default the first and last: intake → year 2) on the
        families with a score at both, per domain: the mean difference with its 95% confidence
        interval, the paired t-test and the Wilcoxon signed-rank test, effect sizes (Cohen's
        d_z, d_av, Hedges' g_av, rank-biserial), the shares improved / unchanged / worse, and
        p-values adjusted across the nine domains (Holm, named in `adjust_method`).
        """
    ),
    code(
        """
        change = ik.change(data)
        change[["domain", "n", "mean_baseline", "mean_followup", "mean_diff", "ci_low", "ci_high",
                "hedges_gav", "share_improved", "p_adjusted", "adjust_method"]]
        """
    ),
    md(
        """
        The distance-travelled chart shows the same numbers: the mean change per domain with
        its confidence interval. Families who left before year 2 are not in it; notebook 02
        shows why a mixed model on all observed scores is the better main estimate.
        """
    ),
    code("change.figure()"),
    md(
        """
        ## 5. The annual impact report

        `build_report` runs the whole pipeline (reach, attrition, change, reliable change,
        level transitions, avoided costs with a probabilistic sensitivity analysis) and returns
        a self-contained HTML report that opens offline. Every number resting on fewer than
        `k = 10` families is suppressed. It renders inline below; `report.save(path)` writes the
        HTML and `report.to_excel(path)` the tables. This quickstart uses 2,000 PSA draws to stay
        quick (the default is 10,000).
        """
    ),
    code(
        """
        from impactkit.report import build_report

        report = build_report(dataset, lang="en", draws=2000, seed=1)
        report
        """
    ),
    code(
        """
        import tempfile

        saved = report.save(Path(tempfile.mkdtemp(prefix="impactkit-")) / "annual_report.html")
        print(f"saved {saved} ({saved.stat().st_size / 1e6:.1f} MB, opens offline)")
        """
    ),
    md(
        """
        ## Next

        * `02_research_analysis`: attrition, mixed models versus complete cases versus LOCF,
          effect sizes, multiple testing, reliable change and subgroups.
        * `03_municipality_business_case`: a what-if for a municipality without data, with
          budgets per payer, uncertainty and break-even.
        * `04_annual_report`: the foundation's yearly run, parameterised by year and language.
        """
    ),
]

# --------------------------------------------------------------------------------------------
# 04: the foundation's annual report
# --------------------------------------------------------------------------------------------
ANNUAL = [
    md(
        """
        # The annual impact report

        Once a year the foundation turns its export into a report for funders (Oranje Fonds,
        municipalities): reach, change per life domain, the share of families that reliably
        improved, level transitions, avoided costs with their uncertainty, the assumptions with
        their sources, and a methods appendix. This notebook is that yearly run.

        It is **parameterised**: the cell tagged `parameters` below holds the year and the
        language. Edit it and run all cells, or let a tool such as papermill inject new values
        (`papermill 04_annual_report.ipynb out.ipynb -p year 2024 -p lang nl`).
        """
    ),
    SETUP,
    code(
        """
        year = 2025  # the calendar year the report covers
        lang = "en"  # "en" or "nl"
        data_dir = "../data/sample"  # the export: a folder laid out like data/sample/
        out_dir = None  # where to write the report; None: a new temporary folder
        draws = 10_000  # PSA draws
        seed = 2025  # seed of the PSA: the same seed gives the same report
        """,
        "parameters",
    ),
    md(
        """
        ## 1. Read and validate the export

        Nothing is reported from data that did not pass validation: a problem anywhere stops
        the run here, with every problem listed (see the quickstart).
        """
    ),
    code(
        """
        from pathlib import Path

        dataset = ik.read_dataset(data_dir)
        print(f"export: {dataset.n_families} families, {len(dataset.assessments)} scores, "
              f"{dataset.n_missing_scores} missing; files: {', '.join(sorted(dataset.files))}")
        """
    ),
    md(
        """
        ## 2. The families of the year

        The export holds every family since the start. The report for a year covers the
        families **supported during that year**: started on or before 31 December and not ended
        before 1 January. Only what was known at the end of the year counts: scores assessed
        later are left out, support that ended after the year counts as still ongoing, and care
        used and programme costs stop at the year's end. Families still ongoing are not counted
        as dropouts in the attrition figures.
        """
    ),
    code(
        """
        import dataclasses


        def year_view(ds: ik.Dataset, year: int) -> ik.Dataset:
            first, last = pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31)
            families = ds.families
            active = (families["start_date"] <= last) & (
                families["end_date"].isna() | (families["end_date"] >= first))
            families = families[active].copy()
            later = families["end_date"] > last
            families.loc[later, "end_date"] = pd.NaT
            families.loc[later, "end_reason"] = pd.NA
            ids = families["family_id"]
            scores = ds.assessments
            scores = scores[scores["family_id"].isin(ids)
                            & (scores["assessed_on"].isna() | (scores["assessed_on"] <= last))]
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
        print(f"{year}: {len(families)} families supported, "
              f"{int(families['end_reason'].isna().sum())} still ongoing on 31 December")
        families.groupby("municipality").size().rename("families").to_frame()
        """
    ),
    md(
        """
        The counts above are for you, not for publication: the report itself suppresses every
        count under 10 families. Which waves had been reached by the end of the year? Families who started late in the
        year have only an intake; the change per domain rests on those with a year-2 score.
        """
    ),
    code(
        """
        this_year.assessments.groupby("wave", observed=True)["family_id"].nunique().rename("families").to_frame()
        """
    ),
    md(
        """
        ## 3. Build the report

        One call runs the analyses, the cost evaluation and the PSA, and lays out the report in
        the chosen language (Dutch number formats with `lang="nl"`: € 1.234,50). Counts, means,
        shares and costs resting on fewer than 10 families are suppressed, with secondary
        suppression where a total would reveal them. The report renders inline below; scroll
        inside the frame.
        """
    ),
    code(
        """
        from impactkit.report import build_report

        report = build_report(this_year, lang=lang, draws=draws, seed=seed)
        report
        """
    ),
    md(
        """
        Every table of the report is available as published, with suppressed cells as their
        marker (`<10`, or `x` for secondary suppression). For example, the change per domain:
        """
    ),
    code(
        """
        print(", ".join(report.tables))
        report.tables["change"]
        """
    ),
    md(
        """
        ## 4. Save the report

        The HTML is self-contained (plotly.js embedded once, no CDN), so it can be mailed and
        opened offline; the Excel workbook has one sheet per section and a sheet of assumptions.
        The footer records the impactkit version, the SHA-256 of the input files, the options
        and the seed, so the same inputs reproduce the same report. Outputs go to `out_dir`
        (a temporary folder by default); never commit them.
        """
    ),
    code(
        """
        import tempfile

        target = Path(out_dir) if out_dir else Path(tempfile.mkdtemp(prefix="impactkit-report-"))
        target.mkdir(parents=True, exist_ok=True)
        html_path = report.save(target / f"impact_report_{year}_{lang}.html")
        excel_path = report.to_excel(target / f"impact_report_{year}_{lang}.xlsx")
        print(html_path)
        print(excel_path)
        """
    ),
]

NOTEBOOKS: dict[str, list[tuple[str, str, tuple[str, ...]]]] = {
    "01_quickstart": QUICKSTART,
    "02_research_analysis": RESEARCH,
    "03_municipality_business_case": BUSINESS,
    "04_annual_report": ANNUAL,
}


def build(name: str, cells: list[tuple[str, str, tuple[str, ...]]]) -> nbformat.NotebookNode:
    """One notebook without outputs, with fixed cell ids."""
    nb = new_notebook(
        metadata={"kernelspec": KERNELSPEC, "language_info": {"name": "python"}},
    )
    for i, (kind, source, tags) in enumerate(cells):
        cell = new_markdown_cell(source) if kind == "markdown" else new_code_cell(source)
        cell["id"] = f"{name[:2]}-{i:02d}"
        if tags:
            cell["metadata"]["tags"] = list(tags)
        nb.cells.append(cell)
    nbformat.validate(nb)
    return nb


def main() -> None:
    for name, cells in NOTEBOOKS.items():
        nbformat.write(build(name, cells), HERE / f"{name}.ipynb")


if __name__ == "__main__":
    main()
