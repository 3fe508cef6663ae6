"""Privacy that holds across a whole release (issue 11).

* :mod:`~impactkit.privacy._disclosure`: populations, the release :class:`Ledger`, joint
  suppression (:func:`protect`) and its :class:`Audit`, checked by linear programming (HiGHS).
* :mod:`~impactkit.privacy._release`: the release plan (:func:`plan_release`): which reports
  exist, small groups merged into "other", reports withheld when their remainder is under k.
* :mod:`~impactkit.privacy._codes`: code lists for categorical columns and the CBS list of
  municipalities (:func:`municipalities`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from impactkit._lazy import load
from impactkit.privacy._codes import (
    CODE_LISTS,
    CodeList,
    Municipalities,
    code_list,
    hidden_value,
    municipalities,
)
from impactkit.privacy._release import OTHER, ReleasePlan, Scope, plan_release

if TYPE_CHECKING:
    from impactkit.privacy._disclosure import (
        PRIMARY,
        PUBLISHED,
        SECONDARY,
        WITHHELD,
        Audit,
        Ledger,
        Population,
        protect,
    )

# the disclosure checks import scipy.sparse (and HiGHS): loaded on first use, not when reading data
_LAZY: dict[str, tuple[str, str | None]] = {
    n: ("impactkit.privacy._disclosure", n)
    for n in ("PRIMARY", "PUBLISHED", "SECONDARY", "WITHHELD", "Audit", "Ledger", "Population", "protect")
}


def __getattr__(name: str) -> Any:
    return load(__name__, _LAZY, name, globals())


__all__ = [
    "CODE_LISTS",
    "OTHER",
    "PRIMARY",
    "PUBLISHED",
    "SECONDARY",
    "WITHHELD",
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
