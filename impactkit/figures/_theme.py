"""Shared look of every impactkit figure: a colour-blind-safe palette, one layout, label wrapping.

Okabe & Ito (2008), "Color Universal Design": distinguishable under the common colour-vision
deficiencies. Never encode meaning by red versus green alone; pair colour with labels or patterns.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from impactkit.i18n import Formatter

__all__ = [
    "NEGATIVE",
    "NEUTRAL",
    "PALETTE",
    "PATTERNS",
    "POSITIVE",
    "apply_theme",
    "finish",
    "hover_value",
    "opt",
    "wrap",
]

PALETTE = [
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
]
POSITIVE = "#0072B2"  # gains, savings: blue (not green)
NEGATIVE = "#D55E00"  # losses, costs: vermillion (not red)
NEUTRAL = "#999999"
# hatch patterns pair with colours so that no category rests on colour alone
PATTERNS = ["", "/", ".", "x", "-", "+", "\\", "|"]
FONT = "Source Sans Pro, Segoe UI, Helvetica, Arial, sans-serif"


def apply_theme(fig: go.Figure, *, title: str | None = None) -> go.Figure:
    """Apply impactkit's layout (font, white background, palette) and return the figure."""
    fig.update_layout(
        template="plotly_white",
        colorway=PALETTE,
        font={"family": FONT, "size": 13},
        margin={"l": 60, "r": 30, "t": 60 if title else 30, "b": 50},
        title={"text": title} if title else None,
        legend={"orientation": "h", "y": -0.15},
    )
    return fig


def finish(
    fig: go.Figure, fmt: Formatter, *, title: str | None, height: int = 420, legend: bool = True
) -> go.Figure:
    """The common layout: theme, the language's number separators, a height, a bottom legend,
    and a title (``""`` leaves it out, as a report does under its own heading)."""
    apply_theme(fig)
    fig.update_layout(
        separators=fmt.separators,
        height=height,
        showlegend=legend,
        hoverlabel={"namelength": -1},
        margin={"l": 10, "r": 20, "t": 56 if title else 20, "b": 40},
        legend={"orientation": "h", "y": -0.12, "x": 0},
        title={"text": title, "x": 0, "xanchor": "left"} if title else None,
    )
    fig.update_yaxes(automargin=True)
    fig.update_xaxes(automargin=True)
    return fig


def wrap(text: Any, width: int = 14, *, longest: int | None = None) -> str:
    """Break a chart label into lines of about ``width`` characters (plotly's ``<br>``); a word
    longer than ``longest`` is hyphenated too (long Dutch compounds next to each other), between
    syllables where it can (:func:`_hyphen_at`), never inside "ch" or "ij".

    >>> wrap("Opvoedondersteuning en meer", 12, longest=16)
    'Opvoedon-<br>dersteuning<br>en meer'
    >>> wrap("Ondertoezichtstelling (OTS)", 12, longest=16)
    'Ondertoe-<br>zichtstelling<br>(OTS)'
    >>> wrap("Schuldhulpverleningstraject", 12, longest=16)  # hand-split: schuld-hulp-ver-le-nings-tra-ject
    'Schuldhulp-<br>verle-<br>ningstraject'
    """
    words: list[str] = []
    for word in str(text).split():
        while longest is not None and len(word) > longest:
            at = _hyphen_at(word, width - 1)
            words.append(word[:at] + "-")
            word = word[at:]
        words.append(word)
    lines: list[str] = []
    for word in words:
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


_VOWELS = set("aeiouyáéíóúàèëïöü")


def _hyphen_at(word: str, limit: int) -> int:
    """Where to hyphenate ``word`` at or before ``limit``: the last syllable boundary by Dutch's plain
    rules (one consonant between vowels goes to the next syllable, ``toe-zicht``; of two or more, the
    last does, ``on-der``, ``schuld-hulp``), never inside "ch" or "ij"; ``limit`` when there is none."""

    def vowel(i: int) -> bool:
        return word[i].lower() in _VOWELS

    candidates = [
        i
        for i in range(min(limit, len(word) - 2), 2, -1)
        if word[i - 1 : i + 1].lower() not in ("ch", "ij") and not vowel(i) and vowel(i + 1)
    ]
    for i in candidates:  # one or two consonants between vowels: toe-zicht, on-der
        if vowel(i - 1) or vowel(i - 2):
            return i
    for i in candidates:  # three or more (a compound's seam): the last starts the syllable, schuld-hulp
        return i
    return limit


def opt(values: Sequence[Any] | pd.Series) -> list[float | None]:
    """Numbers for plotly with missing (suppressed) values as gaps."""
    return [None if v is None or pd.isna(v) else float(v) for v in values]


def hover_value(text: str | None, k: int | None) -> str:
    """A formatted value, or the suppression marker ``<k`` for a value that is not published."""
    if text is None or text == "–":
        return f"<{k}" if k is not None else "–"
    return text
