"""The fixed-effects design shared by the mixed model, its ordinal alternative and the GEE check.

One design for all domains: ``score ~ wave (+ by × wave) (+ covariates)`` on the observed rows
(a NaN score and an absent row are the same thing here).  Waves are treatment-coded against the
first wave that has any observed score; covariates and ``by`` come from the families table and
are family-level.  Categorical covariates are treatment-coded against their first level in sorted
order (R's factor default); numeric covariates enter as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from impactkit._canonical import canonical, instrument_of
from impactkit.errors import DesignError, ImpactkitError, ParameterError
from impactkit.instruments import Instrument
from impactkit.measures._adjust import ADJUST_NAMES, adjust_pvalues

__all__ = ["Design", "build_design"]


@dataclass
class Design:
    """Observed rows of every domain as arrays, ready for per-domain fits."""

    y: np.ndarray  # float64 scores
    x: np.ndarray  # (n, p) fixed-effects design
    family: np.ndarray  # int codes into family_ids
    domain: np.ndarray  # int codes into domains
    family_ids: np.ndarray
    domains: list[str]
    columns: list[str]
    waves: list[str]
    by: str | None
    groups: list[str]
    covariate_columns: list[str]
    instrument: Instrument
    notes: list[str] = field(default_factory=list)

    def contrasts(self) -> list[tuple[str | None, str, np.ndarray]]:
        """(group, term, L) for every reported row: intercept and wave contrasts (per group), covariates."""
        p = len(self.columns)
        idx = {c: i for i, c in enumerate(self.columns)}
        out: list[tuple[str | None, str, np.ndarray]] = []
        for gi, grp in enumerate(self.groups or [None]):
            for term in ["intercept", *self.waves[1:]]:
                ell = np.zeros(p)
                ell[idx[term]] = 1.0
                if gi > 0:
                    ell[idx[_inter(term, self.by, grp)]] = 1.0
                out.append((grp, term, ell))
        for term in self.covariate_columns:
            ell = np.zeros(p)
            ell[idx[term]] = 1.0
            out.append((None, term, ell))
        return out

    def omnibus_tests(self, xtx: np.ndarray) -> list[tuple[str | None, str, np.ndarray]]:
        """(group, term, L) for the F tests of wave, with the L lmerTest's ``anova()`` uses.

        Wave only: the type-1 (Doolittle) rows of ``X'X``, which ``anova(type = 3)`` falls back to
        for a one-term model; with covariates: the wave coefficients; with ``by``: type III, i.e.
        the wave effect averaged over groups, the ``wave:by`` interaction and, per group, the wave
        contrasts within that group.
        """
        p = len(self.columns)
        wave_cols = list(range(1, len(self.waves)))
        out: list[tuple[str | None, str, np.ndarray]] = []
        if self.by is None and not self.covariate_columns:
            try:
                r = np.linalg.cholesky(xtx).T
            except np.linalg.LinAlgError:  # a domain that cannot be fitted: rows only count df1
                r = np.eye(p)
            out.append((None, "wave", (r / np.diag(r)[:, None])[wave_cols]))
            return out
        if self.by is None:
            out.append((None, "wave", np.eye(p)[wave_cols]))
            return out
        idx = {c: i for i, c in enumerate(self.columns)}
        avg = np.eye(p)[wave_cols]
        for k, wave in enumerate(self.waves[1:]):
            for grp in self.groups[1:]:
                avg[k, idx[_inter(wave, self.by, grp)]] = 1.0 / len(self.groups)
        out.append((None, "wave", avg))
        inter = [i for i, c in enumerate(self.columns) if ":" in c]
        out.append((None, f"wave:{self.by}", np.eye(p)[inter]))
        cons = [c for c in self.contrasts() if c[1] in self.waves[1:]]
        for grp in self.groups:
            out.append((grp, "wave", np.vstack([ell for g, _, ell in cons if g == grp])))
        return out


def _inter(term: str, by: str | None, group: str | None) -> str:
    return f"{by}={group}" if term == "intercept" else f"{term}:{by}={group}"


def _as_canonical(data: pd.DataFrame, func: str) -> pd.DataFrame:
    if not isinstance(data, pd.DataFrame):
        raise ParameterError(
            f"The 'data' parameter of {func} must be a pandas DataFrame (the canonical long frame). "
            f"Got {type(data).__name__} instead."
        )
    if isinstance(data.get("wave", pd.Series(dtype=object)).dtype, pd.CategoricalDtype) and isinstance(
        data.get("domain", pd.Series(dtype=object)).dtype, pd.CategoricalDtype
    ):
        return data
    return canonical(data)


def _family_table(families: pd.DataFrame | None, names: list[str], func: str) -> pd.DataFrame:
    if families is None:
        raise ParameterError(
            f"The 'families' parameter of {func} is required when 'covariates' or 'by' is given "
            f"(they are family-level columns). Got None instead; pass ik.read_families(...)."
        )
    missing = [c for c in ["family_id", *names] if c not in families.columns]
    if missing:
        raise ParameterError(
            f"The 'families' table passed to {func} lacks column(s) {missing}. "
            f"Got columns {list(families.columns)} instead."
        )
    fam = families[["family_id", *names]].copy()
    fam["family_id"] = fam["family_id"].astype("string")
    dup = fam["family_id"][fam["family_id"].duplicated()]
    if len(dup):
        raise ParameterError(
            f"The 'families' table passed to {func} must have one row per family_id; "
            f"duplicated: {list(dup.unique()[:5])}."
        )
    return fam.set_index("family_id")


def build_design(
    data: pd.DataFrame,
    *,
    covariates: list[str] | str | None,
    by: str | None,
    families: pd.DataFrame | None,
    func: str,
) -> Design:
    """Turn the canonical frame (+ families) into arrays for the per-domain fits."""
    data = _as_canonical(data, func)
    inst = instrument_of(data)
    if isinstance(covariates, str):
        covariates = [covariates]
    covariates = list(covariates or [])
    if by is not None and not isinstance(by, str):
        raise ParameterError(f"The 'by' parameter of {func} must be a column name. Got {by!r} instead.")
    if by is not None and by in covariates:
        raise ParameterError(f"The 'by' parameter of {func} must not also be a covariate. Got {by!r}.")
    obs = data.loc[data["score"].notna(), ["family_id", "wave", "domain", "score"]]
    obs.attrs = {}  # our copy: stop pandas deep-copying the instrument on every column access
    notes: list[str] = []
    n_missing = int(data["score"].isna().sum())
    if n_missing:
        notes.append(f"{n_missing} missing score(s) left out; all observed rows used (valid under MAR).")
    if obs.empty:
        raise DesignError(f"{func}: no observed scores; every score is missing.")
    wave_codes = obs["wave"].cat.codes.to_numpy()
    all_waves = list(obs["wave"].cat.categories)
    present = sorted(set(wave_codes.tolist()))
    waves = [all_waves[i] for i in present]
    if len(waves) < 2:
        raise DesignError(f"{func}: scores observed at one wave only ({waves}); a wave effect needs two.")
    wave_pos = np.full(len(all_waves), -1)
    wave_pos[present] = np.arange(len(present))
    wpos = wave_pos[wave_codes]

    groups: list[str] = []
    cov_cols: list[str] = []
    extra: list[np.ndarray] = []
    keep = np.ones(len(obs), dtype=bool)
    group_code = None
    if covariates or by is not None:
        fam = _family_table(families, covariates + ([by] if by else []), func)
        matched = obs["family_id"].isin(fam.index).to_numpy()
        if (~matched).any():
            n_unm = obs["family_id"][~matched].nunique()
            notes.append(f"{n_unm} family(ies) not in the families table left out.")
        keep &= matched
        rows = fam.reindex(obs["family_id"].to_numpy())
        na = rows.isna().any(axis=1).to_numpy() & matched
        if na.any():
            n_na = obs["family_id"][na].nunique()
            notes.append(f"{n_na} family(ies) with a missing covariate or 'by' value left out.")
        keep &= ~na
        if by is not None:
            gvals = rows[by].astype("string")
            groups = sorted(gvals[keep].unique().tolist())
            if len(groups) < 2:
                raise DesignError(f"{func}: 'by'={by!r} has fewer than two groups with data: {groups}.")
            group_code = pd.Categorical(gvals, categories=groups).codes
        for c in covariates:
            col = rows[c]
            if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
                extra.append(col.astype("float64").to_numpy(na_value=np.nan))
                cov_cols.append(c)
            else:
                vals = col.astype("string")
                levels = sorted(vals[keep].unique().tolist())
                for lev in levels[1:]:
                    extra.append((vals == lev).fillna(False).to_numpy(dtype=float))
                    cov_cols.append(f"{c}={lev}")
    if not keep.any():
        raise DesignError(f"{func}: no family left after matching the families table.")

    n = int(keep.sum())
    columns = ["intercept", *waves[1:]]
    blocks = [np.ones(n)]
    w_k = wpos[keep]
    blocks += [(w_k == k).astype(float) for k in range(1, len(waves))]
    if by is not None and group_code is not None:
        g_k = group_code[keep]
        for gi, grp in enumerate(groups[1:], start=1):
            blocks.append((g_k == gi).astype(float))
            columns.append(f"{by}={grp}")
        for k, wave in enumerate(waves[1:], start=1):
            for gi, grp in enumerate(groups[1:], start=1):
                blocks.append(((w_k == k) & (g_k == gi)).astype(float))
                columns.append(f"{wave}:{by}={grp}")
    blocks += [e[keep] for e in extra]
    columns += cov_cols
    x = np.column_stack(blocks)
    fam_codes, fam_ids = pd.factorize(obs["family_id"].to_numpy()[keep])
    return Design(
        y=obs["score"].to_numpy(dtype=float)[keep],
        x=x,
        family=fam_codes.astype(np.int64),
        domain=obs["domain"].cat.codes.to_numpy()[keep].astype(np.int64),
        family_ids=np.asarray(fam_ids),
        domains=list(obs["domain"].cat.categories),
        columns=columns,
        waves=waves,
        by=by,
        groups=groups,
        covariate_columns=cov_cols,
        instrument=inst,
        notes=notes,
    )


def finish_tables(
    rows: list[dict[str, object]],
    omni: list[dict[str, object]],
    design: Design,
    adjust: str,
    adjust_over: str,
    *,
    func: str,
    needs: str,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The shared tail of mixed_model, clmm and gee: build the coefficient and omnibus tables, refuse
    when no domain could be fitted, adjust across domains, and name the grouping column."""
    table, omnibus = pd.DataFrame(rows), pd.DataFrame(omni)
    if (table["status"] == "too_few").all():
        raise DesignError(f"{func}: no domain can be fitted ({needs}).")
    table, omnibus = adjust_across_domains(table, omnibus, design.waves, adjust, adjust_over)
    if design.by is None:
        return table.drop(columns="group"), omnibus.drop(columns="group")
    table.insert(1, "by", design.by)
    omnibus.insert(1, "by", design.by)
    return table, omnibus


def adjust_note(adjust: str, adjust_over: str) -> str:
    """How p_adjusted was made, for the notes."""
    family = (
        "across domains, one family per wave contrast (and group)"
        if adjust_over == "domains"
        else "over every wave contrast of every domain (and group) together"
    )
    return f"{ADJUST_NAMES[adjust]} {family}"


def adjust_across_domains(
    table: pd.DataFrame, omnibus: pd.DataFrame, waves: list[str], adjust: str, adjust_over: str = "domains"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Add ``p_adjusted`` and ``adjust_method`` (after ``p_value``).

    ``adjust_over="domains"``: one family of tests per (group, wave contrast) in ``table`` and per
    (group, term) in ``omnibus``; ``"all"``: one family per table.  Intercepts, thresholds and
    covariates are not adjusted (NaN).
    """
    table, omnibus = table.copy(), omnibus.copy()
    for frame, is_test in ((table, table["term"].isin(waves[1:])), (omnibus, pd.Series(True, omnibus.index))):
        adj = np.full(len(frame), np.nan)
        key = (
            frame["term"].map(str) + "|" + frame["group"].map(str)  # map(str): None -> "None", never NaN
            if "group" in frame
            else frame["term"]
        ).to_numpy(dtype=object)
        if adjust_over == "all":
            key = np.full(len(frame), "all", dtype=object)
        test = is_test.to_numpy()
        p_value = frame["p_value"].to_numpy(dtype=float)
        for k in pd.unique(key[test]):
            idx = test & (key == k)
            adj[idx] = adjust_pvalues(p_value[idx], adjust)
        loc = frame.columns.get_loc("p_value")
        if not isinstance(loc, int):  # a slice or mask means a duplicated column: a bug upstream
            raise ImpactkitError(
                f"adjust_across_domains: the table has more than one 'p_value' column ({loc!r})."
            )
        pos = loc + 1
        frame.insert(pos, "p_adjusted", adj)
        frame.insert(pos + 1, "adjust_method", adjust)
    return table, omnibus
