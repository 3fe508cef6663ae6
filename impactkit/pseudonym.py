"""Keyed pseudonyms (HMAC-SHA256) for family identifiers.

A plain hash of a family id is not a pseudonym: anyone can hash a list of candidate ids and match
them. impactkit therefore only offers keyed pseudonyms. The key comes from an environment variable
or a key file and is never written to a config, a report or the output.

Generate a key once and keep it with the foundation's privacy officer::

    python -c "import secrets; print(secrets.token_hex(32))" > ~/.impactkit-key
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from impactkit.errors import ParameterError

__all__ = ["ENV_VAR", "load_key", "pseudonymise"]

ENV_VAR = "IMPACTKIT_PSEUDONYM_KEY"
MIN_KEY_BYTES = 16


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
    if len(raw) < MIN_KEY_BYTES:
        raise ParameterError(
            f"The pseudonymisation key must be at least {MIN_KEY_BYTES} bytes long. Got {len(raw)} bytes instead."
        )
    return raw


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
    >>> out = pseudonymise(df, key="a secret key of 32 characters..")
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
        table = {
            u: prefix + hmac.new(secret, u.encode("utf-8"), hashlib.sha256).hexdigest()[:length] for u in uniq
        }
        mapped = out[col].astype("string").map(table)
        out[col] = mapped.astype(out[col].dtype) if str(out[col].dtype) in ("string", "str") else mapped
    return out
