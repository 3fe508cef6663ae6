"""The score cube: the canonical long frame as a ``family × domain × wave`` float array.

Every measure works on this array, so implicit missing (no row) and explicit missing (a NaN
score) are the same thing by construction: both are a NaN cell.  Building it costs one
factorisation of ``family_id``; nothing loops over families.

The layout (which cell each row fills, and the sorted families) is kept for the frame's
``family_id`` column when that column is Arrow-backed (the frames :func:`impactkit.read_dataset`
returns): Arrow arrays are immutable, so the same array object holds the same ids, and the
``wave`` and ``domain`` columns are checked by a digest of their codes.  Every measure on the same
frame (the analyse command runs six, the annual report more) then factorises ``family_id`` once;
the scores are always read afresh.
"""

from __future__ import annotations

import hashlib
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from impactkit._canonical import instrument_of
from impactkit.errors import DesignError, ParameterError
from impactkit.instruments import Instrument

if TYPE_CHECKING:
    from pandas._typing import Scalar

__all__ = ["Cube", "cube", "group_codes", "resolve_wave"]

_REQUIRED = ("family_id", "wave", "domain", "score")


@dataclass(frozen=True)
class Cube:
    """Scores as ``values[family, domain, wave]`` (NaN = missing) with their labels."""

    values: np.ndarray
    families: pd.Index
    domains: list[str]
    waves: list[str]
    instrument: Instrument

    def wave_index(self, wave: str) -> int:
        return self.waves.index(wave)


def cube(data: pd.DataFrame, func: str, instrument: Instrument | None = None) -> Cube:
    """Turn a canonical long frame into a :class:`Cube`.

    Raises :class:`ParameterError` for a frame that is not canonical and :class:`DesignError`
    for duplicate ``family × wave × domain`` rows or an empty frame.
    """
    if not isinstance(data, pd.DataFrame):
        raise ParameterError(
            f"The 'data' parameter of {func} must be a canonical long DataFrame. "
            f"Got {type(data).__name__} instead."
        )
    missing = [c for c in _REQUIRED if c not in data.columns]
    if missing:
        raise ParameterError(
            f"The 'data' parameter of {func} must have columns {list(_REQUIRED)}; missing {missing}. "
            "Read files with impactkit.read_assessments or pass a frame through impactkit.canonical."
        )
    inst = instrument_of(data, instrument)
    domains, waves = inst.domain_ids, inst.wave_ids
    key = _layout_key(data, domains, waves)
    hit = _LAYOUTS.get(key[0]) if key is not None else None
    if key is not None and hit is not None and hit[0]() is key[1] and hit[1] == key[2]:
        flat, families = hit[2], hit[3]
    else:
        flat, families = _layout(data, domains, waves, func)
        if key is not None:
            _remember(key, flat, families)
    nf, nd, nw = len(families), len(domains), len(waves)
    values = np.full(nf * nd * nw, np.nan)
    values[flat] = data["score"].to_numpy(dtype=float, na_value=np.nan)
    return Cube(values.reshape(nf, nd, nw), families, domains, waves, inst)


def _layout(
    data: pd.DataFrame, domains: list[str], waves: list[str], func: str
) -> tuple[np.ndarray, pd.Index]:
    """The cell of each row (``(family × nd + domain) × nw + wave``) and the sorted families."""
    d_codes = _codes(data["domain"], domains, "domain", func)
    w_codes = _codes(data["wave"], waves, "wave", func)
    f_codes, families = pd.factorize(data["family_id"], sort=True)
    if len(families) == 0:
        raise DesignError.of("no_families", func=func)
    if (f_codes < 0).any():
        raise ParameterError(f"The 'data' parameter of {func} has missing family_id values.")
    nf, nd, nw = len(families), len(domains), len(waves)
    flat = (f_codes.astype(np.int64) * nd + d_codes) * nw + w_codes
    counts = np.bincount(flat, minlength=nf * nd * nw)
    if counts.max() > 1:
        dup = np.flatnonzero(counts > 1)[0]
        f, rest = divmod(int(dup), nd * nw)
        d, w = divmod(rest, nw)
        raise DesignError(
            f"{func}: family {families[f]!r} has {counts[dup]} rows for wave {waves[w]!r}, domain "
            f"{domains[d]!r}; the long frame must hold one row per family × wave × domain."
        )
    if nf * nd * nw < 2**31:  # half the memory while it is kept
        flat = flat.astype(np.int32)
    return flat, pd.Index(families, name="family_id")


# id of a family_id Arrow array -> (weak reference to it, digest of the rest, cells, families);
# an entry goes when its array does, and at most _KEEP are kept
_LAYOUTS: dict[int, tuple[weakref.ref, tuple, np.ndarray, pd.Index]] = {}
_KEEP = 2


def _layout_key(data: pd.DataFrame, domains: list[str], waves: list[str]) -> tuple[int, object, tuple] | None:
    """``(id, array, digest)`` naming the layout of ``data``, or None when it cannot be named safely
    (a ``family_id`` column that is not Arrow-backed could change in place)."""
    ids = data["family_id"].array
    if not isinstance(ids, pd.arrays.ArrowExtensionArray):  # ArrowStringArray is one
        return None
    arrow = ids.__arrow_array__()
    digest = [tuple(domains), tuple(waves), len(data)]
    for name in ("domain", "wave"):
        col = data[name]
        if not isinstance(col.dtype, pd.CategoricalDtype):
            return None
        codes = np.ascontiguousarray(col.cat.codes.to_numpy())
        digest += [
            tuple(col.cat.categories),
            str(codes.dtype),
            hashlib.blake2b(codes.data, digest_size=16).digest(),
        ]
    return id(arrow), arrow, tuple(digest)


def _remember(key: tuple[int, object, tuple], flat: np.ndarray, families: pd.Index) -> None:
    for k in [k for k, v in _LAYOUTS.items() if v[0]() is None]:
        del _LAYOUTS[k]
    while len(_LAYOUTS) >= _KEEP:
        del _LAYOUTS[next(iter(_LAYOUTS))]
    _LAYOUTS[key[0]] = (weakref.ref(key[1]), key[2], flat, families)


def _codes(col: pd.Series, ids: list[str], name: str, func: str) -> np.ndarray:
    if isinstance(col.dtype, pd.CategoricalDtype) and list(col.cat.categories) == ids:
        codes = col.cat.codes.to_numpy()
    else:
        codes = pd.Categorical(col, categories=ids).codes
    if (codes < 0).any():
        bad = sorted({str(v) for v in col[codes < 0].unique()})
        raise ParameterError(
            f"The 'data' parameter of {func} has {name} values {bad[:5]} that the instrument does not "
            f"define; expected one of {ids}."
        )
    return codes.astype(np.int64)


def resolve_wave(c: Cube, wave: str | None, name: str, func: str, *, default: int) -> int:
    """Index of ``wave`` (``None``: the wave at position ``default``)."""
    if wave is None:
        return default % len(c.waves)
    if wave not in c.waves:
        raise ParameterError(
            f"The {name!r} parameter of {func} must be one of {c.waves}. Got {wave!r} instead."
        )
    return c.waves.index(wave)


def group_codes(
    c: Cube,
    by: str | pd.Series | Mapping[str, object] | None,
    data: pd.DataFrame,
    families: pd.DataFrame | None,
    func: str,
) -> tuple[str | None, np.ndarray, list[Scalar | None]]:
    """Subgroup of each family in ``c.families``: ``(name, codes, labels)``.

    ``by`` is a column of ``data`` (constant within family), a column of ``families``, or a
    Series/mapping from family_id to group.  Families without a group get code -1 and are left
    out of every subgroup.  Without ``by`` every family is in one group (code 0, label None).
    """
    if by is None:
        return None, np.zeros(len(c.families), dtype=np.int64), [None]
    if isinstance(by, pd.Series | Mapping):
        series = pd.Series(by) if isinstance(by, Mapping) else by
        name = str(series.name) if series.name is not None else "group"
    elif isinstance(by, str):
        name = by
        if by in data.columns and by not in ("family_id", "wave", "domain", "score", "assessed_on"):
            per = data[["family_id", by]].dropna().drop_duplicates()
            if per["family_id"].duplicated().any():
                raise DesignError(f"{func}: column {by!r} is not constant within family.")
            series = per.set_index("family_id")[by]
        elif families is not None and by in families.columns and "family_id" in families.columns:
            series = families.drop_duplicates("family_id").set_index("family_id")[by]
        else:
            where = "data" if families is None else "data or families"
            raise ParameterError(
                f"The 'by' parameter of {func} must name a column of {where}. Got {by!r} instead. "
                "Pass families=ik.read_families(...) to group by municipality, household_type or programme."
            )
    else:
        raise ParameterError(
            f"The 'by' parameter of {func} must be a column name, a Series or a mapping. "
            f"Got {type(by).__name__} instead."
        )
    series = series.copy()
    series.index = series.index.astype(str)
    aligned = series.reindex(c.families.astype(str))
    codes, labels = pd.factorize(aligned, sort=True)
    return name, codes.astype(np.int64), list(labels)
