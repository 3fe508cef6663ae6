"""impactkit: does informal family support work, and does it pay?

>>> import impactkit as ik
>>> data = ik.read_assessments("data/sample/assessments.csv", today="2026-11-01")
>>> data["domain"].nunique()
9
>>> res = ik.change(data, baseline="intake", followup="year2")
>>> res.loc[res["domain"] == "mental_wellbeing", "n"].item() > 200
True
"""

# Importing the package is cheap: the names below load their module on first use (PEP 562), so
# `import impactkit` and `impactkit --help` do not import scipy, statsmodels or plotly.  A new
# public name goes in three places: the TYPE_CHECKING imports (for type checkers and readers),
# _LAZY (name -> module, attribute) and __all__.  tests/test_lazy_imports.py checks all three agree.

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from impactkit._lazy import load
from impactkit._version import __version__
from impactkit.errors import (
    ConfigError,
    DesignError,
    ImpactkitError,
    ImpactkitWarning,
    InstrumentError,
    OutputError,
    ParameterError,
    ScenarioError,
    ValidationError,
)

if TYPE_CHECKING:
    from impactkit import costs, figures, measures, outcomes, progress, run
    from impactkit._canonical import canonical
    from impactkit._sample import make_sample as sample
    from impactkit._sample import write_sample
    from impactkit.instruments import Instrument, builtin
    from impactkit.io import (
        Config,
        Dataset,
        Period,
        ValidationReport,
        read_assessments,
        read_dataset,
        read_families,
        read_items,
        read_table,
        score_items,
        validate,
    )
    from impactkit.measures import (
        attrition,
        change,
        clm,
        clmm,
        cronbach_alpha,
        describe,
        gee,
        icc,
        likelihood_ratio_test,
        marginal_means,
        minimum_detectable_change,
        mixed_model,
        mmrm,
        omnibus,
        p_adjust,
        power_mixed,
        power_paired,
        reliable_change,
        reliable_change_summary,
        transitions,
    )
    from impactkit.pseudonym import pseudonymise
    from impactkit.report import Report, build_report

# name -> (module, attribute); attribute None: the module itself
_LAZY: dict[str, tuple[str, str | None]] = {
    **{m: (f"impactkit.{m}", None) for m in ("costs", "figures", "measures", "outcomes", "progress", "run")},
    **{
        m: (f"impactkit.{m}", None)
        for m in ("excel", "i18n", "instruments", "io", "privacy", "pseudonym", "report")
    },
    "canonical": ("impactkit._canonical", "canonical"),
    "sample": ("impactkit._sample", "make_sample"),
    "write_sample": ("impactkit._sample", "write_sample"),
    **{n: ("impactkit.instruments", n) for n in ("Instrument", "builtin")},
    **{
        n: ("impactkit.io", n)
        for n in (
            "Config",
            "Dataset",
            "Period",
            "ValidationReport",
            "read_assessments",
            "read_dataset",
            "read_families",
            "read_items",
            "read_table",
            "score_items",
            "validate",
        )
    },
    **{
        n: ("impactkit.measures", n)
        for n in (
            "attrition",
            "change",
            "clm",
            "clmm",
            "cronbach_alpha",
            "describe",
            "gee",
            "icc",
            "likelihood_ratio_test",
            "marginal_means",
            "minimum_detectable_change",
            "mixed_model",
            "mmrm",
            "omnibus",
            "p_adjust",
            "power_mixed",
            "power_paired",
            "reliable_change",
            "reliable_change_summary",
            "transitions",
        )
    },
    "pseudonymise": ("impactkit.pseudonym", "pseudonymise"),
    **{n: ("impactkit.report", n) for n in ("Report", "build_report")},
}


def __getattr__(name: str) -> Any:
    return load(__name__, _LAZY, name, globals())


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__all__ = [
    "Config",
    "ConfigError",
    "Dataset",
    "DesignError",
    "ImpactkitError",
    "ImpactkitWarning",
    "Instrument",
    "InstrumentError",
    "OutputError",
    "ParameterError",
    "Period",
    "Report",
    "ScenarioError",
    "ValidationError",
    "ValidationReport",
    "__version__",
    "attrition",
    "build_report",
    "builtin",
    "canonical",
    "change",
    "clm",
    "clmm",
    "costs",
    "cronbach_alpha",
    "describe",
    "figures",
    "gee",
    "icc",
    "likelihood_ratio_test",
    "marginal_means",
    "measures",
    "minimum_detectable_change",
    "mixed_model",
    "mmrm",
    "omnibus",
    "outcomes",
    "p_adjust",
    "power_mixed",
    "power_paired",
    "progress",
    "pseudonymise",
    "read_assessments",
    "read_dataset",
    "read_families",
    "read_items",
    "read_table",
    "reliable_change",
    "reliable_change_summary",
    "run",
    "sample",
    "score_items",
    "transitions",
    "validate",
    "write_sample",
]
