"""Descriptive tables: scores per domain × wave, and level transitions between two waves."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from impactkit.errors import DesignError, ParameterError
from impactkit.i18n import Words, languages
from impactkit.i18n._note import Note
from impactkit.instruments import Instrument
from impactkit.measures._change import _domain_index
from impactkit.measures._cube import cube, group_codes, resolve_wave
from impactkit.measures._results import DescribeResult, TransitionsResult
from impactkit.measures._smallcells import check_min_n, suppress

__all__ = ["describe", "transitions"]

_MAX_LEVELS = 20


def _levels(inst: Instrument) -> list[int]:
    """Scale levels that get a share column (integer scales with at most 20 points)."""
    sc = inst.scale
    if not sc.integer or sc.max - sc.min + 1 > _MAX_LEVELS:
        return []
    return list(sc.values)


def describe(
    data: pd.DataFrame,
    *,
    by: str | pd.Series | Mapping[str, object] | None = None,
    families: pd.DataFrame | None = None,
    min_n: int = 10,
    instrument: Instrument | None = None,
) -> DescribeResult:
    """Scores per domain and wave: counts, location, spread and the distribution over levels.

    Parameters
    ----------
    data : DataFrame
        Canonical long assessment frame.
    by, families, min_n
        Subgroups (a column of ``data`` or ``families``, or a family_id → group mapping) and
        small-cell suppression: with ``by``, cells with fewer than ``min_n`` scores are blanked
        and get ``status`` "suppressed (n < 10)".
    instrument : Instrument, optional
        Defaults to ``data.attrs["instrument"]``.

    Returns
    -------
    DescribeResult
        One row per domain × wave (× group; the group column first) with ``domain, wave, n``
        (families with a score), ``n_missing`` (families in the data, or in the group, without
        a score at this wave), ``mean, sd`` (n - 1 denominator), ``median``,
        ``share_sufficient`` (share of the n scores at or above the instrument's ``sufficient``
        level; NaN when it has none), then one column per scale level ``share_level_1`` ...
        ``share_level_5`` (share of the n scores at that level, summing to 1; only for integer
        scales of at most 20 points) and ``status``.

    Notes
    -----
    Missing data: statistics use the observed scores of each cell. A family that appears
    anywhere in ``data`` but has no score in a cell (no row, or a NaN score) counts in
    ``n_missing``; the two kinds of missing give identical tables. The level distribution is
    kept in the same table (wide share columns) so that each row is one domain × wave.

    Examples
    --------
    >>> import impactkit as ik
    >>> import pandas as pd
    >>> long = ik.canonical(pd.DataFrame(
    ...     {"family_id": ["a", "a", "b", "b"], "wave": ["intake", "year1"] * 2,
    ...      "domain": ["finances"] * 4, "score": [2, 3, 4, None]}
    ... ))
    >>> describe(long).query("domain == 'finances'")[["wave", "n", "mean", "n_missing"]]
         wave  n  mean  n_missing
    0  intake  2   3.0          0
    1   year1  1   3.0          1
    2   year2  0   NaN          2
    """
    func = "describe"
    min_n = check_min_n(min_n, func)
    c = cube(data, func, instrument)
    inst = c.instrument
    levels = _levels(inst)
    name, codes, labels = group_codes(c, by, data, families, func)
    parts = []
    has_threshold = np.array([inst.sufficient_for(d) is not None for d in c.domains], dtype=bool)
    for g, label in enumerate(labels):
        block = c.values[codes == g]  # families × domains × waves
        obs = ~np.isnan(block)
        n = obs.sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            total = np.where(obs, block, 0.0).sum(axis=0)
            mean = np.where(n > 0, total / np.maximum(n, 1), np.nan)
            dev = np.where(obs, block - mean, 0.0)
            sd = np.where(n > 1, np.sqrt((dev**2).sum(axis=0) / np.maximum(n - 1, 1)), np.nan)
        median = _nanmedian(block, n)
        cols: dict[str, np.ndarray] = {
            "domain": np.repeat(c.domains, len(c.waves)),
            "wave": np.tile(c.waves, len(c.domains)),
            "n": n.ravel(),
            "n_missing": (block.shape[0] - n).ravel(),
            "mean": mean.ravel(),
            "sd": sd.ravel(),
            "median": median.ravel(),
        }
        with np.errstate(invalid="ignore", divide="ignore"):
            # per domain: at or above its threshold, or at or below it where lower is better
            meets = np.stack([inst.is_sufficient(d, block[:, i, :]) for i, d in enumerate(c.domains)], axis=1)
            sufficient = np.where(has_threshold[:, None], meets.sum(axis=0) / n, np.nan)
            cols["share_sufficient"] = sufficient.ravel()
            for v in levels:
                cols[f"share_level_{v}"] = ((block == v).sum(axis=0) / n).ravel()
        part = pd.DataFrame(cols)
        if name is not None:
            part.insert(0, name, label)
        parts.append(part)
    table = pd.concat(parts, ignore_index=True)
    table["status"] = np.where(table["n"] > 0, "ok", "no scores")
    if name is not None:
        table = suppress(table, n_col="n", keep=[name, "domain", "wave"], min_n=min_n)
    notes: list[str] = [Note("describe.observed"), Note("describe.sd")]
    if inst.sufficient is not None:
        notes.append(Note("describe.sufficient", level=f"{inst.sufficient:g}"))
    for d in inst.lower_is_better_domains:
        if d in c.domains and inst.sufficient_for(d) is not None:
            domain = Words({lang: inst.domain_label(d, lang) for lang in languages()})
            notes.append(Note("describe.lower_better", domain=domain, level=f"{inst.sufficient_for(d):g}"))
    if name is not None:
        notes.append(Note("describe.suppressed", min_n=min_n))
    meta = {"by": name, "min_n": min_n, "instrument": inst, "levels": levels, "notes": notes}
    return DescribeResult(table, meta=meta)


def _nanmedian(block: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Median over families per domain × wave, without numpy's all-NaN warning."""
    if block.shape[0] == 0:
        return np.full(n.shape, np.nan)
    filled = np.where(np.isnan(block), np.inf, block)
    srt = np.sort(filled, axis=0)
    lo_idx = np.clip((n - 1) // 2, 0, None)
    hi_idx = np.clip(n // 2, 0, None)
    lo = np.take_along_axis(srt, lo_idx[None], axis=0)[0]
    hi = np.take_along_axis(srt, hi_idx[None], axis=0)[0]
    return np.where(n > 0, (lo + hi) / 2, np.nan)


def transitions(
    data: pd.DataFrame,
    *,
    baseline: str | None = None,
    followup: str | None = None,
    domains: list[str] | None = None,
    instrument: Instrument | None = None,
) -> TransitionsResult:
    """Counts of families moving between scale levels from ``baseline`` to ``followup``.

    Parameters
    ----------
    data : DataFrame
        Canonical long assessment frame on an integer scale.
    baseline, followup : str or None
        Wave ids (default: the instrument's first and last wave).
    domains : list of str, optional
        Domains to include (default: all).
    instrument : Instrument, optional
        Defaults to ``data.attrs["instrument"]``.

    Returns
    -------
    TransitionsResult
        One row per domain × from_level × to_level (every combination of scale levels, zero
        counts included) with ``domain, baseline, followup, from_level, to_level, n`` and
        ``share`` (n / families starting at ``from_level`` in that domain; NaN when none did).

    Notes
    -----
    Missing data: complete pairs per domain only; implicit and explicit missing are the same.
    Scores that are not a level of the scale (e.g. a mean of items, 2.5) are rounded half up to
    the nearest level for this table only.

    Examples
    --------
    >>> import impactkit as ik
    >>> from impactkit._sample import make_sample
    >>> wide = make_sample()["assessments"]
    >>> data = ik.canonical(wide.melt(["family_id", "wave", "assessed_on"], var_name="domain", value_name="score"))
    >>> t = transitions(data, domains=["finances"])
    >>> t.loc[t["from_level"] == 1, "n"].tolist()
    [13, 21, 10, 2, 0]
    """
    func = "transitions"
    c = cube(data, func, instrument)
    inst = c.instrument
    if not inst.scale.integer:
        raise DesignError(f"{func}: instrument {inst.id!r} has a non-integer scale; transitions need levels.")
    levels = np.array(inst.scale.values)
    b = resolve_wave(c, baseline, "baseline", func, default=0)
    f = resolve_wave(c, followup, "followup", func, default=-1)
    if b == f:
        raise ParameterError(f"The 'baseline' and 'followup' parameters of {func} must differ.")
    dom_idx = _domain_index(c.domains, domains, func)
    k = levels.size
    parts = []
    for d in dom_idx:
        x, y = c.values[:, d, b], c.values[:, d, f]
        ok = ~np.isnan(x) & ~np.isnan(y)
        xi = np.clip(np.floor(x[ok] + 0.5) - levels[0], 0, k - 1).astype(int)
        yi = np.clip(np.floor(y[ok] + 0.5) - levels[0], 0, k - 1).astype(int)
        counts = np.bincount(xi * k + yi, minlength=k * k).reshape(k, k)
        row_tot = counts.sum(axis=1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(row_tot > 0, counts / np.maximum(row_tot, 1), np.nan)
        parts.append(
            pd.DataFrame(
                {
                    "domain": c.domains[d],
                    "baseline": c.waves[b],
                    "followup": c.waves[f],
                    "from_level": np.repeat(levels, k),
                    "to_level": np.tile(levels, k),
                    "n": counts.ravel(),
                    "share": share.ravel(),
                }
            )
        )
    table = pd.concat(parts, ignore_index=True)
    notes = [f"Complete pairs {c.waves[b]} → {c.waves[f]} per domain; share is of the from_level row."]
    return TransitionsResult(table, meta={"instrument": inst, "notes": notes})
