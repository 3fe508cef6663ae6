"""Small hand-computable scenarios and cohorts for the cost tests."""

from __future__ import annotations

import copy
from typing import Any

import pandas as pd

from impactkit._canonical import canonical

# The tiny scenario: one price (social work, €127 per contact at 2022 prices, BRIEF §5), one path of
# 10 contacts a year for 3 years, deadweight 30%, attribution 20%, displacement 10%, drop-off 25%,
# 2.25% discounting, a coordinator at €10,000 per FTE-year with 20 families per FTE.
TINY: dict[str, Any] = {
    "scenario": {"id": "tiny", "report_year": 2024, "horizon": 3},
    "discount": {"costs": 0.0225, "effects": 0.0225, "source": "Dutch MKBA standard"},
    "index": {"factors": {"2022": 1.073, "2023": 1.033, "2024": 1.0}, "source": "CBS 83131NED (BRIEF §5)"},
    "prices": {
        "social_work": {
            "unit": "contact",
            "price": 127.0,
            "price_year": 2022,
            "payer": {"municipality_youth": 0.6, "state": 0.4},
            "source": "Kostenhandleiding 2024",
        }
    },
    "paths": {
        "social_work": {
            "source": "test",
            "prevalence": 0.2,
            "components": [{"care_type": "social_work", "units_per_year": 10, "unit": "contact", "years": 3}],
        }
    },
    "adjustments": {
        "deadweight": {"value": 0.3, "source": "test"},
        "attribution": {"value": 0.2, "source": "test"},
        "displacement": {"value": 0.1, "source": "test"},
        "dropoff": {"value": 0.25, "source": "test"},
    },
    "programme": {
        "caseload_per_fte": 20,
        "costs": {"coordinator": {"per": "fte", "amount": 10000.0, "price_year": 2024, "source": "test"}},
    },
}


def tiny(**changes: Any) -> dict[str, Any]:
    """A deep copy of :data:`TINY`; ``changes`` maps dotted keys to new values."""
    spec = copy.deepcopy(TINY)
    for dotted, value in changes.items():
        node = spec
        *parents, last = dotted.split(".")
        for key in parents:
            node = node.setdefault(key, {})
        if value is None:
            node.pop(last, None)
        else:
            node[last] = value
    return spec


def intake(
    scores: dict[str, dict[str, float]], *, on: str = "2024-01-10", wave: str = "intake"
) -> pd.DataFrame:
    """Canonical frame with one row per family × domain at ``wave``; ``scores[family][domain]``."""
    rows = [
        {"family_id": fid, "wave": wave, "assessed_on": on, "domain": dom, "score": val}
        for fid, doms in scores.items()
        for dom, val in doms.items()
    ]
    return canonical(pd.DataFrame(rows))


def four_families() -> pd.DataFrame:
    """F1..F4, intake on 2024-01-10, every score 3 (no default rule would match)."""
    return intake({f"F{i}": {"finances": 3.0, "parenting": 3.0} for i in range(1, 5)})


def recorded(
    likelihood: float = 0.5, path: str = "social_work", ids: tuple[str, ...] = ("F1", "F2", "F3", "F4")
):
    """Counterfactual judgements: every family ``likelihood`` on ``path``, judged by the referrer."""
    return pd.DataFrame(
        {"family_id": list(ids), "care_path": path, "likelihood": likelihood, "judged_by": "referrer"}
    )


# One recorded case of the tiny scenario, present value after every adjustment (hand calculation):
# 10 contacts × €127 × 1.073 (CPI 2022 → 2024) = €1,362.71 a year for 3 years, drop-off 25% a year,
# discounted at 2.25%: × (1 + 0.75/1.0225 + 0.75²/1.0225²) = × 2.271547; then
# × (1 − 0.3)(1 − 0.2)(1 − 0.1) = × 0.504.
TINY_CASE_PV = 10 * 127 * 1.073 * (1 + 0.75 / 1.0225 + 0.75**2 / 1.0225**2) * 0.7 * 0.8 * 0.9


def judged_cohort(
    likelihoods: list[float], *, path: str = "social_work", prefix: str = "F"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Families F0..F(n-1) with an intake on 2024-01-10 (all scores 3) and one recorded judgement each."""
    ids = [f"{prefix}{i}" for i in range(len(likelihoods))]
    data = intake({f: {"finances": 3.0, "parenting": 3.0} for f in ids})
    cf = pd.DataFrame(
        {"family_id": ids, "care_path": path, "likelihood": likelihoods, "judged_by": "referrer"}
    )
    return data, cf
