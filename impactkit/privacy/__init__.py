"""Privacy that holds across a whole release (issue 11).

* :mod:`~impactkit.privacy._disclosure`: populations, the release :class:`Ledger`, joint
  suppression (:func:`protect`) and its :class:`Audit`, checked by linear programming (HiGHS).
* :mod:`~impactkit.privacy._release`: the release plan (:func:`plan_release`): which reports
  exist, small groups merged into "other", reports withheld when their remainder is under k.
* :mod:`~impactkit.privacy._codes`: code lists for categorical columns and the CBS list of
  municipalities (:func:`municipalities`).
"""

from impactkit.privacy._codes import (
    CODE_LISTS,
    CodeList,
    Municipalities,
    code_list,
    hidden_value,
    municipalities,
)
from impactkit.privacy._disclosure import PRIMARY, PUBLISHED, SECONDARY, Audit, Ledger, Population, protect
from impactkit.privacy._release import OTHER, ReleasePlan, Scope, plan_release

__all__ = [
    "CODE_LISTS",
    "OTHER",
    "PRIMARY",
    "PUBLISHED",
    "SECONDARY",
    "Audit",
    "CodeList",
    "Ledger",
    "Municipalities",
    "Population",
    "ReleasePlan",
    "Scope",
    "code_list",
    "hidden_value",
    "municipalities",
    "plan_release",
    "protect",
]
