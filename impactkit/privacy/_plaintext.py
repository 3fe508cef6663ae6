"""User text in charts reduced to plain text: no link, no style, no ``url()``, by construction.

Plotly renders a subset of HTML inside every text of a figure (titles, axis and tick labels,
legend names, hover labels, annotations): ``<a href>`` becomes a live link and
``<span style="fill:url(http://…)">`` makes the browser fetch a URL.  Instrument labels,
municipality names, care paths and payers are user text, so before a figure is written every
string in it passes :func:`plain_text`: only the bare formatting tags impactkit itself uses
(``<br>``, ``<b>``, ``<i>``, ``<sup>``, ``<sub>``, plotly's ``<extra>``) survive, without
attributes; every other ``<`` is written as ``&lt;`` (plotly shows it as the character), and
``url(`` is broken so that no CSS function can form.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["plain_figure", "plain_text"]

_ALLOWED = re.compile(r"</?(?:b|i|sup|sub|extra)>|<br\s*/?>", re.IGNORECASE)
_URL = re.compile(r"url\s*\(", re.IGNORECASE)
_JS = re.compile(r"javascript\s*:", re.IGNORECASE)


def plain_text(text: str) -> str:
    """``text`` with every tag but impactkit's own bare formatting tags neutralised.

    >>> plain_text('<a href="http://x">Wonen</a><br>fill:url(http://x)')
    '&lt;a href="http://x">Wonen&lt;/a><br>fill:url (http://x)'
    """
    out, pos = [], 0
    for m in _ALLOWED.finditer(text):
        out.append(text[pos : m.start()].replace("<", "&lt;"))
        out.append(m.group(0))
        pos = m.end()
    out.append(text[pos:].replace("<", "&lt;"))
    s = "".join(out)
    s = _URL.sub("url (", s)
    return _JS.sub("javascript :", s)


def _walk(value: Any) -> Any:
    if isinstance(value, str):
        return plain_text(value)
    if isinstance(value, dict):
        return {k: _walk(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_walk(v) for v in value]
    if hasattr(value, "tolist") and getattr(value, "dtype", None) is not None and value.dtype.kind in "OUS":
        return [_walk(v) for v in value.tolist()]
    return value


def plain_figure(fig: Any) -> dict[str, Any]:
    """The figure as a plotly JSON dict in which every string is :func:`plain_text`."""
    data = fig.to_plotly_json() if hasattr(fig, "to_plotly_json") else dict(fig)
    out: dict[str, Any] = _walk(data)
    return out
