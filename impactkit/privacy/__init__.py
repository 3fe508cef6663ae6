"""Privacy that holds across a whole release (issue 11).

* :mod:`~impactkit.privacy._disclosure`: populations, the release :class:`Ledger`, joint
  suppression (:func:`protect`) and its :class:`Audit`, checked by linear programming (HiGHS).
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

__all__ = [
    "CODE_LISTS",
    "PRIMARY",
    "PUBLISHED",
    "SECONDARY",
    "Audit",
    "CodeList",
    "Ledger",
    "Municipalities",
    "Population",
    "code_list",
    "hidden_value",
    "municipalities",
    "protect",
]
