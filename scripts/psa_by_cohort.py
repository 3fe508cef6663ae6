"""P(saving) and its sources of spread for a 5-family and the 350-family sample cohort.

Run from the repository root: ``python scripts/psa_by_cohort.py`` (10,000 draws, seed 0).

* **350 families**: ``data/sample`` with its judgements, care used, local prices and programme costs.
* **5 families, youth-protection style** (issue 12): five families referred because a supervision
  order was feared; each has recorded judgements (supervision order 0.6, out-of-home placement 0.2,
  parenting support 0.8), the programme cost of one coordinator year for these five families is
  listed in a programme_costs table. The default scenario prices it all.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

import impactkit as ik
from impactkit.costs import evaluate

ROOT = Path(__file__).resolve().parents[1]


def five_families() -> dict[str, pd.DataFrame]:
    ids = [f"Y{i}" for i in range(1, 6)]
    domains = ik.builtin().domain_ids
    rows = [
        {"family_id": f, "wave": w, "assessed_on": d, "domain": dom, "score": 2}
        for f in ids
        for w, d in (("intake", "2024-02-01"), ("year1", "2025-02-01"))
        for dom in domains
    ]
    assessments = ik.read_assessments(pd.DataFrame(rows), today="2026-11-01")
    families = pd.DataFrame({"family_id": ids, "programme": "Samen Oplopen", "start_date": "2024-02-01"})
    judged = {"supervision_order": [0.6, 0.5, 0.7, 0.6, 0.6], "out_of_home_placement": [0.2, 0.1, 0.3, 0.2, 0.2],
              "parenting_support": [0.8, 0.9, 0.7, 0.8, 0.8]}  # fmt: skip
    cf = pd.DataFrame(
        [
            {"family_id": f, "care_path": p, "likelihood": v[i], "judged_by": "referrer"}
            for p, v in judged.items()
            for i, f in enumerate(ids)
        ]
    )
    programme = pd.DataFrame({"year": [2024], "item": ["coordinator"], "amount": [51000.0]})
    return {"data": assessments, "families": families, "counterfactuals": cf, "programme_costs": programme}


def show(name: str, res: ik.costs.CostEvaluation) -> None:
    h = res.headline
    psa = res.psa.set_index("quantity")
    net = psa.loc["net_benefit"]
    print(
        f"== {name}: {int(res.meta['families'])} families, {res.meta['draws']:,} draws, seed {res.meta['seed']}"
    )
    print(f"   BCR {h['benefit_cost_ratio']:.2f}; net benefit {h['net_benefit']:,.0f}")
    print(f"   P(net benefit > 0) = {h['p_net_benefit_positive']:.2%}; P(BCR > 1) = {h['p_bcr_above_1']:.2%}")
    print(f"   net benefit 95% interval {net['q025']:,.0f} to {net['q975']:,.0f}")
    spread = getattr(res, "spread", None)
    if spread is not None:
        cols = ["source", "elements", "first_order", "total_order"]
        print(pd.DataFrame(spread)[cols].to_string(index=False, float_format=lambda x: f"{x:.3f}"))


def main(draws: int = 10_000) -> None:
    ds = ik.read_dataset(ROOT / "data" / "sample", today="2026-11-01")
    show("sample", evaluate(ds, draws=draws, seed=0))
    five = five_families()
    data = five.pop("data")
    show("youth protection, 5 families", evaluate(data, **five, draws=draws, seed=0))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
