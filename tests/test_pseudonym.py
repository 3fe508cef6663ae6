"""Keyed pseudonyms: HMAC-SHA256 checked against RFC 4231; no key, no pseudonyms."""

from __future__ import annotations

import pandas as pd
import pytest

import impactkit as ik
from impactkit.pseudonym import ENV_VAR


def test_rfc4231_test_case_1():
    """RFC 4231 §4.2: HMAC-SHA-256(key = 0x0b × 20, "Hi There")."""
    df = pd.DataFrame({"family_id": ["Hi There"]})
    out = ik.pseudonymise(df, key=b"\x0b" * 20, prefix="", length=64)
    assert out.loc[0, "family_id"] == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"


def test_same_key_same_pseudonym_across_tables_and_input_untouched(monkeypatch):
    monkeypatch.setenv(ENV_VAR, "0123456789abcdef0123456789abcdef")
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
    one = ik.pseudonymise(df, key="k" * 16).loc[0, "family_id"]
    two = ik.pseudonymise(df, key="j" * 16).loc[0, "family_id"]
    assert one != two


def test_no_key_is_a_clear_error(monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    with pytest.raises(ik.ParameterError, match=ENV_VAR):
        ik.pseudonymise(pd.DataFrame({"family_id": ["F1"]}))
    with pytest.raises(ik.ParameterError, match="at least 16 bytes"):
        ik.pseudonymise(pd.DataFrame({"family_id": ["F1"]}), key="short")


def test_key_file(tmp_path):
    kf = tmp_path / "key"
    kf.write_text("0123456789abcdef0123456789abcdef\n")
    df = pd.DataFrame({"family_id": ["F1"]})
    assert ik.pseudonymise(df, key_file=kf).equals(
        ik.pseudonymise(df, key="0123456789abcdef0123456789abcdef")
    )
