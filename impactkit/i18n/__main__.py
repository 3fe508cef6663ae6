"""``python -m impactkit.i18n``: start a new language, or check every catalogue.

    python -m impactkit.i18n new de de_DE   # impactkit/locale/de/...: English texts as comments, msgstr empty
    python -m impactkit.i18n check          # every key in every language, same placeholders

An empty or fuzzy entry falls back to English at run time, so a half-translated language works
and ``check`` lists what is left.
"""

from __future__ import annotations

import io
import sys

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from impactkit.i18n._catalog import DOMAINS, LOCALE_DIR, SOURCE_LANG, languages, problems


def new(lang: str, locale: str) -> list[str]:
    """Write ``locale/<lang>/LC_MESSAGES/<domain>.po`` for every domain; return the paths written."""
    written = []
    for domain in DOMAINS:
        src = LOCALE_DIR / SOURCE_LANG / "LC_MESSAGES" / f"{domain}.po"
        with src.open("rb") as fh:
            en = read_po(fh)
        cat = Catalog(locale=locale, domain=domain, project="impactkit", fuzzy=False, charset="utf-8")
        for m in en:
            if m.id:
                cat.add(m.id, "", auto_comments=[f"en: {m.string}"])
        out = LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.po"
        if out.exists():
            raise SystemExit(f"{out} exists; edit it instead.")
        out.parent.mkdir(parents=True, exist_ok=True)
        buf = io.BytesIO()
        write_po(buf, cat, width=100, no_location=True)
        out.write_bytes(buf.getvalue())
        written.append(str(out))
    return written


def main(argv: list[str]) -> int:
    if len(argv) == 3 and argv[0] == "new":
        print("\n".join(new(argv[1], argv[2])))
        return 0
    if argv == ["check"]:
        found = problems()
        print("\n".join(found) or f"ok: {', '.join(languages())} complete in {', '.join(DOMAINS)}")
        return 1 if found else 0
    print(__doc__)
    return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
