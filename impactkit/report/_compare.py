"""Year on year: "compared with last year", from last year's release folder.

A release folder made by ``impactkit run`` holds ``manifest.json`` (inputs, options, instrument
and scenario with their SHA-256) and ``results.json`` (every key figure and table cell each report
published, as published).  This year's report of the same scope (the funder report, a
municipality's, a programme's) gets a section that sets its key figures and its change per domain
beside last year's:

* **only published numbers**: a figure is compared only when both years published it; a figure
  hidden in either year is hidden in the comparison and so is its change, so the comparison
  shows nothing a reader of the two releases could not already read (a difference of two
  published numbers reveals no hidden cell);
* **apples with apples**: a different instrument (id or SHA-256) means no score is compared; a
  different cost scenario means no cost figure is compared, and the assumptions that changed
  are listed; a different rule of who counts (families / waves), k or waves compared is said;
* **no test of the difference**: under the "active" and "measured" rules the two years share the
  families supported in both, so the years are not independent samples; differences are shown as
  descriptive.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from impactkit.errors import ParameterError
from impactkit.i18n import text
from impactkit.privacy import PRIMARY, PUBLISHED, SECONDARY, WITHHELD
from impactkit.report._model import Column, Section, Table

__all__ = ["PreviousRelease", "comparison_section"]

MANIFEST, RESULTS = "manifest.json", "results.json"
_COST_SECTIONS = {"costs", "observed"}
_CHANGE_KINDS = {"count": "count", "share": "points", "share1": "points", "probability": "points", "number1": "signed1",
                 "number2": "signed2", "number3": "signed2", "money": "money", "general": "signed2",
                 "signed2": "signed2", "months": "signed1"}  # fmt: skip


def _read_json(path: Path, what: str) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise ParameterError(
            f"The previous release {str(path.parent)!r} has no {path.name}: point [run] previous at a "
            f"folder written by impactkit run ({what})."
        ) from err
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ParameterError(
            f"{str(path)!r} is not valid JSON ({err}); it is not an impactkit release file."
        ) from err
    if not isinstance(data, dict) or data.get("impactkit_release") is None:
        raise ParameterError(f"{str(path)!r} is not an impactkit release file (no 'impactkit_release' key).")
    return data


@dataclass(frozen=True)
class PreviousRelease:
    """Last year's release, read back from its folder (``manifest.json`` + ``results.json``)."""

    folder: Path
    manifest: dict[str, Any]
    results: dict[str, Any]

    @classmethod
    def of(cls, value: Any) -> PreviousRelease:
        return value if isinstance(value, PreviousRelease) else cls.load(value)

    @classmethod
    def load(cls, folder: str | Path) -> PreviousRelease:
        """Read a release folder; its ``results.json`` must be the one its manifest lists."""
        root = Path(folder)
        if not root.is_dir():
            raise ParameterError(
                f"The 'previous' release folder {str(root)!r} does not exist: point it at last year's "
                "release folder (the one holding manifest.json)."
            )
        manifest = _read_json(root / MANIFEST, "its manifest")
        results = _read_json(root / RESULTS, "its published results")
        listed = {o["file"]: o["sha256"] for o in manifest.get("outputs", [])}
        digest = hashlib.sha256((root / RESULTS).read_bytes()).hexdigest()
        if listed.get(RESULTS) != digest:
            raise ParameterError(
                f"{str(root / RESULTS)!r} is not the file its manifest lists (SHA-256 {digest[:12]}… "
                f"against {str(listed.get(RESULTS, 'none'))[:12]}…): it was changed after the release was made."
            )
        return cls(root, manifest, results)

    @property
    def label(self) -> str:
        return str(self.manifest.get("period", {}).get("label", "?"))

    def report(self, kind: str, scope: str, lang: str) -> dict[str, Any] | None:
        """Last year's published results of one report (same language preferred)."""
        reports = self.results.get("reports", {})
        same = reports.get(f"{kind}/{scope}/{lang}")
        if same is not None:
            return dict(same)
        for key, value in reports.items():
            if key.startswith(f"{kind}/{scope}/"):
                return dict(value)
        return None


def _num(v: Any) -> float | None:
    return float(v) if isinstance(v, int | float) and not isinstance(v, bool) and v == v else None


def _hidden(v: Any) -> str:
    """The status of a published cell: "" (a number), PRIMARY ("<k"), SECONDARY ("x") or WITHHELD
    ("–": not published, or not computed)."""
    if isinstance(v, str):
        return PRIMARY if v.startswith("<") else WITHHELD if v.strip() in ("–", "-", "") else SECONDARY
    return PUBLISHED


def _changed_assumptions(before: dict[str, Any], now: dict[str, Any], fmt: Any) -> list[str]:
    out = []
    for key in sorted(set(before) | set(now)):
        a, b = before.get(key), now.get(key)
        if a != b:
            shown = [
                fmt.general(x) if isinstance(x, int | float) else ("–" if x is None else str(x))
                for x in (a, b)
            ]
            out.append(f"{key}: {shown[0]} → {shown[1]}")
    return out


def comparison_section(
    previous: PreviousRelease,
    sections: list[Section],
    *,
    current: dict[str, Any],
    fmt: Any,
    k: int,
    kind: str,
    scope: str,
) -> Section:
    """The "compared with last year" section of one report.

    ``current`` describes this release as its manifest will (``instrument``, ``scenario`` with
    ``id``/``sha256``/``assumptions``, ``period``, ``k``); ``sections`` are this report's, as
    published.
    """
    from impactkit.figures import Labels
    from impactkit.report._results import section_results

    lang = fmt.lang
    t = lambda key, **v: text("run", key, lang, **v)  # noqa: E731 - a short local alias
    sec = Section("compare", t("sec_compare", label=previous.label))
    prev = previous.report(kind, scope, lang)
    man = previous.manifest
    sec.paragraphs.append(
        t("compare_intro", label=previous.label, generated=str(man.get("generated_at", "?")),
          version=str(man.get("impactkit_version", "?")))
    )  # fmt: skip
    if prev is None:
        sec.paragraphs.append(t("compare_no_report", label=previous.label))
        return sec
    same_instrument = (man.get("instrument", {}).get("id"), man.get("instrument", {}).get("sha256")) == (
        current["instrument"]["id"],
        current["instrument"]["sha256"],
    )
    same_scenario = all(
        man.get("scenario", {}).get(key) == current["scenario"].get(key)
        for key in ("id", "sha256", "prices_sha256")
    )
    flags: list[str] = []
    if not same_instrument:
        flags.append(
            t(
                "compare_instrument",
                before=str(man.get("instrument", {}).get("id")),
                now=current["instrument"]["id"],
            )
        )
    if not same_scenario:
        changed = _changed_assumptions(
            dict(man.get("scenario", {}).get("assumptions", {})),
            dict(current["scenario"].get("assumptions", {})),
            fmt,
        )
        flags.append(
            t("compare_scenario", before=str(man.get("scenario", {}).get("id")), now=current["scenario"]["id"],
              changed="; ".join(changed[:12]) + (" …" if len(changed) > 12 else "") if changed else (
                t("compare_prices") if man.get("scenario", {}).get("prices_sha256") != current["scenario"].get("prices_sha256")
                else t("compare_same_values")))
        )  # fmt: skip
    before_rule = {k_: man.get("period", {}).get(k_) for k_ in ("families", "waves")}
    now_rule = {k_: current["period"].get(k_) for k_ in ("families", "waves")}
    if before_rule != now_rule:
        flags.append(t("compare_rule", before=f"{before_rule['families']} / {before_rule['waves']}",
                       now=f"{now_rule['families']} / {now_rule['waves']}"))  # fmt: skip
    if previous.label == str(current["period"].get("label", "")):
        flags.append(t("compare_same_period", label=previous.label))
    if man.get("options", {}).get("k") not in (None, k):
        flags.append(t("compare_k", before=str(man["options"]["k"]), now=str(k)))
    if flags:
        sec.lists.append((t("compare_flags"), flags))
    else:
        sec.paragraphs.append(t("compare_same"))
    now = section_results(
        sections,
        lang=lang,
        instrument=current["instrument_obj"],
        labels=Labels(fmt, current["instrument_obj"], None),
    )
    labels = (previous.label, str(current["period"].get("label", "")))
    if labels[0] == labels[1]:  # a rebuilt release of the same period: two columns of one name would merge
        labels = (t("col_earlier", label=labels[0]), labels[1])
    kf_table = _key_figures(prev, now, fmt, k, same_scenario, t, labels)
    if kf_table is not None:
        sec.blocks.append(kf_table)
    if same_instrument:
        change = _change(prev, now, fmt, k, t, labels)
        if change is not None:
            sec.blocks.append(change)
    else:
        sec.paragraphs.append(t("compare_no_scores"))
    sec.after.append(t("compare_descriptive"))
    return sec


def _shown(kind: str, v: float, fmt: Any) -> str:
    from impactkit.report._model import KINDS

    return KINDS[kind][0](fmt, v) if kind in KINDS else fmt.general(v)


def _key_figures(
    prev: dict[str, Any],
    now: dict[str, Any],
    fmt: Any,
    k: int,
    same_scenario: bool,
    t: Any,
    labels: tuple[str, str],
) -> Table | None:
    before = {kf["id"]: kf for kf in prev.get("key_figures", [])}
    rows, status = [], []
    for kf in now["key_figures"]:
        old = before.get(kf["id"])
        if old is None or kf.get("kind") != old.get("kind"):
            continue
        cost = kf.get("section") in _COST_SECTIONS or kf["id"] in ("kf_bcr", "kf_psaving")
        a, b = old.get("number"), kf.get("number")
        ha = _hidden(old.get("text")) if a is None else PUBLISHED
        hb = _hidden(kf.get("text")) if b is None else PUBLISHED
        kind = str(kf.get("kind", "text"))
        shown_a = _shown(kind, a, fmt) if _num(a) is not None else str(old.get("text", ""))
        shown_b = _shown(kind, b, fmt) if _num(b) is not None else str(kf.get("text", ""))
        if cost and not same_scenario:
            rows.append(
                {
                    "label": kf["label"],
                    "before": shown_a,
                    "now": shown_b,
                    "change": t("compare_not_comparable"),
                }
            )
            status.append({"label": "", "before": ha, "now": hb, "change": ""})
            continue
        change = _change_text(kind, a, b, fmt) if not (ha or hb) else None
        rows.append({"label": kf["label"], "before": shown_a, "now": shown_b, "change": change})
        status.append({"label": "", "before": ha, "now": hb, "change": ha or hb})
    shown_now = {kf["id"] for kf in now["key_figures"]}
    for old in prev.get("key_figures", []):
        if old["id"] in shown_now:
            continue  # compared above (or of another kind: not comparable, left out)
        a, kind = old.get("number"), str(old.get("kind", "text"))
        ha = _hidden(old.get("text")) if a is None else PUBLISHED
        shown_a = _shown(kind, a, fmt) if _num(a) is not None else str(old.get("text", ""))
        rows.append({"label": old["label"], "before": shown_a, "now": "–", "change": t("compare_not_now")})
        status.append({"label": "", "before": ha, "now": "", "change": ""})
    if not rows:
        return None
    frame = pd.DataFrame(rows)
    st = pd.DataFrame(status)
    return Table.stated(
        "tbl-compare-key",
        t("tbl_compare_key"),
        frame,
        [
            Column("label", t("col_figure")),
            Column("before", labels[0]),
            Column("now", labels[1]),
            Column("change", t("col_change")),
        ],
        fmt,
        status=st,
        k=k,
        sheet="compare",
    )


def _change_text(kind: str, a: Any, b: Any, fmt: Any) -> str | None:
    x, y = _num(a), _num(b)
    if x is None or y is None:
        return None
    how = _CHANGE_KINDS.get(kind)
    digits = {"count": 0, "points": 2, "money": 0, "signed1": 1, "signed2": 2}.get(how or "", 6)
    d = round(y, digits) - round(x, digits)  # the change of the numbers as shown: before + change = now
    if how == "count":
        return fmt.signed(d, 0)
    if how == "points":
        return text("run", "points", fmt.lang, value=fmt.signed(100 * d, 0))
    if how == "money":
        return ("+" if d > 0 else "") + fmt.currency(d)
    if how == "signed1":
        return fmt.signed(d, 1)
    if how == "signed2":
        return fmt.signed(d, 2)
    return None


def _rows(result: dict[str, Any], table: str) -> pd.DataFrame | None:
    spec = result.get("tables", {}).get(table)
    if not spec:
        return None
    return pd.DataFrame(spec["rows"], columns=spec["columns"])


def _change(
    prev: dict[str, Any], now: dict[str, Any], fmt: Any, k: int, t: Any, labels: tuple[str, str]
) -> Table | None:
    a, b = _rows(prev, "distance"), _rows(now, "distance")
    if a is None or b is None or "domain" not in a or "domain" not in b:
        return None
    a = a.set_index("domain")
    rows, status = [], []
    for _, r in b.iterrows():
        d = r["domain"]
        if d is None or d not in a.index:
            continue
        o = a.loc[d]
        cells, st = {"label": r["label"]}, {"label": ""}
        for side, src in (("before", o), ("now", r)):
            hidden = _hidden(src["mean_diff"]) if _num(src["mean_diff"]) is None else PUBLISHED
            n_hidden = _hidden(src["n"]) if _num(src["n"]) is None else PUBLISHED
            cells[f"{side}_n"] = _num(src["n"])
            st[f"{side}_n"] = n_hidden
            cells[f"{side}"] = _num(src["mean_diff"])
            st[side] = hidden
            lo, hi = _num(src.get("ci_low")), _num(src.get("ci_high"))
            cells[f"{side}_lo"], cells[f"{side}_hi"] = lo, hi
            st[f"{side}_lo"] = st[f"{side}_hi"] = hidden or (PUBLISHED if lo is not None else SECONDARY)
        both = not st["before"] and not st["now"]
        cells["difference"] = round(cells["now"], 2) - round(cells["before"], 2) if both else None
        st["difference"] = "" if both else (st["before"] or st["now"])
        rows.append(cells)
        status.append(st)
    if not rows:
        return None
    frame = pd.DataFrame(rows)
    st_frame = pd.DataFrame(status)
    return Table.stated(
        "tbl-compare-change",
        t("tbl_compare_change"),
        frame,
        [
            Column("label", t("col_domain")),
            Column("before_n", t("col_n", label=labels[0]), "count"),
            Column("before", t("col_mean_change", label=labels[0]), "signed2"),
            Column(("before_lo", "before_hi"), t("col_ci"), "ci:number2"),
            Column("now_n", t("col_n", label=labels[1]), "count"),
            Column("now", t("col_mean_change", label=labels[1]), "signed2"),
            Column(("now_lo", "now_hi"), t("col_ci"), "ci:number2"),
            Column("difference", t("col_difference"), "signed2"),
        ],
        fmt,
        status=st_frame,
        k=k,
        notes=[t("compare_change_note")],
        sheet="compare_change",
    )
