"""A dataset restricted to some programmes, municipalities or domains, with what was left out counted.

Families are selected through the families table (programme, municipality); their assessments,
counterfactual judgements and care used follow.  Programme costs follow a municipality selection
when the table has a ``municipality`` column (a ``programme`` column for a programme selection);
otherwise the table still holds the cost of more than the selection, which :class:`Selection`
records as ``unsplit`` so that a cost evaluation can refuse instead of comparing the cost of all
families with the benefit of some.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from impactkit.errors import DesignError, ParameterError

if TYPE_CHECKING:
    from impactkit.io._dataset import Dataset

__all__ = ["Selection", "subset"]

_FAMILY_TABLES = ("assessments", "families", "counterfactuals", "care_used", "events")


@dataclass(frozen=True)
class Selection:
    """What a dataset was restricted to, and how many families that left of how many."""

    programme: tuple[str, ...] = ()
    municipality: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    families_before: int = 0
    families_after: int = 0
    unsplit: tuple[str, ...] = ()  # "programme_costs:programme": a table the selection could not split
    all_domains: pd.DataFrame | None = field(default=None, repr=False, compare=False)
    """The selected families' assessments in every domain (intake rules of a cost scenario need them)."""

    @property
    def families_left_out(self) -> int:
        return self.families_before - self.families_after

    def describe(self) -> str:
        """One line: ``municipality = Tiel; 31 of 350 families``."""
        parts = [
            f"{name} = {', '.join(values)}"
            for name, values in (
                ("programme", self.programme),
                ("municipality", self.municipality),
                ("domains", self.domains),
            )
            if values
        ]
        return "; ".join([*parts, f"{self.families_after} of {self.families_before} families"])


def _values(name: str, value: str | Iterable[str] | None, func: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    try:
        values = tuple(str(v) for v in value)
    except TypeError as err:
        raise ParameterError(
            f"The {name!r} parameter of {func} must be a string or a list of strings. "
            f"Got {type(value).__name__} instead.",
            parameter=name,
        ) from err
    return values


def subset(
    ds: Dataset,
    *,
    programme: str | Iterable[str] | None = None,
    municipality: str | Iterable[str] | None = None,
    domains: str | Iterable[str] | None = None,
    func: str = "Dataset.subset",
) -> Dataset:
    """The dataset restricted to ``programme``, ``municipality`` and ``domains`` (each one or a list)."""
    programmes = _values("programme", programme, func)
    municipalities = _values("municipality", municipality, func)
    domain_ids = _values("domains", domains, func)
    before = ds.n_families
    previous = ds.selection
    tables: dict[str, pd.DataFrame | None] = {}
    unsplit = list(previous.unsplit) if previous else []
    ids: set[str] | None = None
    for column, wanted in (("programme", programmes), ("municipality", municipalities)):
        if not wanted:
            continue
        fam = ds.families
        if fam is None or column not in fam or fam[column].isna().all():
            raise ParameterError(
                f"The {column!r} parameter of {func} needs a families table with a {column} column; "
                "this dataset has none.",
                parameter=column,
            )
        known = sorted(fam[column].dropna().astype(str).unique())
        unknown = [w for w in wanted if w not in known]
        if unknown:
            raise ParameterError(
                f"The {column!r} parameter of {func} must be one of {known}. Got {unknown[0]!r} instead.",
                parameter=column,
            )
        chosen = set(fam.loc[fam[column].astype(str).isin(wanted), "family_id"].astype(str))
        ids = chosen if ids is None else ids & chosen
        costs = ds.programme_costs
        if costs is not None:
            if column in costs and costs[column].notna().any():
                tables["programme_costs"] = costs[costs[column].astype(str).isin(wanted)].reset_index(
                    drop=True
                )
            else:
                unsplit.append(f"programme_costs:{column}")
    frames = {name: getattr(ds, name) for name in _FAMILY_TABLES}
    if ids is not None:
        for name, frame in frames.items():
            if frame is not None and "family_id" in frame:
                kept = frame[frame["family_id"].astype(str).isin(ids)].reset_index(drop=True)
                kept.attrs = dict(frame.attrs)
                frames[name] = kept
    instrument = ds.instrument
    a = frames["assessments"]
    all_domains = previous.all_domains if previous and previous.all_domains is not None else a
    if all_domains is not None and ids is not None:
        attrs = dict(all_domains.attrs)
        all_domains = all_domains[all_domains["family_id"].astype(str).isin(ids)].reset_index(drop=True)
        all_domains.attrs = attrs
    if domain_ids:
        unknown = [d for d in domain_ids if d not in ds.instrument.domain_ids]
        if unknown:
            raise ParameterError(
                f"The 'domains' parameter of {func} must name domains of instrument "
                f"{ds.instrument.id!r}: {ds.instrument.domain_ids}. Got {unknown[0]!r} instead.",
                parameter="domains",
            )
        instrument = ds.instrument.subset(domains=domain_ids)
        if a is not None:
            keep = instrument.domain_ids
            a = a[a["domain"].astype(str).isin(keep)].reset_index(drop=True)
            a["domain"] = pd.Categorical(a["domain"].astype(str), categories=keep)
            a.attrs = {**frames["assessments"].attrs, "instrument": instrument}
            frames["assessments"] = a
    if a is None or a.empty or a["family_id"].nunique() == 0:
        shown = "; ".join(
            f"{n} = {', '.join(v)}"
            for n, v in (("programme", programmes), ("municipality", municipalities))
            if v
        )
        raise DesignError.of(
            "no_families_left",
            selection=shown or ", ".join(domain_ids),
            n_before=before,
        )
    selection = Selection(
        programme=(previous.programme if previous else ()) + programmes,
        municipality=(previous.municipality if previous else ()) + municipalities,
        domains=domain_ids or (previous.domains if previous else ()),
        families_before=previous.families_before if previous else before,
        families_after=int(a["family_id"].nunique()),
        unsplit=tuple(dict.fromkeys(unsplit)),
        all_domains=all_domains if (domain_ids or (previous and previous.domains)) else None,
    )
    return dataclasses.replace(
        ds,
        instrument=instrument,
        selection=selection,
        n_missing_scores=int(a["score"].isna().sum()),
        **frames,
        **tables,  # type: ignore[arg-type]
    )
