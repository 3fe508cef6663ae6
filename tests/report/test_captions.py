"""Captions from published values only (issue 12 item 5), against generated suppression patterns.

References: the catalogues themselves (every caption with a suppressed form keeps the base form's
words but drops the suppressed value), and hand-built ledgers whose every population's status is
set by the test: each pattern of published / primary / secondary over the five parts of the
improved / unchanged / worse chart.
"""

from __future__ import annotations

import itertools
import re
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from _report_data import sample

from impactkit.i18n import Formatter
from impactkit.privacy import PRIMARY, PUBLISHED, SECONDARY, Ledger
from impactkit.report._captions import say
from impactkit.report._change import SHARE_PARTS, _shares, drawn_parts
from impactkit.report._model import Chart
from impactkit.report._publish import PublishedFormatter, Publisher

LANGS = ("en", "nl")
PO = {lang: f"impactkit/locale/{lang}/LC_MESSAGES/report.po" for lang in LANGS}
# words that give away the other language in a sentence (a caption copied untranslated)
FOREIGN = {
    "en": {"de", "het", "een", "van", "niet", "zijn", "gezinnen"},
    "nl": {"the", "and", "not", "families", "with", "which"},
}
FILL = {
    "k": "10",
    "n": "34",
    "n0": "60",
    "n_last": "41",
    "up": "35%",
    "down": "12%",
    "share": "40%",
    "diff": "0,45",
}


def _catalogue(lang: str) -> dict[str, str]:
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / PO[lang]).read_text(encoding="utf-8")
    out: dict[str, str] = {}
    for m in re.finditer(r'^msgid "(.*)"\nmsgstr ((?:".*"\n?)+)', text, flags=re.M):
        out[m.group(1)] = "".join(re.findall(r'"(.*)"', m.group(2)))
    return out


def _forms() -> list[tuple[str, str]]:
    """(base key, suppressed form) for every caption with a _few or _hidden form."""
    cat = _catalogue("en")
    return [
        (k[: -len(s)], k) for k in cat for s in ("_few", "_hidden") if k.endswith(s) and k[: -len(s)] in cat
    ]


def _sentence_ok(text: str, lang: str) -> None:
    for bad in ("{", "}", "  ", " .", " ,"):
        assert bad not in text, (bad, text)
    assert text[0].isupper() or text[0].isdigit() or text[0] == "<", text
    assert text.rstrip().endswith((".", ")")), text
    words = set(re.findall(r"[a-zà-ÿ]+", text.lower()))
    assert not (words & FOREIGN[lang]), (lang, text, words & FOREIGN[lang])


@pytest.mark.parametrize("lang", LANGS)
def test_every_suppressed_form_drops_the_value_and_reads_as_a_sentence(lang: str) -> None:
    """A _few / _hidden form keeps the words of its base but never the placeholder of the value it
    hides (only k, the population and the names may remain); every form is a sentence in its language."""
    cat = _catalogue(lang)
    forms = _forms()
    assert len(forms) >= 6  # sankey up/down, flow, and their siblings
    for base, form in forms:
        assert form in cat, (lang, form)
        have = set(re.findall(r"{(\w+)}", cat[base]))
        keep = set(re.findall(r"{(\w+)}", cat[form]))
        assert keep <= have | {"k"}, (form, keep - have)
        assert have - keep, f"{form} states every value {base} states"
        t = Formatter(lang).text
        fill = {p: FILL.get(p, "Financiën" if lang == "nl" else "Finances") for p in have | keep}
        _sentence_ok(t(form, **{p: fill[p] for p in keep}), lang)
        _sentence_ok(t(base, **{p: fill[p] for p in have}), lang)
    for key in cat:
        if key.endswith(("_hidden", "_few", "_empty", "_combined")) and "{" not in cat[key]:
            _sentence_ok(cat[key], lang)


# ------------------------------------------------------------------ patterns of the shares chart
def _publisher(lang: str, statuses: dict[str, str]) -> Publisher:
    led = Ledger([f"F{i}" for i in range(60)])
    for key in statuses:
        led.add(key, [f"F{i}" for i in range(10)])
    for key, st in statuses.items():
        led[key].status = st
    return Publisher(led, "funder", 10, Formatter(lang), protected=True)


def _rows(pub: Publisher, raw: dict[str, dict[str, float]]) -> list[dict[str, object]]:
    rows = []
    for d, shares in raw.items():
        n = pub.count((d, "n"), [])  # the pairs: a population with no status of its own here
        row: dict[str, object] = {
            "domain": d,
            "label": d.capitalize(),
            "baseline": "intake",
            "followup": "y1",
            "n": n,
        }
        for p in SHARE_PARTS:
            row[f"share_{p}"] = pub.derived(shares[p], pub.count((d, p), []))
        rows.append(row)
    return rows


RAW = {"improved": 0.55, "unchanged": 0.30, "worse": 0.15, "not_improved": 0.45, "not_worse": 0.85}


def _pattern_statuses(domain: str, pattern: tuple[str, ...]) -> dict[str, str]:
    return {f"funder/{domain}/{p}": st for p, st in zip(SHARE_PARTS, pattern, strict=True)}


ALL = list(itertools.product((PUBLISHED, PRIMARY, SECONDARY), repeat=len(SHARE_PARTS)))


def test_drawn_parts_follow_every_pattern() -> None:
    """All 243 patterns: the chart draws published parts only, rounded as printed, and the finest
    split that is published in full (so the parts add up to the whole) before any partial one."""
    pub = _publisher("en", {**_pattern_statuses("a", ALL[0]), "funder/a/n": PUBLISHED})
    row = _rows(pub, {"a": RAW})[0]
    for pattern in ALL:  # one ledger, its statuses set to each pattern
        for key, status in _pattern_statuses("a", pattern).items():
            pub.ledger[key].status = status
        got = drawn_parts(pub, row)
        st = dict(zip(SHARE_PARTS, pattern, strict=True))
        for p, x in got.items():
            assert st[p] == PUBLISHED, (pattern, p)
            assert x == round(RAW[p], 2)
        full = [s for s in (("improved", "unchanged", "worse"), ("improved", "not_improved"), ("not_worse", "worse"))
                if all(st[p] == PUBLISHED for p in s)]  # fmt: skip
        if full:
            assert tuple(got) == full[0], pattern
            assert sum(got.values()) == pytest.approx(1.0)
        else:
            assert set(got) == {p for p in ("improved", "unchanged", "worse") if st[p] == PUBLISHED}


def _ctx(lang: str, pub: Publisher) -> SimpleNamespace:
    ds = sample()
    return SimpleNamespace(
        pub=pub, fmt=PublishedFormatter(pub), instrument=ds.instrument, lang=lang, k=10,
        wave=lambda w: {"intake": "Intake", "y1": "Year 1"}[w], t=PublishedFormatter(pub).text, collecting=False,
    )  # fmt: skip


# the patterns of the best domain's improved share that matter, each with a suppressed neighbour
PATTERNS = [
    (PUBLISHED,) * 5,
    (PRIMARY, PUBLISHED, PUBLISHED, PUBLISHED, PUBLISHED),
    (SECONDARY, PUBLISHED, PRIMARY, PUBLISHED, PUBLISHED),
    (PUBLISHED, SECONDARY, PRIMARY, PUBLISHED, PUBLISHED),
    (PUBLISHED, PRIMARY, SECONDARY, PUBLISHED, PUBLISHED),
    (PRIMARY, SECONDARY, PUBLISHED, PUBLISHED, SECONDARY),
    (SECONDARY,) * 5,
]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("pattern", PATTERNS)
def test_the_shares_caption_states_published_values_only(lang: str, pattern: tuple[str, ...]) -> None:
    """Domain a improves most (55%); b less (40%, always published).  When a's share is hidden the
    caption says the best is not shown, never that b is the best; every percentage it prints is
    the text of a published value; combined parts are said in words."""
    statuses = {**_pattern_statuses("a", pattern), **_pattern_statuses("b", (PUBLISHED,) * 5)}
    statuses |= {"funder/a/n": PUBLISHED, "funder/b/n": PUBLISHED}
    pub = _publisher(lang, statuses)
    b = {"improved": 0.40, "unchanged": 0.40, "worse": 0.20, "not_improved": 0.60, "not_worse": 0.80}
    import pandas as pd

    cv = pd.DataFrame(_rows(pub, {"a": RAW, "b": b}))
    chart = _shares(_ctx(lang, pub), cv)  # type: ignore[arg-type]
    cap = chart.caption
    fmt = Formatter(lang)
    published = {fmt.percent(RAW[p]) for p, st in zip(SHARE_PARTS, pattern, strict=True) if st == PUBLISHED}
    published |= {fmt.percent(v) for v in b.values()}
    for pct in re.findall(r"\d+\s?%", cap):
        assert pct in published, (pattern, cap)
    if pattern[0] == PUBLISHED:
        assert "A" in cap
        assert fmt.percent(0.55) in cap
    else:
        assert cap.startswith(fmt.text("shares_best_hidden", k="10")), cap
        assert " B " not in f" {cap} "
        assert fmt.percent(0.40) not in cap
    _sentence_ok(cap, lang)
    # the chart's bars: published numbers only
    drawn = [
        v
        for tr in chart.figure.data
        if tr.type == "bar"  # the words of a row with nothing published are a text trace
        for v in (tr.x if tr.orientation == "h" else tr.y)
        if v is not None
    ]
    allowed = {round(RAW[p], 2) for p, st in zip(SHARE_PARTS, pattern, strict=True) if st == PUBLISHED}
    allowed |= {round(v, 2) for v in b.values()}
    assert all(np.isnan(v) or round(float(v), 2) in allowed for v in drawn), (pattern, drawn)


@pytest.mark.parametrize("lang", LANGS)
def test_sankey_sentences_for_every_status(lang: str) -> None:
    """say() picks the published, "fewer than k" or "not shown" form from the value's status."""
    t = Formatter(lang).text
    for st, form in ((PUBLISHED, ""), (PRIMARY, "_few"), (SECONDARY, "_hidden")):
        pub = _publisher(lang, {"funder/x": st})
        v = pub.derived(0.25, pub.count("x", []))
        text = say(
            PublishedFormatter(pub).text,
            pub,
            "sankey_down",
            [v],
            down=PublishedFormatter(pub).percent(v),
            k="10",
        )
        want = t(
            "sankey_down" + form,
            **(
                {"down": Formatter(lang).percent(0.25)} if not form else {"k": "10"} if form == "_few" else {}
            ),
        )
        assert text == want
        assert (Formatter(lang).percent(0.25) in text) == (st == PUBLISHED)


@pytest.mark.parametrize("lang", LANGS)
def test_a_chart_with_nothing_to_draw_is_said_in_words(lang: str) -> None:
    """An empty Sankey: no plot box at all, the caption's words and the table (issue 12 item 5)."""
    import pandas as pd

    from impactkit.report._html import environment
    from impactkit.report._model import Column, Table

    pub = _publisher(lang, {"funder/flow": PRIMARY})
    fmt = PublishedFormatter(pub)
    table = Table.build("tbl-sankey", "Transitions", pd.DataFrame({"from": ["Low"], "n": [pub.count("flow", [])]}),
                        [Column("from", "From"), Column("n", "n", "count")], fmt, k=10)  # fmt: skip
    caption = Formatter(lang).text("sankey_empty", k="10")
    _sentence_ok(caption, lang)
    macros = environment().get_template("_macros.html.j2").module
    html = str(
        macros.chart(Chart("sankey", "Transitions", caption, None, table), None, {"numbers": "Numbers"})
    )  # type: ignore[attr-defined]
    assert 'class="plot"' not in html
    assert caption in html
    assert "&lt;10" in html  # the table says what may be published: the marker


# ------------------------------------------------------------- bounds of hidden parts (report/_bounds)
N = 60
COUNTS = {"improved": 33, "unchanged": 18, "worse": 9, "not_improved": 27, "not_worse": 51}  # RAW x 60


def _ranges(key: str) -> tuple[float, float]:
    """What a release would let a reader derive of each count: 6 below to 3 above the truth."""
    part = key.rsplit("/", 1)[1]
    if part == "n":
        return float(N), float(N)
    c = COUNTS[part]
    return float(max(0, c - 6)), float(min(N, c + 3))


def _bounded_rows(pub: Publisher, b_improved: float) -> pd.DataFrame:
    from impactkit.report._publish import Value

    rows = []
    for d, counts in (("a", COUNTS), ("b", None)):
        n = Value(N, {f"funder/{d}/n"})
        row: dict[str, object] = {
            "domain": d,
            "label": d.capitalize(),
            "baseline": "intake",
            "followup": "y1",
            "n": n,
        }
        for p in SHARE_PARTS:
            share = counts[p] / N if counts else {"improved": b_improved, "unchanged": 0.3, "worse": 0.7 - b_improved,
                                                  "not_improved": 1 - b_improved, "not_worse": b_improved + 0.3}[p]  # fmt: skip
            row[f"n_{p}"] = Value(round(share * N), {f"funder/{d}/{p}"})
            row[f"share_{p}"] = row[f"n_{p}"] / n
        rows.append(row)
    return pd.DataFrame(rows)


@pytest.mark.parametrize("lang", LANGS)
def test_every_bound_form_reads_as_a_sentence(lang: str) -> None:
    """Each ``_at_least`` / ``_at_most`` form keeps its base's words, states the bound (never the
    hidden value's own placeholder) with "at least" / "at most" in its language."""
    cat = _catalogue(lang)
    words = {"en": ("at least", "at most"), "nl": ("minstens", "hoogstens")}[lang]
    forms = [(key.rsplit("_at_", 1)[0], key) for key in cat if key.endswith(("_at_least", "_at_most"))]
    assert {f for _, f in forms} >= {"shares_caption_at_least", "sankey_up_at_least", "sankey_down_at_most"}
    for base, key in forms:
        assert base in cat, key
        bound = "low" if key.endswith("_at_least") else "high"
        have = set(re.findall(r"{(\w+)}", cat[base]))
        keep = set(re.findall(r"{(\w+)}", cat[key]))
        assert bound in keep
        assert not (keep & {"share", "up", "down"}), (key, keep)
        assert words[0 if bound == "low" else 1] in cat[key].lower(), (key, cat[key])
        fill = {p: FILL.get(p, "Financiën" if lang == "nl" else "Finances") for p in keep | have}
        _sentence_ok(Formatter(lang).text(key, **fill), lang)


@pytest.mark.parametrize("lang", LANGS)
def test_bounds_in_every_pattern(lang: str) -> None:
    """All 243 patterns of domain a (55% improved of 60, the best) beside b (40% or 50%, always
    published), with the ranges a release would give: a bound is drawn and said only for a part
    hidden to protect another one; the caption cites a's lower bound ("at least 45%") only when it
    is the largest published figure, else says the best is not shown; every percentage it prints
    is a published value or a bound; every sentence is grammatical in its language."""
    from impactkit.report._change import shares_caption, shares_drawn

    fmt = Formatter(lang)
    at_least = {"en": "at least", "nl": "minstens"}[lang]
    base = {**_pattern_statuses("b", (PUBLISHED,) * 5), "funder/a/n": PUBLISHED, "funder/b/n": PUBLISHED}
    pub = _publisher(lang, {**_pattern_statuses("a", (PUBLISHED,) * 5), **base})  # one ledger, statuses reset
    pub.ranges = _ranges
    for b_improved in (0.40, 0.50):
        cv = _bounded_rows(pub, b_improved)
        # b at 50% only matters where a's improved is hidden for another (the bound, 45%, is lower)
        for pattern in ALL if b_improved < 0.45 else [q for q in ALL if q[0] == SECONDARY]:
            for key, status in _pattern_statuses("a", pattern).items():
                pub.ledger[key].status = status
            drawn, bounds = shares_drawn(pub, cv)
            st = dict(zip(SHARE_PARTS, pattern, strict=True))
            # bounds: exactly the hidden-for-another parts, 6 below / 3 above the truth, rounded safely
            want = {p for p in ("improved", "unchanged", "worse") if st[p] == SECONDARY}
            assert set(bounds[0]) == want, pattern
            for p, bd in bounds[0].items():
                assert (bd.low, bd.high) == (
                    100 * (COUNTS[p] - 6) // N / 100,
                    -(-100 * (COUNTS[p] + 3) // N) / 100,
                )
            assert bounds[1] == {}
            for p in ("improved", "unchanged", "worse"):
                low = drawn.at[0, f"share_{p}_low"]
                assert np.isnan(low) or (p in want and low == bounds[0][p].low), (pattern, p)
            cap = shares_caption(_ctx(lang, pub), cv, drawn, bounds)  # type: ignore[arg-type]
            allowed = {fmt.percent(COUNTS[p] / N) for p in SHARE_PARTS if st[p] == PUBLISHED}
            allowed |= {
                fmt.percent(v) for v in (b_improved, 0.3, 0.7 - b_improved, 1 - b_improved, b_improved + 0.3)
            }
            allowed |= {fmt.percent(bd.low) for bd in bounds[0].values()}
            for pct in re.findall(r"\d+\s?%", cap):
                assert pct in allowed, (pattern, cap)
            if st["improved"] == PUBLISHED:
                assert cap.startswith(fmt.text("shares_caption", best="A", share=fmt.percent(0.55),
                                               baseline="Intake", followup="Year 1")), cap  # fmt: skip
            elif st["improved"] == SECONDARY and b_improved < 0.45:
                assert f"{at_least} {fmt.percent(0.45)}" in cap, (pattern, cap)
                assert cap.startswith(("In A,", "Op A ")), cap
            else:
                assert cap.startswith(fmt.text("shares_best_hidden", k="10")), (pattern, cap)
            _sentence_ok(cap, lang)
