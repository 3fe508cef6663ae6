"""Rendering every report of a release into a staging folder, with its results and manifest."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

import numpy as np

from impactkit._version import __version__
from impactkit.errors import DesignError
from impactkit.run._config import RunConfig
from impactkit.run._run import RunResult, _dump, file_stem, scope_key

__all__ = ["release_audit", "write_release"]


def _plan(ds: Any, rc: RunConfig) -> Any:
    from impactkit.privacy import ReleasePlan, Scope, plan_release

    fam = ds.families
    if fam is None:
        n = int(ds.assessments["family_id"].nunique())
        if n < rc.k:
            raise DesignError(f"Only {n} families in the period: nothing can be published with k = {rc.k}.")
        return ReleasePlan(rc.k, [Scope("funder", "", n, True)], {})
    return plan_release(fam, k=rc.k, municipalities=rc.municipalities, programmes=rc.programmes)


def _members(ds: Any, column: str, name: str) -> list[str]:
    fam = ds.families
    return list(fam.loc[fam[column].astype("string") == name, "family_id"].astype(str))


def release_audit(ds: Any, plan: Any, k: int) -> Any:
    """The release-level audit: every report scope and the breakdown rows of the plan's groups
    (municipality and programme, their crossings) in one ledger, protected jointly.

    The reports' own tables are protected when they are built; their hidden cells are listed in
    the manifest next to this audit."""
    from impactkit.privacy import OTHER, Ledger, protect

    ids = sorted(set(ds.assessments["family_id"].astype(str)))
    led = Ledger(ids)
    led.add("funder", ids, cost=1e6, label="the funder report (all families counted)")
    fam = ds.families
    if fam is None:
        return protect(led, k=k)
    fam = fam[fam["family_id"].astype(str).isin(ids)]
    for scope in plan.scopes:
        if scope.kind == "funder":
            continue
        key = scope_key(scope.kind, scope.name)
        members = _members(ds, scope.kind, scope.name)
        if scope.published:
            led.add(
                key,
                members,
                dim=f"{scope.kind} reports",
                cost=1e6,
                label=f"the {scope.kind} report of {scope.name}",
            )
    for column in ("municipality", "programme"):
        if column not in fam or column not in plan.groups:
            continue
        group = fam[column].astype("string").fillna("").map(lambda v, c=column: plan.group(c, str(v)))
        for g, sub in fam.groupby(group.to_numpy()):
            name = "other" if g == OTHER else g
            led.add(
                f"row:{column}:{name}", sub["family_id"].astype(str), dim=column,
                label=f"the {column} row '{name}' of the breakdowns",
            )  # fmt: skip
    if (
        "municipality" in plan.groups
        and "programme" in plan.groups
        and {"municipality", "programme"} <= set(fam)
    ):
        m = fam["municipality"].astype("string").fillna("").map(lambda v: plan.group("municipality", str(v)))
        p = fam["programme"].astype("string").fillna("").map(lambda v: plan.group("programme", str(v)))
        for (gp, gm), sub in fam.groupby([p.to_numpy(), m.to_numpy()]):
            led.add(
                f"row:programme:{gp}/municipality:{gm}", sub["family_id"].astype(str), dim=f"municipality in {gp}",
                label=f"programme '{gp}' × municipality '{gm}'",
            )  # fmt: skip
    return protect(led, k=k)


def _reason(scope: Any, k: int) -> str | None:
    """Why a report is withheld, as a code: never its size (the plan's own text names it, and a
    withheld report's size is exactly what must not be published)."""
    if scope.published:
        return None
    if scope.n < k:
        return "fewer_than_k"
    if scope.reason.startswith("not asked"):
        return "not_asked"
    return "remainder"


def _reason_text(scope: Any, k: int, lang: str) -> str:
    from impactkit.i18n import text

    plural = text("run", f"m_plural.{scope.kind}", lang)
    return text("run", f"m_reason.{_reason(scope, k)}", lang, k=k, what=plural)


def _hidden_cells(rep: Any) -> list[dict[str, Any]]:
    out = []
    for sec in rep.sections:
        for t in sec.tables:
            for i, row in enumerate(t.rows):
                for j, cell in enumerate(row):
                    if getattr(cell, "status", ""):
                        out.append(
                            {"table": t.id.removeprefix("tbl-"), "caption": t.caption, "row": i, "row_label": row[0].text,
                             "column": j, "column_label": t.header[j], "marker": cell.text, "status": cell.status}
                        )  # fmt: skip
    return out


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _mask(n: Any, k: int) -> Any:
    """A count as a release may print it: under k (and not 0) as "<k"."""
    if n is None or (isinstance(n, float) and np.isnan(n)):
        return None
    n = int(n)
    return f"<{k}" if 0 < n < k else n


def _finite(x: Any) -> Any:
    if x is None:
        return None
    x = float(x)
    return None if not np.isfinite(x) else (int(x) if x.is_integer() else x)


def write_release(ds: Any, rc: RunConfig, stage: Path, inputs: list[tuple[str, Path]]) -> RunResult:
    """Render the release of ``ds`` (the whole export) as ``rc`` describes into ``stage``."""
    from impactkit import costs as ik_costs
    from impactkit.figures import Labels
    from impactkit.i18n import Formatter
    from impactkit.io._period import data_sha256
    from impactkit.report import Release, build_report
    from impactkit.report._compare import PreviousRelease
    from impactkit.report._results import FORMAT, identity, section_results

    dsp = ds.in_period(rc.period)
    sel = dsp.period
    # one release: every report below is rendered from its decisions (protected together)
    release = Release(dsp, k=rc.k, municipalities=rc.municipalities, programmes=rc.programmes,
                      kinds=tuple(rc.kinds), seed=rc.seed, draws=rc.draws)  # fmt: skip
    plan = release.plan
    prev = PreviousRelease.load(rc.previous) if rc.previous is not None else None
    generated = rc.generated_at or dt.datetime.now(dt.UTC).date()
    scenario = (
        ik_costs.Scenario.from_file(dsp.scenario_path)
        if dsp.scenario_path is not None
        else ik_costs.Scenario.default()
    )
    ident = identity(dsp.instrument, scenario, dsp.prices)
    files: list[Path] = []
    outputs: list[dict[str, Any]] = []
    results: dict[str, Any] = {"impactkit_release": FORMAT, "period": rc.period.to_dict(), "reports": {}}
    hidden: list[dict[str, Any]] = []
    slugs = [(s.kind, file_stem("", s.kind, s.name, "")) for s in plan.scopes]
    unique = {
        (s.kind, s.name): slugs.count((s.kind, file_stem("", s.kind, s.name, ""))) == 1 for s in plan.scopes
    }
    for scope in (s for s in plan.scopes if s.published):
        where: dict[str, Any] = {scope.kind: scope.name} if scope.kind != "funder" else {}
        for kind in rc.kinds:
            positions: dict[str, list[tuple[str, int, int, str]]] = {}
            first_cells: list[dict[str, Any]] = []
            for lang in rc.languages:
                rep = build_report(
                    dsp, kind=kind, lang=lang, k=rc.k, seed=rc.seed, draws=rc.draws, generated_at=generated,
                    templates=rc.templates, previous=prev, release=release, **where,
                )  # fmt: skip
                stem = file_stem(kind, scope.kind, scope.name, lang, unique=unique[(scope.kind, scope.name)])
                meta = {"kind": kind, "scope": scope.kind, "name": scope.name, "lang": lang}
                for fmt_, write in (
                    ("html", lambda p, r=rep: r.save(p)),
                    ("xlsx", lambda p, r=rep: r.to_excel(p)),
                    ("pdf", lambda p, r=rep: r.to_pdf(p)),
                ):
                    if fmt_ in rc.outputs:
                        path = write(stage / f"{stem}.{fmt_}")
                        files.append(path)
                        outputs.append({"file": path.name, **meta, "format": fmt_})
                results["reports"][f"{kind}/{scope_key(scope.kind, scope.name)}/{lang}"] = section_results(
                    rep.sections, lang=lang, instrument=dsp.instrument,
                    labels=Labels(Formatter(lang), dsp.instrument, scenario),
                )  # fmt: skip
                cells = _hidden_cells(rep)
                positions[lang] = [(c["table"], c["row"], c["column"], c["status"]) for c in cells]
                if lang == rc.languages[0]:
                    first_cells = [{"report": stem.removesuffix(f"-{lang}"), **c, "words": {}} for c in cells]
                    hidden += first_cells
                if len(cells) == len(first_cells):  # the same cells in every language (checked below)
                    for c, mine in zip(first_cells, cells, strict=True):
                        c["words"][lang] = {w: mine[w] for w in ("caption", "row_label", "column_label")}
            first = positions[rc.languages[0]]
            for lang, pos in positions.items():
                if pos != first:  # the populations of a report do not depend on its language
                    raise RuntimeError(
                        f"impactkit bug: the {kind} report of {scope.kind} {scope.name!r} hides other cells in "
                        f"{lang!r} than in {rc.languages[0]!r}; please report it."
                    )
    results_path = stage / "results.json"
    results_path.write_text(_dump(results), encoding="utf-8")
    files.append(results_path)
    outputs.append(
        {"file": "results.json", "kind": "", "scope": "", "name": "", "lang": "", "format": "json"}
    )
    for o in outputs:
        p = stage / o["file"]
        o["sha256"], o["bytes"] = _sha(p), p.stat().st_size
    audit = release_audit(dsp, plan, rc.k)
    exact = sel.exclusions.copy()
    manifest = {
        "impactkit_release": FORMAT,
        "impactkit_version": __version__,
        "generated_at": generated.isoformat(),
        "period": {
            **rc.period.to_dict(),
            "definition": {lang: rc.period.describe(lang) for lang in rc.languages},
        },
        "options": rc.options(),
        **ident,
        "inputs": [
            {"name": name, "file": p.name, "sha256": _sha(p), "bytes": p.stat().st_size}
            for name, p in inputs
            if p.is_file()
        ],
        "data_sha256": data_sha256(dsp),
        **_masked_exclusions(exact, sel, rc.k),
        "reports": [
            {
                "kind": s.kind,
                "name": s.name,
                "families": s.n if s.published else None,
                "published": s.published,
                "reason": _reason(s, rc.k),
                "reason_text": {lang: _reason_text(s, rc.k, lang) for lang in rc.languages}
                if not s.published
                else None,
            }
            for s in plan.scopes
        ],
        "outputs": outputs,
        "suppression": {
            "k": rc.k,
            "hidden_cells": hidden,
            "populations": [
                {
                    # never the exact size of a hidden group: its feasible range only
                    **{k_: v for k_, v in r.items() if k_ not in ("n", "n_low", "n_high")},
                    "n_low": _finite(r["n_low"]),
                    "n_high": _finite(r["n_high"]),
                }
                for r in audit.cells.to_dict("records")
            ],
            "audit_ok": bool(audit.ok),
            "exposed": list(audit.exposed),
        },
        "comparison": _comparison(prev, ident, rc) if prev is not None else None,
        "sign_off": {"privacy_officer": None, "date": None},
    }
    (stage / "manifest.json").write_text(_dump(manifest), encoding="utf-8")
    files.append(stage / "manifest.json")
    from impactkit.run._manifest import write_manifest_pages

    files += write_manifest_pages(manifest, stage, rc.languages)
    return RunResult(stage, manifest, files, dsp, plan, audit, exact_exclusions=exact)


def _masked_exclusions(exact: Any, sel: Any, k: int) -> dict[str, Any]:
    """The period's exclusions as a manifest may print them: a count of 1 to k-1 as "<k", and, since
    the families left out add up to the export minus the families counted (both printed), one
    more count hidden ("x", the smallest) when only one of them is under k, so that no hidden
    count can be recovered by subtraction; with a single such count the export's size is hidden."""
    rows = [
        {**r, "rows": _mask(r["rows"], k), "families": _mask(r["families"], k),
         "amount": round(float(r["amount"]), 2) if r["amount"] else None}
        for r in exact.to_dict("records")
    ]  # fmt: skip
    export: Any = sel.families_before
    left = [r for r in rows if r["table"] == "families" and r["action"] == "excluded"]
    hidden = [r for r in left if isinstance(r["families"], str)]
    if len(hidden) == 1:
        shown = [r for r in left if not isinstance(r["families"], str) and r["families"]]
        if shown:
            pick = min(shown, key=lambda r: r["families"])
            pick["rows"] = pick["families"] = "x"
        else:
            export = "x"
    families = {
        "export": export,
        "counted": sel.families_after,
        "still_in_support": _mask(sel.still_in_support, k),
    }
    return {"families": families, "exclusions": rows}


def _comparison(prev: Any, ident: dict[str, Any], rc: RunConfig) -> dict[str, Any]:
    pm = prev.manifest
    return {
        "previous": prev.folder.name,
        "label": prev.label,
        "manifest_sha256": _sha(prev.folder / "manifest.json"),
        "same_instrument": pm.get("instrument", {}).get("sha256") == ident["instrument"]["sha256"]
        and pm.get("instrument", {}).get("id") == ident["instrument"]["id"],
        "same_scenario": pm.get("scenario", {}).get("sha256") == ident["scenario"]["sha256"]
        and pm.get("scenario", {}).get("prices_sha256") == ident["scenario"].get("prices_sha256"),
        "same_rule": {k: pm.get("period", {}).get(k) for k in ("families", "waves")}
        == {"families": rc.period.families, "waves": rc.period.waves},
    }
