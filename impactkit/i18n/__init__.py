"""Languages: gettext catalogues (read with babel) and locale-aware number formats.

>>> from impactkit.i18n import Formatter, languages, text
>>> languages()
('en', 'nl')
>>> text("report", "sec_summary", "nl")
'Samenvatting'
>>> Formatter("nl").currency(-1234)
'€ -1.234'

Every text the package shows (report, figures, CLI, validation messages) lives in
``impactkit/locale/<lang>/LC_MESSAGES/<domain>.po``; a new language is a new folder of
catalogues (``impactkit/locale/README.md``).
"""

from impactkit.i18n._catalog import (
    DOMAINS,
    LOCALE_DIR,
    catalogue,
    check_lang,
    languages,
    locale_of,
    placeholders,
    text,
)
from impactkit.i18n._format import MISSING, Formatter, is_missing
from impactkit.i18n._note import Note, Percent, Words, note_text

__all__ = [
    "DOMAINS",
    "LOCALE_DIR",
    "MISSING",
    "Formatter",
    "Note",
    "Percent",
    "Words",
    "catalogue",
    "check_lang",
    "is_missing",
    "languages",
    "locale_of",
    "note_text",
    "placeholders",
    "text",
]
