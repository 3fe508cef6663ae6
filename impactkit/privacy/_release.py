"""The release plan: which reports of one dataset may be published, decided once for all of them.

A foundation publishes a *release*: the funder report, a report per programme and per
municipality, their spreadsheets.  Whatever one report publishes, a reader can subtract from
another, so which reports exist is decided once, from the whole dataset, before any is rendered:

1. a municipality (or programme) with fewer than ``k`` families gets no report of its own, and in
   the breakdowns of the reports above it is merged into "other municipalities" (programmes);
2. the families *without* a report of their own (the remainder of the funder report after the
   published municipal reports) must be none or at least ``k``; while they are 1 to ``k - 1``,
   the smallest report still published joins them (its report is withheld: it would reveal them);
3. the same for programmes;
4. the cells of all those reports, including programme × municipality crossings, are then
   protected jointly (:func:`impactkit.privacy.protect`).

:meth:`ReleasePlan.scope` is how a single report asks whether it may be rendered and under which
groups; rendering reports one by one from the same plan cannot leak more than the release.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from impactkit.errors import DesignError, ParameterError

__all__ = ["OTHER", "ReleasePlan", "Scope", "plan_release"]

OTHER = "other"  # the group id of the merged small municipalities / programmes


@dataclass(frozen=True)
class Scope:
    """One report of the release.

    Attributes
    ----------
    kind : {"funder", "programme", "municipality"}
    name : str
        The programme or municipality ("" for the funder report).
    n : int
        Families in it.
    published : bool
    reason : str
        Why it is withheld (empty when published).
    """

    kind: str
    name: str
    n: int
    published: bool
    reason: str = ""


@dataclass
class ReleasePlan:
    """Which reports a release holds and how small groups are merged in its breakdowns.

    Attributes
    ----------
    k : int
    scopes : list of Scope
    groups : dict
        ``{"municipality": {name: group}, "programme": {name: group}}`` where group is the name
        itself or :data:`OTHER`: the row a family is counted in, in every breakdown of the release.
    """

    k: int
    scopes: list[Scope]
    groups: dict[str, dict[str, str]] = field(default_factory=dict)

    def scope(self, kind: str, name: str = "") -> Scope:
        """The scope of one report; a withheld or unknown report is a :class:`DesignError`."""
        for s in self.scopes:
            if s.kind == kind and s.name == name:
                if not s.published:
                    raise DesignError(
                        f"The {kind} report of {name!r} is withheld from this release: {s.reason}."
                    )
                return s
        known = sorted(s.name for s in self.scopes if s.kind == kind)
        raise ParameterError(f"The release has no {kind} {name!r}; it has {known}.")

    def group(self, kind: str, name: str) -> str:
        """The breakdown row of a municipality or programme: its own name, or :data:`OTHER`."""
        return self.groups.get(kind, {}).get(name, OTHER)

    def table(self, *, exact: bool = False) -> pd.DataFrame:
        """Every report of the release with its size and why it is withheld.

        By default the form a manifest may publish: a withheld report's number of families is
        left out (``<NA>``) and its reason says why without it ("fewer than k = 10 families").
        ``exact=True``: the sizes and reasons as planned (for the person rendering the release).
        """
        rows = []
        for s in self.scopes:
            n: object = s.n
            reason = s.reason
            if not exact and not s.published:
                n = pd.NA
                reason = _public_reason(s.reason, self.k)
            rows.append((s.kind, s.name, n, s.published, reason))
        out = pd.DataFrame(rows, columns=["kind", "name", "families", "published", "reason"])
        out["families"] = out["families"].astype("Int64")
        return out


def _public_reason(reason: str, k: int) -> str:
    """A withheld report's reason without its number of families."""
    if reason.startswith("publishing it would leave"):
        return f"its report would reveal the fewer than k = {k} families outside the published reports"
    if "fewer than k" in reason:
        return f"fewer than k = {k} families"
    return reason


def _split(
    sizes: dict[str, int], k: int, total: int, what: str, wanted: set[str] | None
) -> tuple[list[str], dict[str, str]]:
    """Names that get their own report, and the reason each other name is withheld."""
    reasons = {n: f"{sizes[n]} families, fewer than k = {k}" for n, c in sizes.items() if c < k}
    if wanted is not None:
        reasons |= {n: "not asked for" for n, c in sizes.items() if c >= k and n not in wanted}
    own = sorted((n for n in sizes if n not in reasons), key=lambda n: (sizes[n], n))
    while own:
        rest = total - sum(sizes[n] for n in own)
        if rest == 0 or rest >= k:
            break
        smallest = own.pop(0)  # its report would reveal the remainder: it joins the remainder
        reasons[smallest] = (
            f"publishing it would leave {rest} families in the other {what} (fewer than k = {k}), "
            "which anyone could recover from the reports above"
        )
    return sorted(own), reasons


def plan_release(
    families: pd.DataFrame,
    *,
    k: int = 10,
    municipalities: bool | Iterable[str] = True,
    programmes: bool | Iterable[str] = True,
) -> ReleasePlan:
    """Plan the release of one dataset: the funder report and every report disclosure allows.

    Parameters
    ----------
    families : DataFrame
        The families table (``family_id``, ``municipality``, optionally ``programme``).
    k : int
        Smallest number of families a published figure may rest on.
    municipalities, programmes : bool or list of str
        Which reports are wanted (True: every one; False: none).  Reports that are not wanted still
        count as withheld, never as published.

    Examples
    --------
    >>> fam = pd.DataFrame({"family_id": range(59), "municipality": ["S"] * 4 + ["M"] * 25 + ["L"] * 30})
    >>> plan = plan_release(fam, k=10, programmes=False)
    >>> plan.table()[["name", "published"]].values.tolist()
    [['', True], ['L', True], ['M', False], ['S', False]]
    >>> plan.group("municipality", "M"), plan.group("municipality", "L")
    ('other', 'L')
    """
    if isinstance(k, bool) or not isinstance(k, int) or k < 3:
        raise ParameterError(
            f"The 'k' parameter of plan_release must be an integer of at least 3. Got {k!r} instead."
        )
    if "family_id" not in families:
        raise ParameterError("The 'families' parameter of plan_release needs a family_id column.")
    fam = families.drop_duplicates("family_id")
    total = len(fam)
    if total < k:
        raise DesignError(
            f"The release has only {total} families; nothing can be published with k = {k}. "
            "Combine years or programmes, or lower k (at least 3)."
        )
    scopes = [Scope("funder", "", total, True)]
    groups: dict[str, dict[str, str]] = {}
    for kind, wanted in (("programme", programmes), ("municipality", municipalities)):
        if kind not in fam or fam[kind].isna().all():
            continue
        col = fam[kind].astype("string").fillna("")
        sizes = {str(n): int(c) for n, c in col.value_counts().items()}
        keep = None if wanted is True else (set() if wanted is False else {str(x) for x in wanted})
        plural = {"programme": "programmes", "municipality": "municipalities"}[kind]
        own, reasons = _split(sizes, k, total, plural, keep)
        # breakdown rows: a group of k or more keeps its name even without a report of its own,
        # unless it was withheld to protect the remainder (then it is part of "other")
        merged = {n for n, r in reasons.items() if not r.startswith("not asked")}
        groups[kind] = {n: (OTHER if n in merged else n) for n in sizes}
        for n in sorted(sizes):
            scopes.append(Scope(kind, n, sizes[n], n in own, reasons.get(n, "")))
    return ReleasePlan(int(k), scopes, groups)
