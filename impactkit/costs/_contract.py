"""The tables of an export checked against the cost scenario and the instrument, as validate reports them.

Everything :func:`~impactkit.costs.evaluate` would reject is found here first, with the user's file,
row and column: care paths the scenario does not have, care types without a price, payers, units
and price years it does not know, and intake rules that do not fit the data's instrument.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from impactkit.costs._scenario import Scenario
from impactkit.instruments import Instrument
from impactkit.io._problems import Problems

__all__ = ["rule_line", "scenario_problems"]


def _where(table: pd.DataFrame, name: str, column: str) -> tuple[str, np.ndarray, str] | None:
    headers = table.attrs.get("headers")
    if headers is not None and column not in headers:
        return None  # the column is absent: its own problem (missing column) is reported already
    rows = np.asarray(table.attrs.get("rows", np.arange(len(table)) + 2))
    return str(table.attrs.get("source", name)), rows, (headers or {}).get(column, column)


def scenario_problems(
    tables: dict[str, pd.DataFrame], scenario: Scenario, instrument: Instrument, problems: Problems
) -> None:
    """Add a problem for every value of ``tables`` the scenario or the instrument cannot use."""
    sname = Path(scenario.source).name
    prices_table = tables.get("prices")
    priced = set(scenario.prices)
    if prices_table is not None:
        priced |= set(prices_table["care_type"].dropna().astype(str))

    cf = tables.get("counterfactuals")
    if cf is not None and (where := _where(cf, "counterfactuals", "care_path")) is not None:
        file, rows, header = where
        bad = (cf["care_path"].notna() & ~cf["care_path"].astype(str).isin(list(scenario.paths))).to_numpy()
        problems.add_grouped(
            file, rows[bad], header, cf["care_path"][bad], "unknown_care_path",
            scenario=sname, expected=", ".join(scenario.paths),
        )  # fmt: skip

    used = tables.get("care_used")
    if used is not None and (where := _where(used, "care_used", "care_type")) is not None:
        file, rows, header = where
        bad = (used["care_type"].notna() & ~used["care_type"].astype(str).isin(priced)).to_numpy()
        problems.add_grouped(
            file, rows[bad], header, used["care_type"][bad], "unknown_care_type",
            scenario=sname, expected=", ".join(sorted(priced)),
        )  # fmt: skip

    if prices_table is not None:
        _prices(prices_table, scenario, sname, problems)
    pc = tables.get("programme_costs")
    if pc is not None and (where := _where(pc, "programme_costs", "year")) is not None:
        file, rows, header = where
        bad = (pc["year"].notna() & ~pc["year"].isin(list(scenario.index))).to_numpy(dtype=bool)
        problems.add_grouped(
            file, rows[bad], header, pc["year"][bad].astype(str), "no_index_factor",
            scenario=sname, expected=", ".join(map(str, scenario.index)),
        )  # fmt: skip
    _rules(scenario, instrument, problems)


def _prices(table: pd.DataFrame, scenario: Scenario, sname: str, problems: Problems) -> None:
    where = _where(table, "prices", "payer")
    if where is not None:
        file, rows, header = where
        bad = (table["payer"].notna() & ~table["payer"].astype(str).isin(scenario.payer_ids)).to_numpy()
        problems.add_grouped(
            file, rows[bad], header, table["payer"][bad], "unknown_payer",
            scenario=sname, expected=", ".join(scenario.payer_ids),
        )  # fmt: skip
    where = _where(table, "prices", "unit")
    if where is not None and "care_type" in table:
        file, rows, header = where
        for i, (ct, unit) in enumerate(zip(table["care_type"], table["unit"], strict=True)):
            old = scenario.prices.get(str(ct))
            if old is not None and isinstance(unit, str) and unit != old.unit:
                problems.add(
                    file, int(rows[i]), header, unit, "units_mismatch", care_type=str(ct), unit=old.unit
                )
    where = _where(table, "prices", "price_year")
    if where is not None:
        file, rows, header = where
        bad = (table["price_year"].notna() & ~table["price_year"].isin(list(scenario.index))).to_numpy(
            dtype=bool
        )
        problems.add_grouped(
            file, rows[bad], header, table["price_year"][bad].astype(str), "no_index_factor",
            scenario=sname, expected=", ".join(map(str, scenario.index)),
        )  # fmt: skip


def _rules(scenario: Scenario, instrument: Instrument, problems: Problems) -> None:
    """Intake rules on this instrument must name its domains (and look the right way on them)."""
    for i, rule in enumerate(scenario.rules):
        if rule.instrument not in (None, instrument.id):
            continue
        row = rule_line(scenario, i)
        if rule.domain in instrument.omitted_domains:
            continue  # a domain the export never scores: the rule cannot match, and says so in costs
        if rule.domain not in instrument.domain_ids:
            problems.add(
                scenario.source, row, f"rules[{i}].domain", rule.domain, "rule_domain",
                rule=rule.id, domain=rule.domain, instrument=instrument.id,
                expected=", ".join(instrument.domain_ids),
            )  # fmt: skip
            continue
        wrong = rule.wrong_direction(instrument.higher_is_better(rule.domain))
        if wrong is not None:
            if problems.lang == "nl":
                wrong["better"] = {"lower": "lager", "higher": "hoger"}[str(wrong["better"])]
            problems.add(scenario.source, row, f"rules[{i}]", rule.text, "rule_direction", **wrong)


def rule_line(scenario: Scenario, index: int) -> int:
    """The line of the ``index``-th ``[[rules]]`` table in the scenario file (1 when unknown)."""
    p = Path(scenario.source)
    if not p.is_file():
        return 1
    seen = -1
    for n, line in enumerate(p.read_text(encoding="utf-8-sig", errors="replace").splitlines(), start=1):
        if line.strip().startswith("[[rules]]"):
            seen += 1
            if seen == index:
                return n
    return 1
