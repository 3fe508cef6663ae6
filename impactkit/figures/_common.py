"""What every figure function does first: check the language, find the instrument, pick a group."""

from __future__ import annotations

from typing import Any

import pandas as pd

from impactkit.errors import ParameterError
from impactkit.figures._labels import Labels
from impactkit.i18n import Formatter, check_lang, text
from impactkit.instruments import Instrument

__all__ = ["meta", "one_group", "setup", "title_of"]


def meta(table: Any) -> dict[str, Any]:
    return dict(getattr(table, "meta", {}) or {})


def setup(
    table: Any, lang: str, func: str, instrument: Instrument | None = None, scenario: Any = None
) -> Labels:
    """Check ``lang`` (any language with catalogues) and return the labels for this figure."""
    fmt = Formatter(check_lang(lang, func))
    inst = instrument if instrument is not None else meta(table).get("instrument")
    return Labels(fmt, inst if isinstance(inst, Instrument) else None, scenario)


def title_of(title: str | None, lab: Labels, key: str, **values: Any) -> str:
    """The caller's title, or the figure's default from the figures catalogue (``""``: none)."""
    return text("figures", key, lab.lang, **values) if title is None else title


def one_group(table: pd.DataFrame, group: object, func: str) -> pd.DataFrame:
    by = meta(table).get("by")
    if by is None or by not in table.columns:
        return pd.DataFrame(table)
    groups = list(pd.unique(table[by]))
    if group is None or group not in groups:
        raise ParameterError(
            f"The 'group' parameter of {func} must be one of {groups} for a table made with by={by!r}. "
            f"Got {group!r} instead."
        )
    return pd.DataFrame(table[table[by] == group])
