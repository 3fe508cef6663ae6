"""Parse and validate a scenario mapping (from TOML or a dict) into a :class:`Scenario`.

Every failure is a :class:`ScenarioError` naming the file and the dotted key, e.g.
``scenario.toml, key 'prices.ots.price.value': must be at least 0, got -5``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from impactkit.costs._params import Param, parse_param
from impactkit.costs._scenario import (
    BOOTSTRAPS,
    DEFAULT_PAYERS,
    MAX_HORIZON,
    PER,
    UNITS,
    CarePath,
    Component,
    Escalation,
    Payer,
    Price,
    Programme,
    ProgrammeItem,
    Rule,
    Scenario,
)
from impactkit.errors import ScenarioError

__all__ = ["parse_scenario"]

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_TEXTS = {"label", "label_nl", "label_en", "source", "source_nl", "source_en"}
_TOP = {"scenario", "discount", "index", "payers", "prices", "paths", "programmes", "rules", "adjustments",
        "programme", "uncertainty"}  # fmt: skip
MAX_DEPTH = 8  # the deepest key a scenario needs is paths.ID.components[i].units_per_year.value (6)


def _depth(obj: Any) -> int:
    """Nesting depth of tables and arrays, without recursion (a hostile file cannot overflow it)."""
    deepest, stack = 0, [(obj, 0)]
    while stack:
        node, d = stack.pop()
        deepest = max(deepest, d)
        if d > MAX_DEPTH:
            break
        if isinstance(node, Mapping):
            stack.extend((v, d + 1) for v in node.values())
        elif isinstance(node, list | tuple):
            stack.extend((v, d + 1) for v in node)
    return deepest


class _Ctx:
    """The file name, for error messages."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.gaps: list[tuple[str, str]] = []  # (dotted key, language) of one-language texts

    def gap(self, key: str, has_en: bool, has_nl: bool) -> None:
        """Note a shown text that lacks its English (``source``/``source_en``) or Dutch variant."""
        for lang, has in (("en", has_en), ("nl", has_nl)):
            if not has:
                self.gaps.append((key, lang))

    def label_pair(self, obj: Mapping[str, Any], key: str) -> tuple[str, str]:
        """``(label_nl, label_en)``, noting a label given in one language only (none given: the
        catalogue's or the id's words, no gap)."""
        nl, en = self.lang_text(obj, "label", key)
        plain = isinstance(obj.get("label"), str) and bool(str(obj.get("label")).strip())
        if plain or nl or en:
            self.gap(f"{key}.label", plain or bool(en), bool(nl))
        return nl, en

    def fail(self, message_key: str, key: str, **values: Any) -> ScenarioError:
        """The error of refusal text ``message_key`` (impactkit/locale/*/refusals.po) at ``key``."""
        return ScenarioError.at(message_key, source=self.file, key=key, **values)

    def table(self, obj: Any, key: str, allowed: set[str] | None = None) -> Mapping[str, Any]:
        if not isinstance(obj, Mapping):
            raise self.fail("expected_table", key, got=type(obj).__name__)
        if allowed is not None:
            unknown = sorted(set(obj) - allowed)
            if unknown:
                raise self.fail(
                    "unknown_keys", f"{key}.{unknown[0]}", unknown=unknown, allowed=sorted(allowed)
                )
        return obj

    def section(
        self, spec: Mapping[str, Any], name: str, allowed: set[str] | None = None
    ) -> Mapping[str, Any]:
        if name not in spec:
            raise self.fail("section_required", name)
        return self.table(spec[name], name, allowed)

    def text(self, obj: Mapping[str, Any], name: str, key: str, default: str | None = None) -> str:
        val = obj.get(name, default)
        full = f"{key}.{name}" if key else name
        if val is None:
            raise self.fail("required", full)
        if not isinstance(val, str) or not val.strip():
            raise self.fail("expected_nonempty_text", full, got=repr(val))
        return val

    def lang_text(self, obj: Mapping[str, Any], name: str, key: str) -> tuple[str, str]:
        """The optional ``name_nl`` and ``name_en`` variants of a text (empty when not given)."""
        out = []
        for suffix in ("_nl", "_en"):
            val = obj.get(name + suffix, "")
            if not isinstance(val, str):
                raise self.fail("expected_text", f"{key}.{name}{suffix}", got=repr(val))
            out.append(val.strip())
        return out[0], out[1]

    def source_pair(self, obj: Mapping[str, Any], key: str) -> tuple[str, str]:
        """(English or plain source, Dutch source): ``source`` or ``source_en``, and ``source_nl``."""
        nl, en = self.lang_text(obj, "source", key)
        if "source" not in obj and not en:
            if nl:
                self.gap(f"{key}.source", False, True)
                return nl, nl
            raise self.fail("required", f"{key}.source")
        self.gap(f"{key}.source", True, bool(nl))
        return (en or self.text(obj, "source", key)), nl

    def ident(self, val: str, key: str) -> str:
        if not _ID.match(val):
            raise self.fail("expected_identifier", key, got=repr(val))
        return val

    def integer(
        self, obj: Mapping[str, Any], name: str, key: str, default: int | None = None, low: int = 1
    ) -> int:
        val = obj.get(name, default)
        full = f"{key}.{name}" if key else name
        if val is None:
            raise self.fail("required", full)
        if isinstance(val, bool) or not isinstance(val, int) or val < low:
            raise self.fail("expected_integer_at_least", full, low=low, got=repr(val))
        return val

    def flag(self, obj: Mapping[str, Any], name: str, key: str, default: bool) -> bool:
        val = obj.get(name, default)
        if not isinstance(val, bool):
            raise self.fail("expected_bool", f"{key}.{name}", got=repr(val))
        return val

    def param(
        self,
        obj: Mapping[str, Any],
        name: str,
        key: str,
        *,
        minimum: float | None = 0.0,
        maximum: float | None = None,
        default: Any = None,
        source: str = "",
        source_nl: str = "",
    ) -> Param:
        raw = obj.get(name, default)
        full = f"{key}.{name}" if key else name
        if raw is None:
            raise self.fail("required", full)
        return parse_param(
            raw,
            name=full,
            file=self.file,
            minimum=minimum,
            maximum=maximum,
            source=source,
            source_nl=source_nl,
        )


def parse_scenario(spec: Mapping[str, Any], source: str) -> Scenario:
    """Validate ``spec`` and build the :class:`Scenario` (see the module docstring of ``_scenario``)."""
    c = _Ctx(source)
    c.table(spec, "", _TOP)
    if _depth(spec) > MAX_DEPTH:
        raise c.fail("scenario_nested_limit", "", max_depth=MAX_DEPTH)
    head = c.section(
        spec,
        "scenario",
        {"id", "name", "name_nl", "name_en", "report_year", "horizon", "illustrative", "notes"},
    )
    sid = c.ident(c.text(head, "id", "scenario"), "scenario.id")
    report_year = c.integer(head, "report_year", "scenario", low=1900)
    if report_year > 9999:
        raise c.fail("expected_calendar_year", "scenario.report_year", got=report_year)
    horizon = c.integer(head, "horizon", "scenario", default=5)
    if horizon > MAX_HORIZON:
        raise c.fail("horizon_too_long", "scenario.horizon", max=MAX_HORIZON, got=horizon)

    disc = c.table(
        spec.get("discount", {}), "discount", {"costs", "effects", "source", "source_nl", "source_en"}
    )
    if {"source", "source_en", "source_nl"} & set(disc):
        dsrc, dsrc_nl = c.source_pair(disc, "discount")
    else:
        dsrc, dsrc_nl = _DISCOUNT_SOURCE
    d_costs = c.param(disc, "costs", "discount", maximum=1.0, default=0.0225, source=dsrc, source_nl=dsrc_nl)
    d_effects = c.param(
        disc, "effects", "discount", maximum=1.0, default=0.0225, source=dsrc, source_nl=dsrc_nl
    )

    idx = c.section(spec, "index", {"factors", "source", "source_nl", "source_en"})
    index_source, index_source_nl = c.source_pair(idx, "index")
    factors: dict[int, float] = {}
    for year, val in c.table(idx.get("factors"), "index.factors").items():
        key = f"index.factors.{year}"
        if not str(year).isdigit():
            raise c.fail("expected_year", key, got=repr(year))
        if isinstance(val, bool) or not isinstance(val, int | float) or not (math.isfinite(val) and val > 0):
            raise c.fail("expected_positive_number", key, got=repr(val))
        factors[int(year)] = float(val)
    if factors.get(report_year) != 1.0:
        raise c.fail("report_year_factor", f"index.factors.{report_year}", year=report_year)

    payers = _payers(c, spec.get("payers"))
    payer_ids = [p.id for p in payers]

    def factor(year: int, key: str) -> float:
        if year not in factors:
            raise c.fail("no_index_factor", key, year=year)
        return factors[year]

    prices: dict[str, Price] = {}
    for ct, raw in c.section(spec, "prices").items():
        key = f"prices.{ct}"
        c.ident(ct, key)
        pt = c.table(raw, key, {"unit", "price", "price_year", "payer", *_TEXTS})
        unit = c.text(pt, "unit", key)
        if unit not in UNITS:
            raise c.fail("unknown_unit", f"{key}.unit", got=repr(unit), allowed=", ".join(UNITS))
        src, src_nl = c.source_pair(pt, key)
        lab_nl, lab_en = c.label_pair(pt, key)
        p_year = c.integer(pt, "price_year", key, low=1900)
        prices[ct] = Price(
            care_type=ct,
            label=str(pt.get("label", lab_en or _readable(ct))),
            unit=unit,
            price=c.param(pt, "price", key, source=src, source_nl=src_nl),
            price_year=p_year,
            payers=_split(c, pt.get("payer"), f"{key}.payer", payer_ids),
            source=src,
            index=factor(p_year, f"{key}.price_year"),
            label_nl=lab_nl,
            label_en=lab_en,
            source_nl=src_nl,
        )

    paths = _paths(c, c.section(spec, "paths"), prices)
    order = _topological(c, paths)
    programmes = _programmes(c, spec.get("programmes"), paths)

    rules: list[Rule] = []
    raw_rules = spec.get("rules", [])
    if not isinstance(raw_rules, list):
        raise c.fail("expected_rules_array", "rules")
    seen: set[str] = set()
    for i, raw in enumerate(raw_rules):
        key = f"rules[{i}]"
        rt = c.table(
            raw,
            key,
            {
                "id",
                "path",
                "domain",
                "max_score",
                "min_score",
                "probability",
                "instrument",
                "source",
                "source_nl",
                "source_en",
            },
        )
        rid = c.ident(c.text(rt, "id", key), f"{key}.id")
        if rid in seen:
            raise c.fail("duplicate_rule", f"{key}.id", got=repr(rid))
        seen.add(rid)
        path = c.text(rt, "path", key)
        if path not in paths:
            raise c.fail("unknown_path", f"{key}.path", got=repr(path), known=", ".join(paths))
        if ("max_score" in rt) == ("min_score" in rt):
            raise c.fail("one_score_bound", f"{key}.max_score")
        bound = "max_score" if "max_score" in rt else "min_score"
        ms = rt.get(bound)
        if isinstance(ms, bool) or not isinstance(ms, int | float):
            raise c.fail("expected_number", f"{key}.{bound}", got=repr(ms))
        src, src_nl = c.source_pair(rt, key)
        rules.append(
            Rule(
                id=rid,
                path=path,
                source_nl=src_nl,
                domain=c.text(rt, "domain", key),
                max_score=float(ms) if bound == "max_score" else None,
                min_score=float(ms) if bound == "min_score" else None,
                probability=c.param(
                    rt, "probability", f"rules.{rid}", maximum=1.0, source=src, source_nl=src_nl
                ),
                source=src,
                instrument=c.text(rt, "instrument", key) if "instrument" in rt else None,
            )
        )

    adj = c.section(spec, "adjustments", {"deadweight", "attribution", "displacement", "dropoff"})
    adjust = {n: c.param(adj, n, "adjustments", maximum=1.0) for n in sorted(adj)}
    for n in ("deadweight", "attribution", "displacement", "dropoff"):
        if n not in adjust:
            raise c.fail("adjustment_required", f"adjustments.{n}")
        if not adjust[n].source:
            raise c.fail("adjustment_source", f"adjustments.{n}.source")
        _param_gap(c, adj[n], f"adjustments.{n}")

    prog = c.section(spec, "programme", {"payer", "caseload_per_fte", "costs", "volunteer_time"})
    prog_payer = c.text(prog, "payer", "programme", default="municipality_prevention")
    if prog_payer not in payer_ids:
        raise c.fail("unknown_payer", "programme.payer", got=repr(prog_payer), known=", ".join(payer_ids))
    caseload = c.param(prog, "caseload_per_fte", "programme")
    _param_gap(c, prog["caseload_per_fte"], "programme.caseload_per_fte")
    if caseload.value <= 0 or (caseload.low is not None and caseload.low <= 0):
        raise c.fail("must_be_positive", "programme.caseload_per_fte")
    items = []
    for iid, raw in c.table(prog.get("costs", {}), "programme.costs").items():
        key = f"programme.costs.{iid}"
        it = c.table(raw, key, {"amount", "per", "price_year", *_TEXTS})
        per = c.text(it, "per", key)
        if per not in PER:
            raise c.fail("unknown_per", f"{key}.per", got=repr(per), allowed=", ".join(PER))
        src, src_nl = c.source_pair(it, key)
        i_year = c.integer(it, "price_year", key, low=1900)
        lab_nl, lab_en = c.label_pair(it, key)
        items.append(
            ProgrammeItem(
                label=str(it.get("label", lab_en or _readable(iid))),
                label_nl=lab_nl,
                label_en=lab_en,
                id=c.ident(iid, key),
                amount=c.param(it, "amount", key, source=src, source_nl=src_nl),
                per=per,
                price_year=i_year,
                index=factor(i_year, f"{key}.price_year"),
                source=src,
                source_nl=src_nl,
            )
        )
    vt = c.table(
        prog.get("volunteer_time", {}),
        "programme.volunteer_time",
        {
            "include",
            "hours_per_family",
            "hour_value",
            "price_year",
            "payer",
            "source",
            "source_nl",
            "source_en",
        },
    )
    vkey = "programme.volunteer_time"
    if {"source", "source_en", "source_nl"} & set(vt):
        vsrc, vsrc_nl = c.source_pair(vt, vkey)
    else:
        vsrc, vsrc_nl = _NOT_GIVEN
    v_payer = c.text(vt, "payer", vkey, default="volunteers")
    if v_payer not in payer_ids:
        raise c.fail("unknown_payer", f"{vkey}.payer", got=repr(v_payer), known=", ".join(payer_ids))
    v_year = c.integer(vt, "price_year", vkey, default=report_year, low=1900)

    unc = c.table(
        spec.get("uncertainty", {}),
        "uncertainty",
        {"judgement_strength", "bootstrap", "source", "source_nl", "source_en"},
    )
    if {"source", "source_en", "source_nl"} & set(unc):
        usrc, usrc_nl = c.source_pair(unc, "uncertainty")
    else:
        usrc, usrc_nl = _NOT_GIVEN
    strength = c.param(unc, "judgement_strength", "uncertainty", default=10.0, source=usrc, source_nl=usrc_nl)
    if strength.dist != "fixed" or strength.value <= 0:
        raise c.fail("judgement_strength", "uncertainty.judgement_strength", value=f"{strength.value:g}",
                     dist=strength.dist)  # fmt: skip
    bootstrap = c.text(unc, "bootstrap", "uncertainty", default="bayesian")
    if bootstrap not in BOOTSTRAPS:
        raise c.fail(
            "unknown_bootstrap", "uncertainty.bootstrap", got=repr(bootstrap), allowed=", ".join(BOOTSTRAPS)
        )

    return Scenario(
        id=sid,
        name=str(head.get("name", c.lang_text(head, "name", "scenario")[1] or sid)),
        report_year=report_year,
        horizon=horizon,
        discount_costs=d_costs,
        discount_effects=d_effects,
        index=factors,
        index_source=index_source,
        payers=payers,
        prices=prices,
        paths=paths,
        rules=tuple(rules),
        deadweight=adjust["deadweight"],
        attribution=adjust["attribution"],
        displacement=adjust["displacement"],
        dropoff=adjust["dropoff"],
        programme_payer=prog_payer,
        caseload_per_fte=caseload,
        programme_items=tuple(items),
        volunteer_hours=c.param(vt, "hours_per_family", vkey, default=0.0, source=vsrc, source_nl=vsrc_nl),
        volunteer_hour_value=c.param(vt, "hour_value", vkey, default=0.0, source=vsrc, source_nl=vsrc_nl),
        volunteer_index=factor(v_year, f"{vkey}.price_year"),
        value_volunteer_time=c.flag(vt, "include", vkey, default=False),
        volunteer_payer=v_payer,
        illustrative=c.flag(head, "illustrative", "scenario", default=False),
        source=source,
        name_nl=c.lang_text(head, "name", "scenario")[0],
        index_source_nl=index_source_nl,
        programmes=programmes,
        judgement_strength=strength,
        bootstrap=bootstrap,
        uncertainty_source=usrc,
        uncertainty_source_nl=usrc_nl,
        language_gaps=tuple(dict.fromkeys(c.gaps)),
        _order=tuple(order),
    )


def _payers(c: _Ctx, raw: Any) -> tuple[Payer, ...]:
    if raw is None:
        return DEFAULT_PAYERS
    out = []
    for pid, val in c.table(raw, "payers").items():
        key = f"payers.{pid}"
        c.ident(pid, key)
        pt = c.table(val, key, {"label", "label_nl", "label_en", "fiscal"})
        lab_nl, lab_en = c.label_pair(pt, key)
        out.append(
            Payer(
                pid,
                str(pt.get("label", lab_en or pid)),
                c.flag(pt, "fiscal", key, default=True),
                lab_nl,
                lab_en,
            )
        )
    if not out:
        raise c.fail("payer_required", "payers")
    return tuple(out)


def _split(c: _Ctx, raw: Any, key: str, payer_ids: list[str]) -> tuple[tuple[str, float], ...]:
    if raw is None:
        raise c.fail("split_required", key)
    split = {raw: 1.0} if isinstance(raw, str) else dict(c.table(raw, key))
    for pid, share in split.items():
        if pid not in payer_ids:
            raise c.fail("unknown_payer", key, got=repr(pid), known=", ".join(payer_ids))
        if isinstance(share, bool) or not isinstance(share, int | float) or not 0 <= share <= 1:
            raise c.fail("payer_share_range", f"{key}.{pid}", got=repr(share))
    total = sum(split.values())
    if abs(total - 1.0) > 1e-9:
        raise c.fail("payer_shares_sum", key, total=f"{total:g}")
    return tuple((pid, float(s)) for pid, s in split.items())


def _paths(c: _Ctx, raw: Mapping[str, Any], prices: Mapping[str, Price]) -> dict[str, CarePath]:
    allowed = {"prevalence", "components", "escalations", *_TEXTS}
    out: dict[str, CarePath] = {}
    for pid in raw:
        c.ident(pid, f"paths.{pid}")
    for pid, val in raw.items():
        key = f"paths.{pid}"
        pt = c.table(val, key, allowed)
        src, src_nl = c.source_pair(pt, key)
        lab_nl, lab_en = c.label_pair(pt, key)
        comps = []
        raw_comps = pt.get("components", [])
        if not isinstance(raw_comps, list):
            raise c.fail("expected_tables_array", f"{key}.components")
        for j, comp in enumerate(raw_comps):
            ck = f"{key}.components[{j}]"
            ct_ = c.table(comp, ck, {"care_type", "units_per_year", "unit", "start_year", "years"})
            care = c.text(ct_, "care_type", ck)
            if care not in prices:
                raise c.fail("unknown_care_type", f"{ck}.care_type", got=repr(care), known=", ".join(prices))
            unit = ct_.get("unit")
            if unit is not None and unit != prices[care].unit:
                raise c.fail("units_mismatch", f"{ck}.unit", unit=repr(unit), care=repr(care),
                             priced=repr(prices[care].unit))  # fmt: skip
            start = c.integer(ct_, "start_year", ck, default=1)
            if start > MAX_HORIZON:
                raise c.fail("start_year_too_late", f"{ck}.start_year", max=MAX_HORIZON, got=start)
            comps.append(
                Component(
                    care_type=care,
                    units_per_year=c.param(ct_, "units_per_year", ck, source=src, source_nl=src_nl),
                    start_year=start,
                    years=c.param(
                        ct_, "years", ck, default=1, maximum=float(MAX_HORIZON), source=src, source_nl=src_nl
                    ),
                )
            )
        if not comps:
            raise c.fail("path_needs_component", f"{key}.components")
        escs = []
        raw_escs = pt.get("escalations", [])
        if not isinstance(raw_escs, list):
            raise c.fail("expected_tables_array", f"{key}.escalations")
        for j, esc in enumerate(raw_escs):
            ek = f"{key}.escalations[{j}]"
            et = c.table(esc, ek, {"to", "probability", "after_years"})
            to = c.text(et, "to", ek)
            if to not in raw:
                raise c.fail("unknown_path", f"{ek}.to", got=repr(to), known=", ".join(raw))
            escs.append(
                Escalation(
                    to=to,
                    probability=c.param(et, "probability", ek, maximum=1.0, source=src, source_nl=src_nl),
                    after_years=min(c.integer(et, "after_years", ek, default=1, low=0), MAX_HORIZON),
                )
            )
        out[pid] = CarePath(
            id=pid,
            label=str(pt.get("label", lab_en or _readable(pid))),
            label_nl=lab_nl,
            label_en=lab_en,
            source_nl=src_nl,
            components=tuple(comps),
            escalations=tuple(escs),
            prevalence=c.param(pt, "prevalence", key, maximum=1.0, default=0.0, source=src, source_nl=src_nl),
            source=src,
        )
    if not out:
        raise c.fail("path_required", "paths")
    return out


_DISCOUNT_SOURCE = (
    "Dutch MKBA standard discount rate since 2021 (2.25% real)",
    "Standaarddiscontovoet voor een Nederlandse MKBA sinds 2021 (2,25% reëel)",
)
_NOT_GIVEN = ("(not given)", "(niet opgegeven)")


def _param_gap(c: _Ctx, raw: Any, key: str) -> None:
    """A parameter table with its own ``source`` must give it in both languages too."""
    if isinstance(raw, Mapping) and ({"source", "source_en", "source_nl"} & set(raw)):
        has_en = bool(raw.get("source") or raw.get("source_en"))
        c.gap(f"{key}.source", has_en, bool(raw.get("source_nl")))


def _readable(ident: str) -> str:
    """A label for an id without one: ``debt_assistance`` → ``Debt assistance``."""
    text = ident.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def _programmes(c: _Ctx, raw: Any, paths: Mapping[str, CarePath]) -> dict[str, Programme]:
    if raw is None:
        return {}
    out: dict[str, Programme] = {}
    for gid, val in c.table(raw, "programmes").items():
        key = f"programmes.{gid}"
        c.ident(gid, key)
        pt = c.table(val, key, {"names", "paths", "prevalence", *_TEXTS})
        lab_nl, lab_en = c.lang_text(pt, "label", key)  # a programme's name: the same in every language
        label = c.text(pt, "label", key, default=lab_en or _readable(gid))
        names = pt.get("names", [])
        if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
            raise c.fail("expected_programme_names", f"{key}.names", got=repr(names))
        declared = pt.get("paths")
        if not isinstance(declared, list) or not all(isinstance(n, str) for n in declared):
            raise c.fail("expected_path_ids", f"{key}.paths", got=repr(declared))
        for pid in declared:
            if pid not in paths:
                raise c.fail("unknown_path", f"{key}.paths", got=repr(pid), known=", ".join(paths))
        src, src_nl = c.source_pair(pt, key)
        prev = {}
        for pid, rawp in c.table(pt.get("prevalence", {}), f"{key}.prevalence").items():
            if pid not in declared:
                raise c.fail("undeclared_prevalence", f"{key}.prevalence.{pid}", got=repr(pid))
            prev[pid] = parse_param(rawp, name=f"{key}.prevalence.{pid}", file=c.file, minimum=0.0,
                                    maximum=1.0, source=src, source_nl=src_nl)  # fmt: skip
            _param_gap(c, rawp, f"{key}.prevalence.{pid}")
        out[gid] = Programme(
            id=gid,
            label=label,
            names=tuple(names),
            paths=tuple(p for p in paths if p in declared),
            prevalence=prev,
            source=src,
            label_nl=lab_nl,
            label_en=lab_en,
            source_nl=src_nl,
        )
    from impactkit.costs._scenario import _norm

    seen: dict[str, str] = {}
    for prog in out.values():  # ids and names must be unambiguous; a shared label only stops matching
        for name in {_norm(n) for n in (prog.id, *prog.names)}:
            if name in seen and seen[name] != prog.id:
                raise c.fail(
                    "name_taken", f"programmes.{prog.id}.names", name=repr(name), other=repr(seen[name])
                )
            seen[name] = prog.id
    return out


def _topological(c: _Ctx, paths: Mapping[str, CarePath]) -> list[str]:
    """Order paths so escalation targets come first; a cycle is an error."""
    order: list[str] = []
    state: dict[str, int] = {}

    def visit(pid: str, trail: list[str]) -> None:
        if state.get(pid) == 2:
            return
        if state.get(pid) == 1:
            raise c.fail("escalation_cycle", f"paths.{pid}.escalations", cycle=" → ".join([*trail, pid]))
        state[pid] = 1
        for e in paths[pid].escalations:
            visit(e.to, [*trail, pid])
        state[pid] = 2
        order.append(pid)

    for pid in paths:
        visit(pid, [])
    return order
