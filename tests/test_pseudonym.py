"""Keyed pseudonyms: HMAC-SHA256 checked against RFC 4231; weak keys refused; the copy of an export."""

from __future__ import annotations

import secrets

import pandas as pd
import pytest

import impactkit as ik
from impactkit.pseudonym import ENV_VAR, STILL_PERSONAL, check_key, keyed_digest, write_pseudonymised

KEY = "Jx8vQ2mZt5Rk9pWc3LsY7dNf4HgT"  # 28 characters, no run, no repetition


def test_rfc4231_test_case_1():
    """RFC 4231 §4.2: HMAC-SHA-256(key = 0x0b × 20, "Hi There").  (A real key like 0x0b × 20 is
    refused as weak; the digest itself is checked on the low-level function.)"""
    digest = keyed_digest(b"\x0b" * 20, "Hi There")
    assert digest == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"


def test_pseudonyms_use_that_digest():
    out = ik.pseudonymise(pd.DataFrame({"family_id": ["F1"]}), key=KEY, prefix="", length=64)
    assert out.loc[0, "family_id"] == keyed_digest(KEY.encode(), "F1")


def test_same_key_same_pseudonym_across_tables_and_input_untouched(monkeypatch):
    monkeypatch.setenv(ENV_VAR, KEY)
    a = pd.DataFrame({"family_id": ["F1", "F2", None]})
    b = pd.DataFrame({"family_id": ["F2"]})
    pa_, pb = ik.pseudonymise(a), ik.pseudonymise(b)
    assert pa_.loc[1, "family_id"] == pb.loc[0, "family_id"]
    assert pa_["family_id"].isna().tolist() == [False, False, True]
    assert a["family_id"].tolist()[:2] == ["F1", "F2"]
    assert pa_.loc[0, "family_id"].startswith("P")
    assert len(pa_.loc[0, "family_id"]) == 21


def test_different_keys_differ():
    df = pd.DataFrame({"family_id": ["F1"]})
    one = ik.pseudonymise(df, key=KEY).loc[0, "family_id"]
    two = ik.pseudonymise(df, key=secrets.token_hex(16)).loc[0, "family_id"]
    assert one != two


@pytest.mark.parametrize(
    ("key", "why"),
    [
        ("short", "at least 16 bytes"),
        ("k" * 32, "one block 'k' repeated"),
        ("0123456789abcdef" * 2, "one block '0123456789abcdef' repeated"),
        ("correct horse battery staple", "whitespace"),
        # a strong key but for the space (fixed, not drawn: every xdist worker must collect the same ids)
        (" 9ecba5e24c3868d75c46a5956e1d2acc", "whitespace"),
        ("abcdefgh12345678", "sequence"),
        ("ab12ab12ab12ab1x", "distinct characters"),
        ("a" * 40 + "qwertyui", "entropy"),
    ],
)
def test_weak_keys_are_refused(key, why):
    with pytest.raises(ik.ParameterError, match=why):
        ik.pseudonymise(pd.DataFrame({"family_id": ["F1"]}), key=key)


def test_strong_keys_pass():
    for _ in range(20):
        check_key(secrets.token_hex(16).encode())
        check_key(secrets.token_urlsafe(16).encode())


def test_no_key_is_a_clear_error(monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    with pytest.raises(ik.ParameterError, match=ENV_VAR):
        ik.pseudonymise(pd.DataFrame({"family_id": ["F1"]}))


def test_key_file(tmp_path):
    kf = tmp_path / "key"
    kf.write_text(KEY + "\n")
    df = pd.DataFrame({"family_id": ["F1"]})
    assert ik.pseudonymise(df, key_file=kf).equals(ik.pseudonymise(df, key=KEY))


def test_the_copy_drops_free_text_coarsens_dates_and_reads_back(tmp_path):
    """The copy of the sample: pseudonyms, dates on the 1st of their month, a README saying what is
    still personal data; and impactkit reads the copy back as a valid dataset."""
    import dataclasses

    ds = ik.read_dataset("data/sample", today="2026-11-01")
    fam = ds.families.copy()
    fam["notes"] = "Moeder Fatima E. (verslaafd), Dorpsstraat 12"  # free text must not survive
    ds = dataclasses.replace(ds, families=fam)
    out = tmp_path / "copy"
    written = write_pseudonymised(ds, out, key=KEY)
    assert {p.name for p in written} >= {"assessments.csv", "families.csv", "README.txt"}
    copy = pd.read_csv(out / "families.csv")
    assert "notes" not in copy.columns
    assert copy["start_date"].str.endswith("-01").all()
    assert not copy["family_id"].isin(fam["family_id"]).any()
    readme = (out / "README.txt").read_text()
    assert "families.notes" in readme
    assert "first day of its month" in readme
    assert STILL_PERSONAL in readme
    back = ik.read_dataset(out, today="2026-11-01")
    assert back.n_families == ds.n_families


def test_the_copy_never_overwrites_the_export(tmp_path):
    ds = ik.read_dataset("data/sample", today="2026-11-01")
    with pytest.raises(ik.OutputError, match="refuses to write"):
        write_pseudonymised(ds, "data/sample", key=KEY)
    with pytest.raises(ik.OutputError, match="holds the input"):
        write_pseudonymised(ds, "data", key=KEY)
