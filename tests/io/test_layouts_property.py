"""Property: the same cohort in every accepted layout, format, encoding and header language reads into
the identical canonical frame (and the canonical frame is the cohort itself).

Layouts: wide and long.  Formats and encodings: CSV in UTF-8 (``,``), UTF-8 with BOM (``;``, CRLF),
Windows-1252 (``;``), UTF-16 (tab, Excel's "Unicode text"), ``|``; Excel; Parquet.  Header and value
language: impactkit ids, Dutch labels, English labels, with family-id headers from the shared id
vocabulary.  Reference: the cohort as drawn, made canonical with ``ik.canonical`` (no file involved).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandas.testing as pdt
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import impactkit as ik

INST = ik.builtin("default")
TODAY = "2026-11-01"
ID_HEADERS = ("family_id", "Gezinsnummer", "Dossiernummer", "Cliëntcode", "Casus ID")


@st.composite
def cohorts(draw):
    n = draw(st.integers(1, 5))
    waves = draw(st.sampled_from([["intake", "year1"], ["intake", "year1", "year2"], ["intake", "year2"]]))
    domains = draw(st.lists(st.sampled_from(INST.domain_ids), min_size=1, max_size=4, unique=True))
    domains = [d for d in INST.domain_ids if d in domains]
    rows = []
    for i in range(n):
        fid = draw(st.sampled_from(["G", "É", "F-"])) + str(100 + i)  # an accent forces real encodings
        for k, w in enumerate(waves):
            if k and draw(st.booleans()) and draw(st.booleans()):
                continue  # dropped out before this wave (never the first)
            date = pd.Timestamp("2022-01-03") + pd.Timedelta(days=400 * k + 7 * i)
            for d in domains:
                score = draw(st.one_of(st.none(), st.integers(1, 5)))
                rows.append((fid, w, date, d, np.nan if score is None else float(score)))
    frame = pd.DataFrame(rows, columns=["family_id", "wave", "assessed_on", "domain", "score"])
    lang = draw(st.sampled_from(["id", "nl", "en"]))
    id_header = draw(st.sampled_from(ID_HEADERS))
    return frame, lang, id_header


def _expected(frame: pd.DataFrame) -> pd.DataFrame:
    """The cohort itself, with the instrument restricted to what it scores (as the reader notes)."""
    scored = frame[frame["score"].notna()]
    if scored.empty:  # nothing scored at all: nothing to leave out either
        return ik.canonical(frame, INST)
    doms = [d for d in INST.domain_ids if d in set(scored["domain"])]
    waves = [w for w in INST.wave_ids if w in set(scored["wave"])]
    inst = INST.subset(domains=doms, waves=waves if len(waves) >= 2 else None)
    keep = frame["domain"].isin(inst.domain_ids) & frame["wave"].isin(inst.wave_ids)
    return ik.canonical(frame[keep], inst)


def _labels(frame: pd.DataFrame, lang: str, id_header: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(wide, long) as an export writes them: text cells, headers and values in ``lang``."""

    def dom(d: str) -> str:
        return d if lang == "id" else INST.domain_label(d, lang)

    def wave(w: str) -> str:
        return w if lang == "id" else INST.wave_label(w, lang)

    wave_h, date_h, dom_h, score_h = {
        "id": ("wave", "assessed_on", "domain", "score"),
        "nl": ("Meetmoment", "Datum meting", "Leefgebied", "Cijfer"),
        "en": ("Wave", "Date", "Domain", "Score"),
    }[lang]
    text = frame.assign(
        wave=frame["wave"].map(wave),
        assessed_on=frame["assessed_on"].dt.strftime("%d-%m-%Y" if lang == "nl" else "%Y-%m-%d"),
        domain=frame["domain"].map(dom),
        score=frame["score"].map(lambda s: "" if np.isnan(s) else f"{s:.0f}"),
    )
    long = text.rename(columns={"family_id": id_header, "wave": wave_h, "assessed_on": date_h,
                                "domain": dom_h, "score": score_h})  # fmt: skip
    wide = text.pivot(index=["family_id", "wave", "assessed_on"], columns="domain", values="score")
    wide = wide.reset_index().rename(columns={"family_id": id_header, "wave": wave_h, "assessed_on": date_h})
    wide.columns.name = None
    return wide, long


def _variants(tmp, wide: pd.DataFrame, long: pd.DataFrame):
    for layout, table in (("wide", wide), ("long", long)):
        yield f"{layout} csv utf-8", _csv(tmp / f"{layout}1.csv", table, ",", "utf-8")
        yield f"{layout} csv bom ; crlf", _csv(tmp / f"{layout}2.csv", table, ";", "utf-8-sig", "\r\n")
        yield f"{layout} csv cp1252", _csv(tmp / f"{layout}3.csv", table, ";", "cp1252")
        yield f"{layout} txt utf-16 tab", _csv(tmp / f"{layout}4.txt", table, "\t", "utf-16")
        yield f"{layout} csv pipe", _csv(tmp / f"{layout}5.csv", table, "|", "utf-8")
        xlsx = tmp / f"{layout}.xlsx"
        table.to_excel(xlsx, index=False)
        yield f"{layout} xlsx", xlsx
        pq = tmp / f"{layout}.parquet"
        table.to_parquet(pq, index=False)
        yield f"{layout} parquet", pq


def _csv(path, table: pd.DataFrame, sep: str, encoding: str, newline: str = "\n"):
    path.write_bytes(table.to_csv(sep=sep, index=False, lineterminator=newline).encode(encoding))
    return path


def _same(a: pd.DataFrame, b: pd.DataFrame, what: str) -> None:
    key = ["family_id", "wave", "domain"]
    a = a.sort_values(key).reset_index(drop=True)
    b = b.sort_values(key).reset_index(drop=True)
    pdt.assert_frame_equal(a, b, obj=what)
    assert a.attrs["instrument"].domain_ids == b.attrs["instrument"].domain_ids, what
    assert a.attrs["instrument"].wave_ids == b.attrs["instrument"].wave_ids, what


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=cohorts())
def test_every_layout_format_encoding_and_language_gives_the_same_canonical_frame(case, tmp_path_factory):
    frame, lang, id_header = case
    tmp = tmp_path_factory.mktemp("variants")
    expected = _expected(frame)
    wide, long = _labels(frame, lang, id_header)
    for what, path in _variants(tmp, wide, long):
        got = ik.read_assessments(path, today=TODAY)
        _same(got, expected, what)
        assert got.attrs["n_missing_scores"] == int(expected["score"].isna().sum()), what
