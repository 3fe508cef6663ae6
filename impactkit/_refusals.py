"""Texts of refusals (design and parameter errors), keyed for ``ImpactkitError.of``.

The texts live in the ``refusals`` gettext catalogue (``impactkit/locale/<lang>/LC_MESSAGES/
refusals.po``); the English text is the message a Python caller sees, the other languages are what
the command line shows with ``--lang``.  A refusal is raised as ``DesignError.of("key", **values)``
and shown in another language with ``err.text("nl")``.
"""

from __future__ import annotations

from typing import Any

__all__ = ["refusal"]


def refusal(key: str, lang: str = "en", /, **values: Any) -> str:
    """The text of refusal ``key`` in ``lang`` (English when not translated), filled with ``values``."""
    from impactkit.i18n import text

    return text("refusals", key, lang, **values)
