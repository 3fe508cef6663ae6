"""Avoided costs: counterfactual care paths, who pays and who saves, and how sure we are.

The question (BRIEF §5): without the programme, which care would these families have needed, what
would it have cost, and whose budget would have paid?  A :class:`Scenario` holds every assumption
with its source; :func:`evaluate` applies it to a cohort in the data, :func:`business_case` to a
what-if without data.  Both return a :class:`CostEvaluation` with tables per payer, year, care
path and basis of need (judged, rule, assumed prevalence), a probabilistic sensitivity analysis that
also draws the recorded judgements and resamples the families, the share of its spread per source,
the assumptions that drove the result (used-only, in the tornado's order), a tornado and named
scenarios.

>>> import impactkit as ik
>>> bc = ik.costs.business_case(families_per_year=40, years=2, draws=1000, seed=1)
>>> sorted(bc.to_dict())[:5]
['acceptability', 'assumptions', 'attributed_share', 'benefit_cost_ratio', 'break_even_share']
>>> list(bc.spread["source"])
['need', 'care', 'prices', 'adjustments', 'programme']
"""

from impactkit.costs._evaluate import business_case, evaluate, payback_months
from impactkit.costs._money import discount_factors, index_factor, present_value
from impactkit.costs._params import DISTRIBUTIONS, Param
from impactkit.costs._result import CostEvaluation, CostTable
from impactkit.costs._scenario import DEFAULT_PAYERS, UNITS, CarePath, Payer, Price, Rule, Scenario
from impactkit.costs._unit_costs import unit_costs

__all__ = [
    "DEFAULT_PAYERS",
    "DISTRIBUTIONS",
    "UNITS",
    "CarePath",
    "CostEvaluation",
    "CostTable",
    "Param",
    "Payer",
    "Price",
    "Rule",
    "Scenario",
    "business_case",
    "discount_factors",
    "evaluate",
    "index_factor",
    "payback_months",
    "present_value",
    "unit_costs",
]
