"""The command line's own words: keys into the ``cli`` gettext catalogue, in every language.

The texts live in ``impactkit/locale/<lang>/LC_MESSAGES/cli.po`` (help, panels, titles, messages;
column headers as ``col.<column>``, table values as ``val.<value>``), read through
:func:`impactkit.i18n.text`; a key missing in a language falls back to English, and
``python -m impactkit.i18n check`` lists what is left to translate.  ``t(key, lang, **values)``
fills the ``{placeholders}``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from typing import Any

from impactkit.i18n import languages, text
from impactkit.i18n._catalog import has

__all__ = ["LANGS", "column_label", "is_text", "lang_from", "selection_text", "t", "tn", "value_label"]

LANGS = languages()
_BLANK_COLUMNS = frozenset({"quantity"})  # a column whose header says nothing (the row label does)


def t(key: str, lang: str = "en", /, **values: Any) -> str:
    """The text ``key`` in ``lang`` (English when missing), ``{placeholders}`` filled from ``values``."""
    return text("cli", key, lang, **values)


def tn(key: str, count: int, lang: str = "en", /, **values: Any) -> str:
    """Like :func:`t`, with the singular ``<key>.one`` when ``count`` is 1 (where the catalogue has it)."""
    return t(f"{key}.one" if count == 1 and has("cli", f"{key}.one") else key, lang, **values)


def selection_text(selection: Any, lang: str) -> str:
    """A :class:`~impactkit.io.Selection` in one line: ``gemeente = Tiel; 31 van 350 gezinnen``."""
    parts = [
        f"{t(f'sel.{name}', lang)} = {', '.join(map(str, values))}"
        for name in ("programme", "municipality", "domains")
        if (values := getattr(selection, name))
    ]
    after, before = selection.families_after, selection.families_before
    return "; ".join([*parts, t("sel.families", lang, after=after, before=before)])


def is_text(key: object) -> bool:
    """Whether ``key`` names a text of the command line (help strings given as keys)."""
    return isinstance(key, str) and has("cli", key)


def column_label(column: str, lang: str) -> str:
    """The header of ``column`` in a terminal table (the column name when it has no label)."""
    if column in _BLANK_COLUMNS:
        return ""
    key = f"col.{column}"
    return t(key, lang) if has("cli", key) else column


def value_label(value: str, lang: str) -> str:
    """A value shown in a terminal table (``recovered``, ``net_benefit``, ``suppressed (n < 10)``)
    in ``lang``."""
    key = f"val.{value}"
    if has("cli", key):
        return t(key, lang)
    small = _SMALL.match(value)  # a status naming its threshold: "descriptive (n < 10)"
    if small is not None and has("cli", f"val.{small[1]}_n"):
        return t(f"val.{small[1]}_n", lang, n=small[2])
    return value


_SMALL = re.compile(r"^(suppressed|descriptive) \(n < (\d+)\)$")


def lang_from(args: Sequence[str], environ: dict[str, str] | None = None) -> str:
    """The language of a command line: ``--lang X`` in ``args``, else $IMPACTKIT_LANG, else the locale.

    Read before the command line is parsed, so that help and usage errors speak it too.  A value that
    is not a language is left for the ``--lang`` option to refuse; here it falls through to the
    environment.
    """
    env = os.environ if environ is None else environ
    args = list(args)
    for i, arg in enumerate(args):
        value = None
        if arg == "--lang" and i + 1 < len(args):
            value = args[i + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
        if value in LANGS:
            return value
    chosen = env.get("IMPACTKIT_LANG", "")
    if chosen in LANGS:
        return chosen
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        code = env.get(name, "")[:2].lower()
        if code:
            return code if code in LANGS else "en"
    return "en"
