"""The gettext catalogues: complete in every language, same placeholders, and a third language
is nothing but a new folder of catalogues."""

from __future__ import annotations

import shutil

import pytest

from impactkit import i18n
from impactkit.i18n import _catalog
from impactkit.i18n.__main__ import main as i18n_main
from impactkit.i18n.__main__ import new as new_language


@pytest.mark.parametrize("domain", i18n.DOMAINS)
def test_every_key_in_every_language_with_the_same_placeholders(domain):
    source = i18n.catalogue("en", domain)
    assert source, domain
    for lang in i18n.languages():
        entries = i18n.catalogue(lang, domain)
        assert entries.keys() == source.keys(), (lang, domain, entries.keys() ^ source.keys())
        for key, text in entries.items():
            assert text.strip(), (lang, domain, key)
            assert i18n.placeholders(text) == i18n.placeholders(source[key]), (lang, domain, key)
    assert _catalog.problems() == []


def test_placeholder_parser():
    assert i18n.placeholders("{n:,} of {total} ({share:.0%})") == {"n", "total", "share"}
    assert i18n.placeholders("no fields, {{escaped}}") == frozenset()


def test_languages_and_locales_come_from_the_catalogues():
    assert i18n.languages() == ("en", "nl")
    assert i18n.locale_of("nl") == "nl_NL"
    assert i18n.locale_of("en") == "en_GB"
    assert i18n.text("report", "total", "nl") == "Totaal"
    assert i18n.text("report", "fewer_than", "en", k=10) == "fewer than 10 families"


def test_a_third_language_is_a_new_catalogue(tmp_path, monkeypatch):
    """`python -m impactkit.i18n new de de_DE`, translate one text: German numbers, the translated
    text, English for the rest (gettext's fallback), and `check` lists what is left to translate."""
    from impactkit.report import build_report
    from tests.report._report_data import DRAWS, GENERATED, sample

    shutil.copytree(i18n.LOCALE_DIR, tmp_path / "locale")
    monkeypatch.setattr(_catalog, "LOCALE_DIR", tmp_path / "locale")
    import impactkit.i18n.__main__ as cli

    monkeypatch.setattr(cli, "LOCALE_DIR", tmp_path / "locale")
    _catalog.clear_cache()
    try:
        new_language("de", "de_DE")
        po = tmp_path / "locale" / "de" / "LC_MESSAGES" / "report.po"
        body = po.read_text(encoding="utf-8")
        assert '#. en: Summary\nmsgid "sec_summary"\nmsgstr ""' in body
        po.write_text(
            body.replace('msgid "sec_summary"\nmsgstr ""', 'msgid "sec_summary"\nmsgstr "Zusammenfassung"'),
            encoding="utf-8",
        )
        _catalog.clear_cache()
        assert i18n.languages() == ("en", "de", "nl")
        f = i18n.Formatter("de")
        assert f.currency(1234.5, decimals=2) == "1.234,50 €"  # CLDR de_DE: "#,##0.00 ¤"
        assert f.separators == ",."
        assert f.number(1234.5, 1) == "1.234,5"
        assert f.text("sec_summary") == "Zusammenfassung"
        assert f.text("total") == "Total"  # untranslated: English
        assert i18n_main(["check"]) == 1
        import impactkit as ik
        from impactkit.figures import radar

        assert ik.validate("data/sample", today="2026-11-01", lang="de").valid  # io takes it too
        assert radar(ik.describe(sample().assessments), lang="de").layout.separators == ",."
        rep = build_report(sample(), lang="de", draws=DRAWS, generated_at=GENERATED)
        assert '<html lang="de">' in rep.html
        assert "Zusammenfassung" in rep.html
    finally:
        _catalog.clear_cache()
