"""Keyed pseudonyms (HMAC-SHA256) for family identifiers.

A plain hash of a family id is not a pseudonym: anyone can hash a list of candidate ids and match
them. impactkit therefore only offers keyed pseudonyms. The key comes from an environment variable
or a key file and is never written to a config, a report or the output.

Generate a key once and keep it with the foundation's privacy officer::

    python -c "import secrets; print(secrets.token_hex(32))" > ~/.impactkit-key

Weak keys are refused (:func:`check_key`): shorter than 16 bytes, holding whitespace, one
character or one short block repeated, a run such as ``abcdef`` or ``123456``, fewer than 8
distinct characters, or an estimated entropy under
64 bits (Shannon entropy of the key's own characters times its length).  A key that someone could
guess turns the pseudonyms back into the ids.

:func:`pseudonymise_dataset` and :func:`write_pseudonymised` make the pseudonymised copy of a whole
export: ids keyed, free text dropped, dates coarsened to the month.  The copy is still personal
data (see :data:`STILL_PERSONAL`).
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import math
import os
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from impactkit.errors import ParameterError

if TYPE_CHECKING:  # pragma: no cover
    from impactkit.io import Dataset

__all__ = [
    "ENV_VAR",
    "STILL_PERSONAL",
    "check_key",
    "keyed_digest",
    "load_key",
    "pseudonymise",
    "pseudonymise_dataset",
    "write_pseudonymised",
]

ENV_VAR = "IMPACTKIT_PSEUDONYM_KEY"
MIN_KEY_BYTES = 16
MIN_KEY_BITS = 64
MIN_DISTINCT = 8


def check_key(raw: bytes) -> bytes:
    """Return ``raw`` if it is a strong enough pseudonymisation key, else raise ParameterError.

    >>> check_key(b"aaaaaaaaaaaaaaaaaaaaaaaa")
    Traceback (most recent call last):
    ...
    impactkit.errors.ParameterError: The pseudonymisation key is weak: one block 'a' repeated. ...
    """
    fix = 'Create a strong key with: python -c "import secrets; print(secrets.token_hex(32))"'
    if len(raw) < MIN_KEY_BYTES:
        raise ParameterError(
            f"The pseudonymisation key must be at least {MIN_KEY_BYTES} bytes long. Got {len(raw)} bytes "
            f"instead. {fix}"
        )
    if any(c in raw for c in b" \t\r\n\x0b\x0c"):
        raise ParameterError(
            "The pseudonymisation key is weak: it holds whitespace (a passphrase or a pasted line?). " + fix
        )
    for size in range(1, len(raw) // 2 + 1):
        if len(raw) % size == 0 and raw[:size] * (len(raw) // size) == raw:
            block = raw[:size].decode("utf-8", "replace")
            raise ParameterError(f"The pseudonymisation key is weak: one block {block!r} repeated. {fix}")
    steps = sum(abs(a - b) == 1 for a, b in itertools.pairwise(raw))
    if steps >= (len(raw) - 1) / 2:
        raise ParameterError(
            f"The pseudonymisation key is weak: it runs through a sequence (abc, 123). {fix}"
        )
    counts = Counter(raw)
    if len(counts) < MIN_DISTINCT:
        raise ParameterError(
            f"The pseudonymisation key is weak: only {len(counts)} distinct characters "
            f"(at least {MIN_DISTINCT}). {fix}"
        )
    bits = -sum(c * math.log2(c / len(raw)) for c in counts.values())
    if bits < MIN_KEY_BITS:
        raise ParameterError(
            f"The pseudonymisation key is weak: about {bits:.0f} bits of entropy (at least {MIN_KEY_BITS}). "
            + fix
        )
    return raw


def keyed_digest(secret: bytes, value: str) -> str:
    """HMAC-SHA256 of ``value`` (UTF-8) under ``secret``, as hex (no key checks: see check_key)."""
    return hmac.new(secret, value.encode("utf-8"), hashlib.sha256).hexdigest()


def load_key(key: str | bytes | None = None, *, key_file: str | Path | None = None) -> bytes:
    """The pseudonymisation key: ``key``, else the contents of ``key_file``, else ``$IMPACTKIT_PSEUDONYM_KEY``."""
    if key is None and key_file is not None:
        p = Path(key_file)
        if not p.is_file():
            raise ParameterError(
                f"The 'key_file' parameter must name an existing file. Got {str(p)!r} instead."
            )
        key = p.read_bytes().strip()
    if key is None:
        key = os.environ.get(ENV_VAR)
    if key is None or len(key) == 0:
        raise ParameterError(
            "No pseudonymisation key: pass key=..., key_file=PATH, or set the environment variable "
            f'{ENV_VAR}. Create one with: python -c "import secrets; print(secrets.token_hex(32))"'
        )
    raw = key.encode("utf-8") if isinstance(key, str) else bytes(key)
    return check_key(raw)


def pseudonymise(
    frame: pd.DataFrame,
    *,
    key: str | bytes | None = None,
    key_file: str | Path | None = None,
    columns: Iterable[str] = ("family_id",),
    prefix: str = "P",
    length: int = 20,
) -> pd.DataFrame:
    """Replace identifiers by keyed pseudonyms: ``prefix + HMAC-SHA256(key, id)[:length]`` (hex).

    The same key maps the same id to the same pseudonym in every table, so tables still join.
    The input is not modified. Missing ids stay missing.

    Parameters
    ----------
    frame : DataFrame
    key, key_file : optional
        See :func:`load_key`; by default the key comes from ``$IMPACTKIT_PSEUDONYM_KEY``.
    columns : iterable of str
        Columns to pseudonymise (default ``family_id``).
    prefix : str
        Prepended to every pseudonym.
    length : int
        Hex characters kept, 16–64 (default 20, i.e. 80 bits: collisions are negligible).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"family_id": ["F1", "F2", "F1"]})
    >>> out = pseudonymise(df, key="Jx8vQ2mZt5Rk9pWc3LsY7dNf")
    >>> out["family_id"].nunique(), out["family_id"].iloc[0] == out["family_id"].iloc[2]
    (2, True)
    """
    if not 16 <= length <= 64:
        raise ParameterError(
            f"The 'length' parameter of pseudonymise must be between 16 and 64. Got {length!r} instead."
        )
    secret = load_key(key, key_file=key_file)
    out = frame.copy()
    for col in columns:
        if col not in out.columns:
            raise ParameterError(
                f"The 'columns' parameter of pseudonymise names {col!r}, which is not a column. "
                f"Got columns {list(out.columns)} instead."
            )
        uniq = pd.unique(out[col].dropna().astype(str))
        table = {u: prefix + keyed_digest(secret, u)[:length] for u in uniq}
        mapped = out[col].astype("string").map(table)
        out[col] = mapped.astype(out[col].dtype) if str(out[col].dtype) in ("string", "str") else mapped
    return out


# ------------------------------------------------------------------------- a whole export
STILL_PERSONAL = (
    "The pseudonymised copy is still personal data (GDPR recital 26): whoever holds the key can "
    "link every pseudonym back to the family, and the remaining columns together (municipality, "
    "programme, household type, number and ages of the children, the month support started and "
    "ended, scores) can single out a family in a small municipality. Keep it under the same "
    "safeguards as the original: access for named people only, a processing agreement, and "
    "deletion when the evaluation ends. Never publish it."
)
#: columns of the family-level tables that hold codes, dates or numbers (everything else is free
#: text and is dropped from the copy)
CODED = {
    "family_id",
    "wave",
    "domain",
    "item",
    "programme",
    "municipality",
    "end_reason",
    "household_type",
    "referral_source",
    "care_path",
    "care_type",
    "judged_by",
}
DATES = {"assessed_on", "start_date", "end_date", "start", "end"}
FAMILY_TABLES = ("assessments", "families", "counterfactuals", "care_used")


def pseudonymise_dataset(
    ds: Dataset,
    *,
    key: str | bytes | None = None,
    key_file: str | Path | None = None,
    dates: str = "month",
    drop_free_text: bool = True,
) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """The tables of ``ds`` ready to hand over for research: keyed ids, no free text, coarse dates.

    Parameters
    ----------
    ds : Dataset
    key, key_file : optional
        See :func:`load_key`.
    dates : {"month", "day"}
        ``"month"`` (default) moves every date to the first day of its month; ``"day"`` keeps it.
    drop_free_text : bool
        Drop every column of the family-level tables that is neither a code, a date nor a number.

    Returns
    -------
    tables : dict of str to DataFrame
    notes : list of str
        What was done, in words (for the README of the copy and the command's output).
    """
    from impactkit.errors import check_choice

    check_choice("dates", "pseudonymise_dataset", dates, ("month", "day"))
    secret = load_key(key, key_file=key_file)
    tables: dict[str, pd.DataFrame] = {}
    dropped: list[str] = []
    for name in (*FAMILY_TABLES, "programme_costs", "prices"):
        frame = getattr(ds, name, None)
        if frame is None:
            continue
        out = frame.copy()
        if name in FAMILY_TABLES:
            out = pseudonymise(out, key=secret)
            for col in list(out.columns):
                numeric = pd.api.types.is_numeric_dtype(out[col]) or pd.api.types.is_bool_dtype(out[col])
                is_date = col in DATES or pd.api.types.is_datetime64_any_dtype(out[col])
                if drop_free_text and col not in CODED and not numeric and not is_date:
                    out = out.drop(columns=col)
                    dropped.append(f"{name}.{col}")
                elif is_date and dates == "month":
                    d = pd.to_datetime(out[col], errors="coerce")
                    out[col] = d.dt.to_period("M").dt.to_timestamp()
        tables[name] = out
    notes = ["family_id replaced by a keyed pseudonym (HMAC-SHA256; the key is not in the copy)"]
    if dates == "month":
        notes.append("every date moved to the first day of its month (the day is removed)")
    notes.append(
        "free-text columns dropped: " + ", ".join(dropped)
        if dropped
        else "no free-text column found (every column holds a code, a date or a number)"
    )
    return tables, notes


def write_pseudonymised(
    ds: Dataset,
    out: str | Path,
    *,
    key: str | bytes | None = None,
    key_file: str | Path | None = None,
    dates: str = "month",
    drop_free_text: bool = True,
    inputs: Iterable[tuple[str, str | Path | None]] = (),
) -> list[Path]:
    """Write the pseudonymised copy of ``ds`` to the folder ``out`` (CSV per table + README.txt).

    Refuses (:class:`~impactkit.errors.OutputError`) when ``out`` is, lies inside or holds one of
    the dataset's input files (or ``inputs``); every file is written atomically.
    """
    from impactkit._write import atomic_write, check_outputs

    folder = Path(out)
    sources: list[tuple[str, Any]] = [(n, p) for n, p in sorted(getattr(ds, "files", {}).items())]
    check_outputs([("pseudonymised copy", folder)], [*sources, *inputs], func="write_pseudonymised")
    tables, notes = pseudonymise_dataset(
        ds, key=key, key_file=key_file, dates=dates, drop_free_text=drop_free_text
    )
    written = []
    for name, frame in tables.items():
        text = frame.to_csv(index=False, lineterminator="\n", date_format="%Y-%m-%d")
        written.append(atomic_write(folder / f"{name}.csv", text))
    readme = (
        "Pseudonymised copy made by impactkit\n\n"
        + "".join(f"- {n}\n" for n in notes)
        + "\n"
        + STILL_PERSONAL
        + "\n"
    )
    written.append(atomic_write(folder / "README.txt", readme))
    return written
