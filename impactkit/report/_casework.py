"""The coordinator's family view (``kind="casework"``): one family's journey, for the conversation
with that family.  Internal and confidential, never part of a funder report.

Per family: its scores over the waves (a journey radar and a line per domain), its events and
care over time on the background of its before / during / after windows, and the counts per
window.  Families are named by a keyed pseudonym (HMAC-SHA256, :mod:`impactkit.pseudonym`), never by
their id; nothing is suppressed (the view is about one family), so it takes none of the funder
reports' options and has no spreadsheet export.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from markupsafe import Markup

from impactkit import figures, outcomes
from impactkit._version import __version__
from impactkit.errors import DesignError, ParameterError
from impactkit.figures import phase_label
from impactkit.figures._outcomes import short_label
from impactkit.i18n import Formatter
from impactkit.instruments import Instrument
from impactkit.pseudonym import pseudonymise
from impactkit.report._html import css_string, figure_div, plotly_js, render
from impactkit.report._model import Chart, Column, KeyFigure, Section, Table
from impactkit.report._report import Report

__all__ = ["MAX_FAMILIES", "build_casework", "casework_sections"]

MAX_FAMILIES = 25  # one page per family; more belongs in separate files


def _families(ds: Any, family: str | Iterable[str] | None) -> list[str]:
    known = list(dict.fromkeys(ds.assessments["family_id"].astype(str)))
    if family is None:
        if len(known) > MAX_FAMILIES:
            raise DesignError(
                f"build_report(kind='casework'): {len(known)} families; the family view shows at most "
                f"{MAX_FAMILIES}. Name the families to show: family=['F00012', ...] (CLI: --family F00012)."
            )
        return known
    wanted = [family] if isinstance(family, str) else [str(f) for f in family]
    unknown = [f for f in wanted if f not in set(known)]
    if unknown:
        raise ParameterError(
            f"The 'family' parameter of build_report names families not in the data: {unknown[:5]}. "
            f"Got {len(wanted)} id(s); the data hold {len(known)} families (e.g. {known[:3]})."
        )
    if len(wanted) > MAX_FAMILIES:
        raise ParameterError(
            f"The 'family' parameter of build_report may name at most {MAX_FAMILIES} families for one "
            f"casework file. Got {len(wanted)} instead."
        )
    return list(dict.fromkeys(wanted))


def casework_sections(
    ds: Any,
    fmt: Formatter,
    *,
    family: str | Iterable[str] | None,
    key: str | bytes | None,
    key_file: Any,
    scenario: Any = None,
) -> tuple[list[Section], dict[str, Any]]:
    """The sections of the family view and the strings of its cover."""
    chosen = _families(ds, family)
    names = pseudonymise(pd.DataFrame({"family_id": chosen}), key=key, key_file=key_file)["family_id"]
    alias = dict(zip(chosen, names.astype(str), strict=True))
    inst: Instrument = ds.instrument
    t = fmt.text
    counts = None
    if (
        ds.families is not None
        and "start_date" in ds.families
        and (ds.events is not None or ds.care_used is not None)
    ):
        counts = outcomes.phase_counts(ds, scenario=scenario, lang=fmt.lang)
    intro = Section("confidential", t("cw_confidential_title"), [t("cw_confidential"), t("cw_reading")])
    intro.lists.append((t("cw_families_shown", n=fmt.integer(len(chosen))), [alias[f] for f in chosen]))
    sections = [intro]
    for i, fid in enumerate(chosen):
        sections.append(_family_section(ds, fmt, fid, alias[fid], i, counts, inst))
    cover = {
        "kicker": t("cw_kicker"),
        "title": t("cw_title", n=fmt.integer(len(chosen)))
        if len(chosen) > 1
        else t("cw_title_one", name=alias[chosen[0]]),
        "subtitle_parts": {
            "families": fmt.integer(len(chosen)),
            "instrument": inst.name_nl if fmt.lang == "nl" else inst.name_en,
        },
    }
    return sections, cover


def _family_section(
    ds: Any,
    fmt: Formatter,
    fid: str,
    name: str,
    i: int,
    counts: outcomes.PhaseCounts | None,
    inst: Instrument,
) -> Section:
    t = fmt.text
    sec = Section(f"family-{i + 1}", t("cw_family", name=name))
    fam = ds.families
    row = (
        fam[fam["family_id"].astype(str) == fid].iloc[0]
        if fam is not None and (fam["family_id"].astype(str) == fid).any()
        else None
    )
    if row is not None:
        start, end, reason = row.get("start_date"), row.get("end_date"), row.get("end_reason")
        sec.key_figures.append(KeyFigure(fmt.date(start), t("cw_start")))
        ended = t(f"end_{reason}") if isinstance(reason, str) and _has(f"end_{reason}") else ""
        sec.key_figures.append(
            KeyFigure(fmt.date(end) if pd.notna(end) else t("cw_ongoing"), t("cw_end"), ended)
        )
        if "programme" in row and pd.notna(row["programme"]):
            sec.key_figures.append(KeyFigure(str(row["programme"]), t("cw_programme")))
    scores = ds.assessments[ds.assessments["family_id"].astype(str) == fid][
        ["domain", "wave", "score"]
    ].copy()
    scores["wave"] = scores["wave"].astype(str)
    scores["domain"] = scores["domain"].astype(str)
    lab = figures.Labels(fmt, inst)
    wide = scores.pivot_table(index="domain", columns="wave", values="score", aggfunc="first")
    wide = wide.reindex(index=[d for d in inst.domain_ids if d in wide.index],
                        columns=[w for w in inst.wave_ids if w in wide.columns])  # fmt: skip
    frame = wide.reset_index()
    frame["domain_t"] = [lab.domain(d) for d in frame["domain"]]
    cols = [Column("domain_t", t("domain"))] + [Column(w, lab.wave(w), "general") for w in wide.columns]
    score_table = Table.confidential(
        f"tbl-cw-scores-{i + 1}", t("cw_scores"), frame, cols, fmt, k=3, sheet="casework"
    )
    radar = figures.radar(scores.rename(columns={"score": "mean"}), lang=fmt.lang, instrument=inst, title="")
    waves = [str(w) for w in wide.columns]
    first, last = (waves[0], waves[-1]) if waves else ("", "")
    sec.blocks.append(Chart(f"cw-radar-{i + 1}", t("cw_radar"), t("cw_radar_caption", first=lab.wave(first),
                            last=lab.wave(last)), radar, score_table))  # fmt: skip
    lines = figures.family_journey_lines(scores, lang=fmt.lang, instrument=inst, title="")
    change = frame[["domain", "domain_t"]].copy()
    if waves:  # the change from the first to the last measurement, in the direction that is better
        change["first"] = frame[waves[0]]
        change["last"] = frame[waves[-1]]
        change["gain"] = (change["last"] - change["first"]) * change["domain"].map(lab.direction)
    whole = bool(np.allclose(scores["score"].dropna() % 1, 0))  # integer scales: +1, not +1.00
    ccols = [Column("domain_t", t("domain")), Column("first", lab.wave(first), "general"),
             Column("last", lab.wave(last), "general"),
             Column("gain", t("cw_gain"), "signed0" if whole else "signed2")]  # fmt: skip
    change_table = Table.confidential(
        f"tbl-cw-change-{i + 1}", t("cw_change"), change, ccols, fmt, k=3, sheet="casework"
    )
    sec.blocks.append(Chart(f"cw-lines-{i + 1}", t("cw_lines"), t("cw_lines_caption"), lines, change_table))
    if counts is not None:
        sec.blocks += _timeline(ds, fmt, fid, i, counts)
    return sec


def _capital(text_: str) -> str:
    return text_[:1].upper() + text_[1:]


def _has(key: str) -> bool:
    from impactkit.i18n._catalog import has

    return has("report", key)


def _timeline(ds: Any, fmt: Formatter, fid: str, i: int, counts: outcomes.PhaseCounts) -> list[Table | Chart]:
    t = fmt.text
    mine = counts[counts["family_id"] == fid]
    windows = next(iter(counts.windows.values()))
    win = windows[windows["family_id"] == fid]
    recs: list[dict[str, Any]] = []
    if ds.events is not None:
        ev = ds.events[ds.events["family_id"].astype(str) == fid]
        for r in ev.itertuples(index=False):
            lo = r.date if pd.notna(r.date) else r.period_start
            hi = r.date if pd.notna(r.date) else r.period_end
            recs.append({"source": "events", "outcome": r.event_type, "start": lo, "end": hi, "amount": float(r.count),
                         "unit": ""})  # fmt: skip
    if ds.care_used is not None:
        cu = ds.care_used[ds.care_used["family_id"].astype(str) == fid]
        for r in cu.itertuples(index=False):
            if pd.isna(r.start):
                continue
            recs.append({"source": "care_used", "outcome": r.care_type, "start": r.start,
                         "end": r.end if pd.notna(r.end) else r.start, "amount": float(r.units), "unit": ""})  # fmt: skip
    lab = figures.Labels(fmt)
    names = dict(zip(counts["outcome"], counts["label"], strict=False))
    kinds = dict(zip(counts["outcome"], counts["source"], strict=False))

    def word(o: str) -> str:
        text_ = str(names.get(o, o))
        if kinds.get(o) != "events":
            text_ = lab.word("care", o, text_)
        return short_label(text_)

    rec = pd.DataFrame(recs, columns=["source", "outcome", "start", "end", "amount", "unit"])
    rec["label"] = [word(o) for o in rec["outcome"]]
    units = dict(zip(counts["outcome"], counts["unit"], strict=False))
    rec["unit"] = [units.get(o, "") for o in rec["outcome"]]
    fig = figures.family_timeline(rec, win, lang=fmt.lang, title="")
    table = mine.pivot_table(index=["source", "outcome", "label", "unit"], columns="phase", values="count",
                             aggfunc="sum", observed=True).reset_index()  # fmt: skip
    table = table[table["source"] != "care_cost"].reset_index(drop=True)
    phases = [p for p in outcomes.PHASES if p in table.columns]
    table = table[table[phases].fillna(0).ne(0).any(axis=1)].reset_index(drop=True)  # what the family had
    table["label_t"] = [word(str(o)) for o in table["outcome"]]
    table["unit_t"] = [lab.word("unit", u) if kinds.get(o) != "events" else "" for o, u in
                       zip(table["outcome"], table["unit"], strict=True)]  # fmt: skip
    # events are whole counts; care in its units to one decimal (0.8 years of an order, not 0.8027)
    decimals = [0 if kinds.get(o) == "events" else 1 for o in table["outcome"]]
    for p in phases:
        table[p] = [round(float(v), d) if pd.notna(v) else v for v, d in zip(table[p], decimals, strict=True)]
    cols = [Column("label_t", t("cw_what")), Column("unit_t", t("unit"))] + [
        Column(p, _capital(phase_label(p, fmt.lang)), "general") for p in phases
    ]
    tab = Table.confidential(f"tbl-cw-events-{i + 1}", t("cw_counts"), table, cols, fmt, k=3, sheet="casework",
                      notes=[t("cw_counts_note")])  # fmt: skip
    post = counts.meta.get("post_months")
    caption = t("cw_timeline_caption" if post is not None else "cw_timeline_caption_open",
                n_events=fmt.integer(int(rec["source"].eq("events").sum())),
                n_care=fmt.integer(int(rec["source"].eq("care_used").sum())),
                pre=fmt.integer(counts.meta["pre_months"]), post=fmt.integer(post) if post is not None else "")  # fmt: skip
    return [Chart(f"cw-timeline-{i + 1}", t("cw_timeline"), caption, fig, tab)]


def build_casework(
    ds: Any,
    *,
    lang: str,
    family: str | list[str] | None,
    key: str | bytes | None,
    key_file: str | Path | None,
    generated_at: Any,
    templates: str | Path | None,
    inputs: list[tuple[str, Path]],
) -> Report:
    """The confidential family view: no costs, no suppression, pseudonyms, a banner on every page."""
    from impactkit.report._build import _file_name, _generated

    fmt = Formatter(lang)
    sections, cover = casework_sections(ds, fmt, family=family, key=key, key_file=key_file)
    when = _generated(generated_at)
    parts = dict(cover.pop("subtitle_parts"))
    one = parts["families"] == fmt.integer(1)
    subtitle = fmt.text("cw_subtitle_one" if one else "cw_subtitle", generated=fmt.date(when), **parts)
    files = [
        (name, hashlib.sha256(Path(p).read_bytes()).hexdigest())
        for name, p in sorted(getattr(ds, "files", {}).items())
    ]
    inputs = inputs + [(name, Path(p)) for name, p in sorted(getattr(ds, "files", {}).items())]
    if templates is not None:
        inputs.append(("templates", Path(templates)))
    footer = {
        "version": __version__,
        "generated_at": when.isoformat(),
        "instrument": f"{ds.instrument.id} ({_file_name(ds.instrument.source)})",
        "scenario": "–",
        "options": f"casework · {lang}",
        "files": files,
        "command": fmt.text(
            "footer_command", command=f"impactkit report PATH --kind casework --lang {lang} --family ..."
        ),
    }
    charts = {b.id: figure_div(b.figure, f"chart-{b.id}", lang=lang) for sec in sections for b in sec.charts}
    labels = {key_: fmt.text(key_) for key_ in ("skip", "contents", "numbers", "reproduce", "generated",
                                                "instrument", "scenario", "options", "inputs", "file")}  # fmt: skip
    # the printed banner's words as a CSS string (JSON quoting, and no "<" that could end the <style>)
    banner_css = Markup(json.dumps(cover["kicker"], ensure_ascii=False).replace("<", "\\3C "))
    context = {"lang": lang, "title": cover["title"], "kicker": cover["kicker"], "subtitle": subtitle,
               "banner_css": banner_css,
               "sections": sections, "charts": charts, "labels": labels, "footer": footer,
               "plotly_js": plotly_js(), "page_label": css_string(f"{cover['kicker']} · {cover['title']}")}  # fmt: skip
    page = render("casework.html.j2", context, templates=templates)
    return Report(html=page, sections=sections, kind="casework", lang=lang, footer=footer, title=cover["title"],
                  subtitle=subtitle, inputs=inputs)  # fmt: skip
