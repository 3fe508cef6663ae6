"""Proof of identity: the business case you can change, in Debian's chromium, against Python.

The page computes with JavaScript generated from the model's one definition; Python's engine is
``ik.costs.business_case`` (numpy, through ``_engine.run``) at the same inputs.  The test sets
several inputs in the page as a user would (number fields, a slider, a tick box), reads every
figure the page shows (its ``data-value``: the full double) and compares it with Python's:

* deterministic figures: ``business_case`` re-run at the page's values (a scenario with those
  parameters, the page's families, FTE, years, start year), relative 1e-9;
* P(saving), P(BCR > 1) and the 95% interval: ``bc.what_if(...)`` on the report's own PSA draws,
  exactly (the same draws, moved the same way).

Both business cases: the no-data what-if (default scenario) and the sample (need from its families).
Also: the page works offline (no request leaves the file) and the reset brings the report back.
"""

from __future__ import annotations

import dataclasses
import math
import os
from pathlib import Path

import numpy as np
import pytest
from _browser import ARGS, BROWSER_TIMEOUT_MS, CHROMIUM
from _report_data import GENERATED, sample

import impactkit as ik
from impactkit.costs._case import scenario_with

pytestmark = pytest.mark.browser

DRAWS = 1500
REL = 1e-9

# inputs a controller changes (model key -> value typed in the field, in the field's units)
CHANGES = {
    "case.families_per_year": "60",
    "case.years": "4",
    "case.start_year": "2027",
    "scenario.horizon": "7",
    "programme.costs.coordinator.amount": "91500",
    "prices.home_guidance.price": "75.5",
    "prices.debt_assistance.price": "2650",
    "paths.youth_care.components[0].years": "1.5",
    "paths.parenting_support.components[0].units_per_year": "72",
    "adjustments.deadweight": "40",
    "adjustments.dropoff": "12.5",
    "discount.effects": "3",
}


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():  # pragma: no cover - CI installs chromium
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _cases():
    nodata = ik.costs.business_case(
        families_per_year=40, years=3, programme="samen_oplopen", draws=DRAWS, seed=3
    )
    ds = sample()
    data = ik.costs.business_case(data=ds, years=3, draws=DRAWS, seed=5)
    return {"nodata": (nodata, None), "sample": (data, ds)}


@pytest.fixture(scope="module")
def cases():
    return _cases()


def _open(browser, rep, tmp_path, name):
    path = rep.save(tmp_path / f"{name}.html")
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    log = {"requests": [], "errors": []}
    page.on(
        "request",
        lambda r: (
            log["requests"].append(r.url) if not r.url.startswith(("file:", "data:", "about:")) else None
        ),
    )
    page.on("console", lambda m: log["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: log["errors"].append(str(e)))
    page.set_default_timeout(
        BROWSER_TIMEOUT_MS
    )  # a 3.5 MB page on a loaded 2-core CI machine: slow, not wrong
    page.goto(path.as_uri(), wait_until="load")
    _wait(page, READY)
    return page, log


def _wait(page, predicate, timeout=BROWSER_TIMEOUT_MS / 1000):
    """Poll ``predicate`` (a JS function) from outside: the page's CSP forbids playwright's eval."""
    import time

    end = time.monotonic() + timeout
    while not page.evaluate(predicate):
        if time.monotonic() > end:
            raise TimeoutError(predicate)
        page.wait_for_timeout(50)


READY = "() => !!window.impactkitCase && window.impactkitCase.psa() !== null && !document.querySelector('#case.psa-busy')"


def _shown(page):
    """Every figure of the case section: data-out / data-psa name -> (value, visible)."""
    return page.evaluate(
        """() => {
        const out = {};
        document.querySelectorAll('#case [data-out], #case [data-psa]').forEach(el => {
          const name = el.getAttribute('data-out') || ('psa:' + el.getAttribute('data-psa'));
          const row = el.closest('tr');
          out[name] = [parseFloat(el.getAttribute('data-value')), !(row && row.hidden)];
        });
        return out;
      }"""
    )


def _python(ev, ds, values):
    """Python's engine at the page's values: business_case re-run, and what_if for the PSA."""
    s = scenario_with(ev.scenario, values)
    fte = None if values["case.fte_from_caseload"] else values["case.coordinator_fte"]
    common = dict(
        families_per_year=values["case.families_per_year"], coordinator_fte=fte, years=int(values["case.years"]),
        start_year=int(values["case.start_year"]), draws=0, spread=False,
    )  # fmt: skip
    if ds is None:
        rerun = ik.costs.business_case(s, programme="samen_oplopen", **common)
    else:  # the evaluation's scenario already holds the data's tariffs
        rerun = ik.costs.business_case(s, data=dataclasses.replace(ds, prices=None), **common)
    w = ev.what_if(**values)
    return rerun, w


def _expected(rerun, w):
    """The page's names -> Python's numbers (None: a year after the business case, must be hidden)."""
    exp = {k: rerun.headline[k] for k in ("programme_cost", "gross_avoided_cost", "net_benefit",
                                          "benefit_cost_ratio", "payback_months", "break_even_share")}  # fmt: skip
    payers = list(rerun.by_payer["payer"])
    for _, row in rerun.by_payer.iterrows():
        y = payers.index(row["payer"])
        exp[f"invests_pv.{y}"], exp[f"saves_pv.{y}"], exp[f"net_pv.{y}"] = (
            row["invests"],
            row["saves"],
            row["net"],
        )
    by = rerun.by_year
    totals = by.groupby("year")[["invests", "saves", "net"]].sum()
    for t, row in totals.iterrows():
        n = int(t) - 1
        exp[f"invested_total.{n}"], exp[f"saved_total.{n}"], exp[f"net_total.{n}"] = (
            row["invests"],
            row["saves"],
            row["net"],
        )
        exp[f"cumulative_total.{n}"] = float(totals["net"].iloc[: n + 1].sum())
        exp[f"calendar_year.{n}"] = float(by.loc[by["year"] == t, "calendar_year"].iloc[0])
    for _, row in by.iterrows():
        exp[f"net_by_year.{payers.index(row['payer'])}.{int(row['year']) - 1}"] = row["net"]
    paths = list(rerun.scenario.paths)
    for _, row in rerun.by_path.iterrows():
        if row["path"] in paths:
            p = paths.index(row["path"])
            exp[f"expected_cases.{p}"] = row["expected_cases"]
            exp[f"cost_per_case.{p}"] = row["cost_per_case"]
            exp[f"break_even_cases.{p}"] = row["break_even_cases"]
    for k in ("p_net_benefit_positive", "net_q025", "net_q975"):
        exp[f"psa:{k}"] = w.psa[k]
    return exp


def _compare(shown, exp, scale):
    problems = []
    for name, (value, visible) in shown.items():
        if name.startswith("psa:"):
            if value != exp[name]:  # the same draws, moved the same way: exactly equal
                problems.append(f"{name}: page {value!r}, Python {exp[name]!r}")
            continue
        if name not in exp:
            if visible:
                problems.append(f"{name}: shown on the page but Python has no such figure")
            continue
        want = float(exp[name])
        if math.isnan(want) or math.isnan(value):
            if not (math.isnan(want) and math.isnan(value)):
                problems.append(f"{name}: page {value!r}, Python {want!r}")
            continue
        if abs(value - want) > REL * max(abs(want), 1.0) and abs(value - want) > REL * scale:
            problems.append(f"{name}: page {value!r}, Python {want!r}")
    # a payer the page leaves out has no flow in the model: Python must have zeros there
    missing = sorted(k for k in set(exp) - set(shown) if float(exp[k]) != 0.0)
    return problems, missing


def _set_inputs(page, changes):
    ids = page.evaluate(
        "() => Object.fromEntries([...document.querySelectorAll('#case .case-field')].map(d => [d.dataset.key, d.querySelector('[data-input]').id]))"
    )
    for key, text in changes.items():
        if key not in ids:
            continue
        page.locator(f"#{ids[key]}").evaluate("el => el.closest('details').open = true")
        page.fill(f"#{ids[key]}", text)
    # a slider too: the drop-off slider moved with the keyboard, as a user would
    return ids


@pytest.mark.parametrize("which", ["nodata", "sample"])
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_page_equals_python(browser, cases, tmp_path, which, lang):
    ev, ds = cases[which]
    rep = ik.build_report(ev, lang=lang, generated_at=GENERATED)
    # the footer's number of draws with the language's thousands separator (babel)
    assert {"nl": "1.500 PSA-trekkingen", "en": "1,500 PSA draws"}[lang] in rep.html
    page, log = _open(browser, rep, tmp_path, f"{which}_{lang}")
    scale = abs(ev.headline["programme_cost"])
    # 1. at the report's values the page shows the report's numbers
    base = page.evaluate("() => window.impactkitCase.values()")
    rerun, w = _python(ev, ds, base)
    problems, missing = _compare(_shown(page), _expected(rerun, w), scale)
    assert not problems, problems[:10]
    assert not missing, missing[:10]
    assert w.psa["p_net_benefit_positive"] == ev.headline["p_net_benefit_positive"]
    # 2. a controller changes several inputs: families, years, start year, horizon, salary,
    #    two tariffs, a duration, hours, deadweight, drop-off, discount rate; and unties the FTE
    ids = _set_inputs(page, CHANGES)
    link = ids["case.fte_from_caseload"]
    page.locator(f"#{link}").evaluate("el => el.closest('details').open = true")
    page.uncheck(f"#{link}")
    page.fill(f"#{ids['case.coordinator_fte']}", "2.5")
    page.locator(f"#{ids['adjustments.attribution'].replace('case-in', 'case-range')}").focus()
    page.keyboard.press("ArrowRight")  # the attribution slider, one step up
    page.wait_for_timeout(200)
    _wait(page, READY)
    changed = page.evaluate("() => window.impactkitCase.values()")
    assert changed["case.families_per_year"] == 60.0
    assert changed["adjustments.deadweight"] == 0.4
    assert changed["case.coordinator_fte"] == 2.5
    assert changed["case.fte_from_caseload"] == 0.0
    assert changed["adjustments.attribution"] != base["adjustments.attribution"]
    rerun2, w2 = _python(ev, ds, changed)
    shown = _shown(page)
    problems, missing = _compare(shown, _expected(rerun2, w2), scale)
    assert not problems, problems[:10]
    assert not missing, missing[:10]
    assert shown["calendar_year.0"][0] == 2027.0
    assert rerun2.headline["net_benefit"] != pytest.approx(
        ev.headline["net_benefit"], rel=1e-3
    )  # it did change
    # the hidden rows are the years after the business case: 4 funded years + 7 - 1
    visible_years = sorted(
        int(k.split(".")[1]) for k, (_, vis) in shown.items() if k.startswith("calendar_year") and vis
    )
    assert visible_years == list(range(4 + 7 - 1))
    # 3. reset: the report's values, the report's numbers
    page.click("#case-reset")
    page.wait_for_timeout(200)
    _wait(page, READY)
    again = _shown(page)
    first = _expected(*_python(ev, ds, base))
    assert not _compare(again, first, scale)[0]
    assert log["requests"] == []
    assert log["errors"] == []
    shots = os.environ.get("IMPACTKIT_SCREENSHOTS")
    if shots:
        page.locator("#case").screenshot(path=str(Path(shots) / f"case_{which}_{lang}.png"))
    page.close()


def test_psa_draws_are_the_reports(cases):
    """The page's embedded draws reproduce the report's PSA table draw for draw (no browser)."""
    ev, _ = cases["nodata"]
    info = ev.case
    pm = info.model(psa=True)
    from impactkit.costs._casemodel import draw_key

    vals = {**pm.values(), **{draw_key(k): info.draws[k] for k in pm.draws}}
    net = pm.evaluate(vals, ["net_benefit"])["net_benefit"]
    np.testing.assert_allclose(net, ev.psa_draws["net_benefit"].to_numpy(), rtol=1e-12)
