"""Gettext catalogues read with babel: one ``.po`` file per language and text domain.

Layout (shipped inside the package, so wheels and editable installs read the same files)::

    impactkit/locale/<lang>/LC_MESSAGES/<domain>.po     e.g. locale/nl/LC_MESSAGES/report.po

Message ids are symbolic keys (``sec_summary``, ``payer.state``); every catalogue of a domain holds
every key with the same ``{placeholders}`` (``tests/i18n`` checks it).  The ``Language`` header
names the babel locale used for numbers and dates (``nl_NL``, ``en_GB``).  Catalogues are parsed
once per process (``babel.messages.pofile.read_po``) and kept; there is no compile step and no
``.mo`` file to go stale.  A language is available when its folder holds a catalogue for every
domain; adding one is adding a folder (see ``impactkit/locale/README.md``).
"""

from __future__ import annotations

import string
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po

from impactkit.errors import ParameterError

__all__ = [
    "DOMAINS",
    "LOCALE_DIR",
    "catalogue",
    "check_lang",
    "has",
    "languages",
    "locale_of",
    "placeholders",
    "text",
]

LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
DOMAINS = ("report", "figures", "cli", "io", "run", "refusals", "notes")
SOURCE_LANG = "en"


@cache
def _read(lang: str, domain: str) -> tuple[str, dict[str, str]]:
    path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.po"
    with path.open("rb") as fh:
        cat = read_po(fh, domain=domain, abort_invalid=True)
    # gettext semantics: a fuzzy or empty entry is untranslated (text() falls back to the source)
    entries = {str(m.id): str(m.string) for m in cat if m.id and m.string and not m.fuzzy}
    return str(cat.locale) if cat.locale is not None else lang, entries


def clear_cache() -> None:
    """Forget the parsed catalogues (after editing a ``.po`` file in a running session)."""
    _read.cache_clear()
    languages.cache_clear()


@cache
def languages() -> tuple[str, ...]:
    """The languages with a catalogue for every domain, source language first: ``("en", "nl")``."""
    found = [
        p.name
        for p in sorted(LOCALE_DIR.iterdir())
        if p.is_dir() and all((p / "LC_MESSAGES" / f"{d}.po").is_file() for d in DOMAINS)
    ]
    return tuple(sorted(found, key=lambda x: (x != SOURCE_LANG, x)))


def check_lang(lang: str, func: str) -> str:
    """Raise the usual parameter error unless ``lang`` has catalogues; return it."""
    langs = languages()
    if lang not in langs:
        raise ParameterError(
            f"The 'lang' parameter of {func} must be one of {list(langs)}. Got {lang!r} instead. "
            "A new language is a folder of catalogues under impactkit/locale (see its README)."
        )
    return lang


def locale_of(lang: str) -> str:
    """The babel locale of ``lang`` from its report catalogue's ``Language`` header (``nl`` → ``nl_NL``)."""
    return _read(lang, "report")[0]


def catalogue(lang: str, domain: str) -> dict[str, str]:
    """Every key of ``domain`` in ``lang`` with its text (a copy)."""
    if domain not in DOMAINS:
        raise ParameterError(f"Unknown text domain {domain!r}; expected one of {list(DOMAINS)}.")
    return dict(_read(lang, domain)[1])


def has(domain: str, key: str) -> bool:
    """Whether the source catalogue of ``domain`` defines ``key``."""
    return key in _read(SOURCE_LANG, domain)[1]


def placeholders(template: str) -> frozenset[str]:
    """The ``{names}`` a text expects (format specs ignored): ``"{n:,} of {total}"`` → {n, total}."""
    return frozenset(
        name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(template) if name
    )


def text(domain: str, key: str, lang: str = "en", /, **values: Any) -> str:
    """The text ``key`` of ``domain`` in ``lang``, its ``{placeholders}`` filled from ``values``."""
    entries = _read(lang, domain)[1]
    try:
        template = entries[key] if key in entries else _read(SOURCE_LANG, domain)[1][key]
    except KeyError as err:
        raise ParameterError(
            f"No {domain} text named {key!r} in {lang!r}; add it to "
            f"impactkit/locale/<lang>/LC_MESSAGES/{domain}.po for every language."
        ) from err
    return template.format(**values) if values else template


def problems(langs: tuple[str, ...] | None = None) -> list[str]:
    """Every missing, untranslated or extra key and every placeholder mismatch, one line each."""
    out = []
    for domain in DOMAINS:
        source = _read(SOURCE_LANG, domain)[1]
        for lang in langs or languages():
            entries = _read(lang, domain)[1]
            for key, template in source.items():
                if key not in entries:
                    out.append(f"{lang}/{domain}: {key!r} is missing or untranslated")
                elif placeholders(entries[key]) != placeholders(template):
                    out.append(
                        f"{lang}/{domain}: {key!r} has placeholders {sorted(placeholders(entries[key]))}, "
                        f"expected {sorted(placeholders(template))}"
                    )
            out += [f"{lang}/{domain}: {key!r} is not in {SOURCE_LANG}" for key in entries.keys() - source]
    return out
