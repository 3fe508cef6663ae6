"""Every scenario text a report shows exists in Dutch and in English (issue 9's bilingual scenarios,
now used by the shipped ones): the shipped scenarios and the sample's prices give both, a user's
scenario that gives one language only gets a validation warning, and the Dutch sample report has
no English source line.

Independent references: the scenario files are walked as raw TOML (not through the parser) for
every ``source``/``label`` without its ``_nl``; English is recognised by English function words
that no Dutch source uses.
"""

from __future__ import annotations

import re
import shutil
import tomllib
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

import impactkit as ik

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = [
    ROOT / "impactkit" / "costs" / "data" / "default.toml",
    ROOT / "data" / "sample" / "scenario.toml",
    ROOT / "tests" / "corpus" / "exports" / "buurtgezinnen" / "scenario.toml",
]
ENGLISH = re.compile(r"\b(?:the|of|and|assumption|illustrative|would|per hour|families)\b", re.IGNORECASE)


def _one_language(node: object, key: str = "") -> list[str]:
    """Dotted keys of every ``source``/``label`` in a raw TOML tree that has no ``_nl`` sibling
    (programme labels are names, the same in both languages)."""
    out: list[str] = []
    if isinstance(node, dict):
        for text in ("source", "label"):
            if (
                text in node
                and f"{text}_nl" not in node
                and not (text == "label" and ".programmes." in f".{key}")
            ):
                out.append(f"{key}.{text}")
        for k, v in node.items():
            out += _one_language(v, f"{key}.{k}" if key else k)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _one_language(v, f"{key}[{i}]")
    return out


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.parent.name)
def test_shipped_scenarios_give_every_text_in_dutch(path):
    spec = tomllib.loads(path.read_text(encoding="utf-8"))
    assert _one_language(spec) == []
    scenario = ik.costs.Scenario.from_file(path)
    assert scenario.language_gaps == ()
    assert scenario.name_in("nl").startswith("Illustratief")


def test_sample_prices_have_dutch_sources():
    prices = pd.read_csv(ROOT / "data" / "sample" / "prices.csv")
    assert prices["source_nl"].notna().all()
    assert not prices["source_nl"].str.contains(ENGLISH).any()
    assert not prices["source_nl"].equals(prices["source"])


def test_a_user_scenario_in_one_language_is_a_validation_warning(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "sample", data)
    path = data / "scenario.toml"
    lines = path.read_text(encoding="utf-8").splitlines()
    # drop the Dutch source of [prices.home_guidance] and the Dutch label of [paths.youth_care]
    head_price = lines.index("[prices.home_guidance]")
    head_path = lines.index("[paths.youth_care]")
    drop = {
        next(i for i in range(head_price, len(lines)) if lines[i].startswith("source_nl")),
        next(i for i in range(head_path, len(lines)) if lines[i].startswith("label_nl")),
    }
    path.write_text("\n".join(x for i, x in enumerate(lines) if i not in drop) + "\n", encoding="utf-8")
    shown = [i for i in range(len(lines)) if i not in drop]
    rep = ik.validate(data, today="2026-11-01", lang="nl")
    assert rep.valid  # a warning, not a problem
    w = rep.warnings[rep.warnings["code"] == "scenario_no_nl"]
    assert len(w) == 1  # one warning naming both texts
    first = w.iloc[0]
    assert first["column"] == "prices.home_guidance.source"
    assert first["row"] == shown.index(head_price) + 1  # the line of [prices.home_guidance]
    assert "2 tekst(en)" in first["message"]
    assert f"paths.youth_care.label ({shown.index(head_path) + 1})" in first["message"]
    assert first["value"].startswith("Kostenhandleiding 2024")
    assert (
        ik.validate(ROOT / "data" / "sample", today="2026-11-01")
        .warnings.query("code.str.startswith('scenario_no')")
        .empty
    )


class _Sources(HTMLParser):
    """The cells of every table column headed "Bron" (source)."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[str] = []
        self._row: list[str] = []
        self._col: int | None = None
        self._text: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._col = None
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._text = []

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._text is not None:
            self._row.append("".join(self._text).strip())
            self._text = None
        elif tag == "tr":
            if "Bron" in self._row and self._col is None:
                self._col = self._row.index("Bron")
            elif self._col is not None and len(self._row) > self._col:
                self.cells.append(self._row[self._col])


def test_the_dutch_report_has_no_english_source_line(sample_dir):
    ds = ik.read_dataset(sample_dir, today="2026-11-01")
    rep = ik.build_report(ds, lang="nl", draws=200, generated_at="2026-11-01")
    parser = _Sources()
    parser.feed(rep.html)
    cells = parser.cells
    assert len(cells) >= 20  # the cost assumptions, the intake rules, the instrument
    english = [c for c in cells if ENGLISH.search(c)]
    assert english == []
    assert "Illustratief, voorzichtig: 30% van de vermeden zorg" in rep.html
    # no English source of the scenario or of the sample's prices appears anywhere in the page
    spec = tomllib.loads((sample_dir / "scenario.toml").read_text(encoding="utf-8"))
    texts: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("source"), str) and node.get("source_nl") not in (None, node["source"]):
                texts.append(node["source"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(spec)
    prices = pd.read_csv(sample_dir / "prices.csv")
    texts += list(prices.loc[prices["source"] != prices["source_nl"], "source"])
    from html import unescape

    page = unescape(rep.html)
    assert [t for t in texts if t in page] == []
