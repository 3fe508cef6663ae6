"""IMPACTKIT_CACHE: a validated export is stored under a key of its bytes and options, and reused."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pandas as pd
import pytest

import impactkit as ik
from impactkit.io import _cache

EXPORT = Path(__file__).resolve().parents[1] / "corpus" / "exports" / "meeleefgezin"  # 36 families, 0.2 s
TODAY = "2026-11-01"


@pytest.fixture
def export(tmp_path: Path) -> Path:
    folder = tmp_path / "export"
    shutil.copytree(EXPORT, folder)
    return folder


def _entries(where: Path) -> list[Path]:
    return sorted(where.glob("*.validated.pickle"))


def test_second_validation_is_loaded_and_equal(export: Path, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    where = tmp_path / "cache"
    monkeypatch.setenv("IMPACTKIT_CACHE", str(where))
    first = ik.validate(export, today=TODAY)
    (entry,) = _entries(where)
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    assert stat.S_IMODE(where.stat().st_mode) == 0o700
    calls = []
    monkeypatch.setattr("impactkit.io._dataset._resolve", lambda *a: calls.append(a))  # must not be reached
    second = ik.read_dataset(export, today=TODAY)  # read_dataset goes through validate
    assert not calls
    assert first.dataset is not None
    for name in ("assessments", "families"):
        pd.testing.assert_frame_equal(getattr(first.dataset, name), getattr(second, name))
    assert second.notes == first.dataset.notes
    assert second.files == first.dataset.files


def test_changed_bytes_or_options_are_a_new_entry(export: Path, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    where = tmp_path / "cache"
    monkeypatch.setenv("IMPACTKIT_CACHE", str(where))
    assert ik.validate(export, today=TODAY).valid
    ik.validate(export, today="2026-11-02")  # another day: its own entry
    assert len(_entries(where)) == 2
    fam = export / "gezinnen.csv"
    text = fam.read_text(encoding="utf-8-sig").splitlines()
    text[1] = text[1].replace("ML-001", "ML-002", 1)  # a duplicate family id
    fam.write_text("\n".join(text) + "\n", encoding="utf-8")
    changed = ik.validate(export, today=TODAY)
    assert not changed.valid
    assert str(fam) in set(changed.problems["file"])
    assert len(_entries(where)) == 3


def test_off_by_default_and_never_from_a_folder_others_can_write(
    export: Path, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("IMPACTKIT_CACHE", raising=False)
    assert _cache.folder() is None
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o777)
    monkeypatch.setenv("IMPACTKIT_CACHE", str(shared))
    assert _cache.folder() is None
    ik.validate(export, today=TODAY)
    assert not _entries(shared)
    frame = pd.read_csv(EXPORT / "gezinnen.csv", dtype=str)
    assert _cache.key(frame, {}) is None  # a DataFrame is not keyed
