"""The canonical long assessment frame every analysis takes.

Columns, in order:

=============  ==========================================================================
family_id      string (pseudonymised or not), never missing
wave           ordered categorical; categories are the instrument's wave ids in order
assessed_on    datetime64[ns]; NaT where the input had no date column
domain         categorical; categories are the instrument's domain ids in order
score          float64; NaN is an explicit missing score (allowed, counted, never imputed)
=============  ==========================================================================

``frame.attrs["instrument"]`` holds the :class:`~impactkit.instruments.Instrument`; analyses fall
back to the default instrument when it is absent.  Implicit missing (no row) and explicit
missing (NaN score) must give identical results in every analysis.
"""

from __future__ import annotations

import pandas as pd

from impactkit.errors import ParameterError
from impactkit.instruments import Instrument, builtin

__all__ = ["COLUMNS", "canonical", "instrument_of"]

COLUMNS = ["family_id", "wave", "assessed_on", "domain", "score"]


def instrument_of(data: pd.DataFrame, instrument: Instrument | None = None) -> Instrument:
    """The instrument to use for ``data``: the argument, else ``data.attrs``, else the default."""
    if instrument is not None:
        return instrument
    inst = data.attrs.get("instrument") if hasattr(data, "attrs") else None
    return inst if isinstance(inst, Instrument) else builtin("default")


def canonical(frame: pd.DataFrame, instrument: Instrument | None = None) -> pd.DataFrame:
    """Coerce an already clean long frame to canonical dtypes (for tests and programmatic input).

    This does not validate cell by cell; use :func:`impactkit.read_assessments` for user files.
    """
    inst = instrument_of(frame, instrument)
    missing = [c for c in ("family_id", "wave", "domain", "score") if c not in frame.columns]
    if missing:
        raise ParameterError(
            f"The 'frame' parameter of canonical must have columns {COLUMNS[:2] + COLUMNS[3:]}; "
            f"missing {missing}. Got columns {list(frame.columns)} instead."
        )
    out = pd.DataFrame(
        {
            "family_id": frame["family_id"].astype("string"),
            "wave": pd.Categorical(frame["wave"], categories=inst.wave_ids, ordered=True),
            "assessed_on": pd.to_datetime(frame["assessed_on"]).astype("datetime64[ns]")
            if "assessed_on" in frame.columns
            else pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]"),
            "domain": pd.Categorical(frame["domain"], categories=inst.domain_ids),
            "score": pd.to_numeric(frame["score"]).astype("float64"),
        }
    ).reset_index(drop=True)
    bad_w = frame["wave"][out["wave"].isna().to_numpy()].unique()
    bad_d = frame["domain"][out["domain"].isna().to_numpy()].unique()
    if len(bad_w) or len(bad_d):
        raise ParameterError(
            f"Unknown waves {list(bad_w)} or domains {list(bad_d)} for instrument {inst.id!r} "
            f"(waves {inst.wave_ids}, domains {inst.domain_ids})."
        )
    out.attrs["instrument"] = inst
    return out
