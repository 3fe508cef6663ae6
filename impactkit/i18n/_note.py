"""Notes on a result that read in every language: a ``str`` (English) that knows its key.

>>> from impactkit.i18n import Note
>>> n = Note("describe.sufficient", level="4")
>>> str(n)
'share_sufficient: share of scores ≥ 4.'
>>> n.text("nl")
'Aandeel ≥ voldoende (share_sufficient): het aandeel scores ≥ 4.'

A result's ``notes`` stay a list of strings for Python callers (English, as before); the command
line and reports show ``note.text(lang)``.  A value may itself be a :class:`Note` (a sentence built
from parts); it is rendered in the same language.  Texts live in the ``notes`` catalogue.
"""

from __future__ import annotations

from typing import Any

from impactkit.i18n._catalog import text

__all__ = ["Note", "Percent", "Words", "note_text"]


class Percent(float):
    """A share in a note, written as a percentage in the note's language (``2,25%`` in Dutch)."""

    decimals: int

    def __new__(cls, share: float, decimals: int = 0) -> Percent:
        self = super().__new__(cls, share)
        self.decimals = decimals
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (Percent, (float(self), self.decimals))


class Words(str):
    """A name in several languages (a care path's or payer's label) as a value of a :class:`Note`;
    ``str`` is the English one, :meth:`text` the one of a language (English where it has none).

    >>> w = Words({"en": "Social work", "nl": "Maatschappelijk werk"})
    >>> str(w), w.text("nl"), w.text("de")
    ('Social work', 'Maatschappelijk werk', 'Social work')
    """

    texts: dict[str, str]

    def __new__(cls, texts: dict[str, str]) -> Words:
        self = super().__new__(cls, texts.get("en") or next(iter(texts.values()), ""))
        self.texts = dict(texts)
        return self

    def text(self, lang: str = "en") -> str:
        return self.texts.get(lang) or str(self)

    def __reduce__(self) -> tuple[Any, ...]:
        return (Words, (self.texts,))


def _rendered(values: dict[str, Any], lang: str) -> dict[str, Any]:
    from impactkit.i18n._format import Formatter

    def one(v: Any) -> Any:
        if isinstance(v, Note | Words):
            return v.text(lang)
        if isinstance(v, Percent):
            return Formatter(lang).percent(float(v), v.decimals)
        return v

    return {k: one(v) for k, v in values.items()}


def _note(key: str, values: dict[str, Any]) -> Note:
    return Note(key, **values)


class Note(str):
    """The note ``key`` of the ``notes`` catalogue with ``values``; ``str(note)`` is the English text."""

    key: str
    values: dict[str, Any]

    def __new__(cls, key: str, /, **values: Any) -> Note:
        self = super().__new__(cls, text("notes", key, "en", **_rendered(values, "en")))
        self.key = key
        self.values = values
        return self

    def text(self, lang: str = "en") -> str:
        """The note in ``lang`` (English where the language has no translation)."""
        return text("notes", self.key, lang, **_rendered(self.values, lang))

    def __reduce__(self) -> tuple[Any, ...]:  # copy, deepcopy and pickle rebuild it from its key
        return (_note, (self.key, self.values))


def note_text(note: object, lang: str) -> str:
    """A note in ``lang``: a :class:`Note` translated, any other string as it is."""
    return note.text(lang) if isinstance(note, Note) else str(note)
