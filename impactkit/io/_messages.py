"""Problem messages and notes of reading and validation, keyed by a stable code (tests match on
the code); the texts are the ``io`` gettext catalogue, ``impactkit/locale/<lang>/LC_MESSAGES/io.po``.

**Adding a message**: add ``msgid "<code>"`` with its text to ``en/LC_MESSAGES/io.po`` and to every
other language (``nl``), with the same ``{placeholders}``; ``tests/i18n`` checks both.
"""

from __future__ import annotations

from typing import Any

from impactkit.i18n import text

__all__ = ["date_format", "layout_name", "message"]


def message(code: str, lang: str = "en", **kwargs: Any) -> str:
    """The message for ``code`` in ``lang`` with its ``{placeholders}`` filled in."""
    return text("io", code, lang, **kwargs)


def layout_name(layout: str, lang: str = "en") -> str:
    """The word for an assessments layout (``wide``, ``long``, ``items_long``, ``items_wide``)."""
    return text("io", f"layout.{layout}", lang)


def date_format(lang: str = "en") -> str:
    """The accepted date formats as a reader writes them (``JJJJ-MM-DD of DD-MM-JJJJ``)."""
    return text("io", "date_format", lang)
