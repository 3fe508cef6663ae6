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
    _languages(scenario, problems)


def _languages(scenario: Scenario, problems: Problems) -> None:
    """One warning per language in which texts of a user's scenario that the reports show are
    missing (the report in that language shows them as written), at the first such text, naming
    the others; the shipped scenario has none."""
    sname = Path(scenario.source).name
    for lang in ("nl", "en"):
        keys = [k for k, missing in scenario.language_gaps if missing == lang]
        if not keys:
            continue
        first = _text_at(scenario, keys[0])
        others = [f"{k} ({key_line(scenario, k)})" for k in keys[1:6]] + (["…"] if len(keys) > 6 else [])
        problems.warn(
            scenario.source, [key_line(scenario, keys[0])], keys[0],
            [first[:40] + ("…" if len(first) > 40 else "")], f"scenario_no_{lang}",
            scenario=sname, n=len(keys), field=keys[0].rsplit(".", 1)[-1] + "_" + lang,
            others=", ".join(others) or "–",
        )  # fmt: skip


def _text_at(scenario: Scenario, key: str) -> str:
    """The text a language gap's key names (empty when it cannot be found)."""
    head, _, what = key.rpartition(".")
    parts = head.split(".")
    obj: object = None
    if parts[0] in ("prices", "paths", "programmes") and len(parts) == 2:
        obj = getattr(scenario, parts[0]).get(parts[1])
    elif parts[0] == "payers" and len(parts) == 2:
        obj = next((p for p in scenario.payers if p.id == parts[1]), None)
    elif parts[0] == "programme" and len(parts) == 3 and parts[1] == "costs":
        obj = next((i for i in scenario.programme_items if i.id == parts[2]), None)
    elif head.startswith("rules["):
        obj = scenario.rules[int(head[6:].split("]")[0])]
    else:
        names = {p.name: p for p in scenario.params()}
        names["uncertainty"] = scenario.judgement_strength
        names["discount"] = scenario.discount_costs
        names["programme.volunteer_time"] = scenario.volunteer_hours
        if head == "index":
            return scenario.index_source
        obj = names.get(head)
    value = getattr(obj, what, None) if obj is not None else None
    return value if isinstance(value, str) else ""


def key_line(scenario: Scenario, key: str) -> int:
    """The line of the table (or inline entry) holding ``key`` in the scenario file (1 when unknown)."""
    if key.startswith("rules["):
        return rule_line(scenario, int(key[6:].split("]")[0]))
    p = Path(scenario.source)
    if not p.is_file():
        return 1
    lines = [ln.strip() for ln in p.read_text(encoding="utf-8-sig", errors="replace").splitlines()]
    parts = key.split(".")[:-1]  # the table (or inline parameter) holding the text
    for n in range(len(parts), 0, -1):
        header = "[" + ".".join(parts[:n]) + "]"
        if header in lines:
            at = lines.index(header)
            if n == len(parts):
                return at + 1
            entry = parts[n]  # an inline table in this section: ``deadweight = { ... }``
            for i in range(at + 1, len(lines)):
                if lines[i].startswith("["):
                    break
                if lines[i].split("=", 1)[0].strip() == entry:
                    return i + 1
            return at + 1
    return 1


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
