"""The fixed-effects design shared by the mixed models, MMRM, the ordinal models and the GEE check.

One design for all domains on the observed rows (a NaN score and an absent row are the same
thing here):

* ``time="wave"`` (default): ``score ~ wave (+ by × wave) (+ covariates)``, waves treatment-coded
  against the first wave that has any observed score;
* ``time="months"`` (months since the family's assessment at the first wave, from
  ``assessed_on``) or the name of a numeric column of the long frame: ``score ~ time (+ by ×
  time) (+ covariates)``, linear in time.

``by`` comes from the families table (family-level).  A covariate named after a column of the
long frame is taken per row, so it may vary within a family over the waves (time-varying);
otherwise it comes from the families table.  Categorical covariates and ``by`` are
treatment-coded against their first level in sorted order (R's factor default) or against the
chosen ``reference_group``; numeric covariates enter as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from impactkit._canonical import canonical, instrument_of
from impactkit.errors import DesignError, ImpactkitError, ParameterError
from impactkit.instruments import Instrument
from impactkit.measures._adjust import ADJUST_NAMES, adjust_pvalues

__all__ = [
    "MONTH_DAYS",
    "Covariate",
    "Design",
    "adjust_note",
    "build_design",
    "finish_group_table",
    "finish_tables",
    "wald_group_rows",
]

MONTH_DAYS = 365.25 / 12  # a month of the "months since intake" time scale
_CANONICAL = ("family_id", "wave", "assessed_on", "domain", "score")


@dataclass
class Covariate:
    """One covariate: its design columns, kind, factor levels (reference first) and source."""

    name: str
    kind: str  # "numeric" or "factor"
    columns: list[str]
    levels: list[str] = field(default_factory=list)
    varying: bool = False  # taken per row from the long frame


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
    wave: np.ndarray | None = None  # per row: index into ``waves``
    group: np.ndarray | None = None  # per row: index into ``groups`` (0 without ``by``)
    time: str = "wave"  # "wave", or the name of the numeric time variable
    t: np.ndarray | None = None  # per row: numeric time (None with time="wave")
    covariates: list[Covariate] = field(default_factory=list)

    @property
    def terms(self) -> list[str]:
        """The within-group terms: intercept and the later waves, or intercept and time."""
        return ["intercept", *self.waves[1:]] if self.time == "wave" else ["intercept", self.time]

    @property
    def reference_group(self) -> str | None:
        return self.groups[0] if self.groups else None

    def reference_of(self, term: str) -> str | None:
        """The reference level a term is measured against (named in every table)."""
        if term == "intercept":
            return self.waves[0] if self.time == "wave" else f"{self.time} = 0"
        if term in self.waves[1:]:
            return self.waves[0]
        for cov in self.covariates:
            if cov.kind == "factor" and term in cov.columns:
                return f"{cov.name}={cov.levels[0]}"
        return None

    def cells(self) -> dict[int, dict[tuple[int, int], int]]:
        """Observed rows per domain and (group, wave): one bincount over all rows."""
        if self.wave is None or self.group is None:
            return {}
        n_g, n_w, n_d = max(len(self.groups), 1), len(self.waves), len(self.domains)
        key = (self.domain * n_g + self.group) * n_w + self.wave
        counts = np.bincount(key, minlength=n_d * n_g * n_w).reshape(n_d, n_g, n_w)
        return {d: {(g, w): int(counts[d, g, w]) for g in range(n_g) for w in range(n_w)} for d in range(n_d)}

    def contrasts(self) -> list[tuple[str | None, str, np.ndarray]]:
        """(group, term, L) for every reported row: intercept and wave contrasts (per group), covariates."""
        p = len(self.columns)
        idx = {c: i for i, c in enumerate(self.columns)}
        out: list[tuple[str | None, str, np.ndarray]] = []
        for gi, grp in enumerate(self.groups or [None]):
            for term in self.terms:
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

    def group_contrasts(self) -> list[tuple[str, str, np.ndarray]]:
        """(group, term, L) of the differences between each group and the reference group.

        ``intercept``: at the first wave (or time 0); a later wave (or ``time``): in the change
        since the first wave (or in the slope), the group × wave (× time) interaction;
        ``average``: averaged over the waves with equal weights (the group main effect).
        """
        if self.by is None:
            return []
        p = len(self.columns)
        idx = {c: i for i, c in enumerate(self.columns)}
        later = self.terms[1:]
        out: list[tuple[str, str, np.ndarray]] = []
        for grp in self.groups[1:]:
            rows = {}
            for term in self.terms:
                ell = np.zeros(p)
                ell[idx[_inter(term, self.by, grp)]] = 1.0
                rows[term] = ell
                out.append((grp, term, ell))
            if self.time == "wave":
                avg = rows["intercept"] + sum(rows[t] for t in later) / len(self.waves)
                out.append((grp, "average", avg))
        return out

    def omnibus_tests(self, xtx: np.ndarray) -> list[tuple[str | None, str, np.ndarray]]:
        """(group, term, L) for the F tests of wave, with the L lmerTest's ``anova()`` uses.

        Wave only: the type-1 (Doolittle) rows of ``X'X``, which ``anova(type = 3)`` falls back to
        for a one-term model; with covariates: the wave coefficients; with ``by``: type III, i.e.
        the wave effect averaged over groups, the group main effect (averaged over waves, or at
        time 0 with a numeric time), the ``wave:by`` interaction and, per group, the wave contrasts
        within that group.
        """
        p = len(self.columns)
        name = "wave" if self.time == "wave" else self.time
        wave_cols = list(range(1, len(self.terms)))
        out: list[tuple[str | None, str, np.ndarray]] = []
        if self.by is None and not self.covariate_columns:
            try:
                r = np.linalg.cholesky(xtx).T
            except np.linalg.LinAlgError:  # a domain that cannot be fitted: rows only count df1
                r = np.eye(p)
            out.append((None, name, (r / np.diag(r)[:, None])[wave_cols]))
            return out
        if self.by is None:
            out.append((None, name, np.eye(p)[wave_cols]))
            return out
        idx = {c: i for i, c in enumerate(self.columns)}
        avg = np.eye(p)[wave_cols]
        for k, wave in enumerate(self.terms[1:]):
            for grp in self.groups[1:]:
                avg[k, idx[_inter(wave, self.by, grp)]] = 1.0 / len(self.groups)
        out.append((None, name, avg))
        # the group main effect: averaged over the waves, or (numeric time) at time 0, as lmerTest's type III
        main_term = "average" if self.time == "wave" else "intercept"
        main = np.vstack([ell for _, t, ell in self.group_contrasts() if t == main_term])
        out.append((None, self.by, main))
        inter = [i for i, c in enumerate(self.columns) if ":" in c and c.split(":")[0] in self.terms]
        out.append((None, f"{name}:{self.by}", np.eye(p)[inter]))
        cons = [c for c in self.contrasts() if c[1] in self.terms[1:]]
        for grp in self.groups:
            out.append((grp, name, np.vstack([ell for g, _, ell in cons if g == grp])))
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
    extra = [c for c in data.columns if c not in _CANONICAL]
    out = canonical(data)
    for col in extra:  # keep the user's extra columns (time-varying covariates, a time column)
        out[col] = data[col].to_numpy()
    return out


def _family_table(families: pd.DataFrame | None, names: list[str], func: str) -> pd.DataFrame:
    if families is None:
        raise ParameterError(
            f"The 'families' parameter of {func} is required when 'covariates' or 'by' name "
            f"family-level columns ({names}). Got None instead; pass ik.read_families(...), or add "
            "the column to the long frame for a covariate that varies over the waves."
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


def _months(obs: pd.DataFrame, data: pd.DataFrame, first_wave: str) -> np.ndarray:
    """Months since each family's assessment at the first wave (NaN where a date is missing)."""
    dates = data.loc[data["wave"] == first_wave, ["family_id", "assessed_on"]].dropna()
    start = dates.groupby("family_id", observed=True)["assessed_on"].min()
    origin = start.reindex(obs["family_id"].to_numpy()).to_numpy()
    days = (obs["assessed_on"].to_numpy() - origin) / np.timedelta64(1, "D")
    return np.asarray(days, dtype=float) / MONTH_DAYS


def build_design(
    data: pd.DataFrame,
    *,
    covariates: list[str] | str | None,
    by: str | None,
    families: pd.DataFrame | None,
    func: str,
    time: str = "wave",
    reference_group: str | None = None,
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
    if reference_group is not None and by is None:
        raise ParameterError(f"The 'reference_group' parameter of {func} needs 'by'. Got by=None.")
    if not isinstance(time, str) or (time not in ("wave", "months") and time not in data.columns):
        raise ParameterError(
            f"The 'time' parameter of {func} must be 'wave', 'months' (since the family's first-wave "
            f"assessment, from assessed_on) or a numeric column of the long frame. Got {time!r} instead."
        )
    varying = [c for c in covariates if c in data.columns and c not in _CANONICAL]
    fixed = [c for c in covariates if c not in varying]
    cols = ["family_id", "wave", "domain", "score", "assessed_on", *varying]
    if time not in ("wave", "months"):
        cols.append(time)
    obs = data.loc[data["score"].notna(), list(dict.fromkeys(cols))]
    obs.attrs = {}  # our copy: stop pandas deep-copying the instrument on every column access
    notes: list[str] = []
    n_missing = int(data["score"].isna().sum())
    if n_missing:
        notes.append(f"{n_missing} missing score(s) left out; all observed rows used (valid under MAR).")
    if obs.empty:
        raise DesignError.of("no_scores", func=func)
    wave_codes = obs["wave"].cat.codes.to_numpy()
    all_waves = list(obs["wave"].cat.categories)
    present = sorted(set(wave_codes.tolist()))
    waves = [all_waves[i] for i in present]
    if len(waves) < 2:
        raise DesignError.of("one_wave", func=func, waves=waves)
    wave_pos = np.full(len(all_waves), -1)
    wave_pos[present] = np.arange(len(present))
    wpos = wave_pos[wave_codes]

    keep = np.ones(len(obs), dtype=bool)
    t_all = None
    if time != "wave":
        t_all = _months(obs, data, waves[0]) if time == "months" else _numeric(obs[time], time, func)
        bad = ~np.isfinite(t_all)
        if bad.any():
            what = "an assessment date (or no first-wave date)" if time == "months" else f"a {time!r} value"
            notes.append(f"{int(bad.sum())} observed score(s) without {what} left out.")
        keep &= ~bad

    groups: list[str] = []
    extra: list[np.ndarray] = []
    covs: list[Covariate] = []
    group_code = None
    rows = None
    if fixed or by is not None:
        fam = _family_table(families, fixed + ([by] if by else []), func)
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
            if reference_group is not None:
                if str(reference_group) not in groups:
                    raise ParameterError(
                        f"The 'reference_group' parameter of {func} must be one of {groups}. "
                        f"Got {reference_group!r} instead."
                    )
                groups.remove(str(reference_group))
                groups.insert(0, str(reference_group))
            group_code = pd.Categorical(gvals, categories=groups).codes
    if varying:
        na_v = obs[varying].isna().any(axis=1).to_numpy() & keep
        if na_v.any():
            notes.append(
                f"{int(na_v.sum())} observed score(s) with a missing time-varying covariate left out."
            )
        keep &= ~na_v
    for c in covariates:
        col = obs[c] if c in varying else rows[c]  # type: ignore[index]  # rows exists when fixed
        if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
            extra.append(col.astype("float64").to_numpy(na_value=np.nan))
            covs.append(Covariate(c, "numeric", [c], varying=c in varying))
        else:
            vals = col.astype("string")
            levels = sorted(vals[keep].unique().tolist())
            names = []
            for lev in levels[1:]:
                extra.append((vals == lev).fillna(False).to_numpy(dtype=float))
                names.append(f"{c}={lev}")
            covs.append(Covariate(c, "factor", names, levels, varying=c in varying))
    if not keep.any():
        raise DesignError(f"{func}: no observed score left after matching the families table and time.")

    n = int(keep.sum())
    w_k = wpos[keep]
    blocks = [np.ones(n)]
    if time == "wave":
        main = list(waves[1:])
        blocks += [(w_k == k).astype(float) for k in range(1, len(waves))]
    else:
        main = [time]
        blocks.append(t_all[keep])  # type: ignore[index]  # set with time != "wave"
    columns = ["intercept", *main]
    if by is not None and group_code is not None:
        g_k = group_code[keep]
        for gi, grp in enumerate(groups[1:], start=1):
            blocks.append((g_k == gi).astype(float))
            columns.append(f"{by}={grp}")
        for k, term in enumerate(main, start=1):
            for gi, grp in enumerate(groups[1:], start=1):
                blocks.append(blocks[k] * (g_k == gi))
                columns.append(f"{term}:{by}={grp}")
    blocks += [e[keep] for e in extra]
    columns += [c for cov in covs for c in cov.columns]
    x = np.column_stack(blocks)
    fam_codes, fam_ids = pd.factorize(obs["family_id"].to_numpy()[keep])
    if varying:
        notes.append(f"Time-varying covariate(s) taken per assessment from the long frame: {varying}.")
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
        covariate_columns=[c for cov in covs for c in cov.columns],
        instrument=inst,
        notes=notes,
        wave=w_k.astype(np.int64),
        group=(group_code[keep] if group_code is not None else np.zeros(n, dtype=np.int64)).astype(np.int64),
        time=time,
        t=None if t_all is None else t_all[keep],
        covariates=covs,
    )


def _numeric(col: pd.Series, name: str, func: str) -> np.ndarray:
    if not pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col):
        raise ParameterError(
            f"The 'time' parameter of {func} names column {name!r}, which must be numeric. "
            f"Got dtype {col.dtype} instead."
        )
    return col.astype("float64").to_numpy(na_value=np.nan)


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
    """The shared tail of the models: build the coefficient and omnibus tables, refuse when no
    domain could be fitted, adjust across domains, and name the grouping column and reference."""
    table, omnibus = pd.DataFrame(rows), pd.DataFrame(omni)
    if (table["status"] == "too_few").all():
        raise DesignError(f"{func}: no domain can be fitted ({needs}).")
    tests = design.terms[1:] if design.time == "wave" else [design.time]
    table, omnibus = adjust_across_domains(table, omnibus, tests, adjust, adjust_over)
    pos = list(table.columns).index("term") + 1
    table.insert(pos, "reference", [design.reference_of(t) for t in table["term"]])
    if design.by is None:
        return table.drop(columns="group"), omnibus.drop(columns="group")
    table.insert(1, "by", design.by)
    table.insert(3, "reference_group", design.reference_group)
    omnibus.insert(1, "by", design.by)
    return table, omnibus


def wald_group_rows(
    design: Design,
    domain: str,
    par: Any,
    vcov: Any,
    *,
    offset: Any,
    crit: float,
    common: dict[str, object],
) -> list[dict[str, object]]:
    """Group contrasts (each group minus the reference) with Wald z, for GEE, clm and clmm.

    ``offset``: the number of leading parameters before the fixed effects (the thresholds of an
    ordinal model, whose intercept they absorb; the contrasts never involve the intercept).
    Trailing parameters of ``par`` (clmm's log SD) get weight zero."""
    out: list[dict[str, object]] = []
    cols = len(design.columns)
    par, vcov, offset = np.asarray(par, dtype=float), np.asarray(vcov, dtype=float), int(offset)
    for grp, term, ell in design.group_contrasts():
        big = np.zeros(len(par))
        if offset:
            big[offset : offset + cols - 1] = ell[1:]
        else:
            big[:cols] = ell
        on = big != 0  # a singular clmm has no SE of its log SD: leave that row and column out
        var = float(big[on] @ vcov[np.ix_(on, on)] @ big[on])
        est = float(big[on] @ par[on])
        se = float(np.sqrt(var)) if var >= 0 else np.nan
        z = est / se if se > 0 else np.nan
        out.append({"domain": domain, "group": grp, "term": term, "estimate": est, "se": se, "z": z,
                    "p_value": 2 * stats.norm.sf(abs(z)), "ci_low": est - crit * se,
                    "ci_high": est + crit * se} | common)  # fmt: skip
    return out


def finish_group_table(
    rows: list[dict[str, object]], design: Design, adjust: str, adjust_over: str
) -> pd.DataFrame:
    """The group-contrast table: p_adjusted, the grouping column, reference group and reference."""
    groups = pd.DataFrame(rows)
    if not len(groups):
        return groups
    groups = adjust_table(groups, np.ones(len(groups), dtype=bool), adjust, adjust_over)
    groups.insert(1, "by", design.by)
    groups.insert(3, "reference_group", design.reference_group)
    groups.insert(
        5, "reference", [design.reference_of(t) if t != "average" else None for t in groups["term"]]
    )
    groups["domain"] = pd.Categorical(groups["domain"], categories=design.domains)
    return groups


def adjust_note(adjust: str, adjust_over: str) -> str:
    """How p_adjusted was made, for the notes."""
    family = (
        "across domains, one family per wave contrast (and group)"
        if adjust_over == "domains"
        else "over every wave contrast of every domain (and group) together"
    )
    return f"{ADJUST_NAMES[adjust]} {family}"


def adjust_table(frame: pd.DataFrame, is_test: np.ndarray, adjust: str, adjust_over: str) -> pd.DataFrame:
    """Insert ``p_adjusted`` and ``adjust_method`` after ``p_value``: the rows in ``is_test``,
    one family per (term, group) across domains (``"domains"``) or all together (``"all"``)."""
    frame = frame.copy()
    adj = np.full(len(frame), np.nan)
    key = (
        frame["term"].map(str) + "|" + frame["group"].map(str)  # map(str): None -> "None", never NaN
        if "group" in frame
        else frame["term"]
    ).to_numpy(dtype=object)
    if adjust_over == "all":
        key = np.full(len(frame), "all", dtype=object)
    p_value = frame["p_value"].to_numpy(dtype=float)
    for k in pd.unique(key[is_test]):
        idx = is_test & (key == k)
        adj[idx] = adjust_pvalues(p_value[idx], adjust)
    loc = frame.columns.get_loc("p_value")
    if not isinstance(loc, int):  # a slice or mask means a duplicated column: a bug upstream
        raise ImpactkitError(f"adjust_table: the table has more than one 'p_value' column ({loc!r}).")
    frame.insert(loc + 1, "p_adjusted", adj)
    frame.insert(loc + 2, "adjust_method", adjust)
    return frame


def adjust_across_domains(
    table: pd.DataFrame, omnibus: pd.DataFrame, waves: list[str], adjust: str, adjust_over: str = "domains"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Add ``p_adjusted`` and ``adjust_method`` (after ``p_value``).

    ``adjust_over="domains"``: one family of tests per (group, wave contrast) in ``table`` and per
    (group, term) in ``omnibus``; ``"all"``: one family per table.  Intercepts, thresholds and
    covariates are not adjusted (NaN).  ``waves`` lists the terms that are tests (the later waves,
    or the time slope).
    """
    return (
        adjust_table(table, table["term"].isin(waves).to_numpy(), adjust, adjust_over),
        adjust_table(omnibus, np.ones(len(omnibus), dtype=bool), adjust, adjust_over),
    )
