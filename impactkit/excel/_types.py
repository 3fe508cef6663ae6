"""Column types: what a column holds decides how a spreadsheet shows it, never its name's letters.

Each type has one Excel number format.  Tables declare their columns' types; the package's own
column vocabulary (STYLE: one vocabulary across the package) is declared once here, by exact name.
A column that is not declared gets a type from its dtype: text, ``integer`` for whole numbers and
``number`` (Excel's General, every digit kept) for other numbers, so no probability of 0.98 shows
as "1" and no bound of 0.11 as "0".
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from impactkit.errors import ParameterError

__all__ = ["COLUMN_TYPES", "FORMATS", "column_type", "number_format"]

FORMATS: dict[str, str] = {
    "text": "@",
    "count": "#,##0",  # families, children, cases
    "integer": "0",
    "year": "0",
    "share": "0.0%",  # a part of a whole: 0.257 -> 25.7%
    "share2": "0.00%",  # an input share or rate as typed: 0.0225 -> 2.25%
    "probability": "0.0%",  # P(...) from draws or a model: 0.98 -> 98.0%, 0.0017 -> 0.2%
    "p_value": '[<0.001]"<0.001";0.000',  # 0.0004 -> <0.001 (the cell keeps 0.0004)
    "estimate": "+0.000;-0.000;0.000",  # differences, coefficients, bounds, effect sizes
    "statistic": "0.00",  # t, F, chi², W, epsilon
    "score": "0.00",  # means, SDs and medians on the instrument's scale
    "ratio": "0.00",  # benefit-cost ratio, odds ratio
    "money": '"€" #,##0;"€" -#,##0',
    "money_cents": '"€" #,##0.00;"€" -#,##0.00',
    "months": "0.0",
    "number": "General",  # anything else: every significant digit
    "date": "yyyy-mm-dd",
}

_SHARES = {f"share_level_{i}": "share" for i in range(0, 11)}
COLUMN_TYPES: dict[str, str] = {
    # counts
    **dict.fromkeys(
        ["n", "n_missing", "n_complete", "n_families", "n_lost", "n_completers", "n_noncompleters",
         "n_children", "children", "families", "n_recovered", "n_improved", "n_unchanged",
         "n_deteriorated", "n_zero", "n_worse", "n_obs", "n_par", "n_pairs", "n_both", "n_targets",
         "n_raters"], "count"),
    **dict.fromkeys(["year", "calendar_year", "price_year", "report_year"], "year"),
    # scores on the instrument's scale
    **dict.fromkeys(
        ["mean", "sd", "median", "mean_baseline", "mean_followup", "mean_completers", "mean_noncompleters",
         "sd_completers", "sd_noncompleters", "score", "median_baseline", "median_followup", "sd_baseline",
         "sd_diff", "sem", "mdc_group", "mdc_individual", "threshold", "min_change"], "score"),
    # shares and probabilities
    **dict.fromkeys(
        ["share", "share_sufficient", "share_improved", "share_unchanged", "share_worse",
         "share_of_baseline", "break_even_share", "attributed_share", "roi", "deadweight", "attribution",
         "displacement", "dropoff", "discount_factor", "share_deteriorated", "share_both",
         "chance_improved", "chance_deteriorated", "power", "coverage", "retention"], "share"),
    **_SHARES,
    **dict.fromkeys(
        ["p_net_benefit_positive", "p_bcr_above_1", "p_favourable", "likelihood", "probability"],
        "probability"),
    # p-values
    **dict.fromkeys(
        ["p_value", "p_adjusted", "wilcoxon_p", "friedman_p", "anova_p", "mauchly_p", "p_gg", "p_hf",
         "welch_p", "wilcoxon_p_adjusted", "sign_test_p"], "p_value"),
    # estimates and their bounds
    **dict.fromkeys(
        ["mean_diff", "ci_low", "ci_high", "estimate", "se", "cohen_dz", "cohen_dav", "hedges_gav",
         "dz_ci_low", "dz_ci_high", "rank_biserial", "smd", "z", "icc", "rci", "median_diff"], "estimate"),
    # test statistics
    **dict.fromkeys(
        ["t", "df", "wilcoxon_v", "friedman_chi2", "kendall_w", "anova_f", "anova_df1", "anova_df2",
         "mauchly_w", "gg_epsilon", "hf_epsilon", "eta2_generalized", "eta2_partial", "welch_t",
         "welch_df", "wilcoxon_v_minus", "f_value", "df1", "df2", "chi2", "loglik", "aic", "bic", "deviance",
         "criterion"], "statistic"),
    # money
    **dict.fromkeys(
        ["invests", "saves", "net", "cumulative_net", "counterfactual_cost", "used_cost", "avoided_cost",
         "cost_per_case", "programme_cost", "gross_avoided_cost", "net_benefit", "npv",
         "net_benefit_undiscounted", "fiscal_net_benefit", "net_low", "net_high", "swing", "amount",
         "price"], "money"),
    **dict.fromkeys(["benefit_cost_ratio", "odds_ratio"], "ratio"),
    **dict.fromkeys(["payback_months"], "months"),
    **dict.fromkeys(["expected_cases", "break_even_cases"], "number"),
}  # fmt: skip


def column_type(frame: pd.DataFrame, column: str, declared: Mapping[str, object] | None = None) -> str:
    """The type of ``column``: declared by the caller, else the package vocabulary, else by dtype."""
    if declared and column in declared and isinstance(declared[column], str):
        kind = str(declared[column])
    elif column in COLUMN_TYPES:
        kind = COLUMN_TYPES[column]
        s = frame[column]
        if not (pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)):
            kind = "text"  # a vocabulary name holding text (e.g. formatted) stays text
    else:
        s = frame[column]
        if pd.api.types.is_bool_dtype(s) or not pd.api.types.is_numeric_dtype(s):
            kind = "date" if pd.api.types.is_datetime64_any_dtype(s) else "text"
        elif pd.api.types.is_integer_dtype(s):
            kind = "integer"
        else:
            kind = "number"
    number_format(kind)
    return kind


def number_format(kind: str) -> str:
    """The Excel number format of a column type."""
    try:
        return FORMATS[kind]
    except KeyError as err:
        raise ParameterError(f"Unknown column type {kind!r}; expected one of {sorted(FORMATS)}.") from err
