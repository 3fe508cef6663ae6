"""Release-level suppression: hand examples from the issue, and an independent LP attacker.

The attacker (``attack``) is written without the implementation's atoms, models or solver: it
groups families by the published populations they belong to with Python sets and bounds every
hidden population with ``scipy.optimize.linprog`` (one call per bound).
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from impactkit.privacy import PRIMARY, PUBLISHED, SECONDARY, WITHHELD, Ledger, _disclosure, protect


def attack(pops: dict[str, set[str]], status: dict[str, str], k: int) -> dict[str, tuple[float, float]]:
    """Feasible count range of every hidden population, from what was published and the markers."""
    fams = sorted(set().union(*pops.values()))
    sig = {f: frozenset(key for key, m in pops.items() if f in m) for f in fams}
    cells = sorted(set(sig.values()), key=sorted)
    a = np.array([[1.0 if key in c else 0.0 for c in cells] for key in pops])
    lo, hi = [], []
    for key, m in pops.items():
        if not status[key]:
            lo.append(len(m))
            hi.append(len(m))
        elif status[key] == PRIMARY:
            lo.append(1)
            hi.append(k - 1)
        else:
            lo.append(k)
            hi.append(np.inf)
    a_ub = np.vstack([a, -a])
    b_ub = np.concatenate([np.array(hi), -np.array(lo)])
    finite = np.isfinite(b_ub)
    out = {}
    for i, key in enumerate(pops):
        if not status[key]:
            continue
        c = a[i]
        r1 = linprog(c, A_ub=a_ub[finite], b_ub=b_ub[finite], bounds=(0, None), method="highs")
        r2 = linprog(-c, A_ub=a_ub[finite], b_ub=b_ub[finite], bounds=(0, None), method="highs")
        out[key] = (r1.fun, np.inf if r2.status == 3 else -r2.fun)
    return out


def _ledger(pops: dict[str, set[str]], dims: dict[str, str] | None = None, costs=None) -> Ledger:
    fams = sorted(set().union(*pops.values()))
    led = Ledger(fams)
    for key, m in pops.items():
        led.add(key, sorted(m), dim=(dims or {}).get(key, ""), cost=(costs or {}).get(key, 1.0))
    return led


def test_funder_minus_the_larger_municipal_reports_gives_nothing_away():
    """Issue 11: municipalities of 4, 25 and 30 families; funder report minus the two larger
    municipal reports gave the small one exactly.  Now the 4 is hidden and the 25 withheld with it
    (the complement of the published reports would be under k)."""
    mun = {"S": 4, "M": 25, "L": 30}
    fam = {m: {f"{m}{i}" for i in range(n)} for m, n in mun.items()}
    pops = {"funder": set().union(*fam.values())} | {f"report {m}": fam[m] for m in mun}
    dims = {f"report {m}": "municipality" for m in mun}
    led = _ledger(pops, dims, {"funder": 1e6})
    audit = protect(led, k=10)
    status = {p.key: p.status for p in led}
    assert status == {"funder": PUBLISHED, "report S": PRIMARY, "report M": SECONDARY, "report L": PUBLISHED}
    assert "report S" in led["report M"].reason or "municipality" in led["report M"].reason
    ranges = attack(pops, status, 10)
    lo, hi = ranges["report S"]
    # S + M = 59 - 30 = 29 with S in 1..9 and M >= 10: S can be anything from 1 to 9
    assert (lo, hi) == (1.0, 9.0)
    assert audit.cells.set_index("key").loc["report S", ["n_low", "n_high"]].tolist() == [1.0, 9.0]


def test_a_subgroup_nested_in_a_published_total_with_few_left_over_is_hidden():
    """A report of 30 families publishes change on the 26 with both measurements: 30 - 26 = 4
    families without a follow-up would be published by subtraction, so the pairs are hidden."""
    all30 = {f"F{i}" for i in range(30)}
    pairs = {f"F{i}" for i in range(26)}
    led = _ledger({"scope": all30, "pairs": pairs}, costs={"scope": 1e6})
    protect(led, k=10)
    assert led["pairs"].status == SECONDARY
    assert "scope minus pairs" in led["pairs"].reason


def test_two_way_hierarchy_programme_by_municipality():
    """Reports per programme and per municipality: a programme × municipality cell of 3 families
    hidden inside both reports must not follow from the margins (the independent attacker checks)."""
    cells = {("P", "A"): 30, ("P", "B"): 3, ("Q", "A"): 12, ("Q", "B"): 20}
    fam = {c: {f"{c[0]}{c[1]}{i}" for i in range(n)} for c, n in cells.items()}
    pops = {
        "funder": set().union(*fam.values()),
        "prog P": fam["P", "A"] | fam["P", "B"],
        "prog Q": fam["Q", "A"] | fam["Q", "B"],
        "mun A": fam["P", "A"] | fam["Q", "A"],
        "mun B": fam["P", "B"] | fam["Q", "B"],
    }
    # inside the programme and municipal reports, the breakdown rows are the cells themselves
    pops |= {f"prog {p} / mun {m}": fam[p, m] for (p, m) in cells}
    pops |= {f"mun {m} / prog {p}": fam[p, m] for (p, m) in cells}
    dims = {key: ("municipality" if "/ mun" in key else "programme") for key in pops if "/" in key}
    dims |= {"prog P": "programme", "prog Q": "programme", "mun A": "municipality", "mun B": "municipality"}
    led = _ledger(pops, dims, {"funder": 1e6})
    audit = protect(led, k=10)
    status = {p.key: p.status for p in led}
    assert status["prog P / mun B"] == PRIMARY
    assert status["mun B / prog P"] == PRIMARY
    for key, (lo, hi) in attack(pops, status, 10).items():
        if status[key] == PRIMARY:
            assert hi - lo >= 1, (key, lo, hi)
    assert audit.ok


@settings(max_examples=40, deadline=None, derandomize=True)
@given(
    sizes=st.lists(st.integers(0, 35), min_size=2, max_size=5),
    nested=st.lists(st.integers(0, 35), min_size=0, max_size=3),
    k=st.integers(3, 10),
)
def test_property_no_hidden_population_is_pinned_down(sizes, nested, k):
    """Random releases: disjoint groups under a published total, each with a published subgroup
    (e.g. the families measured twice); nothing hidden under k has a range narrower than one."""
    groups = {f"g{i}": {f"g{i}_{j}" for j in range(n)} for i, n in enumerate(sizes)}
    pops: dict[str, set[str]] = {"total": set().union(*groups.values())}
    if not pops["total"]:
        return
    pops |= groups
    for i, m in enumerate(nested):
        g = f"g{i % len(sizes)}"
        pops[f"{g} measured"] = set(sorted(groups[g])[: min(m, len(groups[g]))])
    pops = {key: m for key, m in pops.items() if m}
    dims = {g: "group" for g in groups}
    led = _ledger(pops, dims, {"total": 1e6})
    protect(led, k=k)
    status = {p.key: p.status for p in led}
    published = [key for key in pops if not status[key]]
    assert all(len(pops[key]) >= k for key in published)
    for key, (lo, hi) in attack(pops, status, k).items():
        if status[key] == PRIMARY:
            assert hi - lo >= 1 - 1e-9, (key, lo, hi, status)
    # every subtraction of two published populations leaves 0 or at least k
    for a, b in itertools.permutations(published, 2):
        if pops[b] < pops[a]:
            assert len(pops[a] - pops[b]) >= k


def test_sums_are_audited_with_their_ranges():
    """A mean published with its n is a sum: the audit bounds every hidden sum."""
    fams = [f"F{i}" for i in range(24)]
    led = Ledger(fams)
    led.statistic("score", pd.Series(np.arange(24) % 5 + 1, index=fams, dtype=float), low=1, high=5)
    led.add("all", fams, stats=["score"], cost=1e6)
    led.add("a", fams[:4], stats=["score"], dim="g")
    led.add("b", fams[4:], stats=["score"], dim="g")
    audit = protect(led, k=10)
    assert led["a"].status == PRIMARY
    assert led["b"].status == SECONDARY
    sums = audit.sums.set_index("key")
    lo, hi = sums.loc["a", ["low", "high"]]
    assert lo <= float(np.arange(4).sum() + 4) <= hi
    assert hi - lo >= 4  # at least one family's spread (5 - 1)


def test_a_hidden_cell_is_published_again_only_when_everything_it_carries_is_determined():
    """Secondary cells are released when the published figures determine them (nothing is
    protected by hiding them).  Hand example: ``P`` holds the same 30 families as the published
    ``all``, so its count is known; its cost sum (a statistic without an upper bound) is known only
    if a published population of the same families publishes the cost.  Its range is then
    (0, inf): P must stay hidden (before, an infinite range compared with an infinite tolerance
    released it)."""
    from impactkit.privacy._disclosure import _Checks, _Model

    fams = [f"F{i}" for i in range(30)]
    cost = pd.Series(np.arange(30) * 100.0, index=fams)
    for published_cost, expected in ((False, SECONDARY), (True, PUBLISHED)):
        led = Ledger(fams)
        led.statistic("cost", cost, low=0)
        led.add("all", fams, stats=["cost"] if published_cost else [], cost=1e6)
        led.add("P", fams, stats=["cost"])
        model = _Model(led, 10)
        model.set_status(model.index["P"], SECONDARY)
        _Checks(model).release_implied()
        assert led["P"].status == expected, published_cost


def test_a_split_no_cover_can_protect_is_withheld_whole():
    """Five families, k = 5 (the jeugdbescherming corpus at --k 5).  Hand-worked: every breakdown
    cell is under 5, so each is marked ``<5`` and holds 1 to 4.  The four one-family household
    cells then hold at least 1 each and the 2021 cell (their four families) at most 4: each is
    exactly 1, and "improved" (F0 and F2) is exactly 2, whatever else is hidden.  The only cover
    left is the funder report's own total.  With ``withhold=True`` the whole change split
    (improved, unchanged, and "not improved", a union of some of its categories) is withheld, then
    the household split (each cell still exactly 1: four of them at least 1 in a 2021 cell of at
    most 4, and the fifth 5 minus those); the year cells are then 5 minus each other, 1 to 4 each.
    The total stays published and the independent attacker (withheld populations publish
    nothing) finds every remaining marker open."""
    fam = [f"F{i}" for i in range(5)]
    pops = {
        "funder/families": set(fam),
        "funder/change/improved": {"F0", "F2"},
        "funder/change/unchanged": {"F1", "F3", "F4"},
        "funder/change/not_improved": {"F1", "F3", "F4"},
    }
    pops |= {f"funder/household/h{i}": {f"F{i}"} for i in range(5)}
    pops |= {"funder/year/2021": {"F0", "F1", "F2", "F3"}, "funder/year/2022": {"F4"}}
    dims = {key: key.split("/")[1] for key in pops if key.count("/") == 2 and "not_" not in key}
    for withhold in (False, True):
        led = _ledger(pops, dims, {"funder/families": 1e6})
        led["funder/families"].scope = True
        audit = protect(led, k=5, withhold=withhold)
        status = {p.key: p.status for p in led}
        if not withhold:  # the funder report's total hidden, or nothing protects "improved"
            assert not audit.ok or status["funder/families"] == SECONDARY
            continue
        assert audit.ok, audit.exposed
        withheld = {key for key, s in status.items() if s == WITHHELD}
        assert withheld == {
            "funder/change/improved",
            "funder/change/unchanged",
            "funder/change/not_improved",
            *(f"funder/household/h{i}" for i in range(5)),
        }
        assert status["funder/families"] == PUBLISHED
        assert status["funder/year/2021"] == status["funder/year/2022"] == PRIMARY
        assert led["funder/change/improved"].reason == "not published: too few families"
        shown = {key: m for key, m in pops.items() if key not in withheld}
        ranges = attack(shown, {key: status[key] for key in shown}, 5)
        assert ranges["funder/year/2021"] == (1.0, 4.0)  # 5 - the 2022 cell (1..4)
        assert ranges["funder/year/2022"] == (1.0, 4.0)
        cells = audit.cells.set_index("key")
        assert cells.loc["funder/change/improved", "status"] == WITHHELD
        assert bool(cells["protected"].all())


def brute_force(pops, status, k, stat=None, low=1.0, high=5.0, carries=()):
    """An independent audit: atoms as Python frozensets, every bound one scipy ``linprog`` call.

    Variables: the count ``n_a`` of each atom and (with ``stat``) its sum ``s_a``.  Published
    populations: count (and, if they carry the statistic, sum) as equalities; primary 1..k-1,
    secondary >= k, withheld nothing; ``low * n_a <= s_a <= high * n_a``.  Returns
    {key: (count low, count high, sum low, sum high)} for every hidden population."""
    fams = sorted(set().union(*pops.values()))
    sig = {f: frozenset(key for key, m in pops.items() if f in m) for f in fams}
    cells = sorted(set(sig.values()), key=sorted)
    na = len(cells)
    inc = np.array([[1.0 if key in c else 0.0 for c in cells] for key in pops])
    zeros = np.zeros_like(inc)
    a_eq, b_eq, a_ub, b_ub = [], [], [], []
    for i, key in enumerate(pops):
        row = np.concatenate([inc[i], zeros[i]])
        if not status[key]:
            a_eq.append(row)
            b_eq.append(len(pops[key]))
            if key in carries:
                a_eq.append(np.concatenate([zeros[i], inc[i]]))
                b_eq.append(sum(stat[f] for f in pops[key]))
        elif status[key] == PRIMARY:
            a_ub += [row, -row]
            b_ub += [k - 1, -1]
        elif status[key] == SECONDARY:
            a_ub.append(-row)
            b_ub.append(-k)
    for j in range(na):  # low n - s <= 0, s - high n <= 0
        e = np.zeros(2 * na)
        e[j], e[na + j] = low, -1.0
        a_ub.append(e.copy())
        e[j], e[na + j] = -high, 1.0
        a_ub.append(e)
        b_ub += [0.0, 0.0]
    out = {}
    for i, key in enumerate(pops):
        if not status[key]:
            continue
        bounds = []
        for c in (np.concatenate([inc[i], zeros[i]]), np.concatenate([zeros[i], inc[i]])):
            for sign in (1, -1):
                r = linprog(sign * c, A_ub=np.array(a_ub), b_ub=b_ub, A_eq=np.array(a_eq) if a_eq else None,
                            b_eq=b_eq if b_eq else None, bounds=(0, None), method="highs")  # fmt: skip
                assert r.status in (0, 3), r.message
                bounds.append(sign * r.fun if r.status == 0 else -sign * np.inf)
        out[key] = tuple(bounds)
    return out


def _random_release(
    groups: list[int], cross: int, nested: list[float], seed: int, k: int
) -> tuple[Ledger, dict[str, set[str]], dict[str, float]] | None:
    """A total (a report's own population), municipalities of ``groups`` families, a second
    dimension crossing them (programme) with its cells inside each municipality, nested subsets
    (families measured); a score 1..5 published as sums on every population.  None under k."""
    rng = np.random.default_rng(seed)
    fam_of = {f"m{g}": [f"m{g}_{j}" for j in range(n)] for g, n in enumerate(groups)}
    fams = [f for m in fam_of.values() for f in m]
    if len(fams) < k:
        return None
    prog = {f: f"p{int(rng.integers(cross))}" for f in fams}
    score = {f: float(rng.integers(1, 6)) for f in fams}
    pops: dict[str, set[str]] = {"total": set(fams)}
    dims: dict[str, str] = {}
    for m, members in fam_of.items():
        pops[m], dims[m] = set(members), "municipality"
        for p in sorted(set(prog.values())):
            pops[f"{m}/{p}"], dims[f"{m}/{p}"] = {f for f in members if prog[f] == p}, f"programme@{m}"
    for p in sorted(set(prog.values())):
        pops[p], dims[p] = {f for f in fams if prog[f] == p}, "programme"
    for i, share in enumerate(nested):
        m = f"m{i % len(groups)}"
        pops[f"{m} measured"] = set(fam_of[m][: int(share * len(fam_of[m]))])
    pops = {key: m for key, m in pops.items() if m}
    led = Ledger(fams)
    led.statistic("score", pd.Series(score), low=1, high=5)
    for key, m in pops.items():
        led.add(key, sorted(m), stats=["score"], dim=dims.get(key, ""), cost=1e6 if key == "total" else 1.0)
    return led, pops, score


# the random small hierarchies of the brute-force test (and of the restricted-model test)
random_hierarchies = given(
    groups=st.lists(st.integers(0, 14), min_size=2, max_size=4),
    cross=st.integers(2, 3),
    nested=st.lists(st.floats(0.2, 0.9), min_size=0, max_size=2),
    seed=st.integers(0, 10_000),
    k=st.integers(3, 6),
)


@settings(max_examples=25, deadline=None, derandomize=True)
@random_hierarchies
def test_property_protect_passes_a_brute_force_audit(groups, cross, nested, seed, k):
    """Random small hierarchies: a total (a report's own population), municipalities, a second
    dimension crossing them (programme) with its cells inside each municipality, families
    measured (a nested subset) in some; a score 1..5 published as sums on every population.
    After protect (splits withheld where nothing else protects), the brute-force audit above (no atoms, models or solver of the
    implementation) finds every primary cell's count open by one family and its sum open by one
    family's spread (5 - 1); the audit's own count ranges equal the brute-force ones."""
    built = _random_release(groups, cross, nested, seed, k)
    if built is None:  # no release for a cohort under k (the plan refuses it)
        return
    led, pops, score = built
    audit = protect(led, k=k, withhold=True)
    assert audit.ok, audit.exposed
    status = {p.key: p.status for p in led}
    shown = {key: m for key, m in pops.items() if status[key] != WITHHELD}
    ranges = brute_force(shown, status, k, score, carries=set(pops))
    cells = audit.cells.set_index("key")
    for key, (n_lo, n_hi, s_lo, s_hi) in ranges.items():
        if status[key] == PRIMARY:
            assert n_hi - n_lo >= 1 - 1e-6, (key, n_lo, n_hi)
            assert s_hi - s_lo >= 4 - 1e-6, (key, s_lo, s_hi)
        assert cells.loc[key, "n_low"] == pytest.approx(n_lo, abs=1e-6)
        assert cells.loc[key, "n_high"] == pytest.approx(n_hi, abs=1e-6)


def _two_by_two() -> tuple[dict[str, set[str]], dict[str, float], dict[str, str]]:
    """A domain's change split (improved / unchanged) in the funder report and in two municipal
    reports, with each report's pairs: A holds 30 improved and 4 unchanged (primary), B 40 and 20.
    Section costs as the change table declares them (pairs 20, improved 8, unchanged 1)."""
    cells = {("A", "improved"): 30, ("A", "unchanged"): 4, ("B", "improved"): 40, ("B", "unchanged"): 20}
    members: dict[tuple[str, str], set[str]] = {}
    nxt = 0
    for cell, n in cells.items():
        members[cell] = {f"F{nxt + i}" for i in range(n)}
        nxt += n
    base = "change/intake/year2/finances"
    pops: dict[str, set[str]] = {"funder/families": set().union(*members.values())}
    pops[f"funder/{base}/pairs"] = set(pops["funder/families"])
    for cat in ("improved", "unchanged"):
        pops[f"funder/{base}/{cat}"] = members["A", cat] | members["B", cat]
    for m in ("A", "B"):
        pops[f"municipality:{m}/{base}/pairs"] = members[m, "improved"] | members[m, "unchanged"]
        for cat in ("improved", "unchanged"):
            pops[f"municipality:{m}/{base}/{cat}"] = members[m, cat]
    costs = {
        key: {"pairs": 20.0, "improved": 8.0, "unchanged": 1.0}.get(key.rsplit("/", 1)[1], 1e6)
        for key in pops
    }
    dims = {
        key: f"change@{key.split(':')[0].split('/')[0]}"
        for key in pops
        if key.endswith(("improved", "unchanged"))
    }
    return pops, costs, dims


def test_the_cover_its_readers_miss_least_is_chosen():
    """Two covers protect municipality A's 4 unchanged families (hand-worked).  A's figure is
    pinned by A's pairs minus A's improved, and by the funder's unchanged minus B's unchanged.  A
    change of the table that keeps every published count moves one family of A from unchanged to
    improved and, to keep the margins, either one family of B the other way (cover 1: A's and B's
    other cells, municipal figures, section cost 8 + 1 + 8 = 17) or through the funder's split
    (cover 2: A's improved and the funder's improved and unchanged, 8 + 8 + 1 = 17).  The section
    costs tie; weighted by their readers (:func:`reader_cost`: the funder report x4, municipal x1,
    both headline) cover 1 costs 80 + 10 + 80 = 170 against 80 + 320 + 40 = 440 and is chosen:
    the funder report's change row stays whole.  With the weights turned round (the municipal
    report dearer) the other cover is taken: both covers are real.  The independent attacker
    finds every hidden cell open in both."""
    from impactkit.report._release import reader_cost, weigh

    pops, costs, dims = _two_by_two()
    base = "change/intake/year2/finances"
    for reader in (True, False):
        led = _ledger(pops, dims, costs)
        led["funder/families"].scope = True
        if reader:
            weigh(led)
            assert led[f"funder/{base}/improved"].cost == reader_cost(f"funder/{base}/improved", 8.0) == 320.0
            assert led[f"municipality:A/{base}/improved"].cost == 80.0
        else:  # the municipal figures dearer than the funder's: the other cover
            for p in led:
                p.cost = p.cost if p.cost >= 1e5 else (1000.0 if p.key.startswith("municipality") else 1.0)
        audit = protect(led, k=10, atoms=False, withhold=True)
        assert audit.ok, audit.exposed
        status = {p.key: p.status for p in led}
        assert status[f"municipality:A/{base}/unchanged"] == PRIMARY
        hidden = {key for key, s in status.items() if s == SECONDARY}
        if reader:
            assert hidden == {f"municipality:A/{base}/improved", f"municipality:B/{base}/improved",
                              f"municipality:B/{base}/unchanged"}  # fmt: skip
        else:
            assert hidden == {
                f"municipality:A/{base}/improved",
                f"funder/{base}/improved",
                f"funder/{base}/unchanged",
            }
        ranges = attack(pops, status, 10)
        for key, (lo, hi) in ranges.items():
            assert hi - lo >= 1 - 1e-6, (reader, key, lo, hi)
            assert audit.count_range(key) == pytest.approx((lo, hi)), key  # what a report may state
        assert audit.count_range("funder/families") is None  # published


def test_reader_costs_order_the_reports_and_sections():
    """The funder report's headline figures are dearest, a municipality's (or the funder
    report's split by municipality) less, less-read breakdowns least; totals keep their cost."""
    from impactkit.privacy._disclosure import SCOPE_COST
    from impactkit.report._release import reader_cost

    head = reader_cost("funder/outcomes/care_cost/all_care/during/observed", 1.0)
    assert head == 4.0 * 10.0
    assert reader_cost("programme:Home-Start/outcomes/care_cost/all_care/during/observed", 1.0) == 20.0
    assert reader_cost("municipality:Ede/outcomes/care_cost/all_care/during/observed", 1.0) == 10.0
    split = reader_cost("funder/by/municipality/Ede/change/intake/year2/finances/pairs", 20.0)
    assert split == reader_cost("municipality:Ede/change/intake/year2/finances/pairs", 20.0) == 200.0
    assert reader_cost("funder/profile/finances/noncompleters", 1.0) == 4.0
    assert reader_cost("funder/outcomes/events/police_report/after/any", 1.0) == 4.0
    assert reader_cost("funder/costs/path/youth_care", 5.0) == 200.0  # the business case's page
    # the families a share is of: at least a core population's cost (20), whatever declared
    assert reader_cost("funder/rci/family/n", 1.0) == 20.0 * 4.0 * 10.0
    assert reader_cost("funder/rci/family/none_improved", 1.0) == 40.0  # a partial union
    assert reader_cost("funder/families", SCOPE_COST) == SCOPE_COST
    assert reader_cost("funder/costs/families", 1e5) == 1e5
    assert reader_cost("funder/change/x", 99999.0) < SCOPE_COST


def test_a_population_of_a_reports_families_differs_from_its_measured_ones_by_missing_data():
    """``observed`` (an outcome's families with data: here all 30 of the report's) is declared
    without a base; the report's families and those measured on a domain share one.  30 minus the
    25 measured counts families without a score, stated anyway: before, protect hid the observed
    population (the care cost per family-year, which it alone carries) to protect that difference."""
    fams = [f"F{i}" for i in range(30)]
    led = Ledger(fams)
    led.statistic("care", pd.Series(np.arange(30) * 100.0, index=fams), low=0)
    led.add("funder/families", fams, cost=1e6, scope=True, base="funder:measured")
    led.add("funder/describe/finances/intake", fams[:25], cost=20.0, base="funder:measured")
    led.add("funder/outcomes/care_cost/all_care/during/observed", fams, stats=["care"], cost=1.0)
    audit = protect(led, k=10, atoms=False, withhold=True)  # as a Release protects
    assert audit.ok
    assert [p.status for p in led] == [PUBLISHED] * 3


def _protected(led: Ledger, k: int, *, screen: bool) -> tuple[dict[str, str], pd.DataFrame]:
    """protect with the restricted count model of a large release forced on (half of the atoms
    free, every other target atom held: any restriction must do) or switched off."""
    with pytest.MonkeyPatch.context() as mp:
        if screen:
            mp.setattr(_disclosure, "_screen_size", lambda n_atoms, n_rows, n_targets: max(1, n_atoms // 2))
            real = _disclosure._Model.screen_on
            mp.setattr(_disclosure._Model, "screen_on", lambda self, atoms: real(self, np.unique(atoms)[::2]))
        else:
            mp.setattr(_disclosure, "_screen_size", lambda n_atoms, n_rows, n_targets: None)
        audit = protect(led, k=k, withhold=True)
        cells = audit.cells.set_index("key")[["n_low", "n_high"]]
    return {p.key: p.status for p in led}, cells


@settings(max_examples=12, deadline=None, derandomize=True)
@random_hierarchies
def test_property_the_restricted_count_model_changes_no_decision(groups, cross, nested, seed, k):
    """The restricted count model (atoms held at their true counts) only ever proves a count open
    that the full model finds open: the same statuses and the same audited ranges with it as
    without it, on the random hierarchies of the brute-force test."""
    built = _random_release(groups, cross, nested, seed, k)
    if built is None:
        return
    with_screen = _protected(built[0], k, screen=True)
    without = _protected(_random_release(groups, cross, nested, seed, k)[0], k, screen=False)  # type: ignore[index]
    assert with_screen[0] == without[0]
    pd.testing.assert_frame_equal(with_screen[1], without[1], atol=1e-6)


def test_the_restricted_count_model_is_a_restriction():
    """Hand-made: 60 families in 3 municipalities x 2 programmes x 2 household types, each cell's
    count published, a primary cell of 4.  Held atoms keep their true counts, so the restricted
    range lies inside the full one (:func:`brute_force`: scipy linprog on Python-set atoms), equal
    to it with every atom free; with only the cell's own atoms free, every published row pins them."""
    rng = np.random.default_rng(3)
    fams = [f"F{i}" for i in range(60)]
    attrs = {f: (f"m{rng.integers(3)}", f"p{rng.integers(2)}", f"h{rng.integers(2)}") for f in fams}
    pops: dict[str, set[str]] = {"total": set(fams)}
    dims = {}
    for j, dim in enumerate(("municipality", "programme", "household")):
        for v in sorted({a[j] for a in attrs.values()}):
            pops[v], dims[v] = {f for f in fams if attrs[f][j] == v}, dim
    pops["small"] = set([f for f in fams if attrs[f][:2] == ("m0", "p0")][:4])
    led = Ledger(fams)
    for key, m in pops.items():
        led.add(key, sorted(m), dim=dims.get(key, ""), cost=1e6 if key == "total" else 1.0)
    for p in led:
        p.status = PRIMARY if 0 < p.n < 10 else ""
    status = {p.key: p.status for p in led}
    full = brute_force(pops, status, 10, {f: 1.0 for f in fams})["small"][:2]
    model = _disclosure._Model(led, 10)
    atoms = model.atoms(model.index["small"])
    n_rows = len(model.row_first)
    for free in (np.arange(model.n_atoms), np.arange(model.n_atoms)[::2], atoms):
        screen = _disclosure._Screen(model, np.asarray(free), 0)
        c, _ = screen._objective(atoms)
        lo, hi = screen.ranges.bounds(c)
        held = float(model.atom_n[np.setdiff1d(atoms, screen.free)].sum())
        assert full[0] - 1e-6 <= lo + held <= hi + held <= full[1] + 1e-6, (free, lo, hi, full)
        assert screen.ranges.a.shape[0] <= n_rows
    everything = _disclosure._Screen(model, np.arange(model.n_atoms), 0)
    c, _ = everything._objective(atoms)
    assert everything.ranges.bounds(c) == pytest.approx(full)
    assert full[1] - full[0] >= 1  # open in full (4 of 1..9: the municipality's rest moves)
    # only the small cell's own atoms free: the published municipality and programme pin them
    alone = _disclosure._Screen(model, atoms, 0)
    assert not alone.open(atoms)
    assert not alone.varies(atoms, 1e-6)


def _old_count_range(led: Ledger, k: int, key: str) -> tuple[float, float]:
    """The audit's count range as it was solved before the final model and the reuse of bounds:
    two LPs on a count model of the final statuses, every row, warm-started from nothing."""
    model = _disclosure._Model(led, k)  # the statuses of ``led`` are final
    return model.count_model().bounds(_disclosure._indicator(model.n_atoms, model.atoms(model.index[key])))


@settings(max_examples=8, deadline=None, derandomize=True)
@random_hierarchies
def test_property_audit_count_ranges_are_those_of_the_full_model(groups, cross, nested, seed, k):
    """The ranges the audit reports (one cell at a time, as a report asks, then every cell)
    read back bounds solved on the final statuses or solve them on the reduced final model: equal
    (to 1e-6) to two LPs on a fresh full count model of the final statuses, with the restricted
    count model on or off."""
    for screen in (False, True):
        built = _random_release(groups, cross, nested, seed, k)
        if built is None:
            return
        led = built[0]
        with pytest.MonkeyPatch.context() as mp:
            if screen:
                mp.setattr(
                    _disclosure, "_screen_size", lambda n_atoms, n_rows, n_targets: max(1, n_atoms // 2)
                )
            else:
                mp.setattr(_disclosure, "_screen_size", lambda n_atoms, n_rows, n_targets: None)
            audit = protect(led, k=k, withhold=True)
            hidden = [p.key for p in led if p.status]
            one = {key: audit.count_range(key) for key in hidden[::2]}
            cells = audit.cells.set_index("key")
        for key in hidden:
            ref = _old_count_range(led, k, key)
            got = (cells.loc[key, "n_low"], cells.loc[key, "n_high"])
            assert got == pytest.approx(ref, abs=1e-6), (key, got, ref)
            if key in one:
                assert one[key] == pytest.approx(ref, abs=1e-6), (key, one[key], ref)


def test_bounds_solved_on_other_statuses_are_not_read_back():
    """A count's bounds kept for the audit belong to the statuses they were solved on: hiding one
    more population clears them, and the audit solves the cell again (the published total minus a
    published part pins the cell; hiding the part opens it)."""
    fams = [f"F{i}" for i in range(30)]
    pops = {"total": set(fams), "A": set(fams[:25]), "B": set(fams[25:])}
    led = _ledger(pops, dims={"A": "m", "B": "m"}, costs={"total": 1e6})
    for p in led:
        p.status = PRIMARY if 0 < p.n < 10 else ""
    model = _disclosure._Model(led, 10)
    b = model.atoms(model.index["B"])
    assert model.count_bounds(b) == pytest.approx((5.0, 5.0))
    assert model.final_count_bounds(b) == pytest.approx((5.0, 5.0))
    model.set_status(model.index["A"], SECONDARY)
    assert model.known_bounds(b) is None
    lo, hi = model.final_count_bounds(b)
    assert (lo, hi) == pytest.approx((1.0, 9.0))
    assert model.count_bounds_many([b]) == [(lo, hi)]
