"""Who would have needed what: counterfactual likelihoods per family and path, and care used.

Per family and care path, one **basis** in this order of preference:

1. ``recorded``: judgements recorded at intake (table ``counterfactuals``: family_id, care_path,
   likelihood, judged_by), as the Dutch Effectencalculator records them.  Several judges for one
   family and path are averaged; paths a judged family has no row for count as likelihood 0.  A
   judgement is honoured for every path, declared or not: a person judged it.
2. ``rule``: intake-profile rules (scenario ``[[rules]]``): a rule matches when the family's intake
   score on its domain is at most ``max_score`` (or at least ``min_score``, where lower is better); several matching rules for one path combine by
   their maximum probability.  Missing intake scores never match.  A rule that names an
   ``instrument`` applies only to data of that instrument (scales differ).  Paths no rule matches
   count 0 (``no rule matched``).
3. ``prevalence``: the path's (or the programme's) declared prevalence, for families with neither
   judgements nor intake scores, and for every family without judgements when no rule applies to
   the data's instrument.

Rules and prevalence apply only to the paths the family's programme declares (scenario
``[programmes]``); other paths count 0 with basis ``not declared``, so a light programme is never
credited with placements nobody judged likely.

Escalations (scenario ``paths.ID.escalations``) add the escalated path on top of these likelihoods,
so a recorded likelihood of, say, a supervision order should be the *direct* one.

Care actually used during the programme (table ``care_used``) is priced and subtracted in the year
since the family's start in which it began (year 1 when dates are missing).  Care before the start
(the pre-period of :func:`impactkit.outcomes.phase_counts`) is not subtracted: of an episode that
began before the start only the share of its days from the start on counts.

Everything here is vectorised over families (numpy on integer codes): no per-family Python loop.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from impactkit.costs._engine import FamilyDetail, Model
from impactkit.costs._scenario import Scenario
from impactkit.errors import PROBLEM_COLUMNS, ImpactkitWarning, ScenarioError, ValidationError
from impactkit.instruments import Instrument

__all__ = ["BASES", "Need", "cohort_need", "data_need"]

# basis codes, in the order of preference above; RECORDED..PREVALENCE carry a likelihood
BASES = ("recorded", "rule", "prevalence", "no rule matched", "not declared")
RECORDED, RULE, PREVALENCE, NO_RULE, UNDECLARED = range(5)
MAX_UNITS = 1e6  # units of care one family used in one episode; larger is a data error
MAX_RULES_PER_PATH = 62  # a family's matching rules per path are coded as the bits of an int64


@dataclass
class Need:
    """A compiled :class:`Model` plus the per-family likelihood table behind it."""

    model: Model
    likelihoods: pd.DataFrame  # family_id, cohort, path, basis, likelihood, rule, source (+ programme)
    first_year: int | None  # calendar year of cohort 0 (None when no dates are known)


def _problems(rows: Iterable[dict[str, object]]) -> None:
    rows = list(rows)
    if rows:
        raise ValidationError(pd.DataFrame(rows, columns=PROBLEM_COLUMNS))


def _warn_unknown(family_ids: pd.Series, position: np.ndarray, table: str) -> None:
    """Warn about the ids whose ``position`` among the known families is -1."""
    if not (position < 0).any():
        return
    unknown = sorted(set(family_ids.to_numpy(dtype=object)[position < 0].astype(str)))
    if unknown:
        warnings.warn(
            f"{len(unknown)} family id(s) in {table} are not in the assessments or families table and are "
            f"ignored: {', '.join(unknown[:5])}{' ...' if len(unknown) > 5 else ''}",
            ImpactkitWarning,
            stacklevel=5,  # the caller of evaluate (via data_need and its table helper)
        )


def _require(table: pd.DataFrame, name: str, columns: list[str]) -> None:
    missing = [c for c in columns if c not in table.columns]
    _problems(
        {"file": name, "row": 1, "column": c, "value": None, "message": "required column is missing"}
        for c in missing
    )


def _str_ids(s: pd.Series) -> pd.Series:
    """Family ids as plain strings (categorical and string dtypes converted once per category)."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        cats = np.asarray(s.cat.categories.astype(str), dtype=object)
        return pd.Series(cats[s.cat.codes.to_numpy()], index=s.index).where(s.notna())
    return s.astype(str)


def _index_of(ids: pd.Index, values: pd.Series | np.ndarray) -> np.ndarray:
    """Position of each value in ``ids`` (-1 when absent), factorising first: few hash lookups."""
    codes, uniques = pd.factorize(values)
    pos = ids.get_indexer(pd.Index(np.asarray(uniques, dtype=object).astype(str)))
    return np.where(codes >= 0, pos[codes], -1)


def data_need(
    data: pd.DataFrame,
    scenario: Scenario,
    instrument: Instrument,
    *,
    families: pd.DataFrame | None,
    counterfactuals: pd.DataFrame | None,
    care_used: pd.DataFrame | None,
    programme_years: Iterable[int] = (),
) -> Need:
    """Build the model of a cohort observed in ``data`` (the canonical long assessment frame)."""
    codes, uniques = pd.factorize(data["family_id"])  # one hash pass over the long frame
    data_ids = pd.Index(np.asarray(uniques, dtype=object).astype(str), dtype=object)
    programme = None
    if families is not None:
        _require(families, "families", ["family_id"])
        fam_ids = pd.Index(_str_ids(families["family_id"]).to_numpy(dtype=object), dtype=object)
        extra = data_ids[fam_ids.get_indexer(data_ids) < 0] if len(data_ids) else data_ids
        ids = fam_ids.append(extra)
        start = pd.Series(pd.NaT, index=ids, dtype="datetime64[ns]")
        if "start_date" in families.columns:
            start.iloc[: len(fam_ids)] = pd.to_datetime(families["start_date"]).to_numpy()
        if "programme" in families.columns:
            programme = pd.Series(pd.NA, index=ids, dtype="object")
            programme.iloc[: len(fam_ids)] = families["programme"].to_numpy(dtype=object)
    else:
        ids = data_ids
        start = pd.Series(pd.NaT, index=ids, dtype="datetime64[ns]")
    upos = np.append(ids.get_indexer(data_ids), -1).astype(np.int32)
    pos = upos[codes]  # codes == -1 (a missing id) picks the trailing -1
    del codes
    lacking = start.isna().to_numpy()
    if lacking.any():  # first assessment date stands in for a missing start date
        take = lacking[np.maximum(pos, 0)] & (pos >= 0)
        seen = pd.Series(data["assessed_on"].to_numpy(dtype="datetime64[ns]")[take]).groupby(pos[take]).min()
        first_seen = np.full(len(ids), np.datetime64("NaT"), dtype="datetime64[ns]")
        first_seen[seen.index.to_numpy()] = seen.to_numpy()
        start = start.fillna(pd.Series(first_seen, index=ids))
    years = start.dt.year
    candidates = [int(y) for y in pd.unique(years.dropna())] + [int(y) for y in programme_years]
    first_year: int | None = None
    if candidates:
        first_year = min(candidates)
        cohort = (years - first_year).fillna(0).astype(int)
    else:
        cohort = pd.Series(0, index=ids)
    n_cohorts = int(cohort.max()) + 1 if len(cohort) else 1
    if first_year is not None and candidates:
        n_cohorts = max(n_cohorts, max(candidates) - first_year + 1)  # programme years without starts

    a = _assign(data, pos, scenario, instrument, ids, programme, counterfactuals)
    coh = cohort.to_numpy(int)
    model = _compile(scenario, a, coh, n_cohorts)
    if care_used is not None:
        model.used_units, model.used_by_basis, used = _used_units(
            care_used, scenario, start, coh, n_cohorts, a.basis
        )
        if model.detail is not None:  # always, for data
            model.detail.used = used
    rows = _per_family_rows(scenario, a, ids, coh, programme)
    return Need(model=model, likelihoods=rows, first_year=first_year)


def cohort_need(
    scenario: Scenario,
    *,
    families_per_year: float,
    years: int,
    fte: float | None,
    programme: str | None = None,
) -> Need:
    """Model of ``years`` yearly cohorts of ``families_per_year`` families each (no data: prevalence).

    Only the paths ``programme`` declares count (the ``default`` declaration when None).
    """
    prog = scenario.programme_for(programme)
    declared = set(scenario.declared_paths(programme))
    paths = list(scenario.paths)
    rows = []
    groups: list[tuple[int, int, int, float, tuple[str, ...], int]] = []
    for c in range(years):
        for p, (pid, path) in enumerate(scenario.paths.items()):
            on = pid in declared
            prev = prog.prevalence_of(path) if prog is not None else path.prevalence
            if on:
                groups.append((c, 0, p, float(families_per_year), (prev.name,), PREVALENCE))
            rows.append(
                {
                    "family_id": f"cohort_{c + 1}",
                    "cohort": c,
                    "path": pid,
                    "basis": "prevalence" if on else "not declared",
                    "likelihood": prev.value if on else 0.0,
                    "rule": f"prevalence of {pid}" if on else "",
                    "source": prev.source if on else "",
                }
            )
    frame = pd.DataFrame(rows)
    model = Model(
        scenario=scenario,
        n_cohorts=years,
        fixed_cases=np.zeros((years, 1, len(paths))),
        groups=groups,
        used_units=np.zeros((years, scenario.horizon, len(scenario.prices))),
        families=np.full(years, float(families_per_year)),
        variants=[scenario.declared_paths(programme) if scenario.programmes else None],
    )
    if fte is not None:
        model.fte = np.full(years, float(fte))
    return Need(model=model, likelihoods=frame, first_year=None)


# --------------------------------------------------------------------------- the assignment
@dataclass
class _Assignment:
    """Per family × path (n, P): basis code, base likelihood and the group key of varying ones."""

    basis: np.ndarray  # int8
    likelihood: np.ndarray  # float
    variant: np.ndarray  # (n,) index into variants
    variants: list[tuple[str, ...] | None]  # the paths each programme declaration allows (None: all)
    key: np.ndarray  # int64: rule bit code (> 0), or -(1 + i) for the i-th prevalence parameter, 0 none
    prevalence: list[list[str]]  # per path: the prevalence parameter names in key order
    rules: list[list[int]]  # per path: indices into scenario.rules, bit j = rules[p][j]
    judges: tuple[np.ndarray, list[str]]  # (n,) code into the texts "judged by ..." (-1: not judged)
    declared: tuple[np.ndarray, list[str]]  # (n,) code into the programme declaration ids ("" none)


def _assign(
    data: pd.DataFrame,
    pos: np.ndarray,
    scenario: Scenario,
    instrument: Instrument,
    ids: pd.Index,
    programme: pd.Series | None,
    counterfactuals: pd.DataFrame | None,
) -> _Assignment:
    paths = list(scenario.paths)
    n, n_p = len(ids), len(paths)
    basis = np.full((n, n_p), NO_RULE, dtype=np.int8)
    lik = np.zeros((n, n_p))
    key = np.zeros((n, n_p), dtype=np.int64)

    # which paths each family's programme declares
    if programme is None:
        prog_codes, prog_names = np.zeros(n, dtype=int), np.array([None], dtype=object)
    else:
        prog_codes, prog_uniques = pd.factorize(programme, use_na_sentinel=False)
        prog_names = np.asarray(prog_uniques, dtype=object)
    decl_rows = []
    labels = []
    for name in prog_names:
        dp = set(scenario.declared_paths(name))
        decl_rows.append([p in dp for p in paths])
        prog = scenario.programme_for(name)
        labels.append("" if prog is None else prog.id)
    declared = np.asarray(decl_rows, dtype=bool).reshape(len(prog_names), n_p)[prog_codes]  # (n, P)
    variants: list[tuple[str, ...] | None] = []
    var_of_prog = []
    for name in prog_names:
        allowed = scenario.declared_paths(name) if scenario.programmes else None
        if allowed not in variants:
            variants.append(allowed)
        var_of_prog.append(variants.index(allowed))
    variant = np.asarray(var_of_prog, dtype=np.int64)[prog_codes]

    # 1. recorded judgements
    judged = np.zeros(n, dtype=bool)
    judges: tuple[np.ndarray, list[str]] = (np.full(n, -1, dtype=np.int64), [])
    if counterfactuals is not None and len(counterfactuals):
        judged, judges, mean = _judgements(counterfactuals, ids, paths)
        lik[judged] = mean[judged]
        basis[judged] = RECORDED

    # 2. rules on the intake profile
    rules = [
        r
        for r in scenario.rules
        if r.instrument in (None, instrument.id) and r.domain not in instrument.omitted_domains
    ]
    for i, rule in enumerate(scenario.rules):
        if rule in rules and rule.domain not in instrument.domain_ids:
            raise ScenarioError.at("unknown_domain", source=scenario.source, key=f"rules[{i}].domain",
                                   got=repr(rule.domain), instrument=repr(instrument.id),
                                   known=", ".join(instrument.domain_ids))  # fmt: skip
    scored = np.zeros(n, dtype=bool)
    rule_ix: list[list[int]] = [[] for _ in paths]
    if rules:
        scores = _intake_scores(data, pos, n, instrument)
        scored = np.isfinite(scores).any(axis=1)
        domain_ix = {d: j for j, d in enumerate(instrument.domain_ids)}
        best = np.zeros((n, n_p))
        with np.errstate(invalid="ignore"):
            for ri, rule in enumerate(scenario.rules):
                if rule not in rules:
                    continue
                p = paths.index(rule.path)
                if len(rule_ix[p]) >= MAX_RULES_PER_PATH:
                    raise ScenarioError.at("rules_per_path", source=scenario.source, key=f"rules[{ri}].path",
                                           max=MAX_RULES_PER_PATH)  # fmt: skip
                col = scores[:, domain_ix[rule.domain]]  # NaN never matches
                hit = col <= rule.max_score if rule.max_score is not None else col >= rule.bound
                key[:, p] |= hit.astype(np.int64) << len(rule_ix[p])
                best[:, p] = np.where(hit, np.maximum(best[:, p], rule.probability.value), best[:, p])
                rule_ix[p].append(ri)
        by_rule = scored[:, None] & ~judged[:, None] & declared
        matched = by_rule & (key > 0)
        basis[matched] = RULE
        lik[matched] = best[matched]
        basis[by_rule & (key == 0)] = NO_RULE
        key[~matched] = 0

    # 3. prevalence, for families neither judged nor scored (programme-specific where declared)
    prevalence: list[list[str]] = [[] for _ in paths]
    unscored = ~judged & ~scored
    for g, name in enumerate(prog_names):
        prog = scenario.programme_for(name)
        fam = unscored & (prog_codes == g)
        for p, pid in enumerate(paths):
            cell = fam & declared[:, p]
            if not cell.any():
                continue
            param = (
                prog.prevalence_of(scenario.paths[pid])
                if prog is not None
                else scenario.paths[pid].prevalence
            )
            if param.name not in prevalence[p]:
                prevalence[p].append(param.name)
            basis[cell, p] = PREVALENCE
            lik[cell, p] = param.value
            key[cell, p] = -(1 + prevalence[p].index(param.name))
    undeclared = ~judged[:, None] & ~declared
    basis[undeclared] = UNDECLARED
    lik[undeclared] = 0.0
    key[undeclared] = 0
    return _Assignment(basis, lik, variant, variants, key, prevalence, rule_ix, judges,
                       (np.asarray(prog_codes), labels))  # fmt: skip


def _judgements(
    counterfactuals: pd.DataFrame, ids: pd.Index, paths: list[str]
) -> tuple[np.ndarray, tuple[np.ndarray, list[str]], np.ndarray]:
    """Judged families, their judges' text and the mean likelihood per path (n, P)."""
    _require(counterfactuals, "counterfactuals", ["family_id", "care_path", "likelihood"])
    cf = counterfactuals
    lik = pd.to_numeric(cf["likelihood"], errors="coerce").to_numpy(float)
    path_ix = _index_of(pd.Index(paths, dtype=object), cf["care_path"])
    bad_path = np.flatnonzero(path_ix < 0)
    with np.errstate(invalid="ignore"):
        bad_lik = np.flatnonzero(~((lik >= 0) & (lik <= 1)))
    _problems(
        [
            {"file": "counterfactuals", "row": i + 2, "column": "care_path", "value": cf["care_path"].iloc[i],
             "message": f"unknown care path; the scenario has {', '.join(paths)}"}
            for i in bad_path[:1000]
        ]
        + [
            {"file": "counterfactuals", "row": i + 2, "column": "likelihood", "value": cf["likelihood"].iloc[i],
             "message": "must be a probability between 0 and 1"}
            for i in bad_lik[:1000]
        ]
    )  # fmt: skip
    fam = _index_of(ids, cf["family_id"])
    _warn_unknown(cf["family_id"], fam, "counterfactuals")
    keep = fam >= 0
    n, n_p = len(ids), len(paths)
    flat = fam[keep] * n_p + path_ix[keep]
    total = np.bincount(flat, weights=lik[keep], minlength=n * n_p)
    count = np.bincount(flat, minlength=n * n_p)
    mean = np.divide(total, count, out=np.zeros(n * n_p), where=count > 0).reshape(n, n_p)
    judged = np.zeros(n, dtype=bool)
    judged[fam[keep]] = True
    who = cf["judged_by"] if "judged_by" in cf.columns else pd.Series("unknown", index=cf.index)
    codes, uniques = pd.factorize(who.fillna("unknown"))
    names = np.asarray(uniques, dtype=object).astype(str)
    order = np.argsort(names)  # judges listed alphabetically
    rank = np.empty(len(names), dtype=np.int64)
    rank[order] = np.arange(len(names))
    codes = rank[codes[keep]]
    names = names[order]
    judge_code = np.full(n, -1, dtype=np.int64)
    texts: list[str] = []
    if len(names) <= 62:  # each family's set of judges as the bits of an int64
        mask = np.zeros(n, dtype=np.int64)
        np.bitwise_or.at(mask, fam[keep], np.left_shift(np.int64(1), codes))
        sets, inverse = np.unique(mask[judged], return_inverse=True)
        judge_code[judged] = inverse.reshape(-1)
        texts = ["judged by " + ", ".join(names[j] for j in range(len(names)) if m >> j & 1) for m in sets]
    else:
        pairs = pd.DataFrame({"f": fam[keep], "j": names[codes]}).drop_duplicates()
        text = pairs.sort_values(["f", "j"]).groupby("f", sort=True)["j"].agg(", ".join)
        tc, tu = pd.factorize(text.to_numpy(dtype=object))
        judge_code[text.index.to_numpy()] = tc
        texts = ["judged by " + str(t) for t in tu]
    return judged, (judge_code, texts), mean


def _intake_scores(data: pd.DataFrame, pos: np.ndarray, n: int, instrument: Instrument) -> np.ndarray:
    """Mean intake score per family and domain (n, domains); NaN where none was recorded."""
    baseline = instrument.wave_ids[0]
    at = np.flatnonzero((data["wave"] == baseline).to_numpy(dtype=bool) & (pos >= 0))
    domain = data["domain"]
    if isinstance(domain.dtype, pd.CategoricalDtype):  # map the categories once, not every row
        lookup = np.append(pd.Index(instrument.domain_ids).get_indexer(domain.cat.categories.astype(str)), -1)
        dom = lookup[domain.cat.codes.to_numpy()[at]]
    else:
        dom = pd.Index(instrument.domain_ids).get_indexer(pd.Index(domain.to_numpy(dtype=object)[at]))
    raw = data["score"]
    if raw.dtype == np.float64:  # the canonical dtype: a view, no copy of the whole column
        score = raw.to_numpy()[at]
    else:
        score = pd.to_numeric(raw.iloc[at], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    ok = (dom >= 0) & np.isfinite(score)
    n_d = len(instrument.domain_ids)
    flat = pos[at][ok].astype(np.int64) * n_d + dom[ok]
    total = np.bincount(flat, weights=score[ok], minlength=n * n_d)
    count = np.bincount(flat, minlength=n * n_d)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (total / np.where(count > 0, count, np.nan)).reshape(n, n_d)


# --------------------------------------------------------------------------- compile the model
def _compile(scenario: Scenario, a: _Assignment, cohort: np.ndarray, n_cohorts: int) -> Model:
    """Fixed cases (recorded), groups of families sharing one varying likelihood, family detail."""
    n, n_p = a.basis.shape
    n_v = len(a.variants)
    fixed = np.zeros((n_cohorts, n_v, n_p))
    rec = a.basis == RECORDED
    f_ix, p_ix = np.nonzero(rec & (a.likelihood > 0))
    np.add.at(fixed, (cohort[f_ix], a.variant[f_ix], p_ix), a.likelihood[f_ix, p_ix])

    varying = (a.basis == RULE) | (a.basis == PREVALENCE)
    vf, vp = np.nonzero(varying)
    vkey = a.key[vf, vp]
    # one int64 per (cohort, path, key), the keys first made dense (rule bit codes can be large)
    keys, kcode = np.unique(vkey, return_inverse=True)
    span = max(len(keys), 1)
    cvp = (cohort[vf].astype(np.int64) * n_v + a.variant[vf]) * n_p + vp
    packed = cvp * span + kcode.reshape(-1)
    uniq, inverse = np.unique(packed, return_inverse=True)
    counts = np.bincount(inverse.reshape(-1), minlength=len(uniq))
    groups: list[tuple[int, int, int, float, tuple[str, ...], int]] = []
    for g, code in enumerate(uniq):
        cv, p = divmod(int(code) // span, n_p)
        c, v = divmod(cv, n_v)
        k = int(keys[int(code) % span])
        if k > 0:
            names = tuple(
                scenario.rules[ri].probability.name for j, ri in enumerate(a.rules[p]) if k >> j & 1
            )
            groups.append((c, v, p, float(counts[g]), names, RULE))
        else:
            groups.append((c, v, p, float(counts[g]), (a.prevalence[p][-k - 1],), PREVALENCE))
    group_of = np.full((n, n_p), -1, dtype=np.int32)
    group_of[vf, vp] = inverse.reshape(-1)
    jf, jp = np.nonzero(rec & (a.likelihood > 0))
    detail = FamilyDetail(
        cohort=cohort,
        variant=a.variant,
        judged_family=jf,
        judged_path=jp,
        judged_value=a.likelihood[jf, jp],
        group_of=group_of,
    )
    return Model(
        scenario=scenario,
        n_cohorts=n_cohorts,
        fixed_cases=fixed,
        groups=groups,
        used_units=np.zeros((n_cohorts, scenario.horizon, len(scenario.prices))),
        families=np.bincount(cohort, minlength=n_cohorts).astype(float),
        variants=a.variants,
        detail=detail,
    )


def _per_family_rows(
    scenario: Scenario,
    a: _Assignment,
    ids: pd.Index,
    cohort: np.ndarray,
    programme: pd.Series | None,
) -> pd.DataFrame:
    """The long family × path table (internal only), with categorical text columns (lean at 1M).

    Text columns are built from integer codes into short lists of distinct strings (rule texts,
    judges, programme declarations), never from millions of Python strings.
    """
    paths = list(scenario.paths)
    n, n_p = a.basis.shape
    texts: list[str] = [""]
    sources: list[str] = [""]
    t_code = np.zeros((n, n_p), dtype=np.int64)
    s_code = np.zeros((n, n_p), dtype=np.int64)
    params = {x.name: x for x in scenario.params()}
    for p, pid in enumerate(paths):
        for k in np.unique(a.key[:, p]):
            k = int(k)
            if k > 0:
                hit = [scenario.rules[ri] for j, ri in enumerate(a.rules[p]) if k >> j & 1]
                t, src = "; ".join(r.text for r in hit), "; ".join(r.source for r in hit)
            elif k < 0:
                t = f"prevalence of {pid} (no judgement, no intake rule applies)"
                src = params[a.prevalence[p][-k - 1]].source
            else:
                continue
            cell = a.key[:, p] == k
            texts.append(t)
            sources.append(src)
            t_code[cell, p] = len(texts) - 1
            s_code[cell, p] = len(sources) - 1
    jcode, jtexts = a.judges
    rec = a.basis == RECORDED
    if rec.any():
        t_code[rec] = (len(texts) + np.broadcast_to(jcode[:, None], (n, n_p)))[rec]
        texts += jtexts
        sources.append("counterfactual judgement recorded at intake")
        s_code[rec] = len(sources) - 1
    undeclared = a.basis == UNDECLARED
    if undeclared.any():
        pcode, plabels = a.declared
        t_code[undeclared] = (len(texts) + np.broadcast_to(pcode[:, None], (n, n_p)))[undeclared]
        texts += [f"not declared for programme {lab}" if lab else "not declared for this programme"
                  for lab in plabels]  # fmt: skip
        sources.append(f"scenario {scenario.id}: [programmes]")
        s_code[undeclared] = len(sources) - 1
    out = pd.DataFrame(
        {
            "family_id": pd.Categorical.from_codes(
                np.repeat(np.arange(n), n_p), categories=pd.Index(ids.astype(str))
            ),
            "cohort": np.repeat(cohort, n_p),
            "variant": np.repeat(a.variant.astype(np.int8), n_p),  # programme declaration (internal)
            "path": pd.Categorical.from_codes(np.tile(np.arange(n_p), n), categories=pd.Index(paths)),
            "basis": pd.Categorical.from_codes(
                a.basis.reshape(-1).astype(np.int64), categories=pd.Index(BASES)
            ),
            "likelihood": a.likelihood.reshape(-1),
            "rule": _categorical(t_code.reshape(-1), texts),
            "source": _categorical(s_code.reshape(-1), sources),
        }
    )
    if programme is not None:
        pc, pu = pd.factorize(programme, use_na_sentinel=True)
        cats = pd.Index(np.asarray(pu, dtype=object).astype(str))
        out.insert(1, "programme", pd.Series(_categorical(np.repeat(pc, n_p), list(cats)), index=out.index))
    return out


def _categorical(codes: np.ndarray, values: list[str]) -> pd.Categorical[str]:
    """A categorical from codes into ``values`` that may repeat (codes remapped to unique categories)."""
    if not values:  # every code is -1 (e.g. no family has a programme)
        return pd.Categorical.from_codes(
            np.full(len(codes), -1, dtype=np.int64), categories=pd.Index([], dtype=str)
        )
    uniq, remap = np.unique(np.asarray(values, dtype=object).astype(str), return_inverse=True)
    remap = remap.reshape(-1)
    new = np.where(codes >= 0, remap[np.maximum(codes, 0)], -1).astype(np.int64)
    return pd.Categorical.from_codes(new, categories=pd.Index([str(u) for u in uniq]))


# --------------------------------------------------------------------------- care used
def _used_units(
    care_used: pd.DataFrame,
    scenario: Scenario,
    start: pd.Series,
    cohort: np.ndarray,
    n_cohorts: int,
    basis: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
    """Units of care used per cohort, year since start and care type; the same split by the basis of
    the path that owns the care type; and the per-episode arrays (family, year, type, units)."""
    _require(care_used, "care_used", ["family_id", "care_type", "units"])
    cu = care_used
    units = pd.to_numeric(cu["units"], errors="coerce").to_numpy(float)
    types = list(scenario.prices)
    k_ix = _index_of(pd.Index(types, dtype=object), cu["care_type"])
    problems = [
        {"file": "care_used", "row": i + 2, "column": "care_type", "value": cu["care_type"].iloc[i],
         "message": f"care type has no price in the scenario ({', '.join(types)})"}
        for i in np.flatnonzero(k_ix < 0)[:1000]
    ]  # fmt: skip
    with np.errstate(invalid="ignore"):
        bad = ~((units >= 0) & (units <= MAX_UNITS))
    for i in np.flatnonzero(bad)[:1000]:
        problems.append(
            {
                "file": "care_used",
                "row": i + 2,
                "column": "units",
                "value": cu["units"].iloc[i],
                "message": f"units must be a non-negative number of at most {MAX_UNITS:,.0f}",
            }
        )
    _problems(problems)
    fam = _index_of(start.index, cu["family_id"])
    _warn_unknown(cu["family_id"], fam, "care_used")
    keep = fam >= 0
    fam, k_ix, units = fam[keep], k_ix[keep], units[keep]
    if "start" in cu.columns:
        day = np.timedelta64(1, "D")
        began = pd.to_datetime(cu["start"]).to_numpy(dtype="datetime64[ns]")[keep]
        ended = (pd.to_datetime(cu["end"]).to_numpy(dtype="datetime64[ns]")[keep] if "end" in cu.columns
                 else np.full(len(fam), np.datetime64("NaT"), dtype="datetime64[ns]"))  # fmt: skip
        ended = np.where(np.isnat(ended), began, ended).astype("datetime64[ns]")
        fam_start = start.to_numpy(dtype="datetime64[ns]")[fam]
        # care before the family's start is the pre-period, not care used during the programme: only
        # the share of an episode's days from the start on is subtracted (outcomes.phase_counts has the rest)
        before = ~np.isnat(began) & ~np.isnat(fam_start) & (began < fam_start)
        on = np.where(before, fam_start, began).astype("datetime64[ns]")
        total = (ended - began) / day + 1
        after = np.clip((ended - on) / day + 1, 0, None)
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(before, np.clip(after / total, 0, 1), 1.0)
        units = units * np.nan_to_num(share, nan=1.0)
        days = (on - fam_start) / day
    else:
        days = np.full(len(fam), np.nan)
    h = np.nan_to_num(np.floor(days / 365.25), nan=0.0).clip(0, scenario.horizon - 1).astype(int)
    out = np.zeros((n_cohorts, scenario.horizon, len(types)))
    np.add.at(out, (cohort[fam], h, k_ix), units)
    owner = _owner(scenario)
    by_basis = np.zeros((len(BASES), n_cohorts, scenario.horizon, len(types)))
    own = owner[k_ix]
    b = np.where(own >= 0, basis[fam, np.maximum(own, 0)], UNDECLARED)
    np.add.at(by_basis, (b, cohort[fam], h, k_ix), units)
    return out, by_basis, (fam, h, k_ix, units)


def _owner(scenario: Scenario) -> np.ndarray:
    """Per care type, the first path (scenario order) that uses it; -1 for care no path uses."""
    paths = list(scenario.paths)
    out = []
    for ct in scenario.prices:
        hit = [
            i for i, pid in enumerate(paths) if any(c.care_type == ct for c in scenario.paths[pid].components)
        ]
        out.append(hit[0] if hit else -1)
    return np.asarray(out, dtype=int)
