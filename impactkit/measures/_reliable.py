"""Reliable and clinically significant change (Jacobson & Truax 1991) and Cronbach's alpha.

Per family and domain::

    RCI = (x2 - x1) / S_diff,   S_diff = sqrt(2) * SE,   SE = SD_1 * sqrt(1 - r)

where SD_1 is the SD of the baseline scores and r the reliability.  A change is reliable when
``|RCI| > critical`` (1.96, a two-sided 5% level).  Cut-offs for "recovered" (Jacobson & Truax
1991, p. 13), with M_1/SD_1 of the dysfunctional population (``dysfunctional_norms``, by default the
baseline sample) and M_0/SD_0 of a functional population (``functional_norms``), written for a
scale where higher is better:

* ``a``: M_1 + 2 SD_1 (beyond the range of the dysfunctional population);
* ``b``: M_0 - 2 SD_0 (within the range of the functional population; needs ``functional_norms``);
* ``c``: (SD_0 M_1 + SD_1 M_0) / (SD_0 + SD_1) (closer to the functional mean; needs both);
* ``"sufficient"``: the instrument's sufficient level (the default when it has one).

Signs flip for a scale where lower is better.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from impactkit._canonical import instrument_of
from impactkit._result import ResultFrame
from impactkit.errors import DesignError, ImpactkitError, ParameterError, option
from impactkit.i18n._note import Note
from impactkit.instruments import Instrument
from impactkit.measures._change import _domain_index
from impactkit.measures._cube import cube, group_codes, resolve_wave
from impactkit.measures._results import ReliableChangeResult

__all__ = ["CATEGORIES", "FAMILY_CATEGORIES", "cronbach_alpha", "reliable_change", "reliable_change_shares"]

CATEGORIES = ["recovered", "improved", "unchanged", "deteriorated"]
FAMILY_CATEGORIES = ["recovered", "improved", "unchanged", "mixed", "deteriorated"]
_CUTOFFS = ("a", "b", "c", "sufficient")


def _per_domain(value: object, domains: list[str], name: str, func: str) -> dict[str, object]:
    if value is None:
        return dict.fromkeys(domains)
    if isinstance(value, Mapping):
        bad = [k for k in value if k not in domains]
        if bad:
            raise ParameterError(
                f"The {name!r} parameter of {func} has unknown domains {bad}; expected keys among {domains}."
            )
        return {d: value.get(d) for d in domains}
    return dict.fromkeys(domains, value)


def reliable_change(
    data: pd.DataFrame,
    *,
    baseline: str | None = None,
    followup: str | None = None,
    reliability: float | Mapping[str, float] | pd.DataFrame | None = None,
    icc_form: str = "ICC2",
    cutoff: str | float | Mapping[str, float] | None = None,
    functional_norms: tuple[float, float] | Mapping[str, tuple[float, float]] | None = None,
    dysfunctional_norms: tuple[float, float] | Mapping[str, tuple[float, float]] | None = None,
    norms: tuple[float, float] | Mapping[str, tuple[float, float]] | None = None,
    sd: float | Mapping[str, float] | None = None,
    critical: float = 1.96,
    level: str = "domain",
    items: pd.DataFrame | None = None,
    by: str | pd.Series | Mapping[str, object] | None = None,
    families: pd.DataFrame | None = None,
    domains: list[str] | None = None,
    instrument: Instrument | None = None,
) -> ReliableChangeResult:
    """Jacobson-Truax reliable change per family × domain, or an overall class per family.

    Parameters
    ----------
    data : DataFrame
        Canonical long assessment frame.
    baseline, followup : str or None
        Wave ids (default: the instrument's first and last wave).
    reliability : float, mapping or table, optional
        Reliability r per domain: a float for all, a mapping domain → r, or a result table of
        :func:`icc` (the row ``type == icc_form`` per domain) or :func:`cronbach_alpha`.
        Default: Cronbach's alpha of the baseline items where ``items`` are given and the domain
        has two or more items, else the instrument's reliability (flagged when the instrument
        marks it as a placeholder).
    icc_form : str, default "ICC2"
        With an :func:`icc` table: which of the six Shrout-Fleiss forms is the reliability of one
        measurement.  ``"ICC2"`` (two-way random, absolute agreement, single measure) is the
        usual test-retest reliability (Weir 2005; Koo & Li 2016).
    cutoff : {"a", "b", "c", "sufficient"}, float or mapping, optional
        The threshold for "recovered" (see the module notes). Default: ``"sufficient"`` when the
        instrument defines a sufficient level, else ``"a"``.
    functional_norms : (mean, sd) or mapping of domain → (mean, sd), optional
        The functional (normative) population, needed for cut-offs ``b`` and ``c``.
    dysfunctional_norms : (mean, sd) or mapping of domain → (mean, sd), optional
        The dysfunctional population for cut-offs ``a`` and ``c``; default: the mean and SD of
        the observed baseline scores (Jacobson & Truax use the pre-treatment sample).
    norms : (mean, sd) or mapping, optional
        The same as ``functional_norms`` (kept for earlier code).
    sd : float or mapping, optional
        SD_1 for the standard error; default the SD (n - 1) of all observed baseline scores of
        the domain.
    critical : float
        |RCI| above which a change is reliable (1.96).
    level : {"domain", "family"}
        ``"domain"``: one row per family × domain; ``"family"``: one row per family.
    items : DataFrame, optional
        Item answers (``family_id, wave, item, answer``) for Cronbach's alpha.
    by, families
        Adds the subgroup of each family as the first column (see :func:`change`).
    domains : list of str, optional
        Domains to classify (default: all).
    instrument : Instrument, optional
        Defaults to ``data.attrs["instrument"]``.

    Returns
    -------
    ReliableChangeResult
        ``level="domain"``: ``family_id, domain, baseline, followup, baseline_score,
        followup_score, rci, category`` (``baseline``/``followup``: the waves compared) with category ``recovered`` (reliable improvement that crosses the cut-off:
        baseline on the dysfunctional side, followup at or beyond it), ``improved`` (reliable
        improvement, not recovered), ``unchanged`` or ``deteriorated`` (reliable worsening).
        ``level="family"``: ``family_id, baseline, followup, n_domains, n_recovered, n_improved, n_unchanged,
        n_deteriorated, category``, the overall class: ``deteriorated`` when some domain
        reliably worsened and none improved, ``mixed`` when both happened, ``recovered`` when
        no domain worsened and at least one recovered, ``improved`` when none worsened and at
        least one improved, else ``unchanged``. ``meta["parameters"]`` holds per domain ``n, sd,
        reliability, reliability_source`` ("argument", "icc", "cronbach_alpha", "instrument"),
        ``reliability_placeholder`` (the instrument marks it as an assumed placeholder),
        ``se_diff, threshold`` (the smallest change that counts as reliable, critical × S_diff,
        in score points), ``cutoff, cutoff_rule``.

    Notes
    -----
    Missing data: a family × domain is classified only when both waves are observed (complete
    pairs); families with no complete domain are left out of ``level="family"``. Implicit and
    explicit missing give the same result; nothing is imputed.

    Raises
    ------
    DesignError
        A domain without reliability, fewer than two baseline scores, zero SD, or no
        complete pair at all.

    Examples
    --------
    >>> import impactkit as ik
    >>> from impactkit._sample import make_sample
    >>> wide = make_sample()["assessments"]
    >>> data = ik.canonical(wide.melt(["family_id", "wave", "assessed_on"], var_name="domain", value_name="score"))
    >>> per_family = reliable_change(data, level="family")
    >>> per_family["category"].value_counts().to_dict()
    {'recovered': 120, 'unchanged': 60, 'improved': 58, 'deteriorated': 10, 'mixed': 7}
    """
    func = "reliable_change"
    if level not in ("domain", "family"):
        raise ParameterError(
            f"The 'level' parameter of {func} must be one of 'domain', 'family'. Got {level!r} instead."
        )
    c = cube(data, func, instrument)
    inst = c.instrument
    b = resolve_wave(c, baseline, "baseline", func, default=0)
    f = resolve_wave(c, followup, "followup", func, default=-1)
    if b == f:
        raise ParameterError(f"The 'baseline' and 'followup' parameters of {func} must differ.")
    dom_idx = _domain_index(c.domains, domains, func)
    doms = [c.domains[d] for d in dom_idx]
    rel, rel_src = _reliabilities(reliability, items, inst, doms, c.waves[b], func, icc_form)
    sds = _per_domain(sd, doms, "sd", func)
    if norms is not None and functional_norms is not None:
        raise ParameterError(f"Pass 'functional_norms' or its old name 'norms' to {func}, not both.")
    norm = _per_domain(
        functional_norms if functional_norms is not None else norms, doms, "functional_norms", func
    )
    dys = _per_domain(dysfunctional_norms, doms, "dysfunctional_norms", func)
    if cutoff is None:
        cutoff = "sufficient" if inst.sufficient is not None else "a"
    cuts = _per_domain(cutoff, doms, "cutoff", func)
    name, codes, labels = group_codes(c, by, data, families, func)

    params = []
    fam_idx: list[np.ndarray] = []
    dom_col: list[np.ndarray] = []
    x1s: list[np.ndarray] = []
    x2s: list[np.ndarray] = []
    rcis: list[np.ndarray] = []
    cats: list[np.ndarray] = []
    for d, dom in zip(dom_idx, doms, strict=True):
        sign = float(inst.direction(dom))  # +1, or -1 where a lower score is better
        x, y = c.values[:, d, b], c.values[:, d, f]
        base = x[~np.isnan(x)]
        given_sd = sds[dom]
        if given_sd is not None:
            sd1 = _as_float(given_sd, "sd", dom, func)
        else:
            sd1 = float(base.std(ddof=1)) if base.size > 1 else np.nan
        if not np.isfinite(sd1) or sd1 <= 0:
            others = [x for x in c.domains if x != dom]
            leave = f" or leave the domain out with {option('domains', others)}" if others else ""
            raise DesignError(
                f"{func}: domain {dom!r} has {base.size} baseline score(s) with SD {sd1:g}; the RCI needs a "
                f"positive SD. Pass sd={{...}} from a norm group{leave}."
            )
        r = rel[dom]
        se_diff = sd1 * np.sqrt(2) * np.sqrt(1 - r)
        cut = _cutoff(cuts[dom], norm[dom], dys[dom], base, sign, inst, dom, func)
        ok = ~np.isnan(x) & ~np.isnan(y)
        xi, yi = x[ok], y[ok]
        rci = (yi - xi) / se_diff
        gain = sign * rci
        reliable_up, reliable_down = gain > critical, gain < -critical
        crossed = (sign * (xi - cut) < 0) & (sign * (yi - cut) >= 0)
        cat = np.where(reliable_up & crossed, 0, np.where(reliable_up, 1, np.where(reliable_down, 3, 2)))
        fam_idx.append(np.flatnonzero(ok))
        dom_col.append(np.full(ok.sum(), len(dom_col)))
        x1s.append(xi)
        x2s.append(yi)
        rcis.append(rci)
        cats.append(cat)
        params.append({"domain": dom, "n": int(ok.sum()), "sd": sd1, "reliability": r,
                       "reliability_source": rel_src[dom],
                       "reliability_placeholder": rel_src[dom] == "instrument" and inst.reliability_is_placeholder(dom),
                       "se_diff": se_diff, "threshold": critical * se_diff, "cutoff": cut,
                       "cutoff_rule": str(cuts[dom])})  # fmt: skip
    fam = np.concatenate(fam_idx)
    if fam.size == 0:
        raise DesignError.of("no_pairs", func=func, baseline=repr(c.waves[b]), followup=repr(c.waves[f]))
    cat = np.concatenate(cats)
    table = pd.DataFrame(
        {
            "family_id": c.families.to_numpy()[fam],
            "domain": pd.Categorical.from_codes(np.concatenate(dom_col), categories=pd.Index(doms)),
            "baseline_score": np.concatenate(x1s),
            "followup_score": np.concatenate(x2s),
            "rci": np.concatenate(rcis),
            "category": pd.Categorical.from_codes(cat, categories=pd.Index(CATEGORIES), ordered=True),
        }
    )
    if level == "family":
        table = _overall(table)
        fam = pd.Index(c.families).get_indexer(table["family_id"])
    # the waves compared, named in the table itself (not only in the notes)
    at = list(table.columns).index("domain" if level == "domain" else "family_id") + 1
    table.insert(at, "baseline", c.waves[b])
    table.insert(at + 1, "followup", c.waves[f])
    if name is not None:
        # code -1 (family without a group) picks the trailing None
        table.insert(0, name, np.asarray([*labels, None], dtype=object)[codes[fam]])
    notes = [
        f"Jacobson-Truax RCI ({c.waves[b]} → {c.waves[f]}); reliable when |RCI| > {critical:g}.",
        "Complete pairs per domain; nothing imputed.",
        f"Reliability from {_rel_source(rel_src, inst)}; SD_1 "
        + ("given." if sd is not None else "of all observed baseline scores per domain."),
        f"Cut-off for recovered: {cutoff!s}.",
    ]
    placeholder = [p["domain"] for p in params if p["reliability_placeholder"]]
    if placeholder:
        notes.append(
            f"The reliability of {len(placeholder)} domain(s) is a placeholder from instrument {inst.id!r} "
            f"({inst.reliability_source or 'an assumption'}), not an estimate: the reliable-change threshold "
            "rests on that assumption. Give item answers (Cronbach's alpha), an ICC or reliability=..."
        )
    if level == "family":
        notes.append(
            "Family class: deteriorated if some domain reliably worsened and none improved; mixed if both; "
            "recovered if none worsened and one or more recovered; improved if none worsened and one or "
            "more improved; else unchanged."
        )
    meta = {"level": level, "baseline": c.waves[b], "followup": c.waves[f], "instrument": inst,
            "parameters": pd.DataFrame(params), "critical": critical, "by": name, "notes": notes}  # fmt: skip
    return ReliableChangeResult(table, meta=meta)


def _overall(table: pd.DataFrame) -> pd.DataFrame:
    """One row per family: counts per category and the overall class (documented above)."""
    codes = table["category"].cat.codes.to_numpy()
    fam_codes, fams = pd.factorize(table["family_id"], sort=True)
    counts = np.zeros((len(fams), len(CATEGORIES)), dtype=np.int64)
    np.add.at(counts, (fam_codes, codes), 1)
    rec, imp, _unch, det = counts.T
    up = rec + imp
    cls = np.select(
        [(det > 0) & (up == 0), (det > 0) & (up > 0), rec > 0, imp > 0],
        ["deteriorated", "mixed", "recovered", "improved"],
        default="unchanged",
    )
    return pd.DataFrame(
        {
            "family_id": np.asarray(fams),
            "n_domains": counts.sum(axis=1),
            "n_recovered": rec,
            "n_improved": imp,
            "n_unchanged": counts[:, 2],
            "n_deteriorated": det,
            "category": pd.Categorical(cls, categories=FAMILY_CATEGORIES, ordered=True),
        }
    )


def _rel_source(sources: dict[str, str], inst: Instrument) -> str:
    names = {"argument": "the 'reliability' argument", "icc": "the ICC table given",
             "cronbach_alpha": "Cronbach's alpha of the baseline items",
             "instrument": f"the instrument ({inst.reliability_source or inst.id})"}  # fmt: skip
    used = list(dict.fromkeys(sources.values()))
    if len(used) == 1:
        return names[used[0]]
    return "; ".join(f"{names[u]} for {[d for d, s in sources.items() if s == u]}" for u in used)


def _from_table(
    table: pd.DataFrame, doms: list[str], icc_form: str, func: str
) -> tuple[dict[str, object], str]:
    """Reliabilities per domain from an :func:`icc` or :func:`cronbach_alpha` result table."""
    if "domain" in table.columns and "alpha" in table.columns:
        vals = dict(zip(table["domain"].astype(str), table["alpha"], strict=True))
        return {d: vals.get(d) for d in doms}, "cronbach_alpha"
    if {"type", "icc"} <= set(table.columns):
        forms = sorted(set(table["type"]))
        if icc_form not in forms:
            raise ParameterError(
                f"The 'icc_form' parameter of {func} must be one of {forms}. Got {icc_form!r} instead."
            )
        sub = table[table["type"] == icc_form]
        if "domain" in sub.columns:
            vals = dict(zip(sub["domain"].astype(str), sub["icc"], strict=True))
            return {d: vals.get(d) for d in doms}, "icc"
        return dict.fromkeys(doms, float(sub["icc"].iloc[0])), "icc"
    raise ParameterError(
        f"The 'reliability' parameter of {func} got a table without the columns of icc() (type, icc) or "
        f"cronbach_alpha() (domain, alpha). Got columns {list(table.columns)} instead."
    )


def _reliabilities(
    reliability: object,
    items: pd.DataFrame | None,
    inst: Instrument,
    doms: list[str],
    wave: str,
    func: str,
    icc_form: str = "ICC2",
) -> tuple[dict[str, float], dict[str, str]]:
    """Reliability and its source per domain: the argument (value, ICC or alpha table), else
    Cronbach's alpha where item data exist, else the instrument."""
    if isinstance(reliability, pd.DataFrame):
        given, given_source = _from_table(reliability, doms, icc_form, func)
    else:
        given, given_source = _per_domain(reliability, doms, "reliability", func), "argument"
    alpha: dict[str, float] = {}
    if items is not None:
        tab = cronbach_alpha(items, wave=wave, instrument=inst)
        alpha = {d: a for d, a in zip(tab["domain"], tab["alpha"], strict=True) if np.isfinite(a)}
    out: dict[str, float] = {}
    sources: dict[str, str] = {}
    for dom in doms:
        if given[dom] is not None:
            r, src = _as_float(given[dom], "reliability", dom, func), given_source
        elif dom in alpha:
            r, src = float(alpha[dom]), "cronbach_alpha"
        elif inst.reliability(dom) is not None:
            r, src = float(inst.reliability(dom)), "instrument"  # type: ignore[arg-type]
        else:
            raise DesignError(
                f"{func}: no reliability for domain {dom!r}. Pass reliability=0.8 (or a mapping per domain, or "
                "an icc() table), set it in the instrument, or give item answers with items=... for Cronbach's alpha."
            )
        if not np.isfinite(r) or not 0 < r < 1:
            raise ParameterError(
                f"The 'reliability' parameter of {func} must lie strictly between 0 and 1. "
                f"Got {r!r} for {dom!r} (from {src})."
            )
        out[dom], sources[dom] = r, src
    return out, sources


def _as_float(value: object, name: str, dom: str, func: str) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError) as err:
        raise ParameterError(
            f"The {name!r} parameter of {func} must be a number (or a mapping of numbers per domain). "
            f"Got {value!r} for {dom!r} instead."
        ) from err


def _norm_pair(norm: object, name: str, dom: str, func: str) -> tuple[float, float]:
    try:
        m0, s0 = (float(v) for v in norm)  # type: ignore[attr-defined]  # norm is (mean, sd)
    except (TypeError, ValueError) as err:
        raise ParameterError(
            f"The {name!r} parameter of {func} must be (mean, sd) per domain. Got {norm!r} for {dom!r}."
        ) from err
    if not s0 > 0:
        raise ParameterError(
            f"The {name!r} parameter of {func} needs a positive SD. Got {norm!r} for {dom!r}."
        )
    return m0, s0


def _cutoff(
    rule: object,
    norm: object,
    dys: object,
    base: np.ndarray,
    sign: float,
    inst: Instrument,
    dom: str,
    func: str,
) -> float:
    if isinstance(rule, int | float) and not isinstance(rule, bool):
        return float(rule)
    if rule not in _CUTOFFS:
        raise ParameterError(
            f"The 'cutoff' parameter of {func} must be one of {list(_CUTOFFS)}, a number or a mapping. "
            f"Got {rule!r} instead."
        )
    if rule == "sufficient":
        threshold = inst.sufficient_for(dom)
        if threshold is None:
            raise ParameterError(
                f"The 'cutoff' parameter of {func} is 'sufficient' but instrument {inst.id!r} defines no "
                "sufficient level. Use 'a', or 'b'/'c' with functional_norms=(mean, sd)."
            )
        return float(threshold)
    if dys is not None:
        m1, s1 = _norm_pair(dys, "dysfunctional_norms", dom, func)
    else:
        m1, s1 = float(base.mean()), float(base.std(ddof=1))
    if rule == "a":
        return m1 + sign * 2 * s1
    if norm is None:
        raise ParameterError(
            f"The 'functional_norms' parameter of {func} is needed for cut-off {rule!r} (domain {dom!r}): "
            "pass functional_norms=(mean, sd) of a functional population, or a mapping per domain."
        )
    m0, s0 = _norm_pair(norm, "functional_norms", dom, func)
    if rule == "b":
        return m0 - sign * 2 * s0
    return (s0 * m1 + s1 * m0) / (s0 + s1)


def cronbach_alpha(
    items: pd.DataFrame,
    *,
    wave: str | None = None,
    instrument: Instrument | None = None,
) -> ResultFrame:
    """Cronbach's alpha per domain from item answers at one wave.

    Parameters
    ----------
    items : DataFrame
        Long item answers with columns ``family_id, wave, item, answer``; items are mapped to
        domains (and reversed where marked) by the instrument.
    wave : str, optional
        The wave to use (default: the instrument's first wave).
    instrument : Instrument, optional
        Defaults to ``items.attrs["instrument"]``; it must define items.

    Returns
    -------
    ResultFrame
        One row per domain with items: ``domain, n_items, n, alpha`` with
        alpha = k/(k - 1) (1 - sum of item variances / variance of the sum score).

    Notes
    -----
    Missing data: listwise deletion per domain (only families that answered every item of the
    domain at that wave count); nothing is imputed. On complete data this is R's
    ``psych::alpha(x)$total$raw_alpha``. Reverse items are scored ``min + max - answer`` first.
    Domains with fewer than two items or two complete families get NaN.
    """
    func = "cronbach_alpha"
    inst = instrument_of(items, instrument)
    if not inst.items:
        raise DesignError(
            f"{func}: instrument {inst.id!r} defines no items; alpha needs item-to-domain scoring."
        )
    need = ["family_id", "wave", "item", "answer"]
    missing = [col for col in need if col not in items.columns]
    if missing:
        raise ParameterError(f"The 'items' parameter of {func} must have columns {need}; missing {missing}.")
    wave = wave if wave is not None else inst.wave_ids[0]
    w = items["wave"].astype(str).map(lambda v: inst.match_wave(v) or v)
    sub = items.loc[w == wave]
    wide = sub.pivot_table(index="family_id", columns="item", values="answer", aggfunc="first")
    lo, hi = inst.scale.min, inst.scale.max
    rows = []
    for dom in inst.domain_ids:
        its = [it for it in inst.items if it.domain == dom]
        if not its:
            continue
        cols = [it.id for it in its if it.id in wide.columns]
        mat = np.array(wide.reindex(columns=[it.id for it in its]), dtype=float)
        rev = np.array([it.reverse for it in its])
        mat[:, rev] = lo + hi - mat[:, rev]
        mat = mat[~np.isnan(mat).any(axis=1)]
        k, n = mat.shape[1], mat.shape[0]
        if k < 2 or n < 2 or len(cols) < k:
            alpha = np.nan
        else:
            total_var = mat.sum(axis=1).var(ddof=1)
            alpha = k / (k - 1) * (1 - mat.var(axis=0, ddof=1).sum() / total_var) if total_var > 0 else np.nan
        rows.append({"domain": dom, "n_items": k, "n": n, "alpha": alpha})
    notes = [f"Wave {wave}; listwise complete families per domain; reverse items scored min + max - answer."]
    return ResultFrame(pd.DataFrame(rows), meta={"wave": wave, "notes": notes})


def reliable_change_shares(table: pd.DataFrame) -> ResultFrame:
    """Counts and shares of the reliable-change categories per domain (or overall per family).

    Parameters
    ----------
    table : ReliableChangeResult
        From :func:`reliable_change` with ``level="domain"`` or ``level="family"``.

    Returns
    -------
    ResultFrame
        One row per domain × category (``domain`` is ``"overall"`` for a per-family table) with
        ``domain, category, n, share`` (share of the classified families of that domain; every
        category listed, zero counts included).

    Notes
    -----
    Missing data: only classified families (complete pairs) count; see :func:`reliable_change`.
    """
    cats = list(table["category"].cat.categories)
    if "domain" in table.columns and isinstance(table["domain"].dtype, pd.CategoricalDtype):
        # counted on the codes (no text copy of the columns): every domain × category, zeros included
        doms = [str(d) for d in table["domain"].cat.categories]
        d_codes = table["domain"].cat.codes.to_numpy().astype(np.int64)
        c_codes = table["category"].cat.codes.to_numpy().astype(np.int64)
        ok = (d_codes >= 0) & (c_codes >= 0)
        n = np.bincount(d_codes[ok] * len(cats) + c_codes[ok], minlength=len(doms) * len(cats))
        long = pd.DataFrame(
            {
                "domain": pd.Index(np.repeat(np.array(doms, dtype=object), len(cats)), dtype="str"),
                "category": pd.Index(
                    np.tile(np.array([str(c) for c in cats], dtype=object), len(doms)), dtype="str"
                ),
                "n": n.astype(np.int64),
            }
        )
    else:
        dom = (
            table["domain"].astype(str)
            if "domain" in table.columns
            else pd.Series("overall", index=table.index)
        )
        counts = pd.crosstab(dom, table["category"].astype(str)).reindex(columns=cats, fill_value=0)
        stacked = counts.stack()
        if not isinstance(stacked, pd.Series):  # one level of columns stacks to a Series: a bug otherwise
            raise ImpactkitError("reliable_change_shares: the category counts did not stack to one column.")
        long = stacked.rename("n").reset_index()
        long.columns = ["domain", "category", "n"]
    totals = long.groupby("domain", sort=False)["n"].transform("sum")
    long["share"] = long["n"] / totals.where(totals > 0)
    return ResultFrame(long, meta={"notes": [Note("reliable.shares")]})
