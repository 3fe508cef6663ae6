"""impactkit: does informal family support work, and does it pay?

>>> import impactkit as ik
>>> data = ik.read_assessments("data/sample/assessments.csv", today="2026-11-01")
>>> data["domain"].nunique()
9
>>> res = ik.change(data, baseline="intake", followup="year2")
>>> res.loc[res["domain"] == "mental_wellbeing", "n"].item() > 200
True
"""

from impactkit import costs, figures, measures, outcomes, run
from impactkit._canonical import canonical
from impactkit._sample import make_sample as sample
from impactkit._sample import write_sample
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
